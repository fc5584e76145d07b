"""`feedwright inspect` over many sources (issue 14): files, folders and - (standard input), one
JSON entry per line, or one array with --array; one file prints as it always has."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from feedwright.serialise import entry_to_dict
from feedwright.sources import read, retrieve
from tests.helpers import FIXTURES, SEED, TEXT_FIXTURES


def inspect(*args: str | Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "feedwright", "inspect", *map(str, args)],
                          input=stdin, capture_output=True, timeout=120, check=False)


def expected(*paths: Path) -> list[dict[str, object]]:
    """What the library reads from the same files, entry by entry."""
    return [json.loads(json.dumps(entry_to_dict(e), ensure_ascii=False))
            for p in paths for e in read(retrieve(str(p)))]


def lines(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, object]]:
    text = result.stdout.decode("utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_several_files_print_one_entry_per_line() -> None:
    result = inspect(*TEXT_FIXTURES)
    assert result.returncode == 0, result.stderr.decode()
    assert lines(result) == expected(*TEXT_FIXTURES)


def test_a_folder_is_every_file_in_it_in_order() -> None:
    folder = FIXTURES / "markdown"
    result = inspect(folder)
    assert result.returncode == 0, result.stderr.decode()
    assert lines(result) == expected(*sorted(folder.iterdir()))


def test_array_prints_one_json_array() -> None:
    sources = [SEED, FIXTURES / "json" / "model-names.ndjson"]
    result = inspect(*sources, "--array")
    assert result.returncode == 0, result.stderr.decode()
    document = json.loads(result.stdout)
    assert isinstance(document, list) and document == expected(*sources)
    assert len(document) > 2  # the NDJSON export holds several entries


def test_standard_input_is_read_and_its_kind_sniffed() -> None:
    page = FIXTURES / "html" / "wire-opengraph.html"
    result = inspect("-", stdin=page.read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    (entry,) = lines(result)
    (from_file,) = expected(page)
    assert entry["title"] == from_file["title"] and entry["credits"] == from_file["credits"]
    assert entry["provenance"][0]["location"] == "<stdin>"  # type: ignore[index]


@pytest.mark.parametrize("source", [FIXTURES / "feeds" / "agency-atom.xml",
                                    FIXTURES / "html" / "wire-opengraph.html"],
                         ids=["feed", "html"])
def test_a_piped_source_is_sniffed_past_a_long_comment(source: Path) -> None:
    """A licence in a comment before the root ran past the 4 KiB the kind was told by, and a
    piped feed was read as plain text (its markup as the article)."""
    data = source.read_bytes()
    rest = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data  # (UTF-8 either way)
    comment = b"<!-- Licence: " + b"all rights reserved. " * 400 + b"-->\n"  # 8 KB
    piped = comment + rest
    result = inspect("-", stdin=piped)
    assert result.returncode == 0, result.stderr.decode()
    titles = [entry["title"] for entry in lines(result)]
    assert titles == [entry["title"] for entry in expected(source)]


def test_one_file_keeps_the_indented_object() -> None:
    result = inspect(SEED)
    assert result.stdout.startswith(b"{\n  \"title\"")
    assert json.loads(result.stdout) == expected(SEED)[0]


def test_a_bad_source_is_named_and_the_others_still_printed(tmp_path: Path) -> None:
    bad = tmp_path / "photo.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = inspect(SEED, bad, tmp_path / "nothing.txt", empty, TEXT_FIXTURES[1])
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err
    assert f"error: {bad}: binary data, not text" in err
    assert f"error: {tmp_path / 'nothing.txt'}: no such file" in err
    assert f"error: {empty}: is a folder with no files in it" in err
    assert lines(result) == expected(SEED, TEXT_FIXTURES[1])


def test_the_good_records_of_a_broken_export_are_shown_and_each_bad_one_named(
        tmp_path: Path) -> None:
    wire = tmp_path / "wire.ndjson"
    wire.write_text('{"title": "One", "body": "a"}\n{oops}\n{"title": "Three", "body": "c"}\n'
                    "[1]\n", encoding="utf-8")
    result = inspect(wire, SEED)
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err
    assert f"error: {wire}:2: not a JSON record" in err
    assert f"error: {wire}:4: record 4 is a list, not an object" in err
    assert [e["title"] for e in lines(result)][:2] == ["One", "Three"]
    assert len(lines(result)) == 3
