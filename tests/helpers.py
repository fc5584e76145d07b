"""Shared test helpers: the fixtures folder, and the library path from sources to feed bytes."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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


@contextlib.contextmanager
def serving(handler: Callable[..., BaseHTTPRequestHandler] | type[Any]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 in a thread; yields its base url (no trailing slash)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
