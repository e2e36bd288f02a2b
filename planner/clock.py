"""Wall-clock time both ways: text in the conference's zone to exact, zone-aware times (with daylight-saving changes
caught), and exact times back to the text people read, in one place so every output shows a time the same way.

A wall-clock time the clocks skip (spring) does not exist, and one they repeat (autumn) happens twice: both are
refused rather than guessed. Every other time is exact, so a conference across a clock change keeps correct UTC
times. Dates are kept to years a conference can have, so no arithmetic on them can overflow.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from planner.domain import Window

_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_WINDOW = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s+(\S+)\s*-\s*(\S+))?$")

WINDOW_FORMAT = "'YYYY-MM-DD HH:MM-HH:MM' (local time) or a whole day 'YYYY-MM-DD'"
CLOCK_FORMAT = "HH:MM from 00:00 to 23:59"
YEARS = range(1900, 3000)
"""Years a conference date may have: far from the ends of Python's calendar, where a zone's offset overflows."""


def parse_clock(text: str) -> time | None:
    """'09:30', '9:30' or '9.30' as a time of day; None when it is not one."""
    match = _CLOCK.match(text.strip())
    return time(int(match[1]), int(match[2])) if match else None


def outside_years(day: date) -> str:
    """Why a date is refused ('' when it is within YEARS)."""
    if day.year in YEARS:
        return ""
    return f"{day.isoformat()} is not a date a conference can have; expected a year from {YEARS[0]} to {YEARS[-1]}"


def local_datetime(day: date, clock: time, zone: ZoneInfo) -> tuple[datetime | None, str]:
    """The exact moment of a wall-clock time on a day, or None and why: the clocks skip it (it does not exist) or
    repeat it (it happens twice, an hour apart)."""
    if why := outside_years(day):
        return None, why
    moment = datetime.combine(day, clock, tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None, f"{clock:%H:%M} does not exist on {day} in {zone.key} (the clocks go forward)"
    if moment.utcoffset() != moment.replace(fold=1).utcoffset():
        return None, (
            f"{clock:%H:%M} happens twice on {day} in {zone.key} (the clocks go back); "
            "expected a time outside the repeated hour"
        )
    return moment, ""


def _start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of a day: midnight, or the moment the clocks jump to where a zone skips midnight."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC).astimezone(zone)


def parse_window(text: str, zone: ZoneInfo) -> tuple[Window | None, str]:
    """An unavailable window from its text form, or None and what was expected."""
    match = _WINDOW.match(text.strip())
    if not match:
        return None, f"'{text}' is not a window; expected {WINDOW_FORMAT}"
    try:
        day = date.fromisoformat(match[1])
    except ValueError:
        return None, f"'{match[1]}' is not a real date; expected {WINDOW_FORMAT}"
    if why := outside_years(day):
        return None, why
    if match[2] is None:
        return Window(start=_start_of_day(day, zone), end=_start_of_day(day + timedelta(days=1), zone)), ""
    first, last = parse_clock(match[2]), parse_clock(match[3])
    if first is None or last is None:
        return None, f"'{text}' has a time that is not HH:MM; expected {WINDOW_FORMAT}"
    start, why = local_datetime(day, first, zone)
    end, why_end = local_datetime(day, last, zone)
    if start is None or end is None:
        return None, why or why_end
    if end <= start:
        return None, f"'{text}' ends before it starts; expected {WINDOW_FORMAT}"
    return Window(start=start, end=end), ""


# Times as people read them -----------------------------------------------------------------------------------------

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """'Thursday 11 September 2025', the same whatever the machine's locale."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def clock(moment: datetime, zone: tzinfo) -> str:
    """'09:30': the moment's local time of day."""
    return moment.astimezone(zone).strftime("%H:%M")


def time_span(start: datetime, end: datetime, zone: tzinfo) -> str:
    """'11:15–12:45' in local time: for a grid or a day's table, where the day is already said."""
    return f"{clock(start, zone)}–{clock(end, zone)}"


@lru_cache(maxsize=8192)
def day_time_span(start: datetime | None, end: datetime | None, zone: tzinfo) -> str:
    """'Thu 11 Sep 11:15-12:45' in local time, the end's date too when it is on another day; '' when either is
    unknown. For a line that stands alone (a finding, a change); cached, as findings name the same sessions often."""
    if start is None or end is None:
        return ""
    first, last = start.astimezone(zone), end.astimezone(zone)
    until = f"{last:%H:%M}" if last.date() == first.date() else f"{last:%a %d %b %H:%M}"
    return f"{first:%a %d %b %H:%M}-{until}"


@lru_cache(maxsize=8192)
def local_iso(moment: datetime | None, zone: tzinfo) -> str | None:
    """The moment in ISO 8601 with the local offset, for machines (None stays None)."""
    return moment.astimezone(zone).isoformat() if moment is not None else None


def publication_stamp(environ: Mapping[str, str] = os.environ) -> datetime:
    """When outputs are published (the calendars' DTSTAMP): SOURCE_DATE_EPOCH (seconds since 1970, UTC) when set, for
    reproducible outputs, else the current UTC time truncated to the second. A bad value raises ValueError saying what
    was expected; the CLI reads it before any work, so it never stops a run half-way through its writing."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        if not value.isascii() or not value.isdigit():
            raise ValueError(value)
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, not {value!r}") from None
