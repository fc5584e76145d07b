"""Every text field of every format survives characters that need escaping: text holding `&`,
`<`, `]]>`, quotes and entity-like strings is emitted, read back by real clients (feedparser) and
by our own feed reader, and compared with what went in.

Each field's text starts with the field's name, so a field that lands in another's place fails too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime

import feedparser
import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedwright.emit import emit
from feedwright.model import (
    Agent,
    AgentKind,
    Block,
    BlockKind,
    Credit,
    Entry,
    Feed,
    Media,
    MediaKind,
    Rights,
    Role,
    Timestamp,
)
from feedwright.normalise.html import render_content
from feedwright.sources import Retrieved, read
from feedwright.validate import validate_document

FIELDS = (
    "feed_title", "feed_description", "feed_rights", "feed_author", "title", "summary",
    "paragraph", "author", "category", "category2", "caption", "alt", "photographer", "agency",
    "photo_credit", "source", "source_credit", "rights", "holder", "dateline",
)

# Text that escaping gets wrong: markup characters, CDATA ends, quotes, things that look like
# entities or tags, mixed with arbitrary printable words. Not generated, on purpose: control
# characters (XML cannot hold them; they are removed), runs of whitespace (the readers tidy them),
# text not in NFC (the readers normalise it), and U+0080-U+00BF (feedparser re-decodes a run of
# Latin-1 characters that happens to spell UTF-8 bytes, a guess of its own about mojibake).
tricky = st.sampled_from([
    "&", "<", ">", "]]>", '"', "'", "&amp;", "&lt;b&gt;", "&#38;", "&nbsp;", "<b>bold</b>",
    "<![CDATA[", "a&b", "x<y", "Smith & Sons", "O'Brien", '"quoted"', "\\", "%26",
])
word = st.text(st.characters(categories=("L", "N", "P", "S"), exclude_characters=[
    chr(c) for c in range(0x80, 0xC0)]), min_size=1, max_size=8)
text = st.lists(st.one_of(tricky, word), min_size=1, max_size=5).map(
    lambda words: unicodedata.normalize("NFC", " ".join(words)))
texts = st.tuples(*[text] * len(FIELDS)).map(
    lambda values: {name: f"{name}: {value}" for name, value in zip(FIELDS, values, strict=True)}
)

STAMP = Timestamp(datetime(2026, 1, 1, tzinfo=UTC), "test")


def make_feed(t: dict[str, str], fmt: str) -> Feed:
    photographer = Agent(t["photographer"], AgentKind.PERSON)
    agency = Agent(t["agency"], AgentKind.ORGANIZATION)
    photo_credit = Credit(photographer, Role.PHOTOGRAPHER, "m1", t["photo_credit"], agency)
    media = Media("m1", MediaKind.IMAGE, "https://feedwright.test/a.jpg", "image/jpeg", 1000,
                  caption=t["caption"], alt=t["alt"], credits=(photo_credit,))
    author = Agent(t["author"], AgentKind.PERSON)
    blocks = (Block(BlockKind.PARAGRAPH, t["paragraph"]), Block(BlockKind.FIGURE, media_id="m1"))
    entry = Entry(
        title=t["title"], id="tag:feedwright.test,2026:e", summary=t["summary"], blocks=blocks,
        content_html=render_content(blocks, [media]), url="https://feedwright.test/e",
        published=STAMP, updated=STAMP, authors=(author,),
        credits=(Credit(author, Role.AUTHOR), Credit(Agent(t["source"]), Role.SOURCE,
                                                     raw=t["source_credit"]), photo_credit),
        media=(media,), categories=(t["category"], t["category2"]),
        rights=Rights(t["rights"], Agent(t["holder"])), dateline=t["dateline"],
    )
    return Feed(
        id="tag:feedwright.test,2026:feed", title=t["feed_title"], link="https://feedwright.test/",
        description=t["feed_description"], authors=(Agent(t["feed_author"]),),
        rights=Rights(t["feed_rights"]), self_url=f"https://feedwright.test/f.{fmt}",
        entries=(entry,),
    )


def html_text(fragment: str) -> str:
    """What a reader shows of an html fragment: its text, entities decoded."""
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()


def alt_of(fragment: str) -> str | None:
    images = lxml.html.fragment_fromstring(fragment, create_parent="div").iter("img")
    return next((img.get("alt") for img in images), None)


def rss_text(got: str, want: str) -> None:
    """feedparser reads RSS's text elements as html, as many readers do: a lone `&` comes back
    as `&amp;`, text spelling an entity (`&amp;`, `&#38;`) comes back as that entity, and a `<`
    starts a tag that its sanitiser may drop. RSS cannot say which is meant, so the html's text is
    compared, and text holding `<` or an entity's spelling only has to leave the document
    well-formed (our own reader, above, reads every one of them back exactly)."""
    if "<" not in want and not re.search(r"&#?\w+;", want):
        assert html_text(got) == want, (got, want)


def credits_of(entry: Entry) -> set[tuple[str, str, str, str, str | None]]:
    return {(c.role.value, c.agent.name, c.raw, c.target,
             c.on_behalf_of.name if c.on_behalf_of else None) for c in entry.credits}


def check_our_reader(data: bytes, fmt: str, t: dict[str, str]) -> None:
    (back,) = read(Retrieved(location=f"feed.{fmt}", data=data), kind="feed")
    assert back.title == t["title"]
    assert back.summary == t["summary"]
    assert [a.name for a in back.authors] == [t["author"]]
    assert back.categories == (t["category"], t["category2"])
    assert back.rights is not None and back.rights.notice == t["rights"]
    assert back.rights.holder is not None and back.rights.holder.name == t["holder"]
    assert back.dateline == t["dateline"]
    assert [m.caption for m in back.media] == [t["caption"]]
    assert credits_of(back) >= {
        ("source", t["source"], t["source_credit"], "entry", None),
        ("photographer", t["photographer"], t["photo_credit"], "m1", t["agency"]),
    }
    shown = html_text(back.content_html or "")
    for name in ("paragraph", "caption", "photo_credit"):
        assert t[name] in shown, name
    assert alt_of(back.content_html or "") == t["alt"]


def check_feedparser(data: bytes, fmt: str, t: dict[str, str]) -> None:
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    texts = [
        (parsed.feed.title, "feed_title"), (parsed.feed.subtitle, "feed_description"),
        (parsed.feed.rights, "feed_rights"), (entry.title, "title"), (entry.rights, "rights"),
        *zip([a["name"] for a in entry.authors], ["author"], strict=True),
        *zip([tag.term for tag in entry.tags], ["category", "category2"], strict=True),
        *zip([c["content"] for c in entry.media_credit], ["photographer", "agency"], strict=True),
    ]
    if fmt == "atom":  # type="text" throughout: no guessing
        texts.append((parsed.feed.author, "feed_author"))
        for got, name in texts:
            assert got == t[name], name
        assert entry.summary == t["summary"]
    else:
        for got, name in texts:
            rss_text(got, t[name])
        assert html_text(entry.summary) == t["summary"]  # description is html: escaped twice
    content = next(c.value for c in entry.content if t["paragraph"] in html_text(c.value))
    assert t["caption"] in html_text(content) and t["photo_credit"] in html_text(content)
    assert alt_of(content) == t["alt"]


def check_json(data: bytes, t: dict[str, str]) -> None:
    document = json.loads(data)
    assert document["title"] == t["feed_title"]
    assert document["description"] == t["feed_description"]
    assert [a["name"] for a in document["authors"]] == [t["feed_author"]]
    (item,) = document["items"]
    assert (item["title"], item["summary"]) == (t["title"], t["summary"])
    assert item["tags"] == [t["category"], t["category2"]]
    assert t["paragraph"] in html_text(item["content_html"])
    assert alt_of(item["content_html"]) == t["alt"]


# 60, or fewer when the profile asks for fewer (mutation testing: tests/conftest.py)
@settings(max_examples=min(60, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_every_text_field_survives_escaping(t: dict[str, str]) -> None:
    for fmt in ("rss", "atom", "json"):
        data = emit(make_feed(t, fmt), fmt)
        report = validate_document(data, fmt)
        assert report.ok, [(i.rule, i.message) for i in report.errors]
        check_our_reader(data, fmt, t)
        if fmt == "json":
            check_json(data, t)
        else:
            check_feedparser(data, fmt, t)
