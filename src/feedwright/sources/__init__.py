"""Reading a source is two steps that meet at `Retrieved`: retrieve (a transport gives bytes and
caching facts) and read (a kind-specific reader gives model entries). A new input kind is one
reader module in READERS; a new transport is one retriever; neither touches the other.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from feedwright.model import Entry
from feedwright.sources import html, text
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError
from feedwright.sources.retrieve import retrieve

__all__ = ["KINDS", "ReaderOptions", "Retrieved", "SourceError", "detect_kind", "read", "retrieve"]

Reader = Callable[[Retrieved, ReaderOptions], tuple[Entry, ...]]

#: Input kind -> reader. Other kinds register here as their modules land.
READERS: dict[str, Reader] = {
    "text": text.read,
    "html": html.read,
}
KINDS = tuple(READERS)

_SUFFIX_KINDS = {".txt": "text", ".text": "text"}
_MEDIA_TYPE_KINDS = {"text/plain": "text"}


def detect_kind(retrieved: Retrieved) -> str:
    """The kind of input: by media type, then suffix, then by sniffing the bytes."""
    if retrieved.media_type in _MEDIA_TYPE_KINDS:
        return _MEDIA_TYPE_KINDS[retrieved.media_type]
    suffix = Path(retrieved.location.split("?", 1)[0]).suffix.lower()
    if suffix in _SUFFIX_KINDS:
        return _SUFFIX_KINDS[suffix]
    return "text"


def read(
    retrieved: Retrieved, *, kind: str | None = None, options: ReaderOptions | None = None
) -> tuple[Entry, ...]:
    """Read retrieved bytes into entries; raises SourceError naming the location and the reason."""
    kind = kind or detect_kind(retrieved)
    reader = READERS.get(kind)
    if reader is None:
        raise SourceError(
            retrieved.location, f"unknown input kind {kind!r} (known: {', '.join(KINDS)})"
        )
    return reader(retrieved, options or ReaderOptions())
