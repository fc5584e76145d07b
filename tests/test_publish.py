"""Atomic publishing and the state lock, on real files."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest

from feedwright.publish import (
    WRITE_PIECE,
    LocalFolder,
    Locked,
    LockFailed,
    Sweep,
    is_remote,
    open_target,
    remote_problem,
    remove_stale_temps,
    stage,
    staged_by,
    staged_for,
    state_lock,
    write_atomic,
    write_in_pieces,
)
from tests.helpers import on_a_tiny_disk, polled


def test_write_replaces_and_skips_identical_bytes(tmp_path: Path) -> None:
    target = tmp_path / "out" / "feed.xml"
    assert write_atomic(target, b"one") is True
    assert target.read_bytes() == b"one"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert write_atomic(target, b"one") is False
    assert target.stat().st_mtime_ns == 1_000_000_000  # not rewritten
    assert write_atomic(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["feed.xml"]  # no temp files left


def test_new_files_are_readable_and_modes_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    write_atomic(target, b"a")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o640)
    write_atomic(target, b"b")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_stale_temps_are_removed(tmp_path: Path) -> None:
    (tmp_path / ".feedwright-feed.xml.abc123.tmp").write_bytes(b"half")
    (tmp_path / "feed.xml").write_bytes(b"whole")
    assert remove_stale_temps(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_only_the_named_documents_temps_are_removed(tmp_path: Path) -> None:
    """With many workers in one folder, a build sweeps only its own feed's leftovers."""
    mine = [".feedwright-a[1].json.x1_Q.tmp", ".feedwright-a[1].json.x3.tmp"]
    theirs = [".feedwright-b.json.y2.tmp", ".feedwright-a[1].json.json.z9.tmp"]  # feed "a[1].json"
    for name in mine + theirs:
        (tmp_path / name).write_bytes(b"half")
    assert remove_stale_temps(tmp_path, ["a[1].json"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(theirs)


def test_second_lock_on_the_same_state_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    with state_lock(state):
        with pytest.raises(Locked) as info, state_lock(state):
            pass
        assert f"pid {os.getpid()}" in str(info.value)
    with state_lock(state):  # released on exit
        pass


# Crash safety, shown directly. A document rewritten in place (truncate, then write) keeps its
# inode and is, for a moment, empty or half written; one renamed over the old is a new inode, and
# anyone who opened the old one still reads it whole.

OLD = b"<old>" + b"o" * 300_000 + b"</old>"
NEW = b"<new>" + b"n" * 500_000 + b"</new>"


def test_a_rewrite_is_a_new_file_and_the_old_one_stays_whole_for_its_readers(
        tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    write_atomic(target, OLD)
    before = target.stat().st_ino
    with target.open("rb") as reading:  # a client mid-download
        assert write_atomic(target, NEW) is True
        assert target.stat().st_ino != before
        assert reading.read() == OLD
    assert target.read_bytes() == NEW


class Recording:
    """The real file system, with each fsync and rename noted: which kind of file was synced
    (its inode too), and what was renamed onto what."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    def fsync(self, fd: int, /) -> None:
        st = os.fstat(fd)
        self.calls.append(("fsync", "folder" if stat.S_ISDIR(st.st_mode) else "file", st.st_ino))
        os.fsync(fd)

    def replace(self, src: str, dst: Path, /) -> None:
        self.calls.append(("replace", str(dst), os.stat(src).st_ino))
        os.replace(src, dst)


def test_the_new_bytes_are_synced_before_the_rename_and_the_folder_after(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    write_atomic(target, OLD)
    fs = Recording()
    assert write_atomic(target, NEW, fs) is True
    new = target.stat().st_ino
    assert fs.calls == [
        ("fsync", "file", new),  # the document's bytes are on disk before its name points at them
        ("replace", str(target), new),
        ("fsync", "folder", tmp_path.stat().st_ino),  # and the new name is on disk too
    ]


class FailingAt(Recording):
    """The real file system, with one step failing as a dying disk fails it (EIO)."""

    def __init__(self, step: str) -> None:
        super().__init__()
        self.step = step

    def fsync(self, fd: int, /) -> None:
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        if self.step == f"fsync {kind}":
            raise OSError(errno.EIO, "Input/output error")
        super().fsync(fd)

    def replace(self, src: str, dst: Path, /) -> None:
        if self.step == "replace":
            raise OSError(errno.EIO, "Input/output error")
        super().replace(src, dst)


@pytest.mark.parametrize("step", ["fsync file", "replace"])
def test_a_failure_before_the_rename_leaves_the_old_document_whole(tmp_path: Path,
                                                                   step: str) -> None:
    target = tmp_path / "feed.xml"
    write_atomic(target, OLD)
    before = target.stat().st_ino
    with pytest.raises(OSError) as info:
        write_atomic(target, NEW, FailingAt(step))
    assert info.value.errno == errno.EIO
    assert target.read_bytes() == OLD
    assert target.stat().st_ino == before
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]  # the temporary file is gone


def test_a_failed_folder_sync_is_reported_with_the_new_document_whole(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    write_atomic(target, OLD)
    with pytest.raises(OSError):
        write_atomic(target, NEW, FailingAt("fsync folder"))
    assert target.read_bytes() == NEW  # renamed already: not durable yet, but never half written
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


#: Runs write_atomic in a private mount namespace on a 64 KiB tmpfs: a real full disk.
FULL_DISK = """
import json, os, sys
from pathlib import Path
from feedwright.publish import write_atomic

target = Path(sys.argv[1]) / "feed.xml"
write_atomic(target, b"<old>" + b"o" * 20_000 + b"</old>")
try:
    write_atomic(target, b"<new>" + b"n" * 200_000 + b"</new>")
    outcome = "written"
except OSError as exc:
    outcome = os.strerror(exc.errno)
print(json.dumps({"outcome": outcome, "document": target.read_bytes().decode(),
                  "files": sorted(os.listdir(target.parent))}))
"""


def test_a_full_disk_leaves_the_old_document_whole(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    result = on_a_tiny_disk(disk, "64k", FULL_DISK)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {"outcome": os.strerror(errno.ENOSPC),
                      "document": "<old>" + "o" * 20_000 + "</old>", "files": ["feed.xml"]}


#: Polls the path as fast as it can until told to stop; every read must be one whole document.
POLLER = """
import json, sys
from pathlib import Path

path, ready, stop = map(Path, sys.argv[1:4])
reads, versions, bad = 0, set(), []
ready.touch()
while not stop.exists():
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        bad.append("missing")
        continue
    reads += 1
    head, _, rest = data.partition(b"|")
    if rest != head * (len(rest) // max(len(head), 1)) or len(rest) != 4096 * len(head):
        bad.append(f"{len(data)} bytes starting {data[:16]!r}")
    else:
        versions.add(head.decode())
print(json.dumps({"reads": reads, "versions": len(versions), "bad": bad[:5]}))
"""


def test_a_reader_polling_during_many_rewrites_never_sees_a_partial_document(
        tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"

    def document(n: int) -> bytes:  # v0042|v0042v0042...: whole only if every copy is there
        head = f"v{n:04d}".encode()
        return head + b"|" + head * 4096

    write_atomic(target, document(0))
    with polled(POLLER, str(target)) as report:
        for n in range(1, 400):
            write_atomic(target, document(n))
    assert report["bad"] == []
    assert report["versions"] >= 2, report  # it did read while the rewrites went on


# What the mutation run (docs/testing.md) found unguarded.

def test_the_temporary_file_is_beside_the_document_and_named_for_cleanup(tmp_path: Path) -> None:
    """Beside it, so the rename is atomic (one file system) and a killed build's leftover is found
    by remove_stale_temps; named after the document, so a person sees whose it is."""
    target = tmp_path / "feed.xml"
    write_atomic(target, OLD)
    temps: list[Path] = []

    class Beside(Recording):
        def replace(self, src: str, dst: Path, /) -> None:
            temps.append(Path(src))
            super().replace(src, dst)

    write_atomic(target, NEW, Beside())
    (temp,) = temps
    assert temp.parent == tmp_path
    assert temp.name.startswith(".feedwright-feed.xml.") and temp.name.endswith(".tmp")


def test_a_document_in_a_new_nested_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c" / "feed.xml"
    assert write_atomic(target, b"x") is True
    assert target.read_bytes() == b"x"


def test_an_identical_document_of_many_megabytes_is_left_alone(tmp_path: Path) -> None:
    """is_current compares a megabyte at a time; every chunk must count."""
    target = tmp_path / "feed.xml"
    data = bytes(range(256)) * (3 * 4096 + 7)  # three chunks and a bit
    write_atomic(target, data)
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert write_atomic(target, data) is False
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert write_atomic(target, data[:-1] + b"!") is True


class _WriteSizes(io.BytesIO):
    """A real in-memory file that remembers how much each write call was given."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.sizes.append(len(memoryview(data)))
        return super().write(data)


def test_a_document_is_written_a_piece_at_a_time_and_whole() -> None:
    """Written whole, a big document cost the kernel ten times the CPU (publish.WRITE_PIECE):
    no write call is given more than a piece, and every byte arrives in order."""
    data = os.urandom(2 * WRITE_PIECE + 7)
    handle = _WriteSizes()
    write_in_pieces(handle, data)
    assert handle.getvalue() == data
    assert handle.sizes == [WRITE_PIECE, WRITE_PIECE, 7]
    empty = _WriteSizes()
    write_in_pieces(empty, b"")
    assert empty.getvalue() == b""


def test_a_document_of_several_pieces_is_staged_whole(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    data = os.urandom(3 * WRITE_PIECE + 11)
    assert write_atomic(target, data) is True
    assert target.read_bytes() == data


def test_discarding_a_temporary_file_already_gone_is_harmless(tmp_path: Path) -> None:
    from feedwright.publish import discard_staged, stage

    temp = stage(tmp_path / "feed.xml", b"x")
    assert temp is not None
    discard_staged(temp)
    discard_staged(temp)
    assert list(tmp_path.iterdir()) == []


def test_stale_temps_counts_every_one_and_a_missing_folder_has_none(tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f".feedwright-feed.xml.{n}.tmp").write_bytes(b"half")
    assert remove_stale_temps(tmp_path) == 3
    assert remove_stale_temps(tmp_path / "missing") == 0


def test_the_lock_sits_beside_the_state_and_says_who_holds_it(tmp_path: Path) -> None:
    from feedwright.publish import lock_path_for

    state = tmp_path / "state.sqlite"
    assert lock_path_for(state) == tmp_path / "state.sqlite.lock"  # what .gitignore expects
    with state_lock(state):
        assert (tmp_path / "state.sqlite.lock").read_text() == f"{os.getpid()}\n"
        with pytest.raises(Locked) as info, state_lock(state):
            pass
    assert (info.value.lock_path, info.value.holder) == (tmp_path / "state.sqlite.lock",
                                                         str(os.getpid()))
    anonymous = Locked(tmp_path / "state.sqlite.lock", "")
    assert str(anonymous) == ("another feedwright build is running on this state; "
                              f"lock file {tmp_path / 'state.sqlite.lock'}")


# Where documents go (publish.Target) and whose leftovers a worker may remove (publish.Sweep).

def test_a_worker_names_itself_in_its_temporary_files(tmp_path: Path) -> None:
    temp = stage(tmp_path / "feed.xml", NEW, owner="pg7")
    assert temp is not None
    name = Path(temp).name
    assert name.startswith(".feedwright-feed.xml.pg7-") and name.endswith(".tmp")
    assert (staged_for(name), staged_by(name)) == ("feed.xml", "pg7")
    assert staged_by(".feedwright-feed.xml.x1_Q.tmp") is None  # a build that named no one
    # no worker named: `.feedwright-NAME.RANDOM.tmp`, naming none
    for target in (LocalFolder(tmp_path), open_target(tmp_path)):
        temp = target.stage("feed.xml", NEW + b"!")
        assert temp is not None and staged_by(Path(temp).name) is None, temp
        assert re.fullmatch(r"\.feedwright-feed\.xml\.[a-z0-9_]+\.tmp", Path(temp).name), temp
        target.discard_staged(temp)
    temp = stage(tmp_path / "feed.xml", NEW + b"!")
    assert temp is not None and staged_by(Path(temp).name) is None, temp


def test_a_sweep_removes_its_own_documents_leftovers_and_those_of_workers_gone(
        tmp_path: Path) -> None:
    names = {
        ".feedwright-a.json.pg1-x1.tmp": "gone",  # its own document: whoever staged it
        ".feedwright-a.json.y2.tmp": "gone",
        ".feedwright-feedwright.xsl.pg2-z3.tmp": "gone",  # worker pg2 is dead
        ".feedwright-feedwright.xsl.pg1-w4.tmp": "kept",  # pg1 is alive: in use
        ".feedwright-b.json.v5.tmp": "kept",  # another feed's, no owner named: not ours
    }
    for name in names:
        (tmp_path / name).write_bytes(b"half")
    removed = remove_stale_temps(tmp_path, Sweep(frozenset({"a.json"}), lambda: frozenset({"pg1"})))
    assert removed == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        n for n, fate in names.items() if fate == "kept")
    # Without knowing who is alive, owners are not looked at.
    assert remove_stale_temps(tmp_path, Sweep(frozenset({"a.json"}))) == 0
    # A worker sweeps its local output folder by the same rules (publish.Target)
    assert LocalFolder(tmp_path).remove_stale_temps(Sweep(frozenset({"b.json"}))) == 1
    assert [p.name for p in tmp_path.iterdir()] == [".feedwright-feedwright.xsl.pg1-w4.tmp"]


def test_a_document_path_that_is_a_folder_or_a_device_is_refused_naming_it(
        tmp_path: Path) -> None:
    (tmp_path / "feed.xml").mkdir()
    for path, reason in ((tmp_path / "feed.xml", "is a folder"),
                         (Path("/dev/null"), "is not a regular file")):
        with pytest.raises(OSError) as info:
            stage(path, NEW)
        assert (info.value.errno, info.value.strerror, info.value.filename) == (
            errno.EEXIST, reason, str(path))
    assert list((tmp_path / "feed.xml").iterdir()) == []


def test_a_local_folder_names_its_documents_and_reports_what_is_there(tmp_path: Path) -> None:
    target = open_target(f"file://{tmp_path}")
    assert isinstance(target, LocalFolder) and target.folder == tmp_path
    assert target.shown("feed.xml") == str(tmp_path / "feed.xml")
    assert target.key("feed.xml") == os.path.abspath(tmp_path / "feed.xml")
    assert target.fingerprint("feed.xml") is None
    temp = target.stage("feed.xml", NEW)
    assert temp is not None and target.fingerprint("feed.xml") is None  # staged, not published
    target.replace_staged(temp, "feed.xml")
    target.settle()
    st = (tmp_path / "feed.xml").stat()
    assert target.fingerprint("feed.xml") == (st.st_size, st.st_mtime_ns)
    assert target.is_current("feed.xml", NEW) and not target.is_current("feed.xml", OLD)
    assert target.stage("feed.xml", NEW) is None


@pytest.mark.parametrize(("output", "remote", "problem"), [
    ("public", False, None),
    ("/srv/feeds", False, None),
    ("file:///srv/feeds", False, None),
    ("sftp://feeds@web/srv/feeds", True, None),
    ("s3://bucket/feeds", True, None),
    ("ftp://web/feeds", True, "cannot publish to ftp:// urls (no atomic replace)"),
    ("https://web/feeds", True, "cannot publish to https:// urls (no atomic replace)"),
])
def test_which_outputs_are_remote_and_which_protocols_can_be_published_to(
        output: str, remote: bool, problem: str | None) -> None:
    assert is_remote(output) is remote
    if remote:
        found = remote_problem(output)
        assert (found is None) if problem is None else (found or "").startswith(problem)


def test_a_lock_that_cannot_be_made_says_where_and_why(tmp_path: Path) -> None:
    """A file where the state's folder should be: the lock cannot be created (exit 2)."""
    (tmp_path / "not-a-folder").write_text("x")
    state = tmp_path / "not-a-folder" / "state.sqlite"
    with pytest.raises(LockFailed) as info, state_lock(state):
        pass
    lock = tmp_path / "not-a-folder" / "state.sqlite.lock"
    reason = f"{tmp_path / 'not-a-folder'} is a file, not a folder"  # not "File exists"
    assert (info.value.lock_path, info.value.reason, info.value.exit_code) == (lock, reason, 2)
    assert str(info.value) == f"{lock}: cannot create the build lock: {reason}"
