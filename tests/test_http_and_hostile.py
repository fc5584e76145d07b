"""http(s) sources against a real server on 127.0.0.1, and hostile inputs, each with its exact
outcome."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import lxml.html
import pytest

from feedwright.model import Role
from feedwright.sources import ReaderOptions, SourceError, detect_kind, read, retrieve
from feedwright.sources.html import MAX_HTML_BYTES
from feedwright.sources.retrieve import MAX_REDIRECTS, USER_AGENT
from tests.helpers import FIXTURES

PAGE = (FIXTURES / "html" / "wire-opengraph.html").read_bytes()
ETAG = '"rba-v1"'
LAST_MODIFIED = "Tue, 01 Apr 2025 06:02:00 GMT"


class Handler(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, str]]] = []

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        Handler.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        route = self.path.split("?")[0]
        if route == "/article":
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
                return
            self._send(
                PAGE, "text/html; charset=utf-8", ETag=ETAG, **{"Last-Modified": LAST_MODIFIED}
            )
        elif route == "/moved":
            self._redirect("/news/story.html")
        elif route == "/news/story.html":
            body = (
                b"<html><head><title>Moved story</title></head><body><article>"
                b"<h1>Moved story</h1><p>"
                + b"A paragraph long enough to count as the main text of this test page. "
                * 3
                + b'</p><figure><img src="pics/a.jpg"><figcaption>A picture. Photo: Jo Bloggs'
                b"</figcaption></figure></article></body></html>"
            )
            self._send(body, "text/html")
        elif route.startswith("/loop"):
            n = int(route.removeprefix("/loop") or 0)
            self._redirect(f"/loop{n + 1}")
        elif route == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for _ in range(800):  # about 50 MB
                    self.wfile.write(chunk)
        elif route == "/liar":
            self._send(b"x" * 100, "text/html", **{"Content-Length": str(50 * 1024 * 1024)})
        elif route == "/slow":
            time.sleep(3)
            self._send(PAGE, "text/html")
        elif route == "/feed":
            self._send((FIXTURES / "feeds" / "agency-atom.xml").read_bytes(), "application/xml")
        elif route == "/notes.md":
            self._send((FIXTURES / "markdown" / "zola-toml.md").read_bytes(), "text/plain")
        else:
            self.send_error(404, "Not Found")

    def _send(self, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


NZ = ReaderOptions(timezone="Pacific/Auckland")


def test_http_page_is_read_with_caching_facts_and_a_clear_user_agent(server: str) -> None:
    got = retrieve(f"{server}/article")
    assert (got.media_type, got.charset, got.etag) == ("text/html", "utf-8", ETAG)
    assert got.last_modified == datetime(2025, 4, 1, 6, 2, tzinfo=UTC)
    assert got.base_url == f"{server}/article" and not got.not_modified
    assert Handler.seen[-1]["user-agent"] == USER_AGENT
    (entry,) = read(got, options=NZ)
    assert entry.title == "Australian central bank holds rates, signals caution"


def test_unchanged_page_costs_one_304(server: str) -> None:
    before = len(Handler.seen)
    got = retrieve(f"{server}/article", etag=ETAG,
                   last_modified=datetime(2025, 4, 1, 6, 2, tzinfo=UTC))  # fmt: skip
    assert got.not_modified and got.data == b"" and got.etag == ETAG
    assert len(Handler.seen) == before + 1
    assert Handler.seen[-1]["if-none-match"] == ETAG
    assert Handler.seen[-1]["if-modified-since"] == LAST_MODIFIED


def test_redirect_is_followed_and_links_resolve_against_the_final_url(server: str) -> None:
    got = retrieve(f"{server}/moved")
    assert got.base_url == f"{server}/news/story.html"
    (entry,) = read(got, options=NZ)
    (photo,) = entry.media
    assert photo.url == f"{server}/news/pics/a.jpg"
    assert [(c.role, c.agent.name) for c in photo.credits] == [(Role.PHOTOGRAPHER, "Jo Bloggs")]


def test_redirects_are_bounded(server: str) -> None:
    with pytest.raises(SourceError) as caught:
        retrieve(f"{server}/loop0")
    assert caught.value.reason == f"more than {MAX_REDIRECTS} redirects"


def test_size_cap_holds_while_streaming_a_50_mb_page(server: str) -> None:
    with pytest.raises(SourceError) as caught:
        retrieve(f"{server}/huge", max_bytes=1024 * 1024)
    assert caught.value.reason == "is over the 1048576 byte limit"


def test_declared_length_over_the_cap_is_refused_before_reading(server: str) -> None:
    with pytest.raises(SourceError) as caught:
        retrieve(f"{server}/liar", max_bytes=1024 * 1024)
    assert caught.value.reason == f"is {50 * 1024 * 1024} bytes, over the 1048576 byte limit"


def test_slow_server_times_out(server: str) -> None:
    with pytest.raises(SourceError) as caught:
        retrieve(f"{server}/slow", timeout=0.5)
    assert caught.value.reason == "timed out after 0.5 s"


def test_http_errors_are_reported(server: str) -> None:
    with pytest.raises(SourceError) as caught:
        retrieve(f"{server}/nothing-here")
    assert (caught.value.location, caught.value.reason) == (
        f"{server}/nothing-here", "HTTP 404 Not Found"
    )  # fmt: skip


def test_kind_is_detected_from_content_when_the_media_type_is_generic(server: str) -> None:
    assert detect_kind(retrieve(f"{server}/feed")) == "feed"
    assert detect_kind(retrieve(f"{server}/notes.md")) == "markdown"  # suffix beats text/plain
    assert len(read(retrieve(f"{server}/feed"), options=NZ)) == 2


# --- hostile inputs -----------------------------------------------------------------------------

_LOLS = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
BILLION_LAUGHS = (
    f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{_LOLS}]>'
    '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item>'
    "</channel></rss>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title></item></channel></rss>'
)
PARAMETER_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY % dtd SYSTEM "http://127.0.0.1:9/x.dtd"> %dtd;]>'
    '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'
)
REFUSED = (
    "the document declares entities in a DTD; refused (entity expansion and network access are "
    "off, so entity bombs and external entities cannot be read)"
)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY])
def test_entity_documents_are_refused(tmp_path: Path, document: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(document)
    with pytest.raises(SourceError) as caught:
        read(retrieve(str(path)), options=NZ)
    assert caught.value.reason == REFUSED
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd leaked into the message


def test_a_50_mb_html_page_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    path.write_bytes(
        b"<html><body>" + b"<p>padding</p>" * (50 * 1024 * 1024 // 14) + b"</body></html>"
    )
    with pytest.raises(SourceError) as caught:
        read(retrieve(str(path)), options=NZ)
    size = path.stat().st_size
    assert caught.value.reason == (
        f"is {size} bytes, over the {MAX_HTML_BYTES} byte limit for an HTML page"
    )


def test_binary_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(SourceError) as caught:
        read(retrieve(str(path)), options=NZ)
    assert caught.value.reason == "binary data, not text"


def test_mislabelled_encoding_is_recovered(tmp_path: Path) -> None:
    """Declared utf-8, written in windows-1252: decoded by detection, not as mojibake."""
    path = tmp_path / "mislabelled.html"
    page = (
        '<html><head><meta charset="utf-8"><title>Café reopens</title></head><body><article>'
        "<h1>Café reopens after fire</h1><p>The café on Cuba Street reopened on Friday, its "
        "owner Zoë Brontë said, thanking the neighbours who had helped with the clean-up.</p>"
        "<p>“We are so grateful,” she said, adding that the menu would stay the same.</p>"
        "</article></body></html>"
    )
    path.write_bytes(page.encode("cp1252"))
    (entry,) = read(retrieve(str(path)), options=NZ)
    assert entry.title == "Café reopens after fire"
    assert "Zoë Brontë" in (entry.content_html or "")
    assert "\ufffd" not in (entry.content_html or "")


def test_script_laden_html_is_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "scripts.html"
    path.write_text(
        "<html><head><title>Council meeting tonight</title>"
        "<script>document.cookie</script></head><body><article><h1>Council meeting tonight</h1>"
        '<p onclick="steal()">The council meets tonight to <a href="javascript:alert(1)">vote'
        '</a> on the <a href="/plan" onmouseover="x()">district plan</a> and rates.\x0b</p>'
        '<p>Residents can <img src="x.gif" onerror="alert(2)">speak for three minutes each '
        "at the start of the meeting.<iframe src='https://evil.example/'></iframe></p>"
        "<script>alert(3)</script><style>p{}</style></article></body></html>"
    )
    options = ReaderOptions(timezone="Pacific/Auckland", base_url="https://council.example/news/")
    (entry,) = read(retrieve(str(path)), options=options)
    html = entry.content_html or ""
    for dangerous in ("<script", "alert(", "onclick", "onerror", "onmouseover", "javascript:",
                      "<iframe", "evil.example", "<style", "\x0b"):
        assert dangerous not in html, dangerous
    body = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [" ".join(p.text_content().split()) for p in body.iter("p")] == [
        "The council meets tonight to vote on the district plan and rates.",
        "Residents can speak for three minutes each at the start of the meeting.",
    ]
    assert [a.get("href") for a in body.iter("a")] == [None, "https://council.example/plan"]
