"""Our own documents are held to more than a foreign feed: active content in them is a warning
for `feedwright validate` (the W3C validator accepts it) but stops export and build publishing,
since it means the sanitiser let it through."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedwright.export import InvalidDocument, export_document
from feedwright.model import Agent, AgentKind, Entry, Feed, Timestamp
from feedwright.pipeline.render import Document, render
from feedwright.validate import validate_document

ACTIVE = {
    "html-script": '<p>Hello</p><script>alert(1)</script>',
    "html-event-handler": '<p onclick="alert(1)">Hello</p>',
    "html-javascript-url": '<p><a href="javascript:alert(1)">Hello</a></p>',
}


def feed_with(content: str) -> Feed:
    entry = Entry(
        id="tag:example.test,2026:story",
        title="Story",
        url="https://example.test/story",
        content_html=content,
        published=Timestamp(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "test"),
    )
    return Feed(id="tag:example.test,2026:feed", title="Gate", link="https://example.test/",
                authors=(Agent("Desk", AgentKind.ORGANIZATION),),
                self_url="https://example.test/feed", entries=(entry,))


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
@pytest.mark.parametrize("rule", sorted(ACTIVE))
def test_active_content_is_a_warning_in_validate_but_stops_our_own_output(rule: str,
                                                                          fmt: str) -> None:
    feed = feed_with(ACTIVE[rule])
    (done,) = render(feed, [Document(fmt, fmt, feed.self_url)])
    assert done.data is not None and done.report is not None
    report = validate_document(done.data)
    assert report.ok and rule in {i.rule for i in report.warnings}  # foreign feeds: a warning
    assert any(f": {rule}: " in line for line in done.errors())  # the build refuses it
    with pytest.raises(InvalidDocument, match=rule):  # and so does export
        export_document(feed, fmt)


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_clean_content_passes_the_gate(fmt: str) -> None:
    feed = feed_with("<p>Hello <a href=\"https://example.test/\">there</a></p>")
    (done,) = render(feed, [Document(fmt, fmt, feed.self_url)])
    assert done.errors() == []
    assert export_document(feed, fmt).data == done.data
