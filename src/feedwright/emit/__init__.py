"""Emitters: one module per output format, the model in and bytes out. Never reads the clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from feedwright.emit import jsonfeed, xml
from feedwright.emit.common import EmitError, Shared, Written
from feedwright.emit.jsonfeed import emit_json, encode, feed_document
from feedwright.emit.xml import emit_atom, emit_rss
from feedwright.formats import FORMATS, MEDIA_TYPES
from feedwright.model import Entry, Feed

__all__ = ["FORMATS", "MEDIA_TYPES", "EmitError", "Emitted", "Shared", "Written", "emit",
           "emit_document", "entry_bytes"]

_EMITTERS: dict[str, Callable[[Feed, Shared | None, Written | None], bytes]] = {
    "rss": emit_rss,
    "atom": emit_atom,
    "json": emit_json,
}


def emit(feed: Feed, fmt: str) -> bytes:
    """Write the feed in one format. Raises EmitError when the model lacks what the format needs."""
    return emit_document(feed, fmt).data


@dataclass(frozen=True)
class Emitted:
    """A document as written, and what the validator can check without reading the bytes
    again: for JSON Feed, the object the bytes encode (validate_document(document=...))."""

    data: bytes
    document: dict[str, object] | None = None


def emit_document(feed: Feed, fmt: str, shared: Shared | None = None,
                  written: Written | None = None) -> Emitted:
    """`emit`, keeping what validation can use (pipeline.render hands it over). `shared`: one
    per feed, given to each of its formats, makes what they have in common once. With
    `written`, the document is made around those entries (entry_bytes), feed.entries unused:
    the same bytes as the feed with them (tests/test_emit_bytes.py)."""
    if fmt == "json" and written is None:
        document = feed_document(feed)
        return Emitted(encode(document), document)
    try:
        emitter = _EMITTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})") from None
    return Emitted(emitter(feed, shared, written))


def entry_bytes(entry: Entry, fmt: str, shared: Shared | None = None) -> bytes:
    """One entry as it stands in a document of the format, for Written. Raises EmitError as
    emitting the document would. `shared` as for emit_document, across one entry's formats."""
    if fmt == "json":
        return jsonfeed.entry_bytes(entry)
    if fmt not in xml.ENTRY_DEPTH:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    return xml.entry_bytes(entry, fmt, shared)


def entry_parts(entry: Entry, formats: Sequence[str]) -> tuple[bytes, ...]:
    """The entry in each of the formats, in order (what Written holds per entry), its
    attribution record made once for them. Raises EmitError as emitting a document would."""
    shared = Shared()
    return tuple(entry_bytes(entry, fmt, shared) for fmt in formats)
