"""What we emit, read back by real feed clients: feedparser (RSS, Atom) and reader (all three)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from reader import make_reader

from feedwright.emit import emit
from feedwright.validate import cross_check, validate_document
from tests.helpers import SEED, TEXT_FIXTURES, emit_feed, make_feed, read_one

CHROME = ("SHARE ME", "More Stories")
SUFFIX = {"rss": "xml", "atom": "xml", "json": "json"}


def seed_paragraphs() -> list[str]:
    from feedwright.model import BlockKind

    return [b.text for b in read_one(SEED).blocks if b.kind is BlockKind.PARAGRAPH]


def seed_captions() -> list[str]:
    return [m.caption for m in read_one(SEED).media]


def html_text(fragment: str) -> str:
    """Text of an html fragment with entities resolved, as a reader would show it."""
    return etree.tostring(etree.HTML(f"<div>{fragment}</div>"), method="text", encoding="unicode")


def assert_seed_content(html: str) -> None:
    text = html_text(html)
    for paragraph in seed_paragraphs():
        assert paragraph in text
    for caption in seed_captions():
        assert caption in text
    assert text.count("(Source: 1News)") == 2
    assert text.count("(Source: Breakfast)") == 1
    for chrome in CHROME:
        assert chrome not in text


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feedparser_reads_the_seed(fmt: str):
    parsed = feedparser.parse(emit_feed([SEED], fmt))
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    assert entry.title == read_one(SEED).title
    assert_seed_content(entry.content[0].value)
    assert parsed.feed.link == "https://feedwright.test/"


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_reader_reads_the_seed(tmp_path: Path, fmt: str):
    (tmp_path / f"feed.{SUFFIX[fmt]}").write_bytes(emit_feed([SEED], fmt))
    reader = make_reader(":memory:", feed_root=str(tmp_path))
    reader.add_feed(f"feed.{SUFFIX[fmt]}")
    reader.update_feeds()
    (entry,) = list(reader.get_entries())
    assert entry.title == read_one(SEED).title
    assert entry.content, "content missing"
    html = next(c.value for c in entry.content if c.type in ("text/html", "html", None))
    assert_seed_content(html)
    reader.close()


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_every_fixture_reads_back_with_title_date_and_author(fmt: str):
    feed = make_feed(TEXT_FIXTURES)
    parsed = feedparser.parse(emit(feed, fmt))
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == [e.title for e in feed.entries]
    for model, read_back in zip(feed.entries, parsed.entries, strict=True):
        # One author element names everyone, in order: what most clients show (docs/formats.md)
        shown = read_back.get("author_detail", {}).get("name") or ""
        assert shown == ", ".join(a.name for a in model.authors)
        assert model.published is not None
        assert read_back.published_parsed is not None


def test_rss_authors_without_email_are_one_dc_creator():
    """feedgen drops an RSS <author> that has no e-mail; we write dc:creator instead, one with
    every name: repeated dc:creator elements lose all but one name in most clients."""
    feed = make_feed([p for p in TEXT_FIXTURES if "reuters" in p.name])
    root = etree.fromstring(emit(feed, "rss"))
    creators = root.findall(".//item/{http://purl.org/dc/elements/1.1/}creator")
    assert [c.text for c in creators] == [", ".join(a.name for a in feed.entries[0].authors)]
    assert len(feed.entries[0].authors) == 2
    assert root.findall(".//item/author") == []


def test_rss_channel_link_is_the_home_page_not_the_self_link():
    root = etree.fromstring(emit_feed([SEED], "rss"))
    assert root.findtext("channel/link") == "https://feedwright.test/"
    self_link = root.find("channel/{http://www.w3.org/2005/Atom}link")
    assert self_link.get("rel") == "self" and self_link.get("href").endswith("feed.rss")


def test_atom_enclosures_keep_rel_type_and_length():
    """feedgen turns an enclosure into a second alternate link; ours stay enclosures."""
    import dataclasses

    from feedwright.model import Media, MediaKind

    feed = make_feed([SEED])
    entry = feed.entries[0]
    photo = Media("p1", MediaKind.IMAGE, "https://img.test/a.jpg", "image/jpeg", 1234, "A caption")
    entry = dataclasses.replace(entry, url="https://news.test/a", media=(*entry.media, photo))
    root = etree.fromstring(emit(dataclasses.replace(feed, entries=(entry,)), "atom"))
    links = root.findall(".//{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}link")
    assert [(link.get("rel"), link.get("type"), link.get("length")) for link in links] == [
        ("alternate", "text/html", None),
        ("enclosure", "image/jpeg", "1234"),
    ]
    parsed = feedparser.parse(etree.tostring(root))
    assert parsed.entries[0].enclosures[0].href == "https://img.test/a.jpg"
    assert parsed.entries[0].link == "https://news.test/a"


def test_atom_content_is_escaped_html_never_cdata_type():
    body = emit_feed([SEED], "atom").decode()
    assert 'type="CDATA"' not in body
    assert re.search(r'<content type="html">&lt;figure', body)


def test_credits_travel_in_the_project_namespace_and_json_extension():
    from feedwright import NAMESPACE

    for fmt in ("rss", "atom"):
        root = etree.fromstring(emit_feed([SEED], fmt))
        raws = [r.text for r in root.iter(f"{{{NAMESPACE}}}raw")]
        assert raws == ["(Source: 1News)", "(Source: 1News)", "(Source: Breakfast)"]
    item = json.loads(emit_feed([SEED], "json"))["items"][0]
    credits = item["_feedwright"]["credits"]
    assert [(c["agent"]["name"], c["role"], c["raw"]) for c in credits] == [
        ("1News", "source", "(Source: 1News)"),
        ("1News", "source", "(Source: 1News)"),
        ("Breakfast", "source", "(Source: Breakfast)"),
    ]


def test_media_credit_roles_in_rss():
    feed = make_feed([p for p in TEXT_FIXTURES if "guardian" in p.name])
    import dataclasses

    entry = feed.entries[0]
    media = tuple(dataclasses.replace(m, url=f"https://img.test/{m.id}.jpg") for m in entry.media)
    root = etree.fromstring(
        emit(dataclasses.replace(feed, entries=(dataclasses.replace(entry, media=media),)), "rss")
    )
    credits = [
        (c.get("role"), c.get("scheme"), c.text)
        for c in root.iter("{http://search.yahoo.com/mrss/}credit")
    ]
    # EBU role codes, as the W3C validator lists them: a picture agency distributes
    assert ("photographer", "urn:ebu", "Tom Ellery") in credits
    assert ("distribution company", "urn:ebu", "Getty Images") in credits


def test_iri_links_are_uris_where_rss_and_media_rss_require_them():
    """RSS link and enclosure and Media RSS urls must be URIs (W3C rejects IRIs there); Atom's
    href may be an IRI. Every document stays valid, and the formats still agree."""
    import dataclasses

    feed = make_feed([SEED])
    entry = feed.entries[0]
    iri = "https://example.org/news/tōtara-café"
    media = (dataclasses.replace(entry.media[0], url="https://example.org/img/tūī.jpg"),)
    feed = dataclasses.replace(feed, entries=(dataclasses.replace(entry, url=iri, media=media),))
    documents = {fmt: emit(feed, fmt) for fmt in ("rss", "atom", "json")}
    rss = etree.fromstring(documents["rss"])
    assert rss.findtext(".//item/link") == "https://example.org/news/t%C5%8Dtara-caf%C3%A9"
    assert rss.find(".//item/enclosure").get("url") == "https://example.org/img/t%C5%AB%C4%AB.jpg"
    atom = etree.fromstring(documents["atom"])
    assert atom.find(".//{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}link").get(
        "href") == iri
    for fmt, data in documents.items():
        assert validate_document(data, fmt).errors == (), fmt
    assert cross_check(documents) == ()


@pytest.mark.parametrize(("iri", "uri"), [
    ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),  # punycode
    ("https://user@bücher.example:8080/x", "https://user@xn--bcher-kva.example:8080/x"),
    # IDNA cannot encode this host (an ACE prefix before non-ASCII): percent-encoded, still a URI
    ("https://xn--ü.example/a", "https://xn--%C3%BC.example/a"),
])
def test_an_international_host_is_written_in_its_ascii_form_where_a_uri_is_required(
        iri: str, uri: str) -> None:
    import dataclasses

    feed = make_feed([SEED])
    feed = dataclasses.replace(feed, entries=(dataclasses.replace(feed.entries[0], url=iri),))
    documents = {fmt: emit(feed, fmt) for fmt in ("rss", "atom", "json")}
    assert etree.fromstring(documents["rss"]).findtext(".//item/link") == uri
    assert json.loads(documents["json"])["items"][0]["url"] == uri
    for fmt, data in documents.items():
        assert validate_document(data, fmt).errors == (), fmt


def test_an_item_with_only_an_updated_date_shows_it_and_one_with_none_shows_none():
    """Most clients read only pubDate / date_published (docs/formats.md): the updated date
    stands in there, and the attribution record still says it is the updated date. An entry
    with no date at all gets none: a date is never invented."""
    import dataclasses

    feed = make_feed([SEED])
    entry = feed.entries[0]
    updated = entry.published
    assert updated is not None
    only_updated = dataclasses.replace(entry, published=None, updated=updated)
    undated = dataclasses.replace(entry, id="tag:feedwright.test,2026:undated", published=None,
                                  updated=None)
    feed = dataclasses.replace(feed, entries=(only_updated, undated))
    rss = etree.fromstring(emit(feed, "rss"))
    first, second = rss.findall(".//item")
    assert first.findtext("pubDate") == updated.value.strftime("%a, %d %b %Y %H:%M:%S %z")
    fw = "{https://feedwright.dev/ns/attribution/1.0}"
    assert first.find(f".//{fw}updated") is not None and first.find(f".//{fw}published") is None
    assert second.find("pubDate") is None
    assert second.find("{http://www.w3.org/2005/Atom}updated") is None
    items = json.loads(emit(feed, "json"))["items"]
    assert items[0]["date_published"] == items[0]["date_modified"]
    assert "published_source" not in items[0]["_feedwright"]
    assert "date_published" not in items[1] and "date_modified" not in items[1]


def test_same_model_gives_byte_identical_output():
    for fmt in ("rss", "atom", "json"):
        assert emit_feed(TEXT_FIXTURES, fmt) == emit_feed(TEXT_FIXTURES, fmt)


def test_entries_are_newest_first():
    feed = make_feed(TEXT_FIXTURES)
    stamps = [(e.published or e.updated).value for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)


def test_feed_updated_is_the_newest_entry_not_the_clock():
    feed = make_feed(TEXT_FIXTURES)
    newest = max((e.updated or e.published).value for e in feed.entries)
    root = etree.fromstring(emit(feed, "atom"))
    from feedwright.formats import rfc3339

    assert root.findtext("{http://www.w3.org/2005/Atom}updated") == rfc3339(newest)
