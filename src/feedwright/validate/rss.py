"""RSS 2.0: the shipped schema, then the rules it cannot express."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from feedwright.validate import dates, values
from feedwright.validate.report import Issue
from feedwright.validate.xmlcommon import (
    NS_ATOM,
    NS_CONTENT,
    NS_DC,
    NS_MEDIA,
    Collector,
    check_enclosure,
    check_html_element,
    check_languages,
    check_media,
    line_of,
    relaxng,
    schema_issues,
    skeleton,
)

ATOM_LINK = f"{{{NS_ATOM}}}link"
ATOM_UPDATED = f"{{{NS_ATOM}}}updated"
CONTENT_ENCODED = f"{{{NS_CONTENT}}}encoded"
DC_LANGUAGE = f"{{{NS_DC}}}language"
_MEDIA_PREFIX = f"{{{NS_MEDIA}}}"
_ITEM_CHILDREN = ("", frozenset({"title", "link", "description", "author", "category", "comments",
                                 "enclosure", "guid", "pubDate", "source"}))


def check_rss(root: etree._Element) -> list[Issue]:
    schema = relaxng("rss.rng")
    channel = root.find("channel")
    if channel is None:
        return schema_issues(schema, root, "rss-schema", root)
    found = schema_issues(schema, skeleton(root, channel, "item"), "rss-schema", root)
    collector = Collector(root)
    _check_channel(channel, collector)
    guids: dict[str, int] = {}
    for position, item in enumerate(channel.iterchildren("item"), 1):
        label = _labeller(item, position)
        found.extend(schema_issues(schema, item, "rss-schema", root, label, _ITEM_CHILDREN))
        _check_item(item, collector, label, guids)
    check_languages(collector)
    return found + collector.issues


def _labeller(item: etree._Element, position: int) -> Callable[[], str]:
    """Names the item in messages: its guid, else its title, else its position."""
    def label() -> str:
        for tag in ("guid", "title", "link"):
            text = (item.findtext(tag) or "").strip()
            if text:
                return f"item {text!r}"
        return f"item {position}"
    return label


def _check_channel(channel: etree._Element, collector: Collector) -> None:
    self_links: list[etree._Element] = []
    for child in channel:
        tag = child.tag
        text = (child.text or "").strip()
        if tag in ("link", "docs"):
            collector.add(values.check_url(text), child)
        elif tag in ("language", DC_LANGUAGE):
            collector.add(values.check_language(text), child)
        elif tag in ("managingEditor", "webMaster"):
            collector.add(values.check_rss_person(text), child)
        elif tag in ("pubDate", "lastBuildDate"):
            collector.add(dates.check_rfc822(child.text or ""), child)
        elif tag in ("image", "textInput"):
            for sub in child:
                if sub.tag in ("url", "link"):
                    collector.add(values.check_url((sub.text or "").strip()), sub)
        elif tag == ATOM_LINK:
            if child.get("rel") == "self":
                self_links.append(child)
            elif child.get("href") is not None:  # a missing href is the schema's to report
                collector.add(values.check_url(child.get("href", "")), child)
            _check_link_type(child, collector)
        elif tag == ATOM_UPDATED:
            collector.add(dates.check_rfc3339(child.text or ""), child)
    _check_self_links(self_links, channel, collector)


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
                guids: dict[str, int]) -> None:
    has_title = has_description = has_guid = False
    enclosures = 0
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
            collector.add(values.check_url((child.text or "").strip()), child, label)
        elif tag == "author":
            collector.add(values.check_rss_person((child.text or "").strip()), child, label)
        elif tag == "pubDate":
            collector.add(dates.check_rfc822(child.text or ""), child, label)
        elif tag == "guid":
            has_guid = True
            _check_guid(child, collector, label, guids)
        elif tag == "enclosure":
            enclosures += 1
            collector.add(values.check_url(child.get("url", "")), child, label)
            collector.add_all(check_enclosure(child.get("length"), child.get("type")), child,
                              label)
        elif tag == "source":
            collector.add(values.check_url(child.get("url", "")), child, label)
        elif tag == ATOM_UPDATED:
            collector.add(dates.check_rfc3339(child.text or ""), child, label)
        elif tag == ATOM_LINK:
            if child.get("href") is not None:
                collector.add(values.check_url(child.get("href", "")), child, label)
            _check_link_type(child, collector)
        elif tag == DC_LANGUAGE:
            collector.add(values.check_language((child.text or "").strip()), child, label)
        elif tag.startswith(_MEDIA_PREFIX):
            check_media(child, collector, label)
    if not (has_title or has_description):
        collector.add(("rss-item-title-or-description",
                       "item has neither a title nor a description; give at least one"), item,
                      label)
    if not has_guid:
        collector.add(("rss-guid-missing",
                       "item has no guid; add one so readers do not show it twice"), item, label)
    if enclosures > 1:
        collector.add(("rss-enclosure-multiple",
                       f"item has {enclosures} enclosures; most readers take only the first, "
                       "put the others in media:content"), item, label)


def _check_guid(guid: etree._Element, collector: Collector, label: Callable[[], str],
                guids: dict[str, int]) -> None:
    text = (guid.text or "").strip()
    if guid.get("isPermaLink", "true") == "true" and not values.is_http_url(text):
        collector.add(("rss-guid-permalink",
                       f"guid {text!r} is not an http(s) URL, so it cannot be a permalink; "
                       'add isPermaLink="false"'), guid, label)
    if not text:
        return
    if text in guids:
        collector.add(("id-unique",
                       f"guid {text!r} is also used by the item on line {guids[text]}"),
                      guid, label)
    else:
        guids[text] = line_of(guid) or 0
