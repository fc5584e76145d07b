"""Existing feeds as sources: RSS 2.0 (and 0.9x), RSS 1.0, Atom 1.0 and JSON Feed 1.1.

Parsed with lxml (entity expansion and network off) rather than feedparser, because feedparser
sanitises and normalises away what attribution needs: media:credit roles and schemes, several
dc:creator elements, Atom contributors, and our own `fw:attribution` record, which is read back
here so a feedwright feed used as a source keeps every credit with its raw text.

Entries keep their original ids, dates and authors. Each also credits the feed it came from
(Role.SOURCE, the feed's title, with the feed's url), which emitters write as Atom `source`,
RSS `source` / dc:source and `_feedwright`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from email.utils import parseaddr
from typing import Any

from lxml import etree

from feedwright import NAMESPACE
from feedwright.model import (
    Agent,
    AgentKind,
    Block,
    BlockKind,
    Credit,
    Entry,
    Media,
    MediaKind,
    Rights,
    Role,
    Timestamp,
)
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.dates import parse_timestamp
from feedwright.normalise.text import clean_line
from feedwright.sources._common import (
    Parts,
    assemble,
    check_size,
    decode_or_fail,
    noted,
    provenance,
    text_blocks,
    zone_or_fail,
)
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError
from feedwright.sources.htmlbody import (
    absolute,
    credits_from_credit_text,
    media_kind_for,
    read_fragment,
)
from feedwright.sources.record import RecordMapper, RecordProblem
from feedwright.sources.xmlsafe import parse_xml

EXTRACTOR = "feedwright.feed/1"
MAX_FEED_BYTES = 32 * 1024 * 1024

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
MEDIA = "http://search.yahoo.com/mrss/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1 = "http://purl.org/rss/1.0/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: media:credit roles (EBU codes and common free forms) to ours.
MEDIA_ROLES: dict[str, Role] = {
    "photographer": Role.PHOTOGRAPHER,
    "camera operator": Role.VIDEOGRAPHER,
    "cameraman": Role.VIDEOGRAPHER,
    "videographer": Role.VIDEOGRAPHER,
    "illustrator": Role.ILLUSTRATOR,
    "graphic designer": Role.ILLUSTRATOR,
    "artist": Role.ILLUSTRATOR,
    "author": Role.AUTHOR,
    "reporter": Role.REPORTER,
    "editor": Role.EDITOR,
    "publisher": Role.PUBLISHER,
    "distributor": Role.DISTRIBUTOR,
    "owner": Role.COPYRIGHT_HOLDER,
    "copyright holder": Role.COPYRIGHT_HOLDER,
    "producer": Role.CONTRIBUTOR,
}


_MEDIA_KINDS = frozenset(k.value for k in MediaKind)
_AGENT_KINDS = frozenset(k.value for k in AgentKind)


def q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def read(retrieved: Retrieved, options: ReaderOptions) -> tuple[Entry, ...]:
    check_size(retrieved, MAX_FEED_BYTES, "a feed")
    default_zone = zone_or_fail(retrieved, options)
    head = retrieved.data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return _JsonFeed(retrieved, options, default_zone).read()
    root = parse_xml(retrieved.data, retrieved.location)
    reader = _XmlFeed(retrieved, options, default_zone)
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise SourceError(retrieved.location, "RSS document without a <channel>")
        return reader.rss(channel, channel.findall("item"))
    if root.tag == q(RDF, "RDF"):
        channel = root.find(q(RSS1, "channel"))
        if channel is None:
            raise SourceError(retrieved.location, "RSS 1.0 document without a <channel>")
        return reader.rss(channel, root.findall(q(RSS1, "item")), ns=RSS1)
    if root.tag == q(ATOM, "feed"):
        return reader.atom(root)
    if root.tag == q(ATOM, "entry"):
        return reader.atom(root, single=True)
    raise SourceError(retrieved.location, f"not a feed: the root element is <{root.tag}>")


@dataclass
class _FeedInfo:
    title: str
    url: str | None
    authors: list[Agent] = field(default_factory=list)
    rights: Rights | None = None
    language: str | None = None

    def source_credit(self) -> Credit:
        return Credit(
            Agent(self.title, AgentKind.ORGANIZATION, self.url), Role.SOURCE, raw=self.title
        )


class _Base:
    def __init__(self, retrieved: Retrieved, options: ReaderOptions, default_zone: tzinfo) -> None:
        self.retrieved = retrieved
        self.options = options
        self.default_zone = default_zone
        self.patterns = options.credit_patterns + credit_rules.DEFAULT_CREDIT_PATTERNS
        self.base_url = retrieved.base_url or options.base_url
        self.prov = provenance(retrieved, "feed", EXTRACTOR)

    def date(self, text: str | None, source: str) -> Timestamp | None:
        if not text or not text.strip():
            return None
        return parse_timestamp(text, self.default_zone, source)

    def body(
        self, html: str | None, text: str | None, base_url: str | None, counter: _Counter
    ) -> tuple[list[Block], list[Media]]:
        if html:
            return read_fragment(html, base_url, self.patterns, counter)
        return text_blocks(text or ""), []

    def finish(self, parts: Parts, base_url: str | None) -> Entry:
        return assemble(parts, self.prov, base_url, self.options)


class _Counter:
    def __init__(self, prefix: str = "m") -> None:
        self.count = 0
        self.prefix = prefix

    def __call__(self) -> str:
        self.count += 1
        return f"{self.prefix}{self.count}"


# --- RSS and Atom -------------------------------------------------------------------------------


class _XmlFeed(_Base):
    def rss(
        self, channel: etree._Element, items: list[etree._Element], ns: str = ""
    ) -> tuple[Entry, ...]:
        def own(name: str) -> str:
            return q(ns, name) if ns else name

        info = _FeedInfo(
            title=_text(channel.find(own("title"))) or self.retrieved.location,
            url=self._self_url(channel)
            or absolute(_text(channel.find(own("link"))), self.base_url),
            language=_text(channel.find(own("language"))) or _text(channel.find(q(DC, "language"))),
        )
        entries = []
        for number, item in enumerate(items, start=1):
            entries.append(self._rss_item(item, own, info, number))
        return tuple(entries)

    def _self_url(self, element: etree._Element) -> str | None:
        for link in element.findall(q(ATOM, "link")):
            if link.get("rel") == "self" and link.get("href"):
                return absolute(link.get("href"), self.base_url)
        if self.retrieved.location.startswith(("http://", "https://")):
            return self.retrieved.base_url or self.retrieved.location
        return None

    def _rss_item(self, item: etree._Element, own: Any, info: _FeedInfo, number: int) -> Entry:
        title = _text(item.find(own("title")))
        link = absolute(_text(item.find(own("link"))), self.base_url)
        guid_element = item.find(own("guid"))
        guid = _text(guid_element)
        if guid and guid_element is not None and guid_element.get("isPermaLink", "true") == "true":
            link = link or absolute(guid, self.base_url)
        if ns_about := item.get(q(RDF, "about")):
            guid = guid or ns_about
        base_url = link or self.base_url
        counter = _Counter()
        encoded = _text(item.find(q(CONTENT, "encoded")), clean=False)
        description = _text(item.find(own("description")), clean=False)
        blocks, media = self.body(encoded or description, None, base_url, counter)
        summary = _strip_tags(description) if encoded and description else None
        if not title:
            title = _first_words(summary or next((b.text for b in blocks if b.text), ""))
        if not title:
            raise SourceError(self.retrieved.location, f"item {number} has no title and no text")
        credits: list[Credit] = []
        for creator in item.findall(q(DC, "creator")):
            credits.extend(_byline_credits(_text(creator), Role.AUTHOR))
        for author in item.findall(own("author")):
            credits.extend(_email_author(_text(author)))
        for contributor in item.findall(q(DC, "contributor")):
            credits.extend(_byline_credits(_text(contributor), Role.CONTRIBUTOR))
        credits.extend(self._origin(item))
        credits.append(info.source_credit())
        media = self._media_rss(item, base_url, counter, media)
        for enclosure in item.findall(own("enclosure")):
            media = _add_media(media, self._enclosure(enclosure, base_url, counter))
        rights_text = _text(item.find(q(DC, "rights"))) or _text(item.find(q(DCTERMS, "rights")))
        parts = Parts(
            title=title,
            id=guid or None,
            url=link,
            summary=summary,
            blocks=blocks,
            media=media,
            credits=credits,
            published=self.date(_text(item.find(own("pubDate"))), "rss:pubDate")
            or self.date(_text(item.find(q(DC, "date"))), "rss:dc:date"),
            updated=self.date(_text(item.find(q(ATOM, "updated"))), "rss:atom:updated")
            or self.date(_text(item.find(q(DCTERMS, "modified"))), "rss:dcterms:modified"),
            categories=[_text(c) for c in item.findall(own("category"))]
            + [_text(c) for c in item.findall(q(DC, "subject"))],
            rights=_rights_from_notice(rights_text),
            language=_text(item.find(q(DC, "language"))) or info.language,
        )
        return self.finish(self._attribution(item, parts), base_url)

    def atom(self, feed: etree._Element, single: bool = False) -> tuple[Entry, ...]:
        base = absolute(feed.get(XML_BASE), self.base_url) or self.base_url
        info = _FeedInfo(
            title=_text(feed.find(q(ATOM, "title"))) or self.retrieved.location,
            url=self._self_url(feed) or _alternate(feed, base),
            authors=[a for e in feed.findall(q(ATOM, "author")) if (a := _atom_person(e, base))],
            rights=_rights_from_notice(_text(feed.find(q(ATOM, "rights")))),
            language=feed.get(XML_LANG),
        )
        entries = [feed] if single else feed.findall(q(ATOM, "entry"))
        return tuple(self._atom_entry(e, info, base, n) for n, e in enumerate(entries, start=1))

    def _atom_entry(
        self, entry: etree._Element, info: _FeedInfo, feed_base: str | None, number: int
    ) -> Entry:
        base = absolute(entry.get(XML_BASE), feed_base) or feed_base
        link = _alternate(entry, base)
        base_url = link or base
        title = _atom_text(entry.find(q(ATOM, "title")))
        counter = _Counter()
        content = entry.find(q(ATOM, "content"))
        summary_element = entry.find(q(ATOM, "summary"))
        html, text = _atom_body(content if content is not None else summary_element)
        blocks, media = self.body(html, text, base_url, counter)
        summary = _atom_text(summary_element) if content is not None else None
        if not title:
            raise SourceError(self.retrieved.location, f"entry {number} has no title")
        credits: list[Credit] = []
        own_authors = [a for e in entry.findall(q(ATOM, "author")) if (a := _atom_person(e, base))]
        # RFC 4287 4.2.1: an entry without an author has the feed's (stated, not invented)
        for agent in own_authors or info.authors:
            credits.append(Credit(agent, Role.AUTHOR, raw=agent.name))
        for element in entry.findall(q(ATOM, "contributor")):
            contributor = _atom_person(element, base)
            if contributor is not None:
                credits.append(Credit(contributor, Role.CONTRIBUTOR, raw=contributor.name))
        source = entry.find(q(ATOM, "source"))
        if source is not None:
            origin = _text(source.find(q(ATOM, "title")))
            if origin:
                credits.append(
                    Credit(
                        Agent(origin, AgentKind.ORGANIZATION, _alternate(source, base)),
                        Role.SOURCE,
                        raw=origin,
                    )
                )
        credits.append(info.source_credit())
        media = self._media_rss(entry, base_url, counter, media)
        for enclosure in entry.findall(q(ATOM, "link")):
            if enclosure.get("rel") == "enclosure":
                media = _add_media(media, self._enclosure(enclosure, base_url, counter))
        rights = _rights_from_notice(_atom_text(entry.find(q(ATOM, "rights")))) or info.rights
        parts = Parts(
            title=title,
            id=_text(entry.find(q(ATOM, "id"))) or None,
            url=link,
            summary=summary,
            blocks=blocks,
            media=media,
            credits=credits,
            published=self.date(_text(entry.find(q(ATOM, "published"))), "atom:published"),
            updated=self.date(_text(entry.find(q(ATOM, "updated"))), "atom:updated"),
            categories=[
                c.get("label") or c.get("term") or "" for c in entry.findall(q(ATOM, "category"))
            ],
            rights=rights,
            language=entry.get(XML_LANG) or info.language,
        )
        return self.finish(self._attribution(entry, parts), base_url)

    # --- media ----------------------------------------------------------------------------------

    def _media_rss(
        self, item: etree._Element, base_url: str | None, counter: _Counter, media: list[Media]
    ) -> list[Media]:
        contents = item.findall(q(MEDIA, "content")) + [
            c for g in item.findall(q(MEDIA, "group")) for c in g.findall(q(MEDIA, "content"))[:1]
        ]
        if not contents and not media:
            contents = item.findall(q(MEDIA, "thumbnail"))[:1]
        for element in contents:
            found = self._media_content(element, item, base_url, counter)
            if found is not None:
                media = _add_media(media, found)
        return media

    def _media_content(
        self,
        element: etree._Element,
        item: etree._Element,
        base_url: str | None,
        counter: _Counter,
    ) -> Media | None:
        url = absolute(element.get("url"), base_url)
        if url is None:
            return None
        media_id = counter()
        mime = element.get("type")
        kind = media_kind_for(url, mime)
        medium = element.get("medium")
        if medium in ("image", "video", "audio"):
            kind = MediaKind(medium)
        elif kind is MediaKind.UNKNOWN and element.tag == q(MEDIA, "thumbnail"):
            kind = MediaKind.IMAGE
        # media:* children of the content, else of its group, else of the item
        scopes = [element, element.getparent(), item]
        caption = _first_text(scopes, q(MEDIA, "description")) or _first_text(
            scopes, q(MEDIA, "title")
        )
        credits: list[Credit] = []
        for scope in scopes:
            if scope is None:
                continue
            found = scope.findall(q(MEDIA, "credit"))
            if found:
                credits = [c for e in found for c in self._media_credit(e, media_id, kind)]
                break
        copyright_text = _first_text(scopes, q(MEDIA, "copyright"))
        if copyright_text:
            parsed = credit_rules.parse_copyright(copyright_text)
            holder = parsed[1] if parsed else Agent(copyright_text, AgentKind.ORGANIZATION)
            if holder is not None:
                credits.append(Credit(holder, Role.COPYRIGHT_HOLDER, media_id, copyright_text))
        if caption and not credits:
            split = credit_rules.split_caption_credit(caption, media_id, self.patterns)
            if split is not None:
                caption, credits = split.caption, list(split.credits)
        size = element.get("fileSize")
        return Media(
            id=media_id,
            kind=kind,
            url=url,
            mime_type=mime,
            size=int(size) if size and size.isdigit() else None,
            caption=caption or None,
            credits=tuple(credits),
        )

    def _media_credit(
        self, element: etree._Element, media_id: str, kind: MediaKind
    ) -> list[Credit]:
        name = _text(element)
        if not name:
            return []
        role_text = (element.get("role") or "").strip().lower()
        scheme = element.get("scheme") or ""
        role: Role | None
        if scheme == NAMESPACE:
            try:
                role = Role(role_text)
            except ValueError:
                role = None
        else:
            role = MEDIA_ROLES.get(role_text)
        if role is None:
            default = Role.VIDEOGRAPHER if kind is MediaKind.VIDEO else Role.PHOTOGRAPHER
            return list(credits_from_credit_text(name, media_id, default, self.patterns))
        return list(credit_rules.credits_from_name(name, role, media_id, name))

    def _enclosure(
        self, element: etree._Element, base_url: str | None, counter: _Counter
    ) -> Media | None:
        url = absolute(element.get("url") or element.get("href"), base_url)
        if url is None:
            return None
        mime = element.get("type")
        length = element.get("length")
        return Media(
            id=counter(),
            kind=media_kind_for(url, mime),
            url=url,
            mime_type=mime,
            size=int(length) if length and length.isdigit() and int(length) > 0 else None,
            caption=element.get("title") or None,
        )

    # --- origin and our own record --------------------------------------------------------------

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
        for element in item.findall(q(DC, "source")):
            name = _text(element)
            if name:
                credits.append(Credit(Agent(name, AgentKind.ORGANIZATION), Role.SOURCE, raw=name))
        return credits

    def _attribution(self, item: etree._Element, parts: Parts) -> Parts:
        """Read back feedwright's own `fw:attribution`: the complete record with raw texts wins
        over what the format's native elements could carry."""
        record = item.find(q(NAMESPACE, "attribution"))
        if record is None:
            return parts
        credits = []
        for element in record.findall(q(NAMESPACE, "credit")):
            agent = _fw_agent(element.find(q(NAMESPACE, "agent")))
            try:
                role = Role(element.get("role") or "")
            except ValueError:
                continue
            if agent is None:
                continue
            behalf = _fw_agent(element.find(q(NAMESPACE, "onBehalfOf")))
            raw = _text(element.find(q(NAMESPACE, "raw")))
            credits.append(Credit(agent, role, element.get("target") or "entry", raw, behalf))
        by_url = {m.url: m for m in parts.media if m.url}
        media: list[Media] = []
        for element in record.findall(q(NAMESPACE, "media")):
            media_id = element.get("id") or f"m{len(media) + 1}"
            url = element.get("url")
            known = by_url.get(url) if url else None
            media.append(
                Media(
                    id=media_id,
                    kind=_media_kind_value(element.get("kind")),
                    url=url,
                    mime_type=known.mime_type if known else None,
                    size=known.size if known else None,
                    caption=_text(element.find(q(NAMESPACE, "caption"))) or None,
                    alt=known.alt if known else None,
                    credits=tuple(c for c in credits if c.target == media_id),
                )
            )
        source_credit = parts.credits[-1:]  # the feed this came through
        parts.credits = [c for c in credits if c.target == "entry"] + [
            c for c in source_credit if c not in credits
        ]
        if media:
            parts.media = media
            shown = {b.media_id for b in parts.blocks if b.media_id}
            ids = {m.id for m in media}
            parts.blocks = [b for b in parts.blocks if b.media_id is None or b.media_id in ids]
            if not shown & ids:
                # the body's figures were read from html; the record's media replace them
                parts.blocks = [b for b in parts.blocks if b.kind is not BlockKind.FIGURE]
        dateline = _text(record.find(q(NAMESPACE, "dateline")))
        parts.dateline = dateline or parts.dateline
        rights = record.find(q(NAMESPACE, "rights"))
        if rights is not None:
            parts.rights = Rights(
                notice=_text(rights.find(q(NAMESPACE, "notice"))) or None,
                holder=_fw_agent(rights.find(q(NAMESPACE, "holder"))),
                license_url=rights.get("license"),
            )
        for name in ("published", "updated"):
            stamped = record.find(q(NAMESPACE, name))
            if stamped is not None and _text(stamped):
                stamp = self.date(_text(stamped), stamped.get("source") or f"fw:{name}")
                if stamp is not None:
                    stamp = Timestamp(stamp.value, stamp.source, stamped.get("dayOnly") == "true")
                    setattr(parts, name, stamp)
        return parts


# --- JSON Feed ----------------------------------------------------------------------------------


class _JsonFeed(_Base):
    def read(self) -> tuple[Entry, ...]:
        decoded = decode_or_fail(self.retrieved)
        text = decoded.text.lstrip("\ufeff")
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(self.retrieved.location, f"not JSON: {exc.msg}", exc.lineno) from None
        if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
            "https://jsonfeed.org/version/"
        ):
            raise SourceError(self.retrieved.location, "not a JSON Feed: no jsonfeed.org version")
        items = document.get("items")
        if not isinstance(items, list):
            raise SourceError(self.retrieved.location, "JSON Feed without an 'items' list")
        feed_authors = _json_agents(document.get("authors") or document.get("author"))
        info = _FeedInfo(
            title=clean_line(str(document.get("title") or self.retrieved.location)),
            url=_str(document.get("feed_url")) or _str(document.get("home_page_url")),
            authors=feed_authors,
            language=_str(document.get("language")),
        )
        entries = tuple(self._item(item, info, n) for n, item in enumerate(items, start=1))
        return noted(entries, decoded)

    def _item(self, item: Any, info: _FeedInfo, number: int) -> Entry:
        where = f"item {number}"
        if not isinstance(item, dict):
            raise SourceError(self.retrieved.location, f"{where} is not an object")
        url = absolute(_str(item.get("url")), self.base_url)
        base_url = url or self.base_url
        counter = _Counter()
        blocks, media = self.body(
            _str(item.get("content_html")), _str(item.get("content_text")), base_url, counter
        )
        title = clean_line(_str(item.get("title")) or "") or _first_words(
            _str(item.get("summary")) or next((b.text for b in blocks if b.text), "")
        )
        if not title:
            raise SourceError(self.retrieved.location, f"{where} has no title and no text")
        authors = _json_agents(item.get("authors") or item.get("author")) or info.authors
        credits = [Credit(a, Role.AUTHOR, raw=a.name) for a in authors]
        credits.append(info.source_credit())
        image = absolute(_str(item.get("image")), base_url)
        if image and not any(m.url == image for m in media):
            media.insert(0, Media(counter(), MediaKind.IMAGE, image))
            blocks.insert(0, Block(BlockKind.FIGURE, media_id=media[0].id))
        for attachment in item.get("attachments") or []:
            if isinstance(attachment, dict) and _str(attachment.get("url")):
                att_url = absolute(_str(attachment.get("url")), base_url)
                mime = _str(attachment.get("mime_type"))
                size = attachment.get("size_in_bytes")
                media = _add_media(
                    media,
                    Media(
                        counter(),
                        media_kind_for(att_url, mime),
                        att_url,
                        mime,
                        size if isinstance(size, int) else None,
                        caption=_str(attachment.get("title")),
                    ),
                )
        parts = Parts(
            title=title,
            id=_str(item.get("id"))
            or (str(item["id"]) if isinstance(item.get("id"), int) else None),
            url=url,
            summary=_str(item.get("summary")),
            blocks=blocks,
            media=media,
            credits=credits,
            published=self.date(_str(item.get("date_published")), "json-feed:date_published"),
            updated=self.date(_str(item.get("date_modified")), "json-feed:date_modified"),
            categories=[clean_line(t) for t in item.get("tags") or [] if isinstance(t, str)],
            language=_str(item.get("language")) or info.language,
        )
        record = item.get("_feedwright")
        if isinstance(record, dict):
            parts = self._record(record, parts)
        return self.finish(parts, base_url)

    def _record(self, record: dict[str, Any], parts: Parts) -> Parts:
        """Read back feedwright's own `_feedwright` object (credits with roles and raw text)."""
        mapper = RecordMapper("json-feed", self.default_zone, strict=True)
        try:
            credits = mapper._model_credits(record.get("credits") or [])
        except RecordProblem as exc:
            raise SourceError(self.retrieved.location, f"_feedwright: {exc}") from None
        source_credit = parts.credits[-1:]
        parts.credits = [c for c in credits if c.target == "entry"] + [
            c for c in source_credit if c not in credits
        ]
        by_url = {m.url: m for m in parts.media if m.url}
        media: list[Media] = []
        for item in record.get("media") or []:
            if not isinstance(item, dict):
                continue
            media_id = _str(item.get("id")) or f"m{len(media) + 1}"
            url = _str(item.get("url"))
            known = by_url.get(url) if url else None
            media.append(
                Media(
                    media_id,
                    _media_kind_value(_str(item.get("kind"))),
                    url,
                    known.mime_type if known else None,
                    known.size if known else None,
                    _str(item.get("caption")),
                    known.alt if known else None,
                    tuple(c for c in credits if c.target == media_id),
                )
            )
        if media:
            ids = {m.id for m in media}
            parts.media = media
            parts.blocks = [
                b for b in parts.blocks if b.kind is not BlockKind.FIGURE or b.media_id in ids
            ]
        rights = record.get("rights")
        if isinstance(rights, dict):
            holder = _json_agents(rights.get("holder"))
            parts.rights = Rights(
                _str(rights.get("notice")),
                holder[0] if holder else None,
                _str(rights.get("license_url")),
            )
        parts.dateline = _str(record.get("dateline")) or parts.dateline
        return parts


# --- helpers ------------------------------------------------------------------------------------


def _text(element: etree._Element | None, clean: bool = True) -> str:
    if element is None:
        return ""
    text = "".join(str(t) for t in element.itertext())
    return clean_line(" ".join(text.split())) if clean else text.strip()


def _first_text(scopes: list[etree._Element | None], tag: str) -> str:
    for scope in scopes:
        if scope is not None:
            found = scope.find(tag)
            if found is not None and _text(found):
                return _text(found)
    return ""


def _atom_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    if element.get("type") in ("html", "xhtml"):
        html, _ = _atom_body(element)
        return _strip_tags(html or "")
    return _text(element)


def _atom_body(element: etree._Element | None) -> tuple[str | None, str | None]:
    """(html, text) of an Atom text construct or content element."""
    if element is None:
        return None, None
    kind = element.get("type") or "text"
    if kind == "html":
        return "".join(str(t) for t in element.itertext()), None
    if kind == "xhtml":
        div = element.find(q("http://www.w3.org/1999/xhtml", "div"))
        holder = div if div is not None else element
        inner = (holder.text or "") + "".join(
            etree.tostring(c, method="html", encoding="unicode") for c in holder
        )
        return re.sub(r"\s*xmlns(?::\w+)?=\"[^\"]*\"", "", inner).replace("html:", ""), None
    if kind in ("text", "text/plain"):
        return None, "".join(str(t) for t in element.itertext())
    return None, None  # out-of-line or binary content: nothing to show


def _strip_tags(html: str) -> str:
    from feedwright.sources.htmlbody import parse_fragment

    return clean_line(" ".join(parse_fragment(html).text_content().split()))


def _first_words(text: str, limit: int = 80) -> str:
    text = clean_line(text)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _alternate(element: etree._Element, base: str | None) -> str | None:
    for link in element.findall(q(ATOM, "link")):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return absolute(link.get("href"), base)
    return None


def _atom_person(element: etree._Element, base: str | None) -> Agent | None:
    name = _text(element.find(q(ATOM, "name")))
    if not name:
        return None
    return Agent(
        name,
        credit_rules.agent_kind(name),
        absolute(_text(element.find(q(ATOM, "uri"))), base),
        _text(element.find(q(ATOM, "email"))) or None,
    )


def _byline_credits(text: str, role: Role) -> list[Credit]:
    if not text:
        return []
    parsed = credit_rules.parse_byline(text) or credit_rules.parse_byline(f"By {text}")
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


def _rights_from_notice(text: str | None) -> Rights | None:
    if not text:
        return None
    parsed = credit_rules.parse_copyright(text)
    return Rights(notice=text, holder=parsed[1] if parsed else None)


def _add_media(media: list[Media], found: Media | None) -> list[Media]:
    """Add media unless the same url is already there (media:content and enclosure often are);
    then fill what the first sighting lacked: kind, type, size, caption, credits of other roles."""
    if found is None:
        return media
    for index, existing in enumerate(media):
        if not existing.url or existing.url != found.url:
            continue
        roles = {e.role for e in existing.credits}
        media[index] = replace(
            existing,
            kind=found.kind if existing.kind is MediaKind.UNKNOWN else existing.kind,
            mime_type=existing.mime_type or found.mime_type,
            size=existing.size or found.size,
            caption=existing.caption or found.caption,
            credits=existing.credits
            + tuple(
                Credit(c.agent, c.role, existing.id, c.raw, c.on_behalf_of)
                for c in found.credits
                if c.role not in roles
            ),
        )
        return media
    return [*media, found]


def _fw_agent(element: etree._Element | None) -> Agent | None:
    if element is None or not _text(element):
        return None
    kind = element.get("kind") or "unknown"
    return Agent(
        _text(element),
        AgentKind(kind) if kind in _AGENT_KINDS else AgentKind.UNKNOWN,
        element.get("url"),
        element.get("email"),
    )


def _media_kind_value(value: str | None) -> MediaKind:
    return MediaKind(value) if value in _MEDIA_KINDS else MediaKind.UNKNOWN


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _json_agents(value: Any) -> list[Agent]:
    items = value if isinstance(value, list) else [value] if value else []
    agents = []
    for item in items:
        if isinstance(item, dict) and _str(item.get("name")):
            name = clean_line(str(item["name"]))
            kind = _str(item.get("kind"))
            agents.append(
                Agent(
                    name,
                    AgentKind(kind)
                    if kind is not None and kind in _AGENT_KINDS
                    else credit_rules.agent_kind(name),
                    _str(item.get("url")),
                    _str(item.get("email")),
                )
            )
        elif isinstance(item, str) and item.strip():
            agents.append(Agent(clean_line(item), credit_rules.agent_kind(item)))
    return agents
