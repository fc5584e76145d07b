"""HTML fragments to blocks and media: shared by the HTML page, Markdown, JSON and feed readers.

Figures are read here, before any extractor sees the page, because extractors drop captions and
the credit markup inside them (`<figcaption>Caption <span class="credit">Photo: X</span>`).
Lazy-loaded images are resolved to their real url, and every url is made absolute.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from html import escape
from urllib.parse import quote, urljoin, urlsplit

import lxml.html
import regex
from lxml import etree
from lxml.html import HtmlElement

from feedwright.model import AgentKind, Block, BlockKind, Credit, Media, MediaKind, Role
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.credits import DEFAULT_CREDIT_PATTERNS, CreditPattern
from feedwright.normalise.text import clean_line, clean_text
from feedwright.syntax import wellformed_url

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
    """The one url function of every reader (links, canonical urls, media, author urls): the
    url resolved against the base when there is one, and well-formed (syntax.wellformed_url: a
    space or other character RFC 3986 does not allow percent-encoded, so one careless link
    cannot fail the whole document's validation). A valid url comes back as it was; None for
    nothing, or a script or data url."""
    if not url:
        return None
    url = wellformed_url(url.strip())  # first: "java\nscript:" is a script url to a browser
    if not url or url.lower().startswith(("javascript:", "data:", "vbscript:")):
        return None
    return wellformed_url(urljoin(base_url, url)) if base_url else url


#: What a lazy loader's attribute holds when it is no url: a JSON settings blob, a template.
_NOT_A_URL = re.compile(r"^\s*[{\[]|[{}]|\s")


def media_url(url: str | None, base_url: str | None) -> tuple[str | None, str | None]:
    """A media url the emitters can print: absolute http(s), resolved against the base when
    relative. Returns (url, None), or (None, why not) for a JSON blob, a template, or a relative
    url with nothing to resolve it against."""
    if not url:
        return None, None
    value = url.strip()
    if _NOT_A_URL.search(value.replace(" ", "%20")):
        return None, f"image url {_brief(value)} is not a url"
    resolved = absolute(value, base_url) or value  # a data: url: the scheme check says so
    if urlsplit(resolved).scheme not in ("http", "https") or not urlsplit(resolved).netloc:
        return None, f"image url {_brief(value)} is relative and the page has no base url"
    # well-formed already; an IRI is written in its URI form here, as it always was
    return quote(resolved, safe=_URL_SAFE), None


_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def _brief(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def lazy_blobs(element: HtmlElement) -> list[str]:
    """The lazy-loading attributes under an element that hold no url (a JSON settings blob):
    image_url passes over them, and a reader says so."""
    return [
        f"{attribute}={_brief(value)}"
        for img in element.iter("img")
        for attribute in _LAZY_ATTRIBUTES
        if (value := img.get(attribute)) and _NOT_A_URL.search(value.strip())
    ]


def image_url(img: HtmlElement, base_url: str | None) -> str | None:
    """The real url of a possibly lazy-loaded image: data-src and kin first (the src of a lazy
    image is a placeholder), then the widest srcset candidate, then a real src."""
    for attribute in _LAZY_ATTRIBUTES:
        value = img.get(attribute)
        if value and not _PLACEHOLDER.search(value) and not _NOT_A_URL.search(value.strip()):
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
    `Photo: Jane Doe/AFP`, `(Getty Images)`, `© Example News`, or a bare `Jane Doe/AFP`. The
    text is put in the shared parser's forms first (`clean_credit_text`); every credit keeps
    the text as printed."""
    raw = clean_line(text)
    if not raw:
        return ()
    credits = _parsed_credit(clean_credit_text(raw), target, default_role, patterns)
    return tuple(replace(c, raw=raw) for c in credits)


def _parsed_credit(
    text: str, target: str, default_role: Role, patterns: tuple[CreditPattern, ...]
) -> tuple[Credit, ...]:
    courtesy = _COURTESY.match(text.strip("() "))
    if courtesy is not None:
        name = courtesy.group("name").strip()
        return credit_rules.credits_from_name(name, Role.PROVIDER, target, text) if name else ()
    labelled = credit_rules.split_caption_credit(text, target, patterns)
    if labelled is not None and not labelled.caption:
        return labelled.credits
    copyright_notice = credit_rules.parse_copyright(text)
    if copyright_notice is not None and copyright_notice[1] is not None:
        return (Credit(copyright_notice[1], Role.COPYRIGHT_HOLDER, target, text),)
    name = _LABEL.sub("", text.strip("() ").rstrip(".")).strip()
    if not name:
        return ()
    return credit_rules.credits_from_name(name, default_role, target, text)


#: How credit markup labels what it holds, put in the shared parser's terms: a copyright
#: label is a © notice, "Photo by" the Photo label, "Courtesy of" a provider.
_COPYRIGHT_LABEL = re.compile(r"^(?:(?:image|photo|picture)\s+)?copyright\s*:?\s*", re.I)
_BY_LABEL = re.compile(r"^(?:photo(?:graph)?s?|images?|pictures?)\s+by\s+(?P<name>.+)$", re.I)
_LABELLED = re.compile(r"^(?P<label>[A-Za-z]+(?:\s+[A-Za-z]+)?)\s*:\s*(?P<name>.+)$")
_CREDIT_LABELS = frozenset({"image credit", "picture credit", "credits", "image credits"})
_LABEL = re.compile(r"^(?:credit|photo|image|picture)s?\s*:\s*", re.I)
_COURTESY = re.compile(r"^(?:supplied\s*:\s*)?courtesy(?:\s+of)?\s+(?P<name>.+)$", re.I)
#: A label printed apart from the credit it names ("Image copyright", "Photo credit").
_LABEL_ONLY = re.compile(r"^(?:(?:image|photo|picture)\s+)?(?:copyright|credit|source)\s*:?$", re.I)
#: A screen-reader label opening a caption ("Image caption Scooter Braun has managed ...").
_CAPTION_LABEL = re.compile(r"^(?:(?:image|photo|picture)\s+)?caption\s*:?\s+", re.I)
#: A label set apart by markup or dots rather than a colon: `Credit...Doug Mills/The New York
#: Times`, `Credit Doug Mills/...` (spans without a separator).
_BARE_LABEL = regex.compile(
    r"^(credit|photo|photograph|image|picture)(?:\s*(?:\.{2,}|…)\s*|\s+)"
    rf"(?=(?-i:{credit_rules.CAPITAL}|©))",  # a name in any script ("Credit Émile Zola")
    regex.I,
)
_SPACED_VIA = re.compile(r"(?<![/\s])\s+via\s+(?=\S)", re.I)
_PIPES = re.compile(r"\s+\|\s+")
_FILE = re.compile(r",\s*file(?:\s+photo)?\s*$", re.I)
_COMMA_AGENCY = re.compile(r"^(?P<person>[^,/()]+),\s*(?P<agency>[^,/()]+)$")


def clean_credit_text(text: str) -> str:
    """A credit as credit markup prints it, in the forms the shared parser reads:
    `Image copyright Getty Images` -> `© Getty Images`; `(Image credit: X)` -> `Credit: X`;
    `Photo by Jason Kempin/Getty Images` -> `Photo: Jason Kempin/Getty Images`; `Natalie
    Naccache | Bloomberg | Getty Images` -> slashes; `Damian Dovarganes, AP` ->
    `Damian Dovarganes/AP` (a person's name, a comma, an organisation); `X via Getty Images` ->
    `X/via Getty Images`; `, File` dropped."""
    text = clean_line(text)
    inner = text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text
    if _COPYRIGHT_LABEL.match(inner):
        return "© " + _COPYRIGHT_LABEL.sub("", inner).lstrip("© ")
    inner = _BARE_LABEL.sub(lambda m: f"{m.group(1)}: ", inner)
    label, name = "", inner
    by = _BY_LABEL.match(inner)
    labelled = _LABELLED.match(inner)
    if by is not None:
        label, name = "Photo", by.group("name")
    elif labelled is not None:
        label, name = labelled.group("label"), labelled.group("name")
        label = "Credit" if label.lower() in _CREDIT_LABELS else label
    name = _FILE.sub("", _PIPES.sub("/", name.strip()))
    name = _SPACED_VIA.sub("/via ", name)  # "AFP via Getty Images": the parser's "AFP/via ..."
    comma = _COMMA_AGENCY.match(name)
    if comma is not None:
        person, agency = comma.group("person").strip(), comma.group("agency").strip()
        organisation = credit_rules.agent_kind(agency) is AgentKind.ORGANIZATION
        if credit_rules.looks_like_name(person) and (organisation or agency.isupper()):
            name = f"{person}/{agency}"
    if name.startswith("©"):
        return name
    return f"{label}: {name}" if label else name


def _is_credit_markup(element: HtmlElement) -> bool:
    marks = " ".join(
        element.get(a) or "" for a in ("class", "id", "itemprop", "data-testid", "rel")
    )
    return bool(_CREDIT_MARK.search(marks)) or element.tag in ("small", "cite")


def _credit_elements(figure: HtmlElement, caption: HtmlElement | None) -> list[HtmlElement]:
    """The innermost elements marked as credits: `<span class="caption-source">` that holds the
    caption and a `<span class="source">` is not a credit, its inner span is."""
    marked = [
        e
        for e in figure.iter()
        if e is not figure
        and e.tag not in ("img", "video", "audio", "source", "picture", "figcaption")
        and _is_credit_markup(e)
        and e is not caption
    ]
    inner = [e for e in marked if not any(d in marked for d in e.iterdescendants())]
    if caption is None:
        return inner
    return [e for e in inner if caption not in e.iterdescendants()]


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
    credit_elements = _credit_elements(figure, caption_element)
    credits: list[Credit] = []
    labels: list[HtmlElement] = []
    for element in credit_elements:
        text = _spaced_text(element)
        label = element.getprevious()
        if label is not None and _LABEL_ONLY.match(_text(label)):
            labels.append(label)  # BBC-style "Image copyright" label beside the credit span
            text = f"{_text(label)} {text}"
        credits.extend(credits_from_credit_text(text, media_id, patterns=patterns))
    caption = ""
    if caption_element is not None:
        caption = _caption_text(caption_element, credit_elements + labels)
        caption = _CAPTION_LABEL.sub("", caption).strip()
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
    text = clean_line(" ".join("".join(parts).split()))
    # the separator left where a credit was cut off, unless it is all the caption says
    return text.strip(" |–—-") or text


def _first(elements: Iterator[HtmlElement]) -> HtmlElement | None:
    return next(elements, None)


def _spaced_text(element: HtmlElement) -> str:
    """Text with a space between elements: `<span>Credit</span><span>Doug Mills</span>`."""
    return clean_line(" ".join(" ".join(element.itertext()).split()))


def _text(element: HtmlElement) -> str:
    """An element's words as a reader sees them: a line break or a block inside it separates
    words (`Beach, FL<br>June 11` is not `FLJune`); inline markup does not (`<b>Wel</b>come`)."""
    pieces: list[str] = []
    walk = etree.iterwalk(element, events=("start", "end"))
    for event, node in walk:
        if not isinstance(node.tag, str):
            continue
        if event == "start":
            if node.tag == "br" or (node is not element and node.tag not in _INLINE):
                pieces.append(" ")
            if node is not element and node.tag in _DROP:
                walk.skip_subtree()  # a script's code is no word of the article
                continue
            pieces.append(node.text or "")
        else:
            if node is not element and node.tag not in _INLINE:
                pieces.append(" ")
            if node is not element:
                pieces.append(node.tail or "")
    return clean_line(" ".join("".join(pieces).split()))


# --- body blocks --------------------------------------------------------------------------------


#: `width: 1.2em` / `height:20px` in an inline style.
_STYLE_SIZE = re.compile(
    r"(?:^|;)\s*(?:max-)?(?:width|height)\s*:\s*(\d+(?:\.\d+)?)\s*(px|em|ex|rem|ch)\b", re.I
)
#: Images smaller than this (width or height attribute, in pixels) are icons, avatars, pixels.
MIN_IMAGE_SIZE = 100


def marked_small(img: HtmlElement, limit: int = MIN_IMAGE_SIZE) -> bool:
    """An image its markup says is small: width or height under `limit` pixels, in its
    attributes or its inline style, or sized in text units (`height: 1em`: an emoji or icon set
    in a line of text). An avatar, a tracking pixel."""
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < limit:
            return True
    for size, unit in _STYLE_SIZE.findall(img.get("style") or ""):
        if unit.lower() != "px" or float(size) < limit:
            return True
    return False


class BodyReader:
    """Walks an html body in reading order and gives blocks and media.

    `figure_for` lets the page reader map its placeholders back to the figures it took out
    before extraction; fragments with figures still in them are read directly. With
    `empty_figures`, a figure that holds nothing we can read still stands as a figure block
    without media (media_id None): its place counts when a feed's own record says what each
    of the body's figures shows, in order.
    """

    def __init__(
        self,
        base_url: str | None,
        patterns: tuple[CreditPattern, ...] = DEFAULT_CREDIT_PATTERNS,
        next_media_id: Callable[[], str] | None = None,
        placeholder: Callable[[str], Media | None] | None = None,
        empty_figures: bool = False,
    ) -> None:
        self.base_url = base_url
        self.empty_figures = empty_figures
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
            if not marked_small(element):  # a tracking pixel, an icon: no picture of the story
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
            block = preformatted_block(element)
            if block is not None:
                self.blocks.append(block)
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
        found = list(element.iter("img", "video", "audio"))
        # a tracking pixel or an icon is no picture of the story, and leaves the text with the rest
        images = [i for i in found if i.tag != "img" or not marked_small(i)]
        if images and not text:
            self._add_figure(element)
            return
        if text and _STANDFIRST_CLASS.search(element.get("class") or ""):
            html = _inner_html(_unbolded(element), without_media=bool(found))
            self.blocks.append(Block(BlockKind.STANDFIRST, text, html))
        elif text:
            html = _inner_html(element, without_media=bool(found))
            self.blocks.append(Block(BlockKind.PARAGRAPH, text, html))
        for image in images:  # inside running text: a figure after its paragraph, never lost
            self._add_figure(image)

    def _add_figure(self, element: HtmlElement) -> None:
        media = figure_media(element, self._next_id(), self.base_url, self.patterns)
        if media is not None:
            self._append_media(media)
        elif self.empty_figures:
            self.blocks.append(Block(BlockKind.FIGURE, ""))

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


def preformatted_block(pre: HtmlElement) -> Block | None:
    """A `<pre>` as its source shows it: every line break and space kept, and `<code>` kept
    when it held code (trafilatura writes a `<pre><code>` as `<pre><pre>`). Other markup inside
    it (a highlighter's spans) is dropped and its text kept; a `<br>` is a line break."""
    if next(pre.iter("br"), None) is not None:
        pre = copy.deepcopy(pre)
        for br in pre.iter("br"):
            br.tail = "\n" + (br.tail or "")
    text = clean_text(pre.text_content()).replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip("\n").rstrip()  # the first line's indent counts; blank ends do not
    if not text.strip():
        return None
    is_code = pre.find(".//code") is not None or pre.find("pre") is not None
    html = f"<code>{escape(text, quote=False)}</code>" if is_code else None
    return Block(BlockKind.PREFORMATTED, text, html)


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
    empty_figures: bool = False,
) -> tuple[list[Block], list[Media]]:
    """An html fragment (already the article body) as blocks and media (`empty_figures`: see
    BodyReader)."""
    reader = BodyReader(base_url, patterns, next_media_id, empty_figures=empty_figures)
    return reader.read(parse_fragment(html))
