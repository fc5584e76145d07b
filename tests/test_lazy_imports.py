"""Commands that read nothing import no reader: `--help`, `--version` and a cron build that finds
nothing changed never load trafilatura, markdown-it, httpx or the readers in sources/. Checked
from what `python -X importtime` says the process imported, not from timings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import FIXTURES

READER_MODULES = {"trafilatura", "markdown_it", "httpx", "feedwright.sources.text",
                  "feedwright.sources.html", "feedwright.sources.htmlbody",
                  "feedwright.sources.htmlarticle", "feedwright.sources.htmlmeta",
                  "feedwright.sources.markdown", "feedwright.sources.jsonfile",
                  "feedwright.sources.feed", "feedwright.sources.record"}


#: Modules a cron build that finds nothing changed does not need (each ~1-15 ms to import).
NOT_FOR_A_NO_OP = {"importlib.metadata", "importlib.resources", "email", "email.utils",
                   "tempfile", "glob", "zipfile", "socket"}


#: What starts coverage in a Python process (its .pth file reads them): under `coverage run`
#: with patch = ["subprocess"], every child would import coverage, and coverage.control imports
#: multiprocessing, before feedwright's first line.
COVERAGE_STARTERS = ("COVERAGE_PROCESS_START", "COVERAGE_PROCESS_CONFIG")


def imported(*args: str, cwd: Path | None = None) -> set[str]:
    """Every module the command imports (each line: `import time: self | cumulative | name`).
    The command runs without coverage even under `coverage run`, so what it imports is its own
    whatever runs the tests (the suite measures these commands elsewhere)."""
    env = {k: v for k, v in os.environ.items() if k not in COVERAGE_STARTERS}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "feedwright", *args],
                            capture_output=True, cwd=cwd, timeout=120, check=False, env=env)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    lines = [line for line in result.stderr.decode().splitlines()
             if line.startswith("import time:") and "|" in line]
    modules = {line.rsplit("|", 1)[1].strip() for line in lines[1:]}  # [0] is the header
    assert "coverage" not in modules  # else its imports would be counted as the command's
    return modules


def test_help_and_version_import_no_reader() -> None:
    for args in (["--version"], ["--help"], ["export", "--help"]):
        modules = imported(*args)
        assert "feedwright.cli" in modules  # the output is what it seems
        assert modules & READER_MODULES == set(), args


def test_a_no_op_build_imports_no_reader(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    (tmp_path / "feeds").mkdir()
    shutil.copy(FIXTURES.parent / "feeds" / "mixed.toml", tmp_path / "feeds")
    first = imported("build", "--quiet", cwd=tmp_path)
    # Reading every kind of source imports every reader: the check sees them when they load.
    assert READER_MODULES - {"httpx"} <= first
    again = imported("build", "--quiet", cwd=tmp_path)
    assert "feedwright.build" in again
    assert again & READER_MODULES == set()
    assert not any(m.startswith(("feedwright.emit", "feedwright.validate")) for m in again)
    # nor the process pool, which only reading many sources starts
    assert not any(m.startswith(("multiprocessing", "concurrent.futures")) for m in again)
    # nor what only reading, fetching, writing or a config error needs: importlib.metadata and
    # importlib.resources (the reading digest's versions and the language list are read
    # without them: feedwright.installed, syntax.language_codes), email (http dates), tempfile
    # (staging a document), glob (patterns the scan's walk does not cover)
    assert again & NOT_FOR_A_NO_OP == set()
    # nor the stages after the early stop: identify, assemble, and the record codec
    assert again & {"feedwright.pipeline.identify", "feedwright.pipeline.assemble",
                    "feedwright.serialise", "feedwright.normalise.merge", "orjson"} == set()


def test_reading_a_utf8_text_source_imports_no_charset_detector() -> None:
    """A one-change cron build reads one text source: the charset detector (with logging, ~40%
    of importing the text reader) is for bytes that are neither UTF-8 nor Windows Latin, and
    email's date parser for RFC 822 dates."""
    modules = imported("inspect", str(FIXTURES / "1news-peters-nato.txt"))
    assert "feedwright.sources.text" in modules
    assert modules & {"charset_normalizer", "logging", "email", "email.utils"} == set()
