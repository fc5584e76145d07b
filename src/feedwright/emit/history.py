"""Full history in every format: RFC 5005 archive links and marker, RFC 6721 tombstones.

Added to the document tree (or object) the format's emitter built, so the emitters stay as they
are for a feed that is neither archived nor has deletions to announce:

- older / newer archive, the subscription document: Atom `link rel=prev-archive`,
  `next-archive`, `current`; RSS the same as `atom:link`; JSON Feed `next_url` (to the older
  archive) and `prev_archive`, `next_archive`, `current` in `_feedwright`.
- an archive document: `fh:archive` in Atom and RSS; `_feedwright.archive: true`.
- a deleted entry: Atom `at:deleted-entry ref= when=`; RSS `fw:deleted-entry ref= when=`;
  JSON Feed `_feedwright.deleted: [{id, when}]`.

JSON Feed pages one way only (`next_url`, "the next n items"): from the subscription document to
the newest archive, then each archive to the one before it, newest to oldest.
"""

from __future__ import annotations

from lxml import etree

from feedwright import NAMESPACE
from feedwright.formats import NS_ATOM, NS_HISTORY, NS_TOMBSTONES, rfc3339
from feedwright.model import Feed, Paging


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


def extend_json(document: dict[str, object], extension: dict[str, object], feed: Feed) -> None:
    """next_url to the older archive; the links, the archive mark and tombstones in
    `_feedwright` (extension)."""
    if feed.paging is not None:
        if feed.paging.prev_archive:
            document["next_url"] = feed.paging.prev_archive
        if feed.paging.archive:
            extension["archive"] = True
        for rel, href in paging_links(feed.paging):
            extension[rel.replace("-", "_")] = href
    if feed.deleted:
        extension["deleted"] = [{"id": t.ref, "when": rfc3339(t.when)} for t in feed.deleted]


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
