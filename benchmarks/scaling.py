"""Issue 15's figures: the cold and no-op build on PostgreSQL beside SQLite, and 1, 2 and 4
workers sharing one PostgreSQL ledger over 40 feeds. Writes nothing into the repository; prints
a Markdown table (docs/scaling.md quotes it).

    python benchmarks/scaling.py            # 40 feeds x 10 articles, median of 3 runs
    python benchmarks/scaling.py --quick    # 1 run

Every build is real `feedwright build` subprocesses, timed from the first start to the last
exit. The PostgreSQL server is the one the tests start (tests/postgres.py: initdb + pg_ctl in a
temporary folder), so nothing is set up by hand. The machine is shared and noisy; worker counts
beyond its cores cannot go faster, and the table says how many cores there were.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.postgres import Server, start_server  # noqa: E402
from tests.test_workers import make_newsroom  # noqa: E402


def build(root: Path, state: str | None, workers: int) -> float:
    """Start `workers` builds at once; seconds until the last one exits."""
    command = [sys.executable, "-m", "feedwright", "build", "--quiet"]
    if state:
        command += ["--state", state]
    started = time.perf_counter()
    procs = [subprocess.Popen(command, cwd=root) for _ in range(workers)]
    codes = [p.wait() for p in procs]
    elapsed = time.perf_counter() - started
    if any(codes):
        raise SystemExit(f"a build failed: exit codes {codes}")
    return elapsed


def measure(server: Server, feeds: int, articles: int, runs: int) -> list[tuple[str, float, float]]:
    rows = []
    sides = [("SQLite, 1 worker", None, 1)] + [
        (f"PostgreSQL, {w} worker{'s' if w > 1 else ''}", "pg", w) for w in (1, 2, 4)]
    for label, kind, workers in sides:
        cold, noop = [], []
        for run in range(runs):
            root = Path(tempfile.mkdtemp(prefix="feedwright-scaling-"))
            try:
                make_newsroom(root, feeds, articles)
                state = (server.new_database(f"bench_{workers}_{run}_{os.getpid()}")
                         if kind else None)
                cold.append(build(root, state, workers))
                noop.append(build(root, state, workers))
            finally:
                shutil.rmtree(root, ignore_errors=True)
        rows.append((label, statistics.median(cold), statistics.median(noop)))
        print(f"{label}: cold {rows[-1][1]:.2f} s, no-op {rows[-1][2]:.2f} s", file=sys.stderr)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--feeds", type=int, default=40)
    parser.add_argument("--articles", type=int, default=10)
    args = parser.parse_args()
    servers = start_server()
    server = next(servers)
    try:
        rows = measure(server, args.feeds, args.articles, 1 if args.quick else 3)
    finally:
        servers.close()
    print(f"{args.feeds} feeds x {args.articles} articles, {os.cpu_count()} cores; "
          f"median of {1 if args.quick else 3} runs\n")
    print("| ledger, workers | cold build (s) | no-op build (s) |")
    print("|---|---:|---:|")
    for label, cold, noop in rows:
        print(f"| {label} | {cold:.2f} | {noop:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
