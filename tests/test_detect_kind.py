"""Which reader reads a source: a specific media type, then the suffix, then the bytes, then a
generic media type's usual kind, then text; and an unknown kind or format is a clear error."""

from __future__ import annotations

import pytest

from feedwright.emit import emit
from feedwright.model import Feed
from feedwright.sources import Retrieved, SourceError, detect_kind, read, reader_for


@pytest.mark.parametrize(("location", "media_type", "data", "kind"), [
    ("page", "text/html", b"plain words", "html"),  # a specific media type wins over the bytes
    ("https://news.example/a.md?x=1#top", None, b"# Title", "markdown"),  # suffix, query cut off
    ("page", None, b"\xef\xbb\xbf  <!DOCTYPE html><html></html>", "html"),
    ("page", None, b'<?xml version="1.0"?>\n<!-- c --><html><body/></html>', "html"),
    ("page", None, b'<?xml version="1.0"?><rss version="2.0"/>', "feed"),
    ("page", None, b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "feed"),
    ("page", None, b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "feed"),
    ("page", None, b'[{"title": "x"}]', "json"),
    ("page", None, b"---\ntitle: x\n---\nBody", "markdown"),
    ("page", "application/json", b"not json at all", "json"),  # generic type: its usual kind
    ("page", "application/xml", b"plain words", "feed"),
    ("page", None, b"Plain words of an article.", "text"),
    ("page", "application/x-unknown", b"Plain words.", "text"),
])
def test_detect_kind(location: str, media_type: str | None, data: bytes, kind: str) -> None:
    assert detect_kind(Retrieved(location=location, data=data, media_type=media_type)) == kind


def test_an_unknown_kind_is_a_clear_error() -> None:
    assert reader_for("pdf") is None
    with pytest.raises(SourceError) as info:
        read(Retrieved(location="a.pdf", data=b"%PDF"), kind="pdf")
    assert str(info.value).startswith("a.pdf") and "unknown input kind 'pdf'" in str(info.value)


def test_an_unknown_format_is_a_clear_error() -> None:
    feed = Feed(id="tag:x,2026:f", title="F", link="https://x.example/")
    with pytest.raises(ValueError, match="unknown format 'rdf' \\(known: rss, atom, json\\)"):
        emit(feed, "rdf")
