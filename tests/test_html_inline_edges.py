"""Inline pictures beside a script: a script's text is no running text of the article, so an
<img> whose paragraph holds nothing else is no inline picture, and one whose paragraph goes on
after a script still is."""

from __future__ import annotations

from pathlib import Path

from feedwright.sources import read, retrieve
from tests.test_html_inline_images import BASE, PAGE, _outline

FARES = ('<p>Fares stay the same until July <img src="https://news.example/img/fares-chart.png"\n'
         'alt="Fares by zone" width="80" height="60">, when the council reviews every public\n'
         "transport fare in the region for the first time since the pandemic.</p>")
CHART = '<img src="https://news.example/img/fares-chart.png" alt="Fares by zone" width="640">'


def read_page(tmp_path: Path, fares: str) -> tuple[list[str], list[str | None]]:
    assert FARES in PAGE
    path = tmp_path / "ferry.html"
    path.write_text(PAGE.replace(FARES, fares), "utf-8")
    (entry,) = read(retrieve(str(path)), options=BASE)
    return _outline(entry), [m.url for m in entry.media]


def test_an_image_whose_paragraph_holds_only_a_script_is_no_inline_picture(
        tmp_path: Path) -> None:
    outline, urls = read_page(tmp_path, f'<p>{CHART}<script>document.write("fares are changing '
                                        'soon for everyone")</script></p><p>Fares stay the same '
                                        "until July, when the council reviews every fare.</p>")
    assert outline[-1] == "Fares"
    assert "https://news.example/img/fares-chart.png" not in urls


def test_an_image_in_words_after_a_script_is_an_inline_picture(tmp_path: Path) -> None:
    outline, urls = read_page(tmp_path, f"<p><script>track()</script> Fares stay the same until "
                                        f"July {CHART}, when the council reviews every fare in "
                                        "the region for the first time since the pandemic.</p>")
    assert outline[-2:] == ["Fares", "figure"]
    assert urls[-1] == "https://news.example/img/fares-chart.png"
