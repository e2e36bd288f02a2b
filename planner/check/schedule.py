"""A `Schedule` (self-contained: grid, people, placed and left-out sessions) as an agenda and its context, and the
one call the solver's tests make to validate its output independently."""

from __future__ import annotations

from collections.abc import Iterable

from planner.check.model import Agenda, Context, Finding, Item, as_utc
from planner.check.rules import check
from planner.domain import Person, Schedule, Session


def schedule_agenda(
    schedule: Schedule, proposals: Iterable[Session] | None = None, source: str = "schedule"
) -> tuple[Agenda, Context]:
    """The schedule's assignments as items, judged against its own conference and people.

    The proposals are `proposals` when given (the sessions the schedule was made from: one it neither places nor
    leaves out is missing, one it places but nobody proposed is reported too); else the schedule's own placed and
    left-out sessions, less those withdrawn since an earlier schedule (no longer proposed, so never missing).
    """
    items = tuple(
        Item(
            session=a.session.id,
            title=a.session.title,
            kind=a.session.kind,
            start=as_utc(a.start),
            end=as_utc(a.end),
            room=a.room,
            people=a.session.people,
            themes=a.session.themes,
            where=f"assignment {number}",
            proposal=a.session,
        )
        for number, a in enumerate(schedule.assignments, start=1)
    )
    if proposals is None:
        own = (
            *(a.session for a in schedule.assignments),
            *(u.session for u in schedule.unscheduled if not u.withdrawn),
        )
        proposals = {session.id: session for session in own}.values()
    people = {person.id: person for person in schedule.people}
    for item in items:  # someone named but not among the people: known by id alone, with no constraints
        for person_id in item.people:
            people.setdefault(person_id, Person(id=person_id, name=person_id))
    context = Context(
        conference=schedule.conference,
        people=people,
        proposals=tuple(proposals),
        left_out={u.session.id: u.reason for u in schedule.unscheduled},
    )
    return Agenda(source=source, items=items, zone=schedule.conference.zone), context


def check_schedule(schedule: Schedule, proposals: Iterable[Session] | None = None) -> list[Finding]:
    """Every finding on a schedule: errors for every hard rule it breaks, warnings for the soft ones.

    For the solver's tests: `[f for f in check_schedule(answer.schedule, inputs.sessions) if f.severity == "error"]`
    must be empty for a correct solver.
    """
    return check(*schedule_agenda(schedule, proposals))
