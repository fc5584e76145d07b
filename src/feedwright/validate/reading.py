"""Reading a document to validate: a file, standard input ("-") or an http(s) URL.

Every way in is capped in size, so that a huge or endless input cannot take the memory; the
parsers then accept anything under the cap (huge_tree) without expanding entities.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from feedwright.errors import EXIT_USAGE, FeedwrightError
from feedwright.sources.base import SourceError

if TYPE_CHECKING:
    import httpx

    from feedwright.sources.retrieve import SharedClient

# 256 MiB: a 100 MB document (issue 12) is checked by default, with room to spare.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_TIMEOUT = 15.0


class ReadError(FeedwrightError):
    """The document could not be read; the message names it and says why."""

    exit_code = EXIT_USAGE


def read_document(target: str, *, stdin: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES,
                  timeout: float = DEFAULT_TIMEOUT, http: SharedClient | None = None) -> bytes:
    """The document's bytes; a URL is fetched by the sources' http retriever, through `http`'s
    client when one is given (one per run), else a client made for this fetch."""
    if target == "-":
        return _capped(stdin, max_bytes, "standard input")
    if target.startswith(("http://", "https://")):
        return _fetch(target, max_bytes, timeout, http.get() if http else None)
    return _read_file(Path(target), max_bytes)


def _capped(stream: BinaryIO, max_bytes: int, name: str) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ReadError(f"{name}: larger than {max_bytes} bytes (raise --max-bytes to allow it)")
    return data


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        if path.is_dir():
            raise ReadError(f"{path}: is a directory, not a feed document")
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(f"{path}: {size} bytes is larger than {max_bytes} "
                            "(raise --max-bytes to allow it)")
        with path.open("rb") as stream:
            return _capped(stream, max_bytes, str(path))
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except PermissionError:
        raise ReadError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror or exc})") from None


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
