"""Shared test helpers: the fixtures folder, and the library path from sources to feed bytes."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

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


def on_a_tiny_disk(mount_point: Path, size: str, script: str,
                   cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a Python script with a tmpfs of `size` mounted at mount_point, in a private mount
    namespace (`unshare -rm`: no host mount is touched, and no root is needed where user
    namespaces are allowed): a real file system that fills up. The script gets mount_point as
    sys.argv[1]. Skips the test where the machine cannot do it."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("needs unshare(1) and mount(8) for a private tmpfs")
    shell = f'mount -t tmpfs -o size={size} tmpfs "$1" && exec "$2" -c "$3" "$1"'
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(["unshare", "-rm", "sh", "-c", shell, "sh", str(mount_point),
                             sys.executable, script], capture_output=True, text=True,
                            cwd=cwd or root, check=False, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(root)})
    if result.returncode != 0 and "mount" in result.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    return result


@contextlib.contextmanager
def polled(script: str, *args: str, env: dict[str, str] | None = None
           ) -> Iterator[dict[str, Any]]:
    """Run a reader script (`python -c script ... READY STOP`, which touches READY once it
    reads and prints a JSON report when STOP appears) while the body rewrites what it reads;
    the dict yielded holds its report afterwards."""
    import json
    import tempfile

    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as flags:
        ready, stop = Path(flags) / "ready", Path(flags) / "stop"
        poller = subprocess.Popen([sys.executable, "-c", script, *args, str(ready), str(stop)],
                                  stdout=subprocess.PIPE, text=True, env=env)
        try:
            while not ready.exists() and poller.poll() is None:
                os.sched_yield()
            yield report
        finally:
            stop.touch()
            out, _ = poller.communicate(timeout=120)
    report.update(json.loads(out))


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (its children, theirs, and so on), from /proc."""
    found: list[int] = []
    queue = [pid]
    while queue:
        parent = queue.pop()
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{parent}/task"):
                children = Path(f"/proc/{parent}/task/{task}/children").read_text().split()
                queue += map(int, children)
                found += map(int, children)
    return found


def still_running(pids: Sequence[int], within: float) -> list[int]:
    """Those of `pids` still running (neither gone nor a zombie) after up to `within` seconds."""
    import time

    def running(pid: int) -> bool:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        return stat.rsplit(")", 1)[1].split()[0] != "Z"

    deadline = time.monotonic() + within
    while (left := [p for p in pids if running(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left
