"""iCalendar feeds of a programme (RFC 5545): the whole programme, one per person, per room and per theme, one per
attendee of the interest table (their picks), and an attendee's picks on demand.

What a subscriber may rely on:

- One VEVENT per session, whose UID (`session_uid`) stays the same across re-runs and re-plans of one conference, even
  when its edition is renamed (it is built on `Conference.key`), so a calendar that refreshes the feed updates its
  copy instead of adding a second one.
- SEQUENCE is the assignment's `sequence`, which a re-plan raises when it moves the session or changes its people
  (`planner.replan`).
- A session an earlier schedule published and this one leaves out (`Unscheduled.was`) is still in every feed that had
  it (programme, its room, its themes, its people), where it was, as STATUS:CANCELLED with its raised SEQUENCE; placed
  sessions are STATUS:CONFIRMED, so one that comes back is restored.
- A person a re-plan took out of a session (`Assignment.removed_people`) still finds it in their own feed, as
  STATUS:CANCELLED with the raised SEQUENCE, while it stays CONFIRMED everywhere else; back in it, they find it
  confirmed again.
- Every feed names itself (NAME, X-WR-CALNAME) and asks to be fetched again every hour (REFRESH-INTERVAL of RFC 7986,
  and the older X-PUBLISHED-TTL, Microsoft's, for clients that know only that one); an app may still poll less
  often. `feed_paths` says where each feed is, without rendering any.
- Times carry TZID of the conference zone, with the zone's VTIMEZONE in the file (a UTC conference writes 'Z' times
  and needs none, RFC 5545 section 3.2.19).
- An attendee's feed (`calendars/attendees/`, named by the pseudonym or registration id the interest table gives)
  holds the sessions they picked; a pick that runs at the same time as another of their picks is marked: its
  SUMMARY starts 'Clash: ', its DESCRIPTION first says which picks it clashes with, and it has the category
  'Clash'. Everyone else sees the session unmarked.
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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path

from icalendar import Calendar, Event, Timezone, vCategory, vDuration, vText

from planner.audience import clashes_of
from planner.clock import publication_stamp
from planner.domain import Assignment, Schedule
from planner.filenames import safe_names
from planner.programme import session_uid

PRODID = "-//planner//Conference programme//EN"
PROGRAMME = "programme.ics"
PEOPLE = "calendars/people"
ROOMS = "calendars/rooms"
THEMES = "calendars/themes"
ATTENDEES = "calendars/attendees"
FOLDERS = (PEOPLE, ROOMS, THEMES, ATTENDEES)
"""The folders of the per-person, per-room, per-theme and per-attendee feeds, relative to the output folder."""
CLASH = "Clash"
"""The category, and the start of the summary, of a pick that clashes with another of the attendee's picks."""
REFRESH = timedelta(hours=1)
"""How often a subscribed calendar should fetch a feed again."""

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

    @property
    def removed(self) -> tuple[str, ...]:
        """The people taken out of the session (and not back in it): their own feeds show it cancelled."""
        return tuple(p for p in self.placed.removed_people if p not in self.placed.session.people)


def _entries(schedule: Schedule) -> list[_Entry]:
    placed = [_Entry(a, cancelled=False) for a in schedule.assignments]
    ids = {a.session.id for a in schedule.assignments}
    cancelled = [
        _Entry(u.was, cancelled=True) for u in schedule.unscheduled if u.was is not None and u.session.id not in ids
    ]
    return sorted(placed + cancelled, key=lambda e: (e.placed.start, e.placed.room, e.placed.session.id))


def _description(entry: _Entry, names: Mapping[str, str], kind: str, removed: bool) -> str:
    session = entry.placed.session
    if entry.cancelled:
        lines = ["Cancelled.", kind]
    elif removed:
        lines = ["Cancelled for you: you are no longer in this session.", kind]
    else:
        lines = [kind]
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


@dataclass(frozen=True)
class _Owners:
    """Who and what has a feed of its own, each with its display name: the one definition that both the feeds' file
    names and their calendar names come from."""

    people: dict[str, str]
    rooms: dict[str, str]
    themes: dict[str, str]
    attendees: dict[str, str]
    """Attendees of the interest table with a pick in some feed event, by themselves (a pseudonym is its name)."""

    @classmethod
    def of(cls, schedule: Schedule, entries: Iterable[_Entry]) -> _Owners:
        labels = _Labels.of(schedule)
        entries = list(entries)
        people = dict.fromkeys(p for e in entries for p in (*e.placed.session.people, *e.removed))
        rooms = sorted({e.placed.room for e in entries})
        themes = sorted({t for e in entries for t in e.placed.session.themes})
        shown = {e.placed.session.id for e in entries}
        audience = schedule.conference.audience
        picks = audience.picks if audience else {}
        return cls(
            {p: labels.people.get(p, p) for p in people},
            {r: labels.rooms.get(r, r) for r in rooms},
            {t: labels.themes.get(t, t) for t in themes},
            {a: a for a, wanted in sorted(picks.items()) if shown.intersection(wanted)},
        )

    def attendee_paths(self) -> dict[str, str]:
        """Attendee -> the path of their own feed: personal, so never among the feeds a page offers."""
        return {key: f"{ATTENDEES}/{name}" for key, name in safe_names(self.attendees, ".ics").items()}

    def paths(self) -> dict[str, dict[str, str]]:
        return {
            "programme": {"": PROGRAMME},
            **{
                group: {key: f"{folder}/{name}" for key, name in safe_names(names, ".ics").items()}
                for group, folder, names in (
                    ("people", PEOPLE, self.people),
                    ("rooms", ROOMS, self.rooms),
                    ("themes", THEMES, self.themes),
                )
            },
        }


def _event(
    entry: _Entry,
    schedule: Schedule,
    labels: _Labels,
    stamp: datetime,
    zone: tzinfo,
    removed: bool = False,
    clash: str = "",
) -> Event:
    """The session's VEVENT; `removed`: as the people taken out of it see it (cancelled, for them); `clash`: as an
    attendee sees a pick that runs at the same time as their other picks named there."""
    placed = entry.placed
    session = placed.session
    kind = labels.kinds.get(session.kind, session.kind)
    cancelled = entry.cancelled or removed
    event = Event()
    event.add("uid", session_uid(schedule, session.id))
    event.add("dtstamp", stamp)
    event.add("dtstart", placed.start.astimezone(zone))
    event.add("dtend", placed.end.astimezone(zone))
    event.add("sequence", placed.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    summary = f"Cancelled: {session.title}" if cancelled else session.title
    event.add("summary", _Text(f"{CLASH}: {summary}" if clash else summary))
    room, venue = labels.rooms.get(placed.room, placed.room), schedule.conference.venue
    event.add("location", _Text(f"{room}, {venue}" if venue else room))
    description = _description(entry, labels.people, kind, removed)
    event.add("description", _Text(f"Clashes with your pick{clash}.\n\n{description}" if clash else description))
    categories = [kind, *(labels.themes.get(t, t) for t in session.themes)]
    event.add("categories", _Categories([CLASH, *categories] if clash else categories))
    return event


@dataclass(frozen=True)
class _Shown:
    """A session's event as its feeds show it, and (for a session people were taken out of) as theirs show it."""

    entry: _Entry
    event: Event
    removed: Event

    def for_person(self, person: str) -> Event | None:
        if person in self.entry.placed.session.people:
            return self.event
        return self.removed if person in self.entry.removed else None


@dataclass(frozen=True)
class _Feeds:
    """Every event of a schedule built once, for all the calendars cut from it."""

    schedule: Schedule
    shown: tuple[_Shown, ...]
    timezone: Timezone | None
    owners: _Owners
    labels: _Labels
    stamp: datetime
    cache: dict[int, tuple[Event, bytes]] = field(default_factory=dict)
    """id(event) -> the event and its rendered bytes (holding the event keeps its id from being reused)."""

    def events(self, include: Callable[[Assignment], bool]) -> list[Event]:
        return [s.event for s in self.shown if include(s.entry.placed)]

    def rendered(self, event: Event) -> bytes:
        """The event as a calendar holds it, rendered once for every feed it is in."""
        if id(event) not in self.cache:
            self.cache[id(event)] = (event, event.to_ical())
        return self.cache[id(event)][1]


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
    shown = []
    for entry in entries:
        event = _event(entry, schedule, labels, stamp, zone)
        removed = _event(entry, schedule, labels, stamp, zone, removed=True) if entry.removed else event
        shown.append(_Shown(entry, event, removed))
    owners = _Owners.of(schedule, entries)
    return _Feeds(schedule, tuple(shown), _vtimezone(schedule, entries), owners, labels, stamp)


def _calendar(feeds: _Feeds, name: str, events: Iterable[Event]) -> bytes:
    """The feed's bytes: its properties and VTIMEZONE, then each event as `feeds.rendered` has it (an event in many
    feeds is rendered once; the bytes are those icalendar writes for the whole calendar)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", _Text(name))
    calendar.add("x-wr-calname", _Text(name))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    if feeds.timezone is not None:
        calendar.add_component(feeds.timezone)
    shell = calendar.to_ical()
    end = shell.rindex(b"END:VCALENDAR")
    return shell[:end] + b"".join(map(feeds.rendered, events)) + shell[end:]


def attendee_feed_paths(schedule: Schedule) -> dict[str, str]:
    """Where `calendar_files` writes each attendee's own feed (their picks), relative to the output folder, by the
    attendee as the interest table names them; empty without one."""
    return _Owners.of(schedule, _entries(schedule)).attendee_paths()


def feed_paths(schedule: Schedule) -> dict[str, dict[str, str]]:
    """Where `calendar_files` writes each feed, relative to the output folder, without rendering any:
    {"programme": {"": "programme.ics"}, "people": {person id: path}, "rooms": {room id: path}, "themes": {theme id:
    path}}. Everyone, every room and every theme that any feed event names (cancelled ones included) has a path;
    paths use '/' on every system."""
    return _Owners.of(schedule, _entries(schedule)).paths()


def picks_calendar(
    schedule: Schedule, ids: Iterable[str], name: str | None = None, stamp: datetime | None = None
) -> bytes:
    """An attendee's own calendar of the sessions `ids` (placed or cancelled); raises UnknownSessions naming every id
    that is not in the programme, and ValueError when no id is given."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise ValueError("pick at least one session")
    feeds = _feeds(schedule, stamp)
    known = {shown.entry.placed.session.id for shown in feeds.shown}
    if unknown := [i for i in wanted if i not in known]:
        raise UnknownSessions(unknown)
    chosen = set(wanted)
    events = feeds.events(lambda a: a.session.id in chosen)
    return _calendar(feeds, name or f"{schedule.conference.name}: my sessions", events)


def calendar_files(schedule: Schedule, stamp: datetime | None = None) -> dict[str, bytes]:
    """programme.ics and every person's, room's and theme's calendar (the paths `feed_paths` gives), and each
    attendee's own (`attendee_feed_paths`), keyed by path relative to the output folder, all with one DTSTAMP."""
    feeds = _feeds(schedule, stamp)
    owners, title = feeds.owners, schedule.conference.name
    paths = owners.paths()
    files = {PROGRAMME: _calendar(feeds, title, feeds.events(lambda _: True))}
    for person, name in owners.people.items():
        events = [e for s in feeds.shown if (e := s.for_person(person)) is not None]
        files[paths["people"][person]] = _calendar(feeds, f"{title}: {name}", events)
    for room, name in owners.rooms.items():
        events = [s.event for s in feeds.shown if s.entry.placed.room == room]
        files[paths["rooms"][room]] = _calendar(feeds, f"{title}: {name}", events)
    for theme, name in owners.themes.items():
        events = [s.event for s in feeds.shown if theme in s.entry.placed.session.themes]
        files[paths["themes"][theme]] = _calendar(feeds, f"{title}: {name}", events)
    for attendee, path in owners.attendee_paths().items():
        files[path] = _calendar(feeds, f"{title}: picks of {attendee}", _attendee_events(feeds, attendee))
    return files


def _attendee_events(feeds: _Feeds, attendee: str) -> list[Event]:
    """An attendee's picks as their feed shows them: each clashing pick marked (see the module docstring)."""
    schedule = feeds.schedule
    audience = schedule.conference.audience
    wanted = audience.picks.get(attendee, {}) if audience else {}
    clashes = clashes_of(schedule, attendee)
    titles = {a.session.id: a.session.title for a in schedule.assignments}
    events = []
    for shown in feeds.shown:
        session = shown.entry.placed.session
        if session.id not in wanted:
            continue
        others = clashes.get(session.id) if not shown.entry.cancelled else None
        if not others:
            events.append(shown.event)
            continue
        named = "; ".join(f"'{titles.get(other, other)}' ({other})" for other in others)
        clash = f"{'s' * (len(others) > 1)} {named}"
        events.append(_event(shown.entry, schedule, feeds.labels, feeds.stamp, schedule.conference.zone, clash=clash))
    return events


def stale_calendars(out_dir: Path, keep: Iterable[str]) -> list[Path]:
    """The .ics files in the FOLDERS (people, rooms, themes, attendees) that `keep` (paths relative to `out_dir`) does
    not name: feeds an earlier run wrote for someone, some room, some theme or some attendee no longer in the
    programme."""
    kept = {out_dir / relative for relative in keep}
    return [stale for folder in FOLDERS for stale in sorted((out_dir / folder).glob("*.ics")) if stale not in kept]
