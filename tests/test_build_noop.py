"""The no-op cron run: when no entry changed and the published documents are as the last build
left them, the build neither emits nor validates nor writes; anything else renders again."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from feedwright import build
from feedwright.config import load_feed_config
from feedwright.ledger import SqlLedger
from feedwright.pipeline import history
from feedwright.pipeline.gather import reading_digest
from feedwright.pipeline.scan import Found, scan

from .test_build import CONFIG, make_project, only


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the feeds rendered, in order (a feed's documents are named after it)."""
    seen: list[str] = []
    real = history.render

    def counting(feed: Any, targets: Any, *rest: Any) -> Any:
        seen.append(targets[0].name.partition(".")[0])
        return real(feed, targets, *rest)

    monkeypatch.setattr(history, "render", counting)
    return seen


def test_unchanged_build_renders_nothing_and_keeps_every_file(tmp_path: Path,
                                                              renders: list[str]) -> None:
    project = make_project(tmp_path)
    project.build()
    before = project.outputs()
    result = only(project.build())
    assert renders == ["news"]
    assert result.ok and result.written == [] and len(result.kept) == 3
    assert project.outputs() == before


def test_a_touched_source_with_the_same_bytes_renders_nothing(tmp_path: Path,
                                                              renders: list[str]) -> None:
    project = make_project(tmp_path)
    project.build()
    os.utime(project.articles / "a.txt", ns=(1, 1))
    only(project.build())
    assert renders == ["news"]


def test_a_deleted_or_edited_document_is_published_again(tmp_path: Path,
                                                         renders: list[str]) -> None:
    project = make_project(tmp_path)
    project.build()
    before = project.outputs()
    (project.public / "news.json").unlink()
    (project.public / "news.rss.xml").write_bytes(b"<rss/>")
    result = only(project.build())
    assert renders == ["news", "news"]
    assert sorted(Path(p).name for p in result.written) == ["news.json", "news.rss.xml"]
    assert {k: v[0] for k, v in project.outputs().items()} == {k: v[0] for k, v in before.items()}


def test_a_changed_feed_setting_renders_again(tmp_path: Path, renders: list[str]) -> None:
    project = make_project(tmp_path)
    project.build()
    toml = project.feeds / "news.toml"
    toml.write_text(toml.read_text().replace("Test News", "Test News Daily"))
    result = only(project.build())
    assert renders == ["news", "news"]
    assert len(result.written) == 3


def test_a_changed_source_renders_again(tmp_path: Path, renders: list[str]) -> None:
    project = make_project(tmp_path)
    project.build()
    project.write("a.txt", (project.articles / "a.txt").read_text() + "\nA late paragraph.\n")
    result = only(project.build())
    assert renders == ["news", "news"]
    assert result.updated == 1 and len(result.written) == 3


def test_a_build_that_committed_but_wrote_nothing_is_published_by_the_next(
        tmp_path: Path) -> None:
    """The ledger is committed before the documents are written; a build stopped in between (a
    SIGKILL, a full disk) must not leave the next build believing the old documents current."""
    project = make_project(tmp_path)
    assert project.build().exit_code == 0
    project.write("b.txt", (project.articles / "b.txt").read_text().replace("nine", "ten"))
    kept = tmp_path / "public.kept"
    project.public.rename(kept)  # the old documents, mtimes and all
    project.public.write_bytes(b"")  # a file where the folder was: every write fails
    failed = only(project.build())
    assert failed.errors and failed.written == []
    project.public.unlink()
    kept.rename(project.public)  # as a build killed after the commit leaves the folder

    result = only(project.build())
    assert result.ok and len(result.written) == 3
    assert "until ten" in project.items()["Library opens late"]["content_html"]


def test_the_same_feed_built_from_another_folder_renders_nothing(
        tmp_path: Path, renders: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    project.build()
    monkeypatch.chdir(tmp_path)
    only(build.run_build(Path("feeds"), now=project.clock))
    assert renders == ["news"]


def test_a_killed_builds_temporary_file_goes_even_when_nothing_changed(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert project.build().exit_code == 0
    left = project.public / ".feedwright-news.json.k1ll3d.tmp"  # as write_atomic names them
    left.write_bytes(b'{"version": "https://jsonfeed.org/ver')
    result = only(project.build())
    assert result.ok and result.written == []  # a no-op build
    assert not left.exists()


def test_a_no_op_build_loads_no_entry_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          renders: list[str]) -> None:
    project = make_project(tmp_path)
    project.build()
    loaded: list[str] = []
    real = SqlLedger.load_entries

    def counting(self: Any, feed: str) -> Any:
        loaded.append(feed)
        return real(self, feed)

    monkeypatch.setattr(SqlLedger, "load_entries", counting)
    os.utime(project.articles / "a.txt")  # touched, same bytes: read and hashed, not parsed
    result = only(project.build())
    assert result.ok and result.written == [] and len(result.kept) == 3
    assert result.unchanged == 3 and loaded == []
    assert only(project.build()).unchanged == 3 and loaded == [] and renders == ["news"]


@pytest.mark.parametrize("pattern", [
    "../a/**/*.txt", "../a/*.txt", "../a/b/*", "../**/*.txt", "../a/**/b/*.txt", "../a/b/y.txt",
    "../a/.*.txt", "../a/*/*.txt", "../a/[bx]*", "../*/**/*.txt", "../nowhere/**/*.txt",
    "../a/**", "../a/**/c", "../a/**/**/*.txt", "../**/b/**/*.txt", "../a/**/b/**",
])
def test_scan_finds_what_glob_finds(tmp_path: Path, pattern: str) -> None:
    import glob

    for name in ("a/x.txt", "a/b/y.txt", "a/b/c/z.txt", "a/.h/q.txt", "a/.dot.txt", "a/b/w.md",
                 "d/e.txt", "a/f.txt/inner.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "a" / "b" / "link").symlink_to(tmp_path / "d")
    (tmp_path / "a" / "dangling.txt").symlink_to(tmp_path / "gone")
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "news.toml").write_text(
        CONFIG.format(extra="").replace('["../articles/*.txt"]', json.dumps([pattern])),
        encoding="utf-8")
    config = load_feed_config(folder / "news.toml")
    assert (config.folder, list(config.sources)) == (folder, [pattern])
    expected = {}
    for match in glob.glob(pattern, root_dir=folder, recursive=True):
        key = os.path.normpath(match)
        if (folder / key).is_file():
            expected[key] = Found(os.path.join(folder, key), *(
                (st.st_size, st.st_mtime_ns) for st in [os.stat(folder / key)]).__next__())
    assert scan(config) == dict(sorted(expected.items()))


def test_the_reading_digest_follows_every_reader_option(tmp_path: Path) -> None:
    """reading_digest reads the settings reader_options is made of straight from the config (so
    a no-op never imports the readers): every one of them must change it."""
    import dataclasses

    from feedwright.config import CreditPatternConfig

    project = make_project(tmp_path)
    config = build.load_configs(project.feeds, ())[0][0]
    options = config.reader_options()
    assert (options.timezone, options.chrome, options.base_url) == (
        config.timezone, config.text_chrome, config.sources_base_url)
    assert [(p.pattern, p.role) for p in options.credit_patterns] == [
        (p.pattern, p.role) for p in config.credit_patterns]
    pattern = CreditPatternConfig(r"Pictured: (?P<name>.+)", "photographer")
    others = [dataclasses.replace(config, timezone="Pacific/Auckland"),
              dataclasses.replace(config, text_chrome=("Share this",)),
              dataclasses.replace(config, credit_patterns=(pattern,)),
              dataclasses.replace(config, sources_base_url="https://news.example/")]
    digests = {reading_digest(c) for c in [config, *others]}
    assert len(digests) == 5


def test_a_change_past_the_limit_renders_nothing_and_one_within_it_renders(
        tmp_path: Path, renders: list[str]) -> None:
    """With limit 2 the oldest of three articles is not shown: editing it changes the ledger
    but no document (none is emitted; every file keeps its bytes and mtime); the edit shows once
    the limit takes it in. An edit that dates it newest, or of a shown article, renders."""
    project = make_project(tmp_path, extra="limit = 2")
    project.build()
    before = project.outputs()
    council = (project.articles / "c.txt").read_text()
    project.write("c.txt", council.replace("met today", "met today and voted"))
    result = only(project.build())
    assert renders == ["news"] and result.updated == 1
    assert result.ok and result.written == [] and len(result.kept) == 3
    assert project.outputs() == before
    assert only(project.build()).written == []  # and the next build is a no-op
    for path in project.public.iterdir():  # rendered from the ledger now: the bytes it kept
        path.unlink()
    only(project.build())
    assert {k: v[0] for k, v in project.outputs().items()} == {k: v[0] for k, v in before.items()}
    toml = project.feeds / "news.toml"
    toml.write_text(toml.read_text().replace("limit = 2", "limit = 3"))
    only(project.build())
    assert "met today and voted" in project.items()["Council meets"]["content_html"]
    toml.write_text(toml.read_text().replace("limit = 3", "limit = 2"))
    only(project.build())
    renders.clear()
    project.write("c.txt", council.replace("7:00 am on 11 March", "9:00 am on 14 March"))
    assert len(only(project.build()).written) == 3 and renders == ["news"]
    assert list(project.items()) == ["Council meets", "Library opens late"]
    renders.clear()
    project.write("b.txt", (project.articles / "b.txt").read_text().replace("nine", "ten"))
    assert len(only(project.build()).written) == 3 and renders == ["news"]


def test_a_link_back_up_the_tree_is_not_walked_round(tmp_path: Path) -> None:
    """A link to a folder above it (`sub/up -> ..`) under a `**` pattern: the walk follows links
    as glob does, but not into a folder it is already in, so the feed's files are found once
    each (it recursed until Python's stack ran out: 'build failed: RecursionError')."""
    articles = tmp_path / "articles"
    (articles / "sub").mkdir(parents=True)
    (articles / "sub" / "up").symlink_to("..")
    (articles / "a.txt").write_text("x")
    (articles / "sub" / "b.txt").write_text("x")
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "news.toml").write_text(
        CONFIG.format(extra="").replace('"../articles/*.txt"', '"../articles/**/*.txt"'),
        encoding="utf-8")
    assert list(scan(load_feed_config(folder / "news.toml"))) == [
        "../articles/a.txt", "../articles/sub/b.txt"]
