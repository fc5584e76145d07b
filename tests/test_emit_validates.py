"""Everything feedwright emits from the fixtures passes its own validator with no errors and no
warnings, and the three formats written from one model agree with each other."""

from __future__ import annotations

import dataclasses

import pytest

from feedwright.emit import FORMATS, emit
from feedwright.validate import cross_check, validate_document
from tests.helpers import SEED, TEXT_FIXTURES, make_feed


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("paths", [[SEED], TEXT_FIXTURES], ids=["seed", "all-text-fixtures"])
def test_emitted_documents_are_clean(fmt, paths):
    feed = make_feed(paths)
    data = emit(dataclasses.replace(feed, self_url=f"https://feedwright.test/feed.{fmt}"), fmt)
    report = validate_document(data)
    assert report.format == fmt
    assert [(i.rule, i.message) for i in report.issues] == []


def test_the_three_formats_agree():
    feed = make_feed(TEXT_FIXTURES)
    documents = {
        fmt: emit(dataclasses.replace(feed, self_url=f"https://feedwright.test/feed.{fmt}"), fmt)
        for fmt in FORMATS
    }
    assert [(i.rule, i.message) for i in cross_check(documents)] == []
