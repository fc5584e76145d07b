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

ijson (yajl's C parser) reads the stream. What it cannot tell the way `json` would (a document
that is not well-formed JSON, or not UTF-8, and so json's message and position), or a feed whose
`version` comes after its items (the item schema depends on it) or that names a member twice,
is handed back to the whole-document path: `Unstreamable`, after which the caller parses the
document whole from where it started.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, Protocol

import fastjsonschema
import ijson

from feedwright.errors import FeedwrightError
from feedwright.validate import history
from feedwright.validate.content import ContentChecks
from feedwright.validate.jsonfeed import (
    VERSION_1_0,
    VERSION_1_1,
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
    events = _events(stream, progress, size)
    try:
        return _check(events, content)
    except (ijson.JSONError, UnicodeDecodeError, RecursionError, ValueError,
            StopIteration) as exc:
        raise Unstreamable(str(exc)) from None


def _events(stream: Readable, progress: Progress | None,
            size: int | None) -> Iterator[tuple[str, Any]]:
    """The parser's events, the bar moving by bytes read ("bytes", read, size)."""
    if not (progress and size):
        events: Iterator[tuple[str, Any]] = ijson.basic_parse(stream, use_float=True)
        return events
    step = max(1, size // _PROGRESS_STEPS)
    counted = _Counted(stream, lambda done: progress("bytes", min(done, size), size), step)
    progress("bytes", 0, size)
    return _finishing(ijson.basic_parse(counted, use_float=True), lambda: progress(
        "bytes", size, size))


def _finishing(events: Iterator[tuple[str, Any]], done: Callable[[], None]
               ) -> Iterator[tuple[str, Any]]:
    yield from events
    done()


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


def _check(events: Iterator[tuple[str, Any]], content: ContentChecks) -> list[Issue] | None:
    event, value = next(events)
    if event != "start_map":  # JSON, but not an object: not a feed (once it is all read)
        for _ in events:  # read to the end (ijson raises if it is not JSON), building nothing
            pass
        return None
    feed: dict[str, Any] = {}
    streamed: _Items | None = None
    for event, key in events:
        if event == "end_map":
            break
        if key in feed:
            raise Unstreamable(f"the member {key!r} appears twice")
        event, value = next(events)
        if key == "items" and event == "start_array" and isinstance(feed.get("version"), str):
            streamed = _Items(feed["version"], content)
            streamed.read(events)
            feed["items"] = []  # the feed's own schema and rules see an empty list
        elif key == "items" and event == "start_array":
            raise Unstreamable("the items come before the version")
        else:
            feed[key] = _value(event, value, events)
    _end(events)
    if not _looks_like_json_feed(feed):
        return None
    if streamed is None:  # no item array to stream: the feed is all there is
        return check_json(None, feed, content)
    return _schema_issues(feed, streamed) + feed_rule_issues(feed) + streamed.rules + \
        history.check_json(feed, streamed.ids)


def _end(events: Iterator[tuple[str, Any]]) -> None:
    """The parser has nothing after the top value (ijson raises on trailing data)."""
    for _ in events:
        raise Unstreamable("data after the document")


_CONTAINERS = {"start_map": dict, "start_array": list}
_ENDS = {"end_map", "end_array"}


def _value(event: str, value: Any, events: Iterator[tuple[str, Any]]) -> Any:
    """One JSON value from its first event on, built as json.loads builds it (a member named
    twice in an object keeps its last value)."""
    if event not in _CONTAINERS:
        return value
    root: Any = _CONTAINERS[event]()
    stack: list[Any] = [root]
    key: Any = None  # an object's next member; after a nested value, a map_key comes first
    for event, value in events:
        if event == "map_key":
            key = value
        elif event in _ENDS:
            stack.pop()
            if not stack:
                return root
        else:
            top = stack[-1]
            made = _CONTAINERS[event]() if event in _CONTAINERS else value
            if type(top) is dict:
                top[key] = made
            else:
                top.append(made)
            if event in _CONTAINERS:
                stack.append(made)
    raise Unstreamable("the document ends inside a value")


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

    def read(self, events: Iterator[tuple[str, Any]]) -> None:
        for index in itertools.count():
            event, value = next(events, ("", None))
            if event == "end_array":
                return
            if not event:
                raise Unstreamable("the document ends inside the items")
            self.check(index, _value(event, value, events))

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
