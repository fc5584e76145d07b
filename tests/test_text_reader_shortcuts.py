"""More of the text reader's shortcuts (issue 12), each checked against the computation it
replaces, as in tests/test_reading_fast_paths.py: the same answers, only fewer steps."""

from __future__ import annotations

import collections
import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedwright.normalise import boilerplate, credits
from feedwright.normalise.boilerplate import Quality
from feedwright.normalise.text import clean_text
from feedwright.sources import text as text_reader

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_PAGES = [
    path.read_text(encoding="utf-8")
    for folder in (ROOT / "fixtures", ROOT / "fixtures" / "house")
    for path in sorted(folder.glob("*.txt"))
]

# Blocks of every class on their own: menus, repeats, rights lines, code, list items, short
# lines, prose dense and sparse in stopwords, an inline menu.
_BLOCK_TEXTS = [
    "News", "Sport", "He agreed.", "© 2025 RNZ", "SELECT n FROM t;", "Related", "x = f(1);",
    "Privacy | Terms | Ad policy | Careers",
    "The council voted on Tuesday night to build a second bridge across the harbour, "
    "ending a two-year argument over how to ease traffic on the only crossing.",
    "Board costs flood told housing water report climate nurses decrease vote union policy "
    "farmers glacier residents service project survey storm school export spokesperson.",
    "It was the plan of the council, and it was what they had said it would be at the end.",
    "for (i = 0; i < n; i++) { total += the[i]; } // and it is what it was in the end of it",
    "Harbour traffic hits record high", "+ Added the harbour buoys of the north",
]
_blocks = st.lists(
    st.builds(boilerplate.Block, st.sampled_from(_BLOCK_TEXTS), heading=st.booleans(),
              box=st.booleans(), item=st.booleans(), comments=st.booleans()),
    max_size=14,
)


def _reference_context_free(
    blocks: Sequence[boilerplate.Block], words_of: frozenset[str]
) -> list[Quality]:
    """jusText's first pass as first written: code asked with the other tests for bad, every
    test of them made (they are pure: asking them all, or in any order, says the same)."""
    menu = boilerplate._menu_lines(blocks) | boilerplate._cut_short(blocks)
    counts = collections.Counter(block.text for block in blocks)

    def quality(index: int, block: boilerplate.Block) -> Quality:
        text = block.text
        rights_sized = len(text) <= boilerplate.LENGTH_HIGH
        tests_for_bad = (
            index in menu, block.box, "©" in text and rights_sized, boilerplate._symbolic(text),
            boilerplate._inline_menu(text), counts[text] >= 3 and rights_sized and not block.item,
        )
        if any(tests_for_bad):
            return Quality.BAD
        if block.item or len(text) < boilerplate.LENGTH_LOW:
            return Quality.NEARGOOD if block.item else Quality.SHORT
        density = boilerplate.stopword_density(text, words_of)
        if density < boilerplate.STOPWORDS_LOW:
            return Quality.BAD
        whole = len(text) > boilerplate.LENGTH_HIGH or text.endswith(boilerplate._SENTENCE_END)
        return Quality.GOOD if density >= boilerplate.STOPWORDS_HIGH and whole else Quality.NEARGOOD

    return [quality(index, block) for index, block in enumerate(blocks)]


@settings(max_examples=300)
@given(_blocks)
def test_code_asked_last_gives_the_same_classes(page: list[boilerplate.Block]) -> None:
    """_context_free asks whether a block is code only when it would not be bad anyway."""
    words_of = boilerplate.stopwords()
    assert boilerplate._context_free(page, words_of) == _reference_context_free(page, words_of)


def test_code_asked_last_gives_the_fixtures_classes() -> None:
    words_of = boilerplate.stopwords()
    for page in FIXTURE_PAGES:
        paragraphs = text_reader._paragraphs(text_reader._split_lines(page))
        page_blocks = [text_reader._block(p, text_reader._list_of_points(p)) for p in paragraphs]
        expected = _reference_context_free(page_blocks, words_of)
        assert boilerplate._context_free(page_blocks, words_of) == expected


_FORBIDDEN = "[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


@settings(max_examples=500)
@given(st.one_of(
    st.text(alphabet="ab \t\n\r\x00\x07\x0b\x0c\x1f\x7f\x85©é—’\u0301\ud800\udfff\ufffd\ufffe"
                     "\uffff\U0001f600\u2028", max_size=16),
    st.text(max_size=40),
))
def test_text_beyond_latin1_is_cleaned_as_the_regex_cleans_it(text: str) -> None:
    """clean_text on text that is not Latin-1 (an em dash, a curly quote): control bytes
    deleted from its UTF-8, the regex only for surrogates and U+FFFE, U+FFFF."""
    for page in (text, text + "—"):  # "—": never Latin-1
        assert clean_text(page) == re.sub(_FORBIDDEN, "", unicodedata.normalize("NFC", page))


@settings(max_examples=300)
@given(_blocks, st.sets(st.sampled_from(_BLOCK_TEXTS)))
def test_a_heading_asked_where_it_counts_gives_the_same_scores(
    page: list[boilerplate.Block], headings: set[str]
) -> None:
    """score() told how to ask a block's heading shape gives what it gives of blocks built
    with their shape, asked of them all."""
    marked = [dataclasses.replace(block, heading=block.text in headings) for block in page]
    unmarked = [dataclasses.replace(block, heading=False) for block in page]
    # in English: the page's own language would read every stopword list on the first example
    asked = boilerplate.score(unmarked, "English", heading=headings.__contains__)
    assert asked == boilerplate.score(marked, "English")


def test_the_fixtures_score_alike_with_their_headings_asked_where_they_count() -> None:
    for page in FIXTURE_PAGES:
        paragraphs = text_reader._paragraphs(text_reader._split_lines(page))
        unmarked = [text_reader._block(p, text_reader._list_of_points(p)) for p in paragraphs]
        marked = [
            dataclasses.replace(block, heading=text_reader._heading_shaped(block.text))
            for block in unmarked
        ]
        asked = boilerplate.score(unmarked, heading=text_reader._heading_shaped)
        assert asked == boilerplate.score(marked)


def _reference_name_and_date(text: str) -> tuple[str, object] | None:
    """_name_and_date as first written: every name of two to five words tried."""
    if text_reader._MAY_DATE.search(text) is None:
        return None
    words = text.split()
    for count in range(2, min(5, len(words) - 1) + 1):
        name = " ".join(words[:count]).rstrip(",")
        if not credits.looks_like_person(name) or name.lower() in credits.NOT_NAMES:
            continue
        rest = " ".join(words[count:]).strip(" -–—|·•@,")
        if text_reader.is_relative_date(rest):
            return name, None
        found = text_reader.parse_date_line(rest, UTC)
        if found is not None:
            return name, found
    return None


_SIGNATURE_PIECES = st.lists(
    st.sampled_from(["Dan", "Goodin", "de", "van", "Mary-Jane", "O’Neil", "J.R.", "staff", "the",
                     "Doe,", ",", ",,", "-", "—", "•", "Apr", "16,", "2015", "8:02", "pm", "UTC",
                     "1", "day", "ago", "8h", "yesterday", "Łukasz", "News", "Supplied", "x"]),
    max_size=9,
).map(" ".join)


@settings(max_examples=500)
@given(st.one_of(_SIGNATURE_PIECES, st.text(max_size=40)))
@example("Dan Goodin - Apr 16, 2015 8:02 pm UTC")
@example("Alex Perry 1 day ago")
@example("Jane Doe, 8h")
@example("Jane , 1 day ago")
@example("Bank trade research 3 May 2024")
def test_a_name_and_date_is_found_as_trying_every_name_finds_it(text: str) -> None:
    assert text_reader._name_and_date(text, UTC) == _reference_name_and_date(text)


def test_the_fixture_lines_give_the_same_names_and_dates() -> None:
    for page in FIXTURE_PAGES:
        for line in page.splitlines():
            assert text_reader._name_and_date(line, UTC) == _reference_name_and_date(line)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["News", "x = f(1);", "SELECT n FROM t;", "He agreed.", "│ 2 │"]),
                min_size=1, max_size=30))
def test_a_run_is_largely_code_as_counting_all_of_it_says(texts: list[str]) -> None:
    page = [boilerplate.Block(text) for text in texts]
    run = list(range(len(page)))
    counted = sum(block.symbolic for block in page) >= boilerplate._CODE_SHARE * len(run)
    assert boilerplate._largely_code(page, run) is counted
