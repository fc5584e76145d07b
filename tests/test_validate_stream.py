"""RSS and Atom are validated as they are parsed, entry by entry (issue 12): memory holds one
entry at a time, and the report is the one a parse of the whole document gave, in the same
order, wherever the pieces the document arrives in happen to end. The build hands a feed's
documents over with what validation can reuse: the JSON Feed object the emitter encoded, and the
html checks the three documents share."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import subprocess
import sys
from pathlib import Path

import pytest

from feedwright.emit import emit, emit_document
from feedwright.model import Agent, AgentKind
from feedwright.validate import ContentChecks, validate_document
from tests.helpers import TEXT_FIXTURES, make_feed

CONFORMANCE = Path(__file__).resolve().parent / "conformance"


class Trickle(io.RawIOBase):
    """A stream that hands out a few bytes per read, however many are asked for."""

    def __init__(self, data: bytes, size: int) -> None:
        super().__init__()
        self._data, self._at, self._size = data, 0, size

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + min(size, self._size)
        piece = self._data[self._at:end]
        self._at = end
        return piece


def xml_documents() -> list[Path]:
    return sorted(p for fmt in ("rss", "atom") for p in (CONFORMANCE / fmt).iterdir())


@pytest.mark.parametrize("path", xml_documents(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_report_does_not_depend_on_where_the_pieces_end(path: Path) -> None:
    data = path.read_bytes()
    whole = validate_document(data)
    for size in (1, 7, 4096):
        assert validate_document(Trickle(data, size)) == whole  # type: ignore[arg-type]


def test_a_feed_author_after_the_entries_still_covers_them() -> None:
    """RFC 4287 lets the feed's author stand anywhere among its children: the entries seen
    before it are not reported for lacking one, and without it every one is, in order."""
    body = ('<entry><id>tag:x,2026:{n}</id><title>t{n}</title>'
            '<updated>2026-01-01T00:00:00Z</updated><content type="text">c</content></entry>')
    entries = "\n".join(body.format(n=n) for n in range(3))
    head = ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:x,2026:f'
            '</id><title>f</title><updated>2026-01-01T00:00:00Z</updated>'
            '<link rel="self" href="https://x.test/f"/>\n')
    late = (head + entries + "\n<author><name>A</name></author></feed>").encode()
    assert not [i for i in validate_document(late).issues if i.rule == "atom-entry-author"]
    none = (head + entries + "\n</feed>").encode()
    missing = [i for i in validate_document(none).issues if i.rule == "atom-entry-author"]
    assert [(i.line, i.message.split(": ")[0]) for i in missing] == [
        (3, "entry 'tag:x,2026:0'"), (4, "entry 'tag:x,2026:1'"), (5, "entry 'tag:x,2026:2'")]


def test_languages_and_archive_marks_inside_entries_keep_their_place() -> None:
    """xml:lang and misplaced RFC 5005 marks are found in entries (checked and cleared as they
    pass) and around them (checked at the end), and reported in document order."""
    data = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:fh="http://purl.org/syndication/history/1.0">
<channel xml:lang="xx-1"><title>t</title><link>https://x.test/</link><description>d</description>
<item xml:lang="zz-9"><title>a</title><guid isPermaLink="false">a</guid><fh:archive/></item>
<image xml:lang="yy-2"><url>https://x.test/i.png</url><title>t</title><link>https://x.test/</link></image>
<item><title xml:lang="qq-3">b</title><guid isPermaLink="false">b</guid></item>
</channel><fh:complete/></rss>
"""
    report = validate_document(data)
    found = [(i.rule, i.line, i.path) for i in report.issues
             if i.rule in ("language-code", "archive-marker-place")]
    assert found == [
        ("language-code", 3, "/rss/channel"),
        ("archive-marker-place", 4, "/rss/channel/item[1]/fh:archive"),
        ("language-code", 4, "/rss/channel/item[1]"),
        ("language-code", 5, "/rss/channel/image"),
        ("language-code", 6, "/rss/channel/item[2]/title"),
        ("archive-marker-place", 7, "/rss/fh:complete"),
    ]


def big_feed_file(tmp_path: Path, copies: int, fmt: str = "rss") -> Path:
    feed = make_feed(TEXT_FIXTURES)
    entries = tuple(dataclasses.replace(entry, id=f"{entry.id}-{n}")
                    for n in range(copies) for entry in feed.entries)
    path = tmp_path / f"big.{fmt}"
    path.write_bytes(emit(dataclasses.replace(feed, entries=entries,
                                              self_url=f"https://feedwright.test/big.{fmt}"), fmt))
    return path


#: The peak is the process's own (VmHWM): ru_maxrss would be at least what the test process
#: held when it forked this one (Linux carries it across exec), and pytest holds more than a
#: validation does, which made every growth measured here about 0.
_PEAK = """
import re, sys
from pathlib import Path
from feedwright.cli import main
sys.argv = ["feedwright", "validate", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
status = Path("/proc/self/status").read_text()
print(code, int(re.search(r"VmHWM:\\s+(\\d+) kB", status)[1]) // 1024)
"""


def peak_mb(*args: str, stdin: Path | None = None) -> tuple[int, int]:
    with stdin.open("rb") if stdin is not None else contextlib.nullcontext() as given:
        done = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True,
                              text=True, check=True, timeout=300, stdin=given)
    code, peak = done.stdout.split()[-2:]
    return int(code), int(peak)


def growth_mb(tmp_path: Path, fmt: str) -> tuple[int, int, int]:
    """`feedwright validate` of a document of 20 MB or more: its exit code, how much more the
    process grew than for a small document, and the big document's size, in MB."""
    path = big_feed_file(tmp_path, 1500, fmt)
    size_mb = path.stat().st_size // 2**20
    assert size_mb >= 18
    (tmp_path / "small").mkdir()
    small = big_feed_file(tmp_path / "small", 1, fmt)
    code, peak = peak_mb(str(path), "--quiet")
    _, baseline = peak_mb(str(small), "--quiet")
    return code, peak - baseline, size_mb


#: What checking an RSS or Atom document may add to the process, as a share of its size: the
#: parse keeps each entry it has checked as an empty element, and its id (24 MB of 1,500
#: entries: +6 MB; read whole and parsed, it took several times its size).
XML_GROWTH = 1 / 3


def test_a_big_document_is_checked_in_bounded_memory(tmp_path: Path) -> None:
    """`feedwright validate` of a 24 MB RSS file: the process grows by a small part of the
    document, where reading it whole and parsing it took several times its size."""
    code, growth, size_mb = growth_mb(tmp_path, "rss")
    assert code == 0
    assert growth < size_mb * XML_GROWTH, (growth, size_mb)


@pytest.mark.parametrize("fmt", ["rss", "json"])
def test_a_big_document_on_standard_input_is_checked_in_bounded_memory(tmp_path: Path,
                                                                       fmt: str) -> None:
    """`feedwright validate -` of a 20 MB document: standard input is copied into a temporary
    file a piece at a time and checked from there, as a file is (it was read whole into
    memory: 100 MB piped in peaked at 150 MB)."""
    path = big_feed_file(tmp_path, 1500, fmt)
    size_mb = path.stat().st_size // 2**20
    (tmp_path / "small").mkdir()
    small = big_feed_file(tmp_path / "small", 1, fmt)
    code, peak = peak_mb("-", "--quiet", stdin=path)
    _, baseline = peak_mb("-", "--quiet", stdin=small)
    assert code == 0
    assert peak - baseline < size_mb * (XML_GROWTH if fmt == "rss" else 1 / 4), (
        peak - baseline, size_mb)


def test_the_builds_handover_gives_the_reports_of_the_bytes_alone() -> None:
    """Render validates a JSON Feed's object as emitted, and the three documents share their
    html checks: the reports are those of each document's bytes checked alone, with issues in
    the shared html (relative links, a script) found in every format."""
    feed = make_feed(TEXT_FIXTURES)
    first = feed.entries[0]
    risky = dataclasses.replace(first, content_html=(first.content_html or "")
                                + '<p><a href="rel/page.html">x</a><script>x()</script></p>')
    feed = dataclasses.replace(feed, entries=(risky, *feed.entries[1:]),
                               authors=(Agent("Desk", AgentKind.ORGANIZATION),))
    shared = ContentChecks()
    for fmt in ("rss", "atom", "json"):
        emitted = emit_document(dataclasses.replace(feed, self_url=f"https://f.test/f.{fmt}"), fmt)
        assert emitted.data == emit(dataclasses.replace(feed, self_url=f"https://f.test/f.{fmt}"),
                                    fmt)
        handed = validate_document(emitted.data, fmt, content=shared, document=emitted.document)
        assert handed == validate_document(emitted.data, fmt)
        assert {"html-relative-url", "html-script"} <= {i.rule for i in handed.issues}
