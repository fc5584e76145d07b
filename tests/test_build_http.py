"""http(s) urls as sources of the cron build, against a real server on 127.0.0.1: conditional GET
with the validators the ledger keeps, updates, and failures that keep the last good entry."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from feedwright.ledger import Ledger
from tests.helpers import FIXTURES

from .test_build import CONFIG, Project, make_project, only

PAGE = (Path(__file__).resolve().parent.parent / "fixtures" / "html" / "wire-opengraph.html"
        ).read_bytes()  # fmt: skip
PAGE_ID = "https://wire.example/business/rba-holds-rates-2025-04-01/"
TITLE = "Australian central bank holds rates, signals caution"


@dataclass
class Page:
    """What the server serves at /story, changed by the tests between builds."""

    body: bytes = PAGE
    etag: str = '"v1"'
    last_modified: str = "Tue, 01 Apr 2025 06:02:00 GMT"
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    requests: list[dict[str, str]] = field(default_factory=list)


def handler_for(page: Page) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            page.requests.append({k.lower(): v for k, v in self.headers.items()})
            if page.status != 200:
                self.send_error(page.status)
                return
            if self.headers.get("If-None-Match") == page.etag:
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            self.send_header("ETag", page.etag)
            self.send_header("Last-Modified", page.last_modified)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(page.body)

    return Handler


@pytest.fixture
def page() -> Iterator[tuple[Page, str]]:
    served = Page()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(served))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{httpd.server_address[1]}/story"
    finally:
        httpd.shutdown()
        httpd.server_close()


def project_with(tmp_path: Path, url: str) -> Project:
    project = make_project(tmp_path)
    config = CONFIG.format(extra="").replace(
        'sources = ["../articles/*.txt"]', f'sources = ["../articles/*.txt", "{url}"]')
    (project.feeds / "news.toml").write_text(config, encoding="utf-8")
    return project


def test_unchanged_page_costs_one_304_and_the_feed_is_not_rewritten(
        tmp_path: Path, page: tuple[Page, str]) -> None:
    served, url = page
    project = project_with(tmp_path, url)
    first = only(project.build())
    assert first.ok and first.added == 4
    assert len(served.requests) == 1 and "if-none-match" not in served.requests[0]
    assert project.items()[TITLE]["id"] == PAGE_ID
    before = project.outputs()

    second = only(project.build())
    assert second.ok and (second.added, second.updated, second.unchanged) == (0, 0, 4)
    assert len(served.requests) == 2  # exactly one more request: the conditional one
    assert served.requests[1]["if-none-match"] == '"v1"'
    assert served.requests[1]["if-modified-since"] == "Tue, 01 Apr 2025 06:02:00 GMT"
    assert second.written == [] and project.outputs() == before  # same bytes, same mtimes

    with Ledger.open(project.root / ".feedwright-state.sqlite") as ledger:
        row = ledger.load("news").sources[url]
    assert (row.etag, row.last_modified) == ('"v1"', datetime(2025, 4, 1, 6, 2, tzinfo=UTC))


def test_changed_page_updates_its_entry_under_the_same_id(
        tmp_path: Path, page: tuple[Page, str]) -> None:
    served, url = page
    project = project_with(tmp_path, url)
    assert project.build().exit_code == 0
    served.body = PAGE.replace(b"(RBA) kept its cash rate", b"(RBA) held its cash rate")
    assert served.body != PAGE
    served.etag = '"v2"'
    result = only(project.build())
    assert result.ok and (result.added, result.updated) == (0, 1)
    item = project.items()[TITLE]
    assert item["id"] == PAGE_ID
    assert "(RBA) held its cash rate" in item["content_html"]
    assert only(project.build()).written == []  # and v2 is then served as a 304
    assert served.requests[-1]["if-none-match"] == '"v2"'


def test_server_error_keeps_the_last_good_entry_and_fails_the_run(
        tmp_path: Path, page: tuple[Page, str]) -> None:
    served, url = page
    project = project_with(tmp_path, url)
    assert project.build().exit_code == 0
    before = project.outputs()
    served.status = 503
    report = project.build()
    assert report.exit_code == 1
    (failure,) = only(report).failures
    assert (failure.path, failure.reason) == (url, "HTTP 503 Service Unavailable")
    assert project.outputs() == before  # the entry keeps its last good version
    assert project.build().exit_code == 1  # reported on every build while it lasts

    served.status = 200
    recovered = only(project.build())
    assert recovered.ok and recovered.written == []
    assert served.requests[-1]["if-none-match"] == '"v1"'  # the last good fetch's validators


def test_a_feed_that_comes_back_as_an_html_page_keeps_its_entries(
        tmp_path: Path, page: tuple[Page, str]) -> None:
    """A feed url answered with a maintenance page (200, text/html) was read as that page: one
    entry "Service Temporarily Unavailable" in place of the feed's, the others tombstoned,
    exit 0. A url source that read as a feed and now reads as a page is a failed source."""
    served, url = page
    served.body = (FIXTURES / "feeds" / "broadcaster-rss.xml").read_bytes()
    served.content_type = "application/rss+xml"
    project = project_with(tmp_path, url)
    assert project.build().exit_code == 0
    before = project.outputs()
    served.body = (b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
                   b"<h1>Service Temporarily Unavailable</h1><p>The server is temporarily "
                   b"unable to service your request due to maintenance downtime.</p></body></html>")
    served.content_type, served.etag = "text/html", '"maintenance"'
    report = project.build()
    assert report.exit_code == 1
    (failure,) = only(report).failures
    assert failure.path == url
    assert failure.reason.startswith("it was read as feed and now reads as html")
    assert only(report).removed == 0 and project.outputs() == before
    assert project.build().exit_code == 1  # reported on every build while it lasts

    served.body = (FIXTURES / "feeds" / "broadcaster-rss.xml").read_bytes()
    served.content_type, served.etag = "application/rss+xml", '"v1"'
    recovered = only(project.build())
    assert recovered.ok and recovered.written == []
    assert served.requests[-1]["if-none-match"] == '"v1"'  # the last good fetch's validators


def test_refused_connection_is_reported_with_the_url(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/story"
    project = project_with(tmp_path, url)
    report = project.build()
    assert report.exit_code == 1
    (failure,) = only(report).failures
    assert failure.path == url and "refused" in failure.reason.lower()
    assert len(project.items()) == 3  # the files' entries are published all the same


def test_a_bad_url_in_sources_is_a_configuration_error(tmp_path: Path) -> None:
    project = project_with(tmp_path, "https:///no-host")
    report = project.build()
    assert report.exit_code == 2
    assert "a url in 'sources' must be an absolute http(s) URL" in report.config_errors[0]
