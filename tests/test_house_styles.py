"""House styles read right: each fixture in fixtures/house/ is an article of our own writing in
one newsroom's conventions, with a sibling NAME.expected.json saying what the reader must find.

The same expectations are scored by benchmarks/extraction.py; here every one of them is a test
through the real reader (file on disk, retrieve, read)."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from feedwright.model import Block, BlockKind, Entry, MediaKind, Role
from feedwright.sources import ReaderOptions
from tests.helpers import FIXTURES, read_one

HOUSE = FIXTURES / "house"
CASES = sorted(HOUSE.glob("*.txt"))
BODY_KINDS = (BlockKind.PARAGRAPH, BlockKind.QUOTE, BlockKind.LIST)


def norm(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", " ", folded).strip()


def block_text(block: Block) -> str:
    return " ".join([block.text, *block.items]).strip()


def expected_for(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def found_for(entry: Entry, expected: dict[str, Any]) -> dict[str, Any]:
    """What the reader gives, in the shape of the expected file (only the keys it names)."""
    body = [b for b in entry.blocks if b.kind in BODY_KINDS]
    have = {(norm(c.agent.name).casefold(), c.role.value) for c in entry.credits}
    texts = [block_text(b) for b in entry.blocks] + [m.caption or "" for m in entry.media]
    found: dict[str, Any] = {
        "title": norm(entry.title),
        "authors": sorted(norm(a.name).casefold() for a in entry.authors),
        "published": entry.published.value if entry.published else None,
        "categories": sorted(norm(c).casefold() for c in entry.categories),
        "rights": norm(entry.rights.notice) if entry.rights else None,
        "credits": [
            c
            for c in expected.get("credits", [])
            if (norm(c["name"]).casefold(), c["role"]) in have
        ],
        "body_starts": norm(block_text(body[0]))[: len(norm(expected.get("body_starts")))]
        if body
        else "",
        "body_ends": norm(block_text(body[-1]))[-len(norm(expected.get("body_ends"))) :]
        if body and expected.get("body_ends")
        else "",
        "dateline": norm(entry.dateline).casefold() if entry.dateline else None,
        "chrome_absent": [
            c
            for c in expected.get("chrome_absent", [])
            if not any(norm(c).casefold() in norm(t).casefold() for t in texts)
        ],
    }
    return {key: found[key] for key in expected if key != "timezone"}


def wanted(expected: dict[str, Any]) -> dict[str, Any]:
    """The expected file with its values normalised the way found_for normalises."""
    want = dict(expected)
    want.pop("timezone", None)
    for key in ("title", "rights", "body_starts", "body_ends"):
        if key in want:
            want[key] = norm(want[key])
    for key in ("authors", "categories"):
        if key in want:
            want[key] = sorted(norm(v).casefold() for v in want[key])
    if "published" in want:
        want["published"] = datetime.fromisoformat(want["published"].replace("Z", "+00:00"))
    if "dateline" in want:
        want["dateline"] = norm(want["dateline"]).casefold()
    return want


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_house_style_reads_as_expected(path: Path) -> None:
    expected = expected_for(path)
    entry = read_one(path, ReaderOptions(timezone=expected.get("timezone", "UTC")))
    assert found_for(entry, expected) == wanted(expected)


def test_every_house_fixture_has_expectations() -> None:
    assert len(CASES) >= 5
    for path in CASES:
        assert set(expected_for(path)) - {"timezone"}, path


# --- what the expected files cannot say -----------------------------------------------------


def test_key_points_are_a_list_in_the_body_and_relative_dates_no_date() -> None:
    entry = read_one(HOUSE / "abc-king-tides.txt")
    kinds = [b.kind for b in entry.blocks]
    assert BlockKind.LIST in kinds
    key_points = entry.blocks[kinds.index(BlockKind.LIST)]
    assert len(key_points.items) == 3
    assert entry.published is None and entry.updated is None  # "Posted 5h ago" has no instant


def test_outlet_caption_credits_the_person_for_the_outlet() -> None:
    entry = read_one(HOUSE / "abc-king-tides.txt")
    credit = next(c for m in entry.media for c in m.credits if c.agent.name == "Tom Whitfield")
    assert credit.role is Role.PHOTOGRAPHER
    assert credit.on_behalf_of is not None and credit.on_behalf_of.name == "ABC News"
    assert credit.raw == "(ABC News: Tom Whitfield)"


def test_supplied_is_a_provider_and_never_a_person() -> None:
    entry = read_one(HOUSE / "guardian-reef-survey.txt")
    supplied = [c for c in entry.credits if c.agent.name == "Supplied"]
    assert supplied and all(c.role is Role.PROVIDER for c in supplied)
    assert "Supplied" not in [a.name for a in entry.authors]
    malloch = next(c for c in entry.credits if c.agent.name == "Adrian Malloch")
    assert malloch.on_behalf_of is not None and malloch.on_behalf_of.name == "the Guardian"
    assert "Adrian Malloch" not in [a.name for a in entry.authors]


def test_agency_dateline_paragraph_stays_body_not_standfirst() -> None:
    entry = read_one(HOUSE / "reuters-london-markets.txt")
    assert BlockKind.STANDFIRST not in [b.kind for b in entry.blocks]
    assert entry.blocks[0].kind is BlockKind.PARAGRAPH


def test_credit_on_its_own_line_belongs_to_the_caption_above() -> None:
    entry = read_one(HOUSE / "nyt-museum-reopens.txt")
    park = next(m for m in entry.media if any(c.agent.name == "Lena Park" for c in m.credits))
    assert park.caption == "Visitors queued before the doors opened on Tuesday morning."
    assert park.credits[0].target == park.id
    marsh = next(m for m in entry.media if any(c.agent.name == "Owen Marsh" for c in m.credits))
    assert marsh.credits[0].on_behalf_of.name == "The New York Times"
    afp = next(m for m in entry.media if any(c.agent.name == "Marta Silva" for c in m.credits))
    assert afp.kind is MediaKind.IMAGE
    assert [(c.agent.name, c.role) for c in afp.credits] == [
        ("Marta Silva", Role.PHOTOGRAPHER),
        ("Getty Images", Role.DISTRIBUTOR),
    ]
    assert afp.credits[0].on_behalf_of.name == "Agence France-Presse"
