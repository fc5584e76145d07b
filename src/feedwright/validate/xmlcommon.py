"""What the RSS and Atom checkers share: the safe parser, the shipped RELAX NG schemas, the
issue collector, and the checks of extension elements both formats carry (Media RSS, xml:lang).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any, NamedTuple, cast
from urllib.parse import urljoin

from lxml import etree

# the namespaces, named once in feedwright.formats; the checkers take them from here
from feedwright.formats import NS_ATOM as NS_ATOM
from feedwright.formats import NS_CONTENT as NS_CONTENT
from feedwright.formats import NS_DC as NS_DC
from feedwright.formats import NS_HISTORY
from feedwright.formats import NS_MEDIA as NS_MEDIA
from feedwright.formats import NS_XML as NS_XML
from feedwright.validate import values
from feedwright.validate.content import ContentChecks
from feedwright.validate.report import Issue
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

#: Never expand entities or touch the network. huge_tree lifts libxml2's limits on text node
#: size and depth, so the memory bound is the caller's size cap.
PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False,
    "huge_tree": True, "remove_comments": False,
}


def parser() -> etree.XMLParser:
    """A parser of whole documents with the options above."""
    return etree.XMLParser(**PARSER_OPTIONS)


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


_Key = tuple[bool, str | None, str]  # (in a namespace, prefix, local name): getpath's sameness


def _key(element: etree._Element) -> _Key | None:
    """What getpath counts an element's siblings by: None for one in a default namespace
    (getpath writes it "*" and counts every element before it), else its name and prefix."""
    qname = etree.QName(element)
    if qname.namespace is not None and element.prefix is None:
        return None
    return qname.namespace is not None, element.prefix, qname.localname


def _name(key: _Key | None) -> str:
    return "*" if key is None else f"{key[1]}:{key[2]}" if key[1] else key[2]


def _counts_as(key: _Key | None, sibling: etree._Element) -> bool:
    return isinstance(sibling.tag, str) and (key is None or _key(sibling) == key)


def _index(element: etree._Element, key: _Key | None, before: int) -> str:
    """getpath's index of an element with `before` earlier siblings it counts as its own:
    none when it is the only one, [1] when the only ones are after it."""
    if before:
        return f"[{before + 1}]"
    return "[1]" if any(_counts_as(key, s) for s in element.itersiblings()) else ""


class Paths:
    """Where an element is, as libxml2's getpath says it (/rss/channel/item[7]/title), in a
    time that does not grow with the entries before it. getpath counts each step's earlier
    siblings: over a feed whose every entry has an issue that took quadratic time (20,000
    items 7.5 s, 80,000 118 s). An entry's own step is counted on from the last entry's
    (`container` set, the entries asked for in document order as they stream past); the
    steps inside it are counted here by getpath's rules; anything else is getpath's."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.container: etree._Element | None = None  # the entries' parent, once known
        self._tree = root.getroottree()
        self._last: etree._Element | None = None  # the sibling counted up to (included)
        self._before: dict[_Key | None, int] = {}  # siblings up to it, by _key (None: all)
        self._last_step = ""

    def of(self, element: etree._Element) -> str:
        container = self.container
        steps: list[str] = []
        node = element
        while container is not None and (parent := node.getparent()) is not None:
            if not isinstance(node.tag, str):  # (a comment, a processing instruction)
                break
            if parent is container:
                entry = self._entry_step(node)
                if entry is None:
                    break
                return "/".join([self._tree.getpath(container), entry, *reversed(steps)])
            key = _key(node)
            steps.append(_name(key) + _index(node, key, sum(
                _counts_as(key, s) for s in node.itersiblings(preceding=True))))
            node = parent
        return self._tree.getpath(element)

    def _entry_step(self, child: etree._Element) -> str | None:
        """The step of a child of the container, counted on from the last one asked for;
        None when it comes before that one."""
        if child is self._last:
            return self._last_step
        node = self._last.getnext() if self._last is not None else \
            next(iter(cast(etree._Element, self.container)), None)
        before = dict(self._before)  # kept only if the walk finds the child after the last
        while node is not None and node is not child:
            _count(before, node)
            node = node.getnext()
        if node is None:
            return None
        key = _key(child)
        self._last_step = _name(key) + _index(child, key, before.get(key, 0))
        _count(before, child)
        self._before, self._last = before, child
        return self._last_step


def _count(before: dict[_Key | None, int], sibling: etree._Element) -> None:
    """One more sibling before the next: under its _key, and under None (every element)."""
    if isinstance(sibling.tag, str):
        before[None] = before.get(None, 0) + 1
        key = _key(sibling)
        if key is not None:
            before[key] = before.get(key, 0) + 1


class Collector:
    """Gathers issues for one document, locating each at an element and naming its entry; its
    `content` checks the document's html (shared by the documents of one feed)."""

    def __init__(self, paths: Paths, content: ContentChecks | None = None) -> None:
        self.paths = paths
        self.issues: list[Issue] = []
        self.content = content or ContentChecks()

    def add(self, problem: Problem | None, element: etree._Element,
            entry: Callable[[], str] | None = None) -> None:
        if problem is not None:
            self.issues.append(self.issue_at(problem, element, entry))

    def issue_at(self, problem: Problem, element: etree._Element,
                 entry: Callable[[], str] | None = None) -> Issue:
        rule_id, message = problem
        if entry is not None:
            # The build gate shows these messages; naming the entry says which one to fix.
            message = f"{entry()}: {message}"
        return issue(rule_id, message, line=line_of(element), path=self.paths.of(element))

    def add_all(self, problems: Iterable[Problem], element: etree._Element,
                entry: Callable[[], str] | None = None) -> None:
        for problem in problems:
            self.add(problem, element, entry)


def schema_issues(
    schema: etree.RelaxNG, element: etree._Element, rule_id: str, paths: Paths,
    entry: Callable[[], str] | None = None,
    known: Children | None = None,
) -> list[Issue]:
    """Validate one element's subtree; map libxml2's errors to issues with line and path.

    `known` is what the format says of this element's children (Children): an undefined one,
    or markup in one that holds text, is then named precisely, where libxml2's interleave
    errors would only say "expecting an element author, got nothing".
    """
    if schema.validate(element):
        return []
    if known is not None:
        precise = _undefined_children(element, known, rule_id, paths, entry)
        if precise:  # and what else is wrong, which libxml2's interleave errors hid
            repaired = _repaired(element, known)
            return precise + ([] if schema.validate(repaired) else
                              _logged(schema, element, rule_id, paths, entry))
    return _logged(schema, element, rule_id, paths, entry)


def _logged(schema: etree.RelaxNG, element: etree._Element, rule_id: str, paths: Paths,
            entry: Callable[[], str] | None) -> list[Issue]:
    """The issues of the schema's last validation, of `element` or of a copy standing for it."""
    # A skeleton (see below) stands for the document root; its paths read as the document's.
    base_path = paths.of(element if element.getroottree().getroot() is paths.root
                         else paths.root)
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
        # (libxml2 gives no line for some, "Extra element title in interleave": the element's)
        found.append(issue(rule_id, message, line=line or line_of(element), path=path))
    return found


class Children(NamedTuple):
    """What a format says of an element's children: their namespace, the local names it
    defines, and those of them that hold text only (markup in them is escaped, never parsed:
    for an Atom text construct, unless its type is xhtml)."""

    namespace: str
    names: frozenset[str]
    text_only: frozenset[str] = frozenset()


def _undefined_children(
    element: etree._Element, known: Children, rule_id: str,
    paths: Paths, entry: Callable[[], str] | None,
) -> list[Issue]:
    """The children libxml2's interleave errors would not name: one the format does not define
    ("Extra element ... in interleave"), one holding markup where text goes (a title with <b>
    in it, unescaped: a common slip, which libxml2 words the same way, at no line)."""
    found: list[Issue] = []
    parent = etree.QName(element).localname
    for child, local in _own_children(element, known):
        if local not in known.names:
            message = (f"schema: <{local}> is not defined for <{parent}>; remove it or put it "
                       "in an extension namespace")
        elif (inner := _markup_in_text(child, local, known)) is not None:
            name = etree.QName(inner).localname
            message = (f"schema: <{local}> holds the element <{name}>, where it holds text "
                       f"only; escape the markup (&lt;{name}&gt;) or remove it")
        else:
            continue
        if entry is not None:
            message = f"{entry()}: {message}"
        path = paths.of(child) if child.getroottree().getroot() is paths.root else None
        found.append(issue(rule_id, message, line=line_of(child), path=path))
    return found


def _repaired(element: etree._Element, known: Children) -> etree._Element:
    """A copy of the element as if what _undefined_children names were fixed: undefined
    children left out, markup in a text-only child replaced by its text."""
    fixed = copy.deepcopy(element)
    for child, local in list(_own_children(fixed, known)):
        if local not in known.names:
            fixed.remove(child)
        elif _markup_in_text(child, local, known) is not None:
            text = "".join(str(part) for part in child.itertext())
            for inner in list(child):
                child.remove(inner)
            child.text = text
    return fixed


def _own_children(element: etree._Element, known: Children
                  ) -> Iterator[tuple[etree._Element, str]]:
    """The element's children in the format's own namespace, with their local names."""
    for child in element.iterchildren(etree.Element):
        qname = etree.QName(child)
        if (qname.namespace or "") == known.namespace:
            yield child, qname.localname


def _markup_in_text(child: etree._Element, name: str, known: Children) -> etree._Element | None:
    """The first element inside a child that holds text only (an Atom text construct does
    unless its type is xhtml), or None."""
    if name not in known.text_only or child.get("type") not in (None, "text", "html"):
        return None
    return next(child.iterchildren(etree.Element), None)


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
        _keep_line(clone, element)
        return clone

    top = shallow(root)
    inner = top if container is root else etree.SubElement(top, container.tag,
                                                            attrib=_attrs(container))
    if container is not root:
        _keep_line(inner, container)
        inner.text = container.text
        for child in root:
            if child is not container:
                top.append(copy.deepcopy(child))
    for child in container:
        if child.tag != entry_tag:
            inner.append(copy.deepcopy(child))
    return top


def _keep_line(clone: etree._Element, element: etree._Element) -> None:
    """The copy says the line its element is on, up to line 65,535: lxml sets a line in 16 bits
    (the parser keeps longer ones its own way); past that it is left without one."""
    line = line_of(element)
    if line is not None and line <= 0xFFFF:
        clone.sourceline = line  # type: ignore[assignment]  # (lxml-stubs type it as ...)


class DocumentCheck:
    """The checks of one RSS or Atom document, run while it is parsed (validate.core): each
    entry as soon as it is complete, after which the parser drops its content, and the rest of
    the document at its end. So memory holds one entry at a time, whatever the document's size.

    The issues come out in the order one walk over the whole tree gave them: the feed-level
    schema issues, each entry's schema issues, the feed-level checks, each entry's checks, the
    archive and tombstone checks, then every xml:lang in document order. The last two walk the
    whole document; each entry's part of them is taken while it streams past and put back in
    its place (`_spliced`).
    """

    format: str
    entry_tag: str

    def __init__(self, root: etree._Element, schema: etree.RelaxNG, rule: str,
                 content: ContentChecks | None = None) -> None:
        self.root, self.schema, self.rule = root, schema, rule
        self.content = content or ContentChecks()
        self.entry_schema: list[Issue] = []
        self.paths = Paths(root)
        self.feed = Collector(self.paths, self.content)  # feed-level checks
        self.entries = Collector(self.paths, self.content)  # the entries' checks, in order
        self.position = 0  # entries checked so far
        self._container: etree._Element | None = None
        self._ids: set[str] = set()
        self._marks: list[tuple[Issue, ...]] = []  # each entry's misplaced archive marks
        self._languages: list[tuple[Issue, ...]] = []  # each entry's xml:lang issues

    def container(self) -> etree._Element | None:
        """The element whose `entry_tag` children are the entries (RSS channel, Atom feed)."""
        raise NotImplementedError

    def is_entry(self, element: etree._Element) -> bool:
        parent = element.getparent()
        if parent is None:
            return False
        if self._container is None:  # once found, the container stays the same element
            self._container = self.paths.container = self.container()
        return parent is self._container

    def entry(self, element: etree._Element) -> None:
        """Check one complete entry (it is cleared afterwards)."""
        raise NotImplementedError

    def feed_level(self, container: etree._Element | None) -> list[Issue]:
        """The feed-level checks into self.feed; returns the feed-level schema issues."""
        raise NotImplementedError

    def streamed(self, element: etree._Element, entry_id: str) -> None:
        """Keep what the whole-document checks need of an entry before it is cleared."""
        self._ids.add(entry_id)
        # (an entry without any holds the one empty tuple: a list each held 2 x 56 bytes an
        # entry, 180 MB over a feed of 1.6 million tiny items)
        self._marks.append(tuple(self.feed.issue_at(mark_problem(mark), mark)
                                 for mark in element.iter(*MARK_TAGS)))
        self._languages.append(tuple(found for inner in _with_language(element)
                                     for found in self._language(inner)))

    def finish(self) -> list[Issue]:
        """The feed-level and whole-document checks, and every issue in order."""
        from feedwright.validate import history

        container = self.container()
        feed_schema = self.feed_level(container)
        archive = Collector(self.paths, self.content)
        if container is not None:  # an Atom Entry Document has no marks or tombstones
            archive.issues = self._spliced(self._marks, container, MARK_TAGS, lambda mark: [
                self.feed.issue_at(mark_problem(mark), mark)]
                if mark.getparent() is not container else [])
            history.check_xml(self.root, self.format, archive, self._ids)
        languages = self._spliced(self._languages, container, (), self._language)
        return (feed_schema + self.entry_schema + self.feed.issues + self.entries.issues
                + archive.issues + languages)

    def _language(self, element: etree._Element) -> list[Issue]:
        text = element.get(XML_LANG)  # None on comments and processing instructions
        problem = values.check_language(text) if text else None  # xml:lang="": no language
        return [] if problem is None else [self.feed.issue_at(problem, element)]

    def _spliced(self, streamed: list[tuple[Issue, ...]], container: etree._Element | None,
                 tags: tuple[str, ...], check: Callable[[etree._Element], list[Issue]],
                 ) -> list[Issue]:
        """`check` of every element (of `tags`, or all) in document order, with the issues
        each entry had before it was cleared put back in its place.

        One walk over the elements, not an XPath: `//@xml:lang` first collects every node of the
        document (elements, text, comments) into one node-set, and libxml2 refuses node-sets of
        more than 10,000,000 nodes (a 100,000-entry feed raised XPathEvalError)."""
        found: list[Issue] = []
        taken = iter(streamed)
        for element in self.root.iter(*tags, self.entry_tag) if tags else self.root.iter():
            if element.tag == self.entry_tag and container is not None \
                    and element.getparent() is container:
                found.extend(next(taken, ()))
            elif not tags or element.tag in tags:
                found.extend(check(element))
        return found


_LANGUAGE_XPATH = etree.XPath("descendant-or-self::*[@xml:lang]")


def _with_language(entry: etree._Element) -> list[etree._Element]:
    """The elements at or under one entry that carry xml:lang: an XPath over one entry (a
    tenth of what walking its elements in Python cost), and the walk for an entry of more
    elements than an XPath node-set may hold (libxml2 refuses more than 10,000,000)."""
    try:
        found = _LANGUAGE_XPATH(entry)
    except etree.XPathEvalError:
        return [element for element in entry.iter() if element.get(XML_LANG) is not None]
    return cast("list[etree._Element]", found)


#: RFC 5005's marks, which belong in the feed or channel itself.
MARK_TAGS = (f"{{{NS_HISTORY}}}archive", f"{{{NS_HISTORY}}}complete")


def mark_problem(mark: etree._Element) -> Problem:
    return ("archive-marker-place", f"<{etree.QName(mark).localname}> belongs in the feed or "
            "channel, not inside an entry")


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


def resolved(url: str, element: etree._Element) -> str:
    """A url an element states, resolved against the xml:base in force there (lxml follows the
    chain of ancestors), so urls written relative to different bases compare as the files."""
    return urljoin(element.base or "", url.strip())


def media_urls(element: etree._Element) -> list[str]:
    """The resolved urls of the media:content elements of an item or entry (directly or in
    groups)."""
    urls: list[str] = []
    for child in element:
        if child.tag == MEDIA_CONTENT and child.get("url"):
            urls.append(resolved(child.get("url", ""), child))
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
    enough); Atom lists each file (every=True: each media url wants its enclosure link). The
    enclosure urls come resolved (`resolved`), as the media urls are."""
    listed = set(enclosure_urls)
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
        collector.add_all(collector.content.check_html(text, base), element, entry)


def check_enclosure(length: str | None, mime: str | None, required: bool) -> list[Problem]:
    """Length and type of an RSS enclosure (required=True: both attributes are required) or an
    Atom rel="enclosure" link (both optional, as RFC 4287 and the W3C validator have it)."""
    problems: list[Problem] = []
    if length is None:
        if required:
            problems.append(("enclosure-length",
                             'enclosure has no length; give the size in bytes, or length="0" '
                             "when it is not known"))
    elif not values.is_whole_number(length):
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


