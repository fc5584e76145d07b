"""Issue 15's figures: the cold and no-op build on PostgreSQL beside SQLite, and 1, 2 and 4
workers sharing one PostgreSQL ledger over 40 feeds; and one worker publishing over sftp (to the
tests' OpenSSH server on 127.0.0.1, tests/sshd.py) beside one publishing to a local folder.
Writes nothing into the repository; prints a Markdown table (docs/scaling.md quotes it).

    python benchmarks/scaling.py            # 40 feeds x 10 articles, median of 3 runs
    python benchmarks/scaling.py --quick    # 1 run
    python benchmarks/run.py --only scaling # the same, written into docs/scaling.md

Every build is real `feedwright build` subprocesses, timed from the first start to the last
exit (wall time), and the CPU seconds all of them used (user + system, from the children's
rusage: what the machine's noise disturbs least). The PostgreSQL server is the one the tests
start (tests/postgres.py: initdb + pg_ctl in a temporary folder), so nothing is set up by hand.
The machine is shared and noisy; worker counts beyond its cores cannot go faster, and the table
says how many cores there were.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import sshd  # noqa: E402
from tests.postgres import Server, start_server  # noqa: E402
from tests.test_workers import make_newsroom  # noqa: E402

Row = tuple[str, float, float, float, float]  # label; cold wall, cpu; no-op wall, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(root: Path, state: str | None, workers: int, out: str | None = None,
          env: dict[str, str] | None = None) -> tuple[float, float]:
    """Start `workers` builds at once: seconds until the last one exits, and the CPU seconds
    they used between them."""
    command = [sys.executable, "-m", "feedwright", "build", "--quiet", "--jobs", "1"]
    if state:
        command += ["--state", state]
    if out:
        command += ["-o", out]
    cpu = _children_cpu()
    started = time.perf_counter()
    procs = [subprocess.Popen(command, cwd=root, env=env) for _ in range(workers)]
    codes = [p.wait() for p in procs]
    elapsed = time.perf_counter() - started
    if any(codes):
        raise SystemExit(f"a build failed: exit codes {codes}")
    return elapsed, _children_cpu() - cpu


def measure(server: Server, ssh: sshd.Server, feeds: int, articles: int,
            runs: int) -> list[Row]:
    rows = []
    sides = [("SQLite, 1 worker", None, 1, False)] + [
        (f"PostgreSQL, {w} worker{'s' if w > 1 else ''}", "pg", w, False) for w in (1, 2, 4)] + [
        ("SQLite, 1 worker, publishing over sftp", None, 1, True)]
    for label, kind, workers, remote in sides:
        cold, noop = [], []
        for run in range(runs):
            root = Path(tempfile.mkdtemp(prefix="feedwright-scaling-"))
            try:
                make_newsroom(root, feeds, articles)
                state = (server.new_database(f"bench_{workers}_{run}_{os.getpid()}")
                         if kind else None)
                if remote:
                    (root / "served").mkdir()
                out = ssh.url(root / "served") if remote else None
                env = ssh.client_env() if remote else None
                cold.append(build(root, state, workers, out, env))
                noop.append(build(root, state, workers, out, env))
            finally:
                shutil.rmtree(root, ignore_errors=True)
        row = (label, statistics.median(c[0] for c in cold), statistics.median(c[1] for c in cold),
               statistics.median(c[0] for c in noop), statistics.median(c[1] for c in noop))
        rows.append(row)
        print(f"{label}: cold {row[1]:.2f} s ({row[2]:.2f} CPU s), no-op {row[3]:.2f} s "
              f"({row[4]:.2f} CPU s)", file=sys.stderr)
    return rows


def run(feeds: int = 40, articles: int = 10, runs: int = 3) -> str:
    """Start the tests' PostgreSQL and OpenSSH servers, measure every side, and give the
    Markdown table."""
    servers, ssh_servers = start_server(), sshd.start_server()
    server = next(servers)
    try:
        ssh = next(ssh_servers)
        try:
            rows = measure(server, ssh, feeds, articles, runs)
        finally:
            ssh_servers.close()
    finally:
        servers.close()
    return table(rows, feeds, articles, runs)


def table(rows: list[Row], feeds: int, articles: int, runs: int) -> str:
    lines = [f"{feeds} feeds x {articles} articles, {os.cpu_count()} cores, each worker"
             f" `--jobs 1`; median of {runs} run{'s' if runs > 1 else ''}", "",
             "| ledger, workers | cold build (s) | cold CPU (s) | no-op build (s) |"
             " no-op CPU (s) |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {label} | {cw:.2f} | {cc:.2f} | {nw:.2f} | {nc:.2f} |"
              for label, cw, cc, nw, nc in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--feeds", type=int, default=40)
    parser.add_argument("--articles", type=int, default=10)
    args = parser.parse_args()
    print(run(args.feeds, args.articles, 1 if args.quick else 3), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
