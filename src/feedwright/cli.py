"""Command line: thin click commands that parse options, call the library and set exit codes."""

from __future__ import annotations

import click

from feedwright import __version__

# Exit codes scripts can rely on.
EXIT_OK = 0
EXIT_INPUT_REJECTED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedwright")
def main() -> None:
    """feedwright: turn article sources into valid RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds."""
