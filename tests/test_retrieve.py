"""The retriever registry: one transport per url scheme, a plain path is a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedwright.sources import SourceError, retrieve
from feedwright.sources.retrieve import RETRIEVERS, TooLarge, scheme_of


def test_each_location_goes_to_the_retriever_of_its_scheme(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(b"Title\n\nBody.\n")
    assert [scheme_of(x) for x in (str(article), "HTTPS://x.example/", "http://x", "ftp://x")] == [
        "file", "https", "http", "ftp"]
    assert retrieve(str(article)).data == retrieve(f"file://{article}").data == article.read_bytes()
    assert sorted(RETRIEVERS) == ["file", "http", "https"]
    with pytest.raises(SourceError) as caught:
        retrieve("ftp://files.example/a.txt")
    assert caught.value.reason == "cannot fetch ftp: locations (known: file, http, https)"


def test_a_file_over_the_cap_is_refused_with_the_cap(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(b"x" * 100)
    with pytest.raises(TooLarge) as caught:
        retrieve(str(article), max_bytes=99)
    assert (caught.value.cap, caught.value.reason) == (99, "is 100 bytes, over the 99 byte limit")
