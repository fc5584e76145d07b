"""Content html: what our readers render from plain text skips the second sanitising pass only
where nh3 would give it back unchanged; html from outside (pages, feeds, markdown) is always
sanitised."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedwright.model import Agent, Block, BlockKind, Credit, Media, MediaKind, Role
from feedwright.normalise.html import needs_sanitising, render_blocks, render_content, sanitise
from feedwright.sources import ReaderOptions, read, retrieve
from tests.helpers import FIXTURES, TEXT_FIXTURES, read_one

# Any character at all, with the ones html and XML treat specially drawn often.
TEXT = st.text(st.one_of(st.characters(), st.sampled_from("<>&\"' \n\r\t\xa0\ufeff\x00\x0c;#")),
               max_size=40)


@st.composite
def plain_body(draw: st.DrawFn) -> tuple[list[Block], list[Media]]:
    """Blocks as the text reader makes them (text only, no html) and figures without urls."""
    media = [Media(f"m{n}", draw(st.sampled_from(list(MediaKind))), None,
                   caption=draw(st.none() | TEXT), alt=draw(st.none() | TEXT),
                   credits=tuple(Credit(Agent(draw(TEXT)), draw(st.sampled_from(list(Role))),
                                        f"m{n}", raw=draw(TEXT))
                                 for _ in range(draw(st.integers(0, 2)))))
             for n in range(draw(st.integers(0, 3)))]
    kinds = st.sampled_from([k for k in BlockKind if k is not BlockKind.FIGURE])
    blocks = [Block(draw(kinds), draw(TEXT), items=tuple(draw(st.lists(TEXT, max_size=3))),
                    level=draw(st.integers(0, 7))) for _ in range(draw(st.integers(0, 4)))]
    for m in media:
        blocks.insert(draw(st.integers(0, len(blocks))), Block(BlockKind.FIGURE, media_id=m.id))
    return blocks, media


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plain_body())
def test_html_rendered_from_plain_text_that_skips_nh3_is_what_nh3_gives(
        body: tuple[list[Block], list[Media]]) -> None:
    blocks, media = body
    html = render_blocks(blocks, media)
    if not needs_sanitising(blocks, media, html):
        assert sanitise(html) == html
    # and what the readers get is, byte for byte, what sanitising everything gave
    assert render_content(blocks, media, "https://example.org/a/") == sanitise(
        html, "https://example.org/a/")


@pytest.mark.parametrize("path", [*TEXT_FIXTURES, *sorted((FIXTURES / "house").glob("*.txt"))],
                         ids=lambda p: p.name)
def test_text_sources_skip_the_second_pass_and_give_the_same_html(path: Path) -> None:
    entry = read_one(path)
    html = render_blocks(entry.blocks, entry.media)
    assert entry.content_html == sanitise(html)
    assert not needs_sanitising(entry.blocks, entry.media, html)


def test_html_from_outside_is_always_sanitised(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>Harbour story</title></head><body><article><h1>Harbour story</h1>"
        "<p>The council met <a href='javascript:alert(1)' onclick='steal()'>today</a> and"
        " voted.<script>alert(2)</script></p>"
        "<p>It will <b onmouseover='x()'>report</b> back in a month, the mayor said.</p>"
        "<figure><img src='pic.jpg' onerror='boom()' alt='the harbour'>"
        "<figcaption>The harbour. Photo: Jane Doe</figcaption></figure>"
        "</article></body></html>", encoding="utf-8")
    (entry,) = read(retrieve(str(page)), options=ReaderOptions())
    html = entry.content_html or ""
    assert "today" in html and "report" in html
    for active in ("javascript:", "onclick", "onmouseover", "onerror", "<script", "alert(2)"):
        assert active not in html
    assert needs_sanitising(entry.blocks, entry.media, render_blocks(entry.blocks, entry.media))


def test_markup_sources_take_the_sanitising_pass() -> None:
    """Every entry of the markdown and html fixtures with markup or urls from the source (most
    of them) goes through nh3."""
    marked = 0
    for path in [*sorted((FIXTURES / "markdown").glob("*.md")),
                 *sorted((FIXTURES / "html").glob("*.html"))]:
        for entry in read(retrieve(str(path)), options=ReaderOptions()):
            if any(b.html is not None for b in entry.blocks) or any(m.url for m in entry.media):
                marked += 1
                html = render_blocks(entry.blocks, entry.media)
                assert needs_sanitising(entry.blocks, entry.media, html), path.name
    assert marked >= 8
