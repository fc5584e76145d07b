"""Reading a document to validate: a file, standard input ("-") or an http(s) URL.

Every way in is capped in size, so that a huge or endless input cannot take the memory; the
parsers then accept anything under the cap (huge_tree) without expanding entities.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import BinaryIO

from feedwright import __version__
from feedwright.errors import EXIT_USAGE, FeedwrightError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_TIMEOUT = 15.0


class ReadError(FeedwrightError):
    """The document could not be read; the message names it and says why."""

    exit_code = EXIT_USAGE


def read_document(target: str, *, stdin: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES,
                  timeout: float = DEFAULT_TIMEOUT) -> bytes:
    if target == "-":
        return _capped(stdin, max_bytes, "standard input")
    if target.startswith(("http://", "https://")):
        return _fetch(target, max_bytes, timeout)
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


def _fetch(url: str, max_bytes: int, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={
        "User-Agent": f"feedwright/{__version__} (validate)",
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                  "application/json, application/xml, text/xml, */*;q=0.1",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _capped(response, max_bytes, url)
    except urllib.error.HTTPError as exc:
        raise ReadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise ReadError(f"{url}: cannot fetch ({exc.reason})") from None
    except TimeoutError:
        raise ReadError(f"{url}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise ReadError(f"{url}: cannot fetch ({exc})") from None
