"""feedwright build as cron runs it: subprocesses, exit codes, the lock, and SIGKILL mid-build."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from feedwright.build import run_build
from feedwright.validate import validate_document
from tests.helpers import descendants, still_running

from .test_build import article, make_project

FORMAT_OF = {"news.rss.xml": "rss", "news.atom.xml": "atom", "news.json": "json"}

#: A real build, in its own process, that stops at its first source until told to go on: so the
#: test knows for certain that the lock is held, without sleeping and hoping.
BLOCKED_BUILD = """
import sys
from pathlib import Path
from feedwright.build import read_source, run_build

held = []
def reader(path, config):
    if not held:
        held.append(path)
        print("building", flush=True)
        sys.stdin.readline()
    return read_source(path, config)

sys.exit(run_build(Path(sys.argv[1]), reader=reader).exit_code)
"""


def feedwright(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "feedwright", "build", *args], cwd=root,
                          capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)


def start_blocked_build(root: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", BLOCKED_BUILD, str(root / "feeds")],
                            cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "building\n"
    return proc


def release(proc: subprocess.Popen[str]) -> int:
    assert proc.stdin is not None
    proc.stdin.write("\n")
    proc.stdin.close()
    return proc.wait(timeout=60)


def test_second_concurrent_build_exits_75_and_says_why(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    first = start_blocked_build(project.root)
    try:
        second = feedwright(project.root)
        assert second.returncode == 75
        assert "another feedwright build is running" in second.stderr
        assert f"pid {first.pid}" in second.stderr
        assert not project.public.exists()  # the refused build wrote nothing
    finally:
        assert release(first) == 0
    assert feedwright(project.root).returncode == 0  # the lock went with its holder


def test_wait_builds_after_the_running_build(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    first = start_blocked_build(project.root)
    waiter = subprocess.Popen([sys.executable, "-m", "feedwright", "build", "--wait", "--json"],
                              cwd=project.root, stdout=subprocess.PIPE, text=True)
    try:
        assert waiter.poll() is None
    finally:
        assert release(first) == 0
    out, _ = waiter.communicate(timeout=60)
    assert waiter.returncode == 0
    assert json.loads(out)["feeds"][0]["unchanged"] == 3  # it saw the first build's ledger


def test_json_report_quiet_and_failure_exit_codes(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    run = feedwright(project.root, "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["exit_code"] == 0
    assert report["feeds"][0]["added"] == 3
    assert report["feeds"][0]["failed"] == []

    quiet = feedwright(project.root, "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")

    loud = feedwright(project.root)
    assert "news: 0 added, 0 updated, 0 removed, 3 unchanged, 0 failed" in loud.stdout

    project.write("b.txt", b"")
    failed = feedwright(project.root, "--quiet")
    assert failed.returncode == 1
    assert "../articles/b.txt: no article text" in failed.stderr

    (project.feeds / "news.toml").write_text('title = 3\n', encoding="utf-8")
    broken = feedwright(project.root)
    assert broken.returncode == 2
    assert "news.toml:1: key 'title' must be a string" in broken.stderr


def published_files_are_whole_and_valid(public: Path, temps_allowed: bool) -> None:
    if not public.exists():
        return
    for path in public.iterdir():
        if temps_allowed and path.name.startswith(".feedwright-"):
            continue  # a killed build's temporary file: hidden, and removed by the next build
        assert path.name in FORMAT_OF, f"stray file {path.name}"
        data = path.read_bytes()
        if path.suffix == ".json":
            json.loads(data)  # whole: a truncated document does not parse
        else:
            etree.fromstring(data)
        report = validate_document(data, FORMAT_OF[path.name])
        assert report.ok, (path.name, report.errors)


def test_sigkill_at_any_moment_leaves_whole_valid_files(tmp_path: Path) -> None:
    rng = random.Random(20260301)
    sources = {f"s{n:03}.txt": article(f"Story number {n}", f"Body of story {n}.")
               for n in range(150)}
    project = make_project(tmp_path, extra="limit = 0", articles=sources)
    started = time.monotonic()
    assert feedwright(project.root).returncode == 0
    full_build = time.monotonic() - started  # only to spread the kills; nothing asserts on it

    kills = trial = 0
    while kills < 20:
        trial += 1
        assert trial <= 100, "the builds kept finishing before the kill"
        for name in rng.sample(sorted(sources), 20):  # something to rebuild every time
            project.write(name, article(f"Story {name} v{trial}", f"Edited in trial {trial}."))
        proc = subprocess.Popen([sys.executable, "-m", "feedwright", "build", "--quiet"],
                                cwd=project.root, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, full_build))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        published_files_are_whole_and_valid(project.public, temps_allowed=True)

        report = run_build(project.feeds)  # the next build succeeds and catches up
        assert report.exit_code == 0, report.to_json()
        published_files_are_whole_and_valid(project.public, temps_allowed=False)
        assert len(project.items()) == len(sources)
        assert f"v{trial}" in json.dumps(project.items())


def test_an_unreachable_postgresql_state_is_exit_2_naming_the_url_without_its_password(
        tmp_path: Path) -> None:
    import socket

    project = make_project(tmp_path)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = feedwright(project.root, "--state", f"postgresql://news:hunter2@127.0.0.1:{port}/feeds")
    assert run.returncode == 2
    assert run.stderr.startswith(
        f"error: postgresql://news:***@127.0.0.1:{port}/feeds: cannot connect to the state"
        " database:")
    assert "hunter2" not in run.stderr + run.stdout and "Traceback" not in run.stderr
    assert not project.public.exists()


@pytest.mark.parametrize("option", ["-o", "--state"])
def test_an_empty_out_or_state_is_a_usage_error_not_the_default(
        tmp_path: Path, option: str) -> None:
    """`-o ""` (an unset variable in a cron line: -o "$OUT") was taken as no option at all:
    the build wrote to the default folder and ledger. It is a usage error, and writes nothing."""
    project = make_project(tmp_path)
    done = subprocess.run([sys.executable, "-m", "feedwright", "build", option, ""],
                          cwd=project.root, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 2, done.stderr
    assert "an empty value names no folder, file or url" in done.stderr
    assert "Traceback" not in done.stderr and not project.public.exists()


_INTERRUPTED_AT_ONCE = """
import os, signal, sys, time
from feedwright.pipeline.workers import workers_context

if __name__ == "__main__":
    worker = workers_context().Process(target=time.sleep, args=(30,))
    worker.start()
    # from its first moments (the fork server's own SIG_IGN may still hold it), until it ends:
    # it never runs a line of ours (as_a_worker)
    while worker.exitcode is None:
        os.kill(worker.pid, signal.SIGINT)
        worker.join(0.01)
    print(worker.exitcode)
"""


def test_a_worker_interrupted_while_it_starts_ends_quietly() -> None:
    """Ctrl-C while a validation worker was still importing the validator printed that worker's
    KeyboardInterrupt traceback before "error: interrupted (Ctrl-C)": as_a_worker had not run
    yet. Every worker now takes the signal's default action from the moment it is forked."""
    run = subprocess.run([sys.executable, "-c", _INTERRUPTED_AT_ONCE], capture_output=True,
                         text=True, timeout=60, check=False)
    assert (run.returncode, run.stdout, run.stderr) == (0, f"{-signal.SIGINT}\n", "")


_CANCELLED_THEN_BROKEN = """
import multiprocessing, os, signal, sys, threading, time
from concurrent.futures import ProcessPoolExecutor
from feedwright.pipeline.workers import quiet_cancelled_future_race

if __name__ == "__main__":
    if sys.argv[1] == "quiet":
        quiet_cancelled_future_race()  # as the build does before it starts its reading pool
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    tasks = [pool.submit(time.sleep, 30)]
    time.sleep(0.5)  # the worker has taken the first: the pool hands it two more, keeps seven
    tasks += [pool.submit(time.sleep, 30) for _ in range(9)]
    time.sleep(0.2)
    print(sum(task.cancel() for task in tasks))  # the seven not yet handed to the worker
    for worker in multiprocessing.active_children():
        os.kill(worker.pid, signal.SIGKILL)  # as Ctrl-C ends the workers
    pool.shutdown(wait=True)
    thread = threading.Thread(target=lambda: 1 / 0)  # any other thread's error is still told
    thread.start()
    thread.join()
"""


def test_a_pool_whose_cancelled_tasks_fail_after_ctrl_c_prints_no_traceback_for_them() -> None:
    """The race behind a traceback that now and then came before "error: interrupted
    (Ctrl-C)": the interrupted build cancels the tasks still waiting while the pool, its
    workers gone, marks them failed, and on Python 3.11 that raised InvalidStateError in the
    pool's thread (CPython gh-107219, fixed in 3.12). Reproduced here every time: tasks wait
    behind a busy worker, are cancelled, and then the worker is killed."""
    runs = {how: subprocess.run([sys.executable, "-c", _CANCELLED_THEN_BROKEN, how],
                                capture_output=True, text=True, timeout=60, check=False)
            for how in ("plain", "quiet")}
    for run in runs.values():
        assert run.returncode == 0 and int(run.stdout) > 0, run.stderr
        assert "ZeroDivisionError" in run.stderr
    assert "InvalidStateError" not in runs["quiet"].stderr
    if sys.version_info < (3, 12):  # the race this is about: shown without the fix
        assert "InvalidStateError" in runs["plain"].stderr


def _interruptible_workers(build: int) -> list[int]:
    """The build's workers (the fork server's children) that Ctrl-C would end at once: SIGINT
    neither ignored nor caught. (A worker forked a moment ago still has the fork server's
    SIG_IGN; interrupted then, it lives on, and fails reading its task from the build that is
    gone. The resource tracker is a child of the build too.)"""
    bit = 1 << (signal.SIGINT - 1)
    workers = []
    for pid in descendants(build):
        try:
            status = dict(line.split(":\t", 1) for line in
                          Path(f"/proc/{pid}/status").read_text().splitlines() if ":\t" in line)
            parent = int(status["PPid"])
            server = Path(f"/proc/{parent}/cmdline").read_bytes()
        except (OSError, KeyError, ValueError):
            continue
        handled = int(status["SigIgn"], 16) | int(status["SigCgt"], 16)
        if parent != build and b"forkserver" in server and not handled & bit:
            workers.append(pid)
    return workers


def test_ctrl_c_mid_build_ends_every_process_quietly_with_130(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the terminal's process group) while the workers read: each worker
    printed its own KeyboardInterrupt traceback, and the build exited 1, a rejection's code.
    Now the workers end quietly, the build says it was interrupted and exits 130, nothing is
    left running or published half, and the next build publishes the feed."""
    sources = {f"s{n:04}.txt": article(f"Story number {n}", f"Body of story {n}. " * 40)
               for n in range(4000)}
    project = make_project(tmp_path, extra="limit = 0", articles=sources)
    build = subprocess.Popen([sys.executable, "-m", "feedwright", "build", "--jobs", "2"],
                             cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    try:
        while len(_interruptible_workers(build.pid)) < 2:  # both reading workers
            assert build.poll() is None, build.communicate()
            time.sleep(0.01)
        below = descendants(build.pid)
        os.killpg(build.pid, signal.SIGINT)
        out, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
    left = still_running(below, within=10)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert (build.returncode, out, err) == (130, "", "error: interrupted (Ctrl-C)\n")
    assert left == []
    published_files_are_whole_and_valid(project.public, temps_allowed=True)
    assert feedwright(project.root).returncode == 0
    assert len(project.items()) == len(sources)
