"""Wall-clock text in the conference's zone to exact, zone-aware times (with daylight-saving gaps caught)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.domain import Window

_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_WINDOW = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s+(\S+)\s*-\s*(\S+))?$")

WINDOW_FORMAT = "'YYYY-MM-DD HH:MM-HH:MM' (local time) or a whole day 'YYYY-MM-DD'"


def parse_clock(text: str) -> time | None:
    """'09:30', '9:30' or '9.30' as a time of day; None when it is not one."""
    match = _CLOCK.match(text.strip())
    return time(int(match[1]), int(match[2])) if match else None


def local_datetime(day: date, clock: time, zone: ZoneInfo) -> tuple[datetime | None, str]:
    """The exact moment of a wall-clock time on a day, or None and why (a time the clocks skip does not exist)."""
    moment = datetime.combine(day, clock, tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None, f"{clock:%H:%M} does not exist on {day} in {zone.key} (the clocks go forward)"
    return moment, ""


def parse_window(text: str, zone: ZoneInfo) -> tuple[Window | None, str]:
    """An unavailable window from its text form, or None and what was expected."""
    match = _WINDOW.match(text.strip())
    if not match:
        return None, f"'{text}' is not a window; expected {WINDOW_FORMAT}"
    try:
        day = date.fromisoformat(match[1])
    except ValueError:
        return None, f"'{match[1]}' is not a real date; expected {WINDOW_FORMAT}"
    if match[2] is None:
        start, _ = local_datetime(day, time(0), zone)
        end, _ = local_datetime(day + timedelta(days=1), time(0), zone)
        return Window(start=start, end=end), ""
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
