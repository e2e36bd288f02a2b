"""The checker's test conference (tests/check/data/checkcon) and a clean programme for it, to break one rule at a time.

The clean programme places every proposal and breaks nothing, not even a soft rule, so any finding on a changed copy
comes from the change.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from planner.domain import Assignment, ConferenceInput, Schedule, Session, Unscheduled
from planner.io.folder import load_folder

DATA = Path(__file__).parent / "data"
CHECKCON = DATA / "checkcon"
DAYS = {"d1": date(2030, 6, 4), "d2": date(2030, 6, 5)}

CLEAN: dict[str, tuple[str, str, str, str]] = {
    "key": ("hall", "d1", "09:00", "10:00"),
    "t1": ("side", "d1", "10:00", "11:00"),
    "w1": ("hall", "d1", "10:00", "12:00"),
    "t2": ("side", "d1", "11:00", "12:00"),
    "t3": ("side", "d1", "13:00", "14:00"),
    "opt": ("hall", "d1", "13:00", "14:00"),
    "t4": ("hall", "d2", "10:00", "11:00"),
}
"""Session id -> (room, day, start, end): local times in Europe/London (BST in June)."""


@cache
def inputs() -> ConferenceInput:
    return load_folder(CHECKCON)


def session(session_id: str, **changes: object) -> Session:
    """A proposal of the test conference, with some fields changed (e.g. speakers=('bo-li',))."""
    found = next(s for s in inputs().sessions if s.id == session_id)
    return found.model_copy(update=changes)


def at(day: str, clock: str) -> datetime:
    return datetime.combine(DAYS[day], time.fromisoformat(clock), tzinfo=inputs().conference.zone)


def place(item: Session, room: str, day: str, start: str, end: str) -> Assignment:
    return Assignment(session=item, room=room, start=at(day, start), end=at(day, end), day=day)


def programme(
    moves: dict[str, tuple[str, str, str, str] | None] | None = None,
    sessions: dict[str, Session] | None = None,
    extra: tuple[Assignment, ...] = (),
    left_out: dict[str, str] | None = None,
    **conference_changes: object,
) -> Schedule:
    """The clean programme with sessions moved (or dropped: None), changed, added, or left out with a reason."""
    places = CLEAN | (moves or {})
    changed = sessions or {}
    assignments = [
        place(changed.get(session_id) or session(session_id), *where)
        for session_id, where in places.items()
        if where is not None
    ]
    unscheduled = [Unscheduled(session=session(s), reason=why) for s, why in (left_out or {}).items()]
    conference = inputs().conference.model_copy(update=conference_changes)
    return Schedule(
        conference=conference,
        people=inputs().people,
        assignments=(*assignments, *extra),
        unscheduled=tuple(unscheduled),
    )


def sessions_workbook(schedule: Schedule) -> bytes:
    """A workbook holding only the Sessions sheet (and About): what `planner check` reads from an edited agenda."""
    from openpyxl import Workbook

    from planner.formats.sessions_sheet import write_sessions_sheet
    from planner.formats.workbook import workbook_bytes

    workbook = Workbook()
    workbook.remove(workbook.active)
    write_sessions_sheet(workbook, schedule)
    return workbook_bytes(workbook)
