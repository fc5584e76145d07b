"""Entry identity as export and build both mint it (normalise.ids.entry_id)."""

from __future__ import annotations

import pytest

from feedwright.normalise.ids import entry_id, is_tag_authority, tag_uri

AUTH = "example.org,2026"


def test_an_absolute_own_id_is_kept():
    assert entry_id("urn:uuid:1", "https://a.test/x", authority=AUTH, source="s") == "urn:uuid:1"


def test_a_bare_guid_becomes_a_tag_uri_scoped_by_source():
    a = entry_id("sbn-548213", None, authority=AUTH, source="feeds/a")
    b = entry_id("sbn-548213", None, authority=AUTH, source="feeds/b")
    assert a == "tag:example.org,2026:feeds/a/sbn-548213"
    assert a != b  # two feeds may use the same guid


def test_canonical_url_then_source_name():
    assert entry_id(None, "https://a.test/x", authority=AUTH, source="s") == "https://a.test/x"
    assert entry_id(None, None, authority=AUTH, source="s", position="#2") == tag_uri(AUTH, "s#2")


@pytest.mark.parametrize("bad", ["example.org", "example.org,26", "a b,2026", ""])
def test_tag_authority_must_name_a_date(bad: str):
    assert not is_tag_authority(bad)
    with pytest.raises(ValueError, match="tag authority"):
        tag_uri(bad, "x")
