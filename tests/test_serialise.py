"""Entry <-> dict round trip: every field, zones kept, canonical JSON stable."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from feedwright.model import (
    Agent,
    AgentKind,
    Block,
    BlockKind,
    Credit,
    Entry,
    Media,
    MediaKind,
    Provenance,
    Rights,
    Role,
    Timestamp,
)
from feedwright.serialise import (
    content_hash,
    entry_from_dict,
    entry_from_json,
    entry_to_dict,
    entry_to_json,
)

AUCKLAND = ZoneInfo("Pacific/Auckland")


def full_entry() -> Entry:
    getty = Agent("Getty Images", AgentKind.ORGANIZATION, url="https://getty.example/")
    tom = Agent("Tom Ellery", AgentKind.PERSON)
    photo = Media(
        id="m1", kind=MediaKind.IMAGE, url="https://example.org/a.jpg", mime_type="image/jpeg",
        size=1234, caption="Peters in Brussels", alt="A man at a lectern",
        credits=(Credit(tom, Role.PHOTOGRAPHER, "m1", "Tom Ellery/Getty Images", getty),),
    )
    return Entry(
        title="Peters leaves NATO meeting",
        id="tag:example.org,2026:news/peters",
        summary="A warning.",
        blocks=(
            Block(BlockKind.HEADING, "Heading", level=2),
            Block(BlockKind.PARAGRAPH, "Body", html="<b>Body</b>"),
            Block(BlockKind.LIST, items=("a", "b")),
            Block(BlockKind.FIGURE, media_id="m1"),
        ),
        content_html="<p>Body</p>",
        url="https://example.org/peters",
        published=Timestamp(datetime(2025, 3, 12, 6, 4, tzinfo=AUCKLAND), "text:dateline"),
        updated=Timestamp(datetime(2025, 3, 13, tzinfo=timezone(timedelta(hours=-5))), "x", True),
        authors=(Agent("Jo Bloggs", AgentKind.PERSON, email="jo@example.org"),),
        credits=(Credit(Agent("1News", AgentKind.ORGANIZATION), Role.SOURCE,
                        raw="(Source: 1News)"),),
        media=(photo,),
        categories=("Politics", "World"),
        rights=Rights("© 2025 Example", getty, "https://example.org/licence"),
        language="en-NZ",
        dateline="WELLINGTON",
        provenance=(Provenance("text", "fixtures/a.txt", "abc", "feedwright.text/1",
                               datetime(2026, 1, 1, tzinfo=UTC), ("odd line",)),),
    )


def test_round_trip_keeps_every_field_and_zone() -> None:
    entry = full_entry()
    back = entry_from_dict(json.loads(json.dumps(entry_to_dict(entry))))
    assert back == entry
    assert back.published is not None and back.published.value.tzinfo == AUCKLAND
    assert back.updated is not None and back.updated.value.utcoffset() == timedelta(hours=-5)
    assert entry_to_json(back) == entry_to_json(entry)
    assert entry_from_json(entry_to_json(entry)) == entry


def test_dict_uses_model_names_and_enum_values() -> None:
    data = entry_to_dict(full_entry())
    assert data["media"][0]["kind"] == "image"
    assert data["credits"][0]["role"] == "source"
    assert data["published"]["value"]["zone"] == "Pacific/Auckland"
    assert {f.name for f in dataclasses.fields(Entry)} == set(data)


def test_content_hash_ignores_provenance_and_dates_but_not_content() -> None:
    entry = full_entry()
    cosmetic = dataclasses.replace(entry, provenance=(), published=None, id=None)
    assert content_hash(cosmetic) == content_hash(entry)
    assert content_hash(dataclasses.replace(entry, title="Other")) != content_hash(entry)
    assert content_hash(dataclasses.replace(entry, content_html="<p>B</p>")) != content_hash(entry)
