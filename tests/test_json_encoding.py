"""orjson writes the ledger's records and JSON Feed (issue 12: 3.4x and 6x faster than json): the
bytes must be exactly the standard library's, which they replaced. Compared on every fixture's
entries, on entries read from arbitrary text, and on arbitrary JSON values."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedwright.emit import emit
from feedwright.emit.jsonfeed import encode, feed_document
from feedwright.model import Entry
from feedwright.normalise.dates import zone
from feedwright.serialise import (
    CONTENT_FIELDS,
    canonical_json,
    entry_to_dict,
    record_and_hash,
)
from feedwright.sources import SourceError, read, retrieve
from feedwright.sources.text import parse_article
from tests.helpers import FIXTURES, make_feed
from tests.test_properties import documents


def stdlib_canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def stdlib_compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def fixture_entries() -> list[Entry]:
    entries = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".html", ".md", ".json", ".ndjson", ".xml"}:
            entries += read(retrieve(str(path)))
    return entries


def assert_record_is_stdlib(entry: Entry) -> None:
    record, digest = record_and_hash(entry)
    data = entry_to_dict(entry)
    visible = {k: data[k] for k in CONTENT_FIELDS}
    assert digest == hashlib.sha256(stdlib_canonical(visible).encode("utf-8")).hexdigest()
    data["id"] = None
    assert record == stdlib_canonical(data)
    assert json.loads(record) == data


def test_every_fixture_record_is_the_stdlib_encoding() -> None:
    entries = fixture_entries()
    assert len(entries) > 20  # every reader's fixtures, feeds with several items among them
    for entry in entries:
        assert_record_is_stdlib(entry)


def test_the_json_feed_of_the_fixtures_is_the_stdlib_encoding() -> None:
    texts = sorted(FIXTURES.glob("*.txt")) + sorted((FIXTURES / "markdown").glob("*.md"))
    feed = dataclasses.replace(make_feed(texts), self_url="https://feedwright.test/feed.json")
    document = feed_document(feed)
    assert emit(feed, "json") == (stdlib_compact(document) + "\n").encode("utf-8")
    assert len(document["items"]) == len(feed.entries) > 5  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_records_of_entries_read_from_any_text_are_the_stdlib_encoding(text: str) -> None:
    try:
        entry = parse_article(text, location="prop.txt", default_zone=zone("Pacific/Auckland"))
    except SourceError:
        return
    assert_record_is_stdlib(entry)


# Every character a string can hold in a document (no lone surrogates: UTF-8 cannot encode
# them, so neither encoder's output could be written), control characters and quotes often.
strings = st.text(st.one_of(st.characters(exclude_categories=["Cs"]),
                            st.sampled_from('"\\/\x00\x01\x08\t\n\x0b\x0c\r\x1f\x7f\u2028\u2029')))
values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | strings,
    lambda inner: st.lists(inner) | st.dictionaries(strings, inner),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_any_json_value_encodes_as_the_stdlib_does(value: Any) -> None:
    assert canonical_json(value) == stdlib_canonical(value)
    assert encode(value) == (stdlib_compact(value) + "\n").encode("utf-8")
