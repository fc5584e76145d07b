"""A JSON Feed read from a stream, checked item by item as it is parsed (issue 12): memory holds
the feed's own members and one item at a time, whatever the document's size.

The report is the one `jsonfeed.check_json` gives for the whole document, in the same order:

- schema: the feed without its items, then each item against the schema's item definition.
  The schema says nothing of `items` but "an array of #/definitions/item" (checked when the
  schema is loaded), so the document is valid exactly when those parts are. When a part is not,
  jsonschema lists its errors, and the items' errors go where a walk of the whole document puts
  them: at the `items` property, in the order of the schema's keywords and properties.
- rules: the feed's, then each item's as it passed, then the archive and tombstone checks
  (which need only the items' ids).

json's own scanner reads the values (`JSONDecoder.raw_decode`, the C code json.loads runs), one
at a time from text decoded 128 KiB at a time, so each is what json.loads would make of it;
only the structure between them (braces, brackets, colons, commas) is read here. Items built in
Python from a C parser's events (ijson) took longer: 0.29 against 0.22 s for the 10,000 items
of the benchmark's 77 MB document (its whole check: 0.68 against 0.60 s). What this reading
cannot tell the way `json` would (a document that is not well-formed JSON, not UTF-8, or not
an object that ends where the text does), or a feed whose `version` comes after its items (the
item schema depends on it) or that names a member twice, is handed back to the whole-document
path: `Unstreamable`, after which the caller parses the document whole from where it started.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, Protocol

import fastjsonschema

from feedwright.errors import FeedwrightError
from feedwright.validate import history
from feedwright.validate.content import ContentChecks
from feedwright.validate.jsonfeed import (
    DECODER,
    VERSION_1_0,
    VERSION_1_1,
    NonFinite,
    _fast_validator,
    _format_checker,
    _full_validator,
    _looks_like_json_feed,
    _map_error,
    _schema,
    check_item,
    check_json,
    feed_rule_issues,
    schema_file,
)
from feedwright.validate.report import Issue, Progress

_PROGRESS_STEPS = 100
_ITEMS_SCHEMA = {"type": "array", "items": {"$ref": "#/definitions/item"}}


class Readable(Protocol):
    def read(self, size: int = -1) -> bytes: ...


class Unstreamable(FeedwrightError):
    """The document must be parsed whole for its report (see the module docstring)."""


def check_json_stream(stream: Readable, content: ContentChecks, progress: Progress | None,
                      size: int | None) -> list[Issue] | None:
    """`jsonfeed.check_json` of the document `stream` holds, read once; None when it is JSON
    but not a JSON Feed. Raises Unstreamable (see above)."""
    if progress and size:
        step = max(1, size // _PROGRESS_STEPS)
        stream = _Counted(stream, lambda done: progress("bytes", min(done, size), size), step)
        progress("bytes", 0, size)
    try:
        # (a bar moves about a hundred times through the document, not once a piece)
        piece = min(_PIECE, max(4096, size // _PROGRESS_STEPS)) if progress and size else _PIECE
        found = _check(_Text(stream, piece), content)
    except (json.JSONDecodeError, NonFinite, UnicodeDecodeError, RecursionError) as exc:
        # (NonFinite: the whole-document parse says where the NaN or Infinity stands)
        raise Unstreamable(str(exc)) from None
    if progress and size:
        progress("bytes", size, size)
    return found


class _Counted:
    """A stream that tells `heard` how much has been read, every `step` bytes or so."""

    def __init__(self, stream: Readable, heard: Callable[[int], None], step: int) -> None:
        self._stream, self._heard, self._step = stream, heard, step
        self._done = self._reported = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._done += len(data)
        if self._done // self._step > self._reported:
            self._reported = self._done // self._step
            self._heard(self._done)
        return data


_PIECE = 1 << 17  # bytes read at a time (more when one value is longer)
_WHITESPACE = re.compile(r"[ \t\n\r]*")  # json's own (json.decoder.WHITESPACE)
_decode = DECODER.raw_decode
#: A value ends for good this many characters before the end of the text read so far: a number
#: cut short by a piece's end still parses ("1.5e+1" cut after "1.5e+" reads as 1.5).
_SETTLED = 3


class _Text:
    """The document's text, read a piece at a time and held from the next value on: bounded
    memory, whatever the document's size, unless one value is that big."""

    def __init__(self, stream: Readable, piece: int = _PIECE) -> None:
        self._stream, self._piece = stream, piece
        # as json.loads decodes bytes: UTF-8, a BOM before it dropped, lone surrogates kept
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")("surrogatepass")
        self._text = ""
        self._at = 0
        self._first = True
        self.ended = False

    def peek(self) -> str:
        """The next character after whitespace ("" at the end of the document)."""
        while True:
            self._at = _WHITESPACE.match(self._text, self._at).end()  # type: ignore[union-attr]
            if self._at < len(self._text):
                return self._text[self._at]
            if not self._more():
                return ""

    def take(self) -> str:
        """The next character after whitespace, read past ("" at the end)."""
        found = self.peek()
        self._at += len(found)
        return found

    def value(self) -> Any:
        """The JSON value that starts at the next character, as json.loads makes it. Raises
        json.JSONDecodeError when the document ends before a value does, or none starts here."""
        while True:
            self._at = _WHITESPACE.match(self._text, self._at).end()  # type: ignore[union-attr]
            try:
                found, end = _decode(self._text, self._at)
            except json.JSONDecodeError:
                if self._more(self._held()):  # perhaps cut short by the end of the text read
                    continue
                raise
            if end + _SETTLED <= len(self._text) or self.ended:
                self._at = end
                return found
            self._more(self._held())  # (which moves the text held: parsed again)

    def _held(self) -> int:
        """As much again as is held (a byte at least): a value longer than the text read is
        parsed a few times over, not once more for every piece read."""
        return max(1, len(self._text) - self._at)

    def _more(self, at_least: int = 1) -> bool:
        """Read on, a piece or until `at_least` bytes more have come; False at the end."""
        pieces: list[bytes] = []
        got = 0
        while got < at_least and not self.ended:
            data = self._stream.read(max(self._piece, at_least - got))
            if self._first and data:  # UTF-16 and UTF-32, which json.loads reads: parsed whole
                self._first = False
                if json.detect_encoding(data[:4]) not in ("utf-8", "utf-8-sig"):
                    raise Unstreamable("not UTF-8")
            self.ended = not data
            pieces.append(data)
            got += len(data)
        self._text = self._text[self._at:] + self._decoder.decode(b"".join(pieces),
                                                                  final=self.ended)
        self._at = 0
        return got > 0


def _check(text: _Text, content: ContentChecks) -> list[Issue] | None:
    if text.peek() != "{":  # JSON, but not an object: not a feed (once it is all read)
        _read_through(text)
        return None
    text.take()
    feed: dict[str, Any] = {}
    streamed: _Items | None = None
    for key in _members(text):
        if key in feed:
            raise Unstreamable(f"the member {key!r} appears twice")
        if key == "items" and text.peek() == "[":
            if not isinstance(feed.get("version"), str):
                raise Unstreamable("the items come before the version")
            text.take()
            streamed = _Items(feed["version"], content)
            streamed.read(_elements(text))
            feed["items"] = []  # the feed's own schema and rules see an empty list
        else:
            feed[key] = text.value()
    _end(text)
    if not _looks_like_json_feed(feed):
        return None
    if streamed is None:  # no item array to stream: the feed is all there is
        return check_json(None, feed, content)
    return _schema_issues(feed, streamed) + feed_rule_issues(feed) + streamed.rules + \
        history.check_json(feed, streamed.ids)


def _read_through(text: _Text) -> None:
    """Read a document that is not an object to its end, holding one element of an array at a
    time (raises json.JSONDecodeError or Unstreamable when it is not JSON)."""
    if text.peek() == "[":
        text.take()
        for _ in _elements(text):
            pass
    else:
        text.value()
    _end(text)


def _members(text: _Text) -> Iterator[str]:
    """The keys of the object whose "{" was just read, each given when the reader is at its
    value (which the caller reads)."""
    if text.peek() == "}":
        text.take()
        return
    while True:
        if text.peek() != '"':
            raise Unstreamable("a member whose name is not a string")
        key: str = text.value()
        if text.take() != ":":
            raise Unstreamable("a member name without a colon")
        yield key
        separator = text.take()
        if separator == "}":
            return
        if separator != ",":
            raise Unstreamable("an object's members not separated by commas")


def _elements(text: _Text) -> Iterator[Any]:
    """The values of the array whose "[" was just read, each as it is parsed."""
    if text.peek() == "]":
        text.take()
        return
    while True:
        yield text.value()
        separator = text.take()
        if separator == "]":
            return
        if separator != ",":
            raise Unstreamable("an array's values not separated by commas")


def _end(text: _Text) -> None:
    """Nothing but whitespace after the top value."""
    if text.take():
        raise Unstreamable("data after the document")


class _Items:
    """The items, each checked as it ends and then dropped: its schema errors (jsonschema's,
    when the fast validator refuses it), its rules, and its id."""

    def __init__(self, version: str, content: ContentChecks) -> None:
        self.version = version if version == VERSION_1_0 else VERSION_1_1
        self.v11 = version == VERSION_1_1
        self.content = content
        self.fast = _fast_item_validator(self.version)
        self.schema: list[Issue] = []
        self.valid = True
        self.rules: list[Issue] = []
        self.ids: set[str] = set()
        self._first_ids: dict[str, int] = {}

    def read(self, items: Iterator[Any]) -> None:
        for index, item in enumerate(items):
            self.check(index, item)

    def check(self, index: int, item: Any) -> None:
        try:
            self.fast(item)
        except fastjsonschema.JsonSchemaException:
            self.valid = False
            self.schema.extend(_map_error(error, {}, (index, item))
                               for error in _full_item_validator(self.version).iter_errors(item))
        self.rules.extend(check_item(item, index, self.v11, self._first_ids, self.content))
        if isinstance(item, dict):
            self.ids.add(str(item.get("id")))


def _schema_issues(feed: dict[str, Any], items: _Items) -> list[Issue]:
    """The schema errors of the whole document: the feed's own (its items an empty list),
    with the items' put in at the `items` property."""
    try:
        _fast_validator(items.version)(feed)
        if items.valid:
            return []
    except fastjsonschema.JsonSchemaException:
        pass
    schema = _schema(items.version)
    keywords = list(schema)
    properties = list(schema["properties"])

    def after_items(error: Any) -> bool:
        where = list(error.schema_path)
        if where[0] != "properties":
            return keywords.index(where[0]) > keywords.index("properties")
        return properties.index(where[1]) > properties.index("items")

    found: list[Issue] = []
    placed = False
    for error in _full_validator(items.version).iter_errors(feed):
        if not placed and after_items(error):
            found.extend(items.schema)
            placed = True
        found.append(_map_error(error, feed))
    return found if placed else found + items.schema


@cache
def _item_schema(version: str) -> dict[str, Any]:
    """The schema's item definition as a schema of its own (its references resolve the same),
    from a copy of the file of its own: compiling a schema rewrites it."""
    schema = schema_file(version)
    if schema["properties"].get("items") != _ITEMS_SCHEMA:  # what the module docstring relies on
        raise AssertionError(f"the JSON Feed schema's items are not {_ITEMS_SCHEMA}")
    # under the schema's own $id and definitions, so that references resolve as in the whole
    # schema (in draft-07 a $ref beside them would make them ignored: hence allOf, which
    # passes each error of its one schema on as it is)
    return {key: schema[key] for key in ("$schema", "$id", "definitions")} | {
        "allOf": [{"$ref": "#/definitions/item"}]}


@cache
def _fast_item_validator(version: str) -> Callable[[Any], Any]:
    from feedwright.validate.jsonfeed import _conforms

    checker = _format_checker()
    formats = {name: _conforms(checker, name) for name in ("uri", "date-time")}
    validator: Callable[[Any], Any] = fastjsonschema.compile(_item_schema(version),
                                                             formats=formats)
    return validator


@cache
def _full_item_validator(version: str) -> Any:
    from jsonschema import Draft7Validator  # type: ignore[import-untyped]  # no stubs installed

    return Draft7Validator(_item_schema(version), format_checker=_format_checker())
