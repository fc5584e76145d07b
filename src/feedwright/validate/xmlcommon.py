"""What the RSS and Atom checkers share: the safe parser, the shipped RELAX NG schemas, the
issue collector, and the checks of extension elements both formats carry (Media RSS, xml:lang).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any, cast

from lxml import etree

from feedwright.validate import content, values
from feedwright.validate.report import Issue
from feedwright.validate.rules import issue
from feedwright.validate.values import Problem

NS_ATOM = "http://www.w3.org/2005/Atom"
NS_MEDIA = "http://search.yahoo.com/mrss/"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_XML = "http://www.w3.org/XML/1998/namespace"

MEDIA_CONTENT = f"{{{NS_MEDIA}}}content"
MEDIA_GROUP = f"{{{NS_MEDIA}}}group"
MEDIA_CREDIT = f"{{{NS_MEDIA}}}credit"
MEDIA_THUMBNAIL = f"{{{NS_MEDIA}}}thumbnail"
MEDIA_PLAYER = f"{{{NS_MEDIA}}}player"

XML_LANG = f"{{{NS_XML}}}lang"
# libxml2 follows a specific RELAX NG error with generic ones about each enclosing element;
# they add nothing, so they are reported only when nothing more specific was.
_CASCADE = re.compile(r"failed to validate content|Invalid sequence in interleave|"
                      r"Extra element .* in interleave")


def parser() -> etree.XMLParser:
    """A parser that never expands entities or touches the network. huge_tree lifts libxml2's
    limits on text node size and depth, so the memory bound is the caller's size cap."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=True, remove_comments=False,
    )


@cache
def relaxng(name: str) -> etree.RelaxNG:
    """A shipped schema, compiled once per process."""
    source = resources.files("feedwright.validate").joinpath(f"schemas/{name}").read_bytes()
    return etree.RelaxNG(etree.fromstring(source, parser()))


def line_of(element: etree._Element) -> int | None:
    """The element's source line (lxml-stubs do not type sourceline)."""
    return cast("int | None", element.sourceline)


def _attrs(element: etree._Element) -> dict[str, str]:
    return {str(key): str(value) for key, value in element.attrib.items()}


class Collector:
    """Gathers issues for one document, locating each at an element and naming its entry."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.issues: list[Issue] = []

    def add(self, problem: Problem | None, element: etree._Element,
            entry: Callable[[], str] | None = None) -> None:
        if problem is None:
            return
        rule_id, message = problem
        if entry is not None:
            # The build gate shows these messages; naming the entry says which one to fix.
            message = f"{entry()}: {message}"
        self.issues.append(issue(rule_id, message, line=line_of(element),
                                 path=self.root.getroottree().getpath(element)))

    def add_all(self, problems: Iterable[Problem], element: etree._Element,
                entry: Callable[[], str] | None = None) -> None:
        for problem in problems:
            self.add(problem, element, entry)


def schema_issues(
    schema: etree.RelaxNG, element: etree._Element, rule_id: str, root: etree._Element,
    entry: Callable[[], str] | None = None,
    known: tuple[str, frozenset[str]] | None = None,
) -> list[Issue]:
    """Validate one element's subtree; map libxml2's errors to issues with line and path.

    `known` is (namespace, local names the format defines for this element's children): an
    undefined child is then named precisely, where libxml2's interleave errors would only say
    "expecting an element author, got nothing".
    """
    if schema.validate(element):
        return []
    if known is not None:
        precise = _undefined_children(element, known, rule_id, root, entry)
        if precise:
            return precise
    # A skeleton (see below) stands for the document root; its paths read as the document's.
    base_path = root.getroottree().getpath(element) if element.getroottree().getroot() is \
        root.getroottree().getroot() else root.getroottree().getpath(root)
    errors = [(error.line, error.message, error.path) for error in schema.error_log]
    specific = [e for e in errors if not _CASCADE.search(e[1])]
    found: list[Issue] = []
    seen: set[tuple[int, str]] = set()
    for line, text, error_path in specific or errors:
        if (line, text) in seen:
            continue
        seen.add((line, text))
        message = f"schema: {text}"
        if entry is not None:
            message = f"{entry()}: {message}"
        # libxml2's path starts with the validated element's own step; swap in its real path.
        steps = (error_path or "").split("/", 2)
        path = base_path + ("/" + steps[2] if len(steps) > 2 else "")
        found.append(issue(rule_id, message, line=line or None, path=path))
    return found


def _undefined_children(
    element: etree._Element, known: tuple[str, frozenset[str]], rule_id: str,
    root: etree._Element, entry: Callable[[], str] | None,
) -> list[Issue]:
    namespace, names = known
    found: list[Issue] = []
    parent = etree.QName(element).localname
    for child in element:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if (qname.namespace or "") == namespace and qname.localname not in names:
            message = (f"schema: <{qname.localname}> is not defined for <{parent}>; remove it "
                       "or put it in an extension namespace")
            if entry is not None:
                message = f"{entry()}: {message}"
            path = (root.getroottree().getpath(child)
                    if child.getroottree().getroot() is root.getroottree().getroot() else None)
            found.append(issue(rule_id, message, line=line_of(child), path=path))
    return found


def skeleton(root: etree._Element, container: etree._Element, entry_tag: str) -> etree._Element:
    """A copy of the document without its entries, for validating the feed-level part alone.

    libxml2's RELAX NG validation grows faster than linearly with the number of siblings, so
    entries are validated one by one and the rest of the document once (copies keep their
    source lines).
    """
    def shallow(element: etree._Element) -> etree._Element:
        clone = etree.Element(element.tag, attrib=_attrs(element),
                              nsmap=cast(Any, element.nsmap))
        clone.text = element.text
        clone.sourceline = element.sourceline
        return clone

    top = shallow(root)
    inner = top if container is root else etree.SubElement(top, container.tag,
                                                            attrib=_attrs(container))
    if container is not root:
        inner.sourceline = container.sourceline
        inner.text = container.text
        for child in root:
            if child is not container:
                top.append(copy.deepcopy(child))
    for child in container:
        if child.tag != entry_tag:
            inner.append(copy.deepcopy(child))
    return top


def check_languages(collector: Collector) -> None:
    """Every xml:lang in the document, in document order.

    One walk over the root's elements, not an XPath: `//@xml:lang` first collects every node of
    the document (elements, text, comments) into one node-set, and libxml2 refuses node-sets of
    more than 10,000,000 nodes, so a 100,000-entry feed raised XPathEvalError. `//*[@xml:lang]`
    would only move the limit (it collects every element before filtering). The walk has no
    limit, holds one element at a time, and costs about what the XPath did (0.2 s against 0.1 s
    over the 370,000 elements of a 10,000-entry feed).
    """
    for element in collector.root.iter():
        text = element.get(XML_LANG)  # None on comments and processing instructions
        if text:  # xml:lang="" legitimately means "no language"
            collector.add(values.check_language(text), element)


def check_media(element: etree._Element, collector: Collector,
                entry: Callable[[], str], base: str | None = None) -> None:
    """media:content / media:group / media:credit / media:thumbnail under an item or entry."""
    tag = element.tag
    if tag == MEDIA_CONTENT:
        _check_media_content(element, collector, entry, base)
        for child in element:
            if child.tag == MEDIA_CREDIT:
                _check_credit(child, collector, entry)
            elif child.tag == MEDIA_THUMBNAIL:
                collector.add(values.check_url(child.get("url", ""), base), child, entry)
    elif tag == MEDIA_GROUP:
        for child in element:
            check_media(child, collector, entry, base)
    elif tag == MEDIA_CREDIT:
        _check_credit(element, collector, entry)
    elif tag == MEDIA_THUMBNAIL:
        collector.add(values.check_url(element.get("url", ""), base), element, entry)


def _check_media_content(element: etree._Element, collector: Collector,
                         entry: Callable[[], str], base: str | None) -> None:
    url = element.get("url")
    if url is None:
        if element.find(MEDIA_PLAYER) is None:
            collector.add(("media-content-url",
                           "media:content has neither a url attribute nor a media:player"),
                          element, entry)
    else:
        collector.add(values.check_url(url, base), element, entry)
    mime = element.get("type")
    if mime is not None:
        collector.add(values.check_mime(mime), element, entry)


def _check_credit(element: etree._Element, collector: Collector,
                  entry: Callable[[], str]) -> None:
    collector.add(values.check_credit_role(element.get("role"), element.get("scheme")),
                  element, entry)


def check_html_element(element: etree._Element, collector: Collector,
                       entry: Callable[[], str], base: str | None = None) -> None:
    """An element whose text is HTML (RSS description, content:encoded, Atom type="html")."""
    if len(element):
        collector.add(("html-unescaped",
                       f"<{etree.QName(element).localname}> holds raw elements; escape the HTML "
                       "or wrap it in CDATA"), element, entry)
    text = element.text
    if text:
        collector.add_all(content.check_html(text, base), element, entry)


def check_enclosure(length: str | None, mime: str | None) -> list[Problem]:
    """Length and type of an RSS enclosure or an Atom rel="enclosure" link."""
    problems: list[Problem] = []
    if length is None:
        problems.append(("enclosure-length",
                         "enclosure has no length; give the size in bytes"))
    elif not length.strip().isdigit():
        problems.append(("enclosure-length",
                         f"enclosure length {length!r} is not a whole number of bytes"))
    if mime is None:
        problems.append(("enclosure-type",
                         "enclosure has no type; give its MIME type, e.g. image/jpeg"))
    else:
        problem = values.mime_problem(mime)
        if problem is not None:
            problems.append(("enclosure-type", f"enclosure type {problem}"))
    return problems
