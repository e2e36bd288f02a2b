"""What past programmes say the next one should keep: which kinds open and close a day, where each kind usually sits,
the block lengths the recaps state, and which themes cost more when they clash. Each fact names the days it comes from,
so a template (and an organiser) can see why; each follows whatever editions history/ holds.

Only days with at least two slots count for the day's shape (a day of one slot has its only kind first and last).
A kind opens (closes) days when it was in the first (last) slot on more than half of the days it ran on; it usually
sits on day N when it never ran on two days of one edition and more than half of its days were day N, and first, in
the middle or last when more than half of its appearances were there.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import pandas as pd

from planner.history.analysis import slots

Part = Literal["first", "middle", "last"]


@dataclass(frozen=True)
class Shape:
    """The kinds that open and close a day, and the days (e.g. 'SOC24 Day 1') the verdict was read from."""

    opens: tuple[str, ...]
    closes: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Position:
    """Where a kind usually sits: a day number (1-based) and a part of the day, either unknown when history is mixed;
    `sources` are the days it ran on."""

    kind: str
    day: int | None
    part: Part | None
    sources: tuple[str, ...]


def day_name(edition: str, day: int) -> str:
    return f"{edition} Day {day}"


def _days(sessions: pd.DataFrame) -> list[tuple[str, list[tuple[str, ...]]]]:
    """Each recorded day with at least two slots, oldest first: its name and the kinds of each slot in order."""
    by_day: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    table = slots(sessions)
    for edition, day, order, kinds in zip(
        *(table[c].tolist() for c in ("edition", "day", "order", "kinds")), strict=True
    ):
        by_day.setdefault(day_name(str(edition), int(day)), []).append((int(order), tuple(kinds)))
    return [(name, [kinds for _, kinds in sorted(ordered)]) for name, ordered in by_day.items() if len(ordered) >= 2]


def _majority(hits: int, of: int) -> bool:
    return of > 0 and hits * 2 > of


def day_shape(sessions: pd.DataFrame) -> Shape:
    """The kinds that opened (closed) most of the days they ran on, in the order they first did so."""
    days = _days(sessions)
    ran: Counter[str] = Counter()
    first: Counter[str] = Counter()
    last: Counter[str] = Counter()
    for _, kinds in days:
        ran.update({kind for slot in kinds for kind in slot})
        first.update(set(kinds[0]))
        last.update(set(kinds[-1]))
    ordered = list(dict.fromkeys(kind for _, kinds in days for slot in kinds for kind in slot))
    opens = tuple(kind for kind in ordered if _majority(first[kind], ran[kind]))
    closes = tuple(kind for kind in ordered if _majority(last[kind], ran[kind]))
    return Shape(opens, closes, tuple(name for name, _ in days))


def where_in_day(index: int, count: int) -> Part:
    """The part of a day the slot at `index` (0-based) of `count` slots is."""
    return "first" if index == 0 else "last" if index == count - 1 else "middle"


def positions(sessions: pd.DataFrame) -> dict[str, Position]:
    """Each kind's usual day and part of the day, for the kinds history gives either for."""
    on_days: dict[str, list[tuple[str, int]]] = defaultdict(list)
    parts: dict[str, Counter[Part]] = defaultdict(Counter)
    for name, kinds in _days(sessions):
        number = int(name.rsplit(" ", 1)[1])
        for index, slot in enumerate(kinds):
            for kind in dict.fromkeys(slot):
                if (name, number) not in on_days[kind]:
                    on_days[kind].append((name, number))
                parts[kind][where_in_day(index, len(kinds))] += 1
    found = {}
    for kind, days in on_days.items():
        editions = Counter(name.rsplit(" Day ", 1)[0] for name, _ in days)
        number, hits = Counter(n for _, n in days).most_common(1)[0]
        part, times = parts[kind].most_common(1)[0]
        one_day_a_year = max(editions.values()) == 1  # a format of one day (a launch, the breakfasts), not of all
        usual_day = number if one_day_a_year and _majority(hits, len(days)) else None
        usual_part = part if _majority(times, sum(parts[kind].values())) else None
        if usual_day is not None or usual_part is not None:
            found[kind] = Position(kind, usual_day, usual_part, tuple(name for name, _ in days))
    return found


def block_minutes(sessions: pd.DataFrame) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Kind -> (minutes, the days it was read from), where a recap states the times of a slot and of the slot after
    it: the slot ran from one to the other. The latest such day wins, as for the template's day shapes."""
    stated = sessions.dropna(subset=["time"]).sort_values(["year", "day", "order"])
    rows = list(zip(*(stated[c].tolist() for c in ("edition", "day", "order", "kind", "time")), strict=True))
    times = {(edition, day, order): clock for edition, day, order, _, clock in rows}
    found: dict[str, tuple[int, tuple[str, ...]]] = {}
    for edition, day, order, kind, clock in rows:
        following = times.get((edition, day, order + 1))
        if following is None:
            continue
        start, end = (datetime.combine(date.min, datetime.strptime(t, "%H:%M").time()) for t in (clock, following))
        if end > start:
            found[str(kind)] = (int((end - start).total_seconds() // 60), (day_name(str(edition), int(day)),))
    return found


CLASH_WEIGHTS = (1, 2, 3)
"""What one theme clash costs for a steady theme, for a rising one or one carried by many sessions, and for both."""


def theme_weights(trend: pd.DataFrame) -> dict[str, int]:
    """Theme -> a multiplier of the theme_clash weight: rising themes, and those carried by more sessions than the
    median theme, cost more when they clash with themselves (their audience grows, or is large)."""
    if trend.empty:
        return {}
    many = trend["sessions"] > trend["sessions"].median()
    rising = trend["trend"] == "rising"
    return {str(theme): CLASH_WEIGHTS[int(many[theme]) + int(rising[theme])] for theme in trend.index}
