"""Markdown (YAML and TOML front matter) and JSON / NDJSON exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedwright.model import AgentKind, BlockKind, Role
from feedwright.sources import ReaderOptions, SourceError, read, retrieve
from tests.helpers import FIXTURES, read_one

NZ = ReaderOptions(timezone="Pacific/Auckland")


def credits_of(entry, target="entry"):  # type: ignore[no-untyped-def]
    return [(c.role, c.agent.name, c.on_behalf_of and c.on_behalf_of.name, c.raw)
            for c in entry.credits if c.target == target]  # fmt: skip


def read_all(path: Path) -> tuple:  # type: ignore[type-arg]
    return read(retrieve(str(path)), options=NZ)


def test_hugo_yaml_front_matter() -> None:
    entry = read_one(FIXTURES / "markdown" / "hugo-newsroom.md", NZ)
    assert entry.title == "Wellington water meters: council votes for a city-wide rollout"
    assert entry.published is not None and entry.updated is not None
    assert entry.published.value.isoformat() == "2025-03-12T06:04:00+13:00"
    assert entry.published.source == "front-matter:date"
    assert entry.updated.value.isoformat() == "2025-03-12T09:30:00+13:00"
    assert [(a.name, a.url) for a in entry.authors] == [
        ("Kate Green", None), ("Hemi Walker", "https://citydesk.example/people/hemi-walker")
    ]  # fmt: skip
    assert entry.url == "https://citydesk.example/2025/03/12/water-meters-vote/"
    assert entry.categories == ("Politics", "Wellington", "Water", "Local government")
    lead, chamber, protest = entry.media
    assert lead.url == "https://citydesk.example/images/2025/03/meter-install.jpg"
    assert credits_of(entry, lead.id) == [
        (Role.PHOTOGRAPHER, "Wellington Water", None, "Photo: Wellington Water")
    ]
    # ![alt](src) with an emphasised line under it: a figure with a caption and a credit
    assert chamber.caption == "Councillors vote on the proposal on Wednesday."
    assert credits_of(entry, chamber.id) == [
        (Role.PHOTOGRAPHER, "Kate Green", "City Desk", "Photo: Kate Green/City Desk")
    ]
    # raw <figure> markup with a credit span
    assert credits_of(entry, protest.id) == [
        (Role.PROVIDER, "Ratepayers Alliance", None, "Supplied: Ratepayers Alliance")
    ]
    assert (Role.CONTRIBUTOR, "Hemi Walker", None, "Additional reporting by Hemi Walker") in (
        credits_of(entry)
    )
    assert entry.rights is not None and entry.rights.notice == "© 2025 City Desk Media"
    kinds = [b.kind for b in entry.blocks]
    assert BlockKind.LIST in kinds and BlockKind.QUOTE in kinds and BlockKind.HEADING in kinds
    assert "<strong>one in five</strong>" in (entry.content_html or "")


def test_toml_front_matter_with_day_only_date_and_rights() -> None:
    entry = read_one(FIXTURES / "markdown" / "zola-toml.md", NZ)
    assert entry.title == "Tūī return to the Town Belt after decade of trapping"
    assert entry.published is not None and entry.published.day_only
    assert entry.published.value.isoformat() == "2025-04-03T00:00:00+13:00"
    assert entry.rights is not None and entry.rights.holder is not None
    assert (entry.rights.holder.name, entry.rights.holder.kind) == (
        "Green Belt Trust", AgentKind.ORGANIZATION
    )  # fmt: skip
    lead, trap = entry.media
    assert credits_of(entry, lead.id) == [
        (Role.PHOTOGRAPHER, "Jono Smith", "Green Belt Trust", "Jono Smith/Green Belt Trust")
    ]
    # the image's title attribute is its caption, credit cut off
    assert trap.caption == "Volunteer Anna Lee on the Northern Walkway"
    assert credits_of(entry, trap.id) == [
        (Role.PROVIDER, "Green Belt Trust", None, "(Supplied: Green Belt Trust)")
    ]
    assert entry.language == "en-NZ"


def test_jekyll_date_with_offset_and_agency_dateline() -> None:
    entry = read_one(FIXTURES / "markdown" / "jekyll-post.md", NZ)
    assert entry.published is not None
    assert entry.published.value.isoformat() == "2025-02-01T14:30:00+13:00"
    assert entry.dateline == "AUCKLAND"
    assert (Role.SOURCE, "Reuters", None, "AUCKLAND, Feb 1 (Reuters) -") in credits_of(entry)
    assert entry.categories == ("transport", "ferries", "Auckland")


def test_markdown_without_front_matter_takes_the_heading_as_title() -> None:
    entry = read_one(FIXTURES / "markdown" / "plain-no-front-matter.md", NZ)
    assert entry.title == "Library extends weekend opening hours"
    assert entry.published is None and entry.authors == ()  # nothing invented
    assert all(b.kind is BlockKind.PARAGRAPH for b in entry.blocks)


def test_bad_front_matter_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: ok\nauthors: [unclosed\n---\nBody.\n")
    with pytest.raises(SourceError) as caught:
        read_all(bad)
    assert caught.value.location == str(bad)
    assert caught.value.reason.startswith("front matter is not YAML")
    wrong = tmp_path / "wrong.md"
    wrong.write_text("---\ntitle: ok\ndate: sometime soon\n---\nBody.\n")
    with pytest.raises(SourceError, match=r"front matter: 'date' is not a date with a year"):
        read_all(wrong)


def test_schema_org_export() -> None:
    first, second = read_all(FIXTURES / "json" / "schemaorg-cms-export.json")
    assert first.title == "Cyclone Tam brings flooding to Northland"
    assert first.id is None  # a url is not an id; the ledger mints one from it
    assert first.published is not None
    assert first.published.value.isoformat() == "2025-04-17T07:45:00+12:00"
    assert [(a.name, a.kind) for a in first.authors] == [
        ("Moana Rewi", AgentKind.PERSON), ("Northern Advocate Newsroom", AgentKind.ORGANIZATION)
    ]  # fmt: skip
    (image,) = first.media
    assert (image.mime_type, image.caption) == (
        "image/jpeg", "Floodwater covers State Highway 1 near Kaitaia on Thursday morning."
    )  # fmt: skip
    assert credits_of(first, image.id) == [
        (
            Role.PHOTOGRAPHER,
            "Chris Hale",
            "Northern Advocate",
            "Photo: Chris Hale/Northern Advocate",
        ),
        (Role.COPYRIGHT_HOLDER, "Northern Media Ltd", None, "Northern Media Ltd"),
    ]
    assert (Role.EDITOR, "Gerry Kemp", None, "Gerry Kemp") in credits_of(first)
    assert first.rights is not None and first.rights.notice == "© 2025 Northern Media Ltd"
    assert "Reporting by" not in (first.content_html or "")
    assert second.published is not None and second.published.day_only
    assert second.categories == ("Weather", "Northland")


def test_ndjson_with_the_models_own_names() -> None:
    strike, cruise = read_all(FIXTURES / "json" / "model-names.ndjson")
    assert strike.id == "urn:uuid:6f1c2a8e-2d4b-4b6e-9a51-0c9f5e1d7a30"
    assert strike.authors[0].email == "lena.fox@harbour.example"  # stated, so kept
    assert (Role.SOURCE, "RNZ", None, "(Source: RNZ)") in credits_of(strike)
    (photo,) = strike.media
    assert photo.url == "https://harbour.example/img/port-gates.jpg"
    assert credits_of(strike, photo.id) == [
        (Role.PHOTOGRAPHER, "Lena Fox", None, "Photo: Lena Fox")
    ]
    assert cruise.media[0].id == "lead"
    assert credits_of(cruise, "lead") == [
        (Role.PHOTOGRAPHER, "Ana Silva", "Harbour News", "Photo: Ana Silva")
    ]
    assert cruise.updated is not None and cruise.updated.source == "json:updated"


def test_wrapped_items_with_free_form_date_and_byline() -> None:
    (entry,) = read_all(FIXTURES / "json" / "wrapped-items.json")
    assert entry.published is not None
    assert entry.published.value.isoformat() == "2025-05-02T13:15:00+12:00"
    assert [a.name for a in entry.authors] == ["Jo Park", "Sione Taufa"]
    assert entry.dateline == "NELSON"
    (photo,) = entry.media
    assert photo.url == "https://valleytimes.example/stories/lunch.jpg"
    assert credits_of(entry, photo.id) == [
        (Role.PROVIDER, "Parent group", None, "(Supplied: Parent group)")
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('{"title": "A"}\n{"headline": "B"}\n{"body": "no title"}\n', 3,
         "record 3 has no title (looked for 'title', 'headline', 'name')"),
        ('{"title": "A"}\n[1, 2]\n', 2, "record 2 is a list, not an object"),
        ('{"title": "A", "authors": 7}\n{"title": "B"}\n', 1,
         "record 1: 'authors' must be a name, an object with a name, or a list; got a number"),
        ('{"title": "A"}\n{"title": "B", "published": "next week"}\n', 2,
         "record 2: 'published' is not a date with a year, month and day: 'next week'"),
        ('{"title": "A"}\n{"title": oops}\n', 2, "not a JSON record: Expecting value"),
    ],
)  # fmt: skip
def test_records_that_do_not_fit_are_named(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = tmp_path / "export.ndjson"
    path.write_text(text)
    with pytest.raises(SourceError) as caught:
        read_all(path)
    assert (caught.value.line, caught.value.reason) == (line, reason)


def test_json_list_errors_carry_the_records_line(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('[\n  {"title": "A"},\n  {"title": "B",\n   "media": [42]}\n]\n')
    with pytest.raises(SourceError) as caught:
        read_all(path)
    assert (caught.value.line, caught.value.reason) == (
        3, "record 2: 'media' must be a url or an object, got a number"
    )  # fmt: skip


def test_markdown_canonical_url_and_image_with_spaces_are_percent_encoded(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(
        "---\ntitle: Harbour board vote\n"
        "canonicalURL: https://news.example/local/harbour board vote.html\n"
        "image: /img/lead pic.jpg\ndate: 2025-01-02T00:00:00Z\n---\n\n"
        "The harbour board voted on Tuesday to keep the ferry terminal open.\n",
        encoding="utf-8",
    )
    (entry,) = read_all(post)
    assert entry.url == "https://news.example/local/harbour%20board%20vote.html"
    assert [m.url for m in entry.media] == ["https://news.example/img/lead%20pic.jpg"]


def test_a_json_export_url_with_a_space_is_percent_encoded_and_a_valid_one_kept(
    tmp_path: Path,
) -> None:
    export = tmp_path / "export.json"
    urls = ["https://news.example/j/json story.html", "https://news.example/j/a%20b|c.html",
            "https://news.example/j/tōtara-café?q=1&r=%C3%A9#top"]
    export.write_text(json.dumps([
        {"title": f"Story {n}", "url": url, "published": "2025-01-03T00:00:00Z",
         "content_html": "<p>Body text of the story.</p>"}
        for n, url in enumerate(urls)]), encoding="utf-8")
    entries = read_all(export)
    assert [e.url for e in entries] == [
        "https://news.example/j/json%20story.html",
        "https://news.example/j/a%20b%7Cc.html",  # an escape stays as it was
        urls[2],  # an IRI, valid as it stands: byte for byte
    ]
