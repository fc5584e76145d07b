"""One-shot export: named sources to one feed document, through the build's own stages.

An export is the build without a ledger (build.py): the same ids (pipeline.identify's one recipe,
with the feed file's name and folder when one is given), the same merge of duplicates, the same
order, limit and content mode, the same emit and validation, so the same sources and settings give
the same document either way. What a ledger would remember an export takes from the sources
themselves: where an entry states no date, the source's own modification time, recorded as such.
It has no clock either: an entry dated by nothing stays undated (and sorts last).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedwright.config import (
    authority_problem,
    control_character,
    is_url_source,
    language_problem,
    url_problem,
)
from feedwright.errors import FeedwrightError, UsageError
from feedwright.ledger import EntryRow, FeedState, SourceRow
from feedwright.model import Entry, Feed, Progress, Timestamp
from feedwright.normalise.dates import zone
from feedwright.normalise.ids import is_tag_authority
from feedwright.pipeline import gather as stages
from feedwright.pipeline.assemble import assemble, finish, order_entries
from feedwright.pipeline.identify import IdScheme
from feedwright.pipeline.identify import identify as identify_rows
from feedwright.pipeline.render import Document, blocking_issues, render
from feedwright.sources import ReaderOptions, Retrieved, SourceError, read, retrieve
from feedwright.sources.base import PartlyRead
from feedwright.syntax import as_uri

if TYPE_CHECKING:
    from feedwright.config import FeedConfig
    from feedwright.validate import Report

__all__ = ["Exported", "InvalidDocument", "SourcesRejected", "export_document", "gather",
           "identify", "order_entries", "run_export"]

#: Where a date came from when the only date known is the source file's modification time.
LAST_MODIFIED = "source:last-modified"
#: The moment an export's throwaway ledger "first sees" every entry: never shown (an export
#: dates nothing by first sight), and the oldest, so entries dated by nothing sort last.
_NO_CLOCK = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SourceEntries:
    """What one source gave, before ids are minted."""

    location: str  # as the user named it
    entries: tuple[Entry, ...]
    key: str = ""  # its name in the pipeline: the path relative to the feed's folder, or the url


@dataclass(frozen=True)
class Gathered:
    sources: tuple[SourceEntries, ...]  # in key order, each source once
    failures: tuple[SourceError, ...]




@dataclass(frozen=True)
class Exported:
    data: bytes
    report: Report
    failures: tuple[SourceError, ...] = ()  # sources or records left out (keep-going only)


class InvalidDocument(FeedwrightError):
    """The emitted document failed validation; it must not be written."""

    def __init__(self, fmt: str, report: Report) -> None:
        self.report = report
        blocking = blocking_issues(report)
        lines = [
            f"{fmt} document failed validation ({len(blocking)} errors); nothing was written:"
        ]
        lines += [f"  {i.rule}: {i.message}" for i in blocking[:20]]
        super().__init__("\n".join(lines))


def gather(
    locations: Sequence[str], *, options: ReaderOptions, kind: str | None = None,
    folder: Path | None = None,
) -> Gathered:
    """Read every source (each once, in the order of its key, as a build scans them); a source
    that fails is reported and the others still count. Keys are relative to `folder` (the feed
    file's; default the current folder) as a build's are to its feed file."""
    sources: list[SourceEntries] = []
    failures: list[SourceError] = []
    for got in read_sources(locations, options=options, kind=kind, folder=folder):
        if isinstance(got, SourceError):
            failures.append(got)
        else:
            sources.append(got)
    return Gathered(tuple(sources), tuple(failures))


def read_sources(
    locations: Sequence[str], *, options: ReaderOptions, kind: str | None = None,
    folder: Path | None = None, progress: Progress | None = None,
) -> Iterator[SourceEntries | SourceError]:
    """Each source read in key order (see gather), or the errors that kept it (or some of its
    records, which are then followed by the entries the others gave) from being read."""
    keyed: dict[str, str] = {}
    for location in locations:
        keyed.setdefault(source_key(location, folder), location)
    for done, key in enumerate(sorted(keyed)):
        if progress and done % 64 == 0:
            progress("export", done, len(keyed))
        location = keyed[key]
        try:
            retrieved = retrieve(location)
            entries = read(retrieved, kind=kind, options=options)
        except PartlyRead as exc:  # some records failed: each is named, the rest may count
            yield from exc.failures
            if not exc.entries:
                continue
            entries = exc.entries
        except SourceError as exc:
            yield exc
            continue
        yield SourceEntries(location, tuple(_dated(e, retrieved) for e in entries), key)
    if progress:
        progress("export", len(keyed), len(keyed))


def source_key(location: str, folder: Path | None = None) -> str:
    """What a build's scan would call this source: a url as it is; a relative path relative to
    `folder` (default: the current folder), an absolute one absolute; posix, normalised."""
    if is_url_source(location):
        return location
    if os.path.isabs(location):
        return os.path.normpath(location).replace(os.sep, "/")
    base = os.path.abspath(folder) if folder is not None else os.getcwd()
    return os.path.relpath(os.path.abspath(location), base).replace(os.sep, "/")


def _dated(entry: Entry, retrieved: Retrieved) -> Entry:
    """An entry that states no date takes the source's modification time, labelled as such."""
    if entry.published is not None or entry.updated is not None:
        return entry
    if retrieved.last_modified is None:
        return entry
    # whole seconds, as HTTP's Last-Modified gives them: sub-second noise is not information
    moment = retrieved.last_modified.replace(microsecond=0)
    return dataclasses.replace(entry, published=Timestamp(moment, LAST_MODIFIED))


def identified_rows(sources: Iterable[SourceEntries], ids: IdScheme) -> list[EntryRow]:
    """The build's identify stage over an empty ledger: every entry new, its id minted."""
    return _identify([reduced(source) for source in sources], ids)


def _identify(gathered: list[stages.Gathered], ids: IdScheme) -> list[EntryRow]:
    merged = identify_rows(FeedState({}, {}), gathered, _NO_CLOCK, ids=ids, grace=timedelta(0))
    return merged.live


def reduced(source: SourceEntries) -> stages.Gathered:
    """A source's entries as the build's gather stage gives them: reduced to records."""
    entries = tuple(map(stages.reduce_entry, source.entries))
    digest = hashlib.sha256("".join(r.digest for r in entries).encode()).hexdigest()
    row = SourceRow(source.key or source.location, -1, -1, digest)
    return stages.Gathered(row.path, "read", row, entries=entries)


def identify(sources: Sequence[SourceEntries], tag_authority: str,
             feed_name: str | None = None) -> tuple[Entry, ...]:
    """Every entry with its id: its own, its canonical url, or a tag: URI from the source's name
    (pipeline.identify, as the build mints them); not merged, not ordered."""
    rows = identified_rows(sources, IdScheme(tag_authority, feed_name))
    return tuple(finish(r, "full", first_seen_dates=False) for r in rows)


def default_tag_authority(link: str, sources: Sequence[SourceEntries]) -> str:
    """`host,YEAR` from the feed link and the earliest entry date: stable for the same input."""
    return _authority(link, (year for source in sources for year in _years(source)))


def _years(source: SourceEntries) -> Iterator[int]:
    return (s.value.year for e in source.entries for s in (e.published, e.updated)
            if s is not None)


def _authority(link: str, years: Iterable[int]) -> str:
    """`host,YEAR` for a link: an international host name in its ASCII (punycode) form."""
    host = urlsplit(link).hostname or "localhost"
    with contextlib.suppress(UnicodeError):  # is_tag_authority refuses it; export_settings says so
        host = host.encode("idna").decode("ascii")
    return f"{host},{min(years, default=2000):04d}"


def export_document(feed: Feed, fmt: str, hubs: tuple[str, ...] = ()) -> Exported:
    """Emit one format and validate it; raises EmitError or InvalidDocument rather than return
    a bad document. It names no stylesheet: an exported file travels without one."""
    from feedwright.emit import EmitError

    (done,) = render(feed, [Document(fmt, fmt, feed.self_url, hubs)])
    if done.emit_error is not None:
        raise EmitError(done.emit_error)
    assert done.data is not None and done.report is not None
    if blocking_issues(done.report):
        raise InvalidDocument(fmt, done.report)
    return Exported(done.data, done.report)


# --- the whole export, as the command line runs it ----------------------------------------------


@dataclass(frozen=True)
class ExportSettings:
    feed: Feed  # metadata, no entries yet
    options: ReaderOptions
    tag_authority: str | None  # None: derived from the link and the entries' years
    name: str | None = None  # the feed file's name, first in minted ids as in its build
    folder: Path | None = None  # the feed file's folder: source keys are relative to it
    limit: int | None = None
    content: str = "full"
    hubs: tuple[str, ...] = ()  # WebSub hubs the document names, as in the build


@dataclass(frozen=True)
class Overrides:
    """Options given on the command line; each overrides the feed file's value when set."""

    title: str | None = None
    link: str | None = None
    description: str | None = None
    language: str | None = None
    timezone: str | None = None
    tag_authority: str | None = None
    self_url: str | None = None
    output_name: str | None = None  # the file name -o writes, which the self url then names


def check_overrides(given: Overrides) -> None:
    """Raise UsageError naming the option whose value no feed can carry: nothing but blanks, a
    control character, a link that is not an absolute http(s) url, an authority that is not RFC
    4151's, a language that is not a tag. The same checks a feed file's keys get (config.py),
    so both fail before anything is read."""
    texts = {"--title": given.title, "--description": given.description,
             "--language": given.language, "--timezone": given.timezone}
    links = {"--link": given.link, "--self-url": given.self_url}
    for option, value in {**texts, **links, "--tag-authority": given.tag_authority}.items():
        if value is not None and not value.strip():  # as a feed file's empty key is refused
            raise UsageError(f"{option} must not be empty")
        problem = control_character(value) if value is not None else None
        if problem is None and value is not None and option in links:
            problem = url_problem(value)
        if problem is None and value is not None and option == "--tag-authority":
            problem = authority_problem(value)
        if problem is None and value is not None and option == "--language":
            problem = language_problem(value)
        if problem:
            raise UsageError(f"{option} {problem}")


def export_settings(config: FeedConfig | None, fmt: str, given: Overrides) -> ExportSettings:
    """Feed metadata and reading options from a feed file and the command line's overrides.
    Raises UsageError, naming the option, for values that cannot work."""
    check_overrides(given)
    given = dataclasses.replace(given, link=given.link and as_uri(given.link),
                                self_url=given.self_url and as_uri(given.self_url))
    options = reading_options(config, given.timezone)
    if config is not None:
        feed = config.feed()
        authority: str | None = given.tag_authority or config.tag_authority
        # The document's own address: where -o puts it under the feed's base_url, else the
        # feed file's name for this format (standard output goes wherever the caller says).
        named = (config.base_url.rstrip("/") + "/" + given.output_name
                 if config.base_url and given.output_name else config.self_url(fmt))
        self_url = given.self_url or named
    else:
        if given.link is None:
            raise UsageError("give --link URL (the feed's home page) or --feed NAME.toml")
        title = given.title or urlsplit(given.link).hostname or given.link  # (--help says so)
        feed = Feed(id=given.link, title=title, link=given.link)
        authority = given.tag_authority
        self_url = given.self_url
    if authority is None and not is_tag_authority(_authority(given.link or feed.link, ())):
        raise UsageError(f"the host of {given.link or feed.link!r} cannot name entry ids: "
                         "give --tag-authority, like example.org,2026")
    feed = dataclasses.replace(
        feed,
        title=given.title or feed.title,
        link=given.link or feed.link,
        description=given.description or feed.description,
        language=given.language or feed.language,
        self_url=self_url,
    )
    if config is None:
        return ExportSettings(feed, options, authority)
    return ExportSettings(feed, options, authority, config.name, config.folder, config.limit,
                          config.content, config.hubs)


def reading_options(config: FeedConfig | None, timezone: str | None) -> ReaderOptions:
    """How to read sources: the feed file's options (defaults without one), in `timezone` when
    one is given. Raises UsageError naming a zone that does not exist."""
    options = config.reader_options() if config is not None else ReaderOptions()
    if timezone is None:
        return options
    try:
        zone(timezone)
    except ValueError as exc:  # it names the zone
        raise UsageError(f"--timezone: {exc}") from None
    return dataclasses.replace(options, timezone=timezone)


class SourcesRejected(FeedwrightError):
    """Some named sources could not be read: an export writes nothing then."""

    def __init__(self, failures: Sequence[SourceError]) -> None:
        self.failures = tuple(failures)
        super().__init__("no document written: fix or leave out the sources above")

    def messages(self) -> list[str]:
        return [*map(str, self.failures), str(self)]


class SourcesLeftOut(FeedwrightError):
    """--keep-going: the document was written without the sources or records that could not
    be read."""

    def __init__(self, failures: Sequence[SourceError]) -> None:
        self.failures = tuple(failures)
        what = "source or record" if len(failures) == 1 else "sources or records"
        super().__init__(f"the document was written without the {len(failures)} {what} above")

    def messages(self) -> list[str]:
        return [*map(str, self.failures), str(self)]


def check_failures(failures: Sequence[SourceError], read_any: bool, keep_going: bool) -> None:
    """Raise SourcesRejected unless every source read, or keep_going and one at least did."""
    if failures and (not keep_going or not read_any):
        raise SourcesRejected(failures)


def run_export(
    locations: Sequence[str], settings: ExportSettings, fmt: str, kind: str | None = None,
    *, keep_going: bool = False, progress: Progress | None = None,
) -> Exported:
    """Read, identify, merge, order, emit and validate. All sources must read: an export names
    its inputs, so one that fails is an error (SourcesRejected), not a silently shorter feed;
    unless keep_going, when the document holds what did read and lists what did not."""
    # Each source is reduced to records as it is read: the parsed entries of all sources are
    # never held at once (the feed's entries are made again from the records).
    failures: list[SourceError] = []
    gathered: list[stages.Gathered] = []
    years: list[int] = []
    for got in read_sources(locations, options=settings.options, kind=kind,
                            folder=settings.folder, progress=progress):
        if isinstance(got, SourceError):
            failures.append(got)
            continue
        years += _years(got)
        gathered.append(reduced(got))
        del got
    check_failures(failures, bool(gathered), keep_going)
    authority = settings.tag_authority or _authority(settings.feed.link, years)
    rows = _identify(gathered, IdScheme(authority, settings.name))
    del gathered
    feed = assemble(settings.feed, rows, limit=settings.limit, content=settings.content,
                    first_seen_dates=False)
    del rows
    return dataclasses.replace(export_document(feed, fmt, settings.hubs), failures=tuple(failures))
