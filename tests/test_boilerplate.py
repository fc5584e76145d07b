"""Block scoring on whole pages (normalise/boilerplate.py): prose against menus, and the span of
densest prose that the text reader takes as the article's body."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from feedwright.normalise import boilerplate
from feedwright.normalise.boilerplate import (
    Block,
    Quality,
    article_span,
    classify,
    score,
    stopwords,
)

PROSE = (
    "The council voted on Tuesday night to build a second bridge across the harbour, ending a "
    "two-year argument over how to ease traffic on the only crossing."
)
MENU = [Block(w) for w in ("News", "Politics", "Business", "Sport", "Weather", "Opinion")]


def prose(n: int) -> Block:
    """A paragraph of prose, different each time (a page repeating a block makes it furniture)."""
    return Block(f"{PROSE} It was the {n}th time the plan had come before the council.")


def test_stopwords_are_jusTexts_own():
    english = stopwords()
    assert {"the", "of", "was"} <= english
    assert stopwords("No Such Language") == english  # falls back rather than failing


def test_menus_are_bad_and_prose_is_good():
    blocks = [*MENU, prose(1), prose(2)]
    classes = classify(blocks)
    assert classes[: len(MENU)] == [Quality.BAD] * len(MENU)
    assert classes[len(MENU) :] == [Quality.GOOD, Quality.GOOD]


def test_a_short_line_between_prose_takes_its_neighbours_class():
    blocks = [prose(1), Block("He agreed."), prose(2)]
    assert classify(blocks) == [Quality.GOOD, Quality.GOOD, Quality.GOOD]


def test_span_bridges_a_small_box_but_not_the_comments():
    box = [Block("Related", box=True), Block("Harbour traffic hits record high")]
    comments = [Block("Comments", comments=True), prose(1), prose(2)]
    blocks = [*MENU, prose(3), *box, prose(4), prose(5), *comments]
    span = article_span(blocks, score(blocks))
    assert span == (len(MENU), len(MENU) + 4)


def test_code_listings_do_not_split_an_article():
    code = [Block(line) for line in ("SELECT n,", "FROM series;", "n │ zscore", "2 │ -0.75")]
    blocks = [prose(1), *code, prose(2), *code, prose(3)]
    scores = score(blocks)
    assert [scores.final[i] for i in range(1, 1 + len(code))] == [Quality.BAD] * len(code)
    assert article_span(blocks, scores) == (0, len(blocks) - 1)


def test_no_prose_no_span():
    assert article_span(MENU, score(MENU)) is None


def test_blurbs_under_end_matter_are_teasers_until_prose_runs_on():
    teasers = [Block("Harbour traffic hits record high"), prose(3), Block("Tolls"), prose(4)]
    end = [Block("More stories", box=True), *teasers]
    page = [*MENU, prose(1), prose(2), *end]
    assert article_span(page, score(page)) == (len(MENU), len(MENU) + 1)
    # two paragraphs in a row after the box: the article goes on
    resumed = [*MENU, prose(1), *end[:2], prose(5), prose(6)]
    assert article_span(resumed, score(resumed)) == (len(MENU), len(resumed) - 1)


def test_a_page_without_prose_takes_its_list_of_statements_for_prose():
    notes = [Block(f"+ Added the {n}th kind of harbour buoy", item=True) for n in range(5)]
    blocks = [*MENU, *notes]
    scores = score(blocks)
    assert scores.initial[len(MENU) :] == [Quality.GOOD] * len(notes)
    assert article_span(blocks, scores) == (len(MENU), len(blocks) - 1)
    # beside prose, a list is no article on its own: its items are near-good as before
    with_prose = [prose(1), *notes]
    assert score(with_prose).initial[1:] == [Quality.NEARGOOD] * len(notes)


def test_one_paragraph_longer_than_a_blurb_resumes_the_article_after_end_matter():
    long_paragraph = Block(" ".join([PROSE] * 3))
    page = [*MENU, prose(1), Block("Related", box=True), long_paragraph, Block("Tolls"), prose(2)]
    assert article_span(page, score(page)) == (len(MENU), len(page) - 1)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_letter_and_space_counts_are_the_regexes_own(text: str):
    """The code-or-data test counts letters and visible characters with bytes.translate on the
    ASCII part: the counts are exactly what the regular expressions give, for any text."""
    letters = len(re.sub(r"[\W\d_]+", "", text))
    visible = len(re.sub(r"\s+", "", text))
    count = boilerplate._count_other
    assert count(text, boilerplate._NOT_LETTERS, boilerplate._ASCII_NOT_LETTERS) == letters
    assert count(text, boilerplate._SPACES, boilerplate._ASCII_SPACES) == visible


GERMAN = [
    "Der Hafenrat hat am Montag beschlossen, den alten Fähranleger wieder aufzubauen, der seit "
    "einem Sturm vor zwei Wintern für die Öffentlichkeit gesperrt ist.",
    "Die Arbeiten sollen im Frühjahr beginnen und etwa ein Jahr dauern, und die Fähren werden "
    "in dieser Zeit von einem provisorischen Ponton aus fahren.",
]


def test_the_page_language_is_the_one_its_prose_is_densest_in_stopwords():
    """A text dump does not say its language: it is the stopword list its prose is densest in,
    and English unless another list is clearly denser (word salad and code have none)."""
    assert boilerplate.page_language([b.text for b in MENU] + GERMAN) == "German"
    assert boilerplate.page_language([b.text for b in (*MENU, prose(1), prose(2))]) == "English"
    salad = "Budget harbour council flood teachers court rates housing market farmers union"
    assert boilerplate.page_language([f"{salad} {n}." for n in range(5)]) == "English"
    assert boilerplate.page_language(b.text for b in MENU) == "English"  # no prose to tell by


def test_prose_in_another_language_is_prose_in_its_own_stopwords():
    blocks = [*MENU, *(Block(t) for t in GERMAN)]
    assert classify(blocks, "English")[-2:] == [Quality.BAD, Quality.BAD]  # no English stopword
    assert classify(blocks)[-2:] == [Quality.GOOD, Quality.GOOD]


def test_blocks_cut_short_are_bad_only_where_a_page_shows_several():
    cut = [Block(f"{PROSE} It was the {n}th time the plan came before the coun...") for n in "123"]
    assert classify([*MENU, prose(1), prose(2), *cut])[-3:] == [Quality.BAD] * 3
    assert classify([*MENU, prose(1), prose(2), *cut[:2]])[-2:] == [Quality.GOOD] * 2
