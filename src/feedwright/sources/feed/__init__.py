"""Existing feeds as sources: RSS 2.0 (and 0.9x), RSS 1.0, Atom 1.0 and JSON Feed 1.1.

Parsed with lxml (entity expansion and network off) rather than feedparser, because feedparser
sanitises and normalises away what attribution needs: media:credit roles and schemes, several
dc:creator elements, Atom contributors, and our own attribution record (feedwright.attribution),
which is read back here so a feedwright feed used as a source gives back the entry it was made
from.

Entries keep their original ids, dates and authors. Each also credits the feed it came from
(Role.SOURCE, the feed's title, with the feed's url), which emitters write as Atom `source`,
RSS `source` / dc:source and `_feedwright`.

    __init__   which format a document is, and its reader
    common     what both readers share: the feed, dates, bodies, media, our record over the rest
    xml        RSS and Atom;  mediarss: Media RSS and enclosures in either;  xmltext: element text
    jsonfeed   JSON Feed
"""

from __future__ import annotations

from feedwright.formats import NS_ATOM, NS_RDF, NS_RSS1, qname
from feedwright.model import Entry
from feedwright.sources._common import check_size, zone_or_fail
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError
from feedwright.sources.feed.common import EXTRACTOR
from feedwright.sources.feed.jsonfeed import JsonFeedReader
from feedwright.sources.feed.xml import XmlFeedReader
from feedwright.sources.xmlsafe import parse_xml

__all__ = ["EXTRACTOR", "MAX_FEED_BYTES", "read"]

MAX_FEED_BYTES = 32 * 1024 * 1024


def read(retrieved: Retrieved, options: ReaderOptions) -> tuple[Entry, ...]:
    """The feed's entries. A feed that holds none is a failed source, as an empty JSON export
    is: an upstream feed that comes back empty once (a glitch) would otherwise remove every
    entry it gave, at once, and announce them deleted."""
    entries = _entries(retrieved, options)
    if not entries:
        raise SourceError(retrieved.location, "no entries: the feed is empty")
    return entries


def _entries(retrieved: Retrieved, options: ReaderOptions) -> tuple[Entry, ...]:
    check_size(retrieved, MAX_FEED_BYTES, "a feed")
    default_zone = zone_or_fail(retrieved, options)
    head = retrieved.data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return JsonFeedReader(retrieved, options, default_zone).read()
    root = parse_xml(retrieved.data, retrieved.location)
    reader = XmlFeedReader(retrieved, options, default_zone)
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise SourceError(retrieved.location, "RSS document without a <channel>")
        return reader.rss(channel, channel.findall("item"))
    if root.tag == qname(NS_RDF, "RDF"):
        channel = root.find(qname(NS_RSS1, "channel"))
        if channel is None:
            raise SourceError(retrieved.location, "RSS 1.0 document without a <channel>")
        return reader.rss(channel, root.findall(qname(NS_RSS1, "item")), ns=NS_RSS1)
    if root.tag == qname(NS_ATOM, "feed"):
        return reader.atom(root)
    if root.tag == qname(NS_ATOM, "entry"):
        return reader.atom(root, single=True)
    raise SourceError(retrieved.location, f"not a feed: the root element is <{root.tag}>")
