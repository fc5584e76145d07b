"""validate_document: detect the format, parse once, apply the schema and the rules."""

from __future__ import annotations

import codecs
import json
import re

from lxml import etree

from feedwright.formats import FORMATS as FORMATS
from feedwright.validate.atom import check_atom
from feedwright.validate.jsonfeed import check_json
from feedwright.validate.report import Issue, Progress, Report
from feedwright.validate.rss import check_rss
from feedwright.validate.rules import issue
from feedwright.validate.xmlcommon import NS_ATOM, line_of, parser

_NAMES = {"rss": "RSS 2.0", "atom": "Atom 1.0", "json": "JSON Feed"}
# What may come before the root element: declaration, PIs, comments, a DOCTYPE (with an
# internal subset), whitespace.
_PROLOG = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL | re.IGNORECASE
)
_ROOT = re.compile(r"\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*)>?")
_SNIFF_BYTES = 65536


def detect_format(data: bytes) -> str:
    """"rss", "atom", "json" or "unknown", from the first bytes (the document is not parsed)."""
    text = _head_text(data[:_SNIFF_BYTES]).lstrip()
    if text.startswith("{"):
        return "json"
    if not text.startswith("<"):
        return "unknown"
    position = 0
    while (match := _PROLOG.match(text, position)) is not None and match.end() > position:
        position = match.end()
    root = _ROOT.match(text, position)
    if root is None:
        return "unknown"
    prefix, name, rest = root[1], root[2], root[3]
    if prefix is None and name == "rss":
        return "rss"
    if name in ("feed", "entry"):
        declaration = f"xmlns:{prefix[:-1]}" if prefix else "xmlns"
        if re.search(rf"{declaration}\s*=\s*[\"']{re.escape(NS_ATOM)}[\"']", rest):
            return "atom"
    return "unknown"


def _head_text(head: bytes) -> str:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "replace")
    return head.decode("utf-8", "replace")


def validate_document(data: bytes, format: str | None = None,
                      progress: Progress | None = None) -> Report:
    """Check one document. Never raises on bad input: a broken document is an Issue.

    `progress` hears ("entries", checked, total) while the per-entry checks of an RSS or Atom
    document run (the bulk of the time for a big one); it changes nothing in the report."""
    fmt = format or detect_format(data)
    if fmt not in FORMATS:
        return Report("unknown", (issue("format-unknown", _describe_unknown(data)),))
    issues = _validate_json(data) if fmt == "json" else _validate_xml(data, fmt, progress)
    if format is None and any(found.rule == "format-unknown" for found in issues):
        fmt = "unknown"  # detection guessed from the first bytes; the content said otherwise
    return Report(fmt, tuple(sorted(issues, key=_document_order)))


def _document_order(found: Issue) -> tuple[int, int]:
    return (found.line if found.line is not None else 0, found.column or 0)


def _describe_unknown(data: bytes) -> str:
    text = _head_text(data[:200]).strip()
    if not text:
        return "the document is empty"
    return ("the document is not RSS 2.0 (<rss>), Atom 1.0 (<feed> in the Atom namespace) or "
            f"JSON Feed; it starts {text[:40]!r}")


def _validate_xml(data: bytes, fmt: str, progress: Progress | None) -> list[Issue]:
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        return [issue("xml-wellformed", f"not well-formed XML: {exc.msg}",
                      line=line or None, column=column or None)]
    found: list[Issue] = []
    doctype = str(getattr(root.getroottree().docinfo, "doctype", "") or "")
    if doctype:
        found.append(issue("xml-doctype",
                           f"remove the DOCTYPE ({doctype}); feed readers ignore it and "
                           "its entities are not expanded", line=1))
    if fmt == "rss" and root.tag == "rss":
        return found + check_rss(root, progress)
    if fmt == "atom" and root.tag in (f"{{{NS_ATOM}}}feed", f"{{{NS_ATOM}}}entry"):
        return found + check_atom(root, progress)
    found.append(issue("format-unknown",
                       f"expected {_NAMES[fmt]} but the root element is "
                       f"<{etree.QName(root).localname}>"
                       + (f" in namespace {etree.QName(root).namespace}"
                          if etree.QName(root).namespace else ""),
                       line=line_of(root)))
    return found


def _validate_json(data: bytes) -> list[Issue]:
    try:
        found = check_json(data)
    except json.JSONDecodeError as exc:
        return [issue("json-wellformed", f"not well-formed JSON: {exc.msg}",
                      line=exc.lineno, column=exc.colno)]
    except (UnicodeDecodeError, RecursionError) as exc:
        return [issue("json-wellformed", f"not well-formed JSON: {exc}")]
    if found is None:
        return [issue("format-unknown",
                      "the JSON document is not a JSON Feed (no version "
                      "https://jsonfeed.org/version/1.1 and no items)")]
    return found
