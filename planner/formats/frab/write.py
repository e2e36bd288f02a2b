"""schedule.frab.json: the programme in the frab / c3voc schedule JSON that conference apps and recording tools read.

The shape is c3voc's published schema (https://c3voc.de/schedule/schema.json; the copy the tests validate against,
with where it came from, is in tests/formats/data/). What a reader may rely on:

- Days are the conference's days (and, should a session fall on none of them, its date in the conference zone),
  each from its first block's start to its last block's end. Under each day, rooms in the conference's order, each
  with its sessions in time order. Times are in the conference zone: `date` and `end` in ISO 8601 with the offset,
  `start` and `duration` as HH:MM.
- `guid` is a UUID5 of the session's calendar UID (`planner.programme.session_uid`), so it is the same in every run
  and every re-plan (it is built on the conference id, `Conference.key`), and names the same session as the calendars
  do. Rooms and people get UUID5s made the same way from their ids.
- `id` (an integer, as frab's apps expect) is derived from the guid: its value modulo 2^31 - 1, plus one. Two
  sessions whose numbers collide (about one chance in a hundred thousand for a conference of 200 sessions) are told
  apart by giving the later session id in sort order the next free number, so only such a pair can see its id change.
- `slug` is the session id when it is already a slug as the schema defines one (lower-case letters, digits, '-' and
  '_'); otherwise the id made into one, followed by '-' and the event's `id`.
- `version` is '<revision>-<digest>': the revision is the sum of the sessions' sequence numbers (placed and
  cancelled), which a re-plan raises for every session it moves or cancels, and the digest is the first eight hex
  digits of a SHA-256 of the conference part of this very document, so any change to what is published changes it.
- A cancelled session (`Unscheduled.was`) is not listed: frab's format has no cancelled state, and an app drops an
  event that disappears. The calendars carry it on as cancelled.
- Nothing is invented: what the planner does not know is an empty string, an empty list or null (`language`,
  `subtitle`, `recording_license`, `links`, `attachments`, `do_not_record`). We publish no talk pages, so the URL the
  schema requires is the guid as a URN ('urn:uuid:...'), which identifies the event without pretending to be a page.
  Organisers' notes are never published.
- `persons` lists everyone the session needs, the chair first and then the speakers: frab's persons carry no role, so
  the description names the chair. Each person has `name` and, for older apps, the same in `public_name`.
- `track` is the label of the session's first theme, or its kind's label when it has no theme; `type` is the kind's
  label. `tracks` lists the tracks used, in the conference's order, with the kind's colour where it names one.

The same schedule always gives the same bytes: keys in a fixed order, UTF-8 text kept as it is (`ensure_ascii=False`).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from planner.domain import Assignment, Schedule
from planner.filenames import slug
from planner.programme import Names, in_order, plan_days, room_order, session_uid

SCHEMA = "https://c3voc.de/schedule/schema.json"
GENERATOR = "planner"
_ID_RANGE = 2**31 - 1
"""Event ids stay within a signed 32-bit integer, which every frab app can hold."""
_SLUG = re.compile(r"[a-z0-9_-]+[a-z0-9]")
"""The schema's pattern for a slug."""


def _uuid(schedule: Schedule, what: str, local_id: str) -> str:
    """A UUID5 of '<id>@<conference id>.planner' (the calendars' UID form) for a session, room or person."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:planner:{what}:{session_uid(schedule, local_id)}"))


def event_guid(schedule: Schedule, session_id: str) -> str:
    """The session's frab guid: the same in every run and every re-plan, whatever the edition is called."""
    return _uuid(schedule, "session", session_id)


def event_ids(schedule: Schedule) -> dict[str, int]:
    """Each placed session's integer id, 1 to 2^31 - 1, from its guid (see the module's notes for collisions)."""
    taken: set[int] = set()
    numbers: dict[str, int] = {}
    for session_id in sorted({a.session.id for a in schedule.assignments}):
        number = uuid.UUID(event_guid(schedule, session_id)).int % _ID_RANGE + 1
        while number in taken:
            number = number % _ID_RANGE + 1
        taken.add(number)
        numbers[session_id] = number
    return numbers


def acronym(schedule: Schedule) -> str:
    """The edition in the schema's acronym form: lower case, any other character '_', at least four long."""
    return re.sub(r"[^a-z0-9_]", "_", schedule.conference.edition.lower()).ljust(4, "_")


def event_slug(session_id: str, number: int) -> str:
    """The session id when it is already a slug, else the id made into one and the event's id (so it stays unique)."""
    if _SLUG.fullmatch(session_id):
        return session_id
    return f"{slug(session_id)}-{number}"


def _hh_mm(length: timedelta) -> str:
    minutes = int(length / timedelta(minutes=1))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _track(assignment: Assignment, names: Names) -> str:
    session = assignment.session
    return names.theme(session.themes[0]) if session.themes else names.kind(session.kind)


def _person(schedule: Schedule, names: Names, person_id: str) -> dict[str, str]:
    """`name`, and the same in the deprecated `public_name` that older apps read."""
    name = names.person(person_id)
    return {"guid": _uuid(schedule, "person", person_id), "name": name, "public_name": name}


def _event(assignment: Assignment, schedule: Schedule, names: Names, numbers: dict[str, int]) -> dict[str, Any]:
    session, zone = assignment.session, schedule.conference.zone
    start, guid = assignment.start.astimezone(zone), event_guid(schedule, session.id)
    return {
        "guid": guid,
        "id": numbers[session.id],
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "end": assignment.end.astimezone(zone).isoformat(),
        "duration": _hh_mm(assignment.end.astimezone(UTC) - assignment.start.astimezone(UTC)),
        "room": names.room(assignment.room),
        "slug": event_slug(session.id, numbers[session.id]),
        "url": f"urn:uuid:{guid}",
        "title": session.title,
        "subtitle": "",
        "track": _track(assignment, names),
        "type": names.kind(session.kind),
        "language": "",
        "abstract": session.abstract,
        "description": f"Chair: {names.chair(session)}" if session.chair else "",
        "recording_license": "",
        "do_not_record": None,
        "persons": [_person(schedule, names, person) for person in session.people],
        "links": [],
        "attachments": [],
    }


def _day(
    index: int,
    on: date,
    bounds: list[datetime],
    placed: list[Assignment],
    schedule: Schedule,
    names: Names,
    numbers: dict[str, int],
) -> dict[str, Any]:
    """One day: `bounds` are its blocks' starts and ends, to which the sessions' own times are added."""
    zone = schedule.conference.zone
    times = bounds + [t for a in placed for t in (a.start, a.end)]
    rooms: dict[str, list[dict[str, Any]]] = {}
    order = room_order(schedule)
    for room in sorted({a.room for a in placed}, key=lambda room: (order.get(room, len(order)), room)):
        rooms.setdefault(names.room(room), [])
    for assignment in placed:
        rooms[names.room(assignment.room)].append(_event(assignment, schedule, names, numbers))
    return {
        "index": index,
        "date": on.isoformat(),
        "day_start": min(times).astimezone(zone).isoformat(),
        "day_end": max(times).astimezone(zone).isoformat(),
        "rooms": rooms,
    }


def _days(schedule: Schedule, names: Names, numbers: dict[str, int]) -> list[dict[str, Any]]:
    """The conference's days, and a day for each other date a session falls on, in date order."""
    zone = schedule.conference.zone
    plans, elsewhere = plan_days(schedule)
    dated = [
        (
            plan.day.date,
            [t for b in plan.day.blocks for t in (b.start, b.end)],
            in_order(schedule, [a for a, _ in plan.placed] + list(plan.loose)),
        )
        for plan in plans
    ]
    for on in sorted({a.start.astimezone(zone).date() for a in elsewhere}):
        dated.append((on, [], [a for a in elsewhere if a.start.astimezone(zone).date() == on]))
    dated.sort(key=lambda entry: entry[0])
    return [
        _day(n, on, bounds, placed, schedule, names, numbers) for n, (on, bounds, placed) in enumerate(dated, start=1)
    ]


def _rooms(schedule: Schedule, names: Names) -> list[dict[str, Any]]:
    """The conference's rooms, then any other room a session is in (by id)."""
    known = [
        {"name": r.name, "guid": _uuid(schedule, "room", r.id), "capacity": r.capacity}
        for r in schedule.conference.rooms
    ]
    ids = {r.id for r in schedule.conference.rooms}
    other = sorted({a.room for a in schedule.assignments} - ids)
    return known + [{"name": names.room(room), "guid": _uuid(schedule, "room", room)} for room in other]


def _tracks(schedule: Schedule, names: Names) -> list[dict[str, Any]]:
    """The tracks the sessions use: themes, then kinds (with their colour), in the conference's order."""
    conference = schedule.conference
    used = {_track(a, names) for a in schedule.assignments}
    candidates = [(t.label, None) for t in conference.themes] + [(k.label, k.colour) for k in conference.kinds]
    candidates += [(name, None) for name in sorted(used)]
    tracks: dict[str, dict[str, Any]] = {}
    for name, colour in candidates:
        if name in used and name not in tracks:
            tracks[name] = {"name": name} | ({"color": colour} if colour else {})
    return list(tracks.values())


def _timeslot(schedule: Schedule) -> str:
    """The longest step (at most an hour) on which every block and session starts and ends."""
    zone = schedule.conference.zone
    times = [t for b in schedule.conference.blocks for t in (b.start, b.end)]
    times += [t for a in schedule.assignments for t in (a.start, a.end)]
    local = (t.astimezone(zone) for t in times)
    return _hh_mm(timedelta(minutes=math.gcd(60, *(t.hour * 60 + t.minute for t in local))))


def _revision(schedule: Schedule) -> int:
    placed = {a.session.id for a in schedule.assignments}
    cancelled = [u.was.sequence for u in schedule.unscheduled if u.was is not None and u.session.id not in placed]
    return sum(a.sequence for a in schedule.assignments) + sum(cancelled)


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def frab_schedule(schedule: Schedule) -> str:
    """The whole document as text (UTF-8 when written), ending in a newline; equal schedules give equal text."""
    return _dump(frab_document(schedule)) + "\n"


def frab_document(schedule: Schedule) -> dict[str, Any]:
    """The document as data: what schedule.frab.json holds, and what schedule.xml (`write_xml`) is made from."""
    conference, names, numbers = schedule.conference, Names(schedule), event_ids(schedule)
    days = _days(schedule, names, numbers)
    described = {
        "acronym": acronym(schedule),
        "title": conference.name,
        "start": days[0]["date"],
        "end": days[-1]["date"],
        "daysCount": len(days),
        "timeslot_duration": _timeslot(schedule),
        "time_zone_name": conference.timezone,
        "tracks": _tracks(schedule, names),
        "rooms": _rooms(schedule, names),
        "days": days,
    }
    digest = hashlib.sha256(_dump(described).encode("utf-8")).hexdigest()[:8]
    return {
        "$schema": SCHEMA,
        "generator": {"name": GENERATOR},
        "schedule": {"version": f"{_revision(schedule)}-{digest}", "conference": described},
    }
