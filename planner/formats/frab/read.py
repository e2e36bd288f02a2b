"""frab's schedule formats, as frab, pretalx and the c3voc tools export them: schedule.json and schedule.xml.

Both nest events under days and rooms. An event's `date` (ISO 8601 with an offset) says exactly when it starts; when
it lacks an offset, the day's date and the event's `start` (HH:MM) are read in the conference's `time_zone_name`.
`duration` is H:MM (or H:MM:SS). Only what the checker and history need is read; every event that cannot be read is
reported with its day, room and id, never skipped silently, and a file from which no event at all can be read is a
problem saying what was expected (a site's own XML is not a clean, empty programme). XML is parsed with defusedxml
(no entity expansion, no DTDs).

Local time, and which: the file's `time_zone_name`; else the zone the caller knows (a conference folder); else the
offset the file's dates carry (a 2014 frab file names no zone, but writes every date with +01:00); else UTC.
`FrabSchedule.zone_said` says which, in words.

An event is named, in this order, by its pretalx code (`code`, or the code in a pretalx talk URL), its slug when the
slug is a name (as planner writes the session id; not frab's generated '31c3_-_6109_-_de_-_saal_1_-_...' nor one
longer than `NAMING_SLUG`), then its id, the slug, and its guid.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from planner.clock import local_datetime, outside_years, parse_clock
from planner.domain import zone_named
from planner.errors import Collector, Where

_DURATION = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
_PRETALX_TALK = re.compile(r"/talk/([A-Z0-9]{4,16})/?$")
"""A pretalx talk page's address ends in the submission's code."""
NAMING_SLUG = 50
"""A slug longer than this is generated from the title, not a name."""
EXPECTED = (
    "expected a frab schedule: <schedule> with <day>, <room> and <event> elements (XML), or "
    '{"schedule": {"conference": {"days": [{"rooms": {...}}]}}} (JSON)'
)


@dataclass(frozen=True)
class FrabEvent:
    where: Where
    """'day 1, room Saal 1, event 25'."""
    ids: tuple[str, ...]
    """The event's slug, id and guid, those given, in that order."""
    title: str
    type: str
    track: str
    start: datetime
    end: datetime
    room: str
    persons: tuple[str, ...]
    day: int | str = 1
    """The day's index as the file gives it (its position when it gives none)."""
    abstract: str = ""
    wall: datetime | None = None
    """The start as the file writes it (with its own offset, or none): the local time a reader of the file sees."""


@dataclass(frozen=True)
class FrabSchedule:
    zone: tzinfo | None
    """Where times are shown: the file's `time_zone_name`, else the zone given, else its dates' offset (see the
    module's notes); None when nothing tells."""
    events: tuple[FrabEvent, ...]
    zone_said: str = ""
    """Which zone that is and why, in words: 'Europe/Berlin (the file's time_zone_name)'."""
    title: str = ""
    """The conference's title, when the file gives one."""


def is_frab_document(document: object) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("schedule"), dict)
        and isinstance(document["schedule"].get("conference"), dict)
    )


_CONFERENCE = Where.of(conference=None)


def _zone(name: str, label: str, problems: Collector) -> ZoneInfo | None:
    if not name:
        return None
    if (zone := zone_named(name)) is None:
        message = f"'{name}' is not an IANA time zone name such as 'Europe/Berlin'"
        problems.add(label, _CONFERENCE, "time_zone_name", message)
    return zone


def parse_duration(text: str) -> timedelta | None:
    """'00:30', '1:30' or '01:30:00' (H:MM or H:MM:SS, as the c3voc schema has it); None when it is not one."""
    match = _DURATION.match(text.strip())
    if not match:
        return None
    return timedelta(hours=int(match[1]), minutes=int(match[2]), seconds=int(match[3] or 0))


def _start(
    fields: dict[str, str], day: date | None, zone: ZoneInfo | None, where: Where, label: str, problems: Collector
) -> datetime | None:
    """The exact start: the `date` if it carries an offset, else the day's wall-clock `start` in the zone; None when
    there is none (and why is added to `problems`)."""
    text = fields.get("date", "")
    try:
        stamp = datetime.fromisoformat(text) if text else None
    except ValueError:
        message = f"'{text}' is not a date and time; expected ISO 8601 such as 2030-03-28T10:00:00+01:00"
        problems.add(label, where, "date", message)
        return None
    if stamp is not None and (why := outside_years(stamp)):
        problems.add(label, where, "date", why)
        return None
    if stamp is not None and stamp.tzinfo is not None:
        return stamp.astimezone(UTC)
    clock = stamp.time() if stamp is not None else parse_clock(fields.get("start", ""))
    on = stamp.date() if stamp is not None else day
    if clock is None or on is None:
        problems.add(
            label,
            where,
            "start",
            f"'{fields.get('start', '')}' with no dated 'date' gives no "
            "start; expected a date with an offset, or the day's date and HH:MM",
        )
        return None
    if zone is None:
        problems.add(
            label,
            where,
            "date",
            "has no UTC offset and the file names no time_zone_name; give --conference so the times' zone is known",
        )
        return None
    moment, why = local_datetime(on, clock, zone)
    if moment is None:
        problems.add(label, where, "start", why)
        return None
    return moment.astimezone(UTC)


def _names(fields: dict[str, str]) -> tuple[str, ...]:
    """The event's ids in the order it is named by (see the module's notes)."""
    slug, url = fields.get("slug", ""), fields.get("url", "")
    from_url = _PRETALX_TALK.search(url)
    naming = slug if slug and "_-_" not in slug and len(slug) <= NAMING_SLUG else ""
    candidates = (fields.get("code", ""), from_url[1] if from_url else "", naming, fields.get("id", ""), slug)
    return tuple(dict.fromkeys(v for v in (*candidates, fields.get("guid", "")) if v))


def _wall(fields: dict[str, str]) -> datetime | None:
    try:
        return datetime.fromisoformat(fields.get("date", "")) if fields.get("date") else None
    except ValueError:
        return None


def _event(
    fields: dict[str, str],
    persons: list[str],
    day: date | None,
    zone: ZoneInfo | None,
    where: Where,
    label: str,
    problems: Collector,
    number: int | str = 1,
) -> FrabEvent | None:
    start = _start(fields, day, zone, where, label, problems)
    length = parse_duration(fields.get("duration", ""))
    if not length:
        message = f"'{fields.get('duration', '')}' is not a length; expected HH:MM such as 00:45"
        problems.add(label, where, "duration", message)
    if not fields.get("room"):
        problems.add(label, where, "room", "is empty; expected the room's name")
    if start is None or not length or not fields.get("room"):
        return None
    return FrabEvent(
        where=where,
        ids=_names(fields),
        title=fields.get("title", ""),
        type=fields.get("type", ""),
        track=fields.get("track", ""),
        start=start,
        end=start + length,
        room=fields["room"],
        persons=tuple(persons),
        day=number,
        abstract=fields.get("abstract", ""),
        wall=_wall(fields),
    )


def _shown_in(named: ZoneInfo | None, given: ZoneInfo | None, events: list[FrabEvent]) -> tuple[tzinfo | None, str]:
    """The zone times are shown in, and which it is (see the module's notes)."""
    if named is not None:
        return named, f"{named.key} (the file's time_zone_name)"
    if given is not None:
        return given, f"{given.key} (the conference's; the file names no time zone)"
    offsets = Counter(e.wall.utcoffset() for e in events if e.wall is not None and e.wall.utcoffset() is not None)
    if not offsets:
        return None, "UTC (the file names no time zone and its dates carry no offset)"
    offset, _ = offsets.most_common(1)[0]
    assert offset is not None
    sign, minutes = ("-" if offset < timedelta(0) else "+"), abs(int(offset / timedelta(minutes=1)))
    name = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    several = f"; its dates carry {len(offsets)} offsets, this the most common" if len(offsets) > 1 else ""
    return timezone(offset, name), f"{name} (the offset of the file's dates; it names no time zone{several})"


def _nothing_read(events: list[FrabEvent], label: str, problems: Collector, before: int) -> bool:
    """A file that gave no event and no reason why is not an empty programme: it is not frab."""
    if events or len(problems) > before:
        return False
    problems.add(label, message=f"holds no session that could be read; {EXPECTED}")
    return True


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def _person_name(person: Any) -> str:
    """frab writes 'public_name', pretalx 'name' (older exports 'full_public_name'); a bare string is a name too."""
    if isinstance(person, dict):
        return next((_text(person[k]) for k in ("public_name", "name", "full_public_name") if _text(person.get(k))), "")
    return _text(person)


def _day_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def frab_from_json(document: dict, label: str, zone: ZoneInfo | None, problems: Collector) -> FrabSchedule | None:
    """A frab/c3voc schedule JSON already parsed, or None when it has no days; `zone` is used when the file names
    none. Every event that cannot be read is added to `problems` and left out."""
    conference = document["schedule"]["conference"]
    before = len(problems)
    named = _zone(_text(conference.get("time_zone_name")), label, problems)
    given, zone = zone, named or zone
    days = conference.get("days")
    if not isinstance(days, list):
        problems.add(label, _CONFERENCE, "days", "expected a list of days")
        return None
    events = []
    for d, day in enumerate(days, start=1):
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            problems.add(label, Where.of(day=d), "rooms", "expected a mapping of room name to events")
            continue
        on = _day_date(_text(day.get("date")))
        index = day.get("index")
        number = index if isinstance(index, int) and not isinstance(index, bool) else d
        for room, listed in rooms.items():
            for n, event in enumerate(listed if isinstance(listed, list) else [None], start=1):
                if not isinstance(event, dict):
                    where = Where.of(day=d, room=room, event=n)
                    problems.add(label, where, "", "expected an event (a mapping of field: value)")
                    continue
                where = Where.of(day=d, room=room, event=_text(event.get("id")) or n)
                fields = {key: _text(value) for key, value in event.items()}
                fields["room"] = fields.get("room") or str(room)
                listed_persons = event.get("persons") or []
                if not isinstance(listed_persons, list):
                    problems.add(label, where, "persons", "expected a list of persons")
                    listed_persons = []
                persons = [_person_name(person) for person in listed_persons]
                if "" in persons:
                    problems.add(label, where, "persons", "a person without a name")
                if found := _event(fields, [p for p in persons if p], on, zone, where, label, problems, number):
                    events.append(found)
    if _nothing_read(events, label, problems, before):
        return None
    shown, said = _shown_in(named, given, events)
    return FrabSchedule(shown, tuple(events), said, _text(conference.get("title")))


def read_frab_xml(path: Path, label: str, zone: ZoneInfo | None, problems: Collector) -> FrabSchedule | None:
    """A frab schedule.xml, or None when it cannot be read; `zone` is used when the file names none. Every event
    that cannot be read is added to `problems` and left out."""
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as SafeTree
    from defusedxml import DefusedXmlException

    try:
        root = SafeTree.parse(path).getroot()
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        problems.add(label, Where.of(line=line) if line else Where(), "", f"not well-formed XML: {exc}")
        return None
    except DefusedXmlException as exc:
        problems.add(label, message=f"refused: {exc} (entities and DTDs are not allowed)")
        return None
    except (ValueError, LookupError) as exc:  # an encoding the parser cannot read, such as UTF-7
        problems.add(label, message=f"not readable XML: {exc}")
        return None
    except OSError as exc:
        problems.add(label, message=f"cannot be read: {exc}")
        return None
    if root.tag != "schedule":
        problems.add(label, message=f"the root element is <{root.tag}>, not <schedule>; {EXPECTED}")
        return None
    before = len(problems)
    named = _zone((root.findtext("conference/time_zone_name") or "").strip(), label, problems)
    given, zone = zone, named or zone
    events = []
    for d, day in enumerate(root.findall("day"), start=1):
        on = _day_date(day.get("date", ""))
        index = day.get("index")
        number = d if index is None else _number(index)
        for room in day.findall("room"):
            for n, event in enumerate(room.findall("event"), start=1):
                where = Where.of(day=number, room=room.get("name", ""), event=event.get("id") or n)
                fields = {child.tag: (child.text or "").strip() for child in event if child.tag != "persons"}
                fields |= {"id": event.get("id", ""), "guid": event.get("guid", ""), "code": event.get("code", "")}
                fields["room"] = fields.get("room") or room.get("name", "")
                persons = [(p.text or "").strip() for p in event.findall("persons/person")]
                if "" in persons:
                    problems.add(label, where, "persons", "a person without a name")
                if found := _event(fields, [p for p in persons if p], on, zone, where, label, problems, number):
                    events.append(found)
    if _nothing_read(events, label, problems, before):
        return None
    shown, said = _shown_in(named, given, events)
    return FrabSchedule(shown, tuple(events), said, (root.findtext("conference/title") or "").strip())


def _number(text: str) -> int | str:
    """A day's index as a number when it is one (so day 10 sorts after day 9), else as written."""
    return int(text) if text.isascii() and text.isdigit() and str(int(text)) == text else text
