"""A programme written into a pretalx event's work-in-progress schedule, and released when asked.

Each placed session (its id a submission's code) has its work-in-progress slot moved to its room and start; a
session the programme leaves out has its slot unplaced; a slot already where the programme has it is not touched.
pretalx computes a slot's end from the submission's duration (the API refuses an end), so a programme whose session
lasts otherwise is told, not forced. Submissions the programme does not name are left as they are and listed.

Publishing is idempotent: the plan is made from pretalx's slots as they are now, so running it again after a
failure half-way writes only what still differs, and converges. Slot ids are looked up afresh every time (pretalx
gives every slot a new id on each release). Nothing is released unless a version name is given; that name is
checked before the first write, so a taken name stops the run before anything changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from planner.clock import day_time_span
from planner.domain import Schedule
from planner.errors import Collector, InputProblems, Problem
from planner.filenames import slug
from planner.sources.http import NetworkFailure
from planner.sources.pretalx.client import Event
from planner.sources.pretalx.read import text

RELEASE_COMMENT = "Drafted with planner"


@dataclass(frozen=True)
class Place:
    """Where a slot is, or is to be: a pretalx room (id and name) and its times; all None when unplaced."""

    room: int | None = None
    room_name: str = ""
    start: datetime | None = None
    end: datetime | None = None

    def shown(self, zone: tzinfo) -> str:
        if self.room is None or self.start is None:
            return "unplaced"
        return f"{self.room_name} {day_time_span(self.start, self.end or self.start, zone)}"


@dataclass(frozen=True)
class Change:
    """One slot to move or unplace."""

    code: str
    title: str
    slot: int
    before: Place
    after: Place

    def body(self, zone: tzinfo) -> dict[str, Any]:
        """What is sent: the room and the start in the conference's zone (or both null, to unplace)."""
        if self.after.room is None or self.after.start is None:
            return {"room": None, "start": None}
        return {"room": self.after.room, "start": self.after.start.astimezone(zone).isoformat()}

    def line(self, zone: tzinfo) -> str:
        return f"{self.code} '{self.title}': {self.before.shown(zone)} -> {self.after.shown(zone)}"


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    unchanged: int
    zone: tzinfo
    notes: tuple[str, ...] = ()
    """Sessions pretalx ends at another time, submissions left as they are, sessions pretalx does not have."""


@dataclass(frozen=True)
class Published:
    written: int
    release: str | None = None


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo is not None else None


def _room_ids(schedule: Schedule, listed: list[dict[str, Any]], label: str, problems: Collector) -> dict[str, tuple]:
    """Each of the programme's rooms as a pretalx room (id, name): by name (any case), else by the id an import
    made from its name; a room pretalx does not have is a problem naming those it has."""
    locale_names = {int(r["id"]): text(r.get("name")) for r in listed if isinstance(r.get("id"), int)}
    by_name = {name.casefold(): (room_id, name) for room_id, name in locale_names.items()}
    by_slug = {slug(name): (room_id, name) for room_id, name in locale_names.items()}
    found: dict[str, tuple] = {}
    used = {a.room for a in schedule.assignments}
    for room in schedule.conference.rooms:
        match = by_name.get(room.name.casefold()) or by_slug.get(room.id)
        if match:
            found[room.id] = match
        elif room.id in used:
            have = ", ".join(sorted(locale_names.values())) or "none"
            problems.add(
                label, field="room", message=f"room '{room.name}' ({room.id}) is not in pretalx; it has: {have}"
            )
    for room_id in used - {room.id for room in schedule.conference.rooms}:
        problems.add(label, field="room", message=f"room '{room_id}' is not a room of the programme's conference")
    return found


def wip_slots(event: Event) -> dict[str, dict[str, Any]]:
    """The work-in-progress schedule's slots by submission code (the first by id, for a submission with several)."""
    wip = event.get("schedules/wip/")
    if not isinstance(wip, dict) or not isinstance(wip.get("id"), int):
        raise NetworkFailure(f"{event.api.label}: schedules/wip/ did not answer with a schedule")
    slots: dict[str, dict[str, Any]] = {}
    for slot in sorted(event.every("slots/", {"schedule": wip["id"]}), key=lambda s: s.get("id", 0)):
        if isinstance(slot, dict) and slot.get("submission") and isinstance(slot.get("id"), int):
            slots.setdefault(str(slot["submission"]), slot)
    return slots


def _current(slot: dict[str, Any], names: dict[int, str]) -> Place:
    room, start = slot.get("room"), _moment(slot.get("start"))
    if not isinstance(room, int) or start is None:
        return Place()
    return Place(room, names.get(room, str(room)), start, _moment(slot.get("end")))


def plan(event: Event, schedule: Schedule) -> Plan:
    """What publishing `schedule` would change in the event's work-in-progress schedule, read from pretalx now;
    raises InputProblems when the programme's rooms or sessions do not fit this event."""
    label, problems = event.api.label, Collector()
    zone = schedule.conference.zone
    rooms = _room_ids(schedule, [r for r in event.every("rooms/") if isinstance(r, dict)], label, problems)
    slots = wip_slots(event)
    placed = {a.session.id for a in schedule.assignments}
    known = placed | {u.session.id for u in schedule.unscheduled}
    if known and not known & set(slots):
        problems.add(
            label,
            field="--event",
            message=f"none of the programme's {len(known)} sessions is a submission with a slot in event "
            f"'{event.slug}'; is it the event the folder was imported from?",
        )
    problems.raise_if_any()
    names = {room_id: name for room_id, name in rooms.values()}
    changes, unchanged, notes = [], 0, []
    for assignment in sorted(schedule.assignments, key=lambda a: (a.start, a.session.id)):
        session = assignment.session
        slot = slots.get(session.id)
        if slot is None:
            notes.append(f"{session.id} '{session.title}' is not a submission with a slot in pretalx; not published")
            continue
        room_id, room_name = rooms[assignment.room]
        given = slot.get("duration")
        minutes = given if isinstance(given, int) and given > 0 else session.duration
        end = assignment.start + timedelta(minutes=minutes)
        if end.astimezone(UTC) != assignment.end.astimezone(UTC):
            notes.append(
                f"{session.id} '{session.title}': pretalx ends it after {minutes} minutes (the submission's "
                f"duration), at {end.astimezone(zone):%H:%M}; the programme has it until "
                f"{assignment.end.astimezone(zone):%H:%M}"
            )
        before, after = _current(slot, names), Place(room_id, room_name, assignment.start, end)
        if before.room == after.room and before.start == after.start:
            unchanged += 1
        else:
            changes.append(Change(session.id, session.title, slot["id"], before, after))
    for left in sorted(schedule.unscheduled, key=lambda u: u.session.id):
        slot = slots.get(left.session.id)
        if slot is None or left.session.id in placed:
            continue
        before = _current(slot, names)
        if before.room is None:
            unchanged += 1
        else:
            changes.append(Change(left.session.id, left.session.title, slot["id"], before, Place()))
    untouched = sorted(set(slots) - known)
    if untouched:
        notes.append(f"left as they are (not in the programme): {', '.join(untouched)}")
    return Plan(tuple(changes), unchanged, zone, tuple(notes))


def check_release_name(event: Event, name: str) -> None:
    """Refuse a version name the event already has (pretalx would refuse the release after the slots moved)."""
    for schedule in event.every("schedules/"):
        if isinstance(schedule, dict) and schedule.get("published") and schedule.get("version") == name:
            raise InputProblems(
                [
                    Problem(
                        event.api.label,
                        field="--release",
                        message=f"the event already has a schedule version '{name}'; choose another name",
                    )
                ]
            )


def apply(event: Event, planned: Plan, on_change: Callable[[Change], None] = lambda change: None) -> int:
    """Write each change; the count written. A failure half-way says how far it got and that running the same
    command again finishes the job (it writes only what still differs)."""
    written = 0
    for change in planned.changes:
        try:
            event.api.send("PATCH", event.path(f"slots/{change.slot}/"), change.body(planned.zone))
        except NetworkFailure as failure:
            raise NetworkFailure(f"{failure}\n{_progress(written, planned)}") from None
        except InputProblems as refused:
            note = Problem(event.api.label, message=_progress(written, planned))
            raise InputProblems([*refused.problems, note]) from None
        written += 1
        on_change(change)
    return written


def _progress(written: int, planned: Plan) -> str:
    return (
        f"{written} of {len(planned.changes)} slot changes were written before this; run the same command again to "
        "finish (it writes only what still differs)"
    )


def release(event: Event, name: str, comment: str = RELEASE_COMMENT) -> str:
    """Release the work-in-progress schedule as version `name` (speakers are not notified); the version pretalx
    gives back."""
    answer = event.api.send("POST", event.path("schedules/release/"), {"version": name, "comment": comment})
    return str(answer.get("version", name)) if isinstance(answer, dict) else name


def publish(
    event: Event,
    schedule: Schedule,
    *,
    dry_run: bool = False,
    release_as: str | None = None,
    on_plan: Callable[[Plan], None] = lambda planned: None,
    on_change: Callable[[Change], None] = lambda change: None,
) -> Published:
    """Plan, then (unless `dry_run`) write every change, check that pretalx holds the programme, and release it
    as `release_as` when given."""
    event.check()
    if release_as is not None:
        check_release_name(event, release_as)
    planned = plan(event, schedule)
    on_plan(planned)
    if dry_run:
        return Published(0)
    written = apply(event, planned, on_change)
    if written and (left := plan(event, schedule).changes):
        raise NetworkFailure(
            f"{event.api.label}: {len(left)} slots are still not where the programme has them after writing "
            f"(first: {left[0].line(planned.zone)}); run the same command again"
        )
    version = release(event, release_as) if release_as is not None else None
    return Published(written, version)
