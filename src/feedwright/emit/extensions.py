"""feedgen extensions: Dublin Core, Media RSS with media:credit, and the project namespace.

feedgen's own entry links lose rel/type/length (its loop reuses the variable), so in Atom every
entry link is written here instead; its RSS author needs an e-mail, so names go in dc:creator.
Each extension instance is handed the model entry it writes.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from feedwright import attribution
from feedwright.emit.common import (
    authors_of,
    contributors_of,
    enclosures,
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
        for author in authors_of(entry):
            _sub(item, f"{{{NS_DC}}}creator", author.name)
        for contributor in contributors_of(entry):
            _sub(item, f"{{{NS_DC}}}contributor", contributor.name)
        for source in sources_of(entry):
            _sub(item, f"{{{NS_DC}}}source", source.name)
        if entry.rights is not None and entry.rights.notice:
            _sub(item, f"{{{NS_DC}}}rights", entry.rights.notice)
        return item


# --- Media RSS ----------------------------------------------------------------------------------


class MediaFeed(_NamespaceExtension):
    namespaces: ClassVar[dict[str, str]] = {"media": NS_MEDIA}


def _media_content(parent: etree._Element, media: Media) -> None:
    attrs = {"url": media.url or ""}
    if media.mime_type:
        attrs["type"] = media.mime_type
    if media.size is not None:
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
    """Entry links for Atom: one alternate, then one enclosure per media file with type/length."""

    def extend_atom(self, entry_el: etree._Element) -> etree._Element:
        entry = self.entry
        if entry.url:
            _sub(entry_el, f"{{{NS_ATOM}}}link", rel="alternate", type="text/html", href=entry.url)
        for media in enclosures(entry):
            attrs = {
                "rel": "enclosure",
                "href": media.url or "",
                "type": media.mime_type or "",
                "length": str(media.size),
            }
            etree.SubElement(entry_el, f"{{{NS_ATOM}}}link", attrs)
        return entry_el

    def extend_rss(self, item: etree._Element) -> etree._Element:
        # RSS has no updated date of its own; atom:updated carries it for readers that look.
        if self.entry.updated is not None:
            _sub(item, f"{{{NS_ATOM}}}updated", rfc3339(self.entry.updated.value))
        first = next(iter(enclosures(self.entry)), None)
        if first is not None:
            _sub(
                item,
                "enclosure",
                url=first.url or "",
                length=str(first.size),
                type=first.mime_type or "",
            )
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
