"""The ledger on PostgreSQL, for many workers on one or many machines (docs/scaling.md).

The queries are SqlLedger's; this is the dialect (placeholders, column types, the schema version
kept in a table, per-feed advisory locks) and the opening of a connection with clear errors.
psycopg is imported only here, so a SQLite build never loads it.
"""

from __future__ import annotations

import hashlib
from typing import Final

from feedwright.ledger import (
    ENTRIES_BY_ROWID,
    ROWS_INDEX,
    SCHEMA_VERSION,
    Connection,
    Dialect,
    LedgerError,
    SqlLedger,
    migration_steps,
)
from feedwright.syntax import redact

#: The advisory lock every worker takes while it migrates the schema, so two workers starting at
#: once on a new database do not both create it. Per-feed locks use the other key space (two
#: int4 keys), so they can never collide with it.
_MIGRATION_LOCK: Final = 0x66656564  # "feed"
#: The first key of every per-feed advisory lock (pg_try_advisory_lock(int4, int4)).
_FEED_LOCK_SPACE: Final = 0x77726974  # "writ"


class PostgresDialect(Dialect):
    name = "postgresql"
    shared = True
    begin = "BEGIN"

    def __init__(self) -> None:
        import psycopg

        self.errors = (psycopg.Error,)

    large_text_placeholder = "?"  # psycopg binds a str without keeping a copy of it

    def sql(self, query: str) -> str:
        return query.replace("?", "%s")

    def large_text(self, value: str) -> object:
        return value

    def ddl(self, script: str) -> str:
        # SQLite's INTEGER is 64-bit, PostgreSQL's 32 (mtime_ns needs 64); WITHOUT ROWID is a
        # SQLite storage choice that PostgreSQL has no word for. Tables are created only under
        # the migration lock in a database without our schema table: one of the same name
        # already there is someone else's, and creating it must fail rather than adopt it.
        # ROWS_INDEX works around SQLite's overflow pages, which PostgreSQL does not have, and
        # ENTRIES_BY_ROWID undoes a SQLite storage choice PostgreSQL never made.
        return (script.replace(ENTRIES_BY_ROWID, "").replace(ROWS_INDEX, "")
                .replace("INTEGER", "BIGINT")
                .replace(" WITHOUT ROWID", "")
                .replace("CREATE TABLE IF NOT EXISTS", "CREATE TABLE"))

    def schema_version(self, db: Connection) -> int:
        # A query of the catalog, not to_regclass: that reads a cache which taking an advisory
        # lock does not refresh, so a worker that waited out another's migration would miss it.
        row = db.execute("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename ="
                         " 'feedwright_schema' AND schemaname = current_schema()").fetchone()
        if row[0] == 0:
            return 0
        version: int = db.execute("SELECT version FROM feedwright_schema").fetchone()[0]
        return version

    def columns(self, db: Connection) -> dict[str, list[str]]:
        rows = db.execute("SELECT table_name, column_name FROM information_schema.columns"
                          " WHERE table_schema = current_schema() AND table_name <>"
                          " 'feedwright_schema' ORDER BY table_name, ordinal_position"
                          ).fetchall()
        found: dict[str, list[str]] = {}
        for table, column in rows:
            found.setdefault(table, []).append(column)
        return found

    def migrate(self, db: Connection, steps: str) -> None:
        with db.transaction():
            # Another worker may be migrating the same database this very moment: wait for it,
            # then look again (it may have done the work).
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            version = self.schema_version(db)
            if version >= SCHEMA_VERSION:
                return
            db.execute(migration_steps(self, version))  # from what it is now, under the lock
            db.execute("CREATE TABLE IF NOT EXISTS feedwright_schema (version INTEGER NOT NULL)")
            db.execute("DELETE FROM feedwright_schema")
            db.execute("INSERT INTO feedwright_schema VALUES (%s)", (SCHEMA_VERSION,))

    def claim_feed(self, db: Connection, feed: str) -> bool:
        claimed: bool = db.execute("SELECT pg_try_advisory_lock(%s, %s)",
                                   (_FEED_LOCK_SPACE, feed_key(feed))).fetchone()[0]
        return claimed

    def release_feed(self, db: Connection, feed: str) -> None:
        db.execute("SELECT pg_advisory_unlock(%s, %s)", (_FEED_LOCK_SPACE, feed_key(feed)))

    # A worker is named by its server process (backend pid): unique among the sessions alive on
    # the one server every worker shares, and gone from pg_stat_activity when its worker dies.
    # A pid used again later only keeps a dead worker's leftover a while longer, never removes a
    # live one's.

    def worker(self, db: Connection) -> str:
        return f"pg{db.execute('SELECT pg_backend_pid()').fetchone()[0]}"

    def live_workers(self, db: Connection) -> frozenset[str]:
        return frozenset(f"pg{r[0]}" for r in db.execute("SELECT pid FROM pg_stat_activity"))


def feed_key(feed: str) -> int:
    """A feed's lock key: the same on every machine and every run (Python's hash() is not)."""
    return int.from_bytes(hashlib.sha256(feed.encode()).digest()[:4], "big", signed=True)


def open_postgres(url: str) -> SqlLedger:
    """Connect (autocommit: the store runs its own transactions) and bring the schema up."""
    where = redact(url)
    try:
        import psycopg
    except ImportError:
        raise LedgerError(f"{where}: a PostgreSQL ledger needs psycopg: "
                          "pip install 'feedwright[postgresql]'") from None
    try:
        db = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        # libpq's message may quote the conninfo; never let the password through.
        message = str(exc).strip().replace(url, where)
        raise LedgerError(f"{where}: cannot connect to the state database: {message}") from None
    dialect = PostgresDialect()
    try:
        SqlLedger._migrated(db, dialect, where)
    except psycopg.Error as exc:
        db.close()
        raise LedgerError(f"{where}: cannot open state database: {exc}") from None
    except LedgerError:
        db.close()
        raise
    return SqlLedger(db, dialect, where)
