"""The retriever registry: one transport per url scheme, a plain path is a file."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from feedwright.sources import SourceError, retrieve
from feedwright.sources.retrieve import RETRIEVERS, TooLarge, scheme_of

GOOD_ATOM = Path(__file__).resolve().parent / "conformance" / "atom" / "valid-credit-camera.xml"


def test_each_location_goes_to_the_retriever_of_its_scheme(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(b"Title\n\nBody.\n")
    assert [scheme_of(x) for x in (str(article), "HTTPS://x.example/", "http://x", "ftp://x")] == [
        "file", "https", "http", "ftp"]
    assert retrieve(str(article)).data == retrieve(f"file://{article}").data == article.read_bytes()
    assert sorted(RETRIEVERS) == ["file", "http", "https"]
    with pytest.raises(SourceError) as caught:
        retrieve("ftp://files.example/a.txt")
    assert caught.value.reason == "cannot fetch ftp: locations (known: file, http, https)"


def test_a_file_over_the_cap_is_refused_with_the_cap(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(b"x" * 100)
    with pytest.raises(TooLarge) as caught:
        retrieve(str(article), max_bytes=99)
    assert (caught.value.cap, caught.value.reason) == (99, "is 100 bytes, over the 99 byte limit")


def test_a_file_is_read_with_its_modification_time_and_bad_ones_say_why(tmp_path: Path) -> None:
    """The one-open path gives the bytes and the stat's mtime; a folder and a missing file say
    what is wrong, as the stat-first path said it."""
    import os
    from datetime import UTC, datetime

    article = tmp_path / "a.txt"
    article.write_bytes("Tītle\n\nBody.\n".encode())
    os.utime(article, (1_700_000_000, 1_700_000_000.25))
    got = retrieve(str(article))
    assert got.data == article.read_bytes()
    assert got.last_modified == datetime.fromtimestamp(article.stat().st_mtime, UTC)
    reasons = []
    for location in (str(tmp_path), str(tmp_path / "missing.txt")):
        with pytest.raises(SourceError) as caught:
            retrieve(location)
        reasons.append(caught.value.reason)
    assert reasons == ["is a folder, not a file", "no such file"]


class _KeepAlive(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive: requests over one connection come from one client port."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, int]]] = []
    body: ClassVar[bytes] = b""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append((self.path, self.client_address[1]))
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


@pytest.fixture
def keep_alive() -> Iterator[tuple[type[_KeepAlive], str]]:
    handler = type("Handler", (_KeepAlive,), {"seen": [], "body": GOOD_ATOM.read_bytes()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield handler, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_validate_fetches_every_url_through_one_client(
        keep_alive: tuple[type[_KeepAlive], str]) -> None:
    handler, base = keep_alive
    urls = [f"{base}/a.xml", f"{base}/b.xml", f"{base}/c.xml"]
    result = subprocess.run([sys.executable, "-m", "feedwright", "validate", *urls],
                            capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert [path for path, _ in handler.seen] == ["/a.xml", "/b.xml", "/c.xml"]
    assert len({port for _, port in handler.seen}) == 1  # one connection, kept alive
