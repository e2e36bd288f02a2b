"""A conference folder (conference.yaml, sessions.*, people.*) to one validated `ConferenceInput`, or every problem."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from planner.domain import ConferenceInput, Person
from planner.errors import Collector, InputProblems, Problem
from planner.identity import Identities, slug
from planner.io.conference import load_conference
from planner.io.records import (
    PEOPLE_COLUMNS,
    PEOPLE_REQUIRED,
    SESSION_COLUMNS,
    SESSION_REQUIRED,
    header_problems,
    identities_of,
    read_people,
    read_sessions,
)
from planner.io.tables import Row, read_table, split_cell

TABLE_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")


def find_table(folder: Path, stem: str) -> tuple[Path | None, list[Problem]]:
    """The one `stem.{yaml,yml,csv,xlsx}` in `folder`; two of them is a problem (which one would count?)."""
    found = [folder / f"{stem}{suffix}" for suffix in TABLE_SUFFIXES if (folder / f"{stem}{suffix}").is_file()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        return None, [Problem(str(folder), "", "", f"has {names}: keep one {stem} file")]
    return (found[0] if found else None), []


def _people_from_names(rows: list[Row]) -> list[Person]:
    """Without a people file, everyone named as chair or speaker is a person with no constraints."""
    identities, people = Identities(), []
    for row in rows:
        for field in ("chair", "speakers"):
            for name in split_cell(row.cells.get(field, "")):
                if identities.resolve(name) is None:
                    person = Person(id=slug(name), name=name)
                    identities.add(person.id, (person.id, name))
                    people.append(person)
    return people


def load_folder(folder: Path) -> ConferenceInput:
    """Load and cross-check a conference folder; raises `InputProblems` listing everything wrong at once."""
    problems = Collector()
    if not folder.is_dir():
        problems.add(str(folder), message="is not a folder; expected a conference folder with conference.yaml")
        problems.raise_if_any()
    conference_path = folder / "conference.yaml"
    if not conference_path.is_file():
        problems.add(str(folder), message="has no conference.yaml")
    sessions_path, found = find_table(folder, "sessions")
    problems.extend(found)
    if sessions_path is None and not found:
        problems.add(str(folder), message="has no sessions file; expected sessions.yaml, sessions.csv or sessions.xlsx")
    people_path, found = find_table(folder, "people")
    problems.extend(found)
    problems.raise_if_any()
    assert sessions_path is not None

    conference, found = load_conference(conference_path, str(conference_path))
    problems.extend(found)
    session_label = str(sessions_path)
    header, session_rows, found = read_table(sessions_path, session_label, "sessions")
    problems.extend(found)
    if header:  # an unreadable or empty file is one problem, not one per missing column
        problems.extend(header_problems(header, SESSION_COLUMNS, SESSION_REQUIRED, session_label))

    people_label = str(people_path) if people_path else "the session names (no people file)"
    if people_path is None:
        people = _people_from_names(session_rows)
    else:
        header, people_rows, found = read_table(people_path, people_label, "people")
        problems.extend(found)
        if header:
            problems.extend(header_problems(header, PEOPLE_COLUMNS, PEOPLE_REQUIRED, people_label))
        zone = conference.zone if conference else ZoneInfo("UTC")  # still report people's problems
        people, found = read_people(people_rows, people_label, zone)
        problems.extend(found)
    identities, found = identities_of(people, people_label)
    problems.extend(found)
    sessions, found = read_sessions(session_rows, session_label, conference, identities, people_label)
    problems.extend(found)
    problems.raise_if_any()
    assert conference is not None
    return ConferenceInput(conference=conference, sessions=tuple(sessions), people=tuple(people))


__all__ = ["InputProblems", "find_table", "load_folder"]
