"""The cron pipeline for one feed: gather, merge with the ledger, emit, validate, publish.

Stages, each a function of its inputs:

1. ``scan``: the source files the feed's globs match now.
2. ``gather``: per source, reuse the ledger's records when its fingerprint (size + mtime, else
   sha256) is unchanged, else read it; a source that fails keeps its last good records.
3. ``merge``: give every entry its id (kept from the ledger by source position, canonical url or,
   for a renamed source, content hash; minted otherwise), its first-seen and updated times, and
   drop entries of sources gone longer than the grace period. Gives the ledger changes.
4. ``assemble``: newest first by published, ties by id, limited; ``render`` emits and validates.
5. ``commit``: each validated document goes to an fsynced temporary file as it is rendered
   (one document in memory at a time); then the ledger, then every file renamed into place,
   skipping files that already hold the same bytes. Nothing is committed or published when
   validation or a write fails.

The clock is passed in; nothing here reads it, so tests and reruns are deterministic.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import glob
import hashlib
import os
import re
import sqlite3
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from feedwright import __version__
from feedwright.config import (
    ConfigError,
    FeedConfig,
    find_feed_configs,
    is_url_source,
    load_feed_config,
)
from feedwright.errors import EXIT_LOCKED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from feedwright.ledger import (
    Changes,
    EntryRow,
    FeedState,
    Ledger,
    LedgerError,
    OutputRow,
    SourceRow,
)
from feedwright.model import Entry, Feed, Timestamp
from feedwright.normalise.ids import entry_id, tag_uri
from feedwright.normalise.merge import duplicate_keys, group_duplicates, merge_group
from feedwright.publish import (
    Locked,
    discard_staged,
    fsync_folder,
    remove_stale_temps,
    replace_staged,
    stage,
    state_lock,
)
from feedwright.serialise import entry_from_json, record_and_hash

if TYPE_CHECKING:
    from feedwright.websub import Notice, Notifier

Clock = Callable[[], datetime]
#: Called as (feed name, sources done, sources in total).
Progress = Callable[[str, int, int], None]

FIRST_SEEN = "ledger:first-seen"
CONTENT_CHANGED = "ledger:content-changed"
STATE_FILE_NAME = ".feedwright-state.sqlite"


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFailure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class FeedResult:
    name: str
    config: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failures: list[SourceFailure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the feed was not published
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already held the same bytes
    dry_run: bool = False
    hubs: list[Notice] = field(default_factory=list)  # WebSub: reported, never a failure

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors

    def summary(self) -> str:
        head = f"{self.name}: {self.added} added, {self.updated} updated, {self.removed} removed, "
        head += f"{self.unchanged} unchanged, {len(self.failures)} failed"
        if self.errors:
            return head + " - NOT PUBLISHED, previous files kept"
        if self.dry_run:
            return head + f" (dry run: {len(self.written)} files would be written)"
        head += f"; {len(self.written)} written, {len(self.kept)} unchanged files"
        if self.hubs:
            failed = sum(not n.ok for n in self.hubs)
            head += f"; hubs: {len(self.hubs) - failed} notified, {failed} failed"
        return head

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "config": self.config, "ok": self.ok, "dry_run": self.dry_run,
            "added": self.added, "updated": self.updated, "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": [{"path": f.path, "reason": f.reason} for f in self.failures],
            "errors": self.errors, "written": self.written, "kept": self.kept,
            "hubs": [n.to_json() for n in self.hubs],
        }


@dataclass
class RunReport:
    feeds: list[FeedResult] = field(default_factory=list)
    config_errors: list[str] = field(default_factory=list)
    locked: str | None = None

    @property
    def exit_code(self) -> int:
        if self.locked:
            return EXIT_LOCKED
        if self.config_errors:
            return EXIT_USAGE
        return EXIT_OK if all(f.ok for f in self.feeds) else EXIT_REJECTED

    def to_json(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code, "locked": self.locked,
                "config_errors": self.config_errors, "feeds": [f.to_json() for f in self.feeds]}


# --- stage 1 and 2: scan and gather ----------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A source file the globs match, stat()ed once: before reading, so a later edit shows; or a
    url the feed names (size and mtime -1: it is fetched, not stat()ed)."""

    path: str
    size: int
    mtime_ns: int


def scan(config: FeedConfig) -> dict[str, Found]:
    """Source key (path relative to the TOML file, posix, or the url) -> source, for every glob
    match and every url. What glob.glob(recursive=True) matches, found in one os.scandir pass per
    folder the pattern reaches (each file stat()ed once, no Path objects)."""
    found: dict[str, Found] = {}
    folder = str(config.folder)
    for pattern in config.sources:
        if is_url_source(pattern):
            found.setdefault(pattern, Found(pattern, -1, -1))
            continue
        parts = _walkable(pattern)
        if parts is None:
            _scan_glob(pattern, folder, found)
            continue
        prefix, rest = parts
        relative = os.path.normpath(prefix) if prefix else ""
        # Names from scandir hold no separator and are never . or ..: joined to the normalised
        # folder they are normalised keys already.
        _scan_walk(os.path.join(folder, prefix) if prefix else folder, os.path.join(folder, ""),
                   "" if relative == "." else relative, rest, found)
    return dict(sorted(found.items()))


_MAGIC = re.compile(r"[*?[]")


def _walkable(pattern: str) -> tuple[str, list[str | re.Pattern[str] | None]] | None:
    """The pattern as (literal folder, then per level: a compiled name pattern, a literal name or
    None for `**`); None when it is not a plain folder/**/name pattern (then glob it)."""
    pieces = pattern.replace(os.sep, "/").split("/")
    n = 0
    while n < len(pieces) - 1 and not _MAGIC.search(pieces[n]):
        n += 1
    rest: list[str | re.Pattern[str] | None] = []
    for piece in pieces[n:]:
        if piece == "**":
            rest.append(None)
        elif not piece or piece in (".", "..") or "**" in piece:
            return None
        elif _MAGIC.search(piece):
            if piece.startswith("."):
                return None  # glob's rules for hidden names: leave them to glob
            rest.append(re.compile(fnmatch.translate(piece)))
        else:
            rest.append(piece)
    if not rest or rest[-1] is None or not _MAGIC.search(pattern):
        return None
    return "/".join(pieces[:n]), rest


def _scan_walk(directory: str, base: str, relative: str,
               rest: Sequence[str | re.Pattern[str] | None], found: dict[str, Found]) -> None:
    step, last = rest[0], len(rest) == 1
    if step is None:  # `**`: this folder, then every folder below it that is not hidden
        _scan_walk(directory, base, relative, rest[1:], found)
        for entry in _entries(directory):
            if not entry.name.startswith(".") and _is_dir(entry):
                _scan_walk(entry.path, base, _join(relative, entry.name), rest, found)
        return
    for entry in _entries(directory):
        name = entry.name
        if isinstance(step, str):
            if name != step:
                continue
        elif name.startswith(".") or not step.match(name):
            continue
        if not last:
            if _is_dir(entry):
                _scan_walk(entry.path, base, _join(relative, name), rest[1:], found)
            continue
        key = _join(relative, name)
        if key in found:
            continue
        try:
            st = entry.stat()
        except OSError:
            continue  # gone (or a dangling link): it is simply not there this run
        if stat.S_ISREG(st.st_mode):
            found[key] = Found(key if key.startswith("/") else base + key, st.st_size,
                               st.st_mtime_ns)


def _entries(directory: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as it:
            return list(it)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _join(relative: str, name: str) -> str:
    if not relative or relative.endswith("/"):
        return relative + name
    return f"{relative}/{name}"


def _scan_glob(pattern: str, folder: str, found: dict[str, Found]) -> None:
    for match in glob.glob(pattern, root_dir=folder, recursive=True):
        key = os.path.normpath(match).replace(os.sep, "/")
        if key in found:
            continue
        path = os.path.join(folder, key)
        try:
            st = os.stat(path)
        except OSError:
            continue  # gone between glob and stat: it is simply not there this run
        if stat.S_ISREG(st.st_mode):
            found[key] = Found(path, st.st_size, st.st_mtime_ns)


Status = Literal["reused", "read", "failed"]


@dataclass(frozen=True, slots=True)
class Read:
    """An entry a reader gave this build, as the ledger will keep it: its record, hash and what
    merge needs. The entry itself is dropped once reduced, so a build never holds every parsed
    entry beside every record."""

    id: str | None
    url: str | None
    stated: datetime | None  # published, else updated, as the source states it
    record: str
    digest: str
    dup_keys: tuple[str, ...]


def reduce_entry(entry: Entry) -> Read:
    record, digest = record_and_hash(entry)
    stated = entry.published or entry.updated
    return Read(entry.id, entry.url, stated.value if stated else None, record, digest,
                duplicate_keys(entry))


@dataclass(frozen=True)
class Gathered:
    key: str
    status: Status
    row: SourceRow  # the source's ledger row after this build
    entries: tuple[Read, ...] | None = None  # "read" only: the reader's entries, reduced
    error: str | None = None


ReadSource = Callable[[Path, FeedConfig], tuple[bytes, Callable[[], tuple[Entry, ...]]]]


def read_source(path: Path, config: FeedConfig) -> tuple[bytes, Callable[[], tuple[Entry, ...]]]:
    """The source's bytes, and a function that reads them into entries (so hashing comes first)."""
    from feedwright.sources import read, retrieve

    retrieved = retrieve(str(path))
    return retrieved.data, lambda: read(retrieved, options=config.reader_options())


def gather_one(key: str, found: Found, old: SourceRow | None, config: FeedConfig,
               reader: ReadSource) -> Gathered:
    same_stat = old is not None and (old.size, old.mtime_ns) == (found.size, found.mtime_ns)
    if old is not None and same_stat and old.missing_since is None:
        return Gathered(key, "failed" if old.error else "reused", old, error=old.error)
    path = Path(found.path)
    try:
        data, parse = reader(path, config)
    except Exception as exc:  # nothing lost: report and keep the last good records
        return _failed(key, old, None, _reason(exc))
    row = SourceRow(key, len(data), found.mtime_ns, hashlib.sha256(data).hexdigest())
    if old is not None and old.sha256 == row.sha256 and old.error is None:
        return Gathered(key, "reused", row)
    if old is not None and old.sha256 == row.sha256 and old.error:
        return Gathered(key, "failed", dataclasses.replace(row, error=old.error), error=old.error)
    try:
        entries = parse()
    except Exception as exc:
        return _failed(key, old, row, _reason(exc))
    return Gathered(key, "read", row, entries=tuple(map(reduce_entry, entries)))


def gather_url(url: str, old: SourceRow | None, config: FeedConfig) -> Gathered:
    """Fetch a url source, conditionally when the ledger holds the validators of its last good
    fetch: a 304 reuses its stored entries without reading anything."""
    from feedwright.sources import read, retrieve

    known = old if old is not None and old.missing_since is None else None
    try:
        got = retrieve(url, etag=known.etag if known else None,
                       last_modified=known.last_modified if known else None)
    except Exception as exc:
        # Nothing was fetched, so no bytes are known: the next 200 is read in full.
        return _failed(url, old, dataclasses.replace(old, sha256="") if old else None,
                       _reason(exc))
    if got.not_modified:
        if known is None:
            return _failed(url, old, None, "HTTP 304 Not Modified to an unconditional request")
        return Gathered(url, "reused", dataclasses.replace(
            known, error=None, etag=got.etag or known.etag,
            last_modified=got.last_modified or known.last_modified))
    row = SourceRow(url, len(got.data), -1, hashlib.sha256(got.data).hexdigest(),
                    etag=got.etag, last_modified=got.last_modified)
    if known is not None and known.sha256 == row.sha256:
        if known.error is None:
            return Gathered(url, "reused", row)
        return Gathered(url, "failed", known, error=known.error)  # the same bytes failed before
    try:
        entries = read(got, options=config.reader_options())
    except Exception as exc:
        # Keep the last good fetch's validators: a 304 must always mean "the last good content".
        bad = dataclasses.replace(row, etag=known.etag if known else None,
                                  last_modified=known.last_modified if known else None)
        return _failed(url, old, bad, _reason(exc))
    return Gathered(url, "read", row, entries=tuple(map(reduce_entry, entries)))


def _failed(key: str, old: SourceRow | None, row: SourceRow | None, reason: str) -> Gathered:
    base = row or old or SourceRow(key, -1, -1, "")
    return Gathered(key, "failed", dataclasses.replace(base, error=reason, missing_since=None),
                    error=reason)


def _reason(exc: Exception) -> str:
    from feedwright.sources import SourceError

    if isinstance(exc, SourceError):
        return f"line {exc.line}: {exc.reason}" if exc.line is not None else exc.reason
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return f"reader failed: {type(exc).__name__}: {exc}"


def reading_digest(config: FeedConfig) -> str:
    """What reading a source depends on besides its bytes: the reader code's version and the
    feed's reading options (time zone, chrome, credit patterns, base url): the settings
    FeedConfig.reader_options is made of, taken from the config itself, so a build that reads
    nothing never imports the readers (half a second)."""
    options = (config.timezone, tuple(config.text_chrome),
               tuple((p.pattern, p.role) for p in config.credit_patterns),
               config.sources_base_url)
    settings = f"{__version__}\x00reader-options\x00{options!r}"
    return hashlib.sha256(settings.encode("utf-8")).hexdigest()[:16]


def gather(config: FeedConfig, state: FeedState, found: Mapping[str, Found],
           reader: ReadSource = read_source, progress: Progress | None = None) -> list[Gathered]:
    result = []
    total = len(found)
    reading = reading_digest(config)
    for done, (key, source) in enumerate(found.items()):
        if progress and done % 64 == 0:
            progress(config.name, done, total)
        old = state.sources.get(key)
        if old is not None and old.reader != reading:
            # Read with other settings (an upgrade, a new pattern or time zone): its fingerprint
            # says nothing about what reading it now would give, so nothing may be reused.
            old = dataclasses.replace(old, size=-1, sha256="", etag=None, last_modified=None)
        got = (gather_url(key, old, config) if is_url_source(key)
               else gather_one(key, source, old, config, reader))
        if got.row.reader != reading:
            got = dataclasses.replace(got, row=dataclasses.replace(got.row, reader=reading))
        result.append(got)
    if progress:
        progress(config.name, total, total)
    return result


# --- stage 3: merge with the ledger ----------------------------------------------------------


@dataclass
class Merged:
    changes: Changes
    live: list[EntryRow]
    added: int
    updated: int
    removed: int


def sort_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def merge(config: FeedConfig, state: FeedState, gathered: Sequence[Gathered],
          now: datetime) -> Merged:
    present = {g.key for g in gathered}
    by_source: dict[str, list[EntryRow]] = defaultdict(list)
    for row in state.entries.values():
        by_source[row.source].append(row)

    live: dict[str, EntryRow] = {}
    put_entries: list[EntryRow] = []
    put_sources: list[SourceRow] = []
    added = updated = 0

    # Sources not read this time keep exactly the rows they had.
    for g in gathered:
        if g.row != state.sources.get(g.key):
            put_sources.append(g.row)
        if g.entries is None:
            live.update((r.id, r) for r in by_source.get(g.key, ()))

    # Entries read this time find their old row: same place, same url, or a moved source's
    # entry with the same content (a rename); otherwise they get a new id.
    fresh = [(g.key, i, e) for g in gathered if g.entries is not None
             for i, e in enumerate(g.entries)]
    by_place = {(r.source, r.position): r for r in state.entries.values()}
    by_url: dict[str, list[EntryRow]] = defaultdict(list)  # several when sources duplicate
    for r in state.entries.values():
        if r.url:
            by_url[r.url].append(r)
    by_hash = {r.content_hash: r for r in sorted(state.entries.values(), key=lambda r: r.id,
                                                  reverse=True) if r.source not in present}
    matched: dict[int, EntryRow] = {}
    claimed: set[str] = set(live)
    for way in ("place", "url", "content"):
        for n, (key, i, entry) in enumerate(fresh):
            if n in matched:
                continue
            if way == "place":
                old = by_place.get((key, i))
            elif way == "url":
                old = next((r for r in by_url.get(entry.url or "", ()) if r.id not in claimed),
                           None)
            else:
                old = by_hash.get(entry.digest)
            if old is not None and old.id not in claimed:
                matched[n] = old
                claimed.add(old.id)
    taken = claimed | set(state.entries)
    counts = {g.key: len(g.entries) for g in gathered if g.entries is not None}
    for n, (key, i, entry) in enumerate(fresh):
        old = matched.get(n)
        if old is None:
            entry_id = mint_id(config, key, i, counts[key], entry, taken)
            taken.add(entry_id)
            row = EntryRow(entry_id, key, i, entry.url, entry.digest, now, None,
                           sort_key(entry.stated or now), entry.record, entry.dup_keys)
            added += 1
        else:
            changed = entry.digest != old.content_hash
            updated += changed
            row = EntryRow(old.id, key, i, entry.url, entry.digest, old.first_seen,
                           now if changed else old.updated_at,
                           sort_key(entry.stated or old.first_seen), entry.record, entry.dup_keys)
        live[row.id] = row
        if row != state.entries.get(row.id):
            put_entries.append(row)

    # Sources that are gone: their unclaimed entries stay for the grace period, then go.
    drop_sources: list[str] = []
    for key, old_source in state.sources.items():
        if key in present:
            continue
        left = [r for r in by_source.get(key, ()) if r.id not in live]
        since = old_source.missing_since or now
        if not left or now - since >= config.deleted_grace:
            drop_sources.append(key)
            continue
        live.update((r.id, r) for r in left)
        if old_source.missing_since is None:
            put_sources.append(dataclasses.replace(old_source, missing_since=now))

    # Rows from a ledger older than duplicate keys get theirs once, from their stored record.
    for row in list(live.values()):
        if row.dup_keys is None:
            live[row.id] = dataclasses.replace(
                row, dup_keys=duplicate_keys(entry_from_json(row.record)))
            put_entries.append(live[row.id])

    drop_entries = sorted(set(state.entries) - set(live))
    return Merged(
        changes=Changes(tuple(put_sources), tuple(drop_sources), tuple(put_entries),
                        tuple(drop_entries)),
        live=list(live.values()),
        added=added,
        updated=updated,
        removed=len(drop_entries),
    )


def feed_date(entry: Entry, first_seen: datetime) -> datetime:
    """What the feed orders an entry by: the date it was published, else last updated, as the
    source states them, else when the ledger first saw it."""
    stated = entry.published or entry.updated
    return stated.value if stated else first_seen


def mint_id(config: FeedConfig, key: str, position: int, count: int, entry: Read,
            taken: set[str]) -> str:
    """The source's own id, its canonical url, or a tag: URI from the source's path at first sight
    (normalise.ids.entry_id, shared with export); a taken one gets a ~N suffix."""
    specific = f"{config.name}/{_path_name(key)}"
    suffix = f"#{position + 1}" if count > 1 else ""
    candidate = entry_id(
        entry.id, entry.url, authority=config.tag_authority, source=specific, position=suffix
    )
    if candidate not in taken:
        return candidate
    specific += suffix
    candidate = tag_uri(config.tag_authority, specific)
    n = 2
    while candidate in taken:
        candidate = tag_uri(config.tag_authority, f"{specific}~{n}")
        n += 1
    return candidate


def _path_name(key: str) -> str:
    """The source path without leading ../ parts or its suffix: 'fixtures/peters'; a url's host
    and path: 'news.example/2026/story'."""
    if is_url_source(key):
        split = urlsplit(key)
        key = (split.netloc + split.path).rstrip("/")
    parts = [p for p in key.split("/") if p not in ("..", ".")]
    name = "/".join(parts)
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and stem and "/" not in suffix else name


# --- stage 4: assemble and render ------------------------------------------------------------


def order(rows: Iterable[EntryRow], limit: int | None) -> list[EntryRow]:
    """Newest first by published, ties by id; then the limit."""
    ordered = sorted(sorted(rows, key=lambda r: r.id), key=lambda r: r.sort_key, reverse=True)
    return ordered[:limit] if limit else ordered


def collapse_duplicates(rows: Iterable[EntryRow]) -> list[EntryRow]:
    """One row per article: rows whose duplicate keys meet (the same story from two sources)
    become one, under the id the ledger minted first (ties by id), so the id never depends on
    which source a build read first. Only rows with duplicates are read back."""
    ordered = sorted(rows, key=lambda r: (r.first_seen, r.id))
    groups = group_duplicates([r.dup_keys or () for r in ordered])
    return [ordered[g[0]] if len(g) == 1 else merged_row([ordered[i] for i in g])
            for g in groups]


def merged_row(rows: Sequence[EntryRow]) -> EntryRow:
    """The rows of one article as one, the first leading (normalise.merge.merge_group). It last
    changed when any of its rows changed or joined it."""
    lead = rows[0]
    entry = merge_group([entry_from_json(r.record) for r in rows])
    record, digest = record_and_hash(entry)
    changes = [r.updated_at for r in rows if r.updated_at is not None]
    changes += [r.first_seen for r in rows[1:] if r.first_seen > lead.first_seen]
    published = feed_date(entry, lead.first_seen)
    return EntryRow(lead.id, lead.source, lead.position, entry.url, digest, lead.first_seen,
                    max(changes, default=None), sort_key(published), record, lead.dup_keys)


def finish(row: EntryRow, content: str) -> Entry:
    entry = entry_from_json(row.record)
    published = entry.published
    if published is None and entry.updated is None:
        # Dated by first sight only when the source states no date at all: a first-seen
        # published after a stated updated would put the entry's dates out of order.
        published = Timestamp(row.first_seen, FIRST_SEEN)
    updated = entry.updated
    if updated is None and row.updated_at is not None:
        updated = Timestamp(row.updated_at, CONTENT_CHANGED)
    entry = dataclasses.replace(entry, id=row.id, published=published, updated=updated)
    return summary_only(entry) if content == "summary" else entry


def summary_only(entry: Entry) -> Entry:
    return dataclasses.replace(entry, summary=entry.lead_text(), content_html=None, blocks=())


def assemble(config: FeedConfig, rows: Iterable[EntryRow]) -> Feed:
    entries = tuple(finish(r, config.content)
                    for r in order(collapse_duplicates(rows), config.limit))
    return dataclasses.replace(config.feed(), entries=entries)


def render(config: FeedConfig, feed: Feed) -> Iterator[tuple[str, bytes | None, list[str]]]:
    """Each format's document in turn (None when it cannot be emitted) with its validation errors
    (empty when publishable). One at a time: a document is dropped before the next is emitted."""
    from feedwright.emit import EmitError, emit
    from feedwright.validate import validate_document

    stylesheet = config.file_name("stylesheet") if config.stylesheet else None
    for fmt in config.formats:
        try:
            data = emit(dataclasses.replace(feed, self_url=config.self_url(fmt), hubs=config.hubs,
                                            stylesheet=stylesheet), fmt)
        except EmitError as exc:
            yield fmt, None, [f"{config.file_name(fmt)}: cannot emit: {exc}"]
            continue
        report = validate_document(data, fmt)
        errors = []
        for issue in report.errors:
            line = f":{issue.line}" if getattr(issue, "line", None) else ""
            errors.append(f"{config.file_name(fmt)}{line}: {issue.rule}: {issue.message}")
        del report
        yield fmt, data, errors
        del data
    yield from companions(config, feed)


def companions(config: FeedConfig, feed: Feed) -> Iterator[tuple[str, bytes, list[str]]]:
    """The page people read and the stylesheet browsers apply, published with the documents."""
    from feedwright.emit import MEDIA_TYPES
    from feedwright.emit.page import emit_page, stylesheet

    if config.page:
        links = {fmt: (MEDIA_TYPES[fmt], config.file_name(fmt)) for fmt in config.formats}
        yield "page", emit_page(feed, links), []
    if config.stylesheet:
        yield "stylesheet", stylesheet(), []


# --- stage 5: one feed, end to end -----------------------------------------------------------


def build_feed(config: FeedConfig, ledger: Ledger, *, now: Clock, output_dir: Path | None = None,
               dry_run: bool = False, reader: ReadSource = read_source,
               progress: Progress | None = None, notifier: Notifier | None = None) -> FeedResult:
    result = FeedResult(config.name, str(config.path), dry_run=dry_run)
    # The source rows first: a build that reads no source and finds its documents as it left
    # them needs no entry row (~10 KB of record each) at all.
    sources = ledger.load_sources(config.name)
    gathered = gather(config, FeedState(sources, {}), scan(config), reader, progress)
    result.failures = [SourceFailure(g.key, g.error or "") for g in gathered
                       if g.status == "failed"]
    folder = output_dir or config.output_dir
    settings = render_settings(config)
    paths = [folder / config.file_name(output) for output in config.outputs]
    present = {g.key for g in gathered}
    if (all(g.entries is None for g in gathered) and present.issuperset(sources)
            and documents_current(ledger.outputs(config.name), paths, settings)):
        # No source was read and none is gone, so every entry row stays as it is (rows without
        # duplicate keys never stand beside recorded documents: ledger schema 5); the documents
        # on disk are the ones this feed last published, so a no-op cron run stops here.
        changed = tuple(g.row for g in gathered
                        if g.row is not (old := sources.get(g.key)) and g.row != old)
        result.unchanged = ledger.count_entries(config.name)
        return _keep(config, ledger, result, folder, paths, Changes(put_sources=changed), dry_run)

    state = FeedState(sources, ledger.load_entries(config.name))
    # Whole seconds in UTC: what the ledger stores is exactly what this run emits.
    merged = merge(config, state, gathered, now().astimezone(UTC).replace(microsecond=0))
    del gathered, state  # the reduced entries live on in merged's rows only
    result.added, result.updated, result.removed = merged.added, merged.updated, merged.removed
    result.unchanged = len(merged.live) - merged.added - merged.updated
    if not (merged.changes.put_entries or merged.changes.drop_entries) and documents_current(
            ledger.outputs(config.name), paths, settings):
        # No entry changed and the documents are as last published: they would be emitted byte
        # for byte again.
        return _keep(config, ledger, result, folder, paths, merged.changes, dry_run)

    if not dry_run:
        remove_stale_temps(folder)  # before this build stages its own
    feed = assemble(config, merged.live)
    merged.live = []
    staged: dict[Path, str | None] = {}  # the document's temporary file; None: already current
    errors: list[str] = []
    try:
        for fmt, data, problems in render(config, feed):
            errors += problems
            path = folder / config.file_name(fmt)
            if data is None or errors:
                pass  # nothing is published; the other formats are still checked
            elif dry_run:
                from feedwright.publish import is_current

                staged[path] = None if is_current(path, data) else str(path)
            else:
                try:
                    staged[path] = stage(path, data)
                except OSError as exc:
                    errors.append(f"{path}: cannot write: {exc.strerror or exc}")
            del data
        del feed
        if errors:
            result.errors = errors
            return result
        if dry_run:
            for path, temp in staged.items():
                (result.kept if temp is None else result.written).append(str(path))
            return result
        try:
            ledger.apply(config.name, merged.changes)
        except sqlite3.Error as exc:
            result.errors.append(f"{ledger.path}: cannot record the build: {exc}")
            return result
        # Every document is validated and on disk, and the ledger committed: publish them all.
        for path in list(staged):
            temp = staged.pop(path)
            if temp is None:
                result.kept.append(str(path))
                continue
            try:
                replace_staged(temp, path)
                result.written.append(str(path))
            except OSError as exc:
                result.errors.append(f"{path}: cannot write: {exc.strerror or exc}")
        if result.written:
            fsync_folder(folder)
    finally:
        if not dry_run:
            for temp in staged.values():
                if temp is not None:
                    discard_staged(temp)
    if not result.errors:
        _record_outputs(ledger, config.name, paths, settings)
    if notifier is not None and config.hubs:  # WebSub, once the documents are public
        result.hubs = notifier.publish(config.hubs, changed_topics(config, folder, result.written))
    return result


def changed_topics(config: FeedConfig, folder: Path, written: Sequence[str]) -> list[str]:
    """The self urls of the feed documents this build rewrote (not the page or stylesheet)."""
    return [url for fmt in config.formats
            if str(folder / config.file_name(fmt)) in written and (url := config.self_url(fmt))]


def _keep(config: FeedConfig, ledger: Ledger, result: FeedResult, folder: Path,
          paths: Sequence[Path], changes: Changes, dry_run: bool) -> FeedResult:
    """The documents stay as they are; only the sources' rows may change."""
    result.kept = [str(p) for p in paths]
    if not dry_run:
        remove_stale_temps(folder)  # a killed build's leftovers go even when nothing changed
    if not dry_run and changes:
        try:
            ledger.apply(config.name, changes)
        except sqlite3.Error as exc:
            result.errors.append(f"{ledger.path}: cannot record the build: {exc}")
    return result


def render_settings(config: FeedConfig) -> str:
    """A digest of everything besides the entries that shapes the documents: feed metadata,
    formats, limit, content mode, self urls, and the feedwright version that emits them."""
    shape = (__version__, config.feed(), config.formats, config.limit, config.content,
             [(fmt, config.file_name(fmt), config.self_url(fmt)) for fmt in config.formats],
             config.hubs, [(output, config.file_name(output)) for output in config.outputs])
    return hashlib.sha256(repr(shape).encode("utf-8")).hexdigest()


def documents_current(recorded: Mapping[str, OutputRow], paths: Sequence[Path],
                      settings: str) -> bool:
    """Every document is on disk as the last successful build left it, from the same settings."""
    if len(recorded) != len(paths):
        return False
    for path in paths:
        row = recorded.get(os.path.abspath(path))
        if row is None or row.settings != settings:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (row.size, row.mtime_ns):
            return False
    return True


def _record_outputs(ledger: Ledger, feed: str, targets: Sequence[Path], settings: str) -> None:
    rows = []
    for path in targets:
        try:
            st = os.stat(path)
        except OSError:
            return  # nothing recorded: the next build renders again, which is always safe
        rows.append(OutputRow(os.path.abspath(path), st.st_size, st.st_mtime_ns, settings))
    with contextlib.suppress(sqlite3.Error):  # the same: a missing record costs only a render
        ledger.record_outputs(feed, rows)


# --- a whole run: configs, locks, ledgers ----------------------------------------------------


def default_state_path(output_dir: Path) -> Path:
    """Beside the output folder, never inside it: the ledger is not for publishing."""
    return output_dir.parent / STATE_FILE_NAME


def load_configs(config_dir: Path, names: Sequence[str]) -> tuple[list[FeedConfig], list[str]]:
    try:
        paths = find_feed_configs(config_dir, names)
    except ConfigError as exc:
        return [], [str(exc)]
    configs, errors = [], []
    for path in paths:
        try:
            configs.append(load_feed_config(path))
        except ConfigError as exc:
            errors.append(str(exc))
    if not paths:
        errors.append(f"{config_dir}: no feeds (*.toml) to build")
    return configs, errors


def run_build(config_dir: Path, names: Sequence[str] = (), *, out: Path | None = None,
              state: Path | None = None, dry_run: bool = False, wait: bool = False,
              now: Clock = utc_now, reader: ReadSource = read_source,
              progress: Progress | None = None,
              on_feed: Callable[[FeedResult], None] | None = None,
              notifier: Notifier | None = None) -> RunReport:
    """Build the named feeds (default: all in config_dir). Holds every state lock it needs.
    Feeds that name WebSub hubs notify them through notifier (default: websub's own client)."""
    configs, errors = load_configs(config_dir, names)
    report = RunReport(config_errors=errors)
    groups: dict[Path, list[FeedConfig]] = defaultdict(list)
    for config in configs:
        folder = out or config.output_dir
        groups[(state or default_state_path(folder)).resolve()].append(config)
    with contextlib.ExitStack() as closing:
        if notifier is None and not dry_run and any(c.hubs for c in configs):
            from feedwright.websub import Notifier, default_client

            notifier = Notifier(closing.enter_context(default_client()))
        try:
            _build_groups(groups, report, out=out, dry_run=dry_run, wait=wait, now=now,
                          reader=reader, progress=progress, on_feed=on_feed, notifier=notifier)
        except Locked as exc:
            report.locked = str(exc)
    return report


def _build_groups(groups: Mapping[Path, list[FeedConfig]], report: RunReport, *,
                  out: Path | None, dry_run: bool, wait: bool, now: Clock, reader: ReadSource,
                  progress: Progress | None,
                  on_feed: Callable[[FeedResult], None] | None,
                  notifier: Notifier | None) -> None:
    from contextlib import ExitStack

    with ExitStack() as stack:
        for state_path in sorted(groups):  # one order for all builds: no lock deadlocks
            stack.enter_context(state_lock(state_path, wait=wait))
        for state_path in sorted(groups):
            try:
                ledger = stack.enter_context(Ledger.open(state_path))
            except LedgerError as exc:
                report.config_errors.append(str(exc))
                continue
            for config in groups[state_path]:
                try:
                    result = build_feed(config, ledger, now=now, output_dir=out,
                                        dry_run=dry_run, reader=reader, progress=progress,
                                        notifier=None if dry_run else notifier)
                except Exception as exc:  # one feed's bug must not stop the others
                    result = FeedResult(config.name, str(config.path), dry_run=dry_run)
                    result.errors.append(f"build failed: {type(exc).__name__}: {exc}")
                report.feeds.append(result)
                if on_feed:
                    on_feed(result)
