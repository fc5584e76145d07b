"""The HTML page reader on hand-written pages in four house styles."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from feedwright.model import AgentKind, BlockKind, Role
from feedwright.normalise.dates import parse_timestamp
from feedwright.sources import ReaderOptions
from feedwright.sources.htmlbody import clean_credit_text
from feedwright.sources.htmlmeta import site_keys, without_site_suffix
from tests.helpers import FIXTURES, read_one

HTML = FIXTURES / "html"
NZ = ReaderOptions(timezone="Pacific/Auckland")


def credits_of(entry, target="entry"):  # type: ignore[no-untyped-def]
    return [(c.role, c.agent.name, c.on_behalf_of and c.on_behalf_of.name, c.raw)
            for c in entry.credits if c.target == target]  # fmt: skip


def test_json_ld_article_gives_title_authors_dates_with_zone_and_rights() -> None:
    entry = read_one(HTML / "broadsheet-jsonld.html", NZ)
    assert entry.title == "Peters warns Nato allies over Pacific security"
    assert [(a.name, a.kind, a.url) for a in entry.authors] == [
        ("Eleanor Ainge Roy", AgentKind.PERSON,
         "https://www.broadsheet.example/profile/eleanor-ainge-roy"),
        ("Dan Sabbagh", AgentKind.PERSON, None),
    ]  # fmt: skip
    bst = timezone(timedelta(hours=1))
    assert entry.published is not None and entry.updated is not None
    assert entry.published.value == datetime(2025, 4, 3, 9, 15, tzinfo=bst)
    assert entry.published.value.utcoffset() == timedelta(hours=1)
    assert (entry.published.source, entry.published.day_only) == ("json-ld:datePublished", False)
    assert entry.updated.value == datetime(2025, 4, 3, 11, 42, tzinfo=bst)
    assert entry.url == "https://www.broadsheet.example/world/2025/apr/03/peters-warns-nato-allies"
    assert entry.categories == ("New Zealand", "Nato", "Winston Peters", "Foreign policy",
                                "World news")  # fmt: skip
    assert entry.rights is not None and entry.rights.holder is not None
    assert entry.rights.holder.name == "Broadsheet Media Group"
    assert entry.rights.license_url == "https://www.broadsheet.example/help/terms"
    assert entry.language == "en-GB"
    assert (Role.PUBLISHER, "The Broadsheet", None, "The Broadsheet") in credits_of(entry)


def test_figures_keep_captions_and_credits_the_extractor_would_drop() -> None:
    entry = read_one(HTML / "broadsheet-jsonld.html", NZ)
    lead, hall = entry.media
    assert lead.caption == "Winston Peters arrives at Nato headquarters in Brussels."
    assert lead.url == "https://i.broadsheet.example/img/peters-brussels-1200.jpg"
    # the figure's printed credit, plus the JSON-LD copyrightHolder for the same picture
    assert credits_of(entry, lead.id) == [
        (Role.PHOTOGRAPHER, "Omar Havana", "Getty Images", "Photograph: Omar Havana/Getty Images"),
        (Role.COPYRIGHT_HOLDER, "Getty Images", None, "Getty Images"),
    ]
    # a lazy image: the data-src, not the placeholder gif, made absolute against the canonical url
    assert hall.url == "https://www.broadsheet.example/img/delegates-hall.jpg"
    assert hall.caption == "Delegates listen to speeches in the main hall."
    assert credits_of(entry, hall.id) == [
        (Role.PHOTOGRAPHER, "Virginia Mayo", "AP", "Photograph: Virginia Mayo/AP")
    ]
    # figures stand where they stood, and their credits show in the content html
    kinds = [b.kind for b in entry.blocks]
    assert kinds[0] is BlockKind.FIGURE and kinds.count(BlockKind.FIGURE) == 2
    assert kinds.index(BlockKind.HEADING) < len(kinds) - 3
    assert '<span class="credit">Photograph: Virginia Mayo/AP</span>' in (entry.content_html or "")
    assert "Related" not in (entry.content_html or "")  # the aside is chrome
    assert "window.ads" not in (entry.content_html or "")


def test_opengraph_page_with_wire_conventions() -> None:
    entry = read_one(HTML / "wire-opengraph.html", NZ)
    assert entry.title == "Australian central bank holds rates, signals caution"
    assert entry.published is not None
    assert entry.published.value == datetime(2025, 4, 1, 4, 41, tzinfo=UTC)
    assert entry.published.source == "meta:article:published_time"
    assert entry.dateline == "SYDNEY"
    assert credits_of(entry) == [
        (Role.AUTHOR, "Stella Qiu", None, "Stella Qiu"),
        (Role.SOURCE, "WireNews", None, "SYDNEY, April 1 (WireNews) -"),
        (Role.REPORTER, "Stella Qiu", None, "Reporting by Stella Qiu; Editing by Sam Holmes"),
        (Role.EDITOR, "Sam Holmes", None, "Reporting by Stella Qiu; Editing by Sam Holmes"),
    ]
    (photo,) = entry.media
    raw = "AAP Image/Bianca De Marchi/via REUTERS"
    assert credits_of(entry, photo.id) == [
        (Role.PHOTOGRAPHER, "Bianca De Marchi", "AAP Image", raw),
        (Role.DISTRIBUTOR, "REUTERS", None, raw),
    ]
    assert photo.caption is not None and photo.caption.endswith("February 18, 2025.")
    assert entry.categories == ("Australia", "Interest rates", "Business")
    assert (
        entry.rights is not None and entry.rights.notice == "© 2025 WireNews. All rights reserved."
    )
    body = " ".join(b.text for b in entry.blocks)
    assert "Advertisement" not in body and "Reporting by" not in body
    assert body.startswith("Australia's central bank held")  # the dateline left the text


def test_yoast_graph_day_only_date_and_supplied_credit() -> None:
    entry = read_one(HTML / "blog-yoast-graph.html", NZ)
    assert entry.title == "Saving the kōkako: a decade of pest control in Pureora"
    assert entry.published is not None and entry.published.day_only
    assert entry.published.value.isoformat() == "2025-03-18T00:00:00+13:00"
    assert [(a.name, a.url) for a in entry.authors] == [
        ("Aroha Te Whata", "https://forestnotes.example/author/aroha/")
    ]
    lead, trap = entry.media
    # lazy srcset: the widest candidate
    assert lead.url == "https://forestnotes.example/wp-content/uploads/2025/03/kokako-1600.jpg"
    assert credits_of(entry, lead.id) == [
        (
            Role.PROVIDER,
            "Department of Conservation",
            None,
            "(Supplied: Department of Conservation)",
        )
    ]
    assert trap.url == "https://forestnotes.example/wp-content/uploads/2025/03/trap-line.jpg"
    assert credits_of(entry, trap.id) == [
        (Role.PHOTOGRAPHER, "Aroha Te Whata", None, "Photo: Aroha Te Whata")
    ]
    assert entry.rights is not None and entry.rights.holder is not None
    assert entry.rights.holder.name == "Forest Notes Trust"
    assert entry.rights.license_url == "https://creativecommons.org/licenses/by/4.0/"
    assert entry.categories == ("Conservation", "Birds", "Pureora", "Field notes")


def test_windows_1252_microdata_page() -> None:
    entry = read_one(HTML / "regional-microdata.html", NZ)
    assert entry.title == "Café owners fear “death by a thousand cuts” as roadworks drag on"
    assert "José Álvarez" in (entry.content_html or "")
    assert [a.name for a in entry.authors] == ["Renée Fischer"]
    assert entry.published is not None
    assert entry.published.value.isoformat() == "2025-02-27T16:30:00+13:00"
    assert entry.updated is not None and entry.updated.source == "meta:dateModified"
    (photo,) = entry.media
    assert photo.caption == "Roadworks outside shops on Main Street."
    assert credits_of(entry, photo.id) == [
        (Role.PHOTOGRAPHER, "Renée Fischer", "LDR", "Photo: Renée Fischer/LDR")
    ]


def test_figures_go_back_where_they_stood_and_chrome_figures_stay_out() -> None:
    entry = read_one(HTML / "harbour-lazy-figures.html", NZ)
    by_id = {m.id: m for m in entry.media}
    shown = [
        by_id[b.media_id].url or by_id[b.media_id].caption
        if b.kind is BlockKind.FIGURE and b.media_id
        else b.text.split()[0]
        for b in entry.blocks
        if b.kind is not BlockKind.HEADING
    ]
    assert shown == [
        "https://harbourtimes.example/img/2025/wharf-aerial-1600.jpg",  # the lead, above the h1
        "The", "Council", '"We',
        # a lazy-loaded image with no <img> yet: its caption and credit markup still make it one
        "Corroded timber piles under the wharf, photographed during last winter's inspection.",
        "Temporary", "Ferry",
        "https://harbourtimes.example/img/2025/pontoon-plan.png",  # a bare image in the body
        "Commuter", "Construction",
    ]  # fmt: skip
    lead = entry.media[0]
    assert lead.caption == "The ferry wharf at dawn, before the first sailing."
    assert credits_of(entry, lead.id) == [
        (Role.PHOTOGRAPHER, "Mere Tane", "Harbour Times", "Photograph: Mere Tane/Harbour Times")
    ]
    lazy = entry.media[1]
    assert credits_of(entry, lazy.id) == [
        (Role.PROVIDER, "Supplied", None, "Supplied/Regional Council"),
        (Role.SOURCE, "Regional Council", None, "Supplied/Regional Council"),
    ]
    # the related-story figure (an aside), the teasers after the article, the logo: not its own
    urls = {m.url for m in entry.media}
    assert not urls & {
        "https://harbourtimes.example/img/2024/old-ferry.jpg",
        "https://harbourtimes.example/img/2025/marina.jpg",
        "https://harbourtimes.example/assets/logo.png",
    }
    text = " ".join(b.text for b in entry.blocks)
    assert "cookies" not in text and "newsletter" not in text and "Marina" not in text


def test_placeholder_dates_are_refused_and_a_printed_meta_date_is_read() -> None:
    entry = read_one(HTML / "sports-placeholder-dates.html")
    # JSON-LD says 0001-01-01 for both dates: no date at all, and never the modification date
    assert entry.published is not None and entry.published.source == "meta:publish_date"
    est = timezone(-timedelta(hours=5))
    assert entry.published.value == datetime(2015, 3, 13, 21, 30, 9, tzinfo=est)
    assert entry.updated is not None and entry.updated.source == "meta:article:modified_time"
    warnings = entry.provenance[0].warnings
    assert any("0001-01-01T00:00:00Z" in w for w in warnings)
    # twice-escaped entities decoded, the site's name cut off the og:title
    assert entry.title == "Storm edge Hawks to keep a “perfect” home record"
    # the article's rel=author byline, not the trending box's teaser byline above it
    assert [a.name for a in entry.authors] == ["Dana Cole"]
    # a lazy loader's JSON blob is no image url: the figure keeps its caption, says why
    (photo,) = entry.media
    assert photo.url is None and photo.caption == "Storm players celebrate the winning basket."
    assert any("data-src=" in w and "is not a url" in w for w in warnings)


def test_a_page_with_placeholder_dates_exports(tmp_path: Path) -> None:
    out = tmp_path / "feed.atom"
    done = subprocess.run(
        [sys.executable, "-m", "feedwright", "export", str(HTML / "sports-placeholder-dates.html"),
         "--link", "https://valley.example/", "--format", "atom", "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "<id>tag:valley.example,2015:" in out.read_text(encoding="utf-8")


def test_a_day_only_json_ld_date_takes_the_time_meta_gives_for_that_day() -> None:
    entry = read_one(HTML / "harbour-lazy-figures.html", NZ)
    assert entry.published is not None and not entry.published.day_only
    nzdt = timezone(timedelta(hours=13))
    assert entry.published.value == datetime(2025, 3, 4, 6, 15, tzinfo=nzdt)
    assert entry.updated is not None and entry.updated.source == "json-ld:dateModified"
    # the <title> and og:title carry " | Harbour Times", which is og:site_name
    assert entry.title == "Ferry terminal rebuild to close wharf for two summers"
    assert not any(b.kind is BlockKind.HEADING for b in entry.blocks)  # the h1 is the title
    assert [a.name for a in entry.authors] == ["Hemi Walker"]  # JSON-LD names only a publisher


@pytest.mark.parametrize(
    "placeholder",
    ["0001-01-01T00:00:00Z", "0001-01-01", "1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT",
     "9999-12-31T23:59:59Z", "1800-06-01T12:00:00+00:00"],
)  # fmt: skip
def test_placeholder_dates_are_no_dates_for_any_reader(placeholder: str) -> None:
    assert parse_timestamp(placeholder, UTC, "test") is None
    assert parse_timestamp("1970-01-02T00:00:00Z", UTC, "test") is not None


def test_credit_markup_in_many_house_styles_gives_clean_credits() -> None:
    entry = read_one(HTML / "credit-markup-styles.html")
    assert [a.name for a in entry.authors] == ["Ana Ruiz"]
    found = [
        (m.caption, [(c.role, c.agent.name, c.on_behalf_of and c.on_behalf_of.name, c.raw)
                     for c in m.credits])
        for m in entry.media
    ]  # fmt: skip
    assert found == [
        # "Credit" and the name in separate spans
        ("A night bus leaves the depot on Friday.",
         [(Role.PHOTOGRAPHER, "Doug Mills", "The Metro Record",
           "Credit Doug Mills/The Metro Record")]),
        # a screen-reader "Image copyright" label beside the credit span, "Image caption" label
        ("The council chamber during Thursday's vote.",
         [(Role.COPYRIGHT_HOLDER, "Getty Images", None, "Image copyright Getty Images")]),
        # a caption-and-source wrapper: the credit is its inner source span, not the caption
        ("A driver on the late route.",
         [(Role.PHOTOGRAPHER, "Kathrin Ziegler", "Getty", "Kathrin Ziegler/Getty")]),
        ("Union members outside the chamber.",
         [(Role.PHOTOGRAPHER, "Alex Wong", "Metro Wire", "Alex Wong | Metro Wire")]),
        ("The mayor after the vote.",
         [(Role.PHOTOGRAPHER, "Hau Dinh", "AP", "Photo: Hau Dinh, AP")]),
        ("The depot at night.",
         [(Role.PHOTOGRAPHER, "Sam Reid", None, "Photograph: Sam Reid via Metro Wire"),
          (Role.DISTRIBUTOR, "Metro Wire", None, "Photograph: Sam Reid via Metro Wire")]),
    ]  # fmt: skip
    # the byline's headshot is no figure, and the writer is in no picture credit
    assert all(m.url != "https://metrorecord.example/staff/ana-ruiz-120.jpg" for m in entry.media)
    assert not [c for m in entry.media for c in m.credits if c.agent.name == "Ana Ruiz"]
    assert '<span class="credit">Image copyright Getty Images</span>' in (entry.content_html or "")


def test_a_microdata_byline_gives_the_persons_name_not_the_date_beside_it(tmp_path: Path) -> None:
    page = tmp_path / "microdata-byline.html"
    sentence = "The harbour board met on Monday to settle the dredging contract. "
    paragraph = f"<p>{sentence * 4}</p>"
    page.write_text(
        "<html><head><title>Dredging contract signed</title></head><body><article>"
        "<h1>Dredging contract signed</h1>"
        '<div class="story-meta" itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<div itemprop="name">by <a href="/staff/kiri-hale">Kiri Hale</a></div>'
        "<div>| November 18, 2019 12:01 PM</div><div>Share this story</div></div>"
        f"{paragraph * 3}</article></body></html>",
        encoding="utf-8",
    )
    entry = read_one(page)
    assert [a.name for a in entry.authors] == ["Kiri Hale"]
    assert entry.published is not None and entry.published.source == "html:date-line"
    assert entry.published.value == datetime(2019, 11, 18, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "site_name", "url", "h1", "headline"),
    [
        ("Man pleads guilty | TheHill", None, "https://thehill.com/a", "", "Man pleads guilty"),
        ("Nadal keeps Spain alive - Sportsnet.ca", None, "https://www.sportsnet.ca/t", "",
         "Nadal keeps Spain alive"),
        ("Why the ferries stopped | BBC News", "BBC News", None, "", "Why the ferries stopped"),
        ("A city on the brink | Editorial", "the Guardian", None, "A city on the brink",
         "A city on the brink"),
        # a suffix that is no site's name stays, and so does a title that is only a name
        ("Rates hold - for now", "Metro Record", "https://metro.example/x", "",
         "Rates hold - for now"),
        ("Гонка вооружений | Мир", None, "https://news.example/x", "Гонка вооружений",
         "Гонка вооружений"),
    ],
)  # fmt: skip
def test_the_site_name_leaves_the_headline(
    title: str, site_name: str | None, url: str | None, h1: str, headline: str
) -> None:
    sites = site_keys([site_name], url)
    assert without_site_suffix(title, sites, [h1]) == headline


def test_line_breaks_inside_a_paragraph_separate_its_words(tmp_path: Path) -> None:
    page = tmp_path / "tour-dates.html"
    sentence = "The band announced a fifty-date tour of North America on Monday night. "
    page.write_text(
        "<html><head><title>Tour dates announced</title></head><body><article>"
        f"<h1>Tour dates announced</h1><p>{sentence * 4}</p><p>{sentence * 3}</p>"
        "<p>Tour dates:<br>June 9 -- West Palm Beach, FL<br>June 11 -- Tampa, FL"
        "<script>track()</script><br>June <b>1</b>3 -- Atlanta, GA</p></article></body></html>",
        encoding="utf-8",
    )
    entry = read_one(page)
    dates = next(b for b in entry.blocks if b.text.startswith("Tour dates"))
    assert dates.text == (
        "Tour dates: June 9 -- West Palm Beach, FL June 11 -- Tampa, FL June 13 -- Atlanta, GA"
    )
    assert "<br>" in (dates.html or "")  # the content html keeps the lines


@pytest.mark.parametrize(
    ("printed", "for_the_parser"),
    [
        ("Image copyright Getty Images", "© Getty Images"),
        ("(Image credit: TNG Collaboration)", "Credit: TNG Collaboration"),
        ("(Image: © NASA/ESA)", "© NASA/ESA"),
        ("Photo by Jason Kempin/Getty Images", "Photo: Jason Kempin/Getty Images"),
        ("Credit...Doug Mills/The New York Times", "Credit: Doug Mills/The New York Times"),
        ("Natalie Naccache | Bloomberg | Getty Images", "Natalie Naccache/Bloomberg/Getty Images"),
        ("Photo: Damian Dovarganes, AP", "Photo: Damian Dovarganes/AP"),
        ("(AP Photo/Alan Diaz, File)", "AP Photo/Alan Diaz"),
        ("Photograph: AFP via Getty Images", "Photograph: AFP/via Getty Images"),
        # what is already in the parser's forms stays as it is
        ("Photograph: Ana Lee for the Guardian", "Photograph: Ana Lee for the Guardian"),
        ("Supplied/Marine Institute", "Supplied/Marine Institute"),
        ("Image caption text, with a comma", "Image caption text, with a comma"),
    ],
)  # fmt: skip
def test_credit_markup_text_is_put_in_the_parsers_forms(printed: str, for_the_parser: str) -> None:
    assert clean_credit_text(printed) == for_the_parser


def test_urls_with_spaces_are_percent_encoded_and_an_escape_is_kept(
    tmp_path: Path,
) -> None:
    """A canonical link, a figure's image and a link in the text, as a careless page prints
    them: written as a browser follows them, so no validator refuses the feed for one entry."""
    page = tmp_path / "harbour.html"
    sentence = "The harbour board voted on Tuesday to keep the ferry terminal open. "
    page.write_text(
        '<html><head><title>Harbour board vote</title><link rel="canonical" '
        'href="https://news.example/local/harbour board vote.html"></head><body><article>'
        f"<h1>Harbour board vote</h1><p>{sentence * 4}</p>"
        '<figure><img src="/img/harbour view.jpg" alt="The harbour">'
        "<figcaption>The harbour at dusk. Photo: Jane Doe</figcaption></figure>"
        f'<p>{sentence * 3} See <a href="/council/minutes 2025.html">the minutes</a>, '
        '<a href="/te-reo/t%C5%8Dtara">an escaped link</a>.</p>'
        "</article></body></html>",
        encoding="utf-8",
    )
    entry = read_one(page)
    assert entry.url == "https://news.example/local/harbour%20board%20vote.html"
    assert [m.url for m in entry.media] == ["https://news.example/img/harbour%20view.jpg"]
    html = entry.content_html or ""
    assert 'src="https://news.example/img/harbour%20view.jpg"' in html
    assert 'href="https://news.example/council/minutes%202025.html"' in html
    assert 'href="https://news.example/te-reo/t%C5%8Dtara"' in html  # not encoded twice


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_links_in_the_text_resolve_against_the_pages_own_url(tmp_path: Path, scheme: str) -> None:
    """A protocol-relative link takes the page's scheme (trafilatura, given the url, wrote
    http: for every other host), and a relative one the page's folder, not the site's root."""
    page = tmp_path / "ferry.html"
    sentence = "The ferry operators told the harbour board that the terminal needs repairs. "
    page.write_text(
        "<html><head><title>Ferry terminal repairs</title><link rel=canonical "
        f'href="{scheme}://news.example/local/ferry.html"></head><body><article>'
        f"<h1>Ferry terminal repairs</h1><p>{sentence * 4}</p>"
        f'<p>{sentence * 3} Read <a href="//other.example/page">the operators\' letter</a>, '
        '<a href="//news.example/local/board">the board\'s reply</a> and '
        '<a href="minutes.html">the minutes</a>.</p></article></body></html>',
        encoding="utf-8",
    )
    html = read_one(page).content_html or ""
    assert f'href="{scheme}://other.example/page"' in html
    assert f'href="{scheme}://news.example/local/board"' in html
    assert f'href="{scheme}://news.example/local/minutes.html"' in html


def _harbour_page(path: Path, stated: str, figure: str = "") -> Path:
    """An article whose JSON-LD states a picture at `stated`, credited "Photo: Ana Lee/AAP",
    with `figure` between its two paragraphs."""
    sentence = "The council voted on Tuesday to close the harbour road for repairs. "
    path.write_text(
        "<html><head><title>Harbour road to close</title>"
        '<link rel=canonical href="https://news.example/harbour-road.html">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"NewsArticle", "headline": "Harbour road to close", "image": {"@type": '
        f'"ImageObject", "url": "{stated}", "creditText": "Photo: Ana Lee/AAP"}}}}</script>'
        "</head><body><article><h1>Harbour road to close</h1>"
        f"<p>{sentence * 4}</p>{figure}<p>{sentence * 3}</p></article></body></html>",
        encoding="utf-8",
    )
    return path


def test_a_lead_image_stated_only_in_json_ld_shows_its_credit_in_the_content(
        tmp_path: Path) -> None:
    """The page's picture, credited in its JSON-LD and shown by no figure of the body, was
    media with its credit only in media:credit and the attribution record: readers that ignore
    extensions showed no credit. It now leads the content html as a figure with its credit."""
    entry = read_one(_harbour_page(tmp_path / "lead.html", "https://news.example/img/road.jpg"))
    (picture,) = entry.media
    assert "Ana Lee" in {c.agent.name for c in picture.credits}
    html = entry.content_html or ""
    assert html.startswith("<figure") and 'src="https://news.example/img/road.jpg"' in html
    assert "Ana Lee" in html.split("</figure>")[0]


def test_a_resized_copy_in_the_body_is_the_picture_json_ld_states(tmp_path: Path) -> None:
    """JSON-LD names the full-size picture, the body shows a resized copy of it
    (road-800x450.jpg, ?quality=90): one picture, its credit on the body's figure, not a
    second figure of it at the top."""
    entry = read_one(_harbour_page(
        tmp_path / "copy.html", "https://news.example/img/road.jpg?quality=90",
        '<figure><img src="https://news.example/img/road-800x450.jpg" width="800" '
        'height="450"><figcaption>The road at dawn.</figcaption></figure>'))
    (picture,) = entry.media
    assert picture.url == "https://news.example/img/road-800x450.jpg"
    assert "Ana Lee" in {c.agent.name for c in picture.credits}
    assert [b.media_id for b in entry.blocks if b.kind is BlockKind.FIGURE] == [picture.id]


@pytest.mark.parametrize(
    ("head", "byline", "names"),
    [
        ('<meta name="author" content="Sammy Davis, Jr.">', "", ["Sammy Davis, Jr."]),
        ("", '<p class="byline">By Sammy Davis Jr. and Harry Connick, Jr.</p>',
         ["Sammy Davis Jr.", "Harry Connick, Jr."]),
        ('<meta name="author" content="John Smith, III">', "", ["John Smith, III"]),
    ],
)
def test_a_generational_suffix_after_a_comma_stays_with_the_name(
    tmp_path: Path, head: str, byline: str, names: list[str]
) -> None:
    page = tmp_path / "suffix.html"
    sentence = "The harbour board voted on Tuesday to keep the ferry terminal open. "
    page.write_text(
        f"<html><head><title>Ferry terminal stays</title>{head}</head><body><article>"
        f"<h1>Ferry terminal stays</h1>{byline}<p>{sentence * 4}</p><p>{sentence * 3}</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    entry = read_one(page)
    assert [a.name for a in entry.authors] == names
    assert all(a.kind is AgentKind.PERSON for a in entry.authors)
