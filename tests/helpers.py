"""Shared test helpers: the fixtures folder, and the library path from sources to feed bytes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from feedwright.emit import emit
from feedwright.export import gather, identify, order_entries
from feedwright.model import Agent, AgentKind, Entry, Feed
from feedwright.sources import ReaderOptions, read, retrieve

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "1news-peters-nato.txt"
TEXT_FIXTURES = sorted(FIXTURES.glob("*.txt"))


def read_one(path: Path, options: ReaderOptions | None = None) -> Entry:
    (entry,) = read(retrieve(str(path)), options=options or ReaderOptions())
    return entry


def make_feed(paths: Sequence[Path], options: ReaderOptions | None = None) -> Feed:
    gathered = gather([str(p) for p in paths], options=options or ReaderOptions())
    assert not gathered.failures, gathered.failures
    entries = identify(gathered.sources, "feedwright.test,2026")
    return Feed(
        id="tag:feedwright.test,2026:feed/test",
        title="feedwright test feed",
        link="https://feedwright.test/",
        description="Articles from the test fixtures",
        language="en-NZ",
        authors=(Agent("feedwright test desk", AgentKind.ORGANIZATION),),
        self_url="https://feedwright.test/feed",
        entries=order_entries(entries),
    )


def emit_feed(paths: Sequence[Path], fmt: str, options: ReaderOptions | None = None) -> bytes:
    feed = make_feed(paths, options)
    return emit(dataclasses.replace(feed, self_url=f"https://feedwright.test/feed.{fmt}"), fmt)
