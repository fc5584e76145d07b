"""A person's name printed wholly in capitals (`BY JANE DOE`, `"name": "By PIETER VAN DER BERG,
AP Staff Writer"`) is the site's typography, not the name: the byline parser every reader shares
(normalise/credits.parse_author / split_byline) gives it its conventional case. A name written in
mixed case stays exactly as written, and organisations printed in capitals (acronyms, `BBC
NEWS`) stay as printed: they are no person's name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedwright.model import AgentKind, Role
from feedwright.normalise.credits import parse_author, split_byline
from feedwright.sources import read, retrieve

PROSE = (
    "The harbour ferry will run every twenty minutes instead of every half hour from Monday, the "
    "regional council said, after a year in which passenger numbers rose faster than planned.\n\n"
    "Commuters on the northern route had complained for months that the boats were full before "
    "they reached the last two wharves, and the council said the extra sailings would be paid "
    "for out of this year's transport budget.\n"
)


def people(text: str) -> list[tuple[str, AgentKind]]:
    credits = parse_author(text) or ()
    return [(c.agent.name, c.agent.kind) for c in credits if c.role is not Role.SOURCE]


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("BY JANE DOE", ["Jane Doe"]),
        ("By MARGARET O'REILLY", ["Margaret O'Reilly"]),
        ("By DERMOT O’NEILL", ["Dermot O’Neill"]),  # a typographic apostrophe too
        ("BY ANNE-MARIE SMITH-JONES", ["Anne-Marie Smith-Jones"]),
        ("By J.R. HOLLOWAY", ["J.R. Holloway"]),
        ("By T. K. ASHWORTH", ["T. K. Ashworth"]),
        ("BY ANGUS MCTAVISH", ["Angus McTavish"]),
        # "Mac" leads too many names that are not Mac-names (Mack, Macy, Machado) to be split
        ("BY ISLA MACKINTOSH", ["Isla Mackintosh"]),
        ("BY MARIA DE LA CRUZ", ["Maria de la Cruz"]),
        ("BY PIETER VAN DER BERG AND LENA VON ARNIM", ["Pieter van der Berg", "Lena von Arnim"]),
        ("BY DA SILVA RAMOS", ["Da Silva Ramos"]),  # a particle that leads the name is capitalised
        ("BY THANH LE", ["Thanh Le"]),  # and one that ends it is a surname
        ("BY ROBERT GRANT III", ["Robert Grant III"]),
        ("BY ZOË FÈVRE", ["Zoë Fèvre"]),
        ("TOMASZ NOWAK, AP Staff Writer", ["Tomasz Nowak"]),  # stated without its "By"
        ("BY KIRI NGATA AND Sam Riley", ["Kiri Ngata", "Sam Riley"]),  # one name at a time
    ],
)
def test_a_name_in_capitals_gets_its_conventional_case(byline: str, names: list[str]) -> None:
    assert people(byline) == [(name, AgentKind.PERSON) for name in names]
    assert all(byline in c.raw for c in parse_author(byline) or ())  # kept as printed too


@pytest.mark.parametrize(
    "name",
    ["Angus McTavish", "Maria de la Cruz", "Pieter van der Berg", "Isla MacKintosh",
     "Ed O'Reilly-McCann", "DeShawn Carter", "Robert Grant III", "T. K. Ashworth"],
)
def test_a_name_in_mixed_case_stays_exactly_as_written(name: str) -> None:
    assert people(f"By {name}") == [(name, AgentKind.PERSON)]


@pytest.mark.parametrize(
    ("byline", "organisation"),
    [
        ("BY BBC NEWS", "BBC NEWS"),
        ("By NPR", "NPR"),
        ("BY ASSOCIATED PRESS", "ASSOCIATED PRESS"),  # an organisation's word: Press
        ("By NZME DIGITAL", "NZME DIGITAL"),
        ("BY KCRW CULTURE", "KCRW CULTURE"),  # an acronym: letters without a vowel
    ],
)
def test_an_organisation_in_capitals_stays_as_printed(byline: str, organisation: str) -> None:
    assert people(byline) == [(organisation, AgentKind.ORGANIZATION)]


def test_a_wire_after_the_name_stays_an_acronym() -> None:
    credits = parse_author("BY HANNA LINDQVIST, AFP")
    assert credits is not None
    assert [(c.role, c.agent.name, c.agent.kind) for c in credits] == [
        (Role.AUTHOR, "Hanna Lindqvist", AgentKind.PERSON),
        (Role.SOURCE, "AFP", AgentKind.ORGANIZATION),
    ]


def test_a_byline_in_capitals_keeps_its_date_for_the_caller() -> None:
    byline = split_byline("BY OWEN PRITCHARD MARCH 3, 2024")
    assert byline is not None
    assert [c.agent.name for c in byline.credits] == ["Owen Pritchard"]
    assert byline.rest == "MARCH 3, 2024"


def test_a_text_dump_byline_in_capitals(tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text("Harbour ferry timetable changes from Monday\n\n"
                    "BY MARGARET O'REILLY-MCCANN AND PIETER VAN DER BERG\n\n" + PROSE, "utf-8")
    (entry,) = read(retrieve(str(path)))
    assert entry.title == "Harbour ferry timetable changes from Monday"
    assert [(a.name, a.kind) for a in entry.authors] == [
        ("Margaret O'Reilly-McCann", AgentKind.PERSON), ("Pieter van der Berg", AgentKind.PERSON)]


@pytest.mark.parametrize(
    ("stated", "shown"),
    [
        ({"@type": "Person", "name": "DERMOT O'NEILL", "url": "https://news.example/dermot"},
         ("Dermot O'Neill", AgentKind.PERSON, "https://news.example/dermot")),
        ("danah boyd", ("danah boyd", AgentKind.PERSON, None)),  # her own spelling, kept
        ({"@type": "Organization", "name": "HARBOUR NEWS GROUP"},
         ("HARBOUR NEWS GROUP", AgentKind.ORGANIZATION, None)),
    ],
)
def test_an_export_author(stated: object, shown: tuple[str, AgentKind, str | None],
                          tmp_path: Path) -> None:
    path = tmp_path / "ferry.json"
    path.write_text(json.dumps({"title": "Harbour ferry timetable changes", "author": stated,
                                "content_text": PROSE}), "utf-8")
    (entry,) = read(retrieve(str(path)))
    assert [(a.name, a.kind, a.url) for a in entry.authors] == [shown]
