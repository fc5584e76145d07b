"""A JSON Feed read from a stream is checked item by item as it is parsed (issue 12), so
`feedwright validate` holds one item at a time, not the whole document. The report must be the
one the whole-document path gives for the same bytes: every issue, message, path and order,
wherever the pieces the stream hands out end; documents it cannot stream (not well-formed JSON,
the version after the items, a member named twice) are parsed whole, with json's messages."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from feedwright.emit import emit
from feedwright.validate import Report, validate_document
from feedwright.validate.content import ContentChecks
from feedwright.validate.jsonstream import check_json_stream
from tests.helpers import TEXT_FIXTURES, make_feed
from tests.test_validate_stream import growth_mb

CONFORMANCE = Path(__file__).resolve().parent / "conformance"


class Trickle(io.RawIOBase):
    """A file-like stream that hands out a few bytes per read and can be read again."""

    def __init__(self, data: bytes, size: int) -> None:
        super().__init__()
        self._data, self._at, self._size = data, 0, size
        self.handed = 0  # bytes handed out, counting those read again

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        assert whence == io.SEEK_SET
        self._at = offset
        return offset

    def tell(self) -> int:
        return self._at

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + min(size, self._size)
        piece = self._data[self._at:end]
        self.handed += len(piece)
        self._at = end
        return piece


def streamed(data: bytes, size: int) -> object:
    return validate_document(Trickle(data, size))  # type: ignore[arg-type]


class Unseekable(io.BytesIO):
    """A stream that cannot be read again: validate parses a JSON Feed from it whole."""

    def seekable(self) -> bool:
        return False


def whole(data: bytes) -> Report:
    """The report of the document parsed whole by json, which the stream's must equal (bytes
    in memory stream too, so they cannot stand for it)."""
    return validate_document(Unseekable(data))


def fixture_feed() -> bytes:
    return emit(dataclasses.replace(make_feed(TEXT_FIXTURES),
                                    self_url="https://feedwright.test/f.json"), "json")


def edited(data: bytes, edit: object) -> bytes:
    document = json.loads(data)
    edit(document)  # type: ignore[operator]
    return json.dumps(document).encode()


def bad_items(document: dict) -> None:  # type: ignore[type-arg]
    items = document["items"]
    items[0]["id"] = 7  # a number: schema and rule
    items[1].pop("id")  # no id
    items[1]["url"] = "relative/page"  # a format error, mapped to its rule
    items[2]["tags"] = "one"  # not an array
    items[2]["content_html"] += '<a href="rel">x</a><script>x()</script>'
    items.append("not an item")
    items.append(dict(items[0]))  # the same id again
    document["expired"] = "no"  # a feed-level error before the items in the schema
    document["authors"] = [{}]  # and one after them
    document["zzz"] = 1  # additionalProperties: after the properties
    document["_feedwright"]["deleted"] = [{"id": items[3]["id"], "when": "x"}]


def version_last(document: dict) -> None:  # type: ignore[type-arg]
    version = document.pop("version")
    document["version"] = version


def long_item(document: dict) -> None:  # type: ignore[type-arg]
    """An item far longer than the pieces the stream is read in (jsonstream._PIECE)."""
    document["items"][0]["content_html"] = "<p>" + "long text " * 40_000 + "</p>"


#: Numbers in each of the forms JSON has, as members of the feed and of an item; and space
#: where JSON allows it (before a comma too).
NUMBERS = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "_n": -12.5e+10, '
           b'"items": [{"id": "1", "content_text": "x", "_n": [0, -0.0, 1E-7, 1.25e3, '
           b'12345678901234567890, 3]}   ,\n\t{"id": "2", "content_text": "y", "_n": 7} ], '
           b'"_m": 1.5 }\r\n')


CASES = {
    "fixtures": fixture_feed(),
    "a long item": edited(fixture_feed(), long_item),
    "numbers": NUMBERS,
    "a UTF-8 BOM": b"\xef\xbb\xbf" + fixture_feed(),
    "many errors": edited(fixture_feed(), bad_items),
    "version after the items": edited(fixture_feed(), version_last),
    "a member twice": fixture_feed().replace(b'{"version"', b'{"title":"first","version"', 1),
    "the items twice": fixture_feed().replace(b'{"version"', b'{"items":[1],"version"', 1),
    "not an object": b'[{"version": "https://jsonfeed.org/version/1.1", "items": []}]',
    "trailing data": fixture_feed() + b"{}",
    "truncated": fixture_feed()[:-300],
    "not UTF-8": fixture_feed().decode().encode("utf-16"),
    "NaN": b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [{"id": NaN}]}',
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("size", [1, 7, 4096, 1 << 20])
def test_a_stream_gives_the_report_of_the_whole_document(name: str, size: int) -> None:
    data = CASES[name]
    assert streamed(data, size) == whole(data)


@pytest.mark.parametrize("path", sorted((CONFORMANCE / "json").iterdir()), ids=lambda p: p.name)
def test_every_conformance_document_streams_to_the_same_report(path: Path) -> None:
    data = path.read_bytes()
    for size in (3, 65536):
        assert streamed(data, size) == whole(data)


def test_the_cases_exercise_what_they_name() -> None:
    """The many-errors case has schema issues on both sides of the items and rule issues in
    items: the splice and the order are tested, not only clean feeds."""
    report = validate_document(CASES["many errors"])
    schema = [found.path for found in report.issues if found.rule == "jsonfeed-schema"]
    assert schema[0] == "/expired" and schema[-2:] == ["/authors/0", ""]
    assert {"/items/1", "/items/2/tags", "/items/5"} <= set(schema[1:-2])
    assert {"id-unique", "jsonfeed-id-string", "html-script", "url-absolute", "tombstone-live",
            "tombstone-when"} <= {found.rule for found in report.issues}
    assert not validate_document(CASES["fixtures"]).errors
    assert validate_document(CASES["a member twice"]).errors == ()
    assert validate_document(CASES["the items twice"]).errors == ()


class Cut(io.BytesIO):
    """A stream whose first read ends after `at` bytes, wherever that is in the document."""

    def __init__(self, data: bytes, at: int) -> None:
        super().__init__(data)
        self._at: int | None = at

    def read(self, size: int | None = -1) -> bytes:
        if self._at is not None:
            size, self._at = self._at, None
        return super().read(size)


def test_a_read_that_ends_inside_a_value_changes_nothing() -> None:
    """The stream's first read ends at every byte of the document in turn: inside a number
    (cut, "-12.5e" parses as -12.5), a name, a string. The reader sees each value whole, and
    streams the document to the report it gives read at once (`feedwright validate` hands it
    the stream after the head it sniffed; here the stream is read from its start)."""
    data = CASES["numbers"]
    uncut = check_json_stream(io.BytesIO(data), ContentChecks(), None, None)
    assert uncut == list(whole(data).issues)
    assert [at for at in range(1, len(data))
            if check_json_stream(Cut(data, at), ContentChecks(), None, None) != uncut] == []


def test_numbers_and_long_items_are_streamed_not_parsed_whole() -> None:
    for name in ("numbers", "a long item", "a UTF-8 BOM"):
        data = CASES[name]
        once = Trickle(data, 4096)
        validate_document(once)  # type: ignore[arg-type]
        assert once.handed == len(data), name


def test_a_feed_is_read_once_when_it_streams_and_again_when_it_cannot() -> None:
    data = CASES["fixtures"]
    once = Trickle(data, 4096)
    validate_document(once)  # type: ignore[arg-type]
    assert once.handed == len(data)
    for name in ("version after the items", "NaN"):
        late = CASES[name]
        again = Trickle(late, 4096)
        validate_document(again)  # type: ignore[arg-type]
        assert again.handed > len(late), name


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("size", [1, 7, 4096])
def test_nan_and_infinity_are_not_json(constant: str, size: int) -> None:
    """RFC 8259 (6) has no NaN or Infinity (JSON.parse throws), though Python's json reads
    them: not well-formed, at the constant's line and column, streamed or whole; the same
    words in a string before it are no constant."""
    data = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "NaN \\"Infinity\\"",\n'
            b' "items": [{"id": "1", "content_text": "-Infinity", "x": [1, '
            + constant.encode() + b"]}]}")
    for report in (whole(data), streamed(data, size)):
        assert [(f.rule, f.line, f.column) for f in report.issues] == [
            ("json-wellformed", 2, 62)], report.issues
        assert f"{constant} is not a JSON value" in report.issues[0].message


def test_a_big_json_feed_is_checked_in_bounded_memory(tmp_path: Path) -> None:
    """`feedwright validate` of a 20 MB JSON Feed: the process grows by a small part of the
    document, where parsing it whole took about three times its size."""
    code, growth, size_mb = growth_mb(tmp_path, "json")
    assert code == 0
    assert growth < size_mb / 4, (growth, size_mb)
