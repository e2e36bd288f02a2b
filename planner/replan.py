"""What a re-plan carries over from the previous schedule: calendar sequence numbers, and cancellations for
sessions that were published and are now left out or withdrawn (so calendars remove them instead of keeping them)."""

from __future__ import annotations

from planner.domain import WITHDRAWN, Schedule, Unscheduled, moved


def carry_over(previous: Schedule, current: Schedule) -> Schedule:
    """`current` with sequence numbers continued from `previous` and every session `previous` published accounted
    for: placed (sequence +1 if it moved), left out (cancelled where it was) or withdrawn."""
    before = {a.session.id: a for a in previous.assignments}
    cancelled_before = {u.session.id: u for u in previous.unscheduled if u.was is not None}
    assignments = []
    for now in current.assignments:
        old = before.get(now.session.id) or (
            cancelled_before[now.session.id].was if now.session.id in cancelled_before else None
        )
        if old is not None:
            now = now.model_copy(update={"sequence": old.sequence + (now.session.id not in before or moved(old, now))})
        assignments.append(now)
    left_out = []
    for entry in current.unscheduled:
        if (old := before.get(entry.session.id)) is not None:
            entry = entry.model_copy(update={"was": old.model_copy(update={"sequence": old.sequence + 1})})
        elif entry.session.id in cancelled_before:
            entry = entry.model_copy(update={"was": cancelled_before[entry.session.id].was})
        left_out.append(entry)
    known = {a.session.id for a in current.assignments} | {u.session.id for u in current.unscheduled}
    for session_id, old in sorted(before.items()):
        if session_id not in known:
            was = old.model_copy(update={"sequence": old.sequence + 1})
            left_out.append(Unscheduled(session=old.session, reason=WITHDRAWN, was=was))
    for session_id, entry in sorted(cancelled_before.items()):
        if session_id not in known and session_id not in before:
            left_out.append(entry)
    return current.model_copy(update={"assignments": tuple(assignments), "unscheduled": tuple(left_out)})
