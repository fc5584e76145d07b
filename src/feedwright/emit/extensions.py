"""What RSS items and Atom entries carry beyond their core elements: Dublin Core (RSS), Media
RSS with media:credit, the links and enclosures, and the attribution record.

RSS `author` needs an e-mail, so names go in dc:creator. Atom elements are written in the
default namespace (several clients do not read a prefixed `ns0:link`); extension elements under
the prefixes the document's root declares (dc, media, fw, atom in RSS).
"""

from __future__ import annotations

from feedwright import attribution
from feedwright.emit.common import (
    AUTHOR_SEPARATOR,
    Shared,
    byline,
    contributors_of,
    enclosures,
    lead_enclosure,
    media_credit_roles,
    media_with_url,
    sources_of,
)
from feedwright.emit.xmlwriter import XmlWriter
from feedwright.formats import rfc3339
from feedwright.model import Entry, Media
from feedwright.syntax import as_uri


def write_rss_extensions(w: XmlWriter, entry: Entry, shared: Shared | None = None) -> None:
    """After an item's core elements: Dublin Core, Media RSS, atom:updated and the one
    enclosure, then the attribution record."""
    _dublin_core(w, entry)
    _media(w, entry)
    # RSS has no updated date of its own; atom:updated carries it for readers that look.
    if entry.updated is not None:
        w.leaf("atom:updated", rfc3339(entry.updated.value))
    # One enclosure: RSS readers take only the first, and W3C warns of more.
    lead = lead_enclosure(entry)
    if lead is not None:
        length = lead.length if lead.length is not None else 0  # RSS: 0 when not known
        w.leaf("enclosure", None, (("url", as_uri(lead.url)), ("length", str(length)),
                                   ("type", lead.mime_type)))
    _attribution(w, entry, shared)


def write_atom_extensions(w: XmlWriter, entry: Entry, shared: Shared | None = None) -> None:
    """After an entry's core elements: Media RSS, the alternate link and one enclosure link per
    media file, then the attribution record."""
    _media(w, entry)
    if entry.url:
        w.leaf("link", None, (("rel", "alternate"), ("type", "text/html"), ("href", entry.url)))
    for enclosure in enclosures(entry):
        attrs = [("rel", "enclosure"), ("href", enclosure.url), ("type", enclosure.mime_type)]
        if enclosure.length is not None:  # optional in Atom; absent says "not known"
            attrs.append(("length", str(enclosure.length)))
        w.leaf("link", None, attrs)
    _attribution(w, entry, shared)


def _attribution(w: XmlWriter, entry: Entry, shared: Shared | None) -> None:
    """The attribution record, made once for RSS and Atom when they share one `shared`."""
    if shared is None:
        attribution.write_xml(entry, w)
    else:
        w.raw(shared.record_xml(entry, w.depth, w.escape_text, w.escape_attribute))


def _dublin_core(w: XmlWriter, entry: Entry) -> None:
    """RSS only: Atom has native author, contributor and rights."""
    author = byline(entry)
    if author is not None:
        w.leaf("dc:creator", author.name)
    for contributor in contributors_of(entry):
        w.leaf("dc:contributor", contributor.name)
    sources = sources_of(entry)
    if sources:  # dc:source may appear once in an item (W3C: DuplicateElement)
        w.leaf("dc:source", AUTHOR_SEPARATOR.join(s.name for s in sources))
    if entry.rights is not None and entry.rights.notice:
        w.leaf("dc:rights", entry.rights.notice)


def _media(w: XmlWriter, entry: Entry) -> None:
    for media in media_with_url(entry):
        _media_content(w, media)


def _media_content(w: XmlWriter, media: Media) -> None:
    attrs = [("url", as_uri(media.url or ""))]
    if media.mime_type:
        attrs.append(("type", media.mime_type))
    if media.size:  # Media RSS fileSize is a positive integer: 0 would be invalid
        attrs.append(("fileSize", str(media.size)))
    if media.kind.value in ("image", "video", "audio"):
        attrs.append(("medium", media.kind.value))
    w.open("media:content", attrs)
    if media.caption:
        w.leaf("media:description", media.caption, (("type", "plain"),))
    for credit in media.credits:
        for role, scheme, name in media_credit_roles(credit):
            w.leaf("media:credit", name, (("role", role), ("scheme", scheme)))
    holders = [c.agent.name for c in media.credits if c.role.value == "copyright_holder"]
    if holders:
        w.leaf("media:copyright", holders[0])
    w.close()
