"""The conformance suite: every document in tests/conformance raises exactly the rules
tests/conformance/expected.toml lists for it, and every rule is shown failing and passing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from feedwright.validate import RULES, validate_document

HERE = Path(__file__).parent / "conformance"
EXPECTED: dict[str, list[str]] = tomllib.loads((HERE / "expected.toml").read_text("utf-8"))
FOLDER_FORMAT = {"rss": "rss", "atom": "atom", "json": "json", "unknown": "unknown"}


def _raised(name: str) -> set[str]:
    return {found.rule for found in validate_document((HERE / name).read_bytes()).issues}


def test_every_document_has_expectations() -> None:
    on_disk = {str(p.relative_to(HERE)) for p in HERE.rglob("*") if p.is_file()} - {"expected.toml"}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 150


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_document(name: str) -> None:
    report = validate_document((HERE / name).read_bytes())
    assert report.format == FOLDER_FORMAT[name.split("/")[0]]
    raised = {found.rule for found in report.issues}
    assert raised == set(EXPECTED[name]), [
        f"{f.severity} {f.rule} {f.message}" for f in report.issues
    ]
    for found in report.issues:
        assert found.rule in RULES
        assert found.severity == RULES[found.rule].severity


@pytest.mark.parametrize("rule_id", sorted(r for r in RULES if not r.startswith("cross-")))
def test_rule_fails_and_passes_in_every_format(rule_id: str) -> None:
    for fmt in RULES[rule_id].formats:
        documents = [n for n in EXPECTED if FOLDER_FORMAT[n.split("/")[0]] == fmt]
        failing = [n for n in documents if rule_id in EXPECTED[n]]
        passing = [n for n in documents if rule_id not in EXPECTED[n]]
        assert failing, f"no {fmt} document raises {rule_id}"
        if fmt != "unknown":
            assert any(not EXPECTED[n] for n in passing), f"no clean {fmt} document"


def test_messages_name_the_entry() -> None:
    """The build gate prints these: an entry-level issue says which entry."""
    for name in ("rss/date-weekday.xml", "atom/author-missing.xml", "json/url-relative.json"):
        report = validate_document((HERE / name).read_bytes())
        assert any("tag:example.org,2025:storm" in found.message for found in report.issues)
