"""Full history: archived feeds (RFC 5005), tombstones (RFC 6721), corrections and a feed whose
last source is gone. Real files, a real SQLite ledger, a clock passed in; every document is
validated and read back by feedparser and reader."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree
from reader import make_reader

from feedwright.config import ConfigError, load_feed_config
from feedwright.emit.history import NS_HISTORY, NS_TOMBSTONES
from feedwright.ledger import NOT_LOADED, Changes, DeletionRow, Ledger, open_ledger
from feedwright.validate import validate_document

from .test_build import T0, Project, article, make_project, only
from .test_ledger import SCHEMA_V2, entry_row

BASE = "https://news.example/feeds/"
ATOM = "{http://www.w3.org/2005/Atom}"
FORMATS = ("rss", "atom", "json")
NAMES = {"rss": "news.rss.xml", "atom": "news.atom.xml", "json": "news.json"}

#: limit 4 and pages of 2: the subscription document holds 4 or 5 entries; 10 articles give
#: three full archives (the six oldest) and four in the subscription document.
ARCHIVED = "archive = true\nlimit = 4\narchive_page_size = 2\ntombstone_days = 2\n"


def story(n: int) -> str:
    return article(f"Story {n:02d}", f"What happened on day {n}.",
                   f"9:00 am on {n} March 2025")


def archived_project(root: Path, count: int = 10) -> Project:
    return make_project(root, ARCHIVED, {f"s{n:02d}.txt": story(n) for n in range(1, count + 1)})


def archive_name(fmt: str, page: int) -> str:
    stem, _, rest = NAMES[fmt].partition(".")
    return f"{stem}-archive-{page}.{rest}"


def local(project: Project, url: str) -> Path:
    assert url.startswith(BASE), url
    return project.public / url[len(BASE):]


def ids_and_links(data: bytes, fmt: str) -> tuple[list[str], dict[str, str], bool]:
    """The entry ids of one document, its archive links (rel -> href) and whether it says it is
    an archive, read the way each format carries them."""
    if fmt == "json":
        doc = json.loads(data)
        ext = doc["_feedwright"]
        rels = {rel: ext[key] for rel, key in (("prev-archive", "prev_archive"),
                                               ("next-archive", "next_archive"),
                                               ("current", "current")) if key in ext}
        assert doc.get("next_url") == rels.get("prev-archive")  # JSON pages towards the past
        return [i["id"] for i in doc["items"]], rels, ext.get("archive") is True
    root = etree.fromstring(data)
    parent = root if fmt == "atom" else root.find("channel")
    assert parent is not None
    rels = {link.get("rel"): link.get("href") for link in parent.findall(f"{ATOM}link")
            if link.get("rel") in ("prev-archive", "next-archive", "current")}
    if fmt == "atom":
        ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    else:
        ids = [i.findtext("guid") for i in parent.iter("item")]
    return [i for i in ids if i], rels, parent.find(f"{{{NS_HISTORY}}}archive") is not None


def follow(project: Project, fmt: str) -> list[list[str]]:
    """Entry ids per document, from the subscription document back through prev-archive,
    checking each document's links and marks as it goes."""
    path, seen, pages = project.public / NAMES[fmt], set(), []
    subscription = BASE + NAMES[fmt]
    while True:
        assert path not in seen, f"a loop at {path}"
        seen.add(path)
        data = path.read_bytes()
        report = validate_document(data, fmt)
        assert report.ok and not report.warnings, (path.name, report.issues)
        ids, rels, is_archive = ids_and_links(data, fmt)
        assert is_archive == (len(pages) > 0), path.name
        if is_archive:
            assert rels["current"] == subscription
        pages.append(ids)
        if "prev-archive" not in rels:
            return pages
        path = local(project, rels["prev-archive"])


def ledger_ids(project: Project) -> set[str]:
    with project.ledger() as ledger:
        return set(ledger.load_entries("news"))


#: The tests below that use it run on SQLite and on PostgreSQL (the `backend` fixture): they are
#: the ones that write and read archive pages and deletions.
OnBackend = Callable[[Project], Project]


@pytest.mark.parametrize("fmt", FORMATS)
def test_following_the_archive_links_reaches_every_entry_exactly_once(
        tmp_path: Path, fmt: str, on_backend: OnBackend) -> None:
    project = on_backend(archived_project(tmp_path))
    assert only(project.build()).ok
    pages = follow(project, fmt)
    assert [len(p) for p in pages] == [4, 2, 2, 2]  # subscription, then newest archive first
    counts = Counter(i for page in pages for i in page)
    assert set(counts) == ledger_ids(project) and set(counts.values()) == {1}
    # the newest entries are in the subscription document
    first = json.loads((project.public / "news.json").read_bytes())["items"]
    assert [i["title"] for i in first] == ["Story 10", "Story 09", "Story 08", "Story 07"]


@pytest.mark.parametrize("count", [1, 5])
def test_an_archived_feed_before_its_first_archive_links_to_none(tmp_path: Path,
                                                                  count: int) -> None:
    """A new archived feed whose entries all fit its subscription document (fewer than limit
    plus a page) has no archive to link to: it linked to itself as its prev-archive, which a
    JSON Feed's next_url refuses, so such a feed was never published."""
    project = archived_project(tmp_path, count)
    assert only(project.build()).ok
    assert sorted(p.name for p in project.public.iterdir()) == sorted(NAMES.values())
    for fmt in FORMATS:
        pages = follow(project, fmt)  # valid, no warnings, the subscription document alone
        assert [len(page) for page in pages] == [count]


def test_every_document_reads_in_feedparser_and_reader(tmp_path: Path) -> None:
    project = archived_project(tmp_path)
    only(project.build())
    documents = sorted(p.name for p in project.public.iterdir())
    assert len(documents) == 12  # (subscription + 3 archives) x 3 formats
    client = make_reader(":memory:", feed_root=str(project.public))
    try:
        for name in documents:
            if not name.endswith(".json"):  # feedparser reads no JSON Feed
                parsed = feedparser.parse((project.public / name).read_bytes())
                assert not parsed.bozo, (name, parsed.get("bozo_exception"))
                assert parsed.entries
            client.add_feed(name)
        client.update_feeds()
        titles = Counter(e.title for e in client.get_entries())
        assert titles == Counter({f"Story {n:02d}": 3 for n in range(1, 11)})
    finally:
        client.close()


def test_full_archives_never_change_and_a_full_page_writes_one_archive(tmp_path: Path) -> None:
    project = archived_project(tmp_path)
    only(project.build())
    before = project.outputs()
    project.clock.advance(hours=1)
    project.write("s11.txt", story(11))  # the subscription document now holds 5: no page yet
    result = only(project.build())
    assert sorted(Path(p).name for p in result.written) == sorted(NAMES.values())
    after = project.outputs()
    assert {n: v for n, v in after.items() if "archive" in n} == \
        {n: v for n, v in before.items() if "archive" in n}

    project.clock.advance(hours=1)
    project.write("s12.txt", story(12))  # 6 = limit + page size: the two oldest fill page 4
    result = only(project.build())
    assert sorted(Path(p).name for p in result.written) == sorted(
        [*NAMES.values(), *(archive_name(f, 4) for f in FORMATS)])
    latest = project.outputs()
    assert {n: v for n, v in latest.items() if n in before and "archive" in n} == \
        {n: v for n, v in before.items() if "archive" in n}
    for fmt in FORMATS:
        pages = follow(project, fmt)
        assert [len(p) for p in pages] == [4, 2, 2, 2, 2]
        assert set(Counter(i for p in pages for i in p).values()) == {1}

    project.clock.advance(hours=1)
    assert only(project.build()).written == []  # a no-op touches nothing
    assert project.outputs() == latest


def test_an_edit_of_an_old_entry_rewrites_only_its_archive(tmp_path: Path,
                                                          on_backend: OnBackend) -> None:
    project = on_backend(archived_project(tmp_path))
    only(project.build())
    before = project.outputs()
    page_one = json.loads((project.public / archive_name("json", 1)).read_bytes())["items"]
    old = next(i for i in page_one if i["title"] == "Story 01")
    assert "date_modified" not in old

    project.clock.advance(days=3)
    project.write("s01.txt", article("Story 01", "A correction: it happened in the evening.",
                                     "9:00 am on 1 March 2025"))
    result = only(project.build())
    assert result.updated == 1
    assert sorted(Path(p).name for p in result.written) == sorted(
        archive_name(f, 1) for f in FORMATS)
    after = project.outputs()
    assert {n: v for n, v in after.items() if "-archive-1." not in n} == \
        {n: v for n, v in before.items() if "-archive-1." not in n}
    # The correction keeps its id and gets a new updated: the time of the build that saw it.
    page_one = json.loads((project.public / archive_name("json", 1)).read_bytes())["items"]
    new = next(i for i in page_one if i["title"] == "Story 01")
    assert new["id"] == old["id"] and new["date_published"] == old["date_published"]
    assert new["date_modified"] == project.clock.now.isoformat()
    atom = feedparser.parse((project.public / archive_name("atom", 1)).read_bytes())
    entry = next(e for e in atom.entries if e.title == "Story 01")
    assert entry.id == old["id"] and entry.updated == project.clock.now.isoformat()


def test_a_deleted_archive_document_is_written_again(tmp_path: Path) -> None:
    project = archived_project(tmp_path)
    only(project.build())
    before = project.outputs()
    (project.public / archive_name("rss", 2)).unlink()
    result = only(project.build())
    assert [Path(p).name for p in result.written] == [archive_name("rss", 2)]
    assert project.outputs()[archive_name("rss", 2)][0] == before[archive_name("rss", 2)][0]


def tombstones(project: Project) -> dict[str, list[tuple[str, str]]]:
    """(ref, when) of every deletion each format announces."""
    atom = etree.parse(str(project.public / NAMES["atom"])).getroot()
    rss = etree.parse(str(project.public / NAMES["rss"])).getroot()
    data: dict[str, Any] = json.loads((project.public / NAMES["json"]).read_bytes())
    return {
        "atom": [(t.get("ref"), t.get("when"))
                 for t in atom.iter(f"{{{NS_TOMBSTONES}}}deleted-entry")],
        "rss": [(t.get("ref"), t.get("when"))
                for t in rss.iter("{https://feedwright.dev/ns/attribution/1.0}deleted-entry")],
        "json": [(t["id"], t["when"]) for t in data["_feedwright"].get("deleted", [])],
    }


def validate_all(project: Project) -> None:
    for path in sorted(project.public.iterdir()):
        fmt = next(f for f, n in NAMES.items() if path.name.endswith(n.partition(".")[2]))
        report = validate_document(path.read_bytes(), fmt)
        assert report.ok and not report.warnings, (path.name, report.issues)
        if fmt != "json":  # feedparser reads no JSON Feed; reader does (below)
            assert not feedparser.parse(path.read_bytes()).bozo, path.name


def test_tombstones_appear_after_the_grace_period_and_go_after_the_configured_time(
        tmp_path: Path, on_backend: OnBackend) -> None:
    project = on_backend(make_project(tmp_path, "tombstone_days = 2\n"))  # deleted_grace_days = 1
    only(project.build())
    gone = project.items()["Library opens late"]["id"]
    (project.articles / "b.txt").unlink()

    project.clock.advance(hours=1)
    only(project.build())  # finds it gone: the grace period starts
    project.clock.advance(hours=23)
    only(project.build())
    assert "Library opens late" in project.items()  # within the grace period
    assert tombstones(project) == {"atom": [], "rss": [], "json": []}

    project.clock.advance(hours=1)  # past the grace period: the entry goes, announced
    result = only(project.build())
    assert result.ok and result.removed == 1
    removed_at = project.clock.now.isoformat()
    assert "Library opens late" not in project.items()
    assert tombstones(project) == {f: [(gone, removed_at)] for f in FORMATS}
    validate_all(project)
    held = project.outputs()

    project.clock.advance(days=1)  # later builds print the ledger's time: byte for byte
    assert only(project.build()).written == []
    assert project.outputs() == held

    project.clock.advance(days=1)  # two days after the removal: no longer announced
    result = only(project.build())
    assert result.ok and len(result.written) == 3
    assert tombstones(project) == {"atom": [], "rss": [], "json": []}
    validate_all(project)


def test_an_entry_that_comes_back_loses_its_tombstone(tmp_path: Path,
                                                     on_backend: OnBackend) -> None:
    project = on_backend(make_project(tmp_path))  # deleted_grace_days = 1
    only(project.build())
    text = (project.articles / "c.txt").read_bytes()
    (project.articles / "c.txt").unlink()
    only(project.build())
    project.clock.advance(days=2)
    only(project.build())
    assert len(tombstones(project)["atom"]) == 1
    project.write("c.txt", text)
    project.clock.advance(hours=1)
    only(project.build())
    assert tombstones(project)["atom"] == [] and "Council meets" in project.items()


def test_removing_the_last_source_publishes_an_empty_feed_with_tombstones(
        tmp_path: Path, on_backend: OnBackend) -> None:
    project = on_backend(make_project(tmp_path))
    only(project.build())
    ids = sorted(project.item_ids())
    for path in project.articles.iterdir():
        path.unlink()
    assert only(project.build()).ok  # finds them gone: the grace period starts
    project.clock.advance(days=2)  # past the grace period of a day
    result = only(project.build())
    assert result.ok and result.removed == 3, result.errors
    assert project.items() == {}
    removed_at = project.clock.now.isoformat()
    assert {f: sorted(t) for f, t in tombstones(project).items()} == \
        {f: [(i, removed_at) for i in ids] for f in FORMATS}
    validate_all(project)
    atom = feedparser.parse((project.public / NAMES["atom"]).read_bytes())
    assert atom.entries == [] and atom.feed.updated == removed_at  # dated by the deletion
    held = project.outputs()
    project.clock.advance(hours=1)
    assert only(project.build()).written == [] and project.outputs() == held

    project.clock.advance(days=30)  # tombstone_days (30 by default) later: they expire
    assert only(project.build()).ok
    assert tombstones(project) == {"atom": [], "rss": [], "json": []}
    validate_all(project)
    atom = feedparser.parse((project.public / NAMES["atom"]).read_bytes())
    assert atom.feed.updated == removed_at
    client = make_reader(":memory:", feed_root=str(project.public))
    try:
        for name in NAMES.values():
            client.add_feed(name)
        client.update_feeds()
        assert list(client.get_entries()) == []
        assert all(f.last_exception is None for f in client.get_feeds())
    finally:
        client.close()


@pytest.mark.parametrize(("extra", "message"), [
    ("archive = true\nlimit = 0\n", "an archived feed needs a 'limit' of 1 or more"),
    ('archive = "yes"\n', "key 'archive' must be true or false"),
    ("archive = true\narchive_page_size = 0\n", "'archive_page_size' must be 1 or more"),
    ("archive_page_size = 10\n", "'archive_page_size' needs 'archive = true'"),
    ("tombstone_days = -1\n", "'tombstone_days' must be a number of days"),
    ("tombstone_days = inf\n", "'tombstone_days' must be a number of days, 0 or more and at most"),
])
def test_history_settings_are_checked(tmp_path: Path, extra: str, message: str) -> None:
    project = make_project(tmp_path, extra)
    with pytest.raises(ConfigError, match=message) as caught:
        load_feed_config(project.feeds / "news.toml")
    assert str(caught.value).startswith(f"{project.feeds / 'news.toml'}:")


def test_an_archived_feed_needs_a_base_url(tmp_path: Path) -> None:
    path = tmp_path / "news.toml"
    path.write_text('title = "T"\nlink = "https://n.example/"\ntag_authority = "n.example,2026"\n'
                    'sources = ["*.txt"]\narchive = true\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="an archived feed needs 'base_url'"):
        load_feed_config(path)


def test_an_old_ledger_gains_pages_and_deletions_and_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V2)
    db.close()
    gone = DeletionRow("tag:x.org,2026:b", "b.txt", "https://x.org/b", T0)
    with Ledger.open(path) as ledger:
        assert ledger.load_pages("news") == {} and ledger.load_deletions("news") == {}
        ledger.apply("news", Changes(put_pages=(("tag:x.org,2026:a", 1),),
                                     put_deletions=(gone,)))
    with Ledger.open(path) as ledger:
        assert ledger.load_pages("news") == {"tag:x.org,2026:a": 1}
        assert ledger.load_deletions("news") == {gone.id: gone}
        assert ledger.load_entries("news") == {"tag:x.org,2026:a": entry_row("tag:x.org,2026:a")}
        ledger.apply("news", Changes(drop_entries=("tag:x.org,2026:a",),
                                     drop_deletions=(gone.id,)))
        assert ledger.load_pages("news") == {} and ledger.load_deletions("news") == {}


def test_entries_load_with_only_the_records_asked_for(tmp_path: Path,
                                                      state_for: Callable[[Path], str]) -> None:
    """A rendering build reads the records of the sources it read; the rest come by id, and a
    row without its record is never written back."""
    with open_ledger(state_for(tmp_path)) as ledger:
        rows = (entry_row("tag:x.org,2026:a", "a.txt"), entry_row("tag:x.org,2026:b", "b.txt"))
        ledger.apply("news", Changes(put_entries=rows))
        light = ledger.load_entries("news", {"a.txt"})
        assert light["tag:x.org,2026:a"] == rows[0]
        assert light["tag:x.org,2026:b"].record == NOT_LOADED
        assert ledger.load_records("news", ["tag:x.org,2026:b"]) == {rows[1].id: rows[1].record}
        with pytest.raises(ValueError, match="without its record"):
            ledger.apply("news", Changes(put_entries=(light["tag:x.org,2026:b"],)))
        assert ledger.load_entries("news") == {r.id: r for r in rows}


def test_an_archived_entry_removed_leaves_its_archive_and_is_announced(tmp_path: Path,
        on_backend: OnBackend) -> None:
    project = on_backend(archived_project(tmp_path))
    only(project.build())
    gone = next(i["id"] for i in json.loads(
        (project.public / archive_name("json", 1)).read_bytes())["items"]
        if i["title"] == "Story 01")
    before = project.outputs()
    (project.articles / "s01.txt").unlink()
    only(project.build())  # the grace period (a day) starts
    project.clock.advance(days=2)
    result = only(project.build())
    assert result.removed == 1
    assert sorted(Path(p).name for p in result.written) == sorted(
        [*NAMES.values(), *(archive_name(f, 1) for f in FORMATS)])
    after = project.outputs()
    assert {n: v for n, v in after.items() if "-archive-1." not in n and n not in NAMES.values()} \
        == {n: v for n, v in before.items() if "-archive-1." not in n and n not in NAMES.values()}
    assert tombstones(project) == {f: [(gone, project.clock.now.isoformat())] for f in FORMATS}
    for fmt in FORMATS:
        counts = Counter(i for page in follow(project, fmt) for i in page)
        assert set(counts) == ledger_ids(project) and gone not in counts
        assert set(counts.values()) == {1}


def test_a_dry_run_of_an_archived_feed_writes_nothing(tmp_path: Path) -> None:
    project = archived_project(tmp_path)
    result = only(project.build(dry_run=True))
    assert result.ok and len(result.written) == 12  # what it would write
    assert not project.public.exists() or list(project.public.iterdir()) == []
    assert not (project.root / ".feedwright-state.sqlite").exists() or ledger_ids(project) == set()


def test_a_rename_that_fails_stops_the_others_and_archives_go_first(tmp_path: Path) -> None:
    """Documents were renamed into place in the order they were made, subscription documents
    first, and a failed rename did not stop the others: a build stopped or failing before a
    new archive page was in place left prev-archive naming a page that was not there. Archive
    pages go in first, and the first rename that fails stops the rest (the next build, finding
    them not current, publishes them)."""
    project = archived_project(tmp_path, 6)  # one archive of the two oldest
    assert project.build().exit_code == 0
    before = {p.name: p.read_bytes() for p in project.public.iterdir()}
    project.write("s01.txt", story(1).replace("What happened", "What really happened"))
    project.write("s07.txt", story(7))  # and a new one: the subscription documents change too
    locked = project.public / archive_name("rss", 1)
    made = subprocess.run(["chattr", "+i", str(locked)], capture_output=True, check=False)
    if made.returncode != 0:  # (a file system without attributes, or not root)
        pytest.skip(f"chattr +i refused: {made.stderr.decode().strip()}")
    try:
        project.clock.advance(hours=1)
        report = project.build()
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert report.exit_code == 1
    assert {p.name: p.read_bytes() for p in project.public.iterdir()} == before
    for fmt in FORMATS:
        follow(project, fmt)  # each page it links to is there, and valid
    project.clock.advance(hours=1)
    result = only(project.build())
    assert result.ok and result.written
    for fmt in FORMATS:
        assert sum(map(len, follow(project, fmt))) == 7


def test_the_publish_order_puts_what_is_linked_to_first() -> None:
    from feedwright.pipeline.commit import publish_order
    from feedwright.pipeline.render import PAGE, STYLESHEET

    names = [("news.html", PAGE), ("news.rss.xml", "rss"), ("feedwright.xsl", STYLESHEET),
             ("news-archive-2.rss.xml", "rss"), ("news.json", "json")]
    assert [n for n, _ in sorted(names, key=lambda pair: publish_order(*pair))] == [
        "news-archive-2.rss.xml", "feedwright.xsl", "news.rss.xml", "news.json", "news.html"]


def test_a_build_that_renamed_some_documents_before_one_failed_says_so(tmp_path: Path) -> None:
    project = archived_project(tmp_path, 6)
    assert project.build().exit_code == 0
    project.write("s01.txt", story(1).replace("What happened", "What really happened"))
    project.write("s07.txt", story(7))
    locked = project.public / NAMES["rss"]  # renamed after the archive pages
    made = subprocess.run(["chattr", "+i", str(locked)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i refused: {made.stderr.decode().strip()}")
    try:
        project.clock.advance(hours=1)
        result = only(project.build())
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert result.errors and result.written  # the archive pages went in first
    assert all("-archive-" in name for name in result.written)
    assert result.summary().endswith(
        " - PARTLY PUBLISHED: 3 written before the error, the others kept; the next build "
        "publishes the rest")


def test_an_archive_emptied_by_deletions_is_rewritten_and_its_number_not_reused(
        tmp_path: Path) -> None:
    """Deleting every entry of the newest archive left that page on the server, its entries
    still in it (it was no longer planned, so never rewritten), and the next new page took its
    number with other entries: a reader who had cached it never saw them. The emptied page is
    rewritten without them, and the next page gets a number of its own."""
    project = archived_project(tmp_path)  # archives 1-3 hold stories 1-6
    assert project.build().exit_code == 0
    third = {fmt: set(follow(project, fmt)[1]) for fmt in FORMATS}  # archive 3: after sub
    for n in (5, 6):
        (project.articles / f"s{n:02d}.txt").unlink()
    assert project.build().exit_code == 0  # gone: in the grace period
    project.clock.advance(days=3)
    assert project.build().exit_code == 0  # past it: deleted
    for fmt in FORMATS:
        pages = follow(project, fmt)
        assert len(pages) == 4 and pages[1] == []  # archive 3, now empty
        assert not third[fmt] & {i for page in pages for i in page}
        data = (project.public / archive_name(fmt, 3)).read_bytes()
        assert b"Story 05" not in data and b"Story 06" not in data
    for n in (11, 12):
        project.write(f"s{n:02d}.txt", story(n))
    project.clock.advance(hours=1)
    assert project.build().exit_code == 0
    for fmt in FORMATS:
        pages = follow(project, fmt)
        assert [len(page) for page in pages] == [4, 2, 0, 2, 2]  # archive 4 is new, 3 empty
        ids = [i for page in pages for i in page]
        assert len(ids) == len(set(ids)) == 10


def test_a_copy_that_changes_an_archived_article_rewrites_its_archive(tmp_path: Path) -> None:
    """A second source's copy of an archived article, adding an author, changed what that
    archive shows, but only the subscription document was considered (the copy's own id has
    no page): the archive kept its old bytes, and a build from scratch gave others. The page
    of the copy's lead is rewritten, as when the copy leaves again."""
    project = archived_project(tmp_path)
    assert project.build().exit_code == 0
    copy = story(1).replace("By Jane Smith", "By Jane Smith and Ana Silva")
    project.write("copy-of-s01.txt", copy)
    project.clock.advance(hours=1)
    assert project.build().exit_code == 0
    page = (project.public / archive_name("atom", 1)).read_bytes()
    assert b"Ana Silva" in page
    from_scratch = tmp_path / "again"
    from_scratch.mkdir()
    fresh = make_project(from_scratch, ARCHIVED, {
        **{f"s{n:02d}.txt": story(n) for n in range(1, 11)}, "copy-of-s01.txt": copy})
    fresh.clock = project.clock
    assert fresh.build().exit_code == 0
    assert (fresh.public / archive_name("atom", 1)).read_bytes().count(b"Ana Silva") == \
        page.count(b"Ana Silva")
    (project.articles / "copy-of-s01.txt").unlink()
    assert project.build().exit_code == 0  # gone: in the grace period
    project.clock.advance(days=3)
    assert project.build().exit_code == 0  # past it
    assert b"Ana Silva" not in (project.public / archive_name("atom", 1)).read_bytes()
