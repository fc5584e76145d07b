"""RSS keeps the feed-level author, which has no e-mail address (RSS's managingEditor needs one
and we never invent one): one channel-level dc:creator naming every feed author, which
feedparser and reader show as the feed's author and our validator (like W3C's) accepts. Atom's
feed-level author names them all in one element too: of several, those clients keep the last."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from reader import make_reader

from feedwright.emit import emit
from feedwright.formats import NS_DC
from feedwright.model import Agent, AgentKind, Feed
from feedwright.validate import validate_document
from tests.helpers import SEED, make_feed

DESK = Agent("Wellington desk", AgentKind.ORGANIZATION, "https://feedwright.test/desk")
EDITOR = Agent("Aroha Smith", AgentKind.PERSON, email="aroha@feedwright.test")


def _rss(authors: tuple[Agent, ...]) -> tuple[Feed, bytes]:
    feed = dataclasses.replace(
        make_feed([SEED]), authors=authors, self_url="https://feedwright.test/feed.rss"
    )
    return feed, emit(feed, "rss")


def _reader_author(document: bytes, folder: Path, name: str = "feed.rss") -> str | None:
    (folder / name).write_bytes(document)
    reader = make_reader(":memory:", feed_root=str(folder))
    try:
        reader.add_feed(name)
        reader.update_feeds()
        (feed,) = reader.get_feeds()
        assert feed.last_exception is None, feed.last_exception
        return feed.authors_str
    finally:
        reader.close()


@pytest.mark.parametrize(
    ("authors", "shown"),
    [((DESK,), "Wellington desk"), ((DESK, EDITOR), "Wellington desk, Aroha Smith")],
)
def test_the_feed_author_reaches_rss_clients(
    authors: tuple[Agent, ...], shown: str, tmp_path: Path
) -> None:
    _, document = _rss(authors)
    assert [(i.rule, i.message) for i in validate_document(document).issues] == []
    channel = etree.fromstring(document).find("channel")
    assert channel is not None
    assert [e.text for e in channel.iterchildren(f"{{{NS_DC}}}creator")] == [shown]
    assert channel.find("managingEditor") is None  # W3C: DuplicateSemantics beside dc:creator
    assert feedparser.parse(document).feed.get("author") == shown
    assert _reader_author(document, tmp_path) == shown


def test_a_feed_without_an_author_gets_none_invented(tmp_path: Path) -> None:
    feed, document = _rss(())
    assert feed.authors == ()
    assert etree.fromstring(document).find(f"channel/{{{NS_DC}}}creator") is None
    assert feedparser.parse(document).feed.get("author") is None
    assert _reader_author(document, tmp_path) is None


@pytest.mark.parametrize(
    ("authors", "shown"),
    [((DESK,), "Wellington desk"), ((DESK, EDITOR), "Wellington desk, Aroha Smith")],
)
def test_the_feed_authors_reach_atom_clients_in_one_element(
    authors: tuple[Agent, ...], shown: str, tmp_path: Path
) -> None:
    feed = dataclasses.replace(make_feed([SEED]), authors=authors,
                               self_url="https://feedwright.test/feed.atom")
    document = emit(feed, "atom")
    assert [(i.rule, i.message) for i in validate_document(document).issues] == []
    atom = "{http://www.w3.org/2005/Atom}"
    names = [e.findtext(f"{atom}name") for e in etree.fromstring(document).iterchildren(
        f"{atom}author")]
    assert names == [shown]
    assert feedparser.parse(document).feed.get("author") == shown
    assert _reader_author(document, tmp_path, "feed.atom") == shown
    if len(authors) == 1:  # one author keeps its address
        assert etree.fromstring(document).findtext(f"{atom}author/{atom}uri") == DESK.url
