"""Progress bars (issue 14): drawn on stderr when it is a terminal (here a pseudo-terminal from
the standard library's pty module), never when it is not, and not with --quiet."""

from __future__ import annotations

import dataclasses
import json
import os
import pty
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from feedwright.emit import emit
from feedwright.validate import validate_document
from tests.helpers import TEXT_FIXTURES, make_feed
from tests.test_build import make_project

LINK = ["--link", "https://example.org/"]
BAR = b"100%"  # click's bar ends at 100% and draws with '#'


def on_a_terminal(args: list[str], cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """Run feedwright with stderr on a pseudo-terminal; (exit code, stdout, the terminal's
    bytes). Stdout goes to a temporary file: a pipe nobody reads until the end would fill and
    stop the command when it prints much."""
    leader, follower = pty.openpty()
    with tempfile.TemporaryFile() as out_file:
        proc = subprocess.Popen([sys.executable, "-m", "feedwright", *args], cwd=cwd,
                                stdin=subprocess.DEVNULL, stdout=out_file, stderr=follower)
        os.close(follower)
        seen = bytearray()
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: every holder of the terminal's other side has closed it
                break
            if not chunk:
                break
            seen += chunk
        os.close(leader)
        code = proc.wait(timeout=120)
        out_file.seek(0)
        return code, out_file.read(), bytes(seen)


def plain(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "feedwright", *args], cwd=cwd,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120,
                          check=False)


def test_build_draws_a_bar_per_feed_on_a_terminal_only(tmp_path: Path) -> None:
    make_project(tmp_path)
    code, _, terminal = on_a_terminal(["build"], cwd=tmp_path)
    assert code == 0, terminal
    assert b"news" in terminal and BAR in terminal and b"#" in terminal
    (tmp_path / "articles" / "a.txt").write_text("Changed\n\nNew body text here.\n")
    quiet = on_a_terminal(["build", "--quiet"], cwd=tmp_path)
    assert quiet[0] == 0 and quiet[2] == b""
    (tmp_path / "articles" / "b.txt").write_text("Changed\n\nOther body text here.\n")
    piped = plain(["build"], cwd=tmp_path)
    assert piped.returncode == 0 and BAR not in piped.stderr and b"\r" not in piped.stderr


def test_export_draws_a_bar_on_a_terminal_only() -> None:
    args = ["export", *map(str, TEXT_FIXTURES), *LINK, "--self-url", "https://example.org/f"]
    code, out, terminal = on_a_terminal(args)
    assert code == 0, terminal
    assert b"export" in terminal and BAR in terminal
    assert out.startswith(b"<?xml")
    assert on_a_terminal([*args, "--quiet"])[2] == b""
    piped = plain(args)
    assert piped.returncode == 0 and piped.stderr == b"" and piped.stdout == out


@pytest.mark.parametrize("quiet", [False, True])
def test_validate_draws_a_bar_over_the_documents_on_a_terminal(tmp_path: Path,
                                                               quiet: bool) -> None:
    document = tmp_path / "feed.xml"
    document.write_bytes(plain(["export", str(TEXT_FIXTURES[0]), *LINK, "--self-url",
                                "https://example.org/f"]).stdout)
    args = ["validate", str(document), str(document), *(["--quiet"] if quiet else [])]
    code, _, terminal = on_a_terminal(args)
    assert code == 0, terminal
    assert (BAR in terminal) is not quiet
    assert BAR not in plain(args).stderr


def big_document(tmp_path: Path, fmt: str, copies: int = 300) -> Path:
    """A few MB of feed: the fixtures' entries, each emitted `copies` times under new ids."""
    feed = make_feed(TEXT_FIXTURES[:3])
    entries = tuple(dataclasses.replace(entry, id=f"{entry.id}-{n}", url=f"{entry.url}?copy={n}")
                    for n in range(copies) for entry in feed.entries)
    path = tmp_path / f"big.{fmt}"
    path.write_bytes(emit(dataclasses.replace(feed, entries=entries,
                                              self_url=f"https://feedwright.test/big.{fmt}"), fmt))
    return path


def percentages(terminal: bytes) -> set[int]:
    return {int(found) for found in re.findall(rb"(\d+)%", terminal)}


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_validate_moves_a_bar_inside_one_big_document(tmp_path: Path, fmt: str) -> None:
    document = big_document(tmp_path, fmt)
    assert document.stat().st_size > 2_000_000
    args = ["validate", str(document)]
    code, out, terminal = on_a_terminal(args)
    assert str(document).encode() in terminal and BAR in terminal
    # the bar moved through the document's entries, not only from 0 to 100 once it was done
    assert len(percentages(terminal) - {0, 100}) >= 5, terminal[-2000:]
    piped = plain(args)
    assert (piped.returncode, piped.stdout) == (code, out)  # the bar changes no finding
    assert BAR not in piped.stderr and b"\r" not in piped.stderr
    quiet = on_a_terminal([*args, "--quiet"])
    assert quiet == (code, out, b"")


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_validate_document_reports_progress_without_changing_the_report(tmp_path: Path,
                                                                       fmt: str) -> None:
    """A document is checked as it is parsed, so the bar counts bytes read (the number of
    entries is known only at the end); a JSON Feed object in hand (the emitter's) counts its
    items."""
    data = big_document(tmp_path, fmt, copies=100).read_bytes()
    calls = [(data, None, ("bytes", len(data)))]
    if fmt == "json":
        calls.append((data, json.loads(data),
                      ("entries", len(make_feed(TEXT_FIXTURES[:3]).entries) * 100)))
    for given, document, (unit, total) in calls:
        heard: list[tuple[str, int, int]] = []
        report = validate_document(given, progress=lambda *call, into=heard: into.append(call),
                                   document=document)
        assert report == validate_document(data)
        assert heard[0] == (unit, 0, total) and heard[-1] == (unit, total, total)
        done = [call[1] for call in heard]
        assert done == sorted(done) and len(heard) <= 103  # about a hundred, not one an entry
        assert len(set(done)) > 10  # and through the document, not only at its ends
