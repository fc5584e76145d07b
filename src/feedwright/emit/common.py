"""What the three emitters share: who counts as author, which media and credits go where, and
how roles and dates are written. The attribution record itself is feedwright.attribution's."""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from feedwright import __version__, attribution
from feedwright.errors import FeedwrightError
from feedwright.formats import EBU_ROLES, EBU_SCHEME, NS_FW
from feedwright.model import (
    AUTHOR_ROLES,
    DELETED,
    ENTRY_TARGET,
    Agent,
    AgentKind,
    Credit,
    Entry,
    Feed,
    Media,
    MediaKind,
    Role,
    Timestamp,
)

GENERATOR = "feedwright"
GENERATOR_URI = "https://feedwright.dev/"
GENERATOR_VERSION = __version__



class Shared:
    """What the documents of one feed have in common, made for the first that needs it and
    reused by the others (pipeline.render hands one to every format of a feed, as it hands
    validation one ContentChecks): each entry's attribution record as XML text, which RSS (an
    item's child, depth 3) and Atom (depth 2) write alike but for the indentation.

    Kept by the entry object's id; the entries are kept too, so no id is reused while this
    lives (made once per render, it is dropped with it). Only strings are kept per entry: a
    container per entry that survives (a tuple, a Record) made the garbage collector walk the
    whole feed again and again, which cost more than the record saved."""

    def __init__(self) -> None:
        # the XML text at depth 0, or "" when a value holds a line break (re-indenting would
        # then change the value)
        self._xml: dict[int, str] = {}
        self._entries: list[Entry] = []

    def record_xml(self, entry: Entry, depth: int, text_of: Callable[[str], str],
                   attribute_of: Callable[[str], str]) -> str:
        """attribution.write_xml's text for the entry at `depth`."""
        flat = self._xml.get(id(entry))
        if flat is None:
            lines = attribution.xml_lines(attribution.Record.of(entry), 0, text_of,
                                          attribute_of)
            flat = "".join(lines)
            if flat.count("\n") != len(lines):
                flat = ""
            self._xml[id(entry)] = flat
            self._entries.append(entry)
        if not flat:
            return "".join(attribution.xml_lines(attribution.Record.of(entry), depth, text_of,
                                                 attribute_of))
        if depth == 0:
            return flat
        # every line break ends a line (counted above): each line gets the depth's indent
        indent = "  " * depth
        return indent + flat[:-1].replace("\n", "\n" + indent) + "\n"


class EmitError(FeedwrightError, ValueError):
    """The model cannot be written in this format (names the entry and what is missing)."""


@dataclass(frozen=True)
class Written:
    """A feed's entries written already, each as `emit.entry_bytes` gave it, in the feed's
    order, and the newest of their dates (updated, else published): emitting a feed without
    entries around them gives the bytes emitting the feed with those entries gives. The build
    writes entries in its reading workers (issue 12). `entries` may read each as it is asked
    for (the build's from its spool): the emitters go over them once, in order."""

    entries: Sequence[bytes]
    updated: Timestamp | None


def joined(start: bytes, parts: Iterable[bytes], end: bytes) -> bytes:
    """start, the parts and end as one bytes, the parts taken one at a time: a BytesIO gives its
    buffer as the bytes without a copy, so the ~90 MB of a big document are in memory once,
    where `b"".join` first holds every part, then the document beside them."""
    out = io.BytesIO()
    out.write(start)
    for part in parts:
        out.write(part)
    out.write(end)
    return out.getvalue()


def updated_of(feed: Feed, written: Written | None) -> Timestamp | None:
    """Feed.updated of the feed with the written entries in it (model.Feed.updated)."""
    if written is None:
        return feed.updated
    if written.updated is None:
        return feed.updated  # no entry dated: the tombstones', else the last deletion's
    stamps = [written.updated, *(Timestamp(t.when, DELETED) for t in feed.deleted)]
    return max(stamps, key=lambda s: s.value)


def has_entries(feed: Feed, written: Written | None) -> bool:
    return bool(feed.entries) if written is None else bool(written.entries)


def entry_label(entry: Entry) -> str:
    return f"entry {entry.id or entry.title!r}"


def authors_of(entry: Entry) -> tuple[Agent, ...]:
    """The entry's own authors; the feed-level author covers entries without one."""
    return entry.authors


#: How several authors share one author element: measured (docs/formats.md), repeated
#: dc:creator or atom:author elements lose every name but the first or the last in most clients,
#: while one element with the names joined shows them all everywhere. Each author still has a
#: credit of their own in the attribution record (and JSON Feed's authors list).
AUTHOR_SEPARATOR = ", "


def byline(entry: Entry) -> Agent | None:
    """The entry's authors as the one agent an RSS or Atom author element names."""
    return named_together(authors_of(entry))


def named_together(authors: Sequence[Agent]) -> Agent | None:
    """Authors as the one agent an RSS or Atom author element names: one of them as they are,
    several by their names joined (AUTHOR_SEPARATOR), of their kind if they share one."""
    if not authors:
        return None
    if len(authors) == 1:
        return authors[0]
    kinds = {a.kind for a in authors}
    return Agent(
        AUTHOR_SEPARATOR.join(a.name for a in authors),
        kinds.pop() if len(kinds) == 1 else AgentKind.UNKNOWN,
    )


def contributors_of(entry: Entry) -> tuple[Agent, ...]:
    """Everyone credited on the entry itself who is not an author (editors, wire sources...)."""
    authors = {a.name for a in entry.authors}
    seen: dict[str, Agent] = {}
    for credit in entry.credits:
        if (
            credit.target == ENTRY_TARGET
            and credit.role not in AUTHOR_ROLES
            and credit.role is not Role.SOURCE
            and credit.agent.name not in authors
        ):
            seen.setdefault(credit.agent.name, credit.agent)
    return tuple(seen.values())


def sources_of(entry: Entry) -> tuple[Agent, ...]:
    """Originating outlets and wires credited on the entry (dc:source, Atom source)."""
    seen: dict[str, Agent] = {}
    for credit in entry.credits:
        if credit.target == ENTRY_TARGET and credit.role is Role.SOURCE:
            seen.setdefault(credit.agent.name, credit.agent)
    return tuple(seen.values())


# Characters a URI may hold as they are (RFC 3986 reserved and unreserved, and "%" of escapes
# already made): quoting leaves them, so only what an IRI adds is encoded.
def media_with_url(entry: Entry) -> tuple[Media, ...]:
    return tuple(m for m in entry.media if m.url)


@dataclass(frozen=True)
class Enclosure:
    """One media file as every format lists it: RSS enclosure, Atom rel="enclosure", JSON Feed
    attachment. The same media give the same enclosures in all three formats."""

    url: str
    mime_type: str
    length: int | None  # None: not known (RSS then says 0, as its validators advise)
    media: Media


#: Python's own extension table only: the machine's /etc/mime.types would make the same input
#: give different documents on different machines.
_MIME_TABLE = mimetypes.MimeTypes(filenames=())
#: What a file of unknown type is (RFC 2046 4.5.1); RSS requires a type on every enclosure.
UNKNOWN_MIME = "application/octet-stream"


def enclosure_of(media: Media) -> Enclosure | None:
    """The media file's enclosure: its stated type, else the one its url's extension names."""
    if not media.url:
        return None
    mime = media.mime_type or _MIME_TABLE.guess_type(urlsplit(media.url).path)[0] or UNKNOWN_MIME
    length = media.size if media.size is not None and media.size >= 0 else None
    return Enclosure(media.url, mime, length, media)


def enclosures(entry: Entry) -> tuple[Enclosure, ...]:
    """Every media file with a url: clients that ignore media:content (reader, sfeed,
    rss-parser) see images and video only as enclosures."""
    return tuple(e for m in entry.media if (e := enclosure_of(m)) is not None)


def lead_enclosure(entry: Entry) -> Enclosure | None:
    """The one enclosure an RSS item may carry: the first image, else the first media file."""
    found = enclosures(entry)
    return next((e for e in found if e.media.kind is MediaKind.IMAGE), found[0] if found else None)


def shown_date(entry: Entry) -> Timestamp | None:
    """The date for RSS pubDate and JSON Feed date_published, the one date most clients show:
    published, else updated. An item with only atom:updated or date_modified shows no date in
    most clients (docs/formats.md); the updated date is a real date of the item, never an
    invented one, and the attribution record still says which date it is. With neither, the
    item has no date at all."""
    return entry.published or entry.updated


def entry_date(entry: Entry) -> Timestamp | None:
    """The date a format's single required date should carry: updated, else published."""
    return entry.updated or entry.published


def require_updated(entry: Entry) -> datetime:
    stamp = entry_date(entry)
    if stamp is None:
        raise EmitError(
            f"{entry_label(entry)} has no date; Atom requires one. Build it with a ledger "
            "(feedwright build) so its first-seen time is recorded, or give the source a date line."
        )
    return stamp.value


def feed_updated(feed: Feed, written: Written | None = None) -> datetime:
    stamp = updated_of(feed, written)
    if stamp is None:
        raise EmitError(f"feed {feed.id!r} has no dated entries, so it has no updated time")
    return stamp.value


def whole_seconds(value: datetime) -> datetime:
    """Feed dates carry seconds; finer parts only make equal dates print differently."""
    return value.replace(microsecond=0)


def media_credit_roles(credit: Credit) -> Iterator[tuple[str, str, str]]:
    """(role, scheme, name) rows for media:credit: the credit, then whom it was on behalf of."""
    yield (*_role_and_scheme(credit.role), credit.agent.name)
    if credit.on_behalf_of is not None:
        yield (*_role_and_scheme(Role.DISTRIBUTOR), credit.on_behalf_of.name)


def _role_and_scheme(role: Role) -> tuple[str, str]:
    if role in EBU_ROLES:
        return EBU_ROLES[role], EBU_SCHEME
    return role.value, NS_FW
