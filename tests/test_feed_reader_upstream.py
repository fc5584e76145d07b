"""Upstream feeds as other producers write them, read as feedparser (what most readers build
on) reads them: relative urls under xml:base."""

from __future__ import annotations

import json
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import feedparser
from lxml import html as lxml_html

from feedwright.sources import ReaderOptions, read, retrieve
from tests.helpers import serving

LINK = ["--link", "https://feeds.example/"]


def export(source: Path | str, fmt: str) -> bytes:
    """`feedwright export SOURCE --format FMT`, run as a user runs it; its document."""
    result = subprocess.run(
        [sys.executable, "-m", "feedwright", "export", str(source), *LINK, "--format", fmt],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def html_urls(html: str) -> list[str]:
    """The img src and a href urls of an html fragment, in document order."""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    return [e.get("src") or e.get("href") for e in root.iter("img", "a")]


def upstream(path: Path) -> Any:
    (entry,) = feedparser.parse(path.read_bytes()).entries
    return entry


def emitted(source: Path) -> dict[str, Any]:
    """What feedparser reads from our RSS and Atom for the source's one entry, and our JSON
    Feed item."""
    out: dict[str, Any] = {}
    for fmt in ("rss", "atom"):
        (out[fmt],) = feedparser.parse(export(source, fmt)).entries
    (out["json"],) = json.loads(export(source, "json"))["items"]
    return out


# --- xml:base -----------------------------------------------------------------------------------

COAST_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/">
  <title>Coast notes</title>
  <id>https://blog.example/</id>
  <updated>2025-03-14T09:00:00Z</updated>
  <author><name>Kiri Walker</name></author>
  <entry>
    <title>Photos from the coast</title>
    <id>https://blog.example/?p=412</id>
    <link rel="alternate" href="2025/03/photos-from-the-coast/"/>
    <link rel="enclosure" type="image/jpeg" length="48213"
          href="wp-content/uploads/2025/03/coast.jpg"/>
    <updated>2025-03-14T09:00:00Z</updated>
    <content type="html">&lt;p&gt;A windy day on the rocks.&lt;/p&gt;
      &lt;img src="wp-content/uploads/2025/03/rocks.jpg"&gt;
      &lt;p&gt;More &lt;a href="about/"&gt;about me&lt;/a&gt;.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_atom_content_and_enclosures_resolve_against_xml_base_not_the_entry_link(
    tmp_path: Path,
) -> None:
    """The img, the enclosure and the content's links are relative to xml:base (the blog's
    root), not to the post's page: our three documents give the urls feedparser reads from
    the upstream, and none under the post's own path (which 404s)."""
    source = tmp_path / "coast.atom"
    source.write_text(COAST_ATOM, encoding="utf-8")
    up = upstream(source)
    rocks, about = html_urls(up.content[0].value)
    (coast,) = [link.href for link in up.links if link.rel == "enclosure"]
    assert (up.link, rocks, about, coast) == (
        "https://blog.example/2025/03/photos-from-the-coast/",
        "https://blog.example/wp-content/uploads/2025/03/rocks.jpg",
        "https://blog.example/about/",
        "https://blog.example/wp-content/uploads/2025/03/coast.jpg",
    )  # what a reader fetches
    out = emitted(source)
    for fmt in ("rss", "atom"):
        entry = out[fmt]
        assert entry.link == up.link, fmt
        assert html_urls(entry.content[0].value) == [rocks, about], fmt
        assert entry.media_content[0]["url"] == rocks, fmt
        assert "/photos-from-the-coast/wp-content" not in str(entry), fmt
    assert [e.href for e in out["rss"].enclosures] == [rocks]  # RSS has room for one
    assert [e.href for e in out["atom"].enclosures] == [rocks, coast]
    item = out["json"]
    assert item["url"] == up.link
    assert html_urls(item["content_html"]) == [rocks, about]
    assert item["image"] == rocks
    assert [a["url"] for a in item["attachments"]] == [rocks, coast]


RELATIVE_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xml:base="https://relnews.example/section/">
<channel><title>Rel News</title><link>./</link><description>News</description>
<item><title>Story one</title><link>story-1</link><guid isPermaLink="false">rel-1</guid>
<pubDate>Fri, 14 Mar 2025 09:00:00 +0000</pubDate>
<description>&lt;p&gt;The first story. &lt;img src="img/one.jpg"&gt;&lt;/p&gt;</description>
<enclosure url="audio/one.mp3" type="audio/mpeg" length="1000"/>
</item></channel></rss>
"""


def test_rss_xml_base_on_the_rss_element_resolves_the_items_links(tmp_path: Path) -> None:
    """`<rss xml:base=...>` with `<link>story-1</link>`: the link is the section's story, as
    feedparser reads it; before, it stayed relative and the document was refused."""
    source = tmp_path / "rel.rss"
    source.write_text(RELATIVE_RSS, encoding="utf-8")
    up = upstream(source)
    (img,) = html_urls(up.summary)
    assert (up.link, img) == ("https://relnews.example/section/story-1",
                              "https://relnews.example/section/img/one.jpg")  # fmt: skip
    out = emitted(source)
    for fmt in ("rss", "atom"):
        assert out[fmt].link == up.link, fmt
        assert html_urls(out[fmt].content[0].value) == [img], fmt
    assert [e.href for e in out["atom"].enclosures] == [
        img, "https://relnews.example/section/audio/one.mp3"
    ]  # fmt: skip
    assert out["json"]["url"] == up.link and out["json"]["image"] == img


NESTED_BASES = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/">
<channel xml:base="https://nested.example/news/"><title>Nested</title><link>./</link>
<description>News</description>
<item xml:base="2025/"><title>Item base</title><link>tide.html</link>
<content:encoded xml:base="/static/">&lt;p&gt;High tide. &lt;img src="tide.jpg"&gt;
&lt;a href="tables/"&gt;Tables&lt;/a&gt;&lt;/p&gt;</content:encoded>
<media:content xml:base="https://cdn.nested.example/v/" url="tide.mp4" type="video/mp4"/>
<enclosure url="tide.mp3" type="audio/mpeg" length="10"/>
</item>
<item><title>No base of its own</title><link>https://elsewhere.example/a/story.html</link>
<description>&lt;p&gt;Words. &lt;img src="pic.jpg"&gt;&lt;/p&gt;</description>
</item></channel></rss>
"""


def test_each_url_resolves_against_the_xml_base_in_scope_where_it_stands(tmp_path: Path) -> None:
    """xml:base on the channel, the item, content:encoded and media:content each count for
    what they hold, each relative to the one outside it, as feedparser reads them."""
    source = tmp_path / "nested.rss"
    source.write_text(NESTED_BASES, encoding="utf-8")
    tide, other = read(retrieve(str(source)), options=ReaderOptions())
    parsed = feedparser.parse(source.read_bytes()).entries
    assert tide.url == parsed[0].link == "https://nested.example/news/2025/tide.html"
    # (the image stands as its own figure after the paragraph: compared without order)
    assert sorted(html_urls(tide.content_html or "")) == sorted(
        html_urls(parsed[0].content[0].value)
    ) == ["https://nested.example/static/tables/", "https://nested.example/static/tide.jpg"]
    assert [m.url for m in tide.media] == [
        "https://nested.example/static/tide.jpg",
        "https://cdn.nested.example/v/tide.mp4",
        "https://nested.example/news/2025/tide.mp3",
    ]
    # the channel's base is in scope for the second item too
    assert html_urls(other.content_html or "") == html_urls(parsed[1].summary) == [
        "https://nested.example/news/pic.jpg"
    ]  # fmt: skip


ATOM_CONTENT_BASE = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="site/">
  <title>Served</title><id>tag:served.example,2025:f</id>
  <updated>2025-03-14T09:00:00Z</updated><author><name>Desk</name></author>
  <entry xml:base="posts/">
    <title>Served entry</title><id>tag:served.example,2025:1</id>
    <link href="one/"/><updated>2025-03-14T09:00:00Z</updated>
    <content type="html" xml:base="../img/"
      >&lt;p&gt;Look. &lt;img src="one.png"&gt;&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_the_documents_own_url_is_the_outermost_base() -> None:
    """Fetched over http, relative xml:base values resolve against where the document came
    from, and an xml:base on <content> counts for the html it holds."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = ATOM_CONTENT_BASE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as server:
        location = f"{server}/feeds/served.atom"
        (entry,) = read(retrieve(location), options=ReaderOptions())
    (up,) = feedparser.parse(ATOM_CONTENT_BASE, response_headers={
        "content-location": location}).entries  # fmt: skip
    assert entry.url == up.link == f"{server}/feeds/site/posts/one/"
    assert [m.url for m in entry.media] == html_urls(up.content[0].value) == [
        f"{server}/feeds/site/img/one.png"
    ]  # fmt: skip


NO_BASE_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local</title><link>https://local.example/</link>
<description>News</description>
<item><title>Linked</title><link>https://local.example/news/linked.html</link>
<guid isPermaLink="false">l-1</guid><pubDate>Fri, 14 Mar 2025 09:00:00 +0000</pubDate>
<description>&lt;p&gt;Words. &lt;img src="linked.jpg"&gt;&lt;/p&gt;</description></item>
<item><title>Unlinked</title><guid isPermaLink="false">u-1</guid>
<pubDate>Fri, 14 Mar 2025 08:00:00 +0000</pubDate>
<description>&lt;p&gt;Words.&lt;/p&gt;</description>
<enclosure url="audio/one.mp3" type="audio/mpeg" length="10"/></item>
</channel></rss>
"""


def test_rss_without_xml_base_resolves_against_the_item_link_and_drops_what_stays_relative(
    tmp_path: Path,
) -> None:
    """No xml:base anywhere: an item's relative urls resolve against its link, as RSS readers
    always have. Media with nothing at all to resolve against is dropped with a warning, and
    the document is written, not refused for one relative url."""
    source = tmp_path / "local.rss"
    source.write_text(NO_BASE_RSS, encoding="utf-8")
    linked, unlinked = read(retrieve(str(source)), options=ReaderOptions())
    assert [m.url for m in linked.media] == ["https://local.example/news/linked.jpg"]
    assert unlinked.media == ()
    assert any("'audio/one.mp3' is relative" in w and "dropped it" in w
               for w in unlinked.provenance[0].warnings)  # fmt: skip
    for fmt in ("rss", "atom"):
        entries = feedparser.parse(export(source, fmt)).entries
        assert [e.get("enclosures", []) and e.enclosures[0].href for e in entries] == [
            "https://local.example/news/linked.jpg", []
        ], fmt  # fmt: skip


# --- RSS titles that hold html ------------------------------------------------------------------

HTML_TITLES = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Mill &amp;amp; Town News</title>
<link>https://mill.example/</link><description>News</description>
<item><title><![CDATA[<b>Breaking:</b> Fire at <i>mill</i>]]></title>
<guid>https://mill.example/1</guid><description>One.</description></item>
<item><title>Mayor&amp;#8217;s &amp;quot;plan&amp;quot; for R&amp;amp;D</title>
<guid>https://mill.example/2</guid><description>Two.</description></item>
<item><title>Fish &amp;amp; chips</title>
<guid>https://mill.example/3</guid><description>Three.</description></item>
<item><title>Why 3 &lt; 5</title>
<guid>https://mill.example/4</guid><description>Four.</description></item>
<item><title>Vector&lt;int&gt; beats &lt;T&gt; &amp; AT&amp;T</title>
<guid>https://mill.example/5</guid><description>Five.</description></item>
</channel></rss>
"""

SHOWN = ["Breaking: Fire at mill", "Mayor’s \"plan\" for R&D", "Fish & chips", "Why 3 < 5",
         "Vector<int> beats <T> & AT&T"]


def shown(html: str) -> str:
    """What a reader shows of an html title: its text."""
    return " ".join(lxml_html.fragment_fromstring(html, create_parent="div").text_content().split())


def test_rss_titles_holding_html_are_read_as_readers_show_them(tmp_path: Path) -> None:
    """feedparser takes RSS titles as html, so shows the headline's text with its entities
    decoded once; our Atom titles (type text) and JSON titles must show the same, not the tags
    and entities literally. A `<` that is text stays, and so do `<int>` and `<T>`, which no
    html element is called."""
    source = tmp_path / "titles.rss"
    source.write_text(HTML_TITLES, encoding="utf-8")
    parsed = feedparser.parse(source.read_bytes())
    assert [shown(e.title) for e in parsed.entries[:3]] == SHOWN[:3]  # the upstream, read
    entries = read(retrieve(str(source)), options=ReaderOptions())
    assert [e.title for e in entries] == SHOWN
    assert {c.agent.name for e in entries for c in e.credits} == {"Mill & Town News"}
    by_link = dict(zip([e.id for e in parsed.entries], SHOWN, strict=True))
    atom = feedparser.parse(export(source, "atom"))
    assert {e.link: e.title for e in atom.entries} == by_link
    assert all(e.title_detail.type == "text/plain" for e in atom.entries)
    items = json.loads(export(source, "json"))["items"]
    assert {i["url"]: i["title"] for i in items} == by_link


def test_our_own_rss_titles_read_back_as_written(tmp_path: Path) -> None:
    """Our RSS writes titles as text and carries our record: a title that spells a tag or an
    entity (`&amp;`, `<b>`) comes back as it went in."""
    source = tmp_path / "ours.json"
    source.write_text(json.dumps({
        "title": "How the <b> tag &amp; &lt; work", "body": "Some text of the story.",
        "url": "https://mill.example/tags"}), encoding="utf-8")  # fmt: skip
    (original,) = read(retrieve(str(source)), options=ReaderOptions())
    ours = tmp_path / "ours.rss"
    ours.write_bytes(export(source, "rss"))
    (back,) = read(retrieve(str(ours)), options=ReaderOptions())
    assert back.title == original.title == "How the <b> tag &amp; &lt; work"


# --- JSON Feed external_url ---------------------------------------------------------------------

LINKBLOG = {
    "version": "https://jsonfeed.org/version/1.1", "title": "Links",
    "home_page_url": "https://links.example/",
    "items": [
        {"id": "link-1", "external_url": "https://tides.example/tables/2025",
         "title": "The tide tables for 2025", "content_text": "Worth bookmarking.",
         "date_published": "2025-03-14T09:00:00Z"},
        {"id": "link-2", "url": "https://links.example/2025/03/ferries",
         "external_url": "https://ferries.example/timetable",
         "title": "Ferry timetable", "content_text": "New sailings from April.",
         "date_published": "2025-03-13T09:00:00Z"},
    ],
}  # fmt: skip


def test_a_json_feed_items_external_url_is_its_link_when_it_has_no_url(tmp_path: Path) -> None:
    """JSON Feed 1.1: external_url is the page the item is about. An item with no url of its
    own links there in every format; one with a url keeps its own (the entry has one link),
    and its provenance names the external_url left out."""
    source = tmp_path / "links.json"
    source.write_text(json.dumps(LINKBLOG), encoding="utf-8")
    linked, own = read(retrieve(str(source)), options=ReaderOptions())
    assert linked.url == "https://tides.example/tables/2025"
    assert own.url == "https://links.example/2025/03/ferries"
    assert any("external_url 'https://ferries.example/timetable' left out" in w
               for w in own.provenance[0].warnings)  # fmt: skip
    wanted = {"The tide tables for 2025": linked.url, "Ferry timetable": own.url}
    for fmt in ("rss", "atom"):
        entries = feedparser.parse(export(source, fmt)).entries
        assert {e.title: e.get("link") for e in entries} == wanted, fmt
    items = json.loads(export(source, "json"))["items"]
    assert {i["title"]: i.get("url") for i in items} == wanted
