"""Stage 7, publish: each validated document goes to an fsynced temporary file as it is rendered
(one document in memory at a time); then the ledger records the build; then every file is renamed
into place, skipping files that already hold the same bytes. Nothing is recorded or published when
a document fails validation or a write fails, so a failed build never replaces a good feed. The
ledger's rows are written while the last documents are still being validated (in workers), in a
transaction committed only once every report is in and clean.

Also what lets a build stop early: the documents on disk are the ones the ledger says the last
successful build published, from the same settings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import PurePath

from feedwright.config import archived_document
from feedwright.errors import FeedwrightError
from feedwright.ledger import LedgerError, LedgerStore, OutputRow
from feedwright.pipeline.render import PAGE, STYLESHEET, Rendered
from feedwright.publish import Sweep, Target, reason


@dataclass
class Published:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already held the same bytes
    errors: list[str] = field(default_factory=list)  # non-empty: nothing was published


#: The ledger's record of a build (LedgerStore.applying): its changes written on entering,
#: committed on leaving, rolled back when left by an exception.
Recording = Callable[[], AbstractContextManager[object]]


def publish(rendered: Iterable[Rendered], target: Target, *, record: Recording,
            dry_run: bool = False, sweep: Sweep | None = None) -> Published:
    """Stage every document, then `record` the build (the ledger's commit, once every
    validation report is clean), then rename them all into place. A dry run only says which
    files would change. `sweep`: the leftover temporary files this build may remove (None: any
    in the folder)."""
    done = Published()
    staged: dict[str, str | None] = {}  # the document's temporary file; None: already current
    kinds: dict[str, str] = {}  # each document's format, or PAGE or STYLESHEET
    # Every document, its bytes dropped once staged; a report still being made in a worker is
    # waited for after the others are staged, and the errors are told in document order.
    checked: list[Rendered] = []
    failed = False  # a document known to be unpublishable: the rest are only checked
    try:
        if not dry_run:
            target.remove_stale_temps(sweep)  # before this build stages its own
        for document in rendered:
            checked.append(document)
            failed = failed or (document.pending is None and bool(document.errors()))
            name, data = document.document.name, document.data
            kinds[name] = document.document.fmt
            # A worker's check not started yet starts from the staged copy (on this machine),
            # else from the bytes, once this document is done with (`finally`).
            deferred = document.deferred
            document.data = None
            del document
            try:
                if data is None or failed or done.errors:
                    continue  # nothing is published; the other documents are still checked
                if dry_run:
                    staged[name] = None if target.is_current(name, data) else name
                    continue
                try:
                    staged[name] = target.stage(
                        name, data, deferred.staged if deferred is not None else None)
                except OSError as exc:
                    done.errors.append(
                        f"{target.shown(name)}: cannot write: {reason(exc)}")
            finally:
                if deferred is not None:
                    deferred.start()
            del data, deferred
        if done.errors or failed or dry_run:
            done.errors += _errors_of(checked)
        else:
            record_when_valid(record, checked, done)
        if done.errors:
            return done
        if dry_run:
            for name, temp in staged.items():
                (done.kept if temp is None else done.written).append(target.shown(name))
            return done
        # Every document is validated and on disk, and the ledger committed: publish them all,
        # what is linked to before what links to it (publish_order), so a build stopped between
        # two renames, or one that fails, leaves no link to a document that is not there (the
        # rest are left as they were: the next build, finding them not current, publishes them).
        for name in sorted(staged, key=lambda name: publish_order(name, kinds[name])):
            temp = staged.pop(name)
            if temp is None:
                done.kept.append(target.shown(name))
                continue
            try:
                target.replace_staged(temp, name)
                done.written.append(target.shown(name))
            except OSError as exc:
                done.errors.append(f"{target.shown(name)}: cannot write: {reason(exc)}")
                break
        if done.written:
            target.settle()
    except OSError as exc:  # the target itself failed (a remote folder's server went away)
        done.errors.append(f"{target.shown('')}: cannot publish: {exc.strerror or exc}")
    finally:
        if not dry_run:
            for temp in staged.values():
                if temp is not None:
                    target.discard_staged(temp)
    return done


def publish_order(name: str, kind: str) -> int:
    """Where a document is renamed into place among a build's: archive pages first (the
    subscription documents' prev-archive links name them), then the stylesheet, then the
    subscription documents, then the page people read, which links to them. (sorted() keeps
    the render order within each.)"""
    if archived_document(name) is not None:
        return 0
    return {STYLESHEET: 1, PAGE: 3}.get(kind, 2)


def _errors_of(checked: Sequence[Rendered]) -> list[str]:
    """Every document's validation errors, in document order (waiting for any report still
    being made in a worker)."""
    return [line for document in checked for line in document.errors()]


class _Invalid(FeedwrightError):
    """A document failed validation: the build's changes written so far are rolled back (never
    raised past record_when_valid)."""


def record_when_valid(record: Recording, checked: Sequence[Rendered], done: Published) -> None:
    """The build's changes written while the reports still being made in workers come in, and
    committed only when none of them blocks publishing; else the reports' errors (in document
    order) or the ledger's go in done.errors, and nothing is kept."""
    reported = False
    try:
        with record():
            done.errors += _errors_of(checked)
            reported = True
            if done.errors:
                raise _Invalid
    except _Invalid:
        pass
    except LedgerError as exc:  # writing or committing failed (a full disk, a lost server)
        if not reported:
            done.errors += _errors_of(checked)
        if not done.errors:  # an invalid document is what the build reports, as ever
            done.errors.append(str(exc))


def keep(paths: Sequence[PurePath], target: Target, *, record: Callable[[], None],
         dry_run: bool = False, sweep: Sweep | None = None) -> Published:
    """The documents stay as they are; only `record` (the sources' rows) may change."""
    done = Published(kept=[target.shown(p.name) for p in paths])
    if dry_run:
        return done
    with contextlib.suppress(OSError):  # a leftover stays for the next build: no harm
        target.remove_stale_temps(sweep)  # a killed build's leftovers go even when unchanged
    try:
        record()
    except LedgerError as exc:
        done.errors.append(str(exc))
    return done


def current_documents(recorded: Mapping[str, OutputRow], wanted: Mapping[PurePath, str],
                      target: Target) -> list[PurePath]:
    """The documents (path -> the settings digest they must be rendered with) that are on the
    target as the last successful build left them, from the same settings: the same size and
    modification time as recorded (a remote target's as its server reports them)."""
    fine = []
    for path, settings in wanted.items():
        row = recorded.get(target.key(path.name))
        if row is None or row.settings != settings:
            continue
        if target.fingerprint(path.name) == (row.size, row.mtime_ns):
            fine.append(path)
    return fine


def documents_current(recorded: Mapping[str, OutputRow], wanted: Mapping[PurePath, str],
                      target: Target) -> bool:
    """Every document is on the target as the last successful build left it, from the same
    settings."""
    return (len(recorded) == len(wanted)
            and len(current_documents(recorded, wanted, target)) == len(wanted))


def record_outputs(ledger: LedgerStore, feed: str, wanted: Mapping[PurePath, str],
                   target: Target) -> None:
    """Remember the published documents (path -> settings digest), so the next build can tell
    they are still right."""
    rows = []
    for path, settings in wanted.items():
        found = target.fingerprint(path.name)
        if found is None:
            return  # nothing recorded: the next build renders again, which is always safe
        rows.append(OutputRow(target.key(path.name), *found, settings))
    with contextlib.suppress(LedgerError):  # the same: a missing record costs only a render
        ledger.record_outputs(feed, rows)
