"""Any agenda file as entries matched to a conference: the one reader that `planner check` and every command taking a
schedule share.

Agendas: our schedule.json, an agenda.xlsx whose `Sessions` sheet a person edited (the sheet is the source of truth:
times, rooms, people, added and deleted rows; its hidden Draft sheet is the schedule it was written from), or a
frab/pretalx schedule.json or schedule.xml. Each format's own reader (schedule_json, sessions_sheet, frab.read) gives
plain records; here they become entries, and a `Matcher` ties an entry's room, kind and themes to the conference (by
id or name, any case; an unknown room gets a "did you mean") and its session to a proposal, while a `Registry` names
people by the identity rules (titles, accents, aliases): a name nobody answers to is a new person, not an error.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from planner.domain import Conference, Person, Schedule, Session
from planner.errors import Collector, InputProblems, Where
from planner.identity import Identities, display_name, slug
from planner.io.yamlfile import too_large

AGENDA_SUFFIXES = (".json", ".xml", ".xlsx")
EXPECTED = (
    "expected a planner schedule.json, an agenda.xlsx as planner writes it, or a frab/pretalx schedule.json or .xml"
)
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")


@dataclass(frozen=True)
class Named:
    """A person as an agenda names them; `person` when the agenda itself knows them (our schedule.json)."""

    text: str
    person: Person | None = None


@dataclass(frozen=True)
class Entry:
    """A placed session as the file gives it, before rooms, kinds, themes, people and proposals are matched."""

    where: Where
    ids: tuple[str, ...]
    title: str
    kind: str
    start: datetime
    """Aware, in UTC."""
    end: datetime
    room: str
    chair: Named | None
    speakers: tuple[Named, ...]
    themes: tuple[str, ...]
    loose: bool = False
    """A frab export: its types and tracks are its own words, so the proposal's kind and themes come first."""
    proposal: Session | None = None

    @property
    def people(self) -> tuple[Named, ...]:
        """Everyone the entry names, the chair first."""
        return ((self.chair,) if self.chair else ()) + self.speakers


@dataclass(frozen=True)
class Source:
    """What an agenda file holds: its entries in the zone its times are shown in, and what the file itself knows."""

    kind: str
    """'schedule' (our schedule.json), 'workbook' (agenda.xlsx) or 'frab'."""
    zone: tzinfo
    entries: list[Entry]
    schedule: Schedule | None = None
    """Our schedule.json's whole schedule, or a workbook's hidden Draft (the schedule it was written from)."""
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """What our schedule.json records beside the schedule: 'solver' (how the solve went), 'yardstick'."""
    zone_said: str = ""
    """Which zone `zone` is and why, when the file had to tell: a frab file's time_zone_name, else its offsets."""


def read_source(path: Path, label: str, conference: Conference | None, problems: Collector) -> Source | None:
    """The agenda in `path`, or None with why added to `problems`; `conference` is the grid given with
    --conference (the zone of a file that names none, the rooms of a workbook without its Draft)."""
    if not path.is_file():
        problems.add(label, message=f"not found; {EXPECTED}")
        return None
    if too_large(path, label, problems):
        return None
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _sheet_source(path, label, conference, problems)
    if suffix == ".xml":
        from planner.formats.frab.read import read_frab_xml

        frab = read_frab_xml(path, label, conference.zone if conference else None, problems)
        return _frab_source(frab, conference) if frab else None
    if suffix == ".json":
        return _json_source(path, label, conference, problems)
    problems.add(label, message=f"is a '{suffix}' file; {EXPECTED}")
    return None


def _json_source(path: Path, label: str, conference: Conference | None, problems: Collector) -> Source | None:
    from planner.formats.frab.read import frab_from_json, is_frab_document
    from planner.formats.schedule_json import is_schedule_document, parse_json, recorded, schedule_from_document

    document = parse_json(path, label, problems)
    if document is None:
        return None
    if is_schedule_document(document):
        try:
            schedule = schedule_from_document(document, label)
        except InputProblems as found:
            problems.extend(found.problems)
            return None
        entries = schedule_entries(schedule)
        facts = {key: value for key in ("solver", "yardstick") if (value := recorded(document, key)) is not None}
        return Source("schedule", schedule.conference.zone, entries, schedule, facts)
    if is_frab_document(document):
        frab = frab_from_json(document, label, conference.zone if conference else None, problems)
        return _frab_source(frab, conference) if frab else None
    what = (
        "a planner check report" if isinstance(document, dict) and document.get("format") == "planner.clashes" else ""
    )
    problems.add(
        label, message=f"is {what or 'neither a planner schedule.json nor a frab/pretalx schedule JSON'}; {EXPECTED}"
    )
    return None


def schedule_entries(schedule: Schedule) -> list[Entry]:
    people = {person.id: person for person in schedule.people}
    return [
        Entry(
            where=Where.of(assignment=number),
            ids=(a.session.id,),
            title=a.session.title,
            kind=a.session.kind,
            start=a.start.astimezone(UTC),
            end=a.end.astimezone(UTC),
            room=a.room,
            chair=named(a.session.chair, people) if a.session.chair else None,
            speakers=tuple(named(p, people) for p in a.session.speakers),
            themes=a.session.themes,
            proposal=a.session,
        )
        for number, a in enumerate(schedule.assignments, start=1)
    ]


def named(person_id: str, people: dict[str, Person]) -> Named:
    """A person of our schedule.json by id: their name, and the person themselves when the schedule lists them."""
    return Named(people[person_id].name if person_id in people else person_id, people.get(person_id))


def _sheet_source(path: Path, label: str, conference: Conference | None, problems: Collector) -> Source | None:
    from planner.formats.sessions_sheet import read_sessions_sheet

    sheet = read_sessions_sheet(path, label, conference, problems)
    if sheet is None:
        return None
    entries = [
        Entry(
            where=r.where,
            ids=(r.session,),
            title=r.title,
            kind=r.kind,
            start=r.start,
            end=r.end,
            room=r.room,
            chair=Named(r.chair) if r.chair else None,
            speakers=tuple(Named(name) for name in r.speakers),
            themes=r.themes,
        )
        for r in sheet.rows
    ]
    return Source("workbook", sheet.zone, entries, sheet.draft)


def _frab_source(frab: Any, conference: Conference | None) -> Source:
    zone = frab.zone or (conference.zone if conference else ZoneInfo("UTC"))  # no zone named: times shown in UTC
    entries = [
        Entry(
            where=e.where,
            ids=e.ids,
            title=e.title,
            kind=e.type,
            start=e.start,
            end=e.end,
            room=e.room,
            chair=None,
            speakers=tuple(Named(name) for name in e.persons),
            themes=(e.track,) if e.track else (),
            loose=True,
        )
        for e in frab.events
    ]
    return Source("frab", zone, entries, zone_said=frab.zone_said)


# People, and matching entries to the conference -------------------------------------------------------------------


class Registry:
    """The people an agenda names, by id: known people matched by any spelling, new names made new people."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.people: dict[str, Person] = {}
        self.identities = Identities()
        for person in people:
            self._add(person)

    def _add(self, person: Person) -> None:
        self.people[person.id] = person
        self.identities.add(person.id, (person.id, person.name, *person.aliases))

    def resolve(self, name: Named) -> str:
        """The id of the person `name` is, made a new person (no constraints) when nobody answers to it."""
        known = name.person
        for spelling in (known.id, known.name, *known.aliases) if known else (name.text,):
            if (found := self.identities.resolve(spelling)) is not None:
                return found
        if known is None or known.id in self.people:
            base = slug(name.text) if _SAFE_ID.match(slug(name.text)) else "person"
            person_id, number = base, 1
            while person_id in self.people:
                number += 1
                person_id = f"{base}-{number}"
            known = Person.model_construct(
                id=person_id,
                name=display_name(name.text),
                aliases=(),
                organisation=None,
                unavailable=(),
                max_sessions_per_day=None,
            )
        self._add(known)
        return known.id


def key(text: str) -> str:
    """How names are compared: case and spacing ignored."""
    return " ".join(text.casefold().split())


def _lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Spelling key -> id, ids first so that an id always means itself."""
    table: dict[str, str] = {}
    for spelling, target in pairs:
        table.setdefault(key(spelling), target)
    return table


def did_you_mean(text: str, choices: Iterable[str]) -> str:
    """'; did you mean 'Seminar Room 1'?' for a near miss among `choices` as written, else ''."""
    written = {key(choice): choice for choice in choices}
    close = difflib.get_close_matches(key(text), list(written), n=1, cutoff=0.6)
    return f"; did you mean '{written[close[0]]}'?" if close else ""


class Matcher:
    """Matches entries to the conference's rooms, kinds and themes (by id or name, any case) and to the proposals."""

    def __init__(self, conference: Conference | None, proposals: Iterable[Session] | None) -> None:
        self.conference = conference
        self.by_id = {p.id: p for p in proposals or ()}
        titles: dict[str, list[str]] = {}
        for p in self.by_id.values():
            titles.setdefault(key(p.title), []).append(p.id)
        self.titles = {title: ids[0] for title, ids in titles.items() if len(ids) == 1}
        rooms, kinds, themes = (conference.rooms, conference.kinds, conference.themes) if conference else ((), (), ())
        self.room_ids = _lookup([(r.id, r.id) for r in rooms] + [(r.name, r.id) for r in rooms])
        self.kind_ids = _lookup([(k.id, k.id) for k in kinds] + [(k.label, k.id) for k in kinds])
        self.theme_ids = _lookup([(t.id, t.id) for t in themes] + [(t.label, t.id) for t in themes])

    def session(self, entry: Entry) -> tuple[str, Session | None]:
        """The proposal an entry places: by id (a frab export's slug, id or guid), or for a frab export by a title
        that exactly one proposal has; else the entry's own id and no proposal."""
        session_id = next((i for i in entry.ids if i in self.by_id), None)
        if session_id is None and entry.loose:
            session_id = self.titles.get(key(entry.title))
        session_id = session_id or (entry.ids[0] if entry.ids else str(entry.where))
        return session_id, self.by_id.get(session_id, entry.proposal)

    def room(self, entry: Entry) -> str:
        """The room's id, or the entry's own word for it when no conference is known."""
        return self.room_ids.get(key(entry.room), entry.room) if self.conference else entry.room

    def kind(self, entry: Entry, proposal: Session | None) -> str | None:
        """The kind's id (a frab export's type only when no proposal gives one), else the entry's own word."""
        if entry.loose and proposal is not None:
            return proposal.kind
        kind = (self.kind_ids.get(key(entry.kind)) if self.conference else entry.kind) or None
        return kind or (proposal.kind if proposal else None)

    def themes(self, entry: Entry, proposal: Session | None) -> tuple[str, ...]:
        if entry.loose and proposal is not None:
            return proposal.themes
        if self.conference is None:
            return entry.themes
        return tuple(self.theme_ids.get(key(t), t) for t in entry.themes)

    def grid_problems(self, entry: Entry, label: str, problems: Collector) -> bool:
        """Whether the entry names a room, kind or theme the conference does not define (a frab export's types and
        tracks may differ); each one is added to `problems`."""
        conference = self.conference
        if conference is None:
            return False
        before = len(problems)
        if key(entry.room) not in self.room_ids:
            known = ", ".join(f"{r.name} ({r.id})" for r in conference.rooms)
            hint = did_you_mean(entry.room, [r.name for r in conference.rooms] + [r.id for r in conference.rooms])
            problems.add(label, entry.where, "room", f"unknown room '{entry.room}'{hint}; expected one of: {known}")
        if entry.loose:
            return len(problems) > before
        if entry.kind and key(entry.kind) not in self.kind_ids:
            known = ", ".join(k.id for k in conference.kinds)
            hint = did_you_mean(entry.kind, [k.id for k in conference.kinds] + [k.label for k in conference.kinds])
            problems.add(label, entry.where, "kind", f"unknown kind '{entry.kind}'{hint}; expected one of: {known}")
        examples = ", ".join(t.id for t in conference.themes[:5])
        for theme in entry.themes:
            if key(theme) not in self.theme_ids:
                hint = did_you_mean(theme, [t.id for t in conference.themes] + [t.label for t in conference.themes])
                message = f"unknown theme '{theme}'{hint}; expected theme ids such as {examples}"
                problems.add(label, entry.where, "themes", message)
        return len(problems) > before
