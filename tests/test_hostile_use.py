"""Bad input as people give it (issue 14): every mistake a clear error naming the file, key or
option and the reason, with the documented exit code, never a traceback; nothing published lost.

Real files, real SQLite, real subprocesses; read-only file systems are read-only bind mounts
(root ignores chmod), skipped where the test cannot make one; a full device is /dev/full.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from feedwright.config import ConfigError, load_feed_config
from feedwright.normalise.ids import is_tag_authority
from tests.helpers import FIXTURES, SEED
from tests.test_build import ARTICLES, CONFIG, make_project, only

LINK = ["--link", "https://example.org/"]


def run(*args: str | Path, cwd: Path | None = None,
        stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "feedwright", *map(str, args)], cwd=cwd,
                          stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          timeout=120, check=False)


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """folder as a read-only bind mount of itself (chmod does not stop root)."""
    folder.mkdir(parents=True, exist_ok=True)
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True,
                          check=False)
    if bind.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {bind.stderr.decode().strip()}")
    try:
        remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)],
                                 capture_output=True, check=False)
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only: {remount.stderr.decode().strip()}")
        probe = folder / ".probe"
        with contextlib.suppress(OSError):
            probe.write_text("x")
            probe.unlink()
            pytest.skip("the bind mount is still writable")
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)


# --- feed files ------------------------------------------------------------------------------


def feed_text(*changes: tuple[str, str], add: str | None = None) -> str:
    """test_build's feed file with text replaced, and a line added after deleted_grace_days."""
    text = CONFIG.format(extra="")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    if add is not None:
        text = text.replace("deleted_grace_days = 1\n", f"deleted_grace_days = 1\n{add}\n")
    return text


def write_feed_text(root: Path, text: str) -> Path:
    path = root / "feeds" / "news.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_feed(root: Path, name: str, extra: str) -> Path:
    path = root / "feeds" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONFIG.format(extra=extra), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan", "1e300", "1000000000000"])
def test_grace_days_that_are_no_duration_are_named_and_other_feeds_still_build(
        tmp_path: Path, value: str) -> None:
    project = make_project(tmp_path)
    bad = write_feed(tmp_path, "bad", "").read_text().replace("deleted_grace_days = 1",
                                                             f"deleted_grace_days = {value}")
    (project.feeds / "bad.toml").write_text(bad, encoding="utf-8")
    report = project.build()
    assert report.exit_code == 2
    (error,) = report.config_errors
    assert error.startswith(f"{project.feeds / 'bad.toml'}:6: key 'deleted_grace_days'"), error
    assert [f.name for f in report.feeds] == ["news"] and report.feeds[0].ok
    assert (project.public / "news.json").is_file()


@pytest.mark.parametrize(("toml", "key"), [
    ('title = "Harbour\\u0007News"', "title"),
    ('description = "Line one\\u001bline two"', "description"),
    ('rights = "\\u0000 2026"', "rights"),
    ('[[authors]]\nname = "Jo\\u0008Bloggs"', "authors.name"),
    ('title = "Odd \\uffff"', "title"),
])
def test_control_characters_in_feed_text_are_config_errors_with_key_and_line(
        tmp_path: Path, toml: str, key: str) -> None:
    if toml.startswith("title"):
        text = feed_text(('title = "Test News"', toml))
    elif toml.startswith("[["):
        text = feed_text(("[output]", toml + "\n[output]"))
    else:
        text = feed_text(add=toml)
    path = write_feed_text(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_feed_config(path)
    line = 1 + text.splitlines().index(toml.splitlines()[-1])
    assert info.value.line == line, (text, str(info.value))
    assert f"key '{key}' holds the control character U+" in info.value.message


@pytest.mark.parametrize(("key", "url"), [
    ("link", "https://exa mple.org/"),
    ("link", "https://example.org/a b"),
    ("base_url", "https://exa_mple_.org/"),
    ("base_url", "https://example.org:99999/"),
    ("icon", "https://example.org/%zz.png"),
    ("sources_base_url", "http:///nohost"),
])
def test_links_no_reader_can_follow_fail_when_the_feed_file_is_loaded(
        tmp_path: Path, key: str, url: str) -> None:
    if key in ("link", "base_url"):
        text = feed_text((f'{key} = "https://news.example/', f'{key} = "{url}'))
    else:
        text = feed_text(add=f'{key} = "{url}"')
    path = write_feed_text(tmp_path, text)
    result = run("build", "--config-dir", path.parent, cwd=tmp_path)
    err = no_traceback(result)
    assert result.returncode == 2, err
    assert "news.toml:" in err and f"key '{key}' must be an absolute http(s) URL" in err, err
    assert not (tmp_path / "public").exists()  # found before any source was read


@pytest.mark.parametrize(("authority", "good"), [
    ("example.org,2026", True), ("example.org,2024-02-29", True), ("me@example.org,2026-11", True),
    ("localhost.localdomain,2000-01-01", True),
    ("example.org,2026-13-45", False), ("example.org,2026-02-30", False),
    ("example.org,2026-00", False), ("example.org,0000", False), ("example.org,2026\n", False),
    ("exa mple.org,2026", False), ("example.org,26", False), ("@example.org,2026", False),
])
def test_tag_authorities_need_a_real_date_and_a_name(authority: str, good: bool) -> None:
    assert is_tag_authority(authority) is good


def test_a_tag_authority_with_an_impossible_date_is_a_config_error(tmp_path: Path) -> None:
    path = write_feed(tmp_path, "news", "")
    path.write_text(path.read_text().replace('"news.example,2026"', '"news.example,2026-13-45"'))
    with pytest.raises(ConfigError) as info:
        load_feed_config(path)
    assert info.value.line == 3 and "key 'tag_authority' must be a tag authority" in str(info.value)


# --- export options --------------------------------------------------------------------------


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--title", "Bell\x07News", "--title holds the control character U+0007"),
    ("--description", "a\x1bb", "--description holds the control character U+001B"),
    ("--link", "https://exa mple.org/", "--link must be an absolute http(s) URL"),
    ("--self-url", "https://example.org/a feed.xml", "--self-url must be an absolute http(s) URL"),
    ("--tag-authority", "example.org,2026-13-45", "--tag-authority must be a tag authority"),
    ("--language", "xx", "--language must be a language tag like"),
    ("--link", "https://exa_mple.org/", "cannot name entry ids: give --tag-authority"),
    ("--title", "   ", "--title must not be empty"),  # as a feed file's blank title is
])
def test_export_options_no_feed_can_carry_are_usage_errors(option: str, value: str,
                                                          says: str) -> None:
    args = [] if option == "--link" else LINK
    result = run("export", SEED, *args, option, value)
    err = no_traceback(result)
    assert result.returncode == 2, err
    assert says in err, err
    assert result.stdout == b""


def test_export_into_a_read_only_folder_says_so(tmp_path: Path) -> None:
    with read_only(tmp_path / "ro") as folder:
        result = run("export", SEED, *LINK, "-o", folder / "feed.xml")
        err = no_traceback(result)
        assert result.returncode == 1
        assert f"cannot write {folder / 'feed.xml'}: Read-only file system" in err, err
        assert list(folder.iterdir()) == []


@pytest.mark.parametrize("below", ["feed.xml", "deeper/feed.xml"])
def test_export_under_a_path_that_is_a_file_says_which_file(tmp_path: Path, below: str) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n")
    result = run("export", SEED, *LINK, "-o", blocker / below)
    err = no_traceback(result)
    assert result.returncode == 1
    assert f"{blocker} is a file, not a folder" in err, err
    assert blocker.read_text() == "mine\n"


def test_export_to_a_full_standard_output_says_so() -> None:
    with open("/dev/full", "wb") as full:
        result = run("export", SEED, *LINK, stdout=full.fileno())
    err = no_traceback(result)
    assert result.returncode == 1
    assert "cannot write standard output: No space left on device" in err, err
    assert "Exception ignored" not in err


def test_export_to_a_full_device_writes_into_it_and_never_replaces_it(tmp_path: Path) -> None:
    """-o /dev/full, with a device node of our own made like it: renaming a temporary file over
    the device would replace it (as root, even /dev/full itself)."""
    node = tmp_path / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.stat("/dev/full").st_rdev)
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    result = run("export", SEED, *LINK, "-o", node)
    err = no_traceback(result)
    assert result.returncode == 1
    assert f"cannot write {node}: No space left on device" in err, err
    assert stat.S_ISCHR(node.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["full"]  # no temporary file left


def test_export_to_a_link_writes_through_it_and_keeps_the_link(tmp_path: Path) -> None:
    """-o /dev/stdout, with a link of our own made like it (never the machine's: a regression
    would replace it), and a link to a published file."""
    out = tmp_path / "out.xml"
    stdout_link = tmp_path / "stdout"
    stdout_link.symlink_to("/proc/self/fd/1")
    with out.open("wb") as handle:
        result = run("export", SEED, *LINK, "-o", stdout_link, stdout=handle.fileno())
    assert result.returncode == 0, no_traceback(result)
    assert out.read_bytes().startswith(b"<?xml") and stdout_link.is_symlink()
    published = tmp_path / "feed.xml"
    published.symlink_to(out)
    assert run("export", SEED, *LINK, "--title", "Linked", "-o", published).returncode == 0
    assert published.is_symlink() and b"<title>Linked</title>" in out.read_bytes()


def test_a_build_on_a_read_only_state_folder_cannot_lock_and_says_so(tmp_path: Path) -> None:
    make_project(tmp_path)
    with read_only(tmp_path / "state") as folder:
        result = run("build", "--state", folder / "ledger.sqlite", cwd=tmp_path)
    err = no_traceback(result)
    assert result.returncode == 2
    assert f"{folder / 'ledger.sqlite.lock'}: cannot create the build lock: Read-only file " \
           "system" in err, err
    assert not (tmp_path / "public").exists()


# --- the ledger ------------------------------------------------------------------------------


@pytest.mark.parametrize(("script", "says"), [
    ("CREATE TABLE sources (feed TEXT, name TEXT); PRAGMA user_version = 5;",
     "table 'sources' has no column 'path'"),
    ("CREATE TABLE entries (feed TEXT, id TEXT, body TEXT);",
     "it holds tables 'entries' and no feedwright schema version"),
    ("CREATE TABLE notes (x); PRAGMA user_version = 5;",
     "it has no table 'entries', 'outputs', 'sources'"),
])
def test_a_ledger_of_another_schema_is_named_with_the_reason(tmp_path: Path, script: str,
                                                            says: str) -> None:
    project = make_project(tmp_path)
    state = tmp_path / "state.sqlite"
    with contextlib.closing(sqlite3.connect(state)) as db:
        db.executescript(script)
    report = project.build(state=state)
    assert report.exit_code == 2
    (error,) = report.config_errors
    assert error.startswith(f"{state}: not a feedwright state database") and says in error, error
    assert not project.public.exists()


# --- sources that are not what they were -----------------------------------------------------


@pytest.mark.parametrize("replacement", ["folder", "dangling link"])
def test_a_source_replaced_by_a_folder_or_dead_link_is_reported_and_its_entry_kept(
        tmp_path: Path, replacement: str) -> None:
    project = make_project(tmp_path)
    assert only(project.build()).ok
    before = project.items()["Library opens late"]
    (project.articles / "b.txt").unlink()
    if replacement == "folder":
        (project.articles / "b.txt").mkdir()
        says = "is a folder now"
    else:
        (project.articles / "b.txt").symlink_to(project.articles / "gone.txt")
        says = "which does not exist"
    for _ in range(2):  # the next build reports it again
        project.clock.advance(days=30)  # far past the grace period: it is not a deletion
        result = only(project.build())
        (failure,) = result.failures
        assert failure.path == "../articles/b.txt" and says in failure.reason, failure
        assert project.items()["Library opens late"] == before
    if replacement == "folder":
        (project.articles / "b.txt").rmdir()
    else:
        (project.articles / "b.txt").unlink()
    project.write("b.txt", ARTICLES["b.txt"])  # a file again: read, and its entry is the same
    result = only(project.build())
    assert result.ok and result.failures == []
    assert project.items()["Library opens late"]["id"] == before["id"]


def test_sources_that_match_no_file_say_which_pattern(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project.feeds / "news.toml"
    config.write_text(config.read_text().replace('sources = ["../articles/*.txt"]',
                                                 'sources = ["../articles/*.md"]'))
    result = only(project.build())
    assert result.errors == [f"{config}: nothing to publish: sources '../articles/*.md' match "
                             "no file"]
    assert [str(f) for f in result.failures] == ["../articles/*.md: the pattern matches no file"]
    assert not any("cannot emit" in e for e in result.errors)


def test_one_pattern_matching_nothing_is_reported_and_the_rest_published(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project.feeds / "news.toml"
    config.write_text(config.read_text().replace(
        'sources = ["../articles/*.txt"]', 'sources = ["../articles/*.txt", "../artcles/*.txt"]'))
    result = only(project.build())
    assert [str(f) for f in result.failures] == ["../artcles/*.txt: the pattern matches no file"]
    assert result.errors == [] and len(project.items()) == 3


def test_the_build_says_which_entries_are_in_their_grace_period(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project.feeds / "news.toml"  # long enough for the CLI's real clock to be inside it
    config.write_text(config.read_text().replace("deleted_grace_days = 1",
                                                 "deleted_grace_days = 36500"))
    project.build()
    (project.articles / "c.txt").unlink()
    result = only(project.build())
    (note,) = result.in_grace
    assert (note.source, note.entries, note.titles) == ("../articles/c.txt", 1,
                                                        ("Council meets",))
    assert note.until == project.clock.now + (load_feed_config(project.feeds / "news.toml")
                                              .deleted_grace)
    assert "Council meets" in project.items()
    cli = run("build", cwd=tmp_path)
    assert cli.returncode == 0, no_traceback(cli)
    assert "deleted: ../articles/c.txt: gone; its entry ('Council meets') stays in the feed " \
           "until" in cli.stdout.decode()
    report = json.loads(run("build", "--json", cwd=tmp_path).stdout)
    assert report["feeds"][0]["in_grace"][0]["path"] == "../articles/c.txt"


# --- export: the self url, and keeping going -------------------------------------------------


def test_export_with_a_feed_file_names_the_o_file_as_its_self_url(tmp_path: Path) -> None:
    out = tmp_path / "news.json"
    result = run("export", "--feed", "feeds/example.toml", *sorted(FIXTURES.glob("*.txt")),
                 "--format", "json", "-o", out, cwd=FIXTURES.parent)
    assert result.returncode == 0, no_traceback(result)
    assert json.loads(out.read_bytes())["feed_url"] == "https://example.org/feeds/news.json"
    given = run("export", "--feed", "feeds/example.toml", SEED, "--format", "json", "-o", out,
                "--self-url", "https://cdn.example.org/n.json", cwd=FIXTURES.parent)
    assert given.returncode == 0, no_traceback(given)
    assert json.loads(out.read_bytes())["feed_url"] == "https://cdn.example.org/n.json"


def test_export_is_strict_and_keep_going_writes_the_good_and_names_the_bad(
        tmp_path: Path) -> None:
    bad = tmp_path / "photo.txt"
    bad.write_bytes(bytes(range(256)) * 4)
    wire = tmp_path / "wire.ndjson"
    wire.write_text('{"title": "Fine record", "body": "Kept."}\n{"title": \n'
                    '{"title": "Also fine", "body": "Kept too."}\n{"body": "no title"}\n',
                    encoding="utf-8")
    out = tmp_path / "feed.xml"
    strict = run("export", SEED, bad, wire, *LINK, "-o", out)
    err = no_traceback(strict)
    assert strict.returncode == 1 and not out.exists()
    assert f"error: {wire}:2: not a JSON record" in err and f"error: {wire}:4: record 4 " in err
    result = run("export", SEED, bad, wire, *LINK, "-o", out, "--keep-going")
    err = no_traceback(result)
    assert result.returncode == 1
    assert f"error: {bad}: binary data, not text" in err, err
    assert f"error: {wire}:2: not a JSON record" in err, err
    assert f"error: {wire}:4: record 4 has no title" in err, err
    assert "the document was written without the 3 sources or records above" in err
    document = out.read_bytes()
    for title in (b"Winston Peters leaves NATO", b"Fine record", b"Also fine"):
        assert title in document
