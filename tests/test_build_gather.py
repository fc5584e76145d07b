"""Gathering sources for a build: progress reports, a source that vanishes between the scan and
the read, and a broken source rewritten with the same bytes (touched, not fixed)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from feedwright.build import read_source
from feedwright.config import FeedConfig
from feedwright.model import Entry

from .test_build import make_project, only


def test_progress_is_reported_from_none_to_all(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    seen: list[tuple[str, int, int]] = []
    project.build(progress=lambda name, done, total: seen.append((name, done, total)))
    assert seen[0] == ("news", 0, 3) and seen[-1] == ("news", 3, 3)
    assert all(0 <= done <= total == 3 for _, done, total in seen)


def test_a_source_that_vanishes_before_it_is_read_keeps_its_entry(tmp_path: Path) -> None:
    """Deleted after the scan found it (another process tidying up): the real read fails naming
    the reason, the run fails, and the entry it last produced stays."""
    project = make_project(tmp_path)
    project.build()
    before = project.outputs()
    project.write("b.txt", "Library opens late\n\nBy Jane Smith\n\nThe library opens at ten.\n")
    project.clock.advance(hours=1)

    def vanishing(path: Path, config: FeedConfig,
                  ) -> tuple[bytes, Callable[[], tuple[Entry, ...]]]:
        if path.name == "b.txt":
            os.unlink(path)
        return read_source(path, config)

    report = project.build(reader=vanishing)
    assert report.exit_code == 1
    (failure,) = only(report).failures
    assert (failure.path, failure.reason) == ("../articles/b.txt", "no such file")
    assert project.outputs() == before


def test_the_same_broken_bytes_touched_again_fail_again_without_a_new_reason(
        tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.build()
    project.write("b.txt", b"")
    project.clock.advance(hours=1)
    first = only(project.build()).failures
    path = project.articles / "b.txt"
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # touched: same bytes, new mtime
    project.clock.advance(hours=1)
    again = only(project.build()).failures
    assert [(f.path, f.reason) for f in again] == [(f.path, f.reason) for f in first]
    assert "no article text" in again[0].reason
