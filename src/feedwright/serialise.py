"""Entries to plain JSON-able dicts and back, losslessly.

Used by the ledger (the last good normalised record of every entry) and by ``inspect``. Keys are
the model's field names, enums their string values, datetimes ISO 8601 with their offset plus
the IANA zone name where there is one, so a round trip gives an equal entry with the same zone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from feedwright.model import Entry

#: The fields of an entry that readers see: a change in any of them is a content change.
CONTENT_FIELDS = (
    "title", "content_html", "summary", "authors", "credits", "media", "categories", "rights",
    "url",
)


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    result = _dump(entry)
    assert isinstance(result, dict)
    return result


def entry_from_dict(data: dict[str, Any]) -> Entry:
    result = _load(Entry, data)
    assert isinstance(result, Entry)
    return result


def entry_to_json(entry: Entry) -> str:
    """Canonical JSON: the same entry always gives the same text."""
    return _canonical(entry_to_dict(entry))


def entry_from_json(text: str) -> Entry:
    return entry_from_dict(json.loads(text))


def content_hash(entry: Entry) -> str:
    """sha256 of the reader-visible fields, so cosmetic source edits do not count as changes."""
    data = entry_to_dict(entry)
    visible = {k: data[k] for k in CONTENT_FIELDS}
    return hashlib.sha256(_canonical(visible).encode("utf-8")).hexdigest()


def _canonical(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _dump(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
        return {"iso": value.isoformat(), "zone": zone}
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _load(tp: Any, value: Any) -> object:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _load(inner[0], value)
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return tuple(_load(item, v) for v in value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _load(hints[k], v) for k, v in value.items() if k in names})
    if tp is datetime:
        moment = datetime.fromisoformat(value["iso"])
        if value.get("zone"):
            moment = moment.astimezone(ZoneInfo(value["zone"]))
        return moment
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    return value
