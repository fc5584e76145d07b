"""The publish stage's order (pipeline/commit.py) when the ledger or the file system fails partway,
on a real SQLite ledger and real files: the documents are staged, the ledger commits, then they
are renamed into place. A ledger that refuses the build leaves the published feed byte for byte
as it was, no temporary file, and a next build that publishes the change.

The ledger's refusal is SQLite's own: a trigger that aborts the write, as a database whose
constraint or disk fails would (the same LedgerError the store raises for any database error).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from feedwright.ledger import Changes, Ledger, OutputRow, SourceRow
from feedwright.pipeline.commit import publish, record_outputs
from feedwright.pipeline.render import Document, Rendered
from feedwright.publish import LocalFolder
from tests.test_build import Project, article, make_project, only

STATE = ".feedwright-state.sqlite"


def refuse(project: Project, table: str, *events: str) -> None:
    """Make the project's real SQLite ledger abort every `events` (INSERT, UPDATE) on `table`."""
    db = sqlite3.connect(project.root / STATE)
    for event in events:
        db.execute(f"CREATE TRIGGER refuse_{event.lower()} BEFORE {event} ON {table} "
                   "BEGIN SELECT RAISE(ABORT, 'the disk says no'); END")
    db.commit()
    db.close()


def allow(project: Project, *events: str) -> None:
    db = sqlite3.connect(project.root / STATE)
    for event in events:
        db.execute(f"DROP TRIGGER refuse_{event.lower()}")
    db.commit()
    db.close()


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_ledger_that_refuses_the_build_publishes_nothing_and_leaves_no_temporary_file(
        tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert only(project.build()).ok
    before = project.outputs()
    refuse(project, "entries", "INSERT", "UPDATE")
    project.write("b.txt", article("Library opens late", "It opens until ten now.",
                                   "8:30 am on 13 March 2025"))
    project.clock.advance(hours=1)
    report = project.build()
    result = only(report)
    assert report.exit_code == 1
    assert len(result.errors) == 1
    assert "cannot record the build" in result.errors[0]
    assert "the disk says no" in result.errors[0]
    assert result.written == []
    assert project.outputs() == before  # every document as it was, mtime and all
    assert temps(project.public) == []  # the staged documents are gone again
    allow(project, "INSERT", "UPDATE")
    project.clock.advance(hours=1)
    again = only(project.build())  # nothing was committed: the edit is still news
    assert again.ok and again.updated == 1
    assert "It opens until ten now." in project.items()["Library opens late"]["content_html"]


def test_a_ledger_that_refuses_a_touched_sources_row_keeps_the_documents(tmp_path: Path) -> None:
    """A source touched with the same bytes changes only its row: the documents are kept, and a
    refused row is an error, not silence."""
    project = make_project(tmp_path)
    assert only(project.build()).ok
    before = project.outputs()
    refuse(project, "sources", "UPDATE", "INSERT")
    os.utime(project.articles / "a.txt", ns=(10**18, 10**18))
    result = only(project.build())
    assert len(result.errors) == 1 and "the disk says no" in result.errors[0]
    assert sorted(result.kept) == sorted(str(project.public / n) for n in before)
    assert project.outputs() == before


def test_a_dry_run_with_nothing_to_publish_touches_neither_the_folder_nor_the_ledger(
        tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert only(project.build()).ok
    with project.ledger() as ledger:
        rows = ledger.load_sources("news")
    leftover = project.public / ".feedwright-news.json.abc123.tmp"  # a killed build's
    leftover.write_bytes(b"half")
    os.utime(project.articles / "a.txt", ns=(10**18, 10**18))
    result = only(project.build(dry_run=True))
    assert result.ok and result.written == []
    assert len(result.kept) == 3
    assert leftover.exists()  # a dry run removes nothing
    with project.ledger() as ledger:
        assert ledger.load_sources("news") == rows  # and records nothing
    result = only(project.build())
    assert result.ok and not leftover.exists()  # the real build sweeps it
    with project.ledger() as ledger:
        assert ledger.load_sources("news")["../articles/a.txt"].mtime_ns == 10**18


def document(name: str) -> Document:
    return Document("json", name)


def test_a_rename_that_fails_after_the_commit_is_reported_and_leaves_no_temporary_file(
        tmp_path: Path) -> None:
    """Between the ledger's commit and the renames another program makes one document's path a
    folder: that document is reported, not published, and its temporary file removed; the
    others are published."""
    folder = tmp_path / "public"
    folder.mkdir()
    (folder / "b.json").write_bytes(b"old b")

    @contextlib.contextmanager
    def commit_then_a_folder_appears() -> Iterator[None]:
        yield  # every report is in: the commit, then the renames
        with Ledger.open(tmp_path / STATE) as ledger:  # a real commit
            ledger.record_outputs("news", [OutputRow(str(folder / "a.json"), 5, 1, "s")])
        (folder / "b.json").unlink()
        (folder / "b.json").mkdir()
        (folder / "b.json" / "inside").write_bytes(b"x")  # a folder with something in it

    rendered = [Rendered(document("a.json"), b"new a", None),
                Rendered(document("b.json"), b"new b", None)]
    done = publish(rendered, LocalFolder(folder), record=commit_then_a_folder_appears)
    assert done.written == [str(folder / "a.json")]
    assert len(done.errors) == 1
    assert done.errors[0].startswith(f"{folder / 'b.json'}: cannot write: ")
    assert (folder / "a.json").read_bytes() == b"new a"
    assert temps(folder) == []


def test_documents_are_recorded_only_when_every_one_is_on_disk(tmp_path: Path) -> None:
    """A document gone before its size is read: nothing recorded, so the next build renders
    again (always safe) instead of trusting a half record."""
    present, gone = tmp_path / "a.json", tmp_path / "b.json"
    present.write_bytes(b"{}")
    folder = LocalFolder(tmp_path)
    with Ledger.open(tmp_path / STATE) as ledger:
        record_outputs(ledger, "news", {present: "s1"}, folder)
        first = ledger.outputs("news")
        assert list(first) == [os.path.abspath(present)]
        assert first[os.path.abspath(present)].size == 2
        present.write_bytes(b"{ }")
        record_outputs(ledger, "news", {present: "s2", gone: "s2"}, folder)
        assert ledger.outputs("news") == first



def test_changes_written_while_a_report_is_made_are_rolled_back_when_it_fails(
        tmp_path: Path) -> None:
    """The ledger's rows are written while the last reports come in from the validation
    workers (pending); a document that fails its report undoes them, and nothing is published."""
    from feedwright.validate import validate_document

    folder = tmp_path / "public"
    folder.mkdir()
    bad = b'{"version": "https://jsonfeed.org/version/1.1", "items": "none"}\n'
    rendered = [Rendered(document("a.json"), bad, None,
                         pending=lambda: validate_document(bad, "json"))]
    changes = Changes(put_sources=(SourceRow("a.txt", 1, 1, "abc"),))
    with Ledger.open(tmp_path / STATE) as ledger:
        done = publish(rendered, LocalFolder(folder),
                       record=lambda: ledger.applying("news", changes))
        assert done.errors and all(e.startswith("a.json") for e in done.errors)
        assert ledger.load_sources("news") == {}  # written, then rolled back
    assert done.written == [] and list(folder.iterdir()) == []
