"""record_and_hash (the build's one-walk path) agrees with entry_to_json and content_hash."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from feedwright.serialise import content_hash, entry_from_json, entry_to_json, record_and_hash

from .helpers import read_one

FIXTURES = sorted((Path(__file__).resolve().parent.parent / "fixtures").glob("*.txt"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_record_and_hash_match_the_separate_functions(path: Path) -> None:
    entry = dataclasses.replace(read_one(path), id="tag:example.org,2026:x")
    record, digest = record_and_hash(entry)
    assert record == entry_to_json(dataclasses.replace(entry, id=None))
    assert digest == content_hash(entry)
    assert entry_from_json(record) == dataclasses.replace(entry, id=None)
