"""Rows of the people and sessions tables to `Person` and `Session`, with names resolved to person ids."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from planner.domain import BlockType, Conference, Person, Session
from planner.errors import Collector, Where
from planner.identity import Identities, name_key, slug
from planner.io.tables import Row, split_cell
from planner.io.validation import at, check_numbers, validate

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
    "track",
    "order",
    "time_zone",
    "place_costs",
)
SESSION_REQUIRED = ("id", "title", "kind", "duration")

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,69}$")
"""An id made from a name: the domain's Id, with room for a '-2' should two names share it."""
CLOSE_NAME = 0.75
"""How alike (difflib's ratio of comparison keys) a name must be to a listed person's to be taken for a typo."""


def check_header(
    header: Iterable[str], known: tuple[str, ...], required: tuple[str, ...], label: str, problems: Collector
) -> None:
    """Unknown columns (likely typos), columns given twice (which one counts?) and missing required ones, once for
    the whole file."""
    given = [h for h in header if h]
    first_row = Where.of(row=1) if label.endswith((".csv", ".xlsx")) else Where()
    for column in dict.fromkeys(given):
        if column not in known:
            problems.add(label, first_row, column, f"unknown column; expected some of: {', '.join(known)}")
    for column, count in Counter(given).items():
        if count > 1:
            problems.add(label, first_row, column, "column is given twice; keep one")
    for column in required:
        if column not in given:
            problems.add(label, Where(), column, "required column is missing")


def _filled(cells: dict[str, str | list[str]], columns: Iterable[str]) -> dict[str, str | list[str]]:
    return {c: cells[c] for c in columns if c in cells and cells[c] not in ("", [])}


def read_people(rows: list[Row], label: str, zone: ZoneInfo, problems: Collector) -> list[Person]:
    """People from their rows; an id left empty is made from the name."""
    from planner.clock import parse_window

    placed: list[tuple[Where, Person]] = []
    for row in rows:
        data: dict = _filled(row.cells, PEOPLE_COLUMNS)
        if "name" in data and "id" not in data:
            data["id"] = slug(str(data["name"]))
        data["aliases"] = split_cell(data.get("aliases", ""))
        windows = []
        for text in split_cell(data.pop("unavailable", "")):
            window, why = parse_window(text, zone)
            if window is None:
                problems.add(label, row.where, "unavailable", why)
            else:
                windows.append(window)
        data["unavailable"] = windows
        person = validate(Person, data, label, at(row.where), problems)
        if person is not None:
            placed.append((row.where, person))
            check_numbers(person, label, at(row.where), problems)
    _check_duplicate_ids(placed, "person", label, problems)
    return [person for _, person in placed]


def identities_of(people: Iterable[Person], label: str, problems: Collector) -> Identities:
    """Every id, name and alias of the people, refusing a spelling that would name two people."""
    identities = Identities()
    for person in people:
        identities.add(person.id, (person.id, person.name, *person.aliases))
    for spelling, held, other in identities.conflicts:
        problems.add(label, Where(), "aliases", f"'{spelling}' would name both '{held}' and '{other}'; make it unique")
    return identities


class Roster:
    """The people sessions may name, by any spelling: those the people file lists, and a person with no constraints
    for each other name.

    With a people file, a name close to one of its people is refused with a 'did you mean' (a typo made into a second
    person would hide that person's clashes); a name close to no one is added, and listed in `added` so the loader
    can warn. Without a people file, every name is a person.
    """

    def __init__(self, people: Iterable[Person], identities: Identities, label: str, listed: bool) -> None:
        self.people = list(people)
        self.added: list[Person] = []
        """People made for names nobody in the people file answers to, in the order sessions first name them."""
        self.label = label
        self.listed = listed
        self._identities = identities
        self._listed_keys = identities.spellings()
        self._names = {person.id: person.name for person in self.people}
        self._ids = set(self._names)

    @classmethod
    def of_file(cls, people: list[Person], label: str, problems: Collector) -> Roster:
        """The people of a people file (`label`), refusing a spelling that names two of them."""
        return cls(people, identities_of(people, label, problems), label, listed=True)

    @classmethod
    def of_names(cls) -> Roster:
        """No people file: whoever sessions name."""
        return cls((), Identities(), "the session names (no people file)", listed=False)

    @property
    def everyone(self) -> list[Person]:
        """The people file's people, then those added, as the loaded conference lists them."""
        return self.people + self.added

    def person_id(self, name: str, label: str, where: Where, field: str, problems: Collector) -> str | None:
        """The id of the person a session names; None, with the reason added to `problems`, for a likely typo."""
        found = self._identities.resolve(name)
        if found is not None:
            return found
        if self.listed and (close := self.close_names(name)):
            hint = " or ".join(f"'{c}'" for c in close)
            problems.add(label, where, field, f"no person '{name}' in {self.label}; did you mean {hint}?")
            return None
        person = validate(Person, {"id": self._new_id(name), "name": name}, label, at(where), Collector())
        if person is None:  # a name no Person can hold (over 300 characters)
            problems.add(label, where, field, f"'{name[:60]}…' is too long to be a person's name")
            return None
        self._ids.add(person.id)
        self._identities.add(person.id, (person.id, person.name))
        self.added.append(person)
        return person.id

    def close_names(self, name: str) -> list[str]:
        """The listed people whose spelling is close to `name`, by their name as the people file writes it."""
        keys = difflib.get_close_matches(name_key(name), self._listed_keys, n=2, cutoff=CLOSE_NAME)
        ids = dict.fromkeys(found for key in keys if (found := self._identities.resolve(key)) is not None)
        return [self._names.get(person_id, person_id) for person_id in ids]

    def _new_id(self, name: str) -> str:
        """The name's slug, or 'person' when the slug is no safe id; a number added when the id is taken."""
        base = slug(name) if _SAFE_ID.match(slug(name)) else "person"
        person_id, number = base, 1
        while person_id in self._ids:
            number += 1
            person_id = f"{base}-{number}"
        return person_id


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
    tracks: frozenset[str]
    periods: frozenset[str]
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
            tracks=frozenset(t.id for t in conference.paper.tracks) if conference.paper else frozenset(),
            periods=frozenset(b.period for b in conference.blocks if b.period),
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


def _check_references(data: dict, grid: _Grid, label: str, where: Where, problems: Collector) -> None:
    """Kinds, themes, features and pins a session row names but the conference does not define."""

    def unknown(field: str, noun: str, value: str, known: Iterable[str]) -> None:
        problems.add(label, where, field, f"unknown {noun} '{value}'; expected one of: {', '.join(sorted(known))}")

    if "kind" in data and data["kind"] not in grid.kinds:
        unknown("kind", "kind", data["kind"], grid.kinds)
    for theme in data["themes"]:
        if theme not in grid.themes:
            unknown("themes", "theme", theme, grid.themes)
    offered = ", ".join(sorted(grid.features)) or "none"
    for feature in data["requires"]:
        if feature not in grid.features:
            problems.add(label, where, "requires", f"no room has feature '{feature}'; rooms offer: {offered}")
    pin = data.get("pin", {})
    if pin.get("day") and pin["day"] not in grid.days:
        unknown("pin_day", "day", pin["day"], grid.days)
    if pin.get("block") and pin["block"] not in grid.blocks:
        unknown("pin_block", "block", pin["block"], grid.blocks)
    elif pin.get("block") and pin.get("day") in grid.days and grid.blocks[pin["block"]] != pin["day"]:
        problems.add(label, where, "pin_block", f"block '{pin['block']}' is not on day '{pin['day']}'")
    if pin.get("room") and pin["room"] not in grid.rooms:
        unknown("pin_room", "room", pin["room"], grid.rooms)
    if data.get("track") and data["track"] not in grid.tracks:
        unknown("track", "track (conference.yaml's paper: tracks)", data["track"], grid.tracks)
    for place in data.get("place_costs", {}):
        if place not in grid.rooms and place not in grid.periods:
            unknown("place_costs", "period or room", place, grid.periods | grid.rooms)


def _check_duplicate_ids(
    placed: list[tuple[Where, Person]] | list[tuple[Where, Session]], noun: str, label: str, problems: Collector
) -> None:
    """Each repeat of an id, at its own row, naming the row that used it first."""
    first: dict[str, Where] = {}
    for where, item in placed:
        if item.id in first:
            message = f"{noun} id '{item.id}' is used more than once (first in {first[item.id]}); ids must be unique"
            problems.add(label, where, "id", message)
        first.setdefault(item.id, where)


def _costs(items: list[str], label: str, where: Where, problems: Collector) -> dict[str, int]:
    """A place_costs cell ('mon1=100;room-a=1'): a period or room id and a whole number each."""
    found = {}
    for item in items:
        key, _, value = item.partition("=")
        if not key.strip() or not value.strip().isdigit():
            problems.add(label, where, "place_costs", f"'{item}' is not ID=NUMBER (e.g. 'mon1=100')")
            continue
        found[key.strip()] = int(value)
    return found


def read_sessions(
    rows: list[Row], label: str, conference: Conference | None, roster: Roster, problems: Collector
) -> list[Session]:
    """Sessions from their rows: lists split, names resolved to person ids (a new name added to the roster),
    references to the grid checked (when the conference itself loaded)."""
    grid = _Grid.of(conference) if conference is not None else None
    placed: list[tuple[Where, Session]] = []
    for row in rows:
        data: dict = _filled(row.cells, SESSION_COLUMNS)
        for field in ("themes", "speakers", "requires"):
            data[field] = split_cell(data.get(field, ""))
        if "place_costs" in data:
            data["place_costs"] = _costs(split_cell(data["place_costs"]), label, row.where, problems)
        pin = {part: data.pop(f"pin_{part}") for part in ("day", "block", "room") if f"pin_{part}" in data}
        if pin:
            data["pin"] = pin
        unresolved = False
        for field in ("chair", "speakers"):
            ids = []
            for name in split_cell(data.get(field, "")):
                person_id = roster.person_id(name, label, row.where, field, problems)
                if person_id is None:
                    unresolved = True
                else:
                    ids.append(person_id)
            if field == "chair":
                if len(ids) > 1:
                    problems.add(label, row.where, "chair", "give one chair (several names found)")
                data["chair"] = ids[0] if ids else None
            else:
                data["speakers"] = ids
        if grid is not None:
            _check_references(data, grid, label, row.where, problems)
        session = validate(Session, data, label, at(row.where), problems)  # its other fields, too
        if session is None or unresolved:
            continue
        placed.append((row.where, session))
        too_large = check_numbers(session, label, at(row.where), problems)
        if grid is not None and not too_large and session.duration > grid.longest_run:
            problems.add(
                label,
                row.where,
                "duration",
                f"{session.duration} minutes is longer than any "
                "run of back-to-back blocks of one type; expected at most the longest run, "
                f"{grid.longest_run} minutes",
            )
    _check_duplicate_ids(placed, "session", label, problems)
    return [session for _, session in placed]
