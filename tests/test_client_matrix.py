"""The client matrix: the example feeds as `feedwright build` writes them, read item by item by
real feed clients, field by field, against the entries that went in.

Python clients (feedparser, reader) always run; the JavaScript clients (@extractus/feed-extractor,
feedsmith, rss-parser, pinned in tests/js/package-lock.json) run when node and npm are here, and
are skipped with the reason otherwise. What each client shows for each field is recorded in
docs/formats.md; CLIENT_FIELDS below is that table's source of truth for what is checked.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree
from reader import make_reader

from feedwright.build import load_configs
from feedwright.cli import main
from feedwright.emit.common import enclosures, lead_enclosure
from feedwright.ledger import Ledger
from feedwright.model import Entry, Feed
from feedwright.pipeline.assemble import assemble
from feedwright.validate import validate_document

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT / "feeds"
JS = Path(__file__).resolve().parent / "js"
SUFFIX = {"rss": ".rss.xml", "atom": ".atom.xml", "json": ".json"}
FIELDS = ("title", "link", "date", "authors", "summary", "content", "enclosures")

#: Clients whose one date is the entry's updated date, not its published date: for Atom,
#: feed-extractor shows <updated> (which Atom requires) as the item's date.
SHOWS_UPDATED = {("@extractus/feed-extractor", "atom")}

#: What each client shows, per format: only these fields are compared (the others it does not
#: show at all; docs/formats.md records both).
_ALL = frozenset(FIELDS)
CLIENT_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    "feedparser": {"rss": _ALL, "atom": _ALL},  # feedparser 6.0 reads no JSON Feed
    "reader": {"rss": _ALL, "atom": _ALL, "json": _ALL},
    # feed-extractor's entries have title, link, published and description, nothing more; its
    # JSON Feed description is the content's text, not the summary.
    "@extractus/feed-extractor": {
        "rss": frozenset({"title", "link", "date", "summary"}),
        "atom": frozenset({"title", "link", "date", "summary"}),
        "json": frozenset({"title", "link", "date"}),
    },
    "feedsmith": {"rss": _ALL, "atom": _ALL, "json": _ALL},
    # rss-parser reads no JSON Feed, and no enclosure links in Atom.
    "rss-parser": {"rss": _ALL, "atom": _ALL - {"enclosures"}},
}


@dataclass
class Seen:
    """One item as a client shows it."""

    id: str | None
    title: str | None = None
    link: str | None = None
    date: datetime | None = None
    authors: list[str] = field(default_factory=list)
    summary: str | None = None
    content: str | None = None
    enclosures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Built:
    folder: Path
    feeds: dict[str, Feed]  # feed name -> the model its documents were written from

    def documents(self) -> Iterator[tuple[str, str, Path]]:
        for name in sorted(self.feeds):
            for fmt, suffix in SUFFIX.items():
                yield name, fmt, self.folder / f"{name}{suffix}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every example feed built by the real CLI; the model read back from the build's ledger."""
    out = tmp_path_factory.mktemp("client-matrix") / "public"
    state = out.parent / "state.sqlite"  # beside the folder: one inside it is refused
    result = CliRunner().invoke(main, ["build", "--config-dir", str(FEEDS), "--out", str(out),
                                       "--state", str(state), "--quiet"])
    assert result.exit_code == 0, result.output
    configs, errors = load_configs(FEEDS, ())
    assert not errors
    with Ledger.open(state) as ledger:
        feeds = {c.name: assemble(c.feed(), ledger.load_entries(c.name).values(), limit=c.limit,
                                  content=c.content) for c in configs}
    return Built(out, feeds)


# --- what the model says each client should show ------------------------------------------------


def plain(fragment: str | None) -> str:
    """Text of an html (or plain) fragment with entities resolved and spaces collapsed."""
    if not fragment:
        return ""
    tree = etree.HTML(f"<div>{fragment}</div>")
    text = etree.tostring(tree, method="text", encoding="unicode") if tree is not None else ""
    return " ".join(html.unescape(text).split())


def expected_date(entry: Entry, updated_first: bool = False) -> datetime | None:
    stamp = (entry.updated or entry.published) if updated_first else \
        (entry.published or entry.updated)
    return stamp.value.replace(microsecond=0) if stamp is not None else None


def expected_enclosures(entry: Entry, fmt: str) -> list[str]:
    if fmt == "rss":  # RSS carries one: the lead image, else the first media file
        lead = lead_enclosure(entry)
        return [lead.url] if lead is not None else []
    return [e.url for e in enclosures(entry)]


def mismatches(entry: Entry, seen: Seen, fmt: str, fields: frozenset[str],
               updated_first: bool) -> list[str]:
    """Every field the client shows differently from the model, as readable lines."""
    wrong: list[str] = []

    def differ(name: str, want: object, got: object) -> None:
        wrong.append(f"{entry.id}: {name}: want {want!r}, client shows {got!r}")

    if "title" in fields and plain(seen.title) != plain(entry.title):
        differ("title", entry.title, seen.title)
    if "link" in fields and entry.url and seen.link != entry.url:
        differ("link", entry.url, seen.link)
    want_date = expected_date(entry, updated_first)
    if "date" in fields and want_date is not None and (
            seen.date is None or seen.date.timestamp() != want_date.timestamp()):
        differ("date", want_date.isoformat(), seen.date and seen.date.isoformat())
    if "authors" in fields and entry.authors:
        shown = " | ".join(seen.authors)
        missing = [a.name for a in entry.authors if a.name not in shown]
        if missing:
            differ("authors", [a.name for a in entry.authors], seen.authors)
    if "summary" in fields and entry.summary and plain(seen.summary) != plain(entry.summary):
        differ("summary", entry.summary, seen.summary)
    if "content" in fields and entry.content_html and \
            plain(seen.content) != plain(entry.content_html):
        differ("content", plain(entry.content_html)[:80], plain(seen.content)[:80])
    if "enclosures" in fields:
        missing_urls = [u for u in expected_enclosures(entry, fmt) if u not in seen.enclosures]
        if missing_urls:
            differ("enclosures", missing_urls, seen.enclosures)
    return wrong


def check_client(client: str, fmt: str, feed: Feed, items: list[Seen]) -> list[str]:
    by_id = {item.id: item for item in items}
    problems = [f"{client} shows {len(items)} items, {len(feed.entries)} went in"] \
        if len(items) != len(feed.entries) else []
    for entry in feed.entries:
        seen = by_id.get(entry.id)
        if seen is None:
            problems.append(f"{entry.id}: {client} shows no item with this id")
            continue
        problems.extend(mismatches(entry, seen, fmt, CLIENT_FIELDS[client][fmt],
                                   (client, fmt) in SHOWS_UPDATED))
    return problems


# --- the Python clients -------------------------------------------------------------------------


def _struct_time(value: object) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC)  # type: ignore[arg-type]


def read_feedparser(path: Path) -> list[Seen]:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [
        Seen(
            id=e.get("id"),
            title=e.get("title"),
            link=e.get("link"),
            date=_struct_time(e.get("published_parsed") or e.get("updated_parsed")),
            authors=[e["author"]] if e.get("author") else [],
            summary=e.get("summary"),
            content=e.content[0].value if e.get("content") else None,
            enclosures=[x.get("href") for x in e.get("enclosures", [])],
        )
        for e in parsed.entries
    ]


def read_reader(path: Path) -> list[Seen]:
    reader = make_reader(":memory:", feed_root=str(path.parent))
    try:
        reader.add_feed(path.name)
        reader.update_feeds()
        (feed,) = reader.get_feeds()
        assert feed.last_exception is None, feed.last_exception
        return [
            Seen(
                id=e.id,
                title=e.title,
                link=e.link,
                date=e.published or e.updated,
                authors=[a.name for a in e.authors if a.name],
                summary=e.summary,
                content=next((c.value for c in e.content if c.is_html), None),
                enclosures=[x.href for x in e.enclosures],
            )
            for e in reader.get_entries()
        ]
    finally:
        reader.close()


PYTHON_CLIENTS: dict[str, Callable[[Path], list[Seen]]] = {
    "feedparser": read_feedparser,
    "reader": read_reader,
}


@pytest.mark.parametrize("client", sorted(PYTHON_CLIENTS))
@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_python_client_reads_every_item(built: Built, client: str, fmt: str) -> None:
    if fmt not in CLIENT_FIELDS[client]:
        pytest.skip(f"{client} does not read {fmt}")
    problems: list[str] = []
    for name, document_fmt, path in built.documents():
        if document_fmt == fmt:
            found = check_client(client, fmt, built.feeds[name], PYTHON_CLIENTS[client](path))
            problems += [f"{path.name}: {p}" for p in found]
    assert not problems, "\n".join(problems)


# --- the JavaScript clients ---------------------------------------------------------------------


def _js_cache() -> Path:
    """node_modules for tests/js, outside the git tree, keyed by the lock file's contents."""
    lock = (JS / "package-lock.json").read_bytes()
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "feedwright-client-matrix" / hashlib.sha256(lock).hexdigest()[:16]


@pytest.fixture(scope="session")
def js_clients() -> Path:
    """A folder where `node read-feeds.mjs` runs: npm ci once, then reused across sessions."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("JavaScript clients not run: node and npm are not installed")
    folder = _js_cache()
    if not (folder / "node_modules" / ".package-lock.json").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(JS / name, folder / name)
        done = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                              cwd=folder, capture_output=True, text=True, check=False,
                              stdin=subprocess.DEVNULL, timeout=600)
        if done.returncode != 0:
            pytest.skip(f"JavaScript clients not run: npm ci failed (offline?): "
                        f"{done.stderr.strip()[-300:]}")
    shutil.copyfile(JS / "read-feeds.mjs", folder / "read-feeds.mjs")
    return folder


def _iso_or_rfc822(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return parsedate_to_datetime(value)


@pytest.fixture(scope="module")
def js_views(built: Built, js_clients: Path) -> Mapping[str, Mapping[str, object]]:
    paths = [str(path) for _, _, path in built.documents()]
    done = subprocess.run(["node", "read-feeds.mjs", *paths], cwd=js_clients,
                          capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL,
                          timeout=300)
    views: dict[str, dict[str, object]] = json.loads(done.stdout)
    return views


@pytest.mark.parametrize("client", ["@extractus/feed-extractor", "feedsmith", "rss-parser"])
@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_javascript_client_reads_every_item(built: Built, js_views: Mapping[str, Mapping[str,
                                            object]], client: str, fmt: str) -> None:
    if fmt not in CLIENT_FIELDS[client]:
        pytest.skip(f"{client} does not read {fmt}")
    problems: list[str] = []
    for name, document_fmt, path in built.documents():
        if document_fmt != fmt:
            continue
        view = views_of(js_views, path, client)
        items = [Seen(id=i["id"], title=i["title"], link=i["link"],
                      date=_iso_or_rfc822(i["date"]), authors=list(i["authors"]),
                      summary=i["summary"], content=i["content"],
                      enclosures=list(i["enclosures"])) for i in view]
        problems += [f"{path.name}: {p}" for p in check_client(client, fmt, built.feeds[name],
                                                               items)]
    assert not problems, "\n".join(problems)


def views_of(js_views: Mapping[str, Mapping[str, object]], path: Path,
             client: str) -> list[dict[str, object]]:
    result = js_views[str(path)][client]
    assert isinstance(result, dict)
    assert "error" not in result, result.get("error")
    items = result["items"]
    assert isinstance(items, list)
    return items


# --- every document clean, built and exported ---------------------------------------------------


def test_built_documents_raise_nothing(built: Built) -> None:
    """No error and no warning in anything the build wrote (W3C's checks are ours too)."""
    for _, fmt, path in built.documents():
        report = validate_document(path.read_bytes(), fmt)
        assert not report.issues, [f"{path.name}:{i.line}: {i.rule} {i.message}"
                                   for i in report.issues]


FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file())


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_exports_of_each_fixture_raise_nothing(tmp_path: Path, fmt: str) -> None:
    problems: list[str] = []
    for fixture in FIXTURES:
        out = tmp_path / f"{fixture.stem}{SUFFIX[fmt]}"
        result = CliRunner().invoke(main, [
            "export", str(fixture), "--feed", str(FEEDS / "mixed.toml"), "--format", fmt,
            "--self-url", f"https://example.org/feed{SUFFIX[fmt]}", "-o", str(out)])
        if result.exit_code != 0:
            problems.append(f"{fixture.name}: exit {result.exit_code}: {result.output[-300:]}")
            continue
        report = validate_document(out.read_bytes(), fmt)
        problems += [f"{fixture.name}:{i.line}: {i.rule} {i.message}" for i in report.issues]
    assert not problems, "\n".join(problems)


def test_no_item_keeps_a_made_up_atom_prefix(built: Built) -> None:
    for name in built.feeds:
        text = (built.folder / f"{name}.atom.xml").read_text("utf-8")
        assert re.search(r"<ns\d+:", text) is None
