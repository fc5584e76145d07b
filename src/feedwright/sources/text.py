"""The plain-text article reader: a page copied out of a browser, turned into one entry.

Such dumps carry their structure only in conventions: the headline first, then perhaps a
standfirst, byline and date line, paragraphs separated by blank lines, captions standing where the
pictures were (recognised by their credits, or by being a short line of capitalised words), and
page chrome around it all. Reading happens in three passes over plain data:

1. lines: decode, clean, number, and group by blank lines;
2. classify: each line is chrome, metadata (date, byline, wire credits, rights, topics) or body;
3. assemble: body lines become paragraphs, then blocks (paragraph, figure, heading, list, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from enum import Enum, auto

from feedwright.model import (
    Agent,
    Block,
    BlockKind,
    Credit,
    Entry,
    Media,
    MediaKind,
    Provenance,
    Rights,
    Role,
    Timestamp,
)
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.chrome import END_MARKERS, LIST_MARKERS, chrome_key, is_chrome
from feedwright.normalise.credits import DEFAULT_CREDIT_PATTERNS, CreditPattern
from feedwright.normalise.dates import parse_date_line
from feedwright.normalise.text import clean_text, fold_spaces
from feedwright.sources._common import (
    Parts,
    assemble,
    decode_or_fail,
    noted,
    provenance,
    zone_or_fail,
)
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError

EXTRACTOR = "feedwright.text/1"

_TOPICS = re.compile(
    r"^(?:topics?|tags?|filed under|categories|category|more on|related topics|keywords)"
    r"\s*:\s*(?P<terms>.+)$",
    re.I,
)
_TOPICS_HEADER = re.compile(r"^(?:topics?|tags?|filed under|related topics)\s*:?$", re.I)

# --- shapes of body lines -----------------------------------------------------------------------

_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ":", ";", ")", "…")
_BULLET = re.compile(r"^(?:[-*•▪◦]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*$")
_SMALL_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "in",
        "at",
        "for",
        "on",
        "with",
        "to",
        "a",
        "an",
        "de",
        "van",
        "von",
        "der",
        "from",
        "by",
        "as",
        "vs",
    ]
)
_VERBS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "said",
        "says",
        "say",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "told",
        "tells",
        "added",
        "announced",
        "insisted",
        "shows",
        "showing",
        "seen",
        "looks",
    ]
)
_MAX_TITLE_CHARS = 300
_MAX_CAPTION_CHARS = 600
_MAX_CAPTION_WORDS_UNCREDITED = 10


class _LineKind(Enum):
    BODY = auto()
    META = auto()  # consumed as metadata, not part of the body
    DROPPED = auto()


@dataclass
class _Article:
    """What the passes gather; turned into an Entry at the end."""

    title: str = ""
    title_line: int = 0
    published: Timestamp | None = None
    updated: Timestamp | None = None
    first_meta_line: int | None = None  # first byline/date line: marks the end of the header
    credits: list[Credit] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    rights: Rights | None = None
    dateline: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based, for error messages
    group: int  # lines in one group are not separated by a blank line
    text: str


def read(retrieved: Retrieved, options: ReaderOptions) -> tuple[Entry, ...]:
    """Read one plain-text article into one entry."""
    decoded = decode_or_fail(retrieved)
    entry = parse_article(
        decoded.text,
        location=retrieved.location,
        default_zone=zone_or_fail(retrieved, options),
        chrome=frozenset(chrome_key(c) for c in options.chrome),
        patterns=options.credit_patterns + DEFAULT_CREDIT_PATTERNS,
        base_url=retrieved.base_url or options.base_url,
        prov=provenance(retrieved, "text", EXTRACTOR),
    )
    return noted((entry,), decoded)


def parse_article(
    text: str,
    *,
    location: str,
    default_zone: tzinfo,
    chrome: frozenset[str] = frozenset(),
    patterns: tuple[CreditPattern, ...] = DEFAULT_CREDIT_PATTERNS,
    base_url: str | None = None,
    prov: Provenance | None = None,
) -> Entry:
    """The pure core of the reader: article text in, one entry out (or SourceError).

    `chrome` holds the feed's extra chrome lines (as chrome_key makes them), on top of the
    defaults."""
    lines = _split_lines(text)
    article = _Article()
    body = _classify(lines, article, location, default_zone, chrome)
    if not article.title:
        raise SourceError(location, "no article text: the file is empty or holds only page chrome")
    blocks, media = _assemble(_paragraphs(body), article, patterns)
    parts = Parts(
        title=article.title,
        blocks=blocks,
        media=media,
        credits=article.credits,
        published=article.published,
        updated=article.updated,
        categories=article.categories,
        rights=article.rights,
        dateline=article.dateline,
        warnings=article.warnings,
    )
    return assemble(parts, prov or Provenance("text", location, "", EXTRACTOR), base_url)


# --- pass 1: lines ------------------------------------------------------------------------------


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    group = 0
    # Characters are cleaned once for the whole text; each line only has its spaces folded.
    for number, raw in enumerate(clean_text(text).splitlines(), start=1):
        cleaned = fold_spaces(raw)
        if not cleaned:
            group += 1
            continue
        lines.append(_Line(number, group, cleaned))
    return lines


# --- pass 2: classify ---------------------------------------------------------------------------


def _classify(
    lines: list[_Line],
    article: _Article,
    location: str,
    default_zone: tzinfo,
    chrome: frozenset[str],
) -> list[_Line]:
    """Take metadata and chrome out of the lines; return the body lines in order."""
    body: list[_Line] = []
    skipping_list_from_group: int | None = None
    topics_header_group: int | None = None
    for line in lines:
        key = chrome_key(line.text)
        if skipping_list_from_group is not None:
            if line.group == skipping_list_from_group or _is_link_title(line.text):
                continue
            skipping_list_from_group = None
        if topics_header_group is not None:
            if line.group == topics_header_group or (
                len(line.text) < 40 and not line.text.endswith(_TERMINAL)
            ):
                article.categories.extend(_split_terms(line.text))
                topics_header_group = line.group
                continue
            topics_header_group = None
        if is_chrome(line.text, chrome):
            continue
        if not article.title and key in END_MARKERS:
            continue  # end matter before any headline is only chrome
        if not article.title:
            _take_title(line, article)
            if len(line.text) > _MAX_TITLE_CHARS:
                body.append(line)  # a first line that long is body text, not a headline
            continue
        if key in END_MARKERS:
            break
        if key in LIST_MARKERS or key.startswith(("read more:", "also read:", "see also:")):
            skipping_list_from_group = line.group
            continue
        if _take_metadata(line, article, location, default_zone, is_first_body=not body):
            if article.first_meta_line is None:
                article.first_meta_line = line.number
            continue
        if _TOPICS_HEADER.match(line.text):
            topics_header_group = line.group
            continue
        body.append(line)
    return body


def _take_title(line: _Line, article: _Article) -> None:
    title = line.text
    if len(title) > _MAX_TITLE_CHARS:
        cut = title[:120].rsplit(" ", 1)[0]
        article.warnings.append(
            f"line {line.number}: first line too long for a headline;"
            f" title cut to {len(cut)} characters"
        )
        title = cut + "…"
    article.title = title
    article.title_line = line.number


def _take_metadata(
    line: _Line, article: _Article, location: str, default_zone: tzinfo, is_first_body: bool
) -> bool:
    """Consume a line that is metadata (date, byline, credits, rights, topics); False if body."""
    text = line.text
    if len(text) > 200:
        return False
    date_line = parse_date_line(text, default_zone)
    if date_line is not None:
        if article.published is None and article.updated is None:
            article.published = date_line.published
            article.updated = date_line.updated
        elif date_line.updated is not None and article.updated is None:
            article.updated = date_line.updated  # "Last modified on ..." under the story
        elif (
            date_line.published is not None
            and article.updated is None
            and article.published is not None
        ):
            article.updated = _at_least(date_line.published, article.published)
        return True
    byline = credit_rules.parse_byline(text)
    if byline is not None:
        article.credits.extend(byline)
        return True
    credit_line = credit_rules.parse_credit_line(text, allow_sign_off=not is_first_body)
    if credit_line is not None:
        article.credits.extend(credit_line.credits)
        article.rights = credit_line.rights or article.rights
        return True
    topics = _TOPICS.match(text)
    if topics is not None:
        article.categories.extend(_split_terms(topics.group("terms")))
        return True
    return False


def _at_least(candidate: Timestamp, published: Timestamp) -> Timestamp | None:
    return candidate if candidate.value > published.value else None


def _split_terms(text: str) -> list[str]:
    return [t.strip(" .#") for t in re.split(r"\s*[,;|·•/]\s*", text) if t.strip(" .#")]


def _is_link_title(text: str) -> bool:
    """A line in a list of related-article links: bulleted, or a short headline-like line."""
    return bool(_BULLET.match(text)) or (len(text.split()) <= 16 and not text.endswith(_TERMINAL))


# --- pass 3: assemble ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Paragraph:
    lines: tuple[_Line, ...]

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def number(self) -> int:
        return self.lines[0].number


def _paragraphs(body: list[_Line]) -> list[_Paragraph]:
    """Join body lines into paragraphs. A blank line always ends one; inside a group, a line that
    ends a sentence ends one too (copied pages often put one paragraph on each line), while a line
    that breaks mid-sentence is a hard wrap and continues."""
    paragraphs: list[list[_Line]] = []
    for line in body:
        current = paragraphs[-1] if paragraphs else None
        if (
            current is not None
            and current[-1].group == line.group
            and not current[-1].text.endswith(_TERMINAL)
            and not _BULLET.match(line.text)
            and not _BULLET.match(current[0].text)
            and len(current[-1].text) > 40
        ) or (
            current is not None
            and _BULLET.match(line.text)
            and _BULLET.match(current[-1].text)
            and current[-1].group == line.group
        ):
            current.append(line)
        else:
            paragraphs.append([line])
    return [_Paragraph(tuple(p)) for p in paragraphs]


def _assemble(
    paragraphs: list[_Paragraph], article: _Article, patterns: tuple[CreditPattern, ...]
) -> tuple[list[Block], list[Media]]:
    blocks: list[Block] = []
    media: list[Media] = []
    header_open = True  # still between the headline and the first body paragraph
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        name_line = _name_line(text) if header_open else None
        if name_line is not None:
            article.credits.extend(name_line)
            continue
        figure = _figure(text, f"m{len(media) + 1}", patterns)
        if figure is not None:
            media.append(figure)
            blocks.append(Block(BlockKind.FIGURE, figure.caption or "", media_id=figure.id))
            continue
        if header_open and _is_standfirst(paragraph, article, blocks):
            blocks.append(Block(BlockKind.STANDFIRST, text))
            continue
        header_open = False
        is_first = not any(b.kind is BlockKind.PARAGRAPH for b in blocks)
        is_last = index == len(paragraphs) - 1
        blocks.append(_text_block(paragraph, article, is_first=is_first, is_last=is_last))
    return blocks, media


def _is_standfirst(paragraph: _Paragraph, article: _Article, blocks: list[Block]) -> bool:
    """The paragraph between the headline and the byline or date line: the article's summary."""
    first_meta = article.first_meta_line
    return not blocks and first_meta is not None and paragraph.number < first_meta


def _name_line(text: str) -> tuple[Credit, ...] | None:
    """A bare byline under the headline: `Jane Smith` or `Jane Smith, Political Reporter`."""
    if text.endswith(_TERMINAL) or len(text.split()) > 8:
        return None
    name = text.split(",", 1)[0]
    if not credit_rules.looks_like_name(name):
        return None
    credits = credit_rules.parse_byline(f"By {text}")
    return tuple(replace(c, raw=text) for c in credits) if credits else None


def _caption_credit(
    text: str, media_id: str, patterns: tuple[CreditPattern, ...]
) -> credit_rules.CaptionCredit | None:
    if len(text) > _MAX_CAPTION_CHARS:
        return None
    return credit_rules.split_caption_credit(text, media_id, patterns)


def _figure(text: str, media_id: str, patterns: tuple[CreditPattern, ...]) -> Media | None:
    """A caption standing where a picture was: with a credit, or a short uncredited caption."""
    found = _caption_credit(text, media_id, patterns)
    if found is not None:
        return Media(
            id=media_id,
            kind=_media_kind(found.credits),
            caption=found.caption or None,
            credits=found.credits,
        )
    if _looks_like_bare_caption(text):
        return Media(id=media_id, kind=MediaKind.UNKNOWN, caption=text)
    return None


def _media_kind(credits: tuple[Credit, ...]) -> MediaKind:
    roles = {c.role for c in credits}
    if Role.VIDEOGRAPHER in roles:
        return MediaKind.VIDEO
    if roles & {Role.PHOTOGRAPHER, Role.DISTRIBUTOR, Role.ILLUSTRATOR}:
        return MediaKind.IMAGE
    return MediaKind.UNKNOWN  # "(Source: 1News)" says who, not whether it was a still or a clip


def _looks_like_bare_caption(text: str) -> bool:
    """`Foreign Minister Winston Peters.`: short, ends with a full stop, mostly capitalised words,
    no verb. A sentence of prose fails on capitals or on its verb."""
    if not text.endswith(".") or any(q in text for q in '"“”'):
        return False
    words = re.findall(r"[\w’'-]+", text)
    if not 2 <= len(words) <= _MAX_CAPTION_WORDS_UNCREDITED:
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not content or any(w.lower() in _VERBS for w in words):
        return False
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised / len(content) >= 0.75


def _text_block(paragraph: _Paragraph, article: _Article, is_first: bool, is_last: bool) -> Block:
    text = paragraph.text
    heading = _MD_HEADING.match(text)
    if heading is not None:
        return Block(
            BlockKind.HEADING, heading.group("text"), level=max(2, len(heading.group("hashes")))
        )
    if all(_BULLET.match(line.text) for line in paragraph.lines):
        return Block(
            BlockKind.LIST, items=tuple(_BULLET.sub("", line.text) for line in paragraph.lines)
        )
    if text.startswith(">"):
        return Block(BlockKind.QUOTE, " ".join(line.text.lstrip("> ") for line in paragraph.lines))
    if is_first:
        dateline = credit_rules.parse_agency_dateline(text)
        if dateline is not None:
            article.dateline = dateline.place
            article.credits.append(dateline.credit)
            text = dateline.rest
    if is_last:
        tail = credit_rules.split_sign_off_tail(text)
        if tail is not None:
            text, credit = tail
            article.credits.append(credit)
    if (
        len(paragraph.lines) == 1
        and len(text.split()) <= 10
        and not text.endswith(_TERMINAL)
        and not is_last
    ):
        return Block(BlockKind.HEADING, text, level=2)
    return Block(BlockKind.PARAGRAPH, text)


def _dedupe(agents: Iterable[Agent]) -> tuple[Agent, ...]:
    seen: dict[str, Agent] = {}
    for agent in agents:
        seen.setdefault(agent.name, agent)
    return tuple(seen.values())
