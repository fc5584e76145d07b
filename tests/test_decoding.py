"""Decoding unknown bytes (issue 14): UTF-8 first, then a byte-order mark's encoding, then
windows-1252 when the bytes read as Latin text, and only then the charset detector, which guesses
badly on short text. Every choice but UTF-8 and a declared charset is a provenance warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedwright.model import Entry
from feedwright.normalise.text import DecodeError, decode_text
from feedwright.sources import read, retrieve


def read_file(path: Path) -> Entry:
    (entry,) = read(retrieve(str(path)))
    return entry


@pytest.mark.parametrize("text", [
    "café",
    "Café reopens",
    "naïve façade",
    "50\xa0km north",
    "Größe und Ärger über Straßen",
    "São Paulo: ação e informação",
    "“Quoted” – €5",
])
def test_short_latin_text_decodes_as_windows_1252(text: str) -> None:
    got = decode_text(text.encode("cp1252"))
    assert (got.text, got.encoding) == (text, "cp1252")
    assert got.note is not None and "windows-1252" in got.note


def test_a_short_latin_1_article_reads_right_and_says_how(tmp_path: Path) -> None:
    path = tmp_path / "cafe.txt"
    path.write_bytes("Café reopens\n\nThe café\xa0on Main St is open again.\n".encode("latin-1"))
    entry = read_file(path)
    assert entry.title == "Café reopens"
    assert entry.summary == "The café on Main St is open again."
    (warning,) = [w for w in entry.provenance[0].warnings if "decoded" in w]
    assert warning == ("not UTF-8 and no charset declared: decoded as windows-1252 (Latin-1), "
                       "in which its bytes read as Latin text")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.txt"
    body = "Glacier retreats\n\nThe Dart glacier lost 40\xa0m this year, said Tūhoe.\n"
    data = body.encode(encoding)
    if not encoding.endswith(("16", "32")):  # the -be codecs write no mark: add it
        data = "\ufeff".encode(encoding) + data
    path.write_bytes(data)
    entry = read_file(path)
    assert entry.title == "Glacier retreats"
    assert entry.summary == "The Dart glacier lost 40 m this year, said Tūhoe."
    assert any("byte-order mark" in w and "UTF-" in w for w in entry.provenance[0].warnings)


def test_utf8_and_declared_charsets_need_no_warning() -> None:
    assert decode_text("café".encode()).note is None
    assert decode_text("\ufeffcafé".encode()).text == "café"
    declared = decode_text("Łódź".encode("iso-8859-2"), "iso-8859-2")
    assert (declared.text, declared.note) == ("Łódź", None)


def test_text_that_is_not_latin_goes_to_the_detector_and_says_it_guessed() -> None:
    text = "Привет мир, это тестовая статья о погоде в городе.\n"
    got = decode_text(text.encode("cp1251"))
    assert got.encoding != "cp1252"
    assert got.text == text
    assert got.note is not None and "the charset detector's guess" in got.note


def test_binary_data_is_still_refused() -> None:
    with pytest.raises(DecodeError):
        decode_text(bytes(range(256)) * 8)
    with pytest.raises(DecodeError):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
