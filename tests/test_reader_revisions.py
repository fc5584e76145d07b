"""A ledger keeps what a source was read as until the source changes; when a reader changes, its
kind's revision (sources.READER_REVISIONS) changes the reading digest, and the next build reads
every source once again instead of keeping what the older reader made of it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest

from feedwright import build
from feedwright.build import read_source
from feedwright.config import FeedConfig
from feedwright.model import Entry
from feedwright.pipeline.gather import reading_digest
from feedwright.sources import READER_MODULES, READER_REVISIONS

from .test_build import make_project


def test_every_kind_has_a_revision_its_provenance_names() -> None:
    assert READER_REVISIONS.keys() == READER_MODULES.keys()
    for kind, module in READER_MODULES.items():
        extractor = importlib.import_module(module).EXTRACTOR
        assert extractor.partition("+")[0] == f"feedwright.{kind}/{READER_REVISIONS[kind]}"


def test_the_reading_digest_follows_every_reader_revision(tmp_path: Path) -> None:
    config = build.load_configs(make_project(tmp_path).feeds, ())[0][0]
    bumped = [{**READER_REVISIONS, kind: revision + 1}
              for kind, revision in READER_REVISIONS.items()]
    digests = {reading_digest(config, revisions) for revisions in [READER_REVISIONS, *bumped]}
    assert len(digests) == 1 + len(READER_REVISIONS)
    assert reading_digest(config) == reading_digest(config, dict(READER_REVISIONS))


def test_a_new_reader_revision_reads_every_source_once_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path)
    parsed: list[str] = []

    def counting(path: Path, config: FeedConfig) -> tuple[bytes, Callable[[], tuple[Entry, ...]]]:
        data, parse = read_source(path, config)

        def counted() -> tuple[Entry, ...]:
            parsed.append(path.name)
            return parse()

        return data, counted

    project.build(reader=counting)
    parsed.clear()
    project.build(reader=counting)
    assert parsed == []  # nothing changed: the ledger's records are kept
    # A reader author changes the text reader and bumps its revision, as the registry asks.
    monkeypatch.setitem(READER_REVISIONS, "text", READER_REVISIONS["text"] + 1)
    report = project.build(reader=counting)
    assert report.exit_code == 0
    assert sorted(parsed) == ["a.txt", "b.txt", "c.txt"]
    parsed.clear()
    project.build(reader=counting)
    assert parsed == []  # once: the new records carry the new digest
