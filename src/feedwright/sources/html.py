"""The HTML article page reader: one page, one entry.

Metadata comes from the page's own statements, most precise first: JSON-LD (NewsArticle and
kin), then OpenGraph / article:* / meta tags, then byline and <time> markup. The main text is
trafilatura's, with the figures it drops put back where they stood (htmlarticle).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
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
from feedwright.sources import READER_REVISIONS
from feedwright.sources._common import (
    Parts,
    assemble,
    check_size,
    decode_or_fail,
    noted,
    picture_key,
    provenance,
    text_blocks,
    zone_or_fail,
)
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError
from feedwright.sources.htmlarticle import (
    PageFigure,
    PageWords,
    main_text,
    page_figures,
    place_figures,
)
from feedwright.sources.htmlbody import (
    BodyReader,
    absolute,
    credits_from_credit_text,
    figure_media,
    lazy_blobs,
    media_url,
)
from feedwright.sources.htmlmeta import (
    MODIFIED_META,
    PUBLISHED_META,
    choose_published,
    date_text,
    decode_entities,
    is_published_meta_name,
    printed_date,
    publication_times,
    ranked,
    site_keys,
    text_key,
    time_value,
    url_day,
    without_site_suffix,
)
from feedwright.sources.record import RecordFields, RecordMapper

EXTRACTOR = f"feedwright.html/{READER_REVISIONS['html']}+trafilatura/{trafilatura.__version__}"

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
_AUTHOR_MARKUP = "//*[@rel='author' or @itemprop='author']"
_BYLINE_CLASSES = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')"
    " or contains(@class, 'byline__name') or contains(@class, 'author-name')"
    " or contains(@class, 'article-author')]"
)


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
        self.warnings: list[str] = []  # found while reading the body, for the provenance
        self.patterns = self.options.all_credit_patterns

    def next_media_id(self) -> str:
        self._media_count += 1
        return f"m{self._media_count}"

    def read(self, document: HtmlElement) -> Parts:
        warnings: list[str] = []
        nodes = self._json_ld_nodes(document, warnings)
        ld = self._json_ld(nodes)
        meta = _Meta(document)
        parts = Parts(title=self._title(document, ld, meta), warnings=warnings + ld.warnings)
        # the page's own address only: a feed's configured base url is no article's url
        parts.url = absolute(_canonical(document), self.base_url) or ld.url or self.page_url
        summary = ld.summary or meta.first("og:description", "description", "twitter:description")
        parts.summary = decode_entities(summary) if summary else None
        parts.published = choose_published(self._dates(document, nodes, ld, meta, parts.url))
        parts.updated = ld.updated or self._meta_date(meta, MODIFIED_META)
        parts.credits = list(ld.credits)
        if not any(c.role is Role.AUTHOR for c in ld.credits):
            byline = self._meta_authors(meta) or self._byline(document)
            parts.credits = [*byline, *ld.credits]
        parts.categories = ld.categories or meta.all("article:tag") + meta.all("article:section")
        if not parts.categories:
            parts.categories = [t.strip() for t in (meta.first("keywords") or "").split(",")]
        parts.rights = ld.rights or self._meta_rights(meta, document)
        parts.language = ld.language or _language(document, meta)
        parts.dateline = ld.dateline
        parts.blocks, media = self._extract(document, ld, parts)
        media = self._checked_urls(self._lead_media(media, ld.media, meta), parts.warnings)
        shown = {m.id for m in media}
        parts.blocks = [b for b in parts.blocks if b.media_id is None or b.media_id in shown]
        parts.media = _without_bylines(media, parts.credits)
        parts.warnings.extend(self.warnings)
        return parts

    # --- headline and dates ---------------------------------------------------------------------

    def _title(self, document: HtmlElement, ld: RecordFields, meta: _Meta) -> str:
        """The headline as the article states it, entities decoded and the site's name cut off
        (` | BBC News`, ` - Sportsnet.ca`)."""
        h1 = _h1(document)
        page_title = clean_line(document.findtext(".//title") or "")
        stated = ld.title or meta.first("og:title", "twitter:title") or h1 or page_title
        if not stated:
            raise SourceError(
                self.location, "no headline: no JSON-LD headline, og:title, h1 or title"
            )
        publisher = next((c.agent.name for c in ld.credits if c.role is Role.PUBLISHER), None)
        names = (meta.first("og:site_name"), meta.first("application-name"), publisher)
        sites = site_keys(names, _canonical(document) or self.page_url)
        others = [decode_entities(t) for t in (ld.title, meta.first("og:title"), h1) if t]
        title = decode_entities(stated)
        return without_site_suffix(title, sites, [o for o in others if o != title])

    def _dates(
        self,
        document: HtmlElement,
        nodes: list[dict[str, Any]],
        ld: RecordFields,
        meta: _Meta,
        url: str | None,
    ) -> Iterator[Timestamp | None]:
        """Statements of the publication date, most trusted first: the article's JSON-LD, other
        JSON-LD nodes, published-time meta, other date meta, <time> markup, a date line printed
        under the headline, the day the url is filed under."""
        yield ld.published
        for node in sorted(nodes, key=lambda n: not _ld_types(n) & ARTICLE_TYPES):
            for key in ("datePublished", "dateCreated"):
                value = node.get(key)
                if isinstance(value, str):
                    yield self._stamp(value, f"json-ld:{key}")
        yield self._meta_date(meta, PUBLISHED_META)
        for name, value in meta.items():
            if is_published_meta_name(name):
                yield self._stamp(value, f"meta:{name}")
        for time in publication_times(document):
            yield self._stamp(time_value(time), "html:time")
        yield printed_date(document, self.default_zone)
        day = url_day(url) or url_day(self.page_url)
        if day is not None:
            midnight = datetime(day.year, day.month, day.day, tzinfo=self.default_zone)
            yield Timestamp(midnight, "url:path", day_only=True)

    # --- JSON-LD --------------------------------------------------------------------------------

    def _json_ld_nodes(self, document: HtmlElement, warnings: list[str]) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = []
        for script in document.xpath("//script[@type='application/ld+json']"):
            data = _lenient_json(script.text or "", warnings)
            nodes.extend(_ld_nodes(data))
        return nodes

    def _json_ld(self, nodes: list[dict[str, Any]]) -> RecordFields:
        """The page's NewsArticle (or kin) in JSON-LD, mapped leniently: pages in the wild get
        shapes wrong, and a wrong shape costs that one value, with a warning."""
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

    def _meta_date(self, meta: _Meta, names: tuple[str, ...]) -> Timestamp | None:
        for name in names:
            value = meta.first(name)
            if value:
                stamp = self._stamp(value, f"meta:{name}")
                if stamp is not None:
                    return stamp
        return None

    def _stamp(self, value: str, source: str) -> Timestamp | None:
        return parse_timestamp(date_text(value), self.default_zone, source)

    def _meta_authors(self, meta: _Meta) -> list[Credit]:
        credits: list[Credit] = []
        for name in (*meta.all("author"), *meta.all("article:author"), *meta.all("byl")):
            if name.startswith(("http://", "https://")):
                continue  # article:author is often a profile url: it names nobody
            parsed = credit_rules.parse_author(name)
            if parsed:
                credits.extend(Credit(c.agent, c.role, raw=name) for c in parsed)
        return credits

    def _byline(self, document: HtmlElement) -> list[Credit]:
        """The article's printed byline: rel=author / itemprop=author markup before bylines by
        class name, the article's own before any elsewhere, never a teaser's or a sidebar's."""
        marked = document.xpath(_AUTHOR_MARKUP)
        classed = [e for e in document.xpath(_BYLINE_CLASSES) if e not in marked]
        for element in [*ranked(marked), *ranked(classed)]:
            # microdata: the Person's name, not the date and links beside it
            named = element.xpath(".//*[@itemprop='name']")
            text = clean_line(" ".join((named[0] if named else element).text_content().split()))
            if not text or len(text) > 160:
                continue
            parsed = credit_rules.parse_author(text)
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

    # --- main text and figures ------------------------------------------------------------------

    def _extract(
        self, document: HtmlElement, ld: RecordFields, parts: Parts
    ) -> tuple[list[Block], list[Media]]:
        html = etree.tostring(document, method="html", encoding="unicode")
        extracted = main_text(html)
        if not extracted:
            if ld.body_text:
                parts.warnings.append("the extractor found no main text; used JSON-LD articleBody")
                return text_blocks(ld.body_text), []
            parts.warnings.append("the extractor found no main text")
            return [], []
        body = lxml.html.document_fromstring(extracted).find("body")
        reader = BodyReader(self.base_url, self.patterns, self.next_media_id)
        blocks, media = reader.read(body if body is not None else lxml.html.Element("div"))
        headline = text_key(parts.title)
        blocks = [
            b
            for b in blocks
            if not (b.kind is BlockKind.HEADING and headline and text_key(b.text) == headline)
        ]
        page = PageWords(document, page_figures(document))
        blocks, figures = place_figures(blocks, page, self._figure_media)
        return blocks, media + figures

    def _figure_media(self, figure: PageFigure) -> Media | None:
        media = figure_media(figure.element, self.next_media_id(), self.base_url, self.patterns)
        for blob in lazy_blobs(figure.element):
            self.warnings.append(f"an image's {blob} is not a url; passed over")
        return media

    def _lead_media(
        self,
        media: list[Media],
        ld_media: list[Media],
        meta: _Meta,
    ) -> list[Media]:
        """JSON-LD images add their credits to the figure showing the same picture; one that
        the body does not show becomes the lead image (it is the page's stated picture)."""
        merged = list(media)
        by_url = {picture_key(m.url): i for i, m in enumerate(merged) if m.url}
        for picture in ld_media:
            index = by_url.get(picture_key(picture.url)) if picture.url else None
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


    def _checked_urls(self, media: list[Media], warnings: list[str]) -> list[Media]:
        """Every media url absolute and printable; one that cannot be (a lazy loader's JSON, a
        relative url without a base) is dropped with a warning, the caption and credits kept.
        Media left with nothing to show or credit (an inline image has no caption) go too."""
        checked = []
        for item in media:
            url, problem = media_url(item.url, self.base_url)
            if problem is not None and not item.caption and not item.credits:
                warnings.append(f"media {item.id}: {problem}; dropped it (nothing else to show)")
                continue
            if problem is not None:
                warnings.append(f"media {item.id}: {problem}; dropped the url")
            checked.append(replace(item, url=url) if url != item.url else item)
        return checked


def _without_bylines(media: list[Media], entry_credits: list[Credit]) -> list[Media]:
    """Media credits that are the article's byline (byline markup inside a figure wrapper, a
    headshot beside it) are not picture credits: the writer took no photograph by writing."""
    bylines = {c.raw for c in entry_credits if c.role is Role.AUTHOR and c.raw}
    authors = {c.agent.name.casefold() for c in entry_credits if c.role is Role.AUTHOR}
    kept = []
    for item in media:
        own = tuple(
            c
            for c in item.credits
            if c.raw not in bylines and not (c.agent.name.casefold() in authors and c.raw
                                             and c.raw.casefold() == c.agent.name.casefold())
        )
        kept.append(replace(item, credits=own) if own != item.credits else item)
    return kept


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

    def items(self) -> Iterator[tuple[str, str]]:
        """Every (name, first value), in the order the page states them."""
        for name, values in self._values.items():
            yield name, values[0]


# --- JSON-LD helpers ----------------------------------------------------------------------------


#: A comma before a closing bracket: the commonest slip in hand-templated JSON-LD.
_TRAILING_COMMA = re.compile(r",\s*([\]}])")


def _lenient_json(text: str, warnings: list[str]) -> Any:
    """A JSON-LD block, read again without trailing commas when it does not parse as it is."""
    try:
        return json.loads(text, strict=False)
    except ValueError as exc:
        problem = exc
    try:
        data = json.loads(_TRAILING_COMMA.sub(r"\1", text), strict=False)
    except ValueError:
        warnings.append(f"unreadable JSON-LD block: {problem}")
        return None
    warnings.append(f"JSON-LD block read without its trailing commas ({problem})")
    return data


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
