"""Sessions, blocks, days and unavailable windows in plain words, for the reasons a draft gives when no programme
exists: one place where solve/ words them, with every time shown by planner.clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import time, timedelta, tzinfo

from planner.clock import day_time_span, long_date
from planner.domain import Block, Day, Session, Window

MOST_LISTED = 6
"""Items a reason lists before it says how many more there are."""


def plural(n: int, word: str, words: str = "") -> str:
    """'1 session', '2 sessions' ('1 day', '3 days'); `words` for an irregular plural."""
    return f"{n} {word if n == 1 else words or word + 's'}"


def listed(items: Sequence[str], most: int = MOST_LISTED) -> str:
    """Items joined by commas, the first `most` of them, then how many more."""
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def either(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def sessions_named(sessions: Iterable[Session]) -> str:
    """ "'Data for decisions' (dd-data), 'Outcomes funds' (rt-funds)": title and id, so both the people who wrote the
    proposals and those who edit the files find them."""
    return listed([f"'{session.title}' ({session.id})" for session in sessions])


def block_named(block: Block, zone: tzinfo, extra: str = "") -> str:
    """'d1-am (Thu 11 Sep 11:15-12:45)', with `extra` inside the brackets after the time."""
    return f"{block.id} ({day_time_span(block.start, block.end, zone)}{', ' + extra if extra else ''})"


def day_named(day: Day) -> str:
    """'d1 (Thursday 11 September 2025)'."""
    return f"{day.id} ({long_date(day.date)})"


def window_named(window: Window, zone: tzinfo) -> str:
    """'Thu 11 Sep 13:45-16:45', or 'all of Thursday 11 September 2025' for a window of whole days."""
    start, end = window.start.astimezone(zone), window.end.astimezone(zone)
    if start.time() == time(0) == end.time():
        last = end.date() - timedelta(days=1)
        if last == start.date():
            return f"all of {long_date(start.date())}"
        return f"all of {long_date(start.date())} to {long_date(last)}"
    return day_time_span(window.start, window.end, zone)
