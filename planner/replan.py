"""What a re-plan carries over from the previous schedule: calendar sequence numbers, cancellations for sessions that
were published and are now left out or withdrawn (so calendars remove them instead of keeping them), and the people
taken out of a session (so their own calendars cancel it for them while everyone else keeps it)."""

from __future__ import annotations

from planner.domain import WITHDRAWN, Assignment, Person, Schedule, Unscheduled, moved


def people_changed(before: Assignment, after: Assignment) -> bool:
    """Whether someone joined or left the session (an update of its event, as a move is; order alone is none)."""
    return set(before.session.people) != set(after.session.people)


def removed_people(before: Assignment, after: Assignment) -> tuple[str, ...]:
    """Everyone a published version of the session had and `after` does not: taken out earlier and still out, or
    taken out now. Someone back in the session is no longer removed."""
    present = set(after.session.people)
    everyone = dict.fromkeys((*before.removed_people, *after.removed_people, *before.session.people))
    return tuple(p for p in everyone if p not in present)


def _continued(old: Assignment, now: Assignment, was_placed: bool) -> Assignment:
    """`now` with its sequence continued from `old` (raised if it comes back, moved or changed people) and the
    people taken out of it."""
    changed = not was_placed or moved(old, now) or people_changed(old, now)
    return now.model_copy(update={"sequence": old.sequence + changed, "removed_people": removed_people(old, now)})


def _named_by_feeds(assignments: tuple[Assignment, ...], left_out: tuple[Unscheduled, ...]) -> list[str]:
    """The people whose own calendars carry a session on although they are in none now: removed from a session, or
    in one that is cancelled."""
    cancelled = [u.was for u in left_out if u.was is not None]
    return [p for a in (*assignments, *cancelled) for p in (*a.removed_people, *a.session.people)]


def _people(previous: Schedule, current: Schedule, named: list[str]) -> tuple[Person, ...]:
    """`current`'s people, and anyone the feeds still name whom it no longer lists, as `previous` had them: their
    calendar keeps its name and its file name, so a subscription to it still finds the cancellation."""
    listed = {p.id for p in current.people}
    earlier = {p.id: p for p in previous.people}
    missing = [earlier[p] for p in dict.fromkeys(named) if p not in listed and p in earlier]
    return (*current.people, *missing)


def carry_over(previous: Schedule, current: Schedule) -> Schedule:
    """`current` with sequence numbers continued from `previous` and every session `previous` published accounted
    for: placed (sequence +1 if it moved or its people changed, and the people taken out of it recorded in
    `removed_people`), left out (cancelled where it was) or withdrawn."""
    before = {a.session.id: a for a in previous.assignments}
    cancelled_before = {u.session.id: u for u in previous.unscheduled if u.was is not None}
    assignments = []
    for now in current.assignments:
        old = before.get(now.session.id) or (
            cancelled_before[now.session.id].was if now.session.id in cancelled_before else None
        )
        if old is not None:
            now = _continued(old, now, was_placed=now.session.id in before)
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
    people = _people(previous, current, _named_by_feeds(tuple(assignments), tuple(left_out)))
    return current.model_copy(
        update={"assignments": tuple(assignments), "unscheduled": tuple(left_out), "people": people}
    )
