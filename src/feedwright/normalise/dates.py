"""Date lines as newsrooms print them, parsed with python-dateutil in the feed's time zone.

A date without a year is not a date: "March 12" in an agency dateline tells the day but we would
have to guess the year, so we do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

from feedwright.model import Timestamp

# Zone abbreviations newsrooms print, for free-form and RFC 822 dates alike. An ambiguous one is
# read as the press that prints it most means it (IST: Irish Summer Time; CST: US Central, as RFC
# 822 has it); an unknown abbreviation falls back to the feed's time zone rather than to a guess.
_ZONE_OFFSETS_HOURS: dict[str, float] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 1,
    "IST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AEST": 10,
    "AEDT": 11,
    "ACST": 9.5,
    "ACDT": 10.5,
    "AWST": 8,
    "NZST": 12,
    "NZDT": 13,
    "JST": 9,
    "KST": 9,
    "HKT": 8,
    "SGT": 8,
}
_TZINFOS = {
    name: timezone(timedelta(hours=hours), name) for name, hours in _ZONE_OFFSETS_HOURS.items()
}
_TZINFOS["IST"] = timezone(timedelta(hours=1), "IST")  # Irish Summer Time in British/Irish press

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.IGNORECASE
)
_NUMERIC_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b")
_YEAR_FIRST_DAY = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?!\.\d)")


# Replacements as functions, not templates (r"\1:\2"): re expands a template through Python code
# on every sub() call, matched or not (~5 us a line); a function is called only for a match.
def _colon_time(match: re.Match[str]) -> str:
    return f"{match[1]}:{match[2]}"


def _meridiem(match: re.Match[str]) -> str:
    return f"{match[1]}m"


# "10:00 GMT+1" is an hour east of Greenwich as newsrooms print it; dateutil reads it the POSIX
# way ("my time +1 is GMT"), an hour west. Written as the offset it means, dateutil reads it so.
_OFFSET = r"(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?"
_GMT_OFFSET = re.compile(rf"\b(?:UTC|GMT){_OFFSET}\b")


def _plain_offset(match: re.Match[str]) -> str:
    return f"{match['sign']}{match['h']:0>2}:{match['m'] or '00'}"


_UPDATED_SPLIT = re.compile(
    r"[,;|·•]?\s*\b(?:last\s+)?(?:updated|modified|edited)\b(?:\s+on|\s+at)?\s*:?\s*",
    re.IGNORECASE,
)
# Words allowed around a date on a date line; anything else means the line is prose.
_LABEL_WORDS = frozenset(
    [
        "posted",
        "published",
        "first",
        "last",
        "updated",
        "modified",
        "on",
        "at",
        "and",
        "by",
        "the",
        "date",
        "time",
    ]
)
_MAX_DATE_LINE_WORDS = 16


@dataclass(frozen=True)
class DateLine:
    published: Timestamp | None
    updated: Timestamp | None


def zone(name: str) -> tzinfo:
    """The feed's time zone by IANA name; raises ValueError with the name when unknown."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError) as exc:  # OSError: "America", a folder
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name such as Pacific/Auckland)"
        ) from exc


def parse_date(text: str, default_zone: tzinfo, source: str) -> Timestamp | None:
    """One date in free form, or None when it is not a complete date with a year."""
    text = text.strip(" ,;|-–—")
    if not text or not _YEAR.search(text):
        return None
    if not (_MONTH.search(text) or _NUMERIC_DAY.search(text)):
        return None
    normalised = _GMT_OFFSET.sub(_plain_offset, _DOTTED_TIME.sub(_colon_time, text))
    value = by_pattern(normalised)
    if value is None:
        value = by_dateutil(normalised)
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_zone)
    day_only = not _TIME.search(text)
    return Timestamp(value=value, source=source, day_only=day_only)


# dateutil fills a field the text does not state from its default, today unless told: "March
# 2025" read on the 4th was 4 March. Read with one default, and where a field came out as that
# default's, again with another: a field that follows the default was not in the text.
_DEFAULT = datetime(2000, 1, 1)
_OTHER_DEFAULT = datetime(2001, 2, 2)


def by_dateutil(text: str) -> datetime | None:
    """A date in free form as python-dateutil reads it (fuzzily, skipping only label words and
    weekdays), naive when no zone is printed; None when it is no date or does not state its
    year, month and day (the time of day may be absent: midnight)."""
    # dayfirst reads 12/03/2025 as newsrooms outside the US mean it; dateutil would apply it to
    # 2025-03-12 too (giving 3 December), and a year-first day is always year-month-day.
    dayfirst = not _YEAR_FIRST_DAY.search(text)
    try:
        value, skipped = date_parser.parse(
            text, default=_DEFAULT, fuzzy_with_tokens=True, tzinfos=_TZINFOS, dayfirst=dayfirst
        )
        if not _only_labels(skipped):
            return None
        if value.year == 2000 or value.month == 1 or value.day == 1:
            other = date_parser.parse(
                text, default=_OTHER_DEFAULT, fuzzy_with_tokens=True, tzinfos=_TZINFOS,
                dayfirst=dayfirst,
            )[0]
            if (other.year, other.month, other.day) != (value.year, value.month, value.day):
                return None
        value.utcoffset()  # "+2500" is no offset: datetime refuses it only when it is asked
    except (ValueError, OverflowError):
        return None
    return value


# The forms newsrooms print most ("Thu 3 Apr 2025 09:15 BST", "6:04 am on 12 March 2025",
# "Posted: March 12, 2025 at 6:04 pm"), read by one pattern in ~7 us rather than by dateutil in
# ~150 us. Only what is certain is read here: a month or weekday name dateutil knows, a 12-hour
# time with its am/pm, a zone of _TZINFOS after the time; anything else goes to dateutil, and
# tests/test_dates.py checks on generated lines that this gives exactly dateutil's result.
_CLOCK = (r"(?P<h{n}>\d{{1,2}}):(?P<mi{n}>\d{{2}})(?::(?P<s{n}>\d{{2}}))?"
          r"(?:\s*(?P<ap{n}>[ap]m))?")
_DAY_MONTH_YEAR = (r"(?:(?P<wd>[a-z]+),?\s+)?(?:(?P<d1>\d{1,2})\s+(?P<m1>[a-z]+)"
                   r"|(?P<m2>[a-z]+)\s+(?P<d2>\d{1,2}),?)\s+(?P<y>\d{4})")
_BY_PATTERN = re.compile(
    r"(?:(?:posted|published|first\s+published)\s*:?\s+(?:on\s+)?)?"
    rf"(?:{_CLOCK.format(n=1)}\s+(?:on\s+)?)?{_DAY_MONTH_YEAR}"
    rf"(?:,?\s+(?:at\s+)?{_CLOCK.format(n=2)}(?:\s+(?P<zone>[A-Za-z]+))?)?",
    re.IGNORECASE | re.ASCII,  # ASCII: dateutil's digits and spaces
)
_DATEUTIL_NAMES = date_parser.parserinfo()


def by_pattern(text: str) -> datetime | None:
    """The date of a line in one of the common forms above, exactly as by_dateutil reads it;
    None when the line is in no such form (not: when it is no date)."""
    match = _BY_PATTERN.fullmatch(text)
    if match is None or (match["h1"] and match["h2"]):
        return None
    names = _DATEUTIL_NAMES
    month = names.month(match["m1"] or match["m2"])
    if month is None or (match["wd"] and names.weekday(match["wd"]) is None):
        return None
    n = "1" if match["h1"] else "2"
    hour, minute, second = (int(match[f"{g}{n}"] or 0) for g in ("h", "mi", "s"))
    meridiem = (match[f"ap{n}"] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    zone_name = match["zone"]
    if zone_name == "Z":  # dateutil reads it as the zone named "UTC" (and "GMT" as "GMT")
        zone_name = "UTC"
    offset = _TZINFOS.get(zone_name) if zone_name else None
    if zone_name and (offset is None or not zone_name.isupper()):
        return None
    try:
        return datetime(int(match["y"]), month, int(match["d1"] or match["d2"]), hour, minute,
                        second, tzinfo=offset)
    except ValueError:  # 31 April, 24:00: dateutil decides
        return None


def parse_date_line(line: str, default_zone: tzinfo) -> DateLine | None:
    """A line that is a date (and perhaps an update date) and nothing else, or None.

    Handles `6:04 am on 12 March 2025`, `Thu 3 Apr 2025 09.15 BST`,
    `Posted 12 March 2025, 6:04am, updated 12 March 2025, 9:30am`, `Published: 3 April 2025`,
    and a date with page furniture beside it: `Oct 18, 2019 · 8 min read`,
    `Published 21 November 2019 · Tagged with tooling` (the first segment that is a date).
    """
    short = _short_numeric(line.strip(), default_zone)
    if short is not None:
        return DateLine(published=short, updated=None)
    # the year first: most lines have none, and no words need splitting to say so
    if not _YEAR.search(line) or len(line.split()) > _MAX_DATE_LINE_WORDS:
        return None
    line = _MERIDIEM.sub(_meridiem, line)
    whole = _date_line(line, default_zone)
    if whole is not None:
        return whole
    for segment in _SEGMENTS.split(line):
        if segment != line and _YEAR.search(segment):
            found = _date_line(segment, default_zone)
            if found is not None:
                return found
    return None


# "Oct 18, 2019 · 8 min read", "16 November 2017 | 2:15pm", "2013-09-29— in Code", a label twice
# ("Published Thursday 27 July 2017 Published Thu 27 Jul 2017"): segments tried one by one.
_SEGMENTS = re.compile(r"\s+[·•|]\s+|\s*—\s*|\s+(?=(?:published|posted|first published)\b)", re.I)
_MERIDIEM = re.compile(r"\b([ap])\.m\.?(?=\W|$)", re.I)  # "11:29 a.m." as dateutil reads it


# "10.15.15", "15/10/15": a two-digit year, read only when the day is the field above 12 (so
# month and day cannot be swapped); "3/09/15" could be either and is not a date.
_SHORT_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<year>\d{2})$")


def _short_numeric(text: str, default_zone: tzinfo) -> Timestamp | None:
    match = _SHORT_NUMERIC.match(text)
    if match is None:
        return None
    a, b, short_year = int(match["a"]), int(match["b"]), int(match["year"])
    year = short_year + (2000 if short_year < 70 else 1900)  # the POSIX pivot for %y
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    else:
        return None
    try:
        value = datetime(year, month, day, tzinfo=default_zone)
    except ValueError:
        return None
    return Timestamp(value, "text:date-line", day_only=True)


def _date_line(line: str, default_zone: tzinfo) -> DateLine | None:
    parts = _UPDATED_SPLIT.split(line, maxsplit=1) if _may_say_updated(line) else [line]
    first = parts[0]
    published = parse_date(first, default_zone, "text:date-line") if first.strip() else None
    updated = None
    if len(parts) == 2:
        updated = parse_date(parts[1], default_zone, "text:date-line-updated")
        if updated is None and published is not None:
            # "Posted 12 March 2025, 6:04am, updated 9:30am": a time alone is that day's
            updated = _later_that_day(parts[1], published)
        if updated is None:
            return None  # a line only partly understood is not trusted
        if not first.strip(" ,;|-–—:") or _only_labels((first,)):
            # "Updated 3 April 2025" alone is an update, not a first publication
            return DateLine(published=None, updated=updated)
    if published is None:
        return None
    return DateLine(published=published, updated=updated)


_TIME_ALONE = re.compile(r"\s*(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?\s*$|"
                         r"\s*(?:at\s+)?(\d{1,2})[:.](\d{2})\s*$", re.IGNORECASE)


def _later_that_day(text: str, published: Timestamp) -> Timestamp | None:
    """An update stated as a time alone ("updated 9:30am"), on the day of the publication it
    follows; None when it is no time, or not later that day (past midnight it says no day)."""
    match = _TIME_ALONE.fullmatch(text)
    if match is None or published.day_only:
        return None
    if match[4] is not None:
        hour, minute = int(match[4]), int(match[5])
    else:
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[3].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    value = published.value.replace(hour=hour, minute=minute, second=0)
    if value <= published.value:
        return None
    return Timestamp(value, "text:date-line-updated")


def _may_say_updated(line: str) -> bool:
    """The line may hold a word _UPDATED_SPLIT splits at. An ASCII line is asked in lower case
    (case-insensitive matching takes an ASCII letter only for an ASCII letter); any other goes
    to the regex."""
    if not line.isascii():
        return True
    lower = line.lower()
    return "updated" in lower or "modified" in lower or "edited" in lower


#: "5h ago", "3 hours ago", "1 day ago", "8h", "yesterday": a time relative to when the page was
#: shown, which a text dump does not record. Not a date; the line is page furniture.
_RELATIVE = (
    r"(?:\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?"
    r"|mo|months?|y|yrs?|years?)\.?(?:\s+ago)?|yesterday|today|just now|moments? ago)"
)
_RELATIVE_LINE = re.compile(
    rf"^(?:(?:posted|published|updated|first published|last updated|edited)\s*:?\s*)?{_RELATIVE}"
    rf"(?:\s*[,;|·•]?\s*(?:and\s+)?(?:updated|edited|modified)\s*:?\s*{_RELATIVE})?\.?$",
    re.IGNORECASE,
)


def is_relative_date(text: str) -> bool:
    """`Posted 5h ago, updated 3h ago`, `1 day ago`, `8h`: a relative date line, which is not a
    date without a reference instant (and a text dump has none)."""
    return _RELATIVE_LINE.match(text.strip(" ·•|-–—")) is not None


# A date at the start of a text, even when the page glued a counter to it ("22 Dec 2016651").
_LEADING_DATE = re.compile(
    r"^(?:[A-Za-z]{3,9},?\s+)?"
    r"(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+(?:19|20)\d{2}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+(?:19|20)\d{2})"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)


def parse_leading_date(text: str, default_zone: tzinfo, source: str) -> Timestamp | None:
    """The date that a text starts with (`22 Dec 2016651` gives 22 December 2016), or None."""
    match = _LEADING_DATE.match(text.strip())
    if match is None:
        return None
    return parse_date(_MERIDIEM.sub(_meridiem, match.group(0)), default_zone, source)


def _only_labels(skipped: tuple[str, ...]) -> bool:
    words = re.findall(r"[A-Za-z]+", " ".join(skipped))
    return all(w.lower() in _LABEL_WORDS or w.lower() in _WEEKDAYS for w in words)


_WEEKDAYS = frozenset(
    [
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


def to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# --- machine-readable dates (JSON-LD, meta tags, front matter, feeds) ---------------------------

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")


def parse_timestamp(text: str, default_zone: tzinfo, source: str) -> Timestamp | None:
    """A date as machines write it: ISO 8601 / RFC 3339, RFC 822, else the free forms above.

    The time of day and the zone are kept as written; a date without a time is marked
    ``day_only`` (at midnight in the feed's zone) and a time without a zone is read in the feed's
    zone. None when the text is not a complete date, or is a placeholder (see `plausible`).
    """
    stamp = _machine_timestamp(text, default_zone, source)
    return stamp if stamp is not None and plausible(stamp.value) else None


#: Content management systems print these for "no date": year 1 (.NET's DateTime.MinValue,
#: Go's zero time), the Unix epoch, and years no article was or will be published in.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_YEARS = range(1900, 2101)


def plausible(value: datetime) -> bool:
    """False for placeholder dates: they are no statement of when anything happened, and a
    year 1 would reach the tag authority of an entry id ('example.org,1'). `value` is aware
    (the callers give a naive time the feed's zone first: it would never equal the epoch)."""
    # aware times compare as instants, with no conversion that could overflow (year 1 east of
    # UTC has no UTC instant; its year is out of range anyway)
    return value.year in _YEARS and value != _EPOCH


def _machine_timestamp(text: str, default_zone: tzinfo, source: str) -> Timestamp | None:
    text = text.strip()
    if not text:
        return None
    if _ISO_DAY.match(text):
        try:
            day = datetime.fromisoformat(text)
        except ValueError:
            return None
        return Timestamp(day.replace(tzinfo=default_zone), source, day_only=True)
    if _ISO_LIKE.match(text):
        try:
            value = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            value = None
        if value is not None:
            return Timestamp(_aware(value, default_zone), source)
    rfc822 = _parse_rfc822(text, default_zone)
    if rfc822 is not None:
        return Timestamp(_aware(rfc822, default_zone), source)
    return parse_date(text, default_zone, source)


def timestamp_from_value(value: object, default_zone: tzinfo, source: str) -> Timestamp | None:
    """A date that a parser already typed (TOML datetimes and dates) or a string."""
    if isinstance(value, datetime):
        # the time in the feed's zone, as its text would be read: a naive 1970-01-01T00:00:00
        # is the epoch placeholder in a UTC feed (a naive time never equals an aware one)
        aware = _aware(value, default_zone)
        return Timestamp(aware, source) if plausible(aware) else None
    if isinstance(value, date):
        if value.year not in _YEARS:
            return None
        midnight = datetime(value.year, value.month, value.day, tzinfo=default_zone)
        return Timestamp(midnight, source, day_only=True)
    if isinstance(value, str):
        return parse_timestamp(value, default_zone, source)
    return None


def _aware(value: datetime, default_zone: tzinfo) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=default_zone)


# The zone after an RFC 822 time: "NZDT", "+0530", "GMT+1", "UTC+05:30", or nothing.
_RFC822_ZONE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s*(?P<zone>[^\s()]*)")
# "GMT+1" and "UTC+05:30" as they are printed: east of Greenwich, not POSIX's west.
_NAMED_OFFSET = re.compile(rf"(?:UTC|GMT|UT)?{_OFFSET}")


def _parse_rfc822(text: str, default_zone: tzinfo) -> datetime | None:
    """An RFC 822 date in the zone it names: one of _TZINFOS, an offset, else (none printed, or
    an abbreviation not in the table) the feed's zone, as the free forms read it."""
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d", text):
        return None
    import email.utils  # here, not at the top: with socket and random it is ~5 ms to import

    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is not None:
        return value
    # The stdlib gives a naive time for a zone it does not know (it knows the US ones), for none
    # at all and for "-0000" ("UTC, local zone unknown", RFC 5322): which one is ours to say.
    match = _RFC822_ZONE.search(text)
    name = match["zone"].upper() if match else ""
    if not name:
        return value.replace(tzinfo=default_zone)
    if name in _TZINFOS:
        return value.replace(tzinfo=_TZINFOS[name])
    offset = _NAMED_OFFSET.fullmatch(name)
    if offset is None or int(offset["h"]) > 23 or int(offset["m"] or 0) > 59:
        # an abbreviation the table does not hold (or no offset): as the free forms read it
        return value.replace(tzinfo=default_zone)
    minutes = int(offset["h"]) * 60 + int(offset["m"] or 0)
    if offset["sign"] == "-":
        minutes = -minutes
    return value.replace(tzinfo=timezone(timedelta(minutes=minutes)) if minutes else UTC)
