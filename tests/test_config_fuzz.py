"""Any value in a feed's TOML (issue 14): strings with any character, any float, odd urls, time
zones, authors. `build` either publishes valid documents or stops with a configuration error
(exit 2) that names the key; it never fails later, at emit or validation, and never crashes."""

from __future__ import annotations

import json
import math
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedwright.build import run_build

ARTICLE = "Harbour bridge to close\n\nBy Jane Smith\n\n6:04 am on 12 March 2025\n\nThe bridge " \
          "closes on Sunday for repairs.\n"
BASE = {
    "title": "Test News",
    "link": "https://news.example/",
    "tag_authority": "news.example,2026",
    "sources": ["../articles/*.txt"],
    "base_url": "https://news.example/feeds/",
}


def toml_value(value: object) -> str:
    """A TOML literal for a str, float, int or bool (TOML's escapes are JSON's, plus \\u for
    every control character, which json.dumps already writes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    assert isinstance(value, str)
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


# Every character but lone surrogates (TOML cannot hold them), weighted towards the ones that
# break feeds: controls, non-characters, markup and quotes.
any_char = st.characters(exclude_categories=("Cs",))
nasty_char = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff", "<",
                              "&", "]", ">", '"', "\\", " ", "\t", "\n", "\u2028", "\U0001f600"])
text = st.text(st.one_of(any_char, nasty_char), max_size=40)
host = st.one_of(st.sampled_from(["news.example", "exa mple.org", "exa_mple.org", "bücher.example",
                                  "xn--bcher-kva.example", "127.0.0.1", "[::1]", "", "a..b",
                                  "-x.org", "news.example:99999", "news.example:8080",
                                  "user@news.example"]),
                 st.text(max_size=15))
url = st.one_of(
    st.builds(lambda scheme, h, path: f"{scheme}{h}/{path}",
              st.sampled_from(["https://", "http://", "ftp://", "", "//", "javascript:", "HTTPS://"]),
              host, st.text(max_size=15)),
    text,
)
zone = st.one_of(st.sampled_from(["UTC", "Pacific/Auckland", "America", "Etc/GMT+5", "posixrules",
                                  "../etc/passwd", "Mars/Olympus", "", "a" * 300, "UTC\x00"]), text)
number = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.booleans())
authority = st.one_of(st.builds(lambda h, d: f"{h},{d}", host,
                                st.sampled_from(["2026", "2026-02-29", "2024-02-29", "2026-13-45",
                                                 "0000", "2026-1", "99999"])), text)

language = st.one_of(st.sampled_from(["en", "en-NZ", "mi", "xx", "qaa", "EN-nz", "en-", "zz-ZZ",
                                      "i-klingon", "x-private", "de-1996", "sgn-BE-FR"]), text)

KEYS = {
    "title": text, "description": text, "rights": text, "link": url, "base_url": url,
    "icon": url, "sources_base_url": url, "timezone": zone, "language": language,
    "tag_authority": authority, "id": st.one_of(url, text), "deleted_grace_days": number,
    "limit": number, "content": text, "authors.name": text, "authors.url": url,
    "authors.email": text, "page": number, "stylesheet": number,
}
values = st.one_of(text, number)  # any key may also get a value of another type


def feed_toml(key: str, value: object) -> str:
    top = dict(BASE)
    author = {"name": "Newsroom"}
    if key.startswith("authors."):
        author[key.split(".", 1)[1]] = value  # type: ignore[assignment]
    else:
        top[key] = value  # type: ignore[assignment]
    lines = [f"{k} = {toml_value(v) if not isinstance(v, list) else json.dumps(v)}"
             for k, v in top.items()]
    lines += ["", "[[authors]]"] + [f"{k} = {toml_value(v)}" for k, v in author.items()]
    return "\n".join(lines) + "\n"


@st.composite
def feed_files(draw: st.DrawFn) -> tuple[str, object]:
    key = draw(st.sampled_from(sorted(KEYS)))
    value = draw(st.one_of(KEYS[key], values))
    return key, value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feed_files())
def test_build_publishes_or_names_the_key_never_anything_else(case: tuple[str, object]) -> None:
    key, value = case
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root)
        (folder / "feeds").mkdir()
        (folder / "articles").mkdir()
        (folder / "articles" / "a.txt").write_text(ARTICLE, encoding="utf-8")
        (folder / "feeds" / "news.toml").write_text(feed_toml(key, value), encoding="utf-8")
        report = run_build(folder / "feeds", now=lambda: datetime(2026, 3, 1, tzinfo=UTC))
        if report.exit_code == 2:
            (error,) = report.config_errors
            name = key.split(".")[-1]
            assert "news.toml" in error and (f"'{name}'" in error or f"'{key}'" in error), error
            return
        assert report.exit_code == 0, (key, value, report.to_json())
        (feed,) = report.feeds
        names = {Path(p).name for p in feed.written}
        assert feed.ok and {"news.rss.xml", "news.atom.xml", "news.json"} <= names, feed.to_json()
