"""Publishing to a remote folder through fsspec: sftp, object stores (docs/scaling.md).

The same order as a local folder (publish.LocalFolder), so a reader never sees part of a
document, with the step each kind of target has for it (publish.REMOTE_PROTOCOLS):

- "rename" (sftp): the bytes go to a temporary name in the same remote folder, are fsynced on
  the server (OpenSSH's fsync@openssh.com) and renamed over the document (posix-rename@openssh.com,
  atomic on the server's file system). A killed build leaves only a temporary file, which the next
  build removes as it does a local one. The server's folder cannot be fsynced over sftp.
- "put" (object stores): the bytes are staged in a local temporary file and uploaded in one
  request; the store shows the new object only once it is whole, and the old one until then.

fsspec and its protocol's package are imported only here, when an output url names one. Every
failure of theirs becomes an OSError with a reason fit for a message (never a traceback), and
the url is shown without its password.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, Final

from feedwright.publish import (
    REMOTE_PROTOCOLS,
    TEMP_SUFFIX,
    CannotWrite,
    OnStaged,
    Sweep,
    holds,
    is_temp_name,
    remote_problem,
    temp_prefix,
    write_in_pieces,
)
from feedwright.syntax import redact

#: Seconds to wait for a server to answer and accept our login.
CONNECT_TIMEOUT: Final = 20
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _options(protocol: str) -> dict[str, Any]:
    """What fsspec's filesystem is opened with beyond the url. sftp (sshfs, asyncssh): check the
    server's host key against ~/.ssh/known_hosts as ssh does (sshfs's own default checks none),
    and log in as ssh would: ~/.ssh/config, the agent, ~/.ssh/id_* keys, or the url's password."""
    if REMOTE_PROTOCOLS[protocol] == "rename":
        return {"known_hosts": (), "timeout": CONNECT_TIMEOUT}
    return {}


def open_remote(url: str, owner: str = "") -> RemoteFolder:
    """Connect to the folder a url names; CannotWrite (naming the url, never its password) when
    it is not a protocol we can publish to, its package is missing, or it cannot be reached."""
    where = redact(url).rstrip("/")
    problem = remote_problem(url)
    if problem:
        raise CannotWrite(where, problem)
    protocol = url.split("://", 1)[0].lower()
    try:
        import fsspec
    except ImportError:
        raise CannotWrite(where, "publishing to a url needs fsspec: pip install "
                                 "'feedwright[remote]'") from None
    if REMOTE_PROTOCOLS[protocol] == "rename":
        try:  # not fsspec's paramiko fallback: it cannot fsync and trusts any host key
            import sshfs  # noqa: F401
        except ImportError:
            raise CannotWrite(where, "publishing over sftp needs sshfs: pip install "
                                     "'feedwright[remote]'") from None
    try:
        fs, path = fsspec.core.url_to_fs(url, **_options(protocol))
    except ImportError as exc:  # fsspec names the package the protocol needs ("Install s3fs")
        raise CannotWrite(where, str(exc)) from None
    except Exception as exc:  # the library's own errors: refused, unknown host, login failed
        raise CannotWrite(where, f"cannot connect: {_reason(exc)}") from None
    try:
        is_folder = fs.isdir(path)
    except Exception as exc:
        raise CannotWrite(where, f"cannot look at the folder: {_reason(exc)}") from None
    if not is_folder:
        # Not made for you, unlike a local folder: a mistyped remote path should fail, not grow
        # a tree on a server.
        raise CannotWrite(where, f"there is no folder {path} on the server")
    return RemoteFolder(fs, path, where, REMOTE_PROTOCOLS[protocol], owner,
                        no_fsync=_unsupported(protocol))


def _unsupported(protocol: str) -> tuple[type[Exception], ...]:
    """What an sftp server without fsync@openssh.com answers a fsync with: the staged file is
    then renamed unsynced (atomic still, only not proof against a power cut on the server)."""
    if REMOTE_PROTOCOLS[protocol] != "rename":
        return ()
    from asyncssh.sftp import SFTPOpUnsupported

    return (SFTPOpUnsupported,)


class RemoteFolder:
    """A folder that fsspec reaches (publish.Target). Temporary names are the local ones
    (`.feedwright-NAME.RANDOM.tmp`), so the same rules find and remove leftovers."""

    def __init__(self, fs: Any, path: str, where: str, replace: str, owner: str = "",
                 no_fsync: tuple[type[Exception], ...] = ()) -> None:
        self.folder = PurePosixPath(path)
        self._fs = fs
        self._where = where
        self._renames = replace == "rename"
        self._owner = owner
        self._no_fsync = no_fsync

    def shown(self, name: str) -> str:
        return f"{self._where}/{name}"

    def key(self, name: str) -> str:
        return self.shown(name)

    def _path(self, name: str) -> str:
        return str(self.folder / name)

    def is_current(self, name: str, data: bytes) -> bool:
        """Compared a megabyte at a time after the size, as a local document is."""
        with _failing():
            try:
                if self._fs.info(self._path(name))["size"] != len(data):
                    return False
                with self._fs.open(self._path(name), "rb") as handle:
                    return holds(handle, data)
            except FileNotFoundError:
                return False

    def stage(self, name: str, data: bytes, written: OnStaged | None = None) -> str | None:
        if self.is_current(name, data):
            return None
        if not self._renames:
            fd, temp = tempfile.mkstemp(prefix=temp_prefix(name), suffix=TEMP_SUFFIX)
            with os.fdopen(fd, "wb") as handle:
                write_in_pieces(handle, data)
            if written is not None:
                written(temp)
            return temp
        temp = self._path(f"{temp_prefix(name, self._owner)}{secrets.token_hex(8)}{TEMP_SUFFIX}")
        if written is not None:
            written(None)  # no copy here: whoever waits reads them from memory, now
        try:
            with _failing(), self._fs.open(temp, "wb") as handle:
                handle.write(data)
                if hasattr(handle, "fsync"):  # on the server's disk before its name points at it
                    with contextlib.suppress(*self._no_fsync):
                        handle.fsync()
        except BaseException:
            self.discard_staged(temp)
            raise
        return temp

    def replace_staged(self, temp: str, name: str) -> None:
        try:
            with _failing():
                if self._renames:
                    self._fs.mv(temp, self._path(name))
                else:
                    self._fs.put_file(temp, self._path(name))
                    os.unlink(temp)
        except BaseException:
            self.discard_staged(temp)
            raise

    def discard_staged(self, temp: str) -> None:
        if not self._renames:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            return
        with contextlib.suppress(Exception):  # gone already, or the server is: nothing to do
            self._fs.rm_file(temp)

    def settle(self) -> None:
        """Nothing: sftp has no fsync of a folder, and an object store's PUT is durable."""

    def remove_stale_temps(self, names: Sweep | None = None) -> int:
        if not self._renames:
            return 0  # staged locally, never under a name on the store
        removed = 0
        with _failing():
            temps = {PurePosixPath(path).name: path
                     for path in self._fs.ls(str(self.folder), detail=False)
                     if is_temp_name(PurePosixPath(path).name)}
            for name in temps if names is None else names.removable(temps):
                with contextlib.suppress(FileNotFoundError):
                    self._fs.rm_file(temps[name])
                    removed += 1
        return removed

    def fingerprint(self, name: str) -> tuple[int, int] | None:
        """Size and modification time as the server reports them (sftp: whole seconds)."""
        try:
            with _failing():
                info = self._fs.info(self._path(name))
                modified = info.get("mtime")
                if not isinstance(modified, datetime):
                    modified = self._fs.modified(self._path(name))
        except OSError:
            return None
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=UTC)
        return int(info["size"]), (modified - _EPOCH) // timedelta(microseconds=1) * 1000


@contextlib.contextmanager
def _failing() -> Iterator[None]:
    """The library's errors (asyncssh's, a store's) as OSError; OSErrors as they are."""
    try:
        yield
    except OSError:
        raise
    except Exception as exc:
        raise OSError(errno.EIO, _reason(exc)) from exc


def _reason(exc: BaseException) -> str:
    """What went wrong, in the words of the library that knows, without a traceback."""
    text = (getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
            or type(exc).__name__)
    return str(text).strip()
