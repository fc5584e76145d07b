"""`feedwright export` and `feedwright inspect`, run as a user runs them: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from tests.helpers import FIXTURES, SEED, TEXT_FIXTURES

LINK = ["--link", "https://example.org/"]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "feedwright", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_export_seed_to_stdout(fmt: str):
    self_url = f"https://example.org/feed.{fmt}"
    result = run("export", SEED, *LINK, "--format", fmt, "--self-url", self_url)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b"", "a complete feed raises no warning"
    if fmt == "json":
        document = json.loads(result.stdout)
        assert document["items"][0]["title"].startswith("Winston Peters leaves NATO")
    else:
        parsed = feedparser.parse(result.stdout)
        assert not parsed.bozo
        assert parsed.entries[0].title.startswith("Winston Peters leaves NATO")


def test_export_without_a_self_url_warns_but_writes():
    result = run("export", SEED, *LINK)
    assert result.returncode == 0
    assert b"warning: self-link-missing" in result.stderr
    assert feedparser.parse(result.stdout).entries


def test_export_to_a_file_is_byte_identical_to_stdout(tmp_path: Path):
    out = tmp_path / "feed.xml"
    assert run("export", SEED, *LINK, "-o", out).returncode == 0
    assert out.read_bytes() == run("export", SEED, *LINK).stdout


def test_export_with_a_feed_file_uses_its_metadata(tmp_path: Path):
    result = run("export", "--feed", "feeds/example.toml", *TEXT_FIXTURES, "--format", "atom",
                 cwd=FIXTURES.parent)
    assert result.returncode == 0, result.stderr.decode()
    parsed = feedparser.parse(result.stdout)
    assert parsed.feed.title == "feedwright example"
    assert len(parsed.entries) == len(TEXT_FIXTURES)
    assert all(e.id.startswith("tag:example.org,2026:") for e in parsed.entries)


def test_export_without_a_title_is_titled_by_the_links_host():
    """--help says the title defaults to the link's host; it was the whole link."""
    result = run("export", SEED, "--link", "https://news.example/local/", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["title"] == "news.example"
    titled = run("export", SEED, "--link", "https://news.example/", "--title", "Local News")
    assert feedparser.parse(titled.stdout).feed.title == "Local News"


def test_export_without_link_or_feed_is_a_usage_error():
    result = run("export", SEED)
    assert result.returncode == 2
    assert b"--link" in result.stderr


def test_inspect_takes_the_time_zone_given_over_the_feed_files():
    feed_file = FIXTURES.parent / "feeds" / "example.toml"  # timezone = "Pacific/Auckland"
    source = FIXTURES / "rnz-budget-pressure.txt"  # "6:04 am on 12 March 2025", no zone
    published = {}
    for zone in (None, "UTC", "Europe/London"):
        given = ["--timezone", zone] if zone else []
        result = run("inspect", "--feed", feed_file, *given, source)
        assert result.returncode == 0, result.stderr.decode()
        published[zone] = json.loads(result.stdout)["published"]["value"]["iso"]
    assert published == {None: "2025-03-12T06:04:00+13:00", "UTC": "2025-03-12T06:04:00+00:00",
                         "Europe/London": "2025-03-12T06:04:00+00:00"}
    result = run("inspect", "--timezone", "Mars/Olympus", source)
    assert result.returncode == 2 and b"Mars/Olympus" in result.stderr


def test_inspect_prints_the_model_as_json():
    result = run("inspect", SEED)
    assert result.returncode == 0, result.stderr.decode()
    entry = json.loads(result.stdout)
    assert entry["title"] == SEED.read_text(encoding="utf-8").splitlines()[0]
    assert entry["published"] is None and entry["authors"] == []
    figures = [b for b in entry["blocks"] if b["kind"] == "figure"]
    assert len(figures) == 4
    media = {m["id"]: m for m in entry["media"]}
    credited = [media[f["media_id"]]["credits"] for f in figures]
    assert [[(c["agent"]["name"], c["role"], c["raw"]) for c in cs] for cs in credited] == [
        [("1News", "source", "(Source: 1News)")],
        [("1News", "source", "(Source: 1News)")],
        [],
        [("Breakfast", "source", "(Source: Breakfast)")],
    ]
    assert entry["provenance"][0]["kind"] == "text"


# --- bad input: a clear error naming the file, or a correct entry; never a traceback ------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", b"no article text"),
        ("binary.txt", bytes(range(256)) * 8, b"binary data"),
        ("chrome.txt", b"SHARE ME\n\nMore Stories\n", b"no article text"),
    ],
)
def test_rejected_sources_exit_1_naming_the_file(tmp_path: Path, name: str, content: bytes,
                                                 reason: bytes):
    source = tmp_path / name
    source.write_bytes(content)
    for command in (["export", source, *LINK], ["inspect", source]):
        result = run(*command)
        assert result.returncode == 1
        assert str(source).encode() in result.stderr
        assert reason in result.stderr
        assert b"Traceback" not in result.stderr
        assert result.stdout == b""


def test_a_bad_source_among_good_ones_writes_nothing(tmp_path: Path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "feed.xml"
    result = run("export", SEED, bad, *LINK, "-o", out)
    assert result.returncode == 1
    assert not out.exists()


def test_wrong_encoding_is_detected(tmp_path: Path):
    source = tmp_path / "cp1252.txt"
    text = "Café “quotes” reopen\n\nThe café’s owners said it was time.\n"
    source.write_bytes(text.encode("cp1252"))
    result = run("export", source, *LINK)
    assert result.returncode == 0, result.stderr.decode()
    assert feedparser.parse(result.stdout).entries[0].title == "Café “quotes” reopen"


def test_control_characters_are_removed_and_the_text_kept(tmp_path: Path):
    source = tmp_path / "ctl.txt"
    source.write_bytes(b"Head line with\x08 controls\n\nBody\x1b text and a\x0b tab.\n")
    result = run("export", source, *LINK, "--format", "atom")
    assert result.returncode == 0, result.stderr.decode()
    assert not any(byte < 0x20 and byte not in b"\t\n\r" for byte in result.stdout)
    parsed = feedparser.parse(result.stdout)
    assert not parsed.bozo
    (entry,) = parsed.entries
    assert entry.title == "Head line with controls"
    assert entry.summary == "Body text and a tab."


def test_a_nul_byte_marks_binary_data_and_is_rejected(tmp_path: Path):
    source = tmp_path / "nul.txt"
    source.write_bytes(b"Head\x00line\n\nBody text.\n")
    result = run("export", source, *LINK, "--format", "atom")
    assert result.returncode == 1
    assert f"{source}: ".encode() in result.stderr and b"binary" in result.stderr
    assert result.stdout == b"" and b"Traceback" not in result.stderr


def test_a_20_mb_text_gives_a_correct_entry(tmp_path: Path):
    source = tmp_path / "huge.txt"
    paragraph = ("The council met again on Tuesday to discuss the long-term plan. " * 8).strip()
    body = "\n\n".join(paragraph for _ in range(20 * 1024 * 1024 // (len(paragraph) + 2)))
    source.write_text("A very long council report\n\n" + body + "\n", encoding="utf-8")
    result = run("export", source, *LINK, "--format", "json")
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    item = json.loads(result.stdout)["items"][0]
    assert item["title"] == "A very long council report"
    assert item["content_html"].count("<p>") == body.count("\n\n") + 1


def test_missing_source_exits_1_naming_it(tmp_path: Path):
    result = run("export", tmp_path / "nope.txt", *LINK)
    assert result.returncode == 1
    assert b"nope.txt: no such file" in result.stderr


def test_unknown_option_is_a_usage_error():
    assert run("export", SEED, "--bogus").returncode == 2


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ([*LINK, "--timezone", "Mars/Olympus"], b"Mars/Olympus"),
        ([*LINK, "--tag-authority", "example"], b"--tag-authority"),
        (["--link", "example.org"], b"--link"),
    ],
)
def test_bad_option_values_are_usage_errors(options: list[str], says: bytes):
    result = run("export", SEED, *options)
    assert result.returncode == 2
    assert says in result.stderr
    assert b"Traceback" not in result.stderr


def test_a_source_whose_name_is_not_utf8_is_named_and_refused(tmp_path: Path) -> None:
    """A file name that is not UTF-8 comes from the system with surrogates, which no entry,
    ledger row or record can hold: it used to end export in a traceback from orjson."""
    odd = tmp_path / "caf\udce9.txt"  # the bytes caf\xe9.txt on disk
    odd.write_bytes(SEED.read_bytes())
    done = run("export", odd, *LINK)
    assert done.returncode == 1 and done.stdout == b""
    assert done.stderr.decode().startswith(
        f"error: {tmp_path}/caf\\xe9.txt: its name is not UTF-8; rename the file\n")
    assert b"Traceback" not in done.stderr


def test_a_device_source_is_read_up_to_the_size_limit() -> None:
    """A source that is a device or a pipe has no size to refuse it by: /dev/zero is read up to
    the limit and refused there, where it filled the memory."""
    done = run("inspect", "/dev/zero")
    assert done.returncode == 1
    assert done.stderr.decode() == "error: /dev/zero: is over the 67108864 byte limit\n"


@pytest.mark.parametrize("args", [
    ["inspect", SEED], ["validate", "--list-rules"],
    ["validate", "--format", "json", FIXTURES / "feeds" / "agency-atom.xml"],
])
def test_standard_output_that_cannot_be_written_is_an_error_not_a_traceback(
        args: list[str | Path]) -> None:
    """Standard output on a device or disk that is full (/dev/full): one line saying so, exit 1
    (a traceback from the write, or from Python's flush at exit, before)."""
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "feedwright", *map(str, args)],
                              stdout=full, stderr=subprocess.PIPE, timeout=120, check=False)
    assert (done.returncode, done.stderr.decode()) == (
        1, "error: standard output: cannot write: No space left on device\n")


def test_a_source_nested_too_deep_to_read_is_named(tmp_path: Path) -> None:
    """JSON, or Markdown front matter, nested thousands deep: Python's parsers run out of
    stack (RecursionError, a traceback from inspect and export); it is a source error."""
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    matter = tmp_path / "deep.md"
    matter.write_text("---\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n# Title\n\nBody.\n")
    for source in (deep, matter):
        done = run("inspect", source)
        assert done.returncode == 1 and done.stderr.decode() == (
            f"error: {source}: it is nested deeper than can be read (over about 1000 levels)\n")


def test_a_bad_option_value_is_told_with_its_commands_usage(tmp_path: Path) -> None:
    """A usage error names the option and shows the usage of the command given, not the
    top-level one; -o to a url no document can be published to is one, as in [output]."""
    done = run("inspect", SEED, "--timezone", "Mars/Olympus")
    assert done.returncode == 2
    assert done.stderr.decode() == (  # (run as python -m feedwright)
        "Usage: python -m feedwright inspect [OPTIONS] SOURCE|FOLDER|- ...\n"
        "Try 'python -m feedwright inspect --help' for help.\n\n"
        "Error: --timezone: unknown time zone 'Mars/Olympus' (use an IANA name such as "
        "Pacific/Auckland)\n")
    done = run("build", "-o", "ftp://user:secret@host/dir", cwd=tmp_path)
    assert done.returncode == 2
    error = done.stderr.decode().splitlines()[-1]
    assert error.startswith("Error: --out ftp://user:***@host/dir: cannot publish to ftp:// urls")


# --- a url with a space: percent-encoded as browsers read it, never the whole feed refused ------

SPACED = {"id": "b1", "title": "Space", "url": "https://news.example/a/my story.html",
          "published": "2025-01-01T00:00:00Z",
          "content_html": '<p><img src="/img/a b.jpg" alt="pic"></p>'}


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_a_url_with_a_space_is_written_percent_encoded(tmp_path: Path, fmt: str):
    source = tmp_path / "space.ndjson"
    source.write_text(json.dumps(SPACED) + "\n", encoding="utf-8")
    result = run("export", source, *LINK, "--format", fmt, "-q")
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode()
    assert "https://news.example/a/my%20story.html" in text
    assert "https://news.example/img/a%20b.jpg" in text
    assert "my story" not in text and "a b.jpg" not in text


def test_an_atom_id_minted_from_a_url_with_a_space_is_an_absolute_iri(tmp_path: Path):
    source = tmp_path / "space.ndjson"
    record = {k: v for k, v in SPACED.items() if k != "id"}  # the id is minted from the url
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run("export", source, *LINK, "--format", "atom", "-q")
    assert result.returncode == 0, result.stderr.decode()
    (entry,) = feedparser.parse(result.stdout).entries
    assert entry.id == entry.link == "https://news.example/a/my%20story.html"
