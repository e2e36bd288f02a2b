"""The programme as people read it: display names for ids, the order sessions are listed in, each day's sessions on
its blocks, and the identity a session keeps in every published feed.

Shared by every output (agenda pages, workbook, calendars, frab) so all show the same names, order, days and times,
for any Schedule: assignments without a day or blocks (a hand-edited spreadsheet, a frab import) are placed by their
times.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.clock import long_date, time_span
from planner.domain import Assignment, BlockType, Day, Schedule, Session, Unscheduled

DEFAULT_COLOUR = "#777777"
"""For a kind that names no colour."""


def date_range(schedule: Schedule) -> str:
    """The conference's dates in words: one date, or 'first to last'."""
    dates = [day.date for day in schedule.conference.days]
    first, last = min(dates), max(dates)
    return long_date(first) if first == last else f"{long_date(first)} to {long_date(last)}"


class Names:
    """Display names for ids; an id the schedule does not define shows as itself, so nothing is dropped."""

    def __init__(self, schedule: Schedule) -> None:
        conference = schedule.conference
        self._people = {person.id: person.name for person in schedule.people}
        self._rooms = {room.id: room.name for room in conference.rooms}
        self._kinds = {kind.id: kind.label for kind in conference.kinds}
        self._colours = {kind.id: kind.colour for kind in conference.kinds if kind.colour}
        self._themes = {theme.id: theme.label for theme in conference.themes}

    def person(self, person_id: str) -> str:
        return self._people.get(person_id, person_id)

    def room(self, room_id: str) -> str:
        return self._rooms.get(room_id, room_id)

    def kind(self, kind_id: str) -> str:
        return self._kinds.get(kind_id, kind_id)

    def colour(self, kind_id: str) -> str:
        """'#rrggbb', validated by the domain; grey for a kind without one."""
        return self._colours.get(kind_id, DEFAULT_COLOUR)

    def theme(self, theme_id: str) -> str:
        return self._themes.get(theme_id, theme_id)

    def chair(self, session: Session) -> str:
        return self.person(session.chair) if session.chair else ""

    def speakers(self, session: Session) -> tuple[str, ...]:
        return tuple(self.person(p) for p in session.speakers)


@dataclass(frozen=True)
class DayPlan:
    """One day's sessions: `placed` sit on the day's blocks (rows are block indices), `loose` fall between them."""

    day: Day
    placed: tuple[tuple[Assignment, tuple[int, ...]], ...]
    loose: tuple[Assignment, ...]

    def plenary(self, rows: tuple[int, ...]) -> bool:
        """A session in a plenary block has the whole grid to itself."""
        return any(self.day.blocks[row].type is BlockType.PLENARY for row in rows)


def room_order(schedule: Schedule) -> dict[str, int]:
    return {room.id: number for number, room in enumerate(schedule.conference.rooms)}


def in_order(schedule: Schedule, assignments: tuple[Assignment, ...] | list[Assignment]) -> list[Assignment]:
    """Time order, then the conference's room order, then session id: the same order on every run."""
    rooms = room_order(schedule)
    return sorted(assignments, key=lambda a: (a.start, rooms.get(a.room, len(rooms)), a.room, a.session.id))


def block_rows(day: Day, assignment: Assignment) -> tuple[int, ...]:
    """The day's block indices a session occupies: its recorded blocks when they are this day's, else the blocks
    its times overlap."""
    index = {block.id: number for number, block in enumerate(day.blocks)}
    if assignment.blocks and all(block in index for block in assignment.blocks):
        return tuple(sorted(index[block] for block in assignment.blocks))
    return tuple(n for n, b in enumerate(day.blocks) if b.start < assignment.end and assignment.start < b.end)


def plan_days(schedule: Schedule) -> tuple[tuple[DayPlan, ...], tuple[Assignment, ...]]:
    """Each conference day with its sessions, and the sessions that fall on none of the days."""
    zone = schedule.conference.zone
    known = {day.id for day in schedule.conference.days}
    ordered = in_order(schedule, schedule.assignments)
    plans: list[DayPlan] = []
    claimed: set[int] = set()
    for day in schedule.conference.days:
        mine = [
            a
            for a in ordered
            if a.day == day.id or (a.day not in known and a.start.astimezone(zone).date() == day.date)
        ]
        rows = [(a, block_rows(day, a)) for a in mine]
        plans.append(DayPlan(day, tuple((a, r) for a, r in rows if r), tuple(a for a, r in rows if not r)))
        claimed.update(id(a) for a in mine)
    elsewhere = tuple(a for a in ordered if id(a) not in claimed)
    return tuple(plans), elsewhere


def left_out(schedule: Schedule) -> list[Unscheduled]:
    """Cancelled sessions (those an earlier schedule had) first, then the rest, each by title."""
    return sorted(schedule.unscheduled, key=lambda u: (u.was is None, u.session.title.casefold(), u.session.id))


def where_it_was(schedule: Schedule, names: Names, was: Assignment) -> str:
    """'Day 1, 11:15–12:45, Seminar Room 1': where an earlier schedule had a session now cancelled."""
    zone = schedule.conference.zone
    day = next((d.name for d in schedule.conference.days if d.id == was.day), None)
    day = day or long_date(was.start.astimezone(zone).date())
    return f"{day}, {time_span(was.start, was.end, zone)}, {names.room(was.room)}"


def session_uid(schedule: Schedule, session_id: str) -> str:
    """The session's UID: '<session id>@<conference id, else edition>.planner', the same in every feed and every re-plan
    (the calendars' UID, and the seed of frab's guid)."""
    return f"{session_id}@{schedule.conference.key.lower()}.planner"
