"""The HTML article page reader: one page, one entry.

Metadata comes from the page's own statements, most precise first: JSON-LD (NewsArticle and
kin), then OpenGraph / article:* / meta tags, then byline and <time> markup. The main text comes
from trafilatura, after our own pass has taken every <figure> out of the page (leaving a
placeholder paragraph where it stood), because extractors drop captions and credit markup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import tzinfo
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from feedwright.model import (
    Block,
    BlockKind,
    Credit,
    Entry,
    Media,
    MediaKind,
    Rights,
    Role,
    Timestamp,
)
from feedwright.normalise import credits as credit_rules
from feedwright.normalise.dates import parse_timestamp
from feedwright.normalise.text import clean_line
from feedwright.sources._common import (
    Parts,
    assemble,
    check_size,
    decode_or_fail,
    noted,
    provenance,
    text_blocks,
    zone_or_fail,
)
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError
from feedwright.sources.htmlbody import (
    BodyReader,
    absolute,
    caption_of,
    credits_from_credit_text,
    figure_media,
)
from feedwright.sources.record import RecordFields, RecordMapper

EXTRACTOR = f"feedwright.html/1+trafilatura/{trafilatura.__version__}"

#: No real article page comes near this; parsing one that does costs seconds and much memory.
MAX_HTML_BYTES = 10 * 1024 * 1024

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "techarticle",
        "report",
        "askpublicnewsarticle",
    }
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PLACEHOLDER = "feedwrightfigure"
_BYLINE_SELECTOR = (
    "//*[@rel='author' or @itemprop='author' or contains(concat(' ', normalize-space(@class),"
    " ' '), ' byline ') or contains(@class, 'byline__name') or contains(@class, 'author-name')"
    " or contains(@class, 'article-author')]"
)
_CHROME_ANCESTORS = frozenset({"nav", "aside", "footer"})


def read(retrieved: Retrieved, options: ReaderOptions) -> tuple[Entry, ...]:
    """Read one HTML article page into one entry."""
    check_size(retrieved, MAX_HTML_BYTES, "an HTML page")
    decoded = decode_or_fail(retrieved, retrieved.charset or _declared_charset(retrieved.data))
    text = decoded.text
    default_zone = zone_or_fail(retrieved, options)
    document = _parse(text, retrieved.location)
    base_url = _base_url(document, retrieved, options)
    page = _Page(retrieved.location, default_zone, base_url, options, retrieved.base_url)
    parts = page.read(document)
    entry = assemble(parts, provenance(retrieved, "html", EXTRACTOR, ()), base_url, options)
    return noted((entry,), decoded)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _parse(text: str, location: str) -> HtmlElement:
    # lxml refuses str input that carries its own encoding declaration (XHTML pages do)
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise SourceError(location, "empty page")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        document: HtmlElement = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(location, f"not an html page: {exc}") from None
    return document


def _base_url(document: HtmlElement, retrieved: Retrieved, options: ReaderOptions) -> str | None:
    """Where relative links point: <base href> resolved against the page url, the page url, the
    canonical url (a saved page's own address), or the feed's configured base."""
    page_url = retrieved.base_url
    base = document.find(".//base[@href]")
    if base is not None:
        resolved = absolute(base.get("href"), page_url)
        if resolved and resolved.startswith(("http://", "https://")):
            return resolved
    if page_url:
        return page_url
    canonical = _canonical(document)
    if canonical and canonical.startswith(("http://", "https://")):
        return canonical
    return options.base_url


def _canonical(document: HtmlElement) -> str | None:
    for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = document.xpath(xpath)
        if found and str(found[0]).strip():
            return str(found[0]).strip()
    return None


@dataclass
class _Page:
    location: str
    default_zone: tzinfo
    base_url: str | None
    options: ReaderOptions
    page_url: str | None  # where the page was fetched from, if it was

    def __post_init__(self) -> None:
        self._media_count = 0
        self.patterns = self.options.all_credit_patterns

    def next_media_id(self) -> str:
        self._media_count += 1
        return f"m{self._media_count}"

    def read(self, document: HtmlElement) -> Parts:
        warnings: list[str] = []
        ld = self._json_ld(document, warnings)
        meta = _Meta(document)
        title = ld.title or meta.first("og:title", "twitter:title") or _h1(document)
        title = title or clean_line(document.findtext(".//title") or "")
        if not title:
            raise SourceError(
                self.location, "no headline: no JSON-LD headline, og:title, h1 or title"
            )
        parts = Parts(title=title, warnings=warnings + ld.warnings)
        # the page's own address only: a feed's configured base url is no article's url
        parts.url = absolute(_canonical(document), self.base_url) or ld.url or self.page_url
        parts.summary = ld.summary or meta.first(
            "og:description", "description", "twitter:description"
        )
        parts.published = ld.published or self._meta_date(meta, "published") or self._time(document)
        parts.updated = ld.updated or self._meta_date(meta, "modified")
        parts.credits = ld.credits or self._meta_authors(meta) or self._byline(document)
        if ld.credits and not any(c.role is Role.AUTHOR for c in ld.credits):
            parts.credits = [*self._meta_authors(meta), *ld.credits]
        parts.categories = ld.categories or meta.all("article:tag") + meta.all("article:section")
        if not parts.categories:
            parts.categories = [t.strip() for t in (meta.first("keywords") or "").split(",")]
        parts.rights = ld.rights or self._meta_rights(meta, document)
        parts.language = ld.language or _language(document, meta)
        parts.dateline = ld.dateline
        figures = self._take_figures(document)
        blocks, media = self._extract(document, figures, ld, parts)
        parts.blocks = blocks
        parts.media = self._lead_media(media, ld.media, meta, figures)
        return parts

    # --- JSON-LD --------------------------------------------------------------------------------

    def _json_ld(self, document: HtmlElement, warnings: list[str]) -> RecordFields:
        """The page's NewsArticle (or kin) in JSON-LD, mapped leniently: pages in the wild get
        shapes wrong, and a wrong shape costs that one value, with a warning."""
        nodes: list[dict[str, Any]] = []
        for script in document.xpath("//script[@type='application/ld+json']"):
            try:
                data = json.loads(script.text or "", strict=False)
            except ValueError as exc:
                warnings.append(f"unreadable JSON-LD block: {exc}")
                continue
            nodes.extend(_ld_nodes(data))
        article = next((n for n in nodes if _ld_types(n) & ARTICLE_TYPES), None)
        if article is None:
            return RecordFields()
        mapper = RecordMapper(
            source="json-ld",
            default_zone=self.default_zone,
            base_url=self.base_url,
            strict=False,
            patterns=self.patterns,
            next_media_id=self.next_media_id,
        )
        return mapper.map(_resolve_refs(article, nodes))

    # --- meta tags ------------------------------------------------------------------------------

    def _meta_date(self, meta: _Meta, which: str) -> Timestamp | None:
        names = {
            "published": (
                "article:published_time",
                "og:published_time",
                "datePublished",
                "pubdate",
                "publish-date",
                "dc.date",
                "dcterms.created",
                "date",
            ),
            "modified": (
                "article:modified_time",
                "og:updated_time",
                "dateModified",
                "last-modified",
                "dcterms.modified",
            ),
        }[which]
        for name in names:
            value = meta.first(name)
            if value:
                stamp = parse_timestamp(value, self.default_zone, f"meta:{name}")
                if stamp is not None:
                    return stamp
        return None

    def _time(self, document: HtmlElement) -> Timestamp | None:
        for time in document.xpath(
            "//article//time[@datetime] | //time[@itemprop='datePublished']"
        ):
            stamp = parse_timestamp(time.get("datetime") or "", self.default_zone, "html:time")
            if stamp is not None:
                return stamp
        return None

    def _meta_authors(self, meta: _Meta) -> list[Credit]:
        credits: list[Credit] = []
        for name in (*meta.all("author"), *meta.all("article:author"), *meta.all("byl")):
            if name.startswith(("http://", "https://")):
                continue  # article:author is often a profile url: it names nobody
            parsed = credit_rules.parse_byline(name) or credit_rules.parse_byline(f"By {name}")
            if parsed:
                credits.extend(Credit(c.agent, c.role, raw=name) for c in parsed)
        return credits

    def _byline(self, document: HtmlElement) -> list[Credit]:
        for element in document.xpath(_BYLINE_SELECTOR):
            text = clean_line(" ".join(element.text_content().split()))
            if not text or len(text) > 160:
                continue
            parsed = credit_rules.parse_byline(text) or credit_rules.parse_byline(f"By {text}")
            if parsed:
                return list(parsed)
        return []

    def _meta_rights(self, meta: _Meta, document: HtmlElement) -> Rights | None:
        notice = meta.first("copyright", "dcterms.rights", "dc.rights")
        license_links = document.xpath("//link[@rel='license']/@href | //a[@rel='license']/@href")
        license_url = absolute(str(license_links[0]), self.base_url) if license_links else None
        if not notice and not license_url:
            return None
        parsed = credit_rules.parse_copyright(notice) if notice else None
        return Rights(notice=notice, holder=parsed[1] if parsed else None, license_url=license_url)

    # --- figures and main text ------------------------------------------------------------------

    def _take_figures(self, document: HtmlElement) -> dict[str, tuple[Media, bool]]:
        """Read every figure and replace it with a placeholder paragraph the extractor keeps.
        Values: the media, and whether it stood in the article (a lead image) or in page chrome."""
        figures: dict[str, tuple[Media, bool]] = {}
        for figure in _figures(document):
            chrome = any(a.tag in _CHROME_ANCESTORS for a in figure.iterancestors())
            media = figure_media(figure, self.next_media_id(), self.base_url, self.patterns)
            parent = figure.getparent()
            if parent is None:
                continue
            placeholder = lxml.html.Element("p")
            if media is not None and not chrome:
                token = f"{_PLACEHOLDER}{media.id}"
                placeholder.text = token
                figures[token] = (media, _in_article(figure))
            placeholder.tail = figure.tail
            parent.replace(figure, placeholder)
        return figures

    def _extract(
        self,
        document: HtmlElement,
        figures: dict[str, tuple[Media, bool]],
        ld: RecordFields,
        parts: Parts,
    ) -> tuple[list[Block], list[Media]]:
        html = etree.tostring(document, method="html", encoding="unicode")
        extracted = trafilatura.extract(
            html,
            url=self.base_url,
            output_format="html",
            include_formatting=True,
            include_links=True,
            include_images=False,
            include_tables=True,
            include_comments=False,
            with_metadata=False,
        )
        used: set[str] = set()

        def placeholder(text: str) -> Media | None:
            found = figures.get(text)
            if found is None:
                return None
            used.add(text)
            return found[0]

        reader = BodyReader(self.base_url, self.patterns, self.next_media_id, placeholder)
        if extracted:
            body = lxml.html.document_fromstring(extracted).find("body")
            blocks, media = reader.read(body if body is not None else lxml.html.Element("div"))
        elif ld.body_text:
            parts.warnings.append("the extractor found no main text; used JSON-LD articleBody")
            blocks, media = text_blocks(ld.body_text), []
        else:
            parts.warnings.append("the extractor found no main text")
            blocks, media = [], []
        blocks = [b for b in blocks if not (b.kind is BlockKind.HEADING and b.text == parts.title)]
        blocks = [b for b in blocks if _PLACEHOLDER not in b.text]  # a token mangled in a list
        # figures the extractor dropped but that stood in the article: lead images, put first
        lost = [m for token, (m, in_article) in figures.items() if token not in used and in_article]
        lead = [Block(BlockKind.FIGURE, m.caption or "", media_id=m.id) for m in lost]
        return lead + blocks, lost + media

    def _lead_media(
        self,
        media: list[Media],
        ld_media: list[Media],
        meta: _Meta,
        figures: dict[str, tuple[Media, bool]],
    ) -> list[Media]:
        """JSON-LD images add their credits to the figure showing the same picture; one that
        the body does not show becomes the lead image (it is the page's stated picture)."""
        merged = list(media)
        by_url = {m.url: i for i, m in enumerate(merged) if m.url}
        for picture in ld_media:
            index = by_url.get(picture.url) if picture.url else None
            if index is not None:
                shown = merged[index]
                extra = tuple(
                    Credit(c.agent, c.role, shown.id, c.raw, c.on_behalf_of)
                    for c in picture.credits
                )
                merged[index] = _with(shown, extra, picture)
            elif not merged or picture.credits or picture.caption:
                merged.append(picture)
        if not merged:
            og_image = absolute(meta.first("og:image", "twitter:image"), self.base_url)
            if og_image:
                merged.append(
                    Media(
                        self.next_media_id(),
                        MediaKind.IMAGE,
                        og_image,
                        alt=meta.first("og:image:alt", "twitter:image:alt"),
                    )
                )
        return merged


def _with(shown: Media, extra: tuple[Credit, ...], picture: Media) -> Media:
    credits = shown.credits + tuple(c for c in extra if c not in shown.credits)
    if shown.credits:
        # the figure printed its own credit; keep the JSON-LD ones only for roles it lacks
        roles = {c.role for c in shown.credits}
        credits = shown.credits + tuple(c for c in extra if c.role not in roles)
    return replace(
        shown,
        credits=credits,
        caption=shown.caption or picture.caption,
        alt=shown.alt or picture.alt,
    )


def _figures(document: HtmlElement) -> list[HtmlElement]:
    """<figure>s, and the smallest elements that hold an image and a "caption"-classed element
    (house styles that predate <figure>), outermost first and never one inside another."""
    found: list[HtmlElement] = []
    for element in document.iter():
        if not isinstance(element.tag, str) or any(element in f.iterancestors() for f in found):
            continue
        if any(f in element.iterancestors() for f in found):
            continue
        if element.tag == "figure" or (
            element.tag in ("div", "p", "span")
            and caption_of(element) is not None
            and next(element.iter("img"), None) is not None
            and not any(
                caption_of(c) is not None and next(c.iter("img"), None) is not None
                for c in element.iterdescendants()
                if isinstance(c.tag, str) and c.tag in ("div", "p", "span", "figure")
            )
        ):
            found.append(element)
    return found


def _in_article(element: HtmlElement) -> bool:
    ancestors = {a.tag for a in element.iterancestors()}
    return bool(ancestors & {"article", "main"}) or not ancestors & {"header", "footer"}


def _h1(document: HtmlElement) -> str:
    for h1 in document.iter("h1"):
        text = clean_line(" ".join(h1.text_content().split()))
        if text:
            return text
    return ""


def _language(document: HtmlElement, meta: _Meta) -> str | None:
    lang = document.get("lang") or document.get("{http://www.w3.org/XML/1998/namespace}lang")
    if isinstance(lang, str) and lang.strip():
        return lang.strip()
    locale = meta.first("og:locale")
    return locale.replace("_", "-") if locale else None


class _Meta:
    """<meta property|name|itemprop=... content=...>, looked up without case."""

    def __init__(self, document: HtmlElement) -> None:
        self._values: dict[str, list[str]] = {}
        for element in document.iter("meta"):
            key = element.get("property") or element.get("name") or element.get("itemprop")
            content = element.get("content")
            if key and content and content.strip():
                self._values.setdefault(key.strip().lower(), []).append(clean_line(content))

    def first(self, *names: str) -> str | None:
        for name in names:
            values = self._values.get(name.lower())
            if values:
                return values[0]
        return None

    def all(self, name: str) -> list[str]:
        return list(self._values.get(name.lower(), []))


# --- JSON-LD helpers ----------------------------------------------------------------------------


def _ld_nodes(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [n for item in data for n in _ld_nodes(item)]
    if not isinstance(data, dict):
        return []
    nodes = [data]
    graph = data.get("@graph")
    if isinstance(graph, list):
        nodes.extend(n for item in graph for n in _ld_nodes(item))
    return nodes


def _ld_types(node: dict[str, Any]) -> set[str]:
    declared = node.get("@type")
    if isinstance(declared, str):
        return {declared.lower()}
    if isinstance(declared, list):
        return {t.lower() for t in declared if isinstance(t, str)}
    return set()


def _resolve_refs(node: dict[str, Any], nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """Replace {"@id": ...} references (Yoast-style @graph) with the nodes they point at."""
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}

    def resolve(value: Any, depth: int) -> Any:
        if depth > 4:
            return value
        if isinstance(value, dict):
            if set(value) == {"@id"} and value["@id"] in by_id:
                return resolve(by_id[value["@id"]], depth + 1)
            return {k: resolve(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v, depth + 1) for v in value]
        return value

    resolved = resolve(node, 0)
    assert isinstance(resolved, dict)
    return resolved


__all__ = ["EXTRACTOR", "MAX_HTML_BYTES", "credits_from_credit_text", "read"]
