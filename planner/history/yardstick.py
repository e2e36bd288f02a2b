"""A drafted programme set beside the past editions: the yardstick the draft's answer, agenda.md and agenda.html show,
and what `planner history --with SCHEDULE` reports on as one more edition.

The draft becomes an edition as the recaps are recorded (`drafted_edition`): each day's slots in time order, the
sessions that start together in one slot, each person with their role. Then the history's own analysis runs over
past and drafted alike, and every difference from the latest past edition is said in words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from planner.domain import Schedule
from planner.history.records import Appearance, Edition, PastDay, PastSession, Slot

if TYPE_CHECKING:  # pandas and the analysis are imported where they are used: the exporters need neither
    import pandas as pd

    from planner.history.load import History

PARTS = {"first": "first in the day", "middle": "in the middle of the day", "last": "last in the day"}

SHARE_GAP = 0.10
"""A theme's share further than this from the share its trend projects is named as a difference."""


def drafted_edition(schedule: Schedule, source: str = "the drafted programme") -> Edition:
    """The schedule as one more edition: its days by number, each day's sessions in slots by start time."""
    conference, zone = schedule.conference, schedule.conference.zone
    names = {person.id: person for person in schedule.people}
    by_day: dict[int, dict[datetime, list]] = defaultdict(lambda: defaultdict(list))
    numbers = {day.date: number for number, day in enumerate(conference.days, start=1)}
    for assignment in sorted(schedule.assignments, key=lambda a: (a.start, a.room, a.session.id)):
        number = numbers.get(assignment.start.astimezone(zone).date())
        if number is not None:
            by_day[number][assignment.start].append(assignment)
    days = []
    for number, starts in sorted(by_day.items()):
        slots = []
        for order, (_, placed) in enumerate(sorted(starts.items()), start=1):
            sessions = tuple(
                PastSession(
                    id=f"{conference.key}-{a.session.id}",
                    kind=a.session.kind,
                    title=a.session.title,
                    themes=a.session.themes,
                    people=tuple(
                        Appearance(
                            name=names[p].name if p in names else p,
                            organisation=names[p].organisation if p in names else None,
                            role="chair" if p == a.session.chair else "speaker",
                        )
                        for p in a.session.people
                    ),
                )
                for a in placed
            )
            slots.append(Slot(order=order, concurrency="stated", sessions=sessions))
        days.append(PastDay(day=number, date=conference.days[number - 1].date, source=source, slots=tuple(slots)))
    year = min(day.date for day in conference.days).year
    return Edition(
        edition=conference.edition, year=year, name=conference.name, venue=conference.venue, days=tuple(days)
    )


@dataclass(frozen=True)
class Yardstick:
    """The draft against the past: the tables, and each difference from the latest past edition in words."""

    drafted: str
    against: str
    """The latest past edition ('' when none comes before the draft)."""
    kinds: list[tuple[str, int, int]]
    """(kind, sessions in the latest past edition, sessions now)."""
    shapes: list[tuple[int, str, str, str]]
    """(day number, the past day it is set beside ('SOC24 Day 1'), that day's shape, its shape now)."""
    themes: list[tuple[str, float, float]]
    """(theme id, the share its past trend projects for this year, its share now)."""
    differences: list[str]
    returning: list[tuple[str, str]]
    """(name, the past editions that named them) for the draft's people whom past editions named too."""


def yardstick(history: History, schedule: Schedule) -> Yardstick:
    """The draft beside the editions of earlier years, and each difference from the latest of them."""
    from planner.history import analysis
    from planner.history.load import history_of, with_edition

    edition = drafted_edition(schedule)
    past = tuple(e for e in history.editions if e.year < edition.year)
    if not past:
        return Yardstick(edition.edition, "", [], [], [], ["no past edition comes before this one"], [])
    before = history_of(past, history.identities)
    both = with_edition(before, edition)
    latest, now = past[-1].edition, edition.edition
    counts = analysis.sessions_per_kind(both.sessions)
    kinds = [(str(kind), int(row[latest]), int(row[now])) for kind, row in counts.iterrows()]
    shapes = _shapes(analysis.day_shapes(both.sessions), now)
    themes = _themes(before, both, now, edition.year)
    differences = [f"{kind}: {n} session{'s' * (n != 1)} ({latest} had {then})" for kind, then, n in kinds if then != n]
    differences += [f"Day {day}: {shape} ({beside} was {then})" for day, beside, then, shape in shapes if then != shape]
    differences += [
        f"theme {theme}: {share:.0%} of the sessions (its trend projects {projected:.0%})"
        for theme, projected, share in themes
        if abs(share - projected) > SHARE_GAP
    ]
    differences += _away(edition, schedule.conference.key, before)
    return Yardstick(now, latest, kinds, shapes, themes, differences, _returning(both, now))


def as_document(yardstick: Yardstick) -> dict[str, Any]:
    """The yardstick as plain data, for schedule.json (so `planner export` shows it again)."""
    return asdict(yardstick)


def from_document(data: dict[str, Any]) -> Yardstick:
    """The yardstick schedule.json recorded."""
    return Yardstick(
        drafted=str(data.get("drafted", "")),
        against=str(data.get("against", "")),
        kinds=[(str(k), int(a), int(b)) for k, a, b in data.get("kinds", [])],
        shapes=[(int(d), str(beside), str(then), str(now)) for d, beside, then, now in data.get("shapes", [])],
        themes=[(str(t), float(p), float(s)) for t, p, s in data.get("themes", [])],
        differences=[str(d) for d in data.get("differences", [])],
        returning=[(str(n), str(e)) for n, e in data.get("returning", [])],
    )


def labelled(yardstick: Yardstick, labels: dict[str, str]) -> Yardstick:
    """The yardstick with theme ids given as the conference's labels (in its differences too)."""
    differences = [
        next(
            (d.replace(f"theme {t}:", f"theme {label}:") for t, label in labels.items() if d.startswith(f"theme {t}:")),
            d,
        )
        for d in yardstick.differences
    ]
    themes = [(labels.get(theme, theme), projected, share) for theme, projected, share in yardstick.themes]
    return Yardstick(
        yardstick.drafted,
        yardstick.against,
        yardstick.kinds,
        yardstick.shapes,
        themes,
        differences,
        yardstick.returning,
    )


def yardstick_text(yardstick: Yardstick) -> str:
    """The yardstick in a few plain lines for the terminal: each difference; the tables are in agenda.md."""
    if not yardstick.against:
        return "No past edition comes before this one."
    lines = [f"Against {yardstick.against}, the latest past edition (the tables are in agenda.md and agenda.html):"]
    lines += [f"  - {difference}" for difference in yardstick.differences] or ["  - no difference"]
    people = ", ".join(f"{name} ({editions})" for name, editions in yardstick.returning)
    return "\n".join([*lines, f"People who return from past editions: {people or 'none'}."])


def yardstick_markdown(yardstick: Yardstick) -> str:
    """The yardstick as a Markdown section (for agenda.md and the terminal)."""
    from planner.formats.markdown import inline, markdown_table

    now, latest = yardstick.drafted, yardstick.against
    if not latest:
        return "## Against past editions\n\nNo past edition comes before this one.\n"
    parts = [f"## Against past editions\n\n{inline(now)} set beside {inline(latest)}, the latest past edition.\n"]
    parts.append(markdown_table(("kind", latest, now), [(k, str(a), str(b)) for k, a, b in yardstick.kinds]) + "\n")
    parts.append(
        markdown_table(
            ("day", "past", now), [(f"Day {d} ({beside})", then, shape) for d, beside, then, shape in yardstick.shapes]
        )
        + "\n"
    )
    differences = "\n".join(f"- {inline(d)}" for d in yardstick.differences) or "- none"
    parts.append(f"Each difference from {inline(latest)}:\n\n{differences}\n")
    people = ", ".join(f"{inline(name)} ({inline(editions)})" for name, editions in yardstick.returning)
    parts.append(f"People who return from past editions: {people or 'none'}.\n")
    return "\n".join(parts)


def _away(edition: Edition, key: str, before: History) -> list[str]:
    """Each drafted session that sits on another day or in another part of the day than past editions put its kind
    (derive.positions, what the history_position term weighs), with where history puts it and why."""
    from planner.history.derive import positions, where_in_day

    usual = positions(before.sessions)
    away = []
    for day in edition.days:
        for index, slot in enumerate(day.slots):
            part = where_in_day(index, len(day.slots))
            for session in slot.sessions:
                position = usual.get(session.kind)
                if position is None:
                    continue
                other_day = position.day is not None and position.day != day.day
                other_part = position.part is not None and len(day.slots) >= 2 and position.part != part
                if other_day or other_part:
                    usual_place = ", ".join(
                        x
                        for x in (f"on Day {position.day}" if position.day else "", PARTS.get(position.part or "", ""))
                        if x
                    )
                    away.append(
                        f"{session.kind} '{session.title}' ({session.id.removeprefix(key + '-')}) sits on Day "
                        f"{day.day}, {PARTS[part]}; history puts {session.kind} {usual_place} "
                        f"({', '.join(position.sources)})"
                    )
    return away


def _shapes(shapes: pd.DataFrame, now: str) -> list[tuple[int, str, str, str]]:
    """Each drafted day's shape beside the same day's shape in the latest past edition that recorded that day."""
    rows = list(zip(*(shapes[c].tolist() for c in ("edition", "day", "shape")), strict=True))
    drafted = {int(day): shape for edition, day, shape in rows if edition == now}
    past = {int(day): (f"{edition} Day {day}", shape) for edition, day, shape in rows if edition != now}
    return [(day, *past[day], shape) for day, shape in sorted(drafted.items()) if day in past]


def _themes(before: History, both: History, now: str, year: int) -> list[tuple[str, float, float]]:
    """(theme, projected share, share now) for every theme the past or the draft carries."""
    from planner.history import analysis

    trend = analysis.theme_trend(before.sessions)
    editions = analysis.editions_in_order(before.sessions)
    latest_year = int(before.sessions["year"].max())
    shares = analysis.theme_counts(both.sessions).div(analysis.edition_sizes(both.sessions), axis=1)
    found = []
    for theme in shares.index:
        share = float(shares.loc[theme, now])
        if theme in trend.index:
            projected = float(trend.loc[theme, editions[-1]]) + float(trend.loc[theme, "per_year"]) * (
                year - latest_year
            )
        else:
            projected = 0.0
        found.append((str(theme), min(max(projected, 0.0), 1.0), share))
    return found


def _returning(both: History, now: str) -> list[tuple[str, str]]:
    """The draft's people whom earlier editions named, with those editions (identities resolved as history does)."""
    appearances = both.appearances
    rows = list(zip(*(appearances[c].tolist() for c in ("edition", "person", "name")), strict=True))
    drafted = {person: name for edition, person, name in rows if edition == now}
    earlier: dict[str, list[str]] = defaultdict(list)
    for edition, person, _ in rows:
        if edition != now and person in drafted and edition not in earlier[person]:
            earlier[person].append(edition)
    return sorted((drafted[person], ", ".join(editions)) for person, editions in earlier.items())
