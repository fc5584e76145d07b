"""What validation returns: issues with a stable rule id, gathered in a report per document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The progress callback the validator reports through, the same the build and export use.
from feedwright.model import Progress as Progress

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One finding. `path` is an XPath (XML) or a JSON pointer (JSON Feed) where that helps."""

    rule: str
    severity: Severity
    message: str
    line: int | None = None
    column: int | None = None
    path: str | None = None


@dataclass(frozen=True)
class Report:
    """All issues of one document; `format` is "rss", "atom", "json" or "unknown"."""

    format: str
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings do not fail a document)."""
        return not self.errors
