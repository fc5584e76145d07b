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
import re
from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedwright import attribution
from feedwright.emit import Shared, Written, emit, emit_document, entry_bytes, entry_parts
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
# 100, or fewer when the profile asks for fewer (mutation testing: tests/conftest.py)
@settings(max_examples=min(100, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
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


def many_copies(feed: Feed, copies: int, ending: str = "") -> Feed:
    """The feed's entries again and again (ids told apart), a document of many encoding
    pieces (xmlwriter._ENCODE_PIECE), multi-byte characters in every title; the last entry
    titled LAST ENTRY and `ending`."""
    entries = [dataclasses.replace(e, id=f"{e.id}-{n}", title=f"{e.title} ü€🎉 {n}")
               for n in range(copies) for e in feed.entries]
    entries[-1] = dataclasses.replace(entries[-1], title="LAST ENTRY" + ending)
    return dataclasses.replace(feed, entries=tuple(entries))


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_document_of_many_pieces_is_the_bytes_the_lxml_tree_gave(fmt: str) -> None:
    """Encoded a piece at a time, multi-byte characters at many offsets of the pieces' ends."""
    from feedwright.emit.xmlwriter import _ENCODE_PIECE

    feed = many_copies(make_feed(TEXT_FIXTURES), 30)
    data = emit(feed, fmt)
    assert len(data.decode()) > 5 * _ENCODE_PIECE
    assert data == old(feed, fmt)


def test_a_character_xml_cannot_hold_far_into_a_document_names_its_line() -> None:
    """In a later piece than the first: its line is counted over the whole document, and a
    lone surrogate is named before an earlier control character, as UTF-8 refuses it first."""
    from feedwright.emit import EmitError

    feed = make_feed(TEXT_FIXTURES)
    for fmt in ("rss", "atom"):
        good = emit(many_copies(feed, 30), fmt).decode()
        line = good[:good.index("LAST ENTRY")].count("\n") + 1
        assert line > 1000
        for ending, named in (("Bell \x07 rings", "U+0007"),
                              ("Bell \x07 and \ud800 half", "U+D800")):
            with pytest.raises(EmitError) as refused:
                emit(many_copies(feed, 30, ending), fmt)
            assert str(refused.value).startswith(f"line {line}: a value holds {named}"), fmt


def test_a_character_xml_cannot_hold_is_an_emit_error_naming_the_place() -> None:
    from feedwright.emit import EmitError

    feed = make_feed(TEXT_FIXTURES[:1])
    bad = dataclasses.replace(feed, entries=(dataclasses.replace(
        feed.entries[0], title="Bell \x07 rings"),))
    for fmt in ("rss", "atom"):
        with pytest.raises(EmitError, match=r"line \d+: a value holds U\+0007.*Bell "):
            emit(bad, fmt)


@given(entry=tricky_entries())
@settings(max_examples=min(100, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
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


@settings(max_examples=500, deadline=None)
@given(st.datetimes(timezones=st.builds(timezone, st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)))))
def test_rss_dates_are_what_strftime_wrote(value: datetime) -> None:
    """rfc822 writes the date from its fields; strftime (the earlier code) is the oracle, for
    any offset (seconds in it too), any year, any microseconds."""
    from feedwright.emit.xml import _DAYS, _MONTHS, rfc822

    assert rfc822(value) == (f"{_DAYS[value.weekday()]}, {value:%d} {_MONTHS[value.month - 1]} "
                             f"{value:%Y %H:%M:%S %z}")


@given(feed=feeds(), order=st.permutations(["rss", "atom", "json"]))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_formats_that_share_their_records_write_the_same_bytes(feed: Feed,
                                                               order: list[str]) -> None:
    """pipeline.render hands one emit.Shared to every format of a feed: RSS and Atom then
    write each entry's attribution record once (indented for each). In any order, with
    values that hold line breaks, the bytes are those written alone."""
    shared = Shared()
    for fmt in order:
        try:
            alone = emit(feed, fmt)
        except ValueError:
            with pytest.raises(ValueError):
                emit_document(feed, fmt, shared)
            continue
        assert emit_document(feed, fmt, shared).data == alone


def test_the_fixture_feed_shares_its_records() -> None:
    feed = make_feed(TEXT_FIXTURES)
    shared = Shared()
    for fmt in ("rss", "atom", "json", "rss"):
        assert emit_document(feed, fmt, shared).data == emit(feed, fmt)
    assert len(shared._xml) == len(feed.entries)  # made once, for RSS, and used by Atom


def test_a_record_value_with_a_line_break_is_written_at_each_depth() -> None:
    """Re-indenting a record whose value holds a line break would change the value: such a
    record is written again for each format, not re-indented."""
    feed = make_feed(TEXT_FIXTURES)
    first = feed.entries[0]
    credit = dataclasses.replace(first.credits[0], raw="By Jo Park\n  and Sione Taufa\r\n")
    broken = dataclasses.replace(first, credits=(credit, *first.credits[1:]))
    feed = dataclasses.replace(feed, entries=(broken, *feed.entries[1:]))
    shared = Shared()
    for fmt in ("rss", "atom"):
        assert emit_document(feed, fmt, shared).data == emit(feed, fmt)
    assert shared._xml[id(broken)] == ""
    assert shared._xml[id(feed.entries[1])]


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
        return emit_document(dataclasses.replace(feed, entries=()), fmt, written=written).data
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


def test_the_json_emitter_called_alone_writes_what_emit_writes() -> None:
    """emit.emit_document writes a JSON Feed without written entries itself (keeping its
    object); jsonfeed.emit_json, the format's emitter, writes the same bytes when asked."""
    from feedwright.emit.jsonfeed import emit_json

    feed = make_feed(TEXT_FIXTURES)
    assert emit_json(feed) == emit(feed, "json")
    assert emit_json(dataclasses.replace(feed, entries=())) == emit(
        dataclasses.replace(feed, entries=()), "json")


def assert_refused_alike(feed: Feed, bad: Feed, character: str) -> None:
    """`bad` (`feed` with a value XML cannot hold) refused for `character`, naming its line, by
    RSS and Atom emitted whole and around `feed`'s entries written alone, in the same words."""
    from feedwright.emit import EmitError

    for fmt in ("rss", "atom"):
        stamps = [s for e in feed.entries if (s := e.updated or e.published) is not None]
        written = Written(tuple(entry_bytes(e, fmt) for e in feed.entries),
                          max(stamps, key=lambda s: s.value))
        with pytest.raises(EmitError, match=rf"line \d+: a value holds {re.escape(character)}"
                           ) as whole:
            emit(bad, fmt)
        with pytest.raises(EmitError) as made:
            emit_document(dataclasses.replace(bad, entries=()), fmt, written=written)
        assert str(made.value) == str(whole.value)


def test_a_character_xml_cannot_hold_after_spliced_entries_names_its_line() -> None:
    feed = make_feed(TEXT_FIXTURES[:2])
    bad = dataclasses.replace(feed, deleted=(Tombstone("tag:f.test,2026:\x07", datetime(
        2030, 1, 1, tzinfo=UTC)),))
    assert_refused_alike(feed, bad, "U+0007")  # the line counted over the spliced entries


@pytest.mark.parametrize("where", ["title", "description"])
def test_a_value_holding_the_splice_mark_is_refused_as_emitting_it_whole_refuses_it(
        where: str) -> None:
    """The document around spliced entries holds a mark where they go (`xmlwriter.SPLICE`, NUL
    characters no value can hold): a feed value with that very mark is refused, naming the
    value's line and character, as emitting the feed with its entries refuses it; never taken
    for the place of the entries."""
    from feedwright.emit.xmlwriter import SPLICE

    feed = make_feed(TEXT_FIXTURES[:2])
    bad = dataclasses.replace(feed, **{where: f"Before {SPLICE} after"})
    assert_refused_alike(feed, bad, "U+0000")


def test_an_entry_written_in_its_formats_with_one_shared_is_the_same_bytes() -> None:
    """render.prepare and history.written_entries write each entry's formats through
    emit.entry_parts, with one emit.Shared (its attribution record made once): the bytes are
    those written alone."""
    for entry in make_feed(TEXT_FIXTURES).entries:
        shared = Shared()
        for fmt in ("rss", "atom", "json"):
            assert entry_bytes(entry, fmt, shared) == entry_bytes(entry, fmt)
        assert shared._xml[id(entry)]
        assert entry_parts(entry, ("rss", "atom", "json")) == tuple(
            entry_bytes(entry, fmt) for fmt in ("rss", "atom", "json"))
