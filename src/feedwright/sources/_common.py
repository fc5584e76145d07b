"""What every reader does the same way: decoding, provenance, credits found in body paragraphs,
and putting an entry together so authors, credits and content html agree."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from html import escape
from urllib.parse import urlsplit

from feedwright.model import (
    AUTHOR_ROLES,
    Agent,
    Block,
    BlockKind,
    Credit,
    Entry,
    Media,
    MediaKind,
    Provenance,
    Rights,
    Timestamp,
)
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.chrome import chrome_key, is_chrome
from feedwright.normalise.dates import zone
from feedwright.normalise.html import render_content
from feedwright.normalise.text import Decoded, DecodeError, clean_line, decode_text
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError


def decode_or_fail(retrieved: Retrieved, declared: str | None = None) -> Decoded:
    """The source's text, and how its encoding was chosen (for noted); SourceError if binary."""
    try:
        return decode_text(retrieved.data, declared or retrieved.charset)
    except DecodeError as exc:
        raise SourceError(retrieved.location, str(exc)) from None


def noted(entries: tuple[Entry, ...], decoded: Decoded) -> tuple[Entry, ...]:
    """Entries whose provenance warns how their source was decoded, when it was not UTF-8 or
    its declared charset: a guessed encoding is worth a look."""
    if decoded.note is None:
        return entries
    return tuple(
        replace(e, provenance=(
            replace(e.provenance[0], warnings=(*e.provenance[0].warnings, decoded.note)),
            *e.provenance[1:]))
        if e.provenance else e
        for e in entries
    )


def zone_or_fail(retrieved: Retrieved, options: ReaderOptions) -> tzinfo:
    try:
        return zone(options.timezone)
    except ValueError as exc:
        raise SourceError(retrieved.location, str(exc)) from None


def check_size(retrieved: Retrieved, limit: int, what: str) -> None:
    """Refuse inputs far larger than any real one before parsing them costs seconds and memory."""
    if len(retrieved.data) > limit:
        raise SourceError(
            retrieved.location,
            f"is {len(retrieved.data)} bytes, over the {limit} byte limit for {what}",
        )


#: A size a source states that is no byte count (negative, or not a number): kept as this until
#: `assemble`, the one place media enter an entry, drops it with a warning, so every reader and
#: every format agree that the size is unknown.
NOT_A_SIZE = -1


def stated_size(raw: object) -> int | None:
    """A media size as a source states it: None when it states none, NOT_A_SIZE (or the
    negative number itself) when what it states is no byte count."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d+\s*", raw):
        return int(raw)
    return NOT_A_SIZE


def _known_sizes(media: Iterable[Media], warnings: list[str]) -> tuple[Media, ...]:
    """The media with every negative size dropped, each drop warned of: a file of -1 bytes is
    one whose size is not known, and RSS, Atom and Media RSS all forbid writing it."""
    kept = []
    for m in media:
        if m.size is not None and m.size < 0:
            warnings.append(f"media {m.url or m.id!r}: its size is not a byte count (negative or "
                            "not a number); taken as unknown")
            m = replace(m, size=None)
        kept.append(m)
    return tuple(kept)


def provenance(
    retrieved: Retrieved, kind: str, extractor: str, warnings: Iterable[str] = ()
) -> Provenance:
    return Provenance(
        kind=kind,
        location=retrieved.location,
        content_hash=hashlib.sha256(retrieved.data).hexdigest(),
        extractor=extractor,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def dedupe_agents(agents: Iterable[Agent]) -> tuple[Agent, ...]:
    seen: dict[str, Agent] = {}
    for agent in agents:
        seen.setdefault(agent.name.casefold(), agent)
    return tuple(seen.values())


def dedupe_credits(credits: Iterable[Credit]) -> tuple[Credit, ...]:
    return tuple(dict.fromkeys(credits))


def text_blocks(text: str) -> list[Block]:
    """Plain text (a JSON `articleBody`, a feed's text content): one paragraph per blank-line
    separated group, hard wraps joined."""
    blocks: list[Block] = []
    for group in text.replace("\r\n", "\n").split("\n\n"):
        joined = " ".join(clean_line(line) for line in group.split("\n") if clean_line(line))
        if joined:
            blocks.append(Block(BlockKind.PARAGRAPH, joined))
    return blocks


@dataclass
class BodyFacts:
    """Attribution that newsrooms print inside the body and that we take out of it."""

    credits: list[Credit] = field(default_factory=list)
    rights: Rights | None = None
    dateline: str | None = None


def take_body_credits(
    blocks: list[Block], chrome: frozenset[str] = frozenset()
) -> tuple[list[Block], BodyFacts]:
    """Find the credits the text reader finds, in structured bodies too: an agency dateline on
    the first paragraph, wire credits, sign-offs and copyright lines standing as their own short
    paragraphs, and a wire signing off the last paragraph. They leave the body and become credits
    and rights, with their raw text."""
    facts = BodyFacts()
    kept: list[Block] = []
    paragraphs = [i for i, b in enumerate(blocks) if b.kind is BlockKind.PARAGRAPH]
    first = paragraphs[0] if paragraphs else -1
    last = paragraphs[-1] if paragraphs else -1
    for index, block in enumerate(blocks):
        if block.kind is not BlockKind.PARAGRAPH:
            kept.append(block)
            continue
        text = block.text
        if len(text) <= 200 and is_chrome(text, chrome):
            continue
        if len(text) <= 200 and _take_short_credit(text, facts, is_first=index == first):
            continue
        if index == first:
            dateline = credit_rules.parse_agency_dateline(text)
            if dateline is not None:
                facts.dateline = dateline.place
                facts.credits.append(dateline.credit)
                block = _cut(block, dateline.rest, prefix=True)
        if index == last:
            tail = credit_rules.split_sign_off_tail(block.text)
            if tail is not None:
                facts.credits.append(tail[1])
                block = _cut(block, tail[0], prefix=False)
        kept.append(block)
    return kept, facts


def _first_text(summary: str | None, blocks: list[Block]) -> str | None:
    """The stated summary, else the first standfirst or paragraph: what a reader shows first."""
    return summary or next(
        (b.text for b in blocks if b.kind in (BlockKind.STANDFIRST, BlockKind.PARAGRAPH)), None
    )


def _take_short_credit(text: str, facts: BodyFacts, is_first: bool) -> bool:
    credit_line = credit_rules.parse_credit_line(text, allow_sign_off=not is_first)
    if credit_line is None:
        return False
    facts.credits.extend(credit_line.credits)
    facts.rights = credit_line.rights or facts.rights
    return True


def _cut(block: Block, rest: str, prefix: bool) -> Block:
    """The block with a credit cut off its text; its html keeps links when the cut is clean."""
    html = block.html
    if html is not None:
        escaped = escape(rest, quote=False)
        if prefix and html.endswith(escaped):
            html = escaped if html == escaped else html[len(html) - len(escaped) :]
        elif not prefix and html.startswith(escaped):
            html = html[: len(escaped)]
        else:
            html = None
    return replace(block, text=rest, html=html)


@dataclass
class Parts:
    """An entry's pieces as a reader gathers them, before they are put together."""

    title: str
    id: str | None = None
    url: str | None = None
    summary: str | None = None
    blocks: list[Block] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)  # entry-level; media keep their own
    published: Timestamp | None = None
    updated: Timestamp | None = None
    categories: list[str] = field(default_factory=list)
    rights: Rights | None = None
    language: str | None = None
    dateline: str | None = None
    warnings: list[str] = field(default_factory=list)


#: A resized copy's size before the file's extension, as WordPress and most CMSs name them:
#: starship-moon-879x485.jpg is starship-moon.jpg.
_SIZE_SUFFIX = re.compile(r"-\d{2,5}x\d{2,5}(?=\.[A-Za-z0-9]{2,5}$)")


def picture_key(url: str) -> str:
    """What tells one picture from another across its copies: its url without the query (a
    resizer's quality and crop) and without a resized copy's size suffix."""
    split = urlsplit(url)
    return f"{split.netloc.lower()}{_SIZE_SUFFIX.sub('', split.path)}"


def unshown_figures(blocks: Sequence[Block], media: Sequence[Media]) -> list[Block]:
    """A figure for each picture with a caption or a credit that no block of the body shows,
    itself or in a copy of another size (picture_key): a page's lead image stated only in its
    JSON-LD or meta, a feed item's media:content. Every credit shows in the content html, for
    readers that ignore every extension; these lead it."""
    shown = {b.media_id for b in blocks if b.media_id}
    seen = {picture_key(m.url) for m in media if m.id in shown and m.url}
    return [Block(BlockKind.FIGURE, m.caption or "", media_id=m.id) for m in media
            if m.id not in shown and m.kind is MediaKind.IMAGE and m.url
            and (m.credits or m.caption) and picture_key(m.url) not in seen]


def assemble(
    parts: Parts,
    prov: Provenance,
    base_url: str | None,
    options: ReaderOptions | None = None,
    recorded: bool = False,
) -> Entry:
    """One entry: authors are the author-role credits, credits include every media credit, and
    the content html is rendered from the blocks (figures with their credits) and sanitised.
    `recorded=True` when the parts come from our own attribution record, read back, which is
    complete: the body had its credits taken out already and is kept as it stands, and a
    summary the record says is absent stays absent."""
    chrome = frozenset(chrome_key(c) for c in options.chrome) if options else frozenset()
    if not recorded:
        blocks, facts = take_body_credits(parts.blocks, chrome)
    else:
        blocks, facts = list(parts.blocks), BodyFacts()
    body_text = any(b.kind is not BlockKind.FIGURE for b in blocks)
    if not recorded:
        blocks = [*unshown_figures(blocks, parts.media), *blocks]
    credits = dedupe_credits([*parts.credits, *facts.credits])
    media_credits = tuple(c for m in parts.media for c in m.credits)
    authors = dedupe_agents(c.agent for c in credits if c.role in AUTHOR_ROLES)
    summary = (parts.summary or None) if recorded else _first_text(parts.summary, blocks)
    warnings = list(prov.warnings) + parts.warnings
    media = _known_sizes(parts.media, warnings)
    if not body_text:
        warnings.append("no body text")
    return Entry(
        title=parts.title,
        id=parts.id,
        summary=summary,
        blocks=tuple(blocks),
        content_html=render_content(blocks, media, base_url) if blocks else None,
        url=parts.url,
        published=parts.published,
        updated=parts.updated,
        authors=authors,
        credits=dedupe_credits([*credits, *media_credits]),
        media=media,
        categories=tuple(dict.fromkeys(c for c in parts.categories if c)),
        rights=parts.rights or facts.rights,
        language=parts.language,
        dateline=parts.dateline or facts.dateline,
        provenance=(replace(prov, warnings=tuple(dict.fromkeys(warnings))),),
    )
