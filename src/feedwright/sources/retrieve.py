"""Retrievers: turn a location into bytes. Local files now; http(s) joins here."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from feedwright.sources.base import Retrieved, SourceError

#: Sources larger than this are refused rather than read into memory.
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def retrieve(
    location: str, *, etag: str | None = None, last_modified: datetime | None = None
) -> Retrieved:
    """Read a source's bytes. `etag` and `last_modified` are for conditional http fetches."""
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
