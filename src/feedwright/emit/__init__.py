"""Emitters: one module per output format, the model in and bytes out. Never reads the clock."""

from __future__ import annotations

from collections.abc import Callable

from feedwright.emit.common import EmitError
from feedwright.emit.jsonfeed import emit_json
from feedwright.emit.xml import emit_atom, emit_rss
from feedwright.formats import FORMATS, MEDIA_TYPES
from feedwright.model import Feed

__all__ = ["FORMATS", "MEDIA_TYPES", "EmitError", "emit"]

_EMITTERS: dict[str, Callable[[Feed], bytes]] = {
    "rss": emit_rss,
    "atom": emit_atom,
    "json": emit_json,
}


def emit(feed: Feed, fmt: str) -> bytes:
    """Write the feed in one format. Raises EmitError when the model lacks what the format needs."""
    try:
        emitter = _EMITTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})") from None
    return emitter(feed)
