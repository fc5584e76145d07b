"""The feed reader on the documents other producers write: refusals that name the place and the
reason, and the less common constructs (xhtml and text content, RSS authors with an address,
media without a url, a JSON Feed's own _feedwright record)."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from feedwright.emit import emit
from feedwright.model import Entry, Feed, Role
from feedwright.sources import ReaderOptions, Retrieved, SourceError, read, retrieve
from feedwright.validate import validate_document

OPTIONS = ReaderOptions(timezone="Pacific/Auckland")
ATOM_HEAD = ('<feed xmlns="http://www.w3.org/2005/Atom" '
             'xmlns:media="http://search.yahoo.com/mrss/"><id>tag:x,2025:f</id><title>F</title>'
             "<updated>2025-03-12T07:00:00Z</updated>")


def read_feed(data: str | bytes, location: str = "feed.xml") -> tuple[Entry, ...]:
    raw = data.encode() if isinstance(data, str) else data
    return read(Retrieved(location=location, data=raw), kind="feed", options=OPTIONS)


@pytest.mark.parametrize(("document", "location", "reason"), [
    ('<rss version="2.0"></rss>', "feed.xml", "RSS document without a <channel>"),
    (ATOM_HEAD + "<entry><id>tag:x,2025:e</id><updated>2025-03-12T07:00:00Z</updated>"
     "</entry></feed>", "feed.xml", "entry 1 has no title"),
    ('{"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [3]}',
     "feed.json", "item 1 is not an object"),
    ('{"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [{"id": "1"}]}',
     "feed.json", "item 1 has no title and no text"),
    ('{"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [',
     "feed.json", "feed.json"),
])
def test_refusals_name_the_place_and_the_reason(document: str, location: str,
                                                reason: str) -> None:
    with pytest.raises(SourceError) as info:
        read_feed(document, location)
    assert str(info.value).startswith(location) and reason in str(info.value), str(info.value)


def test_atom_xhtml_and_text_content() -> None:
    xhtml, text = read_feed(
        ATOM_HEAD
        + '<entry><id>tag:x,2025:a</id><title>Xhtml</title><updated>2025-03-12T07:00:00Z</updated>'
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One <b>bold</b> '
        "step.</p></div></content></entry>"
        '<entry><id>tag:x,2025:b</id><title type="text">Text &amp; more</title>'
        "<updated>2025-03-12T07:00:00Z</updated>"
        '<content type="text">Plain &lt;not a tag&gt; words.</content></entry></feed>')
    assert "xmlns" not in (xhtml.content_html or "") and "<b>bold</b>" in (xhtml.content_html or "")
    assert text.title == "Text & more"
    assert "Plain &lt;not a tag&gt; words." in (text.content_html or "")
    assert xhtml.url is None and text.url is None  # no alternate link: no url invented


def test_rss_author_with_an_address_keeps_the_stated_address() -> None:
    (entry,) = read_feed(
        '<rss version="2.0"><channel><title>F</title><link>https://news.example/</link>'
        "<description>d</description><item><title>Storm</title>"
        "<author>jane@news.example (Jane Doe)</author><description>Body.</description>"
        "</item></channel></rss>")
    assert [(a.name, a.email) for a in entry.authors] == [("Jane Doe", "jane@news.example")]


def test_media_credit_roles_outside_the_vocabulary() -> None:
    (entry,) = read_feed(
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>F'
        "</title><link>https://news.example/</link><description>d</description><item>"
        "<title>Storm</title><description>Body.</description>"
        '<media:content url="https://news.example/a.jpg" medium="image">'
        '<media:credit role="chef" scheme="urn:ebu">Cook</media:credit>'
        '<media:credit role="photographer"></media:credit>'
        "<media:description>Waves (Photo: Tom Ellery)</media:description></media:content>"
        '<media:content url="https://news.example/b.mp4" medium="video">'
        '<media:credit role="nonsense" scheme="https://feedwright.dev/ns/attribution/1.0">'
        "Jo Bloggs</media:credit></media:content>"
        "</item></channel></rss>")
    wave, clip = entry.media
    # an unknown role is read as what a credit on that kind of media usually is; an empty
    # credit is no credit; a caption with a credit element beside it is left as printed
    assert [(c.role, c.agent.name) for c in wave.credits] == [(Role.PHOTOGRAPHER, "Cook")]
    assert wave.caption == "Waves (Photo: Tom Ellery)"
    assert [(c.role, c.agent.name) for c in clip.credits] == [(Role.VIDEOGRAPHER, "Jo Bloggs")]


def test_a_json_feed_item_with_our_record_and_odd_media() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1", "title": "F",
        "items": [{
            "id": "https://news.example/a", "title": "Storm", "content_text": "Body text.",
            "_feedwright": {"credits": "not a list", "media": ["x", {"id": "m1"}]},
        }],
    }
    (entry,) = read_feed(json.dumps(document), "feed.json")
    # the item is read; the parts of our record that are not objects are left out, and said so
    assert entry.title == "Storm"
    warnings = entry.provenance[0].warnings
    assert any(w.startswith("_feedwright.credits") and "left out" in w for w in warnings)
    assert "_feedwright.media[1]: not an object; left out" in warnings
    assert [m.id for m in entry.media] == ["m1"]


RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>News</title><link>https://news.example/</link>
<description>d</description></channel>
<item rdf:about="https://news.example/a"><title>Harbour bridge closes</title>
<link>https://news.example/a</link><description>The bridge closes.</description>
<dc:creator>Jane Doe</dc:creator><dc:date>2025-03-12T07:00:00Z</dc:date></item>
<item rdf:about="https://news.example/b"><title>Library opens</title>
<link>https://news.example/b</link><dc:date>2025-03-13T07:00:00Z</dc:date></item>
</rdf:RDF>"""


def test_an_rss_1_0_document_gives_its_items_with_their_creators_and_dates() -> None:
    first, second = read_feed(RSS1, "feed.rdf")
    assert (first.title, first.url, [a.name for a in first.authors]) == (
        "Harbour bridge closes", "https://news.example/a", ["Jane Doe"])
    assert first.published is not None and first.published.value.isoformat() == (
        "2025-03-12T07:00:00+00:00")
    assert (second.title, second.authors) == ("Library opens", ())  # no author invented
    assert all(("source", "News") in [(c.role.value, c.agent.name) for c in e.credits]
               for e in (first, second))


def test_a_single_atom_entry_document_is_one_entry() -> None:
    (entry,) = read_feed('<entry xmlns="http://www.w3.org/2005/Atom"><id>tag:x,2025:e</id>'
                         "<title>Solo</title><updated>2025-03-12T07:00:00Z</updated>"
                         "<author><name>Jane Doe</name></author>"
                         '<content type="html">&lt;p&gt;Hi&lt;/p&gt;</content></entry>')
    assert (entry.id, entry.title, [a.name for a in entry.authors]) == (
        "tag:x,2025:e", "Solo", ["Jane Doe"])
    assert entry.content_html == "<p>Hi</p>"


@pytest.mark.parametrize(("document", "reason"), [
    ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
     "RSS 1.0 document without a <channel>"),
    ("<html><body/></html>", "not a feed: the root element is <html>"),
])
def test_documents_that_are_no_feed_are_refused_by_name(document: str, reason: str) -> None:
    with pytest.raises(SourceError) as info:
        read_feed(document, "x.xml")
    assert str(info.value) == f"x.xml: {reason}"


LONE_ENTRY = ('<entry xmlns="http://www.w3.org/2005/Atom"><id>tag:x,2025:e</id>'
              "<title>Solo</title><updated>2025-03-12T07:00:00Z</updated>"
              "<author><name>Jane Doe</name></author>{source}"
              '<content type="html">&lt;p&gt;Hi&lt;/p&gt;</content></entry>')


@pytest.mark.parametrize(("source", "credited"), [
    ("", []),  # came through no feed: its own title is no outlet's name
    ('<source><id>tag:wire.example,2025:feed</id><title>Harbour Wire</title>'
     '<link href="https://wire.example/"/><updated>2025-03-12T07:00:00Z</updated></source>',
     ["Harbour Wire"]),  # the feed it was copied from, as the entry itself says
])
def test_a_single_atom_entry_document_credits_only_the_source_it_names(
    tmp_path: Path, source: str, credited: list[str]
) -> None:
    path = tmp_path / "solo.xml"
    path.write_text(LONE_ENTRY.format(source=source), encoding="utf-8")
    (entry,) = read(retrieve(str(path)), kind="feed", options=OPTIONS)
    assert [c.agent.name for c in entry.credits if c.role is Role.SOURCE] == credited
    feed = Feed(id="tag:x,2025:f", title="F", link="https://x.example/", description="F",
                self_url="https://x.example/feed.rss", entries=(entry,))
    data = emit(feed, "rss")
    assert validate_document(data, "rss").errors == ()
    read_back = feedparser.parse(data).entries[0]  # RSS names sources in dc:source
    assert ([read_back.dc_source] if "dc_source" in read_back else []) == credited
