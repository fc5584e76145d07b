"""Checks of HTML content: active content, unsafe or relative links, escaping mistakes.

Content is scanned with regular expressions rather than parsed: a feed of 10,000 entries must
validate about as fast as it is written, and these rules only need tags and attributes, which
the scan finds as a browser would in all but pathological markup (a '>' inside an attribute
value ends the tag early, and the rest of that tag is then not checked).

Speed: the scan finds tags by their '<' (a fast literal search) and reads the attributes only of
tags that have any. An earlier version first ran one "suspicious?" pattern over the whole string
and scanned only on a match; that pattern tried a dozen alternatives at every whitespace
character and cost ten times the scan itself (0.67 ms against 0.07 ms for 6.6 KB of article
html), and it missed what the scan reports (a valueless on* attribute, '/srcset=').
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator

from lxml import etree

from feedwright.validate.values import Problem

_Reporter = Callable[[str, str], None]

_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# Elements that run code or change how the page around them behaves.
ACTIVE_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                             "base", "meta"})
# Tags as a browser reads them: a name, then (after whitespace or "/": browsers treat "/"
# between attributes as whitespace, so <img/onerror=...> has an attribute) anything up to the
# first '>'. Only the tags that could fail a check are matched: one with attributes (group 2),
# or an active element without any (group 3). A tag holds no '<' but its first, so leaving the
# plain ones out moves no other match, and the scan loops in Python over the few tags of an
# article that have attributes rather than all of them (issue 12).
_CHECKED_TAG = re.compile(
    r"<(?:([A-Za-z][A-Za-z0-9:-]*)([\s/][^<>]*?)/?>"
    rf"|((?i:{'|'.join(sorted(ACTIVE_ELEMENTS))}))/?>)")
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite", "action", "formaction", "background",
                            "longdesc", "data", "xlink:href"})
# Browsers drop ASCII whitespace and controls inside a scheme ("java\tscript:").
_SCHEME_NOISE = re.compile(r"[\x00-\x20]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_DOUBLE_ESCAPED = re.compile(
    r"&lt;/?(?:p|a|div|span|br|img|em|strong|b|i|u|ul|ol|li|h[1-6]|figure|figcaption|blockquote"
    r"|table|tr|td)(?:\s|/?&gt;)",
    re.IGNORECASE,
)
# an escaped end tag that ends the content: markup turned text ends so, a sentence seldom
_DOUBLE_ESCAPED_END = re.compile(
    r"&lt;/(?:p|a|div|span|em|strong|b|i|u|ul|ol|li|h[1-6]|figure|figcaption|blockquote|table"
    r"|tr|td)&gt;$",
    re.IGNORECASE,
)
_MARKUP = re.compile(
    r"</?(?:p|a|div|span|br|img|em|strong|b|i|u|ul|ol|li|h[1-6]|figure|figcaption|blockquote"
    r"|table|tr|td)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


def check_html(markup: str, base: str | None = None) -> list[Problem]:
    """Problems in an HTML string (already unescaped once by the XML or JSON parser)."""
    problems: list[Problem] = []
    # escaped twice: it is markup turned text, whole ("&lt;p&gt;...&lt;/p&gt;"). Html of its
    # own that shows a tag as text ("<p>wrap it in the &lt;b&gt; tag</p>"), or text that
    # names one in a sentence (an article about html, and its summary), is escaped right.
    if "&lt;" in markup and _escaped_twice(markup.strip()):
        problems.append(("html-double-escaped",
                         "HTML content is escaped twice (it holds '&lt;p&gt;'); escape it once"))
    if "<" in markup:
        problems.extend(_check_tags(_scan_tags(markup), base))
    return problems


def _escaped_twice(markup: str) -> bool:
    return (bool(_DOUBLE_ESCAPED.match(markup) or _DOUBLE_ESCAPED_END.search(markup))
            and not _MARKUP.search(markup))


class ContentChecks:
    """check_html, remembered by content: the build validates a feed's three documents one after
    another, and they carry the same content html, so each is scanned once (issue 12). Keyed by
    the text's length and hash, not the text itself, so that it holds no copy of the html; the
    same length and 64-bit hash for two different texts is not a case to design for."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, int, str | None], list[Problem]] = {}

    def check_html(self, markup: str, base: str | None = None) -> list[Problem]:
        key = (len(markup), hash(markup), base)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = check_html(markup, base)
        return found


def check_xhtml(div: etree._Element, base: str | None = None) -> list[Problem]:
    """Problems in inline XHTML (Atom type="xhtml"): the same checks on real elements."""
    tags = (
        (etree.QName(el).localname.lower(), [(str(k), str(v)) for k, v in el.attrib.items()])
        for el in div.iter(etree.Element)
    )
    return _check_tags(tags, base)


def check_undeclared(text: str) -> Problem | None:
    """Plain text that is really HTML: readers will show the tags."""
    if "<" in text and _MARKUP.search(text):
        return ("html-undeclared", "plain-text content holds HTML tags; declare it as html")
    return None


def _scan_tags(markup: str) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Tags that could fail a check: an active element, or any tag with attributes. A tag
    without attributes that is not active (most of them: <p>, <em>, <figure>) fails nothing."""
    for tag in _CHECKED_TAG.finditer(markup):
        rest = tag[2]
        if rest is None:
            yield tag[3].lower(), []
        else:
            attrs = [
                (m[1], html.unescape(m[2] if m[2] is not None else m[3] or m[4] or ""))
                for m in _ATTR.finditer(rest)
            ]
            yield tag[1].lower(), attrs


def _check_tags(tags: Iterable[tuple[str, list[tuple[str, str]]]],
                base: str | None) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()

    def report(rule: str, message: str) -> None:
        # One issue per rule per content block: a hundred relative links are one fix.
        if rule not in seen:
            seen.add(rule)
            problems.append((rule, message))

    base_is_absolute = base is not None and _SCHEME.match(base.strip()) is not None
    for name, attrs in tags:
        if name in ACTIVE_ELEMENTS:
            report("html-script", f"content holds a <{name}> element; remove it")
        for attr, value in attrs:
            key = attr.lower()
            if key.startswith("on") and len(key) > 2:
                report("html-event-handler",
                       f"content holds an event handler ({attr}= on <{name}>); remove it")
            elif key in URL_ATTRIBUTES or key == "srcset":
                urls = _srcset_urls(value) if key == "srcset" else [value]
                for url in urls:
                    _check_link(url, name, attr, base_is_absolute, report)
    return problems


def _srcset_urls(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()]


def _check_link(url: str, name: str, attr: str, base_is_absolute: bool,
                report: _Reporter) -> None:
    text = url.strip()
    if not text or text.startswith("#"):
        return
    scheme = _SCHEME.match(_SCHEME_NOISE.sub("", text))
    if scheme is not None:
        kind = scheme[1].lower()
        if kind in ("javascript", "vbscript") or (
            kind == "data" and not _SCHEME_NOISE.sub("", text).lower().startswith(
                ("data:image/", "data:audio/", "data:video/"))
        ):
            report("html-javascript-url",
                   f"content links to a {kind}: URL (<{name} {attr}=...>); remove it")
        return
    if not base_is_absolute:
        report("html-relative-url",
               f"content holds a relative link ({attr}={text!r} on <{name}>); make it absolute")
