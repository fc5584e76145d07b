"""Date checks: RFC 822 (as RSS 2.0 uses it) and RFC 3339 with a zone (Atom, JSON Feed).

Each check returns None for a good date, or (rule id, what to fix) for a bad one.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

# RFC 822 section 5, with RFC 1123's four-digit years: [day ","] date time zone. Seconds are
# optional; surrounding whitespace is tolerated because readers do.
_RFC822 = re.compile(
    r"""\s*(?:(?P<wday>[A-Za-z]{3})\s*,\s*)?
    (?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3})\s+(?P<year>\d{2}|\d{4})\s+
    (?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*
    (?P<zone>[A-Za-z]+|[+-]\d{4}|[+-]\d{2}:?\d{2})?\s*$""",
    re.VERBOSE,
)
_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# RFC 822 zones: UT/GMT, the North American zones, and single military letters (not J).
_NAMED_ZONES = frozenset(
    ["UT", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"]
    + [c for c in "ABCDEFGHIKLMNOPQRSTUVWXYZ"]
)
_NUMERIC_ZONE = re.compile(r"[+-](\d{2})(\d{2})")

# RFC 3339 section 5.6 date-time: the zone (Z or +hh:mm) is required; "T" and "Z" may be "t"
# and "z" (RFC 3339 5.6's note; Atom does not allow it: check_rfc3339's `atom`), and a space
# for the "T" is *not* accepted here because Atom's xsd:dateTime forbids it.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)

Problem = tuple[str, str]


def check_rfc822(value: str) -> Problem | None:
    """RFC 822 syntax, then calendar, weekday, zone and year, each its own rule."""
    match = _RFC822.fullmatch(value)
    if match is None:
        return ("rss-date-rfc822",
                f"date {value!r} is not RFC 822; write it like 'Wed, 12 Mar 2025 06:04:00 +0000'")
    month = _MONTHS.get(match["month"].capitalize())
    if month is None:
        return ("rss-date-rfc822",
                f"date {value!r} has month {match['month']!r}; use Jan, Feb, ... Dec")
    wday = match["wday"]
    if wday is not None and wday.capitalize() not in _WEEKDAYS:
        return ("rss-date-rfc822", f"date {value!r} has weekday {wday!r}; use Mon, Tue, ... Sun")
    year = _full_year(match["year"])
    try:
        when = datetime(year, month, int(match["day"]), int(match["hour"]),
                        int(match["minute"]), int(match["second"] or 0))
    except ValueError:
        return ("rss-date-calendar", f"date {value!r} names a day or time that does not exist")
    zone_problem = _check_zone(value, match["zone"])
    if zone_problem is not None:
        return zone_problem
    if wday is not None and _WEEKDAYS[when.weekday()] != wday.capitalize():
        return ("rss-date-weekday",
                f"date {value!r} says {wday} but {when:%d %b %Y} is a {_WEEKDAYS[when.weekday()]}")
    if len(match["year"]) == 2:
        return ("rss-date-year", f"date {value!r} has a two-digit year; write all four digits")
    return None


def _full_year(digits: str) -> int:
    """The year an RFC 822 date's digits name. Two digits are read as RFC 2822 (4.3) says of
    its obsolete two-digit years: 00-49 are 2000-2049, 50-99 are 1950-1999 ("Wed, 02 Oct 02"
    is 2002, a Wednesday; read as 1902 it was a Thursday). RFC 1123 moved to four digits, so
    a two-digit year is still the warning rss-date-year."""
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 50 else 1900
    return year


def _check_zone(value: str, zone: str | None) -> Problem | None:
    if zone is None:
        # The W3C validator accepts this with a warning (ProblematicalRFC822Date).
        return ("rss-date-no-zone",
                f"date {value!r} has no zone; add one such as +0000 or GMT")
    if zone[0] in "+-":
        numeric = _NUMERIC_ZONE.fullmatch(zone)
        if numeric is None:
            return ("rss-date-zone", f"date {value!r} has zone {zone!r}; write it as +hhmm")
        if int(numeric[1]) > 23 or int(numeric[2]) > 59:
            return ("rss-date-zone", f"date {value!r} has zone {zone!r}, which is out of range")
        return None
    if zone.upper() not in _NAMED_ZONES:
        return ("rss-date-zone",
                f"date {value!r} has zone {zone!r}, which RFC 822 does not define; "
                "use a numeric offset such as +0100")
    return None


@lru_cache(maxsize=4096)
def parse_rfc3339(value: str) -> datetime | None:
    """The instant an RFC 3339 date-time with a zone names, or None if it is not one.
    Remembered: an entry's dates are asked for twice (checked, then compared: date-order), and
    an entry's updated and published are often the same text."""
    text = value.strip()
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    text = text.upper().replace("Z", "+00:00")
    leap = match[6] == "60"
    if leap:  # a leap second: the instant is read as the second before it (Python has no :60)
        text = text[:17] + "59" + text[19:]
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if leap and not _leap_second_may_be(when):
        return None
    return when


def _leap_second_may_be(when: datetime) -> bool:
    """RFC 3339 5.7: second 60 only where a leap second can be, 23:59:60 UTC (in any zone's
    local time) on the last day of a month; `when` is that second's 59th."""
    utc = when.astimezone(UTC)
    return (utc.hour, utc.minute) == (23, 59) and (utc + timedelta(days=1)).day == 1


def check_rfc3339(value: str, atom: bool = False) -> Problem | None:
    """RFC 3339 with a zone; `atom`: as RFC 4287 (3.3) has it, "T" and "Z" in upper case."""
    text = value.strip()
    if _RFC3339.fullmatch(text) is None:
        return ("date-rfc3339",
                f"date {value!r} is not RFC 3339 with a zone; write it like 2025-03-12T06:04:00Z")
    if parse_rfc3339(value) is None:
        return ("date-rfc3339", f"date {value!r} names a day or time that does not exist")
    if atom and ("t" in text or "z" in text):
        return ("date-rfc3339",
                f"date {value!r} has a lower-case 't' or 'z'; Atom (RFC 4287 3.3) requires "
                f"upper case: {text.upper()}")
    return None


def parse_rfc822(value: str) -> datetime | None:
    """The instant an RFC 822 date names (for the cross-format check), or None."""
    match = _RFC822.fullmatch(value)
    if match is None or match["zone"] is None:
        return None
    month = _MONTHS.get(match["month"].capitalize())
    if month is None:
        return None
    zone = match["zone"]
    offset = _zone_offset_minutes(zone)
    if offset is None:
        return None
    year = _full_year(match["year"])
    sign = "+" if offset >= 0 else "-"
    text = (f"{year:04d}-{month:02d}-{int(match['day']):02d}T{match['hour']}:"
            f"{match['minute']}:{match['second'] or '00'}{sign}{abs(offset) // 60:02d}:"
            f"{abs(offset) % 60:02d}")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


_NAMED_OFFSETS = {"UT": 0, "GMT": 0, "Z": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
                  "MST": -420, "MDT": -360, "PST": -480, "PDT": -420}


def _zone_offset_minutes(zone: str) -> int | None:
    numeric = _NUMERIC_ZONE.fullmatch(zone)
    if numeric is not None:
        minutes = int(numeric[1]) * 60 + int(numeric[2])
        return -minutes if zone[0] == "-" else minutes
    return _NAMED_OFFSETS.get(zone.upper())
