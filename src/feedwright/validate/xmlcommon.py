"""What the RSS and Atom checkers share: the safe parser, the shipped RELAX NG schemas, the
issue collector, and the checks of extension elements both formats carry (Media RSS, xml:lang).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any, cast

from lxml import etree

# the namespaces, named once in feedwright.formats; the checkers take them from here
from feedwright.formats import NS_ATOM as NS_ATOM
from feedwright.formats import NS_CONTENT as NS_CONTENT
from feedwright.formats import NS_DC as NS_DC
from feedwright.formats import NS_MEDIA as NS_MEDIA
from feedwright.formats import NS_XML as NS_XML
from feedwright.validate import content, values
from feedwright.validate.report import Issue, Progress
from feedwright.validate.rules import issue
from feedwright.validate.values import Problem

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

# A progress callback hears of about this many steps per document, whatever its size, so a small
# document pays nothing and a huge one moves the bar without a call per entry.
_PROGRESS_STEPS = 100


def entries(parent: etree._Element, tag: str,
            progress: Progress | None) -> Iterator[tuple[int, etree._Element]]:
    """The `tag` children of `parent` with their position from 1; `progress`, when given, hears
    ("entries", checked, total) every hundredth of them and once at the end."""
    total = 0 if progress is None else sum(1 for _ in parent.iterchildren(tag))
    if progress is None or total == 0:
        yield from enumerate(parent.iterchildren(tag), 1)
        return
    step = max(1, total // _PROGRESS_STEPS)
    progress("entries", 0, total)
    for position, element in enumerate(parent.iterchildren(tag), 1):
        yield position, element
        if position % step == 0 or position == total:
            progress("entries", position, total)


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


MEDIA_TITLE = f"{{{NS_MEDIA}}}title"
MEDIA_DESCRIPTION = f"{{{NS_MEDIA}}}description"
MEDIA_COPYRIGHT = f"{{{NS_MEDIA}}}copyright"
#: Media RSS elements that may appear once in their parent (media:content, group or the item).
MEDIA_ONCE = frozenset({MEDIA_TITLE, MEDIA_DESCRIPTION, MEDIA_COPYRIGHT})
# Media RSS attributes that are numbers, as the W3C validator checks them: (name, minimum) for
# whole numbers, None for decimals.
_MEDIA_CONTENT_NUMBERS: dict[str, int | None] = {
    "fileSize": 1, "width": 1, "height": 1, "channels": 0,
    "duration": None, "bitrate": None, "framerate": None, "samplingrate": None,
}
_MEDIA_BOX = {"width": 1, "height": 1}
# Media RSS attributes with a fixed list of values, as the W3C validator checks them.
_MEDIA_CONTENT_CHOICES = {
    "medium": ("image", "audio", "video", "document", "executable"),
    "expression": ("sample", "full", "nonstop"),
}


def check_media(element: etree._Element, collector: Collector,
                entry: Callable[[], str], base: str | None = None) -> None:
    """media:content / media:group / media:credit / media:thumbnail under an item or entry."""
    tag = element.tag
    if tag == MEDIA_CONTENT:
        _check_media_content(element, collector, entry, base)
        check_duplicates(element, MEDIA_ONCE, collector, entry)
        for child in element:
            if child.tag == MEDIA_CREDIT:
                _check_credit(child, collector, entry)
            elif child.tag in (MEDIA_THUMBNAIL, MEDIA_PLAYER):
                _check_media_link(child, collector, entry, base)
    elif tag == MEDIA_GROUP:
        check_duplicates(element, MEDIA_ONCE, collector, entry)
        for child in element:
            check_media(child, collector, entry, base)
    elif tag == MEDIA_CREDIT:
        _check_credit(element, collector, entry)
    elif tag in (MEDIA_THUMBNAIL, MEDIA_PLAYER):
        _check_media_link(element, collector, entry, base)


def media_urls(element: etree._Element) -> list[str]:
    """The urls of the media:content elements of an item or entry (directly or in groups)."""
    urls: list[str] = []
    for child in element:
        if child.tag == MEDIA_CONTENT and child.get("url"):
            urls.append(child.get("url", "").strip())
        elif child.tag == MEDIA_GROUP:
            urls.extend(media_urls(child))
    return urls


def media_url_problem(value: str, base: str | None) -> Problem | None:
    """A Media RSS url: a link that works, and a URI (the W3C validator rejects IRIs here)."""
    problem = values.check_url_attribute(value, base)
    if problem is None and any(ord(c) > 127 for c in value):
        return values.check_uri(value)
    return problem


def _check_media_link(element: etree._Element, collector: Collector,
                      entry: Callable[[], str], base: str | None) -> None:
    """media:thumbnail and media:player: a url and, optionally, a positive width and height."""
    url = element.get("url")
    if url is None:  # W3C: MissingAttribute
        collector.add(("media-attribute", f"media:{etree.QName(element).localname} has no url"),
                      element, entry)
    else:
        collector.add(media_url_problem(url, base), element, entry)
    _check_numbers(element, _MEDIA_BOX, collector, entry)


def _check_numbers(element: etree._Element, numbers: Mapping[str, int | None],
                   collector: Collector, entry: Callable[[], str]) -> None:
    name = etree.QName(element).localname
    for attribute, minimum in numbers.items():
        value = element.get(attribute)
        if value is None or value == "":
            continue  # the W3C validator checks only values given
        what = f"media:{name} {attribute}"
        collector.add(values.check_float(value, what) if minimum is None
                      else values.check_integer(value, what, minimum), element, entry)


def _check_media_content(element: etree._Element, collector: Collector,
                         entry: Callable[[], str], base: str | None) -> None:
    url = element.get("url")
    if url is None:
        if element.find(MEDIA_PLAYER) is None:
            collector.add(("media-content-url",
                           "media:content has neither a url attribute nor a media:player"),
                          element, entry)
    else:
        collector.add(media_url_problem(url, base), element, entry)
    mime = element.get("type")
    if mime is not None:
        collector.add(values.check_mime(mime), element, entry)
    _check_numbers(element, _MEDIA_CONTENT_NUMBERS, collector, entry)
    for attribute, choices in _MEDIA_CONTENT_CHOICES.items():
        value = element.get(attribute)
        if value and value not in choices:
            collector.add(("media-attribute", f"media:content {attribute} {value!r} is not one "
                           f"of {', '.join(choices)}"), element, entry)
    default = element.get("isDefault")
    if default and default.lower() not in ("true", "false"):
        collector.add(("media-attribute",
                       f"media:content isDefault {default!r} is not true or false"), element, entry)


def _check_credit(element: etree._Element, collector: Collector,
                  entry: Callable[[], str]) -> None:
    collector.add(values.check_credit_role(element.get("role"), element.get("scheme")),
                  element, entry)


def check_duplicates(parent: etree._Element, once: frozenset[str], collector: Collector,
                     entry: Callable[[], str] | None = None) -> None:
    """Elements that may appear once in this parent (W3C: DuplicateElement, an error)."""
    seen: set[str] = set()
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str) or tag not in once:
            continue
        if tag in seen:
            qname = etree.QName(child)
            shown = f"{child.prefix}:{qname.localname}" if child.prefix else qname.localname
            collector.add(("duplicate-element",
                           f"<{shown}> appears more than once in <{etree.QName(parent).localname}>"
                           "; it may appear once: join the values or keep one"), child, entry)
        seen.add(tag)


def check_media_enclosures(item: etree._Element, enclosure_urls: Iterable[str],
                           collector: Collector, entry: Callable[[], str],
                           every: bool) -> None:
    """Media only in media:content reach few readers: reader, newsboat, sfeed and rss-parser
    read enclosures and ignore Media RSS. RSS may carry one enclosure (every=False: one is
    enough); Atom lists each file (every=True: each media url wants its enclosure link)."""
    listed = {url.strip() for url in enclosure_urls}
    media = media_urls(item)
    missing = [url for url in media if url not in listed] if every else \
        (media[:1] if media and not listed else [])
    for url in missing:
        collector.add(("media-enclosure-missing",
                       f"media {url!r} is only in media:content, which many readers ignore; "
                       "list it as an enclosure too"), item, entry)


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


def check_enclosure(length: str | None, mime: str | None, required: bool) -> list[Problem]:
    """Length and type of an RSS enclosure (required=True: both attributes are required) or an
    Atom rel="enclosure" link (both optional, as RFC 4287 and the W3C validator have it)."""
    problems: list[Problem] = []
    if length is None:
        if required:
            problems.append(("enclosure-length",
                             'enclosure has no length; give the size in bytes, or length="0" '
                             "when it is not known"))
    elif _WHOLE_NUMBER.fullmatch(length) is None or int(length) < 0:
        problems.append(("enclosure-length",
                         f"enclosure length {length!r} is not a whole number of bytes (use 0 "
                         "when it is not known)"))
    if mime is None:
        problems.append(("enclosure-type", "enclosure has no type; give its MIME type, e.g. "
                         "image/jpeg") if required else
                        ("enclosure-type-missing", "enclosure link has no type; give its MIME "
                         "type, e.g. image/jpeg"))
    else:
        problem = values.mime_problem(mime, "enclosure-type")
        if problem is not None:
            problems.append(problem)
    return problems


_WHOLE_NUMBER = re.compile(r"\s*[+-]?\d+\s*")  # what int() takes, as the W3C validator reads it
