"""JSON Feed 1.1 (and 1.0): the shipped JSON Schema, then the rules it cannot express.

Schema validation has two stages. fastjsonschema, compiled from the same schema file with the
same format checkers, answers "valid?" quickly; only an invalid document goes on to jsonschema,
which lists every error with its location. Both see the same formats, so they agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import Any, Final

import fastjsonschema
from jsonschema import (  # type: ignore[import-untyped]  # no stubs installed
    Draft7Validator,
    FormatChecker,
    ValidationError,
)

from feedwright.errors import FeedwrightError
from feedwright.validate import dates, history, values
from feedwright.validate.content import ContentChecks, check_undeclared
from feedwright.validate.report import Issue, Progress
from feedwright.validate.rules import issue

VERSION_1_1 = "https://jsonfeed.org/version/1.1"
VERSION_1_0 = "https://jsonfeed.org/version/1"
_FORMATS = ("uri", "date-time")
_PROGRESS_STEPS = 100  # calls to a progress callback per document, about


def whole_number(digits: str) -> int | float:
    """A JSON integer as json reads it; one longer than Python converts (int() refuses over
    4,300 digits by default, as their conversion takes quadratic time) as the float json makes
    of 1e999, for the checks need its type and sign, never its digits."""
    try:
        return int(digits)
    except ValueError:
        return float(digits)


class NonFinite(FeedwrightError, ValueError):
    """NaN, Infinity or -Infinity in the document, which Python's json reads and RFC 8259 (6)
    forbids: JSON.parse throws on them. Raised by DECODER, which cannot say where (json calls
    parse_constant with the name only): `parse` finds the place."""


def _non_finite(name: str) -> float:
    raise NonFinite(name)


#: How the whole document (parse) and its stream (validate.jsonstream) read JSON values.
DECODER: Final = json.JSONDecoder(parse_int=whole_number, parse_constant=_non_finite)
# A string, skipped, or a bare NaN / Infinity / -Infinity: where the first of these stands, the
# text before it is JSON (the scanner read it), so the strings found are the document's.
_STRING_OR_CONSTANT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(-?Infinity|NaN)')


def parse(data: bytes) -> Any:
    """The document as json.loads reads bytes (UTF-8, -16 or -32, by their first bytes), its
    values read by DECODER. Raises json.JSONDecodeError where json.loads would, and at the first
    NaN, Infinity or -Infinity, which json.loads reads and JSON does not allow."""
    text = data.decode(json.detect_encoding(data), "surrogatepass")
    try:
        return DECODER.decode(text)
    except NonFinite as exc:
        name, at = str(exc), 0
        for found in _STRING_OR_CONSTANT.finditer(text):
            if found[1] is not None:
                name, at = found[1], found.start()
                break
        raise json.JSONDecodeError(
            f"{name} is not a JSON value (RFC 8259 allows no NaN or Infinity; JSON.parse "
            "rejects it)", text, at) from None


@cache
def _schema(version: str) -> dict[str, Any]:
    """The shipped schema; fastjsonschema.compile rewrites its references in place."""
    return schema_file(version)


def schema_file(version: str) -> dict[str, Any]:
    """The shipped schema as the file has it, a new copy each call."""
    name = "jsonfeed-1.0.schema.json" if version == VERSION_1_0 else "jsonfeed-1.1.schema.json"
    text = resources.files("feedwright.validate").joinpath(f"schemas/{name}").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _format_checker() -> FormatChecker:
    return FormatChecker(_FORMATS)


@cache
def _fast_validator(version: str) -> Callable[[Any], Any]:
    checker = _format_checker()
    formats = {name: _conforms(checker, name) for name in _FORMATS}
    validator: Callable[[Any], Any] = fastjsonschema.compile(_schema(version), formats=formats)
    return validator


def _conforms(checker: FormatChecker, name: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return bool(checker.conforms(value, name))
    return check


@cache
def _full_validator(version: str) -> Draft7Validator:
    return Draft7Validator(_schema(version), format_checker=_format_checker())


def check_json(data: bytes | None, document: Any = None, content: ContentChecks | None = None,
               progress: Progress | None = None) -> list[Issue] | None:
    """Issues of a JSON Feed, or None if it is JSON but not a JSON Feed at all: `document` when
    given (the object `data` encodes), else `data` parsed."""
    if document is None:
        document = parse(data or b"")
    if not isinstance(document, dict) or not _looks_like_json_feed(document):
        return None
    version = document.get("version")
    found = _schema_issues(document, version if isinstance(version, str) else VERSION_1_1)
    found.extend(_rule_issues(document, content or ContentChecks(), progress))
    return found


def _looks_like_json_feed(document: dict[str, Any]) -> bool:
    version = document.get("version")
    return (isinstance(version, str) and "jsonfeed.org/version" in version) or "items" in document


def _schema_issues(document: dict[str, Any], version: str) -> list[Issue]:
    try:
        _fast_validator(version)(document)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    found = []
    for error in _full_validator(version).iter_errors(document):
        found.append(_map_error(error, document))
    return found


def _pointer(parts: Any) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts) \
        if parts else ""


def _map_error(error: ValidationError, document: dict[str, Any],
               item: tuple[int, Any] | None = None) -> Issue:
    """Format failures become the rule that owns the format; the rest are jsonfeed-schema.
    `item`: (index, item) when the error is of one item checked on its own (as it streamed
    past: validate.jsonstream), whose path is then that item's in the document."""
    path = list(error.absolute_path)
    if item is not None:
        path = ["items", item[0], *path]
        prefix = f"{_item_label(item[1], item[0])}: "
    else:
        prefix = _item_prefix(document, path)
    pointer = _pointer(path)
    if error.validator == "format" and isinstance(error.instance, str):
        problem = _format_problem(error.instance, str(error.validator_value), pointer)
        return issue(problem[0], f"{prefix}{pointer or '/'}: {problem[1]}", path=pointer)
    return issue("jsonfeed-schema", f"{prefix}{pointer or '/'}: {error.message}", path=pointer)


def _format_problem(value: str, fmt: str, pointer: str) -> values.Problem:
    if fmt == "date-time":
        return dates.check_rfc3339(value) or (
            "date-rfc3339", f"date {value!r} is not an RFC 3339 date-time")
    problem = values.check_url(value)
    if problem is None:
        problem = ("url-wellformed",
                   f"URL {value!r} is not an RFC 3986 URI; percent-encode non-ASCII characters")
    if pointer == "/feed_url" and problem[0] == "url-absolute":
        problem = ("self-link-relative", f"feed_url: {problem[1]}")
    return problem


def _item_prefix(document: dict[str, Any], path: list[Any]) -> str:
    if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
        items = document.get("items")
        if isinstance(items, list) and path[1] < len(items):
            return f"{_item_label(items[path[1]], path[1])}: "
    return ""


def _item_label(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ("id", "title", "url"):
            value = item.get(key)
            if isinstance(value, str | int) and str(value).strip():
                return f"item {str(value)!r}"
    return f"item {index + 1}"


def _rule_issues(document: dict[str, Any], content: ContentChecks,
                 progress: Progress | None) -> list[Issue]:
    found = feed_rule_issues(document)
    items = document.get("items")
    if isinstance(items, list):
        found.extend(_check_items(items, document.get("version") == VERSION_1_1, content,
                                  progress))
    found.extend(history.check_json(document))
    return found


def feed_rule_issues(document: dict[str, Any]) -> list[Issue]:
    """The rules of the feed itself, which come before its items'."""
    found: list[Issue] = []
    version = document.get("version")
    feed_url = document.get("feed_url")
    if feed_url is None:
        found.append(issue("self-link-missing",
                           "the feed has no feed_url giving its own URL", path="/feed_url"))
    next_url = document.get("next_url")
    if isinstance(next_url, str) and isinstance(feed_url, str) \
            and next_url.strip() == feed_url.strip():
        found.append(issue("jsonfeed-next-url",
                           "next_url is the feed's own feed_url; readers would loop. Point it at "
                           "the next page or drop it", path="/next_url"))
    if version == VERSION_1_1 and "author" in document:
        found.append(_deprecated_author("/author", ""))
    language = document.get("language")
    if isinstance(language, str):
        found.extend(_problem_issue(values.check_language(language), "/language", ""))
    return found


def _deprecated_author(pointer: str, prefix: str) -> Issue:
    return issue("jsonfeed-deprecated-author",
                 f"{prefix}'author' is JSON Feed 1.0; in 1.1 write 'authors': [{{...}}]",
                 path=pointer)


def _problem_issue(problem: values.Problem | None, pointer: str, prefix: str) -> Iterator[Issue]:
    if problem is not None:
        yield issue(problem[0], f"{prefix}{pointer}: {problem[1]}", path=pointer)


def _check_items(items: list[Any], v11: bool, content: ContentChecks,
                 progress: Progress | None) -> Iterator[Issue]:
    ids: dict[str, int] = {}
    step = max(1, len(items) // _PROGRESS_STEPS)
    if progress and items:
        progress("entries", 0, len(items))
    for index, item in enumerate(items):
        if progress and ((index + 1) % step == 0 or index + 1 == len(items)):
            progress("entries", index + 1, len(items))
        yield from check_item(item, index, v11, ids, content)


def check_item(item: Any, index: int, v11: bool, ids: dict[str, int],
               content: ContentChecks) -> Iterator[Issue]:
    """The rules of one item; `ids` (id -> index) holds the ids of the items before it."""
    if not isinstance(item, dict):
        return
    base = f"/items/{index}"
    prefix = f"{_item_label(item, index)}: "
    item_id = item.get("id")
    if isinstance(item_id, int | float) and not isinstance(item_id, bool):
        yield issue("jsonfeed-id-string",
                    f"{prefix}{base}/id: id {item_id!r} is a number; write it as a string",
                    path=f"{base}/id")
    if isinstance(item_id, str | int | float) and not isinstance(item_id, bool):
        key = str(item_id)
        if key in ids:
            yield issue("id-unique",
                        f"{prefix}{base}/id: id {key!r} is also used by item {ids[key] + 1}",
                        path=f"{base}/id")
        else:
            ids[key] = index
    if v11 and "author" in item:
        yield _deprecated_author(f"{base}/author", prefix)
    yield from _check_item_values(item, base, prefix, content)


def _check_item_values(item: dict[str, Any], base: str, prefix: str,
                       content: ContentChecks) -> Iterator[Issue]:
    html = item.get("content_html")
    if isinstance(html, str):
        for problem in content.check_html(html):
            yield from _problem_issue(problem, f"{base}/content_html", prefix)
    text = item.get("content_text")
    if isinstance(text, str):
        yield from _problem_issue(check_undeclared(text), f"{base}/content_text", prefix)
    language = item.get("language")
    if isinstance(language, str):
        yield from _problem_issue(values.check_language(language), f"{base}/language", prefix)
    attachments = item.get("attachments")
    if isinstance(attachments, list):
        for position, attachment in enumerate(attachments):
            mime = attachment.get("mime_type") if isinstance(attachment, dict) else None
            if isinstance(mime, str):
                yield from _problem_issue(values.check_mime(mime),
                                          f"{base}/attachments/{position}/mime_type", prefix)
    published, modified = item.get("date_published"), item.get("date_modified")
    if isinstance(published, str) and isinstance(modified, str):
        first, last = dates.parse_rfc3339(published), dates.parse_rfc3339(modified)
        if first is not None and last is not None and last < first:
            yield issue("date-order",
                        f"{prefix}{base}/date_modified: {modified!r} is before date_published "
                        f"{published!r}", path=f"{base}/date_modified")
