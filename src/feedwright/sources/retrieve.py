"""Retrievers: turn a location into bytes. Local files, and http(s) urls for the cron job.

The http retriever is built for unattended runs: bounded time (per-phase timeouts plus an
overall deadline, so a server dripping one byte a second cannot hold a build), bounded size
(the body is streamed and refused past the cap, whatever Content-Length claims), bounded
redirects, a user agent that says who is asking, and conditional GET so an unchanged page costs
one 304 (the ledger keeps the ETag and Last-Modified between runs).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

import httpx

from feedwright import __version__
from feedwright.sources.base import Retrieved, SourceError

#: Sources larger than this are refused rather than read into memory.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
#: Pages fetched over http: far above any article page or feed, far below what hurts a cron box.
MAX_HTTP_BYTES = 16 * 1024 * 1024
HTTP_TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
USER_AGENT = (
    f"feedwright/{__version__} (syndication feed builder; +https://pypi.org/project/feedwright/)"
)


def retrieve(
    location: str,
    *,
    etag: str | None = None,
    last_modified: datetime | None = None,
    timeout: float = HTTP_TIMEOUT_SECONDS,
    max_bytes: int | None = None,
) -> Retrieved:
    """Read a source's bytes. `etag` and `last_modified` make an http fetch conditional."""
    if location.lower().startswith(("http://", "https://")):
        return retrieve_http(
            location,
            etag=etag,
            last_modified=last_modified,
            timeout=timeout,
            max_bytes=MAX_HTTP_BYTES if max_bytes is None else max_bytes,
        )
    return retrieve_file(Path(location), location)


def retrieve_file(path: Path, location: str) -> Retrieved:
    try:
        stat = path.stat()
        if path.is_dir():
            raise SourceError(location, "is a folder, not a file")
        if stat.st_size > MAX_SOURCE_BYTES:
            raise SourceError(
                location, f"is {stat.st_size} bytes, over the {MAX_SOURCE_BYTES} byte limit"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(location, "no such file") from None
    except PermissionError:
        raise SourceError(location, "permission denied") from None
    except OSError as exc:
        raise SourceError(location, exc.strerror or str(exc)) from None
    return Retrieved(
        location=location,
        data=data,
        media_type=None,
        base_url=None,
        last_modified=datetime.fromtimestamp(stat.st_mtime, UTC),
    )


def retrieve_stream(stream: BinaryIO, location: str = "<stdin>") -> Retrieved:
    """A source piped in: its bytes, up to the size limit; its kind is sniffed from them."""
    data = stream.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(location, f"is over the {MAX_SOURCE_BYTES} byte limit")
    return Retrieved(location=location, data=data)


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


def retrieve_http(
    url: str,
    *,
    etag: str | None = None,
    last_modified: datetime | None = None,
    timeout: float = HTTP_TIMEOUT_SECONDS,
    max_bytes: int = MAX_HTTP_BYTES,
) -> Retrieved:
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified is not None:
        headers["If-Modified-Since"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    deadline = time.monotonic() + timeout
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=httpx.Timeout(timeout),
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
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


_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/feed+json, application/json, text/markdown, text/plain;q=0.9, */*;q=0.5"
)


def _read_capped(
    response: httpx.Response, url: str, max_bytes: int, deadline: float, timeout: float
) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(url, f"is {declared} bytes, over the {max_bytes} byte limit")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(url, f"is over the {max_bytes} byte limit")
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
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
