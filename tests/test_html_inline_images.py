"""An <img> in an html page's running text (which trafilatura drops) is kept: a figure after
its paragraph, as every body reader places one, with its alt text and its url made absolute, so
feed clients show it and every format lists it. One whose url is no url is dropped with a
warning, as a figure's is; icons, emoji and thumbnails in a line of text, and pictures beside a
teaser's link, are no pictures of the article. Figures keep their captions and credits."""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.html

from feedwright.emit import emit
from feedwright.model import BlockKind, Entry
from feedwright.sources import ReaderOptions, read, retrieve
from tests.helpers import make_feed

BASE = ReaderOptions(timezone="Pacific/Auckland", base_url="https://news.example/story/")

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Ferry service returns</title>
</head><body><nav><a href="/"><img src="/img/logo.png" alt="News home"></a></nav><article>
<h1>Ferry service returns</h1>
<p>The harbour ferry <img src="../img/ferry.jpg" alt="The ferry at Queens Wharf" width="640"
height="400"> returns to service on Monday after a six-month refit, the regional council said
on Friday, with two extra sailings on weekday mornings.</p>
<p>Commuters welcomed the news <img class="emoji" alt="&#x1F600;" src="/emoji/1f600.png"
style="height: 1em; width: 1em"> and the council's transport chair said the refit had come in
under budget, with the new engines using a third less fuel.</p>
<figure><img src="/img/wharf.jpg" alt="Queens Wharf"><figcaption>The wharf at dawn.
<span class="credit">Photo: Tom Ellery/Getty Images</span></figcaption></figure>
<p>Timetables are on the council's website <img data-src='{"sizes":[1,2]}'
src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="a timetable"> and at the terminal,
where ticket machines have been replaced with card readers that take contactless payments.</p>
<p>Fares stay the same until July <img src="https://news.example/img/fares-chart.png"
alt="Fares by zone" width="80" height="60">, when the council reviews every public
transport fare in the region for the first time since the pandemic.</p>
</article><aside><p>More stories <img src="/img/teaser.jpg" alt="Another story"> to read
about the harbour and the region's ferries and buses.</p></aside></body></html>"""


def _page(tmp_path: Path) -> Path:
    path = tmp_path / "ferry.html"
    path.write_text(PAGE, "utf-8")
    return path


def _outline(entry: Entry) -> list[str]:
    return [b.kind.value if b.kind is BlockKind.FIGURE else b.text.split()[0]
            for b in entry.blocks if b.kind is not BlockKind.HEADING]


def test_an_inline_image_is_kept_after_its_paragraph(tmp_path: Path) -> None:
    (entry,) = read(retrieve(str(_page(tmp_path))), options=BASE)
    assert _outline(entry) == ["The", "figure", "Commuters", "figure", "Timetables", "Fares"]
    ferry, wharf = entry.media
    assert (ferry.url, ferry.alt, ferry.caption) == (
        "https://news.example/img/ferry.jpg", "The ferry at Queens Wharf", None)
    # the figure beside it keeps its caption and its credit
    credits = [(c.role.value, c.agent.name, c.on_behalf_of and c.on_behalf_of.name)
               for c in wharf.credits]
    assert (wharf.caption, credits) == (
        "The wharf at dawn.", [("photographer", "Tom Ellery", "Getty Images")])
    # the paragraph keeps every word; the picture stands after it, in the content html
    assert entry.blocks[0].text.startswith("The harbour ferry returns to service on Monday")
    body = lxml.html.fragment_fromstring(entry.content_html or "", create_parent="div")
    shown = [(i.get("src"), i.get("alt")) for i in body.iter("img")]
    assert shown == [("https://news.example/img/ferry.jpg", "The ferry at Queens Wharf"),
                     ("https://news.example/img/wharf.jpg", "Queens Wharf")]
    # a lazy loader's JSON is no url: passed over, and said so
    assert any("is not a url" in w for w in entry.provenance[0].warnings)


def test_an_inline_image_with_no_usable_url_is_dropped_with_a_warning(tmp_path: Path) -> None:
    """Without a base url a relative src cannot be made absolute: the image, which has nothing
    else to show, goes, with a warning naming it; the figure keeps its caption and credit."""
    (entry,) = read(retrieve(str(_page(tmp_path))), options=ReaderOptions())
    assert [m.caption for m in entry.media] == ["The wharf at dawn."]
    assert entry.media[0].url is None and entry.media[0].credits
    warnings = entry.provenance[0].warnings
    assert any("'../img/ferry.jpg' is relative" in w and "dropped it" in w for w in warnings)
    assert "ferry.jpg" not in (entry.content_html or "")


def test_feed_clients_show_the_inline_image(tmp_path: Path) -> None:
    feed = make_feed([_page(tmp_path)], BASE)
    parsed = feedparser.parse(emit(feed, "rss"))
    (item,) = parsed.entries
    assert 'src="https://news.example/img/ferry.jpg"' in item.content[0].value
    assert [e.get("href") for e in item.get("enclosures", [])] == [
        "https://news.example/img/ferry.jpg"]
