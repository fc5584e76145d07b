"""validate_document: detect the format, parse once (RSS and Atom as a stream, entry by entry),
apply the schema and the rules."""

from __future__ import annotations

import codecs
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, Final, cast

from lxml import etree

from feedwright.formats import FORMATS as FORMATS
from feedwright.validate.atom import AtomCheck
from feedwright.validate.content import ContentChecks
from feedwright.validate.jsonfeed import check_json
from feedwright.validate.jsonstream import Unstreamable, check_json_stream
from feedwright.validate.report import Issue, Progress, Report
from feedwright.validate.rss import RssCheck
from feedwright.validate.rules import issue
from feedwright.validate.xmlcommon import NS_ATOM, PARSER_OPTIONS, DocumentCheck, line_of

_NAMES = {"rss": "RSS 2.0", "atom": "Atom 1.0", "json": "JSON Feed"}
# The first tag that is not a declaration, comment, processing instruction or end tag: its
# prefix, name and the rest up to ">" (each part a run of one character class: linear time).
_FIRST_TAG = re.compile(r"<(?![?!/])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^<>]*)")
_SNIFF_BYTES = 65536
# A progress callback hears of about this many steps per document, whatever its size, so a small
# document pays nothing and a huge one moves the bar without a call per entry.
_PROGRESS_STEPS = 100


def detect_format(data: bytes) -> str:
    """"rss", "atom", "json" or "unknown", from the first bytes (the document is not checked:
    an XML parser reads it only as far as the root element's start tag, however long the
    comments and DOCTYPE before it; the other tests look at the first 64 KiB)."""
    head = data[:_SNIFF_BYTES]
    text = _head_text(head).lstrip()
    if text.startswith("{") or (not text.startswith("<") and _json_head(head)):
        return "json"
    if not text.startswith("<"):
        return "unknown"
    root = _RootTag()
    for offset in range(0, len(data), _SNIFF_BYTES):
        if root.feed(data[offset:offset + _SNIFF_BYTES]):
            break
    if root.tag is None:
        # Not XML before or in the root's start tag (an unquoted attribute, a bad declaration;
        # or the document ends there): its first tag says what it means to be, and the
        # validator then says what is wrong with it.
        first = _FIRST_TAG.search(text)
        prefix, name, rest = (first[1], first[2], first[3]) if first else (None, "", "")
        if prefix is None and name == "rss":
            return "rss"
        declaration = f"xmlns:{prefix[:-1]}" if prefix else "xmlns"
        if name in ("feed", "entry") and re.search(
                rf"{declaration}\s*=\s*[\"']{re.escape(NS_ATOM)}[\"']", rest):
            return "atom"
        return "unknown"
    if root.tag == "rss":
        return "rss"
    if root.tag in (f"{{{NS_ATOM}}}feed", f"{{{NS_ATOM}}}entry"):
        return "atom"
    return "unknown"


class _RootTag:
    """The root element's tag ("{namespace}name"), as an XML parser reads it from bytes fed a
    piece at a time: past the declaration, comments, processing instructions and a DOCTYPE with
    its internal subset, as XML defines them (a pattern for them took exponential time on a
    92-byte DOCTYPE of empty brackets, and missed a ">" in a root attribute). `tag` stays None
    when the bytes before the start tag are not XML, or end before it."""

    def __init__(self) -> None:
        self.tag: str | None = None
        self._pull = etree.XMLPullParser(events=("start",), **PARSER_OPTIONS)
        self._done = False

    def feed(self, piece: bytes) -> bool:
        """Read on; True once the tag is known or the bytes are not XML (nothing more to read)."""
        if not self._done:
            try:
                self._pull.feed(piece)
            except etree.XMLSyntaxError:  # the events before the error still count
                self._done = True
            for _event, element in self._pull.read_events():
                self.tag, self._done = str(cast(etree._Element, element).tag), True
                break
        return self._done


def _json_head(head: bytes) -> bool:
    """Whether the bytes begin a JSON object in UTF-16 or UTF-32 without a BOM, which json
    tells by where the zero bytes are (RFC 8259 allows no BOM)."""
    encoding = json.detect_encoding(head)
    if encoding.replace("-sig", "") == "utf-8":
        return False
    usable = len(head) - len(head) % 4
    return head[:usable].decode(encoding, "replace").lstrip().startswith("{")


#: How an XML document's first bytes say its encoding (XML 1.0 Appendix F): a byte order mark
#: (UTF-32's before UTF-16's, which it begins with), or "<?" in UTF-16 or UTF-32 without one.
_XML_ENCODINGS: Final = (
    (codecs.BOM_UTF8, "utf-8", True), (codecs.BOM_UTF32_LE, "utf-32-le", True),
    (codecs.BOM_UTF32_BE, "utf-32-be", True), (codecs.BOM_UTF16_LE, "utf-16-le", True),
    (codecs.BOM_UTF16_BE, "utf-16-be", True), (b"\x00\x00\x00<", "utf-32-be", False),
    (b"<\x00\x00\x00", "utf-32-le", False), (b"\x00<\x00?", "utf-16-be", False),
    (b"<\x00?\x00", "utf-16-le", False))


def _head_text(head: bytes) -> str:
    for start, codec, is_bom in _XML_ENCODINGS:
        if head.startswith(start):
            text = head[len(start):] if is_bom else head
            width = 4 if "32" in codec else 2 if "16" in codec else 1
            return text[:len(text) - len(text) % width].decode(codec, "replace")
    return head.decode("utf-8", "replace")


def validate_document(data: bytes | BinaryIO, format: str | None = None,
                      progress: Progress | None = None, *, size: int | None = None,
                      content: ContentChecks | None = None,
                      document: dict[str, Any] | None = None) -> Report:
    """Check one document. Never raises on bad input: a broken document is an Issue.

    `data` is the document's bytes or a binary stream, read once from where it stands. A
    document is checked while it is parsed, entry by entry, so memory holds one entry at a time
    whatever its size; a JSON Feed that cannot be streamed (its version after its items, a
    member named twice, not UTF-8, not well-formed) is read again from where it started and
    parsed whole (validate.jsonstream).

    `progress` hears ("bytes", read, size) about a hundred times while a document is checked
    (`size`: a stream's length, when known), and ("entries", checked, total) for the items of
    a JSON Feed parsed whole; it changes nothing in the report. `content` checks html, and
    remembers: the documents of one feed share it, so html they share is checked once.
    `document` is the JSON Feed object that `data` encodes, when the caller has it (the emitter
    does): it is checked instead of the bytes being parsed again."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    total = len(data) if isinstance(data, bytes) else size
    start = stream.tell() if stream.seekable() else None
    head = _read_head(stream)
    fmt = format or detect_format(head)
    if fmt not in FORMATS:
        return Report("unknown", (issue("format-unknown", _describe_unknown(head)),))
    checks = content or ContentChecks()
    if fmt == "json" and (document is not None or start is None):
        # the object in hand, or a stream that cannot be read again should it have to be
        # parsed whole (jsonstream). Bytes in memory stream too: faster than json.loads and
        # the whole object (the benchmark's 77 MB: 0.59 against 0.71-0.76 s)
        issues = _validate_json(head + stream.read() if document is None else None, document,
                                checks, progress)
    elif fmt == "json":
        assert start is not None
        issues = _validate_json_stream(head, stream, start, checks, progress, total)
    else:
        issues = _validate_xml(_chunks(head, stream, total), fmt, progress, total, checks)
    if format is None and any(found.rule == "format-unknown" for found in issues):
        fmt = "unknown"  # detection guessed from the first bytes; the content said otherwise
    return Report(fmt, tuple(sorted(issues, key=_document_order)))


def _read_head(stream: BinaryIO) -> bytes:
    """The first bytes, for detect_format: 64 KiB, or for XML as far as the root element's
    start tag, should comments or a DOCTYPE run on past them (a stream may give fewer bytes
    than asked for a read)."""
    head = b""
    while len(head) < _SNIFF_BYTES and (more := stream.read(_SNIFF_BYTES - len(head))):
        head += more
    if not _head_text(head).lstrip().startswith("<"):
        return head
    root, pieces, more = _RootTag(), [head], head
    while more and not root.feed(more):
        more = stream.read(_SNIFF_BYTES)
        pieces.append(more)
    return b"".join(pieces)


def _chunks(head: bytes, stream: BinaryIO, total: int | None) -> Iterator[bytes]:
    """The document in pieces of about a hundredth of it (64 KiB to 1 MiB): small enough for the
    bar to move, large enough that feeding the parser costs nothing."""
    size = min(1 << 20, max(_SNIFF_BYTES, (total or 0) // 100))
    yield head
    while chunk := stream.read(size):
        yield chunk


def _document_order(found: Issue) -> tuple[int, int]:
    return (found.line if found.line is not None else 0, found.column or 0)


_CHECKED = "only RSS 2.0, Atom 1.0 and JSON Feed 1.1"
_NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_NS_RSS_1_0 = "http://purl.org/rss/1.0/"
_NS_RSS_0_90 = "http://my.netscape.com/rdf/simple/0.9/"
_NS_ATOM_0_3 = "http://purl.org/atom/ns#"
_NS_USERLAND = ("http://backend.userland.com/rss2", "http://backend.userland.com/rss")
# How far into the head the first children of an RDF root are looked for (its channel).
_CHILDREN_LOOKED_AT = 50


def _describe_unknown(data: bytes) -> str:
    """What the document is, as far as its first bytes tell: for XML its root element (and a
    legacy feed format it names), else the first characters."""
    text = _head_text(data[:200]).strip()
    if not text:
        return "the document is empty"
    if text.startswith("<"):
        found = _root_and_children(data)
        if found is not None:
            return _describe_root(*found)
    return ("the document is not RSS 2.0 (<rss>), Atom 1.0 (<feed> in the Atom namespace) or "
            f"JSON Feed; it starts {text[:40]!r}")


def _root_and_children(data: bytes) -> tuple[etree._Element, set[str]] | None:
    """The root element as its start tag gives it (its name and namespaces) and the tags of
    the children that start in `data` (a few dozen at most); None when `data` holds no root
    start tag that XML reads."""
    pull = etree.XMLPullParser(events=("start",), **PARSER_OPTIONS)
    root: etree._Element | None = None
    children: set[str] = set()

    def take() -> bool:
        """The start tags read so far; True once enough children are known."""
        nonlocal root
        for _event, element in pull.read_events():
            element = cast(etree._Element, element)
            if root is None:
                root = element
            elif element.getparent() is root:
                children.add(str(element.tag))
        return len(children) >= _CHILDREN_LOOKED_AT

    try:
        for offset in range(0, len(data), _SNIFF_BYTES):
            pull.feed(data[offset:offset + _SNIFF_BYTES])
            if take():
                break
    except etree.XMLSyntaxError:
        take()  # the events read before the error still count
    return None if root is None else (root, children)


def _describe_root(root: etree._Element, children: set[str]) -> str:
    qname = etree.QName(root)
    namespace, local = qname.namespace or "", qname.localname
    written = f"{root.prefix}:{local}" if root.prefix else local
    legacy: str | None = None
    if namespace == _NS_RDF and local == "RDF":
        if f"{{{_NS_RSS_1_0}}}channel" in children or (
                not children and _NS_RSS_1_0 in root.nsmap.values()):
            legacy = "RSS 1.0"
        elif f"{{{_NS_RSS_0_90}}}channel" in children or (
                not children and _NS_RSS_0_90 in root.nsmap.values()):
            legacy = "RSS 0.90"
    elif namespace == _NS_ATOM_0_3 and local == "feed":
        legacy = "Atom 0.3"
    elif namespace in _NS_USERLAND and local == "rss":
        return (f"RSS in the UserLand namespace (<{written}> in {namespace}) is not checked: "
                f"{_CHECKED}; RSS 2.0's <rss> is in no namespace")
    if legacy is not None:
        return f"{legacy} (<{written}>) is not checked: {_CHECKED}"
    where = f" in namespace {namespace}" if namespace else " in no namespace"
    hint = ""
    if local in ("feed", "entry") and namespace != NS_ATOM:
        hint = f"; Atom 1.0's <{local}> is in the namespace {NS_ATOM}"
    return (f"the root element is <{written}>{where}, which is not a feed format checked here: "
            f"{_CHECKED}{hint}")


_CHECKS: dict[str, Callable[[etree._Element, ContentChecks], DocumentCheck]] = {
    "rss": RssCheck, "atom": AtomCheck}
_ENTRY_TAGS = {"rss": "item", "atom": f"{{{NS_ATOM}}}entry"}


def _validate_xml(chunks: Iterator[bytes], fmt: str, progress: Progress | None,
                  total: int | None, content: ContentChecks) -> list[Issue]:
    """Parse the chunks and check each entry as it ends (then clear it); the rest at the end."""
    etree.clear_error_log()  # this thread's: what earlier documents logged (_syntax_error)
    pull = etree.XMLPullParser(events=("end",), tag=_ENTRY_TAGS[fmt], **PARSER_OPTIONS)
    check: DocumentCheck | None = None
    started = False
    done, reported = 0, -1
    step = max(1, (total or 0) // _PROGRESS_STEPS)
    if progress and total:
        progress("bytes", 0, total)
    try:
        for chunk in chunks:
            pull.feed(chunk)
            for _, event in pull.read_events():
                element = cast(etree._Element, event)  # "end" events carry elements
                if not started:
                    started = True
                    check = _check_for(element.getroottree().getroot(), fmt, content)
                if check is not None and check.is_entry(element):
                    check.entry(element)
                    element.clear(keep_tail=False)  # type: ignore[call-arg]  # the memory bound
            done += len(chunk)
            if progress and total and done // step > reported:
                reported = done // step
                progress("bytes", min(done, total), total)
        root = pull.close()
    except etree.XMLSyntaxError as exc:
        message, (line, column) = _syntax_error(exc)
        return [issue("xml-wellformed", f"not well-formed XML: {message}",
                      line=line or None, column=column or None)]
    if progress and total:
        progress("bytes", total, total)
    found: list[Issue] = []
    doctype = str(getattr(root.getroottree().docinfo, "doctype", "") or "")
    if doctype:
        found.append(issue("xml-doctype",
                           f"remove the DOCTYPE ({doctype}); feed readers ignore it and "
                           "its entities are not expanded", line=1))
    if not started:
        check = _check_for(root, fmt, content)
    if check is not None:
        return found + check.finish()
    found.append(issue("format-unknown",
                       f"expected {_NAMES[fmt]} but the root element is "
                       f"<{etree.QName(root).localname}>"
                       + (f" in namespace {etree.QName(root).namespace}"
                          if etree.QName(root).namespace else ""),
                       line=line_of(root)))
    return found


def _syntax_error(exc: etree.XMLSyntaxError) -> tuple[str, tuple[int, int]]:
    """The error as a parse of the whole document words it: the first the parser logged (the
    log was cleared as the parse began). Fed in pieces, libxml2 takes an undefined entity for
    one it may yet learn of and reads on, and lxml raises what went wrong after it: a bare "no
    element found" at the end, or "Start tag expected" at line 1, column 1."""
    parsed = [logged for logged in cast(Iterable[Any], exc.error_log)
              if logged.domain_name in ("PARSER", "NAMESPACE")
              and logged.level_name in ("ERROR", "FATAL")]
    if parsed:
        logged = parsed[0]
        return f"{logged.message}, line {logged.line}, column {logged.column}", \
            (logged.line, logged.column)
    return str(exc.msg), exc.position or (0, 0)


def _check_for(root: etree._Element, fmt: str, content: ContentChecks) -> DocumentCheck | None:
    """The format's checks when the root element is the format's, else None."""
    if (fmt == "rss" and root.tag == "rss") or (
            fmt == "atom" and root.tag in (f"{{{NS_ATOM}}}feed", f"{{{NS_ATOM}}}entry")):
        return _CHECKS[fmt](root, content)
    return None


def _validate_json_stream(head: bytes, stream: BinaryIO, start: int, content: ContentChecks,
                          progress: Progress | None, total: int | None) -> list[Issue]:
    """A JSON Feed checked item by item as it is read (validate.jsonstream); one that must be
    parsed whole for its report is read again from `start` and parsed whole."""
    try:
        found = check_json_stream(_Joined(head, stream), content, progress, total)
    except Unstreamable:
        stream.seek(start)
        return _validate_json(stream.read(), None, content, progress)
    if found is None:
        return [_not_a_json_feed()]
    return found


class _Joined:
    """The head already read for detect_format, then the rest of the stream."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head, self._stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._stream.read(size)


def _not_a_json_feed() -> Issue:
    return issue("format-unknown", "the JSON document is not a JSON Feed (no version "
                 "https://jsonfeed.org/version/1.1 and no items)")


def _validate_json(data: bytes | None, document: dict[str, Any] | None,
                   content: ContentChecks, progress: Progress | None) -> list[Issue]:
    try:
        found = check_json(data, document, content, progress)
    except json.JSONDecodeError as exc:
        return [issue("json-wellformed", f"not well-formed JSON: {exc.msg}",
                      line=exc.lineno, column=exc.colno)]
    except UnicodeDecodeError as exc:  # at a byte: its line and column, as json's are
        text = data or b""
        line = text.count(b"\n", 0, exc.start) + 1
        line_start = text.rfind(b"\n", 0, exc.start) + 1
        column = len(text[line_start:exc.start].decode("utf-8", "replace")) + 1  # characters
        return [issue("json-wellformed", f"not well-formed JSON: not {exc.encoding} text: "
                      f"{exc.reason} (byte {text[exc.start:exc.start + 1]!r}), line {line}, "
                      f"column {column}", line=line, column=column)]
    except RecursionError:
        return [issue("json-wellformed", "cannot be read: JSON nested deeper than Python reads "
                      f"(about {sys.getrecursionlimit()} levels); no feed nests that deep")]
    if found is None:
        return [_not_a_json_feed()]
    return found
