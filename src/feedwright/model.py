"""The entry model: what every source produces and every emitter consumes.

Plain frozen dataclasses that import nothing of the project. Nothing here is ever invented by a
reader: a field the source does not state stays ``None`` or empty, and later stages (the ledger,
the feed-level author) fill gaps explicitly and record that they did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class AgentKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    UNKNOWN = "unknown"


class Role(StrEnum):
    """What an agent did for an entry or a piece of media."""

    AUTHOR = "author"
    REPORTER = "reporter"
    EDITOR = "editor"
    CONTRIBUTOR = "contributor"
    PHOTOGRAPHER = "photographer"
    VIDEOGRAPHER = "videographer"
    ILLUSTRATOR = "illustrator"
    SOURCE = "source"  # originating outlet, programme or wire
    PROVIDER = "provider"  # "Supplied"
    DISTRIBUTOR = "distributor"  # picture agency
    COPYRIGHT_HOLDER = "copyright_holder"
    PUBLISHER = "publisher"


#: Roles that make an agent an author of the entry (shown as the entry's author in readers).
AUTHOR_ROLES = frozenset({Role.AUTHOR, Role.REPORTER})

#: The target of a credit that applies to the whole entry rather than to one piece of media.
ENTRY_TARGET = "entry"


@dataclass(frozen=True)
class Agent:
    name: str
    kind: AgentKind = AgentKind.UNKNOWN
    url: str | None = None
    email: str | None = None  # only ever what the source states


@dataclass(frozen=True)
class Credit:
    agent: Agent
    role: Role
    target: str = ENTRY_TARGET  # ENTRY_TARGET or a Media.id
    raw: str = ""  # the verbatim text the credit came from, e.g. "(Source: 1News)"
    on_behalf_of: Agent | None = None  # "Tom Ellery/Getty Images": Getty Images


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Media:
    id: str
    kind: MediaKind = MediaKind.UNKNOWN
    url: str | None = None  # text dumps have none
    mime_type: str | None = None
    size: int | None = None
    caption: str | None = None  # with the credit stripped off
    alt: str | None = None
    credits: tuple[Credit, ...] = ()


class BlockKind(StrEnum):
    STANDFIRST = "standfirst"
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUOTE = "quote"
    LIST = "list"
    PREFORMATTED = "preformatted"  # code, a listing: text whose line breaks and spaces count
    FIGURE = "figure"


@dataclass(frozen=True)
class Block:
    """One piece of the body, in reading order.

    ``text`` is plain text (a PREFORMATTED block's keeps its line breaks and spaces). ``html``
    optionally carries the same text with inline markup (links, emphasis; a preformatted block's
    ``<code>``) from rich sources; it is sanitised before it reaches an emitter.
    """

    kind: BlockKind
    text: str = ""
    html: str | None = None
    items: tuple[str, ...] = ()  # LIST only
    level: int = 0  # HEADING only: 2..6
    media_id: str | None = None  # FIGURE only


@dataclass(frozen=True)
class Timestamp:
    """A point in time and where it came from, so nobody mistakes a guess for a fact."""

    value: datetime  # always timezone-aware
    source: str  # e.g. "text:dateline", "json-ld:datePublished", "ledger:first-seen"
    day_only: bool = False  # the source gave a day but no time of day


@dataclass(frozen=True)
class Rights:
    notice: str | None = None  # "© 2025 Example News Ltd"
    holder: Agent | None = None
    license_url: str | None = None


@dataclass(frozen=True)
class Provenance:
    kind: str  # input kind: text, html, markdown, json, feed
    location: str  # path or url
    content_hash: str  # sha256 of the bytes read
    extractor: str  # e.g. "feedwright.text/1"
    retrieved_at: datetime | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    title: str
    id: str | None = None  # minted by normalise.ids / the ledger; None straight from a reader
    summary: str | None = None
    blocks: tuple[Block, ...] = ()
    content_html: str | None = None  # rendered from blocks, sanitised
    url: str | None = None
    published: Timestamp | None = None
    updated: Timestamp | None = None
    authors: tuple[Agent, ...] = ()
    credits: tuple[Credit, ...] = ()  # all of them, including media credits and authors' bylines
    media: tuple[Media, ...] = ()
    categories: tuple[str, ...] = ()
    rights: Rights | None = None
    language: str | None = None
    dateline: str | None = None  # "WELLINGTON"
    provenance: tuple[Provenance, ...] = ()

    def media_by_id(self, media_id: str) -> Media | None:
        return next((m for m in self.media if m.id == media_id), None)

    def lead_text(self) -> str | None:
        """The summary, else the first standfirst or paragraph: what a short view shows."""
        return self.summary or next(
            (b.text for b in self.blocks
             if b.kind in (BlockKind.STANDFIRST, BlockKind.PARAGRAPH) and b.text), None)


@dataclass(frozen=True)
class Tombstone:
    """An entry the feed no longer carries (RFC 6721 at:deleted-entry): its id and when it left."""

    ref: str
    when: datetime
    url: str | None = None


@dataclass(frozen=True)
class Paging:
    """Where one document sits in an archived feed (RFC 5005 section 4). The subscription
    document has `archive` false and links to the newest archive; archive documents link to
    their neighbours and to the subscription document (`current`)."""

    archive: bool = False
    current: str | None = None
    prev_archive: str | None = None  # older
    next_archive: str | None = None  # newer


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    link: str
    description: str | None = None
    language: str | None = None
    authors: tuple[Agent, ...] = ()
    rights: Rights | None = None
    self_url: str | None = None  # where this document will be published, per format
    icon: str | None = None
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    paging: Paging | None = None  # None: not an archived feed
    deleted: tuple[Tombstone, ...] = ()  # entries announced as removed
    last_deletion: datetime | None = None  # dates a feed left with no entry and no tombstone
    hubs: tuple[str, ...] = ()  # WebSub hubs that readers may subscribe through
    stylesheet: str | None = None  # href of an XSL stylesheet for browsers (RSS and Atom only)

    @property
    def updated(self) -> Timestamp | None:
        """The newest entry's update time (or tombstone's, or else the last deletion's): never
        the build time, so an unchanged feed is stable."""
        stamps = [s for e in self.entries if (s := e.updated or e.published) is not None]
        stamps += [Timestamp(t.when, DELETED) for t in self.deleted]
        if not stamps and self.last_deletion is not None:
            stamps.append(Timestamp(self.last_deletion, DELETED))
        return max(stamps, key=lambda s: s.value, default=None)


#: Where a feed's date came from when it is that of a deletion the ledger recorded.
DELETED = "ledger:deleted"


#: A progress callback, called as (label, done, total): the build's gather stage (sources), an
#: export (sources) and the validator (entries of one document) all report through it, so the
#: command line's one bar draws all three.
Progress = Callable[[str, int, int], None]
