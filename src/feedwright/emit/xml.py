"""RSS 2.0 and Atom 1.0 through feedgen, in append order, with explicit dates and our extensions."""

from __future__ import annotations

import html
from typing import Any

from feedgen.feed import FeedGenerator
from lxml import etree

from feedwright.emit.common import (
    AUTHOR_SEPARATOR,
    GENERATOR,
    GENERATOR_URI,
    GENERATOR_VERSION,
    byline,
    contributors_of,
    entry_label,
    feed_updated,
    require_updated,
    shown_date,
    whole_seconds,
)
from feedwright.emit.extensions import EXTENSIONS
from feedwright.emit.history import extend_atom, extend_rss
from feedwright.formats import MEDIA_TYPES, NS_ATOM, NS_DC
from feedwright.model import Agent, AgentKind, Entry, Feed
from feedwright.syntax import as_uri


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
    for author in feed.authors or (Agent(feed.title, AgentKind.ORGANIZATION),):
        fg.author(_agent_dict(author))
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
