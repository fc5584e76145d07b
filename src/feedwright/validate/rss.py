"""RSS 2.0: the shipped schema, then the rules it cannot express."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from feedwright.validate import dates, values
from feedwright.validate.content import ContentChecks
from feedwright.validate.report import Issue
from feedwright.validate.xmlcommon import (
    MEDIA_ONCE,
    NS_ATOM,
    NS_CONTENT,
    NS_DC,
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
    media_url_problem,
    relaxng,
    resolved,
    schema_issues,
    skeleton,
)

ATOM_LINK = f"{{{NS_ATOM}}}link"
ATOM_UPDATED = f"{{{NS_ATOM}}}updated"
CONTENT_ENCODED = f"{{{NS_CONTENT}}}encoded"
DC_LANGUAGE = f"{{{NS_DC}}}language"
DC_CREATOR = f"{{{NS_DC}}}creator"
_MEDIA_PREFIX = f"{{{NS_MEDIA}}}"
_ITEM_CHILDREN = Children("", frozenset({
    "title", "link", "description", "author", "category", "comments", "enclosure", "guid",
    "pubDate", "source"}), text_only=frozenset({
    "title", "link", "description", "author", "category", "comments", "guid", "pubDate",
    "source"}))


def _ns(namespace: str, *names: str) -> set[str]:
    return {f"{{{namespace}}}{name}" for name in names}


# Elements that may appear once in their parent, as the W3C validator has them (noduplicates):
# RSS 2.0's own, and the Dublin Core, Atom and Media RSS elements it allows in RSS.
_DC_ONCE = _ns(NS_DC, "title", "description", "type", "format", "source", "language", "rights")
ITEM_ONCE = frozenset({"title", "link", "description", "guid", "pubDate", "author", "source",
                       "comments", CONTENT_ENCODED}
                      | _DC_ONCE | _ns(NS_ATOM, "id", "title", "summary", "author", "published",
                                       "updated") | MEDIA_ONCE)
CHANNEL_ONCE = frozenset({"title", "link", "description", "language", "copyright",
                          "managingEditor", "webMaster", "pubDate", "lastBuildDate", "generator",
                          "docs", "cloud", "ttl", "image", "textInput", "skipHours", "skipDays"}
                         | _DC_ONCE | _ns(NS_DC, "date")
                         | _ns(NS_ATOM, "id", "title", "subtitle", "rights", "icon", "logo",
                               "generator", "updated") | MEDIA_ONCE)
_TEXT_INPUT_PARTS = ("title", "description", "name", "link")


def _uri_text(element: etree._Element, what: str) -> list[values.Problem]:
    """An element whose text is a URL where RSS requires a URI (link, comments, docs, ...)."""
    raw = element.text or ""
    problem = values.check_url(raw.strip())
    if problem is None and any(ord(c) > 127 for c in raw):
        problem = values.check_uri(raw.strip())
    return [p for p in (values.check_bare(raw, what), problem) if p is not None]


def _atom_date(value: str) -> values.Problem | None:
    """atom:updated in RSS: an Atom date (RFC 4287 3.3: "T" and "Z" in upper case)."""
    return dates.check_rfc3339(value, atom=True)


def _date_text(element: etree._Element, check: Callable[[str], values.Problem | None]
               ) -> list[values.Problem]:
    raw = element.text or ""
    return [p for p in (values.check_bare(raw, "date"), check(raw.strip())) if p is not None]


class RssCheck(DocumentCheck):
    """The RSS checks, item by item as the document streams past (xmlcommon.DocumentCheck)."""

    format = "rss"
    entry_tag = "item"

    def __init__(self, root: etree._Element, content: ContentChecks | None = None) -> None:
        super().__init__(root, relaxng("rss.rng"), "rss-schema", content)
        self._guids: dict[str, int] = {}

    def container(self) -> etree._Element | None:
        return self.root.find("channel")

    def entry(self, item: etree._Element) -> None:
        self.position += 1
        label = _labeller(item, self.position)
        self.entry_schema.extend(schema_issues(self.schema, item, self.rule, self.paths, label,
                                               _ITEM_CHILDREN))
        self.streamed(item, _check_item(item, self.entries, label, self._guids))

    def feed_level(self, container: etree._Element | None) -> list[Issue]:
        assert container is not None, "finish() checks a document without a channel itself"
        _check_version(self.root, self.feed)
        _check_channel(container, self.feed)
        return schema_issues(self.schema, skeleton(self.root, container, "item"), self.rule,
                             self.paths)

    def finish(self) -> list[Issue]:
        if self.container() is None:  # no channel: the schema says what is missing
            _check_version(self.root, self.feed)
            return schema_issues(self.schema, self.root, self.rule,
                                 self.paths) + self.feed.issues
        return super().finish()


def _labeller(item: etree._Element, position: int) -> Callable[[], str]:
    """Names the item in messages: its guid, else its title, else its position."""
    def label() -> str:
        for tag in ("guid", "title", "link"):
            text = (item.findtext(tag) or "").strip()
            if text:
                return f"item {text!r}"
        return f"item {position}"
    return label


def _check_version(rss: etree._Element, collector: Collector) -> None:
    """<rss version>: required (W3C: MissingAttribute), any value accepted as W3C does (the
    0.9x family and 2.01 read as 2.0); one other than 2.0 is a warning."""
    version = rss.get("version")
    if version is None or not version.strip():
        collector.add(("rss-version", '<rss> needs version="2.0"'
                       + ("" if version is None else f"; it has version={version!r}")), rss)
    elif version.strip() != "2.0":
        collector.add(("rss-version-other",
                       f"<rss> has version={version!r}; it is checked as RSS 2.0: "
                       'write version="2.0" if it is one'), rss)


def _check_channel(channel: etree._Element, collector: Collector) -> None:
    self_links: list[etree._Element] = []
    check_duplicates(channel, CHANNEL_ONCE, collector)
    for child in channel:
        tag = child.tag
        text = (child.text or "").strip()
        if tag in ("link", "docs"):
            collector.add_all(_uri_text(child, "URL"), child)
        elif tag in ("language", DC_LANGUAGE):
            collector.add(values.check_language(text), child)
        elif tag in ("managingEditor", "webMaster"):
            collector.add(values.check_rss_person(text), child)
        elif tag in ("pubDate", "lastBuildDate"):
            collector.add_all(_date_text(child, dates.check_rfc822), child)
        elif tag in ("image", "textInput"):
            for sub in child:
                if sub.tag in ("url", "link"):
                    collector.add_all(_uri_text(sub, "URL"), sub)
            if tag == "textInput":
                _check_text_input(child, collector)
        elif tag in ("skipHours", "skipDays"):
            _check_unique_values(child, collector)
        elif tag == ATOM_LINK:
            if child.get("rel") == "self":
                self_links.append(child)
            elif child.get("href") is not None:  # a missing href is the schema's to report
                collector.add(_atom_href(child.get("href", "")), child)
            _check_link_type(child, collector)
        elif tag == ATOM_UPDATED:
            collector.add_all(_date_text(child, _atom_date), child)
    _check_self_links(self_links, channel, collector)


def _atom_href(href: str) -> values.Problem | None:
    """An atom:link href in RSS is an Atom IRI reference, which may be relative (it resolves
    against the document's URL): W3C accepts it, so a relative one is only a warning."""
    problem = values.check_url_attribute(href)
    if problem is not None and problem[0] == "url-absolute":
        return ("url-relative-reference", problem[1])
    return problem


def _check_text_input(text_input: etree._Element, collector: Collector) -> None:
    """RSS 2.0: a textInput has a title, description, name and link; the name is a form field."""
    for part in _TEXT_INPUT_PARTS:
        if text_input.find(part) is None:
            collector.add(("rss-textinput", f"textInput has no <{part}>; it needs title, "
                           "description, name and link"), text_input)
    name = text_input.find("name")
    if name is not None:
        collector.add(values.check_form_name((name.text or "").strip()), name)


def _check_unique_values(parent: etree._Element, collector: Collector) -> None:
    """skipHours' hours and skipDays' days: each at most once (W3C: DuplicateValue)."""
    seen: set[str] = set()
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        value = (child.text or "").strip()
        if value in seen:
            collector.add(("duplicate-value",
                           f"<{parent.tag}> lists {value!r} twice; list each once"), child)
        seen.add(value)


def _check_self_links(links: list[etree._Element], channel: etree._Element,
                      collector: Collector) -> None:
    if not links:
        collector.add(("self-link-missing",
                       'the channel has no <atom:link rel="self" href="..."> giving the feed\'s '
                       "own URL"), channel)
    for link in links:
        problem = values.check_url(link.get("href", ""))
        if problem is not None and problem[0] == "url-absolute":
            problem = ("self-link-relative", f"self link: {problem[1]}")
        collector.add(problem, link)


def _check_link_type(link: etree._Element, collector: Collector) -> None:
    mime = link.get("type")
    if mime is not None:
        collector.add(values.check_mime(mime), link)


def _check_item(item: etree._Element, collector: Collector, label: Callable[[], str],
                guids: dict[str, int]) -> str:
    """The item's checks; gives its first guid's text, stripped ("" without one), which the
    loop over its children meets anyway (a findtext after it cost ~4% of validating RSS)."""
    guid_text: str | None = None
    has_title = has_description = has_guid = has_pubdate = has_updated = has_media = False
    creators = 0
    enclosures: list[str] = []
    check_duplicates(item, ITEM_ONCE, collector, label)
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        if tag == "title":
            has_title = True
        elif tag == "description":
            has_description = True
            check_html_element(child, collector, label)
        elif tag == CONTENT_ENCODED:
            check_html_element(child, collector, label)
        elif tag in ("link", "comments"):
            collector.add_all(_uri_text(child, "URL"), child, label)
        elif tag == "author":
            collector.add(values.check_rss_person((child.text or "").strip()), child, label)
        elif tag == "pubDate":
            has_pubdate = True
            collector.add_all(_date_text(child, dates.check_rfc822), child, label)
        elif tag == DC_CREATOR:
            creators += 1
        elif tag == "guid":
            has_guid = True
            text = _check_guid(child, collector, label, guids)
            if guid_text is None:
                guid_text = text
        elif tag == "enclosure":
            url = child.get("url", "")
            enclosures.append(resolved(url, child))
            collector.add(values.check_enclosure_url(url) or media_url_problem(url, None), child,
                          label)
            collector.add_all(check_enclosure(child.get("length"), child.get("type"), True),
                              child, label)
        elif tag == "source":
            collector.add(media_url_problem(child.get("url", ""), None), child, label)
        elif tag == ATOM_UPDATED:
            has_updated = True
            collector.add_all(_date_text(child, _atom_date), child, label)
        elif tag == ATOM_LINK:
            if child.get("href") is not None:
                collector.add(_atom_href(child.get("href", "")), child, label)
            _check_link_type(child, collector)
        elif tag == DC_LANGUAGE:
            collector.add(values.check_language((child.text or "").strip()), child, label)
        elif tag.startswith(_MEDIA_PREFIX):
            has_media = True
            check_media(child, collector, label)
    if not (has_title or has_description):
        collector.add(("rss-item-title-or-description",
                       "item has neither a title nor a description; give at least one"), item,
                      label)
    if not has_guid:
        collector.add(("rss-guid-missing",
                       "item has no guid; add one so readers do not show it twice"), item, label)
    # What issue 9 measured in ten clients: opinions, so warnings (W3C accepts both).
    if creators > 1:
        collector.add(("rss-creator-multiple",
                       f"item has {creators} dc:creator elements; most clients show only one of "
                       "the names: name everyone in one, e.g. 'Jo Park, Sione Taufa'"), item, label)
    if has_updated and not has_pubdate:
        collector.add(("rss-pubdate-missing",
                       "item has atom:updated but no pubDate; most clients read only pubDate, "
                       "so give the updated date there too"), item, label)
    if len(enclosures) > 1:
        collector.add(("rss-enclosure-multiple",
                       f"item has {len(enclosures)} enclosures; most readers take only the "
                       "first, put the others in media:content"), item, label)
    if has_media:  # no Media RSS child: no media:content without its enclosure
        check_media_enclosures(item, enclosures, collector, label, every=False)
    return guid_text or ""


def _check_guid(guid: etree._Element, collector: Collector, label: Callable[[], str],
                guids: dict[str, int]) -> str:
    """The guid's checks; gives its text, stripped."""
    text = (guid.text or "").strip()
    collector.add(values.check_bare(guid.text or "", "guid"), guid, label)
    if guid.get("isPermaLink", "true") == "true" and not values.is_http_url(text):
        collector.add(("rss-guid-permalink",
                       f"guid {text!r} is not an http(s) URL, so it cannot be a permalink; "
                       'add isPermaLink="false"'), guid, label)
    if not text:
        return text
    if text in guids:
        collector.add(("id-unique",
                       f"guid {text!r} is also used by the item on line {guids[text]}"),
                      guid, label)
    else:
        guids[text] = line_of(guid) or 0
    return text
