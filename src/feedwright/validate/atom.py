"""Atom 1.0: the schema from RFC 4287, then its embedded rules and ours in Python."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from feedwright.validate import content, dates, values
from feedwright.validate.content import ContentChecks
from feedwright.validate.report import Issue
from feedwright.validate.xmlcommon import (
    MEDIA_ONCE,
    NS_ATOM,
    NS_MEDIA,
    Children,
    Collector,
    DocumentCheck,
    check_duplicates,
    check_enclosure,
    check_html_element,
    check_media,
    check_media_enclosures,
    line_of,
    relaxng,
    resolved,
    schema_issues,
    skeleton,
)

A = f"{{{NS_ATOM}}}"
FEED, ENTRY = f"{A}feed", f"{A}entry"
ID, TITLE, LINK, AUTHOR, CONTRIBUTOR = f"{A}id", f"{A}title", f"{A}link", f"{A}author", \
    f"{A}contributor"
CONTENT, SUMMARY, SOURCE = f"{A}content", f"{A}summary", f"{A}source"
UPDATED, PUBLISHED, EMAIL, URI = f"{A}updated", f"{A}published", f"{A}email", f"{A}uri"
ICON, LOGO, GENERATOR, RIGHTS = f"{A}icon", f"{A}logo", f"{A}generator", f"{A}rights"
_MEDIA_PREFIX = f"{{{NS_MEDIA}}}"
_XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
_TEXT_TYPES = ("text", "html", "xhtml")
_ENTRY_CHILDREN = Children(NS_ATOM, frozenset({
    "author", "category", "content", "contributor", "id", "link", "published", "rights",
    "source", "summary", "title", "updated"}), text_only=frozenset({
    "id", "published", "updated", "title", "summary", "rights"}))  # (content may hold XML)


class AtomCheck(DocumentCheck):
    """The Atom checks, entry by entry as the document streams past (xmlcommon.DocumentCheck).

    An entry without an author of its own takes the feed's, which RFC 4287 lets stand after the
    entries: until the document ends, such an entry's atom-entry-author issue waits with its
    place among the entries' issues (`_pending`), and goes in only if the feed has no author."""

    format = "atom"
    entry_tag = ENTRY

    def __init__(self, root: etree._Element, content: ContentChecks | None = None) -> None:
        super().__init__(root, relaxng("atom.rng"), "atom-schema", content)
        self._id_lines: dict[str, int] = {}
        self._pending: list[tuple[int, Issue]] = []
        self._feed_author: bool | None = None  # None: none seen yet (one may follow)
        self._previous: etree._Element | None = None  # the entry checked last

    def container(self) -> etree._Element | None:
        return self.root if self.root.tag == FEED else None

    def entry(self, entry: etree._Element) -> None:
        self.position += 1
        label = _labeller(entry, self.position)
        self.entry_schema.extend(schema_issues(self.schema, entry, self.rule, self.paths, label,
                                               _ENTRY_CHILDREN))
        if self._feed_author is None:  # the feed's children since the previous entry
            sibling = entry.getprevious()
            while sibling is not None and sibling is not self._previous:
                if sibling.tag == AUTHOR:
                    self._feed_author = True
                    break
                sibling = sibling.getprevious()
        self._previous = entry
        self.streamed(entry, _check_entry(entry, self.entries, label, self._id_lines,
                                          self._feed_author, self._pending))

    def feed_level(self, container: etree._Element | None) -> list[Issue]:
        if container is None:
            # A standalone Atom Entry Document: no feed to inherit an author from.
            _check_entry(self.root, self.entries, _labeller(self.root, 1), {}, False, [])
            return schema_issues(self.schema, self.root, self.rule, self.paths)
        _check_feed(self.root, self.feed)
        if self.root.find(AUTHOR) is None:
            for at, found in reversed(self._pending):
                self.entries.issues.insert(at, found)
        return schema_issues(self.schema, skeleton(self.root, self.root, ENTRY), self.rule,
                             self.paths)


def _labeller(entry: etree._Element, position: int) -> Callable[[], str]:
    def label() -> str:
        for tag in (ID, TITLE):
            text = (entry.findtext(tag) or "").strip()
            if text:
                return f"entry {text!r}"
        return f"entry {position}"
    return label


def _base(element: etree._Element) -> str | None:
    """The xml:base in force at an element (lxml resolves the chain of ancestors)."""
    return element.base


def _check_prefixes(parent: etree._Element, collector: Collector,
                    label: Callable[[], str] | None) -> None:
    """Atom elements under a prefix (ns0:link): valid XML, but gofeed, rss-parser and sfeed
    read only unprefixed Atom (W3C: AvoidNamespacePrefix, a warning)."""
    for element in (parent, *parent):
        if isinstance(element.tag, str) and element.tag.startswith(A) and element.prefix:
            collector.add(("atom-namespace-prefix",
                           f"<{element.prefix}:{etree.QName(element).localname}> is Atom under "
                           f"the prefix {element.prefix!r}; write Atom in the default namespace"),
                          element, label)


def _date(element: etree._Element) -> list[values.Problem]:
    raw = element.text or ""
    return [p for p in (values.check_bare(raw, "date"), dates.check_rfc3339(raw.strip(), atom=True))
            if p is not None]


def _id(element: etree._Element) -> list[values.Problem]:
    raw = element.text or ""
    return [p for p in (values.check_bare(raw, "id"), values.check_id(raw)) if p is not None]


def _check_feed(feed: etree._Element, collector: Collector) -> None:
    links: list[etree._Element] = []
    _check_prefixes(feed, collector, None)
    for child in feed:
        tag = child.tag
        if tag == ID:
            collector.add_all(_id(child), child)
        elif tag == LINK:
            links.append(child)
        elif tag == UPDATED:
            collector.add_all(_date(child), child)
        elif tag in (ICON, LOGO):
            collector.add(_url(child.text or "", child), child)
        elif tag == GENERATOR and child.get("uri") is not None:
            collector.add(_url(child.get("uri", ""), child), child)
        elif tag in (AUTHOR, CONTRIBUTOR):
            _check_person(child, collector, None)
    self_links = [link for link in links if link.get("rel") == "self"]
    if not self_links:
        collector.add(("self-link-missing",
                       'the feed has no <link rel="self" href="..."> giving its own URL'), feed)
    for link in self_links:
        # A self link must work wherever the document is copied to: absolute, not via xml:base.
        problem = values.check_url(link.get("href", ""))
        if problem is not None and problem[0] == "url-absolute":
            problem = ("self-link-relative", f"self link: {problem[1]}")
        collector.add(problem, link)
    _check_links([link for link in links if link.get("rel") != "self"], collector, None)
    _check_alternates(links, feed, collector, None)


def _url(value: str, element: etree._Element) -> values.Problem | None:
    text = value.strip()
    problem = values.check_url(text)
    if problem is not None and problem[0] == "url-absolute":
        # Relative references are legal in Atom when an xml:base makes them absolute, and
        # without one they resolve against the document's URL (RFC 4287, W3C accepts them).
        problem = values.check_url(text, _base(element))
        if problem is not None and problem[0] == "url-absolute":
            problem = ("url-relative-reference", f"{problem[1]} (or give an xml:base)")
    return problem


def _check_links(links: list[etree._Element], collector: Collector,
                 label: Callable[[], str] | None) -> None:
    for link in links:
        href = link.get("href")
        if href is not None:  # a missing href is the schema's to report
            problem = _url(href, link)
            if problem is None and href != href.strip():  # attributes are not trimmed
                problem = values.check_url_attribute(href)
            collector.add(problem, link, label)
        hreflang = link.get("hreflang")
        if hreflang is not None:
            collector.add(values.check_language(hreflang), link, label)
        if link.get("rel") == "enclosure":
            collector.add_all(check_enclosure(link.get("length"), link.get("type"), False),
                              link, label)
        elif link.get("type") is not None:
            collector.add(values.check_mime(link.get("type", "")), link, label)


def _check_alternates(links: list[etree._Element], parent: etree._Element,
                      collector: Collector, label: Callable[[], str] | None) -> None:
    seen: set[tuple[str | None, str | None]] = set()
    for link in links:
        if link.get("rel", "alternate") != "alternate":
            continue
        key = (link.get("type"), link.get("hreflang"))
        if key in seen:
            collector.add(("atom-alternate-unique",
                           f"more than one rel=alternate link with type={key[0]!r} and "
                           f"hreflang={key[1]!r}; keep one or tell them apart"), link, label)
        seen.add(key)


def _check_person(person: etree._Element, collector: Collector,
                  label: Callable[[], str] | None) -> None:
    for child in person:
        if child.tag == EMAIL:
            collector.add(values.check_email(child.text or ""), child, label)
        elif child.tag == URI:
            collector.add(_url(child.text or "", child), child, label)


def _check_entry(entry: etree._Element, collector: Collector, label: Callable[[], str],
                 ids: dict[str, int], feed_has_author: bool | None,
                 pending: list[tuple[int, Issue]]) -> str:
    """`feed_has_author` None: not known yet; the author issue then goes to `pending`, with
    its place in the collector's issues. Gives the first id's text, stripped ("" without one),
    which the loop over the children meets anyway."""
    entry_id: str | None = None
    has_media = False
    links: list[etree._Element] = []
    has_author = bool(feed_has_author)
    content_el: etree._Element | None = None
    summary: etree._Element | None = None
    published: etree._Element | None = None
    updated: etree._Element | None = None
    _check_prefixes(entry, collector, label)
    check_duplicates(entry, MEDIA_ONCE, collector, label)
    for child in entry:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == ID:
            text = _check_entry_id(child, collector, label, ids)
            if entry_id is None:
                entry_id = text
        elif tag == LINK:
            links.append(child)
        elif tag == AUTHOR:
            has_author = True
            _check_person(child, collector, label)
        elif tag == CONTRIBUTOR:
            _check_person(child, collector, label)
        elif tag == CONTENT:
            content_el = child
            _check_text(child, collector, label, is_content=True)
        elif tag == SUMMARY:
            summary = child
            _check_text(child, collector, label, is_content=False)
        elif tag == PUBLISHED:
            published = child
            collector.add_all(_date(child), child, label)
        elif tag == UPDATED:
            updated = child
            collector.add_all(_date(child), child, label)
        elif tag == SOURCE:
            has_author = has_author or child.find(AUTHOR) is not None
        elif tag.startswith(_MEDIA_PREFIX):
            has_media = True
            check_media(child, collector, label, _base(child))
    _check_links(links, collector, label)
    _check_alternates(links, entry, collector, label)
    if has_media:  # no Media RSS child: no media:content without its enclosure link
        check_media_enclosures(entry, (resolved(link.get("href", ""), link) for link in links
                                       if link.get("rel") == "enclosure"), collector, label,
                               every=True)
    if not has_author:
        problem = ("atom-entry-author",
                   "entry has no author, and the feed has none to inherit; add <author>")
        if feed_has_author is None:
            pending.append((len(collector.issues), collector.issue_at(problem, entry, label)))
        else:
            collector.add(problem, entry, label)
    if content_el is None and not any(
            link.get("rel", "alternate") == "alternate" for link in links):
        collector.add(("atom-entry-content-or-link",
                       "entry has neither <content> nor a rel=alternate link; add one"),
                      entry, label)
    if content_el is not None and summary is None and _needs_summary(content_el):
        collector.add(("atom-summary-required",
                       "entry content is out of line (src) or base64; add a <summary>"),
                      entry, label)
    _check_order(published, updated, collector, label)
    return entry_id or ""


def _check_entry_id(element: etree._Element, collector: Collector, label: Callable[[], str],
                    ids: dict[str, int]) -> str:
    """The id's checks; gives its text, stripped."""
    text = (element.text or "").strip()
    collector.add_all(_id(element), element, label)
    if not text:
        return text
    if text in ids:
        collector.add(("atom-id-duplicate",
                       f"id {text!r} is also used by the entry on line {ids[text]}"),
                      element, label)
    else:
        ids[text] = line_of(element) or 0
    return text


def _check_text(element: etree._Element, collector: Collector,
                label: Callable[[], str], is_content: bool) -> None:
    """content or summary: html escaped once and safe, xhtml safe, text free of markup."""
    kind = element.get("type", "text")
    src = element.get("src")
    if src is not None:
        collector.add(_url(src, element), element, label)
    if kind not in _TEXT_TYPES:
        # Only content may have a MIME type; elsewhere the schema reports the bad type.
        if is_content:
            collector.add(values.check_mime(kind), element, label)
        return
    base = _base(element) if kind != "text" else None
    if kind == "html":
        check_html_element(element, collector, label, base)
    elif kind == "xhtml":
        div = element.find(_XHTML_DIV)
        if div is not None:
            collector.add_all(content.check_xhtml(div, base), element, label)
    elif element.text:
        collector.add(content.check_undeclared(element.text), element, label)


def _needs_summary(element: etree._Element) -> bool:
    """RFC 4287 4.1.1.1: out-of-line content, or content of a non-XML, non-text MIME type."""
    if element.get("src") is not None:
        return True
    kind = element.get("type", "text").lower()
    if kind in _TEXT_TYPES or "/" not in kind:
        return False
    return not (kind.startswith("text/") or kind.endswith(("/xml", "+xml")))


def _check_order(published: etree._Element | None, updated: etree._Element | None,
                 collector: Collector, label: Callable[[], str]) -> None:
    if published is None or updated is None:
        return
    first = dates.parse_rfc3339(published.text or "")
    last = dates.parse_rfc3339(updated.text or "")
    if first is not None and last is not None and last < first:
        collector.add(("date-order",
                       f"updated {updated.text!r} is before published {published.text!r}"),
                      updated, label)
