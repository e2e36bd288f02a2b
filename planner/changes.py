"""What changed between two schedules, for people to read: each session moved (from where to where), added or dropped
(`changes`, changes.md), and each person affected and how (`people_affected`: what their notices and a comparison
say).

Both compare places with planner.domain.moved (room, start and end as instants), so a session counts as moved here
exactly when the re-plan's cost and the calendars' SEQUENCE say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from planner.clock import day_time_span
from planner.domain import Assignment, Schedule, Unscheduled, moved
from planner.formats.markdown import markdown_table
from planner.programme import in_order


@dataclass(frozen=True)
class Change:
    session: str
    title: str
    before: str
    after: str
    how: str = "moved"
    """'moved' (placed in both, elsewhere now), 'added' (placed only now) or 'dropped' (placed only before)."""


def where(assignment: Assignment | None, rooms: dict[str, str], zone: tzinfo) -> str:
    """'Thu 11 Sep 11:15-12:45, Seminar Room 1', or 'not scheduled'."""
    if assignment is None:
        return "not scheduled"
    return f"{day_time_span(assignment.start, assignment.end, zone)}, {rooms.get(assignment.room, assignment.room)}"


def room_names(previous: Schedule, current: Schedule) -> dict[str, str]:
    """Room id -> name over both programmes (the current one's name when they differ)."""
    return {r.id: r.name for r in (*previous.conference.rooms, *current.conference.rooms)}


def _placed(schedule: Schedule) -> dict[str, Assignment]:
    """Session id -> its assignment (the first, when a hand-edited agenda places a session twice)."""
    placed: dict[str, Assignment] = {}
    for assignment in schedule.assignments:
        placed.setdefault(assignment.session.id, assignment)
    return placed


def changes(previous: Schedule, current: Schedule) -> list[Change]:
    """Every session whose room or times differ, or that appears or disappears, in programme order."""
    rooms = room_names(previous, current)
    zone = current.conference.zone
    before, after = _placed(previous), _placed(current)
    titles = {a.session.id: a.session.title for a in (*previous.assignments, *current.assignments)}
    titles |= {u.session.id: u.session.title for u in (*previous.unscheduled, *current.unscheduled)}
    found = []
    for session_id in sorted(set(before) | set(after), key=lambda s: ((after.get(s) or before[s]).start, s)):
        old, new = before.get(session_id), after.get(session_id)
        if old is None or new is None or moved(old, new):
            how = "added" if old is None else "dropped" if new is None else "moved"
            places = where(old, rooms, zone), where(new, rooms, zone)
            found.append(Change(session_id, titles[session_id], *places, how=how))
    return found


def changes_markdown(found: list[Change], total: int) -> str:
    text = f"# Changes against the previous schedule\n\n{len(found)} of {total} sessions changed.\n"
    if found:
        text += (
            "\n"
            + markdown_table(
                ["session", "title", "before", "after"], [(c.session, c.title, c.before, c.after) for c in found]
            )
            + "\n"
        )
    return text


# People ---------------------------------------------------------------------------------------------------------


class How(StrEnum):
    """How one of a person's sessions changed for them."""

    MOVED = "moved"
    """Still theirs, at another time (and perhaps in another room)."""
    ROOM = "room changed"
    """Still theirs, at the same time in another room."""
    CANCELLED = "cancelled"
    """Was on the programme, now left out (it may come back in a later re-plan)."""
    WITHDRAWN = "withdrawn"
    """Was on the programme, and is no longer among the proposals."""
    ADDED = "added"
    """Theirs now and not before: they joined it, or it came onto the programme."""
    REMOVED = "removed"
    """Theirs before, and the session goes on without them."""


@dataclass(frozen=True)
class PersonChange:
    """One of a person's sessions, and how it changed for them; `before` and `after` are where it was and is placed
    (None: not on that programme)."""

    how: How
    session: str
    title: str
    role: str
    """'chair' or 'speaker': theirs in the session now, else before."""
    before: Assignment | None
    after: Assignment | None


@dataclass(frozen=True)
class Affected:
    """A person with at least one change, their sessions on both programmes (time order) and what changed."""

    person: str
    """Their id."""
    name: str
    changes: tuple[PersonChange, ...]
    before: tuple[Assignment, ...]
    after: tuple[Assignment, ...]


def role(assignment: Assignment, person: str) -> str:
    """'chair' or 'speaker': what the person is in the session."""
    return "chair" if assignment.session.chair == person else "speaker"


def _session_changes(
    session_id: str, old: Assignment | None, new: Assignment | None, gone: Unscheduled | None
) -> list[tuple[str, PersonChange]]:
    """(person id, change) for everyone one session's change touches."""
    placed = new or old
    assert placed is not None, "a session placed on neither programme changes nothing"
    title = placed.session.title
    was = set(old.session.people) if old else set()
    now = set(new.session.people) if new else set()
    found: list[tuple[str, PersonChange]] = []
    if old is not None and new is None:
        how = How.CANCELLED if gone is not None and not gone.withdrawn else How.WITHDRAWN
        return [(p, PersonChange(how, session_id, title, role(old, p), old, None)) for p in old.session.people]
    assert new is not None
    for person in new.session.people:
        if person not in was:
            found.append((person, PersonChange(How.ADDED, session_id, title, role(new, person), old, new)))
        elif old is not None and moved(old, new):
            how = How.ROOM if (old.start, old.end) == (new.start, new.end) else How.MOVED
            found.append((person, PersonChange(how, session_id, title, role(new, person), old, new)))
    if old is not None:
        found += [
            (p, PersonChange(How.REMOVED, session_id, title, role(old, p), old, new))
            for p in old.session.people
            if p not in now
        ]
    return found


def people_affected(previous: Schedule, current: Schedule) -> list[Affected]:
    """Everyone (chair or speaker) for whom something changed between the two programmes: a session of theirs moved,
    changed room, was cancelled or withdrawn, or they were added to or removed from one; by name. People whose
    sessions are all where they were, with them still in each, are not listed.

    A session placed twice in a hand-edited agenda counts where it is first placed.
    """
    before, after = _placed(previous), _placed(current)
    left_out = {u.session.id: u for u in current.unscheduled}
    touched: dict[str, list[PersonChange]] = {}
    for session_id in sorted(set(before) | set(after)):
        old, new = before.get(session_id), after.get(session_id)
        for person, change in _session_changes(session_id, old, new, left_out.get(session_id)):
            touched.setdefault(person, []).append(change)
    names = {p.id: p.name for p in previous.people} | {p.id: p.name for p in current.people}
    ordered_before, ordered_after = in_order(previous, list(before.values())), in_order(current, list(after.values()))

    def when(change: PersonChange) -> tuple[datetime, str]:
        placed = change.after or change.before
        assert placed is not None, "every change has a place on one of the programmes"
        return placed.start, change.session

    affected = [
        Affected(
            person=person,
            name=names.get(person, person),
            changes=tuple(sorted(found, key=when)),
            before=tuple(a for a in ordered_before if person in a.session.people),
            after=tuple(a for a in ordered_after if person in a.session.people),
        )
        for person, found in touched.items()
    ]
    return sorted(affected, key=lambda a: (a.name.casefold(), a.name, a.person))


def change_summary(change: PersonChange) -> str:
    """'moved: Data for decisions (dd-data)', 'added as speaker: ...': a person's change in a few words."""
    how = f"{change.how} as {change.role}" if change.how in (How.ADDED, How.REMOVED) else str(change.how)
    return f"{how}: {' '.join(change.title.split())} ({change.session})"
