"""Each shortcut the text reader takes for speed (issue 12) gives what the full computation it
skips would give: the pre-checks are exact, never heuristics. Checked on generated text that is
dense in the characters each shortcut looks for, and on the paragraphs of the real fixtures."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedwright.normalise import boilerplate, chrome, credits, dates, merge
from feedwright.normalise import html as html_module
from feedwright.normalise.text import clean_text, fold_spaces
from feedwright.serialise import content_hash, entry_to_json, record_and_hash
from feedwright.sources import text as text_reader

from .test_roundtrip import entries

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_LINES = sorted(
    {
        line.strip()
        for folder in (ROOT / "fixtures", ROOT / "fixtures" / "house")
        for path in folder.glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
)

# Text made of the pieces the patterns look for, so that matches are common, not only misses.
_PIECES = [
    " ", "  ", "\t", "\u00a0", "\u2003", ".", ",", ":", ";", "/", " / ", "(", ")", "|", "—", "–",
    "-", "…", "'", "’", '"', "”", "_", "{", "}", "[", "]", "=", "=>", "//", "$ ", ">>> ", "f(",
    "│", "©", "1", "2025", "12:30", "pm", "by", "By", "BY", " by ", "Photo", "Source", "Credit",
    "Supplied", "Getty Images", "REUTERS", "AAP", "AFP", "Reuters", "File Photo", "Pool", "via",
    "Jane Doe", "Tom Ellery", "the", "of", "and", "was", "is", "é", "Łukasz", "ǅ", "x", "Read more",
    "Reporting by", "Editing by", "share", "Share on Facebook", "word", "Word", "K", "ſ",
]
pieced = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
texts = st.one_of(pieced, st.text(max_size=120), st.sampled_from(FIXTURE_LINES or [""]))


def _reference_density(text: str, words_of: frozenset[str]) -> float:
    words = re.findall(r"[\w’'-]+", text.lower())
    return sum(w in words_of for w in words) / len(words) if words else 0.0


@given(texts)
@example("Don't re-use it -- it's the_end.")
def test_stopword_density_is_the_regex_count(text: str) -> None:
    words_of = boilerplate.stopwords()
    assert boilerplate.stopword_density(text, words_of) == _reference_density(text, words_of)


def _reference_symbolic(text: str) -> bool:
    visible = len(re.sub(r"\s", "", text))
    letters = len(re.sub(r"[\W\d_]", "", text))
    if visible >= 3 and letters < 0.6 * visible:
        return True
    return not text.endswith(boilerplate._SENTENCE_END) and (
        boilerplate._CODE_MARKS.search(text) is not None
    )


@given(texts)
def test_code_or_data_is_the_regexes_answer(text: str) -> None:
    assert boilerplate._symbolic(text) is _reference_symbolic(text)


def _reference_said_twice(text: str) -> bool:
    words = text.split()
    if not 6 <= len(words) <= 60 or words.count(words[0]) < 2:
        return False
    return any(
        len(words) % period == 0 and words == words[:period] * (len(words) // period)
        for period in range(3, len(words) // 2 + 1)
    )


_ALL_SHAPES = re.compile("|".join(f"(?:{p.pattern})" for p in chrome.CHROME_PATTERNS), re.I)


@given(st.one_of(texts, st.lists(st.sampled_from(["How", "to", "Binge", "Less"]), max_size=16)
                 .map(" ".join)))
@example("How to Binge Less How to Binge Less")
@example("It seems the council… Read more")
def test_chrome_shapes_and_repeats_are_the_full_checks(text: str) -> None:
    assert chrome._said_twice(text) is _reference_said_twice(text)
    assert chrome._chrome_shaped(text) is (_ALL_SHAPES.match(text) is not None)


@given(st.one_of(texts, st.text(alphabet=" \t\x1fab", max_size=8),
                 st.text(alphabet=" ab\u00a0\u2003\u3000\x85é", max_size=8)))
@example("a\tb")
@example("a  b")
@example(" ab")
@example("a\u00a0b")
def test_a_line_said_to_be_folded_is_folded(text: str) -> None:
    for line in text.splitlines():
        if text_reader._folded(line):
            assert fold_spaces(line) == line


def test_most_fixture_lines_need_no_folding() -> None:
    """The shortcut is taken: a page's lines are mostly folded already."""
    folded = [line for line in FIXTURE_LINES if text_reader._folded(line)]
    assert len(folded) > len(FIXTURE_LINES) / 2


_UNCHECKED = tuple(dataclasses.replace(p, needs=()) for p in credits.DEFAULT_CREDIT_PATTERNS)


_ENDINGS = [
    "", ". (Source: 1News)", ". Photo: Tom Ellery / Getty Images", ". REUTERS/Jane Doe/File Photo",
    "Credit...Jane Doe", " (Getty Images)", " (ABC News: Dan Smith)", ". Jane Doe/AFP/Getty Images",
]


@settings(max_examples=300)
@given(texts, st.sampled_from(_ENDINGS))
def test_caption_credits_with_and_without_the_needs_check(text: str, ending: str) -> None:
    """Skipping a default pattern whose window lacks what every match holds finds what
    searching every pattern finds."""
    caption = text + ending
    assert credits.split_caption_credit(caption, "m1") == credits.split_caption_credit(
        caption, "m1", _UNCHECKED
    )


def test_every_fixture_paragraph_credits_alike_with_and_without_the_needs_check() -> None:
    found = 0
    for line in FIXTURE_LINES:
        fast = credits.split_caption_credit(line, "m1")
        assert fast == credits.split_caption_credit(line, "m1", _UNCHECKED)
        found += fast is not None
    assert found  # the fixtures hold credited captions


@given(texts)
@example("Reporting by Jane Doe; Editing by Tom Ellery")
@example("BY JANE DOE22 Dec 2016")
def test_no_byline_or_wire_credit_without_by(text: str) -> None:
    """split_byline and parse_wire_credits say no at once to a line without "by": their
    patterns cannot match one, after the digits are mended either."""
    mended = credits._GLUED_DIGITS.sub(" ", text.strip().lstrip("/|·•*#>-–— "))
    if credits._BYLINE.match(mended) is not None or any(
        credits._WIRE_CLAUSE.match(c) for c in re.split(r"\s*;\s*", text)
    ):
        assert credits._BY.search(text) is not None


@given(texts)
def test_content_words_are_the_regex_words(text: str) -> None:
    words = re.findall(r"\w+", text.casefold())
    assert merge._words(text) == (" ".join(words).encode("utf-8"), len(words))


@settings(max_examples=60, deadline=None)
@given(entries())
def test_the_workers_record_and_hash_are_the_generic_ones(entry) -> None:  # type: ignore[no-untyped-def]
    record, digest = record_and_hash(entry)
    assert record == entry_to_json(dataclasses.replace(entry, id=None))
    assert digest == content_hash(entry)


@pytest.mark.parametrize("media_id", ["m0", "m3"])
def test_a_kept_caption_credit_is_aimed_at_the_figure_asking(media_id: str) -> None:
    caption = "Flooding near the river on Monday. REUTERS/Jane Doe/File Photo"
    patterns = credits.DEFAULT_CREDIT_PATTERNS
    text_reader._caption_credit(caption, "m0", patterns)  # kept, aimed at m0
    assert text_reader._caption_credit(caption, media_id, patterns) == (
        credits.split_caption_credit(caption, media_id, patterns)
    )


@settings(max_examples=300)
@given(st.one_of(texts, st.sampled_from(FIXTURE_LINES or [""])), st.sampled_from(_ENDINGS))
@example("A market in Gaza. Fethi Belaid/AFP/Getty Images", "")
def test_the_readers_caption_credit_is_split_caption_credits(text: str, ending: str) -> None:
    """The reader's pre-check before its cache, and the credits rebuilt for another figure,
    give what split_caption_credit gives for that figure (every field of every credit)."""
    caption = text + ending
    patterns = credits.DEFAULT_CREDIT_PATTERNS
    for media_id in ("m0", "m2"):
        assert text_reader._caption_credit(caption, media_id, patterns) == (
            credits.split_caption_credit(caption, media_id, patterns)
        )


@given(st.one_of(texts, st.text(alphabet="ab \t\n\r\x00\x07\x0b\x0c\x1f\x7f\x85©é\u0301\ufffe",
                                 max_size=12)))
@example("a\x00b\x0bc")
def test_clean_text_is_nfc_without_what_xml_forbids(text: str) -> None:
    expected = re.sub(
        "[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "",
        unicodedata.normalize("NFC", text),
    )
    assert clean_text(text) == expected


def test_latin1_text_is_nfc_already() -> None:
    """clean_text skips the normalisation for text in Latin-1: no character of it, nor any two
    side by side, is changed by NFC."""
    latin = [chr(c) for c in range(256)]
    assert all(unicodedata.normalize("NFC", a + b) == a + b for a in latin for b in latin)


_BLOCK_TEXTS = ["News", "Sport", "He agreed.", "© 2025 RNZ", "SELECT n FROM t;", "Related",
                "The council voted on Tuesday night to build a second bridge across the harbour, "
                "ending a two-year argument over how to ease traffic on the only crossing.",
                "Harbour traffic hits record high", "+ Added the harbour buoys of the north"]
blocks = st.lists(
    st.builds(boilerplate.Block, st.sampled_from(_BLOCK_TEXTS), heading=st.booleans(),
              box=st.booleans(), item=st.booleans(), comments=st.booleans()),
    max_size=12,
)


@given(blocks)
def test_a_page_without_prose_scores_as_the_full_revision_would(page: list[boilerplate.Block]):
    """score() skips jusText's revision when no block is good or near-good on its own: every
    block then comes out bad, as the revision gives, and no span is found."""
    scores = boilerplate.score(page)
    assert scores.final == boilerplate._revise(page, scores.initial)
    if boilerplate.Quality.GOOD not in scores.final:
        assert boilerplate.article_span(page, scores) is None


@given(blocks)
def test_a_page_where_no_block_may_read_as_prose_has_no_span(page: list[boilerplate.Block]):
    """The reader skips building and scoring a page's blocks when none may read as prose: every
    other block is then scored bad, whatever its shape, and the page has no span."""
    if any(boilerplate.may_read_as_prose(b.text, b.item) for b in page):
        return
    scores = boilerplate.score(page)
    assert boilerplate.Quality.GOOD not in scores.initial
    assert boilerplate.Quality.NEARGOOD not in scores.initial
    assert scores.final == [boilerplate.Quality.BAD] * len(page)
    assert boilerplate.article_span(page, scores) is None


def test_may_read_as_prose_says_yes_to_every_fixture_block_scored_good() -> None:
    """On the fixtures' and the house styles' pages, each block scored good or near-good on its
    own is one may_read_as_prose lets through (so no page that has prose loses it)."""
    pages = [path.read_text(encoding="utf-8")
             for folder in (ROOT / "fixtures", ROOT / "fixtures" / "house")
             for path in sorted(folder.glob("*.txt"))]
    seen = 0
    for page in pages:
        paragraphs = text_reader._paragraphs(text_reader._split_lines(page))
        page_blocks = [
            text_reader._block(p, text_reader._list_of_points(p)) for p in paragraphs
        ]
        initial = boilerplate.score(page_blocks).initial
        for block, quality in zip(page_blocks, initial, strict=True):
            if quality in (boilerplate.Quality.GOOD, boilerplate.Quality.NEARGOOD):
                seen += 1
                assert boilerplate.may_read_as_prose(block.text, block.item)
    assert seen > 0


_DATE_PIECES = [" ", "12", "3", ".", "05", ":", "a.m.", "p.m", "am", "Updated", "UPDATED", "edited",
                "Modified", "last", "on", "at", "March", "2025", ",", "·", "|", "Posted", "ı", "é"]
date_lines = st.one_of(texts, st.lists(st.sampled_from(_DATE_PIECES), max_size=16).map("".join))


@given(date_lines)
@example("Posted 12 March 2025, 6:04 a.m., UPDATED 12 March 2025, 9.30")
def test_date_line_rewrites_and_the_update_split_are_the_regexes_own(line: str) -> None:
    assert dates._DOTTED_TIME.sub(dates._colon_time, line) == dates._DOTTED_TIME.sub(r"\1:\2", line)
    assert dates._MERIDIEM.sub(dates._meridiem, line) == dates._MERIDIEM.sub(r"\1m", line)
    if dates._UPDATED_SPLIT.search(line) is not None:
        assert dates._may_say_updated(line)


@given(st.one_of(texts, st.lists(st.sampled_from(["x", " ", "\n", ".", " - ", " — ", "AAP", "AP",
                                                    "Reuters", "dpa", "\u00a0", "\x1c"]),
                                 max_size=10).map("".join)))
@example("Flooding near the river on Tuesday. - AAP .\n")
def test_a_sign_off_tail_is_found_as_the_regex_finds_it(paragraph: str) -> None:
    match = credits._SIGN_OFF_TAIL.search(paragraph)
    found = credits.split_sign_off_tail(paragraph)
    assert (found is None) is (match is None)


@given(st.one_of(texts, st.text(alphabet="<p>a \t\n\r\x00\x0b\xa0\xa9\u2019\ufeff\ufffe",
                                 max_size=16)))
def test_html_changed_by_sanitising_is_the_regexes_answer(html: str) -> None:
    assert html_module._changed_by_sanitising(html) is (
        html_module._CHANGED_BY_SANITISING.search(html) is not None
    )



def _reference_headline_shaped(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 30 or len(text) > 250 or text_reader._BULLET.match(text):
        return False
    if "©" in text:
        return False
    if text.endswith((",", ";", "…", "|", "—", "-")) or (
        text.endswith(".") and not text_reader._ABBREVIATION_END.search(text)
    ):
        return False
    first = next((c for c in text if c.isalnum()), "")
    if not first or not (first.isupper() or first.isdigit()):
        return False
    if first.isdigit() and text_reader._NUMERIC_DATE.match(text):
        return False
    return text_reader._caption_credit(text, "m0", credits.DEFAULT_CREDIT_PATTERNS) is None


_WORDS = st.lists(st.sampled_from(["A", "word", "The", "of", "—", "1", " ", "\t", "\u2003"]),
                  min_size=25, max_size=40).map(" ".join)


@settings(max_examples=300)
@given(st.one_of(texts, _WORDS, st.sampled_from(FIXTURE_LINES or [""])))
@example(" ".join(["Word"] * 30))
@example(" ".join(["Word"] * 31))
def test_headline_shape_counts_words_as_the_whole_split_does(text: str) -> None:
    """Counting at most 31 pieces, after the length and copyright tests, says what splitting
    the whole text and testing in the old order says."""
    assert text_reader._headline_shaped(text) is _reference_headline_shaped(text)


def _reference_page_language(texts: list[str], default: str = "English") -> str:
    """The language guess as first written: the sample's joined text measured against every
    list with stopword_density, the densest taken (the default on a tie, else the first)."""
    sample: list[str] = []
    for text in texts:
        if len(text) >= boilerplate.LENGTH_LOW:
            sample.extend(re.findall(r"[\w’'-]+", text.lower()))
            if len(sample) >= boilerplate._LANGUAGE_SAMPLE_WORDS:
                break
    if not sample:
        return default
    joined = " ".join(sample)
    in_default = boilerplate.stopword_density(joined, boilerplate.stopwords(default))
    if in_default >= boilerplate.STOPWORDS_LOW:
        return default
    found = [
        (boilerplate.stopword_density(joined, words), name)
        for name, words in boilerplate._stoplists()
    ]
    density, best = max(found, key=lambda pair: (pair[0], pair[1] == default))
    if best != default and density >= boilerplate.STOPWORDS_LOW and density >= 2 * in_default:
        return best
    return default


# Stopwords of several lists (some in many, some in one) among words of none, and capitals and
# apostrophes, so that every branch of the guess is taken: English, another language, a tie.
_LANGUAGE_WORDS = [
    "the", "of", "and", "der", "die", "und", "le", "la", "et", "de", "el", "que", "и", "в", "не",
    "yang", "dan", "di", "harbour", "council", "Flood", "DATA", "plan", "l'eau", "it’s", "zu",
    "и", "на", "por", "para", "és", "en", "het", "een", "van", "og", "på", "ja", "on",
]
language_pages = st.lists(
    st.lists(st.sampled_from(_LANGUAGE_WORDS), min_size=0, max_size=60).map(" ".join),
    max_size=8,
)


@settings(max_examples=300)
@given(language_pages)
def test_the_page_language_is_the_full_lists_answer(page: list[str]) -> None:
    """Counting the sample's distinct words in the lists that hold each gives what measuring
    the joined sample against every list gives."""
    assert boilerplate.page_language(page) == _reference_page_language(page)


def test_every_fixture_page_has_the_full_lists_language() -> None:
    for folder in (ROOT / "fixtures", ROOT / "fixtures" / "house"):
        for path in sorted(folder.glob("*.txt")):
            paragraphs = path.read_text(encoding="utf-8").split("\n\n")
            assert boilerplate.page_language(paragraphs) == _reference_page_language(paragraphs)


def test_a_stopword_list_is_its_words_in_lower_case() -> None:
    """stopwords() lowers a list's whole text before splitting it: the words each lowered."""
    for folder in boilerplate._stoplist_folders():
        for path in sorted(folder.glob("*.txt")):
            words = path.read_text(encoding="utf-8").split()
            assert boilerplate.stopwords(path.stem) == frozenset(w.lower() for w in words)


@given(st.one_of(texts, st.text(alphabet="aZ_09 \t\n.-’é\u00a0", max_size=16)))
@example("  The Harbour—board's  vote_2 ")
def test_a_folded_text_is_the_regexes_fold(text: str) -> None:
    assert text_reader._fold(text) == re.sub(r"\W+", " ", text.casefold()).strip()


@given(texts)
@example("Don't re-use it -- it's the_end.\x1c\x1fX")
def test_the_language_samples_words_are_the_regexes_words(text: str) -> None:
    assert boilerplate._words(text) == re.findall(r"[\w’'-]+", text.lower())


def _reference_bare_caption(text: str) -> bool:
    if not text.endswith(".") or any(q in text for q in '"“”'):
        return False
    words = re.findall(r"[\w’'-]+", text)
    if not 2 <= len(words) <= text_reader._MAX_CAPTION_WORDS_UNCREDITED:
        return False
    content = [w for w in words if w.lower() not in text_reader._SMALL_WORDS]
    if not content or any(w.lower() in text_reader._VERBS for w in words):
        return False
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised / len(content) >= 0.75


_CAPTION_PIECES = st.lists(
    st.sampled_from(["Foreign", "Minister", "Winston", "Peters", "of", "the", "is", " ", "  ",
                     ", ", "-", "’", "'", "—", "1", ".", "O’Neil", "é", "_"]),
    max_size=30,
).map("".join)


@settings(max_examples=300)
@given(st.one_of(texts, _CAPTION_PIECES.map(lambda t: t + ".")))
@example("Foreign Minister Winston Peters.")
@example("One Two Three Four Five Six Seven Eight Nine Ten.")
@example("One Two Three Four Five Six Seven Eight Nine Ten Eleven.")
@example("--- One-Two ’Three’ Four Five Six Seven Eight Nine Ten .")
def test_a_bare_caption_is_told_by_all_its_words(text: str) -> None:
    """Saying no to a text of more words than a caption has by one regex match gives what
    counting its words does."""
    assert text_reader._looks_like_bare_caption(text) is _reference_bare_caption(text)


def test_the_first_alphanumeric_is_what_isalnum_says_for_every_character() -> None:
    """_headline_shaped finds a text's first letter or digit by regex: re's [^\\W_] is
    str.isalnum, character by character, over the whole of Unicode."""
    pattern = text_reader._ALPHANUMERIC
    for code in range(0x110000):
        char = chr(code)
        assert (pattern.match(char) is not None) is char.isalnum(), hex(code)


def _reference_table_row(text: str) -> bool:
    if text_reader._CODE_PUNCTUATION.search(text):
        return False
    words = text.split()
    numbers = sum(word.strip(".,%$").replace(".", "", 1).isdigit() for word in words)
    return numbers >= 3 and 5 * numbers >= 2 * len(words)


_ROW_PIECES = st.lists(
    st.sampled_from(["3", "377", "4.5", "12%", "$20", "²", "٣", "Crew", "Wharf", " ", "  ", ",",
                     ".", "│", "(", "2, 3,", "x1", "1.2.3", "—"]),
    max_size=24,
).map("".join)


@settings(max_examples=300)
@given(st.one_of(texts, _ROW_PIECES))
@example("3 Wharf Street Crew 377 4 2")
@example("² ³ ¹ Crew")
def test_a_table_row_is_told_as_counting_its_numbers_tells_it(text: str) -> None:
    """The bound on the numbers a text can hold (its digits) says no only where counting them
    does."""
    assert text_reader._table_row(text) is _reference_table_row(text)
