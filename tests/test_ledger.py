"""The ledger on a real SQLite file and a real PostgreSQL server (tests/postgres.py): round
trips and one-transaction writes on both; schema guards and clear errors on each."""

from __future__ import annotations

import dataclasses
import re
import socket
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedwright.ledger import (
    NOT_LOADED,
    SCHEMA_VERSION,
    Changes,
    DeletionRow,
    EntryRow,
    Ledger,
    LedgerError,
    OutputRow,
    SourceRow,
    open_ledger,
)
from tests.postgres import PASSWORD, Server, wait_for_claims_released

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def entry_row(entry_id: str, source: str = "a.txt") -> EntryRow:
    return EntryRow(entry_id, source, 0, None, "hash", T0, None, "2026-03-01T12:00:00.000000",
                    '{"title":"x"}')


def test_changes_survive_reopening(tmp_path: Path, state_for: Callable[[Path], str]) -> None:
    path = state_for(tmp_path)
    source = SourceRow("a.txt", 10, 123, "abc", None, T0)
    row = entry_row("tag:x.org,2026:a")
    with open_ledger(path) as ledger:
        ledger.apply("news", Changes(put_sources=(source,), put_entries=(row,)))
        ledger.apply("other", Changes(put_entries=(entry_row("tag:x.org,2026:b"),)))
        ledger.record_outputs("other", [OutputRow("/p/other.json", 1, 2**62, "s")])
    with open_ledger(path) as ledger:
        state = ledger.load("news")
        assert state.sources == {"a.txt": source}
        assert state.entries == {row.id: row}
        assert ledger.count_entries("other") == 1
        assert ledger.outputs("other") == {"/p/other.json": OutputRow("/p/other.json", 1, 2**62,
                                                                      "s")}
        changed = SourceRow("a.txt", 11, 2**61, "abd", "unreadable", None, '"e"', T0, "r")
        ledger.apply("news", Changes(put_sources=(changed,)))  # replaces the row in place
        assert ledger.load_sources("news") == {"a.txt": changed}
        ledger.apply("news", Changes(drop_sources=("a.txt",), drop_entries=(row.id,)))
        assert ledger.load("news").entries == {}
        assert ledger.load_sources("news") == {}
        assert set(ledger.load("other").entries) == {"tag:x.org,2026:b"}


def test_a_failing_write_changes_nothing(tmp_path: Path,
                                         state_for: Callable[[Path], str]) -> None:
    with open_ledger(state_for(tmp_path)) as ledger:
        ledger.apply("news", Changes(put_entries=(entry_row("one"),)))
        bad = EntryRow("two", "a.txt", 0, None, "h", T0, None, "k", None)  # type: ignore[arg-type]
        with pytest.raises(LedgerError) as caught:
            ledger.apply("news", Changes(drop_entries=("one",), put_entries=(bad,)))
        assert isinstance(caught.value.__cause__, ledger.dialect.errors)
        assert str(caught.value).startswith(f"{ledger.location}: cannot record the build:")
        assert PASSWORD not in str(caught.value)
        assert set(ledger.load("news").entries) == {"one"}


def test_a_row_loaded_without_its_record_is_never_stored(
        tmp_path: Path, state_for: Callable[[Path], str]) -> None:
    """A row read back without its record (NOT_LOADED) would overwrite the stored record with
    the placeholder: the build's changes are refused whole, saying why, and nothing is kept."""
    row = entry_row("tag:x.org,2026:a")
    with open_ledger(state_for(tmp_path)) as ledger:
        ledger.apply("news", Changes(put_entries=(row,)))
        light = dataclasses.replace(row, content_hash="changed", record=NOT_LOADED)
        source = SourceRow("a.txt", 10, 123, "abc", None, T0)
        with pytest.raises(ValueError) as refused:
            ledger.apply("news", Changes(put_sources=(source,), put_entries=(light,)))
        assert str(refused.value) == "an entry row without its record cannot be stored"
        assert ledger.load("news").entries == {row.id: row}
        assert ledger.load_sources("news") == {}


def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(LedgerError, match="newer"):
        Ledger.open(path)


def test_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LedgerError, match="cannot open"):
        Ledger.open(path)


#: The schema feedwright 0.1 created (user_version 2), verbatim: what a deployed ledger holds.
SCHEMA_V2 = """
CREATE TABLE sources (feed TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, error TEXT, missing_since TEXT,
    PRIMARY KEY (feed, path)) WITHOUT ROWID;
CREATE TABLE entries (feed TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL,
    position INTEGER NOT NULL, url TEXT, content_hash TEXT NOT NULL, first_seen TEXT NOT NULL,
    updated_at TEXT, sort_key TEXT NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (feed, id)) WITHOUT ROWID;
CREATE TABLE outputs (feed TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, settings TEXT NOT NULL, PRIMARY KEY (feed, path)) WITHOUT ROWID;
INSERT INTO sources VALUES ('news', 'a.txt', 10, 123, 'abc', NULL, NULL);
INSERT INTO entries VALUES ('news', 'tag:x.org,2026:a', 'a.txt', 0, NULL, 'hash',
    '2026-03-01T12:00:00+00:00', NULL, '2026-03-01T12:00:00.000000', '{"title":"x"}');
PRAGMA user_version = 2;
"""


def test_a_version_2_ledger_is_migrated_in_place_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V2)
    db.close()
    url = SourceRow("https://news.example/a", 5, -1, "def", etag='"v1"', last_modified=T0)
    keyed = EntryRow("https://news.example/a", url.path, 0, url.path, "h2", T0, None, "k",
                     '{"title":"y"}', dup_keys=("url:https://news.example/a",))
    with Ledger.open(path) as ledger:
        state = ledger.load("news")
        assert state.sources == {"a.txt": SourceRow("a.txt", 10, 123, "abc")}
        assert state.entries == {"tag:x.org,2026:a": entry_row("tag:x.org,2026:a")}
        ledger.apply("news", Changes(put_sources=(url,), put_entries=(keyed,)))
    with Ledger.open(path) as ledger:
        state = ledger.load("news")
        assert state.sources[url.path] == url
        assert state.entries[keyed.id] == keyed
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_documents_recorded_beside_rows_without_duplicate_keys_are_forgotten(
        tmp_path: Path) -> None:
    """Schema 5: a no-op build trusts recorded documents without loading entry rows, so rows whose
    duplicate keys are still to be filled in (by a rendering build) must not stand beside them."""
    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_V2.replace(
        "PRAGMA user_version = 2;",
        "INSERT INTO outputs VALUES ('news', '/p/news.json', 1, 2, 's');"
        "INSERT INTO outputs VALUES ('empty', '/p/empty.json', 1, 2, 's');"
        "PRAGMA user_version = 2;"))
    db.close()
    with Ledger.open(path) as ledger:
        assert ledger.outputs("news") == {}
        assert set(ledger.outputs("empty")) == {"/p/empty.json"}  # no entries: nothing to fill
        assert ledger.count_entries("news") == 1
        assert ledger.load_sources("news") == ledger.load("news").sources
        assert ledger.load_entries("news") == ledger.load("news").entries


# --- PostgreSQL only: its schema bookkeeping, its errors, its per-feed claims -------------------


def test_postgres_refuses_a_newer_schema(postgres_url: str) -> None:
    import psycopg

    open_ledger(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE feedwright_schema SET version = 99")
    with pytest.raises(LedgerError, match="newer") as caught:
        open_ledger(postgres_url)
    assert PASSWORD not in str(caught.value) and "***@127.0.0.1" in str(caught.value)


def test_postgres_refuses_a_database_with_other_tables_of_the_same_name(
        postgres_url: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("CREATE TABLE sources (something_else INTEGER)")
    with pytest.raises(LedgerError, match="cannot open state database") as caught:
        open_ledger(postgres_url)
    assert PASSWORD not in str(caught.value)


def test_postgres_wrong_password_and_server_down_are_clear_errors(postgres: Server) -> None:
    wrong = postgres.url().replace(PASSWORD, "not-the-password")
    with pytest.raises(LedgerError, match="cannot connect") as caught:
        open_ledger(wrong)
    assert "not-the-password" not in str(caught.value)
    assert "password authentication failed" in str(caught.value)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        down = f"postgresql://u:pw@127.0.0.1:{s.getsockname()[1]}/x"
    with pytest.raises(LedgerError, match="cannot connect") as caught:
        open_ledger(down)
    assert str(caught.value).startswith(f"{down.replace(':pw@', ':***@')}: ")


def test_two_workers_on_new_database_migrate_it_once(postgres_url: str) -> None:
    with open_ledger(postgres_url) as one, open_ledger(postgres_url) as two:
        one.apply("news", Changes(put_entries=(entry_row("a"),)))
        assert set(two.load_entries("news")) == {"a"}


def test_a_feed_is_claimed_by_one_connection_at_a_time(postgres_url: str) -> None:
    with open_ledger(postgres_url) as one, open_ledger(postgres_url) as two:
        with one.claim("news") as mine:
            assert mine
            with two.claim("news") as theirs, two.claim("other") as other:
                assert not theirs and other
        with two.claim("news") as theirs:  # released on leaving
            assert theirs
        held = open_ledger(postgres_url)
        with held.claim("news") as mine:
            assert mine
            held.close()  # a worker's connection dies: its feeds go with it
        wait_for_claims_released(postgres_url)
        with two.claim("news") as theirs:
            assert theirs


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://feeds:pw@db:5433/news", "postgresql://feeds:***@db:5433/news"),
    ("postgresql://db/news?user=feeds&password=pw&sslmode=require",
     "postgresql://db/news?user=feeds&password=***&sslmode=require"),
    ("postgresql:///news?host=/run/postgresql", "postgresql:///news?host=/run/postgresql"),
    ("postgresql:///news?host=/run/postgresql&password=pw",
     "postgresql:///news?host=/run/postgresql&password=***"),
])
def test_messages_name_the_url_without_its_password(url: str, shown: str) -> None:
    from feedwright.ledger_postgres import redact

    assert redact(url) == shown


# What the ledger's mutation run (docs/testing.md) found unguarded.

def test_an_update_time_and_duplicate_keys_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "state.sqlite"  # folders made as needed
    updated = datetime(2026, 3, 2, 8, 30, 15, 250_000, tzinfo=UTC)
    row = EntryRow("tag:x.org,2026:a", "a.txt", 2, "https://x.org/a", "h", T0, updated,
                   "k", '{"title":"x"}', ("url:https://x.org/a",))
    with Ledger.open(path) as ledger:
        ledger.apply("news", Changes(put_entries=(row,)))
    with Ledger.open(path) as ledger:
        assert ledger.load_entries("news") == {row.id: row}
        assert ledger.count_entries("news") == 1 and ledger.count_entries("other") == 0


def test_duplicate_keys_of_any_text_read_back_as_stored(
        tmp_path: Path, state_for: Callable[[Path], str]) -> None:
    """Keys are stored as JSON and read back through orjson, and through json for what orjson
    refuses (an escaped lone surrogate, which a title may hold): all come back as they went."""
    keys = [(), ("url:https://x.org/a", "title:Ōtautahi “quoted” \\ \"x\""), ("title:\ud800 odd",),
            ("title:\U0001f600 and \x00\x1f controls",)]
    rows = [dataclasses.replace(entry_row(f"tag:x.org,2026:{n}"), dup_keys=k)
            for n, k in enumerate(keys)]
    path = state_for(tmp_path)
    with open_ledger(path) as ledger:
        ledger.apply("news", Changes(put_entries=tuple(rows)))
    with open_ledger(path) as ledger:
        assert ledger.load_entries("news") == {r.id: r for r in rows}


def test_stored_times_are_utc_whatever_the_machines_zone(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The same input gives the same state file on a machine in any zone."""
    import time

    from feedwright.ledger import from_iso, to_iso

    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        assert to_iso(moment) == "2026-03-01T12:00:00+00:00"
        assert from_iso("2026-03-02T01:00:00+13:00").utcoffset() == UTC.utcoffset(None)
        assert from_iso("2026-03-02T01:00:00+13:00") == moment
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_changed_entries_forget_the_recorded_documents(tmp_path: Path) -> None:
    """A document recorded as published is only current while no entry changes."""
    out = OutputRow(str(tmp_path / "feed.xml"), 10, 123, "settings")
    with Ledger.open(tmp_path / "state.sqlite") as ledger:
        for changes in (Changes(put_entries=(entry_row("one"),)), Changes(drop_entries=("one",))):
            ledger.record_outputs("news", [out])
            assert ledger.outputs("news") == {out.path: out}
            ledger.apply("news", changes)
            assert ledger.outputs("news") == {}
        ledger.record_outputs("news", [out])
        ledger.apply("news", Changes(put_sources=(SourceRow("a.txt", 1, 1, "s"),)))
        assert ledger.outputs("news") == {out.path: out}  # a source row alone changes no document


def test_a_failed_record_of_documents_keeps_the_last_one(tmp_path: Path) -> None:
    good = OutputRow(str(tmp_path / "feed.xml"), 10, 123, "settings")
    unstorable = OutputRow(str(tmp_path / "feed.json"), {"not": "a size"}, 1, "s")  # type: ignore[arg-type]
    with Ledger.open(tmp_path / "state.sqlite") as ledger:
        ledger.record_outputs("news", [good])
        with pytest.raises(LedgerError, match="cannot record the documents"):
            ledger.record_outputs("news", [unstorable])
        assert ledger.outputs("news") == {good.path: good}  # rolled back, not half replaced


@pytest.mark.parametrize("version", [1, 3, 4, 5, 6, 7])
def test_every_older_version_migrates_once(tmp_path: Path, version: int) -> None:
    """Each migration runs once, from the version the file has: re-running one that adds a column
    would fail on the duplicate."""
    from feedwright.ledger import _MIGRATIONS, Dialect

    path = tmp_path / "state.sqlite"
    db = sqlite3.connect(path)
    db.executescript(" ".join(Dialect().ddl(sql) for v, sql in sorted(_MIGRATIONS.items())
                              if v <= version) + f" PRAGMA user_version = {version};")
    db.close()
    with Ledger.open(path) as ledger:
        ledger.apply("news", Changes(put_entries=(entry_row("one"),)))
        assert set(ledger.load_entries("news")) == {"one"}
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


RECORDS_IN_ANY_SCRIPT = ['{"title":"plain ASCII"}', '{"title":"Te reo Māori, “quoted” — ½"}',
                         '{"title":"Ελληνικά 日本語 🙂 \\u0000 escaped"}']


def test_records_are_stored_as_the_text_they_are_and_replaced_in_place(
        tmp_path: Path, state_for: Callable[[Path], str]) -> None:
    """Records go to the database as the text they are, in any script (SQLite is given their
    UTF-8 bytes, cast to TEXT, so the driver keeps no copy of each): they load back equal, as
    text, and a changed record replaces the stored one."""
    path = state_for(tmp_path)
    rows = [dataclasses.replace(entry_row(f"tag:x.org,2026:{n}"), record=record)
            for n, record in enumerate(RECORDS_IN_ANY_SCRIPT)]
    with open_ledger(path) as ledger:
        ledger.apply("news", Changes(put_entries=tuple(rows)))
        ids = [r.id for r in rows]
        assert ledger.load_records("news", ids) == {r.id: r.record for r in rows}
        changed = dataclasses.replace(rows[1], record='{"title":"Māori, changed"}')
        ledger.apply("news", Changes(put_entries=(changed,)))
        assert ledger.load_records("news", ids)[changed.id] == changed.record
        assert ledger.load("news").entries[changed.id] == changed
    if not path.startswith("postgresql://"):
        db = sqlite3.connect(path)
        stored = db.execute("SELECT typeof(record), record FROM entries ORDER BY id").fetchall()
        db.close()
        assert stored == [("text", rows[0].record), ("text", changed.record),
                          ("text", rows[2].record)]


def _version_7_ledger(path: Path, rows: int) -> None:
    """A ledger as schema 7 left it (entries WITHOUT ROWID), holding `rows` entries: made by
    this version, its entries table then made again as schema 7 had it (the only change)."""
    with Ledger.open(path) as ledger:
        ledger.apply("news", Changes(put_entries=tuple(
            EntryRow(f"tag:x.org,2026:{n:04}", f"{n}.txt", n % 3, f"https://x.org/{n}",
                     f"h{n}", T0, T0 if n % 2 else None, f"k{n}", f'{{"title":"{n}"}}',
                     dup_keys=(f"url:https://x.org/{n}",)) for n in range(rows))))
    db = sqlite3.connect(path)
    db.executescript(_RAW_V7_ENTRIES)
    db.close()


#: schema 7's entries table, filled from the current one.
_RAW_V7_ENTRIES = """
BEGIN;
CREATE TABLE entries_v7 (feed TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL,
    position INTEGER NOT NULL, url TEXT, content_hash TEXT NOT NULL, first_seen TEXT NOT NULL,
    updated_at TEXT, sort_key TEXT NOT NULL, record TEXT NOT NULL, dup_keys TEXT,
    PRIMARY KEY (feed, id)) WITHOUT ROWID;
INSERT INTO entries_v7 SELECT * FROM entries;
DROP TABLE entries;
ALTER TABLE entries_v7 RENAME TO entries;
CREATE INDEX entries_by_source ON entries (feed, source);
CREATE INDEX entries_rows ON entries (feed, id, source, position, url, content_hash,
    first_seen, updated_at, sort_key, dup_keys);
PRAGMA user_version = 7;
COMMIT;
"""


def _entries_table(path: Path) -> tuple[str, list[tuple[object, ...]], list[str]]:
    db = sqlite3.connect(path)
    try:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
        rows = db.execute("SELECT * FROM entries ORDER BY feed, id").fetchall()
        indexes = sorted(r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'"
            " AND sql IS NOT NULL"))
        return sql, rows, indexes
    finally:
        db.close()


def test_a_version_7_ledger_keeps_every_entry_as_it_was_in_a_rowid_table(tmp_path: Path) -> None:
    """Schema 8 makes the entries table again by rowid (inserting ~15 KB records in id order
    into a WITHOUT ROWID table was a cold build's slowest write): every row, column for column,
    the same; both indexes back; the build's queries work on it."""
    path = tmp_path / "state.sqlite"
    _version_7_ledger(path, 40)
    sql_before, rows_before, indexes_before = _entries_table(path)
    assert "WITHOUT ROWID" in sql_before and len(rows_before) == 40
    with Ledger.open(path) as ledger:
        state = ledger.load("news")
        assert len(state.entries) == 40
        assert ledger.load_records("news", ["tag:x.org,2026:0007"]) == {
            "tag:x.org,2026:0007": '{"title":"7"}'}
        ledger.apply("news", Changes(drop_entries=("tag:x.org,2026:0000",)))
    sql_after, rows_after, indexes_after = _entries_table(path)
    assert "WITHOUT ROWID" not in sql_after
    assert rows_after == rows_before[1:]
    assert indexes_after == indexes_before == ["entries_by_source", "entries_rows"]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert sqlite3.connect(path).execute("SELECT count(rowid) FROM entries").fetchone()[0] == 39


def test_a_version_7_postgresql_ledger_is_brought_to_version_8_keeping_its_rows(
        postgres_url: str) -> None:
    """PostgreSQL has no WITHOUT ROWID: its step from 7 to 8 does nothing but say so."""
    import psycopg

    with open_ledger(postgres_url) as ledger:
        ledger.apply("news", Changes(put_entries=(entry_row("a"),)))
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE feedwright_schema SET version = 7")
    with open_ledger(postgres_url) as ledger:
        assert set(ledger.load_entries("news")) == {"a"}
    with psycopg.connect(postgres_url, autocommit=True) as db:
        assert db.execute("SELECT version FROM feedwright_schema").fetchone() == (SCHEMA_VERSION,)


# --- a ledger changed by hand: the same clear error on both back ends -----------------------


def _alter(state: str, statement: str) -> None:
    """Run one statement on the ledger's own database, as a person with a SQL prompt would."""
    if state.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(state, autocommit=True) as db:
            db.execute(statement)
    else:
        with sqlite3.connect(state) as db:
            db.execute(statement)


@pytest.mark.parametrize(("statement", "says"), [
    ("DROP TABLE outputs", "it has no table 'outputs'"),
    ("ALTER TABLE sources DROP COLUMN reader", "table 'sources' has no column 'reader'"),
])
def test_a_ledger_changed_by_hand_is_refused_with_the_reason(
        tmp_path: Path, state_for: Callable[[Path], str], statement: str, says: str) -> None:
    state = state_for(tmp_path)
    open_ledger(state).close()
    _alter(state, statement)
    with pytest.raises(LedgerError) as caught:
        open_ledger(state)
    message = str(caught.value)
    assert f"not a feedwright state database (schema {SCHEMA_VERSION}): {says}; move it away" \
        in message, message
    assert PASSWORD not in message


def test_a_ledger_whose_schema_version_was_raised_by_hand_is_refused(
        tmp_path: Path, state_for: Callable[[Path], str]) -> None:
    state = state_for(tmp_path)
    open_ledger(state).close()
    _alter(state, "UPDATE feedwright_schema SET version = 99" if "://" in state
           else "PRAGMA user_version = 99")
    with pytest.raises(LedgerError, match="state schema 99 is newer than this feedwright"):
        open_ledger(state)


def test_rows_loaded_with_some_records_equal_the_full_rows_the_rest_not_loaded(
        tmp_path: Path, state_for: Callable[[Path], str]) -> None:
    path = state_for(tmp_path)
    rows = (entry_row("tag:x.org,2026:a", "a.txt"), entry_row("tag:x.org,2026:b", "b.txt"))
    with open_ledger(path) as ledger:
        ledger.apply("news", Changes(put_entries=rows))
        full = ledger.load_entries("news")
        light = ledger.load_entries("news", {"a.txt"})
    assert light["tag:x.org,2026:a"] == full["tag:x.org,2026:a"]
    assert light["tag:x.org,2026:b"] == dataclasses.replace(full["tag:x.org,2026:b"],
                                                            record=NOT_LOADED)


def test_sqlite_reads_the_rows_without_their_records_from_an_index(tmp_path: Path) -> None:
    # A record sits in overflow pages that SQLite walks to reach the columns after it: the rows
    # alone must come from an index that holds every other column.
    path = tmp_path / "state.sqlite"
    open_ledger(path).close()
    plan = sqlite3.connect(path).execute(
        "EXPLAIN QUERY PLAN SELECT id, source, position, url, content_hash, first_seen,"
        " updated_at, sort_key, dup_keys FROM entries WHERE feed = 'news'").fetchall()
    assert "COVERING INDEX entries_rows" in plan[0][-1]


# What the ledger mutation run (docs/testing.md) found unguarded.

def test_archive_pages_and_deletions_survive_reopening_and_go_with_their_entry(
        tmp_path: Path, state_for: Callable[[Path], str]) -> None:
    path = state_for(tmp_path)
    gone = DeletionRow("tag:x.org,2026:gone", "old.txt", "https://x.org/gone", T0)
    back = DeletionRow("tag:x.org,2026:back", "b.txt", None, T0)
    with open_ledger(path) as ledger:
        ledger.apply("news", Changes(put_entries=(entry_row("a"), entry_row("b")),
                                     put_pages=(("a", 1), ("b", 2)), put_deletions=(gone, back)))
        ledger.apply("other", Changes(put_pages=(("a", 7),)))
    with open_ledger(path) as ledger:
        assert ledger.load_pages("news") == {"a": 1, "b": 2}
        assert ledger.load_deletions("news") == {gone.id: gone, back.id: back}
        ledger.apply("news", Changes(drop_entries=("a",), drop_deletions=(back.id,)))
        assert ledger.load_pages("news") == {"b": 2}  # a dropped entry's page goes with it
        assert ledger.load_pages("other") == {"a": 7}
        assert ledger.load_deletions("news") == {gone.id: gone}


def test_a_sqlite_ledger_is_named_by_its_file_and_is_its_only_worker(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with Ledger.open(path) as ledger:
        assert (ledger.location, ledger.worker, ledger.live_workers()) == (
            str(path), "", frozenset())  # "": no owner in its temporary files' names
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(LedgerError, match=f"^{re.escape(str(path))}: state schema 99 is newer"):
        Ledger.open(path)


def test_a_sqlite_file_with_tables_of_its_own_is_refused_naming_them(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.close()
    with pytest.raises(LedgerError, match=f"^{re.escape(str(path))}: not a feedwright state "
                                          "database: it holds tables 'notes' and no feedwright"):
        Ledger.open(path)
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [
        ("notes",)]  # left as it was
