"""The attribution record read back from real documents: what each format lost before the one
codec, what an unreadable part of a record does, and records written before figures were listed.
(tests/test_roundtrip.py holds the property over any entry.)"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

from feedwright.emit import emit
from feedwright.model import Agent, AgentKind, Credit, Feed, Rights, Role, Timestamp
from feedwright.normalise.html import render_content
from feedwright.sources import ReaderOptions, read, retrieve
from tests.helpers import FIXTURES

NZ = ReaderOptions(timezone="Pacific/Auckland")


def _feed(fmt: str) -> Feed:
    (entry,) = read(retrieve(str(FIXTURES / "html" / "wire-opengraph.html")), options=NZ)
    entry = dataclasses.replace(
        entry,
        id="tag:feedwright.test,2026:wire",
        rights=Rights("© 2025 Wire", Agent("Wire", AgentKind.ORGANIZATION), "https://l.test/by"),
        published=Timestamp(datetime(2025, 4, 1, 4, 41, tzinfo=UTC), "text:dateline", True),
    )
    return Feed(
        id="tag:feedwright.test,2026:feed",
        title="Codec",
        link="https://feedwright.test/",
        self_url=f"https://feedwright.test/feed.{fmt}",
        entries=(entry,),
    )


def _read_back(document: bytes, path: Path):  # type: ignore[no-untyped-def]
    path.write_bytes(document)
    (back,) = read(retrieve(str(path)), kind="feed", options=NZ)
    return back


def test_json_feed_keeps_the_licence_url_and_where_each_date_came_from(tmp_path: Path) -> None:
    feed = _feed("json")
    back = _read_back(emit(feed, "json"), tmp_path / "feed.json")
    assert back.rights == feed.entries[0].rights
    assert back.published == feed.entries[0].published  # source "text:dateline", day only


def test_an_unreadable_part_of_a_record_is_left_out_and_named(tmp_path: Path) -> None:
    feed = _feed("rss")
    original = feed.entries[0]
    photographer = next(c for c in original.credits if c.role is Role.PHOTOGRAPHER)
    document = emit(feed, "rss").replace(
        b'<fw:credit role="photographer"', b'<fw:credit role="wizard"'
    )
    back = _read_back(document, tmp_path / "feed.rss.xml")
    assert photographer not in back.credits
    assert len(back.credits) == len(original.credits)  # one lost, the feed's own credit gained
    warnings = back.provenance[0].warnings
    assert any("fw:credit" in w and "'wizard'" in w for w in warnings), warnings

    record = json.loads(emit(_feed("json"), "json"))
    record["items"][0]["_feedwright"]["published"]["value"] = "the first of April"
    back = _read_back(json.dumps(record).encode(), tmp_path / "feed.json")
    assert back.published is None and back.title == original.title
    assert any("published" in w and "the first of April" in w for w in back.provenance[0].warnings)


def test_a_record_written_before_figures_were_listed_keeps_its_figures(tmp_path: Path) -> None:
    feed = _feed("atom")
    original = feed.entries[0]
    document = emit(feed, "atom")
    older = b"".join(
        line for line in document.splitlines(keepends=True) if b"<fw:figure>" not in line
    )
    assert older != document
    back = _read_back(older, tmp_path / "feed.atom.xml")
    assert [b.media_id for b in back.blocks if b.media_id] == [
        b.media_id for b in original.blocks if b.media_id
    ]
    assert back.content_html == original.content_html


def test_media_credit_roles_as_we_write_them_read_back_without_the_record(tmp_path: Path) -> None:
    """The feed reader's media:credit roles come from the same EBU table the emitters write
    (feedwright.formats), so a client's copy without our record keeps each role."""
    feed = _feed("rss")
    entry = feed.entries[0]  # its picture shown only as media:content: no figure in the body
    blocks = tuple(b for b in entry.blocks if b.media_id is None)
    (photo,) = entry.media
    people = [
        ("Ana Kioa", AgentKind.PERSON, Role.ILLUSTRATOR),
        ("Ben Carter", AgentKind.PERSON, Role.VIDEOGRAPHER),
        ("Pacific Wire", AgentKind.ORGANIZATION, Role.PUBLISHER),
    ]
    credits = tuple(Credit(Agent(n, k), r, photo.id, n) for n, k, r in people)
    photo = dataclasses.replace(photo, credits=credits)
    entry = dataclasses.replace(
        entry, blocks=blocks, content_html=render_content(blocks, ()), media=(photo,)
    )
    feed = dataclasses.replace(feed, entries=(entry,))
    document = emit(feed, "rss")
    start, end = document.index(b"<fw:attribution"), document.index(b"</fw:attribution>")
    back = _read_back(
        document[:start] + document[end + len(b"</fw:attribution>") :], tmp_path / "f.xml"
    )
    wanted = {(c.role, c.agent.name) for c in credits}
    assert {(c.role, c.agent.name) for m in back.media for c in m.credits} == wanted


def test_a_json_record_from_before_it_held_dates_keeps_the_native_dates(tmp_path: Path) -> None:
    """Earlier versions wrote published_source / published_day_only beside date_published."""
    feed = _feed("json")
    document = json.loads(emit(feed, "json"))
    record = document["items"][0]["_feedwright"]
    published = record.pop("published")
    record["published_source"], record["published_day_only"] = published["source"], True
    del record["updated"]
    back = _read_back(json.dumps(document).encode(), tmp_path / "feed.json")
    assert back.published == feed.entries[0].published
    assert back.updated is not None and back.updated.value == feed.entries[0].updated.value


def test_a_json_record_writes_dates_as_rfc_3339_and_reads_the_earlier_form(tmp_path: Path) -> None:
    """The JSON Feed's record wrote its dates as Python prints them ('2025-04-01 04:41:00+00:00')
    where the XML record and JSON Feed's own dates have RFC 3339's 'T'. Both forms read back."""
    feed = _feed("json")
    document = json.loads(emit(feed, "json"))
    item = document["items"][0]
    written = item["_feedwright"]["published"]["value"]
    assert written == "2025-04-01T04:41:00+00:00" == item["date_published"]
    atom = emit(dataclasses.replace(feed, self_url="https://feedwright.test/feed.atom"), "atom")
    assert f">{written}</".encode() in atom  # the XML record's text: one form
    item["_feedwright"]["published"]["value"] = written.replace("T", " ")  # as it was written
    back = _read_back(json.dumps(document).encode(), tmp_path / "feed.json")
    assert back.published == feed.entries[0].published
