"""Writing an XML document as text, in the exact bytes lxml's `tostring(pretty_print=True,
encoding="UTF-8", xml_declaration=True)` gives for the same tree.

Why not lxml: an RSS or Atom document of 10,000 entries is 370,000 elements, and building them
cost more than three quarters of the emit (issue 12). Our documents have a fixed shape, so the
emitters write each element's text once, here, with lxml's escaping and indentation rules:

- text: `&`, `<`, `>` and carriage return are escaped (`&amp;`, `&lt;`, `&gt;`, `&#13;`);
- attribute values: those and `"`, newline and tab too (`&quot;`, `&#10;`, `&#9;`);
- an element with child elements puts each child on a line of its own, indented two spaces a
  level; an element with text (even empty text) is written on one line; one with neither is
  `<tag/>`. Our documents never mix text and child elements.

tests/test_emit_bytes.py compares every document with what the lxml tree of the earlier
emitters gave (tests/oracle/), for arbitrary entries; tests/test_escaping.py reads every field
back through real clients.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from feedwright.emit.common import EmitError, joined

Attrs = Iterable[tuple[str, str]]

# Bytes XML 1.0 cannot hold in UTF-8 text (C0 controls but tab, newline and carriage return):
# deleted by `_XML_SAFE`, so a document that shrinks held one. Every other character UTF-8 can
# encode is allowed but U+FFFE and U+FFFF (their UTF-8 bytes are searched for) and lone
# surrogates (which UTF-8 refuses to encode).
_CONTROL_BYTES = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")


class XmlCharacterError(EmitError):
    """A value holds a character XML cannot carry (lxml refused the same values)."""


def escape_text(text: str) -> str:
    """Element text as libxml2 writes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attribute(value: str) -> str:
    """An attribute value as libxml2 writes it (in double quotes)."""
    value = escape_text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#9;")
    return value


def attributes(attrs: Attrs) -> str:
    return "".join([f' {name}="{escape_attribute(value)}"' for name, value in attrs])


_INDENTS = tuple("  " * depth for depth in range(32))


class XmlWriter:
    """Appends a document's elements, depth first, as pretty-printed text.

    `leaf` writes an element with text (or none); `open` / `close` one with child elements, and
    `close` turns an element that got no children into `<tag/>`. `fragment` starts a writer at
    this one's depth whose text can be placed later (feed-level parts whose order is settled
    after they are made). Called some 400,000 times for a 10,000-entry feed, so kept lean."""

    def __init__(self, depth: int = 0) -> None:
        self.parts: list[str] = []
        self._depth = depth
        self._indent = _INDENTS[depth]
        self._open: list[tuple[str, str, int]] = []  # (tag, start tag without '>', position)

    def leaf(self, tag: str, text: str | None = None, attrs: Attrs = ()) -> None:
        head = f"{self._indent}<{tag}{attributes(attrs)}" if attrs else f"{self._indent}<{tag}"
        if text is None:
            self.parts.append(f"{head}/>\n")
        else:
            self.parts.append(f"{head}>{escape_text(text)}</{tag}>\n")

    def open(self, tag: str, attrs: Attrs = ()) -> None:
        head = f"{self._indent}<{tag}{attributes(attrs)}" if attrs else f"{self._indent}<{tag}"
        self._open.append((tag, head, len(self.parts)))
        self.parts.append(f"{head}>\n")
        self._depth += 1
        self._indent = _INDENTS[self._depth]

    def close(self) -> None:
        tag, head, position = self._open.pop()
        self._depth -= 1
        self._indent = _INDENTS[self._depth]
        if len(self.parts) == position + 1:
            self.parts[position] = f"{head}/>\n"
        else:
            self.parts.append(f"{self._indent}</{tag}>\n")

    @property
    def depth(self) -> int:
        """How deep the next element stands (0: the root)."""
        return self._depth

    # The attribution record writes its text itself (attribution.write_xml), escaped as here.
    escape_text = staticmethod(escape_text)
    escape_attribute = staticmethod(escape_attribute)

    def fragment(self) -> XmlWriter:
        return XmlWriter(self._depth)

    def text(self) -> str:
        return "".join(self.parts)

    def raw(self, text: str) -> None:
        """Text already written (a fragment's)."""
        self.parts.append(text)


#: Where a document's entries go when they were written already (Written): never in our text,
#: since XML cannot carry its NUL characters (a value holding them is refused anyway).
SPLICE = "\x00entries\x00"


def document(writer: XmlWriter, stylesheet: str | None = None,
             entries: Sequence[bytes] | None = None) -> bytes:
    """The declaration, the stylesheet processing instruction when there is one, then the
    writer's text (the root element), as UTF-8 bytes; `entries` (bytes written already) where
    the writer has SPLICE. Raises XmlCharacterError for a character XML cannot hold."""
    prolog = "<?xml version='1.0' encoding='UTF-8'?>\n"
    if stylesheet:
        # Before the root: a browser that still runs XSLT shows the document readable; feed
        # readers ignore processing instructions.
        quoted = stylesheet.replace("&", "&amp;").replace('"', "&quot;")
        if "?>" in quoted:
            raise XmlCharacterError(f"stylesheet {stylesheet!r}: '?>' would end its processing "
                                    "instruction")
        prolog += f'<?xml-stylesheet type="text/xsl" href="{quoted}"?>\n'
    writer.parts.insert(0, prolog)
    text = writer.text()
    if entries is None:
        return encoded(text)
    head, splice, tail = text.partition(SPLICE)
    if not splice or SPLICE in tail:
        return encoded(text)  # a value held NUL characters: refused, naming where
    start = encoded(head)
    try:
        end = encoded(tail)
    except XmlCharacterError:  # named again, its line counted over the document
        end = encoded(tail, head.count("\n") + sum(e.count(b"\n") for e in entries))
    return joined(start, entries, end)



#: Characters encoded and checked at a time: a whole document's text encoded at once, then
#: copied again to look for control bytes, made two more ~90 MB copies in fresh memory; in
#: pieces that stay in the CPU's cache, encoding and checking 86 MB took 0.10 s, not 0.17.
_ENCODE_PIECE = 1 << 16


def encoded(text: str, lines_before: int = 0) -> bytes:
    """Text as UTF-8, refused (XmlCharacterError naming its line, counted after
    `lines_before`) if it holds a character XML cannot."""
    if len(text) <= _ENCODE_PIECE:
        data = _xml_bytes(text)
        if data is None:
            raise XmlCharacterError(_unwritable_in(text, lines_before))
        return data
    out = io.BytesIO()
    for start in range(0, len(text), _ENCODE_PIECE):
        # a piece ends between code points, so no character's bytes are split between two
        piece = _xml_bytes(text[start:start + _ENCODE_PIECE])
        if piece is None:
            raise XmlCharacterError(_unwritable_in(text, lines_before))
        out.write(piece)
    return out.getvalue()


def _xml_bytes(text: str) -> bytes | None:
    """Text as UTF-8; None if it holds a character XML cannot."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    # U+FFFE and U+FFFF are EF BF BE / EF BF BF; EF BF itself is rare (U+F000 to U+FFFF)
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or (
            b"\xef\xbf" in data and any(bad in data for bad in _NONCHARACTERS)):
        return None
    return data


def _unwritable_in(text: str, lines_before: int) -> str:
    """The message naming a character of text XML cannot hold: the first UTF-8 cannot encode
    (a lone surrogate), else the first XML refuses."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return _unwritable(text, exc.start, lines_before)
    return _unwritable(text, next(i for i, c in enumerate(text) if _not_xml(c)), lines_before)


def _not_xml(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 and char not in "\t\n\r") or code in (0xFFFE, 0xFFFF)


def _unwritable(text: str, at: int, lines_before: int = 0) -> str:
    """Names the character and where it stands (the document text around it)."""
    line = lines_before + text.count("\n", 0, at) + 1
    near = text[max(0, at - 60):at].rsplit("\n", 1)[-1]
    return (f"line {line}: a value holds U+{ord(text[at]):04X}, which XML cannot carry (after "
            f"{near!r})")
