"""cross_check: the same model written three ways must agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedwright.validate import RULES, cross_check

CONFORMANCE = Path(__file__).parent / "conformance"
RSS = (CONFORMANCE / "rss/valid-full.xml").read_bytes()
ATOM = (CONFORMANCE / "atom/valid-full.xml").read_bytes()
JSON_FEED = (CONFORMANCE / "json/valid-full.json").read_bytes()


def _rules(**documents: bytes) -> set[str]:
    found = cross_check(documents)
    assert all(issue.rule in RULES and RULES[issue.rule].formats == ("cross",) for issue in found)
    return {issue.rule for issue in found}


def _json(change: dict[str, object]) -> bytes:
    document = json.loads(JSON_FEED)
    document["items"][0].update(change)
    return json.dumps(document).encode()


def test_the_three_valid_documents_agree() -> None:
    assert cross_check({"rss": RSS, "atom": ATOM, "json": JSON_FEED}) == ()


def test_different_entries() -> None:
    assert _rules(rss=RSS, json=_json({"id": "tag:example.org,2025:other"})) == {"cross-entries"}


def test_different_title() -> None:
    atom = ATOM.replace(b"<title>Storm closes harbour</title>", b"<title>Storm shuts port</title>")
    found = cross_check({"rss": RSS, "atom": atom})
    assert [issue.rule for issue in found] == ["cross-title"]
    assert "tag:example.org,2025:storm" in found[0].message
    assert "Storm shuts port" in found[0].message


def test_different_link() -> None:
    assert _rules(atom=ATOM, json=_json({"url": "https://example.org/news/storm?x=1"})) == {
        "cross-link"}


def test_different_dates() -> None:
    rss = RSS.replace(b"06:04:00 +0000</pubDate>", b"07:04:00 +0000</pubDate>")
    assert _rules(rss=rss, atom=ATOM) == {"cross-date"}
    assert _rules(atom=ATOM, json=_json({"date_modified": "2025-03-12T08:00:00Z"})) == {
        "cross-date"}


def test_same_instant_in_other_zones_agrees() -> None:
    rss = RSS.replace(b"Wed, 12 Mar 2025 06:04:00 +0000</pubDate>",
                      b"Wed, 12 Mar 2025 19:04:00 +1300</pubDate>")
    assert _rules(rss=rss, json=_json({"date_published": "2025-03-12T01:04:00-05:00"})) == set()


def test_missing_published_is_a_difference() -> None:
    rss = RSS.replace(b"<pubDate>Wed, 12 Mar 2025 06:04:00 +0000</pubDate>", b"")
    assert _rules(rss=rss, atom=ATOM) == {"cross-date"}


def test_different_authors() -> None:
    assert _rules(rss=RSS, json=_json({"authors": [{"name": "John Smith"}]})) == {"cross-author"}


def test_enclosures_missing_in_one_format() -> None:
    """Issue 9's defect 4: media listed in JSON Feed but not enclosed in RSS or Atom."""
    rss = RSS.replace(b'<enclosure url="https://example.org/img/storm.jpg" length="48213" '
                      b'type="image/jpeg"/>', b"")
    assert rss != RSS
    assert _rules(rss=rss, json=JSON_FEED) == {"cross-enclosure"}
    assert _rules(atom=ATOM, json=_json({"attachments": [
        {"url": "https://example.org/img/other.jpg", "mime_type": "image/jpeg"}]})) == {
        "cross-enclosure"}


def test_rss_may_carry_one_of_several_enclosures() -> None:
    two = [{"url": "https://example.org/img/storm.jpg", "mime_type": "image/jpeg"},
           {"url": "https://example.org/img/wharf.jpg", "mime_type": "image/jpeg"}]
    assert _rules(rss=RSS, json=_json({"attachments": two})) == set()


def test_unreadable_documents_are_left_to_validate_document() -> None:
    assert cross_check({"rss": b"<rss", "atom": ATOM, "json": b"{"}) == ()


# RFC 822 dates as RSS writes them, each with the RFC 3339 instant it names: every zone form
# (named, military, numeric east and west, with minutes), with and without seconds, and the
# two-digit years of RFC 822 (19xx).
@pytest.mark.parametrize(("pub_date", "instant"), [
    ("Wed, 12 Mar 2025 06:04:00 GMT", "2025-03-12T06:04:00Z"),
    ("Wed, 12 Mar 2025 06:04:00 UT", "2025-03-12T06:04:00Z"),
    ("Wed, 12 Mar 2025 06:04:00 z", "2025-03-12T06:04:00Z"),
    ("Wed, 12 Mar 2025 01:04:00 EST", "2025-03-12T06:04:00Z"),
    ("Tue, 11 Mar 2025 23:04:00 PDT", "2025-03-12T06:04:00Z"),
    ("Wed, 12 Mar 2025 01:04:00 cdt", "2025-03-12T06:04:00Z"),
    ("Wed, 12 Mar 2025 02:34:00 -0330", "2025-03-12T06:04:00Z"),
    ("Wed, 12 Mar 2025 11:34:00 +0530", "2025-03-12T06:04:00Z"),
    ("Wed, 12 Mar 2025 06:04:00 -0000", "2025-03-12T06:04:00Z"),
    ("Wed, 12 Mar 2025 06:04:30 +0000", "2025-03-12T06:04:30Z"),
    ("12 Mar 2025 19:04 +1300", "2025-03-12T06:04:00Z"),
    ("Fri, 12 Mar 99 06:04:00 GMT", "1999-03-12T06:04:00Z"),
])
def test_every_rfc_822_form_names_the_instant_the_other_formats_give(pub_date: str,
                                                                      instant: str) -> None:
    rss = RSS.replace(b"Wed, 12 Mar 2025 06:04:00 +0000</pubDate>",
                      pub_date.encode() + b"</pubDate>")
    assert _rules(rss=rss, json=_json({"date_published": instant})) == set()
    assert _rules(rss=rss, json=_json({"date_published": "2025-03-12T06:05:00Z"})) == {
        "cross-date"}


@pytest.mark.parametrize("pub_date", ["2025-03-12T06:04:00Z", "Wed, 12 Mar 2025 06:04:00",
                                      "Wed, 12 Mar 2025 06:04:00 XYZ"])
def test_an_rss_date_that_names_no_instant_differs_from_every_instant(pub_date: str) -> None:
    """Not RFC 822, no zone, an unknown zone: no instant, so no agreement (and no crash)."""
    rss = RSS.replace(b"Wed, 12 Mar 2025 06:04:00 +0000</pubDate>",
                      pub_date.encode() + b"</pubDate>")
    assert _rules(rss=rss, json=_json({})) == {"cross-date"}
