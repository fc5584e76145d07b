"""Progress bars (issue 14): drawn on stderr when it is a terminal (here a pseudo-terminal from
the standard library's pty module), never when it is not, and not with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import TEXT_FIXTURES
from tests.test_build import make_project

LINK = ["--link", "https://example.org/"]
BAR = b"100%"  # click's bar ends at 100% and draws with '#'


def on_a_terminal(args: list[str], cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """Run feedwright with stderr on a pseudo-terminal; (exit code, stdout, the terminal's
    bytes)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "feedwright", *args], cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower)
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
    assert proc.stdout is not None
    out = proc.stdout.read()
    return proc.wait(timeout=120), out, bytes(seen)


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
