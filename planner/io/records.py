"""Rows of the people and sessions tables to `Person` and `Session`, with names resolved to person ids."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from planner.domain import BlockType, Conference, Person, Session
from planner.errors import Problem
from planner.identity import Identities, slug
from planner.io.tables import Row, split_cell
from planner.io.validation import numbers_too_large, too_large_problem, validate

PEOPLE_COLUMNS = ("id", "name", "aliases", "organisation", "unavailable", "max_sessions_per_day")
PEOPLE_REQUIRED = ("name",)
SESSION_COLUMNS = (
    "id",
    "title",
    "kind",
    "duration",
    "themes",
    "chair",
    "speakers",
    "expected_audience",
    "requires",
    "pin_day",
    "pin_block",
    "pin_room",
    "optional",
    "abstract",
    "notes",
)
SESSION_REQUIRED = ("id", "title", "kind", "duration")


def header_problems(
    header: Iterable[str], known: tuple[str, ...], required: tuple[str, ...], label: str
) -> list[Problem]:
    """Unknown columns (likely typos), columns given twice (which one counts?) and missing required ones, once for
    the whole file."""
    given = [h for h in header if h]
    first_row = "row 1" if label.endswith((".csv", ".xlsx")) else ""
    problems = [
        Problem(label, first_row, column, f"unknown column; expected some of: {', '.join(known)}")
        for column in dict.fromkeys(given)
        if column not in known
    ]
    problems += [
        Problem(label, first_row, column, "column is given twice; keep one")
        for column, count in Counter(given).items()
        if count > 1
    ]
    problems += [Problem(label, "", column, "required column is missing") for column in required if column not in given]
    return problems


def _filled(cells: dict[str, str | list[str]], columns: Iterable[str]) -> dict[str, str | list[str]]:
    return {c: cells[c] for c in columns if c in cells and cells[c] not in ("", [])}


def read_people(rows: list[Row], label: str, zone: ZoneInfo) -> tuple[list[Person], list[Problem]]:
    """People from their rows; an id left empty is made from the name."""
    from planner.clock import parse_window

    placed: list[tuple[str, Person]] = []
    problems = []
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
            placed.append((row.where, person))
            problems += [too_large_problem(label, row.where, loc, n) for loc, n in numbers_too_large(person)]
    problems += _duplicate_ids(placed, "person", label)
    return [person for _, person in placed], problems


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


@dataclass(frozen=True)
class _Grid:
    """What session rows may name, built once per load (not once per row)."""

    kinds: frozenset[str]
    themes: frozenset[str]
    features: frozenset[str]
    days: frozenset[str]
    blocks: dict[str, str]
    """Block id -> its day's id."""
    rooms: frozenset[str]
    longest_run: int
    """Minutes of the longest run of back-to-back blocks of one type on one day: the most one session can last."""

    @classmethod
    def of(cls, conference: Conference) -> _Grid:
        return cls(
            kinds=frozenset(k.id for k in conference.kinds),
            themes=frozenset(t.id for t in conference.themes),
            features=frozenset(f for room in conference.rooms for f in room.features),
            days=frozenset(d.id for d in conference.days),
            blocks={b.id: d.id for d in conference.days for b in d.blocks},
            rooms=frozenset(r.id for r in conference.rooms),
            longest_run=_longest_run(conference),
        )


def _longest_run(conference: Conference) -> int:
    """As the solver spans blocks: session blocks of one type, each starting when the one before it ends."""
    longest = 0
    for day in conference.days:
        run, previous = 0, None
        for block in (b for b in day.blocks if b.type is not BlockType.BREAK):
            joined = previous is not None and block.start == previous.end and block.type is previous.type
            run = run + block.minutes if joined else block.minutes
            longest, previous = max(longest, run), block
    return longest


def _reference_problems(data: dict, grid: _Grid, label: str, where: str) -> list[Problem]:
    """Kinds, themes, features and pins a session row names but the conference does not define."""

    def unknown(field: str, noun: str, value: str, known: Iterable[str]) -> Problem:
        return Problem(label, where, field, f"unknown {noun} '{value}'; expected one of: {', '.join(sorted(known))}")

    problems = []
    if "kind" in data and data["kind"] not in grid.kinds:
        problems.append(unknown("kind", "kind", data["kind"], grid.kinds))
    problems += [unknown("themes", "theme", t, grid.themes) for t in data["themes"] if t not in grid.themes]
    offered = ", ".join(sorted(grid.features)) or "none"
    problems += [
        Problem(label, where, "requires", f"no room has feature '{f}'; rooms offer: {offered}")
        for f in data["requires"]
        if f not in grid.features
    ]
    pin = data.get("pin", {})
    if pin.get("day") and pin["day"] not in grid.days:
        problems.append(unknown("pin_day", "day", pin["day"], grid.days))
    if pin.get("block") and pin["block"] not in grid.blocks:
        problems.append(unknown("pin_block", "block", pin["block"], grid.blocks))
    elif pin.get("block") and pin.get("day") in grid.days and grid.blocks[pin["block"]] != pin["day"]:
        problems.append(Problem(label, where, "pin_block", f"block '{pin['block']}' is not on day '{pin['day']}'"))
    if pin.get("room") and pin["room"] not in grid.rooms:
        problems.append(unknown("pin_room", "room", pin["room"], grid.rooms))
    return problems


def _duplicate_ids(placed: list[tuple[str, Person | Session]], noun: str, label: str) -> list[Problem]:
    """Each repeat of an id, at its own row, naming the row that used it first."""
    first: dict[str, str] = {}
    problems = []
    for where, item in placed:
        if item.id in first:
            problems.append(
                Problem(
                    label,
                    where,
                    "id",
                    f"{noun} id '{item.id}' is used more than once (first in {first[item.id]}); ids must be unique",
                )
            )
        first.setdefault(item.id, where)
    return problems


def read_sessions(
    rows: list[Row], label: str, conference: Conference | None, identities: Identities, people_label: str
) -> tuple[list[Session], list[Problem]]:
    """Sessions from their rows: lists split, names resolved to person ids, references to the grid checked (when
    the conference itself loaded)."""
    grid = _Grid.of(conference) if conference is not None else None
    placed: list[tuple[str, Session]] = []
    problems = []
    for row in rows:
        data: dict = _filled(row.cells, SESSION_COLUMNS)
        for field in ("themes", "speakers", "requires"):
            data[field] = split_cell(data.get(field, ""))
        pin = {part: data.pop(f"pin_{part}") for part in ("day", "block", "room") if f"pin_{part}" in data}
        if pin:
            data["pin"] = pin
        unresolved = False
        for field in ("chair", "speakers"):
            ids = []
            for name in split_cell(data.get(field, "")):
                person_id, why = _person_id(name, identities, people_label)
                if person_id is None:
                    problems.append(Problem(label, row.where, field, why))
                    unresolved = True
                else:
                    ids.append(person_id)
            if field == "chair":
                if len(ids) > 1:
                    problems.append(Problem(label, row.where, "chair", "give one chair (several names found)"))
                data["chair"] = ids[0] if ids else None
            else:
                data["speakers"] = ids
        if grid is not None:
            problems += _reference_problems(data, grid, label, row.where)
        session = validate(Session, data, label, lambda loc, r=row: r.where, problems)  # its other fields, too
        if session is None or unresolved:
            continue
        placed.append((row.where, session))
        too_large = [too_large_problem(label, row.where, loc, n) for loc, n in numbers_too_large(session)]
        problems += too_large
        if grid is not None and not too_large and session.duration > grid.longest_run:
            problems.append(
                Problem(
                    label,
                    row.where,
                    "duration",
                    f"{session.duration} minutes is longer than any "
                    "run of back-to-back blocks of one type; expected at most the longest run, "
                    f"{grid.longest_run} minutes",
                )
            )
    problems += _duplicate_ids(placed, "session", label)
    return [session for _, session in placed], problems
