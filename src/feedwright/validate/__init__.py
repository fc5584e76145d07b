"""Validation of RSS 2.0, Atom 1.0 and JSON Feed documents: shipped schemas plus rules.

    report = validate_document(data)          # format detected from the bytes (or a stream)
    if not report.ok: ...                     # report.errors, report.warnings
    cross_check({"rss": r, "atom": a, "json": j})
"""

from feedwright.validate.content import ContentChecks
from feedwright.validate.core import FORMATS, detect_format, validate_document
from feedwright.validate.cross import cross_check
from feedwright.validate.report import Issue, Report
from feedwright.validate.rules import RULES, Rule

__all__ = ["FORMATS", "RULES", "ContentChecks", "Issue", "Report", "Rule", "cross_check",
           "detect_format", "validate_document"]
