"""Every example feed in feeds/ builds, as the README's main command builds it, into documents
that validate with no error and no warning."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from feedwright.config import find_feed_configs, load_feed_config

FEEDS = Path(__file__).resolve().parent.parent / "feeds"


def feedwright(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "feedwright", *map(str, args)],
                          capture_output=True, text=True, timeout=300, check=False)


def test_every_example_feed_builds_and_validates_clean(tmp_path: Path) -> None:
    names = [path.stem for path in find_feed_configs(FEEDS)]
    assert {"example", "mixed"} <= set(names)
    out = tmp_path / "public"
    built = feedwright("build", "--quiet", "--config-dir", FEEDS, "--out", out,
                       "--state", tmp_path / "state.sqlite")
    assert (built.returncode, built.stdout, built.stderr) == (0, "", "")

    configs = [load_feed_config(FEEDS / f"{name}.toml") for name in names]
    # the documents, each feed's page, and the stylesheet they share
    expected = sorted({c.file_name(output) for c in configs for output in c.outputs})
    assert sorted(p.name for p in out.iterdir()) == expected
    documents = [out / c.file_name(fmt) for c in configs for fmt in c.formats]
    checked = feedwright("validate", *documents)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")


def test_the_mixed_example_reads_every_kind_of_source(tmp_path: Path) -> None:
    config = load_feed_config(FEEDS / "mixed.toml")
    assert config.sources_base_url is not None  # local html and Markdown links need a base
    out = tmp_path / "out"  # the ledger beside it: one inside the output folder is refused
    built = feedwright("build", "mixed", "--json", "--config-dir", FEEDS, "--out", out,
                       "--state", tmp_path / "state.sqlite")
    assert built.returncode == 0, built.stderr
    (feed,) = json.loads(built.stdout)["feeds"]
    items = json.loads((out / config.file_name("json")).read_text(encoding="utf-8"))["items"]
    # 5 text, 7 html, 4 markdown, 5 json, 5 feed entries: all new, all published
    assert (feed["added"], feed["updated"], feed["removed"], len(items)) == (26, 0, 0, 26)
