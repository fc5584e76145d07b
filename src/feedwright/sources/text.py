"""The plain-text article reader: a page copied out of a browser, turned into one entry.

Such dumps carry their structure only in conventions: the headline first, then perhaps a
standfirst, byline and date line, paragraphs separated by blank lines, captions standing where the
pictures were (recognised by their credits, or by being a short line of capitalised words), and
page chrome around it all. A dump of a whole page also holds menus, sign-in prompts, teaser lists
and comments around the article. Reading happens in four passes over plain data:

1. lines: decode, clean, number, and group by blank lines;
2. locate: score every block as prose or boilerplate (normalise/boilerplate.py, jusText's idea),
   take the densest stretch of prose as the article's body and the headline-like line before it
   (repeated on the page, followed by a byline or date) as its headline;
3. classify: each line is chrome, metadata (date, byline, wire credits, rights, topics) or body;
4. assemble: body lines become paragraphs, then blocks (paragraph, figure, heading, list, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, tzinfo
from enum import Enum, auto
from functools import lru_cache

from feedwright.model import (
    Agent,
    AgentKind,
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
from feedwright.normalise import boilerplate
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.boilerplate import Quality
from feedwright.normalise.chrome import COMMENT_MARKERS, END_MARKERS, LIST_MARKERS
from feedwright.normalise.chrome import chrome_key as _chrome_key
from feedwright.normalise.chrome import is_chrome as _is_chrome_line
from feedwright.normalise.credits import DEFAULT_CREDIT_PATTERNS, CreditPattern
from feedwright.normalise.dates import DateLine, is_relative_date, parse_leading_date
from feedwright.normalise.dates import parse_date_line as _parse_date_line
from feedwright.normalise.text import clean_text, fold_spaces
from feedwright.sources import READER_REVISIONS
from feedwright.sources._common import (
    Parts,
    assemble,
    decode_or_fail,
    noted,
    provenance,
    zone_or_fail,
)
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError

EXTRACTOR = f"feedwright.text/{READER_REVISIONS['text']}"


# A line of a page is asked the same questions by several passes (the headline finder, the
# header, the tail): the answers of these pure functions are kept rather than worked out again.
@lru_cache(maxsize=4096)
def is_chrome(text: str, extra: frozenset[str] = frozenset()) -> bool:
    return _is_chrome_line(text, extra)


@lru_cache(maxsize=4096)
def parse_date_line(text: str, default_zone: tzinfo) -> DateLine | None:
    return _parse_date_line(text, default_zone)


@lru_cache(maxsize=4096)  # asked of one line by up to four passes
def chrome_key(text: str) -> str:
    return _chrome_key(text)


_TOPICS = re.compile(
    r"^(?:topics?|tags?|filed under|categories|category|more on|related topics|keywords)"
    r"\s*:\s*(?P<terms>.+)$",
    re.I,
)
_TOPICS_HEADER = re.compile(
    r"^(?:topics?|tags?|filed under|related topics|explore more on (?:these|this) topics?"
    r"|more on (?:these|this) topics?|more about|categories)\s*:?$",
    re.I,
)

# --- shapes of body lines -----------------------------------------------------------------------

_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ":", ";", ")", "…")
_BULLET = re.compile(r"^(?:[-+*•▪◦]|\d{1,2}[.)])\s+")
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
_MAX_CREDITED_CAPTION = 300  # a paragraph above a credit line that can be its caption
_MAX_REPEATED_CHARS = 200  # a shorter block printed twice is shown once: a caption, a label
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


# Read-only by convention, not frozen: a page makes dozens of lines and paragraphs, and a frozen
# dataclass costs three times as much to create.
@dataclass(slots=True)
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
        patterns=options.all_credit_patterns,
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
    plan = _locate(lines, chrome)
    reader = _Classifier(article, default_zone, chrome, patterns, plan)
    body = reader.run(lines)
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
        cleaned = (raw if _folded(raw) else fold_spaces(raw)) if raw else raw
        if not cleaned:
            group += 1
            continue
        lines.append(_Line(number, group, cleaned))
    return lines


def _folded(line: str) -> bool:
    """fold_spaces would give the line back as it is: most lines of a page (a few substring
    searches, where folding splits the line into its words and joins them again). Of the
    characters str.split splits at, only the space and the tab are ASCII and left in a line by
    str.splitlines (U+001F too); any other is not ASCII."""
    return (
        line.isascii()
        and not line.startswith(" ")
        and not line.endswith(" ")
        and "  " not in line
        and "\t" not in line
        and "\x1f" not in line
    )


# --- pass 2: locate the article -----------------------------------------------------------------

_HEADLINE_LOOKBACK = 40  # blocks before the prose searched for the headline
_ATTRIBUTION_AHEAD = 4  # blocks after a headline searched for its byline or date
_DATE_LOOKBACK = 3  # blocks before the headline where its date may stand ("Sunday, May 8, 2016")


@dataclass(frozen=True)
class _Plan:
    """Where the article stands among the page's lines, by line number."""

    title: int  # the headline
    wording: str  # the headline's text: the line's own, or its fuller form printed above it
    body: int  # the first line of the article's prose: lines between are its header
    end: int  # the last line of its prose: after it only metadata (topics, rights) is read
    dates_from: int  # the first line before the headline that may hold its date
    boilerplate: frozenset[int]  # lines in the article judged boilerplate (menus, teasers)


def _locate(lines: list[_Line], chrome: frozenset[str]) -> _Plan | None:
    """Find the article in a whole page; None when no block reads as prose (a short article,
    which is then read from its first line as it stands)."""
    # chrome is dropped before scoring, but a comments heading stays to cost what end matter does
    paragraphs = _paragraphs(
        [
            line
            for line in lines
            if not is_chrome(line.text, chrome) or chrome_key(line.text) in COMMENT_MARKERS
        ]
    )
    # the page's own language decides both what may read as prose and how blocks are scored
    language = boilerplate.page_language(p.text for p in paragraphs)
    # no block that could be prose: no span (what scoring them all would say, at less cost)
    # each paragraph's list shape, asked by the prose test, the scorer and the boilerplate test
    points = [_list_of_points(p) for p in paragraphs]
    if not any(
        boilerplate.may_read_as_prose(p.text, item, language)
        for p, item in zip(paragraphs, points, strict=True)
    ):
        return None
    blocks = [_block(p, item) for p, item in zip(paragraphs, points, strict=True)]
    scores = boilerplate.score(blocks, language, heading=_heading_shaped)
    classes = scores.final
    span = boilerplate.article_span(blocks, scores)
    if span is None:
        return None
    first, last = span
    # the prose proper: a headline, a date line or a teaser can head the span, having taken its
    # class from the text below it
    first = next((i for i in range(first, last + 1) if scores.prose(i)), first)
    title = _find_headline(paragraphs, scores, first, last)
    if title is None:
        return None
    if title >= first:  # the prose began with a teaser above the headline: it starts after it
        first = next((i for i in range(title + 1, last + 1) if classes[i] is Quality.GOOD), last)
    # inside the article, a bad block is dropped unless it reads as prose on its own (a paragraph
    # between two code listings takes their class)
    bad = frozenset(
        line.number
        for index in range(title, last + 1)
        if classes[index] is Quality.BAD
        and not scores.near_prose(index)
        and not points[index]
        and not _table_row(paragraphs[index].text)
        for line in paragraphs[index].lines
    )
    return _Plan(
        title=paragraphs[title].number,
        wording=_fuller_wording(paragraphs, title),
        body=paragraphs[first].number if first > title else paragraphs[title].number + 1,
        end=paragraphs[last].lines[-1].number,
        dates_from=paragraphs[max(0, title - _DATE_LOOKBACK)].number,
        boilerplate=bad,
    )


def _table_row(text: str) -> bool:
    """A row of a data table the article holds (`3 Wharf Street Crew 377 4 2`): at least three
    numbers, and numbers two words in five, none of code's punctuation. No stopwords make it
    prose, but a menu holds no such line; a listing's output (`404 │ 0.133`, `2, 3, 5, 12`) is
    judged with the code it belongs to."""
    words = text.split()
    # A number holds a digit: its ASCII ones, or any other character (isdigit says yes to some),
    # bound how many numbers there can be, so prose is said no to without reading its words.
    ascii_part = text.encode("ascii", "ignore")
    most = len(text) - len(ascii_part.translate(None, _ASCII_DIGITS))
    if most < 3 or 5 * most < 2 * len(words):
        return False
    if _CODE_PUNCTUATION.search(text):
        return False
    numbers = sum(word.strip(".,%$").replace(".", "", 1).isdigit() for word in words)
    return numbers >= 3 and 5 * numbers >= 2 * len(words)


_ASCII_DIGITS = b"0123456789"  # the only ASCII characters str.isdigit says yes to


_CODE_PUNCTUATION = re.compile(r"[{}\[\]();=│┼─|<>]|\d,\s*\d+,")


def _block(paragraph: _Paragraph, item: bool) -> boilerplate.Block:
    """What the scorer is told of a paragraph: its text and the conventions it shows (`item`:
    it is a _list_of_points). Whether it is shaped like a heading the scorer asks itself, of the
    few blocks where that counts."""
    text = paragraph.text
    key = chrome_key(text)
    return boilerplate.Block(
        text,
        box=key in END_MARKERS,
        item=item,
        comments=key in COMMENT_MARKERS,
    )


def _list_of_points(paragraph: _Paragraph) -> bool:
    """A bulleted list of statements (`Key points:`), which a menu of one-word items is not."""
    lines = paragraph.lines
    return _all_bulleted(lines) and sum(len(line.text.split()) for line in lines) >= 4 * len(lines)


def _all_bulleted(lines: tuple[_Line, ...]) -> bool:
    for line in lines:  # noqa: SIM110 (a loop, not all(...): most say no at their first line)
        if _BULLET.match(line.text) is None:
            return False
    return True


def _opens_box(text: str) -> bool:
    key = chrome_key(text)
    return key in END_MARKERS or key in LIST_MARKERS


# The first character of which str.isalnum says yes (re's \w is isalnum and the underscore)
_ALPHANUMERIC = re.compile(r"[^\W_]")
_NUMERIC_DATE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_ABBREVIATION_END = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "... Underneath N.Y.C."


@lru_cache(maxsize=4096)  # a block is asked as the scorer's heading, then as a headline candidate
def _headline_shaped(text: str) -> bool:
    """Short, no closing full stop, comma or bracket, starting with a capital or a digit."""
    if len(text) > 250 or "©" in text:
        return False  # a copyright line is the page's rights, never its headline
    # 31 pieces at most: a paragraph of prose is not split through to be counted
    if not 2 <= len(text.split(None, 30)) <= 30 or _BULLET.match(text):
        return False
    if text.endswith((",", ";", "…", "|", "—", "-")) or (
        text.endswith(".") and not _ABBREVIATION_END.search(text)
    ):
        return False
    found = _ALPHANUMERIC.search(text)
    first = found.group() if found is not None else ""
    if not first or not (first.isupper() or first.isdigit()):
        return False
    if first.isdigit() and _NUMERIC_DATE.match(text):
        return False  # "2/26/2015 7:11 AM PST BY TMZ STAFF"
    return _caption_credit(text, "m0", DEFAULT_CREDIT_PATTERNS) is None  # not a photo credit


def _heading_shaped(text: str) -> bool:
    """A subheading inside an article: headline-shaped and short."""
    return len(text) < 100 and _headline_shaped(text)


def _find_headline(
    paragraphs: list[_Paragraph], scores: boilerplate.Scores, first_prose: int, last_prose: int
) -> int | None:
    """The headline: of the headline-shaped blocks near the start of the article's prose, the one
    that is followed by a byline or date line and repeated on the page (in the page's title, a
    breadcrumb, a share box), nearest the prose when nothing else decides. A candidate inside the
    prose counts only with a byline under it, or restated (printed by a teaser above too, a name
    or date line and running prose under it): the prose then began with teasers or a menu of
    blurbs. The less of the prose stands before such a candidate, the better."""
    # only what stands before a candidate is compared with it: nothing after the prose
    texts = [_fold(p.text) for p in paragraphs[: last_prose + 1]]
    first_seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        first_seen.setdefault(text, index)
    prose_before = [0]  # characters of prose before each block, from the start of the span
    for index in range(first_prose, last_prose + 1):
        prose_before.append(prose_before[-1] + (len(texts[index]) if scores.prose(index) else 0))
    best: tuple[float, int] | None = None
    nearer = 0  # headline-like lines between this one and the prose: the headline is the nearest
    for index in range(last_prose, max(-1, first_prose - _HEADLINE_LOOKBACK), -1):
        text = paragraphs[index].text
        if not _headline_shaped(text) or _attribution(text) >= _STRONG:
            continue
        inside = index > first_prose
        restated = inside and _restated(paragraphs, scores, index, first_seen[texts[index]])
        if inside and not (restated or _byline_after(paragraphs, index)):
            continue
        if inside:
            share = prose_before[index - first_prose] / max(1, prose_before[-1])
            score = _headline_score(paragraphs, index) - 4.0 * share + (1.5 if restated else 0.0)
        else:
            score = _headline_score(paragraphs, index) - 0.05 * (first_prose - index)
            score -= 0.75 * nearer
            words = len(text.split())
            nearer += 4 <= words <= 16  # a standfirst is longer
            # printed before too (the page's title, a breadcrumb); a table of contents repeats
            # its entries after, as the article's section headings
            if words >= 4 and (first_seen[texts[index]] < index or _echoed(texts, index)):
                score += 1.5
        if best is None or score > best[0]:
            best = (score, index)
    return best[1] if best is not None and best[0] > 0 else None


def _restated(
    paragraphs: list[_Paragraph], scores: boilerplate.Scores, index: int, first_seen: int
) -> bool:
    """A headline inside the prose that a stream of teasers above printed too (`first_seen`),
    with a name or date line right under it and prose running on after that: the story itself,
    which the teaser led to (a section heading that a table of contents printed has its text
    right under it)."""
    last = len(scores.initial) - 1
    if first_seen >= index or index >= last or _attribution(paragraphs[index + 1].text) < _WEAK:
        return False
    ahead = range(index + 1, min(last, index + 1 + _ATTRIBUTION_AHEAD + 1))
    return any(scores.prose(i) and scores.prose(i + 1) for i in ahead)


def _fuller_wording(paragraphs: list[_Paragraph], index: int) -> str:
    """The headline's text. A display headline is often printed in parts (a kicker line, then
    the rest: `Jane Doe` / `Dress ... STOLEN`) just under its full wording (a breadcrumb, the
    page's title); that wording, a headline-shaped line a few blocks above that holds all of the
    headline's words and not twice as many, is the headline's text. Else a line-wrapped headline
    takes the rest of it from the block under it (`_continues`)."""
    text = paragraphs[index].text
    folded = _fold(text)
    for above in range(index - 1, max(-1, index - 1 - _ATTRIBUTION_AHEAD), -1):
        other = paragraphs[above].text
        fuller = _fold(other)
        if (
            len(folded) < len(fuller) < 2 * len(folded)
            and _contains_words(fuller, folded)
            and _headline_shaped(other)
            and not _PATH_SEPARATORS.search(other)
        ):
            return other
    below = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
    if (
        below is not None
        and below.lines[0].group == paragraphs[index].lines[-1].group  # no blank line between
        and _continues(text, below.text)
    ):
        return f"{text} {below.text}"
    return text


def _continues(headline: str, line: str) -> bool:
    """The line, printed right under the headline without a blank line between, carries on a
    line-wrapped headline (`Harbour board votes to rebuild` / `the old ferry wharf`, `Outside
    the harbour:` / `a new wharf`): it starts with a word in small letters, which no byline,
    date line, standfirst or section name under a headline does, and the two read as one
    headline. `iPhone` or `eBay` may start a line of their own; `by` starts a byline."""
    first = line.split(maxsplit=1)[0] if line else ""
    return (
        first[:1].isalpha()
        and first.islower()
        and first != "by"
        and not headline.endswith(_SENTENCE_END)
        and _attribution(line) == 0.0
        and not is_relative_date(line)
        and _headline_shaped(f"{headline} {line}")
    )


_SENTENCE_END = (".", "!", "?", "…", ";")


# `News > Politics > Bridge vote`, `Bridge vote | The Herald`: a path or a page title, whose
# other words are the site's, not the headline's
_PATH_SEPARATORS = re.compile(r"[>»›|→]")


def _contains_words(text: str, words: str) -> bool:
    """`words` stands in `text` as whole words (both folded)."""
    return f" {words} " in f" {text} "


def _part_of(text: str, headline: str) -> bool:
    """A line under the headline whose words all stand in it: a part of the display headline."""
    folded, whole = _fold(text), _fold(headline)
    return bool(folded) and folded != whole and _contains_words(whole, folded)


def _headline_score(paragraphs: list[_Paragraph], index: int) -> float:
    """What a block's own shape and its neighbours say for it as a headline."""
    words = len(paragraphs[index].text.split())
    score = _attribution_after(paragraphs, index)
    if index and words > _HEADLINE_WORDS:
        above = paragraphs[index - 1].text
        if _headline_shaped(above) and 3 <= len(above.split()) < words and not _attribution(above):
            score -= 1.5  # a standfirst: longer than the headline just above it
    if words >= 4:
        score += 1.0
    if 4 <= words <= 20:
        score += 0.5
    elif words <= 2:
        score -= 1.0  # a section or site name, rarely a headline
    if _date_above(paragraphs, index):
        score += 1.0  # blogs print the date above the headline
    return score


def _date_above(paragraphs: list[_Paragraph], index: int) -> bool:
    """A date line just above the block, or above a one- or two-word label standing between
    them (the post's category: `21 September 2020` / `SQL` / the headline)."""
    for above in (index - 1, index - 2):
        if above < 0:
            return False
        text = paragraphs[above].text
        if parse_date_line(text, UTC) is not None:
            return True
        if len(text.split()) > 2 or text.endswith(_TERMINAL):
            return False
    return False


_NOT_WORDS = re.compile(r"\W+")


@lru_cache(maxsize=4096)  # the headline finder folds every block, the header its title per line
def _fold(text: str) -> str:
    """The words of the text in one case, one space between them."""
    if text.isascii():
        # What the regex gives, without it: in ASCII text casefold is lower, and a run of the
        # characters \W takes (here made spaces) becomes one space, none at either end.
        return b" ".join(text.encode("ascii").translate(_ASCII_FOLD).split()).decode("ascii")
    return _NOT_WORDS.sub(" ", text.casefold()).strip()


#: bytes.translate table: an ASCII word character in lower case, any other a space.
_ASCII_FOLD = bytes(
    ord(chr(c).lower()) if c < 128 and not _NOT_WORDS.match(chr(c)) else 32 for c in range(256)
)


def _echoed(texts: list[str], index: int) -> bool:
    """The text stands inside an earlier short line that is mostly it ("DealBook|Headline")."""
    text = texts[index]
    if len(text) < 12:
        return False
    return any(
        text in other and len(text) * 2 > len(other) and other != text for other in texts[:index]
    )


_STRONG = 3.0  # a byline or a date line under a headline
_HEADLINE_WORDS = 12  # longer than most headlines: perhaps the standfirst under one
_POSTED_BY = re.compile(r"^(?:by:?$|(?:posted|written|published) by\b)", re.I)
_WEAK = 1.5  # a bare name line, which a product or a section name can look like


def _attribution_after(paragraphs: list[_Paragraph], index: int) -> float:
    """How strongly the blocks just after one say "this was the headline": a byline or date."""
    ahead = paragraphs[index + 1 : index + 1 + _ATTRIBUTION_AHEAD]
    return max((_attribution(p.text) for p in ahead), default=0.0)


def _byline_after(paragraphs: list[_Paragraph], index: int) -> bool:
    """A byline (not only a date, which may be an update line) stands just after the block."""
    return any(
        credit_rules.split_byline(p.text) is not None or _POSTED_BY.match(p.text) is not None
        for p in paragraphs[index + 1 : index + 3]
    )


@lru_cache(maxsize=4096)  # pure; each block is asked by up to five headline candidates
def _attribution(text: str) -> float:
    """A byline or a date line (strong), or a bare name line (weak), as printed under a
    headline; 0 for anything else."""
    if len(text) > 200:
        return 0.0
    if (
        credit_rules.split_byline(text) is not None
        or _POSTED_BY.match(text) is not None
        or parse_date_line(text, UTC) is not None
        or _name_and_date(text, UTC) is not None
    ):
        return _STRONG
    name, _, role = text.partition(",")
    if credit_rules.looks_like_name(name) and not text.endswith(_TERMINAL):
        return _STRONG if role and credit_rules.looks_like_role(role) else _WEAK
    return _STRONG if _name_before_role(text) else 0.0


_MAY_DATE = re.compile(r"\d|yesterday|today|just now|ago\b", re.I)


def _name_and_date(text: str, default_zone: tzinfo) -> tuple[str, DateLine | None] | None:
    """`Dan Goodin - Apr 16, 2015 8:02 pm UTC`, `Alex Perry 1 day ago`, `James Akinaka • 8h`:
    a name, then a date (None when it is relative). None when the line is not of that shape."""
    if _MAY_DATE.search(text) is None:
        return None  # every date form holds a digit, or says "yesterday", "today", "ago"
    words = text.split()
    # Every name tried is the first two to five words, each a name word (looks_like_name), the
    # last without its commas (a word with one is no name word as it stands): a line whose
    # first two words are not has no name to try, and a paragraph is not joined four times.
    if len(words) < 3 or not (
        credit_rules.is_name_word(words[0]) and credit_rules.is_name_word(words[1].rstrip(","))
    ):
        return None
    for count in range(2, min(5, len(words) - 1) + 1):
        name = " ".join(words[:count]).rstrip(",")
        if not credit_rules.looks_like_person(name) or name.lower() in credit_rules.NOT_NAMES:
            continue
        rest = " ".join(words[count:]).strip(" -–—|·•@,")
        if is_relative_date(rest):
            return name, None
        date_line = parse_date_line(rest, default_zone)
        if date_line is not None:
            return name, date_line
    return None


# --- pass 3: classify ---------------------------------------------------------------------------

# How sure a page is of who wrote it: a byline says so, a name beside a date most likely, a bare
# name line under the headline perhaps. The surest kind found is taken, each from its first line.
_BYLINE, _DATED_NAME, _BARE_NAME = 0, 1, 2
_DATE_THEN_BY = re.compile(r"^(?P<date>.+?)\s+(?P<byline>by\s+.+)$", re.I)  # "on May 3, 2015 by A"


@dataclass
class _Authors:
    ranked: dict[int, tuple[Credit, ...]] = field(default_factory=dict)

    def add(self, rank: int, credits: tuple[Credit, ...]) -> None:
        if credits:
            self.ranked.setdefault(rank, credits)

    def best(self) -> list[Credit]:
        return list(self.ranked[min(self.ranked)]) if self.ranked else []


_TAIL_LINES = 30  # lines after the article's prose read for its topics, credits and rights


class _Classifier:
    """Takes metadata and chrome out of the lines and returns the body lines in order.

    With a plan (a whole page), lines before the headline are skipped but for its date, lines
    between the headline and the prose are its header (bylines, name lines, date lines,
    standfirst), and lines after the prose are read for metadata only. Without one (a plain
    article), the first line is the headline and every line is read."""

    def __init__(
        self,
        article: _Article,
        default_zone: tzinfo,
        chrome: frozenset[str],
        patterns: tuple[CreditPattern, ...],
        plan: _Plan | None,
    ) -> None:
        self.article = article
        self.zone = default_zone
        self.chrome = chrome
        self.patterns = patterns
        self.plan = plan
        self.body: list[_Line] = []
        self.skipping_box_from: int | None = None
        self.topics_group: int | None = None
        self.by_alone = False  # a line "By" whose names stand on the next line
        self.early_date: DateLine | None = None  # a date printed just above the headline
        self.running_on = True  # the article's last lines after its densest prose
        self.authors = _Authors()

    def run(self, lines: list[_Line]) -> list[_Line]:
        plan = self.plan
        for line in lines:
            if plan is None:
                if self._plain(line) == "stop":
                    break
            elif line.number < plan.title:
                if line.number >= plan.dates_from and self.early_date is None:
                    self.early_date = parse_date_line(line.text, self.zone)
            elif line.number == plan.title:
                _take_title(replace(line, text=plan.wording), self.article)
            elif line.number <= plan.end:
                # a standfirst can stand above the byline: the header runs past one paragraph
                header = line.number < plan.body or (
                    len(self.body) <= 1 and not self.authors.ranked
                )
                self._article_line(line, header=header)
            elif line.number > plan.end + _TAIL_LINES or self._tail_line(line) == "stop":
                break
        if self.article.published is None and self.early_date is not None:
            self.article.published = self.early_date.published
            self.article.updated = self.article.updated or self.early_date.updated
        self.article.credits[:0] = self.authors.best()
        return self.body

    # -- the three kinds of line ---------------------------------------------------------------

    def _plain(self, line: _Line) -> str | None:
        """A plain article: the first line that is not chrome is the headline."""
        if not self.article.title:
            if is_chrome(line.text, self.chrome) or chrome_key(line.text) in END_MARKERS:
                return None
            _take_title(line, self.article)
            if len(line.text) > _MAX_TITLE_CHARS:
                self.body.append(line)  # a first line that long is body text, not a headline
            return None
        title = self.article.title
        if line.number == self.article.title_line + 1 and _continues(title, line.text):
            _take_title(replace(line, text=f"{title} {line.text}"), self.article)  # wrapped
            return None
        if chrome_key(line.text) in END_MARKERS:
            return "stop"
        self._article_line(line, header=False)
        return None

    def _article_line(self, line: _Line, header: bool) -> None:
        if is_chrome(line.text, self.chrome) or self._in_box(line) or self._in_topics(line):
            return
        if is_relative_date(line.text):
            return  # "Posted 5h ago, updated 3h ago": no date without a reference instant
        if _opens_box(line.text):
            self.skipping_box_from = line.group  # "Related", "Read more:": skip the box only
            return
        if header and _part_of(line.text, self.article.title):
            return  # the display headline in parts: a kicker (`Jane Doe`) and the rest
        if header and self._header_attribution(line):
            self._mark_meta(line)
            return
        kind = self._take_metadata(line, is_first_body=not self.body)
        if kind is not None:
            if kind == "header":
                self._mark_meta(line)  # the end of the header: a paragraph above is a standfirst
            return
        if _TOPICS_HEADER.match(line.text):
            self.topics_group = line.group
            return
        if (
            self.plan is not None
            and line.number in self.plan.boilerplate
            and _caption_credit(line.text, "m0", self.patterns) is None
        ):
            return  # a menu, teaser or widget line inside the article: not body
        self.body.append(line)

    def _tail_line(self, line: _Line) -> str | None:
        """After the prose: the article's last short sentences and captions while they run on,
        then only topics, wire credits, sign-offs and rights; end matter stops it."""
        key = chrome_key(line.text)
        if key in END_MARKERS or key in COMMENT_MARKERS:
            return "stop"
        if is_chrome(line.text, self.chrome) or self._in_topics(line):
            return None
        if _TOPICS_HEADER.match(line.text):
            self.topics_group = line.group
            return None
        # a date line down here may update the article, never give it its first date
        dated = parse_date_line(line.text, self.zone) is not None
        if (self.article.published is not None or not dated) and self._take_metadata(
            line, is_first_body=False
        ):
            return None
        if not self.authors.ranked:
            signed = _name_and_date(line.text, self.zone)  # "Jane Doe — 2013-09-29 — in Code"
            if signed is not None:
                self._take_signature(*signed, raw=line.text)
                return None
        if self.running_on and (
            _caption_credit(line.text, "m0", self.patterns) is not None or _ends_sentence(line.text)
        ):
            self.body.append(line)
        else:
            self.running_on = False
        return None

    # -- pieces --------------------------------------------------------------------------------

    def _in_box(self, line: _Line) -> bool:
        if self.skipping_box_from is None:
            return False
        if line.group == self.skipping_box_from or _is_link_title(line.text):
            return True
        self.skipping_box_from = None
        return False

    def _in_topics(self, line: _Line) -> bool:
        """A topic footer: one term a line under `Topics` or `Explore more on these topics`."""
        if self.topics_group is None:
            return False
        if line.group == self.topics_group or (
            len(line.text) < 40 and not line.text.endswith(_TERMINAL)
        ):
            self.article.categories.extend(_split_terms(line.text))
            self.topics_group = line.group
            return True
        self.topics_group = None
        return False

    def _mark_meta(self, line: _Line) -> None:
        if self.article.first_meta_line is None:
            self.article.first_meta_line = line.number

    def _header_attribution(self, line: _Line) -> bool:
        """Header lines between a headline and its prose: `By` alone with the names below it,
        `on <date> by <names>`, a name and a date on one line, a bare name, a job title."""
        text = line.text
        if text.strip().lower() in ("by", "by:"):
            self.by_alone = True
            return True
        if self.by_alone:
            self.by_alone = False
            byline = credit_rules.split_byline(f"By {text}")
            if byline is not None:
                self.authors.add(_BYLINE, tuple(replace(c, raw=text) for c in byline.credits))
                return True
        if credit_rules.split_byline(text) is not None:
            return False  # a byline proper: _take_metadata reads it and its date
        dated_byline = _DATE_THEN_BY.match(text)
        if dated_byline is not None:
            # the date first (a kept answer), the names only when it is one: a paragraph that
            # says "by" somewhere is no byline, and its names are the dearer question
            date_line = parse_date_line(dated_byline.group("date"), self.zone)
            names = dated_byline.group("byline")
            byline = credit_rules.split_byline(names) if date_line is not None else None
            if byline is not None and date_line is not None:
                self.authors.add(_BYLINE, tuple(replace(c, raw=text) for c in byline.credits))
                self._take_date(date_line)
                return True
        if parse_date_line(text, self.zone) is not None:
            return False
        found = _name_and_date(text, self.zone)
        if found is not None:
            self._take_signature(*found, raw=text)
            return True
        if credit_rules.looks_like_role(text) and self.authors.ranked:
            return True  # "Games Editor" under the name
        name_line = _name_line(text)
        if name_line is not None:
            self.authors.add(_BARE_NAME, name_line)
            return True
        return False

    def _date_after_names(self, rest: str) -> DateLine | None:
        """The date a byline goes on with (`July 10, 2015`, `@handle February 1, 2016`)."""
        rest = re.sub(r"@\w+|\bfollow\b", " ", rest, flags=re.I).strip(" ·•|-–—")
        if not rest:
            return None
        found = parse_date_line(rest, self.zone)
        if found is None:
            leading = parse_leading_date(rest, self.zone, "text:byline-date")
            found = DateLine(leading, None) if leading is not None else None
        return found

    def _take_signature(self, name: str, date_line: DateLine | None, raw: str) -> None:
        """A name and a date on one line: the author and (unless relative) the date."""
        if credit_rules.agent_kind(name) is AgentKind.PERSON:
            self.authors.add(_DATED_NAME, (Credit(Agent(name), Role.AUTHOR, raw=raw),))
        if date_line is not None:
            self._take_date(date_line)

    def _take_date(self, date_line: DateLine) -> None:
        article = self.article
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

    def _take_metadata(self, line: _Line, is_first_body: bool) -> str | None:
        """Consume a line that is metadata and say which kind: "header" (a date or byline, as
        printed under a headline), "credits" (wire credits, a sign-off, rights) or "topics";
        None when it is body."""
        text = line.text
        if len(text) > 200:
            return None
        article = self.article
        byline = credit_rules.split_byline(text)  # first: "By A • Nov 11, 2020" holds a date too
        if byline is not None:
            self.authors.add(_BYLINE, byline.credits)
            rest_date = self._date_after_names(byline.rest)
            if rest_date is not None:
                self._take_date(rest_date)
            return "header"
        date_line = parse_date_line(text, self.zone)
        if date_line is not None:
            self._take_date(date_line)
            return "header"
        credit_line = credit_rules.parse_credit_line(text, allow_sign_off=not is_first_body)
        if credit_line is not None:
            article.credits.extend(credit_line.credits)
            article.rights = credit_line.rights or article.rights
            return "credits"
        topics = _TOPICS.match(text)
        if topics is not None:
            article.categories.extend(_split_terms(topics.group("terms")))
            return "topics"
        return None


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


def _at_least(candidate: Timestamp, published: Timestamp) -> Timestamp | None:
    return candidate if candidate.value > published.value else None


def _split_terms(text: str) -> list[str]:
    return [t.strip(" .#") for t in re.split(r"\s*[,;|·•/]\s*", text) if t.strip(" .#")]


def _ends_sentence(text: str) -> bool:
    """A closing sentence of prose ("He added that it was over."), not a teaser or a button."""
    return len(text.split()) >= 4 and text.endswith((".", "!", "?", '"', "”")) and len(text) <= 600


def _is_link_title(text: str) -> bool:
    """A line in a list of related-article links: bulleted, or a short headline-like line."""
    return bool(_BULLET.match(text)) or (len(text.split()) <= 16 and not text.endswith(_TERMINAL))


# --- pass 4: assemble ---------------------------------------------------------------------------


@dataclass(slots=True)  # read-only by convention, like _Line
class _Paragraph:
    lines: tuple[_Line, ...]
    text: str = field(init=False)  # every pass reads it: joined once, when the paragraph is made

    def __post_init__(self) -> None:
        lines = self.lines
        self.text = lines[0].text if len(lines) == 1 else " ".join([line.text for line in lines])

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
            and not _header_under(current, line)
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


def _header_under(current: list[_Line], line: _Line) -> bool:
    """A byline or date line printed right under a one-line headline, without a blank line
    between (`Harbour board votes to rebuild the ferry wharf` / `By Mere Tane`): the headline's
    header, not the rest of a hard-wrapped line."""
    return len(current) == 1 and (_attribution(line.text) >= _STRONG or is_relative_date(line.text))


def _assemble(
    paragraphs: list[_Paragraph], article: _Article, patterns: tuple[CreditPattern, ...]
) -> tuple[list[Block], list[Media]]:
    blocks: list[Block] = []
    media: list[Media] = []
    header_open = True  # still between the headline and the first body paragraph
    printed: set[str] = set()
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if len(text) <= _MAX_REPEATED_CHARS:
            if text in printed:
                continue  # a gallery caption shown twice, a repeated label
            printed.add(text)
        name_line = _name_line(text) if header_open and not _has_author(article) else None
        if name_line is not None:
            article.credits.extend(name_line)
            continue
        figure = _figure(text, f"m{len(media) + 1}", patterns)
        if figure is not None and not figure.caption and blocks:
            figure = _credit_for_previous(figure, blocks, media)
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
    return _label_lists(blocks), media


def _label_lists(blocks: list[Block]) -> list[Block]:
    """A short line ending in a colon just above a list (`Key points:`) is the list's heading."""
    labelled = list(blocks)
    for index, block in enumerate(blocks[:-1]):
        if (
            block.kind is BlockKind.PARAGRAPH
            and block.text.endswith(":")
            and len(block.text.split()) <= 6
            and blocks[index + 1].kind is BlockKind.LIST
        ):
            labelled[index] = Block(BlockKind.HEADING, block.text.rstrip(": "), level=2)
    return labelled


def _credit_for_previous(figure: Media, blocks: list[Block], media: list[Media]) -> Media:
    """A credit on a line of its own (`Credit...Jane Doe`) belongs to the caption above it: to a
    figure without a credit, or to a short paragraph, which then becomes that figure's caption."""
    previous = blocks[-1]
    if previous.kind is BlockKind.FIGURE and media and not media[-1].credits:
        shown = media.pop()
        blocks.pop()
        return replace(
            figure,
            id=shown.id,
            caption=shown.caption,
            credits=tuple(replace(c, target=shown.id) for c in figure.credits),
        )
    if previous.kind is BlockKind.PARAGRAPH and len(previous.text) <= _MAX_CREDITED_CAPTION:
        blocks.pop()
        return replace(figure, caption=previous.text)
    return figure


def _is_standfirst(paragraph: _Paragraph, article: _Article, blocks: list[Block]) -> bool:
    """The paragraph between the headline and the byline or date line: the article's summary.
    Not one that opens with an agency dateline: that is the story's first paragraph."""
    first_meta = article.first_meta_line
    return (
        not blocks
        and first_meta is not None
        and paragraph.number < first_meta
        and credit_rules.parse_agency_dateline(paragraph.text) is None
    )


def _has_author(article: _Article) -> bool:
    return any(c.role in (Role.AUTHOR, Role.REPORTER) for c in article.credits)


def _name_line(text: str) -> tuple[Credit, ...] | None:
    """A bare byline under the headline: `Jane Smith` or `Jane Smith, Political Reporter`.
    Not a menu item or a button shaped like one: `More Options`, `Our Foreign Staff`."""
    if text.endswith(_TERMINAL) or len(text.split()) > 8:
        return None
    name = text.split(",", 1)[0]
    if not credit_rules.looks_like_person(name):
        name = _name_before_role(text) or ""
        if not name:
            return None
        return (Credit(Agent(name, AgentKind.PERSON), Role.AUTHOR, raw=text),)
    credits = credit_rules.parse_byline(f"By {text}")
    return tuple(replace(c, raw=text) for c in credits) if credits else None


def _name_before_role(text: str) -> str | None:
    """`Imogen Marsh Science correspondent`: a name, then a job title, with no comma between."""
    words = text.split()
    for count in range(2, min(4, len(words) - 1) + 1):
        name, role = " ".join(words[:count]), " ".join(words[count:])
        if credit_rules.looks_like_person(name) and credit_rules.looks_like_role(role):
            return name
    return None


def _caption_credit(
    text: str, media_id: str, patterns: tuple[CreditPattern, ...]
) -> credit_rules.CaptionCredit | None:
    if len(text) > _MAX_CAPTION_CHARS:
        return None
    # the feed's own patterns are rare: the defaults are known by identity, not hashed each time
    if patterns is DEFAULT_CREDIT_PATTERNS:
        # most lines end in prose: said no to before the cache is asked (its answer too)
        if not credit_rules.may_hold_default_credit(text):
            return None
        found = _default_credit(text)
    else:
        found = _credit(text, patterns)
    if found is None or media_id == _ANY_MEDIA:
        return found
    # the same credits aimed at this figure: split_caption_credit puts the id only there (built
    # field by field, where dataclasses.replace asks for the fields each time: twice the cost)
    return credit_rules.CaptionCredit(
        found.caption,
        tuple(Credit(c.agent, c.role, media_id, c.raw, c.on_behalf_of) for c in found.credits),
    )


# Caption credits are kept by text alone, aimed at this id: one line is asked by several passes
# (as a headline candidate, as a body line, as a figure).
_ANY_MEDIA = "m0"


@lru_cache(maxsize=4096)
def _default_credit(text: str) -> credit_rules.CaptionCredit | None:
    return credit_rules.split_caption_credit(text, _ANY_MEDIA, DEFAULT_CREDIT_PATTERNS)


@lru_cache(maxsize=4096)
def _credit(
    text: str, patterns: tuple[CreditPattern, ...]
) -> credit_rules.CaptionCredit | None:
    return credit_rules.split_caption_credit(text, _ANY_MEDIA, patterns)


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


_CAPTION_WORD = re.compile(r"[\w’'-]+")
# One word more than an uncredited caption may have, from the start of the text: each word is
# taken whole (possessive quantifiers cannot split one in two), so a match is that many of
# _CAPTION_WORD's words, and a paragraph is said no to in one regex call, not read through.
_TOO_MANY_CAPTION_WORDS = re.compile(
    rf"(?:[^\w’'-]*+[\w’'-]++){{{_MAX_CAPTION_WORDS_UNCREDITED + 1}}}"
)


def _looks_like_bare_caption(text: str) -> bool:
    """`Foreign Minister Winston Peters.`: short, ends with a full stop, mostly capitalised words,
    no verb. A sentence of prose fails on capitals or on its verb."""
    if not text.endswith(".") or '"' in text or "“" in text or "”" in text:
        return False
    if _TOO_MANY_CAPTION_WORDS.match(text) is not None:
        return False
    words = _CAPTION_WORD.findall(text)  # at most _MAX_CAPTION_WORDS_UNCREDITED
    if len(words) < 2:
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
    if _all_bulleted(paragraph.lines):
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
        and not text.endswith(_TERMINAL)
        and not is_last
        and len(text.split(None, 10)) <= 10  # at most ten words, without splitting a paragraph
    ):
        return Block(BlockKind.HEADING, text, level=2)
    return Block(BlockKind.PARAGRAPH, text)


def _dedupe(agents: Iterable[Agent]) -> tuple[Agent, ...]:
    seen: dict[str, Agent] = {}
    for agent in agents:
        seen.setdefault(agent.name, agent)
    return tuple(seen.values())
