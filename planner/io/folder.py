"""A conference folder (conference.yaml, sessions.*, people.*, and interest.* when attendees' picks are known) to one
validated `ConferenceInput`, or every problem."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from planner.audience import with_expected_audience
from planner.domain import ConferenceInput
from planner.errors import Collector, InputProblems
from planner.io.conference import load_conference
from planner.io.interest import read_interest
from planner.io.records import (
    PEOPLE_COLUMNS,
    PEOPLE_REQUIRED,
    SESSION_COLUMNS,
    SESSION_REQUIRED,
    Roster,
    check_header,
    read_people,
    read_sessions,
)
from planner.io.tables import read_table

TABLE_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")


def find_table(folder: Path, stem: str, problems: Collector) -> Path | None:
    """The one `stem.{yaml,yml,csv,xlsx}` in `folder`, or None; two of them is a problem (which one would count?)."""
    found = [folder / f"{stem}{suffix}" for suffix in TABLE_SUFFIXES if (folder / f"{stem}{suffix}").is_file()]
    if len(found) > 1:
        problems.add(str(folder), message=f"has {', '.join(p.name for p in found)}: keep one {stem} file")
        return None
    return found[0] if found else None


def added_people_warning(roster: Roster) -> str:
    """What to tell an organiser whose people file leaves out some of the names sessions give ('' when none)."""
    if not roster.listed or not roster.added:
        return ""
    count, names = len(roster.added), ", ".join(person.name for person in roster.added)
    are, were = ("names are", "were") if count > 1 else ("name is", "was")
    return f"{count} {are} not in {Path(roster.label).name} and {were} added with no constraints: {names}"


def load_folder(folder: Path, collector: Collector | None = None) -> ConferenceInput:
    """Load and cross-check a conference folder; raises `InputProblems` listing everything wrong at once.

    Pass a `collector` to see the warnings of a load that succeeds (`collector.warnings`): names that are not in the
    people file, each added as a person with no constraints.

    With an interest table, the conference carries it (`Conference.audience`), and a session that gives no
    expected_audience takes the one interest estimates (planner.audience; `interest.size_rooms` in conference.yaml
    turns this off)."""
    problems = collector if collector is not None else Collector()
    if not folder.is_dir():
        problems.add(str(folder), message="is not a folder; expected a conference folder with conference.yaml")
        problems.raise_if_any()
    conference_path = folder / "conference.yaml"
    if not conference_path.is_file():
        problems.add(str(folder), message="has no conference.yaml")
    before = len(problems)
    sessions_path = find_table(folder, "sessions", problems)
    if sessions_path is None and len(problems) == before:
        problems.add(str(folder), message="has no sessions file; expected sessions.yaml, sessions.csv or sessions.xlsx")
    people_path = find_table(folder, "people", problems)
    interest_path = find_table(folder, "interest", problems)
    problems.raise_if_any()
    assert sessions_path is not None

    conference = load_conference(conference_path, str(conference_path), problems)
    session_label = str(sessions_path)
    header, session_rows = read_table(sessions_path, session_label, "sessions", problems)
    if header:  # an unreadable or empty file is one problem, not one per missing column
        check_header(header, SESSION_COLUMNS, SESSION_REQUIRED, session_label, problems)

    if people_path is None:
        roster = Roster.of_names()
    else:
        people_label = str(people_path)
        header, people_rows = read_table(people_path, people_label, "people", problems)
        if header:
            check_header(header, PEOPLE_COLUMNS, PEOPLE_REQUIRED, people_label, problems)
        zone = conference.zone if conference else ZoneInfo("UTC")  # still report people's problems
        roster = Roster.of_file(read_people(people_rows, people_label, zone, problems), people_label, problems)
    sessions = read_sessions(session_rows, session_label, conference, roster, problems)
    audience = None
    if conference is not None and conference.audience is not None:
        where = "keep who wants what in interest.csv, interest.xlsx or interest.yaml beside it"
        problems.add(str(conference_path), field="audience", message=f"is not read from conference.yaml; {where}")
    if interest_path is not None:
        ids = [str(row.cells.get("id", "")).strip() for row in session_rows]  # a row that failed is still a session
        audience = read_interest(interest_path, ids, problems)
    problems.raise_if_any()
    assert conference is not None
    if warning := added_people_warning(roster):
        problems.warn(session_label, message=warning)
    if audience is not None:
        conference = conference.model_copy(update={"audience": audience})
    loaded = ConferenceInput(conference=conference, sessions=tuple(sessions), people=tuple(roster.everyone))
    return with_expected_audience(loaded)


__all__ = ["InputProblems", "find_table", "load_folder"]
