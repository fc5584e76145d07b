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
