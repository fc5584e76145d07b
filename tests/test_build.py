"""feedwright build end to end, in process: real files, real readers and emitters, and a real
ledger: the `project` fixture runs each test on SQLite and on PostgreSQL (tests/postgres.py).

Subprocess behaviour (locks, SIGKILL, exit codes) is in test_build_cli.py.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from feedwright.build import RunReport, read_source, run_build
from feedwright.config import FeedConfig
from feedwright.ledger import Ledger, SqlLedger, open_ledger
from feedwright.model import Entry
from tests.helpers import FIXTURES, read_one

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

CONFIG = """\
title = "Test News"
link = "https://news.example/"
tag_authority = "news.example,2026"
sources = ["../articles/*.txt"]
base_url = "https://news.example/feeds/"
deleted_grace_days = 1
# The feed documents only: the page and stylesheet (on by default) have their own tests, in
# test_page.py.
page = false
stylesheet = false
{extra}
[output]
dir = "../public"
"""


def article(title: str, body: str, date: str | None = None, byline: str = "Jane Smith") -> str:
    head = f"{title}\n\nBy {byline}\n\n"
    if date:
        head += f"{date}\n\n"
    return head + body + "\n"


ARTICLES = {
    "a.txt": article("Harbour bridge to close", "The bridge closes on Sunday.",
                     "6:04 am on 12 March 2025"),
    "b.txt": article("Library opens late", "The library will open until nine.",
                     "8:30 am on 13 March 2025"),
    "c.txt": article("Council meets", "The council met today.", "7:00 am on 11 March 2025"),
}


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Project:
    root: Path
    clock: Clock
    state: str | None = None  # the ledger; None: the SQLite file beside public/

    @property
    def feeds(self) -> Path:
        return self.root / "feeds"

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def public(self) -> Path:
        return self.root / "public"

    def write(self, name: str, text: str | bytes) -> None:
        path = self.articles / name
        if isinstance(text, str):
            text = text.encode("utf-8")
        path.write_bytes(text)

    def build(self, **kwargs: Any) -> RunReport:
        return run_build(self.feeds, now=self.clock, **{"state": self.state, **kwargs})

    def ledger(self) -> SqlLedger:
        """The project's ledger, opened on whichever back end it builds with."""
        return open_ledger(self.state or str(self.root / ".feedwright-state.sqlite"))

    def outputs(self) -> dict[str, tuple[bytes, int]]:
        return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
                for p in sorted(self.public.iterdir())}

    def items(self) -> dict[str, dict[str, Any]]:
        data = json.loads((self.public / "news.json").read_text(encoding="utf-8"))
        return {item["title"]: item for item in data["items"]}

    def item_ids(self) -> list[str]:
        data = json.loads((self.public / "news.json").read_text(encoding="utf-8"))
        return [item["id"] for item in data["items"]]


def make_project(root: Path, extra: str = "", articles: dict[str, str] = ARTICLES) -> Project:
    project = Project(root, Clock())
    project.feeds.mkdir()
    project.articles.mkdir()
    (project.feeds / "news.toml").write_text(CONFIG.format(extra=extra), encoding="utf-8")
    for name, text in articles.items():
        project.write(name, text)
    return project


@pytest.fixture
def project(tmp_path: Path, on_backend: Callable[[Project], Project]) -> Project:
    return on_backend(make_project(tmp_path))


def only(report: RunReport) -> Any:
    assert report.config_errors == []
    assert len(report.feeds) == 1
    return report.feeds[0]


def test_first_build_publishes_every_format_and_the_ledger(project: Project) -> None:
    result = only(project.build())
    assert result.ok, (result.failures, result.errors)
    assert (result.added, result.updated, result.removed) == (3, 0, 0)
    assert sorted(project.outputs()) == ["news.atom.xml", "news.json", "news.rss.xml"]
    # The ledger is where it was told to be: nothing beside public/ on PostgreSQL.
    assert (project.root / ".feedwright-state.sqlite").is_file() == (project.state is None)
    with project.ledger() as ledger:
        assert ledger.count_entries("news") == 3
    assert project.item_ids() == [  # newest first by published
        "tag:news.example,2026:news/articles/b",
        "tag:news.example,2026:news/articles/a",
        "tag:news.example,2026:news/articles/c",
    ]
    assert b"https://news.example/feeds/news.atom.xml" in (project.public / "news.atom.xml"
                                                           ).read_bytes()


def test_second_build_rewrites_nothing_and_is_byte_identical(project: Project) -> None:
    assert project.build().exit_code == 0
    before = project.outputs()
    project.clock.advance(hours=1)
    result = only(project.build())
    assert result.written == []
    assert (result.added, result.updated, result.removed, result.unchanged) == (0, 0, 0, 3)
    assert project.outputs() == before  # same bytes, same mtimes


def test_unchanged_sources_are_not_read_again(project: Project) -> None:
    calls: list[str] = []
    parses: list[str] = []

    def counting(path: Path, config: FeedConfig) -> tuple[bytes, Callable[[], tuple[Entry, ...]]]:
        calls.append(path.name)
        data, parse = read_source(path, config)

        def counted_parse() -> tuple[Entry, ...]:
            parses.append(path.name)
            return parse()

        return data, counted_parse

    project.build(reader=counting)
    assert sorted(parses) == ["a.txt", "b.txt", "c.txt"]
    calls.clear()
    parses.clear()
    project.build(reader=counting)
    assert calls == []  # size and mtime unchanged: not even opened
    os.utime(project.articles / "a.txt", ns=(1, 1))  # touched, same bytes
    project.build(reader=counting)
    assert calls == ["a.txt"] and parses == []  # hashed, found the same, not parsed


def test_editing_one_source_changes_only_that_entry(project: Project) -> None:
    project.build()
    before = project.items()
    project.clock.advance(hours=2)
    project.write("b.txt", article("Library opens late", "The library will open until ten.",
                                   "8:30 am on 13 March 2025"))
    result = only(project.build())
    assert (result.added, result.updated, result.removed, result.unchanged) == (0, 1, 0, 2)
    after = project.items()
    edited, old = after["Library opens late"], before["Library opens late"]
    assert edited["id"] == old["id"]
    assert edited["date_published"] == old["date_published"]
    assert "until ten" in edited["content_html"] and "until nine" in old["content_html"]
    assert edited.get("date_modified") != old.get("date_modified")
    assert datetime.fromisoformat(edited["date_modified"]) == project.clock.now
    for title in ("Harbour bridge to close", "Council meets"):
        assert after[title] == before[title]


def test_cosmetic_edit_is_not_an_update(project: Project) -> None:
    project.build()
    before = project.outputs()
    project.write("a.txt", ARTICLES["a.txt"] + "\n\n\n")
    project.clock.advance(hours=1)
    result = only(project.build())
    assert (result.updated, result.unchanged) == (0, 3)
    assert project.outputs() == before


def test_undated_entry_gets_its_first_seen_time_and_keeps_it(tmp_path: Path) -> None:
    project = make_project(tmp_path, articles={"u.txt": article("No date here", "Body text.")})
    project.build()
    item = project.items()["No date here"]
    assert datetime.fromisoformat(item["date_published"]) == T0
    project.clock.advance(days=3)
    project.write("u.txt", article("No date here", "Body text, corrected."))
    project.build()
    item = project.items()["No date here"]
    assert datetime.fromisoformat(item["date_published"]) == T0
    assert datetime.fromisoformat(item["date_modified"]) == T0 + timedelta(days=3)
    with Ledger.open(project.root / ".feedwright-state.sqlite") as ledger:
        (row,) = ledger.load("news").entries.values()
    assert json.loads(row.record)["published"] is None  # the source states none; not invented


def test_renamed_source_keeps_its_id_and_the_feed_is_unchanged(project: Project) -> None:
    project.build()
    before = project.outputs()
    (project.articles / "a.txt").rename(project.articles / "bridge-closure.txt")
    project.clock.advance(hours=1)
    result = only(project.build())
    assert (result.added, result.removed) == (0, 0)
    assert project.outputs() == before
    project.write("new.txt", article("Fresh story", "Something new."))
    project.build()
    assert "tag:news.example,2026:news/articles/a" in project.item_ids()


def test_url_identity_survives_a_move_and_an_edit(tmp_path: Path) -> None:
    # An entry's canonical url is its id; a renamed and edited source keeps it. A real Markdown
    # fixture, whose front matter names its canonical url.
    project = make_project(tmp_path, articles={})
    config = project.feeds / "news.toml"
    config.write_text(config.read_text("utf-8").replace("*.txt", "*.md"), encoding="utf-8")
    fixture = FIXTURES / "markdown" / "hugo-newsroom.md"
    canonical = read_one(fixture).url
    assert canonical is not None and canonical.startswith("https://")
    project.write("one.md", fixture.read_bytes())
    project.build()
    assert project.item_ids() == [canonical]
    (project.articles / "one.md").rename(project.articles / "moved.md")
    text = fixture.read_text("utf-8")
    project.write("moved.md", text.replace("council votes", "council decides", 1))
    project.clock.advance(hours=1)
    result = only(project.build())
    assert (result.added, result.updated, result.removed) == (0, 1, 0)
    assert project.item_ids() == [canonical]
    assert [item["title"] for item in project.items().values()] == [
        read_one(project.articles / "moved.md").title]


def test_deleted_source_stays_for_the_grace_period(project: Project) -> None:
    project.build()
    (project.articles / "c.txt").unlink()
    project.clock.advance(hours=1)
    result = only(project.build())  # the grace runs from when a build first finds it gone
    assert result.removed == 0 and "Council meets" in project.items()
    project.clock.advance(hours=23)
    result = only(project.build())
    assert result.removed == 0 and "Council meets" in project.items()
    project.clock.advance(hours=2)
    result = only(project.build())
    assert result.removed == 1 and "Council meets" not in project.items()


def test_corrupted_source_keeps_its_last_good_entry_and_fails_the_run(project: Project) -> None:
    project.build()
    before = project.outputs()
    project.write("b.txt", b"")  # truncated by a half-finished copy
    project.clock.advance(hours=1)
    report = project.build()
    assert report.exit_code == 1
    result = only(report)
    assert [f.path for f in result.failures] == ["../articles/b.txt"]
    assert "no article text" in result.failures[0].reason
    assert project.outputs() == before  # the entry keeps its last good version
    assert project.build().exit_code == 1  # still reported while still broken
    project.write("b.txt", ARTICLES["b.txt"])
    assert project.build().exit_code == 0


def test_new_corrupt_source_fails_without_touching_the_feed(project: Project) -> None:
    project.build()
    project.write("zz.txt", b"\x00\xff" * 40)
    report = project.build()
    assert report.exit_code == 1
    assert only(report).failures[0].path == "../articles/zz.txt"
    assert len(project.items()) == 3


def test_a_source_whose_name_is_not_utf8_fails_alone(project: Project) -> None:
    """A file name that is not UTF-8 (the system gives it with surrogates) cannot be a ledger
    row or stand in an entry: it is a failed source, named as a report can print it, and the
    rest of the feed is built, every time (it used to fail the whole feed with a TypeError)."""
    project.build()
    (project.articles / "caf\udce9.txt").write_bytes(ARTICLES["b.txt"].encode())
    for _ in range(2):
        report = project.build()
        assert report.exit_code == 1
        result = only(report)
        assert [(f.path, f.reason) for f in result.failures] == [
            ("../articles/caf\\xe9.txt", "its name is not UTF-8; rename the file")]
        assert len(project.items()) == 3 and not result.errors


def test_two_feeds_publishing_one_file_is_a_configuration_error(project: Project) -> None:
    """A second feed whose RSS document has the first's name, in the same folder: each build
    wrote both, each over the other's, and a no-op rewrote it every time. The second is a
    configuration error naming both (exit 2); the first is built."""
    (project.feeds / "other.toml").write_text(
        CONFIG.format(extra='title = "Other"').replace('title = "Test News"\n', "")
        + 'rss = "news.rss.xml"\n', encoding="utf-8")
    report = project.build()
    assert report.exit_code == 2
    (error,) = report.config_errors
    assert error == (f"{project.feeds / 'other.toml'}: news.rss.xml in "
                     f"{project.public.resolve()} would be written by this feed and by "
                     f"{project.feeds / 'news.toml'}; give one of them other file names "
                     "([output])")
    assert [(feed.name, feed.ok) for feed in report.feeds] == [("news", True)]
    # built alone, it is refused all the same: the feed it would write over counts
    alone = project.build(names=("other",))
    assert (alone.exit_code, alone.config_errors, alone.feeds) == (2, [error], [])
    assert only(project.build(names=("news",))).ok


def test_a_feed_named_as_another_feeds_archive_page_is_a_configuration_error(
        tmp_path: Path) -> None:
    """Feed news is archived: news-archive-3.rss.xml will be one of its pages, so a feed named
    news-archive-3 beside it would one day write over it, or it over that."""
    project = make_project(tmp_path, extra="archive = true\n")
    (project.feeds / "news-archive-3.toml").write_text(
        (project.feeds / "news.toml").read_text("utf-8").replace("archive = true\n", ""),
        encoding="utf-8")
    report = project.build()
    assert report.exit_code == 2
    (error,) = report.config_errors
    assert error.startswith(f"{project.feeds / 'news.toml'}: news-archive-3.")
    assert f"would be written by this feed and by {project.feeds / 'news-archive-3.toml'}" \
        in error


def test_a_feed_source_that_comes_back_empty_keeps_its_entries(tmp_path: Path) -> None:
    """An upstream feed that holds no entry (a glitch upstream): a failed source, as an empty
    JSON export is, its entries kept; it removed them all at once and announced them deleted."""
    project = make_project(tmp_path, articles={})
    config = project.feeds / "news.toml"
    config.write_text(config.read_text("utf-8").replace('"../articles/*.txt"',
                                                        '"../articles/*.xml"'), "utf-8")
    wire = project.articles / "wire.xml"
    wire.write_bytes((FIXTURES / "feeds" / "agency-atom.xml").read_bytes())
    assert project.build().exit_code == 0
    before = project.items()
    assert before
    wire.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
                    "<id>urn:wire</id><updated>2026-03-01T00:00:00Z</updated></feed>", "utf-8")
    project.clock.advance(hours=1)
    report = project.build()
    assert report.exit_code == 1
    result = only(report)
    assert [(f.path, f.reason) for f in result.failures] == [
        ("../articles/wire.xml", "no entries: the feed is empty")]
    assert result.removed == 0 and project.items() == before


def _items_project(tmp_path: Path, suffix: str) -> Project:
    """A project whose one source is a file of many entries (`*.SUFFIX` in articles/)."""
    project = make_project(tmp_path, articles={})
    config = project.feeds / "news.toml"
    config.write_text(config.read_text("utf-8").replace('"../articles/*.txt"',
                                                        f'"../articles/*.{suffix}"'), "utf-8")
    return project


def _upstream_rss(*names: str) -> str:
    """An RSS feed of these items in this order, newest first, as feeds list them."""
    day = {"alpha": 1, "beta": 2, "gamma": 3}
    items = "".join(
        f"<item><title>{name} story</title><link>https://wire.example/{name}</link>"
        f"<guid>urn:wire:{name}</guid><pubDate>0{day[name]} Mar 2026 10:00:00 GMT</pubDate>"
        f"<description>What happened to {name} in town this week, in detail.</description></item>"
        for name in names)
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"<link>https://wire.example/</link><description>d</description>{items}"
            "</channel></rss>")


def test_an_upstream_feed_that_grows_at_the_top_keeps_every_items_id(tmp_path: Path) -> None:
    """Entries were matched to the ledger by their place in the source first: a new item at the
    top of an upstream feed took the id of the item that stood there, and every item below it
    the id of the one before (readers saw the same ids with other stories in them), and an item
    leaving from the top tombstoned one that was still there. Each item keeps its own id."""
    project = _items_project(tmp_path, "xml")
    upstream = project.articles / "wire.xml"
    upstream.write_text(_upstream_rss("beta", "alpha"), "utf-8")
    assert project.build().exit_code == 0
    before = {title: item["id"] for title, item in project.items().items()}
    assert before == {"alpha story": "urn:wire:alpha", "beta story": "urn:wire:beta"}
    modified = {t: item.get("date_modified") for t, item in project.items().items()}

    upstream.write_text(_upstream_rss("gamma", "beta", "alpha"), "utf-8")  # gamma on top
    project.clock.advance(hours=1)
    result = only(project.build())
    assert (result.added, result.updated, result.removed) == (1, 0, 0)
    items = project.items()
    assert {t: item["id"] for t, item in items.items()} == {**before,
                                                            "gamma story": "urn:wire:gamma"}
    assert {t: items[t].get("date_modified") for t in before} == modified

    upstream.write_text(_upstream_rss("gamma", "beta"), "utf-8")  # alpha leaves from the end
    project.clock.advance(hours=1)
    result = only(project.build())
    assert (result.added, result.updated, result.removed) == (0, 0, 1)
    assert {t: item["id"] for t, item in project.items().items()} == {
        "beta story": "urn:wire:beta", "gamma story": "urn:wire:gamma"}
    feed = json.loads((project.public / "news.json").read_text("utf-8"))
    assert [gone["id"] for gone in feed["_feedwright"]["deleted"]] == ["urn:wire:alpha"]


def test_items_that_share_a_guid_keep_their_ids_from_build_to_build(tmp_path: Path) -> None:
    """A broken upstream feed gives two items one guid: the second is known by its place (its
    id minted from it), and keeps it while the feed changes around it."""
    project = _items_project(tmp_path, "xml")
    upstream = project.articles / "wire.xml"
    twice = _upstream_rss("beta", "alpha").replace("urn:wire:beta", "urn:wire:alpha")
    upstream.write_text(twice, "utf-8")
    assert project.build().exit_code == 0
    before = {title: item["id"] for title, item in project.items().items()}
    assert len(set(before.values())) == 2
    for more in ("gamma", "delta"):
        upstream.write_text(twice.replace("<item>", f"<item><title>{more}</title>"
                                          f"<guid>urn:wire:{more}</guid><description>{more} "
                                          "news</description></item><item>", 1), "utf-8")
        project.clock.advance(hours=1)
        result = only(project.build())
        assert (result.added, result.updated) == (1, 0)
        ids = {title: item["id"] for title, item in project.items().items()}
        assert {title: ids[title] for title in before} == before


def test_an_export_whose_records_move_keeps_each_records_id_and_places_still_count(
        tmp_path: Path) -> None:
    """A record put first in a JSON Lines export keeps the id its url gave it; records with no
    id or url of their own are still known by their place, so editing one updates it."""
    project = _items_project(tmp_path, "ndjson")
    export = project.articles / "export.ndjson"

    def record(name: str, url: bool, body: str = "") -> str:
        fields = {"title": f"{name} record", "published": "2026-02-01T10:00:00Z",
                  "body": body or f"All about {name}, in a paragraph of its own."}
        return json.dumps({**fields, **({"url": f"https://wire.example/{name}"} if url else {})})

    export.write_text("\n".join([record("one", True), record("two", True), record("three", False),
                                 record("four", False)]) + "\n", "utf-8")
    assert project.build().exit_code == 0
    before = {title: item["id"] for title, item in project.items().items()}
    export.write_text("\n".join([record("two", True), record("one", True), record("three", False),
                                 record("four", False, "Four, edited.")]) + "\n", "utf-8")
    project.clock.advance(hours=1)
    result = only(project.build())
    assert (result.added, result.updated, result.removed) == (0, 1, 0)
    assert {title: item["id"] for title, item in project.items().items()} == before
    assert before["one record"] == "https://wire.example/one"


@pytest.mark.parametrize(("sources", "output"), [
    ('"../site/**/*.html"', "../site/feeds"),  # a feed published into the site it reads
    ('"../**"', "../public"),  # everything beside the feeds folder
])
def test_a_glob_that_reaches_the_feeds_own_output_does_not_read_it(
        tmp_path: Path, sources: str, output: str) -> None:
    """A glob reaching the folder the feed publishes into read its own page (one entry more,
    rewritten on every build), or its documents and stylesheet (three entries more on every
    build, and 'feedwright.xsl: not a feed'), as sources. What the build writes itself, and the
    feed's own TOML file, are left out; every other file the glob reaches is read."""
    project = make_project(tmp_path, articles={})
    posts = tmp_path / "site" / "posts"
    posts.mkdir(parents=True)
    pages = sorted((FIXTURES / "html").glob("*.html"))[:3]
    for page in pages:
        (posts / page.name).write_bytes(page.read_bytes())
    config = project.feeds / "news.toml"
    config.write_text(config.read_text("utf-8")
                      .replace('"../articles/*.txt"', sources).replace('"../public"', f'"{output}"')
                      .replace("page = false", "page = true")
                      .replace("stylesheet = false", "stylesheet = true"), "utf-8")
    first = only(project.build())
    assert (first.added, first.failures) == (len(pages), [])
    published = tmp_path / output.removeprefix("../")
    written = {p.name: p.read_bytes() for p in published.iterdir()}
    assert {"news.html", "news.json", "feedwright.xsl"} <= set(written)
    for _ in range(2):
        project.clock.advance(hours=1)
        again = only(project.build())
        assert (again.added, again.updated, again.removed, again.failures) == (0, 0, 0, [])
        assert {p.name: p.read_bytes() for p in published.iterdir()} == written


def test_limit_keeps_the_newest(tmp_path: Path) -> None:
    project = make_project(tmp_path, extra="limit = 2")
    project.build()
    assert list(project.items()) == ["Library opens late", "Harbour bridge to close"]


def test_summary_content_drops_the_body(tmp_path: Path) -> None:
    project = make_project(tmp_path, extra='content = "summary"')
    project.build()
    item = project.items()["Council meets"]
    assert "content_html" not in item or not item["content_html"]
    assert "council met today" in json.dumps(item).lower()


def test_dry_run_writes_nothing(project: Project) -> None:
    result = only(project.build(dry_run=True))
    assert result.ok and len(result.written) == 3
    assert not project.public.exists()
    result = only(project.build())
    assert result.added == 3  # the ledger was not touched by the dry run


def test_a_first_dry_run_leaves_no_file_at_all(tmp_path: Path) -> None:
    """A dry run where no ledger is yet: no ledger file and no lock file either (it left an
    empty SQLite ledger and its lock behind)."""
    project = make_project(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert len(only(project.build(dry_run=True)).written) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert only(project.build()).added == 3


def test_out_and_state_override_the_defaults(project: Project, tmp_path: Path) -> None:
    out, state = tmp_path / "elsewhere", tmp_path / "state" / "ledger.sqlite"
    assert project.build(out=out, state=state).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["news.atom.xml", "news.json", "news.rss.xml"]
    assert state.is_file() and not project.public.exists()


def test_out_as_a_file_url_keeps_the_ledger_where_a_path_does(tmp_path: Path) -> None:
    """-o file:///abs/dir is the folder /abs/dir: its SQLite ledger is beside it, as for the
    path (it went into a folder named 'file:' under the current one)."""
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    out = tmp_path / "elsewhere"
    assert project.build(out=f"file://{out}").exit_code == 0
    assert (tmp_path / ".feedwright-state.sqlite").is_file()
    assert sorted(p.name for p in out.iterdir()) == ["news.atom.xml", "news.json", "news.rss.xml"]
    assert only(project.build(out=out)).written == []  # the same ledger: nothing new


def test_a_file_url_is_read_as_a_url_host_and_escapes_and_all(tmp_path: Path) -> None:
    """file://localhost/abs/dir wrote to ./localhost/abs/dir, with a new ledger, and
    file:///abs/my%20out made a folder named 'my%20out'. A file url's host is this machine
    (empty or localhost: any other is refused) and its path is percent-decoded."""
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    out = tmp_path / "my out"
    assert project.build(out=f"file://localhost{str(out).replace(' ', '%20')}").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["news.atom.xml", "news.json", "news.rss.xml"]
    assert only(project.build(out=out)).written == []  # the same folder and ledger
    refused = subprocess.run([sys.executable, "-m", "feedwright", "build", "-o",
                              f"file://files.example{out}"], cwd=project.root,
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2 and "names a folder on this machine" in refused.stderr


def test_an_output_where_a_file_stands_says_so(tmp_path: Path) -> None:
    """-o naming a file, or a folder below one: the error says a file is in the way (it said
    "File exists"), whether the documents or the build's lock meet it first."""
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    blocking = tmp_path / "afile"
    blocking.write_text("x")
    (error,) = only(project.build(out=blocking)).errors
    assert error == f"{blocking}/news.rss.xml: cannot write: {blocking} is a file, not a folder"
    report = project.build(out=blocking / "sub")
    assert report.exit_code == 2 and report.config_errors == [
        f"{blocking}/.feedwright-state.sqlite.lock: cannot create the build lock: {blocking} "
        "is a file, not a folder"]


def test_a_lock_file_that_is_a_pipe_is_refused(tmp_path: Path) -> None:
    """A pipe where the lock file goes: no lock to hold (it ended in a traceback from
    ftruncate)."""
    project = make_project(tmp_path)
    os.mkfifo(project.root / ".feedwright-state.sqlite.lock")
    report = project.build()
    assert report.exit_code == 2 and report.config_errors == [
        f"{project.root}/.feedwright-state.sqlite.lock: cannot create the build lock: it is "
        "not a regular file"]


def test_config_error_is_exit_2_and_names_file_and_line(project: Project) -> None:
    (project.feeds / "broken.toml").write_text('title = "x"\nlinc = "y"\n', encoding="utf-8")
    report = project.build()
    assert report.exit_code == 2
    assert any("broken.toml:2: key 'linc' is not known" in e for e in report.config_errors)
    assert [f.name for f in report.feeds] == ["news"]  # the good feed is still built


def test_a_feed_file_that_is_a_pipe_is_an_error_not_a_wait(tmp_path: Path) -> None:
    """A pipe named *.toml in the feeds folder: reading it waited for a writer for ever, the
    build's lock held (every later cron run then exits 75). It is a configuration error, and
    the other feeds are built."""
    project = make_project(tmp_path)
    os.mkfifo(project.feeds / "pipe.toml")
    done = subprocess.run([sys.executable, "-m", "feedwright", "build", "-q"], cwd=project.root,
                          capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (
        2, "error: feeds/pipe.toml: cannot read: it is not a regular file\n")
    assert len(project.items()) == 3  # the good feed is built


def test_a_feed_file_with_windows_line_ends_reads_as_ever(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project.feeds / "news.toml"
    config.write_bytes(config.read_bytes().replace(b"\n", b"\r\n"))
    assert only(project.build()).ok


def test_a_ledger_inside_the_output_folder_is_a_configuration_error(tmp_path: Path) -> None:
    """state = "../public/s.sqlite" put the ledger, every entry's record in it, among the
    documents the site serves, and no warning said so."""
    project = make_project(tmp_path, extra='state = "../public/s.sqlite"')
    report = project.build()
    assert report.exit_code == 2
    (error,) = report.config_errors
    assert error.startswith(f"{project.feeds / 'news.toml'}: the ledger ")
    assert "is inside the output folder" in error and not project.public.exists()


def test_a_feed_file_that_starts_with_a_byte_order_mark_reads_as_without(tmp_path: Path) -> None:
    """Notepad saves UTF-8 with a BOM: the file failed as ':1: not valid TOML: Invalid
    statement'. It reads as it would without one, and an error in it keeps its line."""
    project = make_project(tmp_path)
    config = project.feeds / "news.toml"
    text = config.read_bytes()
    config.write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    assert only(project.build()).ok
    config.write_bytes(b"\xef\xbb\xbf" + text.replace(b'title = "Test News"', b"title = 3"))
    report = project.build()
    assert report.exit_code == 2
    assert report.config_errors[0].startswith(f"{config}:1: ")


def relative_urls(path: Path, config: FeedConfig) -> tuple[bytes, Callable[[], tuple[Entry, ...]]]:
    """A reader whose entries have relative urls: documents that fail validation."""
    data, parse = read_source(path, config)
    return data, lambda: tuple(dataclasses.replace(e, url="relative/page") for e in parse())


def test_a_build_that_fails_validation_keeps_the_previous_files(project: Project) -> None:
    project.build()
    before = project.outputs()

    project.write("a.txt", ARTICLES["a.txt"].replace("Sunday", "Monday"))
    project.clock.advance(hours=1)
    report = project.build(reader=relative_urls)
    assert report.exit_code == 1
    result = only(report)
    assert result.errors and all("url-absolute" in e for e in result.errors)
    assert result.written == []
    assert project.outputs() == before
    # Nothing was committed either: a good build now sees the edit as new.
    assert only(project.build()).updated == 1


def test_changed_reading_settings_re_read_unchanged_sources(project: Project) -> None:
    """A new time zone (or credit pattern, or feedwright version) changes what reading gives,
    even though no source's bytes changed: the build must read them again."""
    project.build()
    before = project.items()
    config = project.feeds / "news.toml"
    config.write_text(CONFIG.format(extra='timezone = "Pacific/Auckland"'), encoding="utf-8")
    project.clock.advance(hours=1)
    result = only(project.build())
    assert result.ok
    after = project.items()
    for title, item in after.items():
        assert item["id"] == before[title]["id"]
        moved = datetime.fromisoformat(before[title]["date_published"]) - datetime.fromisoformat(
            item["date_published"])
        assert moved == timedelta(hours=13)  # 6:04 am in Auckland (NZDT) is 13 hours earlier
    assert result.updated == 0  # the dates are the source's own; the content did not change
