"""Credits and dates as newsrooms print them, each form parsed by the shared rules that every
reader uses (normalise/credits.py, normalise/dates.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from feedwright.model import AgentKind, Role
from feedwright.normalise.credits import split_byline, split_caption_credit
from feedwright.normalise.dates import is_relative_date, parse_date_line, parse_leading_date


def credits_of(caption: str) -> tuple[str, list[tuple[str, str, str | None]]]:
    found = split_caption_credit(caption, "m1")
    assert found is not None, caption
    return found.caption, [
        (c.agent.name, c.role.value, c.on_behalf_of.name if c.on_behalf_of else None)
        for c in found.credits
    ]


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        (
            "Smoke over the park. (ABC News: Dan Smith)",
            ("Smoke over the park.", [("Dan Smith", "photographer", "ABC News")]),
        ),
        (
            "A diver in the bay. Photograph: Supplied/Marine Institute",
            (
                "A diver in the bay.",
                [("Supplied", "provider", None), ("Marine Institute", "source", None)],
            ),
        ),
        (
            "The farm at dawn. Photograph: Adrian Malloch for the Guardian",
            ("The farm at dawn.", [("Adrian Malloch", "photographer", "the Guardian")]),
        ),
        (
            "The lines were buried.Credit...Kirsten Luce for The New York Times",
            ("The lines were buried.", [("Kirsten Luce", "photographer", "The New York Times")]),
        ),
        ("Credit...Harry Campbell", ("", [("Harry Campbell", "photographer", None)])),
        (
            "Protesters in Paris. Jane Doe/Agence France-Presse — Getty Images",
            (
                "Protesters in Paris.",
                [
                    ("Jane Doe", "photographer", "Agence France-Presse"),
                    ("Getty Images", "distributor", None),
                ],
            ),
        ),
        (
            "Troops secure the area. Fethi Belaid/AFP/Getty Images",
            (
                "Troops secure the area.",
                [("Fethi Belaid", "photographer", "AFP"), ("Getty Images", "distributor", None)],
            ),
        ),
        (
            "Water laps at the wall. (Supplied)",
            ("Water laps at the wall.", [("Supplied", "provider", None)]),
        ),
    ],
)
def test_caption_credit_forms(
    caption: str, expected: tuple[str, list[tuple[str, str, str | None]]]
):
    assert credits_of(caption) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Credit card debt rose sharply last year.",  # a sentence, not a credit
        "He spoke to reporters (Update: Changed Headline)",  # a one-word label is no outlet
    ],
)
def test_sentences_are_not_credits(text: str):
    assert split_caption_credit(text, "m1") is None


def test_supplied_is_never_a_person():
    _, credits = credits_of("A view of the reef. Photograph: Supplied")
    assert credits == [("Supplied", "provider", None)]
    found = split_caption_credit("A view of the reef. Photograph: Supplied", "m1")
    assert found is not None and found.credits[0].agent.kind is not AgentKind.PERSON


@pytest.mark.parametrize(
    ("line", "names", "rest"),
    [
        ("by Laura June Topolsky July 10, 2015", ["Laura June Topolsky"], "July 10, 2015"),
        (
            "By Erin Cunningham March 18 at 3:57 PM Follow @erin",
            ["Erin Cunningham"],
            "March 18 at 3:57 PM Follow @erin",
        ),
        ("by Lucas Nolan22 Dec 2016651", ["Lucas Nolan"], "22 Dec 2016651"),
        ("Posted by Andrew Hayden, Software Engineer on Google Play", ["Andrew Hayden"], ""),
        ("// By Arun Krishnan • Nov 11, 2020", ["Arun Krishnan"], "• Nov 11, 2020"),
        ("By STEVEN DAVIDOFF SOLOMON JULY 29, 2016", ["Steven Davidoff Solomon"], "JULY 29, 2016"),
    ],
)
def test_byline_and_what_follows_it(line: str, names: list[str], rest: str):
    byline = split_byline(line)
    assert byline is not None
    assert [c.agent.name for c in byline.credits if c.role is Role.AUTHOR] == names
    assert all(c.agent.kind is AgentKind.PERSON for c in byline.credits)
    assert byline.rest == rest


@pytest.mark.parametrize("line", ["By TMZ Staff", "by Taboola", "by the way, it rained"])
def test_not_bylines(line: str):
    byline = split_byline(line)
    assert byline is None or not any(c.role is Role.AUTHOR for c in byline.credits)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Oct 18, 2019 · 8 min read", datetime(2019, 10, 18, tzinfo=UTC)),
        ("posted on April 21, 2015, at 11:29 a.m.", datetime(2015, 4, 21, 11, 29, tzinfo=UTC)),
        (
            "Published Thursday 27 July 2017 Published Thu 27 Jul 2017",
            datetime(2017, 7, 27, tzinfo=UTC),
        ),
        ("Published 21 November 2019 · Tagged with tooling", datetime(2019, 11, 21, tzinfo=UTC)),
        ("10.15.15", datetime(2015, 10, 15, tzinfo=UTC)),
    ],
)
def test_date_lines_with_page_furniture(line: str, expected: datetime):
    found = parse_date_line(line, UTC)
    assert found is not None and found.published is not None
    assert found.published.value == expected


@pytest.mark.parametrize("line", ["3/09/15", "12 March", "Posted 5h ago, updated 3h ago"])
def test_ambiguous_and_relative_dates_are_not_dates(line: str):
    assert parse_date_line(line, UTC) is None


@pytest.mark.parametrize("line", ["Posted 5h ago, updated 3h ago", "1 day ago", "8h", "yesterday",
                                  "· 3 hours ago", "5h ago |"])
def test_relative_date_lines(line: str):
    assert is_relative_date(line)


def test_leading_date_survives_a_glued_counter():
    zone = ZoneInfo("America/Los_Angeles")
    found = parse_leading_date("22 Dec 2016651", zone, "x")
    assert found is not None and found.value.date().isoformat() == "2016-12-22"
    assert (found.value, found.value.tzinfo, found.source, found.day_only) == (
        datetime(2016, 12, 22, tzinfo=zone), zone, "x", True)
    found = parse_leading_date("Dec 22, 2016 at 9:30 p.m. 4 comments", zone, "x")
    assert found is not None and found.value == datetime(2016, 12, 22, 21, 30, tzinfo=zone)
    assert not found.day_only
