"""How reports are printed by `feedwright validate`: compiler-style lines, or JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from feedwright.validate.report import Issue, Report
from feedwright.validate.rules import RULES


def text_lines(name: str, report: Report) -> list[str]:
    """`path:line:col: severity rule-id message`, one per issue (0 where the place is unknown)."""
    return [_text_line(name, found) for found in report.issues]


def _text_line(name: str, found: Issue) -> str:
    return (f"{name}:{found.line or 0}:{found.column or 0}: {found.severity} {found.rule} "
            f"{found.message}")


def document_json(name: str, report: Report) -> dict[str, Any]:
    return {
        "path": name,
        "format": report.format,
        "ok": report.ok,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "issues": [asdict(found) for found in report.issues],
    }


def rules_json() -> list[dict[str, Any]]:
    return [asdict(rule) for rule in RULES.values()]


def rules_text() -> list[str]:
    width = max(len(rule_id) for rule_id in RULES)
    return [f"{rule.id:<{width}}  {rule.severity:<7}  {','.join(rule.formats):<20}  "
            f"{rule.description}" for rule in RULES.values()]
