"""The documents' validation workers (pipeline.render.Checking) when things go wrong: a worker
killed before its report, one that will not stop, a build gone from the other end of the pipe;
and an entry no XML format can hold, written where it is read (render.prepare) or by the build
(render.render). Real worker processes, real pipes, the real validator."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

from feedwright.model import Agent, AgentKind, Entry, Feed, Timestamp
from feedwright.pipeline.gather import reduce_entry
from feedwright.pipeline.render import (
    Checking,
    Document,
    Preparing,
    hand_over,
    prepare,
    render,
    serve_checks,
)
from feedwright.validate import validate_document
from tests.helpers import descendants, still_running

MOMENT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def feed_of(*titles: str) -> Feed:
    entries = tuple(Entry(
        id=f"tag:example.test,2026:story-{n}", title=title, url=f"https://example.test/{n}",
        content_html=f"<p>Story {n}: {title}.</p>",
        published=Timestamp(datetime(2026, 3, 1, 9, n, tzinfo=UTC), "test"))
        for n, title in enumerate(titles))
    return Feed(id="tag:example.test,2026:feed", title="Workers", link="https://example.test/",
                authors=(Agent("Desk", AgentKind.ORGANIZATION),),
                self_url="https://example.test/feed.rss", entries=entries)


RSS = Document("rss", "feed.rss", "https://example.test/feed.rss")


def workers_since(before: set[BaseProcess]) -> list[BaseProcess]:
    return [p for p in multiprocessing.active_children() if p not in before]


def stopped_worker(checking: Checking, before: set[BaseProcess]) -> BaseProcess:
    """The one worker `checking` starts for a first document, stopped (SIGSTOP) once idle
    after its report."""
    (a,) = render(feed_of("One"), [RSS], checking)
    assert a.errors() == []
    (worker,) = workers_since(before)
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGSTOP)
    return worker


def test_a_worker_idle_after_its_report_takes_the_next_document() -> None:
    """Two documents one after the other, with two workers allowed: the first worker, done,
    validates the second too (no second process), and each report is the one made here."""
    first, second = feed_of("One"), feed_of("One", "Two")
    before = set(multiprocessing.active_children())
    with Checking(2, least=1) as checking:
        (a,) = render(first, [RSS], checking)
        assert a.pending is not None and a.errors() == []
        (b,) = render(second, [RSS], checking)
        assert b.pending is not None and b.errors() == []
        assert len(workers_since(before)) == 1
    assert a.data is not None and b.data is not None
    assert a.report == validate_document(a.data, "rss")
    assert b.report == validate_document(b.data, "rss")
    assert workers_since(before) == []  # and stopped on leaving


def test_a_worker_killed_before_its_report_is_an_error_naming_the_document() -> None:
    """The worker stopped (SIGSTOP) while idle, handed a document (it sits in the pipe) and
    killed: the report never comes, and waiting for it says which document was not validated,
    never hangs."""
    before = set(multiprocessing.active_children())
    with Checking(2, least=1) as checking:
        worker = stopped_worker(checking, before)
        assert worker.pid is not None
        (b,) = render(feed_of("One", "Two"), [dataclasses.replace(RSS, name="next.rss")],
                      checking)
        assert b.pending is not None and b.deferred is not None
        b.deferred.start()  # handed over from its bytes, as publish does with nothing staged
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
        with pytest.raises(RuntimeError) as failed:
            b.errors()
        assert str(failed.value) == "next.rss: a validation worker ended without its report"
    assert worker.exitcode == -signal.SIGKILL
    assert workers_since(before) == []


def test_a_worker_killed_before_its_report_on_a_staged_copy_is_replaced_here(
        tmp_path: Path) -> None:
    """The worker stopped while idle, pointed at the staged copy of the next document (as
    publish does) and killed: the copy is still on disk, so the report is made here, the one
    validating the bytes gives; and the document after it goes to a new worker."""
    before = set(multiprocessing.active_children())
    with Checking(2, least=1) as checking:
        worker = stopped_worker(checking, before)
        assert worker.pid is not None
        (b,) = render(feed_of("One", "Two"), [RSS], checking)
        assert b.data is not None and b.deferred is not None
        staged = tmp_path / "feed.rss.tmp"
        staged.write_bytes(b.data)
        b.deferred.staged(str(staged))
        assert b.deferred.in_worker and b.deferred.read_from == str(staged)
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
        assert b.errors() == []
        assert b.report == validate_document(b.data, "rss")
        (c,) = render(feed_of("One", "Two", "Three"), [RSS], checking)
        assert c.data is not None and c.errors() == []
        assert c.report == validate_document(c.data, "rss")
        assert worker not in workers_since(before) and len(workers_since(before)) == 1
    assert worker.exitcode == -signal.SIGKILL
    assert workers_since(before) == []


def test_workers_killed_while_every_one_is_busy_cost_no_document(tmp_path: Path) -> None:
    """Both workers stopped, each pointed at a staged document, then killed: a third document
    waits for the oldest report, which is made here from its file; a new worker checks the
    third; the second's report too is made here when asked for. Every report is the one
    validating the bytes gives."""
    before = set(multiprocessing.active_children())
    with Checking(2, least=1, ready=2) as checking:
        stopped = workers_since(before)
        assert len(stopped) == 2
        for worker in stopped:
            assert worker.pid is not None
            os.kill(worker.pid, signal.SIGSTOP)
        documents = []
        for n, titles in enumerate((("One",), ("One", "Two"))):
            (rendered,) = render(feed_of(*titles), [RSS], checking)
            assert rendered.data is not None and rendered.deferred is not None
            staged = tmp_path / f"{n}.rss.tmp"
            staged.write_bytes(rendered.data)
            rendered.deferred.staged(str(staged))
            assert rendered.deferred.in_worker
            documents.append(rendered)
        for worker in stopped:
            assert worker.pid is not None
            os.kill(worker.pid, signal.SIGKILL)
            worker.join()
        (third,) = render(feed_of("One", "Two", "Three"), [RSS], checking)
        assert third.data is not None and third.deferred is not None
        third.deferred.start()  # waits for the oldest report, then hands this one over
        assert third.deferred.in_worker
        for rendered in (*documents, third):
            assert rendered.data is not None and rendered.errors() == []
            assert rendered.report == validate_document(rendered.data, "rss")
        assert not set(stopped) & set(workers_since(before))
    assert workers_since(before) == []


def test_a_worker_gone_while_idle_is_replaced_for_the_next_document(tmp_path: Path) -> None:
    """A worker killed between documents cannot be handed the next one: a new worker checks
    it, from the staged copy it was pointed at or, failing that, from its bytes."""
    before = set(multiprocessing.active_children())
    with Checking(2, least=1) as checking:
        (a,) = render(feed_of("One"), [RSS], checking)
        assert a.errors() == []
        (worker,) = workers_since(before)
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
        (b,) = render(feed_of("One", "Two"), [RSS], checking)
        assert b.data is not None and b.deferred is not None
        staged = tmp_path / "feed.rss.tmp"
        staged.write_bytes(b.data)
        b.deferred.staged(str(staged))
        if not b.deferred.in_worker:  # the hand-over found the worker gone: from the bytes
            b.deferred.start()
        assert b.deferred.in_worker
        assert b.errors() == []
        assert b.report == validate_document(b.data, "rss")
        assert worker not in workers_since(before) and len(workers_since(before)) == 1
    assert workers_since(before) == []


def test_a_worker_that_will_not_stop_is_killed() -> None:
    """A worker that does not end when told (stopped here by SIGSTOP; in a build, one deep in
    a huge document) is killed after its grace (5 s), so a build never waits on it for ever."""
    before = set(multiprocessing.active_children())
    with Checking(2, least=1) as checking:
        worker = stopped_worker(checking, before)
        assert worker.pid is not None
    assert worker.exitcode == -signal.SIGKILL
    assert workers_since(before) == []


def test_the_worker_loop_answers_each_document_and_ends_when_the_build_is_gone() -> None:
    """serve_checks over a real pipe: a document handed over in (render.hand_over), the report
    out, as validating here gives it; told to stop (None) it ends, and so it does when the
    build's end of the pipe is closed (a build killed), without a word."""
    feed = feed_of("One")
    (here,) = render(feed, [RSS])
    assert here.data is not None and here.report is not None
    for ending in ("stop", "gone"):
        ours, theirs = multiprocessing.Pipe()
        worker = threading.Thread(target=serve_checks, args=(theirs,), daemon=True)
        worker.start()
        for _ in range(2):  # one worker, one document after another
            hand_over(ours, "rss", here.data)
            assert ours.recv() == here.report
        if ending == "stop":
            ours.send(None)
        else:
            ours.close()
        worker.join(60)
        assert not worker.is_alive(), ending
        theirs.close()
        if ending == "stop":
            ours.close()


#: A build in its own process whose validation worker is given a document and never asked for
#: its report: the worker finishes and waits, its report (~1.7 MB) too big for the pipe.
UNCOLLECTED_CHECK = """
import sys
from feedwright.pipeline.render import Checking
with Checking(2, least=1) as checking:
    checking.submit_file(sys.argv[1], int(sys.argv[2]), "rss")
    print("checking", flush=True)
    sys.stdin.readline()
"""


def test_a_build_killed_outright_leaves_no_validation_worker_behind(tmp_path: Path) -> None:
    """A build SIGKILLed while its validation worker holds a report: the worker ends at once
    and says nothing (it used to fail writing the report to the gone build, and print a
    BrokenPipeError's traceback into the cron job's mail)."""
    items = "".join(f"<item><guid>x</guid><pubDate>not a date {n}</pubDate></item>"
                    for n in range(3000))  # 12,000 issues
    document = tmp_path / "feed.rss"
    document.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                        "<link>https://example.test/</link><description>d</description>"
                        f"{items}</channel></rss>")
    build = subprocess.Popen(
        [sys.executable, "-c", UNCOLLECTED_CHECK, str(document), str(document.stat().st_size)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert build.stdout is not None and build.stderr is not None
    try:
        assert build.stdout.readline() == "checking\n"
        below = descendants(build.pid)
        assert len(below) >= 2  # the fork server and the worker
        time.sleep(1)  # the report made: the worker is blocked writing it
    finally:
        build.kill()
        build.wait()
    left = still_running(below, within=10)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
    assert build.stderr.read() == ""  # (the pipe's last writer was the worker)


def test_a_document_without_room_to_be_handed_over_is_validated_here() -> None:
    """The build hands a big document over in an unnamed file (render.hand_over): with no room
    for it (here a file size limit; in a build, memory or a full temporary folder), nothing is
    sent, the document is validated in the build process, and the report is the same; the
    worker takes the next document as ever."""
    long = "<p>" + " ".join(["Words of a long article."] * 200_000) + "</p>"
    feed = dataclasses.replace(feed_of("One"), entries=(dataclasses.replace(
        feed_of("One").entries[0], content_html=long),))
    (here,) = render(feed, [RSS])
    assert here.data is not None and len(here.data) > 3 << 20
    before = set(multiprocessing.active_children())
    with Checking(2, least=1, ready=1) as checking:
        ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a killed process
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, limit[1]))
        try:
            with pytest.raises(OSError):
                hand_over(multiprocessing.Pipe()[0], "rss", here.data)
            (there,) = render(feed, [RSS], checking)
            assert there.deferred is not None
            there.deferred.start()
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, limit)
            signal.signal(signal.SIGXFSZ, ignored)
        assert not there.deferred.in_worker
        assert there.errors() == [] and there.report == here.report
        (again,) = render(feed, [RSS], checking)
        assert again.deferred is not None
        again.deferred.start()
        assert again.deferred.in_worker and again.errors() == []
        assert again.report == here.report
    assert workers_since(before) == []


def test_an_entry_no_xml_format_can_hold_is_left_to_the_build_which_names_it() -> None:
    """A title holding U+0007 (XML 1.0 cannot): the reading worker's prepare gives None (the
    entry is not written there), and the build's render names the document, the line and the
    character for RSS and Atom, while JSON Feed (which escapes it) is published."""
    feed = feed_of("Bell \x07 rings")
    (entry,) = feed.entries
    spec = Preparing("example.test,2026", "workers", MOMENT, "full", ("rss", "atom", "json"))
    assert prepare(spec, "bell.txt", 0, 1, reduce_entry(entry, keep=True)) is None
    fine = prepare(spec, "fine.txt", 0, 1, reduce_entry(feed_of("Bell rings").entries[0],
                                                        keep=True))
    assert fine is not None and fine.id == "tag:example.test,2026:story-0"
    targets = [Document(fmt, f"feed.{fmt}", f"https://example.test/feed.{fmt}")
               for fmt in ("rss", "atom", "json")]
    rss, atom, json = render(feed, targets)
    for done in (rss, atom):
        assert done.data is None and done.report is None
        (line,) = done.errors()
        assert line.startswith(f"{done.document.name}: cannot emit: line ")
        assert "a value holds U+0007" in line and "Bell " in line
    assert json.errors() == [] and json.data is not None and b"\\u0007" in json.data


def test_documents_all_checked_in_workers_leave_the_validator_unimported_here() -> None:
    """Between reading and its first document, a big build waits for nothing it does not use:
    when every document goes to a worker, render never imports the validator here (0.13 s);
    the reports it waits for still arrive and are the ones made here."""
    script = """
import sys
from datetime import UTC, datetime
from feedwright.model import Agent, AgentKind, Entry, Feed, Timestamp
from feedwright.pipeline.render import Checking, Document, render
entries = tuple(Entry(id=f"tag:example.test,2026:story-{n}", title=f"Story {n}",
                      url=f"https://example.test/{n}", content_html=f"<p>Story {n}.</p>",
                      published=Timestamp(datetime(2026, 3, 1, 9, n, tzinfo=UTC), "test"))
                for n in range(2))
feed = Feed(id="tag:example.test,2026:feed", title="Workers", link="https://example.test/",
            authors=(Agent("Desk", AgentKind.ORGANIZATION),),
            self_url="https://example.test/feed.rss", entries=entries)
rss = Document("rss", "feed.rss", "https://example.test/feed.rss")
with Checking(2, least=1) as checking:
    (rendered,) = render(feed, [rss], checking)
    print("imported before the report:", "feedwright.validate.core" in sys.modules)
    print("errors:", rendered.errors())
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False, cwd=Path(__file__).parent.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["imported before the report: False", "errors: []"]
