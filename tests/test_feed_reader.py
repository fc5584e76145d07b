"""Existing RSS, Atom and JSON feeds as sources, and duplicates across sources merged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import feedparser
import pytest

from feedwright.emit import emit
from feedwright.model import Agent, AgentKind, Feed, MediaKind, Role
from feedwright.normalise.merge import canonical_url, merge_duplicates
from feedwright.sources import ReaderOptions, read, retrieve
from feedwright.validate import validate_document
from tests.helpers import FIXTURES

NZ = ReaderOptions(timezone="Pacific/Auckland")
FEEDS = FIXTURES / "feeds"


def read_all(path: Path | str, kind: str | None = None) -> tuple:  # type: ignore[type-arg]
    return read(retrieve(str(path)), kind=kind, options=NZ)


def credits_of(entry, target="entry"):  # type: ignore[no-untyped-def]
    return [(c.role, c.agent.name, c.on_behalf_of and c.on_behalf_of.name, c.raw)
            for c in entry.credits if c.target == target]  # fmt: skip


def test_rss_items_keep_guid_dates_creators_and_credit_the_feed() -> None:
    ferry, snow = read_all(FEEDS / "broadcaster-rss.xml")
    assert ferry.id == "sbn-national-548213"
    assert ferry.published is not None
    assert ferry.published.value.isoformat() == "2025-03-11T16:45:00+13:00"
    assert ferry.published.source == "rss:pubDate"
    assert [a.name for a in ferry.authors] == ["Mihi Tane", "Oliver Grant"]
    source = [c for c in ferry.credits if c.role is Role.SOURCE]
    assert [(c.agent.name, c.agent.url) for c in source] == [
        ("Southern Broadcasting News", "https://news.southern.example/rss/national.xml")
    ]
    (photo,) = ferry.media
    assert (photo.mime_type, photo.size) == ("image/jpeg", 482113)
    assert credits_of(ferry, photo.id) == [
        (Role.PHOTOGRAPHER, "Mihi Tane", "Southern Broadcasting",
         "Photo: Mihi Tane / Southern Broadcasting"),
        (Role.COPYRIGHT_HOLDER, "Southern Broadcasting", None, "© 2025 Southern Broadcasting"),
    ]  # fmt: skip
    assert (
        ferry.summary == "The ferry will resume sailings on Wednesday morning, the operator says."
    )
    assert "trackView" not in (ferry.content_html or "")
    assert ferry.categories == ("Transport", "Wellington")
    # RSS <author> with an e-mail: stated, so kept; <source> names where it came from first
    assert [(a.name, a.email) for a in snow.authors] == [
        ("Southern Newsdesk", "newsdesk@southern.example")
    ]
    assert [c.agent.name for c in snow.credits if c.role is Role.SOURCE] == [
        "NZ Wire", "Southern Broadcasting News"
    ]  # fmt: skip
    assert snow.published is not None and snow.published.value.utcoffset().total_seconds() == 0
    assert [(m.kind, m.size) for m in snow.media] == [
        (MediaKind.IMAGE, None),
        (MediaKind.AUDIO, 1843200),
    ]


def test_atom_entries_inherit_the_feed_author_and_rights_and_resolve_xml_base() -> None:
    pact, election = read_all(FEEDS / "agency-atom.xml")
    assert pact.title == "Fiji & Tonga sign fisheries pact"
    assert pact.id == "tag:pacificwire.example,2025:story/88123"
    assert pact.url == "https://pacificwire.example/stories/88123-fiji-tonga-fisheries"
    assert pact.published is not None and pact.updated is not None
    assert pact.published.value.isoformat() == "2025-03-12T08:05:00+12:00"
    assert pact.updated.value.isoformat() == "2025-03-12T09:30:00+11:00"
    assert (Role.CONTRIBUTOR, "Ben Carter", None, "Ben Carter") in credits_of(pact)
    (photo,) = pact.media
    assert credits_of(pact, photo.id) == [
        (Role.PHOTOGRAPHER, "Ana Kioa", "PACIFIC WIRE", "PACIFIC WIRE/Ana Kioa")
    ]
    assert photo.size == 220341  # the enclosure and the figure are one picture
    assert pact.dateline == "SUVA"
    assert pact.categories == ("Pacific", "Fisheries")
    assert election.published is None  # Atom states only updated: nothing invented
    assert [a.name for a in election.authors] == ["Pacific Wire"]  # RFC 4287 4.2.1
    assert election.rights is not None and election.rights.notice == (
        "Copyright 2025 Pacific Wire Pty Ltd"
    )
    assert [c.agent.name for c in election.credits if c.role is Role.SOURCE] == [
        "Samoa Observer", "Pacific Wire: Top stories"
    ]  # fmt: skip
    assert "<strong>29 August</strong>" in (election.content_html or "")


def test_json_feed_items() -> None:
    (item,) = read_all(FEEDS / "blog-jsonfeed.json")
    assert item.id == "https://harbourside.example/2025/03/seawall-repairs"
    assert [a.name for a in item.authors] == ["Rua Hēnare"]
    assert item.published is not None
    assert item.published.value.isoformat() == "2025-03-10T07:30:00+13:00"
    crack = next(m for m in item.media if m.caption)
    assert credits_of(item, crack.id) == [
        (Role.PHOTOGRAPHER, "Rua Hēnare", None, "Picture: Rua Hēnare")
    ]
    assert item.categories == ("Coast", "Infrastructure")
    html = item.content_html or ""
    assert "javascript:" not in html and "onclick" not in html and "Click</a>" in html


def test_our_own_feed_read_back_keeps_every_credit(tmp_path: Path) -> None:
    """A feedwright feed used as a source: fw:attribution / _feedwright give back the credits
    with roles and raw text that RSS, Atom and JSON Feed cannot carry natively."""
    (original,) = read(retrieve(str(FIXTURES / "html" / "wire-opengraph.html")), options=NZ)
    original = dataclasses.replace(original, id="tag:feedwright.test,2026:wire-rba")
    feed = Feed(
        id="tag:feedwright.test,2026:feed", title="Round trip", link="https://feedwright.test/",
        authors=(Agent("Desk", AgentKind.ORGANIZATION),), entries=(original,),
    )  # fmt: skip
    for fmt, suffix in (("rss", "xml"), ("atom", "atom"), ("json", "json")):
        doc = emit(dataclasses.replace(feed, self_url=f"https://feedwright.test/f.{suffix}"), fmt)
        path = tmp_path / f"f.{suffix}"
        path.write_bytes(doc)
        (back,) = read_all(path)
        assert back.id == original.id, fmt
        assert back.published == original.published or (
            back.published is not None and original.published is not None
            and back.published.value == original.published.value
        ), fmt  # fmt: skip
        wanted = {(c.role, c.agent.name, c.raw, c.target) for c in original.credits}
        got = {(c.role, c.agent.name, c.raw, c.target) for c in back.credits}
        assert wanted <= got, (fmt, wanted - got)
        assert [(m.caption, m.url) for m in back.media] == [
            (m.caption, m.url) for m in original.media
        ], fmt


def test_duplicates_across_sources_become_one_entry_with_every_provenance(tmp_path: Path) -> None:
    ferry = read_all(FEEDS / "broadcaster-rss.xml")[0]
    syndicated = tmp_path / "syndicated.json"
    syndicated.write_text(
        '{"title": "Ferry back in service", "url": "HTTPS://news.southern.example/national/'
        'ferry-returns-to-service/?utm_source=partner#top", "categories": ["Ferries"],'
        ' "credits": [{"name": "Partner Desk", "role": "editor"}]}'
    )
    (copy,) = read_all(syndicated)
    rewritten = dataclasses.replace(
        ferry, url=None, id="other-guid", provenance=(dataclasses.replace(
            ferry.provenance[0], location="mirror.xml"),),
    )  # fmt: skip
    merged = merge_duplicates([ferry, copy, rewritten])
    assert len(merged) == 1
    (one,) = merged
    assert [p.location for p in one.provenance] == [
        str(FEEDS / "broadcaster-rss.xml"), str(syndicated), "mirror.xml"
    ]  # fmt: skip
    assert one.id == "sbn-national-548213" and one.title == ferry.title  # the first source leads
    assert one.categories == ("Transport", "Wellington", "Ferries")
    assert (Role.EDITOR, "Partner Desk", None, "Partner Desk") in credits_of(one)
    assert one.media == ferry.media


def test_different_articles_are_not_merged() -> None:
    entries = read_all(FEEDS / "broadcaster-rss.xml") + read_all(FEEDS / "agency-atom.xml")
    assert merge_duplicates(entries) == entries


def test_canonical_url() -> None:
    assert canonical_url("HTTPS://Example.org:443/a/b/?utm_medium=x&b=2&a=1#frag") == (
        "https://example.org/a/b?a=1&b=2"
    )
    assert canonical_url("http://example.org:8080/") == "http://example.org:8080/"


RSS_UNKNOWN_SIZES = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Harbour Wire</title><link>https://wire.example/</link>
<description>Wire</description>
<item><title>Seawall repairs begin</title><guid>https://wire.example/seawall</guid>
<link>https://wire.example/seawall</link><pubDate>Mon, 10 Mar 2025 07:30:00 +1300</pubDate>
<description>Crews began work on the seawall.</description>
<enclosure url="https://wire.example/seawall.mp3" type="audio/mpeg" length="-1"/>
<media:content url="https://wire.example/seawall.jpg" type="image/jpeg" fileSize="-1"/>
<media:content url="https://wire.example/crane.jpg" type="image/jpeg" fileSize="large"/>
</item></channel></rss>
"""

JSON_UNKNOWN_SIZES = """{"version": "https://jsonfeed.org/version/1.1", "title": "Harbour Wire",
 "items": [{"id": "https://wire.example/seawall", "url": "https://wire.example/seawall",
  "title": "Seawall repairs begin", "content_text": "Crews began work on the seawall.",
  "date_published": "2025-03-10T07:30:00+13:00",
  "attachments": [
   {"url": "https://wire.example/seawall.mp3", "mime_type": "audio/mpeg", "size_in_bytes": -1},
   {"url": "https://wire.example/crane.jpg", "mime_type": "image/jpeg", "size_in_bytes": "big"}
  ]}]}
"""


@pytest.mark.parametrize(("name", "text"), [("wire.xml", RSS_UNKNOWN_SIZES),
                                            ("wire.json", JSON_UNKNOWN_SIZES)])
def test_a_negative_or_non_numeric_media_size_is_unknown_and_warned_of(
    tmp_path: Path, name: str, text: str
) -> None:
    """A size of -1 (or "large") is no byte count: the reader drops it with a warning, so every
    format writes the file as of unknown size and the documents stay valid (Media RSS fileSize
    and Atom length must be non-negative integers)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (entry,) = read_all(path)
    assert [m.size for m in entry.media] == [None] * len(entry.media)
    warned = [w for w in entry.provenance[0].warnings if "not a byte count" in w]
    assert len(warned) == len(entry.media) >= 2
    feed = Feed(id="tag:wire.example,2025:feed", title="Wire", link="https://wire.example/",
                description="Wire", entries=(dataclasses.replace(entry, id="tag:w,2025:1"),))
    for fmt in ("rss", "atom", "json"):
        data = emit(dataclasses.replace(feed, self_url=f"https://wire.example/feed.{fmt}"), fmt)
        assert validate_document(data, fmt).errors == (), fmt
        assert b'"-1"' not in data and b"large" not in data and b"big" not in data, fmt
    rss = feedparser.parse(emit(feed, "rss")).entries[0]
    assert rss.enclosures[0].length == "0"  # RSS's rule for a file of unknown size
    atom = feedparser.parse(emit(feed, "atom")).entries[0]
    assert all("length" not in e for e in atom.enclosures)


def test_an_upstream_rss_link_with_a_space_is_percent_encoded_and_becomes_a_valid_id(
    tmp_path: Path,
) -> None:
    upstream = tmp_path / "upstream.rss"
    upstream.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Up</title>'
        "<link>https://up.example/</link><description>d</description>"
        "<item><title>Item one</title><link>https://up.example/news/item one.html</link>"
        "<pubDate>Wed, 01 Jan 2025 00:00:00 GMT</pubDate><description>Body.</description></item>"
        "<item><title>Item two</title><link>https://up.example/news/item%20two.html</link>"
        "<pubDate>Wed, 01 Jan 2025 00:00:00 GMT</pubDate><description>Body.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    entries = read_all(upstream)
    assert [e.url for e in entries] == ["https://up.example/news/item%20one.html",
                                        "https://up.example/news/item%20two.html"]
    from feedwright.export import gather, identify

    gathered = gather([str(upstream)], options=NZ)
    ids = [e.id for e in identify(gathered.sources, "feedwright.test,2026")]
    assert sorted(ids) == ["https://up.example/news/item%20one.html",
                           "https://up.example/news/item%20two.html"]
    feed = Feed(id="tag:feedwright.test,2026:feed", title="t", link="https://feedwright.test/",
                self_url="https://feedwright.test/feed.atom",
                entries=identify(gathered.sources, "feedwright.test,2026"))
    assert validate_document(emit(feed, "atom"), "atom").errors == ()


def test_a_tracking_pixel_is_no_picture_of_the_story(tmp_path: Path) -> None:
    """FeedBurner, Medium and WordPress end each item's html with a 1x1 image: it was read as
    the item's picture, first of its media, and so every client's enclosure and JSON Feed's
    image, ahead of the feed's own photo. An image its markup says is tiny is an icon or a pixel,
    as the page reader already knew: not media, and not in the content html either."""
    upstream = tmp_path / "upstream.rss"
    pixel = "https://feeds.feedburner.com/~r/t/~4/abc123"
    upstream.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        "<channel><title>Up</title><link>https://up.example/</link><description>d</description>"
        "<item><title>Harbour reopens</title><link>https://up.example/harbour</link>"
        "<guid>urn:up:harbour</guid><pubDate>Wed, 01 Jan 2025 00:00:00 GMT</pubDate>"
        "<description><![CDATA[<p>The harbour reopened on Tuesday after the storm.</p>"
        f'<img src="{pixel}" height="1" width="1" alt=""/>'
        '<p>Ships came in at dawn. <img src="https://up.example/icon.png" width="16"></p>]]>'
        "</description>"
        '<media:content url="https://up.example/photo.jpg" medium="image" type="image/jpeg">'
        "<media:credit>Kim Lee</media:credit></media:content></item></channel></rss>",
        encoding="utf-8",
    )
    (entry,) = read_all(upstream)
    assert [m.url for m in entry.media] == ["https://up.example/photo.jpg"]
    feed = Feed(id="tag:feedwright.test,2026:feed", title="t", link="https://feedwright.test/",
                self_url="https://feedwright.test/feed.rss",
                entries=(dataclasses.replace(entry, id="urn:up:harbour"),))
    parsed = feedparser.parse(emit(feed, "rss")).entries[0]
    assert [e.href for e in parsed.enclosures] == ["https://up.example/photo.jpg"]
    assert pixel not in parsed.content[0].value and "icon.png" not in parsed.content[0].value
    assert "Ships came in at dawn." in parsed.content[0].value
    # the feed's own photo, in no figure of the item's html, leads it with its credit
    assert 'src="https://up.example/photo.jpg"' in parsed.content[0].value
    assert "Kim Lee" in parsed.content[0].value


def test_a_media_content_photo_the_body_shows_resized_leads_no_second_figure(
        tmp_path: Path) -> None:
    """WordPress names the full-size photo in media:content and shows a resized copy in the
    item's html (photo-1024x683.jpg): one picture, not a second figure of it at the top."""
    upstream = tmp_path / "upstream.rss"
    upstream.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        "<channel><title>Up</title><link>https://up.example/</link><description>d</description>"
        "<item><title>Harbour reopens</title><link>https://up.example/harbour</link>"
        "<guid>urn:up:harbour</guid><pubDate>Wed, 01 Jan 2025 00:00:00 GMT</pubDate>"
        "<description><![CDATA[<p>The harbour reopened on Tuesday after the storm.</p>"
        '<figure><img src="https://up.example/photo-1024x683.jpg" width="1024" height="683">'
        "<figcaption>Ships at dawn.</figcaption></figure>"
        "<p>Ships came in at dawn and the wharf was busy again.</p>]]></description>"
        '<media:content url="https://up.example/photo.jpg" medium="image" type="image/jpeg">'
        "<media:credit>Kim Lee</media:credit></media:content></item></channel></rss>",
        encoding="utf-8",
    )
    (entry,) = read_all(upstream)
    html = entry.content_html or ""
    assert html.count("<figure") == 1 and "photo-1024x683.jpg" in html
