"""Preformatted text (`<pre>`, a Markdown code fence) keeps its line breaks and spaces from the
source to what feed clients show: one PREFORMATTED block, rendered as `<pre>` (with `<code>`
inside when it was code), through the sanitiser, our validator and every format, and read back
by feedparser, reader and our own feed reader as the same lines."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import lxml.html
import pytest

from feedwright.emit import FORMATS, emit
from feedwright.model import BlockKind, Entry
from feedwright.sources import ReaderOptions, read, retrieve
from feedwright.validate import validate_document
from tests.helpers import make_feed
from tests.test_client_matrix import CLIENT_FIELDS, PYTHON_CLIENTS

FORMULA = (
    "rate = capital_value * 0.0031\nif rate < minimum:\n    rate = minimum   # & never below it"
)
CODE = "def levy(rate):\n\treturn rate * 1.15\n\n\n# two blank lines above"

PAGE = f"""<!doctype html><html><head><title>New rates formula</title></head><body><article>
<h1>New rates formula</h1>
<p>The council published the new rates formula on Tuesday, after a debate in the chamber that
ran late into the evening and drew a full public gallery of residents and business owners.</p>
<pre>{FORMULA.replace("&", "&amp;").replace("<", "&lt;")}</pre>
<p>Councillors said the formula would be reviewed next year, once the first bills had gone out
and ratepayers had had time to respond to the changes in the way the levy is worked out.</p>
</article></body></html>"""

MARKDOWN = f"""---
title: The levy in code
date: 2025-03-12T06:04:00+13:00
---
The finance team published the levy as a function:

```python
{CODE}
```

It applies from July.
"""


def _sources(folder: Path) -> list[Path]:
    page = folder / "rates.html"
    page.write_text(PAGE, "utf-8")
    note = folder / "levy.md"
    note.write_text(MARKDOWN, "utf-8")
    return [page, note]


def _preformatted(entry: Entry) -> list[tuple[str, str | None]]:
    return [(b.text, b.html) for b in entry.blocks if b.kind is BlockKind.PREFORMATTED]


def _shown(content: str) -> list[tuple[str, bool]]:
    """Each <pre>'s text as a client shows it, and whether it holds <code>."""
    body = lxml.html.fragment_fromstring(content, create_parent="div")
    return [(p.text_content().strip("\n"), p.find("code") is not None) for p in body.iter("pre")]


def test_readers_keep_preformatted_text_as_one_block_with_its_line_breaks(tmp_path: Path) -> None:
    page, note = _sources(tmp_path)
    options = ReaderOptions(timezone="Pacific/Auckland")
    (from_page,) = read(retrieve(str(page)), options=options)
    (from_markdown,) = read(retrieve(str(note)), options=options)
    # trafilatura keeps a bare <pre>: no code markup; a Markdown fence is code
    assert _preformatted(from_page) == [(FORMULA, None)]
    escaped = CODE.replace("&", "&amp;").replace("<", "&lt;")
    assert _preformatted(from_markdown) == [(CODE, f"<code>{escaped}</code>")]
    assert _shown(from_page.content_html or "") == [(FORMULA, False)]
    assert _shown(from_markdown.content_html or "") == [(CODE, True)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_carries_preformatted_text_to_clients(fmt: str, tmp_path: Path) -> None:
    feed = make_feed(_sources(tmp_path), ReaderOptions(timezone="Pacific/Auckland"))
    feed = dataclasses.replace(feed, self_url=f"https://feedwright.test/feed.{fmt}")
    document = emit(feed, fmt)
    report = validate_document(document)
    assert [(i.rule, i.message) for i in report.issues] == []
    path = tmp_path / "out" / f"feed.{fmt}"
    path.parent.mkdir()
    path.write_bytes(document)
    want = sorted([(FORMULA, False), (CODE, True)])
    clients = [name for name in PYTHON_CLIENTS if "content" in CLIENT_FIELDS[name].get(fmt, ())]
    assert clients  # reader reads every format
    for name in clients:
        shown = sorted(s for item in PYTHON_CLIENTS[name](path) for s in _shown(item.content or ""))
        assert shown == want, name
    back = read(retrieve(str(path)), kind="feed", options=ReaderOptions())
    assert sorted(t for e in back for t, _ in _preformatted(e)) == sorted([FORMULA, CODE])
