"""Reading a source is two steps that meet at `Retrieved`: retrieve (a transport gives bytes and
caching facts; sources.retrieve) and read (a kind-specific reader gives model entries). A new
input kind is one reader module named in READER_MODULES; a new transport is one retriever in
sources.retrieve.RETRIEVERS; neither touches the other.

Readers and transports are imported when first used, never at import: the commands that read
nothing (--help, --version, a cron build that finds nothing changed) must not pay for
trafilatura, markdown-it or httpx.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from feedwright.model import Entry
from feedwright.sources.base import ReaderOptions, Retrieved, SourceError
from feedwright.sources.retrieve import retrieve  # imports httpx only for an http(s) location

__all__ = ["KINDS", "READER_REVISIONS", "READING_LIBRARIES", "ReaderOptions", "Retrieved",
           "SourceError", "detect_kind", "read", "retrieve"]

Reader = Callable[[Retrieved, ReaderOptions], tuple[Entry, ...]]

#: Input kind -> the module whose `read(retrieved, options)` reads it.
READER_MODULES: dict[str, str] = {
    "text": "feedwright.sources.text",
    "html": "feedwright.sources.html",
    "markdown": "feedwright.sources.markdown",
    "json": "feedwright.sources.jsonfile",
    "feed": "feedwright.sources.feed",
}
KINDS = tuple(READER_MODULES)

#: Input kind -> the revision of its reader. A ledger keeps what a source was read as until the
#: source changes, so it must know when reading the same bytes would now give something else:
#: the revisions are part of its reading digest (pipeline/gather.reading_digest), and a build
#: re-reads, once, every source an older revision read. BUMP A KIND'S REVISION with any change
#: to what its reader makes of a source: its module, or the shared code it reads with
#: (normalise/, sources/record.py: JSON exports, html JSON-LD and Markdown front matter), and
#: name the change in the commit. Each reader's provenance names its revision (`feedwright.text/2`).
#: Kept here, not in the readers, so that a build that reads nothing imports none of them.
#: The last revision of every kind (text 5, html 5, markdown 4, json 4, feed 4; feed 5 below): a
#: negative or non-numeric media size is dropped, with a warning, as unknown (_common.assemble).
#: The one before (text 4, html 4, markdown 3, json 3, feed 3): names that start with a capital
#: of any script (normalise/credits.py), `Łukasz`, `Émile`, `Лев`.
READER_REVISIONS: dict[str, int] = {
    "text": 9,  # 2: this session's text reader; bylines in capitals (normalise/credits.py);
    # 3: teasers under end matter, a story under a stream of teasers, list pages, headlines in
    # parts, dates above a category label, (c) credits glued to prose (boilerplate.py, text.py);
    # 6: a headline wrapped onto a line in small letters, a byline under a long headline;
    # 7: a page's prose scored with the stopwords of its own language (boilerplate.py), rows
    # of a data table inside the article kept (text.py), blurbs cut short with an ellipsis
    # on a page of several taken for teasers (boilerplate.py); 8: "Sammy Davis, Jr." one
    # name, not two (normalise/credits.py, as for every kind below); 9: "updated 9:30am" after
    # a publication's date and time is that day's (normalise/dates.py, and html's date lines)
    "html": 12,  # 2: the page untouched; 3: inline images, JSON-LD bylines, names in capitals;
    # 6: urls with spaces percent-encoded (htmlbody.absolute, syntax.wellformed_url);
    # 7: links in the main text resolved against the page's own url, not by trafilatura;
    # 8: a generational suffix after a comma ("Sammy Davis, Jr.") kept with the name;
    # 9: an image marked tiny in a body (a tracking pixel, an icon) is no media (htmlbody.py);
    # 10: a credited picture no figure shows leads the content (_common.unshown_figures), and
    # a resized copy in the body is the picture JSON-LD states (html.py _picture_key);
    # 11: an update stated as a time alone in a date line (as text 9); 12 (and markdown 9,
    # json 9, feed 11): a credited picture a body shows in a copy of another size leads no
    # second figure (_common.unshown_figures, picture_key)
    "markdown": 9,  # 2: front matter authors read as bylines (record.py), names in capitals;
    # 5: urls with spaces percent-encoded; 6: "Sammy Davis, Jr." one name; 7: tiny images;
    # 8: a credited picture no figure shows leads the content
    "json": 9,  # 2: authors read as bylines, agent kinds as written (record.py); 5: urls with
    # spaces percent-encoded; 6: "Sammy Davis, Jr." one name; 7: tiny images no media;
    # 8: a credited picture no figure shows (media:content) leads the content
    "feed": 11,  # 2: agent kinds read back as written, authors' names in capitals;
    # 5: a lone Atom <entry> document is credited to no source named after its own title;
    # 6: urls with spaces percent-encoded; 7: "Sammy Davis, Jr." one name; 8: a tracking
    # pixel or an icon in an item's html is no media (htmlbody.py); 9: a credited picture no
    # figure shows (media:content) leads the content (_common.unshown_figures); 10: urls
    # resolve against the xml:base in scope, an RSS title holding html is its text, a JSON
    # Feed item's external_url is its link when it has no url (sources/feed/)
    # (text 8, html 6, markdown 5, json 5 and feed 6 also read dates anew: normalise/dates.py,
    # a month and year with no day is no date, an RFC 822 zone by its name, else the feed's)
}
#: The libraries that do part of the reading (trafilatura's main text, jusText's stopword lists,
#: markdown-it's html): their installed versions are in the reading digest too.
READING_LIBRARIES = ("trafilatura", "justext", "markdown-it-py")


def reader_for(kind: str) -> Reader | None:
    """The reader of an input kind (its module imported now), None for an unknown kind."""
    module = READER_MODULES.get(kind)
    if module is None:
        return None
    # __import__, not importlib.import_module: the import statement's path, which
    # `python -X importtime` reports (importlib's pure-Python path it does not).
    reader: Reader = __import__(module, fromlist=["read"]).read
    return reader



_SUFFIX_KINDS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".ndjson": "json",
    ".jsonl": "json",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
}
#: Media types that name one kind whatever the suffix says.
_MEDIA_TYPE_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/x-ndjson": "json",
    "application/jsonl": "json",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/feed+json": "feed",
}
#: Media types too generic to decide (servers label .md as text/plain, a JSON Feed as
#: application/json): the suffix, then the bytes decide, and these are the fallback.
_GENERIC_MEDIA_TYPES = {
    "text/plain": "text",
    "application/json": "json",
    "text/json": "json",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/octet-stream": "text",
}


def detect_kind(retrieved: Retrieved) -> str:
    """The kind of input: a specific media type, then the suffix, then the bytes, then a generic
    media type's usual kind, then text."""
    if retrieved.media_type in _MEDIA_TYPE_KINDS:
        return _MEDIA_TYPE_KINDS[retrieved.media_type]
    suffix = Path(retrieved.location.split("?", 1)[0].split("#", 1)[0]).suffix.lower()
    if suffix in _SUFFIX_KINDS:
        return _SUFFIX_KINDS[suffix]
    sniffed = sniff_kind(retrieved.data)
    if sniffed is not None:
        return sniffed
    return _GENERIC_MEDIA_TYPES.get(retrieved.media_type or "", "text")


_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_PROLOG = re.compile(rb"(?:\s*(?:<!--.*?-->|<\?xml[^>]*\?>))*\s*", re.S)
_HTML_START = re.compile(rb"^(?:<!doctype\s+html|<html|<head|<body)", re.I)
_XML_START = re.compile(rb"^(?:<\?xml|<!DOCTYPE|<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>])")
_FRONT_MATTER = re.compile(rb"^(?:---|\+\+\+)[ \t]*\r?\n")


def sniff_kind(data: bytes) -> str | None:
    """The kind the bytes announce: a JSON Feed or JSON, an html page, an XML document (read as a
    feed: our only XML kind, which also refuses hostile XML), or Markdown front matter; None
    when they announce nothing (plain text). An html or XML start is looked for after the
    declaration and comments, however long (a licence in a comment may run past 4 KiB)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "feed" if _JSON_FEED.search(head) else "json"
    prolog = _PROLOG.match(data, min(len(data), 4096) - len(head))
    after = prolog.end() if prolog else 0
    body = data[after:after + 4096]
    if _HTML_START.match(body):
        return "html"
    if _XML_START.match(head) or _XML_START.match(body):
        return "feed"
    if _FRONT_MATTER.match(head):
        return "markdown"
    return None


def read(
    retrieved: Retrieved, *, kind: str | None = None, options: ReaderOptions | None = None
) -> tuple[Entry, ...]:
    """Read retrieved bytes into entries; raises SourceError naming the location and the reason."""
    kind = kind or detect_kind(retrieved)
    reader = reader_for(kind)
    if reader is None:
        raise SourceError(
            retrieved.location, f"unknown input kind {kind!r} (known: {', '.join(KINDS)})"
        )
    try:
        return reader(retrieved, options or ReaderOptions())
    except RecursionError:  # JSON, YAML front matter or JSON-LD nested thousands deep
        raise SourceError(retrieved.location, "it is nested deeper than can be read (over "
                          f"about {sys.getrecursionlimit()} levels)") from None
