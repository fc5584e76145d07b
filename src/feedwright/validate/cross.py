"""cross_check: the RSS, Atom and JSON Feed written from one model must say the same things.

Each document is reduced to the fields all three formats carry (id, title, link, published,
updated, authors) and the reductions are compared entry by entry. A document that cannot be
read is skipped here; validate_document reports why.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from lxml import etree

from feedwright.validate import dates
from feedwright.validate.report import Issue
from feedwright.validate.rules import issue
from feedwright.validate.xmlcommon import NS_ATOM, NS_DC, parser

_A = f"{{{NS_ATOM}}}"
_DC_CREATOR = f"{{{NS_DC}}}creator"


@dataclass(frozen=True)
class _Entry:
    title: str | None
    link: str | None
    published: datetime | None
    updated: datetime | None
    authors: tuple[str, ...]
    enclosures: frozenset[str] = frozenset()  # urls, as IRIs


def cross_check(documents: Mapping[str, bytes]) -> tuple[Issue, ...]:
    """Compare the entries of {"rss": ..., "atom": ..., "json": ...} (any two or more)."""
    readers = {"rss": _read_rss, "atom": _read_atom, "json": _read_json}
    entries: dict[str, dict[str, _Entry]] = {}
    for fmt, data in documents.items():
        reader = readers.get(fmt)
        if reader is None:
            continue
        try:
            entries[fmt] = reader(data)
        except (etree.XMLSyntaxError, ValueError, RecursionError, AttributeError, TypeError):
            continue
    found: list[Issue] = []
    formats = list(entries)
    for other in formats[1:]:
        found.extend(_compare(formats[0], entries[formats[0]], other, entries[other]))
    return tuple(found)


def _compare(name_a: str, a: dict[str, _Entry], name_b: str,
             b: dict[str, _Entry]) -> list[Issue]:
    found: list[Issue] = []
    pair = f"{name_a}/{name_b}"
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    if only_a or only_b:
        found.append(issue("cross-entries",
                           f"{name_a} and {name_b} hold different entries: only in {name_a}: "
                           f"{only_a[:5]}, only in {name_b}: {only_b[:5]}", path=pair))
    for entry_id in (key for key in a if key in b):
        x, y = a[entry_id], b[entry_id]
        label = f"entry {entry_id!r}"
        for rule, field in (("cross-title", "title"), ("cross-link", "link")):
            if _comparable(getattr(x, field)) != _comparable(getattr(y, field)):
                found.append(issue(rule, f"{label}: {field} is {getattr(x, field)!r} in {name_a} "
                                         f"but {getattr(y, field)!r} in {name_b}", path=pair))
        # RSS and JSON Feed show the updated date where nothing says when an item was
        # published (Atom then has no <published>), so the date each shows is compared.
        shown_a, shown_b = x.published or x.updated, y.published or y.updated
        if shown_a != shown_b:
            found.append(issue("cross-date", f"{label}: published is {_iso(shown_a)} in "
                               f"{name_a} but {_iso(shown_b)} in {name_b}", path=pair))
        if x.updated is not None and y.updated is not None and x.updated != y.updated:
            found.append(issue("cross-date", f"{label}: updated is {_iso(x.updated)} in "
                               f"{name_a} but {_iso(y.updated)} in {name_b}", path=pair))
        # One author element may name several people ("A, B": what most clients show right),
        # where JSON Feed lists them: the names are compared in the order given.
        if x.authors and y.authors and ", ".join(x.authors) != ", ".join(y.authors):
            found.append(issue("cross-author", f"{label}: authors are {list(x.authors)} in "
                               f"{name_a} but {list(y.authors)} in {name_b}", path=pair))
        if not _same_enclosures(name_a, x.enclosures, name_b, y.enclosures):
            found.append(issue("cross-enclosure", f"{label}: enclosures are "
                               f"{sorted(x.enclosures)} in {name_a} but {sorted(y.enclosures)} "
                               f"in {name_b}", path=pair))
    return found


def _same_enclosures(name_a: str, a: frozenset[str], name_b: str, b: frozenset[str]) -> bool:
    """Atom and JSON Feed list every media file; an RSS item carries one of them (readers take
    only the first), but carries one whenever the others list any."""
    if name_a == "rss" or name_b == "rss":
        rss, other = (a, b) if name_a == "rss" else (b, a)
        return rss <= other and (bool(rss) or not other)
    return a == b


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "missing"


def _text(value: str | None) -> str | None:
    """Whitespace-normalised text; empty is the same as absent."""
    if value is None:
        return None
    collapsed = " ".join(value.split())
    return collapsed or None


def _read_rss(data: bytes) -> dict[str, _Entry]:
    channel = etree.fromstring(data, parser()).find("channel")
    if channel is None:
        return {}
    feed_authors = tuple(a for a in (_text(el.text) for el in channel.iterchildren(_DC_CREATOR))
                         if a)
    entries: dict[str, _Entry] = {}
    for item in channel.iterchildren("item"):
        guid = _text(item.findtext("guid"))
        if guid is None:
            continue
        pub, upd = item.findtext("pubDate"), item.findtext(f"{_A}updated")
        authors = tuple(a for a in (_text(el.text) for el in item.iterchildren(_DC_CREATOR)) if a)
        entries[guid] = _Entry(
            title=_text(item.findtext("title")),
            link=_text(item.findtext("link")),
            published=dates.parse_rfc822(pub) if pub else None,
            updated=dates.parse_rfc3339(upd) if upd else None,
            authors=authors or feed_authors,
            enclosures=_urls(el.get("url") for el in item.iterchildren("enclosure")),
        )
    return entries


def _urls(values: Iterable[str | None]) -> frozenset[str]:
    return frozenset(unquote(v.strip()) for v in values if v and v.strip())


def _read_atom(data: bytes) -> dict[str, _Entry]:
    feed = etree.fromstring(data, parser())
    feed_authors = _atom_authors(feed)
    entries: dict[str, _Entry] = {}
    for entry in feed.iterchildren(f"{_A}entry"):
        entry_id = _text(entry.findtext(f"{_A}id"))
        if entry_id is None:
            continue
        pub, upd = entry.findtext(f"{_A}published"), entry.findtext(f"{_A}updated")
        entries[entry_id] = _Entry(
            title=_text(entry.findtext(f"{_A}title")),
            link=_atom_alternate(entry),
            published=dates.parse_rfc3339(pub) if pub else None,
            updated=dates.parse_rfc3339(upd) if upd else None,
            authors=_atom_authors(entry) or feed_authors,
            enclosures=_urls(link.get("href") for link in entry.iterchildren(f"{_A}link")
                             if link.get("rel") == "enclosure"),
        )
    return entries


def _atom_authors(element: etree._Element) -> tuple[str, ...]:
    names = (_text(author.findtext(f"{_A}name")) for author in element.iterchildren(f"{_A}author"))
    return tuple(name for name in names if name)


def _atom_alternate(entry: etree._Element) -> str | None:
    for link in entry.iterchildren(f"{_A}link"):
        if link.get("rel", "alternate") == "alternate":
            return _text(link.get("href"))
    return None


def _read_json(data: bytes) -> dict[str, _Entry]:
    document = json.loads(data)
    feed_authors = _json_authors(document)
    entries: dict[str, _Entry] = {}
    for item in document.get("items", []):
        if not isinstance(item, dict) or item.get("id") is None:
            continue
        pub, upd = item.get("date_published"), item.get("date_modified")
        entries[str(item["id"])] = _Entry(
            title=_text(item.get("title")),
            link=_text(item.get("url")),
            published=dates.parse_rfc3339(pub) if isinstance(pub, str) else None,
            updated=dates.parse_rfc3339(upd) if isinstance(upd, str) else None,
            authors=_json_authors(item) or feed_authors,
            enclosures=_urls(a.get("url") for a in item.get("attachments") or []
                             if isinstance(a, dict) and isinstance(a.get("url"), str)),
        )
    return entries


def _json_authors(holder: dict[str, Any]) -> tuple[str, ...]:
    people = holder.get("authors")
    if not isinstance(people, list):
        people = [holder["author"]] if isinstance(holder.get("author"), dict) else []
    names = (_text(p.get("name")) for p in people if isinstance(p, dict))
    return tuple(name for name in names if name)


def _comparable(value: str | None) -> str | None:
    """A link as an IRI: RSS must write a URI (percent-encoded) where Atom and JSON Feed keep
    the IRI, and both name the same page."""
    return unquote(value) if value is not None else None
