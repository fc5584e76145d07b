"""Content html: rendered from blocks so captions stay in place, then sanitised.

Credits are printed inside each figure's caption, so attribution survives in readers that
ignore every feed extension.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import urljoin

import nh3

from feedwright.model import Block, BlockKind, Credit, Media, MediaKind, Role
from feedwright.normalise.text import strip_xml_forbidden
from feedwright.syntax import wellformed_url

_ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "video",
    "audio",
    "source",
    "picture",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "video": {"src", "poster", "controls", "width", "height"},
    "audio": {"src", "controls"},
    "source": {"src", "type"},
    "span": {"class"},
    "p": {"class"},
    "figure": {"class"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
_URL_ATTRIBUTES = {
    ("a", "href"),
    ("img", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("source", "src"),
    ("blockquote", "cite"),
    ("q", "cite"),
}


def sanitise(html: str, base_url: str | None = None) -> str:
    """Remove scripts, event handlers and dangerous urls; make relative urls absolute and every
    url well-formed, as the readers make the links and media urls they read
    (syntax.wellformed_url), so a figure's image and the same image in running text agree."""

    def absolutise(tag: str, attribute: str, value: str) -> str | None:
        if (tag, attribute) in _URL_ATTRIBUTES:
            value = wellformed_url(value.strip())
            if base_url:
                value = wellformed_url(urljoin(base_url, value))
        return value

    cleaned: str = nh3.clean(
        strip_xml_forbidden(html),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=absolutise,
    )
    return cleaned


def credit_text(credit: Credit) -> str:
    """How a credit reads in a caption: its raw text when the source printed one."""
    if credit.raw:
        return credit.raw
    label = _ROLE_LABELS.get(credit.role, credit.role.value.replace("_", " ").capitalize())
    name = credit.agent.name
    if credit.on_behalf_of is not None:
        name = f"{name} / {credit.on_behalf_of.name}"
    return f"{label}: {name}"


_ROLE_LABELS = {
    Role.PHOTOGRAPHER: "Photo",
    Role.VIDEOGRAPHER: "Video",
    Role.ILLUSTRATOR: "Illustration",
    Role.SOURCE: "Source",
    Role.PROVIDER: "Supplied",
    Role.DISTRIBUTOR: "Photo",
    Role.COPYRIGHT_HOLDER: "©",
}


def render_figure(media: Media) -> str:
    parts = ['<figure class="media">']
    if media.url:
        url = escape(media.url, quote=True)
        if media.kind is MediaKind.VIDEO:
            parts.append(f'<video src="{url}" controls></video>')
        elif media.kind is MediaKind.AUDIO:
            parts.append(f'<audio src="{url}" controls></audio>')
        else:
            parts.append(
                f'<img src="{url}" alt="{escape(media.alt or media.caption or "", quote=True)}">'
            )
    caption = escape(media.caption or "", quote=False)
    seen: set[str] = set()
    credit_texts = []
    for credit in media.credits:
        text = credit_text(credit)
        if text not in seen:  # one raw credit can yield several credits; print it once
            seen.add(text)
            credit_texts.append(f'<span class="credit">{escape(text, quote=False)}</span>')
    captioned = " ".join(p for p in [caption, *credit_texts] if p)
    if captioned:
        parts.append(f"<figcaption>{captioned}</figcaption>")
    parts.append("</figure>")
    return "".join(parts)


def render_blocks(blocks: Iterable[Block], media: Iterable[Media]) -> str:
    """The body as html, one element per block, in reading order."""
    by_id = {m.id: m for m in media}
    out: list[str] = []
    for block in blocks:
        inline = block.html if block.html is not None else escape(block.text, quote=False)
        if block.kind is BlockKind.STANDFIRST:
            out.append(f'<p class="standfirst"><strong>{inline}</strong></p>')
        elif block.kind is BlockKind.PARAGRAPH:
            out.append(f"<p>{inline}</p>")
        elif block.kind is BlockKind.HEADING:
            level = min(max(block.level or 2, 2), 6)
            out.append(f"<h{level}>{inline}</h{level}>")
        elif block.kind is BlockKind.QUOTE:
            out.append(f"<blockquote><p>{inline}</p></blockquote>")
        elif block.kind is BlockKind.LIST:
            items = "".join(f"<li>{escape(item, quote=False)}</li>" for item in block.items)
            out.append(f"<ul>{items}</ul>")
        elif block.kind is BlockKind.PREFORMATTED:
            out.append(f"<pre>{inline}</pre>")  # its text's line breaks are the block's own
        elif block.kind is BlockKind.FIGURE and block.media_id in by_id:
            out.append(render_figure(by_id[block.media_id]))
    return "\n".join(out)


def render_content(
    blocks: Iterable[Block], media: Iterable[Media], base_url: str | None = None
) -> str:
    """The blocks as sanitised html. What we rendered from plain text alone is sanitised already
    (see needs_sanitising), and skipping nh3 for it saves about a millisecond an article."""
    blocks, media = tuple(blocks), tuple(media)
    html = render_blocks(blocks, media)
    return sanitise(html, base_url) if needs_sanitising(blocks, media, html) else html


#: Characters the html parser behind nh3 changes or drops (carriage returns, no-break spaces it
#: writes as &nbsp;, a byte order mark) and those sanitise strips (what XML forbids:
#: normalise.text.XML_FORBIDDEN), in one class so the search scans at C speed.
_CHANGED_BY_SANITISING = re.compile(
    "[^\t\n\u0020-\u009f\u00a1-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def needs_sanitising(blocks: Sequence[Block], media: Sequence[Media], html: str) -> bool:
    """False only for html that render_blocks made from plain text alone, which nh3 would give
    back unchanged: every block's text escaped (no markup from a source, block.html), figures
    without urls (a url is the source's), and no character nh3 would write otherwise. Then our
    fixed templates hold only allowed tags and attributes, and text cannot open a tag or an
    entity. Anything from outside (html pages, feeds, markdown) has html or urls: sanitised.
    tests/test_content_html.py checks both."""
    return (any(b.html is not None for b in blocks) or any(m.url for m in media)
            or _changed_by_sanitising(html))


#: The Latin-1 characters _CHANGED_BY_SANITISING matches, as bytes.
_LATIN1_CHANGED = bytes(c for c in range(256) if _CHANGED_BY_SANITISING.match(chr(c)))


def _changed_by_sanitising(html: str) -> bool:
    """_CHANGED_BY_SANITISING finds a character in the html. Html in Latin-1 (most rendered from
    text) is asked with bytes.translate, which deletes the matching bytes at memory speed."""
    try:
        latin = html.encode("latin-1")
    except UnicodeEncodeError:
        return _CHANGED_BY_SANITISING.search(html) is not None
    return len(latin.translate(None, _LATIN1_CHANGED)) != len(latin)
