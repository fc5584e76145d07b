"""One pipeline: `export` is the build without a ledger, so the same sources and settings give
the same documents byte for byte (ids, merged duplicates, order, limit, content mode)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feedwright.config import load_feed_config
from tests.helpers import FIXTURES

#: The fixtures that state no date: a build dates them by first sight, an export by the file's
#: modification time (it has no ledger to remember a first sight), so these two differ on purpose.
UNDATED = ("1news-peters-nato.txt", "markdown/plain-no-front-matter.md")


def feedwright(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "feedwright", *map(str, args)], cwd=cwd,
                          capture_output=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("same")
    shutil.copytree(FIXTURES, root / "fixtures")
    for name in UNDATED:
        (root / "fixtures" / name).unlink()
    (root / "feeds").mkdir()
    toml = (FIXTURES.parent / "feeds" / "mixed.toml").read_text(encoding="utf-8")
    assert "limit = 50\n" in toml
    # A limit below the entry count, so the cut is compared too; hubs, named by both. An export
    # names no stylesheet (its file travels alone), so the build's is off here.
    toml = toml.replace("limit = 50\n", 'limit = 12\nhubs = ["https://hub.example/"]\n'
                        "stylesheet = false\n")
    (root / "feeds" / "mixed.toml").write_text(toml, encoding="utf-8")
    built = feedwright("build", "--quiet", "--out", "public", "--state", "state.sqlite", cwd=root)
    assert built.returncode == 0, built.stderr.decode()
    return root


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_export_writes_the_document_the_build_publishes(project: Path, fmt: str) -> None:
    config = load_feed_config(project / "feeds" / "mixed.toml")
    # fixtures/house/ holds the text reader's house-style cases and their expectations, which
    # no feed names
    sources = sorted(str(p.relative_to(project)) for p in (project / "fixtures").rglob("*")
                     if p.is_file() and "house" not in p.relative_to(project).parts)
    published = (project / "public" / config.file_name(fmt)).read_bytes()
    assert published.count(b"tag:example.org,2026:mixed/fixtures/") >= 3  # minted ids compared
    assert b"https://hub.example/" in published
    for named in (sources, sources[::-1]):  # the order sources are named in does not matter
        exported = feedwright("export", "--feed", "feeds/mixed.toml", "--format", fmt, *named,
                              cwd=project)
        assert exported.returncode == 0, exported.stderr.decode()
        assert exported.stdout == published
