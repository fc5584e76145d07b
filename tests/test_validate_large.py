"""Large documents: no libxml2 limit turns a big feed into an exception, and the checks that
run over every entry (content html, xml:lang) find what they must without a whole-document
node-set or a whole-string pre-pass."""

from __future__ import annotations

import os

import pytest

from feedwright.validate import validate_document
from feedwright.validate.content import check_html

# An RSS feed whose one item carries a bad xml:lang, followed by `comments` empty comments after
# the root element. XPath's `//` starts at the document node, so those comments are nodes of
# `//@xml:lang`'s node-set; the checks themselves never visit them.
_HEAD = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xml:lang="en-NZ">'
    b"<channel><title>t</title><link>https://example.com/</link><description>d</description>"
    b'<atom:link rel="self" href="https://example.com/feed" type="application/rss+xml"/>\n'
    b'<item xml:lang="no such tag"><title>t</title><guid isPermaLink="false">x</guid>'
    b'<description xml:lang="">d</description></item>\n'
    b'<item><title xml:lang="english">u</title><guid isPermaLink="false">y</guid></item>'
    b"</channel></rss>\n"
)
# libxml2's XPATH_MAX_NODESET_LENGTH (xpath.c): larger node-sets fail with "unknown error".
_XPATH_NODESET_LIMIT = 10_000_000


def _languages(data: bytes) -> list[tuple[str, int | None, str | None]]:
    """The xml:lang issues (the RSS schema accepts xml:lang on every element, as XML 1.0 does)."""
    report = validate_document(data, "rss")
    return [(found.rule, found.line, found.path) for found in report.issues
            if found.rule == "language-code"]


_EXPECTED = [
    ("language-code", 3, "/rss/channel/item[1]"),
    ("language-code", 4, "/rss/channel/item[2]/title"),
]


def test_xml_lang_is_checked_at_every_depth() -> None:
    """Root, item and nested element; xml:lang="" (no language) is not an issue; comments
    outside the root are skipped."""
    assert _languages(_HEAD + b"<!---->" * 1000) == _EXPECTED


@pytest.mark.skipif(
    not os.environ.get("FEEDWRIGHT_HEAVY_TESTS"),
    reason="needs ~1.7 GB of memory and ~4 s; set FEEDWRIGHT_HEAVY_TESTS=1",
)
def test_more_nodes_than_xpath_allows() -> None:
    """The real limit: a document of just over 10,000,000 nodes must validate, not raise.

    Before the fix this raised lxml.etree.XPathEvalError from check_languages (the 100,000-entry
    exports of docs/performance.md did). There is no cheap way to reach the limit: every
    libxml2 node is a ~120-byte struct whatever it holds, so the cheapest document (empty
    comments, 7 bytes each) still takes ~1.7 GB of memory and ~4 s to parse. That is too heavy
    for every CI run, so this test is opt-in; test_xml_lang_is_checked_at_every_depth runs the
    same document shape with 1,000 comments on every run.
    """
    data = _HEAD + b"<!---->" * (_XPATH_NODESET_LIMIT + 1)
    assert _languages(data) == _EXPECTED


@pytest.mark.parametrize(("markup", "rule"), [
    # Forms an earlier "suspicious?" pre-pass skipped, though the tag scan reports them.
    ('<p>x</p><img onerror src="https://example.com/a.jpg">', "html-event-handler"),
    ('<img/srcset="a.jpg 1x" src="https://example.com/a.jpg">', "html-relative-url"),
    ("<img/srcset=javascript:alert(1)>", "html-javascript-url"),
    # and the ones it caught
    ('<a title=x"onclick=alert(1)>x</a>', "html-event-handler"),
    ('<p>text <SCRIPT>alert(1)</SCRIPT></p>', "html-script"),
    ('<p onClick = "x()">t</p>', "html-event-handler"),
    ('<a href=" java\tscript:alert(1)">x</a>', "html-javascript-url"),
    ('<a href="page.html">x</a>', "html-relative-url"),
])
def test_every_tag_with_attributes_is_scanned(markup: str, rule: str) -> None:
    assert [problem[0] for problem in check_html(markup)] == [rule]


def test_clean_article_html_is_clean() -> None:
    article = (
        '<p class="standfirst"><strong>"Quote," someone said on Monday.</strong></p>\n'
        '<figure><img src="https://example.com/a.jpg" alt="on = off"/>'
        "<figcaption>Photo: Agency</figcaption></figure>\n"
        '<p>See <a href="https://example.com/x?a=1&amp;b=2">this</a> or '
        '<a href="mailto:a@example.com">mail</a>, <a href="#top">top</a>. x = y on, one=two</p>'
    ) * 50
    assert check_html(article) == []
