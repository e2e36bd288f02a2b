"""Any agenda file to the checker's `Agenda` and `Context`, with every unreadable or ambiguous entry reported by place.

Agendas: our schedule.json, an agenda.xlsx whose `Sessions` sheet a person edited (the sheet is the source of truth:
times, rooms, people, added and deleted rows), or a frab/pretalx schedule.json or schedule.xml. Context: the grid,
proposals and people of `--conference`, the people of `--people`, or what the agenda itself carries (our schedule is
self-contained).

Each format's reader (planner.formats: schedule_json, sessions_sheet, frab.read) gives its own plain records; here
they become entries, and entries become items: rooms, kinds and themes matched to the conference by id or name (an
unknown one is a problem, except a frab export's own types and tracks), sessions to proposals, and names to people by
the identity rules (titles, accents, aliases). A name nobody answers to is a new person, not an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from planner.check.model import Agenda, Context, Item, as_utc
from planner.check.schedule import schedule_agenda
from planner.domain import Conference, ConferenceInput, Person, Schedule, Session
from planner.errors import Collector, InputProblems, Where
from planner.identity import Identities, display_name, slug
from planner.io.yamlfile import too_large

if TYPE_CHECKING:
    from planner.formats.frab.read import FrabSchedule
    from planner.formats.sessions_sheet import SessionsSheet

AGENDA_SUFFIXES = (".json", ".xml", ".xlsx")
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")


@dataclass(frozen=True)
class _Name:
    """A person as an agenda names them; `person` when the agenda itself knows them (our schedule.json)."""

    text: str
    person: Person | None = None


@dataclass(frozen=True)
class _Entry:
    """A placed session as the file gives it, before rooms, kinds, themes, people and proposals are matched."""

    where: Where
    ids: tuple[str, ...]
    title: str
    kind: str
    start: datetime
    end: datetime
    room: str
    people: tuple[_Name, ...]
    themes: tuple[str, ...]
    loose: bool = False
    """A frab export: its types and tracks are its own words, so the proposal's kind and themes come first."""
    proposal: Session | None = None


@dataclass(frozen=True)
class _Source:
    zone: tzinfo
    entries: list[_Entry]
    schedule: Schedule | None = None


def read_agenda(
    path: Path, conference_dir: Path | None = None, people_path: Path | None = None
) -> tuple[Agenda, Context]:
    """The agenda in `path` and what to judge it by; raises InputProblems with every problem found."""
    folder = _load_folder(conference_dir) if conference_dir else None
    conference = folder.conference if folder else None
    label, problems = str(path), Collector()
    source = _read_source(path, label, conference, problems)
    if source is None:
        raise InputProblems(problems.problems)
    schedule = source.schedule
    if schedule is not None and folder is None and people_path is None and not problems:
        return schedule_agenda(schedule, source=label)
    if people_path is not None:
        people = _read_people(people_path, conference.zone if conference else source.zone, problems)
    else:
        people = list(folder.people if folder else schedule.people if schedule else ())
    if schedule is not None:
        own = schedule_agenda(schedule, source=label)[1]
        conference = conference or schedule.conference
        proposals, left_out = (folder.sessions if folder else own.proposals), own.left_out
    else:
        proposals, left_out = (folder.sessions if folder else None), {}
    registry, matcher = _Registry(people), _Matcher(conference, proposals)
    items = [matcher.item(entry, registry, label, problems) for entry in source.entries]
    problems.raise_if_any()
    context = Context(conference=conference, people=registry.people, proposals=proposals, left_out=left_out)
    return Agenda(source=label, items=tuple(item for item in items if item), zone=source.zone), context


def _load_folder(folder: Path) -> ConferenceInput:
    from planner.io.folder import load_folder

    return load_folder(folder)


def _read_source(path: Path, label: str, conference: Conference | None, problems: Collector) -> _Source | None:
    if not path.is_file():
        problems.add(label, message="not found; expected a schedule.json, schedule.xml or agenda.xlsx")
        return None
    if too_large(path, label, problems):
        return None
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from planner.formats.sessions_sheet import read_sessions_sheet

        sheet = read_sessions_sheet(path, label, conference, problems)
        return _sheet_source(sheet) if sheet else None
    if suffix == ".xml":
        from planner.formats.frab.read import read_frab_xml

        frab = read_frab_xml(path, label, conference.zone if conference else None, problems)
        return _frab_source(frab, conference) if frab else None
    if suffix == ".json":
        return _json_source(path, label, conference, problems)
    problems.add(label, message=f"is a '{suffix}' file; expected one of: {', '.join(AGENDA_SUFFIXES)}")
    return None


def _json_source(path: Path, label: str, conference: Conference | None, problems: Collector) -> _Source | None:
    from planner.formats.frab.read import frab_from_json, is_frab_document
    from planner.formats.schedule_json import is_schedule_document, parse_json, schedule_from_document

    document = parse_json(path, label, problems)
    if document is None:
        return None
    if is_schedule_document(document):
        try:
            schedule = schedule_from_document(document, label)
        except InputProblems as found:
            problems.extend(found.problems)
            return None
        return _Source(schedule.conference.zone, _schedule_entries(schedule), schedule)
    if is_frab_document(document):
        frab = frab_from_json(document, label, conference.zone if conference else None, problems)
        return _frab_source(frab, conference) if frab else None
    problems.add(
        label,
        message="is neither a planner schedule.json nor a frab/pretalx schedule JSON (with schedule.conference.days)",
    )
    return None


def _schedule_entries(schedule: Schedule) -> list[_Entry]:
    people = {person.id: person for person in schedule.people}
    return [
        _Entry(
            where=Where.of(assignment=number),
            ids=(a.session.id,),
            title=a.session.title,
            kind=a.session.kind,
            start=as_utc(a.start),
            end=as_utc(a.end),
            room=a.room,
            people=tuple(_Name(people[p].name if p in people else p, people.get(p)) for p in a.session.people),
            themes=a.session.themes,
            proposal=a.session,
        )
        for number, a in enumerate(schedule.assignments, start=1)
    ]


def _sheet_source(sheet: SessionsSheet) -> _Source:
    entries = [
        _Entry(
            where=r.where,
            ids=(r.session,),
            title=r.title,
            kind=r.kind,
            start=r.start,
            end=r.end,
            room=r.room,
            people=tuple(_Name(name) for name in r.people),
            themes=r.themes,
        )
        for r in sheet.rows
    ]
    return _Source(sheet.zone, entries)


def _frab_source(frab: FrabSchedule, conference: Conference | None) -> _Source:
    zone = frab.zone or (conference.zone if conference else ZoneInfo("UTC"))  # no zone named: times shown in UTC
    entries = [
        _Entry(
            where=e.where,
            ids=e.ids,
            title=e.title,
            kind=e.type,
            start=e.start,
            end=e.end,
            room=e.room,
            people=tuple(_Name(name) for name in e.persons),
            themes=(e.track,) if e.track else (),
            loose=True,
        )
        for e in frab.events
    ]
    return _Source(zone, entries)


# People, and matching entries to the conference -----------------------------------------------------------------


def _read_people(path: Path, zone: tzinfo, problems: Collector) -> list[Person]:
    from planner.io.records import PEOPLE_COLUMNS, PEOPLE_REQUIRED, check_header, identities_of, read_people
    from planner.io.tables import read_table

    label = str(path)
    if not path.is_file():
        problems.add(label, message="not found; expected a people file (.csv, .xlsx or .yaml)")
        return []
    header, rows = read_table(path, label, "people", problems)
    check_header(header, PEOPLE_COLUMNS, PEOPLE_REQUIRED, label, problems)
    people = read_people(rows, label, zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC"), problems)
    identities_of(people, label, problems)
    return people


class _Registry:
    """The people an agenda names, by id: known people matched by any spelling, new names made new people."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.people: dict[str, Person] = {}
        self.identities = Identities()
        for person in people:
            self._add(person)

    def _add(self, person: Person) -> None:
        self.people[person.id] = person
        self.identities.add(person.id, (person.id, person.name, *person.aliases))

    def resolve(self, name: _Name) -> str:
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


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Spelling key -> id, ids first so that an id always means itself."""
    table: dict[str, str] = {}
    for spelling, target in pairs:
        table.setdefault(_key(spelling), target)
    return table


class _Matcher:
    """Matches entries to the conference's rooms, kinds and themes (by id or name, any case) and to the proposals."""

    def __init__(self, conference: Conference | None, proposals: tuple[Session, ...] | None) -> None:
        self.conference = conference
        self.by_id = {p.id: p for p in proposals or ()}
        titles: dict[str, list[str]] = {}
        for p in proposals or ():
            titles.setdefault(_key(p.title), []).append(p.id)
        self.titles = {title: ids[0] for title, ids in titles.items() if len(ids) == 1}
        rooms, kinds, themes = (conference.rooms, conference.kinds, conference.themes) if conference else ((), (), ())
        self.rooms = _lookup([(r.id, r.id) for r in rooms] + [(r.name, r.id) for r in rooms])
        self.kinds = _lookup([(k.id, k.id) for k in kinds] + [(k.label, k.id) for k in kinds])
        self.themes = _lookup([(t.id, t.id) for t in themes] + [(t.label, t.id) for t in themes])

    def session(self, entry: _Entry) -> tuple[str, Session | None]:
        """The proposal an entry places: by id (a frab export's slug, id or guid), or for a frab export by a title
        that exactly one proposal has; else the entry's own id and no proposal."""
        session_id = next((i for i in entry.ids if i in self.by_id), None)
        if session_id is None and entry.loose:
            session_id = self.titles.get(_key(entry.title))
        session_id = session_id or (entry.ids[0] if entry.ids else str(entry.where))
        return session_id, self.by_id.get(session_id, entry.proposal)

    def grid_problems(self, entry: _Entry, label: str, problems: Collector) -> bool:
        """Whether the entry names a room, kind or theme the conference does not define (a frab export's types and
        tracks may differ); each one is added to `problems`."""
        conference = self.conference
        if conference is None:
            return False
        before = len(problems)
        if _key(entry.room) not in self.rooms:
            known = ", ".join(f"{r.name} ({r.id})" for r in conference.rooms)
            problems.add(label, entry.where, "room", f"unknown room '{entry.room}'; expected one of: {known}")
        if entry.loose:
            return len(problems) > before
        if entry.kind and _key(entry.kind) not in self.kinds:
            known = ", ".join(k.id for k in conference.kinds)
            problems.add(label, entry.where, "kind", f"unknown kind '{entry.kind}'; expected one of: {known}")
        examples = ", ".join(t.id for t in conference.themes[:5])
        for theme in entry.themes:
            if _key(theme) not in self.themes:
                message = f"unknown theme '{theme}'; expected theme ids such as {examples}"
                problems.add(label, entry.where, "themes", message)
        return len(problems) > before

    def item(self, entry: _Entry, registry: _Registry, label: str, problems: Collector) -> Item | None:
        if self.grid_problems(entry, label, problems):
            return None
        session_id, proposal = self.session(entry)
        known = self.conference is not None
        room = self.rooms[_key(entry.room)] if known else entry.room
        kind = (self.kinds.get(_key(entry.kind)) if known else entry.kind) or None
        themes = tuple(self.themes.get(_key(t), t) for t in entry.themes) if known else entry.themes
        if entry.loose and proposal is not None:
            kind, themes = proposal.kind, proposal.themes
        people = tuple(dict.fromkeys(registry.resolve(name) for name in entry.people))
        return Item(
            session=session_id,
            title=entry.title or (proposal.title if proposal else session_id),
            kind=kind or (proposal.kind if proposal else None),
            start=entry.start,
            end=entry.end,
            room=room,
            people=people,
            themes=themes,
            where=str(entry.where),
            proposal=proposal,
        )


__all__ = ["AGENDA_SUFFIXES", "read_agenda"]
