"""Entries to plain JSON-able dicts and back, losslessly.

Used by the ledger (the last good normalised record of every entry) and by ``inspect``. Keys are
the model's field names, enums their string values, datetimes ISO 8601 with their offset plus
the IANA zone name where there is one, so a round trip gives an equal entry with the same zone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import orjson

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
    return canonical_json(entry_to_dict(entry))


def entry_from_json(text: str) -> Entry:
    return entry_from_dict(orjson.loads(text))


def content_hash(entry: Entry) -> str:
    """sha256 of the reader-visible fields, so cosmetic source edits do not count as changes."""
    data = entry_to_dict(entry)
    visible = {k: data[k] for k in CONTENT_FIELDS}
    return hashlib.sha256(_canonical_bytes(visible)).hexdigest()


def record_and_hash(entry: Entry) -> tuple[str, str]:
    """The ledger's record of an entry as a reader gave it (canonical JSON, without its id) and
    its content hash, from one walk over the entry.

    What every reader worker does to each entry it reads, so the walk is the lean one
    (`_shallow`): only dataclasses and datetimes are turned into dicts, and orjson writes the
    strings, numbers, enums and tuples as they are, which is what entry_to_json writes for them
    (tests/test_serialise_record.py compares the two)."""
    data = _shallow(Entry)(entry)
    visible = {k: data[k] for k in CONTENT_FIELDS}
    data["id"] = None
    return (
        _orjson_bytes(data).decode("utf-8"),
        hashlib.sha256(_orjson_bytes(visible)).hexdigest(),
    )


def canonical_json(data: object) -> str:
    """Keys sorted, no spaces, characters as they are: exactly json.dumps(sort_keys=True,
    ensure_ascii=False, separators=(",", ":")), which it replaced, 3.4x faster through orjson
    (tests/test_json_encoding.py compares the two)."""
    return _canonical_bytes(data).decode("utf-8")


def _canonical_bytes(data: object) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


#: Types whose values JSON holds as they are.
_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})

# orjson writes dataclasses and datetimes its own way (dataclass keys unsorted, datetimes as one
# string): told to pass them through, it hands any that _shallow left (none, when the values are
# of their annotated types) to _dump, so the bytes are _canonical_bytes(entry_to_dict(...))'s.
_RECORD_OPTIONS = (
    orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
)


def _orjson_bytes(data: object) -> bytes:
    return orjson.dumps(data, default=_dump, option=_RECORD_OPTIONS)


Shallow = Callable[[Any], Any]


@cache
def _shallow(cls: type) -> Shallow:
    """A dataclass's dict as _dump makes it, but for values orjson writes as _dump would (str,
    numbers, None, enums by value, tuples of those), which are left as they are: per field, from
    its annotation, what to turn into JSON-able values, so no leaf is visited in Python."""
    hints = _hints(cls)
    names = _field_names(cls) or ()
    converted = []
    for name in names:
        convert = _shallow_value(hints[name])
        if convert is not None:
            converted.append((name, convert))

    def dump(value: Any) -> Any:
        out = {name: getattr(value, name) for name in names}
        for name, convert in converted:
            field_value = out[name]
            if field_value is not None:
                out[name] = convert(field_value)
        return out

    return dump


def _shallow_value(tp: Any) -> Shallow | None:
    """How a value of annotation `tp` (not None) is made JSON-able; None: as it is."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _shallow_value(inner[0]) if len(inner) == 1 else _dump
    if origin is tuple:
        args = typing.get_args(tp)
        item = _shallow_value(args[0]) if len(args) == 2 and args[1] is Ellipsis else _dump
        if item is None:
            return None  # a tuple of strings: orjson writes it as _dump's list
        return lambda value: [item(v) for v in value]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _shallow(tp)
    if tp in _PLAIN or (isinstance(tp, type) and issubclass(tp, Enum)):
        return None
    return _dump  # datetime, and anything else: _dump decides


@cache
def _field_names(cls: Any) -> tuple[str, ...] | None:
    """A dataclass's field names in order; None for any other class."""
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return None


def _dump(value: object) -> object:
    cls: Any = type(value)
    if cls in _PLAIN:
        return value
    names = _field_names(cls)
    if names is not None:
        return {name: _dump(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
        return {"iso": value.isoformat(), "zone": zone}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _load(tp: Any, value: Any) -> object:
    return _loader(tp)(value)


Loader = Callable[[Any], object]


@cache
def _loader(tp: Any) -> Loader:
    """A function that turns the JSON form of a `tp` back into one (None stays None). Built once
    per type from its annotations, so loading a record walks no type hints."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _loader(inner[0])
    if origin is tuple:
        item = _loader(typing.get_args(tp)[0])
        return lambda value: None if value is None else tuple(item(v) for v in value)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_loader(tp)
    if tp is datetime:
        return _load_datetime
    if isinstance(tp, type) and issubclass(tp, Enum):
        members: dict[Any, Enum] = dict(tp._value2member_map_)
        return lambda value: None if value is None else members.get(value) or tp(value)
    return _identity


def _dataclass_loader(cls: type) -> Loader:
    hints = _hints(cls)
    fields = {name: _loader(hints[name]) for name in _field_names(cls) or ()}

    def load(value: Any) -> object:
        if value is None:
            return None
        return cls(**{k: fields[k](v) for k, v in value.items() if k in fields})

    return load


def _load_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value["iso"])
    if value.get("zone"):
        moment = moment.astimezone(_zone(value["zone"]))
    return moment


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _identity(value: Any) -> object:
    return value
