"""What a re-plan changed: sessions moved (from where to where), added, and dropped, for people to read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from planner.clock import day_time_span
from planner.domain import Assignment, Schedule, moved
from planner.formats.markdown import markdown_table


@dataclass(frozen=True)
class Change:
    session: str
    title: str
    before: str
    after: str


def _where(assignment: Assignment | None, rooms: dict[str, str], zone: tzinfo) -> str:
    if assignment is None:
        return "not scheduled"
    return f"{day_time_span(assignment.start, assignment.end, zone)}, {rooms.get(assignment.room, assignment.room)}"


def changes(previous: Schedule, current: Schedule) -> list[Change]:
    """Every session whose room or times differ, or that appears or disappears, in programme order."""
    rooms = {r.id: r.name for r in (*previous.conference.rooms, *current.conference.rooms)}
    zone = current.conference.zone
    before = {a.session.id: a for a in previous.assignments}
    after = {a.session.id: a for a in current.assignments}
    titles = {a.session.id: a.session.title for a in (*previous.assignments, *current.assignments)}
    titles |= {u.session.id: u.session.title for u in (*previous.unscheduled, *current.unscheduled)}
    found = []
    for session_id in sorted(set(before) | set(after), key=lambda s: ((after.get(s) or before[s]).start, s)):
        old, new = before.get(session_id), after.get(session_id)
        if old is None or new is None or moved(old, new):
            found.append(Change(session_id, titles[session_id], _where(old, rooms, zone), _where(new, rooms, zone)))
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
