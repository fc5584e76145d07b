"""Full history in every format: RFC 5005 archive links and marker, RFC 6721 tombstones.

Written into the document (or object) the format's emitter makes, where each format puts them:

- older / newer archive, the subscription document: Atom `link rel=prev-archive`,
  `next-archive`, `current`; RSS the same as `atom:link`; JSON Feed `next_url` (to the older
  archive) and `prev_archive`, `next_archive`, `current` in `_feedwright`.
- an archive document: `fh:archive` in Atom and RSS; `_feedwright.archive: true`.
- a deleted entry: Atom `at:deleted-entry ref= when=`; RSS `fw:deleted-entry ref= when=`;
  JSON Feed `_feedwright.deleted: [{id, when}]`.

JSON Feed pages one way only (`next_url`, "the next n items"): from the subscription document to
the newest archive, then each archive to the one before it, newest to oldest.
"""

from __future__ import annotations

from feedwright.emit.xmlwriter import XmlWriter
from feedwright.formats import MEDIA_TYPES, NS_HISTORY, NS_TOMBSTONES, rfc3339
from feedwright.model import Feed, Paging


def paging_links(paging: Paging) -> list[tuple[str, str]]:
    """(rel, href) of the archive links a document carries, in a fixed order."""
    return [(rel, href) for rel, href in (("current", paging.current),
                                          ("prev-archive", paging.prev_archive),
                                          ("next-archive", paging.next_archive)) if href]


def archive_parts(writer: XmlWriter, feed: Feed, fmt: str) -> list[str]:
    """The archive links (Atom `link`, RSS `atom:link`) and the fh:archive mark, each as the
    text of one element at the writer's depth, in document order. Nothing for a feed that is
    not archived."""
    if feed.paging is None:
        return []
    link = "link" if fmt == "atom" else "atom:link"
    parts = []
    for rel, href in paging_links(feed.paging):
        part = writer.fragment()
        part.leaf(link, None, (("rel", rel), ("type", MEDIA_TYPES[fmt]), ("href", href)))
        parts.append(part.text())
    if feed.paging.archive:
        part = writer.fragment()
        part.leaf("fh:archive", None, (("xmlns:fh", NS_HISTORY),))  # declared on itself
        parts.append(part.text())
    return parts


def write_tombstones(writer: XmlWriter, feed: Feed, fmt: str) -> None:
    """After the entries: Atom `at:deleted-entry` (RFC 6721, its prefix declared on each), RSS
    `fw:deleted-entry` (our namespace: RFC 6721 is for Atom)."""
    for tomb in feed.deleted:
        attrs = (("ref", tomb.ref), ("when", rfc3339(tomb.when)))
        if fmt == "atom":
            writer.leaf("at:deleted-entry", None, (("xmlns:at", NS_TOMBSTONES), *attrs))
        else:
            writer.leaf("fw:deleted-entry", None, attrs)


def extend_json(document: dict[str, object], extension: dict[str, object], feed: Feed) -> None:
    """next_url to the older archive; the links, the archive mark and tombstones in
    `_feedwright` (extension)."""
    if feed.paging is not None:
        if feed.paging.prev_archive:
            document["next_url"] = feed.paging.prev_archive
        if feed.paging.archive:
            extension["archive"] = True
        for rel, href in paging_links(feed.paging):
            extension[rel.replace("-", "_")] = href
    if feed.deleted:
        extension["deleted"] = [{"id": t.ref, "when": rfc3339(t.when)} for t in feed.deleted]
