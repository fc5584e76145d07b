"""The JSON and NDJSON export reader: one entry per record.

A file holds one record (an object), a list of records, an object whose `items`, `articles`,
`entries`, `data` or `@graph` key holds the list, or (NDJSON / JSON Lines) one record per line.
Records follow the mapping documented in `feedwright.sources.record`: schema.org keys
(`headline`, `author`, `datePublished`, `image` with `creditText`, ...) or the entry model's own
names (`title`, `authors`, `published`, `media`, `credits`, `rights`, ...).

A record that does not fit (no title, a value of the wrong shape, a date that is not one) stops
the read with a SourceError naming the record, its line and what is wrong: an export with a bad
record is a broken export, and skipping records silently would drop articles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from feedwright.model import Entry
from feedwright.sources import READER_REVISIONS
from feedwright.sources._common import (
    assemble,
    check_size,
    decode_or_fail,
    noted,
    provenance,
    text_blocks,
    zone_or_fail,
)
from feedwright.sources.base import PartlyRead, ReaderOptions, Retrieved, SourceError
from feedwright.sources.htmlbody import read_fragment
from feedwright.sources.record import RecordMapper, RecordProblem, unknown_keys

EXTRACTOR = f"feedwright.json/{READER_REVISIONS['json']}"
MAX_JSON_BYTES = 64 * 1024 * 1024
_LIST_KEYS = ("items", "articles", "entries", "data", "@graph")


@dataclass(frozen=True)
class _Record:
    number: int  # 1-based
    line: int
    data: Any


def read(retrieved: Retrieved, options: ReaderOptions) -> tuple[Entry, ...]:
    check_size(retrieved, MAX_JSON_BYTES, "a JSON export")
    decoded = decode_or_fail(retrieved)
    text = decoded.text.lstrip("\ufeff")
    default_zone = zone_or_fail(retrieved, options)
    records, failures = _records(text, retrieved.location, ndjson=is_ndjson(retrieved, text))
    if not records and not failures:
        raise SourceError(retrieved.location, "no records: the export is empty")
    entries = []
    for record in records:  # every record is tried, so every bad one is named at once
        try:
            entries.append(_entry(record, retrieved, options, default_zone))
        except SourceError as exc:
            failures.append(exc)
    if failures:
        failures.sort(key=lambda f: f.line or 0)
        raise PartlyRead(failures, noted(tuple(entries), decoded))
    return noted(tuple(entries), decoded)


def is_ndjson(retrieved: Retrieved, text: str) -> bool:
    suffix = retrieved.location.split("?", 1)[0].lower()
    if suffix.endswith((".ndjson", ".jsonl")) or retrieved.media_type in (
        "application/x-ndjson",
        "application/jsonl",
        "application/jsonlines",
    ):
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    return (
        len(lines) > 1
        and all(line.lstrip().startswith("{") for line in lines[:2])
        and (lines[0].rstrip().endswith("}"))
    )


def _records(text: str, location: str, ndjson: bool) -> tuple[list[_Record], list[SourceError]]:
    """The records, and (NDJSON) the lines that are not JSON."""
    if ndjson:
        return _ndjson_records(text, location)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            location, f"not JSON: {exc.msg} (column {exc.colno})", exc.lineno
        ) from None
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if isinstance(data, dict):
        return [_Record(1, 1, data)], []
    if isinstance(data, list):
        lines = _element_lines(text, len(data))
        return [_Record(i + 1, lines[i], item) for i, item in enumerate(data)], []
    raise SourceError(
        location, f"expected an object or a list of objects, found {type(data).__name__}", 1
    )


def _ndjson_records(text: str, location: str) -> tuple[list[_Record], list[SourceError]]:
    records: list[_Record] = []
    broken: list[SourceError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(_Record(len(records) + len(broken) + 1, number, json.loads(line)))
        except json.JSONDecodeError as exc:
            broken.append(SourceError(location, f"not a JSON record: {exc.msg}", number))
    return records, broken


def _element_lines(text: str, count: int) -> list[int]:
    """The line each top-level list element starts on, for error messages."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    position = text.index("[") + 1
    for _ in range(count):
        while text[position] in " \t\r\n,":
            position += 1
        lines.append(text.count("\n", 0, position) + 1)
        _, position = decoder.raw_decode(text, position)
    return lines


def _entry(
    record: _Record, retrieved: Retrieved, options: ReaderOptions, default_zone: tzinfo
) -> Entry:
    where = f"record {record.number}"
    if not isinstance(record.data, dict):
        raise SourceError(
            retrieved.location, f"{where} is {_shape(record.data)}, not an object", record.line
        )
    count = 0

    def next_media_id() -> str:
        nonlocal count
        count += 1
        return f"m{count}"

    patterns = options.all_credit_patterns
    mapper = RecordMapper(
        source="json",
        default_zone=default_zone,
        base_url=retrieved.base_url or options.base_url,
        strict=True,
        allow_id=True,
        patterns=patterns,
        next_media_id=next_media_id,
    )
    try:
        fields = mapper.map(record.data)
    except RecordProblem as exc:
        raise SourceError(retrieved.location, f"{where}: {exc}", record.line) from None
    if not fields.title:
        raise SourceError(
            retrieved.location,
            f"{where} has no title (looked for 'title', 'headline', 'name')",
            record.line,
        )
    base_url = fields.url or retrieved.base_url or options.base_url
    if fields.body_html is not None:
        blocks, body_media = read_fragment(fields.body_html, base_url, patterns, next_media_id)
    else:
        blocks, body_media = text_blocks(fields.body_text or ""), []
    warnings = list(fields.warnings)
    ignored = unknown_keys(record.data)
    if ignored:
        warnings.append(f"{where}: keys not used: {', '.join(ignored)}")
    parts = fields.to_parts(fields.title, blocks, body_media, warnings)
    prov = provenance(retrieved, "json", EXTRACTOR)
    return assemble(parts, prov, base_url, options)


def _shape(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"
