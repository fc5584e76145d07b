"""The plain-text reader on the user's seed article and on several newsroom house styles."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from feedwright.model import AgentKind, BlockKind, Entry, MediaKind, Role
from feedwright.normalise.credits import CreditPattern
from feedwright.sources import ReaderOptions, SourceError, read, retrieve
from tests.helpers import FIXTURES, SEED, read_one

CHROME = ("SHARE ME", "More Stories")


def seed_chunks() -> list[str]:
    """The seed split the way its author laid it out: blank lines between paragraphs."""
    return [c.strip() for c in SEED.read_text(encoding="utf-8").split("\n\n") if c.strip()]


def test_seed_title_is_the_headline(seed_entry):
    assert seed_entry.title == seed_chunks()[0]


def test_seed_has_its_ten_body_paragraphs_in_order(seed_entry):
    chunks = seed_chunks()
    captions = {c for c in chunks if c.endswith(")") or c == "Foreign Minister Winston Peters."}
    expected = [c for c in chunks[1:] if c not in captions and c not in CHROME]
    paragraphs = [b.text for b in seed_entry.blocks if b.kind is BlockKind.PARAGRAPH]
    assert len(paragraphs) == 10
    assert paragraphs == expected


def test_seed_figures_stand_where_the_pictures_were(seed_entry):
    kinds = [b.kind for b in seed_entry.blocks]
    figure_positions = [i for i, k in enumerate(kinds) if k is BlockKind.FIGURE]
    chunks = seed_chunks()[1:]  # the body as laid out, headline dropped
    caption_positions = [
        i
        for i, c in enumerate(chunks)
        if c.endswith(")") or c == "Foreign Minister Winston Peters."
    ]
    assert figure_positions == caption_positions
    assert len(seed_entry.media) == 4


def test_seed_credits_are_sources_with_raw_text(seed_entry):
    credited = [m for m in seed_entry.media if m.credits]
    assert [(m.credits[0].agent.name, m.credits[0].role, m.credits[0].raw) for m in credited] == [
        ("1News", Role.SOURCE, "(Source: 1News)"),
        ("1News", Role.SOURCE, "(Source: 1News)"),
        ("Breakfast", Role.SOURCE, "(Source: Breakfast)"),
    ]
    assert all(c.agent.kind is AgentKind.ORGANIZATION for m in credited for c in m.credits)
    # the credit is cut off the caption, and kept in the entry's full credit list
    assert all(not m.caption.endswith(")") for m in credited)
    assert len(seed_entry.credits) == 3


def test_seed_uncredited_caption(seed_entry):
    bare = [m for m in seed_entry.media if not m.credits]
    assert [m.caption for m in bare] == ["Foreign Minister Winston Peters."]
    assert bare[0].kind is MediaKind.UNKNOWN


def test_seed_has_no_chrome_and_invents_nothing(seed_entry):
    for chrome in CHROME:
        assert chrome not in seed_entry.content_html
        assert all(chrome not in b.text for b in seed_entry.blocks)
    assert seed_entry.published is None
    assert seed_entry.updated is None
    assert seed_entry.authors == ()
    assert seed_entry.url is None


def test_seed_credits_show_as_figure_captions(seed_entry):
    html = seed_entry.content_html
    assert html.count("<figure") == 4
    assert html.count("<figcaption>") == 4
    assert html.count("(Source: 1News)") == 2
    assert html.count("(Source: Breakfast)") == 1


# --- house styles -------------------------------------------------------------------------------

NZ = ReaderOptions(timezone="Pacific/Auckland")


def test_rnz_style_name_line_date_line_photo_credit_topics_and_rights():
    entry = read_one(FIXTURES / "rnz-budget-pressure.txt", NZ)
    assert entry.title == "Government under pressure over health funding ahead of Budget"
    assert [(a.name, a.kind) for a in entry.authors] == [("Jane Smith", AgentKind.PERSON)]
    assert entry.published is not None
    assert entry.published.value.isoformat() == "2025-03-12T06:04:00+13:00"  # NZDT in March
    assert not entry.published.day_only
    (photo,) = entry.media
    (credit,) = photo.credits
    assert (credit.agent.name, credit.role, credit.on_behalf_of.name) == (
        "Nick Monro",
        Role.PHOTOGRAPHER,
        "RNZ",
    )
    assert photo.caption == "Nurses rally outside Parliament in Wellington."
    assert entry.categories == ("Politics", "Health", "Budget 2025")
    assert entry.rights.notice == "© 2025 RNZ" and entry.rights.holder.name == "RNZ"
    for chrome in ("Skip to content", "Share this", "Advertisement", "Share on X", "Topics"):
        assert chrome not in entry.content_html


def test_guardian_style_standfirst_byline_bst_and_last_modified():
    entry = read_one(FIXTURES / "guardian-dunedin-glacier.txt", NZ)
    assert entry.blocks[0].kind is BlockKind.STANDFIRST
    assert entry.summary == entry.blocks[0].text
    assert [a.name for a in entry.authors] == ["Eleanor Ainge Roy"]
    assert entry.published.value.utcoffset() == timedelta(hours=1)  # BST printed, BST kept
    assert entry.published.value.hour == 9 and entry.published.value.minute == 15
    assert entry.updated.value.isoformat() == "2025-04-04T11:20:00+01:00"
    getty = entry.media[0].credits[0]
    assert (getty.agent.name, getty.role, getty.on_behalf_of.name, getty.raw) == (
        "Tom Ellery",
        Role.PHOTOGRAPHER,
        "Getty Images",
        "Photograph: Tom Ellery/Getty Images",
    )
    assert entry.media[1].credits[0].role is Role.PROVIDER  # "Photograph: Supplied"
    assert any(b.kind is BlockKind.HEADING for b in entry.blocks)
    # "Read more:" and its list of links are chrome, not body
    assert "Read more" not in entry.content_html
    assert "records its hottest summer" not in entry.content_html
    assert "managed retreat" not in entry.content_html


def test_reuters_style_agency_dateline_wire_photo_and_reporting_line():
    entry = read_one(FIXTURES / "reuters-nz-rates.txt", NZ)
    assert entry.dateline == "WELLINGTON"
    first = next(b for b in entry.blocks if b.kind is BlockKind.PARAGRAPH)
    assert first.text.startswith("New Zealand's central bank cut")
    roles = {(c.agent.name, c.role) for c in entry.credits}
    assert ("Reuters", Role.SOURCE) in roles
    assert ("Lucy Craymer", Role.REPORTER) in roles and ("Praveen Menon", Role.REPORTER) in roles
    assert ("Michael Perry", Role.EDITOR) in roles
    assert "Michael Perry" not in [a.name for a in entry.authors]
    wire = entry.media[0].credits[0]
    assert (wire.agent.name, wire.on_behalf_of.name) == ("David Gray", "REUTERS")
    assert entry.published.value.utcoffset() == timedelta(hours=13)
    assert "Reporting by" not in entry.content_html
    assert "Trust Principles" not in entry.content_html


def test_aap_style_posted_updated_supplied_and_sign_off():
    entry = read_one(FIXTURES / "aap-bushfire-warning.txt", NZ)
    assert [a.name for a in entry.authors] == ["Tess Ikonomou"]
    assert entry.published.value.hour == 6 and entry.updated.value.hour == 9
    supplied = entry.media[0].credits[0]
    assert (supplied.agent.name, supplied.role, supplied.raw) == (
        "CFA Media",
        Role.PROVIDER,
        "(Supplied: CFA Media)",
    )
    assert ("AAP", Role.SOURCE) in {(c.agent.name, c.role) for c in entry.credits}
    last = [b for b in entry.blocks if b.kind is BlockKind.PARAGRAPH][-1]
    assert not last.text.endswith("AAP")
    assert entry.categories == ("Bushfires", "Victoria", "Emergency")
    assert "More Stories" not in entry.content_html and "Heatwave" not in entry.content_html


def test_outlet_and_name_captions_need_no_feed_pattern():
    """`(ABC News: Dan Smith)`: the general `(Org: Name)` form, photographer for the outlet."""
    entry = read_one(FIXTURES / "aap-bushfire-warning.txt", NZ)
    smoke = next(m for m in entry.media if m.caption.startswith("Smoke over"))
    assert [(c.agent.name, c.role, c.on_behalf_of.name) for c in smoke.credits] == [
        ("Dan Smith", Role.PHOTOGRAPHER, "ABC News")
    ]


def test_feed_patterns_extend_the_defaults(tmp_path: Path):
    """`Picture by Dan Smith` is no default style; a feed adds it in its TOML."""
    source = tmp_path / "a.txt"
    source.write_text(
        "Smoke closes highway as fires burn\n\n"
        "Crews worked through the night to hold the fire lines near the highway.\n\n"
        "Smoke over the Grampians National Park. Picture by Dan Smith\n\n"
        "The highway is expected to stay closed until Monday, police said.\n"
    )
    plain = read_one(source, NZ)
    assert not any(m.credits for m in plain.media)
    pattern = CreditPattern(r"\s*Picture by (?P<name>[A-Z][\w.' -]+)$", "photographer")
    extended = read_one(
        source, ReaderOptions(timezone="Pacific/Auckland", credit_patterns=(pattern,))
    )
    (smoke,) = extended.media
    assert smoke.caption == "Smoke over the Grampians National Park."
    assert [(c.agent.name, c.role) for c in smoke.credits] == [("Dan Smith", Role.PHOTOGRAPHER)]


def test_feed_chrome_extends_the_defaults(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text("Headline here\n\nA paragraph of body text.\n\nDonate to our newsroom\n")
    assert "Donate" in read_one(source).content_html
    assert (
        "Donate"
        not in read_one(source, ReaderOptions(chrome=("Donate to our newsroom",))).content_html
    )


def test_date_without_a_year_is_not_a_date(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text("Headline\n\nBy Ann Wu\n\n12 March\n\nBody text goes here.\n")
    assert read_one(source).published is None


def test_day_only_dates_are_marked(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text("Headline\n\nPublished: 3 April 2025\n\nBody text goes here.\n")
    entry = read_one(source, ReaderOptions(timezone="Europe/London"))
    assert entry.published.day_only
    assert entry.published.value.utcoffset() == timedelta(hours=1)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "no article text"),
        (b"\n\n  \n", "no article text"),
        (b"SHARE ME\n\nMore Stories\nAdvertisement\n", "no article text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ],
)
def test_unreadable_sources_raise_a_clear_error(tmp_path: Path, content: bytes, reason: str):
    source = tmp_path / "bad.txt"
    source.write_bytes(content)
    with pytest.raises(SourceError) as error:
        read(retrieve(str(source)))
    assert str(source) in str(error.value)
    assert reason in str(error.value)


def test_latin1_text_is_decoded_not_crashed(tmp_path: Path):
    source = tmp_path / "latin1.txt"
    source.write_bytes(
        "Café owners protest\n\nThe café on the corner closed its doors.\n".encode("latin-1")
    )
    entry = read_one(source)
    assert entry.title == "Café owners protest"


def test_control_characters_xml_forbids_are_removed(tmp_path: Path):
    source = tmp_path / "ctl.txt"
    source.write_text("Head\x01line\n\nBody\x0b text\x1f here.\n")
    entry = read_one(source)
    assert entry.title == "Headline"
    assert "\x0b" not in entry.content_html and "\x1f" not in entry.content_html


def test_missing_file_is_named(tmp_path: Path):
    with pytest.raises(SourceError, match="no such file"):
        retrieve(str(tmp_path / "nope.txt"))


def test_wire_credits_under_the_story_do_not_make_a_standfirst(tmp_path: Path):
    """Only a byline or date line ends the header; `Reporting by` at the foot does not."""
    source = tmp_path / "a.txt"
    source.write_text(
        "Shares fall in London\n\nShares fell on Tuesday as miners slipped.\n\n"
        "The index closed lower.\n\nReporting by Ann Lee; Editing by Bo Chan\n"
    )
    entry = read_one(source)
    assert [b.kind for b in entry.blocks] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    assert ("Ann Lee", Role.REPORTER) in {(c.agent.name, c.role) for c in entry.credits}


# --- whole pages: where the article stands among menus and other stories ------------------------

NAV = ["Home", "News", "Politics", "Business", "Sport", "Weather", "Opinion"]
STORY = [
    "The harbour board agreed on Monday to rebuild the old ferry wharf, which has been closed "
    "to the public since a storm damaged its piles two winters ago.",
    "Work is expected to begin in the spring and to take about a year, and the board said that "
    "the ferries would keep running from a temporary pontoon while it was done.",
    "Residents who had campaigned for the wharf to be saved said they were pleased, but that "
    "they would be watching closely to see that the work was finished on time.",
    "The board's chair said the decision had been a difficult one because of the cost, and "
    "that it had been made easier by a grant from the regional council.",
]


def whole_page(tmp_path: Path, *parts: str | list[str]) -> Entry:
    """A page as a browser shows it: one block a line, a blank line between blocks."""
    lines = [line for part in parts for line in ([part] if isinstance(part, str) else part)]
    source = tmp_path / "page.txt"
    source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return read_one(source)


def body_texts(entry: Entry) -> list[str]:
    return [b.text for b in entry.blocks if b.kind is BlockKind.PARAGRAPH]


@pytest.mark.parametrize("rest", ["Lost Ferry Logbook ... FOUND!!!", "Logbook ... FOUND!!!"])
def test_a_headline_printed_in_parts_takes_its_full_wording_from_above(tmp_path: Path, rest):
    """The breadcrumb prints the whole headline; the display headline splits it into a kicker
    (here a name, which is no byline) and the rest. Whichever of the two lines the reader
    takes for the headline, the title is the full wording and the parts are neither body nor
    author."""
    entry = whole_page(
        tmp_path,
        NAV,
        "Captain Mere Tane's Lost Ferry Logbook -- FOUND!!!",
        "Captain Mere Tane",
        rest,
        "Tuesday 4 March 2025",
        STORY,
    )
    assert entry.title == "Captain Mere Tane's Lost Ferry Logbook -- FOUND!!!"
    assert entry.authors == ()
    assert body_texts(entry) == STORY


def test_a_date_above_the_category_label_marks_the_headline_not_its_subtitle(tmp_path: Path):
    entry = whole_page(
        tmp_path,
        ["Aroha Kerr", "About", "Subscribe"],
        "14 March 2024",
        "Gardening",
        "Growing Tomatoes in a Cold Climate",
        "What a Short Summer Teaches About Patience",
        STORY,
    )
    assert entry.title == "Growing Tomatoes in a Cold Climate"
    assert entry.published is not None
    assert entry.published.value.date().isoformat() == "2024-03-14"


def test_a_page_without_prose_whose_article_is_a_list(tmp_path: Path):
    """Release notes: no paragraph reads as prose, the bulleted statements are the article."""
    notes = [
        "+ Added a night mode to the harbour map",
        "+ Added tide tables for every wharf",
        "+ Added Ferry Alerts",
        "+ Timetables now show the next three sailings",
        "+ Fixed a crash when the map was rotated twice",
        "* Searching for a stop is faster on older phones",
    ]
    entry = whole_page(
        tmp_path, "Harbour Maps", "Powered by Pagecraft", "Version 2.4 - The Tides Update", notes
    )
    assert entry.title == "Version 2.4 - The Tides Update"
    items = [item for b in entry.blocks if b.kind is BlockKind.LIST for item in b.items]
    assert "Added Ferry Alerts" in items
    assert len(items) == len(notes)


def test_a_copyright_line_is_never_the_headline(tmp_path: Path):
    entry = whole_page(tmp_path, "on the wharf", "© 2003 Mere Tane", STORY)
    assert not entry.title.startswith("©")
    assert entry.rights is not None and entry.rights.notice == "© 2003 Mere Tane"


OTHER_STORIES = [
    "Storm closes the coast road",
    "The road between the two bays was closed on Sunday after a slip, and it will stay closed "
    "until the council has checked that the hill above it is safe.",
    "Library hours extended",
    "The central library is to open until nine in the evening on weekdays from next month, "
    "after a survey found that many of its readers could not come in the day.",
    "School zones redrawn",
    "Families in the new suburbs will be able to send their children to the closer of the two "
    "high schools when the zones are redrawn at the end of the year.",
]


def test_other_stories_under_end_matter_are_not_the_article(tmp_path: Path):
    """Each blurb stands alone under its title: teasers, however much they read like prose."""
    entry = whole_page(
        tmp_path,
        NAV,
        "Harbour board votes to rebuild the ferry wharf",
        "By Mere Tane",
        STORY,
        "More stories",
        OTHER_STORIES,
    )
    assert body_texts(entry) == STORY


def test_the_article_resumes_after_a_box_with_two_paragraphs_in_a_row(tmp_path: Path):
    entry = whole_page(
        tmp_path,
        NAV,
        "Harbour board votes to rebuild the ferry wharf",
        "By Mere Tane",
        STORY[:2],
        "Related coverage",
        ["Wharf closed after storm", "Ferries move to a pontoon"],
        STORY[2:],
        "More stories",
        OTHER_STORIES,
    )
    assert body_texts(entry) == STORY


def test_a_paragraph_with_a_picture_credit_glued_on_is_still_prose(tmp_path: Path):
    """A (c) sign makes a short line the page's rights, not a paragraph that a browser printed
    after its picture's credit without a break."""
    glued = f"© Provided by Harbour Herald Ltd Mere Tane/Harbour Herald {STORY[0]}"
    entry = whole_page(
        tmp_path,
        NAV,
        "Harbour board votes to rebuild the ferry wharf",
        "By Mere Tane",
        glued,
        STORY[1:],
    )
    assert body_texts(entry) == [glued, *STORY[1:]]


def test_a_story_under_a_stream_of_teasers_that_led_to_it(tmp_path: Path):
    """A news stream's teasers (title, blurb, outlet) read like prose, and one of them is the
    story's own; the story's headline printed again with a name under it and paragraphs running
    on is where the article starts."""
    headline = "Harbour board votes to rebuild the ferry wharf"
    stream = [
        OTHER_STORIES[0],
        OTHER_STORIES[1],
        "Courier",
        headline,
        "The old wharf has been closed since a storm two winters ago, and the board has now "
        "decided what should be done with it after a long and heated debate.",
        "Herald",
        OTHER_STORIES[2],
        OTHER_STORIES[3],
        "Times",
    ]
    entry = whole_page(tmp_path, NAV, stream, headline, "MERE TANE", STORY)
    assert entry.title == headline
    assert [a.name for a in entry.authors] == ["Mere Tane"]  # capitals in their usual case
    assert body_texts(entry) == STORY


def test_a_section_heading_a_table_of_contents_printed_is_no_restated_headline(tmp_path: Path):
    """Restated means a name or date line right under the repeated headline; a section heading
    that the contents list printed has its own text under it."""
    entry = whole_page(
        tmp_path,
        NAV,
        "Growing Tomatoes in a Cold Climate",
        STORY[0],
        ["Contents", "Choosing Seeds for a Short Season", "Planting Out"],
        "Choosing Seeds for a Short Season",
        STORY[1:3],
        "Planting Out",
        STORY[3],
    )
    assert entry.title == "Growing Tomatoes in a Cold Climate"


def test_a_breadcrumb_path_is_not_the_headlines_fuller_wording(tmp_path: Path):
    entry = whole_page(
        tmp_path,
        NAV,
        "Home > Harbour > Ferry wharf to be rebuilt",
        "Ferry wharf to be rebuilt",
        "By Mere Tane",
        STORY,
    )
    assert entry.title == "Ferry wharf to be rebuilt"


# --- line-wrapped headlines: the rest of a headline on the line under it --------------------------


@pytest.mark.parametrize(
    ("head", "rest"),
    [
        ("Harbour board votes to rebuild", "the old ferry wharf"),
        ("Outside the harbour:", "a new wharf for the ferries"),
    ],
)
def test_a_headline_wrapped_onto_a_line_in_small_letters_is_one_title(
    tmp_path: Path, head: str, rest: str
):
    """A short headline line breaks without a blank line; the line under it starts in small
    letters, as no byline, standfirst or section name does: the two are one headline, and the
    rest is neither body nor standfirst."""
    entry = whole_page(tmp_path, NAV, f"{head}\n{rest}", "By Mere Tane", STORY)
    assert entry.title == f"{head} {rest}"
    assert [a.name for a in entry.authors] == ["Mere Tane"]
    assert body_texts(entry) == STORY
    assert all(b.text != rest and b.kind is not BlockKind.STANDFIRST for b in entry.blocks)


def test_a_short_article_with_a_wrapped_headline(tmp_path: Path):
    """No prose block: the first line is the headline, with its rest on the next line."""
    source = tmp_path / "a.txt"
    source.write_text("Ferry wharf to\nbe rebuilt\n\nThe board agreed on Monday.\n")
    entry = read_one(source)
    assert entry.title == "Ferry wharf to be rebuilt"
    assert [b.text for b in entry.blocks] == ["The board agreed on Monday."]


@pytest.mark.parametrize(
    "below",
    [
        "the old ferry wharf",  # after a blank line: another block (a label, a teaser), not a wrap
        "iPhone owners can book a ferry",  # a word that is written with a small first letter
    ],
)
def test_what_is_no_rest_of_the_headline(tmp_path: Path, below: str):
    separator = "\n\n" if below.startswith("the") else "\n"
    entry = whole_page(
        tmp_path, NAV, f"Harbour board votes to rebuild{separator}{below}", "By Mere Tane", STORY
    )
    assert entry.title == "Harbour board votes to rebuild"


@pytest.mark.parametrize(
    ("under", "author", "day"),
    [
        ("By Mere Tane", "Mere Tane", None),
        ("Mere Tane, Political Reporter", "Mere Tane", None),
        ("Tuesday 4 March 2025", None, "2025-03-04"),
        ("Posted 5h ago", None, None),
    ],
)
def test_a_byline_or_date_right_under_a_long_headline_is_not_a_wrap(
    tmp_path: Path, under: str, author: str | None, day: str | None
):
    """A line over 40 characters that does not end a sentence goes on on the next line (a hard
    wrap), but not into the byline or date line printed right under a headline."""
    headline = "Harbour board votes to rebuild the ferry wharf"
    for layout in ([NAV, f"{headline}\n{under}", STORY], [f"{headline}\n{under}", STORY[0]]):
        entry = whole_page(tmp_path, *layout)
        assert entry.title == headline
        assert [a.name for a in entry.authors] == ([author] if author else [])
        published = entry.published.value.date().isoformat() if entry.published else None
        assert published == day


def test_a_page_in_another_language_is_read_with_its_own_stopwords(tmp_path: Path):
    """Scored with English stopwords, a German article has no prose and its menu's first item
    would be taken for the headline."""
    story = [
        "Der Hafenrat hat am Montag beschlossen, den alten Fähranleger wieder aufzubauen, der "
        "seit einem Sturm vor zwei Wintern für die Öffentlichkeit gesperrt ist.",
        "Die Arbeiten sollen im Frühjahr beginnen und etwa ein Jahr dauern, und die Fähren "
        "werden in dieser Zeit von einem provisorischen Ponton aus fahren.",
        "Anwohner, die sich für den Erhalt des Anlegers eingesetzt hatten, sagten, sie seien "
        "zufrieden, wollten aber genau darauf achten, dass die Arbeiten rechtzeitig fertig werden.",
    ]
    nav = ["Startseite", "Nachrichten", "Politik", "Wirtschaft", "Sport", "Wetter", "Meinung"]
    headline = "Hafenrat stimmt für neuen Fähranleger"
    entry = whole_page(tmp_path, nav, headline, "Von Mere Tane", story)
    assert entry.title == headline
    assert body_texts(entry) == story


def test_a_data_table_inside_the_article_is_kept_and_a_menu_is_not(tmp_path: Path):
    """Table rows are no prose (digits, no stopwords) but the article holds them."""
    table = [
        "Pos. Crew Points Wins",
        "1 Harbour Rowing Club 412 7 3",
        "2 Eastbourne Oars 398 5 4",
        "3 Wharf Street Crew 377 4 2",
        "4 North Shore Boats 350 2 2",
    ]
    entry = whole_page(tmp_path, NAV, "Harbour regatta: final standings", "By Mere Tane",
                       STORY[:2], table, STORY[2:])
    body = "\n".join(b.text for b in entry.blocks)
    assert all(row in body for row in table[1:])
    assert body_texts(entry)[:2] == STORY[:2] and body_texts(entry)[-2:] == STORY[2:]
    assert not any(b.text in NAV for b in entry.blocks)


def test_blurbs_cut_short_are_teasers_however_long_the_stream(tmp_path: Path):
    """Other stories' blurbs, printed cut with an ellipsis, outweigh a short article; an author's
    own trailing ellipsis (after a space, or one on the page) is not a cut."""
    blurb = (
        "The regional council has opened consultation on a new cycleway along the eastern bays, "
        "with residents asked to say which of the three routes they would prefer to see bu..."
    )
    teasers = [
        part
        for n in range(8)
        for part in (f"Cycleway plan {n} opens for comment", blurb.replace("three", str(n + 4)))
    ]
    story = [*STORY[:3], STORY[3] + " What comes next is anyone's guess …"]
    entry = whole_page(tmp_path, NAV, "Harbour board votes to rebuild the wharf", "By Mere Tane",
                       story, "Deals", teasers)
    assert entry.title == "Harbour board votes to rebuild the wharf"
    assert body_texts(entry) == story
