"""The attribution record: one declaration, two encodings, written and read by the same code.

The record is what a feed format cannot carry natively, so that an entry written and read again
is the same entry: every credit (role, target, raw text, on whose behalf), every piece of media
(with or without a url), rights with holder and licence url, the dateline, the language, and each
date with where it came from. RSS and Atom carry it as `<fw:attribution>` in the project
namespace; JSON Feed as each item's `_feedwright` object.

Each part of the record is a `Shape`: the model class it builds and its `Field`s, each naming the
model attribute, its XML name (an attribute, a child element, or the element's text) and its JSON
key. `write_xml` / `from_xml` and `to_json` / `from_json` walk the same shapes, so the writer and
the reader cannot disagree on a name. A field is left out when it is empty (None, "", False, no
items) unless it is marked `always`; reading, a missing field takes the model's default.

Reading never fails on a value it cannot use (a role or kind from a newer version, a bad date):
that part is skipped and a warning says what and where, so one odd credit does not reject a feed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any, Protocol, cast

from lxml import etree

from feedwright.errors import FeedwrightError
from feedwright.formats import NS_FW, qname, rfc3339
from feedwright.model import (
    Agent,
    AgentKind,
    Credit,
    Entry,
    Media,
    MediaKind,
    Rights,
    Role,
    Timestamp,
)

XML_TAG = qname(NS_FW, "attribution")
XML_ELEMENT = "fw:attribution"  # as written, under the prefix the documents declare
JSON_KEY = "_feedwright"


class RecordValueError(FeedwrightError, ValueError):
    """A value in a record that does not fit its field (caught: it becomes a warning)."""


# --- scalar values: one way to text (XML) and one to JSON, and back ----------------------------


@dataclass(frozen=True)
class Scalar:
    to_text: Callable[[Any], str]
    from_text: Callable[[str], Any]
    to_json: Callable[[Any], object] = str
    from_json: Callable[[object], Any] | None = None  # None: a JSON string read as text
    is_text: bool = False  # the value is its own text (a str, or a StrEnum member): written as is

    def load_json(self, value: object) -> Any:
        if self.from_json is not None:
            return self.from_json(value)
        if not isinstance(value, str):
            raise RecordValueError(f"expected a string, got {value!r}")
        return self.from_text(value)


def _parse_rfc3339(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise RecordValueError(f"not an RFC 3339 date: {text!r}") from None
    if value.tzinfo is None:
        raise RecordValueError(f"a date without an offset: {text!r}")
    return value


def _parse_int(text: str) -> int:
    if not text.strip().isdigit():
        raise RecordValueError(f"not a whole number: {text!r}")
    return int(text)


def _json_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RecordValueError(f"not a whole number: {value!r}")
    return value


def _json_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise RecordValueError(f"not true or false: {value!r}")
    return value


def _enum(kind: type[StrEnum]) -> Scalar:
    def load(text: str) -> StrEnum:
        try:
            return kind(text)
        except ValueError:
            known = ", ".join(k.value for k in kind)
            raise RecordValueError(f"unknown {kind.__name__} {text!r} (known: {known})") from None

    return Scalar(str, load, is_text=True)  # a StrEnum member's str is its value


TEXT = Scalar(str, str, is_text=True)
INT = Scalar(str, _parse_int, int, _json_int)
FLAG = Scalar(lambda v: "true" if v else "false", lambda t: t == "true", bool, _json_bool)
DATE = Scalar(rfc3339, _parse_rfc3339, to_json=rfc3339)  # T between day and time, as in XML


# --- shapes: the record's parts and their fields -----------------------------------------------


class Place(Enum):
    """Where a field stands in XML (in JSON every field is a key)."""

    ATTRIBUTE = "attribute"
    CHILD = "child"  # a child element in our namespace: a value's text, or a part
    BODY = "body"  # the element's own text


ATTRIBUTE, CHILD, BODY = Place.ATTRIBUTE, Place.CHILD, Place.BODY


@dataclass(frozen=True)
class Field:
    attr: str  # the model attribute
    xml: str  # XML attribute or child element name; unused for BODY (the element's own text)
    json: str  # JSON key
    type: Scalar | Shape
    place: Place = ATTRIBUTE
    many: bool = False
    always: bool = False  # JSON: written even when empty (an empty list)
    required: bool = False  # reading: without it the part is skipped


@dataclass(frozen=True)
class Shape:
    name: str  # for messages
    make: Callable[..., Any]
    fields: tuple[Field, ...] = field(default_factory=tuple)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value is False or value == ()


AGENT = Shape(
    "agent",
    Agent,
    (
        Field("name", "", "name", TEXT, BODY, required=True),
        Field("kind", "kind", "kind", _enum(AgentKind)),
        Field("url", "url", "url", TEXT),
        Field("email", "email", "email", TEXT),
    ),
)

CREDIT = Shape(
    "credit",
    Credit,
    (
        Field("role", "role", "role", _enum(Role), required=True),
        Field("target", "target", "target", TEXT),
        Field("agent", "agent", "agent", AGENT, CHILD, required=True),
        Field("on_behalf_of", "onBehalfOf", "on_behalf_of", AGENT, CHILD),
        Field("raw", "raw", "raw", TEXT, CHILD),
    ),
)

#: A media's credits are not repeated here: they are the record's credits that target its id.
MEDIA = Shape(
    "media",
    Media,
    (
        Field("id", "id", "id", TEXT, required=True),
        Field("kind", "kind", "kind", _enum(MediaKind)),
        Field("url", "url", "url", TEXT),
        Field("mime_type", "type", "mime_type", TEXT),
        Field("size", "size", "size", INT),
        Field("caption", "caption", "caption", TEXT, CHILD),
        Field("alt", "alt", "alt", TEXT, CHILD),
    ),
)

RIGHTS = Shape(
    "rights",
    Rights,
    (
        Field("holder", "holder", "holder", AGENT, CHILD),
        Field("notice", "notice", "notice", TEXT, CHILD),
        Field("license_url", "license", "license", TEXT),
    ),
)

TIMESTAMP = Shape(
    "date",
    Timestamp,
    (
        Field("value", "", "value", DATE, BODY, required=True),
        Field("source", "source", "source", TEXT, required=True),
        Field("day_only", "dayOnly", "day_only", FLAG),
    ),
)


_ENTRY_FIELDS = frozenset(f.name for f in fields(Entry))


@dataclass(frozen=True)
class Record:
    """What an entry's record holds. Credits are all of the entry's, each with its target."""

    credits: tuple[Credit, ...] = ()
    media: tuple[Media, ...] = ()
    rights: Rights | None = None
    dateline: str | None = None
    published: Timestamp | None = None
    updated: Timestamp | None = None
    language: str | None = None
    # RSS and Atom hold something where an entry has no summary or no body (the title): these
    # say that what stands there is a stand-in, so the entry read back has none either
    figures: tuple[str, ...] = ()  # the media ids the body's figures show, in reading order
    without_summary: bool = False
    without_body: bool = False
    warnings: tuple[str, ...] = ()  # what reading it had to skip; never written

    @classmethod
    def of(cls, entry: Entry) -> Record:
        """The record of an entry: its fields of the same name, and what its body shows."""
        shared = {name: getattr(entry, name) for name in _RECORD_FROM_ENTRY}
        return cls(
            **shared,
            figures=tuple(b.media_id for b in entry.blocks if b.media_id is not None),
            without_summary=entry.summary is None,
            without_body=not entry.content_html,
        )

    def media_with_credits(self) -> tuple[Media, ...]:
        """The media, each holding the credits that target it (the model's shape)."""
        return tuple(
            replace(m, credits=tuple(c for c in self.credits if c.target == m.id))
            for m in self.media
        )


_RECORD_FROM_ENTRY = tuple(f.name for f in fields(Record) if f.name in _ENTRY_FIELDS)

RECORD = Shape(
    "attribution",
    Record,
    (
        Field("credits", "credit", "credits", CREDIT, CHILD, many=True, always=True),
        Field("media", "media", "media", MEDIA, CHILD, many=True),
        Field("rights", "rights", "rights", RIGHTS, CHILD),
        Field("dateline", "dateline", "dateline", TEXT, CHILD),
        Field("published", "published", "published", TIMESTAMP, CHILD),
        Field("updated", "updated", "updated", TIMESTAMP, CHILD),
        Field("language", "language", "language", TEXT, CHILD),
        Field("figures", "figure", "figures", TEXT, CHILD, many=True),
        Field("without_summary", "withoutSummary", "without_summary", FLAG),
        Field("without_body", "withoutBody", "without_body", FLAG),
    ),
)


# --- writing -----------------------------------------------------------------------------------


class XmlSink(Protocol):
    """Where `write_xml` puts the record: emit.xmlwriter.XmlWriter (the emitters' text writer),
    which says how deep the record stands, escapes as libxml2 does, and takes text as written."""

    @property
    def depth(self) -> int: ...

    def raw(self, text: str) -> None: ...

    def escape_text(self, text: str) -> str: ...

    def escape_attribute(self, value: str) -> str: ...


def write_xml(entry: Entry, sink: XmlSink) -> None:
    """`<fw:attribution>` for an RSS item or Atom entry (whose root declares the fw prefix),
    as pretty-printed text at the sink's depth: an element with text on one line, one with
    children with each on a line of its own, one with neither as `<tag/>`."""
    sink.raw("".join(xml_lines(Record.of(entry), sink.depth, sink.escape_text,
                               sink.escape_attribute)))


def xml_lines(record: Record, depth: int, text_of: Callable[[str], str],
              attribute_of: Callable[[str], str]) -> list[str]:
    """write_xml's text, line by line (each ends in a newline), the record's element at
    `depth`, escaped by `text_of` and `attribute_of`."""
    out: list[str] = []
    _xml_writer(RECORD)(out, depth, XML_ELEMENT, record, text_of, attribute_of)
    return out


#: Writes a part as pretty-printed XML lines: (out, depth, tag, value, text_of, attribute_of).
_XmlWriter = Callable[[list[str], int, str, Any, Callable[[str], str], Callable[[str], str]],
                      None]
_XML_WRITERS: dict[int, _XmlWriter] = {}  # by id(shape)

# A field is left out when empty (_empty), but 0 is a value.
_GIVEN = 'got or not (got is None or got == "" or got is False or got == ())'


def _xml_writer(shape: Shape) -> _XmlWriter:
    """The function writing a part of this shape as XML lines, made once from its fields, as
    _json_writer is: attributes in field order, then the element's text or its children in
    field order. Its text is made here, not through the sink's leaf/open/close: the record is
    about half of an RSS or Atom emit (some 160,000 parts for a 10,000-entry feed)."""
    writer = _XML_WRITERS.get(id(shape))
    if writer is not None:
        return writer
    names: dict[str, Any] = {}
    lines = ["def write(out, depth, tag, value, text_of, attribute_of):",
             '    indent = "  " * depth',
             '    head = f"{indent}<{tag}"',
             "    text = None"]
    children: list[tuple[int, Field]] = []
    for n, f in enumerate(shape.fields):
        scalar = f.type if isinstance(f.type, Scalar) else None
        if scalar is not None and not scalar.is_text:
            names[f"to_text{n}"] = scalar.to_text
        as_text = "{}" if scalar is None or scalar.is_text else f"to_text{n}({{}})"
        lines.append(f"    got = value.{f.attr}")
        if f.place is ATTRIBUTE:
            lines.append(f"    if {_GIVEN}:")
            lines.append(f"        head += ' {f.xml}=\"' + attribute_of({as_text.format('got')})"
                         " + '\"'")
        elif f.place is BODY:
            lines.append(f"    if {_GIVEN}:")
            lines.append(f"        text = {as_text.format('got')}")
        else:
            lines.append(f"    child{n} = got if {_GIVEN} else None")
            children.append((n, f))
    # the element with its text or nothing: always, for a shape without children; else
    # when none of them is given
    leaf = 'out.append(f"{head}/>\\n" if text is None else f"{head}>{text_of(text)}</{tag}>\\n")'
    if not children:
        lines.append(f"    {leaf}")
    else:
        assert all(f.place is not BODY for f in shape.fields), \
            f"{shape.name}: a part with both text and children"  # no shape has one
        lines += [f"    if {' and '.join(f'child{n} is None' for n, _ in children)}:",
                  f"        {leaf}",
                  "        return",
                  '    out.append(f"{head}>\\n")',
                  '    inner = f"{indent}  "']
        for n, f in children:
            name = f"fw:{f.xml}"
            lines.append(f"    if child{n} is not None:")
            if f.many:
                lines.append(f"        for item in child{n}:")
            else:
                lines.append(f"        item = child{n}")
            pad = "            " if f.many else "        "
            if isinstance(f.type, Shape):
                names[f"part{n}"] = _xml_writer(f.type)
                lines.append(f"{pad}part{n}(out, depth + 1, {name!r}, item, text_of, "
                             "attribute_of)")
            else:
                as_text = "item" if f.type.is_text else f"to_text{n}(item)"
                lines.append(f'{pad}out.append(f"{{inner}}<{name}>{{text_of({as_text})}}'
                             f'</{name}>\\n")')
        lines.append('    out.append(f"{indent}</{tag}>\\n")')
    exec(compile("\n".join(lines), f"<attribution xml writer: {shape.name}>", "exec"), names)
    made: _XmlWriter = names["write"]
    _XML_WRITERS[id(shape)] = made
    return made


def to_json(entry: Entry) -> dict[str, object]:
    """The `_feedwright` object for a JSON Feed item."""
    out: dict[str, object] = {"about": NS_FW}
    out.update(_json_writer(RECORD)(Record.of(entry)))
    return out


def agent_json(agent: Agent) -> dict[str, object]:
    """An agent as the record writes one in JSON."""
    return _json_writer(AGENT)(agent)


_JSON_WRITERS: dict[int, Callable[[Any], dict[str, object]]] = {}  # by id(shape)


def _json_writer(shape: Shape) -> Callable[[Any], dict[str, object]]:
    """The function writing a part of this shape as JSON, made once from its fields: one
    statement a field, where a loop over the fields asking each how to write it took twice the
    time (the record is about half of a JSON Feed's emit)."""
    writer = _JSON_WRITERS.get(id(shape))
    if writer is not None:
        return writer
    names: dict[str, Any] = {}
    lines = ["def write(value):", "    out = {}"]
    for n, f in enumerate(shape.fields):
        scalar = f.type if isinstance(f.type, Scalar) else None
        if scalar is None:
            names[f"part{n}"] = _json_writer(cast(Shape, f.type))
            one = f"part{n}"
        elif scalar is TEXT:  # a str is its own JSON
            one = None
        else:
            names[f"to_json{n}"] = scalar.to_json
            one = f"to_json{n}"
        if one is None:
            written = "list(got)" if f.many else "got"
        else:
            written = f"[{one}(i) for i in got]" if f.many else f"{one}(got)"
        lines.append(f"    got = value.{f.attr}")
        if f.always:
            lines.append(f"    out[{f.json!r}] = {written}")
        else:
            lines.append(f"    if {_GIVEN}:")
            lines.append(f"        out[{f.json!r}] = {written}")
    lines.append("    return out")
    exec(compile("\n".join(lines), f"<attribution json writer: {shape.name}>", "exec"), names)
    made: Callable[[Any], dict[str, object]] = names["write"]
    _JSON_WRITERS[id(shape)] = made
    return made


# --- reading: one walker over the shapes, each encoding saying where a field's values are ------


class _Xml:
    """Where a field stands in an element: attribute, body text, or child elements."""

    @staticmethod
    def found(element: etree._Element, f: Field) -> list[Any]:
        if f.place is BODY:
            return [element.text] if element.text else []
        if f.place is ATTRIBUTE:
            value = element.get(f.xml)
            return [value] if value else []
        children = element.findall(qname(NS_FW, f.xml))
        if isinstance(f.type, Shape):
            return children
        return [c.text for c in children if c.text][: None if f.many else 1]

    @staticmethod
    def is_part(value: Any) -> bool:
        return isinstance(value, etree._Element)

    @staticmethod
    def load(f: Field, value: Any) -> Any:
        return _scalar(f).from_text(value)

    @staticmethod
    def where(where: str, f: Field, number: int | None) -> str:
        name = f"fw:{f.xml}" if f.place is CHILD else (f.xml or "text")
        return f"{where}/{name}" + (f"[{number}]" if number else "")


class _Json:
    """A field is a key; several values are a list."""

    @staticmethod
    def found(value: Mapping[str, Any], f: Field) -> list[Any]:
        got = value.get(f.json)
        if _empty(got) or got == []:
            return []
        return got if f.many and isinstance(got, list) else [got]

    @staticmethod
    def is_part(value: Any) -> bool:
        return isinstance(value, Mapping)

    @staticmethod
    def load(f: Field, value: Any) -> Any:
        return _scalar(f).load_json(value)

    @staticmethod
    def where(where: str, f: Field, number: int | None) -> str:
        return f"{where}.{f.json}" + (f"[{number}]" if number else "")


def from_xml(element: etree._Element) -> Record:
    """Read `<fw:attribution>` back. Skipped parts are named in the record's warnings."""
    return _read_record(element, _Xml, "fw:attribution")


def from_json(value: object) -> Record:
    """Read a `_feedwright` object back. Skipped parts are named in the record's warnings."""
    if not isinstance(value, Mapping):
        return Record(warnings=(f"_feedwright: not an object but {value!r}; left out",))
    return _read_record(value, _Json, "_feedwright")


def _read_record(node: Any, encoding: type[_Xml] | type[_Json], where: str) -> Record:
    warnings: list[str] = []
    record: Record = _read(node, RECORD, encoding, where, warnings)
    return replace(record, warnings=tuple(warnings))


def _read(
    node: Any, shape: Shape, encoding: type[_Xml] | type[_Json], where: str, warnings: list[str]
) -> Any:
    """One part: its fields' values, each read or named in `warnings`; None (and named) when a
    field it cannot be without is missing or unreadable."""
    values: dict[str, Any] = {}
    for f in shape.fields:
        found = encoding.found(node, f)
        items = []
        for number, raw in enumerate(found, start=1):
            here = encoding.where(where, f, number if f.many else None)
            part: Any = None
            if isinstance(f.type, Shape):
                if encoding.is_part(raw):
                    part = _read(raw, f.type, encoding, here, warnings)
                else:
                    warnings.append(f"{here}: not an object; left out")
            else:
                try:
                    part = encoding.load(f, raw)
                except RecordValueError as exc:
                    warnings.append(f"{here}: {exc}; left out")
            if part is not None:
                items.append(part)
        if items:
            values[f.attr] = tuple(items) if f.many else items[0]
        elif f.required:
            reason = "has none that can be read" if found else "is missing"
            warnings.append(f"{where}: its {encoding.where('', f, None)[1:]} {reason}; left out")
            return None
    return shape.make(**values)


def _scalar(f: Field) -> Scalar:
    assert isinstance(f.type, Scalar), f"{f.attr} is a part, not a value"
    return f.type
