"""The emitters write RSS and Atom as text (emit/xmlwriter.py) instead of building a feedgen and
lxml tree (issue 12): every document must be byte for byte what the tree gave. The tree path is
kept unchanged in tests/oracle/feedgen_emit.py, and both write arbitrary feeds here: text that
needs escaping in every field (`&`, `<`, `>`, quotes, carriage returns, tabs, line breaks,
`]]>`), empty values where the model allows them, IRIs, enclosures, several authors, WebSub hubs,
archive links with and without a self link, tombstones, a stylesheet. Where the tree path refused
a feed (ValueError), the new one refuses it too.

JSON Feed's attribution record is compared with the walk it replaced the same way.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedwright import attribution
from feedwright.emit import Written, emit, emit_document, entry_bytes
from feedwright.model import Agent, AgentKind, Entry, Feed, Paging, Rights, Tombstone
from tests.helpers import TEXT_FIXTURES, make_feed
from tests.oracle import feedgen_emit as oracle
from tests.test_roundtrip import agents, entries, maybe_url, written

# Text lxml escapes, in element text and in attributes, beside arbitrary XML text.
tricky = st.sampled_from(["&", "<", ">", "]]>", '"', "'", "\r", "\t", "\n", "a\r\nb", "&amp;",
                          "<b>x</b>", " ", "", "é", "\u2028", "\U0001f600", "?>"])
text = st.one_of(written, st.lists(st.one_of(tricky, written), min_size=1, max_size=4).map(
    "".join))
maybe_text = st.none() | text
iri = st.sampled_from(["https://example.test/ünïcode?q=a&b=\"c\"", "https://example.test/a b",
                       "https://example.test/e/1", "tag:example.test,2026:e/1"])
link = st.one_of(maybe_url, iri)


@st.composite
def tricky_entries(draw: st.DrawFn) -> Entry:
    entry = draw(entries())
    ident = draw(st.sampled_from([entry.id, entry.url or entry.id]) | iri)
    return dataclasses.replace(
        entry,
        id=ident,
        title=draw(st.just(entry.title) | text),
        summary=draw(st.just(entry.summary) | maybe_text),
        content_html=draw(st.just(entry.content_html) | maybe_text),
        url=draw(st.just(entry.url) | link),
        categories=tuple(draw(st.lists(text, max_size=3))),
        authors=tuple(draw(st.lists(agents, max_size=3))) if draw(st.booleans())
        else entry.authors,
    )


@st.composite
def feeds(draw: st.DrawFn) -> Feed:
    paging = draw(st.none() | st.builds(Paging, st.booleans(), link, link, link))
    deleted = draw(st.lists(st.builds(
        Tombstone, st.sampled_from(["tag:example.test,2026:gone", "https://example.test/x&y"]),
        st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2050, 1, 1),
                     timezones=st.just(timezone(timedelta(hours=13))))), max_size=2))
    return Feed(
        id=draw(st.sampled_from(["tag:example.test,2026:feed", "https://example.test/f?a&b"])),
        title=draw(text),
        link=draw(st.sampled_from(["https://example.test/", "https://example.test/ü"])),
        description=draw(maybe_text),
        language=draw(st.none() | st.sampled_from(["en", "en-NZ", "mi"])),
        authors=tuple(draw(st.lists(agents, max_size=2))),
        rights=draw(st.none() | st.builds(Rights, maybe_text)),
        self_url=draw(st.none() | st.just("https://example.test/feed?x=1&y=2")),
        icon=draw(st.none() | st.just("https://example.test/icon.png")),
        entries=tuple(draw(st.lists(tricky_entries(), max_size=3))),
        paging=paging,
        deleted=tuple(deleted),
        hubs=tuple(draw(st.lists(st.sampled_from(["https://hub.example/", "https://h.test/&"]),
                                 max_size=2))),
        stylesheet=draw(st.none() | st.sampled_from(["feed.xsl", "a&b \"c\".xsl"])),
    )


def old(feed: Feed, fmt: str) -> bytes | type[Exception]:
    try:
        data: bytes = (oracle.emit_rss if fmt == "rss" else oracle.emit_atom)(feed)
    except ValueError:
        return ValueError
    return data


def new(feed: Feed, fmt: str) -> bytes | type[Exception]:
    try:
        return emit(feed, fmt)
    except ValueError:
        return ValueError


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@given(feed=feeds())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_xml_documents_are_the_bytes_the_lxml_tree_gave(fmt: str, feed: Feed) -> None:
    assert new(feed, fmt) == old(feed, fmt)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_the_fixture_feed_is_the_bytes_the_lxml_tree_gave(fmt: str) -> None:
    feed = make_feed(TEXT_FIXTURES)
    published = dataclasses.replace(feed, paging=Paging(True, "https://f.test/c", None,
                                                        "https://f.test/2"),
                                    hubs=("https://hub.test/",), stylesheet="f.xsl")
    for variant in (feed, published):
        assert emit(variant, fmt) == old(variant, fmt)


def test_a_character_xml_cannot_hold_is_an_emit_error_naming_the_place() -> None:
    from feedwright.emit import EmitError

    feed = make_feed(TEXT_FIXTURES[:1])
    bad = dataclasses.replace(feed, entries=(dataclasses.replace(
        feed.entries[0], title="Bell \x07 rings"),))
    for fmt in ("rss", "atom"):
        with pytest.raises(EmitError, match=r"line \d+: a value holds U\+0007.*Bell "):
            emit(bad, fmt)


@given(entry=tricky_entries())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_json_record_is_the_one_the_shape_walk_gave(entry: Entry) -> None:
    assert orjson.dumps(attribution.to_json(entry)) == orjson.dumps(oracle.record_json(entry))


def test_dates_keep_their_offsets_and_c_locale_names() -> None:
    """RFC 822 day and month names are the C locale's whatever the machine's locale, and an
    offset of seconds (old zone rules) is written as strftime writes it."""
    odd = timezone(timedelta(hours=11, minutes=39, seconds=4))
    stamp = datetime(2025, 3, 9, 23, 59, 59, 999_999, tzinfo=odd)
    from feedwright.model import Timestamp

    feed = make_feed(TEXT_FIXTURES[:1])
    entry = dataclasses.replace(feed.entries[0], published=Timestamp(stamp, "test"),
                                updated=Timestamp(datetime(1999, 12, 31, tzinfo=UTC), "test"))
    one = dataclasses.replace(feed, entries=(entry,), authors=(Agent("A", AgentKind.PERSON),))
    for fmt in ("rss", "atom"):
        assert emit(one, fmt) == old(one, fmt)
    assert b"<pubDate>Sun, 09 Mar 2025 23:59:59 +113904</pubDate>" in emit(one, "rss")


def spliced(feed: Feed, fmt: str) -> bytes | type[Exception]:
    """The document made around its entries written one by one (emit.Written, as the build's
    workers write them), or the error it raises."""
    try:
        parts = tuple(entry_bytes(e, fmt) for e in feed.entries)
    except ValueError:
        return ValueError
    stamps = [s for e in feed.entries if (s := e.updated or e.published) is not None]
    written = Written(parts, max(stamps, key=lambda s: s.value, default=None))
    try:
        return emit_document(dataclasses.replace(feed, entries=()), fmt, written).data
    except ValueError:
        return ValueError


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
@given(feed=feeds())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_document_spliced_from_its_entries_written_alone_is_the_same_bytes(
        fmt: str, feed: Feed) -> None:
    assert spliced(feed, fmt) == new(feed, fmt)


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_the_fixture_feed_spliced_is_the_same_bytes(fmt: str) -> None:
    feed = make_feed(TEXT_FIXTURES)
    gone = dataclasses.replace(feed, deleted=(Tombstone("tag:f.test,2026:gone", datetime(
        2030, 1, 1, tzinfo=UTC)),), paging=Paging(False, None, "https://f.test/1", None))
    empty = dataclasses.replace(gone, entries=())
    for variant in (feed, gone, empty):
        assert spliced(variant, fmt) == emit(variant, fmt)


def test_a_character_xml_cannot_hold_after_spliced_entries_names_its_line() -> None:
    from feedwright.emit import EmitError

    feed = make_feed(TEXT_FIXTURES[:2])
    bad = dataclasses.replace(feed, deleted=(Tombstone("tag:f.test,2026:\x07", datetime(
        2030, 1, 1, tzinfo=UTC)),))
    for fmt in ("rss", "atom"):
        stamps = [s for e in feed.entries if (s := e.updated or e.published) is not None]
        written = Written(tuple(entry_bytes(e, fmt) for e in feed.entries),
                          max(stamps, key=lambda s: s.value))
        with pytest.raises(EmitError, match=r"line \d+: a value holds U\+0007") as whole:
            emit(bad, fmt)
        with pytest.raises(EmitError) as made:  # the line counted over the spliced entries
            emit_document(dataclasses.replace(bad, entries=()), fmt, written)
        assert str(made.value) == str(whole.value)
