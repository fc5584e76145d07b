"""Command line: thin click commands that parse options, call the library and set exit codes."""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import click

from feedwright import __version__
from feedwright.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PIPE,
    EXIT_REJECTED,
    EXIT_USAGE,
    FeedwrightError,
    UsageError,
)
from feedwright.formats import FORMATS

if TYPE_CHECKING:
    from feedwright.build import FeedResult


class _Commands(click.Group):
    """The one place where errors become exit codes: each FeedwrightError carries its own."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                if sys.stdout is not None:  # (None: started with it closed, `>&-`)
                    sys.stdout.flush()  # what is still buffered fails here, where it is told
        except BrokenPipeError:  # the reader left (`| head -1`): not a rejected document
            _quiet_stdout()
            ctx.exit(EXIT_PIPE)
        except KeyboardInterrupt:  # Ctrl-C: a build is left as a killed one is, whole
            click.echo("error: interrupted (Ctrl-C)", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as exc:  # a write to standard output (`> /dev/full`, a full disk)
            if exc.filename is not None or exc.errno not in _OUTPUT_ERRNOS:
                raise
            _quiet_stdout()
            click.echo(f"error: standard output: cannot write: {exc.strerror}", err=True)
            ctx.exit(EXIT_REJECTED)
        except UsageError as exc:  # told with the usage of the command that was given
            name = ctx.invoked_subcommand
            command = self.get_command(ctx, name) if name else None
            where = click.Context(command, info_name=name, parent=ctx) if command else ctx
            raise click.UsageError(str(exc), where) from None
        except FeedwrightError as exc:
            for message in exc.messages():
                click.echo(f"error: {message}", err=True)
            ctx.exit(exc.exit_code)


#: What a write to standard output fails with, when the place it goes cannot take it.
_OUTPUT_ERRNOS: Final = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})


def _quiet_stdout() -> None:
    """Standard output to /dev/null, so that writing out what is still buffered at exit fails
    no second time (and prints nothing)."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedwright")
def main() -> None:
    """feedwright: turn article sources into valid RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds.

    \b
    Start with:
      feedwright inspect ARTICLE            what feedwright understood of one source
      feedwright export ARTICLE... --link URL --format atom
      feedwright build                      every feed in feeds/*.toml (the cron job)
      feedwright validate FEED...           check any feed, ours or not

    Every credit (bylines, agencies, photo and video credits, rights) is kept, and every
    document is validated before it is written.
    """


@main.command("build")
@click.argument("names", nargs=-1)
@click.option("--config-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("feeds"), show_default=True, help="Folder of NAME.toml feed files.")
@click.option("-o", "--out", default=None, metavar="FOLDER|URL",
              help="Write every feed here instead of each feed's [output] dir: a folder, or an "
                   "sftp:// or object store url (docs/scaling.md).")
@click.option("--state", default=None, metavar="PATH|URL",
              help="Ledger: a SQLite file (default: .feedwright-state.sqlite beside the output "
                   "folder) or a postgresql:// url, which many workers can share.")
@click.option("--dry-run", is_flag=True, help="Read, merge and validate; write nothing.")
@click.option("--wait", is_flag=True, help="Wait for a running build instead of exiting 75.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems (for cron).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable run report.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes reading sources (default: the cores available).")
def build_command(names: tuple[str, ...], config_dir: Path, out: str | None,
                  state: str | None, dry_run: bool, wait: bool, quiet: bool,
                  as_json: bool, jobs: int | None) -> None:
    """Build feeds from feeds/*.toml (all of them, or the NAMEs given), safe to run from cron.

    Exit status: 0 all good, 1 a feed or source failed, 2 configuration error, 75 another
    build holds the lock.
    """
    with _imports_set_aside():
        from feedwright.build import run_build
        from feedwright.pipeline.workers import available_cores
        from feedwright.publish import file_url_problem, is_remote, remote_problem
        from feedwright.syntax import redact

    for option, value in (("--out", out), ("--state", state)):
        if value is not None and not value.strip():  # it was ignored, the default used
            raise UsageError(f"{option}: an empty value names no folder, file or url")
    if out is not None and (problem := file_url_problem(out)):
        raise UsageError(f"--out {out}: {problem}")
    if out is not None and is_remote(out) and (problem := remote_problem(out)):
        raise UsageError(f"--out {redact(out)}: {problem}")  # as the same in [output] is
    progress = _progress(quiet or as_json)
    report = run_build(config_dir, names, out=out, state=state, dry_run=dry_run, wait=wait,
                       progress=progress, on_feed=None if as_json else _feed_printer(quiet),
                       jobs=jobs or available_cores())
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


@contextlib.contextmanager
def _imports_set_aside() -> Iterator[None]:
    """Import the build without collecting, then set everything imported so far aside from the
    cyclic garbage collector (gc.freeze): it lives as long as the process. A cron run makes
    several objects for each of its sources (10,000s), and every time a generation filled, the
    collector walked the ~20,000 objects of the imported modules too: ~10% of a no-op's CPU.
    Objects set aside are still freed when no longer referenced; only a cycle among them would
    outlive its use, and a command's process ends with the command."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _feed_printer(quiet: bool) -> Callable[[FeedResult], None]:
    def show(result: FeedResult) -> None:
        if not quiet or not result.ok:
            click.echo(result.summary(), err=not result.ok)
        if not quiet:
            for note in result.in_grace:
                click.echo(f"  deleted: {note}")
        for failure in result.failures:
            click.echo(f"  failed: {failure}", err=True)
        for error in result.errors:
            click.echo(f"  error: {error}", err=True)
        for notice in result.hubs:  # a hub that failed is a problem to hear of, not a failure
            if not notice.ok:
                click.echo(f"  hub failed: {notice}", err=True)

    return show


def _progress(quiet: bool) -> _Progress | None:
    """A progress bar on stderr when it is a terminal and not --quiet; else nothing at all."""
    return _Progress() if sys.stderr.isatty() and not quiet else None


def _renamed(progress: _Progress, label: str) -> Callable[[str, int, int], None]:
    """`progress` drawing under `label` whatever label its caller gives."""
    return lambda _label, done, total: progress(label, done, total)


class _Progress:
    """A click progress bar per label (a feed, an export, the documents validated), drawn on
    stderr. Called as (label, done, total), the library's Progress callback."""

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


# --- export and inspect -------------------------------------------------------------------------


def _kind_choice() -> click.Choice[str]:
    from feedwright.sources import KINDS

    return click.Choice(KINDS)


@main.command("export")
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="rss",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (atomically) instead of standard output.")
@click.option("--feed", "feed_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Take feed metadata and reading options from feeds/NAME.toml.")
@click.option("--title", default=None, help="Feed title (default: the link's host).")
@click.option("--link", default=None,
              help="Feed home page, an absolute URL (needed without --feed).")
@click.option("--description", default=None, help="Feed description.")
@click.option("--language", default=None, help="Feed language, e.g. en-NZ.")
@click.option("--timezone", default=None,
              help="IANA time zone for dates printed without one (default UTC).")
@click.option("--tag-authority", default=None,
              help="RFC 4151 authority for entry ids, e.g. example.org,2026 "
                   "(default: the link's host and the earliest entry's year).")
@click.option("--self-url", default=None, help="Where the document will be published.")
@click.option("--kind", default=None, type=_kind_choice(),
              help="Force the input kind instead of detecting it.")
@click.option("--keep-going", is_flag=True,
              help="Write the sources that read, report every one that did not, and exit 1.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors: no warnings, no progress.")
def export_command(sources: tuple[str, ...], fmt: str, output: Path | None, feed_file: Path | None,
                   title: str | None, link: str | None, description: str | None,
                   language: str | None, timezone: str | None, tag_authority: str | None,
                   self_url: str | None, kind: str | None, keep_going: bool, quiet: bool) -> None:
    """Export SOURCES (files or http(s) URLs) as one validated feed document.

    \b
    Examples:
      feedwright export fixtures/1news-peters-nato.txt --link https://example.org/ --format atom
      feedwright export --feed feeds/example.toml fixtures/*.txt -o public/feed.xml

    Every document is validated before it is written; an invalid one is not written. A source
    that cannot be read is reported with its path and reason, and no document is written, unless
    --keep-going. With --feed, the self url is the feed's base_url and the -o file's name (or
    the feed's file name for the format, on standard output); --self-url overrides it. Exit
    codes: 0 written, 1 a source or the document was rejected or could not be written, 2 usage
    or configuration error.
    """
    from feedwright.config import load_feed_config
    from feedwright.export import Overrides, SourcesLeftOut, export_settings, run_export

    config = load_feed_config(feed_file) if feed_file is not None else None
    given = Overrides(title, link, description, language, timezone, tag_authority, self_url,
                      output.name if output is not None else None)
    settings = export_settings(config, fmt, given)
    progress = _progress(quiet)
    try:
        exported = run_export(sources, settings, fmt, kind, keep_going=keep_going,
                              progress=progress)
    finally:
        if progress:
            progress.close()
    for warning in () if quiet else exported.report.warnings:
        click.echo(f"warning: {warning.rule}: {warning.message}", err=True)
    _write_output(output, exported.data)
    if exported.failures:
        raise SourcesLeftOut(exported.failures)


def _write_output(output: Path | None, data: bytes) -> None:
    """The document to standard output, or atomically to a file. A link, device or pipe named
    by -o (/dev/stdout, /dev/full) is written through: renaming over it would replace the link
    or device itself. Failures exit 1, named."""

    from feedwright.publish import CannotWrite, reason, write_atomic, write_in_pieces

    where = "standard output" if output is None else str(output)
    try:
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        elif output.is_symlink() or (output.exists() and not output.is_file()
                                     and not output.is_dir()):
            with output.open("wb") as handle:
                write_in_pieces(handle, data)
        else:
            write_atomic(output, data)
    except OSError as exc:
        if output is None:  # nothing more goes there: not even Python's flush at exit
            _quiet_stdout()
        raise CannotWrite(where, reason(exc)) from None


@main.command("inspect")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE|FOLDER|- ...")
@click.option("--kind", default=None, type=_kind_choice(),
              help="Force the input kind instead of detecting it.")
@click.option("--timezone", default=None,
              help="IANA time zone for dates printed without one (default: the --feed file's, "
                   "else UTC).")
@click.option("--feed", "feed_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Read with the options (time zone, patterns) of feeds/NAME.toml.")
@click.option("--array", "as_array", is_flag=True,
              help="Print one JSON array of every entry instead of one entry per line.")
def inspect_command(sources: tuple[str, ...], kind: str | None, timezone: str | None,
                    feed_file: Path | None, as_array: bool) -> None:
    """Print the entries SOURCEs normalise to, as JSON with the model's field names.

    Shows what feedwright understood: title, summary, blocks, media with captions and credits,
    credits with their raw text, authors, dates and where they came from, categories, rights and
    provenance. Nothing is invented: a date or author the source does not state is null.

    \b
    One file: its entry as an indented JSON object (an array when it holds several).
    Several files, a FOLDER (every file in it, recursively) or - (standard input): one entry
    per line (JSON Lines), or one JSON array with --array. A source that cannot be read is
    reported and the others still printed; the exit status is then 1.
    """
    from feedwright.config import load_feed_config
    from feedwright.export import reading_options
    from feedwright.serialise import entry_to_dict
    from feedwright.sources import SourceError, read, retrieve
    from feedwright.sources.base import PartlyRead
    from feedwright.sources.retrieve import expand_locations, retrieve_stream

    config = load_feed_config(feed_file) if feed_file is not None else None
    options = reading_options(config, timezone)
    locations, missing = expand_locations(sources)
    for failure in missing:
        click.echo(f"error: {failure}", err=True)
    single = len(sources) == 1 and locations == list(sources) and sources[0] != "-"
    documents: list[Any] = []
    failed = bool(missing)
    for location in locations:
        try:
            got = retrieve_stream(sys.stdin.buffer) if location == "-" else retrieve(location)
            entries = read(got, kind=kind, options=options)
        except SourceError as exc:  # named, and what did read (PartlyRead) still shown
            for message in exc.messages():
                click.echo(f"error: {message}", err=True)
            failed = True
            entries = exc.entries if isinstance(exc, PartlyRead) else ()
        for entry in entries:
            document = entry_to_dict(entry)
            if single or as_array:
                documents.append(document)
            else:  # JSON Lines: each entry printed as soon as it is read
                click.echo(json.dumps(document, ensure_ascii=False))
    if single and documents:
        shown = documents[0] if len(documents) == 1 else documents
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    elif as_array:
        click.echo(json.dumps(documents, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(EXIT_REJECTED)


@main.command("validate")
@click.argument("targets", nargs=-1, metavar="PATH|URL|- ...")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output: compiler-style lines, or JSON for machines.")
@click.option("--as", "feed_format", type=click.Choice(FORMATS), default=None,
              help="Validate as this feed format instead of detecting it.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              show_default="256 MiB", help="Refuse documents larger than this many bytes.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True,
              help="Seconds to wait for a URL.")
@click.option("--list-rules", is_flag=True, help="List the rule ids and exit.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress bar (drawn on stderr only when it is a terminal).")
def validate_command(targets: tuple[str, ...], output_format: str, feed_format: str | None,
                     max_bytes: int | None, timeout: float, list_rules: bool,
                     quiet: bool) -> None:
    """Validate RSS 2.0, Atom 1.0 and JSON Feed documents: files, URLs, or - for stdin.

    Prints `path:line:col: severity rule-id message` per issue. Exit status: 0 no errors
    (warnings allowed), 1 a document has errors, 2 usage or read error.
    """
    from feedwright.sources.retrieve import SharedClient
    from feedwright.validate import validate_document
    from feedwright.validate.output import (
        document_json,
        rules_json,
        rules_text,
        text_lines,
    )
    from feedwright.validate.reading import DEFAULT_MAX_BYTES, ReadError, open_document

    as_json = output_format == "json"
    if list_rules:
        click.echo(json.dumps(rules_json(), indent=2) if as_json else "\n".join(rules_text()))
        return
    if not targets:
        raise UsageError("give at least one PATH, URL or - (see feedwright validate --help)")
    documents: list[dict[str, Any]] = []
    read_errors: list[dict[str, str]] = []
    any_errors = False
    progress = _progress(quiet)
    with SharedClient(timeout) as http:
        for done, target in enumerate(targets):
            if progress:
                progress("validate", done, len(targets))
            name = "<stdin>" if target == "-" else target
            try:
                with open_document(target, stdin=sys.stdin.buffer if sys.stdin else None,
                                   max_bytes=max_bytes or DEFAULT_MAX_BYTES, timeout=timeout,
                                   http=http) as (stream, size):
                    # checked as it is read; one big document moves a bar of its own
                    report = validate_document(stream, feed_format,
                                               progress and _renamed(progress, name), size=size)
            except ReadError as exc:
                read_errors.append({"path": name, "message": str(exc)})
                if not as_json:
                    click.echo(f"error: {exc}", err=True)
                continue
            any_errors = any_errors or not report.ok
            if as_json:
                documents.append(document_json(name, report))
            else:
                for line in text_lines(name, report):
                    click.echo(line)
    if progress:
        progress("validate", len(targets), len(targets))
        progress.close()
    if as_json:
        click.echo(json.dumps({"documents": documents, "read_errors": read_errors}, indent=2))
    if read_errors:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_REJECTED if any_errors else EXIT_OK)
