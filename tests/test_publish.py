"""Atomic publishing and the state lock, on real files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from feedwright.publish import Locked, remove_stale_temps, state_lock, write_atomic


def test_write_replaces_and_skips_identical_bytes(tmp_path: Path) -> None:
    target = tmp_path / "out" / "feed.xml"
    assert write_atomic(target, b"one") is True
    assert target.read_bytes() == b"one"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert write_atomic(target, b"one") is False
    assert target.stat().st_mtime_ns == 1_000_000_000  # not rewritten
    assert write_atomic(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["feed.xml"]  # no temp files left


def test_new_files_are_readable_and_modes_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    write_atomic(target, b"a")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o640)
    write_atomic(target, b"b")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_stale_temps_are_removed(tmp_path: Path) -> None:
    (tmp_path / ".feedwright-feed.xml.abc123.tmp").write_bytes(b"half")
    (tmp_path / "feed.xml").write_bytes(b"whole")
    assert remove_stale_temps(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_second_lock_on_the_same_state_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    with state_lock(state):
        with pytest.raises(Locked) as info, state_lock(state):
            pass
        assert f"pid {os.getpid()}" in str(info.value)
    with state_lock(state):  # released on exit
        pass
