"""Rules for full history, shared by the formats: the RFC 5005 archive mark and links, and
tombstones (RFC 6721 `at:deleted-entry` in Atom, `fw:deleted-entry` in RSS, `_feedwright.deleted`
in JSON Feed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

from feedwright import NAMESPACE
from feedwright.formats import NS_HISTORY, NS_TOMBSTONES
from feedwright.validate import dates, values
from feedwright.validate.report import Issue
from feedwright.validate.rules import issue
from feedwright.validate.xmlcommon import NS_ATOM, Collector

_ARCHIVE, _COMPLETE = f"{{{NS_HISTORY}}}archive", f"{{{NS_HISTORY}}}complete"
_TOMBSTONE = {"atom": f"{{{NS_TOMBSTONES}}}deleted-entry",
              "rss": f"{{{NAMESPACE}}}deleted-entry"}


def check_xml(root: etree._Element, fmt: str, collector: Collector, ids: set[str]) -> None:
    """The marks, links and tombstones of an Atom feed or an RSS channel whose entries had
    `ids` (marks in the wrong place are xmlcommon.DocumentCheck's)."""
    parent = root if fmt == "atom" else root.find("channel")
    if parent is None:
        return
    archive, complete = parent.find(_ARCHIVE), parent.find(_COMPLETE)
    rels = {link.get("rel") for link in parent.iterchildren(f"{{{NS_ATOM}}}link")}
    for problem in _marks(archive is not None, complete is not None, rels):
        collector.add(problem, archive if archive is not None else parent)
    for tomb in parent.iterchildren(_TOMBSTONE[fmt]):
        for problem in _tombstone(tomb.get("ref"), tomb.get("when"), ids):
            collector.add(problem, tomb)


def check_json(document: dict[str, Any], ids: set[str] | None = None) -> list[Issue]:
    """The same in a JSON Feed's `_feedwright` object. `ids`: the items' ids, when the items
    were checked as they streamed past and are no longer in `document` (validate.jsonstream)."""
    ext = document.get("_feedwright")
    if not isinstance(ext, dict):
        return []
    rels = {rel for rel, key in (("current", "current"), ("next-archive", "next_archive"))
            if key in ext}
    found = [issue(rule, message, path="/_feedwright")
             for rule, message in _marks(ext.get("archive") is True, False, rels)]
    if ids is None:
        items = document.get("items")
        ids = item_ids(items) if isinstance(items, list) else set()
    deleted = ext.get("deleted", [])
    for n, tomb in enumerate(deleted if isinstance(deleted, list) else []):
        tomb = tomb if isinstance(tomb, dict) else {}
        found += [issue(rule, message, path=f"/_feedwright/deleted/{n}")
                  for rule, message in _tombstone(tomb.get("id"), tomb.get("when"), ids)]
    return found


def item_ids(items: list[Any]) -> set[str]:
    """The ids a tombstone must not name: each item's, as text."""
    return {str(i.get("id")) for i in items if isinstance(i, dict)}


def _marks(archive: bool, complete: bool, rels: Iterable[str | None]) -> Iterator[values.Problem]:
    rels = set(rels)
    if archive and complete:
        yield ("archive-complete", "the document is marked both an archive (fh:archive) and "
                                   "complete (fh:complete); a feed is one or the other")
    if archive and "current" not in rels:
        yield ("archive-current", "an archive document should link to its subscription "
                                  "document (rel=current)")
    if not archive and "next-archive" in rels:
        yield ("archive-next-in-subscription", "a next-archive link in a document not marked "
                                               "fh:archive; only archives have newer archives")


def _tombstone(ref: object, when: object, ids: set[str]) -> Iterator[values.Problem]:
    if not isinstance(ref, str) or not ref.strip():
        yield ("tombstone-ref", "a tombstone has no ref: the id of the entry it deletes")
    elif values.check_id(ref) is not None:
        yield ("tombstone-ref", f"tombstone ref {ref!r} is not an absolute IRI (an entry id)")
    elif ref.strip() in ids:
        yield ("tombstone-live", f"the document both carries entry {ref!r} and announces it "
                                 "deleted")
    if not isinstance(when, str) or not when.strip():
        yield ("tombstone-when", "a tombstone has no when: the time the entry was deleted")
    elif dates.check_rfc3339(when) is not None:
        yield ("tombstone-when", f"tombstone when {when!r} is not RFC 3339 with a zone")
