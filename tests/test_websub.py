"""WebSub: hub links in every format, and hubs notified after a build that changed a document,
against real HTTP servers on 127.0.0.1 that record what they receive."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import httpx
import pytest
from click.testing import CliRunner

from feedwright.cli import main
from feedwright.emit import emit
from feedwright.validate import validate_document
from feedwright.websub import Notifier
from tests.helpers import SEED, make_feed, serving

from .test_build import Project, article, make_project, only

BASE = "https://news.example/feeds/"
TOPICS = [BASE + "news.rss.xml", BASE + "news.atom.xml", BASE + "news.json"]
TIMEOUT = 0.5  # the test client's time limit; the slow hub answers after 4 times that


@dataclass
class Hub:
    """A hub at /ok (204), /down (500), /busy (400) or /slow (answers too late)."""

    received: list[tuple[str, dict[str, list[str]], str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def posts(self, path: str) -> list[dict[str, list[str]]]:
        with self.lock:
            return [form for p, form, _ in self.received if p == path]


def hub_handler(hub: Hub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with hub.lock:
                hub.received.append((self.path, parse_qs(body.decode("ascii")),
                                     self.headers.get("Content-Type", "")))
            if self.path == "/slow":
                time.sleep(TIMEOUT * 4)
            status = {"/ok": 204, "/down": 500, "/busy": 400}.get(self.path, 202)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

    return Handler


@pytest.fixture
def hub() -> Iterator[tuple[Hub, str]]:
    served = Hub()
    with serving(hub_handler(served)) as url:
        yield served, url


@pytest.fixture
def unreachable() -> str:
    """A url on a port nothing listens on: bound once to find a free port, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hub"


@pytest.fixture
def notifier() -> Iterator[Notifier]:
    with httpx.Client(timeout=TIMEOUT) as client:
        yield Notifier(client, attempts=3, backoff=0.01)


def with_hubs(tmp_path: Path, *hubs: str) -> Project:
    listed = ", ".join(f'"{h}"' for h in hubs)
    return make_project(tmp_path, extra=f"hubs = [{listed}]")


# --- the documents name their hubs ----------------------------------------------------------


HUBS = ("https://hub.example/", "https://pubsubhubbub.example/publish")


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_every_format_names_its_hubs_and_self_and_still_validates(fmt: str) -> None:
    feed = dataclasses.replace(make_feed([SEED]), hubs=HUBS)
    document = emit(feed, fmt)
    report = validate_document(document, fmt)
    assert [(i.rule, i.message) for i in report.issues] == []
    if fmt == "json":
        data = json.loads(document)
        assert data["hubs"] == [{"type": "WebSub", "url": h} for h in HUBS]
        assert data["feed_url"] == feed.self_url
        return
    links = feedparser.parse(document).feed.links
    assert [link["href"] for link in links if link["rel"] == "hub"] == list(HUBS)
    assert [link["href"] for link in links if link["rel"] == "self"] == [feed.self_url]
    # RSS's channel link stays the home page, not a hub
    assert feedparser.parse(document).feed.link == "https://feedwright.test/"


def test_without_hubs_the_documents_are_as_before() -> None:
    feed = make_feed([SEED])
    for fmt in ("rss", "atom", "json"):
        assert b'"hub"' not in emit(feed, fmt) and b'"hubs"' not in emit(feed, fmt)


# --- the notifier ---------------------------------------------------------------------------


def test_a_hub_that_takes_it_gets_one_publish_post_per_topic(
        hub: tuple[Hub, str], notifier: Notifier) -> None:
    served, url = hub
    notices = notifier.publish([url + "/ok"], TOPICS[:2])
    assert [(n.topic, n.ok, n.attempts, n.status) for n in notices] == [
        (TOPICS[0], True, 1, 204), (TOPICS[1], True, 1, 204)]
    assert served.posts("/ok") == [{"hub.mode": ["publish"], "hub.url": [t]} for t in TOPICS[:2]]
    assert {ctype for _, _, ctype in served.received} == {"application/x-www-form-urlencoded"}


def test_a_hub_answering_500_is_retried_then_reported(
        hub: tuple[Hub, str], notifier: Notifier) -> None:
    served, url = hub
    (notice,) = notifier.publish([url + "/down"], TOPICS[:1])
    assert (notice.ok, notice.attempts, notice.status) == (False, 3, 500)
    assert "HTTP 500" in str(notice) and "after 3 attempts" in str(notice)
    assert len(served.posts("/down")) == 3


def test_a_hub_refusing_the_request_is_not_retried(
        hub: tuple[Hub, str], notifier: Notifier) -> None:
    served, url = hub
    (notice,) = notifier.publish([url + "/busy"], TOPICS[:1])
    assert (notice.ok, notice.attempts, notice.status) == (False, 1, 400)
    assert len(served.posts("/busy")) == 1


def test_a_hub_that_times_out_is_retried_then_skipped_for_the_other_topics(
        hub: tuple[Hub, str], notifier: Notifier) -> None:
    served, url = hub
    slow, later = notifier.publish([url + "/slow"], TOPICS[:2])
    assert (slow.ok, slow.attempts, slow.status) == (False, 3, None)
    assert "no answer within 0.5 s" in (slow.error or "")
    assert (later.ok, later.attempts) == (False, 0)
    assert "not tried" in (later.error or "")
    assert [form["hub.url"] for form in served.posts("/slow")] == [[TOPICS[0]]] * 3


def test_an_unreachable_hub_is_reported_and_the_next_hub_still_notified(
        hub: tuple[Hub, str], unreachable: str, notifier: Notifier) -> None:
    served, url = hub
    notices = notifier.publish([unreachable, url + "/ok"], TOPICS[:1])
    assert [(n.hub, n.ok) for n in notices] == [(unreachable, False), (url + "/ok", True)]
    assert notices[0].attempts == 3 and notices[0].status is None and notices[0].error
    assert len(served.posts("/ok")) == 1


# --- the build ------------------------------------------------------------------------------


def test_a_build_that_changed_documents_notifies_each_hub_of_each(
        tmp_path: Path, hub: tuple[Hub, str], notifier: Notifier) -> None:
    served, url = hub
    project = with_hubs(tmp_path, url + "/ok")
    result = only(project.build(notifier=notifier))
    assert result.ok and len(result.written) == 3
    assert [form["hub.url"][0] for form in served.posts("/ok")] == TOPICS
    assert all(n.ok for n in result.hubs)
    assert "hubs: 3 notified, 0 failed" in result.summary()


def test_a_no_op_build_notifies_nobody(tmp_path: Path, hub: tuple[Hub, str],
                                       notifier: Notifier) -> None:
    served, url = hub
    project = with_hubs(tmp_path, url + "/ok")
    project.build(notifier=notifier)
    served.received.clear()
    project.clock.advance(hours=1)
    result = only(project.build(notifier=notifier))
    assert result.written == [] and result.hubs == []
    assert served.received == []
    project.write("b.txt", article("Library opens late", "Until ten now.",
                                   "8:30 am on 13 March 2025"))
    result = only(project.build(notifier=notifier))
    assert result.updated == 1
    assert [form["hub.url"][0] for form in served.posts("/ok")] == TOPICS


def test_only_the_documents_that_changed_are_announced(
        tmp_path: Path, hub: tuple[Hub, str], notifier: Notifier) -> None:
    served, url = hub
    project = with_hubs(tmp_path, url + "/ok")
    toml = project.feeds / "news.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("stylesheet = false",
                                                             "stylesheet = true"))
    project.build(notifier=notifier)
    served.received.clear()
    # Without the stylesheet the RSS and Atom documents lose their instruction; JSON is as it was
    toml.write_text(toml.read_text(encoding="utf-8").replace("stylesheet = true",
                                                             "stylesheet = false"))
    result = only(project.build(notifier=notifier))
    assert sorted(Path(p).name for p in result.written) == ["news.atom.xml", "news.rss.xml"]
    assert [form["hub.url"][0] for form in served.posts("/ok")] == TOPICS[:2]


def test_a_dry_run_notifies_nobody(tmp_path: Path, hub: tuple[Hub, str],
                                   notifier: Notifier) -> None:
    served, url = hub
    project = with_hubs(tmp_path, url + "/ok")
    assert only(project.build(notifier=notifier, dry_run=True)).hubs == []
    assert served.received == []


def test_failing_hubs_are_reported_and_never_fail_the_build_or_another_feed(
        tmp_path: Path, hub: tuple[Hub, str], unreachable: str, notifier: Notifier) -> None:
    served, url = hub
    project = with_hubs(tmp_path, url + "/down", unreachable, url + "/slow")
    second = (project.feeds / "news.toml").read_text(encoding="utf-8").replace(
        f'"{url}/down", "{unreachable}", "{url}/slow"', f'"{url}/ok"')
    (project.feeds / "second.toml").write_text(second, encoding="utf-8")
    report = project.build(notifier=notifier)
    assert report.exit_code == 0
    news, other = sorted(report.feeds, key=lambda f: f.name != "news")
    assert news.ok and len(news.written) == 3
    assert [(n.hub, n.ok) for n in news.hubs] == [
        (h, False) for h in (url + "/down", unreachable, url + "/slow") for _ in TOPICS]
    assert "hubs: 0 notified, 9 failed" in news.summary()
    assert other.ok and all(n.ok for n in other.hubs) and len(other.hubs) == 3
    assert len(served.posts("/down")) == 9  # three topics, three attempts each
    reported = report.to_json()["feeds"][0]["hubs"]
    assert reported[0] == {"hub": url + "/down", "topic": TOPICS[0], "ok": False,
                           "attempts": 3, "status": 500, "error": "HTTP 500 Internal Server Error"}


def test_the_command_line_reports_a_failed_hub_and_exits_0(
        tmp_path: Path, hub: tuple[Hub, str]) -> None:
    served, url = hub
    project = with_hubs(tmp_path, url + "/busy")  # 400: answered at once, not retried
    runner = CliRunner()
    shown = runner.invoke(main, ["build", "--quiet", "--config-dir", str(project.feeds)])
    assert shown.exit_code == 0, shown.output
    assert f"hub failed: {url}/busy: not notified of {TOPICS[0]}: HTTP 400" in shown.output
    project.write("a.txt", article("Harbour bridge to close", "It closes on Monday.",
                                   "6:04 am on 12 March 2025"))
    as_json = runner.invoke(main, ["build", "--json", "--config-dir", str(project.feeds)])
    assert as_json.exit_code == 0, as_json.output
    (feed,) = json.loads(as_json.stdout)["feeds"]
    assert [(n["topic"], n["ok"], n["status"]) for n in feed["hubs"]] == [
        (t, False, 400) for t in TOPICS]
    assert len(served.posts("/busy")) == 6


MINIMAL = """\
title = "Test News"
link = "https://news.example/"
tag_authority = "news.example,2026"
sources = ["../articles/*.txt"]
base_url = "https://news.example/feeds/"
{extra}
"""


@pytest.mark.parametrize(("extra", "message"), [
    ('hubs = ["ftp://hub.example/"]',
     "news.toml:6: a hub in 'hubs' must be an absolute http(s) URL, not 'ftp://hub.example/'"),
    ('hubs = "https://hub.example/"', "news.toml:6: key 'hubs' must be an array, not a string"),
    ('hubs = ["https://h.example/", "https://h.example/"]',
     "news.toml:6: hub 'https://h.example/' is listed twice"),
    ("page = 1", "news.toml:6: key 'page' must be true or false, not a number"),
    ('stylesheet = "yes"', "news.toml:6: key 'stylesheet' must be true or false, not a string"),
    ('[output]\npage = "news.json"', "news.toml:6: two outputs (formats, page, stylesheet) "
                                      "would be written to the same file name"),
])
def test_bad_hub_and_page_settings_are_configuration_errors(
        tmp_path: Path, extra: str, message: str) -> None:
    project = make_project(tmp_path)
    (project.feeds / "news.toml").write_text(MINIMAL.format(extra=extra), encoding="utf-8")
    (error,) = project.build().config_errors
    assert error.endswith(message)
    assert error.startswith(str(project.feeds / "news.toml"))


def test_hubs_need_a_base_url(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    toml = MINIMAL.format(extra='hubs = ["https://hub.example/"]').replace(
        'base_url = "https://news.example/feeds/"\n', "")
    (project.feeds / "news.toml").write_text(toml, encoding="utf-8")
    (error,) = project.build().config_errors
    assert error.endswith("news.toml:5: key 'hubs' needs 'base_url': a hub is told the public "
                          "url of each document that changed")
