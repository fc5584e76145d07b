"""A build onto a real full disk: a 96 KiB tmpfs mounted, in a private mount namespace, where the
documents are published. The build that does not fit fails naming the file and the reason, leaves
the published documents byte for byte as they were, leaves no temporary file, and commits nothing
to the ledger, so the next build with room publishes the change."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import on_a_tiny_disk

#: Runs in the namespace; sys.argv[1] is PROJECT/public, where the tmpfs is mounted.
BUILDS = """
import json, os, sys
from pathlib import Path
from tests.test_build import article, make_project, only

project = make_project(Path(sys.argv[1]).parent)
first = only(project.build())
before = project.outputs()
project.write("big.txt", article("A very long report", "The council met. " * 30_000))
project.clock.advance(hours=1)
full = only(project.build())
after = project.outputs()
(project.articles / "big.txt").write_text(article("A short report", "The council met."))
project.clock.advance(hours=1)
roomy = only(project.build())
print(json.dumps({
    "first": first.ok, "full_errors": full.errors, "unchanged": before == after,
    "files": sorted(os.listdir(project.public)), "roomy": [roomy.ok, roomy.added],
    "titles": sorted(project.items()),
}))
"""


def test_a_build_onto_a_full_disk_keeps_the_published_feed(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    result = on_a_tiny_disk(tmp_path / "public", "96k", BUILDS)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["first"] is True
    assert report["full_errors"], "the build that did not fit must fail"
    assert all(": cannot write: No space left on device" in e for e in report["full_errors"])
    assert report["unchanged"] is True  # every published document as it was, mtime and all
    assert report["files"] == ["news.atom.xml", "news.json", "news.rss.xml"]  # no temp left
    # nothing was committed: the next build sees the (now short) report as new
    assert report["roomy"] == [True, 1]
    assert "A short report" in report["titles"]


#: The ledger on the tmpfs (sys.argv[1]), the project beside it; the disk filled before the
#: second build.
LEDGER_FILLS = """
import json, os, sys
from pathlib import Path
from tests.test_build import article, make_project, only

disk = Path(sys.argv[1])
(disk.parent / "project").mkdir()
project = make_project(disk.parent / "project")
project.state = str(disk / "state.sqlite")
first = only(project.build())
before = project.outputs()
filler = disk / "filler"
fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(fd, b"x" * 4096)
except OSError:
    os.close(fd)
for n in range(40):  # enough new rows that the ledger must grow
    project.write(f"new{n}.txt", article(f"Story {n}", "The council met. " * 200))
project.clock.advance(hours=1)
full = only(project.build())
after = project.outputs()
filler.unlink()
project.clock.advance(hours=1)
roomy = only(project.build())
print(json.dumps({"first": first.ok, "full_errors": full.errors, "unchanged": before == after,
                  "roomy": [roomy.ok, roomy.added], "roomy_errors": roomy.errors}))
"""


def test_a_ledger_on_a_full_disk_says_so(tmp_path: Path) -> None:
    """The ledger's disk fills: SQLite rolls the transaction back by itself, and the ROLLBACK
    that followed failed and hid why ("cannot rollback - no transaction is active"). The
    build now says the disk is full, publishes nothing, and the next build with room
    catches up."""
    (tmp_path / "state").mkdir()
    result = on_a_tiny_disk(tmp_path / "state", "2m", LEDGER_FILLS)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["first"] is True
    (error,) = report["full_errors"]
    assert "database or disk is full" in error and "rollback" not in error, error
    assert report["unchanged"] is True
    assert report["roomy"] == [True, 40], report["roomy_errors"]
