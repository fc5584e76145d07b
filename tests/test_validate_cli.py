"""feedwright validate: files, stdin and URLs, text and JSON output, exit codes 0/1/2."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from feedwright.cli import main
from feedwright.validate import RULES
from feedwright.validate.reading import DEFAULT_MAX_BYTES

CONFORMANCE = Path(__file__).parent / "conformance"
GOOD = CONFORMANCE / "rss/valid-full.xml"
WARNS = CONFORMANCE / "rss/self-missing.xml"
BAD = CONFORMANCE / "rss/date-weekday.xml"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_clean_document_exits_0_silently() -> None:
    assert run(str(GOOD)) == (0, "", "")


@pytest.mark.parametrize(("name", "rules"), [
    # issue 9's defects 1-4 as feedwright wrote them: a made-up Atom prefix, a credit role that is
    # no EBU code, two dc:source, media that are no enclosure; and, as warnings, repeated
    # dc:creator and an item dated only by atom:updated
    ("atom/issue-9-defects.xml", ("atom-namespace-prefix", "media-credit-role",
                                  "media-enclosure-missing")),
    ("rss/issue-9-defects.xml", ("duplicate-element", "media-credit-role",
                                 "media-enclosure-missing", "rss-creator-multiple",
                                 "rss-pubdate-missing")),
])
def test_issue_9_defects_are_reported(name: str, rules: tuple[str, ...]) -> None:
    code, out, _ = run(str(CONFORMANCE / name))
    assert code == 1  # the credit role and the duplicate are errors, as W3C has them
    for rule in rules:
        assert f" {RULES[rule].severity} {rule} " in out, rule


def test_warnings_alone_exit_0() -> None:
    code, out, _ = run(str(WARNS))
    assert code == 0
    assert out.startswith(f"{WARNS}:") and " warning self-link-missing " in out


def test_errors_exit_1_in_compiler_format() -> None:
    code, out, _ = run(str(GOOD), str(BAD))
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{BAD}:15:0: error rss-date-weekday item 'tag:example.org,2025:storm'")


def test_missing_file_exits_2_and_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.xml"
    code, out, err = run(str(GOOD), str(missing), str(BAD))
    assert code == 2
    assert f"{missing}: no such file" in err
    assert "rss-date-weekday" in out  # the readable documents are still checked


def test_no_targets_is_a_usage_error() -> None:
    code, _, err = run()
    assert code == 2 and "PATH" in err


def test_stdin() -> None:
    code, out, _ = run("-", stdin=BAD.read_bytes())
    assert code == 1 and out.startswith("<stdin>:15:0: error rss-date-weekday")


def test_json_output() -> None:
    code, out, _ = run("--format", "json", str(GOOD), str(BAD), "/no/such/feed.json")
    assert code == 2
    report = json.loads(out)
    good, bad = report["documents"]
    assert good == {"path": str(GOOD), "format": "rss", "ok": True, "errors": 0, "warnings": 0,
                    "issues": []}
    assert bad["ok"] is False and bad["issues"][0]["rule"] == "rss-date-weekday"
    assert bad["issues"][0]["line"] == 15
    assert report["read_errors"] == [{"path": "/no/such/feed.json",
                                      "message": "/no/such/feed.json: no such file"}]


def test_size_cap(tmp_path: Path) -> None:
    code, _, err = run("--max-bytes", "100", str(GOOD))
    assert code == 2 and "larger than 100" in err
    code, _, err = run("--max-bytes", "100", "-", stdin=GOOD.read_bytes())
    assert code == 2 and "standard input: larger than 100" in err


def test_a_document_over_the_old_64_mib_cap_is_checked_by_default(tmp_path: Path) -> None:
    """Issue 12: a 100 MB document is validated without --max-bytes. The bulk here is one long
    comment, so the test stays quick; the cap itself is the constant the CLI falls back to."""
    assert DEFAULT_MAX_BYTES >= 100_000_000
    document = GOOD.read_bytes()
    at = document.index(b"<channel>") + len(b"<channel>")
    big = tmp_path / "big.xml"
    big.write_bytes(document[:at] + b"<!--" + b" " * (65 * 1024 * 1024) + b"-->" + document[at:])
    assert big.stat().st_size > 64 * 1024 * 1024
    assert run(str(big)) == (0, "", "")
    size = big.stat().st_size
    code, _, err = run("--max-bytes", str(size - 1), str(big))
    assert code == 2 and f"{size} bytes is larger than {size - 1}" in err


def test_forced_format() -> None:
    code, out, _ = run("--as", "atom", str(GOOD))
    assert code == 1 and "format-unknown expected Atom 1.0" in out


def test_list_rules() -> None:
    code, out, _ = run("--list-rules")
    assert code == 0 and len(out.splitlines()) == len(RULES)
    code, out, _ = run("--list-rules", "--format", "json")
    assert {rule["id"] for rule in json.loads(out)} == set(RULES)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/feed.xml":
            body = BAD.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404, "Not Found")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_url(server: str) -> None:
    code, out, _ = run(f"{server}/feed.xml")
    assert code == 1 and out.startswith(f"{server}/feed.xml:15:0: error rss-date-weekday")


def test_url_not_found(server: str) -> None:
    code, _, err = run(f"{server}/missing.xml")
    assert code == 2 and "HTTP 404" in err


def test_url_size_cap(server: str) -> None:
    code, _, err = run("--max-bytes", "50", f"{server}/feed.xml")
    assert code == 2 and "larger than 50" in err


def test_unreachable_url() -> None:
    code, _, err = run("--timeout", "2", "http://127.0.0.1:9/feed.xml")
    assert code == 2 and "cannot fetch" in err


# --- reading a file: what the file system says, named ------------------------------------------


def test_a_file_that_cannot_be_read_is_named_with_what_the_system_says(tmp_path: Path) -> None:
    """Each exits 2 naming the path and the reason, and the other documents are still checked:
    a file whose reading fails (/proc/self/mem at offset 0: EIO), a symlink loop, a file this
    process may not read (mode 000, or a write-only /proc/sys file where root reads anything)."""
    loop = tmp_path / "loop.xml"
    loop.symlink_to(tmp_path / "back.xml")
    (tmp_path / "back.xml").symlink_to(loop)
    locked = tmp_path / "locked.xml"
    locked.write_bytes(GOOD.read_bytes())
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root
        locked = Path("/proc/sys/vm/drop_caches")
    expected = {loop: f"{loop}: cannot read (Too many levels of symbolic links)",
                locked: f"{locked}: permission denied"}
    if Path("/proc/self/mem").exists():
        expected[Path("/proc/self/mem")] = "/proc/self/mem: cannot read (Input/output error)"
    for path, message in expected.items():
        if not path.exists() and path != loop:
            continue
        code, out, err = run(str(path), str(BAD))
        assert (code, err) == (2, f"error: {message}\n"), path
        assert out.startswith(f"{BAD}:15:0: error rss-date-weekday"), path


def test_a_pipe_is_read_through_the_cap(tmp_path: Path) -> None:
    """A path that is a pipe (/dev/stdin; `validate <(command)` is one too) has no size to
    refuse up front: it is checked as it is read, and refused once it gives more than the cap."""
    document = BAD.read_bytes()

    def validate(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "feedwright", "validate", *args,
                               "/dev/stdin"], input=document, capture_output=True, timeout=120,
                              check=False)

    checked = validate()
    assert checked.returncode == 1 and checked.stderr == b""
    assert checked.stdout.startswith(b"/dev/stdin:15:0: error rss-date-weekday")
    capped = validate("--max-bytes", str(len(document) - 1))
    assert capped.returncode == 2 and capped.stdout == b""
    assert capped.stderr.decode() == (f"error: /dev/stdin: larger than {len(document) - 1} "
                                      "bytes (raise --max-bytes to allow it)\n")


def test_a_json_feed_file_parsed_whole_is_read_again_within_the_cap(tmp_path: Path) -> None:
    """A JSON Feed whose items come before its version cannot be checked as it streams: the
    file is read again from its start and parsed whole, giving the report the same bytes give
    from standard input; the cap counts from the start again, so a file of exactly the cap is
    not refused on its second reading."""
    feed = json.loads((CONFORMANCE / "json/date-month-13.json").read_text("utf-8"))
    reordered = {"items": feed.pop("items"), **feed}
    path = tmp_path / "items-first.json"
    path.write_text(json.dumps(reordered, indent=2), "utf-8")
    size = path.stat().st_size
    code, out, err = run("--max-bytes", str(size), str(path))
    stdin_code, stdin_out, _ = run("--max-bytes", str(size), "-", stdin=path.read_bytes())
    assert (code, err) == (1, "") and out
    assert (stdin_code, stdin_out.replace("<stdin>", str(path))) == (code, out)
    assert " error " in out and "date" in out


# --- what a fuzzing pass broke: each once a traceback ------------------------------------------

HEAD = ('<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title>'
        '<link>https://example.org/</link><description>d</description>'
        '<atom:link rel="self" href="https://example.org/f.xml" type="application/rss+xml"/>')


def rss_with(item: str, before: str = "") -> bytes:
    return (before + HEAD + "<item><title>a</title><guid>https://example.org/1</guid>" + item +
            "</item></channel></rss>\n").encode()


def json_feed_with(number: str) -> bytes:
    return ('{"version": "https://jsonfeed.org/version/1.1", "title": "t", '
            '"feed_url": "https://example.org/feed.json", "items": '
            '[{"id": "1", "content_text": "x", "_n": ' + number + "}]}").encode()


@pytest.mark.parametrize("digits", [4301, 100_000])
def test_a_json_integer_of_thousands_of_digits_is_a_number(tmp_path: Path, digits: int) -> None:
    """Python's int() refuses over 4,300 digits: such a number is read as json reads 1e999,
    the same report from the stream, the file parsed whole and standard input."""
    path = tmp_path / "big.json"
    path.write_bytes(json_feed_with("1" + "0" * digits))
    assert run(str(path)) == (0, "", "")
    assert run("-", stdin=path.read_bytes()) == (0, "", "")
    path.write_bytes(json_feed_with("1").replace(b'"title": "t"', b'"title": 1' + b"0" * digits))
    code, out, err = run(str(path))  # and a number it is, where a string must be
    assert (code, err) == (1, "") and "error jsonfeed-schema /title: inf is not of type" in out
    assert run("-", stdin=path.read_bytes())[1] == out.replace(str(path), "<stdin>")


@pytest.mark.parametrize(("item", "rule"), [
    ('<enclosure url="https://example.org/a.mp3" type="audio/mpeg" length="{n}"/>',
     "enclosure-length"),
    ('<media:content url="https://example.org/a.jpg" medium="image" width="{n}"/>',
     "media-integer"),
])
def test_an_xml_number_of_thousands_of_digits_is_read_by_its_digits(item: str, rule: str) -> None:
    big = "1" + "0" * 5000
    assert run("-", stdin=rss_with(item.format(n=big)))[0] == 0
    for refused in ("-" + big, "0" * 5000 if rule == "media-integer" else "1x"):
        code, out, err = run("-", stdin=rss_with(item.format(n=refused)))
        assert (code, err) == (1, "") and f"error {rule}" in out, refused


def test_a_channel_past_line_65535_is_checked() -> None:
    """lxml sets a copied element's line in 16 bits: a channel 70,000 lines down is checked all
    the same (its own issues without a line)."""
    document = rss_with("").replace(b"<channel>", b"\n" * 70_000 + b"<channel>")
    assert run("-", stdin=document) == (0, "", "")
    code, out, err = run("-", stdin=document.replace(b"<description>d</description>", b""))
    assert (code, err) == (1, "") and "error rss-schema" in out


def test_standard_input_closed_is_an_error_only_for_minus() -> None:
    """Started with standard input closed (`<&-`), validate reads files as ever and says that
    - cannot be read."""
    script = ("import os, subprocess, sys; os.close(0); sys.exit(subprocess.run([sys.executable, "
              "'-m', 'feedwright', 'validate', *sys.argv[1:]]).returncode)")
    done = subprocess.run([sys.executable, "-c", script, str(BAD)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.startswith(f"{BAD}:15:0: error rss-date-weekday")
    done = subprocess.run([sys.executable, "-c", script, "-"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr == "error: standard input: it is closed; give a file's path instead of -\n"


def test_a_cap_far_above_the_memory_is_only_a_cap(tmp_path: Path) -> None:
    """--max-bytes of 100 GB: a stream read to its end was one read of the cap's size, which
    allocated it (MemoryError); standard input and a JSON Feed file parsed whole are read in
    pieces."""
    feed = json.loads((CONFORMANCE / "json/date-month-13.json").read_text("utf-8"))
    path = tmp_path / "items-first.json"  # parsed whole: read to its end
    path.write_text(json.dumps({"items": feed.pop("items"), **feed}), "utf-8")
    huge = str(100 * 1024 ** 3)
    code, out, err = run("--max-bytes", huge, str(path))
    assert (code, err) == (1, "") and " error " in out
    capped = run("--max-bytes", huge, "-", stdin=BAD.read_bytes())
    assert capped == run("-", stdin=BAD.read_bytes()) and capped[0] == 1


def test_errors_name_a_path_as_it_was_given(tmp_path: Path) -> None:
    assert run("")[2] == "error: '': an empty path names no file\n"
    url = "ftp://example.org/feed.xml"  # (no such file: feedwright fetches http and https)
    assert run(url)[2] == f"error: {url}: no such file\n"


def test_an_undefined_entity_is_named_where_it_is_in_a_big_document(tmp_path: Path) -> None:
    """An undefined entity in a document read in pieces: libxml2 reads on and fails later at a
    place of no meaning ("Start tag expected" at 1:1); the report names the entity where a
    parse of the whole document does, whatever was checked before it in the same run."""
    items = "".join(f"<item><title>x</title><guid>https://example.org/{n}</guid></item>\n"
                    for n in range(2, 1500))
    document = rss_with("<description>a&nbsp;b</description>").replace(
        b"</item>", b"</item>" + items.encode(), 1)
    assert len(document) > 65536  # read in more than one piece
    path = tmp_path / "nbsp.rss"
    path.write_bytes(document)
    earlier = tmp_path / "earlier.rss"  # an error of its own, logged first
    earlier.write_bytes(b"<rss><channel>&mdash;</channel></rss>" + b" " * 70_000)
    with pytest.raises(etree.XMLSyntaxError) as whole:
        etree.fromstring(document, etree.XMLParser(resolve_entities=False))
    line, column = whole.value.position
    expected = (f"{path}:{line}:{column}: error xml-wellformed not well-formed XML: "
                f"Entity 'nbsp' not defined, line {line}, column {column}\n")
    code, out, _ = run(str(earlier), str(path))
    assert code == 1 and out.endswith(expected)


def test_a_huge_value_is_quoted_in_part() -> None:
    """Messages quote the values they are about: a 5 MB url is quoted by its start and its
    end, the line still saying what is wrong and how to fix it."""
    url = "https://example.org/ " + "a" * 5_000_000
    code, out, _ = run("-", stdin=rss_with("").replace(b"https://example.org/1",
                                                        url.encode(), 1))
    assert code == 1
    (line,) = [line for line in out.splitlines() if "characters left out" in line]
    assert len(line) < 2500 and "guid" in line and "aaaa" in line


def test_output_cut_short_by_its_reader_is_141_not_a_rejection(tmp_path: Path) -> None:
    """`feedwright validate FEED | head -1` on a document with only warnings: the pipe closes
    after the first line; the exit code says so (141, as a shell shows SIGPIPE), not 1
    (rejected), and nothing is printed about it."""
    items = "".join(f"<item><title>x{n}</title></item>\n" for n in range(20_000))
    path = tmp_path / "warnings.rss"  # one warning an item: 2 MB of report
    path.write_bytes(rss_with("").replace(b"</item>", b"</item>" + items.encode(), 1))
    assert run(str(path))[0] == 0
    validate = subprocess.Popen([sys.executable, "-m", "feedwright", "validate", str(path)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert validate.stdout is not None and validate.stderr is not None
    assert b"warning" in validate.stdout.readline()
    validate.stdout.close()
    assert validate.wait(timeout=120) == 141
    assert validate.stderr.read() == b""


def test_json_that_cannot_be_read_says_where_and_why(tmp_path: Path) -> None:
    """A byte that is not UTF-8 is placed by line and column, as json's own errors are; JSON
    nested deeper than Python reads is not called ill-formed."""
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"version": "https://jsonfeed.org/version/1.1",\n"title": "\u00e9t\u00e9 '
                      .encode() + b'caf\xe9"}')
    code, out, _ = run(str(latin))  # (the column counts characters: each é is one)
    assert code == 1 and out.startswith(f"{latin}:2:18: error json-wellformed not well-formed "
                                        "JSON: not utf-8 text: invalid continuation byte")
    deep = tmp_path / "deep.json"
    deep.write_text('{"items": [{"_x": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    code, out, _ = run(str(deep))
    assert code == 1 and "nested deeper than Python reads" in out and "well-formed" not in out


def test_markup_where_text_goes_is_named_with_its_line() -> None:
    """An unescaped tag in an RSS title, a common slip: libxml2 says only "Extra element title
    in interleave", at no line; the report names the element, the tag and the line."""
    document = rss_with("").replace(b"<title>a</title>", b"\n<title>a <b>bold</b> title</title>")
    code, out, _ = run("-", stdin=document)
    assert code == 1
    (line,) = [line for line in out.splitlines() if "rss-schema" in line]
    assert line == ("<stdin>:2:0: error rss-schema item 'https://example.org/1': schema: <title> "
                    "holds the element <b>, where it holds text only; escape the markup "
                    "(&lt;b&gt;) or remove it")
    escaped = document.replace(b"<b>bold</b>", b"&lt;b&gt;bold&lt;/b&gt;")
    assert "rss-schema" not in run("-", stdin=escaped)[1]


def test_markup_where_text_goes_hides_no_other_schema_error() -> None:
    """libxml2 says nothing more of an entry once its interleave fails: the entry is checked
    again with the markup taken for text, and its other errors are reported beside it."""
    entry = ('<entry><title>a <b>b</b></title><updated>2026-01-01T00:00:00Z</updated>'
             '<author><name>A</name></author><content>x</content></entry>')
    document = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id>'
                '<updated>2026-01-01T00:00:00Z</updated>'
                '<link rel="self" href="https://example.org/f.atom"/>' + entry + "</feed>")
    code, out, _ = run("-", stdin=document.encode())
    assert code == 1
    assert "<title> holds the element <b>" in out
    assert "Expecting an element id" in out  # what the same entry says without the <b>
    without = run("-", stdin=document.replace("<b>b</b>", "b").encode())[1]
    assert "Expecting an element id" in without and "holds the element" not in without


@pytest.mark.parametrize("root", ['<rss version="2.0" xmlns:a="">', '<rss version="2.0"><a:b/>'])
def test_a_namespace_error_is_named_as_a_whole_parse_names_it(root: str) -> None:
    """libxml2 logs namespace errors under their own domain, and reads on to the next: the
    first is the namespace's, as a whole parse says (not the mismatched tag after it)."""
    document = (root + "<channel><title>t</titl></channel></rss>").encode()
    with pytest.raises(etree.XMLSyntaxError) as whole:
        etree.fromstring(document, etree.XMLParser(resolve_entities=False))
    line, column = whole.value.position
    code, out, _ = run("-", stdin=document)
    assert code == 1 and out.startswith(f"<stdin>:{line}:{column}: error xml-wellformed")
    assert str(whole.value.msg).split(",")[0] in out


def test_standard_output_closed_is_no_error_when_nothing_is_printed() -> None:
    script = ("import os, subprocess, sys; os.close(1); sys.exit(subprocess.run([sys.executable, "
              "'-m', 'feedwright', 'validate', '--quiet', *sys.argv[1:]]).returncode)")
    done = subprocess.run([sys.executable, "-c", script, str(GOOD)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
