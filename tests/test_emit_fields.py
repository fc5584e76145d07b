"""Fields of the emitted documents that only some entries have, each read back the way clients
read it (json, feedparser, lxml) and every document checked by our validator: what the emit
mutation run found written by no test. Built from a model, so they hold whatever produces the
bytes."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, tzinfo

import feedparser
import pytest
from lxml import etree

from feedwright.emit import emit, emit_document
from feedwright.model import (
    Agent,
    AgentKind,
    Credit,
    Entry,
    Feed,
    Media,
    MediaKind,
    Role,
    Timestamp,
)
from feedwright.validate import validate_document

WHEN = Timestamp(datetime(2025, 3, 12, 6, 4, tzinfo=UTC), "text:dateline")
ENTRY = Entry(
    title="Storm closes harbour",
    id="tag:news.example,2025:storm",
    url="https://news.example/storm",
    content_html="<p>The harbour closed.</p>",
    published=WHEN,
    authors=(Agent("Jane Doe", AgentKind.PERSON),),
)
FEED = Feed(id="tag:news.example,2025:feed", title="Example News", link="https://news.example/",
            description="News", entries=(ENTRY,))


def documents(feed: Feed) -> dict[str, bytes]:
    """The feed in every format, each with its own self url, each valid."""
    out = {}
    for fmt in ("rss", "atom", "json"):
        data = emit(dataclasses.replace(feed, self_url=f"https://news.example/feed.{fmt}"), fmt)
        assert validate_document(data, fmt).errors == (), (fmt, validate_document(data, fmt))
        out[fmt] = data
    return out


def json_item(feed: Feed) -> dict[str, object]:
    item: dict[str, object] = json.loads(documents(feed)["json"])["items"][0]
    return item


def test_an_entry_without_content_has_an_empty_content_html_in_json_feed() -> None:
    """JSON Feed requires content_html or content_text: an entry with neither gets an empty
    content_html, never made-up text."""
    item = json_item(dataclasses.replace(FEED, entries=(
        dataclasses.replace(ENTRY, content_html=None),)))
    assert item["content_html"] == ""


@pytest.mark.parametrize(("media", "image"), [
    ((Media("v1", MediaKind.VIDEO, "https://news.example/v.mp4"),
      Media("i1", MediaKind.IMAGE, "https://news.example/i.jpg")), "https://news.example/i.jpg"),
    ((Media("v1", MediaKind.VIDEO, "https://news.example/v.mp4"),), None),
    ((Media("i0", MediaKind.IMAGE), Media("i1", MediaKind.IMAGE, "https://news.example/i.jpg")),
     "https://news.example/i.jpg"),  # an image without a url (a text dump's) is not shown
])
def test_the_json_feed_image_is_the_first_image_with_a_url(media: tuple[Media, ...],
                                                           image: str | None) -> None:
    item = json_item(dataclasses.replace(FEED, entries=(dataclasses.replace(ENTRY, media=media),)))
    assert item.get("image") == image


def test_contributors_and_sources_are_listed_in_the_json_feed_record() -> None:
    credits = (Credit(Agent("Sam Lee", AgentKind.PERSON), Role.EDITOR),
               Credit(Agent("AAP", AgentKind.ORGANIZATION), Role.SOURCE, raw="- AAP"),
               Credit(Agent("Reuters", AgentKind.ORGANIZATION), Role.SOURCE, raw="(Reuters)"),
               Credit(Agent("AAP", AgentKind.ORGANIZATION), Role.SOURCE, raw="AAP"))
    record = json_item(dataclasses.replace(FEED, entries=(
        dataclasses.replace(ENTRY, credits=credits),)))["_feedwright"]
    assert isinstance(record, dict)
    assert [a["name"] for a in record["contributors"]] == ["Sam Lee"]
    assert [a["name"] for a in record["sources"]] == ["AAP", "Reuters"]  # each once, in order
    plain = json_item(FEED)["_feedwright"]
    assert isinstance(plain, dict) and "contributors" not in plain and "sources" not in plain


def test_the_feed_icon_is_in_every_format() -> None:
    docs = documents(dataclasses.replace(FEED, icon="https://news.example/icon.png"))
    assert json.loads(docs["json"])["icon"] == "https://news.example/icon.png"
    assert feedparser.parse(docs["atom"]).feed.icon == "https://news.example/icon.png"
    assert "icon" not in json.loads(documents(FEED)["json"])


def test_an_undated_feed_has_no_build_date() -> None:
    """RSS needs no date: a feed whose entries state none says none, never the clock's."""
    undated = dataclasses.replace(FEED, entries=(dataclasses.replace(ENTRY, published=None),))
    rss = emit(undated, "rss")
    channel = etree.fromstring(rss).find("channel")
    assert channel is not None
    assert channel.find("lastBuildDate") is None and channel.find("pubDate") is None
    assert validate_document(rss, "rss").errors == ()
    dated = etree.fromstring(documents(FEED)["rss"]).findtext("channel/lastBuildDate")
    assert dated == "Wed, 12 Mar 2025 06:04:00 +0000"


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_an_entry_without_an_id_is_refused_by_name(fmt: str) -> None:
    feed = dataclasses.replace(FEED, entries=(dataclasses.replace(ENTRY, id=None),))
    with pytest.raises(ValueError, match=r"^entry 'Storm closes harbour' has no id; mint ids"):
        emit(feed, fmt)


def enclosures_of(feed: Feed) -> dict[str, object]:
    """What each format says of the entry's files: RSS's one enclosure (url, type, length),
    Atom's enclosure links and JSON Feed's attachments."""
    docs = documents(feed)
    rss = etree.fromstring(docs["rss"]).find("channel/item/enclosure")
    atom = etree.fromstring(docs["atom"]).findall(
        "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}link[@rel='enclosure']")
    return {
        "rss": None if rss is None else (rss.get("url"), rss.get("type"), rss.get("length")),
        "atom": [(link.get("href"), link.get("type"), link.get("length")) for link in atom],
        "json": json.loads(docs["json"])["items"][0].get("attachments"),
    }


def with_media(*media: Media) -> Feed:
    return dataclasses.replace(FEED, entries=(dataclasses.replace(ENTRY, media=media),))


def test_an_enclosure_type_is_the_stated_one_else_the_extensions_else_unknown() -> None:
    found = enclosures_of(with_media(
        Media("a", MediaKind.IMAGE, "https://news.example/a.jpg", mime_type="image/webp"),
        Media("b", MediaKind.IMAGE, "https://news.example/b.png"),
        Media("c", MediaKind.UNKNOWN, "https://news.example/c.zzz")))
    assert [(href, kind) for href, kind, _ in found["atom"]] == [
        ("https://news.example/a.jpg", "image/webp"),  # stated, not guessed from .jpg
        ("https://news.example/b.png", "image/png"),
        ("https://news.example/c.zzz", "application/octet-stream")]
    assert [a["mime_type"] for a in found["json"]] == [
        "image/webp", "image/png", "application/octet-stream"]


def test_an_enclosure_length_is_the_known_size_and_zero_is_known() -> None:
    found = enclosures_of(with_media(
        Media("a", MediaKind.IMAGE, "https://news.example/a.jpg", size=0),
        Media("c", MediaKind.IMAGE, "https://news.example/c.jpg", size=48213)))
    assert [a.get("size_in_bytes") for a in found["json"]] == [0, 48213]
    assert found["rss"] == ("https://news.example/a.jpg", "image/jpeg", "0")
    # A negative size is no size. (The readers drop one before it reaches a model:
    # test_feed_reader's test_a_negative_or_non_numeric_media_size_is_unknown_and_warned_of.)
    negative = with_media(Media("b", MediaKind.IMAGE, "https://news.example/b.jpg", size=-1))
    (attachment,) = json.loads(emit(negative, "json"))["items"][0]["attachments"]
    assert "size_in_bytes" not in attachment


def test_the_rss_enclosure_is_the_first_image_else_the_first_file() -> None:
    video = Media("v", MediaKind.VIDEO, "https://news.example/v.mp4", size=10)
    image = Media("i", MediaKind.IMAGE, "https://news.example/i.jpg", size=20)
    audio = Media("s", MediaKind.AUDIO, "https://news.example/s.mp3", size=30)
    assert enclosures_of(with_media(video, image))["rss"] == (
        "https://news.example/i.jpg", "image/jpeg", "20")
    assert enclosures_of(with_media(video, audio))["rss"] == (
        "https://news.example/v.mp4", "video/mp4", "10")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_stylesheet_is_named_before_the_root(fmt: str) -> None:
    data = emit(dataclasses.replace(FEED, stylesheet="feed.xsl?a=1&b=2"), fmt)
    instruction = etree.fromstring(data).getprevious()
    assert instruction is not None and instruction.target == "xml-stylesheet"
    # pseudo-attributes are escaped as attributes are; lxml shows them as written
    assert instruction.get("type") == "text/xsl"
    assert instruction.get("href") == "feed.xsl?a=1&amp;b=2"
    assert feedparser.parse(data).entries[0].title == "Storm closes harbour"
    assert etree.fromstring(emit(FEED, fmt)).getprevious() is None


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_stylesheet_that_would_end_its_instruction_is_refused_saying_so(fmt: str) -> None:
    from feedwright.emit import EmitError

    with pytest.raises(EmitError) as refused:
        emit(dataclasses.replace(FEED, stylesheet="feed.xsl?>x"), fmt)
    assert str(refused.value) == ("stylesheet 'feed.xsl?>x': '?>' would end its processing "
                                  "instruction")


def test_atom_refuses_an_undated_entry_or_feed_by_name() -> None:
    """Atom requires every entry and the feed to carry a date, and none is ever invented."""
    undated = dataclasses.replace(ENTRY, id="tag:news.example,2025:undated", published=None)
    with pytest.raises(ValueError, match=r"^entry 'tag:news.example,2025:undated' has no date; "
                                        r"Atom requires one"):
        emit(dataclasses.replace(FEED, entries=(ENTRY, undated)), "atom")
    with pytest.raises(ValueError, match=r"^feed 'tag:news.example,2025:feed' has no dated "
                                        r"entries"):
        emit(dataclasses.replace(FEED, entries=(undated,)), "atom")


def test_an_atom_author_keeps_the_address_the_source_states() -> None:
    author = Agent("Jane Doe", AgentKind.PERSON, url="https://news.example/jane",
                   email="jane@news.example")
    docs = documents(dataclasses.replace(FEED, entries=(
        dataclasses.replace(ENTRY, authors=(author,)),)))
    detail = feedparser.parse(docs["atom"]).entries[0].author_detail
    assert (detail.name, detail.email, detail.href) == (
        "Jane Doe", "jane@news.example", "https://news.example/jane")


def test_an_atom_feed_that_names_no_author_is_published_under_its_own_title() -> None:
    """Atom needs an author for every entry: the feed's title, as the organisation responsible,
    stands in where the feed names none."""
    anonymous = dataclasses.replace(ENTRY, authors=())
    parsed = feedparser.parse(documents(dataclasses.replace(FEED, entries=(anonymous,)))["atom"])
    assert parsed.feed.author == "Example News"
    named = dataclasses.replace(FEED, authors=(Agent("The Desk", AgentKind.ORGANIZATION),))
    assert feedparser.parse(documents(named)["atom"]).feed.author == "The Desk"


def test_rss_names_its_hubs_without_a_self_link_too() -> None:
    hubs = ("https://hub.example/", "https://hub2.example/")
    rss = emit(dataclasses.replace(FEED, hubs=hubs), "rss")  # no self_url: a warning only
    links = feedparser.parse(rss).feed.links
    assert [link["href"] for link in links if link["rel"] == "hub"] == list(hubs)
    assert validate_document(rss, "rss").errors == ()


# What the emit mutation run on the text writer (docs/testing.md) found unguarded.

@pytest.mark.parametrize(("fmt", "missing", "reason"), [
    ("atom", {"title": ""}, "Atom needs an id and a title"),
    ("atom", {"id": ""}, "Atom needs an id and a title"),
    ("rss", {"title": "", "description": "News"}, "RSS needs a title and a link"),
    ("rss", {"link": ""}, "RSS needs a title and a link"),
])
def test_a_feed_without_what_its_format_needs_is_refused_by_name(
        fmt: str, missing: dict[str, str], reason: str) -> None:
    feed = dataclasses.replace(FEED, **missing)
    with pytest.raises(ValueError, match=f"^feed {feed.id!r}: {reason}$"):
        emit(feed, fmt)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_stylesheet_that_would_end_its_instruction_is_refused(fmt: str) -> None:
    with pytest.raises(ValueError, match=r"^stylesheet 'a\?>b\.xsl': '\?>' would end its"):
        emit(dataclasses.replace(FEED, stylesheet="a?>b.xsl"), fmt)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("bad", ["\x07", "\ud800"])  # a control; a lone surrogate (no UTF-8)
def test_a_character_xml_cannot_hold_is_named_with_its_line(fmt: str, bad: str) -> None:
    def titled(title: str) -> Feed:
        return dataclasses.replace(FEED, entries=(dataclasses.replace(ENTRY, title=title),))

    # the line the entry's title is written on, where the bad character stands instead
    lines = emit(titled("Bell MARK rings"), fmt).decode().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "Bell MARK" in text)
    with pytest.raises(ValueError, match=rf"^line {line}: a value holds U\+{ord(bad):04X}, which "
                                         r"XML cannot carry \(after '.*Bell '\)$"):
        emit(titled(f"Bell {bad} rings"), fmt)


class _NoOffset(tzinfo):
    """A zone that does not know its offset (tzinfo's contract allows it): no time zone."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("zone", [None, _NoOffset()])
def test_a_date_without_a_known_offset_is_refused_by_name(fmt: str, zone: tzinfo | None) -> None:
    unzoned = Timestamp(datetime(2025, 3, 12, 6, 4, tzinfo=zone), "test")
    feed = dataclasses.replace(FEED, entries=(dataclasses.replace(ENTRY, published=unzoned),))
    # the feed's date, the entry's, is checked first
    with pytest.raises(ValueError, match=r"^feed 'tag:news.example,2025:feed': the date "
                                         "2025-03-12T06:04:00 has no time zone$"):
        emit(feed, fmt)


def test_the_json_feed_is_handed_on_as_the_object_its_bytes_encode() -> None:
    """The build validates JSON Feed from the object, not by parsing the bytes again."""
    emitted = emit_document(FEED, "json")
    assert emitted.document is not None and emitted.document == json.loads(emitted.data)
    assert emit_document(FEED, "rss").document is None


def test_line_breaks_and_tabs_in_an_attribute_survive_an_xml_parser() -> None:
    """An XML parser turns a raw line break or tab in an attribute value into a space
    (attribute-value normalisation), so they are written as character references: an Atom
    category's term keeps them, as RSS's element text does."""
    term = "line one\nline two\tand a tab"
    feed = dataclasses.replace(FEED, entries=(dataclasses.replace(ENTRY, categories=(term,)),))
    atom = etree.fromstring(documents(feed)["atom"])
    (category,) = atom.iter("{http://www.w3.org/2005/Atom}category")
    assert category.get("term") == term
    rss = etree.fromstring(documents(feed)["rss"])
    assert [c.text for c in rss.iter("category")] == [term]
