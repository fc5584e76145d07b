"""A name starts with a capital in whatever script it is printed: Émile, Łukasz, Ørjan, Ólöf,
Şebnem, Ñuño, Мирослава, Νίκος. The byline parser every reader shares
(normalise/credits.parse_author / split_byline) takes a capital by its Unicode category, not
[A-Z], so such a byline names its people in the text, html, JSON and feed readers alike, a
name printed wholly in capitals gets its conventional case there too (`ŁUKASZ NOWAK` ->
Łukasz Nowak), and feed clients show the names as read. Every name here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedwright.emit import emit
from feedwright.model import AgentKind, Entry, Role
from feedwright.normalise.credits import (
    parse_agency_dateline,
    parse_author,
    parse_sign_off,
    parse_wire_credits,
    split_byline,
    split_caption_credit,
)
from feedwright.sources import read, retrieve
from tests.helpers import make_feed
from tests.test_capitalised_names import PROSE, people

BODY = "".join(f"<p>{p}</p>" for p in PROSE.split("\n\n"))
TITLE = "Harbour ferry timetable changes from Monday"

# --- the shared parser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Émile Rousseau-Vidal", ["Émile Rousseau-Vidal"]),
        ("By Łukasz Wiśniewski and Ørjan Bråten", ["Łukasz Wiśniewski", "Ørjan Bråten"]),
        ("By Ólöf Sigurðardóttir, Şebnem Yıldırım and Ñuño Ibáñez",
         ["Ólöf Sigurðardóttir", "Şebnem Yıldırım", "Ñuño Ibáñez"]),
        ("By Мирослава Ковальчук", ["Мирослава Ковальчук"]),
        ("By Νίκος Παπαδάκης", ["Νίκος Παπαδάκης"]),
        ("Émile Rousseau-Vidal, political reporter", ["Émile Rousseau-Vidal"]),  # no "By"
        ("By Ñuño Ibáñez in Łódź", ["Ñuño Ibáñez"]),  # a place in any script is no name
        ("By Ólöf Sigurðardóttir for Útvarp Norður", ["Ólöf Sigurðardóttir"]),
    ],
)
def test_a_name_with_a_capital_of_any_script_is_a_byline_name(
    byline: str, names: list[str]
) -> None:
    assert people(byline) == [(name, AgentKind.PERSON) for name in names]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("BY ŁUKASZ WIŚNIEWSKI", ["Łukasz Wiśniewski"]),
        ("By ÉMILE ROUSSEAU-VIDAL AND ØRJAN BRÅTEN", ["Émile Rousseau-Vidal", "Ørjan Bråten"]),
        ("BY ŞEBNEM YILDIZ", ["Şebnem Yildiz"]),  # the dotless ı is not printed in capitals
        ("BY ÓLÖF DE LA ÚRSULA", ["Ólöf de la Úrsula"]),  # particles in any name
        ("By МИРОСЛАВА КОВАЛЬЧУК", ["Мирослава Ковальчук"]),
        ("BY ΝΙΚΟΣ ΠΑΠΑΔΑΚΗΣ", ["Νικος Παπαδακης"]),  # a final sigma where the word ends
        ("ÑUÑO IBÁÑEZ, AP Staff Writer", ["Ñuño Ibáñez"]),
    ],
)
def test_a_name_of_any_script_in_capitals_gets_its_conventional_case(
    byline: str, names: list[str]
) -> None:
    assert people(byline) == [(name, AgentKind.PERSON) for name in names]
    assert all(byline in c.raw for c in parse_author(byline) or ())  # kept as printed too


def test_a_wire_after_a_name_of_any_script_is_the_source() -> None:
    credits = parse_author("By ØRJAN BRÅTEN, AFP")
    assert [(c.role, c.agent.name, c.agent.kind) for c in credits or ()] == [
        (Role.AUTHOR, "Ørjan Bråten", AgentKind.PERSON),
        (Role.SOURCE, "AFP", AgentKind.ORGANIZATION),
    ]


def test_a_date_glued_to_a_name_of_any_script_is_cut_off() -> None:
    byline = split_byline("By Ñuño Ibáñez22 Dec 2016")  # the page lost the space
    assert byline is not None
    assert [c.agent.name for c in byline.credits] == ["Ñuño Ibáñez"]
    assert byline.rest == "22 Dec 2016"


# A word of a name: a capital of any script (upper or title case), then small letters. The small
# letters are kept outside ASCII so that no word can spell one of the English words a byline
# parser must read as something else (`and`, `in`, `Editor`).
_CAPITALS = st.characters(categories=["Lu", "Lt"])
_SMALL = st.text(st.characters(categories=["Ll"], min_codepoint=0x80), min_size=1, max_size=8)


@given(st.lists(st.tuples(_CAPITALS, _SMALL).map("".join), min_size=2, max_size=4))
def test_any_capitalised_name_is_read_as_written(words: list[str]) -> None:
    name = " ".join(words)
    assert people(f"By {name}") == [(name, AgentKind.PERSON)]
    assert people(name) == [(name, AgentKind.PERSON)]


@given(st.lists(_SMALL, min_size=2, max_size=3))
def test_words_in_small_letters_of_any_script_are_no_name(words: list[str]) -> None:
    assert parse_author(" ".join(words)) is None


@pytest.mark.parametrize(
    ("caption", "credited"),
    [
        ("Crowds at the harbour. (Radio Útvarp: Ólöf Sigurðardóttir)",
         [(Role.PHOTOGRAPHER, "Ólöf Sigurðardóttir", "Radio Útvarp")]),
        ("Crowds at the harbour. ÚTVARP/Ólöf Sigurðardóttir",
         [(Role.PHOTOGRAPHER, "Ólöf Sigurðardóttir", "ÚTVARP")]),
        ("Crowds at the harbour. Credit...Łukasz Wiśniewski for Gazeta Łódzka",
         [(Role.PHOTOGRAPHER, "Łukasz Wiśniewski", "Gazeta Łódzka")]),
        ("Crowds at the harbour.\nŁukasz Wiśniewski/AFP",
         [(Role.PHOTOGRAPHER, "Łukasz Wiśniewski", "AFP")]),
    ],
)
def test_a_caption_credits_a_name_of_any_script(
    caption: str, credited: list[tuple[Role, str, str | None]]
) -> None:
    found = split_caption_credit(caption, "m1")
    assert found is not None
    assert found.caption == "Crowds at the harbour."
    assert [
        (c.role, c.agent.name, c.on_behalf_of.name if c.on_behalf_of else None)
        for c in found.credits
    ] == credited


def test_wire_credits_datelines_and_sign_offs_of_any_script() -> None:
    wire = parse_wire_credits("Reporting by Łukasz Wiśniewski in Łódź; Editing by Émile Roux")
    assert [(c.role, c.agent.name) for c in wire or ()] == [
        (Role.REPORTER, "Łukasz Wiśniewski"), (Role.EDITOR, "Émile Roux")]
    dateline = parse_agency_dateline("SÃO PAULO, March 12 (Reuters) - The harbour ferry ...")
    assert dateline is not None
    assert (dateline.place, dateline.credit.agent.name) == ("SÃO PAULO", "Reuters")
    sign_off = parse_sign_off("– Útvarp Norður")
    assert sign_off is not None and sign_off.agent.name == "Útvarp Norður"


# --- every reader, and what feed clients show -------------------------------------------------


def _text_dump(folder: Path) -> Path:
    path = folder / "ferry.txt"
    path.write_text(f"{TITLE}\n\nBY ŁUKASZ WIŚNIEWSKI AND Ørjan Bråten\n\n{PROSE}", "utf-8")
    return path


def _page(path: Path, head: str = "", byline: str = "") -> Path:
    path.write_text(f"<!doctype html><html><head><title>{TITLE}</title>{head}</head><body>"
                    f"<article><h1>{TITLE}</h1>{byline}{BODY}</article></body></html>", "utf-8")
    return path


def _html_json_ld(folder: Path) -> Path:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "author": [{"@type": "Person", "name": "ŁUKASZ WIŚNIEWSKI"},
                     {"@type": "Person", "name": "Ørjan Bråten"}]}
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    return _page(folder / "ld.html", head=script)


def _html_rel_author(folder: Path) -> Path:
    # a page without metadata: the printed byline's rel=author link names its author
    byline = "<p class='meta'>By <a rel='author' href='/by/lw'>ŁUKASZ WIŚNIEWSKI</a></p>"
    return _page(folder / "rel.html", byline=byline)


def _json_export(folder: Path) -> Path:
    path = folder / "ferry.json"
    path.write_text(json.dumps({"title": TITLE, "author": "By ŁUKASZ WIŚNIEWSKI and Ørjan Bråten",
                                "content_text": PROSE}), "utf-8")
    return path


def _rss(folder: Path) -> Path:
    path = folder / "ferry.rss"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Harbour</title>'
        "<link>https://news.example/</link><description>News</description><item>"
        f"<title>{TITLE}</title><link>https://news.example/ferry</link>"
        "<dc:creator>By ŁUKASZ WIŚNIEWSKI and Ørjan Bråten</dc:creator>"
        f"<description>{PROSE.split(chr(10))[0]}</description></item></channel></rss>",
        "utf-8",
    )
    return path


NAMES = ["Łukasz Wiśniewski", "Ørjan Bråten"]
READERS = [(_text_dump, NAMES), (_html_json_ld, NAMES), (_html_rel_author, NAMES[:1]),
           (_json_export, NAMES), (_rss, NAMES)]
IDS = [source.__name__.strip("_") for source, _ in READERS]


def _authors(entry: Entry) -> list[tuple[str, AgentKind]]:
    return [(a.name, a.kind) for a in entry.authors]


@pytest.mark.parametrize(("source", "names"), READERS, ids=IDS)
def test_every_reader_names_the_people_of_any_script(source, names, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (entry,) = read(retrieve(str(source(tmp_path))))
    assert _authors(entry) == [(name, AgentKind.PERSON) for name in names]


@pytest.mark.parametrize(("source", "names"), READERS, ids=IDS)
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feedparser_shows_the_names_as_read(source, names, fmt: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    parsed = feedparser.parse(emit(make_feed([source(tmp_path)]), fmt))
    (item,) = parsed.entries
    shown = " | ".join(a.get("name", "") for a in item.get("authors", []))
    assert all(name in shown for name in names), shown
    assert "ŁUKASZ" not in shown


def test_a_text_dump_name_line_of_any_script(tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text(f"{TITLE}\n\nŞebnem Yıldırım, Science correspondent\n\n{PROSE}", "utf-8")
    (entry,) = read(retrieve(str(path)))
    assert [(c.role, c.agent.name, c.agent.kind) for c in entry.credits] == [
        (Role.REPORTER, "Şebnem Yıldırım", AgentKind.PERSON)]
