"""Many `feedwright build` processes on one PostgreSQL ledger (issue 15): they share the feeds,
never build one twice at once, and publish exactly what one worker alone would. A worker killed
mid-build leaves the ledger consistent and its feed to the next run. Real subprocesses, a real
server (tests/postgres.py)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from feedwright.ledger import open_ledger
from tests.postgres import PASSWORD, wait_for_claims_released

from .test_build import article

FEEDS = 40

FEED = """\
title = "Section {n}"
link = "https://news.example/{name}/"
tag_authority = "news.example,2026"
sources = ["../articles/{name}/*.txt"]
base_url = "https://news.example/feeds/"
[output]
dir = "../public"
"""

#: A real worker that stops at the first source of one feed until told to go on (so the test
#: knows it holds that feed's claim, without sleeping and hoping).
BLOCKED_WORKER = """
import sys
from pathlib import Path
from feedwright.build import read_source, run_build

held = []
def reader(path, config):
    if sys.argv[3] in str(path) and not held:
        held.append(path)
        print("building", flush=True)
        sys.stdin.readline()
    return read_source(path, config)

sys.exit(run_build(Path(sys.argv[1]), state=sys.argv[2], reader=reader).exit_code)
"""


def blocked_worker(root: Path, url: str, held: str, script: str = BLOCKED_WORKER,
                   **popen: Any) -> subprocess.Popen[str]:
    """A worker (BLOCKED_WORKER) started and seen to stop at the first source under `held`:
    it has built the feeds before and holds that one's claim until a line is written to it."""
    proc = subprocess.Popen([sys.executable, "-c", script, str(root / "feeds"), url, held],
                            cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            **popen)
    assert proc.stdout is not None and proc.stdout.readline() == "building\n"
    return proc


def make_newsroom(root: Path, feeds: int = FEEDS, articles: int = 2) -> Path:
    """feeds/fNN.toml, each over its own dated articles; all publish into public/. (Also the
    newsroom of benchmarks/scaling.py.)"""
    (root / "feeds").mkdir(parents=True)
    for n in range(feeds):
        name = f"f{n:02}"
        (root / "feeds" / f"{name}.toml").write_text(FEED.format(n=n, name=name))
        folder = root / "articles" / name
        folder.mkdir(parents=True)
        for k in range(articles):
            (folder / f"{k}.txt").write_text(article(
                f"Story {k} of section {n}", f"Body {k} of section {n}.",
                f"{6 + k % 6}:00 am on {1 + (n + k // 6) % 28} March 2025"))
    return root


def worker(root: Path, state: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "feedwright", "build", "--state", state,
                             "--json", *args], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)


def finish(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, (out, err)
    report: dict[str, Any] = json.loads(out)
    return report


def published(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def one_worker_alone(tmp_path: Path, url: str, feeds: int = FEEDS) -> dict[str, bytes]:
    """What a single worker publishes over the same feeds, from its own fresh ledger."""
    alone = make_newsroom(tmp_path / "alone", feeds)
    finish(worker(alone, url))
    return published(alone / "public")


def test_four_workers_build_each_feed_once_and_publish_what_one_would(
        tmp_path: Path, postgres: Any) -> None:
    shared_url = postgres.new_database("workers_shared")
    root = make_newsroom(tmp_path / "shared")
    reports = [finish(p) for p in [worker(root, shared_url) for _ in range(4)]]

    writers: dict[str, int] = {}
    for report in reports:
        assert report["exit_code"] == 0
        for feed in report["feeds"]:
            assert feed["ok"], feed
            if feed["written"]:
                writers[feed["name"]] = writers.get(feed["name"], 0) + 1
            else:  # held by another worker, or already built by one
                assert feed["skipped"] == "another worker is building it" or (
                    feed["added"] == 0 and feed["unchanged"] == 2), feed
    assert writers == {f"f{n:02}": 1 for n in range(FEEDS)}  # each feed built exactly once

    assert published(root / "public") == one_worker_alone(
        tmp_path, postgres.new_database("workers_alone"))
    with open_ledger(shared_url) as ledger:
        assert all(ledger.count_entries(f"f{n:02}") == 2 for n in range(FEEDS))
    again = finish(worker(root, shared_url))  # a later run finds nothing to do
    assert all(f["written"] == [] and f["unchanged"] == 2 for f in again["feeds"])


def test_a_feed_another_worker_holds_is_skipped_and_said_so(
        tmp_path: Path, postgres_url: str) -> None:
    root = make_newsroom(tmp_path, feeds=3)
    with open_ledger(postgres_url) as other, other.claim("f01") as held:
        assert held
        run = subprocess.run([sys.executable, "-m", "feedwright", "build", "--state",
                              postgres_url], cwd=root, capture_output=True, text=True,
                             check=False, stdin=subprocess.DEVNULL)
        assert run.returncode == 0, run.stderr
        assert "f01: skipped, another worker is building it" in run.stdout
        assert "f00: 2 added" in run.stdout and "f02: 2 added" in run.stdout
        assert not (root / "public" / "f01.json").exists()
    report = finish(worker(root, postgres_url))  # released: the next run builds it
    assert [f["added"] for f in report["feeds"]] == [0, 2, 0]


def test_a_worker_killed_mid_build_leaves_its_feed_to_the_next_run(
        tmp_path: Path, postgres: Any) -> None:
    url = postgres.new_database("workers_killed")
    root = make_newsroom(tmp_path / "shared", feeds=4)
    blocked = blocked_worker(root, url, "articles/f02/")
    # The blocked worker has built f00 and f01 and holds f02: another skips f02, builds f03.
    beside = finish(worker(root, url))
    assert [f["skipped"] is not None for f in beside["feeds"]] == [False, False, True, False]
    os.kill(blocked.pid, signal.SIGKILL)
    blocked.wait(timeout=60)
    wait_for_claims_released(url)
    with open_ledger(url) as ledger:  # nothing of f02 was committed
        assert ledger.load_sources("f02") == {} and ledger.count_entries("f02") == 0
    after = finish(worker(root, url))
    assert [f["added"] for f in after["feeds"]] == [0, 0, 2, 0]
    assert published(root / "public") == one_worker_alone(
        tmp_path, postgres.new_database("workers_killed_alone"), feeds=4)


def test_sigkill_of_workers_at_any_moment_leaves_a_consistent_ledger(
        tmp_path: Path, postgres: Any) -> None:
    rng = random.Random(20261201)
    url = postgres.new_database("workers_random_kills")
    root = make_newsroom(tmp_path / "shared", feeds=12)
    started = time.monotonic()
    finish(worker(root, url))
    full_build = time.monotonic() - started  # only to spread the kills; nothing asserts on it
    for trial in range(3):
        for n in rng.sample(range(12), 6):  # something to rebuild every time
            (root / "articles" / f"f{n:02}" / "0.txt").write_text(article(
                f"Story 0 of section {n}, take {trial}", f"Edited in trial {trial}.",
                f"6:00 am on {1 + n % 28} March 2025"))
        procs = [worker(root, url) for _ in range(2)]
        time.sleep(rng.uniform(0, full_build))
        victim = procs[0]
        if victim.poll() is None:
            os.kill(victim.pid, signal.SIGKILL)
        for proc in procs:
            proc.communicate(timeout=600)
        wait_for_claims_released(url)
        finish(worker(root, url))  # the next run catches up
        with open_ledger(url) as ledger:
            for n in range(12):
                sources = ledger.load_sources(f"f{n:02}")
                entries = ledger.load_entries(f"f{n:02}")
                assert len(sources) == 2 and len(entries) == 2
                assert {e.source for e in entries.values()} <= set(sources)
        # Every feed shows its sources as they are now (the edits of this trial included).
        for n in range(12):
            items = json.loads((root / "public" / f"f{n:02}.json").read_bytes())["items"]
            titles = {i["title"] for i in items}
            for source in (root / "articles" / f"f{n:02}").iterdir():
                assert source.read_text().split("\n", 1)[0] in titles


pytestmark = pytest.mark.usefixtures("postgres")


#: A worker like BLOCKED_WORKER that prints its run report as JSON when it ends.
REPORTING_WORKER = BLOCKED_WORKER.replace(
    "sys.exit(run_build(Path(sys.argv[1]), state=sys.argv[2], reader=reader).exit_code)",
    "import json\n"
    "report = run_build(Path(sys.argv[1]), state=sys.argv[2], reader=reader)\n"
    "print(json.dumps(report.to_json()), flush=True)\n"
    "sys.exit(report.exit_code)")


def test_a_ledger_server_lost_mid_run_is_a_clear_ledger_error(
        tmp_path: Path, postgres: Any) -> None:
    import psycopg

    url = postgres.new_database("workers_server_lost")
    root = make_newsroom(tmp_path / "shared", feeds=4)
    blocked = blocked_worker(root, url, "articles/f01/", REPORTING_WORKER,
                             stderr=subprocess.PIPE)
    # The server ends the worker's session under it (as a restart or failover does).
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname ="
                   " current_database() AND pid <> pg_backend_pid()")
    out, err = blocked.communicate("\n", timeout=120)
    assert blocked.returncode == 2, (out, err)
    assert "Traceback" not in err
    report = json.loads(out.splitlines()[-1])
    (error,) = report["config_errors"]
    shown = url.replace(f":{PASSWORD}@", ":***@")
    assert error.startswith(f"{shown}: cannot "), error
    assert "terminating connection" in error  # the server's reason
    # f01 was being built: it and the feeds after it are named, none of them published.
    assert error.endswith("; not built: f01, f02, f03"), error
    assert PASSWORD not in out + err
    assert [f["name"] for f in report["feeds"]] == ["f00"] and report["feeds"][0]["ok"]
    assert not (root / "public" / "f01.json").exists()


def test_workers_remove_the_shared_stylesheets_leftovers_of_workers_that_are_gone(
        tmp_path: Path, postgres: Any) -> None:
    import psycopg

    url = postgres.new_database("workers_stylesheet")
    root = make_newsroom(tmp_path / "shared", feeds=2)
    finish(worker(root, url))
    public = root / "public"
    assert (public / "feedwright.xsl").is_file()  # one stylesheet, shared by both feeds

    def pid_of(db: Any) -> int:
        pid: int = db.execute("SELECT pg_backend_pid()").fetchone()[0]
        return pid

    with psycopg.connect(url) as alive:
        with psycopg.connect(url) as gone:
            dead_pid = pid_of(gone)
        # What a worker killed while writing the stylesheet leaves, and what one writing it now
        # has staged.
        dead = public / f".feedwright-feedwright.xsl.pg{dead_pid}-k1ll3d.tmp"
        live = public / f".feedwright-feedwright.xsl.pg{pid_of(alive)}-w0rk1n.tmp"
        old = public / ".feedwright-f01.json.0ld.tmp"  # a feed's own: its builder removes it
        for temp in (dead, live, old):
            temp.write_bytes(b"half")
        finish(worker(root, url))
        assert not dead.exists() and not old.exists()
        assert live.exists()  # a live worker's file is never touched


def test_a_worker_that_joins_during_anothers_build_keeps_what_it_stages(
        tmp_path: Path, postgres: Any) -> None:
    """The four-worker test's one failure under load: a worker took the workers alive when its
    feed's build began and swept, at publishing, the staged stylesheet of a worker that had
    connected since, whose rename then failed. Here the other worker joins while the first is
    held mid-build, stages, and the first publishes: the file must stay."""
    import psycopg

    url = postgres.new_database("workers_joined")
    root = make_newsroom(tmp_path / "shared", feeds=1)
    first = blocked_worker(root, url, "articles/f00/")
    with psycopg.connect(url) as joined:  # a worker that started after the first's feed did
        pid: int = joined.execute("SELECT pg_backend_pid()").fetchone()[0]
        staged = root / "public" / f".feedwright-feedwright.xsl.pg{pid}-j01n3d.tmp"
        staged.parent.mkdir(exist_ok=True)
        staged.write_bytes(b"being written")
        first.communicate("\n", timeout=120)
        assert first.returncode == 0
        assert (root / "public" / "f00.json").is_file()  # it published, and swept
        assert staged.exists()
