"""The RSS and Atom emitters as they were before issue 12 made them write bytes directly: feedgen
building an lxml tree, with our extensions and the archive links added to it, then
`etree.tostring(pretty_print=True)` (and the channel-level dc:creator of commit ee27a63, made
meanwhile on that path). Kept only as the oracle that tests/test_emit_bytes.py compares the new
emitters' bytes against: a deliberate change of the documents is made here too. Nothing in the
package uses it.
"""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

import html
from typing import Any, ClassVar

from feedgen.feed import FeedGenerator
from lxml import etree

from feedwright import NAMESPACE
from feedwright.attribution import BODY, ATTRIBUTE, RECORD, Record, Shape, _empty, _scalar
from feedwright.emit.common import (
    AUTHOR_SEPARATOR,
    GENERATOR,
    GENERATOR_URI,
    GENERATOR_VERSION,
    byline,
    contributors_of,
    enclosures,
    entry_label,
    feed_updated,
    lead_enclosure,
    named_together,
    media_credit_roles,
    media_with_url,
    require_updated,
    shown_date,
    sources_of,
    whole_seconds,
)
from feedwright.formats import (MEDIA_TYPES, NS_ATOM, NS_DC, NS_FW, NS_HISTORY, NS_MEDIA,
                                NS_TOMBSTONES, qname, rfc3339)
from feedwright.model import Agent, AgentKind, Entry, Feed, Media, Paging
from feedwright.syntax import as_uri


def _attribution_xml(entry: Entry) -> etree._Element:
    """attribution.to_xml as it was."""
    root = etree.Element(qname(NS_FW, "attribution"), nsmap={"fw": NS_FW})
    _fill_xml(root, RECORD, Record.of(entry))
    return root


def _fill_xml(element: etree._Element, shape: Shape, value: Any) -> None:
    for f in shape.fields:
        got = getattr(value, f.attr)
        if _empty(got):
            continue
        if f.place is BODY:
            element.text = _scalar(f).to_text(got)
        elif f.place is ATTRIBUTE:
            element.set(f.xml, _scalar(f).to_text(got))
        else:
            for item in got if f.many else (got,):
                child = etree.SubElement(element, qname(NS_FW, f.xml))
                if isinstance(f.type, Shape):
                    _fill_xml(child, f.type, item)
                else:
                    child.text = f.type.to_text(item)



# --- emit/extensions.py ---


class _NamespaceExtension:
    """Feed-level half of an extension: only declares the namespace prefixes on the root."""

    namespaces: ClassVar[dict[str, str]] = {}

    def extend_ns(self) -> dict[str, str]:
        return dict(self.namespaces)

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        return feed

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        return feed


class _EntryExtension(_NamespaceExtension):
    entry: Entry

    def set_entry(self, entry: Entry) -> None:
        self.entry = entry


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


# --- Dublin Core (RSS only: Atom has native author/contributor/rights) ---------------------------


class DcFeed(_NamespaceExtension):
    namespaces: ClassVar[dict[str, str]] = {"dc": NS_DC}


class DcEntry(_EntryExtension):
    namespaces: ClassVar[dict[str, str]] = {"dc": NS_DC}

    def extend_rss(self, item: etree._Element) -> etree._Element:
        entry = self.entry
        author = byline(entry)
        if author is not None:
            _sub(item, f"{{{NS_DC}}}creator", author.name)
        for contributor in contributors_of(entry):
            _sub(item, f"{{{NS_DC}}}contributor", contributor.name)
        sources = sources_of(entry)
        if sources:  # dc:source may appear once in an item (W3C: DuplicateElement)
            _sub(item, f"{{{NS_DC}}}source", AUTHOR_SEPARATOR.join(s.name for s in sources))
        if entry.rights is not None and entry.rights.notice:
            _sub(item, f"{{{NS_DC}}}rights", entry.rights.notice)
        return item


# --- Media RSS ----------------------------------------------------------------------------------


class MediaFeed(_NamespaceExtension):
    namespaces: ClassVar[dict[str, str]] = {"media": NS_MEDIA}


def _media_content(parent: etree._Element, media: Media) -> None:
    attrs = {"url": as_uri(media.url or "")}
    if media.mime_type:
        attrs["type"] = media.mime_type
    if media.size:  # Media RSS fileSize is a positive integer: 0 would be invalid
        attrs["fileSize"] = str(media.size)
    if media.kind.value in ("image", "video", "audio"):
        attrs["medium"] = media.kind.value
    content = etree.SubElement(parent, f"{{{NS_MEDIA}}}content", attrs)
    if media.caption:
        _sub(content, f"{{{NS_MEDIA}}}description", media.caption, type="plain")
    for credit in media.credits:
        for role, scheme, name in media_credit_roles(credit):
            _sub(content, f"{{{NS_MEDIA}}}credit", name, role=role, scheme=scheme)
    holders = [c.agent.name for c in media.credits if c.role.value == "copyright_holder"]
    if holders:
        _sub(content, f"{{{NS_MEDIA}}}copyright", holders[0])


class MediaEntry(_EntryExtension):
    namespaces: ClassVar[dict[str, str]] = {"media": NS_MEDIA}

    def extend_rss(self, item: etree._Element) -> etree._Element:
        for media in media_with_url(self.entry):
            _media_content(item, media)
        return item

    def extend_atom(self, entry_el: etree._Element) -> etree._Element:
        return self.extend_rss(entry_el)


# --- Atom links, written correctly --------------------------------------------------------------


class AtomLinksEntry(_EntryExtension):
    """Entry links for Atom: one alternate, then one enclosure per media file."""

    def extend_atom(self, entry_el: etree._Element) -> etree._Element:
        entry = self.entry
        if entry.url:
            _sub(entry_el, "link", rel="alternate", type="text/html", href=entry.url)
        for enclosure in enclosures(entry):
            attrs = {"rel": "enclosure", "href": enclosure.url, "type": enclosure.mime_type}
            if enclosure.length is not None:  # optional in Atom; absent says "not known"
                attrs["length"] = str(enclosure.length)
            etree.SubElement(entry_el, "link", attrs)
        return entry_el

    def extend_rss(self, item: etree._Element) -> etree._Element:
        # RSS has no updated date of its own; atom:updated carries it for readers that look.
        if self.entry.updated is not None:
            _sub(item, f"{{{NS_ATOM}}}updated", rfc3339(self.entry.updated.value))
        # One enclosure: RSS readers take only the first, and W3C warns of more.
        lead = lead_enclosure(self.entry)
        if lead is not None:
            length = lead.length if lead.length is not None else 0  # RSS: 0 when not known
            _sub(item, "enclosure", url=as_uri(lead.url), length=str(length),
                 type=lead.mime_type)
        return item


# --- the project namespace ----------------------------------------------------------------------


class AttributionFeed(_NamespaceExtension):
    namespaces: ClassVar[dict[str, str]] = {"fw": NS_FW}


class AttributionEntry(_EntryExtension):
    namespaces: ClassVar[dict[str, str]] = {"fw": NS_FW}

    def extend_rss(self, item: etree._Element) -> etree._Element:
        item.append(_attribution_xml(self.entry))
        return item

    def extend_atom(self, entry_el: etree._Element) -> etree._Element:
        return self.extend_rss(entry_el)


#: name -> (feed extension, entry extension, in atom, in rss)
EXTENSIONS: dict[str, tuple[type[_NamespaceExtension], type[_EntryExtension], bool, bool]] = {
    "fw_dc": (DcFeed, DcEntry, False, True),
    "fw_media": (MediaFeed, MediaEntry, True, True),
    "fw_links": (_NamespaceExtension, AtomLinksEntry, True, True),
    "fw_attribution": (AttributionFeed, AttributionEntry, True, True),
}

# --- emit/history.py ---


def paging_links(paging: Paging) -> list[tuple[str, str]]:
    """(rel, href) of the archive links a document carries, in a fixed order."""
    return [(rel, href) for rel, href in (("current", paging.current),
                                          ("prev-archive", paging.prev_archive),
                                          ("next-archive", paging.next_archive)) if href]


def extend_atom(root: etree._Element, feed: Feed) -> None:
    """Archive links after the feed's own links, fh:archive, then tombstones after the entries."""
    _extend_xml(root, feed, "application/atom+xml", f"{{{NS_TOMBSTONES}}}deleted-entry",
                {"at": NS_TOMBSTONES})


def extend_rss(root: etree._Element, feed: Feed) -> None:
    """The same in the channel: atom:link archive links and fh:archive beside the channel's own
    atom:link, fw:deleted-entry (our namespace: RFC 6721 is for Atom) after the items."""
    channel = root.find("channel")
    if channel is not None:
        _extend_xml(channel, feed, "application/rss+xml", f"{{{NAMESPACE}}}deleted-entry",
                    {"fw": NAMESPACE})


def _extend_xml(parent: etree._Element, feed: Feed, media_type: str, tombstone: str,
                tombstone_ns: dict[str, str]) -> None:
    # feedgen builds the Atom tree with plain tags under a default namespace, and the RSS
    # channel's own links as atom:link: the archive links go the same way as the self link.
    link = f"{{{NS_ATOM}}}link" if parent.tag == "channel" else "link"
    if feed.paging is not None:
        anchor = _last(parent, link)
        for rel, href in paging_links(feed.paging):
            anchor = _insert_after(parent, anchor, etree.Element(
                link, rel=rel, type=media_type, href=href, nsmap={"atom": NS_ATOM}
                if parent.tag == "channel" else None))
        if feed.paging.archive:
            _insert_after(parent, anchor, etree.Element(f"{{{NS_HISTORY}}}archive",
                                                        nsmap={"fh": NS_HISTORY}))
    for tomb in feed.deleted:
        etree.SubElement(parent, tombstone, {"ref": tomb.ref, "when": rfc3339(tomb.when)},
                         nsmap=tombstone_ns)


def _last(parent: etree._Element, tag: str) -> etree._Element | None:
    found = parent.findall(tag)
    return found[-1] if found else None


def _insert_after(parent: etree._Element, anchor: etree._Element | None,
                  element: etree._Element) -> etree._Element:
    if anchor is None:
        parent.insert(0, element)
    else:
        anchor.addnext(element)
    return element

# --- emit/xml.py ---


def _generator(feed: Feed, fmt: str) -> FeedGenerator:
    fg = FeedGenerator()
    for name, (feed_ext, entry_ext, atom, rss) in EXTENSIONS.items():
        if (fmt == "atom" and atom) or (fmt == "rss" and rss):
            fg.register_extension(name, feed_ext, entry_ext, atom=atom, rss=rss)
    fg.id(feed.id)
    fg.title(feed.title)
    # feedgen takes the RSS channel link from the *last* link added: self first, alternate last.
    if feed.self_url:
        fg.link(href=feed.self_url, rel="self", type=MEDIA_TYPES[fmt])
    for hub in feed.hubs:  # WebSub; feedgen writes these in Atom only (RSS: _add_rss_hubs)
        fg.link(href=hub, rel="hub")
    fg.link(href=feed.link, rel="alternate", type="text/html")
    if feed.language:
        fg.language(feed.language)
    if feed.icon:
        fg.icon(feed.icon)
        fg.logo(feed.icon)
    if feed.rights is not None and feed.rights.notice:
        fg.rights(feed.rights.notice)
    fg.generator(GENERATOR, version=GENERATOR_VERSION, uri=GENERATOR_URI)
    return fg


def _agent_dict(agent: Agent) -> dict[str, str]:
    out = {"name": agent.name}
    if agent.email:
        out["email"] = agent.email
    if agent.url:
        out["uri"] = agent.url
    return out


def _add_entry(fg: FeedGenerator, entry: Entry, fmt: str) -> Any:
    if not entry.id:
        raise ValueError(f"{entry_label(entry)} has no id; mint ids before emitting")
    fe = fg.add_entry(order="append")
    for name in EXTENSIONS:
        ext = getattr(fe, name, None)
        if ext is not None:
            ext.set_entry(entry)
    fe.id(entry.id)
    fe.title(entry.title)
    content = entry.content_html or ""
    if fmt == "rss":
        # A permalink guid must be a URI; an IRI id stays the item's id, as an opaque guid.
        fe.guid(entry.id, permalink=bool(entry.url) and entry.id == entry.url
                and entry.id.isascii())
        if entry.url:
            fe.link(href=as_uri(entry.url))  # RSS links are URIs (IRIs are Atom's)
        # RSS readers take description as html: a plain-text summary must be escaped, or a
        # summary that mentions "<script>" becomes one.
        fe.description(html.escape(entry.summary or entry.title, quote=False))
        if content:
            fe.content(content, type="html")
        date = shown_date(entry)
        if date is not None:
            fe.pubDate(date.value)
    else:
        fe.updated(whole_seconds(require_updated(entry)))
        if entry.published is not None:
            fe.published(whole_seconds(entry.published.value))
        # Atom needs content or an alternate link; the escaped title stands in for an empty body
        fe.content(content or html.escape(entry.title, quote=False), type="html")
        if entry.summary:
            fe.summary(entry.summary, type="text")
        author = byline(entry)
        if author is not None:
            fe.author(_agent_dict(author))
        for contributor in contributors_of(entry):
            fe.contributor(_agent_dict(contributor))
        if entry.rights is not None and entry.rights.notice:
            fe.rights(entry.rights.notice)
    for category in entry.categories:
        fe.category(term=category)
    return fe


def emit_rss(feed: Feed) -> bytes:
    fg = _generator(feed, "rss")
    fg.description(feed.description or feed.title)
    # RSS needs no date: a feed whose entries state none has no lastBuildDate, never the clock
    if feed.updated is not None:
        fg.lastBuildDate(feed.updated.value)
    for entry in feed.entries:
        _add_entry(fg, entry, "rss")
    root, _doc = fg._create_rss()
    extend_rss(root, feed)
    _add_rss_authors(root, feed.authors)
    if feed.updated is None:
        _remove(root, "channel/lastBuildDate")  # feedgen would print the build time
    _add_rss_hubs(root, feed.hubs)
    return _serialise(root, feed.stylesheet)


def emit_atom(feed: Feed) -> bytes:
    fg = _generator(feed, "atom")
    if feed.description:
        fg.subtitle(feed.description)
    fg.updated(whole_seconds(feed_updated(feed)))
    # Atom needs an author for every entry; the feed-level author covers those without one. A feed
    # that names none is published under its own title, as the organisation responsible for it.
    # Several are one element naming them all, as an entry's are.
    fg.author(_agent_dict(named_together(feed.authors)
                          or Agent(feed.title, AgentKind.ORGANIZATION)))
    for entry in feed.entries:
        _add_entry(fg, entry, "atom")
    root, _doc = fg._create_atom()
    extend_atom(root, feed)
    return _serialise(root, feed.stylesheet)


def _remove(root: etree._Element, path: str) -> None:
    for el in root.findall(path):
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def _add_rss_authors(root: etree._Element, authors: tuple[Agent, ...]) -> None:
    """The feed's authors as one channel-level dc:creator naming them all, as an item's is:
    RSS's own managingEditor must be an e-mail address, and most authors have none (we never
    invent one). feedparser and reader show it as the feed's author; W3C accepts Dublin Core in
    a channel."""
    channel = root.find("channel")
    if channel is None or not authors:
        return
    creator = etree.Element(f"{{{NS_DC}}}creator")
    creator.text = AUTHOR_SEPARATOR.join(a.name for a in authors)
    first_item = channel.find("item")
    if first_item is None:
        channel.append(creator)
    else:
        first_item.addprevious(creator)


def _add_rss_hubs(root: etree._Element, hubs: tuple[str, ...]) -> None:
    """WebSub hubs as atom:link rel="hub" in the channel, after its self link."""
    channel = root.find("channel")
    if channel is None or not hubs:
        return
    after = channel.find(f"{{{NS_ATOM}}}link")
    if after is None:
        after = channel.find("description")
    for hub in reversed(hubs):
        link = etree.Element(f"{{{NS_ATOM}}}link", href=hub, rel="hub")
        if after is None:
            channel.append(link)
        else:
            link.tail = after.tail
            after.addnext(link)


def _serialise(root: etree._Element, stylesheet: str | None = None) -> bytes:
    if stylesheet:
        # Before the root: a browser that still runs XSLT shows the document readable; feed
        # readers ignore processing instructions.
        quoted = stylesheet.replace("&", "&amp;").replace('"', "&quot;")
        root.addprevious(etree.ProcessingInstruction(
            "xml-stylesheet", f'type="text/xsl" href="{quoted}"'))
        root = root.getroottree()  # type: ignore[assignment]
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return body


# --- attribution.to_json as it was -------------------------------------------------------------


def record_json(entry: Entry) -> dict[str, object]:
    out: dict[str, object] = {"about": NS_FW}
    out.update(_json_of(RECORD, Record.of(entry)))
    return out


def _json_of(shape: Shape, value: Any) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in shape.fields:
        got = getattr(value, f.attr)
        if _empty(got) and not f.always:
            continue
        items = got if f.many else (got,)
        encoded: list[object]
        if isinstance(f.type, Shape):
            encoded = [_json_of(f.type, i) for i in items]
        else:
            encoded = [f.type.to_json(i) for i in items]
        out[f.json] = encoded if f.many else encoded[0]
    return out
