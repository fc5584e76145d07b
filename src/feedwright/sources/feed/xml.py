"""RSS 2.0 (and 0.9x), RSS 1.0 and Atom 1.0 items as entries, with Media RSS, enclosures,
Dublin Core and our own `fw:attribution` record."""

from __future__ import annotations

import html as html_text
import re
from email.utils import parseaddr
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import defs as html_defs

from feedwright import attribution
from feedwright.formats import NS_ATOM, NS_CONTENT, NS_DC, NS_DCTERMS, NS_RDF, NS_XHTML, NS_XML
from feedwright.formats import qname as q
from feedwright.model import Agent, AgentKind, Credit, Entry, Role
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.text import clean_line
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


def xml_base(element: etree._Element, outer: str | None) -> str | None:
    """The base that the xml:base attributes in scope at `element` (on it and on its
    ancestors) state: each resolved against the one outside it, the outermost against `outer`
    (the document's own url), as RFC 3986 5.1 and XML Base say. None when no xml:base is in
    scope, or when the chain still ends relative (nothing absolute to resolve it against).

    lxml's `element.base` walks the same chain, but only knows the document's url when it was
    given at parse time, and cannot say whether any xml:base was stated at all, which decides
    what an RSS item's relative urls resolve against (see XmlFeedReader)."""
    stated: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        value = node.get(XML_BASE)
        if value is not None:
            stated.append(value.strip())
        node = node.getparent()
    if not stated:
        return None
    base = outer
    for value in reversed(stated):
        base = urljoin(base, value) if base else value
    parts = urlsplit(base or "")
    return base if parts.scheme in ("http", "https") and parts.netloc else None


def _record(item: etree._Element) -> attribution.Record | None:
    element = item.find(attribution.XML_TAG)
    return attribution.from_xml(element) if element is not None else None


class XmlFeedReader(FeedReader):
    """RSS items (`rss`, for RSS 2.0/0.9x and, with its namespace, RSS 1.0) and Atom entries.

    Every relative url resolves against the xml:base in scope at the element that states it
    (an <enclosure>, a <media:content>, the <content>, <description> or <content:encoded>
    whose html holds it), the document's own url outermost. Where an RSS element has no
    xml:base in scope at all, the body and media of an item resolve against the item's link,
    as RSS readers have always done (RSS itself says nothing of bases)."""

    def _base(self, element: etree._Element) -> str | None:
        """The base of relative urls stated on `element`: its xml:base chain, else the
        document's url."""
        return xml_base(element, self.base_url) or self.base_url

    def _url(self, element: etree._Element, value: str | None) -> str | None:
        return absolute(value, self._base(element))

    def rss(
        self, channel: etree._Element, items: list[etree._Element], ns: str = ""
    ) -> tuple[Entry, ...]:
        def own(name: str) -> str:
            return q(ns, name) if ns else name

        link = channel.find(own("link"))
        # a channel whose items carry our record is ours, and we write titles as text
        ours = any(item.find(attribution.XML_TAG) is not None for item in items)
        info = FeedInfo(
            title=_rss_title(channel.find(own("title")), ours) or self.retrieved.location,
            url=self._self_url(channel)
            or (self._url(link, _text(link)) if link is not None else None),
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
                return self._url(link, link.get("href"))
        if self.retrieved.location.startswith(("http://", "https://")):
            return self.retrieved.base_url or self.retrieved.location
        return None

    def _rss_item(self, item: etree._Element, own: Any, info: FeedInfo, number: int) -> Entry:
        record = _record(item)
        title = _rss_title(item.find(own("title")), ours=record is not None)
        link_element = item.find(own("link"))
        link = self._url(link_element, _text(link_element)) if link_element is not None else None
        guid_element = item.find(own("guid"))
        guid = _text(guid_element)
        if guid and guid_element is not None and guid_element.get("isPermaLink", "true") == "true":
            link = link or self._url(guid_element, guid)
        if ns_about := item.get(q(NS_RDF, "about")):
            guid = guid or ns_about

        def base_of(element: etree._Element) -> str | None:
            # no xml:base in scope: the item's page, as RSS readers resolve against
            return xml_base(element, self.base_url) or link or self.base_url

        counter = Counter()
        encoded_element = item.find(q(NS_CONTENT, "encoded"))
        description_element = item.find(own("description"))
        encoded = _text(encoded_element, clean=False)
        description = _text(description_element, clean=False)
        body_element = encoded_element if encoded else description_element
        base_url = base_of(body_element if body_element is not None else item)
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
        media = media_rss(item, base_of, counter, media, self.patterns)
        for element in item.findall(own("enclosure")):
            media = add_media(media, enclosure(element, base_of(element), counter))
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
        return self.finish(parts, info, record, base_url)

    def atom(self, feed: etree._Element, single: bool = False) -> tuple[Entry, ...]:
        if single:  # an <entry> document: no feed, so nothing to credit or inherit but its own
            return (self._atom_entry(feed, FeedInfo(None, None), 1),)
        info = FeedInfo(
            title=_text(feed.find(q(NS_ATOM, "title"))) or self.retrieved.location,
            url=self._self_url(feed) or self._alternate(feed),
            authors=[a for e in feed.findall(q(NS_ATOM, "author")) if (a := self._person(e))],
            rights=rights_from_notice(_text(feed.find(q(NS_ATOM, "rights")))),
            language=feed.get(XML_LANG),
        )
        entries = feed.findall(q(NS_ATOM, "entry"))
        return tuple(self._atom_entry(e, info, n) for n, e in enumerate(entries, start=1))

    def _atom_entry(self, entry: etree._Element, info: FeedInfo, number: int) -> Entry:
        link = self._alternate(entry)

        def base_of(element: etree._Element) -> str | None:
            # RFC 4287 section 2: xml:base, else the document's url; the entry's page only
            # when there is neither (a local file read without a base url)
            return self._base(element) or link

        title = _atom_text(entry.find(q(NS_ATOM, "title")))
        counter = Counter()
        content = entry.find(q(NS_ATOM, "content"))
        summary_element = entry.find(q(NS_ATOM, "summary"))
        body_element = content if content is not None else summary_element
        html, text = _atom_body(body_element)
        base_url = base_of(body_element if body_element is not None else entry)
        blocks, media = self.body(html, text, base_url, counter)
        summary = _atom_text(summary_element) if content is not None else None
        if not title:
            raise SourceError(self.retrieved.location, f"entry {number} has no title")
        credits: list[Credit] = []
        own_authors = [a for e in entry.findall(q(NS_ATOM, "author")) if (a := self._person(e))]
        # RFC 4287 4.2.1: an entry without an author has the feed's (stated, not invented)
        for agent in own_authors or info.authors:
            credits.append(Credit(agent, Role.AUTHOR, raw=agent.name))
        for element in entry.findall(q(NS_ATOM, "contributor")):
            contributor = self._person(element)
            if contributor is not None:
                credits.append(Credit(contributor, Role.CONTRIBUTOR, raw=contributor.name))
        source = entry.find(q(NS_ATOM, "source"))
        if source is not None:
            origin = _text(source.find(q(NS_ATOM, "title")))
            if origin:
                credits.append(
                    Credit(
                        Agent(origin, AgentKind.ORGANIZATION, self._alternate(source)),
                        Role.SOURCE,
                        raw=origin,
                    )
                )
        media = media_rss(entry, base_of, counter, media, self.patterns)
        for element in entry.findall(q(NS_ATOM, "link")):
            if element.get("rel") == "enclosure":
                media = add_media(media, enclosure(element, base_of(element), counter))
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
                url = self._url(element, element.get("url"))
                credits.append(
                    Credit(Agent(name, AgentKind.ORGANIZATION, url), Role.SOURCE, raw=name)
                )
        for element in item.findall(q(NS_DC, "source")):
            name = _text(element)
            if name:
                credits.append(Credit(Agent(name, AgentKind.ORGANIZATION), Role.SOURCE, raw=name))
        return credits

    def _alternate(self, element: etree._Element) -> str | None:
        for link in element.findall(q(NS_ATOM, "link")):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                return self._url(link, link.get("href"))
        return None

    def _person(self, element: etree._Element) -> Agent | None:
        name = _text(element.find(q(NS_ATOM, "name")))
        if not name:
            return None
        uri = element.find(q(NS_ATOM, "uri"))
        return Agent(
            name,
            credit_rules.agent_kind(name),
            self._url(uri, _text(uri)) if uri is not None else None,
            _text(element.find(q(NS_ATOM, "email"))) or None,
        )


# --- helpers ------------------------------------------------------------------------------------

#: A start or end tag of an html element: `<b>`, `</i>`, `<br/>`, `<span class="x">`; not a
#: `<` that is text (`3 < 5`), nor `<T>` or `<int>` (no html element has those names).
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def _rss_title(element: etree._Element | None, ours: bool = False) -> str:
    """An RSS title. RSS does not say whether a title is text or html; producers write html
    (`<![CDATA[<b>Breaking:</b> ...]]>`, `Mayor&amp;#8217;s`), and readers (feedparser among
    them) show it as html. So a title that holds html tags is its text, tags stripped and
    entities decoded once; one that holds entity references only has them decoded once (a
    `<` that starts no tag stays: `3 &lt; 5` is "3 < 5"). Titles we wrote ourselves (`ours`:
    the item carries our record) are text, as we write them: read as they stand."""
    text = _text(element)
    if ours or not ("<" in text or "&" in text):
        return text
    if any(m.group(1).lower() in html_defs.tags for m in _HTML_TAG.finditer(text)):
        return strip_tags(text)
    if _ENTITY.search(text):
        return clean_line(" ".join(html_text.unescape(text).split()))
    return text



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
