"""normalise.dates on its own: the date forms machines and newsrooms write, and what is not a
date. The text reader's tests cover the same functions inside whole articles."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedwright.normalise.dates import (
    by_dateutil,
    by_pattern,
    parse_date,
    parse_date_line,
    parse_timestamp,
    timestamp_from_value,
    to_utc,
    zone,
)

NZ = zone("Pacific/Auckland")


def at(text: str, offset_hours: float | None = None) -> datetime:
    value = datetime.fromisoformat(text)
    if offset_hours is not None:
        value = value.replace(tzinfo=timezone(timedelta(hours=offset_hours)))
    return value


@pytest.mark.parametrize(("text", "expected", "day_only"), [
    ("2025-03-12", datetime(2025, 3, 12, tzinfo=NZ), True),
    ("2025-03-12T06:04:00Z", at("2025-03-12T06:04:00", 0), False),
    ("2025-03-12t06:04:00z", None, None),  # a lower-case 'T' is no ISO date
    ("2025-03-12 06:04:00z", at("2025-03-12T06:04:00", 0), False),  # a lower-case 'z' is UTC
    ("2025-03-12T06:04:00+13:00", at("2025-03-12T06:04:00", 13), False),
    ("2025-03-12T06:04", datetime(2025, 3, 12, 6, 4, tzinfo=NZ), False),  # the feed's zone
    ("Wed, 12 Mar 2025 06:04:00 +0000", at("2025-03-12T06:04:00", 0), False),
    ("12 Mar 2025 06:04:00 -0000", at("2025-03-12T06:04:00", 0), False),  # zone unknown: UTC
    ("Wed, 12 Mar 2025 06:04:00 GMT", at("2025-03-12T06:04:00", 0), False),
    ("12 March 2025", datetime(2025, 3, 12, tzinfo=NZ), True),  # free form, no time
    ("2025-02-30", None, None),
    ("", None, None),
    ("   ", None, None),
    ("March 12", None, None),  # no year: not a date
])
def test_parse_timestamp(text: str, expected: datetime | None, day_only: bool | None) -> None:
    stamp = parse_timestamp(text, NZ, "test:x")
    if expected is None:
        assert stamp is None
        return
    assert stamp is not None
    assert (stamp.value, stamp.value.utcoffset(), stamp.source, stamp.day_only) == (
        expected, expected.utcoffset(), "test:x", day_only)


def test_an_iso_like_text_that_is_not_iso_falls_back_to_the_free_forms() -> None:
    stamp = parse_timestamp("2025-03-12 6:04 pm", NZ, "s")
    assert stamp is not None and stamp.value == datetime(2025, 3, 12, 18, 4, tzinfo=NZ)


def test_timestamp_from_typed_values() -> None:
    aware = datetime(2025, 3, 12, 6, 4, tzinfo=UTC)
    assert timestamp_from_value(aware, NZ, "s") == timestamp_from_value(
        "2025-03-12T06:04:00Z", NZ, "s")
    stamp = timestamp_from_value(datetime(2025, 3, 12, 6, 4), NZ, "s")
    assert stamp is not None and stamp.value.tzinfo is NZ and not stamp.day_only
    stamp = timestamp_from_value(date(2025, 3, 12), NZ, "s")
    assert stamp is not None and stamp.day_only
    assert stamp.value == datetime(2025, 3, 12, tzinfo=NZ)
    assert timestamp_from_value(20250312, NZ, "s") is None
    assert timestamp_from_value(None, NZ, "s") is None


def test_to_utc_keeps_the_instant() -> None:
    value = datetime(2025, 3, 12, 19, 4, tzinfo=NZ)
    assert to_utc(value) == value and to_utc(value).utcoffset() == timedelta(0)


@pytest.mark.parametrize(("text", "expected"), [
    ("Thu 3 Apr 2025 09.15 BST", at("2025-04-03T09:15:00", 1)),  # a dotted time, a zone name
    ("6:04 am on 12 March 2025", datetime(2025, 3, 12, 6, 4, tzinfo=NZ)),
    ("12/03/2025", datetime(2025, 3, 12, tzinfo=NZ)),  # day first, as newsrooms outside the US
    ("Published 99 March 2025", None),  # out of range
    ("2025 was a year of March madness", None),  # words that are not labels
    ("12 March 99999999999999999999", None),
    ("2025", None),  # a year alone
])
def test_parse_date(text: str, expected: datetime | None) -> None:
    stamp = parse_date(text, NZ, "s")
    assert (stamp.value if stamp else None) == expected
    if expected is not None:
        assert stamp is not None and stamp.value.utcoffset() == expected.utcoffset()


def test_date_lines() -> None:
    line = parse_date_line("Posted 12 March 2025, 6:04am, updated 12 March 2025, 9:30am", NZ)
    assert line is not None and line.published is not None and line.updated is not None
    assert (line.published.value, line.updated.value) == (
        datetime(2025, 3, 12, 6, 4, tzinfo=NZ), datetime(2025, 3, 12, 9, 30, tzinfo=NZ))
    assert (line.published.source, line.updated.source) == (
        "text:date-line", "text:date-line-updated")
    alone = parse_date_line("Updated 3 April 2025", NZ)
    assert alone is not None and alone.published is None and alone.updated is not None
    assert parse_date_line("Posted 12 March 2025, updated sometime later", NZ) is None
    # an update stated as a time alone is on the day it follows, when later that day
    later = parse_date_line("Posted 12 March 2025, 6:04am, updated 9:30am", NZ)
    assert later is not None and later.updated is not None and later.published is not None
    assert later.updated.value == later.published.value.replace(hour=9, minute=30)
    assert parse_date_line("Posted 12 March 2025, 11:04pm, updated 1:30am", NZ) is None
    assert parse_date_line("The council met on 12 March 2025 to discuss the plan", NZ) is None
    assert parse_date_line(" ".join(["word"] * 14 + ["12 March 2025"]), NZ) is None
    assert parse_date_line("no date here", NZ) is None


def test_an_unknown_zone_names_itself() -> None:
    with pytest.raises(ValueError, match="'Mars/Olympus'"):
        zone("Mars/Olympus")


@pytest.mark.parametrize("text", ["Published 2025-03-12", "Posted 2025-03-12 09:30",
                                  "2025-03-12 6:04 pm"])
def test_a_year_first_day_is_year_month_day_in_free_text(text: str) -> None:
    """Day-first reading is for 12/03/2025; applied to 2025-03-12 it gave 3 December."""
    stamp = parse_date(text, NZ, "s")
    assert stamp is not None and (stamp.value.month, stamp.value.day) == (3, 12)


# What the dates mutation run (docs/testing.md) found unguarded.

def test_an_rfc_822_zone_only_the_mail_parser_knows() -> None:
    """"UT" is RFC 822's UTC; the free-form parser does not know it and would read the time in
    the feed's zone, 13 hours off."""
    stamp = parse_timestamp("Wed, 12 Mar 2025 06:04:00 UT", NZ, "s")
    assert stamp is not None and stamp.value == at("2025-03-12T06:04:00", 0)
    stamp = parse_timestamp("12 Mar 2025 06:04:00 UT", NZ, "s")
    assert stamp is not None and stamp.value == at("2025-03-12T06:04:00", 0)


def test_a_weekday_alone_before_an_update_is_a_label() -> None:
    line = parse_date_line("Thursday, updated 3 April 2025 09:30", NZ)
    assert line is not None and line.published is None and line.updated is not None
    assert line.updated.value == datetime(2025, 4, 3, 9, 30, tzinfo=NZ)


def test_the_longest_date_line_and_one_word_more() -> None:
    longest = "Posted on 12 March 2025 at 6:04am and last updated on 12 March 2025 at 9:30am"
    assert len(longest.split()) == 16
    line = parse_date_line(longest, NZ)
    assert line is not None and line.updated is not None
    assert line.updated.value == datetime(2025, 3, 12, 9, 30, tzinfo=NZ)
    longer = ("Posted on 12 March 2025 at 6:04am and first published on the date, last updated "
              "on 12 March 2025 at 9:30am")
    assert parse_date_line(longer, NZ) is None  # a date line is short; this is prose


def test_a_typed_date_keeps_its_source() -> None:
    stamp = timestamp_from_value(date(2025, 3, 12), NZ, "front-matter:date")
    assert stamp is not None and stamp.source == "front-matter:date"


def test_to_utc_is_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        assert to_utc(datetime(2025, 3, 12, 19, 4, tzinfo=NZ)).utcoffset() == timedelta(0)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# --- the date-line pattern beside dateutil --------------------------------------------------------

WEEKDAYS = ["", "Mon ", "Thu ", "Thu, ", "Thursday ", "thu ", "SUNDAY, ", "Thurs ", "Tues ",
            "Fri,", "Funday "]
MONTHS = ["March", "Mar", "mar", "MARCH", "Mar.", "Sept", "Sep", "September", "May", "June",
          "Marc", "Febr", "jAN"]
MERIDIEMS = ["", "am", " am", "pm", " PM", "Am", " a", "p", " a.m.", " am."]
LABELS = ["", "", "Posted ", "Published ", "Published: ", "posted on ", "First published ",
          "Updated ", "Posted:", "Filed "]
ZONES = ["", " BST", " bst", " XYZ", " UTC", " Z", " z", " NZDT", " GMT", " EST", " IST",
         " ACDT", " CEST", " PST8"]


@st.composite
def date_lines(draw: st.DrawFn) -> str:
    """Lines near the forms newsrooms print: every part of a date line in variants dateutil
    reads, and in some it does not."""
    day = draw(st.integers(0, 33))
    day_text = draw(st.sampled_from([str(day), f"{day:02d}"]))
    month = draw(st.sampled_from(MONTHS))
    year = draw(st.sampled_from(["2025", "2024", "1999", "2100", "1899", "0999"]))
    date = draw(st.sampled_from([f"{day_text} {month} {year}", f"{month} {day_text}, {year}",
                                 f"{month} {day_text} {year}", f"{day_text} {month}, {year}",
                                 f"{day_text}  {month}\t{year}"]))
    date = draw(st.sampled_from(WEEKDAYS)) + date
    label = draw(st.sampled_from(LABELS))
    if draw(st.booleans()):
        return label + date
    hour, minute = draw(st.integers(0, 25)), draw(st.integers(0, 61))
    clock = draw(st.sampled_from([f"{hour}:{minute:02d}", f"{hour:02d}:{minute:02d}",
                                  f"{hour}:{minute:02d}:{draw(st.integers(0, 61)):02d}",
                                  f"{hour}.{minute:02d}"]))
    clock += draw(st.sampled_from(MERIDIEMS))
    if draw(st.booleans()):
        return f"{label}{clock}{draw(st.sampled_from([' on ', ' ', ', ', ' at ']))}{date}"
    joint = draw(st.sampled_from([" ", ", ", " at ", ", at ", " on "]))
    return f"{label}{date}{joint}{clock}{draw(st.sampled_from(ZONES))}"


def same_moment(a: datetime | None, b: datetime | None) -> bool:
    """Equal wall time, offset and zone name (naive stays naive)."""
    if a is None or b is None:
        return a is b
    return (a.replace(tzinfo=None), a.utcoffset(), a.tzname()) == (
        b.replace(tzinfo=None), b.utcoffset(), b.tzname())


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(date_lines())
def test_the_date_pattern_reads_exactly_what_dateutil_reads(line: str) -> None:
    """by_pattern reads only lines it is sure of, and those exactly as dateutil does (the zone
    object, its offset and name included); parse_date tries it first."""
    for text in (line, re.sub(r"\b(\d{1,2})\.(\d{2})\b", r"\1:\2", line)):
        fast = by_pattern(text)
        if fast is not None:
            assert same_moment(fast, by_dateutil(text)), text


@pytest.mark.parametrize("line", [
    "6:04 am on 12 March 2025", "Thu 3 Apr 2025 09:15 BST", "12 March 2025 6:04 PM NZDT",
    "March 12, 2025 at 6:04 pm", "Wednesday, 12 March 2025", "12 Mar 2025 18:04:59 AEST",
    "Thu 29 May 2025 09:49 GMT", "1 May 2025 1:00 Z",
    "12:30 am on 1 Jan 2025", "12 March 2025", "Sept 3, 2024", "Posted 12 March 2025, 6:04am",
    "Published: Thu 3 Apr 2025",
])
def test_the_common_forms_are_read_by_the_pattern(line: str) -> None:
    fast = by_pattern(line)
    assert fast is not None and same_moment(fast, by_dateutil(line))


def test_lines_the_pattern_is_not_sure_of_go_to_dateutil() -> None:
    # A known zone in lower case, a weekday dateutil does not know, 13 pm, 31 April: dateutil
    # decides (here: no date, a date, no date, no date).
    assert [by_pattern(x) for x in ("12 March 2025 6:04 bst", "Thurs 3 Apr 2025",
                                    "12 March 2025 13:04 pm", "31 April 2025")] == [None] * 4
    assert parse_date("Thurs 3 Apr 2025", NZ, "s") is not None
    assert parse_date("31 April 2025", NZ, "s") is None


# What the dates mutation run at eb9c0d1 (docs/testing.md) found unguarded.

@pytest.mark.parametrize(("line", "expected"), [
    ("15/10/15", datetime(2015, 10, 15, tzinfo=NZ)),  # the day first
    ("10.15.15", datetime(2015, 10, 15, tzinfo=NZ)),  # the month first
    (" 13.12.69 ", datetime(2069, 12, 13, tzinfo=NZ)),  # 13 is a day; 69 is the last 20xx year
    ("12/13/70", datetime(1970, 12, 13, tzinfo=NZ)),  # 70 is the first 19xx year
    ("13/12/99", datetime(1999, 12, 13, tzinfo=NZ)),
    ("12/12/15", None),  # either could be the month
    ("3/09/15", None),
    ("13/13/15", None),  # neither is a month
    ("31.02.15", None),  # no such day
    ("15/10/15 and more", None),  # not the whole line
])
def test_a_two_digit_year_is_read_only_where_day_and_month_cannot_swap(
        line: str, expected: datetime | None) -> None:
    found = parse_date_line(line, NZ)
    if expected is None:
        assert found is None
        return
    assert found is not None and found.updated is None and found.published is not None
    stamp = found.published
    assert (stamp.value, stamp.value.tzinfo, stamp.source, stamp.day_only) == (
        expected, NZ, "text:date-line", True)


def test_a_date_line_without_an_update_has_none() -> None:
    for text in ("12 March 2025", "Published 12 March 2025 · 4 min read"):
        line = parse_date_line(text, NZ)
        assert line is not None and line.published is not None and line.updated is None


def test_a_typed_placeholder_is_no_date_as_its_text_is_none() -> None:
    """A front matter's typed `1970-01-01T00:00:00` (no zone: the feed's) is the epoch
    placeholder its text is; year 1 an hour east of UTC has no UTC instant at all."""
    for value in (datetime(1970, 1, 1), datetime(1970, 1, 1, tzinfo=UTC), datetime(1, 1, 1),
                  datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))):
        assert timestamp_from_value(value, UTC, "s") is None, value
        assert timestamp_from_value(value.isoformat(), UTC, "s") is None, value
    # the same wall time in a zone east of UTC is a real instant, 1969 in UTC: no placeholder
    assert timestamp_from_value(datetime(1970, 1, 1, 0, 0, 1), UTC, "s") is not None
    assert timestamp_from_value(datetime(1970, 1, 1), NZ, "s") is not None


def test_the_pattern_reads_one_oclock_and_leaves_an_unknown_zone_to_dateutil() -> None:
    for line in ("1:05 am on 3 April 2025", "3 April 2025, 1:05 pm"):
        fast = by_pattern(line)
        assert fast is not None and same_moment(fast, by_dateutil(line)), line
    assert by_pattern("12 March 2025 6:04 XYZ") is None


@pytest.mark.parametrize("line", [
    "Posted 12 March 2025, last modified 3 April 2025",
    "Published 12 March 2025; edited 3 April 2025",
    "12 March 2025 · Updated 3 April 2025",  # not ASCII: the regex decides
    "12 March 2025 · MODIFIED 3 April 2025",
])
def test_every_update_word_splits_a_date_line(line: str) -> None:
    found = parse_date_line(line, NZ)
    assert found is not None and found.published is not None and found.updated is not None
    assert (found.published.value, found.updated.value) == (
        datetime(2025, 3, 12, tzinfo=NZ), datetime(2025, 4, 3, tzinfo=NZ))


# --- no field the text does not state ----------------------------------------------------------

def run_cli(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "feedwright", *map(str, args)],
                          capture_output=True, timeout=120, check=False)


@pytest.mark.parametrize("line", [
    "March 2025", "Published March 2025", "Updated March 2025", "Last modified on March 2025",
    "10:00 am March 2025", "Posted 12 March 2025, updated March 2025",
])
def test_a_date_line_without_its_day_is_no_date(line: str) -> None:
    """dateutil fills an unstated field from today: "March 2025" was the 4th on the 4th."""
    assert parse_date_line(line, NZ) is None
    assert parse_timestamp(line, NZ, "s") is None
    assert by_dateutil(line) is None


@pytest.mark.parametrize("line", ["12 March", "March 12", "Published 12 March, 10:00"])
def test_a_date_line_without_its_year_is_still_no_date(line: str) -> None:
    assert parse_date_line(line, NZ) is None
    assert parse_timestamp(line, NZ, "s") is None
    assert by_dateutil(line) is None  # no longer this year either


@pytest.mark.parametrize(("line", "expected"), [
    ("1 January 2000", datetime(2000, 1, 1, tzinfo=NZ)),  # the stated day is one default
    ("2 February 2001", datetime(2001, 2, 2, tzinfo=NZ)),  # and this the other
    ("Published 1 Jan 2000", datetime(2000, 1, 1, tzinfo=NZ)),
    ("Posted: March 12, 2025 at 6:04 pm", datetime(2025, 3, 12, 18, 4, tzinfo=NZ)),
])
def test_a_stated_day_that_equals_a_default_is_kept(line: str, expected: datetime) -> None:
    stamp = parse_date(line, NZ, "s")
    assert stamp is not None and stamp.value == expected


def test_a_month_and_year_give_a_text_no_published_date_and_front_matter_an_error(
        tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("A headline about council budgets here\n\nBy Jane Doe\n\nMarch 2025\n\n"
                    "The council met on Tuesday to discuss the budget for the coming year and "
                    "many residents attended.\n")
    done = run_cli("inspect", "--timezone", "Pacific/Auckland", text)
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)
    assert (entry["published"], entry["updated"]) == (None, None)
    assert [a["name"] for a in entry["authors"]] == ["Jane Doe"]  # the rest is read as before
    # a stated field that is no date is refused, naming the key, as "date: March 12" is
    markdown = tmp_path / "b.md"
    markdown.write_text("---\ntitle: Council budgets\ndate: March 2025\n---\n\n"
                        "The council met on Tuesday to discuss the budget for the coming year.\n")
    done = run_cli("inspect", "--timezone", "Pacific/Auckland", markdown)
    assert done.returncode == 1
    assert b"'date' is not a date with a year, month and day: 'March 2025'" in done.stderr
@pytest.mark.parametrize("line", ["12 March 2025 10:00 +2500", "12 March 2025 10:00 -99:00",
                                  "Tue, 04 Mar 2025 10:00:00 +2500"])
def test_an_offset_of_a_day_or_more_is_no_date(line: str) -> None:
    """dateutil builds the zone; datetime refused it only when the entry was written out."""
    assert parse_date(line, NZ, "s") is None
    assert parse_timestamp(line, NZ, "s") is None


def test_a_text_whose_date_line_has_no_real_offset_is_read_without_a_date(
        tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("A headline about council budgets here\n\nBy Jane Doe\n\n"
                    "12 March 2025 10:00 +2500\n\nThe council met on Tuesday to discuss the "
                    "budget for the coming year and many residents attended.\n")
    done = run_cli("inspect", text)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["published"] is None


@pytest.mark.parametrize(("line", "expected"), [
    ("12 March 2025 10:00 GMT+1", at("2025-03-12T10:00:00", 1)),
    ("Thu 3 Apr 2025 09.15 UTC+05:30", at("2025-04-03T09:15:00", 5.5)),
    ("Posted 12 March 2025, 6:04am GMT-3", at("2025-03-12T06:04:00", -3)),
    ("12 March 2025 10:00 GMT", at("2025-03-12T10:00:00", 0)),
])
def test_gmt_plus_an_offset_is_east_as_newsrooms_print_it(line: str, expected: datetime) -> None:
    """dateutil reads "GMT+1" the POSIX way, an hour west of Greenwich."""
    stamp = parse_date(line, NZ, "s")
    assert stamp is not None
    assert (stamp.value, stamp.value.utcoffset()) == (expected, expected.utcoffset())


# --- RSS dates: the zone that is printed, else the feed's ----------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Tue, 04 Mar 2025 10:00:00 NZDT", "2025-03-03T21:00:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 AEST", "2025-03-04T00:00:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 CEST", "2025-03-04T08:00:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 BST", "2025-03-04T09:00:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 EET", "2025-03-04T08:00:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 IST", "2025-03-04T09:00:00+00:00"),  # the table's Irish time
    ("Tue, 04 Mar 2025 10:00:00 nzdt", "2025-03-03T21:00:00+00:00"),  # RFC 822 is caseless
    ("Tue, 04 Mar 2025 10:00:00 UTC+05:30", "2025-03-04T04:30:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 GMT+1", "2025-03-04T09:00:00+00:00"),  # not POSIX's -1
    ("Tue, 04 Mar 2025 10:00:00 GMT-0330", "2025-03-04T13:30:00+00:00"),
    ("Tue, 04 Mar 2025 10:00 UTC-3", "2025-03-04T13:00:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00", "2025-03-03T21:00:00+00:00"),  # no zone: the feed's
    ("04 Mar 25 10:00 NZDT", "2025-03-03T21:00:00+00:00"),  # a two-digit year
    ("Tue, 04 Mar 2025 10:00:00 XYZ", "2025-03-03T21:00:00+00:00"),  # unknown: the feed's
    # what the mail parser knew already stays as it was
    ("Tue, 04 Mar 2025 10:00:00 -0000", "2025-03-04T10:00:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 +0530", "2025-03-04T04:30:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 PST", "2025-03-04T18:00:00+00:00"),
    ("Tue, 04 Mar 2025 10:00:00 UT", "2025-03-04T10:00:00+00:00"),
])
def test_an_rfc_822_date_in_any_zone_the_module_knows(text: str, expected: str) -> None:
    stamp = parse_timestamp(text, NZ, "s")
    assert stamp is not None and not stamp.day_only
    assert to_utc(stamp.value).isoformat() == expected


def test_rss_pub_dates_keep_their_zone_and_take_the_feeds_without_one(tmp_path: Path) -> None:
    stated = {"nzdt": "Tue, 04 Mar 2025 10:00:00 NZDT", "aest": "Tue, 04 Mar 2025 10:00:00 AEST",
              "gmt1": "Tue, 04 Mar 2025 10:00:00 GMT+1", "none": "Tue, 04 Mar 2025 10:00:00"}
    items = "".join(
        f"<item><title>{key}</title><link>https://e.example/{key}</link><guid>{key}</guid>"
        f"<pubDate>{date}</pubDate><description>d</description></item>"
        for key, date in stated.items())
    source = tmp_path / "dates.rss"
    source.write_text('<rss version="2.0"><channel><title>t</title><link>https://e.example/'
                      f"</link><description>d</description>{items}</channel></rss>")
    done = run_cli("export", source, "--link", "https://example.org/", "--timezone",
                   "Pacific/Auckland", "--format", "atom")
    assert done.returncode == 0, done.stderr
    published = {e.title: datetime(*e.published_parsed[:6], tzinfo=UTC).isoformat()
                 for e in feedparser.parse(done.stdout).entries}
    assert published == {"nzdt": "2025-03-03T21:00:00+00:00", "aest": "2025-03-04T00:00:00+00:00",
                         "gmt1": "2025-03-04T09:00:00+00:00",
                         "none": "2025-03-03T21:00:00+00:00"}
