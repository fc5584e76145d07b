"""HTML fragments to blocks and media: shared by the HTML page, Markdown, JSON and feed readers.

Figures are read here, before any extractor sees the page, because extractors drop captions and
the credit markup inside them (`<figcaption>Caption <span class="credit">Photo: X</span>`).
Lazy-loaded images are resolved to their real url, and every url is made absolute.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from html import escape
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from feedwright.model import Block, BlockKind, Credit, Media, MediaKind, Role
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.credits import DEFAULT_CREDIT_PATTERNS, CreditPattern
from feedwright.normalise.text import clean_line

#: Class names, ids and itemprops that mark credit markup inside a figure.
_CREDIT_MARK = re.compile(
    r"credit|copyright|byline|photographer|attribution|source|author|creator|rights", re.I
)
_CAPTION_CLASS = re.compile(r"caption", re.I)
_STANDFIRST_CLASS = re.compile(r"\b(?:standfirst|lede|dek)\b", re.I)
_LAZY_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url")
_SRCSET_ATTRIBUTES = ("data-srcset", "data-lazy-srcset", "srcset")
_PLACEHOLDER = re.compile(
    r"^data:|(?:blank|spacer|placeholder|pixel|1x1|transparent)\.(?:gif|png)", re.I
)
_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "form",
        "nav",
        "aside",
        "button",
        "template",
        "svg",
        "canvas",
        "object",
        "embed",
        "input",
        "select",
        "textarea",
        "head",
        "title",
        "meta",
        "link",
    }
)
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "br",
        "cite",
        "code",
        "del",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "font",
        "bdi",
        "bdo",
        "wbr",
        "data",
        "var",
        "dfn",
        "samp",
    }
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:\?|$)", re.I)
_VIDEO_SUFFIX = re.compile(r"\.(?:mp4|webm|mov|m4v)(?:\?|$)", re.I)
_AUDIO_SUFFIX = re.compile(r"\.(?:mp3|m4a|ogg|oga|wav|aac)(?:\?|$)", re.I)


def parse_fragment(html: str) -> HtmlElement:
    """An html fragment (a feed item's content, a JSON body) as one container element."""
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    wrapper: HtmlElement = lxml.html.fragment_fromstring(
        html or "", create_parent="div", parser=parser
    )
    return wrapper


# --- urls ---------------------------------------------------------------------------------------


def absolute(url: str | None, base_url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if not url or url.lower().startswith(("javascript:", "data:", "vbscript:")):
        return None
    return urljoin(base_url, url) if base_url else url


def image_url(img: HtmlElement, base_url: str | None) -> str | None:
    """The real url of a possibly lazy-loaded image: data-src and kin first (the src of a lazy
    image is a placeholder), then the widest srcset candidate, then a real src."""
    for attribute in _LAZY_ATTRIBUTES:
        value = img.get(attribute)
        if value and not _PLACEHOLDER.search(value):
            return absolute(value, base_url)
    for attribute in _SRCSET_ATTRIBUTES:
        best = _widest(img.get(attribute) or "")
        if best:
            return absolute(best, base_url)
    src = img.get("src")
    if src and not _PLACEHOLDER.search(src):
        return absolute(src, base_url)
    return None


def _widest(srcset: str) -> str | None:
    best: tuple[float, str] | None = None
    for candidate in srcset.split(","):
        parts = candidate.strip().split()
        if not parts or _PLACEHOLDER.search(parts[0]):
            continue
        size = 1.0
        if len(parts) > 1:
            match = re.match(r"^(\d+(?:\.\d+)?)[wx]$", parts[1])
            size = float(match.group(1)) if match else 1.0
        if best is None or size > best[0]:
            best = (size, parts[0])
    return best[1] if best else None


def media_kind_for(url: str | None, mime_type: str | None = None) -> MediaKind:
    if mime_type:
        major = mime_type.split("/", 1)[0].lower()
        if major in ("image", "video", "audio"):
            return MediaKind(major)
    if url:
        if _IMAGE_SUFFIX.search(url):
            return MediaKind.IMAGE
        if _VIDEO_SUFFIX.search(url):
            return MediaKind.VIDEO
        if _AUDIO_SUFFIX.search(url):
            return MediaKind.AUDIO
    return MediaKind.UNKNOWN


# --- credits ------------------------------------------------------------------------------------


def credits_from_credit_text(
    text: str,
    target: str,
    default_role: Role = Role.PHOTOGRAPHER,
    patterns: tuple[CreditPattern, ...] = DEFAULT_CREDIT_PATTERNS,
) -> tuple[Credit, ...]:
    """Credits from text that is known to be a credit (a `.credit` span, JSON-LD creditText):
    `Photo: Jane Doe/AFP`, `(Getty Images)`, `© Example News`, or a bare `Jane Doe/AFP`."""
    raw = clean_line(text)
    if not raw:
        return ()
    labelled = credit_rules.split_caption_credit(raw, target, patterns)
    if labelled is not None and not labelled.caption:
        return labelled.credits
    copyright_notice = credit_rules.parse_copyright(raw)
    if copyright_notice is not None and copyright_notice[1] is not None:
        return (Credit(copyright_notice[1], Role.COPYRIGHT_HOLDER, target, raw),)
    name = raw.strip("() ").rstrip(".")
    name = re.sub(r"^(?:credit|photo|image|picture)s?\s*:\s*", "", name, flags=re.I)
    if not name:
        return ()
    return credit_rules.credits_from_name(name, default_role, target, raw)


def _is_credit_markup(element: HtmlElement) -> bool:
    marks = " ".join(
        element.get(a) or "" for a in ("class", "id", "itemprop", "data-testid", "rel")
    )
    return bool(_CREDIT_MARK.search(marks)) or element.tag in ("small", "cite")


def figure_media(
    figure: HtmlElement,
    media_id: str,
    base_url: str | None,
    patterns: tuple[CreditPattern, ...] = DEFAULT_CREDIT_PATTERNS,
) -> Media | None:
    """A `<figure>` (or a bare `<img>`/`<video>`) as media: url, alt, caption with the credit cut
    off, and the credits with their raw text. None when it holds nothing to show."""
    url, kind, alt, mime = _figure_source(figure, base_url)
    caption_element = caption_of(figure)
    credit_elements = [
        e
        for e in figure.iter()
        if e is not figure
        and e.tag not in ("img", "video", "audio", "source", "picture", "figcaption")
        and _is_credit_markup(e)
        and not any(_is_credit_markup(a) for a in e.iterancestors() if a is not figure)
    ]
    credits: list[Credit] = []
    for element in credit_elements:
        credits.extend(credits_from_credit_text(_text(element), media_id, patterns=patterns))
    caption = _caption_text(caption_element, credit_elements) if caption_element is not None else ""
    if not caption:  # Markdown's ![alt](src "title"): the title attribute is the caption
        caption = clean_line(next((i.get("title") or "" for i in figure.iter("img")), ""))
    if caption and not credits:
        found = credit_rules.split_caption_credit(caption, media_id, patterns)
        if found is not None:
            caption, credits = found.caption, list(found.credits)
    if kind is MediaKind.UNKNOWN and credits:
        kind = (
            MediaKind.IMAGE
            if any(c.role in (Role.PHOTOGRAPHER, Role.DISTRIBUTOR) for c in credits)
            else MediaKind.UNKNOWN
        )
    if url is None and not caption and not credits:
        return None
    return Media(
        id=media_id,
        kind=kind,
        url=url,
        mime_type=mime,
        caption=caption or None,
        alt=alt or None,
        credits=tuple(credits),
    )


def _figure_source(
    figure: HtmlElement, base_url: str | None
) -> tuple[str | None, MediaKind, str, str | None]:
    for element in figure.iter("img", "video", "audio"):
        if element.tag == "img":
            url = image_url(element, base_url)
            if url is None:
                continue
            return url, MediaKind.IMAGE, clean_line(element.get("alt") or ""), None
        source = element.get("src") or next(
            (s.get("src") for s in element.iter("source") if s.get("src")), None
        )
        mime = next((s.get("type") for s in element.iter("source") if s.get("type")), None)
        url = absolute(source, base_url)
        if url is not None:
            return url, MediaKind(element.tag), "", mime
    # a lazy image whose only real url is in a <noscript> fallback
    for noscript in figure.iter("noscript"):
        inner = parse_fragment(noscript.text or "")
        for img in inner.iter("img"):
            url = image_url(img, base_url)
            if url is not None:
                return url, MediaKind.IMAGE, clean_line(img.get("alt") or ""), None
    for source in figure.iter("source"):
        best = _widest(source.get("srcset") or "")
        if best:
            return absolute(best, base_url), MediaKind.IMAGE, "", source.get("type")
    return None, MediaKind.UNKNOWN, "", None


def caption_of(figure: HtmlElement) -> HtmlElement | None:
    """A figure's caption: its <figcaption>, or the element a house style classes "caption"."""
    found = _first(figure.iter("figcaption"))
    if found is None:
        classed = (e for e in figure.iter() if _CAPTION_CLASS.search(e.get("class") or ""))
        found = next(classed, None)
    return found


def _caption_text(caption: HtmlElement, credit_elements: list[HtmlElement]) -> str:
    """The figcaption's text without the credit markup inside it."""
    parts: list[str] = []

    def walk(element: HtmlElement) -> None:
        if element in credit_elements:
            parts.append(" ")
        else:
            parts.append(element.text or "")
            for child in element:
                if isinstance(child.tag, str):
                    walk(child)
        if element is not caption:
            parts.append(element.tail or "")

    walk(caption)
    return clean_line(" ".join("".join(parts).split())).strip(" |–—-")


def _first(elements: Iterator[HtmlElement]) -> HtmlElement | None:
    return next(elements, None)


def _text(element: HtmlElement) -> str:
    """The element's text, a line break read as the space it shows as (text_content() would run
    "homes<br>in" together as "homesin")."""
    if next(element.iter("br"), None) is not None:
        element = copy.deepcopy(element)
        for br in element.iter("br"):
            br.tail = " " + (br.tail or "")
    return clean_line(" ".join(element.text_content().split()))


# --- body blocks --------------------------------------------------------------------------------


class BodyReader:
    """Walks an html body in reading order and gives blocks and media.

    `figure_for` lets the page reader map its placeholders back to the figures it took out
    before extraction; fragments with figures still in them are read directly.
    """

    def __init__(
        self,
        base_url: str | None,
        patterns: tuple[CreditPattern, ...] = DEFAULT_CREDIT_PATTERNS,
        next_media_id: Callable[[], str] | None = None,
        placeholder: Callable[[str], Media | None] | None = None,
    ) -> None:
        self.base_url = base_url
        self.patterns = patterns
        self.blocks: list[Block] = []
        self.media: list[Media] = []
        self._counter = 0
        self._next_id = next_media_id or self._own_id
        self._placeholder = placeholder
        self._inline: list[str] = []

    def _own_id(self) -> str:
        self._counter += 1
        return f"m{self._counter}"

    def read(self, root: HtmlElement) -> tuple[list[Block], list[Media]]:
        self._container(root)
        self._flush()
        return self.blocks, self.media

    def _container(self, element: HtmlElement) -> None:
        if element.text:
            self._inline.append(escape(element.text, quote=False))
        for child in element:
            if not isinstance(child.tag, str):  # comments, processing instructions
                if child.tail:
                    self._inline.append(escape(child.tail, quote=False))
                continue
            self._element(child)
            if child.tail:
                self._inline.append(escape(child.tail, quote=False))

    def _element(self, element: HtmlElement) -> None:
        tag = element.tag.lower()
        if tag in _DROP:
            return
        if tag == "br":
            self._inline.append("<br>")
            return
        if tag == "img":
            self._flush()
            self._add_figure(element)
            return
        if tag in _INLINE:
            self._inline.append(_outer_html(element))
            return
        self._flush()
        if tag == "p":
            self._paragraph(element)
        elif tag in _HEADINGS:
            text = _text(element)
            if text:
                level = max(2, _HEADINGS[tag])
                self.blocks.append(
                    Block(BlockKind.HEADING, text, _inner_html(element), level=level)
                )
        elif tag in ("figure", "video", "audio", "picture"):
            self._add_figure(element)
        elif tag in ("ul", "ol"):
            items = tuple(t for li in element.iter("li") if (t := _text(li)))
            if items:
                self.blocks.append(Block(BlockKind.LIST, items=items))
        elif tag == "blockquote":
            text = _text(element)
            if text:
                self.blocks.append(Block(BlockKind.QUOTE, text, _quote_html(element)))
        elif tag == "pre":
            text = element.text_content()
            if text.strip():
                code = f"<code>{escape(text, quote=False)}</code>"
                self.blocks.append(Block(BlockKind.PARAGRAPH, clean_line(text), code))
        elif tag == "table":
            for row in element.iter("tr"):
                cells = [_text(c) for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
                if any(cells):
                    self.blocks.append(Block(BlockKind.PARAGRAPH, " | ".join(cells)))
        elif tag in ("hr",):
            return
        else:
            self._container(element)
            self._flush()

    def _paragraph(self, element: HtmlElement) -> None:
        text = _text(element)
        if self._placeholder is not None:
            media = self._placeholder(text)
            if media is not None:
                self._append_media(media)
                return
        images = list(element.iter("img", "video", "audio"))
        if images and not text:
            self._add_figure(element)
            return
        if text and _STANDFIRST_CLASS.search(element.get("class") or ""):
            html = _inner_html(_unbolded(element), without_media=bool(images))
            self.blocks.append(Block(BlockKind.STANDFIRST, text, html))
        elif text:
            html = _inner_html(element, without_media=bool(images))
            self.blocks.append(Block(BlockKind.PARAGRAPH, text, html))
        for image in images:  # inside running text: a figure after its paragraph, never lost
            self._add_figure(image)

    def _add_figure(self, element: HtmlElement) -> None:
        media = figure_media(element, self._next_id(), self.base_url, self.patterns)
        if media is not None:
            self._append_media(media)

    def _append_media(self, media: Media) -> None:
        self.media.append(media)
        self.blocks.append(Block(BlockKind.FIGURE, media.caption or "", media_id=media.id))

    def _flush(self) -> None:
        """Loose inline content between blocks: paragraphs split at double line breaks."""
        if not self._inline:
            return
        html = "".join(self._inline)
        self._inline = []
        for piece in re.split(r"(?:\s*<br>\s*){2,}", html):
            piece = re.sub(r"^(?:\s*<br>)+|(?:<br>\s*)+$", "", piece.strip())
            if not piece:
                continue
            fragment = parse_fragment(piece)
            text = _text(fragment)
            if text:
                self.blocks.append(Block(BlockKind.PARAGRAPH, text, piece))


def _sole_child(element: HtmlElement) -> HtmlElement | None:
    """The one element inside `element` when nothing but white space stands around it."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) != 1 or (element.text or "").strip() or (children[0].tail or "").strip():
        return None
    return children[0]


def _quote_html(element: HtmlElement) -> str | None:
    """A quote's inline markup when it is one paragraph (links, emphasis); None when it holds
    several blocks, whose markup a quote block cannot keep."""
    sole = _sole_child(element)
    return _inner_html(sole) if sole is not None and sole.tag == "p" else None


def _unbolded(element: HtmlElement) -> HtmlElement:
    """A standfirst wholly in bold is shown bold, not written so: its one <strong> is dropped."""
    sole = _sole_child(element)
    return sole if sole is not None and sole.tag in ("strong", "b") else element


def _inner_html(element: HtmlElement, without_media: bool = False) -> str:
    """The element's content as html; without_media leaves out its images, video and audio
    (their tails stay), which the caller shows as figures."""
    if without_media:
        element = copy.deepcopy(element)
        for gone in list(element.iter("img", "video", "audio")):
            gone.drop_tree()
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_outer_html(child))
        parts.append(escape(child.tail or "", quote=False))
    return "".join(parts).strip()


def _outer_html(element: HtmlElement) -> str:
    return etree.tostring(element, method="html", encoding="unicode", with_tail=False)


def read_fragment(
    html: str,
    base_url: str | None,
    patterns: tuple[CreditPattern, ...] = DEFAULT_CREDIT_PATTERNS,
    next_media_id: Callable[[], str] | None = None,
) -> tuple[list[Block], list[Media]]:
    """An html fragment (already the article body) as blocks and media."""
    return BodyReader(base_url, patterns, next_media_id).read(parse_fragment(html))
