"""The build's worker processes: where they are started from, how many, and how each one ends
with the build that started it. The reading workers (gather) and the validation workers
(render) are both made here."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import multiprocessing.context


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def workers_context() -> multiprocessing.context.BaseContext:
    """Workers started from a fresh server process, not forked from the build: a forked worker
    would inherit the build's lock and ledger descriptors, and a build killed mid-read would
    leave its workers holding the lock (tests/test_build_cli.py kills builds at random)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # each worker forks with the reading stage imported (render's workers import the rest),
    # and Ctrl-C's default action from its start (forkserver_signals)
    context.set_forkserver_preload(["feedwright.pipeline.forkserver_signals",
                                    "feedwright.pipeline.gather"])
    return context


def as_a_worker() -> None:
    """Make this process a worker of the build that started it: it ends when the build does,
    and at Ctrl-C quietly.

    Ctrl-C reaches every process of the terminal's group: each worker printed its own
    KeyboardInterrupt traceback. A worker now takes the signal's default action (it ends at
    once, even deep in a parse, and prints nothing), and the build, which gets it too, says
    what happened. And a build killed outright (SIGKILL: the OOM killer, a
    cron timeout) cannot tell its workers: a process pool's worker would then wait for ever,
    for its next task or for room in a result pipe whose reading end it holds itself, keeping
    its memory and the fork server alive. The build holds the other end of each worker's
    sentinel (multiprocessing's parent_process), which the kernel closes when the build ends
    however it ends: a thread waits for that here."""
    import multiprocessing
    import signal
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    sentinel = parent.sentinel if parent is not None else None
    if sentinel is None or threading.current_thread() is not threading.main_thread():
        return  # not a worker process's own loop (tests run serve_checks in a thread)
    signal.signal(signal.SIGINT, signal.SIG_DFL)

    def watch() -> None:
        wait([sentinel])
        os._exit(1)  # nothing to finish: the build that wanted the results is gone

    threading.Thread(target=watch, name="feedwright-build-gone", daemon=True).start()


def quiet_cancelled_future_race() -> None:
    """Keep Python 3.11's process pool from printing a traceback at Ctrl-C. When its workers
    die (SIGINT reaches them too: as_a_worker), the pool's manager thread marks every pending
    task failed, while the build, interrupted, has cancelled them; setting a cancelled task's
    error raises InvalidStateError in that thread, whose traceback then came before "error:
    interrupted (Ctrl-C)" now and then. CPython fixed the race in 3.12 (gh-107219) by ignoring
    that error there; this ignores it there too, and nothing else, on 3.11."""
    global _RACE_QUIETED
    if sys.version_info >= (3, 12) or _RACE_QUIETED:
        return
    import threading
    from concurrent.futures import InvalidStateError

    previous = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        thread = type(args.thread)
        if not (issubclass(args.exc_type, InvalidStateError)
                and thread.__module__ == "concurrent.futures.process"
                and thread.__name__ == "_ExecutorManagerThread"):
            previous(args)

    threading.excepthook = hook
    _RACE_QUIETED = True


_RACE_QUIETED = False


def start_workers_server() -> None:
    """Start the server that workers fork from (workers_context) now, while the build process
    is small. Started later, from a build grown to hold its documents' records, the server's
    peak memory counts that whole heap (ru_maxrss keeps the pages it shared with the build
    until it exec'd: a one-change build of 10,000 entries showed a 779 MB "worker"), though it
    holds none of it."""
    if workers_context().get_start_method() == "forkserver":  # (spawned workers have none)
        from multiprocessing import forkserver

        forkserver.ensure_running()
