"""iCalendar feeds of a programme (RFC 5545): the whole programme, one per person and per room, and an attendee's picks.

What a subscriber may rely on:

- One VEVENT per session, whose UID (`session_uid`) stays the same across re-runs and re-plans of one edition, so a
  calendar that refreshes the feed updates its copy instead of adding a second one.
- SEQUENCE is the assignment's `sequence`, which a re-plan raises when it moves the session (`planner.replan`).
- A session an earlier schedule published and this one leaves out (`Unscheduled.was`) is still in every feed that had
  it (programme, its room, its people), where it was, as STATUS:CANCELLED with its raised SEQUENCE; placed sessions
  are STATUS:CONFIRMED, so one that comes back is restored.
- Times carry TZID of the conference zone, with the zone's VTIMEZONE in the file (a UTC conference writes 'Z' times
  and needs none, RFC 5545 section 3.2.19).
- Text from the spreadsheets cannot create or alter properties: every value is TEXT-escaped, line breaks of any
  kind become the escaped '\\n' of iCalendar, other control characters (which TEXT may not hold) are dropped, and
  lines are folded at 75 octets. `calendar_text` says exactly what a value becomes.

DTSTAMP is when the feed was published, as RFC 5545 means it: SOURCE_DATE_EPOCH when set (reproducible builds, and
the tests), otherwise the current UTC time to the second (`publication_stamp`). A stamp derived from the schedule's
content would be steadier, but it would claim a publication time that never happened and could go backwards when a
change is undone; the feeds are byte-identical for the same schedule and the same stamp.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import partial
from pathlib import Path

from icalendar import Calendar, Event, Timezone, vCategory, vText

from planner.clock import publication_stamp
from planner.domain import Assignment, Schedule
from planner.filenames import safe_names
from planner.programme import session_uid

PRODID = "-//planner//Conference programme//EN"
PROGRAMME = "programme.ics"
PEOPLE = "calendars/people"
ROOMS = "calendars/rooms"

_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
"""Everything some parser may take for the end of a line: all of them become one escaped newline."""


class UnknownSessions(ValueError):
    """Picked session ids that are not in the programme; `ids` lists them in the order given."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = tuple(ids)
        super().__init__(f"not in the programme: {', '.join(self.ids)}")


def calendar_text(text: str) -> str:
    """What a text becomes in a calendar: line breaks of any kind as '\\n', other control characters (and lone
    surrogates, which UTF-8 cannot hold) dropped, everything else kept exactly."""
    text = _BREAKS.sub("\n", text)
    return "".join(c for c in text if c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cs"))


def _escaped(text: str) -> str:
    """RFC 5545 TEXT escaping (section 3.3.11). icalendar's own also turns a literal backslash-N into a line break."""
    text = calendar_text(text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


class _Text(vText):
    def to_ical(self) -> bytes:
        return _escaped(self).encode("utf-8")


class _Categories(vCategory):
    def to_ical(self) -> bytes:
        return ",".join(_escaped(str(c)) for c in self.cats).encode("utf-8")


@dataclass(frozen=True)
class _Entry:
    """A session as its feeds show it: where it is (or, cancelled, where it was published)."""

    placed: Assignment
    cancelled: bool


def _entries(schedule: Schedule) -> list[_Entry]:
    placed = [_Entry(a, cancelled=False) for a in schedule.assignments]
    ids = {a.session.id for a in schedule.assignments}
    cancelled = [
        _Entry(u.was, cancelled=True) for u in schedule.unscheduled if u.was is not None and u.session.id not in ids
    ]
    return sorted(placed + cancelled, key=lambda e: (e.placed.start, e.placed.room, e.placed.session.id))


def _description(entry: _Entry, names: Mapping[str, str], kind: str) -> str:
    session = entry.placed.session
    lines = ["Cancelled.", kind] if entry.cancelled else [kind]
    if session.chair:
        lines.append(f"Chair: {names.get(session.chair, session.chair)}")
    if session.speakers:
        lines.append(f"Speakers: {', '.join(names.get(p, p) for p in session.speakers)}")
    if session.abstract:
        lines += ["", session.abstract]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Labels:
    """Display names for the ids a session refers to (an unknown id shows as itself)."""

    rooms: Mapping[str, str]
    kinds: Mapping[str, str]
    themes: Mapping[str, str]
    people: Mapping[str, str]

    @classmethod
    def of(cls, schedule: Schedule) -> _Labels:
        conference = schedule.conference
        return cls(
            {r.id: r.name for r in conference.rooms},
            {k.id: k.label for k in conference.kinds},
            {t.id: t.label for t in conference.themes},
            {p.id: p.name for p in schedule.people},
        )


def _event(entry: _Entry, schedule: Schedule, labels: _Labels, stamp: datetime, zone: tzinfo) -> Event:
    placed = entry.placed
    session = placed.session
    kind = labels.kinds.get(session.kind, session.kind)
    event = Event()
    event.add("uid", session_uid(schedule, session.id))
    event.add("dtstamp", stamp)
    event.add("dtstart", placed.start.astimezone(zone))
    event.add("dtend", placed.end.astimezone(zone))
    event.add("sequence", placed.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("summary", _Text(f"Cancelled: {session.title}" if entry.cancelled else session.title))
    room, venue = labels.rooms.get(placed.room, placed.room), schedule.conference.venue
    event.add("location", _Text(f"{room}, {venue}" if venue else room))
    event.add("description", _Text(_description(entry, labels.people, kind)))
    event.add("categories", _Categories([kind, *(labels.themes.get(t, t) for t in session.themes)]))
    return event


@dataclass(frozen=True)
class _Feeds:
    """Every event of a schedule built once, for all the calendars cut from it."""

    schedule: Schedule
    events: tuple[tuple[_Entry, Event], ...]
    timezone: Timezone | None


def _vtimezone(schedule: Schedule, entries: list[_Entry]) -> Timezone | None:
    """The conference zone's VTIMEZONE over whole years around the conference (the same in every feed of a schedule),
    or None when icalendar writes the zone's times as UTC."""
    zone = schedule.conference.zone
    probe = Event()
    probe.add("dtstart", datetime(2000, 1, 1, tzinfo=zone))
    tzid = probe["DTSTART"].params.get("TZID")
    if tzid is None:
        return None
    times = [t.astimezone(zone) for e in entries for t in (e.placed.start, e.placed.end)]
    years = [day.date.year for day in schedule.conference.days] + [t.year for t in times]
    return Timezone.from_tzinfo(zone, tzid, date(min(years), 1, 1), date(max(years) + 1, 1, 1))


def _feeds(schedule: Schedule, stamp: datetime | None) -> _Feeds:
    stamp = stamp or publication_stamp()
    if stamp.tzinfo is None:
        raise ValueError("a DTSTAMP must be timezone-aware (UTC)")
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    entries = _entries(schedule)
    zone = schedule.conference.zone
    labels = _Labels.of(schedule)
    events = tuple((entry, _event(entry, schedule, labels, stamp, zone)) for entry in entries)
    return _Feeds(schedule, events, _vtimezone(schedule, entries))


def _calendar(feeds: _Feeds, name: str, include: Callable[[Assignment], bool]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", _Text(name))
    calendar.add("x-wr-calname", _Text(name))
    if feeds.timezone is not None:
        calendar.add_component(feeds.timezone)
    for entry, event in feeds.events:
        if include(entry.placed):
            calendar.add_component(event)
    return calendar.to_ical()


def _names_person(assignment: Assignment, person: str) -> bool:
    return person in assignment.session.people


def _in_room(assignment: Assignment, room: str) -> bool:
    return assignment.room == room


def _person_calendars(feeds: _Feeds) -> dict[str, bytes]:
    schedule = feeds.schedule
    names = {p.id: p.name for p in schedule.people}
    people = dict.fromkeys(p for entry, _ in feeds.events for p in entry.placed.session.people)
    files = safe_names({p: names.get(p, p) for p in people}, ".ics")
    return {
        f"{PEOPLE}/{files[p]}": _calendar(
            feeds, f"{schedule.conference.name}: {names.get(p, p)}", partial(_names_person, person=p)
        )
        for p in people
    }


def _room_calendars(feeds: _Feeds) -> dict[str, bytes]:
    conference = feeds.schedule.conference
    known = {r.id: r.name for r in conference.rooms}
    names = {r: known.get(r, r) for r in sorted({entry.placed.room for entry, _ in feeds.events})}
    files = safe_names(names, ".ics")
    return {
        f"{ROOMS}/{files[r]}": _calendar(feeds, f"{conference.name}: {name}", partial(_in_room, room=r))
        for r, name in names.items()
    }


def picks_calendar(
    schedule: Schedule, ids: Iterable[str], name: str | None = None, stamp: datetime | None = None
) -> bytes:
    """An attendee's own calendar of the sessions `ids` (placed or cancelled); raises UnknownSessions naming every id
    that is not in the programme, and ValueError when no id is given."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise ValueError("pick at least one session")
    feeds = _feeds(schedule, stamp)
    known = {entry.placed.session.id for entry, _ in feeds.events}
    if unknown := [i for i in wanted if i not in known]:
        raise UnknownSessions(unknown)
    chosen = set(wanted)
    return _calendar(feeds, name or f"{schedule.conference.name}: my sessions", lambda a: a.session.id in chosen)


def calendar_files(schedule: Schedule, stamp: datetime | None = None) -> dict[str, bytes]:
    """programme.ics and every person's and room's calendar, keyed by path relative to the output folder, all with
    one DTSTAMP."""
    feeds = _feeds(schedule, stamp)
    programme = _calendar(feeds, schedule.conference.name, lambda _: True)
    return {PROGRAMME: programme, **_person_calendars(feeds), **_room_calendars(feeds)}


def stale_calendars(out_dir: Path, keep: Iterable[str]) -> list[Path]:
    """The .ics files in calendars/people and calendars/rooms that `keep` (paths relative to `out_dir`) does not
    name: feeds an earlier run wrote for someone or some room no longer in the programme."""
    kept = {out_dir / relative for relative in keep}
    return [
        stale for folder in (PEOPLE, ROOMS) for stale in sorted((out_dir / folder).glob("*.ics")) if stale not in kept
    ]
