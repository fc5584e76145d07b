"""The same story from two sources is one entry, in export and in the cron build, under an id
that depends neither on the order the sources are named or read in nor on the run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .test_build import CONFIG, Project, make_project, only

WIRE = (Path(__file__).resolve().parent.parent / "fixtures" / "html" / "wire-opengraph.html"
        ).read_bytes()  # fmt: skip
WIRE_URL = "https://wire.example/business/rba-holds-rates-2025-04-01/"
#: A partner's copy: the same canonical url (with a tracking parameter), its own byline and an
#: extra paragraph, so only the url says it is the same story.
COPY = (WIRE.replace(b'content="Stella Qiu"', b'content="Partner Desk"')
        .replace(b"By Stella Qiu", b"By Partner Desk")
        .replace(WIRE_URL.encode(), WIRE_URL.encode() + b"?utm_source=partner")
        .replace(b"<p>SYDNEY", b"<p>Republished with permission from WireNews today.</p><p>SYDNEY"))
COPY_URL = WIRE_URL + "?utm_source=partner"
TITLE = "Australian central bank holds rates, signals caution"


def export(*sources: Path) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "feedwright", "export", *map(str, sources), "--format", "json",
         "--link", "https://example.org/", "--self-url", "https://example.org/feed.json"],
        capture_output=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def authors(item: dict[str, Any]) -> list[str]:
    return sorted(a["name"] for a in item.get("authors", []))


def test_export_merges_the_copy_whatever_the_order(tmp_path: Path) -> None:
    (tmp_path / "wire.html").write_bytes(WIRE)
    (tmp_path / "copy.html").write_bytes(COPY)
    document = export(tmp_path / "wire.html", tmp_path / "copy.html")
    (item,) = json.loads(document)["items"]
    assert item["id"] == WIRE_URL  # the least id of the two
    assert authors(item) == ["Partner Desk", "Stella Qiu"]  # every source's byline kept
    assert export(tmp_path / "copy.html", tmp_path / "wire.html") == document


def html_project(tmp_path: Path, files: dict[str, bytes], sources: str = '"../articles/*"'
                 ) -> Project:  # fmt: skip
    tmp_path.mkdir(exist_ok=True)
    project = make_project(tmp_path, articles={})
    config = CONFIG.format(extra="").replace('["../articles/*.txt"]', f"[{sources}]")
    (project.feeds / "news.toml").write_text(config, encoding="utf-8")
    for name, data in files.items():
        project.write(name, data)
    return project


def only_item(project: Project) -> dict[str, Any]:
    (item,) = [i for i in project.items().values()]
    return item


def test_build_merges_duplicates_under_one_stable_id(tmp_path: Path) -> None:
    project = html_project(tmp_path / "one", {"a.html": WIRE, "b.html": COPY})
    assert project.build().exit_code == 0
    item = only_item(project)
    assert item["id"] == WIRE_URL
    assert authors(item) == ["Partner Desk", "Stella Qiu"]
    project.clock.advance(hours=1)
    again = only(project.build())
    assert again.ok and again.written == [] and only_item(project)["id"] == WIRE_URL

    # The same files under swapped names (b.html now read first), and the globs the other way
    # round: the same one entry under the same id.
    swapped = html_project(tmp_path / "two", {"a.html": COPY, "b.html": WIRE},
                           sources='"../articles/b.html", "../articles/a.html"')
    assert swapped.build().exit_code == 0
    assert only_item(swapped)["id"] == WIRE_URL


def test_a_duplicate_arriving_later_keeps_the_id_minted_first(tmp_path: Path) -> None:
    project = html_project(tmp_path, {"b.html": COPY})
    assert project.build().exit_code == 0
    assert only_item(project)["id"] == COPY_URL
    project.clock.advance(hours=1)
    project.write("a.html", WIRE)  # read before b.html from now on, and its id sorts first
    result = only(project.build())
    assert result.ok and result.added == 1
    item = only_item(project)
    assert item["id"] == COPY_URL  # readers already have it under this id
    assert authors(item) == ["Partner Desk", "Stella Qiu"]


def test_an_identical_copy_in_a_second_file_does_not_update_the_entry(tmp_path: Path) -> None:
    """The same file copied into an archive folder beside the one already published: one entry,
    as before, and nothing readers see of it changed, so its updated date stays (it moved to
    the build that found the copy, and the feed's updated with it)."""
    story = (Path(__file__).resolve().parent.parent / "fixtures" / "reuters-nz-rates.txt"
             ).read_bytes()  # it states no update: readers get the one the ledger knows
    project = html_project(tmp_path, {"rates.txt": story}, sources='"../articles/**/*.txt"')
    assert project.build().exit_code == 0
    before = only_item(project)
    documents = {p.name: p.read_bytes() for p in project.public.iterdir()}
    project.clock.advance(hours=1)
    (project.articles / "archive").mkdir()
    project.write("archive/rates.txt", story)
    result = only(project.build())
    assert result.ok and result.added == 1
    assert only_item(project) == before
    assert {p.name: p.read_bytes() for p in project.public.iterdir()} == documents


def test_when_the_first_copy_goes_the_one_that_stays_keeps_its_id(tmp_path: Path) -> None:
    """The article was published under the id of the copy seen first. When that copy's file
    was removed, the build, past the grace period, published the article again under the id
    of the copy that stayed and announced the first id deleted: readers got it twice. The copy
    that stays continues the id; nothing is announced deleted, nothing is new."""
    story = (Path(__file__).resolve().parent.parent / "fixtures" / "reuters-nz-rates.txt"
             ).read_bytes()
    project = html_project(tmp_path, {"rates.txt": story}, sources='"../articles/**/*.txt"')
    assert project.build().exit_code == 0
    published = only_item(project)
    project.clock.advance(hours=1)
    (project.articles / "archive").mkdir()
    project.write("archive/rates.txt", story)
    assert project.build().exit_code == 0
    (project.articles / "rates.txt").unlink()
    project.clock.advance(hours=1)
    in_grace = only(project.build())
    assert in_grace.ok and only_item(project)["id"] == published["id"]
    project.clock.advance(days=3)  # past deleted_grace_days
    past = only(project.build())
    assert past.ok and (past.added, past.removed) == (0, 0)
    assert only_item(project)["id"] == published["id"]
    feed = json.loads((project.public / "news.json").read_text("utf-8"))
    assert feed.get("_feedwright", {}).get("deleted", []) == []
    project.clock.advance(hours=1)
    assert only(project.build()).written == []  # and it stays so
