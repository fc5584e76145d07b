"""Retrievers: turn a location into bytes, one per url scheme (RETRIEVERS): local files, and
http(s) urls for the cron job and for `validate`. The http client is passed in (one per run,
connections reused), or made for the one fetch.

The http retriever is built for unattended runs: bounded time (per-phase timeouts plus an
overall deadline, so a server dripping one byte a second cannot hold a build), bounded size
(the body is streamed and refused past the cap, whatever Content-Length claims), bounded
redirects, a user agent that says who is asking, and conditional GET so an unchanged page costs
one 304 (the ledger keeps the ETag and Last-Modified between runs).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, BinaryIO, Final, cast

from feedwright import __version__
from feedwright.sources.base import Retrieved, SourceError

if TYPE_CHECKING:
    import httpx  # imported when the first http(s) location is fetched: it costs 0.1 s

#: Sources larger than this are refused rather than read into memory.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
#: Pages fetched over http: far above any article page or feed, far below what hurts a cron box.
MAX_HTTP_BYTES = 16 * 1024 * 1024
HTTP_TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
USER_AGENT = (
    f"feedwright/{__version__} (syndication feed builder; +https://pypi.org/project/feedwright/)"
)


class TooLarge(SourceError):
    """The source is over the size cap (raised before reading past it)."""

    def __init__(self, location: str, reason: str, cap: int) -> None:
        self.cap = cap
        super().__init__(location, reason)


@dataclass(frozen=True)
class Request:
    """What a retriever is asked for besides the location."""

    etag: str | None = None  # with last_modified: make an http fetch conditional
    last_modified: datetime | None = None
    timeout: float = HTTP_TIMEOUT_SECONDS
    max_bytes: int | None = None  # None: the transport's own cap
    client: httpx.Client | None = None  # http(s): the caller's client; None: one for this fetch
    accept: str | None = None  # http(s): the media types wanted; None: every kind we read


#: Called as (location, request); raises SourceError naming the location and the reason.
Retriever = Callable[[str, Request], Retrieved]


def retrieve(location: str, *, etag: str | None = None, last_modified: datetime | None = None,
             timeout: float = HTTP_TIMEOUT_SECONDS, max_bytes: int | None = None,
             client: httpx.Client | None = None, accept: str | None = None) -> Retrieved:
    """A source's bytes, through the retriever for its scheme (a path without one is a file)."""
    scheme = scheme_of(location)
    retriever = RETRIEVERS.get(scheme)
    if retriever is None:
        raise SourceError(location, f"cannot fetch {scheme}: locations "
                                    f"(known: {', '.join(sorted(RETRIEVERS))})")
    return retriever(location, Request(etag, last_modified, timeout, max_bytes, client, accept))


def scheme_of(location: str) -> str:
    """The location's url scheme, lower case; "file" for a plain path."""
    scheme, sep, _ = location.partition("://")
    if sep and scheme.isascii() and scheme.isalpha():
        return scheme.lower()
    return "file"


def retrieve_file(location: str, request: Request) -> Retrieved:
    name = location.removeprefix("file://")
    cap = MAX_SOURCE_BYTES if request.max_bytes is None else request.max_bytes
    if not utf8_name(name):  # the entries, the ledger and the reports hold it as UTF-8
        raise SourceError(shown_name(location), NOT_UTF8_NAME)
    # A readable file within the cap (every source of a build but a bad one): one open, one
    # fstat, one read. Anything else is told by _unreadable, in the order that says what is wrong.
    data: bytes | None
    try:
        with open(name, "rb", buffering=0) as handle:
            stat = os.fstat(handle.fileno())
            if not S_ISREG(stat.st_mode):  # a device or a pipe: no size to go by
                data = _read_to_cap(cast(BinaryIO, handle), location, cap)
            else:
                data = handle.read() if stat.st_size <= cap else None
    except OSError:
        data = None
    if data is None:
        raise _unreadable(location, Path(name), cap)
    return Retrieved(location=location, data=data, media_type=None, base_url=None,
                     last_modified=datetime.fromtimestamp(stat.st_mtime, UTC))


#: Why a file whose name is not UTF-8 is not read (scan leaves it out of a build, too).
NOT_UTF8_NAME: Final = "its name is not UTF-8; rename the file"


def utf8_name(name: str) -> bool:
    """Whether a file name is UTF-8 (one that is not comes from the system with surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str) -> str:
    """A file name as a report can print it: bytes that are not UTF-8 as \\xNN escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def within_cap(pieces: Iterable[bytes], cap: int,
               too_large: Callable[[], Exception]) -> Iterator[bytes]:
    """The pieces, until together they pass `cap` bytes: then too_large() is raised. What a
    stream, a device, a pipe or an http body gives is read this way a piece at a time (one
    read to the end of /dev/zero would fill the memory; one of the cap's size allocates it)."""
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > cap:
            raise too_large()
        yield piece


def pieces_of(handle: BinaryIO, size: int = 1 << 20) -> Iterator[bytes]:
    """A stream's bytes, `size` at a time, to its end."""
    while piece := handle.read(size):
        yield piece


def _read_to_cap(handle: BinaryIO, location: str, cap: int) -> bytes:
    return b"".join(within_cap(pieces_of(handle), cap, lambda: TooLarge(
        location, f"is over the {cap} byte limit", cap)))


def _unreadable(location: str, path: Path, cap: int) -> SourceError:
    """Why a file source could not be read: a folder, too large, or what the system says."""
    try:
        stat = path.stat()
        if path.is_dir():
            return SourceError(location, "is a folder, not a file")
        if stat.st_size > cap:
            return TooLarge(location, f"is {stat.st_size} bytes, over the {cap} byte limit", cap)
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        return SourceError(location, "no such file")
    except PermissionError:
        return SourceError(location, "permission denied")
    except OSError as exc:
        return SourceError(location, exc.strerror or str(exc))
    return SourceError(location, "could not be read (it changed while it was read)")


def retrieve_stream(stream: BinaryIO, location: str = "<stdin>") -> Retrieved:
    """A source piped in: its bytes, up to the size limit; its kind is sniffed from them."""
    return Retrieved(location=location, data=_read_to_cap(stream, location, MAX_SOURCE_BYTES))


def expand_locations(locations: Sequence[str]) -> tuple[list[str], list[SourceError]]:
    """Locations as named, with each folder replaced by the files in it (recursively, sorted,
    hidden names skipped); a folder that holds no file is an error, as a missing file is."""
    expanded: list[str] = []
    empty: list[SourceError] = []
    for location in locations:
        if location == "-" or "://" in location or not os.path.isdir(location):
            expanded.append(location)
            continue
        found = []
        for folder, folders, files in os.walk(location):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            found += [os.path.join(folder, f) for f in sorted(files) if not f.startswith(".")]
        if not found:
            empty.append(SourceError(location, "is a folder with no files in it"))
        expanded += found
    return expanded, empty


def http_client(timeout: float = HTTP_TIMEOUT_SECONDS) -> httpx.Client:
    """The http client every fetch goes through unless the caller passes its own: redirects
    followed up to MAX_REDIRECTS, a user agent that says who is asking."""
    import httpx

    return httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS,
                        timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT})


class SharedClient:
    """One http client for a whole run (connections reused), made on first use, so that a run
    which fetches nothing never imports httpx. Close it when the run ends (or use `with`)."""

    def __init__(self, timeout: float = HTTP_TIMEOUT_SECONDS) -> None:
        self._timeout = timeout
        self._client: httpx.Client | None = None

    def get(self) -> httpx.Client:
        if self._client is None:
            self._client = http_client(self._timeout)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> SharedClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def retrieve_http(url: str, request: Request) -> Retrieved:
    # Here, not at the top: email.utils brings socket, random and calendar (~10 ms), which a
    # build that fetches nothing never needs.
    from email.utils import format_datetime

    import httpx

    if request.client is None:
        with http_client(request.timeout) as client:
            return retrieve_http(url, Request(request.etag, request.last_modified,
                                              request.timeout, request.max_bytes, client,
                                              request.accept))
    timeout = request.timeout
    max_bytes = MAX_HTTP_BYTES if request.max_bytes is None else request.max_bytes
    headers = {"Accept": request.accept or _ACCEPT}
    etag, last_modified = request.etag, request.last_modified
    if etag:
        headers["If-None-Match"] = etag
    if last_modified is not None:
        headers["If-Modified-Since"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    deadline = time.monotonic() + timeout
    try:
        with request.client.stream("GET", url, headers=headers,
                                   timeout=httpx.Timeout(timeout)) as response:
            if response.status_code == 304:
                return Retrieved(
                    location=url,
                    data=b"",
                    base_url=str(response.url),
                    etag=response.headers.get("ETag") or etag,
                    last_modified=_http_date(response.headers.get("Last-Modified"))
                    or last_modified,
                    not_modified=True,
                )
            if response.status_code >= 400:
                raise SourceError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            data = _read_capped(response, url, max_bytes, deadline, timeout)
            media_type, charset = _content_type(response.headers.get("Content-Type"))
            return Retrieved(
                location=url,
                data=data,
                media_type=media_type,
                base_url=str(response.url),
                charset=charset,
                etag=response.headers.get("ETag"),
                last_modified=_http_date(response.headers.get("Last-Modified")),
            )
    except httpx.TooManyRedirects:
        raise SourceError(url, f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise SourceError(url, f"timed out after {timeout:g} s") from None
    except httpx.InvalidURL as exc:
        raise SourceError(url, f"not a valid url: {exc}") from None
    except httpx.HTTPError as exc:
        raise SourceError(url, f"http error: {exc}") from None


#: Url scheme -> retriever. A new transport is one function here.
RETRIEVERS: dict[str, Retriever] = {
    "file": retrieve_file,
    "http": retrieve_http,
    "https": retrieve_http,
}


_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/feed+json, application/json, text/markdown, text/plain;q=0.9, */*;q=0.5"
)


def _read_capped(
    response: httpx.Response, url: str, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(url, f"is {declared} bytes, over the {max_bytes} byte limit", max_bytes)
    chunks: list[bytes] = []
    for chunk in within_cap(response.iter_bytes(), max_bytes, lambda: TooLarge(
            url, f"is over the {max_bytes} byte limit", max_bytes)):
        if time.monotonic() > deadline:
            raise SourceError(url, f"timed out after {timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.lower() == "charset" and val:
            charset = val.strip().strip('"').lower()
    return media_type.strip().lower() or None, charset


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
