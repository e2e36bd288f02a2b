"""Schedules for the calendar tests: a tiny one built in code (golden files, hostile text) and its re-plan that takes
a speaker out of the keynote, the example drafted by the solver, and a solver re-plan of it that moves one session,
withdraws another and takes a speaker out of a third. Readers for the two parsers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import icalendar
import vobject

from planner.domain import Assignment, Conference, Person, Pin, Schedule, Session, Unscheduled
from planner.export.ical import PROGRAMME, calendar_files
from planner.io.folder import load_folder
from planner.replan import carry_over

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "soc2025"
STAMP = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
EPOCH = str(int(STAMP.timestamp()))
ZONE = "Europe/London"


def tiny_conference(**fields) -> Conference:
    day = {
        "id": "d1",
        "date": "2030-06-03",
        "name": "Day 1",
        "blocks": [
            {
                "id": "b1",
                "type": "plenary",
                "start": "2030-06-03T09:00:00+01:00",
                "end": "2030-06-03T10:00:00+01:00",
                "rooms": ["hall"],
                "kinds": ["keynote"],
            },
            {
                "id": "b2",
                "type": "parallel",
                "start": "2030-06-03T10:30:00+01:00",
                "end": "2030-06-03T12:00:00+01:00",
                "rooms": ["hall", "side"],
                "kinds": ["talk"],
            },
        ],
    }
    document = {
        "name": "Tiny Conference 2030",
        "edition": "TINY30",
        "timezone": ZONE,
        "venue": "Town Hall, Oxford",
        "rooms": [
            {"id": "hall", "name": "Main Hall", "capacity": 100},
            {"id": "side", "name": "Side Room", "capacity": 30},
        ],
        "kinds": [{"id": "keynote", "label": "Keynote"}, {"id": "talk", "label": "Talk"}],
        "themes": [{"id": "money", "label": "Money, funds & bonds"}, {"id": "data", "label": "Data"}],
        "days": [day],
    } | fields
    return Conference.model_validate(document)


def at(conference: Conference, block: str, room: str, session: Session, sequence: int = 0) -> Assignment:
    found = next(b for b in conference.blocks if b.id == block)
    return Assignment(
        session=session, room=room, start=found.start, end=found.end, day="d1", blocks=(block,), sequence=sequence
    )


def tiny_schedule(**conference_fields) -> Schedule:
    """Two sessions placed and one cancelled (published before, left out now), people with accents and a comma."""
    conference = tiny_conference(**conference_fields)
    people = (Person(id="zoe", name="Zoë Ng"), Person(id="sam", name="Sam Lee, Jr."), Person(id="ana", name="Ana Ruiz"))
    keynote = Session(
        id="k1",
        title="Opening keynote: money; data, and trust",
        kind="keynote",
        duration=60,
        themes=("money", "data"),
        chair="ana",
        speakers=("zoe",),
        abstract="Why funds fail.\nAnd what to do.",
    )
    talk = Session(id="t1", title="Measuring outcomes", kind="talk", duration=90, themes=("data",), speakers=("sam",))
    gone = Session(
        id="t2", title="Bonds at scale", kind="talk", duration=90, themes=("money",), chair="zoe", speakers=("ana",)
    )
    return Schedule(
        conference=conference,
        people=people,
        assignments=(at(conference, "b1", "hall", keynote), at(conference, "b2", "side", talk, sequence=2)),
        unscheduled=(Unscheduled(session=gone, reason="withdrawn", was=at(conference, "b2", "hall", gone, 1)),),
    )


def tiny_replanned() -> tuple[Schedule, Schedule]:
    """(before, after): Sam spoke in the keynote too, and the re-plan (`carry_over`) takes him out of it; nothing
    moves. After it the keynote has SEQUENCE 1 and Sam among its `removed_people`."""
    after = tiny_schedule()
    keynote = after.assignments[0]
    with_sam = keynote.model_copy(update={"session": keynote.session.model_copy(update={"speakers": ("zoe", "sam")})})
    before = after.model_copy(update={"assignments": (with_sam, *after.assignments[1:])})
    return before, carry_over(before, after)


@dataclass(frozen=True)
class Replan:
    """The example's first draft and a solver re-plan of it, with what the re-plan changed on purpose."""

    first: Schedule
    second: Schedule
    moved: str
    """The session pinned into another block."""
    gone: str
    """The session withdrawn."""
    thinned: str
    """The session a speaker was taken out of."""
    removed: str
    """That speaker (who still speaks in another session)."""


def _thinned(schedule: Schedule, skip: set[str]) -> tuple[str, str]:
    """The first session (in time order) with a speaker who also speaks elsewhere, and that speaker."""
    counts = Counter(p for a in schedule.assignments for p in a.session.people)
    for a in sorted(schedule.assignments, key=lambda a: (a.start, a.room, a.session.id)):
        speakers = [p for p in a.session.speakers if counts[p] > 1 and p != a.session.chair]
        if a.session.id not in skip and len(a.session.people) > 1 and speakers:
            return a.session.id, speakers[0]
    raise AssertionError("no session with a speaker who speaks elsewhere")


@cache
def example_schedules() -> Replan:
    """The re-plan withdraws the first deep dive, pins the next deep dive of the same length, in another block, into
    its place, and takes a speaker who speaks elsewhere too out of the first other session that has one."""
    from planner.solve.run import Settings, draft

    inputs = load_folder(EXAMPLE)
    first = draft(inputs, settings=Settings(time_limit=30)).schedule
    deep_dives = [
        a
        for a in sorted(first.assignments, key=lambda a: (a.start, a.room, a.session.id))
        if a.session.kind == "deep_dive"
    ]
    gone = deep_dives[0]
    features = {room.id: set(room.features) for room in inputs.conference.rooms}
    people = {person.id: person for person in inputs.people}

    def fits_there(a: Assignment) -> bool:
        """It can take the withdrawn one's place: its room has what it needs and its people are free then."""
        free = not any(w.overlaps(gone.start, gone.end) for p in a.session.people for w in people[p].unavailable)
        return set(a.session.requires) <= features[gone.room] and free

    moved = next(
        a
        for a in deep_dives
        if a.blocks != gone.blocks and a.session.duration == gone.session.duration and fits_there(a)
    )
    thinned, removed = _thinned(first, {gone.session.id, moved.session.id})
    pin = Pin(day=gone.day, block=gone.blocks[0], room=gone.room)
    sessions = tuple(
        s.model_copy(update={"pin": pin})
        if s.id == moved.session.id
        else s.model_copy(update={"speakers": tuple(p for p in s.speakers if p != removed)})
        if s.id == thinned
        else s
        for s in inputs.sessions
        if s.id != gone.session.id
    )
    second = draft(
        inputs.model_copy(update={"sessions": sessions}), previous=first, settings=Settings(time_limit=30)
    ).schedule
    return Replan(first, second, moved.session.id, gone.session.id, thinned, removed)


def events(data: bytes) -> list[icalendar.Event]:
    """The VEVENTs as icalendar reads them."""
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


def vobject_events(data: bytes) -> list:
    """The VEVENTs as vobject (an independent parser) reads them; exactly one calendar in the data."""
    calendars = list(vobject.readComponents(data.decode("utf-8")))
    assert len(calendars) == 1
    return list(calendars[0].contents.get("vevent", []))


def calendar_name(data: bytes) -> str:
    """X-WR-CALNAME as vobject reads it (icalendar leaves an X- property's value escaped)."""
    (calendar,) = vobject.readComponents(data.decode("utf-8"))
    return calendar.x_wr_calname.value


def by_uid(data: bytes) -> dict[str, icalendar.Event]:
    found = events(data)
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids)), "a UID twice in one calendar"
    return dict(zip(uids, found, strict=True))


def programme_calendar(schedule: Schedule, stamp: datetime | None = None) -> bytes:
    return calendar_files(schedule, stamp)[PROGRAMME]


def feeds_under(folder: str, schedule: Schedule, stamp: datetime | None = None) -> dict[str, bytes]:
    """The calendars under `folder` (PEOPLE, ROOMS or THEMES), by path."""
    return {path: data for path, data in calendar_files(schedule, stamp).items() if path.startswith(folder + "/")}


def write_calendars(schedule: Schedule, out_dir: Path, stamp: datetime | None = None) -> list[Path]:
    """The calendars `write_outputs` writes for a schedule (it writes the documents beside them)."""
    from planner.export.outputs import write_outputs

    return [path for path in write_outputs(schedule, out_dir, stamp=stamp) if path.suffix == ".ics"]
