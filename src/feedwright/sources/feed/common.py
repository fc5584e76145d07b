"""What the RSS/Atom and JSON Feed readers share: the feed an entry came through, dates, bodies,
media merging, and our own attribution record read back over the native elements."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import tzinfo
from urllib.parse import urlsplit

from feedwright.attribution import Record
from feedwright.model import (
    ENTRY_TARGET,
    Agent,
    AgentKind,
    Block,
    BlockKind,
    Credit,
    Entry,
    Media,
    MediaKind,
    Rights,
    Role,
    Timestamp,
)
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.dates import parse_timestamp
from feedwright.normalise.text import clean_line
from feedwright.sources import READER_REVISIONS
from feedwright.sources._common import Parts, assemble, provenance, text_blocks
from feedwright.sources.base import ReaderOptions, Retrieved
from feedwright.sources.htmlbody import parse_fragment, read_fragment

EXTRACTOR = f"feedwright.feed/{READER_REVISIONS['feed']}"


@dataclass
class FeedInfo:
    """The feed the entries came through, and what its entries inherit from it."""

    title: str | None  # None: a lone entry document, which came through no feed
    url: str | None
    authors: list[Agent] = field(default_factory=list)
    rights: Rights | None = None
    language: str | None = None

    def source_credit(self) -> Credit | None:
        if self.title is None:
            return None
        return Credit(
            Agent(self.title, AgentKind.ORGANIZATION, self.url), Role.SOURCE, raw=self.title
        )


class Counter:
    """Media ids in reading order: m1, m2, ..."""

    def __init__(self, prefix: str = "m") -> None:
        self.count = 0
        self.prefix = prefix

    def __call__(self) -> str:
        self.count += 1
        return f"{self.prefix}{self.count}"


class FeedReader:
    """One document's reading context: options, time zone, credit patterns, base url."""

    def __init__(self, retrieved: Retrieved, options: ReaderOptions, default_zone: tzinfo) -> None:
        self.retrieved = retrieved
        self.options = options
        self.default_zone = default_zone
        self.patterns = options.all_credit_patterns
        self.base_url = retrieved.base_url or options.base_url
        self.prov = provenance(retrieved, "feed", EXTRACTOR)

    def date(self, text: str | None, source: str) -> Timestamp | None:
        if not text or not text.strip():
            return None
        return parse_timestamp(text, self.default_zone, source)

    def body(
        self, html: str | None, text: str | None, base_url: str | None, counter: Counter
    ) -> tuple[list[Block], list[Media]]:
        if html:
            # every figure keeps its place, the ones we cannot read too: our record, if the
            # item has one, says what each shows (finish drops the places nothing claims)
            return read_fragment(html, base_url, self.patterns, counter, empty_figures=True)
        return text_blocks(text or ""), []

    def finish(
        self, parts: Parts, info: FeedInfo, record: Record | None, base_url: str | None
    ) -> Entry:
        """The entry: our own record (when there is one) over the native parts, then the credit
        to the feed it came through (if any)."""
        if record is not None:
            parts = apply_record(parts, record)
        read = {m.id for m in parts.media}
        parts.media = _absolute_media(parts.media, parts.warnings)
        dropped = read - {m.id for m in parts.media}
        parts.blocks = [
            b
            for b in parts.blocks
            if b.kind is not BlockKind.FIGURE or (b.media_id and b.media_id not in dropped)
        ]
        source = info.source_credit()
        if source is not None and source not in parts.credits:
            parts.credits.append(source)
        return assemble(parts, self.prov, base_url, self.options, recorded=record is not None)


def apply_record(parts: Parts, record: Record) -> Parts:
    """Our own record wins over what the format's native elements could carry: it is complete
    (credits with raw text and targets, media with or without urls, rights, dateline, language,
    dates with where they came from), so each of its fields replaces the native one. The body's
    figures, read from the content html, take the ids of the record's media they show."""
    media = record.media_with_credits()
    if record.without_summary:
        parts.summary = None
    if record.without_body:
        if parts.summary is None and not record.without_summary:
            # RSS without content:encoded: the description, read as the body, is the summary
            parts.summary = " ".join(b.text for b in parts.blocks if b.text) or None
        parts.blocks = []
    else:
        parts.blocks = _figures_as(parts.blocks, record.figures, parts.media, media)
    parts.media = list(media)
    parts.credits = [c for c in record.credits if c.target == ENTRY_TARGET]
    parts.rights = record.rights
    parts.dateline = record.dateline
    parts.language = record.language
    parts.published = record.published
    parts.updated = record.updated
    parts.warnings.extend(record.warnings)
    return parts


def _figures_as(
    blocks: list[Block], figures: tuple[str, ...], read: list[Media], recorded: tuple[Media, ...]
) -> list[Block]:
    """The body's figures, read from its html, in reading order, show the record's `figures`
    in the same order: each takes its media's id (and caption as its text). A record written
    before it listed figures is matched by url instead."""
    by_id = {m.id: m for m in recorded}
    if not figures:
        read_urls = {m.id: m.url or "" for m in read}
        by_url = {m.url: m.id for m in reversed(recorded) if m.url}
        figures = tuple(
            by_url.get(read_urls.get(b.media_id or "", ""), "")
            for b in blocks
            if b.kind is BlockKind.FIGURE
        )
    shown = iter(figures)
    out: list[Block] = []
    for block in blocks:
        if block.kind is not BlockKind.FIGURE:
            out.append(block)
            continue
        media = by_id.get(next(shown, ""))
        if media is not None:
            out.append(replace(block, text=media.caption or "", media_id=media.id))
    return out


def _absolute_media(media: list[Media], warnings: list[str]) -> list[Media]:
    """A media url still relative after every base the feed states (no xml:base, no document
    url, no item link to resolve it against) points nowhere a reader can fetch: dropped with a
    warning, as the html reader does, the caption and credits kept; media with nothing else to
    show or credit go too."""
    checked = []
    for item in media:
        if item.url is None or urlsplit(item.url).scheme:
            checked.append(item)
            continue
        problem = f"media {item.id}: url {item.url!r} is relative and the feed states no base"
        if not item.caption and not item.credits:
            warnings.append(f"{problem}; dropped it (nothing else to show)")
            continue
        warnings.append(f"{problem}; dropped the url")
        checked.append(replace(item, url=None))
    return checked


def add_media(media: list[Media], found: Media | None) -> list[Media]:
    """Add media unless the same url is already there (media:content and enclosure often are);
    then fill what the first sighting lacked: kind, type, size, caption, credits of other roles."""
    if found is None:
        return media
    for index, existing in enumerate(media):
        if not existing.url or existing.url != found.url:
            continue
        roles = {e.role for e in existing.credits}
        media[index] = replace(
            existing,
            kind=found.kind if existing.kind is MediaKind.UNKNOWN else existing.kind,
            mime_type=existing.mime_type or found.mime_type,
            size=existing.size or found.size,
            caption=existing.caption or found.caption,
            credits=existing.credits
            + tuple(
                Credit(c.agent, c.role, existing.id, c.raw, c.on_behalf_of)
                for c in found.credits
                if c.role not in roles
            ),
        )
        return media
    return [*media, found]


def rights_from_notice(text: str | None) -> Rights | None:
    if not text:
        return None
    parsed = credit_rules.parse_copyright(text)
    return Rights(notice=text, holder=parsed[1] if parsed else None)


def strip_tags(html: str) -> str:
    return clean_line(" ".join(parse_fragment(html).text_content().split()))


def first_words(text: str, limit: int = 80) -> str:
    """A title for an item that has none: the start of its text."""
    text = clean_line(text)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
