"""Mutation testing of the modules where a silent bug costs most: which deliberate bugs does no
test catch? Slow (minutes to hours), so it is run by hand, never in CI.

    python benchmarks/mutation.py                  # every group in pyproject.toml
    python benchmarks/mutation.py publish ledger   # some of them
    python benchmarks/mutation.py --max-children 1 dates
    python benchmarks/mutation.py emit --only 'feedwright.emit.xml.*'   # a subset of mutants
    python benchmarks/mutation.py emit --no-run --only 'feedwright.emit.xml.x_emit_rss__*'

The groups, the files each mutates and the in-process tests that exercise them are
[tool.feedwright.mutation] in pyproject.toml; mutmut's own settings are [tool.mutmut]. Each group
runs in its own folder, benchmarks/results/mutation/GROUP/ (a copy of src, tests, fixtures and
feeds with that group's mutmut settings), so a group's run is small; each run starts afresh (mutmut
would keep a survivor's verdict after a new test). Each mutant runs only the tests of its group
that reach the mutated function. The report, with a diff of every surviving mutant, is written to
benchmarks/results/mutation/GROUP.md and the score printed; docs/testing.md records the scores
and a reason for every survivor. `--only` (fnmatch patterns over mutmut's mutant names,
`feedwright.emit.xml.x__add_entry__mutmut_*`) runs a deterministic subset of a group too large for
the time at hand; the report and the score then count only those mutants, and say so.
`--no-run` writes the report of the group's last run again, of an interrupted one too (with
`--only`, of the functions it finished).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "mutation"
COPIED = ("src", "tests", "fixtures", "feeds")
#: Statuses that mean a test failed on the mutant.
CAUGHT = {"killed", "timeout", "caught by type check", "segfault"}


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    groups: dict[str, dict[str, list[str]]] = project["tool"]["feedwright"]["mutation"]
    base: dict[str, object] = project["tool"]["mutmut"]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP",
                        help=f"any of {', '.join(groups)} (default: all)")
    parser.add_argument("--max-children", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    parser.add_argument("--only", nargs="+", default=[], metavar="PATTERN",
                        help="run only the mutants whose names match (fnmatch), e.g. "
                             "'feedwright.emit.xml.*'")
    parser.add_argument("--no-run", action="store_true",
                        help="only report the group's last run (an interrupted one too)")
    args = parser.parse_args()
    unknown = set(args.groups) - set(groups)
    if unknown:
        parser.error(f"no such group: {', '.join(sorted(unknown))}")
    lines = []
    for name in args.groups or list(groups):
        if not args.no_run:
            run_group(name, groups[name], base, args.max_children, args.only)
        counts = report_group(name, args.only)
        lines.append(summary(f"{name} (--only)" if args.only else name, counts))
        print(lines[-1], flush=True)
    print("\n".join(["", "| group | mutants | caught | survived | no tests | score |",
                     "|---|---|---|---|---|---|", *lines]))
    return 0


def run_group(name: str, group: dict[str, list[str]], base: dict[str, object],
              max_children: int, only: list[str]) -> None:
    """Run mutmut on one group in its own folder (only the mutants matching `only`, when given)."""
    folder = RESULTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for part in COPIED:
        shutil.copytree(ROOT / part, folder / part, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    settings = {**base, "only_mutate": group["mutate"],
                "pytest_add_cli_args_test_selection": group["tests"]}
    (folder / "pyproject.toml").write_text(_toml_table("tool.mutmut", settings), "utf-8")
    # mutmut keeps a survivor's verdict until the mutated function changes, so a new test would
    # not be seen: every run starts from nothing.
    shutil.rmtree(folder / "mutants", ignore_errors=True)
    mutmut = [sys.executable, "-m", "mutmut"]
    with (folder / "mutmut-run.log").open("w") as log, shared_servers() as servers:
        # (the log says why a run checked nothing, if it did)
        subprocess.run([*mutmut, "run", "--max-children", str(max_children), *only], cwd=folder,
                       stdout=log, stderr=subprocess.STDOUT, check=False,
                       env={**os.environ, **servers})


@contextmanager
def shared_servers() -> Iterator[dict[str, str]]:
    """PostgreSQL, sshd and the sftp server without fsync (tests/sftpd.py) started once for a
    whole run, and the environment naming them: every mutant is a pytest session, which would
    otherwise start its own (tests/servers.py). One that cannot start here is left to the
    sessions, whose tests then skip or fail, saying why."""
    sys.path.insert(0, str(ROOT))
    import pytest
    from tests import postgres, servers, sftpd, sshd

    env: dict[str, str] = {}
    with ExitStack() as stack:
        for module in (postgres, sshd, sftpd):
            started = module.start_server()
            try:
                server = next(started)
            except (Exception, pytest.skip.Exception, pytest.fail.Exception):
                continue
            stack.callback(started.close)  # the generator's `finally` stops the server
            env.update(servers.naming(module.SHARED_ENV, server))
        yield env


def report_group(name: str, only: list[str]) -> Counter[str]:
    """Write GROUP.md of the group's last run, a diff for every mutant no test failed on (only
    those matching `only`, when given); the count of mutants by status."""
    folder = RESULTS / name
    ran = tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    mutmut = [sys.executable, "-m", "mutmut"]
    listed = subprocess.run([*mutmut, "results", "--all", "true"], cwd=folder,
                            capture_output=True, text=True, check=True).stdout
    statuses = {mutant: status for mutant, status in re.findall(r"^\s+(\S+): (.+)$", listed, re.M)
                if not only or any(fnmatch.fnmatch(mutant, p) for p in only)}
    report = [f"# Mutation testing: {name}", "", f"Mutated: {', '.join(ran['only_mutate'])}",
              *([f"Only the mutants matching: {', '.join(only)}"] if only else []),
              f"Tests: {', '.join(ran['pytest_add_cli_args_test_selection'])}", "",
              summary(name, Counter(statuses.values())), ""]
    for mutant, status in sorted(statuses.items()):
        if status not in CAUGHT and status != "not checked":  # (an interrupted run's rest)
            shown = subprocess.run([*mutmut, "show", mutant], cwd=folder, capture_output=True,
                                   text=True, check=False).stdout
            report += [f"## {mutant}: {status}", "", "```diff", shown.strip(), "```", ""]
    (RESULTS / f"{name}.md").write_text("\n".join(report), "utf-8")
    return Counter(statuses.values())


def summary(name: str, counts: Counter[str]) -> str:
    """A table row; mutants mutmut did not check (a failed clean run) are named, not scored."""
    total = sum(counts.values())
    caught = sum(n for status, n in counts.items() if status in CAUGHT)
    unchecked = counts.get("not checked", 0)
    if unchecked:
        return f"| {name} | {total} | - | - | - | {unchecked} not checked: see the run's output |"
    untested = counts.get("no tests", 0)
    survived = total - caught - untested
    score = f"{100 * caught / total:.1f}%" if total else "-"
    return f"| {name} | {total} | {caught} | {survived} | {untested} | {score} |"


def _toml_table(table: str, values: dict[str, object]) -> str:
    """A TOML table of strings, numbers, booleans and lists of them (JSON spells those alike)."""
    return f"[{table}]\n" + "".join(f"{key} = {json.dumps(value)}\n"
                                    for key, value in values.items())


if __name__ == "__main__":
    sys.exit(main())
