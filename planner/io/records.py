"""Rows of the people and sessions tables to `Person` and `Session`, with names resolved to person ids."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from planner.domain import Conference, Person, Session
from planner.errors import Problem
from planner.identity import Identities, slug
from planner.io.tables import Row, split_cell
from planner.io.validation import validate

PEOPLE_COLUMNS = ("id", "name", "aliases", "organisation", "unavailable", "max_sessions_per_day")
PEOPLE_REQUIRED = ("name",)
SESSION_COLUMNS = (
    "id", "title", "kind", "duration", "themes", "chair", "speakers", "expected_audience", "requires",
    "pin_day", "pin_block", "pin_room", "optional", "abstract", "notes",
)  # fmt: skip
SESSION_REQUIRED = ("id", "title", "kind", "duration")


def header_problems(
    header: Iterable[str], known: tuple[str, ...], required: tuple[str, ...], label: str
) -> list[Problem]:
    """Unknown columns (likely typos) and missing required ones, once for the whole file."""
    given = [h for h in header if h]
    problems = [
        Problem(label, "row 1" if label.endswith((".csv", ".xlsx")) else "", column,
                f"unknown column; expected some of: {', '.join(known)}")
        for column in given if column not in known
    ]  # fmt: skip
    problems += [Problem(label, "", column, "required column is missing") for column in required if column not in given]
    return problems


def _filled(cells: dict[str, str | list[str]], columns: Iterable[str]) -> dict[str, str | list[str]]:
    return {c: cells[c] for c in columns if c in cells and cells[c] not in ("", [])}


def read_people(rows: list[Row], label: str, zone: ZoneInfo) -> tuple[list[Person], list[Problem]]:
    """People from their rows; an id left empty is made from the name."""
    from planner.io.clock import parse_window

    people, problems = [], []
    for row in rows:
        data: dict = _filled(row.cells, PEOPLE_COLUMNS)
        if "name" in data and "id" not in data:
            data["id"] = slug(str(data["name"]))
        data["aliases"] = split_cell(data.get("aliases", ""))
        windows = []
        for text in split_cell(data.pop("unavailable", "")):
            window, why = parse_window(text, zone)
            if window is None:
                problems.append(Problem(label, row.where, "unavailable", why))
            else:
                windows.append(window)
        data["unavailable"] = windows
        person = validate(Person, data, label, lambda loc, r=row: r.where, problems)
        if person is not None:
            people.append(person)
    for duplicate in sorted(i for i, n in Counter(p.id for p in people).items() if n > 1):
        problems.append(Problem(label, "", "id", f"person id '{duplicate}' is used more than once"))
    return people, problems


def identities_of(people: Iterable[Person], label: str) -> tuple[Identities, list[Problem]]:
    """Every id, name and alias of the people, refusing a spelling that would name two people."""
    identities = Identities()
    for person in people:
        identities.add(person.id, (person.id, person.name, *person.aliases))
    problems = [
        Problem(label, "", "aliases", f"'{spelling}' would name both '{held}' and '{other}'; make it unique")
        for spelling, held, other in identities.conflicts
    ]
    return identities, problems


def _person_id(name: str, identities: Identities, people_label: str) -> tuple[str | None, str]:
    found = identities.resolve(name)
    if found is not None:
        return found, ""
    close = difflib.get_close_matches(name.casefold(), identities.spellings(), n=2, cutoff=0.75)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return None, f"no person '{name}' in {people_label}{hint}"


def _reference_problems(data: dict, conference: Conference, label: str, where: str) -> list[Problem]:
    """Kinds, themes, features and pins a session row names but the conference does not define."""
    kinds = {k.id for k in conference.kinds}
    themes = {t.id for t in conference.themes}
    features = {f for room in conference.rooms for f in room.features}
    days = {d.id for d in conference.days}
    blocks = {b.id: d.id for d in conference.days for b in d.blocks}
    rooms = {r.id for r in conference.rooms}

    def unknown(field: str, noun: str, value: str, known: Iterable[str]) -> Problem:
        return Problem(label, where, field, f"unknown {noun} '{value}'; expected one of: {', '.join(sorted(known))}")

    problems = []
    if "kind" in data and data["kind"] not in kinds:
        problems.append(unknown("kind", "kind", data["kind"], kinds))
    problems += [unknown("themes", "theme", t, themes) for t in data["themes"] if t not in themes]
    offered = ", ".join(sorted(features)) or "none"
    problems += [
        Problem(label, where, "requires", f"no room has feature '{f}'; rooms offer: {offered}")
        for f in data["requires"]
        if f not in features
    ]
    pin = data.get("pin", {})
    if pin.get("day") and pin["day"] not in days:
        problems.append(unknown("pin_day", "day", pin["day"], days))
    if pin.get("block") and pin["block"] not in blocks:
        problems.append(unknown("pin_block", "block", pin["block"], blocks))
    elif pin.get("block") and pin.get("day") in days and blocks[pin["block"]] != pin["day"]:
        problems.append(Problem(label, where, "pin_block", f"block '{pin['block']}' is not on day '{pin['day']}'"))
    if pin.get("room") and pin["room"] not in rooms:
        problems.append(unknown("pin_room", "room", pin["room"], rooms))
    return problems


def read_sessions(
    rows: list[Row], label: str, conference: Conference | None, identities: Identities, people_label: str
) -> tuple[list[Session], list[Problem]]:
    """Sessions from their rows: lists split, names resolved to person ids, references to the grid checked (when
    the conference itself loaded)."""
    sessions, problems = [], []
    for row in rows:
        data: dict = _filled(row.cells, SESSION_COLUMNS)
        for field in ("themes", "speakers", "requires"):
            data[field] = split_cell(data.get(field, ""))
        pin = {part: data.pop(f"pin_{part}") for part in ("day", "block", "room") if f"pin_{part}" in data}
        if pin:
            data["pin"] = pin
        resolved_ok = True
        for field in ("chair", "speakers"):
            names = split_cell(data.get(field, ""))
            ids = []
            for name in names:
                person_id, why = _person_id(name, identities, people_label)
                if person_id is None:
                    problems.append(Problem(label, row.where, field, why))
                    resolved_ok = False
                ids.append(person_id)
            if field == "chair":
                if len(ids) > 1:
                    problems.append(Problem(label, row.where, "chair", "give one chair (several names found)"))
                data["chair"] = ids[0] if ids else None
            else:
                data["speakers"] = ids
        if conference is not None:
            problems += _reference_problems(data, conference, label, row.where)
        if not resolved_ok:
            continue
        session = validate(Session, data, label, lambda loc, r=row: r.where, problems)
        if session is not None:
            sessions.append(session)
    for duplicate in sorted(i for i, n in Counter(s.id for s in sessions).items() if n > 1):
        problems.append(Problem(label, "", "id", f"session id '{duplicate}' is used more than once"))
    return sessions, problems
