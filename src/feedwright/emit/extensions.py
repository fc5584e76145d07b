"""feedgen extensions: Dublin Core, Media RSS with media:credit, and the project namespace.

feedgen's own entry links lose rel/type/length (its loop reuses the variable), so in Atom every
entry link is written here instead; its RSS author needs an e-mail, so names go in dc:creator.
Each extension instance is handed the model entry it writes.

feedgen writes Atom with a plain `xmlns` attribute, so its elements are in no namespace as far
as lxml knows: an element added here as `{Atom}link` would get a made-up prefix (`ns0:link`),
which several clients do not read. Atom elements are therefore added unqualified, like
feedgen's own; extension elements (media:, fw:) use the prefixes declared on the root.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from feedwright import attribution
from feedwright.emit.common import (
    AUTHOR_SEPARATOR,
    as_uri,
    byline,
    contributors_of,
    enclosures,
    lead_enclosure,
    media_credit_roles,
    media_with_url,
    sources_of,
)
from feedwright.formats import NS_ATOM, NS_DC, NS_FW, NS_MEDIA, rfc3339
from feedwright.model import Entry, Media


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
        item.append(attribution.to_xml(self.entry))
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
