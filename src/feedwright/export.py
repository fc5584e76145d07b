"""One-shot export: sources to one feed document, without a ledger.

The cron path (build.py) remembers ids and first-seen dates in the ledger; an export has no memory,
so it takes what the sources themselves give: a canonical url or a tag: URI from the source's name
as id, and, where an entry states no date, the source's own modification time, recorded as such.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedwright.config import (
    as_uri,
    authority_problem,
    control_character,
    language_problem,
    url_problem,
)
from feedwright.emit import emit
from feedwright.errors import FeedwrightError, UsageError
from feedwright.model import Entry, Feed, Timestamp
from feedwright.normalise.dates import zone
from feedwright.normalise.ids import entry_id, is_tag_authority
from feedwright.normalise.merge import merge_duplicates
from feedwright.sources import ReaderOptions, Retrieved, SourceError, read, retrieve
from feedwright.sources.base import PartlyRead

if TYPE_CHECKING:
    from feedwright.config import FeedConfig
    from feedwright.validate import Report

#: Where a date came from when the only date known is the source file's modification time.
LAST_MODIFIED = "source:last-modified"


@dataclass(frozen=True)
class SourceEntries:
    """What one source gave, before ids are minted."""

    location: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Gathered:
    sources: tuple[SourceEntries, ...]
    failures: tuple[SourceError, ...]


@dataclass(frozen=True)
class Exported:
    data: bytes
    report: Report
    failures: tuple[SourceError, ...] = ()  # sources left out (keep-going only)


class InvalidDocument(FeedwrightError):
    """The emitted document failed validation; it must not be written."""

    def __init__(self, fmt: str, report: Report) -> None:
        self.report = report
        lines = [
            f"{fmt} document failed validation ({len(report.errors)} errors); nothing was written:"
        ]
        lines += [f"  {i.rule}: {i.message}" for i in report.errors[:20]]
        super().__init__("\n".join(lines))


#: Called as (label, sources done, sources in total), like build.Progress.
Progress = Callable[[str, int, int], None]


def gather(
    locations: Sequence[str], *, options: ReaderOptions, kind: str | None = None,
    progress: Progress | None = None,
) -> Gathered:
    """Read every source; a source that fails is reported and the others still count."""
    sources: list[SourceEntries] = []
    failures: list[SourceError] = []
    for done, location in enumerate(locations):
        if progress and done % 64 == 0:
            progress("export", done, len(locations))
        try:
            retrieved = retrieve(location)
            entries = read(retrieved, kind=kind, options=options)
        except PartlyRead as exc:  # some records failed: each is named, the rest may count
            failures += exc.failures
            entries = exc.entries
        except SourceError as exc:
            failures.append(exc)
            continue
        if not entries:
            continue
        dated = tuple(_dated(entry, retrieved) for entry in entries)
        sources.append(SourceEntries(location, dated))
    if progress:
        progress("export", len(locations), len(locations))
    return Gathered(tuple(sources), tuple(failures))


def _dated(entry: Entry, retrieved: Retrieved) -> Entry:
    """An entry that states no date takes the source's modification time, labelled as such."""
    if entry.published is not None or entry.updated is not None:
        return entry
    if retrieved.last_modified is None:
        return entry
    # whole seconds, as HTTP's Last-Modified gives them: sub-second noise is not information
    moment = retrieved.last_modified.replace(microsecond=0)
    return dataclasses.replace(entry, published=Timestamp(moment, LAST_MODIFIED))


def identify(sources: Sequence[SourceEntries], tag_authority: str) -> tuple[Entry, ...]:
    """Give every entry an id: its own, its canonical url, or a tag: URI from the source name."""
    identified: list[Entry] = []
    for source in sources:
        name = source_name(source.location)
        for position, entry in enumerate(source.entries):
            suffix = f"#{position + 1}" if len(source.entries) > 1 else ""
            minted = entry_id(
                entry.id, entry.url, authority=tag_authority, source=name, position=suffix
            )
            identified.append(dataclasses.replace(entry, id=minted))
    return tuple(identified)


def merge_identified(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """The same article from several sources as one entry listing every provenance.

    After identify, so each entry's id is the one its source alone would give (merging first
    would shift the positions minted ids are made from). The entry with the least id leads its
    group, ties by where it came from: an export has no memory of which it saw first, and this
    way the result, id and all, does not depend on the order the sources were named in.
    """
    return merge_duplicates(
        sorted(entries, key=lambda e: (e.id or "", [p.location for p in e.provenance]))
    )


def source_name(location: str) -> str:
    """The identity of a source in an id: the file's stem, or the url's path."""
    if "://" in location:
        parts = urlsplit(location)
        return (parts.netloc + parts.path).rstrip("/")
    return PurePath(location).stem


def default_tag_authority(link: str, sources: Sequence[SourceEntries]) -> str:
    """`host,YEAR` from the feed link and the earliest entry date: stable for the same input."""
    years = [
        s.value.year
        for source in sources
        for e in source.entries
        for s in (e.published, e.updated)
        if s is not None
    ]
    return link_authority(link, min(years) if years else 2000)


def link_authority(link: str, year: int) -> str:
    """`host,YEAR` for a link: an international host name in its ASCII (punycode) form."""
    host = urlsplit(link).hostname or "localhost"
    with contextlib.suppress(UnicodeError):  # is_tag_authority refuses it; the caller says so
        host = host.encode("idna").decode("ascii")
    return f"{host},{year:04d}"


def order_entries(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """Newest first by published (else updated), ties by id: the order DESIGN.md promises."""

    def moment(entry: Entry) -> float:
        stamp = entry.published or entry.updated
        return stamp.value.timestamp() if stamp is not None else float("-inf")

    by_id = sorted(entries, key=lambda e: e.id or "")
    return tuple(sorted(by_id, key=moment, reverse=True))


def export_document(feed: Feed, fmt: str) -> Exported:
    """Emit one format and validate it; raises InvalidDocument rather than return a bad one."""
    from feedwright.validate import validate_document

    data = emit(feed, fmt)
    report = validate_document(data, fmt)
    if not report.ok:
        raise InvalidDocument(fmt, report)
    return Exported(data, report)


# --- the whole export, as the command line runs it ----------------------------------------------


@dataclass(frozen=True)
class ExportSettings:
    feed: Feed  # metadata, no entries yet
    options: ReaderOptions
    tag_authority: str | None  # None: derived from the link and the entries' years


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
    """Raise UsageError naming the option whose value no feed can carry: a control character,
    a link that is not an absolute http(s) url, an authority that is not RFC 4151's. The same
    checks a feed file's keys get (config.py), so both fail before anything is read."""
    texts = {"--title": given.title, "--description": given.description,
             "--language": given.language, "--timezone": given.timezone}
    links = {"--link": given.link, "--self-url": given.self_url}
    for option, value in {**texts, **links, "--tag-authority": given.tag_authority}.items():
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
        feed = Feed(id=given.link, title=given.title or given.link, link=given.link)
        authority = given.tag_authority
        self_url = given.self_url
    if authority is None and not is_tag_authority(link_authority(given.link or feed.link, 2000)):
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
    return ExportSettings(feed, options, authority)


def reading_options(config: FeedConfig | None, timezone: str | None) -> ReaderOptions:
    """How to read sources: the feed file's options (defaults without one), in `timezone` when
    one is given. Raises UsageError naming a zone that does not exist."""
    options = config.reader_options() if config is not None else ReaderOptions()
    if timezone is None:
        return options
    try:
        zone(timezone)
    except ValueError as exc:  # it names the zone
        raise UsageError(str(exc)) from None
    return dataclasses.replace(options, timezone=timezone)


class SourcesRejected(FeedwrightError):
    """Some named sources could not be read: an export writes nothing then."""

    def __init__(self, failures: Sequence[SourceError]) -> None:
        self.failures = tuple(failures)
        super().__init__("no document written: fix or leave out the sources above")

    def messages(self) -> list[str]:
        return [*map(str, self.failures), str(self)]


def run_export(
    locations: Sequence[str], settings: ExportSettings, fmt: str, kind: str | None = None,
    *, keep_going: bool = False, progress: Progress | None = None,
) -> Exported:
    """Read, identify, order, emit and validate. All sources must read: an export names its
    inputs, so one that fails is an error (SourcesRejected), not a silently shorter feed;
    unless keep_going, when the document holds what did read and lists what did not."""
    gathered = gather(locations, options=settings.options, kind=kind, progress=progress)
    check_failures(gathered, keep_going)
    authority = settings.tag_authority or default_tag_authority(
        settings.feed.link, gathered.sources
    )
    entries = order_entries(merge_identified(identify(gathered.sources, authority)))
    exported = export_document(dataclasses.replace(settings.feed, entries=entries), fmt)
    return dataclasses.replace(exported, failures=gathered.failures)


class SourcesLeftOut(FeedwrightError):
    """--keep-going: the document was written without the sources or records that could not
    be read."""

    def __init__(self, failures: Sequence[SourceError]) -> None:
        self.failures = tuple(failures)
        what = "source or record" if len(failures) == 1 else "sources or records"
        super().__init__(f"the document was written without the {len(failures)} {what} above")

    def messages(self) -> list[str]:
        return [*map(str, self.failures), str(self)]


def check_failures(gathered: Gathered, keep_going: bool) -> None:
    """Raise SourcesRejected unless every source read, or keep_going and one at least did."""
    if gathered.failures and (not keep_going or not gathered.sources):
        raise SourcesRejected(gathered.failures)
