"""`build --jobs N` (issue 12): sources read in N processes give the same published bytes and the
same ledger as reading them in this one, and a source failing in a worker is reported as it is
in process, with its path and reason."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest

from feedwright.build import read_source
from feedwright.config import FeedConfig, load_feed_config
from feedwright.emit import entry_bytes
from feedwright.ledger import EntryRow, FeedState
from feedwright.model import Entry
from feedwright.pipeline import render
from feedwright.pipeline.assemble import finish
from feedwright.pipeline.gather import POOL_FROM, gather, keeps_entries
from feedwright.pipeline.scan import scan
from feedwright.serialise import entry_from_json
from tests.helpers import TEXT_FIXTURES, descendants, still_running
from tests.test_build import ARTICLES, Project, make_project, only

Parse = Callable[[], tuple[Entry, ...]]


def pid_noting_reader(path: Path, config: FeedConfig) -> tuple[bytes, Parse]:
    """The build's reader, leaving the id of the process that read in readers/ (picklable, so
    a worker can run it). A worker waits a little for a second to show up, so that on a busy
    machine one worker does not read every source before the other has started."""
    readers = path.parent.parent / "readers"
    (readers / str(os.getpid())).touch()
    deadline = time.monotonic() + 10
    while (multiprocessing.parent_process() is not None and len(list(readers.iterdir())) < 2
           and time.monotonic() < deadline):
        time.sleep(0.01)
    return read_source(path, config)


def dying_reader(path: Path, config: FeedConfig) -> tuple[bytes, Parse]:
    """The build's reader, but a worker process reading `b.txt` kills itself (SIGKILL: as the
    kernel's OOM killer would); never the process that wrote its pid in parent.pid."""
    if path.name == "b.txt" and str(os.getpid()) != (
            path.parent.parent / "parent.pid").read_text():
        os.kill(os.getpid(), signal.SIGKILL)
    return read_source(path, config)


def hanging_reader(path: Path, config: FeedConfig) -> tuple[bytes, Parse]:
    """The build's reader, but a worker reading `b.txt` notes its pid in hung/ and never
    returns (as on a hung network mount), while the other worker reads on."""
    if path.name == "b.txt":
        (path.parent.parent / "hung" / str(os.getpid())).touch()
        while True:
            signal.pause()
    return read_source(path, config)


def reader_pids(project: Project) -> set[int]:
    return {int(p.name) for p in (project.root / "readers").iterdir()}


def many_articles() -> dict[str, str]:
    """Enough sources to start workers: every text fixture many times under other titles (so
    merge and order have work), the small articles, and two sources that fail to read."""
    articles = dict(ARTICLES)
    copies = -(-POOL_FROM // len(TEXT_FIXTURES))
    for n, path in enumerate(TEXT_FIXTURES * copies):
        text = path.read_text(encoding="utf-8")
        if n >= len(TEXT_FIXTURES):
            text = f"Copy {n} of {text}"
        articles[f"f{n:02d}-{path.name}"] = text
    articles["zz-empty.txt"] = ""
    articles["mm-binary.txt"] = "\x00\x01" * 40
    return articles


def ledger_rows(state: Path) -> list[tuple[object, ...]]:
    """Every row of every table, but for the published files' modification times (a second
    build writes them later)."""
    with sqlite3.connect(state) as db:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = []
        for table in tables:
            cursor = db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
            kept = [i for i, c in enumerate(cursor.description) if not c[0].startswith("mtime")
                    or table != "outputs"]
            rows += [(table, *(row[i] for i in kept)) for row in cursor]
        return rows


def build_with(project: Project, jobs: int) -> tuple[dict[str, bytes], list[tuple[object, ...]],
                                                     list[tuple[str, str]]]:
    state = project.root / ".feedwright-state.sqlite"
    state.unlink(missing_ok=True)
    shutil.rmtree(project.public, ignore_errors=True)
    shutil.rmtree(project.root / "readers", ignore_errors=True)
    (project.root / "readers").mkdir()
    report = project.build(jobs=jobs, reader=pid_noting_reader)
    assert report.exit_code == 1  # the two broken sources
    result = only(report)
    published = {p.name: p.read_bytes() for p in sorted(project.public.iterdir())}
    return published, ledger_rows(state), [(f.path, f.reason) for f in result.failures]


def test_two_jobs_publish_the_bytes_and_ledger_of_one(tmp_path: Path) -> None:
    project = make_project(tmp_path, articles=many_articles())
    one = build_with(project, jobs=1)
    assert reader_pids(project) == {os.getpid()}
    two = build_with(project, jobs=2)
    read_by = reader_pids(project)
    assert len(read_by) == 2 and os.getpid() not in read_by  # two workers read, not this one
    assert len(one[0]) == 3 and all(one[0].values())
    assert one[0] == two[0]  # every published byte
    assert one[1] == two[1]  # every ledger row: sources, entries, documents
    assert [path for path, _ in two[2]] == ["../articles/mm-binary.txt",
                                            "../articles/zz-empty.txt"]
    assert one[2] == two[2]  # the same path and reason, read in a worker or here
    assert "no article text" in dict(two[2])["../articles/zz-empty.txt"]


def test_few_sources_to_read_are_read_here_and_change_only_themselves(tmp_path: Path) -> None:
    project = make_project(tmp_path, articles=many_articles())
    build_with(project, jobs=2)
    project.write("b.txt", ARTICLES["b.txt"].replace("nine", "ten"))
    project.clock.advance(hours=1)
    shutil.rmtree(project.root / "readers")
    (project.root / "readers").mkdir()
    result = only(project.build(jobs=2, reader=pid_noting_reader))
    assert reader_pids(project) == {os.getpid()}  # one file to read starts no worker
    assert (result.added, result.updated) == (0, 1)
    assert "ten" in project.items()["Library opens late"]["content_html"]


#: A build in its own process, reading with hanging_reader (importable by its workers).
HANGING_BUILD = """
import sys
from pathlib import Path
from feedwright.build import run_build
from tests.test_build_jobs import hanging_reader
sys.exit(run_build(Path(sys.argv[1]), reader=hanging_reader, jobs=2).exit_code)
"""


def test_a_build_killed_outright_leaves_no_process_behind(tmp_path: Path) -> None:
    """A build SIGKILLed (the OOM killer, a cron timeout) while one reading worker is stuck in
    a source and the other has read on: the workers and the server they were forked from all
    end, where the pool's workers would wait for ever, holding their memory."""
    project = make_project(tmp_path, articles=many_articles())
    hung = project.root / "hung"
    hung.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-c", HANGING_BUILD, str(project.feeds)], cwd=project.root,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    try:
        while not any(hung.iterdir()):
            assert build.poll() is None, "the build ended before a worker hung"
            time.sleep(0.05)
        time.sleep(0.5)  # the other worker reads on, then waits
        below = descendants(build.pid)
        assert len(below) >= 3  # the fork server and two workers
        assert int(next(hung.iterdir()).name) in below
    finally:
        build.kill()
        build.wait()
    left = still_running(below, within=10)
    for pid in left:  # not to leave them to the next test's machine
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_a_reading_worker_killed_stops_the_build_with_the_last_documents_kept(
        tmp_path: Path) -> None:
    """A reading worker killed mid-build: the feed is not published, its error says what
    happened and how far reading got (no Python exception's name), the exit code is 1, and
    the documents of the last good build stay as they were."""
    project = make_project(tmp_path, articles=many_articles())
    (project.root / "parent.pid").write_text(str(os.getpid()))
    build_with(project, jobs=2)
    published = {p.name: p.read_bytes() for p in sorted(project.public.iterdir())}
    project.clock.advance(hours=1)
    for name, text in many_articles().items():  # every source to read again
        project.write(name, text + "\n")
    report = project.build(jobs=2, reader=dying_reader)
    assert report.exit_code == 1
    (error,) = only(report).errors
    assert re.fullmatch(r"build failed: \S+: reading stopped after \d+ of \d+ sources: a reading "
                        r"worker ended without its results \(killed, .*\); nothing was "
                        r"published, and the next build reads them again", error), error
    assert {p.name: p.read_bytes() for p in sorted(project.public.iterdir())} == published


def test_the_cli_takes_jobs_and_refuses_zero(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    run = [sys.executable, "-m", "feedwright", "build", "--config-dir", str(project.feeds)]
    done = subprocess.run([*run, "--jobs", "2"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(project.items()) == 3
    refused = subprocess.run([*run, "--jobs", "0"], capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and "--jobs" in refused.stderr


def test_emitting_the_entries_just_read_gives_the_bytes_of_their_records(tmp_path: Path) -> None:
    """A cold build emits the entries its workers read (kept beside their records); a build that
    reads nothing renders the same documents from the ledger's records: the same bytes, page and
    stylesheet included (the fixtures' dates in named zones such as BST among them)."""
    articles = many_articles()
    project = make_project(tmp_path, extra="limit = 0", articles=articles)
    config = project.feeds / "news.toml"
    config.write_text(config.read_text().replace("page = false\nstylesheet = false\n", ""))
    assert keeps_entries(load_feed_config(config), len(articles))
    from_entries, _, _ = build_with(project, jobs=2)
    assert {"news.html", "feedwright.xsl"} <= set(from_entries)
    for path in project.public.iterdir():
        path.unlink()
    shutil.rmtree(project.root / "readers")
    (project.root / "readers").mkdir()
    result = only(project.build(jobs=2, reader=pid_noting_reader))
    assert not list((project.root / "readers").iterdir())  # nothing read: all from records
    assert (result.added, result.updated) == (0, 0) and len(result.written) == 5
    assert {p.name: p.read_bytes() for p in project.public.iterdir()} == from_entries


def test_a_build_that_publishes_few_of_many_keeps_no_entry_beside_its_record(
        tmp_path: Path) -> None:
    """With a limit below what is read, the entries read are reduced to records alone (the few
    published are loaded back); without a limit, or in an archived feed, they are kept."""
    project = make_project(tmp_path, extra="limit = 2")
    config = load_feed_config(project.feeds / "news.toml")
    found = scan(config, [])
    gathered = gather(config, FeedState({}, {}), found)
    assert len(gathered) == 3 and all(r.entry is None for g in gathered for r in g.entries or ())
    unlimited = dataclasses.replace(config, limit=None)
    kept = gather(unlimited, FeedState({}, {}), found)
    assert all(r.entry is not None for g in kept for r in g.entries or ())
    assert keeps_entries(dataclasses.replace(config, archive=True), 10_000)
    assert keeps_entries(config, 2) and not keeps_entries(config, 3)


def test_documents_validated_in_workers_publish_what_validating_here_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With more than one job, big RSS and Atom documents are validated in worker processes
    while the next is emitted (render.Checking; the threshold lowered so these are big): the
    same published bytes, ledger rows and failures as one job."""
    monkeypatch.setattr(render, "CHECK_FROM", 1)
    project = make_project(tmp_path, articles=many_articles())
    one = build_with(project, jobs=1)
    two = build_with(project, jobs=2)
    assert len(one[0]) == 3 and one == two


def test_kept_entries_come_back_written_in_every_format_not_whole(tmp_path: Path) -> None:
    """The workers write each kept entry in the feed's formats as it will stand in the
    documents (render.prepare) and hand back those bytes instead of the entry; each part is
    what emitting the entry, finished as a new one, gives."""

    project = make_project(tmp_path, extra="limit = 0", articles=many_articles())
    config = load_feed_config(project.feeds / "news.toml")
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    spec = render.Preparing(config.tag_authority, config.name, moment,
                            config.content, config.formats)
    gathered = gather(config, FeedState({}, {}), scan(config, []), jobs=2,
                      prepare=partial(render.prepare, spec))
    reads = [r for g in gathered for r in g.entries or ()]
    assert len(reads) > POOL_FROM and all(r.entry is None and r.prepared for r in reads)
    for read in reads[:5]:
        assert read.prepared is not None and read.prepared.first_seen == moment
        row = EntryRow(read.prepared.id, "", 0, read.url, read.digest, moment, None, "",
                       read.record)
        entry = finish(row, config.content, entry_of=entry_from_json)
        assert read.prepared.parts == tuple(entry_bytes(entry, f) for f in config.formats)


def test_entries_the_build_writes_itself_wait_in_the_spool(tmp_path: Path) -> None:
    """Entries not written where they were read (one source changed in a feed of all its
    entries: the other 10,000 are written by the build) go to the spool as they are written,
    not memory (~25 KB an entry), and only the page's entries are kept finished; each format's
    entries come back as emitting them gives, in order."""
    from feedwright.emit.page import PAGE_ENTRIES
    from feedwright.pipeline.gather import Prepared, Spool
    from feedwright.pipeline.history import written_entries

    project = make_project(tmp_path, extra="limit = 0", articles=many_articles())
    config = load_feed_config(project.feeds / "news.toml")
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    reads = [r for g in gather(config, FeedState({}, {}), scan(config, [])) for r in
             g.entries or ()]
    rows = [EntryRow(f"tag:news.test,2026:{n}", "", 0, r.url, r.digest, moment, None, "",
                     r.record) for n, r in enumerate(reads)]
    assert len(rows) > PAGE_ENTRIES
    elsewhere = {"not one of these records": Prepared("x", moment, None, ())}
    expected = [finish(row, config.content, entry_of=entry_from_json) for row in rows]
    with Spool() as spool:
        done = written_entries(rows, config, None, entry_from_json, elsewhere, spool)
        assert done is not None
        page, written = done
        assert page == tuple(expected[:PAGE_ENTRIES])
        sizes = [len(entry_bytes(e, f)) for e in expected for f in config.formats]
        assert os.fstat(spool.writer().fd).st_size == sum(sizes)
        for fmt in config.formats:
            assert list(written[fmt].entries) == [entry_bytes(e, fmt) for e in expected]


def test_spooled_parts_come_back_as_written(tmp_path: Path) -> None:
    """The bytes the workers wrote wait in the build's spool, not in memory, and come back as
    they were written."""
    from feedwright.pipeline.gather import Spool

    project = make_project(tmp_path, extra="limit = 0")
    config = load_feed_config(project.feeds / "news.toml")
    spec = render.Preparing(config.tag_authority, config.name,
                            datetime(2026, 3, 1, 12, 0, tzinfo=UTC), config.content,
                            config.formats)
    gathered = gather(config, FeedState({}, {}), scan(config, []),
                      prepare=partial(render.prepare, spec))
    with Spool() as spool:
        spooled = [spool.spooled(g) for g in gathered]
        for before, after in zip(gathered, spooled, strict=True):
            for held, put in zip(before.entries or (), after.entries or (), strict=True):
                assert held.prepared is not None and put.prepared is not None
                assert put.prepared.parts == () and put.prepared.spots
                assert tuple(map(spool.get, put.prepared.spots)) == held.prepared.parts


def test_an_archived_feed_spliced_from_the_written_entries_is_its_render_from_records(
        tmp_path: Path) -> None:
    """Every archive and the subscription document (and the page), made from the entries
    written where they were read, equal the same documents rendered again from the ledger's
    records (the archived feed of tests/test_history.py)."""
    from tests.test_history import archived_project

    project = archived_project(tmp_path)
    config = project.feeds / "news.toml"
    config.write_text(config.read_text().replace("page = false\n", ""))
    assert only(project.build()).ok
    written = {p.name: p.read_bytes() for p in project.public.iterdir()}
    assert len(written) == 13  # 3 archives and the subscription document a format; the page
    for path in project.public.iterdir():
        path.unlink()
    result = only(project.build())
    assert (result.added, result.updated) == (0, 0) and len(result.written) == 13
    assert {p.name: p.read_bytes() for p in project.public.iterdir()} == written


def test_the_largest_document_is_what_decides_on_validation_workers(tmp_path: Path) -> None:
    """The build starts the workers' server early (while it is small) only when one document
    can hold enough entries for render.Checking: the limit caps it, an archived feed's
    subscription document holds up to a page more, and no limit means every entry."""
    from feedwright.build import largest_document

    config = load_feed_config(make_project(tmp_path, extra="limit = 50").feeds / "news.toml")
    assert largest_document(config, 10_000) == 50
    assert largest_document(config, 20) == 20
    assert largest_document(dataclasses.replace(config, limit=None), 10_000) == 10_000
    archived = dataclasses.replace(config, archive=True, archive_page_size=100)
    assert largest_document(archived, 10_000) == 150


def test_workers_put_the_entries_they_write_in_the_spool_themselves(tmp_path: Path) -> None:
    """Reading workers hand back only where their bytes stand in the build's spool (the file
    shared with them as they start), each part what writing the entry here gives, and no two
    parts overlapping (the workers write to the one file at once)."""
    from feedwright.pipeline.gather import Spool

    project = make_project(tmp_path, extra="limit = 0", articles=many_articles())
    config = load_feed_config(project.feeds / "news.toml")
    spec = render.Preparing(config.tag_authority, config.name,
                            datetime(2026, 3, 1, 12, 0, tzinfo=UTC), config.content,
                            config.formats)
    found = scan(config, [])
    here = gather(config, FeedState({}, {}), found, prepare=partial(render.prepare, spec))
    with Spool() as spool:
        there = gather(config, FeedState({}, {}), found, jobs=2,
                       prepare=partial(render.prepare, spec), spool=spool)
        reads = [(h, t) for g, w in zip(here, there, strict=True)
                 for h, t in zip(g.entries or (), w.entries or (), strict=True)]
        assert len(reads) > POOL_FROM
        spots = []
        for held, put in reads:
            assert held.prepared is not None and put.prepared is not None
            assert put.prepared.parts == () and len(put.prepared.spots) == len(config.formats)
            assert tuple(map(spool.get, put.prepared.spots)) == held.prepared.parts
            spots += put.prepared.spots
        ends = sorted(spots)
        assert all(a[0] + a[1] <= b[0] for a, b in pairwise(ends))
