"""RSS 2.0 and Atom 1.0: each document written as text in one pass (emit.xmlwriter), in the
element order and bytes the feedgen-built trees of earlier versions had (tests/oracle/ keeps
that code, and tests/test_emit_bytes.py compares the two on arbitrary feeds).
"""

from __future__ import annotations

import html
from datetime import datetime

from feedwright.emit.common import (
    GENERATOR,
    GENERATOR_URI,
    GENERATOR_VERSION,
    EmitError,
    Shared,
    Written,
    byline,
    contributors_of,
    entry_label,
    feed_updated,
    has_entries,
    named_together,
    require_updated,
    shown_date,
    updated_of,
    whole_seconds,
)
from feedwright.emit.extensions import write_atom_extensions, write_rss_extensions
from feedwright.emit.history import archive_parts, write_tombstones
from feedwright.emit.xmlwriter import SPLICE, XmlWriter, document, encoded
from feedwright.formats import MEDIA_TYPES, NS_ATOM, NS_CONTENT, NS_DC, NS_FW, NS_MEDIA
from feedwright.model import Agent, AgentKind, Entry, Feed, Timestamp
from feedwright.syntax import as_uri

#: The prefixes each root declares, in the order they are written.
RSS_NAMESPACES = (("dc", NS_DC), ("media", NS_MEDIA), ("fw", NS_FW), ("atom", NS_ATOM),
                  ("content", NS_CONTENT))
ATOM_NAMESPACES = (("media", NS_MEDIA), ("fw", NS_FW))
RSS_DOCS = "http://www.rssboard.org/rss-specification"

# RFC 822 names, as the C locale spells them (never the machine's locale).
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822(value: datetime) -> str:
    """An RSS date: `Wed, 02 Oct 2002 13:00:00 +1300`, in the value's own offset. Written from
    the fields (half the time of strftime, once an item); strftime for what it writes
    otherwise: an offset with seconds, a year before 1000."""
    offset = value.utcoffset()
    minutes, seconds = divmod(offset.days * 86400 + offset.seconds, 60) if offset else (0, 0)
    if offset is None or seconds or offset.microseconds or value.year < 1000:
        return (f"{_DAYS[value.weekday()]}, {value:%d} {_MONTHS[value.month - 1]} "
                f"{value:%Y %H:%M:%S %z}")
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return (f"{_DAYS[value.weekday()]}, {value.day:02d} {_MONTHS[value.month - 1]} "
            f"{value.year} {value.hour:02d}:{value.minute:02d}:{value.second:02d} "
            f"{sign}{hours:02d}{minutes:02d}")


def _zoned(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise EmitError(f"{what}: the date {value.isoformat()} has no time zone")
    return value


def _ns(namespaces: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(f"xmlns:{prefix}", uri) for prefix, uri in namespaces]


# --- RSS ---------------------------------------------------------------------------------------


#: The depth of an entry's element in each document (RSS: rss/channel/item; Atom: feed/entry).
ENTRY_DEPTH = {"rss": 2, "atom": 1}


def emit_rss(feed: Feed, shared: Shared | None = None,
             written: Written | None = None) -> bytes:
    """The RSS document; with `written`, around those entries (feed.entries then unused)."""
    description = feed.description or feed.title
    if not (feed.title and feed.link and description):
        raise EmitError(f"feed {feed.id!r}: RSS needs a title and a link")
    w = XmlWriter()
    w.open("rss", [*_ns(RSS_NAMESPACES), ("version", "2.0")])
    w.open("channel")
    for part in _channel_head(w, feed, description, updated_of(feed, written)):
        w.raw(part)
    if has_entries(feed, written):
        _feed_authors(w, feed.authors)
    if written is not None:
        w.raw(SPLICE)
    for entry in feed.entries if written is None else ():
        _item(w, entry, shared)
    write_tombstones(w, feed, "rss")
    if not has_entries(feed, written):
        _feed_authors(w, feed.authors)  # after the tombstones, where the tree path put it
    w.close()
    w.close()
    return document(w, feed.stylesheet, written.entries if written is not None else None)


def entry_bytes(entry: Entry, fmt: str, shared: Shared | None = None) -> bytes:
    """One entry of an RSS or Atom document, as it stands among the others (indented for its
    depth); Written holds these. Raises EmitError as emitting the document would (an
    XmlCharacterError's line then counts from the entry's first line)."""
    w = XmlWriter(ENTRY_DEPTH[fmt])
    (_item if fmt == "rss" else _entry)(w, entry, shared)
    return encoded(w.text())


def _feed_authors(w: XmlWriter, authors: tuple[Agent, ...]) -> None:
    """The feed's authors as one channel-level dc:creator naming them all, as an item's is:
    RSS's own managingEditor must be an e-mail address, and most authors have none (we never
    invent one). feedparser and reader show it as the feed's author; W3C accepts Dublin Core in
    a channel."""
    together = named_together(authors)
    if together is not None:
        w.leaf("dc:creator", together.name)


def _channel_head(w: XmlWriter, feed: Feed, description: str,
                  updated: Timestamp | None) -> list[str]:
    """The channel's elements before its items, each as text, in order: the core elements,
    with the self link after the description; the archive links after the self link (first
    in the channel when there is none); the WebSub hubs after the channel's first atom:link
    (else after the description)."""
    def one(tag: str, text: str | None = None, attrs: tuple[tuple[str, str], ...] = ()) -> str:
        part = w.fragment()
        part.leaf(tag, text, attrs)
        return part.text()

    head = [one("title", feed.title), one("link", feed.link), one("description", description)]
    self_link: int | None = None
    if feed.self_url:
        self_link = len(head)
        head.append(one("atom:link", None, (("href", feed.self_url), ("rel", "self"),
                                            ("type", MEDIA_TYPES["rss"]))))
    if feed.rights is not None and feed.rights.notice:
        head.append(one("copyright", feed.rights.notice))
    head += [one("docs", RSS_DOCS), one("generator", GENERATOR)]
    if feed.icon:
        image = w.fragment()
        image.open("image")
        image.leaf("url", feed.icon)
        image.leaf("title", feed.title)
        image.leaf("link", feed.link)
        image.close()
        head.append(image.text())
    if feed.language:
        head.append(one("language", feed.language))
    # RSS needs no date: a feed whose entries state none has no lastBuildDate, never the clock
    if updated is not None:
        head.append(one("lastBuildDate", rfc822(_zoned(updated.value, f"feed {feed.id!r}"))))
    archive = archive_parts(w, feed, "rss")
    at = 0 if self_link is None else self_link + 1
    head[at:at] = archive
    archive_links = len(archive) - (1 if feed.paging is not None and feed.paging.archive else 0)
    if self_link is not None:
        at = self_link + 1
    elif archive_links:
        at = 1  # after the first archive link, the channel's first atom:link
    else:
        at = 3 + len(archive)  # after the description (behind an fh:archive put first)
    head[at:at] = [one("atom:link", None, (("href", hub), ("rel", "hub"))) for hub in feed.hubs]
    return head


def _item(w: XmlWriter, entry: Entry, shared: Shared | None) -> None:
    if not entry.id:
        raise EmitError(f"{entry_label(entry)} has no id; mint ids before emitting")
    w.open("item")
    if entry.title:
        w.leaf("title", entry.title)
    if entry.url:
        w.leaf("link", as_uri(entry.url))  # RSS links are URIs (IRIs are Atom's)
    # RSS readers take description as html: a plain-text summary must be escaped, or a
    # summary that mentions "<script>" becomes one.
    description = html.escape(entry.summary or entry.title, quote=False)
    content = entry.content_html or ""
    if not (entry.title or description or content):
        raise EmitError(f"{entry_label(entry)} has no title, summary or content")
    if description:
        w.leaf("description", description)
        if content:
            w.leaf("content:encoded", content)
    elif content:
        w.leaf("description", content)
    # A permalink guid must be a URI; an IRI id stays the item's id, as an opaque guid.
    permalink = bool(entry.url) and entry.id == entry.url and entry.id.isascii()
    w.leaf("guid", entry.id, (("isPermaLink", "true" if permalink else "false"),))
    for category in entry.categories:
        w.leaf("category", category)
    date = shown_date(entry)
    if date is not None:
        w.leaf("pubDate", rfc822(_zoned(date.value, entry_label(entry))))
    write_rss_extensions(w, entry, shared)
    w.close()


# --- Atom --------------------------------------------------------------------------------------


def emit_atom(feed: Feed, shared: Shared | None = None,
              written: Written | None = None) -> bytes:
    """The Atom document; with `written`, around those entries (feed.entries then unused)."""
    if not (feed.id and feed.title):
        raise EmitError(f"feed {feed.id!r}: Atom needs an id and a title")
    w = XmlWriter()
    root = [*_ns(ATOM_NAMESPACES), ("xmlns", NS_ATOM)]
    if feed.language:
        root.append(("xml:lang", feed.language))
    w.open("feed", root)
    w.leaf("id", feed.id)
    w.leaf("title", feed.title)
    w.leaf("updated", _atom_date(feed_updated(feed, written), f"feed {feed.id!r}"))
    # Atom needs an author for every entry; the feed-level author covers those without one. A feed
    # that names none is published under its own title, as the organisation responsible for it.
    # Several are one element naming them all, as an entry's are (feedparser and reader kept
    # only the last of several elements).
    _person(w, "author", named_together(feed.authors) or Agent(feed.title, AgentKind.ORGANIZATION))
    if feed.self_url:
        w.leaf("link", None, (("href", feed.self_url), ("rel", "self"),
                              ("type", MEDIA_TYPES["atom"])))
    for hub in feed.hubs:  # WebSub
        w.leaf("link", None, (("href", hub), ("rel", "hub")))
    w.leaf("link", None, (("href", feed.link), ("rel", "alternate"), ("type", "text/html")))
    for part in archive_parts(w, feed, "atom"):
        w.raw(part)
    w.leaf("generator", GENERATOR, (("uri", GENERATOR_URI), ("version", GENERATOR_VERSION)))
    if feed.icon:
        w.leaf("icon", feed.icon)
        w.leaf("logo", feed.icon)
    if feed.rights is not None and feed.rights.notice:
        w.leaf("rights", feed.rights.notice)
    if feed.description:
        w.leaf("subtitle", feed.description)
    if written is not None:
        w.raw(SPLICE)
    for entry in feed.entries if written is None else ():
        _entry(w, entry, shared)
    write_tombstones(w, feed, "atom")
    w.close()
    return document(w, feed.stylesheet, written.entries if written is not None else None)


def _atom_date(value: datetime, what: str) -> str:
    return whole_seconds(_zoned(value, what)).isoformat()


def _person(w: XmlWriter, tag: str, agent: Agent) -> None:
    if not agent.name:  # Atom requires a name
        return
    w.open(tag)
    w.leaf("name", agent.name)
    if agent.email:
        w.leaf("email", agent.email)
    if agent.url:
        w.leaf("uri", agent.url)
    w.close()


def _entry(w: XmlWriter, entry: Entry, shared: Shared | None) -> None:
    if not entry.id:
        raise EmitError(f"{entry_label(entry)} has no id; mint ids before emitting")
    if not entry.title:
        raise EmitError(f"{entry_label(entry)} has no title; Atom requires one")
    label = entry_label(entry)
    w.open("entry")
    w.leaf("id", entry.id)
    w.leaf("title", entry.title)
    w.leaf("updated", _atom_date(require_updated(entry), label))
    author = byline(entry)
    if author is not None:
        _person(w, "author", author)
    # Atom needs content or an alternate link; the escaped title stands in for an empty body
    w.leaf("content", entry.content_html or html.escape(entry.title, quote=False),
           (("type", "html"),))
    if entry.summary:
        w.leaf("summary", entry.summary, (("type", "text"),))
    for category in entry.categories:
        w.leaf("category", None, (("term", category),))
    for contributor in contributors_of(entry):
        _person(w, "contributor", contributor)
    if entry.published is not None:
        w.leaf("published", _atom_date(entry.published.value, label))
    if entry.rights is not None and entry.rights.notice:
        w.leaf("rights", entry.rights.notice)
    write_atom_extensions(w, entry, shared)
    w.close()
