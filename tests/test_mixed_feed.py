"""A feed built from every kind of source validates clean and reads right in real clients."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import feedparser
import pytest
from reader import make_reader

from feedwright.emit import emit
from feedwright.model import Feed
from feedwright.normalise.merge import merge_duplicates
from feedwright.sources import ReaderOptions
from feedwright.validate import validate_document
from tests.helpers import FIXTURES, make_feed

MIXED = sorted(
    [*FIXTURES.glob("*.txt"), *FIXTURES.glob("html/*"), *FIXTURES.glob("markdown/*"),
     *FIXTURES.glob("json/*"), *FIXTURES.glob("feeds/*")]
)  # fmt: skip
SUFFIX = {"rss": "xml", "atom": "atom", "json": "json"}


@pytest.fixture(scope="module")
def mixed() -> Feed:
    # local files have no url of their own: the feed's base url resolves their relative links
    options = ReaderOptions(timezone="Pacific/Auckland", base_url="https://feedwright.test/a/")
    feed = make_feed(MIXED, options)
    return dataclasses.replace(feed, entries=merge_duplicates(feed.entries))


def test_every_kind_is_in_the_mix(mixed: Feed) -> None:
    kinds = {p.kind for e in mixed.entries for p in e.provenance}
    assert kinds == {"text", "html", "markdown", "json", "feed"}
    assert len(mixed.entries) == 26  # 5 text, 7 html, 4 markdown, 5 json, 5 feed: no false merges


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_mixed_feed_validates_clean(mixed: Feed, fmt: str) -> None:
    document = emit(
        dataclasses.replace(mixed, self_url=f"https://feedwright.test/f.{SUFFIX[fmt]}"), fmt
    )
    report = validate_document(document)
    assert [(i.rule, i.message) for i in report.issues] == []


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_mixed_feed_reads_right_in_feedparser(mixed: Feed, fmt: str) -> None:
    parsed = feedparser.parse(emit(mixed, fmt))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.title for e in parsed.entries] == [e.title for e in mixed.entries]
    assert any(e.authors for e in mixed.entries) and not all(e.authors for e in mixed.entries)
    for model, back in zip(mixed.entries, parsed.entries, strict=True):
        # one author element names everyone, in order (docs/formats.md: what clients show);
        # none where the source named none (the feed-level author covers those)
        shown = back.get("author_detail", {}).get("name")
        assert shown == (", ".join(a.name for a in model.authors) or None), model.title


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_mixed_feed_reads_right_in_reader(tmp_path: Path, mixed: Feed, fmt: str) -> None:
    name = f"feed.{SUFFIX[fmt]}"
    (tmp_path / name).write_bytes(emit(mixed, fmt))
    client = make_reader(":memory:", feed_root=str(tmp_path))
    try:
        client.add_feed(name)
        client.update_feeds()
        titles = sorted(e.title for e in client.get_entries())
        assert titles == sorted(e.title for e in mixed.entries)
        credited = [e for e in client.get_entries() if e.content]
        assert any("Photograph: Omar Havana/Getty Images" in c.value
                   for e in credited for c in e.content)  # fmt: skip
    finally:
        client.close()
