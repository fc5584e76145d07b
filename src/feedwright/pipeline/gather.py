"""Stage 2, gather: per source, the ledger's last records when its fingerprint (size and mtime,
else sha256, or an http 304) says nothing changed; else its entries read now, each reduced to the
record the ledger keeps. A source that fails keeps its last good records and says why.

Files to read are read in a process pool when given more than one job: each worker reads and
reduces one source (`read_one`, the same code as in process, so a failure is reported the same
way) and hands back its `Gathered`, plain records cheap to pickle; they are put back in the
scanned order, so what follows is the same whatever the number of jobs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from feedwright import __version__
from feedwright.config import FeedConfig, is_url_source
from feedwright.errors import FeedwrightError
from feedwright.installed import installed_version
from feedwright.ledger import EntryRow, FeedState, SourceRow
from feedwright.model import Entry, Progress, Timestamp
from feedwright.pipeline.scan import Found
from feedwright.pipeline.workers import as_a_worker, quiet_cancelled_future_race, workers_context
from feedwright.sources import (
    READER_REVISIONS,
    READING_LIBRARIES,
    SourceError,
    read,
    retrieve,
)
from feedwright.sources.retrieve import SharedClient

if TYPE_CHECKING:  # imported when a pool starts: a cron no-op never needs them (~40 ms)
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor

#: The fewest files to read that start worker processes: starting them (a fresh server process
#: that imports the readers) costs about half a second, what reading ~200 sources on a second
#: core saves.
POOL_FROM = 100


Status = Literal["reused", "read", "failed"]


@dataclass(frozen=True, slots=True)
class Read:
    """An entry a reader gave this build, as the ledger will keep it: its record, hash and what
    identify and merge need; and the entry itself only when the build will likely emit it
    (`keeps_entries`), so it is not loaded back from its record (~0.5 ms an entry), and a build
    that publishes 50 of 10,000 entries does not hold or hand back the other 9,950."""

    id: str | None
    url: str | None
    stated: datetime | None  # published, else updated, as the source states it
    record: str
    digest: str
    dup_keys: tuple[str, ...]
    entry: Entry | None = None  # what `record` was made from, when kept (and not prepared)
    prepared: Prepared | None = None  # the entry written in the feed's formats, when kept


@dataclass(frozen=True, slots=True)
class Prepared:
    """An entry written in each of the feed's formats by the process that read it (the
    build's `Prepare`: pipeline.render.prepare), as it stands in the documents when identify
    gives it `id` and it is new this build (first seen at `first_seen`, never changed): bytes
    are cheaper to hand back than the entry, and emitting them here uses every core."""

    id: str
    first_seen: datetime
    stamp: Timestamp | None  # its updated, else published: what dates the feed
    parts: tuple[bytes, ...]  # one per format, in the feed's order (emit.entry_bytes)
    spots: tuple[Spot, ...] = ()  # where the parts are once the build spooled them (Spool)


#: Where bytes stand in a Spool: (offset, length).
Spot = tuple[int, int]


class Spool:
    """Bytes the build holds on disk instead of in memory till it needs them: the entries its
    workers wrote (~260 MB for 10,000 entries in three formats), each format's read back as its
    document is made. An unnamed temporary file: it goes with the process, even a killed one.
    The reading workers put their bytes in it themselves (`writer`, handed to each as it
    starts), so the bytes never cross a pipe or pass through the build process."""

    def __init__(self) -> None:
        self._writer: SpoolWriter | None = None  # made at the first put: a no-op build makes none

    def writer(self) -> SpoolWriter:
        """What puts bytes in this spool, here or (pickled as a worker starts) in a worker."""
        if self._writer is None:
            import tempfile  # here: a cron no-op never imports it

            with tempfile.TemporaryFile() as file:  # its own descriptor closes; ours stays
                self._writer = SpoolWriter(os.dup(file.fileno()))
        return self._writer

    def put(self, data: bytes) -> Spot:
        return self.writer().put((data,))[0]

    def get(self, spot: Spot) -> bytes:
        assert self._writer is not None, "nothing was put"
        return os.pread(self._writer.fd, spot[1], spot[0])

    def spooled(self, got: Gathered) -> Gathered:
        """The source's Gathered with its entries' written parts here, not in memory."""
        return spooled(got, self.writer()) if _has_parts(got) else got

    def close(self) -> None:
        if self._writer is not None:
            os.close(self._writer.fd)
            self._writer = None

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpoolWriter:
    """Appends to a spool's file, from the build process or from the workers it shares the file
    with (the same open file, its descriptor passed to each worker as it starts: `lock`, from
    the workers' context, keeps two writers from taking the same place)."""

    def __init__(self, fd: int, lock: Any = None) -> None:
        self.fd = fd
        self.lock = lock

    def shared(self, context: multiprocessing.context.BaseContext) -> SpoolWriter:
        """This writer, ready to be handed to workers of `context` (every put takes the lock
        from now on)."""
        if self.lock is None:
            self.lock = context.Lock()
        return self

    def put(self, parts: Sequence[bytes]) -> list[Spot]:
        """The parts written one after another at the file's end, in one write; their spots."""
        data = b"".join(parts)
        with self.lock if self.lock is not None else contextlib.nullcontext():
            at = os.fstat(self.fd).st_size
            written = os.pwrite(self.fd, data, at)
            while written < len(data):  # a short write (a signal): the rest after it
                written += os.pwrite(self.fd, memoryview(data)[written:], at + written)
        spots = []
        for part in parts:
            spots.append((at, len(part)))
            at += len(part)
        return spots

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled only as a worker process starts: DupFd sends the descriptor along with it.
        from multiprocessing.reduction import DupFd

        return (_opened_writer, (DupFd(self.fd), self.lock))


def _opened_writer(fd: Any, lock: Any) -> SpoolWriter:
    return SpoolWriter(fd.detach(), lock)


def _has_parts(got: Gathered) -> bool:
    return bool(got.entries) and any(r.prepared is not None and r.prepared.parts
                                     for r in got.entries or ())


def spooled(got: Gathered, writer: SpoolWriter) -> Gathered:
    """The source's Gathered with its entries' written parts put by `writer` (one write for the
    whole source), their spots in place of the bytes."""
    reads = got.entries or ()
    spots = iter(writer.put([b for r in reads if r.prepared is not None
                             for b in r.prepared.parts]))
    return dataclasses.replace(got, entries=tuple(
        dataclasses.replace(r, prepared=dataclasses.replace(
            r.prepared, parts=(), spots=tuple(next(spots) for _ in r.prepared.parts)))
        if r.prepared is not None else r for r in reads))


#: Writes one entry read from a source (its key, its position and how many the source gave)
#: as the documents will hold it; None when it cannot be (the build then emits it itself).
Prepare = Callable[[str, int, int, Read], Prepared | None]


def reduce_entry(entry: Entry, keep: bool = False) -> Read:
    # Imported here: a build that reads nothing needs neither (nor serialise's orjson)
    from feedwright.normalise.merge import duplicate_keys
    from feedwright.serialise import record_and_hash

    record, digest = record_and_hash(entry)
    stated = entry.published or entry.updated
    return Read(entry.id, entry.url, stated.value if stated else None, record, digest,
                duplicate_keys(entry), entry if keep else None)


def reduce_entries(key: str, entries: Sequence[Entry], keep: bool,
                   prepare: Prepare | None) -> tuple[Read, ...]:
    """Each entry as the ledger keeps it; when kept, written by `prepare` instead of kept
    whole where it can be."""
    reads = tuple(reduce_entry(e, keep) for e in entries)
    if not (keep and prepare):
        return reads
    out = []
    for position, one in enumerate(reads):
        prepared = prepare(key, position, len(reads), one)
        out.append(one if prepared is None
                   else dataclasses.replace(one, entry=None, prepared=prepared))
    return tuple(out)


def keeps_entries(config: FeedConfig, to_read: int) -> bool:
    """Whether the entries read are worth keeping beside their records: when the documents
    likely show them all (no limit, an archived feed's pages, or no more read than the limit)."""
    return config.archive or not config.limit or to_read <= config.limit


@dataclass(slots=True)
class Gathered:
    """One source after gather. Read-only by convention, not frozen: a no-op cron run makes one
    for each of 10,000 sources, and a frozen dataclass costs ~6x as much to create."""

    key: str
    status: Status
    row: SourceRow  # the source's ledger row after this build
    entries: tuple[Read, ...] | None = None  # "read" only: the reader's entries, reduced
    error: str | None = None


ReadSource = Callable[[Path, FeedConfig], tuple[bytes, Callable[[], tuple[Entry, ...]]]]


def read_source(path: Path, config: FeedConfig) -> tuple[bytes, Callable[[], tuple[Entry, ...]]]:
    """The source's bytes, and a function that reads them into entries (so hashing comes first)."""
    retrieved = retrieve(str(path))
    return retrieved.data, lambda: read(retrieved, options=config.reader_options())


def gather_one(key: str, found: Found, old: SourceRow | None, config: FeedConfig,
               reader: ReadSource, keep: bool = False) -> Gathered:
    return settled(key, found, old) or read_one(key, found, old, config, reader, keep)


def settled(key: str, found: Found, old: SourceRow | None) -> Gathered | None:
    """What the scan alone says of a file source (no file opened), or None if it must be read."""
    if found.problem is not None:
        # No fingerprint either: when it is a file again it is read, whatever its stat says.
        return _failed(key, old, dataclasses.replace(old, size=-1, sha256="") if old else None,
                       found.problem)
    if (old is not None and old.size == found.size and old.mtime_ns == found.mtime_ns
            and old.missing_since is None):
        return Gathered(key, "failed" if old.error else "reused", old, error=old.error)
    return None


def read_one(key: str, found: Found, old: SourceRow | None, config: FeedConfig,
             reader: ReadSource, keep: bool = False, prepare: Prepare | None = None,
             reading: str = "") -> Gathered:
    """Open a file source, and read it unless its bytes are the ones last read (`keep`: with its
    entries beside their records, written by `prepare` when given; `reading`: the digest of the
    reading settings, stamped on its row here rather than by the build process afterwards).
    Runs in a worker process when the build has more than one job, so everything it takes and
    gives is picklable."""
    path = Path(found.path)
    try:
        data, parse = reader(path, config)
    except Exception as exc:  # nothing lost: report and keep the last good records
        return _failed(key, old, None, _reason(exc))
    row = SourceRow(key, len(data), found.mtime_ns, hashlib.sha256(data).hexdigest(),
                    reader=reading)
    if old is not None and old.sha256 == row.sha256 and old.error is None:
        return Gathered(key, "reused", row)
    if old is not None and old.sha256 == row.sha256 and old.error:
        return Gathered(key, "failed", dataclasses.replace(row, error=old.error), error=old.error)
    try:
        entries = parse()
    except Exception as exc:
        return _failed(key, old, row, _reason(exc))
    return Gathered(key, "read", row, entries=reduce_entries(key, entries, keep, prepare))


def gather_url(url: str, old: SourceRow | None, config: FeedConfig,
               http: SharedClient | None = None, keep: bool = False,
               prepare: Prepare | None = None) -> Gathered:
    """Fetch a url source, conditionally when the ledger holds the validators of its last good
    fetch: a 304 reuses its stored entries without reading anything."""
    known = old if old is not None and old.missing_since is None else None
    try:
        got = retrieve(url, etag=known.etag if known else None,
                       last_modified=known.last_modified if known else None,
                       client=http.get() if http else None)
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
    return Gathered(url, "read", row, entries=reduce_entries(url, entries, keep, prepare))


def changed_kind(gathered: Sequence[Gathered], sources: Mapping[str, SourceRow],
                 rows: Iterable[EntryRow]) -> list[Gathered]:
    """The gathered sources, but a url source that read as one kind of input before (a feed)
    and now as another (an html page: a maintenance or error page served with 200, a sign-in
    wall) is failed, its entries kept, as an upstream feed that comes back empty is: the page
    would have replaced every entry the feed gave with one that says the server is down.
    `rows`: the ledger's entry rows, with the records of the sources read this build, which say
    what they were read as; a source that changes kind for good is told how to take it."""
    read_urls = {g.key for g in gathered if g.entries and is_url_source(g.key)}
    before: dict[str, set[str]] = {}
    for stored in rows if read_urls else ():
        if stored.source in read_urls:
            before.setdefault(stored.source, set()).add(record_kind(stored.record))
    if not before:
        return list(gathered)
    out = []
    for got in gathered:
        was = before.get(got.key)
        # (only for those: a record's JSON is ~10 KB, 10,000 of them 0.8 s of a cold build)
        now = {record_kind(r.record) for r in got.entries or ()} if was else set()
        if was and now and was.isdisjoint(now):
            reason = (f"it was read as {' and '.join(sorted(was))} and now reads as "
                      f"{' and '.join(sorted(now))} (an error or sign-in page served as a "
                      "page?): its entries are kept; if it really is that now, name it anew in "
                      "sources (another url, or once its old entries have left the feed)")
            old = sources.get(got.key)
            row = dataclasses.replace(got.row, etag=old.etag if old else None,
                                      last_modified=old.last_modified if old else None)
            got = _failed(got.key, old, row, reason)
        out.append(got)
    return out


def record_kind(record: str) -> str:
    """The kind of input a stored record was read from (its first provenance's)."""
    provenance = json.loads(record).get("provenance") or [{}]
    return str(provenance[0].get("kind") or "")


def _failed(key: str, old: SourceRow | None, row: SourceRow | None, reason: str) -> Gathered:
    base = row or old or SourceRow(key, -1, -1, "")
    return Gathered(key, "failed", dataclasses.replace(base, error=reason, missing_since=None),
                    error=reason)


def _reason(exc: Exception) -> str:
    if isinstance(exc, SourceError):
        return f"line {exc.line}: {exc.reason}" if exc.line is not None else exc.reason
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return f"reader failed: {type(exc).__name__}: {exc}"


def reading_digest(config: FeedConfig,
                   revisions: Mapping[str, int] = READER_REVISIONS) -> str:
    """What reading a source depends on besides its bytes: the readers' code (the package
    version, each reader kind's revision, the versions of the libraries that read with them)
    and the feed's reading options (time zone, chrome, credit patterns, base url): the settings
    FeedConfig.reader_options is made of, taken from the config itself, so a build that reads
    nothing never imports the readers (half a second)."""
    options = (config.timezone, tuple(config.text_chrome),
               tuple((p.pattern, p.role) for p in config.credit_patterns),
               config.sources_base_url)
    code = (__version__, sorted(revisions.items()), _library_versions())
    settings = f"{code!r}\x00reader-options\x00{options!r}"
    return hashlib.sha256(settings.encode("utf-8")).hexdigest()[:16]


@functools.cache
def _library_versions() -> tuple[tuple[str, str], ...]:
    # From the installed metadata: nothing of the libraries imported (nor, in the usual layout,
    # importlib.metadata: feedwright.installed).
    return tuple((name, installed_version(name)) for name in READING_LIBRARIES)


def gather(config: FeedConfig, state: FeedState, found: Mapping[str, Found],
           reader: ReadSource = read_source, progress: Progress | None = None,
           http: SharedClient | None = None, jobs: int = 1,
           prepare: Prepare | None = None, spool: Spool | None = None) -> list[Gathered]:
    """Every source's Gathered, in found's order. Files to read go to `jobs` worker processes
    (in this process when jobs is 1, or there are fewer than POOL_FROM); url sources are fetched
    here, on the build's one http client, while the workers read. Entries worth keeping
    (keeps_entries) are written by `prepare` where they are read, when it is given, and their
    bytes put in `spool` as they arrive."""
    keeping = spool.spooled if spool is not None else _as_is
    total = len(found)
    reading = reading_digest(config)
    result: list[Gathered | None] = []
    to_read: list[tuple[int, str, Found, SourceRow | None]] = []
    urls: list[tuple[int, str, SourceRow | None]] = []
    for key, source in found.items():
        old = state.sources.get(key)
        if old is not None and old.reader != reading:
            # Read with other settings (an upgrade, a new pattern or time zone): its fingerprint
            # says nothing about what reading it now would give, so nothing may be reused.
            old = dataclasses.replace(old, size=-1, sha256="", etag=None, last_modified=None)
        if is_url_source(key):
            urls.append((len(result), key, old))
            result.append(None)
            continue
        got = settled(key, source, old)
        if got is None:
            to_read.append((len(result), key, source, old))
        result.append(got)
    done = total - len(to_read) - len(urls)
    if progress:
        progress(config.name, done, total)
    keep = keeps_entries(config, len(to_read) + len(urls))
    with _Reading(to_read, config, reader, jobs, keep, prepare, spool, reading) as read:
        for index, key, old in urls:  # spooled once the workers are done (below)
            result[index] = gather_url(key, old, config, http, keep, prepare)
            done += 1
            if progress and done % 64 == 0:
                progress(config.name, done, total)
        for (index, *_), got in zip(to_read, read, strict=True):
            result[index] = keeping(got)
            done += 1
            if progress and done % 64 == 0:
                progress(config.name, done, total)
    # The url sources' parts join the spool only now: a worker killed while it held the
    # spool's lock cannot leave this process waiting for it (the pool reports its death first).
    for index, _key, _old in urls:
        got = result[index]
        assert got is not None
        result[index] = keeping(got)
    if progress:
        progress(config.name, total, total)
    # (the test inline: a cron no-op's sources, and those read just now, are stamped already)
    return [got if got.row.reader == reading else _stamped(got, reading)
            for got in result if got is not None]


class _Reading:
    """The read files' Gathered, in to_read's order, as an iterator: from a process pool started
    on entering (so it reads while url sources are fetched), or in this process."""

    def __init__(self, to_read: Sequence[tuple[int, str, Found, SourceRow | None]],
                 config: FeedConfig, reader: ReadSource, jobs: int, keep: bool,
                 prepare: Prepare | None = None, spool: Spool | None = None,
                 reading: str = "") -> None:
        self._pool: ProcessPoolExecutor | None = None
        # the spool the workers put the entries they write in (none when they write none)
        self._spool = spool if keep and prepare is not None else None
        self._keys = [t[1] for t in to_read]
        self._found = [t[2] for t in to_read]
        self._old = [t[3] for t in to_read]
        self._workers = min(jobs, len(to_read)) if len(to_read) >= POOL_FROM else 1
        self._task = functools.partial(read_one, config=config, reader=reader, keep=keep,
                                       prepare=prepare, reading=reading)
        self._config_name = config.name

    def __enter__(self) -> Iterator[Gathered]:
        args = (self._keys, self._found, self._old)
        if self._workers <= 1:
            return map(self._task, *args)
        from concurrent.futures import ProcessPoolExecutor

        context = workers_context()
        quiet_cancelled_future_race()
        # Each worker puts the entries it writes in the spool itself (read_and_spool).
        writer = self._spool.writer().shared(context) if self._spool is not None else None
        self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=context,
                                         initializer=_start_reading_worker,
                                         initargs=(writer,))
        task = functools.partial(read_and_spool, self._task) if writer else self._task
        # Chunks of several sources make the hand-over cheap beside a source's ~5 ms of reading,
        # and small enough that both workers finish near together.
        chunk = max(1, min(64, len(self._keys) // (self._workers * 8)))
        return _telling_a_lost_worker(self._pool.map(task, *args, chunksize=chunk),
                                      self._config_name, len(self._keys))

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


class ReadingWorkerLost(FeedwrightError):
    """A reading worker ended without its results (killed: the kernel's OOM killer, by hand):
    the build stops, and nothing is published; the next build reads the sources again."""


def _telling_a_lost_worker(results: Iterator[Gathered], feed: str,
                           total: int) -> Iterator[Gathered]:
    """The pool's results; a worker lost on the way is ReadingWorkerLost, saying how far
    reading got (the pool cannot say which source its worker was reading)."""
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        for got in results:
            yield got
            done += 1
    except BrokenProcessPool:
        raise ReadingWorkerLost(
            f"{feed}: reading stopped after {done} of {total} sources: a reading worker ended "
            "without its results (killed, perhaps for want of memory); nothing was published, "
            "and the next build reads them again") from None


#: A reading worker's spool (_start_reading_worker), where it puts the entries it writes.
_worker_spool: SpoolWriter | None = None


def _start_reading_worker(writer: SpoolWriter | None) -> None:
    global _worker_spool
    _worker_spool = writer
    as_a_worker()


def read_and_spool(read: Callable[..., Gathered], *args: object) -> Gathered:
    """`read` (read_one) in a worker, the written parts of its entries put in the build's spool
    here: only their spots go back to the build."""
    got = read(*args)
    return spooled(got, _worker_spool) if _worker_spool is not None and _has_parts(got) else got


def _as_is(got: Gathered) -> Gathered:
    return got


def _stamped(got: Gathered, reading: str) -> Gathered:
    if got.row.reader == reading:
        return got
    return dataclasses.replace(got, row=dataclasses.replace(got.row, reader=reading))
