"""The validation API the build gate and the CLI use: detection, reports, safety, speed shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedwright.validate import RULES, Issue, Report, detect_format, validate_document

CONFORMANCE = Path(__file__).parent / "conformance"
RSS = (CONFORMANCE / "rss/valid-full.xml").read_bytes()
ATOM = (CONFORMANCE / "atom/valid-full.xml").read_bytes()
JSON_FEED = (CONFORMANCE / "json/valid-full.json").read_bytes()


@pytest.mark.parametrize(("data", "expected"), [
    (RSS, "rss"), (ATOM, "atom"), (JSON_FEED, "json"),
    (b"\xef\xbb\xbf" + RSS, "rss"),
    ("\ufeff".encode("utf-16-le") + ATOM.decode().replace("utf-8", "utf-16").encode("utf-16-le"),
     "atom"),
    (b'<!-- a comment --><?pi x?>\n<!DOCTYPE rss [<!ENTITY a "b">]>\n<rss version="2.0"/>',
     "rss"),
    (b'<a:feed xmlns:a="http://www.w3.org/2005/Atom"/>', "atom"),
    (b"<feed/>", "unknown"), (b"<html/>", "unknown"), (b"", "unknown"), (b"[]", "unknown"),
    # what XML allows before and in the root's start tag, read as XML reads it
    (b'<feed a=">" xmlns="http://www.w3.org/2005/Atom"/>', "atom"),
    (b'<!DOCTYPE rss [<!ENTITY a "x]y">]><rss version="2.0"/>', "rss"),
    (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>a&nbsp;b', "rss"),
    (b"<rss", "rss"),  # cut short before the tag ends: still the document its name says
    (b"<!DOCTYPE x " + b"[]" * 40, "unknown"),
    # not XML before the root's start tag ends: its first tag says what it means to be
    (b'<?xml version="1.0"?>\n<rss version=2.0><channel/></rss>', "rss"),
    (b'<?xml version="1.0" encoding="bogus"?>\n<rss version="2.0"/>', "rss"),
    (b'<!-- a -- b -->\n<rss version="2.0"/>', "rss"),
    (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="a&b">', "atom"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"', "atom"), (b"<feed", "unknown"),
    # JSON in UTF-16 or UTF-32 without a BOM, which json reads (by where the zero bytes are)
    *((JSON_FEED.decode().encode(codec), "json")
      for codec in ("utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le")),
])
def test_detect_format(data: bytes, expected: str) -> None:
    assert detect_format(data) == expected


def test_a_prolog_of_many_brackets_is_read_at_once() -> None:
    """A 92-byte DOCTYPE of empty brackets held the pattern that skipped prologs for minutes
    (its time doubled with each pair); a whole command on it is over at once, saying what the
    document is not."""
    data = b"<!DOCTYPE x " + b"[]" * 40 + b"\n"
    done = subprocess.run([sys.executable, "-m", "feedwright", "validate", "-"], input=data,
                          capture_output=True, timeout=30, check=False)
    assert done.returncode == 1 and b"format-unknown" in done.stdout + done.stderr


@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le"])
def test_xml_in_utf_16_or_32_without_a_byte_order_mark_is_detected(codec: str) -> None:
    """XML 1.0 Appendix F tells these encodings by where the zero bytes of "<?" fall; UTF-16BE
    and UTF-32 were "not RSS 2.0, Atom 1.0 or JSON Feed", though they parse."""
    declared = RSS.decode().replace('encoding="utf-8"', f'encoding="{codec[:6].upper()}"')
    assert declared != RSS.decode()
    data = declared.encode(codec)
    assert detect_format(data) == "rss"
    report = validate_document(data)
    assert (report.format, report.ok) == ("rss", True), report.issues


@pytest.mark.parametrize("document", [RSS, ATOM], ids=["rss", "atom"])
def test_a_prolog_longer_than_the_first_bytes_read_is_read_to_the_root(
        document: bytes, tmp_path: Path) -> None:
    """A licence in a comment, or a DOCTYPE's subset, may run past the 64 KiB read to tell a
    format by: the parser reads on to the root's start tag, in bytes, a stream or a file."""
    declaration, rest = document.split(b"?>", 1)
    comment = b"<!-- " + b"licence text, " * 20_000 + b"-->\n"  # 280 KB
    long = declaration + b"?>\n" + comment + rest
    expected = detect_format(document)
    assert detect_format(long) == expected
    assert validate_document(long).ok
    (tmp_path / "long.xml").write_bytes(long)
    with (tmp_path / "long.xml").open("rb") as handle:
        report = validate_document(handle)
    assert (report.format, report.ok) == (expected, True)
    done = subprocess.run([sys.executable, "-m", "feedwright", "validate", "-"], input=long,
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # and a prolog that never reaches a root is still said to be no known format
    assert detect_format(declaration + b"?>\n" + comment) == "unknown"


def test_report_properties() -> None:
    error = Issue("url-absolute", "error", "x")
    warning = Issue("self-link-missing", "warning", "y")
    report = Report("rss", (error, warning))
    assert report.errors == (error,) and report.warnings == (warning,) and not report.ok
    assert Report("rss", (warning,)).ok


def test_valid_documents_are_clean() -> None:
    for data in (RSS, ATOM, JSON_FEED):
        assert validate_document(data).issues == ()


def test_utf16_atom_is_read() -> None:
    data = ATOM.decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert validate_document(data).issues == ()


def test_forced_format_that_does_not_match() -> None:
    report = validate_document(ATOM, "rss")
    assert report.format == "rss"
    assert [found.rule for found in report.issues] == ["format-unknown"]
    assert "<feed>" in report.issues[0].message


def test_issues_carry_line_and_path() -> None:
    report = validate_document((CONFORMANCE / "rss/date-weekday.xml").read_bytes())
    (found,) = report.issues
    assert found.line == 15
    assert found.path == "/rss/channel/item/pubDate"
    assert "Mon" in found.message and "Wed" in found.message


def test_schema_issue_path_inside_an_entry() -> None:
    report = validate_document((CONFORMANCE / "atom/schema-unknown-atom-element.xml").read_bytes())
    (found,) = report.issues
    assert found.rule == "atom-schema" and found.line == 11
    assert found.path == "/*/*[8]/*[1]"
    assert "<byline>" in found.message
    assert "tag:example.org,2025:storm" in found.message


def test_json_issues_carry_a_pointer() -> None:
    report = validate_document((CONFORMANCE / "json/schema-attachment-no-mime.json").read_bytes())
    (found,) = report.issues
    assert found.path == "/items/0/attachments/0"
    assert "mime_type" in found.message


def test_entities_are_not_expanded() -> None:
    """A billion-laughs document is reported, not expanded (which would take the memory)."""
    laughs = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
    ) + b']><rss version="2.0"><channel><title>&i;</title></channel></rss>'
    report = validate_document(laughs)
    # libxml2 refuses the amplification outright; either way nothing is expanded.
    assert {found.rule for found in report.issues} <= {"xml-wellformed", "xml-doctype",
                                                       "rss-schema"}
    assert not report.ok
    assert all("a" * 100 not in found.message for found in report.issues)


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    """An entity naming a local file: its content must not reach what the validator parsed (its
    tree, and so the values its rules look at) nor what the feed reader returns."""
    from lxml import etree

    from feedwright.sources import Retrieved, SourceError, read
    from feedwright.validate.xmlcommon import parser

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<rss version="2.0"><channel><title>&x;</title><link>https://example.org/</link>'
            "<description>d</description><item><title>Storm &x;</title><pubDate>&x;</pubDate>"
            "<guid>tag:example.org,2025:storm</guid></item></channel></rss>").encode()

    parsed = etree.fromstring(data, parser())  # the one parser every validator check uses
    assert "TOP-SECRET" not in "".join(parsed.itertext())
    assert parsed.findtext("channel/item/title") == "Storm "  # the reference stays unexpanded

    report = validate_document(data)
    # the date rule quotes the text it read: empty, not the file
    dates = [found.message for found in report.issues if found.rule == "rss-date-rfc822"]
    assert len(dates) == 1 and "date '' is not RFC 822" in dates[0]
    assert all("TOP-SECRET" not in found.message for found in report.issues)

    with pytest.raises(SourceError) as refused:  # our feed reader refuses entity declarations
        read(Retrieved(location="xxe.xml", data=data), kind="feed")
    assert "declares entities" in str(refused.value) and "TOP-SECRET" not in str(refused.value)


def test_large_text_nodes_are_accepted() -> None:
    """huge_tree: a text node over libxml2's default 10 MB limit is not an error."""
    big = RSS.replace(b"The harbour closed on Wednesday.", b"x" * 11_000_000)
    assert validate_document(big).issues == ()


def _many_items(count: int, broken: int | None = None) -> bytes:
    head, rest = RSS.split(b"    <item>", 1)
    item, tail = rest.split(b"    </item>\n", 1)
    items = []
    for n in range(count):
        text = item.replace(b"storm", f"storm-{n}".encode())
        if n == broken:
            text = text.replace(b"<category>", b"<bogus/><category>")
        items.append(b"    <item>" + text + b"    </item>\n")
    return head + b"".join(items) + tail


def test_many_entries_are_checked_one_by_one() -> None:
    """Entries are schema-validated separately; an error in the 300th is still found."""
    report = validate_document(_many_items(400, broken=299))
    assert validate_document(_many_items(400)).issues == ()
    assert {found.rule for found in report.issues} == {"rss-schema"}
    assert "tag:example.org,2025:storm-299" in report.issues[0].message


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_never_raises_on_bytes(data: bytes) -> None:
    report = validate_document(data)
    assert all(found.rule in RULES for found in report.issues)


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["version", "title", "items", "id", "url", "authors", "author",
                         "content_html", "feed_url", "next_url", "date_published", "language",
                         "attachments", "mime_type"]), inner, max_size=5),
    max_leaves=20))
@settings(max_examples=200, deadline=None)
def test_never_raises_on_json_shapes(value: object) -> None:
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [value]}
    for data in (json.dumps(value).encode(), json.dumps(document).encode()):
        report = validate_document(data)
        assert all(found.rule in RULES for found in report.issues)


def test_rule_registry_is_consistent() -> None:
    assert len(RULES) >= 25
    for rule in RULES.values():
        assert rule.severity in ("error", "warning")
        assert rule.formats and rule.description.endswith(".")


@pytest.mark.parametrize(("attribute", "reason"), [
    ('width="0"', "media:content width '0' is not a positive integer"),
    ('fileSize="-5"', "media:content fileSize '-5' is not a positive integer"),
    ('channels="-1"', "media:content channels '-1' is not a whole number, 0 or more"),
])
def test_a_bad_media_number_says_what_it_must_be(attribute: str, reason: str) -> None:
    data = RSS.replace(b"<media:content ", b"<media:content " + attribute.encode() + b" ")
    (issue,) = [i for i in validate_document(data, "rss").issues if i.rule == "media-integer"]
    assert reason in issue.message
    assert validate_document(RSS.replace(b"<media:content ", b'<media:content channels="0" '),
                             "rss").issues == ()


@pytest.mark.parametrize(("markup", "rule", "said"), [
    ('<a href="javascript:alert(1)">x</a>', "html-javascript-url",
     "content links to a javascript: URL (<a href=...>)"),
    ('<img src="img/storm.jpg" alt="x"/>', "html-relative-url",
     "content holds a relative link (src='img/storm.jpg' on <img>)"),
    ("<script>alert(1)</script>", "html-script", "content holds a <script> element"),
    ('<p onclick="alert(1)">x</p>', "html-event-handler",
     "content holds an event handler (onclick= on <p>)"),
])
def test_a_content_issue_names_the_element_and_attribute(markup: str, rule: str,
                                                         said: str) -> None:
    data = RSS.replace(b"<p>The harbour closed on", markup.encode() + b"<p>The harbour closed on")
    (issue,) = [i for i in validate_document(data, "rss").issues if i.rule == rule]
    assert said in issue.message


def test_html_that_shows_a_tag_as_text_is_not_called_escaped_twice(tmp_path: Path) -> None:
    """An article about html shows '<b>' as text ('&lt;b&gt;' inside its own markup): our
    documents of it were warned 'HTML content is escaped twice'. Escaped twice is content whose
    tags are all text; markup with tags of its own that shows one is escaped right."""
    from feedwright.validate.content import check_html

    assert check_html("&lt;p&gt;The harbour closed.&lt;/p&gt;") != []
    assert check_html("The harbour closed. &lt;br&gt;Tonight: rain&lt;/p&gt;") != []
    assert check_html("<p>Wrap it in the &lt;b&gt; tag, as &lt;p&gt; starts one.</p>") == []
    assert check_html("Wrap it in the &lt;b&gt; tag, as &lt;p&gt; starts one.") == []
    article = tmp_path / "tags.txt"
    article.write_text("How to write bold text in HTML pages\n\nBy Jane Doe\n\n12 March 2025"
                       "\n\nTo make a word bold, wrap it in the <b> tag.\n\nThe &lt;p&gt; "
                       "element starts a paragraph.\n", "utf-8")
    for fmt in ("rss", "atom", "json"):
        out = tmp_path / f"tags.{fmt}"
        exported = subprocess.run([sys.executable, "-m", "feedwright", "export", str(article),
                                   "--link", "https://example.org/", "--format", fmt,
                                   "-o", str(out)], capture_output=True, timeout=60, check=False)
        assert exported.returncode == 0, exported.stderr
        rules = {found.rule for found in validate_document(out.read_bytes()).issues}
        assert "html-double-escaped" not in rules, (fmt, rules)


def test_a_content_block_reports_each_rule_once() -> None:
    """A hundred relative links are one fix: one issue per rule per content block."""
    links = b'<img src="a.jpg" alt="a"/><img src="b.jpg" alt="b"/><a href="c">c</a>'
    data = RSS.replace(b"<p>The harbour closed on", links + b"<p>The harbour closed on")
    assert [i.rule for i in validate_document(data, "rss").issues] == ["html-relative-url"]


@pytest.mark.parametrize("date", ["Wed, 12 Mar 2025 06:04:00 +2500",
                                  "Wed, 12 Mar 2025 06:04:00 XYZ",
                                  "Wed, 12 Mar 2025 06:04:00 +05:30"])
def test_a_bad_zone_is_reported_with_its_date(date: str) -> None:
    data = RSS.replace(b"Wed, 12 Mar 2025 06:04:00 +0000</pubDate>", date.encode() + b"</pubDate>")
    (issue,) = [i for i in validate_document(data, "rss").issues if i.rule == "rss-date-zone"]
    assert f"date {date!r} has zone" in issue.message


def test_content_html_remembered_for_a_feeds_documents_is_told_apart_from_html_of_its_length(
        ) -> None:
    """ContentChecks scans each content html once for a feed's three documents: two different
    htmls of the same length (one linking to javascript:, one not) keep their own verdicts."""
    from feedwright.validate.content import ContentChecks, check_html

    bad = '<a href="javascript:alert(1)">x</a>'
    good = '<a href="https://example.org">x</a>'
    assert len(bad) == len(good)
    checks = ContentChecks()
    assert checks.check_html(bad) == check_html(bad) != []
    assert checks.check_html(good) == check_html(good) == []
    assert checks.check_html(bad) == check_html(bad)  # remembered, and still its own


@pytest.mark.parametrize("version", ["0.91", "0.92", "2.01", "0.94"])
def test_any_rss_version_is_accepted_with_a_warning(version: str) -> None:
    """W3C reads the 0.9x family and 2.0 alike: no schema error, a warning that it is read as
    RSS 2.0 (formerly "Element rss failed to validate attributes")."""
    report = validate_document(RSS.replace(b'version="2.0"', f'version="{version}"'.encode(), 1))
    assert [(f.rule, f.severity) for f in report.issues] == [("rss-version-other", "warning")]
    assert version in report.issues[0].message


@pytest.mark.parametrize("data", [
    RSS.replace(b'<rss version="2.0"', b"<rss", 1),
    b"<rss><item><title>t</title></item></rss>",  # no channel: the schema's issue too
])
def test_a_missing_rss_version_says_what_it_needs(data: bytes) -> None:
    report = validate_document(data, "rss")
    missing = [f for f in report.issues if f.rule == "rss-version"]
    assert [f.message for f in missing] == ['<rss> needs version="2.0"']
    assert missing[0].path == "/rss" and missing[0].line == (2 if data.startswith(b"<?") else 1)
    assert not any("failed to validate attributes" in f.message for f in report.issues)


@pytest.mark.parametrize(("date", "expected"), [
    ("Wed, 02 Oct 02 13:00:00 GMT", "rss-date-year"),  # 2002, a Wednesday (1902: a Thursday)
    ("Sat, 01 Jan 00 00:00:00 GMT", "rss-date-year"),  # 2000
    ("Fri, 31 Dec 49 12:00:00 GMT", "rss-date-year"),  # 2049 (1949: a Saturday)
    ("Sun, 01 Jan 50 00:00:00 GMT", "rss-date-year"),  # 1950
    ("Fri, 31 Dec 99 12:00:00 GMT", "rss-date-year"),  # 1999
    ("Wed, 12 Mar 97 06:04:00 +0000", "rss-date-year"),  # 1997
    ("Thu, 02 Oct 02 13:00:00 GMT", "rss-date-weekday"),  # 2002 is no Thursday
    ("Sat, 31 Dec 49 12:00:00 GMT", "rss-date-weekday"),  # 2049, not 1949 (a Saturday)
    ("Wed, 02 Oct 2002 13:00:00 GMT", None),
])
def test_two_digit_rss_years_are_read_as_rfc_2822_says(date: str, expected: str | None) -> None:
    """RFC 2822 (4.3): two-digit years 00-49 are 20xx, 50-99 19xx; the weekday is checked
    against that year, and the two-digit year is still a warning."""
    from feedwright.validate.dates import check_rfc822, parse_rfc822

    problem = check_rfc822(date)
    assert (problem[0] if problem else None) == expected
    when = parse_rfc822(date)
    assert when is not None and when.year == int(date.split()[3]) + (
        0 if len(date.split()[3]) == 4 else 2000 if int(date.split()[3]) < 50 else 1900)


@pytest.mark.parametrize(("date", "atom", "ok"), [
    ("2003-12-13t18:30:02z", True, False),  # RFC 4287 3.3: upper case
    ("2003-12-13T18:30:02z", True, False),
    ("2003-12-13t18:30:02Z", True, False),
    ("2003-12-13t18:30:02z", False, True),  # RFC 3339 5.6 allows them (JSON Feed)
    ("1990-12-31T23:59:60Z", True, True),  # RFC 3339 5.7's own example
    ("1990-12-31T15:59:60-08:00", True, True),  # the same second in another zone
    ("1990-06-30T23:59:60.5Z", True, True),
    ("1990-12-30T23:59:60Z", True, False),  # not the last day of a month
    ("1990-12-31T23:58:60Z", True, False),  # not 23:59 UTC
    ("1990-12-31T23:59:61Z", True, False),
])
def test_atom_dates_in_upper_case_and_leap_seconds(date: str, atom: bool, ok: bool) -> None:
    from feedwright.validate.dates import check_rfc3339

    problem = check_rfc3339(date, atom=atom)
    assert (problem is None) == ok, problem
    assert problem is None or problem[0] == "date-rfc3339"


@pytest.mark.parametrize(("name", "message"), [
    ("unknown/rss-1.0.xml", "RSS 1.0 (<rdf:RDF>) is not checked: only RSS 2.0, Atom 1.0 and "
                            "JSON Feed 1.1"),
    ("unknown/atom-0.3.xml", "Atom 0.3 (<feed>) is not checked: only RSS 2.0, Atom 1.0 and "
                             "JSON Feed 1.1"),
    ("unknown/rss-userland.xml", "RSS in the UserLand namespace (<rss> in "
                                 "http://backend.userland.com/rss2) is not checked"),
    ("unknown/feed-no-namespace.xml", "the root element is <feed> in no namespace"),
    ("unknown/html-page.html", "the root element is <html>"),
    ("unknown/plain.txt", "it starts 'Just some text.'"),  # not XML: its first characters
])
def test_an_unknown_document_is_named_by_its_root(name: str, message: str) -> None:
    report = validate_document((CONFORMANCE / name).read_bytes())
    assert [f.rule for f in report.issues] == ["format-unknown"]
    assert message in report.issues[0].message, report.issues[0].message


def test_an_unknown_root_is_found_past_a_long_prolog() -> None:
    """The root as detect_format finds it, past comments longer than the first bytes read."""
    data = (b"<!--" + b"x" * 200_000 + b'-->\n<feed xmlns="http://purl.org/atom/ns#">'
            + b"<title>x</title></feed>")
    assert validate_document(data).issues[0].message.startswith("Atom 0.3 (<feed>)")


def test_a_schema_issue_libxml2_gives_no_line_has_its_elements() -> None:
    """"Extra element title in interleave" came at line 0: libxml2 gives it no line. It takes
    the line of the element validated (the item)."""
    document = (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>'
                b"<link>https://e.example/</link><description>D</description>\n<item>\n"
                b"<title>A</title>\n<title>B</title>\n<guid isPermaLink=\"false\">x</guid>\n"
                b"<description>d</description>\n</item>\n</channel></rss>\n")
    schema = [i for i in validate_document(document).issues if i.rule == "rss-schema"]
    assert schema and all(i.line is not None and i.line >= 3 for i in schema), schema
