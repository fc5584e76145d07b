"""What an html page says about its article beside the text: the headline as the site meant it,
the publication date among the many a page prints, the byline that belongs to the article.

Pure functions over values the page reader has already found; the page reader decides the order
of trust (JSON-LD, OpenGraph and article:* meta, other meta, rel=author and <time> markup).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, tzinfo
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from feedwright.model import Timestamp
from feedwright.normalise.dates import parse_date_line
from feedwright.normalise.text import clean_line

# --- headlines ----------------------------------------------------------------------------------

#: Between a headline and the site's name in a <title> or og:title.
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—·»:]{1,2})\s+")


def decode_entities(text: str) -> str:
    """Entities left in a value (`&#8220;`, `&nbsp;`, twice-escaped `&amp;#8217;`) decoded, the
    way a reader would see them: JSON-LD strings and escaped meta content carry them raw."""
    for _ in range(2):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return clean_line(text.replace("\xa0", " "))


def text_key(text: str) -> str:
    """Text compared without case, punctuation or spacing: `TheHill` is `The Hill`."""
    return re.sub(r"[\W_]", "", text.casefold())


def site_keys(site_names: Iterable[str | None], url: str | None) -> set[str]:
    """Ways a site names itself: its stated names, and its host with and without www and the
    public suffix (`thehill.com` -> `thehill`, `sportsnet.ca` -> `sportsnetca`)."""
    keys = {text_key(n) for n in site_names if n}
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        keys.add(text_key(host))
        keys.add(text_key(host.split(".")[0]))
    keys.discard("")
    return keys


def without_site_suffix(title: str, sites: set[str], other_titles: Iterable[str] = ()) -> str:
    """The headline without a trailing ` | Site Name` / ` - Site` when that last part is the
    site's name (or its host), or when what stands before it is the page's other headline."""
    pieces = _TITLE_SEPARATOR.split(title)
    if len(pieces) < 2:
        return title
    match = list(_TITLE_SEPARATOR.finditer(title))[-1]
    head, tail = title[: match.start()].strip(), title[match.end() :].strip()
    if not head or len(head.split()) < 2:
        return title
    if text_key(tail) in sites or any(text_key(head) == text_key(o) for o in other_titles if o):
        return head
    return title


# --- dates --------------------------------------------------------------------------------------

#: meta names that state the publication date, as CMSs spell them (never a modification date).
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "article.published",
    "pubdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "dateModified",
    "article.updated",
    "last-modified",
    "dcterms.modified",
)
#: Other meta names that look like a publication date (`parsely-pub-date`, `sn-post-date`,
#: `article_date_original`, `sailthru.date` is not: it is when a mailing went out).
_DATE_META_NAME = re.compile(
    r"(?:publish|pub[_.-]|post|creat|issued|original|release)\w*[_.:-]?(?:date|time)"
    r"|(?:date|time)[_.:-]?(?:publish|issued|original|creat|post)",
    re.I,
)
_NOT_PUBLISHED = re.compile(r"modif|updat|expir|lastpub|last[_.-]|edit|review", re.I)
#: A date in the article's own url: /2019/11/19/ or /2019-11-19-.
_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:[/-]|$)")


def is_published_meta_name(name: str) -> bool:
    return bool(_DATE_META_NAME.search(name)) and not _NOT_PUBLISHED.search(name)


def url_day(url: str | None) -> date | None:
    """The day an article's url is filed under, if it has one."""
    match = _URL_DAY.search(urlsplit(url).path) if url else None
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def choose_published(candidates: Iterable[Timestamp | None]) -> Timestamp | None:
    """The most trusted statement of the publication date (candidates come in order of trust),
    made precise: when it gives only a day, a less trusted statement of the same day with a
    time of day wins (JSON-LD `2014-09-15` beside `article:published_time` with the time)."""
    first: Timestamp | None = None
    for candidate in candidates:
        if candidate is None:
            continue
        if first is None:
            if not candidate.day_only:
                return candidate
            first = candidate
        elif not candidate.day_only and _same_day(candidate, first):
            return candidate
    return first


def _same_day(stamp: Timestamp, day: Timestamp) -> bool:
    wanted = day.value.date()
    return stamp.value.date() == wanted or stamp.value.astimezone(day.value.tzinfo).date() == wanted


# --- bylines and <time> markup ------------------------------------------------------------------

#: Containers of other stories than the page's own: their bylines and times are not its own.
_ELSEWHERE_CLASS = re.compile(
    r"related|teaser|recommend|promo|sidebar|widget|trending|popular|more-|most-|outbrain|taboola"
    r"|newsletter|footer|comments?\b",
    re.I,
)
_ELSEWHERE_TAGS = frozenset({"nav", "aside", "footer"})


def elsewhere(element: HtmlElement) -> bool:
    """Inside page chrome or a box of other stories (a teaser's byline, a sidebar's time)."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _ELSEWHERE_TAGS:
            return True
        if ancestor.tag in ("article", "main", "body"):
            return False  # the article's own; the body's classes describe the whole layout
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if _ELSEWHERE_CLASS.search(marks):
            return True
    return False


def in_article(element: HtmlElement) -> bool:
    return any(a.tag in ("article", "main") for a in element.iterancestors())


def ranked(elements: Iterable[HtmlElement]) -> list[HtmlElement]:
    """Elements outside chrome and teaser boxes, those inside <article>/<main> first."""
    own = [e for e in elements if not elsewhere(e)]
    return sorted(own, key=lambda e: not in_article(e))  # stable: document order within each


#: <time> elements that mark a modification, not the publication.
_MODIFIED_TIME = re.compile(r"modif|updat", re.I)
_PUBLISHED_TIME = re.compile(r"publish|posted|created|entry-date", re.I)


def publication_times(document: HtmlElement) -> list[HtmlElement]:
    """<time> elements that may state the publication: itemprop=datePublished first, then the
    article's own times; those marked as modification times are left out."""
    stated = document.xpath(
        "//*[(@itemprop='datePublished' or @itemprop='dateCreated') and not(self::meta)]"
    )
    others = []
    for time in document.iter("time"):
        marks = f"{time.get('itemprop') or ''} {time.get('class') or ''}"
        if _MODIFIED_TIME.search(marks) and not _PUBLISHED_TIME.search(marks):
            continue
        others.append(time)
    return [*ranked(stated), *(t for t in ranked(others) if t not in stated)]


def time_value(time: HtmlElement) -> str:
    """What a <time> (or an itemprop=datePublished element) states: its machine value, else
    its printed text."""
    stated = time.get("datetime") or time.get("content") or ""
    if not stated.strip():
        stated = " ".join(time.text_content().split())
    return stated.strip()


def printed_date(document: HtmlElement, default_zone: tzinfo) -> Timestamp | None:
    """A date line printed just after the headline (`Published: Monday, November 18th, 2019 at
    11:08 a.m.`, `November 15, 2019`), for pages that state their date nowhere else."""
    headline = next((h for h in document.iter("h1") if not elsewhere(h)), None)
    if headline is None:
        return None
    seen = 0
    started = False
    for element in document.iter():
        if element is headline:
            started = True
            continue
        if not started or not isinstance(element.tag, str) or element.tag in _NO_TEXT:
            continue
        if headline in element.iterancestors():
            continue
        text = " ".join(element.text_content().split())
        if text and len(text.split()) <= _DATE_LINE_WORDS:
            found = parse_date_line(text, default_zone)
            if found is not None and found.published is not None:
                return replace(found.published, source="html:date-line")
        seen += len((element.text or "").split())
        if seen > _DATE_LINE_WINDOW:
            return None
    return None


_NO_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "button"})
_DATE_LINE_WORDS = 16
#: Words after the headline within which a printed date is the article's (byline, standfirst).
_DATE_LINE_WINDOW = 120


def date_text(value: str) -> str:
    """A stated date with the slashes of `2019/11/19` made ISO's dashes."""
    return _SLASHED_DAY.sub(r"\1-\2-\3", value.strip())


#: 2019/11/19, as some CMSs write an ISO day.
_SLASHED_DAY = re.compile(r"^((?:19|20)\d{2})/(\d{2})/(\d{2})\b")
