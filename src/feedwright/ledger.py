"""The ledger: the state that makes builds stable across runs, in SQLite or PostgreSQL.

For every feed it keeps its sources (fingerprint: size, mtime, sha256; when it went missing; the
reason it last failed) and its entries (the minted id, first-seen time, content hash, when the
content last changed, and the last good normalised record as canonical JSON). The build reads a
feed's whole state in two queries and writes only what changed in one transaction, so a no-op
cron run over thousands of sources costs two SELECTs. It also remembers each published document's
size and mtime and the feed settings it was rendered with, so a build in which no entry changed
can tell that the documents on disk are already right without emitting them again.

One store (SqlLedger) holds every query, written once in SQLite's spelling (``?`` placeholders,
``INSERT ... ON CONFLICT``, which PostgreSQL shares); a Dialect holds what differs between the
two databases: placeholders, column types, where the schema version is kept, how a transaction
begins and how a feed is claimed by one worker. SQLite (Ledger, here) is the default;
PostgreSQL (ledger_postgres.py, for many workers) is chosen by a ``postgresql://`` state url.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol

from feedwright.errors import EXIT_USAGE, FeedwrightError

SCHEMA_VERSION: Final = 8

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS sources (
    feed TEXT NOT NULL,
    path TEXT NOT NULL,            -- relative to the feed's TOML file, posix separators
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    error TEXT,                    -- why the last read failed; NULL when it was good
    missing_since TEXT,            -- UTC ISO time it was first found gone; NULL while present
    PRIMARY KEY (feed, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
    feed TEXT NOT NULL,
    id TEXT NOT NULL,
    source TEXT NOT NULL,          -- sources.path that produced it
    position INTEGER NOT NULL,     -- its index among that source's entries
    url TEXT,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,      -- UTC ISO
    updated_at TEXT,               -- UTC ISO of the last content change; NULL: never changed
    sort_key TEXT NOT NULL,        -- UTC ISO of the published time the feed shows
    record TEXT NOT NULL,          -- canonical JSON of the entry as the reader gave it
    PRIMARY KEY (feed, id)
) WITHOUT ROWID;
"""

#: Version 2: the documents the last build published (added for the no-op cron run).
_OUTPUTS_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS outputs (
    feed TEXT NOT NULL,
    path TEXT NOT NULL,            -- the document's absolute path
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    settings TEXT NOT NULL,        -- digest of the feed settings it was rendered with
    PRIMARY KEY (feed, path)
) WITHOUT ROWID;
"""

#: Version 3: url sources' HTTP validators, so an unchanged page costs one 304; and each entry's
#: duplicate keys, so the build finds the same article in two sources without re-reading records.
_VALIDATORS_SCHEMA: Final = """
ALTER TABLE sources ADD COLUMN etag TEXT;
ALTER TABLE sources ADD COLUMN last_modified TEXT;   -- UTC ISO, from the Last-Modified header
ALTER TABLE entries ADD COLUMN dup_keys TEXT;        -- JSON array; NULL: not computed yet
"""

#: Version 4: the reading settings (feedwright version, time zone, patterns) each source was read
#: with, so a change to them re-reads sources whose bytes did not change.
_READER_SCHEMA: Final = """
ALTER TABLE sources ADD COLUMN reader TEXT NOT NULL DEFAULT '';
"""

#: Version 5: an index that counts a feed's entries without reading their records; and no
#: published documents recorded beside entries without duplicate keys. A build
#: renders whenever it fills those in; after this, a no-op build that reads no source can trust
#: the recorded documents without loading a single entry row.
_KEYS_BEFORE_OUTPUTS: Final = """
CREATE INDEX IF NOT EXISTS entries_by_source ON entries (feed, source);
DELETE FROM outputs WHERE feed IN (SELECT DISTINCT feed FROM entries WHERE dup_keys IS NULL);
"""

#: Version 6: full history. Which archive page (RFC 5005) holds each archived entry, assigned
#: once so a full page never changes; and every entry the feed lost, with when it left, for its
#: tombstone (RFC 6721) and so a feed left empty still has a date.
_HISTORY_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS archive_pages (
    feed TEXT NOT NULL,
    id TEXT NOT NULL,              -- entries.id
    page INTEGER NOT NULL,         -- 1 is the oldest archive document
    PRIMARY KEY (feed, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deletions (
    feed TEXT NOT NULL,
    id TEXT NOT NULL,              -- the id the entry had
    source TEXT NOT NULL,          -- the source it came from
    url TEXT,
    deleted_at TEXT NOT NULL,      -- UTC ISO of the build that removed it from the feed
    PRIMARY KEY (feed, id)
) WITHOUT ROWID;
"""

#: Version 7: the entry rows without their records, in an index of their own. SQLite keeps a
#: record (~15 KB) in overflow pages, and reaches dup_keys, the column added after it, only by
#: walking them: loading a feed's rows without their records read the whole table (a one-change
#: build of 10,000 entries: 0.1-0.2 s). PostgreSQL keeps large values out of line (TOAST), has
#: no such cost and limits an index row's size, so its dialect leaves this index out.
ROWS_INDEX: Final = """
CREATE INDEX IF NOT EXISTS entries_rows ON entries (feed, id, source, position, url, content_hash,
    first_seen, updated_at, sort_key, dup_keys);
"""

#: Version 8: the entries in a rowid table. A WITHOUT ROWID table keeps each row in its primary
#: key's b-tree, which suits small rows: with ~15 KB records and ids in no order, every insert
#: moves whole rows between pages. A cold build's 10,000 entries took 0.4-1.1 s to write; kept
#: by rowid, with (feed, id) a unique index beside it, 0.3-0.5 s (alternated builds; 1.0 against
#: 0.3 s for such rows in random id order alone).
#: The table is made again with the same columns, in the same order; PostgreSQL has no such
#: choice (its dialect leaves this step out).
ENTRIES_BY_ROWID: Final = """
CREATE TABLE entries_by_rowid (
    feed TEXT NOT NULL,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    url TEXT,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    updated_at TEXT,
    sort_key TEXT NOT NULL,
    record TEXT NOT NULL,
    dup_keys TEXT,
    PRIMARY KEY (feed, id)
);
INSERT INTO entries_by_rowid (feed, id, source, position, url, content_hash, first_seen,
    updated_at, sort_key, record, dup_keys)
    SELECT feed, id, source, position, url, content_hash, first_seen, updated_at, sort_key,
        record, dup_keys FROM entries ORDER BY feed, id;
DROP TABLE entries;
ALTER TABLE entries_by_rowid RENAME TO entries;
CREATE INDEX entries_by_source ON entries (feed, source);
""" + ROWS_INDEX

#: The script that brings a database of each version up to the next one.
_MIGRATIONS: Final = {1: _SCHEMA, 2: _OUTPUTS_SCHEMA, 3: _VALIDATORS_SCHEMA, 4: _READER_SCHEMA,
                      5: _KEYS_BEFORE_OUTPUTS, 6: _HISTORY_SCHEMA, 7: ROWS_INDEX,
                      8: ENTRIES_BY_ROWID}


def migration_steps(dialect: Dialect, version: int) -> str:
    """The script, in the dialect's spelling, that brings a database of version up to date."""
    return " ".join(dialect.ddl(sql) for v, sql in sorted(_MIGRATIONS.items()) if v > version)


class LedgerError(FeedwrightError):
    """The state database cannot be opened or is not ours."""

    exit_code = EXIT_USAGE


@dataclass(slots=True)
class SourceRow:
    """A source's fingerprint and reading state. Read-only by convention, not frozen: every
    build loads one per source (10,000 for a cron no-op), and a frozen dataclass costs ~3x as
    much to create."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    error: str | None = None
    missing_since: datetime | None = None
    etag: str | None = None  # url sources: validators of the last good fetch
    last_modified: datetime | None = None
    reader: str = ""  # digest of the reading settings the source was last read with


@dataclass(frozen=True)
class EntryRow:
    id: str
    source: str
    position: int
    url: str | None
    content_hash: str
    first_seen: datetime
    updated_at: datetime | None
    sort_key: str
    record: str  # NOT_LOADED when load_entries was asked for other sources' records only
    dup_keys: tuple[str, ...] | None = None  # normalise.merge.duplicate_keys; None: not known


#: The record of a row loaded without it (a canonical JSON record is never empty).
NOT_LOADED: Final = ""


@dataclass(frozen=True)
class OutputRow:
    path: str
    size: int
    mtime_ns: int
    settings: str


@dataclass(frozen=True)
class DeletionRow:
    """An entry the feed no longer carries and when it left (the tombstone's `when`)."""

    id: str
    source: str  # the source it came from (a pattern that matches it no more is not a typo)
    url: str | None
    deleted_at: datetime


@dataclass(frozen=True)
class FeedState:
    sources: dict[str, SourceRow]
    entries: dict[str, EntryRow]


@dataclass(frozen=True)
class Changes:
    """What one build changes in a feed's state; empty means nothing to commit."""

    put_sources: tuple[SourceRow, ...] = ()
    drop_sources: tuple[str, ...] = ()
    put_entries: tuple[EntryRow, ...] = ()
    drop_entries: tuple[str, ...] = ()  # their archive page goes with them
    put_pages: tuple[tuple[str, int], ...] = ()  # (entry id, archive page) newly archived
    put_deletions: tuple[DeletionRow, ...] = ()
    drop_deletions: tuple[str, ...] = ()  # ids that are back in the feed
    #: Documents (absolute paths) these changes leave as they are: their recorded outputs stay.
    keep_outputs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.put_sources or self.drop_sources or self.touches_documents)

    @property
    def touches_documents(self) -> bool:
        """Whether any document's content changes with these."""
        return bool(self.put_entries or self.drop_entries or self.put_pages
                    or self.put_deletions or self.drop_deletions)


def to_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


class LedgerStore(Protocol):
    """What the pipeline needs of a ledger, per feed: SqlLedger over SQLite (Ledger) or
    PostgreSQL (ledger_postgres). Writes raise LedgerError, whatever the database's own errors
    are."""

    @property
    def location(self) -> str:
        """Where the state lives, for messages: a path or a url without its password."""
        ...

    def load_sources(self, feed: str) -> dict[str, SourceRow]: ...

    def load_entries(self, feed: str,
                     records_of: Collection[str] | None = None) -> dict[str, EntryRow]: ...

    def load_records(self, feed: str, ids: Iterable[str]) -> dict[str, str]: ...

    def count_entries(self, feed: str) -> int: ...

    def apply(self, feed: str, changes: Changes) -> None: ...

    def applying(self, feed: str, changes: Changes) -> contextlib.AbstractContextManager[None]:
        ...

    def outputs(self, feed: str) -> dict[str, OutputRow]: ...

    def load_pages(self, feed: str) -> dict[str, int]: ...

    def load_deletions(self, feed: str) -> dict[str, DeletionRow]: ...

    def record_outputs(self, feed: str, rows: Iterable[OutputRow]) -> None: ...

    @property
    def worker(self) -> str:
        """This build's name among the workers sharing the ledger ("": it is the only one)."""

    def live_workers(self) -> frozenset[str]:
        """The workers connected to the ledger now (their temporary files are in use)."""


#: A DB-API 2 connection (sqlite3's or psycopg's), in autocommit mode: the store begins and ends
#: its own transactions, so both databases see the same statements.
Connection = Any


class Dialect:
    """What differs between the databases. The base class is SQLite's spelling; a query added to
    SqlLedger is written once, with ``?`` placeholders, and runs on both."""

    name = "sqlite"
    #: The exceptions the driver raises; the store turns them into LedgerError.
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
    #: Whether a build must hold the file lock beside the state (one build at a time) or may
    #: run beside others, each feed claimed in the database (claim_feed).
    shared = False
    begin = "BEGIN IMMEDIATE"  # SQLite: take the write lock now, not at the first write
    #: The placeholder of a record (`large_text`): SQLite casts the UTF-8 bytes to TEXT, so what
    #: is stored is what binding the str stores.
    large_text_placeholder = "CAST(? AS TEXT)"

    def sql(self, query: str) -> str:
        """A query in this database's spelling."""
        return query

    def large_text(self, value: str) -> object:
        """An entry's record as it is bound. sqlite3 keeps a UTF-8 copy beside every non-ASCII
        str it binds, for as long as the str lives: ~15 KB a record, 150 MB held by a cold build
        of 10,000 entries till its end. Bytes made a row at a time go with their row. (Anything
        but a str is bound as it is, for the database to refuse.)"""
        return value.encode("utf-8") if isinstance(value, str) else value

    def ddl(self, script: str) -> str:
        """A schema script in this database's spelling."""
        return script

    def schema_version(self, db: Connection) -> int:
        version: int = db.execute("PRAGMA user_version").fetchone()[0]
        return version

    def columns(self, db: Connection) -> dict[str, list[str]]:
        """Each table of ours the database holds (the schema version's bookkeeping aside) ->
        its columns: what schema_problem checks."""
        return _columns(db)

    def migrate(self, db: Connection, steps: str) -> None:
        """Run the migration steps and record SCHEMA_VERSION, in one transaction."""
        db.executescript(f"BEGIN IMMEDIATE; {steps} PRAGMA user_version = {SCHEMA_VERSION};"
                         " COMMIT;")

    def claim_feed(self, db: Connection, feed: str) -> bool:
        """Take the feed for this build, or False when another worker holds it. SQLite: the
        file lock already makes this build the only one."""
        return True

    def release_feed(self, db: Connection, feed: str) -> None:
        """Give the feed back (a dead worker's connection gives it back by closing)."""

    def worker(self, db: Connection) -> str:
        """This connection's name among the workers (no dot or dash: it goes in file names).
        SQLite: "", the file lock makes it the only one."""
        return ""

    def live_workers(self, db: Connection) -> frozenset[str]:
        """The names of every worker connected now."""
        return frozenset()


class SqlLedger:
    """The ledger's queries over one connection, in the dialect's spelling."""

    def __init__(self, connection: Connection, dialect: Dialect, location: str) -> None:
        self._db = connection
        self.dialect = dialect
        self._location = location

    @property
    def location(self) -> str:
        return self._location

    @functools.cached_property
    def worker(self) -> str:
        with self._reading():
            return self.dialect.worker(self._db)

    def live_workers(self) -> frozenset[str]:
        with self._reading():
            return self.dialect.live_workers(self._db)

    @classmethod
    def _migrated(cls, db: Connection, dialect: Dialect, location: str) -> None:
        """Bring the schema up to SCHEMA_VERSION (0: a new database), or refuse a newer one, or
        one whose tables were changed by hand (the same message on every back end)."""
        version = dialect.schema_version(db)
        if version > SCHEMA_VERSION:
            raise LedgerError(f"{location}: state schema {version} is newer than this feedwright")
        if version < SCHEMA_VERSION:
            try:
                dialect.migrate(db, migration_steps(dialect, version))
            except dialect.errors:
                # A ledger changed by hand can fail a step (an index on a table it lacks): what
                # is wrong with it says more than which step failed. (A new database, version
                # 0, that cannot be created is reported as it is.)
                if version == 0 or not schema_problem(dialect.columns(db)):
                    raise
        problem = schema_problem(dialect.columns(db))
        if problem:
            raise LedgerError(f"{location}: not a feedwright state database (schema "
                              f"{SCHEMA_VERSION}): {problem}; move it away or give another "
                              "--state")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqlLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, query: str, params: Sequence[object]) -> list[Any]:
        with self._reading():
            return list(self._db.execute(self.dialect.sql(query), params).fetchall())

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """A database error while reading (the server gone mid-run, a disk failing) as a
        LedgerError naming the ledger (never its password) and the reason."""
        try:
            yield
        except self.dialect.errors as exc:
            raise LedgerError(f"{self.location}: cannot read the ledger: "
                              f"{str(exc).strip()}") from exc

    @contextlib.contextmanager
    def _transaction(self, doing: str) -> Iterator[Any]:
        """One transaction (a cursor inside it); any database error becomes a LedgerError that
        says what was being done, and nothing of it is kept."""
        db = self._db
        try:
            cursor = db.cursor()
            cursor.execute(self.dialect.begin)
            try:
                yield cursor
                cursor.execute("COMMIT")
            except BaseException:
                # SQLite rolls back by itself on some errors (a full disk: "database or disk
                # is full"); a ROLLBACK then fails, and its error must not hide the first
                with contextlib.suppress(*self.dialect.errors):
                    cursor.execute("ROLLBACK")
                raise
        except self.dialect.errors as exc:
            raise LedgerError(f"{self.location}: cannot {doing}: {exc}") from exc

    def _many(self, cursor: Any, query: str,
              params: list[tuple[object, ...]] | Iterator[tuple[object, ...]] | None) -> None:
        if params:
            cursor.executemany(self.dialect.sql(query), params)

    @contextlib.contextmanager
    def claim(self, feed: str) -> Iterator[bool]:
        """Hold the feed for one build while inside: True, or False when another worker builds
        it now. A worker that dies lets go of its feeds with its connection."""
        try:
            claimed = self.dialect.claim_feed(self._db, feed)
        except self.dialect.errors as exc:
            raise LedgerError(f"{self.location}: cannot claim feed {feed!r}: {exc}") from exc
        try:
            yield claimed
        finally:
            if claimed:
                with contextlib.suppress(*self.dialect.errors):
                    self.dialect.release_feed(self._db, feed)

    def load(self, feed: str) -> FeedState:
        return FeedState(self.load_sources(feed), self.load_entries(feed))

    # Rows come back sorted by key, whatever order the database keeps them in, so every back
    # end hands the pipeline the same state in the same order.

    def load_sources(self, feed: str) -> dict[str, SourceRow]:
        """The feed's source rows: all a build needs to tell that nothing changed."""
        return {
            r[0]: SourceRow(r[0], r[1], r[2], r[3], r[4], from_iso(r[5]) if r[5] else None,
                            r[6], from_iso(r[7]) if r[7] else None, r[8])
            for r in sorted(self._rows(
                "SELECT path, size, mtime_ns, sha256, error, missing_since, etag, last_modified,"
                " reader FROM sources WHERE feed = ?", (feed,)), key=lambda r: r[0])
        }

    def load_entries(self, feed: str,
                     records_of: Collection[str] | None = None) -> dict[str, EntryRow]:
        """The feed's entry rows, stored records and all (~10 KB each); with `records_of`, only
        the records of those sources (the others are NOT_LOADED: load_records)."""
        if records_of is None:
            return self._entry_rows(feed, "record")
        rows = self._entry_rows(feed, f"'{NOT_LOADED}'")  # the rows alone: entries_rows covers them
        wanted = set(records_of)
        records = self.load_records(feed, [r.id for r in rows.values() if r.source in wanted])
        for id_, record in records.items():
            rows[id_] = replace(rows[id_], record=record)
        return rows

    def _entry_rows(self, feed: str, record: str) -> dict[str, EntryRow]:
        """The feed's entry rows by id, each with `record` (a column or a literal) as its record."""
        return {
            r[0]: EntryRow(r[0], r[1], r[2], r[3], r[4], from_iso(r[5]),
                           from_iso(r[6]) if r[6] else None, r[7], r[8],
                           _dup_keys(r[9]) if r[9] is not None else None)
            for r in sorted(self._rows(
                "SELECT id, source, position, url, content_hash, first_seen, updated_at,"
                f" sort_key, {record}, dup_keys FROM entries WHERE feed = ?", (feed,)),
                key=lambda r: r[0])
        }

    def load_records(self, feed: str, ids: Iterable[str]) -> dict[str, str]:
        """The stored records of these entries, by id."""
        found: dict[str, str] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):  # within SQLite's limit on parameters
            chunk = wanted[start:start + 500]
            found.update(self._rows(
                f"SELECT id, record FROM entries WHERE feed = ? AND id IN"
                f" ({', '.join('?' * len(chunk))})", (feed, *chunk)))
        return found

    def load_pages(self, feed: str) -> dict[str, int]:
        """Entry id -> the archive page it was assigned (small rows: no record is read)."""
        return dict(sorted(self._rows("SELECT id, page FROM archive_pages WHERE feed = ?",
                                      (feed,))))

    def load_deletions(self, feed: str) -> dict[str, DeletionRow]:
        """Every entry the feed lost, by id."""
        return {r[0]: DeletionRow(r[0], r[1], r[2], from_iso(r[3])) for r in sorted(self._rows(
            "SELECT id, source, url, deleted_at FROM deletions WHERE feed = ?", (feed,)),
            key=lambda r: r[0])}

    def count_entries(self, feed: str) -> int:
        """How many entry rows the feed has, without reading their records."""
        count: int = self._rows("SELECT COUNT(*) FROM entries WHERE feed = ?", (feed,))[0][0]
        return count

    def apply(self, feed: str, changes: Changes) -> None:
        """Write one build's changes atomically: all of them or, on any failure, none."""
        with self.applying(feed, changes):
            pass

    @contextlib.contextmanager
    def applying(self, feed: str, changes: Changes) -> Iterator[None]:
        """`apply`, its transaction open while inside: the changes are written on entering and
        committed on leaving, or rolled back when what is inside raises (so a build writes its
        rows while it waits for its last validation reports, and keeps them only if every
        document passes)."""
        if not changes:
            yield
            return
        with self._transaction("record the build") as cursor:
            self._write_changes(cursor, feed, changes)
            yield

    def _write_changes(self, cursor: Any, feed: str, changes: Changes) -> None:
        """The statements of `applying`, in its transaction (a method of its own, undecorated,
        so that mutation testing mutates it: mutmut leaves decorated functions alone)."""
        if any(e.record == NOT_LOADED for e in changes.put_entries):
            # A row loaded without its record must never overwrite the stored one (raised
            # before any statement: the transaction is rolled back with nothing in it).
            raise ValueError("an entry row without its record cannot be stored")
        self._many(cursor, "DELETE FROM sources WHERE feed = ? AND path = ?",
                   [(feed, p) for p in changes.drop_sources])
        self._many(cursor, "DELETE FROM entries WHERE feed = ? AND id = ?",
                   [(feed, i) for i in changes.drop_entries])
        self._many(cursor, "DELETE FROM archive_pages WHERE feed = ? AND id = ?",
                   [(feed, i) for i in changes.drop_entries])
        self._many(cursor, _upsert("archive_pages", ("feed", "id", "page"), ("feed", "id")),
                   [(feed, i, page) for i, page in changes.put_pages])
        self._many(cursor, "DELETE FROM deletions WHERE feed = ? AND id = ?",
                   [(feed, i) for i in changes.drop_deletions])
        self._many(cursor, _upsert("deletions", _DELETION_COLUMNS, ("feed", "id")),
                   [(feed, d.id, d.source, d.url, to_iso(d.deleted_at))
                    for d in changes.put_deletions])
        self._many(cursor, _upsert("sources", _SOURCE_COLUMNS, ("feed", "path")),
                   _source_params(feed, changes.put_sources))
        self._many(cursor, _upsert("entries", _ENTRY_COLUMNS, ("feed", "id"),
                                   {"record": self.dialect.large_text_placeholder}),
                   _entry_params(feed, changes.put_entries, self.dialect.large_text))
        if changes.touches_documents:
            # The documents on disk were rendered from the entries replaced here. Forget
            # them in the same transaction, so a build stopped before it writes the new ones
            # (SIGKILL, full disk) leaves the next build rendering, not trusting stale files.
            # Archive documents these changes do not touch stay recorded. (No `IN ()`:
            # PostgreSQL has no empty list.)
            kept = ", ".join("?" * len(changes.keep_outputs))
            cursor.execute(self.dialect.sql(
                "DELETE FROM outputs WHERE feed = ?"
                + (f" AND path NOT IN ({kept})" if kept else "")),
                (feed, *changes.keep_outputs))

    def outputs(self, feed: str) -> dict[str, OutputRow]:
        """The documents the feed's last successful build published, by path."""
        return {r[0]: OutputRow(*r) for r in self._rows(
            "SELECT path, size, mtime_ns, settings FROM outputs WHERE feed = ?", (feed,))}

    def record_outputs(self, feed: str, rows: Iterable[OutputRow]) -> None:
        """Replace the feed's published documents with these (after they are on disk)."""
        with self._transaction("record the documents") as cursor:
            cursor.execute(self.dialect.sql("DELETE FROM outputs WHERE feed = ?"), (feed,))
            self._many(cursor, "INSERT INTO outputs (feed, path, size, mtime_ns, settings)"
                               " VALUES (?, ?, ?, ?, ?)",
                       [(feed, r.path, r.size, r.mtime_ns, r.settings) for r in rows])


class Ledger(SqlLedger):
    """The SQLite ledger: one file (by default beside the output folder), nothing to set up."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        super().__init__(connection, Dialect(), str(path))
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Ledger:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(f"{path}: cannot create its folder: {exc.strerror or exc}") from exc
        dialect = Dialect()
        try:
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA synchronous = FULL")
            foreign = _tables(db) if dialect.schema_version(db) == 0 else []
            if foreign:  # every schema of ours sets a version: tables without one are not ours
                db.close()
                raise LedgerError(f"{path}: not a feedwright state database: it holds tables "
                                  f"{', '.join(map(repr, foreign))} and no feedwright schema "
                                  "version; move it away or give another --state")
            try:
                cls._migrated(db, dialect, str(path))
            except LedgerError:
                db.close()
                raise
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{path}: cannot open state database: {exc}") from exc
        return cls(db, path)

    def __enter__(self) -> Ledger:
        return self


def is_database_url(state: str) -> bool:
    """A state that names a database server rather than a SQLite file."""
    return state.startswith(("postgresql://", "postgres://"))


def open_ledger(state: str | Path) -> SqlLedger:
    """The ledger a state names: a ``postgresql://`` url, or a SQLite file's path."""
    if isinstance(state, str) and is_database_url(state):
        from feedwright.ledger_postgres import open_postgres

        return open_postgres(state)
    return Ledger.open(Path(state))


_SOURCE_COLUMNS: Final = ("feed", "path", "size", "mtime_ns", "sha256", "error", "missing_since",
                          "etag", "last_modified", "reader")
_ENTRY_COLUMNS: Final = ("feed", "id", "source", "position", "url", "content_hash", "first_seen",
                         "updated_at", "sort_key", "record", "dup_keys")
_DELETION_COLUMNS: Final = ("feed", "id", "source", "url", "deleted_at")


def _upsert(table: str, columns: Sequence[str], key: Sequence[str],
            placeholders: Mapping[str, str] | None = None) -> str:
    """Insert a row or replace the one with its key: one spelling for SQLite and PostgreSQL
    (`placeholders`: a column's own, where it is not a plain ``?``)."""
    rest = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
    values = ", ".join((placeholders or {}).get(c, "?") for c in columns)
    return (f"INSERT INTO {table} ({', '.join(columns)})"
            f" VALUES ({values})"
            f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {rest}")


def _tables(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                     " ORDER BY name")]


def _columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    quoted = {t: t.replace("'", "''") for t in _tables(db)}
    return {t: [r[1] for r in db.execute(f"PRAGMA table_info('{q}')")] for t, q in quoted.items()}


def schema_problem(have: Mapping[str, Sequence[str]]) -> str | None:
    """What a database with these tables (-> columns) lacks of the tables and columns this
    version reads, or None. The expected schema is the one the migrations give a new SQLite
    database, so it cannot drift from them. Catches another program's database, or ours with a
    table dropped or remade by hand, which would otherwise fail in the middle of a build as "no
    such column"."""
    fresh = sqlite3.connect(":memory:")
    try:
        fresh.executescript(" ".join(sql for _, sql in sorted(_MIGRATIONS.items())))
        wanted = _columns(fresh)
    finally:
        fresh.close()
    problems = []
    absent = [t for t in wanted if t not in have]
    if absent:
        problems.append(f"it has no table {', '.join(map(repr, absent))}")
    for table in (t for t in wanted if t in have):
        missing = [c for c in wanted[table] if c not in have[table]]
        if missing:
            problems.append(f"table {table!r} has no column {', '.join(map(repr, missing))}")
    return "; ".join(problems) or None


def _source_params(feed: str, rows: Iterable[SourceRow]) -> list[tuple[object, ...]]:
    return [(feed, s.path, s.size, s.mtime_ns, s.sha256, s.error,
             to_iso(s.missing_since) if s.missing_since else None, s.etag,
             to_iso(s.last_modified) if s.last_modified else None, s.reader) for s in rows]


def _dup_keys(stored: str) -> tuple[str, ...]:
    """An entry row's duplicate keys, as _entry_params stored them (a JSON array). Read with
    orjson: a build that loads 10,000 rows spent 10-17 ms in json.loads here, 2.5 ms this way;
    json reads what orjson refuses (an escaped lone surrogate), so every stored value reads as
    before."""
    import orjson  # with the entry rows only: a no-op build loads none

    try:
        return tuple(orjson.loads(stored))
    except orjson.JSONDecodeError:
        return tuple(json.loads(stored))


def _entry_params(feed: str, rows: Sequence[EntryRow],
                  large_text: Callable[[str], object]) -> Iterator[tuple[object, ...]] | None:
    """Each row's parameters, made as the driver asks for them (a record's bytes at a time);
    None when there are none."""
    if not rows:
        return None
    return ((feed, e.id, e.source, e.position, e.url, e.content_hash, to_iso(e.first_seen),
             to_iso(e.updated_at) if e.updated_at else None, e.sort_key, large_text(e.record),
             json.dumps(list(e.dup_keys)) if e.dup_keys is not None else None)
            for e in rows)
