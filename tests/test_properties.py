"""Arbitrary text through the reader and all three emitters: always a well-formed document that
passes our validator, or a clear SourceError; never a crash."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedwright.emit import emit
from feedwright.model import Feed, Timestamp
from feedwright.normalise.dates import zone
from feedwright.sources import SourceError
from feedwright.sources.text import parse_article
from feedwright.validate import validate_document

# Lines shaped like the conventions the reader looks for, mixed with arbitrary unicode, so the
# search reaches the credit, byline, date and chrome paths and not only plain prose.
convention_lines = st.sampled_from(
    [
        "By Jane Doe and John Roe", "Photo: Tom Ellery/Getty Images", "(Source: 1News)",
        "6:04 am on 12 March 2025", "SHARE ME", "More Stories", "Read more:", "- AAP",
        "WELLINGTON, March 12 (Reuters) - Text", "© 2025 Example Ltd", "Topics: a, b",
        "Reporting by A; Editing by B", "Foreign Minister Winston Peters.", "# Heading",
        "- a list item", "> a quote", "<script>alert(1)</script>", "&amp; &lt;b&gt;", "]]>",
    ]
)
lines = st.one_of(convention_lines, st.text(max_size=120))
documents = st.lists(lines, max_size=25).map(lambda ls: "\n\n".join(ls))


def _feed_of(text: str) -> Feed | None:
    try:
        entry = parse_article(text, location="prop.txt", default_zone=zone("Pacific/Auckland"))
    except SourceError as error:
        assert "prop.txt" in str(error)
        return None
    stamp = Timestamp(datetime(2026, 1, 1, tzinfo=UTC), "test")
    entry = dataclasses.replace(entry, id="tag:feedwright.test,2026:prop", updated=stamp)
    return Feed(
        id="tag:feedwright.test,2026:feed",
        title="Property feed",
        link="https://feedwright.test/",
        self_url="https://feedwright.test/feed",
        entries=(entry,),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_text_gives_valid_documents_or_a_clear_error(text: str):
    feed = _feed_of(text)
    if feed is None:
        return
    for fmt in ("rss", "atom", "json"):
        data = emit(dataclasses.replace(feed, self_url=f"https://feedwright.test/feed.{fmt}"), fmt)
        if fmt == "json":
            json.loads(data)
        else:
            etree.fromstring(data)  # well-formed, or this raises
        report = validate_document(data, fmt)
        assert report.ok, [(i.rule, i.message) for i in report.errors]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_rejected_clearly(data: bytes):
    from feedwright.sources import Retrieved, read

    try:
        entries = read(Retrieved(location="bytes.txt", data=data), kind="text")
    except SourceError as error:
        assert str(error).startswith("bytes.txt")
        return
    assert len(entries) == 1 and entries[0].title


url_text = st.lists(st.sampled_from([*"aZ09-._~:/?#[]@!$&'()*+,;=", "%", "%2", "%20", "%C3%A9",
                                     " ", "\t", "\n", *'<>"{}|\\^`', "\x00", "\x7f", "é", "ō",
                                     "https://news.example/"]), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(url_text)
def test_a_wellformed_url_is_kept_and_any_other_becomes_one_meaning_the_same(text: str):
    """What every reader does to a url it reads (syntax.wellformed_url): a url valid as it
    stands, an IRI or one with %XX escapes, comes back byte for byte (so ids minted from it
    stay); any other comes back valid, the same after a second pass, and naming the same
    characters once unescaped (tabs and newlines aside, which browsers drop)."""
    from urllib.parse import unquote

    from feedwright.syntax import BAD_PERCENT, BAD_URL_CHARS, wellformed_url

    fixed = wellformed_url(text)
    if BAD_URL_CHARS.search(text) is None and BAD_PERCENT.search(text) is None:
        assert fixed == text
    assert BAD_URL_CHARS.search(fixed) is None and BAD_PERCENT.search(fixed) is None
    assert wellformed_url(fixed) == fixed
    assert unquote(fixed) == unquote(text.replace("\t", "").replace("\n", "").replace("\r", ""))
