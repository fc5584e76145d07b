"""The article body of a whole html page: trafilatura's main text, untouched, with the figures it
drops put back where they stood.

trafilatura finds the article better than any pass of ours around it, so its choice of text is
trusted as it is: we neither edit the page before it reads it nor cut what it keeps. What it
drops on purpose (figures, their captions and credit markup) we read from the page ourselves and
place by position: every word of the page outside figures is laid out in reading order, each
extracted block is found in that order, and a figure goes before the first block that followed
it in the page. A figure within the article's span is kept; one shortly before the first block
is the lead picture; one anywhere else (a teaser, a sidebar) is not the article's. An image in
the running text of a paragraph the extractor kept becomes a figure after that paragraph.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from feedwright.model import Block, BlockKind, Media
from feedwright.sources.htmlbody import caption_of, marked_small

#: A figure this many words or fewer before the first block is the article's lead picture
#: (headline, standfirst, byline and date usually stand between them).
LEAD_WINDOW = 150
#: An image in running text smaller than this is a thumbnail: a hover card's, a teaser's.
_MIN_INLINE_SIZE = 150
#: The text read with links is kept unless it has fewer words than this share of the text
#: read without them.
_LINKED_SHARE = 0.8
#: A figure's own words besides its caption: a credit, a label ("Enlarge this image").
_WORDS_BESIDE_CAPTION = 30
#: A block is found in the page by its first words.
_KEY_WORDS = 8
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})
#: Elements that can hold an article: the innermost one around every block is its container.
_CONTAINERS = frozenset({"div", "article", "main", "section"})
CHROME_ANCESTORS = frozenset({"nav", "aside", "footer"})
_INLINE_TAGS = frozenset({"a", "span", "picture", "b", "i", "em", "strong", "small"})
_PORTRAIT = re.compile(r"headshot|avatar|author|profile|logo|icon|emoji", re.I)
_IMAGE_CLASS = re.compile(r"image|photo|picture|figure|media", re.I)
_WORD = re.compile(r"\w+")


def main_text(html: str) -> str | None:
    """trafilatura's main text of the page as html, or None when it finds none.

    Precision first: measured on the benchmark pages it leaves out newsletter, cookie and teaser
    lines and loses almost no article text; the defaults only when it finds nothing. With links
    kept, trafilatura sometimes drops the words before a link (a page that sets paragraphs in
    divs): the text read without links shows it, and wins when it is clearly longer.

    Links come back as the page wrote them, and the reader resolves them against the page's
    own base (normalise.html.sanitise), as it does every other url. Given the page's url,
    trafilatura would resolve them itself against the site's root alone (courlan's
    fix_relative_urls), giving `//other.example/page` on an https page an http: scheme and
    `page2.html` in /news/ the root's folder."""
    for favor_precision in (True, False):
        linked = _extract(html, favor_precision, include_links=True)
        plain = _extract(html, favor_precision, include_links=False)
        linked_words, plain_words = _count_words(linked), _count_words(plain)
        if linked_words and linked_words >= _LINKED_SHARE * plain_words:
            return linked
        if plain_words:
            return plain
    return None


def _extract(html: str, favor_precision: bool, include_links: bool) -> str:
    found = trafilatura.extract(
        html,
        url=None,  # see main_text: the links are ours to resolve
        output_format="html",  # so lists, quotes and headings survive
        include_formatting=True,
        include_links=include_links,
        include_images=False,  # figures are ours to place, with their captions and credits
        include_tables=True,
        include_comments=False,
        with_metadata=False,
        favor_precision=favor_precision,
    )
    return str(found or "")


def _count_words(html: str) -> int:
    return len(_WORD.findall(re.sub(r"<[^>]*>", " ", html)))


def page_figures(document: HtmlElement) -> list[HtmlElement]:
    """The page's <figure>s, and elements that hold one image, a "caption"-classed element and
    few words besides (house styles that predate <figure>); never one inside another."""
    found: list[HtmlElement] = []
    walk = etree.iterwalk(document, events=("start",))
    for _, element in walk:
        if not isinstance(element.tag, str) or element.tag in _SKIPPED:
            walk.skip_subtree()
            continue
        wrapper = element.tag in ("div", "p", "span") and _figure_like(element)
        if element.tag == "figure" or wrapper:
            found.append(element)
            walk.skip_subtree()
    return found


def _figure_like(element: HtmlElement) -> bool:
    """One image (or none yet, in a wrapper classed as an image: a lazy loader fills it), a
    caption, and hardly any other words."""
    images = list(element.iter("img"))
    if len(images) > 1 or (not images and not _IMAGE_CLASS.search(element.get("class") or "")):
        return False
    if images and _PORTRAIT.search(" ".join(images[0].get(a) or "" for a in ("class", "src"))):
        return False  # an author's headshot beside the byline: no picture of the story
    caption = caption_of(element)
    if caption is None or caption is element or not words(caption.text_content()):
        return False
    besides = len(words(element.text_content())) - len(words(caption.text_content()))
    return besides <= _WORDS_BESIDE_CAPTION


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class PageFigure:
    """A figure (or a bare image) of the page, with where it stood among the page's words."""

    element: HtmlElement
    position: int  # index into PageWords.words of the first word after it
    words: str  # its own words, space-joined, to recognise a caption kept as a paragraph
    bare_image: bool  # an <img> outside any figure: kept only inside the article's span
    chrome: bool  # inside nav, aside or footer: never the article's


class PageWords:
    """Every word of the page outside figures, in reading order, and where each figure stood."""

    def __init__(self, document: HtmlElement, figures: Iterable[HtmlElement]) -> None:
        figure_set = set(figures)
        self.words: list[str] = []
        self.figures: list[PageFigure] = []
        self._containers: list[tuple[int, int, int, HtmlElement]] = []  # start, end, depth
        opened: list[int] = []
        walk = etree.iterwalk(document, events=("start", "end"))
        for event, element in walk:
            if not isinstance(element.tag, str):
                continue
            if event == "end":
                start = opened.pop()
                if element.tag in _CONTAINERS:
                    self._containers.append((start, len(self.words), len(opened), element))
                self.words.extend(words(element.tail or ""))
                continue
            opened.append(len(self.words))
            if element in figure_set or element.tag == "img":
                self._figure(element, bare_image=element not in figure_set)
                walk.skip_subtree()
            elif element.tag in _SKIPPED:
                walk.skip_subtree()
            else:
                self.words.extend(words(element.text or ""))
        self._joined = " " + " ".join(self.words) + " "
        self._starts = _starts(self.words)

    def _figure(self, element: HtmlElement, bare_image: bool) -> None:
        chrome = any(a.tag in CHROME_ANCESTORS for a in element.iterancestors())
        own = " ".join(words(element.text_content())) if not bare_image else ""
        self.figures.append(PageFigure(element, len(self.words), own, bare_image, chrome))

    def container(self, first: int, last: int) -> HtmlElement | None:
        """The innermost section-like element holding the words first..last: the article's."""
        holding = [c for c in self._containers if c[0] <= first and last <= c[1]]
        innermost = max(holding, key=lambda c: c[2], default=None)
        return innermost[3] if innermost is not None else None

    def find(self, block_words: list[str], start: int) -> int | None:
        """Where a block's words begin in the page, at or after word `start`."""
        if len(block_words) < 2:
            return None
        key = " " + " ".join(block_words[:_KEY_WORDS]) + " "
        begin = self._starts[start] if start < len(self._starts) else len(self._joined)
        at = self._joined.find(key, begin)
        if at < 0:
            return None
        return bisect.bisect_left(self._starts, at + 1)


def _starts(tokens: list[str]) -> list[int]:
    """The offset in " " + " ".join(tokens) of the space before each token."""
    starts, offset = [], 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    return starts


def block_words(block: Block) -> list[str]:
    return words(" ".join([block.text, *block.items]))


def place_figures(
    blocks: list[Block],
    page: PageWords,
    media_for: Callable[[PageFigure], Media | None],
) -> tuple[list[Block], list[Media]]:
    """The extracted blocks with the page's figures put back where they stood.

    A block the page's words do not hold but a figure's words do is that figure's caption, kept
    by the extractor as a paragraph: the figure (which carries it) stands there instead."""
    positions: list[int | None] = []
    cursor = 0
    for block in blocks:
        found = page.find(block_words(block), cursor)
        positions.append(found)
        if found is not None:
            cursor = found
    matched = [(p, b) for p, b in zip(positions, blocks, strict=True) if p is not None]
    if not matched:
        return blocks, []
    first = matched[0][0]
    last = matched[-1][0] + len(block_words(matched[-1][1]))

    container = page.container(first, last)
    spans = [(p, p + len(block_words(b))) for p, b in matched]

    def belongs(figure: PageFigure) -> bool:
        if figure.chrome or (figure.bare_image and marked_small(figure.element)):
            return False
        if figure.bare_image and not standalone_image(figure.element):
            # in running text: kept when the text is the article's (a block extracted around
            # it); a teaser's or a hover card's picture beside its link is not
            return inline_picture(figure.element) and any(
                start <= figure.position < end for start, end in spans
            )
        if first <= figure.position <= last:
            return True
        if figure.bare_image:
            return False
        inside = container is not None and container in figure.element.iterancestors()
        return inside or 0 <= first - figure.position <= LEAD_WINDOW

    candidates = [f for f in page.figures if belongs(f)]
    out: list[Block] = []
    media: list[Media] = []
    placed: set[int] = set()

    def put(figure: PageFigure) -> None:
        placed.add(id(figure))
        found = media_for(figure)
        if found is not None:
            media.append(found)
            out.append(Block(BlockKind.FIGURE, found.caption or "", media_id=found.id))

    pending = iter(candidates)
    upcoming = next(pending, None)
    for position, block in zip(positions, blocks, strict=True):
        if position is None:
            caption_of = _figure_holding(block, candidates)
            if caption_of is not None:
                if id(caption_of) not in placed:
                    put(caption_of)
                continue
        else:
            while upcoming is not None and upcoming.position <= position:
                if id(upcoming) not in placed:
                    put(upcoming)
                upcoming = next(pending, None)
        out.append(block)
    for figure in [upcoming, *pending] if upcoming is not None else []:
        if id(figure) not in placed:
            put(figure)  # after the last block, still inside the article's container
    return out, media


def _figure_holding(block: Block, figures: list[PageFigure]) -> PageFigure | None:
    key = " ".join(block_words(block))
    if not key:
        return None
    return next((f for f in figures if f.words and key in f.words), None)


def inline_picture(img: HtmlElement) -> bool:
    """An <img> inside a paragraph's running text (words of its own beside it, not a script's)
    that is a picture: no thumbnail (a hover card's, a teaser's), icon, logo or emoji by its
    size, class, file name or alt text."""
    block = next((a for a in img.iterancestors() if a.tag not in _INLINE_TAGS), None)
    if block is None or block.tag != "p" or not _reading_words(block):
        return False
    if marked_small(img, _MIN_INLINE_SIZE):
        return False
    return not _PORTRAIT.search(" ".join(img.get(a) or "" for a in ("class", "src", "alt")))


def _reading_words(element: HtmlElement) -> bool:
    """Whether the element holds words a reader reads (a script's or a style's are none)."""
    walk = etree.iterwalk(element, events=("start",))
    for _, node in walk:
        if not isinstance(node.tag, str) or node.tag in _SKIPPED:
            walk.skip_subtree()
            if node is not element and _WORD.search(node.tail or ""):
                return True
            continue
        if _WORD.search(node.text or "") or (node is not element and _WORD.search(node.tail or "")):
            return True
    return False


def standalone_image(img: HtmlElement) -> bool:
    """An <img> outside any figure alone in its block (nothing but markup around it): a picture
    of the article when it stands in the article's span and is not marked small."""
    block = next((a for a in img.iterancestors() if a.tag not in _INLINE_TAGS), None)
    return block is None or not _WORD.search(block.text_content())
