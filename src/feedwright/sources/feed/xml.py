"""RSS 2.0 (and 0.9x), RSS 1.0 and Atom 1.0 items as entries, with Media RSS, enclosures,
Dublin Core and our own `fw:attribution` record."""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import Any

from lxml import etree

from feedwright import attribution
from feedwright.formats import NS_ATOM, NS_CONTENT, NS_DC, NS_DCTERMS, NS_RDF, NS_XHTML, NS_XML
from feedwright.formats import qname as q
from feedwright.model import Agent, AgentKind, Credit, Entry, Role
from feedwright.normalise import credits as credit_rules
from feedwright.sources._common import Parts
from feedwright.sources.base import SourceError
from feedwright.sources.feed.common import (
    Counter,
    FeedInfo,
    FeedReader,
    add_media,
    first_words,
    rights_from_notice,
    strip_tags,
)
from feedwright.sources.feed.mediarss import enclosure, media_rss
from feedwright.sources.feed.xmltext import element_text as _text
from feedwright.sources.htmlbody import absolute

XML_BASE = q(NS_XML, "base")
XML_LANG = q(NS_XML, "lang")


def _record(item: etree._Element) -> attribution.Record | None:
    element = item.find(attribution.XML_TAG)
    return attribution.from_xml(element) if element is not None else None


class XmlFeedReader(FeedReader):
    """RSS items (`rss`, for RSS 2.0/0.9x and, with its namespace, RSS 1.0) and Atom entries."""

    def rss(
        self, channel: etree._Element, items: list[etree._Element], ns: str = ""
    ) -> tuple[Entry, ...]:
        def own(name: str) -> str:
            return q(ns, name) if ns else name

        info = FeedInfo(
            title=_text(channel.find(own("title"))) or self.retrieved.location,
            url=self._self_url(channel)
            or absolute(_text(channel.find(own("link"))), self.base_url),
            language=_text(channel.find(own("language")))
            or _text(channel.find(q(NS_DC, "language"))),
        )
        entries = []
        for number, item in enumerate(items, start=1):
            entries.append(self._rss_item(item, own, info, number))
        return tuple(entries)

    def _self_url(self, element: etree._Element) -> str | None:
        for link in element.findall(q(NS_ATOM, "link")):
            if link.get("rel") == "self" and link.get("href"):
                return absolute(link.get("href"), self.base_url)
        if self.retrieved.location.startswith(("http://", "https://")):
            return self.retrieved.base_url or self.retrieved.location
        return None

    def _rss_item(self, item: etree._Element, own: Any, info: FeedInfo, number: int) -> Entry:
        title = _text(item.find(own("title")))
        link = absolute(_text(item.find(own("link"))), self.base_url)
        guid_element = item.find(own("guid"))
        guid = _text(guid_element)
        if guid and guid_element is not None and guid_element.get("isPermaLink", "true") == "true":
            link = link or absolute(guid, self.base_url)
        if ns_about := item.get(q(NS_RDF, "about")):
            guid = guid or ns_about
        base_url = link or self.base_url
        counter = Counter()
        encoded = _text(item.find(q(NS_CONTENT, "encoded")), clean=False)
        description = _text(item.find(own("description")), clean=False)
        blocks, media = self.body(encoded or description, None, base_url, counter)
        summary = strip_tags(description) if encoded and description else None
        if not title:
            title = first_words(summary or next((b.text for b in blocks if b.text), ""))
        if not title:
            raise SourceError(self.retrieved.location, f"item {number} has no title and no text")
        credits: list[Credit] = []
        for creator in item.findall(q(NS_DC, "creator")):
            credits.extend(_byline_credits(_text(creator), Role.AUTHOR))
        for author in item.findall(own("author")):
            credits.extend(_email_author(_text(author)))
        for contributor in item.findall(q(NS_DC, "contributor")):
            credits.extend(_byline_credits(_text(contributor), Role.CONTRIBUTOR))
        credits.extend(self._origin(item))
        media = media_rss(item, base_url, counter, media, self.patterns)
        for element in item.findall(own("enclosure")):
            media = add_media(media, enclosure(element, base_url, counter))
        rights_text = _text(item.find(q(NS_DC, "rights"))) or _text(
            item.find(q(NS_DCTERMS, "rights"))
        )
        parts = Parts(
            title=title,
            id=guid or None,
            url=link,
            summary=summary,
            blocks=blocks,
            media=media,
            credits=credits,
            published=self.date(_text(item.find(own("pubDate"))), "rss:pubDate")
            or self.date(_text(item.find(q(NS_DC, "date"))), "rss:dc:date"),
            updated=self.date(_text(item.find(q(NS_ATOM, "updated"))), "rss:atom:updated")
            or self.date(_text(item.find(q(NS_DCTERMS, "modified"))), "rss:dcterms:modified"),
            categories=[_text(c) for c in item.findall(own("category"))]
            + [_text(c) for c in item.findall(q(NS_DC, "subject"))],
            rights=rights_from_notice(rights_text),
            language=_text(item.find(q(NS_DC, "language"))) or info.language,
        )
        return self.finish(parts, info, _record(item), base_url)

    def atom(self, feed: etree._Element, single: bool = False) -> tuple[Entry, ...]:
        base = absolute(feed.get(XML_BASE), self.base_url) or self.base_url
        if single:  # an <entry> document: no feed, so nothing to credit or inherit but its own
            return (self._atom_entry(feed, FeedInfo(None, None), base, 1),)
        info = FeedInfo(
            title=_text(feed.find(q(NS_ATOM, "title"))) or self.retrieved.location,
            url=self._self_url(feed) or _alternate(feed, base),
            authors=[a for e in feed.findall(q(NS_ATOM, "author")) if (a := _atom_person(e, base))],
            rights=rights_from_notice(_text(feed.find(q(NS_ATOM, "rights")))),
            language=feed.get(XML_LANG),
        )
        entries = feed.findall(q(NS_ATOM, "entry"))
        return tuple(self._atom_entry(e, info, base, n) for n, e in enumerate(entries, start=1))

    def _atom_entry(
        self, entry: etree._Element, info: FeedInfo, feed_base: str | None, number: int
    ) -> Entry:
        base = absolute(entry.get(XML_BASE), feed_base) or feed_base
        link = _alternate(entry, base)
        base_url = link or base
        title = _atom_text(entry.find(q(NS_ATOM, "title")))
        counter = Counter()
        content = entry.find(q(NS_ATOM, "content"))
        summary_element = entry.find(q(NS_ATOM, "summary"))
        html, text = _atom_body(content if content is not None else summary_element)
        blocks, media = self.body(html, text, base_url, counter)
        summary = _atom_text(summary_element) if content is not None else None
        if not title:
            raise SourceError(self.retrieved.location, f"entry {number} has no title")
        credits: list[Credit] = []
        own_authors = [
            a for e in entry.findall(q(NS_ATOM, "author")) if (a := _atom_person(e, base))
        ]
        # RFC 4287 4.2.1: an entry without an author has the feed's (stated, not invented)
        for agent in own_authors or info.authors:
            credits.append(Credit(agent, Role.AUTHOR, raw=agent.name))
        for element in entry.findall(q(NS_ATOM, "contributor")):
            contributor = _atom_person(element, base)
            if contributor is not None:
                credits.append(Credit(contributor, Role.CONTRIBUTOR, raw=contributor.name))
        source = entry.find(q(NS_ATOM, "source"))
        if source is not None:
            origin = _text(source.find(q(NS_ATOM, "title")))
            if origin:
                credits.append(
                    Credit(
                        Agent(origin, AgentKind.ORGANIZATION, _alternate(source, base)),
                        Role.SOURCE,
                        raw=origin,
                    )
                )
        media = media_rss(entry, base_url, counter, media, self.patterns)
        for element in entry.findall(q(NS_ATOM, "link")):
            if element.get("rel") == "enclosure":
                media = add_media(media, enclosure(element, base_url, counter))
        rights = rights_from_notice(_atom_text(entry.find(q(NS_ATOM, "rights")))) or info.rights
        parts = Parts(
            title=title,
            id=_text(entry.find(q(NS_ATOM, "id"))) or None,
            url=link,
            summary=summary,
            blocks=blocks,
            media=media,
            credits=credits,
            published=self.date(_text(entry.find(q(NS_ATOM, "published"))), "atom:published"),
            updated=self.date(_text(entry.find(q(NS_ATOM, "updated"))), "atom:updated"),
            categories=[
                c.get("label") or c.get("term") or "" for c in entry.findall(q(NS_ATOM, "category"))
            ],
            rights=rights,
            language=entry.get(XML_LANG) or info.language,
        )
        return self.finish(parts, info, _record(entry), base_url)

    def _origin(self, item: etree._Element) -> list[Credit]:
        """An RSS item that already came from elsewhere: <source url="...">Title</source>."""
        credits = []
        for element in item.findall("source"):
            name = _text(element)
            if name:
                url = absolute(element.get("url"), self.base_url)
                credits.append(
                    Credit(Agent(name, AgentKind.ORGANIZATION, url), Role.SOURCE, raw=name)
                )
        for element in item.findall(q(NS_DC, "source")):
            name = _text(element)
            if name:
                credits.append(Credit(Agent(name, AgentKind.ORGANIZATION), Role.SOURCE, raw=name))
        return credits


# --- helpers ------------------------------------------------------------------------------------


def _atom_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    if element.get("type") in ("html", "xhtml"):
        html, _ = _atom_body(element)
        return strip_tags(html or "")
    return _text(element)


def _atom_body(element: etree._Element | None) -> tuple[str | None, str | None]:
    """(html, text) of an Atom text construct or content element."""
    if element is None:
        return None, None
    kind = element.get("type") or "text"
    if kind == "html":
        return "".join(str(t) for t in element.itertext()), None
    if kind == "xhtml":
        div = element.find(q(NS_XHTML, "div"))
        holder = div if div is not None else element
        inner = (holder.text or "") + "".join(
            etree.tostring(c, method="html", encoding="unicode") for c in holder
        )
        return re.sub(r"\s*xmlns(?::\w+)?=\"[^\"]*\"", "", inner).replace("html:", ""), None
    if kind in ("text", "text/plain"):
        return None, "".join(str(t) for t in element.itertext())
    return None, None  # out-of-line or binary content: nothing to show


def _alternate(element: etree._Element, base: str | None) -> str | None:
    for link in element.findall(q(NS_ATOM, "link")):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return absolute(link.get("href"), base)
    return None


def _atom_person(element: etree._Element, base: str | None) -> Agent | None:
    name = _text(element.find(q(NS_ATOM, "name")))
    if not name:
        return None
    return Agent(
        name,
        credit_rules.agent_kind(name),
        absolute(_text(element.find(q(NS_ATOM, "uri"))), base),
        _text(element.find(q(NS_ATOM, "email"))) or None,
    )


def _byline_credits(text: str, role: Role) -> list[Credit]:
    if not text:
        return []
    parsed = credit_rules.parse_author(text)
    if parsed:
        return [
            Credit(c.agent, role if c.role is Role.AUTHOR else c.role, raw=text) for c in parsed
        ]
    return [Credit(Agent(text, credit_rules.agent_kind(text)), role, raw=text)]


def _email_author(text: str) -> list[Credit]:
    """RSS <author>: `jane@example.com (Jane Doe)`: the e-mail is stated, so it is kept."""
    if not text:
        return []
    name, email = parseaddr(text)
    if "@" in email and name:
        return [
            Credit(Agent(name, credit_rules.agent_kind(name), email=email), Role.AUTHOR, raw=text)
        ]
    if "@" in email:
        return [Credit(Agent(email, AgentKind.UNKNOWN, email=email), Role.AUTHOR, raw=text)]
    return _byline_credits(text, Role.AUTHOR)
