"""Which blocks of a whole page are the article: jusText's idea, for text without markup.

A page copied out of a browser holds menus, sign-in prompts, teaser lists and comment widgets as
well as the article, and position says little about which is which. What does is the shape of
each block and of its neighbours (Pomikálek's jusText, 2011): prose is long and dense in
stopwords ("the", "of", "was"); menus and link lists are runs of short lines without punctuation
and with few stopwords; a short block takes the class of the blocks around it. The stopword list
is jusText's own (the `justext` package, installed with trafilatura).

Without markup there is no link density; a copyright sign on a short line and menu-shaped runs
stand in for it.
The classes are then turned into one span, the densest stretch of prose on the page (a maximum
sum over the blocks, good ones adding their length and bad ones taking some away), so that a
small box inside the article ("Related", a photo gallery) is bridged while the comments and
teasers far below it are not.
"""

from __future__ import annotations

import collections
import importlib.util
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

# jusText's defaults (justext.core): lengths in characters, densities as fractions of words.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
MAX_HEADING_DISTANCE = 200

#: A run of at least this many short lines without closing punctuation is a menu or link list.
MENU_RUN = 4
_MENU_LINE_CHARS = 70
_TERMINAL = (".", "!", "?", '"', "”", "’", ":", ";", ")", "…")
_SENTENCE_END = (".", "!", "?", '."', ".”", "?”", "!”", '?"', '!"')

#: Span scoring: a good block adds its length; a bad one costs this much (a short one less).
_BAD_LONG_COST = 0.5  # per character of a bad block of prose length (teasers, comment blurbs)
_BAD_SHORT_COST = 25.0  # per short bad block (a menu item, a button, a gallery control)
_BOX_COST = 150.0  # a line that opens end matter ("More stories"): only real text bridges it

_WORD = re.compile(r"[\w’'-]+")


class Quality(Enum):
    GOOD = "good"
    NEARGOOD = "neargood"
    SHORT = "short"
    BAD = "bad"


class _worked_out_once:  # a decorator, named like functools.cached_property
    """functools.cached_property without its lock (Python 3.11 takes one on every first read,
    ~1 us): the value is put in the instance's __dict__, where later reads find it directly."""

    def __init__(self, method: Callable[[Any], bool]) -> None:
        self.method = method
        self.name = method.__name__
        self.__doc__ = method.__doc__

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.method(instance)
        instance.__dict__[self.name] = value
        return value


# Read-only by convention, not frozen: a page makes a few dozen, and a frozen dataclass costs
# three times as much to create.
@dataclass
class Block:
    """What the classifier needs to know of one block of the page."""

    text: str
    heading: bool = False  # shaped like a heading (the reader knows its own conventions)
    box: bool = False  # a line that opens end matter or a link box
    item: bool = False  # a bulleted statement ("+ Added slime blocks"): a list, not a menu
    comments: bool = False  # opens the readers' comments: the article never runs past it

    @_worked_out_once
    def symbolic(self) -> bool:
        """Code or data rather than words (asked by both passes: worked out once)."""
        return _symbolic(self.text)


@cache
def stopwords(language: str = "English") -> frozenset[str]:
    """jusText's stopword list for a language (English when it has none for the language).

    Read from the package's data files rather than through `justext.get_stoplist`, whose import
    loads jusText's HTML parser (lxml) that the text reader has no use for."""
    for name in (language, "English"):
        for folder in _stoplist_folders():
            path = folder / f"{name}.txt"
            if path.is_file():
                # lowered whole, then split: the same words (lowering makes and takes no
                # whitespace), a third cheaper than lowering each
                return frozenset(path.read_text(encoding="utf-8").lower().split())
    raise RuntimeError("jusText's stopword lists are missing: reinstall the justext package")


@cache
def _stoplist_folders() -> tuple[Path, ...]:
    """The folders of jusText's stopword lists, one file a language (`English.txt`)."""
    spec = importlib.util.find_spec("justext")
    found = spec.submodule_search_locations if spec else None
    return tuple(Path(f) / "stoplists" for f in found or [] if (Path(f) / "stoplists").is_dir())


@cache
def _stoplists() -> tuple[tuple[str, frozenset[str]], ...]:
    """Every language's stopwords (read once, when a page first needs them)."""
    names = sorted({p.stem for folder in _stoplist_folders() for p in folder.glob("*.txt")})
    return tuple((name, stopwords(name)) for name in names)


#: Words of the page's prose that the language is guessed from (enough to tell, cheap to count).
_LANGUAGE_SAMPLE_WORDS = 200


def page_language(texts: Iterable[str], default: str = "English") -> str:
    """The language whose stopwords the page's prose (the texts of its blocks) is densest in.
    jusText is told the language of a page; a text dump does not say it, and measured with
    English stopwords an article in Indonesian or Russian has none, so its menus outscore it.
    `default` stays unless the page's longer blocks reach jusText's STOPWORDS_LOW in another
    language's list and are at least twice as dense in it: English prose never leaves it, nor
    text in no language (word salad, code)."""
    sample: list[str] = []
    for text in texts:
        if len(text) >= LENGTH_LOW:
            sample.extend(_words(text))
            if len(sample) >= _LANGUAGE_SAMPLE_WORDS:
                break
    if not sample:
        return default
    # The sample's words are _WORD's words in lower case already: counted as they stand, they
    # give what stopword_density gives of their joined text, each distinct word asked once.
    counts = collections.Counter(sample)
    words_of_default = stopwords(default)
    in_default = sum(n for word, n in counts.items() if word in words_of_default) / len(sample)
    if in_default >= STOPWORDS_LOW:
        return default  # most pages: one count, no other list read
    # Each distinct word is looked up in the lists that hold it (found once for each word, the
    # first time a page has it), rather than every list intersected with the sample (a hundred
    # lists: ~1 ms a page of word salad).
    hits = [0] * len(_stoplists())
    for word, n in counts.items():
        for language in _languages_holding(word):
            hits[language] += n
    # the most hits; on a tie the default, else the first language in the lists' order
    names = _stoplist_names()
    most = max(hits)
    if default in names and hits[names.index(default)] == most:
        return default
    best = names[hits.index(most)]
    density = most / len(sample)
    if best != default and density >= STOPWORDS_LOW and density >= 2 * in_default:
        return best
    return default


# Kept for the words met so far: a process meets a few thousand distinct words, where the lists
# hold ~150,000 and an index of them all cost ~0.2 s to build, paid once by every reading worker.
@lru_cache(maxsize=65536)
def _languages_holding(word: str) -> tuple[int, ...]:
    """The positions in _stoplists() of the languages whose lists hold the word."""
    return tuple(index for index, (_, words) in enumerate(_stoplists()) if word in words)


@cache
def _stoplist_names() -> tuple[str, ...]:
    return tuple(name for name, _ in _stoplists())


def _words(text: str) -> list[str]:
    """_WORD's words of the text in lower case (for ASCII text by stopword_density's table)."""
    if text.isascii():
        # the table leaves only word characters and spaces, and str.split splits at spaces only
        return text.encode("ascii").translate(_ASCII_WORD_LOWER).decode("ascii").split()
    return _WORD.findall(text.lower())


def stopword_density(text: str, words_of: frozenset[str]) -> float:
    if text.isascii():
        # The same words as _WORD finds in text.lower(), 3x faster: in ASCII text a capital
        # becomes its small letter, any other character _WORD does not take a space, and the
        # bytes are split there.
        ascii_words = text.encode("ascii").translate(_ASCII_WORD_LOWER).split()
        if not ascii_words:
            return 0.0
        return sum(map(_ascii_words(words_of).__contains__, ascii_words)) / len(ascii_words)
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    return sum(map(words_of.__contains__, words)) / len(words)


# A page's long blocks are asked twice, by may_read_as_prose and by _context_free: counted once
# (the text is the same string both times, so its hash is already known).
_block_density = lru_cache(maxsize=1024)(stopword_density)


#: bytes.translate table: an ASCII character _WORD matches stays (in lower case), any other
#: becomes a space.
_ASCII_WORD_LOWER = bytes(
    ord(chr(c).lower()) if c < 128 and _WORD.match(chr(c)) else 32 for c in range(256)
)


@cache
def _ascii_words(words: frozenset[str]) -> frozenset[bytes]:
    """A stopword list's ASCII words as bytes (no other word can equal an ASCII one)."""
    return frozenset(w.encode("ascii") for w in words if w.isascii())


@dataclass(frozen=True)
class Scores:
    """jusText's two opinions of each block: on its own (`initial`), and with its neighbours
    asked (`final`, GOOD or BAD)."""

    initial: list[Quality]
    final: list[Quality]

    def prose(self, index: int) -> bool:
        """Good on its own (long, dense in stopwords): where an article's prose can begin, as
        against a heading that took its class from the text below it."""
        return self.initial[index] is Quality.GOOD

    def near_prose(self, index: int) -> bool:
        """Good or near-good on its own: a bad block that still reads as prose."""
        return self.initial[index] in (Quality.GOOD, Quality.NEARGOOD)


def score(
    blocks: Sequence[Block],
    language: str | None = None,
    heading: Callable[[str], bool] | None = None,
) -> Scores:
    """Each block's class on its own and in its context, by jusText's two passes, with the
    stopwords of `language` (None: the page's own, page_language). `heading` says whether a
    block's text is shaped like a heading, in place of the blocks' own `heading`: it is asked
    only of the few blocks whose class a heading's shape can change (short ones, and those the
    revision made bad), where working the shape out for every block cost more than the rest of
    building it."""
    language = language or page_language(block.text for block in blocks)
    initial = _context_free(blocks, stopwords(language))
    if Quality.GOOD not in initial:
        initial = _lists_as_prose(blocks, initial)
    if Quality.GOOD not in initial and Quality.NEARGOOD not in initial:
        # Only bad and short blocks: _revise gives every short one the class of its nearest
        # good-or-bad neighbours (bad, there being no good one; a heading needs good text near
        # it), so every block is bad. Most pages of generated text are such (few stopwords).
        return Scores(initial, [Quality.BAD] * len(initial))
    return Scores(initial, _revise(blocks, initial, heading))


def may_read_as_prose(text: str, item: bool, language: str = "English") -> bool:
    """Whether `score` could class a block of this text GOOD or NEAR-GOOD, on its own or as a
    list: only a bulleted statement, or a block long enough and dense enough in stopwords, can
    be. A page none of whose blocks may is all bad (no article span), which the reader can then
    know without building and scoring its blocks (most pages of generated text: few stopwords)."""
    return item or (
        len(text) >= LENGTH_LOW and _block_density(text, stopwords(language)) >= STOPWORDS_LOW
    )


def _lists_as_prose(blocks: Sequence[Block], classes: list[Quality]) -> list[Quality]:
    """A page without one block of prose can still hold an article that is a list (release
    notes, a changelog): runs of MENU_RUN or more bulleted statements are then its prose."""
    promoted = list(classes)
    run: list[int] = []
    for index, block in enumerate([*blocks, Block("")]):  # a sentinel closes the last run
        if block.item and classes[index] is not Quality.BAD:
            run.append(index)
            continue
        if len(run) >= MENU_RUN:
            for i in run:
                promoted[i] = Quality.GOOD
        run = []
    return promoted


def classify(blocks: Sequence[Block], language: str | None = None) -> list[Quality]:
    """Each block's final class, GOOD or BAD."""
    return score(blocks, language).final


def article_span(blocks: Sequence[Block], scores: Scores) -> tuple[int, int] | None:
    """The first and last index of the densest stretch of good blocks, or None when the page
    has no good block at all. Kadane's maximum-sum subarray: linear in the blocks."""
    classes = scores.final
    if Quality.GOOD not in classes:
        return None  # the span ends in a good block
    weights = _weights(blocks, scores)
    best: tuple[float, int, int] | None = None
    total, start = 0.0, 0
    for index, (weight, quality) in enumerate(zip(weights, classes, strict=True)):
        if total <= 0:
            total, start = 0.0, index
        total += weight
        if quality is Quality.GOOD and (best is None or total > best[0]):
            best = (total, start, index)
    if best is None:
        return None
    _, first, last = best
    while classes[first] is not Quality.GOOD:
        first += 1
    return first, last


def _weights(blocks: Sequence[Block], scores: Scores) -> list[float]:
    """A good block adds its length; a bad one costs, and so does a teaser under end matter. A
    run of bad blocks that is largely code or data (an SQL listing, a table) costs nothing:
    articles hold those, menus do not."""
    classes = scores.final
    teasers = _teasers(blocks, scores)
    weights = [
        _weight(b, Quality.BAD if i in teasers else q)
        for i, (b, q) in enumerate(zip(blocks, classes, strict=True))
    ]
    run: list[int] = []
    for index, quality in enumerate([*classes, Quality.GOOD]):  # a sentinel ends the last run
        if quality is not Quality.GOOD:
            run.append(index)
            continue
        if run and _largely_code(blocks, run):
            for i in run:
                if not blocks[i].comments:
                    weights[i] = max(weights[i], 0.0)
        run = []
    return weights


def _largely_code(blocks: Sequence[Block], run: list[int]) -> bool:
    """At least _CODE_SHARE of the run's blocks are code or data. Counted only until that is
    decided: a menu's run of bad blocks says no when too few are left to reach the share, and
    each block asked is worked out (`symbolic`, the dearest of the scorer's tests)."""
    needed = _CODE_SHARE * len(run)
    found = 0
    for asked, index in enumerate(run):
        if found >= needed:
            return True
        if found + len(run) - asked < needed:
            return False
        found += blocks[index].symbolic
    return found >= needed


def _teasers(blocks: Sequence[Block], scores: Scores) -> set[int]:
    """The good blocks under a line that opens end matter (`More stories`, `Latest news`) until
    the article resumes with two blocks of prose in a row (or one longer than a blurb), or the
    box ends in a run of MENU_RUN bad blocks (a menu, a share bar). Other stories' blurbs stand
    one at a time, each under its title and byline; an article's paragraphs follow one another."""
    teasers: set[int] = set()
    after_end = False
    bad_run = 0
    for index, block in enumerate(blocks):
        good = scores.final[index] is Quality.GOOD
        bad_run = 0 if good or block.box else bad_run + 1
        if block.box:
            after_end = True
        elif bad_run >= MENU_RUN:
            after_end = False
        elif after_end and good:
            resumes = scores.prose(index) and (
                len(block.text) > 2 * LENGTH_HIGH  # longer than a blurb
                or (index + 1 < len(blocks) and scores.prose(index + 1))
            )
            if resumes:
                after_end = False
            else:
                teasers.add(index)
    return teasers


def _weight(block: Block, quality: Quality) -> float:
    if block.comments:
        return -math.inf
    if block.box:
        return -_BOX_COST
    if quality is Quality.GOOD:
        return float(len(block.text))
    if len(block.text) < LENGTH_LOW:
        return -_BAD_SHORT_COST
    return -_BAD_LONG_COST * len(block.text)


_CODE_MARKS = re.compile(r"[{}\[\];=│┼─]|\w\(|=>|//|^\$ |^>>> ")
#: A character that every match of _CODE_MARKS holds, but for the two at the start of the text.
_CODE_MARK_CHARS = re.compile(r"[{}\[\];=│┼─(/]")
_REPEATS = 3  # a block printed this often on one page is furniture: prose is not repeated
_MENU_SEPARATORS = re.compile(r"\s+[|·•]\s+|\s*\|\s*")


def _inline_menu(text: str) -> bool:
    """A row of links on one line: `Privacy | Terms | Ad policy | Careers`."""
    if "|" not in text and "·" not in text and "•" not in text:
        return False  # no separator: one part (most blocks, and the cheap way to say so)
    parts = [p for p in _MENU_SEPARATORS.split(text) if p.strip()]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)


_CODE_SHARE = 0.3


_NOT_LETTERS = re.compile(r"[\W\d_]")
_SPACES = re.compile(r"\s")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
# The ASCII characters each pattern matches, for bytes.translate: the same count as the regex,
# an order of magnitude faster on long prose.
_ASCII_NOT_LETTERS = bytes(c for c in range(128) if _NOT_LETTERS.match(chr(c)))
_ASCII_SPACES = bytes(c for c in range(128) if _SPACES.match(chr(c)))


def _count_other(text: str, pattern: re.Pattern[str], ascii_matching: bytes) -> int:
    """How many characters of the text `pattern` (one character) does not match."""
    ascii_part = text.encode("ascii", "ignore")  # the non-ASCII characters are counted apart
    kept = len(ascii_part.translate(None, ascii_matching))
    if len(ascii_part) == len(text):
        return kept
    return kept + sum(1 for c in _NOT_ASCII.findall(text) if pattern.match(c) is None)


def _mostly_symbols(letters: int, visible: int) -> bool:
    return visible >= 3 and letters < 0.6 * visible


def _symbolic(text: str) -> bool:
    """Code or data rather than words: mostly digits and symbols, or a line that is not a
    sentence and holds code punctuation (braces, semicolons, `f(`, box-drawing characters)."""
    ascii_part = text.encode("ascii", "ignore")
    if len(ascii_part) == len(text):  # ASCII: both counts from the one encoding
        letters = len(ascii_part.translate(None, _ASCII_NOT_LETTERS))
        # letters six tenths of all the characters are so of the visible ones: prose is told
        # without counting its spaces (the dearer count: a space is every sixth character)
        if letters < 0.6 * len(text) and _mostly_symbols(
            letters, len(ascii_part.translate(None, _ASCII_SPACES))
        ):
            return True
    elif _mostly_symbols(
        _count_other(text, _NOT_LETTERS, _ASCII_NOT_LETTERS),
        _count_other(text, _SPACES, _ASCII_SPACES),
    ):
        return True
    if text.endswith(_SENTENCE_END):
        return False
    # most text holds none of the marks' characters: one character class says so, where the
    # alternation of _CODE_MARKS is tried at every position
    if _CODE_MARK_CHARS.search(text) is None and not text.startswith(("$ ", ">>> ")):
        return False
    return _CODE_MARKS.search(text) is not None


#: Blurbs cut short by the page: an ellipsis glued to a cut word (`...Active Noise Cancellat...`,
#: `and what…`). An author's trailing ellipsis stands after a space or a whole sentence.
_CUT_SHORT = re.compile(r"\w(?:\.\.\.|…)$")
#: A page with this many blocks cut short shows teasers: a blurb is printed cut, a paragraph whole.
CUT_SHORT_TEASERS = 3


def _cut_short(blocks: Sequence[Block]) -> set[int]:
    """Blocks cut short with an ellipsis, where the page has CUT_SHORT_TEASERS of them or more:
    the blurbs of other stories, however much they read like prose."""
    cut = {
        index
        for index, block in enumerate(blocks)
        if block.text.endswith(("...", "…")) and _CUT_SHORT.search(block.text)
    }
    return cut if len(cut) >= CUT_SHORT_TEASERS else set()


def _context_free(blocks: Sequence[Block], words_of: frozenset[str]) -> list[Quality]:
    menu = _menu_lines(blocks) | _cut_short(blocks)
    seen: dict[str, int] = {}
    for block in blocks:
        seen[block.text] = seen.get(block.text, 0) + 1
    classes: list[Quality] = []
    for index, block in enumerate(blocks):
        length = len(block.text)
        if (
            index in menu
            or block.box
            # a rights line; a paragraph of prose with a picture's (c) credit glued on is prose
            or ("©" in block.text and length <= LENGTH_HIGH)
            or _inline_menu(block.text)
            # widget labels, teaser titles and blurbs; not long prose, however often it recurs
            or (seen[block.text] >= _REPEATS and length <= LENGTH_HIGH and not block.item)
        ):
            classes.append(Quality.BAD)
            continue
        quality = _on_its_own(block, length, words_of)
        # Code or data is bad too. Asked last, and only of a block that would not be bad anyway
        # (most long blocks of a page without prose are, by their stopwords): every test here
        # is pure, so the order changes no class, and `symbolic` is the dearest of them.
        classes.append(Quality.BAD if quality is not Quality.BAD and block.symbolic else quality)
    return classes


def _on_its_own(block: Block, length: int, words_of: frozenset[str]) -> Quality:
    """A block's class by its kind, length and stopwords alone (jusText's, for one not yet
    found to be a menu line, a box, a rights line, a repeat, or code)."""
    if block.item:
        return Quality.NEARGOOD  # list items are short by nature
    if length < LENGTH_LOW:
        return Quality.SHORT
    density = _block_density(block.text, words_of)
    if density >= STOPWORDS_HIGH:
        # A news paragraph is often one sentence: a whole sentence dense in stopwords reads as
        # prose even when it is shorter than jusText's LENGTH_HIGH.
        sentence = block.text.endswith(_SENTENCE_END)
        return Quality.GOOD if length > LENGTH_HIGH or sentence else Quality.NEARGOOD
    if density >= STOPWORDS_LOW:
        return Quality.NEARGOOD
    return Quality.BAD


def _menu_lines(blocks: Sequence[Block]) -> set[int]:
    """Indices of blocks in runs of MENU_RUN or more short unpunctuated lines."""
    menu: set[int] = set()
    run: list[int] = []
    for index, block in enumerate([*blocks, Block(".")]):  # a sentinel closes the last run
        text = block.text
        if len(text) < _MENU_LINE_CHARS and not text.endswith(_TERMINAL) and not block.item:
            run.append(index)
            continue
        if len(run) >= MENU_RUN:
            menu.update(run)
        run = []
    return menu


def _nearest(
    classes: Sequence[Quality], kinds: tuple[Quality, ...]
) -> tuple[list[Quality], list[Quality]]:
    """For each index, the class of the nearest block before and after it whose class is one of
    `kinds` (BAD past either end of the page). Two linear scans, so the pass stays linear."""
    before: list[Quality] = []
    last = Quality.BAD
    for quality in classes:
        before.append(last)
        if quality in kinds:
            last = quality
    after: list[Quality] = [Quality.BAD] * len(classes)
    last = Quality.BAD
    for index in range(len(classes) - 1, -1, -1):
        after[index] = last
        if classes[index] in kinds:
            last = classes[index]
    return before, after


# Tuples, not sets: `in` compares members by identity first, where a set hashes the member
# (an Enum's __hash__ is Python code: ~140 calls a page).
_GOOD_OR_BAD = (Quality.GOOD, Quality.BAD)
_NOT_SHORT = (Quality.GOOD, Quality.BAD, Quality.NEARGOOD)


def _good_within(blocks: Sequence[Block], classes: Sequence[Quality], index: int) -> bool:
    """A good block follows within MAX_HEADING_DISTANCE characters."""
    distance = 0
    for later in range(index + 1, len(blocks)):
        if classes[later] is Quality.GOOD:
            return True
        distance += len(blocks[later].text)
        if distance > MAX_HEADING_DISTANCE:
            return False
    return False


def _revise(
    blocks: Sequence[Block],
    initial: list[Quality],
    heading: Callable[[str], bool] | None = None,
) -> list[Quality]:
    """jusText's context-sensitive pass (justext.core.revise_paragraph_classification). A
    block's heading shape is asked after its class (the tests are pure: the order changes no
    answer), so only where the class leaves it to decide, and at most once a block."""
    shapes: dict[int, bool] = {}

    def is_heading(index: int) -> bool:
        if heading is None:
            return blocks[index].heading
        if index not in shapes:
            shapes[index] = heading(blocks[index].text)
        return shapes[index]

    classes = list(initial)
    for index in range(len(blocks)):  # short headings just before good text
        short_heading = classes[index] is Quality.SHORT and is_heading(index)
        if short_heading and _good_within(blocks, classes, index):
            classes[index] = Quality.NEARGOOD
    # short blocks take their neighbours' class (all decided on the classes before this pass)
    good_or_bad = _nearest(classes, _GOOD_OR_BAD)
    any_class = _nearest(classes, _NOT_SHORT)
    revised = list(classes)
    for index, quality in enumerate(classes):
        if quality is not Quality.SHORT:
            continue
        before, after = good_or_bad[0][index], good_or_bad[1][index]
        if before is after:
            revised[index] = before
        elif (before is Quality.BAD and any_class[0][index] is Quality.NEARGOOD) or (
            after is Quality.BAD and any_class[1][index] is Quality.NEARGOOD
        ):
            revised[index] = Quality.GOOD
        else:
            revised[index] = Quality.BAD
    classes = revised
    # near-good blocks: good unless both neighbours are bad. Decided left to right, so the block
    # before is always decided already; the one after is the next good or bad block.
    after_of = _nearest(classes, _GOOD_OR_BAD)[1]
    for index, quality in enumerate(classes):
        if quality is Quality.NEARGOOD:
            before = classes[index - 1] if index else Quality.BAD
            both_bad = before is Quality.BAD and after_of[index] is Quality.BAD
            classes[index] = Quality.BAD if both_bad else Quality.GOOD
    for index in range(len(blocks)):  # headings of good text that were judged bad
        if (
            classes[index] is Quality.BAD
            and initial[index] is not Quality.BAD
            and is_heading(index)
            and _good_within(blocks, classes, index)
        ):
            classes[index] = Quality.GOOD
    return classes
