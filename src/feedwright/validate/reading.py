"""Reading a document to validate: a file, standard input ("-") or an http(s) URL.

Every way in is capped in size, so that a huge or endless input cannot take the memory; the
parsers then accept anything under the cap (huge_tree) without expanding entities.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from feedwright.errors import EXIT_USAGE, FeedwrightError
from feedwright.sources.base import SourceError
from feedwright.sources.retrieve import SharedClient, pieces_of, within_cap

if TYPE_CHECKING:
    import httpx


# 256 MiB: a 100 MB document (issue 12) is checked by default, with room to spare.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_TIMEOUT = 15.0
_PIECE = 1 << 20  # bytes read at a time from a stream read to its end


class ReadError(FeedwrightError):
    """The document could not be read; the message names it and says why."""

    exit_code = EXIT_USAGE


@contextmanager
def open_document(target: str, *, stdin: BinaryIO | None, max_bytes: int = DEFAULT_MAX_BYTES,
                  timeout: float = DEFAULT_TIMEOUT, http: SharedClient | None = None
                  ) -> Iterator[tuple[BinaryIO, int]]:
    """The document as a stream, and its size: a file is read as it is checked, so a big one is
    never in memory whole. Standard input and a pipe, which cannot be read again (as a JSON
    Feed that must be parsed whole is), are first copied into an unnamed temporary file; a URL
    is fetched first, by the sources' http retriever (through `http`'s client when one is
    given: one per run)."""
    if target.startswith(("http://", "https://")):
        data = _fetch(target, max_bytes, timeout, http.get() if http else None)
        yield io.BytesIO(data), len(data)
        return
    if target == "-":
        if stdin is None:  # (the process was started with its standard input closed)
            raise ReadError("standard input: it is closed; give a file's path instead of -")
        with _spooled(stdin, max_bytes, "standard input") as copied:
            yield copied
        return
    stream, size = _open_file(target, max_bytes)
    with stream:
        capped = cast(BinaryIO, _CappedFile(stream, max_bytes, target))
        if stream.seekable():
            yield capped, size
            return
        with _spooled(capped, max_bytes, target) as copied:
            yield copied


@contextmanager
def _spooled(stream: BinaryIO, max_bytes: int, name: str) -> Iterator[tuple[BinaryIO, int]]:
    """The stream copied a mebibyte at a time, up to the cap, into an unnamed temporary file
    (memory holds a piece, not the document), and its size."""
    import tempfile

    def unwritable(exc: OSError) -> ReadError:  # a full TMPDIR: not standard output's failure
        return ReadError(f"{name}: cannot copy it to a temporary file in "
                         f"{tempfile.gettempdir()}: {exc.strerror or exc}")

    try:
        copy = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise unwritable(exc) from None
    with copy:
        for piece in within_cap(pieces_of(stream, _PIECE), max_bytes, lambda: ReadError(
                f"{name}: larger than {max_bytes} bytes (raise --max-bytes to allow it)")):
            try:
                copy.write(piece)
            except OSError as exc:
                raise unwritable(exc) from None
        total = copy.tell()
        copy.seek(0)
        yield cast(BinaryIO, copy), total


def _open_file(name: str, max_bytes: int) -> tuple[BinaryIO, int]:
    """The open file and its size, if it is a file within the cap; errors name it as given."""
    path = Path(name)
    try:
        if not name:
            raise ReadError("'': an empty path names no file")
        if path.is_dir():
            raise ReadError(f"{name}: is a directory, not a feed document")
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(f"{name}: {size} bytes is larger than {max_bytes} "
                            "(raise --max-bytes to allow it)")
        return path.open("rb"), size
    except OSError as exc:
        raise _file_error(name, exc) from None


class _CappedFile(io.RawIOBase):
    """A file read through the cap (it may grow while it is read), its errors as ReadError. The
    validators call read, seek, tell and seekable only (nothing wraps it in a buffered reader,
    which would ask readable)."""

    def __init__(self, stream: BinaryIO, max_bytes: int, path: str) -> None:
        super().__init__()
        self._stream, self._max, self._left, self._path = stream, max_bytes, max_bytes, path

    def seekable(self) -> bool:
        return self._stream.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Read again from elsewhere (a JSON Feed that must be parsed whole): the cap counts
        from there."""
        position = self._stream.seek(offset, whence)
        self._left = self._max - position
        return position

    def tell(self) -> int:
        return self._stream.tell()

    def read(self, size: int = -1) -> bytes:
        if size < 0:  # to the end: as much as is there, one more byte to see past the cap
            try:
                there = os.fstat(self._stream.fileno()).st_size - self._stream.tell()
            except OSError as exc:
                raise _file_error(self._path, exc) from None
            size = max(0, min(self._left, there)) + 1
        try:
            data = self._stream.read(size)
        except OSError as exc:
            raise _file_error(self._path, exc) from None
        self._left -= len(data)
        if self._left < 0:
            raise ReadError(f"{self._path}: larger than {self._max} bytes "
                            "(raise --max-bytes to allow it)")
        return data


def _file_error(path: str, exc: OSError) -> ReadError:
    if isinstance(exc, FileNotFoundError):
        return ReadError(f"{path}: no such file")
    if isinstance(exc, PermissionError):
        return ReadError(f"{path}: permission denied")
    return ReadError(f"{path}: cannot read ({exc.strerror or exc})")


def _fetch(url: str, max_bytes: int, timeout: float, client: httpx.Client | None) -> bytes:
    from feedwright.sources.retrieve import TooLarge, retrieve

    try:
        return retrieve(url, timeout=timeout, max_bytes=max_bytes, client=client,
                        accept=_ACCEPT).data
    except TooLarge:
        raise ReadError(f"{url}: larger than {max_bytes} bytes "
                        "(raise --max-bytes to allow it)") from None
    except SourceError as exc:
        raise ReadError(f"{url}: cannot fetch ({exc.reason})") from None


_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/json, "
           "application/xml, text/xml, */*;q=0.1")
