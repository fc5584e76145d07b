"""The html body reader every fragment reader shares (html pages after extraction, Markdown, JSON
exports, feed items): media elements, fallbacks, preformatted text, tables and line-break
paragraphs, each from a small fragment in tests/fragments/."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from feedwright.model import Block, BlockKind, Media, MediaKind, Role
from feedwright.normalise.html import render_content
from feedwright.sources.htmlbody import read_fragment

FRAGMENTS = Path(__file__).parent / "fragments"
BASE = "https://news.example/story/"


def read(name: str) -> tuple[list[Block], list[Media]]:
    return read_fragment((FRAGMENTS / name).read_text("utf-8"), BASE)


def outline(blocks: list[Block]) -> list[tuple[str, str]]:
    return [(b.kind.value, b.media_id or b.text) for b in blocks]


def credits(media: Media) -> list[tuple[Role, str, str]]:
    return [(c.role, c.agent.name, c.raw) for c in media.credits]


def test_video_from_its_sources_and_its_src() -> None:
    blocks, media = read("video.html")
    assert outline(blocks) == [("paragraph", "Floodwater rose through the night."),
                               ("figure", "m1"), ("figure", "m2")]
    flood, short = media
    # the first <source> that has a src, with its type; the credit cut off the caption
    assert (flood.kind, flood.url, flood.mime_type, flood.caption) == (
        MediaKind.VIDEO, "https://news.example/video/flood.webm", "video/webm",
        "The river at dawn.")
    assert credits(flood) == [(Role.VIDEOGRAPHER, "Aroha Smith", "Video: Aroha Smith")]
    assert (short.kind, short.url) == (MediaKind.VIDEO, "https://news.example/story/clips/short.mp4")
    shown = lxml.html.fragment_fromstring(render_content(blocks, media), create_parent="div")
    assert [v.get("src") for v in shown.iter("video")] == [flood.url, short.url]


def test_audio_bare_and_in_a_figure() -> None:
    blocks, media = read("audio.html")
    assert outline(blocks) == [("paragraph", "Listen to the interview."), ("figure", "m1"),
                               ("figure", "m2")]
    interview, birdsong = media
    assert (interview.kind, interview.url, interview.mime_type) == (
        MediaKind.AUDIO, "https://cdn.example/audio/interview.mp3", "audio/mpeg")
    assert (birdsong.kind, birdsong.url, birdsong.caption) == (
        MediaKind.AUDIO, "https://news.example/audio/birdsong.ogg", "Tūī at the reserve")
    assert credits(birdsong) == [(Role.SOURCE, "RNZ", "(Source: RNZ)")]


def test_picture_sources() -> None:
    blocks, media = read("picture.html")
    assert outline(blocks) == [("figure", "m1"), ("figure", "m2")]
    harbour, wharf = media
    # only a placeholder <img>: the widest srcset candidate of the <source>, with its type
    assert (harbour.kind, harbour.url, harbour.mime_type) == (
        MediaKind.IMAGE, "https://news.example/img/harbour-1600.webp", "image/webp")
    # a real <img>: that, the format every reader can show, over the <source>s for browsers
    # that choose by format
    assert (wharf.url, wharf.alt, wharf.caption) == (
        "https://news.example/img/wharf-640.jpg", "The wharf at low tide", "The wharf.")
    assert credits(wharf) == [(Role.PHOTOGRAPHER, "Tom Ellery", "Photo: Tom Ellery/Getty Images")]
    assert wharf.credits[0].on_behalf_of is not None
    assert wharf.credits[0].on_behalf_of.name == "Getty Images"


def test_noscript_gives_a_lazy_image_its_url_and_is_otherwise_dropped() -> None:
    blocks, media = read("noscript.html")
    assert outline(blocks) == [
        ("paragraph", "The bridge reopened on Monday."), ("figure", "m1"),
        ("paragraph", "Tolls stay off until June."),
    ]  # the "enable JavaScript" notice is not body text
    (bridge,) = media
    assert (bridge.url, bridge.alt, bridge.caption) == (
        "https://news.example/img/bridge.jpg", "Cars cross the bridge", "Traffic returns.")
    assert credits(bridge) == [(Role.PHOTOGRAPHER, "Rua Hēnare", "Picture: Rua Hēnare")]


def test_preformatted_text_keeps_its_lines_and_spaces() -> None:
    blocks, _ = read("pre.html")
    intro, code = blocks
    assert intro.text == "The council published the new rates formula:"
    assert code.kind is BlockKind.PREFORMATTED
    assert code.text == ("rate = capital_value * 0.0031\nif rate < minimum:\n"
                         "    rate = minimum   # & never below it")
    assert code.html is None  # no <code> in the source
    assert ("<pre>rate = capital_value * 0.0031\nif rate &lt; minimum:\n"
            "    rate = minimum   # &amp; never below it</pre>") in render_content(blocks, [])


def test_code_in_preformatted_text_stays_code_without_a_highlighters_markup() -> None:
    (code,) = read_fragment(
        '<pre>\n<code class="language-py"><span class="k">def</span> f():<br>'
        "    return 1\r\n</code>\n\n</pre>", BASE)[0]
    assert (code.kind, code.text) == (BlockKind.PREFORMATTED, "def f():\n    return 1")
    assert render_content([code], []) == "<pre><code>def f():\n    return 1</code></pre>"


def test_a_table_is_one_paragraph_a_row_without_empty_rows() -> None:
    blocks, _ = read("table.html")
    assert outline(blocks) == [
        ("paragraph", "Results by ward:"), ("paragraph", "Ward | For | Against"),
        ("paragraph", "Northern | 3 | 1"), ("paragraph", "Lambton & Motukairangi | 2 | 2"),
    ]


def test_double_line_breaks_split_paragraphs_and_a_single_one_reads_as_a_space() -> None:
    blocks, _ = read("br-paragraphs.html")
    assert outline(blocks) == [
        ("paragraph", "The storm reached the coast at noon."),
        ("paragraph", "Power was cut to 4,000 homes in the Hutt Valley."),
        ("paragraph", "Crews expect to restore it tonight."),
    ]
    assert blocks[1].html == "Power was cut to\n4,000 homes<br>in the Hutt Valley."
    assert blocks[2].html == "Crews expect to <em>restore</em> it tonight."


def test_an_image_inside_running_text_becomes_a_figure_after_its_paragraph() -> None:
    """Not silently lost: shown (and carried as media by every format) after the text it sat in;
    the paragraph keeps its words."""
    blocks, media = read("inline-image.html")
    assert outline(blocks) == [("paragraph", "Residents can speak for three minutes each."),
                               ("figure", "m1"), ("figure", "m2")]
    assert "<img" not in (blocks[0].html or "")
    assert [(m.kind, m.url, m.alt) for m in media] == [
        (MediaKind.IMAGE, "https://news.example/story/icons/speaker.png", "a speaker icon"),
        (MediaKind.IMAGE, "https://news.example/img/chamber.jpg", "The council chamber"),
    ]
    html = render_content(blocks, media)
    assert "onerror" not in html and html.count("<figure") == 2
