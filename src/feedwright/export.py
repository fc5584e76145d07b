"""One-shot export: sources to one feed document, without a ledger.

The cron path (build.py) remembers ids and first-seen dates in the ledger; an export has no memory,
so it takes what the sources themselves give: a canonical url or a tag: URI from the source's name
as id, and, where an entry states no date, the source's own modification time, recorded as such.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedwright.emit import emit
from feedwright.errors import FeedwrightError, UsageError
from feedwright.model import Entry, Feed, Timestamp
from feedwright.normalise.dates import zone
from feedwright.normalise.ids import entry_id, is_tag_authority
from feedwright.normalise.merge import merge_duplicates
from feedwright.sources import ReaderOptions, Retrieved, SourceError, read, retrieve

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


class InvalidDocument(FeedwrightError):
    """The emitted document failed validation; it must not be written."""

    def __init__(self, fmt: str, report: Report) -> None:
        self.report = report
        lines = [
            f"{fmt} document failed validation ({len(report.errors)} errors); nothing was written:"
        ]
        lines += [f"  {i.rule}: {i.message}" for i in report.errors[:20]]
        super().__init__("\n".join(lines))


def gather(
    locations: Sequence[str], *, options: ReaderOptions, kind: str | None = None
) -> Gathered:
    """Read every source; a source that fails is reported and the others still count."""
    sources: list[SourceEntries] = []
    failures: list[SourceError] = []
    for location in locations:
        try:
            retrieved = retrieve(location)
            entries = read(retrieved, kind=kind, options=options)
        except SourceError as exc:
            failures.append(exc)
            continue
        dated = tuple(_dated(entry, retrieved) for entry in entries)
        sources.append(SourceEntries(location, dated))
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
    host = urlsplit(link).hostname or "localhost"
    years = [
        s.value.year
        for source in sources
        for e in source.entries
        for s in (e.published, e.updated)
        if s is not None
    ]
    return f"{host},{min(years) if years else 2000}"


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


def export_settings(config: FeedConfig | None, fmt: str, given: Overrides) -> ExportSettings:
    """Feed metadata and reading options from a feed file and the command line's overrides.
    Raises UsageError, naming the option, for values that cannot work."""
    options = reading_options(config, given.timezone)
    if config is not None:
        feed = config.feed()
        authority: str | None = given.tag_authority or config.tag_authority
        self_url = given.self_url or config.self_url(fmt)
    else:
        if given.link is None:
            raise UsageError("give --link URL (the feed's home page) or --feed NAME.toml")
        feed = Feed(id=given.link, title=given.title or given.link, link=given.link)
        authority = given.tag_authority
        self_url = given.self_url
    if given.link is not None and not given.link.startswith(("http://", "https://")):
        raise UsageError(f"--link must be an absolute http(s) URL, not {given.link!r}")
    if authority is not None and not is_tag_authority(authority):
        raise UsageError(f"--tag-authority must look like example.org,2026, not {authority!r}")
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
    locations: Sequence[str], settings: ExportSettings, fmt: str, kind: str | None = None
) -> Exported:
    """Read, identify, order, emit and validate. All sources must read: an export names its
    inputs, so one that fails is an error (SourcesRejected), not a silently shorter feed."""
    gathered = gather(locations, options=settings.options, kind=kind)
    if gathered.failures:
        raise SourcesRejected(gathered.failures)
    authority = settings.tag_authority or default_tag_authority(
        settings.feed.link, gathered.sources
    )
    entries = order_entries(merge_identified(identify(gathered.sources, authority)))
    return export_document(dataclasses.replace(settings.feed, entries=entries), fmt)
