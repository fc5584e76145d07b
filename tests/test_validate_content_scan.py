"""The html scan reads only the tags that could fail a check (issue 12): what it finds must be
what the scan of every tag found before, for any markup. The earlier scan is kept here as the
oracle: every tag `_TAG` matches, those with attributes or an active name passed on."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from feedwright.validate import content
from tests.helpers import TEXT_FIXTURES, make_feed

_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)((?:[\s/][^<>]*?)?)/?>")


def every_tag_scan(markup: str) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    for tag in _TAG.finditer(markup):
        rest = tag[2]
        if rest:
            yield tag[1].lower(), [
                (m[1], html.unescape(m[2] if m[2] is not None else m[3] or m[4] or ""))
                for m in content._ATTR.finditer(rest)]
        elif tag[1].lower() in content.ACTIVE_ELEMENTS:
            yield tag[1].lower(), []


pieces = st.sampled_from([
    "<", ">", "/", " ", "\t", "\n", "=", '"', "'", "<p>", "</p>", "<br/>", "<br />", "<img",
    " src=", "x.png", "https://a.test/b", " onerror=", "alert(1)", "<script>", "<SCRIPT>",
    "<frame>", "<frameset>", "<frames>", "<metadata>", "<meta/>", "<Base>", "<a href=", "#top",
    "javascript:x()", "<iframe/", "srcset=", "a.png 1x, b.png 2x", "&amp;", "&lt;p&gt;", "é",
    "<figure>", "<a:b c>", "<x-y/z>", "<1>", "<-a>", "text", ">>", "<<"])


@settings(max_examples=600, deadline=None)
@given(st.lists(pieces | st.text(max_size=4), max_size=30).map("".join))
def test_the_scan_finds_what_scanning_every_tag_found(markup: str) -> None:
    assert list(content._scan_tags(markup)) == list(every_tag_scan(markup))


def test_articles_scan_the_same() -> None:
    for entry in make_feed(TEXT_FIXTURES).entries:
        markup = entry.content_html or ""
        found = list(content._scan_tags(markup))
        assert found == list(every_tag_scan(markup))
        assert content.check_html(markup) == content._check_tags(every_tag_scan(markup), None)
    assert any(found for found in (list(content._scan_tags(e.content_html or ""))
                                   for e in make_feed(TEXT_FIXTURES).entries))
