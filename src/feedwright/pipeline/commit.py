"""Stage 7, publish: each validated document goes to an fsynced temporary file as it is rendered
(one document in memory at a time); then the ledger records the build; then every file is renamed
into place, skipping files that already hold the same bytes. Nothing is recorded or published when
a document fails validation or a write fails, so a failed build never replaces a good feed.

Also what lets a build stop early: the documents on disk are the ones the ledger says the last
successful build published, from the same settings.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from feedwright.ledger import LedgerError, LedgerStore, OutputRow
from feedwright.pipeline.render import Rendered
from feedwright.publish import (
    discard_staged,
    fsync_folder,
    is_current,
    remove_stale_temps,
    replace_staged,
    stage,
)


@dataclass
class Published:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already held the same bytes
    errors: list[str] = field(default_factory=list)  # non-empty: nothing was published


def publish(rendered: Iterable[Rendered], folder: Path, *, record: Callable[[], None],
            dry_run: bool = False, sweep: Sequence[str] | None = None) -> Published:
    """Stage every document, then `record` the build (the ledger's commit), then rename them all
    into place. A dry run only says which files would change. `sweep`: the documents whose
    leftover temporary files this build may remove (None: any in the folder)."""
    if not dry_run:
        remove_stale_temps(folder, sweep)  # before this build stages its own
    done = Published()
    staged: dict[Path, str | None] = {}  # the document's temporary file; None: already current
    try:
        for document in rendered:
            done.errors += document.errors()
            path, data = folder / document.document.name, document.data
            del document
            if data is None or done.errors:
                continue  # nothing is published; the other documents are still checked
            if dry_run:
                staged[path] = None if is_current(path, data) else str(path)
                continue
            try:
                staged[path] = stage(path, data)
            except OSError as exc:
                done.errors.append(f"{path}: cannot write: {exc.strerror or exc}")
            del data
        if done.errors:
            return done
        if dry_run:
            for path, temp in staged.items():
                (done.kept if temp is None else done.written).append(str(path))
            return done
        try:
            record()
        except LedgerError as exc:
            done.errors.append(str(exc))
            return done
        # Every document is validated and on disk, and the ledger committed: publish them all.
        for path in list(staged):
            temp = staged.pop(path)
            if temp is None:
                done.kept.append(str(path))
                continue
            try:
                replace_staged(temp, path)
                done.written.append(str(path))
            except OSError as exc:
                done.errors.append(f"{path}: cannot write: {exc.strerror or exc}")
        if done.written:
            fsync_folder(folder)
    finally:
        if not dry_run:
            for temp in staged.values():
                if temp is not None:
                    discard_staged(temp)
    return done


def keep(paths: Sequence[Path], folder: Path, *, record: Callable[[], None],
         dry_run: bool = False, sweep: Sequence[str] | None = None) -> Published:
    """The documents stay as they are; only `record` (the sources' rows) may change."""
    done = Published(kept=[str(p) for p in paths])
    if dry_run:
        return done
    remove_stale_temps(folder, sweep)  # a killed build's leftovers go even when nothing changed
    try:
        record()
    except LedgerError as exc:
        done.errors.append(str(exc))
    return done


def current_documents(recorded: Mapping[str, OutputRow],
                      wanted: Mapping[Path, str]) -> list[Path]:
    """The documents (path -> the settings digest they must be rendered with) that are on disk
    as the last successful build left them, from the same settings."""
    fine = []
    for path, settings in wanted.items():
        row = recorded.get(os.path.abspath(path))
        if row is None or row.settings != settings:
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns) == (row.size, row.mtime_ns):
            fine.append(path)
    return fine


def documents_current(recorded: Mapping[str, OutputRow], wanted: Mapping[Path, str]) -> bool:
    """Every document is on disk as the last successful build left it, from the same settings."""
    return len(recorded) == len(wanted) and len(current_documents(recorded, wanted)) == len(wanted)


def record_outputs(ledger: LedgerStore, feed: str, wanted: Mapping[Path, str]) -> None:
    """Remember the published documents (path -> settings digest), so the next build can tell
    they are still right."""
    rows = []
    for path, settings in wanted.items():
        try:
            st = os.stat(path)
        except OSError:
            return  # nothing recorded: the next build renders again, which is always safe
        rows.append(OutputRow(os.path.abspath(path), st.st_size, st.st_mtime_ns, settings))
    with contextlib.suppress(LedgerError):  # the same: a missing record costs only a render
        ledger.record_outputs(feed, rows)
