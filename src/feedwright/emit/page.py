"""The page people read: one HTML page per feed, and the XSL stylesheet for the XML documents.

A person who opens a feed's url in a browser should see the news, not raw XML. The page shows
the newest entries (title linked, date, authors, summary, every picture with its caption and
credits) and links to subscribe in each format, with autodiscovery links in its head. It is
plain HTML with its CSS inlined: no scripts (a Content-Security-Policy says so to the browser),
no external resources besides the entries' own pictures, and every value escaped. The same feed
gives the same bytes.

The stylesheet is the same look for browsers that still apply XSLT to an RSS or Atom document
(emit/feedwright.xsl, with the page's CSS put in where it says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from html import escape
from importlib.resources import files
from urllib.parse import urlsplit

from feedwright.model import Agent, Entry, Feed, Timestamp
from feedwright.normalise.html import render_figure, sanitise

#: The page shows at most this many entries, newest first (documents may carry thousands).
PAGE_ENTRIES = 50

#: What each format's subscribe link says, in the order they are offered.
FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_CSS_PLACEHOLDER = "/* feedwright:css */"
_POLICY = ("default-src 'none'; img-src http: https: data:; media-src http: https:; "
           "style-src 'unsafe-inline'")


@cache
def page_css() -> str:
    return files("feedwright.emit").joinpath("page.css").read_text(encoding="utf-8")


@cache
def stylesheet() -> bytes:
    """The XSL stylesheet the RSS and Atom documents name, with the page's CSS in it."""
    template = files("feedwright.emit").joinpath("feedwright.xsl").read_text(encoding="utf-8")
    return template.replace(_CSS_PLACEHOLDER, page_css()).encode("utf-8")


def emit_page(feed: Feed, subscribe: Mapping[str, tuple[str, str]]) -> bytes:
    """The page for a feed. ``subscribe`` maps each format to (media type, href), hrefs relative
    to the page (the documents sit beside it) or absolute."""
    title = _text(feed.title)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_attr(feed.language)}">' if feed.language else "<html>",
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="generator" content="feedwright">',
        f"<title>{title}</title>",
    ]
    for fmt, (media_type, href) in subscribe.items():
        label = FORMAT_LABELS.get(fmt, fmt)
        head.append(f'<link rel="alternate" type="{_attr(media_type)}" '
                    f'title="{_attr(feed.title)} ({_attr(label)})" href="{_attr(href)}">')
    if _safe_url(feed.icon):
        head.append(f'<link rel="icon" href="{_attr(feed.icon)}">')
    head += [f"<style>\n{page_css()}</style>", "</head>"]

    body = ["<body>", '<div class="wrap">', '<header class="feed">',
            f"<h1>{_link(feed.link, title)}</h1>"]
    if feed.description:
        body.append(f'<p class="description">{_text(feed.description)}</p>')
    if subscribe:
        links = " ".join(f'<a href="{_attr(href)}" type="{_attr(media_type)}">'
                         f"{_text(FORMAT_LABELS.get(fmt, fmt))}</a>"
                         for fmt, (media_type, href) in subscribe.items())
        body.append(f'<nav class="subscribe" aria-label="Subscribe"><span>Subscribe:</span> '
                    f"{links}</nav>")
        body.append('<p class="hint">Copy a link into your feed reader to follow this feed.</p>')
    body += ["</header>", "<main>"]
    body += [_entry(e) for e in feed.entries[:PAGE_ENTRIES]]
    if not feed.entries:
        body.append('<p class="summary">Nothing published yet.</p>')
    body.append("</main>")
    footer = [_text(feed.rights.notice)] if feed.rights and feed.rights.notice else []
    footer.append("Made by feedwright")
    body += [f'<footer class="feed">{" · ".join(footer)}</footer>', "</div>", "</body>",
             "</html>"]
    return ("\n".join(head + body) + "\n").encode("utf-8")


def _entry(entry: Entry) -> str:
    parts = ['<article class="entry">', f"<h2>{_link(entry.url, _text(entry.title))}</h2>"]
    meta = []
    if entry.published is not None:
        meta.append(_time(entry.published))
    if entry.updated is not None and (entry.published is None
                                      or entry.updated.value != entry.published.value):
        meta.append(f"updated {_time(entry.updated)}")
    if entry.authors:
        meta.append("by " + _names(entry.authors))
    if meta:
        parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    lead = entry.lead_text()
    if lead:
        parts.append(f'<p class="summary">{_text(lead)}</p>')
    # Every picture with its caption and credits, the way the content html shows them; the
    # sanitiser drops any url a browser should not follow.
    parts += [sanitise(render_figure(m)) for m in entry.media if m.url or m.caption or m.credits]
    parts.append("</article>")
    return "\n".join(parts)


def _time(stamp: Timestamp) -> str:
    """The date as the source stated it, in its own offset: <time> holds the exact instant."""
    moment = stamp.value
    shown = f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    if not stamp.day_only:
        shown += f", {moment:%H:%M} {_offset(moment)}"
    return f'<time datetime="{moment.isoformat()}">{shown}</time>'


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _names(agents: tuple[Agent, ...]) -> str:
    names = [_link(a.url, _text(a.name)) for a in agents]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _link(url: str | None, inner: str) -> str:
    """inner (html) as a link to url, or plain when the url is not one a browser may follow."""
    return f'<a href="{_attr(url)}">{inner}</a>' if _safe_url(url) else inner


def _safe_url(url: str | None) -> bool:
    return bool(url) and urlsplit(url or "").scheme.lower() in ("http", "https")


def _text(value: str) -> str:
    return escape(value, quote=False)


def _attr(value: str | None) -> str:
    return escape(value or "", quote=True)
