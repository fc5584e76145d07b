"""Command line: thin click commands that parse options, call the library and set exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from feedwright import __version__

if TYPE_CHECKING:
    from feedwright.build import FeedResult

# Exit codes scripts can rely on.
EXIT_OK = 0
EXIT_INPUT_REJECTED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedwright")
def main() -> None:
    """feedwright: turn article sources into valid RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds."""


@main.command("build")
@click.argument("names", nargs=-1)
@click.option("--config-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("feeds"), show_default=True, help="Folder of NAME.toml feed files.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write every feed here instead of each feed's [output] dir.")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ledger database (default: .feedwright-state.sqlite beside the output folder).")
@click.option("--dry-run", is_flag=True, help="Read, merge and validate; write nothing.")
@click.option("--wait", is_flag=True, help="Wait for a running build instead of exiting 75.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems (for cron).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable run report.")
def build_command(names: tuple[str, ...], config_dir: Path, out: Path | None,
                  state: Path | None, dry_run: bool, wait: bool, quiet: bool,
                  as_json: bool) -> None:
    """Build feeds from feeds/*.toml (all of them, or the NAMEs given), safe to run from cron.

    Exit status: 0 all good, 1 a feed or source failed, 2 configuration error, 75 another
    build holds the lock.
    """
    from feedwright.build import run_build

    progress = _BuildProgress() if sys.stderr.isatty() and not quiet and not as_json else None
    report = run_build(config_dir, names, out=out, state=state, dry_run=dry_run, wait=wait,
                       progress=progress, on_feed=None if as_json else _feed_printer(quiet))
    if progress:
        progress.close()
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, sort_keys=True))
    else:
        for error in report.config_errors:
            click.echo(f"error: {error}", err=True)
        if report.locked:
            click.echo(f"locked: {report.locked}", err=True)
    sys.exit(report.exit_code)


def _feed_printer(quiet: bool) -> Callable[[FeedResult], None]:
    def show(result: FeedResult) -> None:
        if not quiet or not result.ok:
            click.echo(result.summary(), err=not result.ok)
        for failure in result.failures:
            click.echo(f"  failed: {failure}", err=True)
        for error in result.errors:
            click.echo(f"  error: {error}", err=True)

    return show


class _BuildProgress:
    """A click progress bar per feed, drawn on stderr (only used when stderr is a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._name = ""
        self._done = 0

    def __call__(self, name: str, done: int, total: int) -> None:
        if self._bar is None or name != self._name:
            self.close()
            self._name, self._done = name, 0
            self._bar = click.progressbar(length=total, label=name, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

