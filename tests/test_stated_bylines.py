"""An author stated in metadata as a byline (`"name": "By TOM KRISHER, AP Auto Writer"` in a
page's JSON-LD, `"author": "Jane Doe, AAP reporter"` in an export) is read as every byline is
(normalise/credits.parse_author): the person, with the role the byline gives, and the wire as a
source credit; never a person called "By TOM KRISHER, AP Auto Writer". What a feed client shows
as the item's author is the person."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from feedwright.emit import emit
from feedwright.model import AgentKind, Entry, Role
from feedwright.sources import ReaderOptions, read, retrieve
from tests.helpers import make_feed

NZ = ReaderOptions(timezone="Pacific/Auckland")
BODY = (
    "<p>Carmakers are cutting prices on electric vehicles as sales slow across the country, "
    "dealers said on Tuesday, with some models now thousands of dollars cheaper than a year ago."
    "</p><p>The cuts come as the industry waits for new emissions rules to take effect next year "
    "and buyers hold off on big purchases while interest rates stay high.</p>"
)


def _page(folder: Path, author: object) -> Path:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Carmakers cut electric vehicle prices",
        "datePublished": "2025-04-01T09:00:00-04:00",
        "author": author,
    }
    path = folder / "story.html"
    path.write_text(
        "<!doctype html><html><head><title>Carmakers cut electric vehicle prices</title>"
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body><article>'
        f"<h1>Carmakers cut electric vehicle prices</h1>{BODY}</article></body></html>",
        "utf-8",
    )
    return path


def _export(folder: Path, author: object) -> Path:
    path = folder / "story.json"
    record = {"title": "Carmakers cut electric vehicle prices", "author": author,
              "published": "2025-04-01T09:00:00-04:00", "content_html": BODY}
    path.write_text(json.dumps(record), "utf-8")
    return path


def _credits(entry: Entry) -> list[tuple[Role, str, AgentKind, str | None]]:
    return [(c.role, c.agent.name, c.agent.kind, c.agent.url) for c in entry.credits]


KRISHER = "By TOM KRISHER, AP Auto Writer"


@pytest.mark.parametrize("source", [_page, _export], ids=["json-ld", "json-export"])
@pytest.mark.parametrize(
    ("author", "want"),
    [
        # an object: its type and url stay with the person, the wire is the source
        ({"@type": "Person", "name": KRISHER, "url": "https://apnews.example/tom"},
         [(Role.AUTHOR, "Tom Krisher", AgentKind.PERSON, "https://apnews.example/tom"),
          (Role.SOURCE, "AP", AgentKind.ORGANIZATION, None)]),
        (KRISHER, [(Role.AUTHOR, "Tom Krisher", AgentKind.PERSON, None),
                   (Role.SOURCE, "AP", AgentKind.ORGANIZATION, None)]),
        ({"@type": "Person", "name": "Jane Doe, AAP reporter"},
         [(Role.REPORTER, "Jane Doe", AgentKind.PERSON, None),
          (Role.SOURCE, "AAP", AgentKind.ORGANIZATION, None)]),
        ([{"@type": "Person", "name": "By Tess Ikonomou and Ben Carter, AAP"}],
         [(Role.AUTHOR, "Tess Ikonomou", AgentKind.PERSON, None),
          (Role.AUTHOR, "Ben Carter", AgentKind.PERSON, None),
          (Role.SOURCE, "AAP", AgentKind.ORGANIZATION, None)]),
        ("Troy L. Smith, Cleveland.com",  # a site's name after the comma: whom he writes for
         [(Role.AUTHOR, "Troy L. Smith", AgentKind.PERSON, None),
          (Role.SOURCE, "Cleveland.com", AgentKind.ORGANIZATION, None)]),
        # a generational suffix after a comma is the person's name, not a second author
        ({"@type": "Person", "name": "Martin Luther King, Jr.", "url": "https://news.example/mlk"},
         [(Role.AUTHOR, "Martin Luther King, Jr.", AgentKind.PERSON, "https://news.example/mlk")]),
        ({"name": "Martin Luther King, Jr."},
         [(Role.AUTHOR, "Martin Luther King, Jr.", AgentKind.PERSON, None)]),
        ("By Sammy Davis Jr. and Harry Connick, Jr.",
         [(Role.AUTHOR, "Sammy Davis Jr.", AgentKind.PERSON, None),
          (Role.AUTHOR, "Harry Connick, Jr.", AgentKind.PERSON, None)]),
        # a plain name and an organisation stay as stated
        ({"@type": "Person", "name": "Kate Green", "url": "https://news.example/kate"},
         [(Role.AUTHOR, "Kate Green", AgentKind.PERSON, "https://news.example/kate")]),
        ({"@type": "Organization", "name": "Associated Press"},
         [(Role.AUTHOR, "Associated Press", AgentKind.ORGANIZATION, None)]),
        ({"@type": "Organization", "name": "Fairfax Media, Inc"},  # a firm's name, no byline
         [(Role.AUTHOR, "Fairfax Media, Inc", AgentKind.ORGANIZATION, None)]),
    ],
)
def test_a_stated_author_is_read_as_a_byline(source, author, want, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (entry,) = read(retrieve(str(source(tmp_path, author))), options=NZ)
    assert _credits(entry) == want
    assert [a.name for a in entry.authors] == [n for r, n, _, _ in want if r is not Role.SOURCE]
    raw = author[0]["name"] if isinstance(author, list) else author
    raw = raw["name"] if isinstance(raw, dict) else raw
    assert {c.raw for c in entry.credits} == {raw}  # each keeps the text as stated


def test_feed_clients_show_the_person_as_the_author(tmp_path: Path) -> None:
    page = _page(tmp_path, {"@type": "Person", "name": KRISHER})
    feed = make_feed([page], NZ)
    parsed = feedparser.parse(emit(feed, "rss"))
    assert [e.get("author") for e in parsed.entries] == ["Tom Krisher"]
