"""Publishing side effects: atomic file replacement, the build lock, and where documents go.

A reader fetching a feed mid-build must get the old file or the new one, never half of either,
and a SIGKILL at any moment must leave the same guarantee. So each file is written to a
temporary file in the same folder, fsynced, renamed over the old one and the folder fsynced.

The two calls that order makes safe, fsync and replace, come from a FileSystem passed in (the os
module unless told otherwise), so a test can record them or make one fail the way a full disk or a
dying device would, and see that the old document is left whole.

A build publishes into a Target: a local folder (LocalFolder, these functions) or a remote one
that fsspec reaches (publish_remote.RemoteFolder: sftp, object stores), chosen by open_target.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO, Final, Protocol, runtime_checkable
from urllib.parse import unquote, urlsplit

from feedwright.errors import EXIT_LOCKED, EXIT_USAGE, FeedwrightError

_TEMP_PREFIX: Final = ".feedwright-"
TEMP_SUFFIX: Final = ".tmp"

#: The most a document's bytes are written to a file in one call. Written whole, a 90 MB
#: document cost the build 0.23 s of kernel CPU (Linux 6.18, ext4: a write of 2 MiB or more
#: fills the page cache with large folios, slow to allocate), and 0.02 s in pieces of 1 MiB.
WRITE_PIECE: Final = 1 << 20


def write_in_pieces(handle: BinaryIO, data: bytes) -> None:
    """All of data written to handle, WRITE_PIECE bytes a call at most."""
    view = memoryview(data)
    for start in range(0, len(view), WRITE_PIECE):
        handle.write(view[start:start + WRITE_PIECE])


class FileSystem(Protocol):
    """What publishing needs beyond opening and writing files; the os module is one."""

    def fsync(self, fd: int, /) -> None: ...

    def replace(self, src: str, dst: Path, /) -> None: ...


class Locked(FeedwrightError):
    """Another build holds the lock on the same state."""

    exit_code = EXIT_LOCKED

    def __init__(self, lock_path: Path, holder: str) -> None:
        self.lock_path = lock_path
        self.holder = holder
        who = f" (pid {holder})" if holder else ""
        super().__init__(f"another feedwright build is running on this state{who}; "
                         f"lock file {lock_path}")


def reason(exc: OSError) -> str:
    """What an OSError says, in words; where a file stands in the place of a folder (mkdir's
    "File exists", open's "Not a directory"), that."""
    if isinstance(exc.filename, str) and exc.errno in (errno.EEXIST, errno.ENOTDIR):
        named = Path(exc.filename)
        blocking = next((p for p in (named, *named.parents) if p.exists()), None)
        if blocking is not None and not blocking.is_dir():
            return f"{blocking} is a file, not a folder"
    return exc.strerror or str(exc)


class LockFailed(FeedwrightError):
    """The lock file cannot be made (a read-only file system, a folder where it should be)."""

    exit_code = EXIT_USAGE

    def __init__(self, lock_path: Path, reason: str) -> None:
        self.lock_path = lock_path
        self.reason = reason
        super().__init__(f"{lock_path}: cannot create the build lock: {reason}")


class CannotWrite(FeedwrightError):
    """A document could not be written where it was asked for (exit 1: it was not published)."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"cannot write {where}: {reason}")


def lock_path_for(state: Path) -> Path:
    return state.with_name(state.name + ".lock")


@contextlib.contextmanager
def state_lock(state: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive flock beside the state database; raise Locked if busy and not waiting.

    The kernel drops a flock when its holder dies, so a killed build never leaves a stale lock.
    """
    path = lock_path_for(state)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise LockFailed(path, reason(exc)) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe or a device: no lock to hold
        os.close(fd)
        raise LockFailed(path, "it is not a regular file")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise Locked(path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def is_current(path: Path, data: bytes) -> bool:
    """The file already holds exactly these bytes (so it is left alone, mtime and all). Compared
    a megabyte at a time: a 100 MB document is not read into memory beside its new bytes."""
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size != len(data):
                return False
            return holds(handle, data)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False


def holds(handle: BinaryIO, data: bytes) -> bool:
    """The open file's bytes from here on are exactly data, read a megabyte at a time."""
    view, offset = memoryview(data), 0
    while chunk := handle.read(_CHUNK):
        if view[offset:offset + len(chunk)] != chunk:
            return False
        offset += len(chunk)
    return offset == len(data)


_CHUNK: Final = 1 << 20


def write_atomic(path: Path, data: bytes, fs: FileSystem = os) -> bool:
    """Replace path with data atomically and durably. False if it already held data."""
    temp = stage(path, data, fs)
    if temp is None:
        return False
    replace_staged(temp, path, fs)
    fsync_folder(path.parent, fs)
    return True


#: Told, as a document is staged, the path of a copy on this machine holding its bytes, once
#: they are in it and before they are made durable (so a validation worker reads them from
#: there while the disk catches up); None, before they go, when the target keeps no such copy.
OnStaged = Callable[[str | None], None]


def stage(path: Path, data: bytes, fs: FileSystem = os, owner: str = "",
          written: OnStaged | None = None) -> str | None:
    """The first half of write_atomic: data written and fsynced to a temporary file beside path,
    whose name is returned (None when path already holds data). Nothing is published until
    replace_staged; discard_staged (or the next build's remove_stale_temps) removes it. `owner`:
    the worker staging it, named in the temporary file's name (Sweep)."""
    if is_current(path, data):
        return None
    if path.exists() and not path.is_file():
        # Renaming over it would replace the folder or device itself (as root, even /dev/full):
        # refuse, and let the caller decide whether to write into it instead.
        raise OSError(errno.EEXIST, "is a folder" if path.is_dir() else "is not a regular file",
                      str(path))
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, temp = _temp_file(folder, path.name, owner)
    try:
        with os.fdopen(fd, "wb") as handle:
            write_in_pieces(handle, data)
            handle.flush()
            if written is not None:
                written(temp)
            os.fchmod(handle.fileno(), mode)
            fs.fsync(handle.fileno())
    except BaseException:
        discard_staged(temp)
        raise
    return temp


def replace_staged(temp: str, path: Path, fs: FileSystem = os) -> None:
    """Publish a staged file: one atomic rename (fsync the folder after the last one)."""
    try:
        fs.replace(temp, path)
    except BaseException:
        discard_staged(temp)
        raise


def discard_staged(temp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)


@dataclass(frozen=True)
class Sweep:
    """Which leftover temporary files a build may remove while other workers stage their own in
    the same folder (a PostgreSQL ledger): those of the documents it holds the claim on, and,
    when the workers alive can be asked, any staged by a worker that is gone (the only way the
    leftovers of a document no feed owns, the shared stylesheet, are ever removed)."""

    names: frozenset[str]
    #: Asks who is alive now (None: owners are not looked at). Asked only after the folder is
    #: listed: a worker that connected after the build began may have staged a listed file.
    alive: Callable[[], frozenset[str]] | None = None

    def removable(self, temp_names: Iterable[str]) -> list[str]:
        """Those of the temporary files just listed that this build may remove. A worker whose
        file was listed had connected before the listing, so it is among the workers alive
        asked after it unless it is gone."""
        listed = list(temp_names)
        own = [n for n in listed if staged_for(n) in self.names]
        others = [n for n in listed if staged_for(n) not in self.names
                  and staged_by(n) is not None]
        if self.alive is None or not others:
            return own
        alive = self.alive()
        return own + [n for n in others if staged_by(n) not in alive]


def _sweep(names: Iterable[str] | Sweep | None) -> Sweep | None:
    return names if names is None or isinstance(names, Sweep) else Sweep(frozenset(names))


def remove_stale_temps(folder: Path, names: Iterable[str] | Sweep | None = None) -> int:
    """Delete temporary files a killed build left behind: every one in the folder, or only those
    of the named documents (when other workers stage other feeds' documents there right now),
    or those a Sweep removes. Call only while holding the lock on what they belong to."""
    removed = 0
    if not folder.is_dir():
        return 0
    temps = {p.name: p for p in folder.glob(f"{_TEMP_PREFIX}*{TEMP_SUFFIX}")}
    sweep = _sweep(names)
    for name in temps if sweep is None else sweep.removable(temps):
        with contextlib.suppress(FileNotFoundError):
            temps[name].unlink()
            removed += 1
    return removed


def is_temp_name(name: str) -> bool:
    """A name publishing gives its temporary files (`.feedwright-NAME.RANDOM.tmp`)."""
    return name.startswith(_TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def staged_for(temp_name: str) -> str:
    """The document a temporary file was staged for: `.feedwright-NAME.RANDOM.tmp` (mkstemp's
    RANDOM has no dot) gives NAME."""
    return temp_name[len(_TEMP_PREFIX):-len(TEMP_SUFFIX)].rsplit(".", 1)[0]


def staged_by(temp_name: str) -> str | None:
    """The worker that staged a temporary file, when it said (`.feedwright-NAME.OWNER-RANDOM.tmp`;
    mkstemp's RANDOM has no dash), else None."""
    tail = temp_name[len(_TEMP_PREFIX):-len(TEMP_SUFFIX)].rsplit(".", 1)[-1]
    owner, dash, _ = tail.partition("-")
    return owner if dash and owner else None


def temp_prefix(name: str, owner: str = "") -> str:
    """The start of a temporary file's name for a document (a random part and TEMP_SUFFIX
    follow)."""
    return f"{_TEMP_PREFIX}{name}.{owner}-" if owner else f"{_TEMP_PREFIX}{name}."


def _temp_file(folder: Path, name: str, owner: str = "") -> tuple[int, str]:
    import tempfile  # only when a document is written: tempfile imports shutil and random

    return tempfile.mkstemp(prefix=temp_prefix(name, owner), suffix=TEMP_SUFFIX, dir=folder)


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; a new one gets 0666 less the umask, like any new file."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_folder(folder: Path, fs: FileSystem = os) -> None:
    """Make the renames into folder durable: without it a power cut can bring the old name back."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fs.fsync(fd)
    finally:
        os.close(fd)


# --- where a feed's documents go --------------------------------------------------------------


@runtime_checkable
class Target(Protocol):
    """A folder documents are published into, named by their file names. The same two-step
    order everywhere: stage (the bytes wholly written somewhere no reader looks), then
    replace_staged (one atomic step makes them the document), then settle (make the renames
    durable, where the target can). Failures are OSError, with a reason fit for a message."""

    @property
    def folder(self) -> PurePath:
        """The folder as a path (what the pipeline joins document names to)."""

    def shown(self, name: str) -> str:
        """The document as messages and run reports name it."""

    def key(self, name: str) -> str:
        """The document as the ledger records it: the same document, the same key, every run."""

    def is_current(self, name: str, data: bytes) -> bool: ...

    def stage(self, name: str, data: bytes, written: OnStaged | None = None) -> str | None:
        """The staged copy's name, or None when the document already holds data (`written`
        is then not told). `written`: see OnStaged."""

    def replace_staged(self, temp: str, name: str) -> None: ...

    def discard_staged(self, temp: str) -> None: ...

    def settle(self) -> None: ...

    def remove_stale_temps(self, names: Sweep | None = None) -> int: ...

    def fingerprint(self, name: str) -> tuple[int, int] | None:
        """(size, mtime in ns) of the published document, None when it is not there."""


class LocalFolder:
    """A folder on this machine (or mounted on it): the functions above, over one FileSystem."""

    def __init__(self, folder: Path, fs: FileSystem = os, owner: str = "") -> None:
        self.folder: Path = folder
        self._fs = fs
        self._owner = owner

    def shown(self, name: str) -> str:
        return str(self.folder / name)

    def key(self, name: str) -> str:
        return os.path.abspath(self.folder / name)

    def is_current(self, name: str, data: bytes) -> bool:
        return is_current(self.folder / name, data)

    def stage(self, name: str, data: bytes, written: OnStaged | None = None) -> str | None:
        return stage(self.folder / name, data, self._fs, self._owner, written)

    def replace_staged(self, temp: str, name: str) -> None:
        replace_staged(temp, self.folder / name, self._fs)

    def discard_staged(self, temp: str) -> None:
        discard_staged(temp)

    def settle(self) -> None:
        fsync_folder(self.folder, self._fs)

    def remove_stale_temps(self, names: Sweep | None = None) -> int:
        return remove_stale_temps(self.folder, names)

    def fingerprint(self, name: str) -> tuple[int, int] | None:
        try:
            st = os.stat(self.folder / name)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns


def is_remote(output: str | Path) -> bool:
    """An output that names a remote folder (an fsspec url) rather than a local one."""
    return isinstance(output, str) and "://" in output and not output.startswith("file://")


def local_folder(output: str | Path) -> Path:
    """The folder a local output names: a path, or a file:// url (file:///srv/feeds, its host
    empty or localhost, its path percent-decoded: file:///srv/my%20feeds is "my feeds")."""
    text = str(output)
    if not text.startswith("file://"):
        return Path(text)
    return Path(unquote(urlsplit(text).path))


def file_url_problem(output: str) -> str | None:
    """Why a file:// url names no folder here: a host other than this machine's."""
    if not output.startswith("file://"):
        return None
    host = urlsplit(output).netloc
    if host.lower() in ("", "localhost"):
        return None
    return (f"a file:// url names a folder on this machine (file:///path or "
            f"file://localhost/path), not on {host!r}")


def open_target(output: str | Path, owner: str = "") -> Target:
    """The target an output names: a local folder (a path, or a file:// url), or a remote one
    (publish_remote: fsspec is imported only then). `owner`: the worker publishing, named in its
    temporary files (Sweep). Raises CannotWrite when it cannot be reached."""
    if not is_remote(output):
        return LocalFolder(local_folder(output), owner=owner)
    from feedwright.publish_remote import open_remote

    return open_remote(str(output), owner)


#: The fsspec protocols documents can be published to, by how each replaces a document so that a
#: reader never sees part of one (docs/scaling.md): "rename" stages a temporary name in the same
#: folder and renames it over the document (sftp: OpenSSH's posix-rename); "put" uploads the
#: document whole in one request (an object store shows a new object only once it is complete).
#: Any other protocol (ftp, http, webdav, ...) writes in place where readers can see it: refused.
REMOTE_PROTOCOLS: Final = {"sftp": "rename", "ssh": "rename",
                           "s3": "put", "s3a": "put", "gs": "put", "gcs": "put",
                           "az": "put", "abfs": "put", "abfss": "put", "memory": "put"}


def remote_problem(url: str) -> str | None:
    """Why documents cannot be published to this url, or None (no connection is made)."""
    protocol = url.split("://", 1)[0].lower()
    if protocol not in REMOTE_PROTOCOLS:
        return (f"cannot publish to {protocol}:// urls (no atomic replace); use a folder or one "
                f"of {', '.join(p + '://' for p in sorted(REMOTE_PROTOCOLS))}")
    return None
