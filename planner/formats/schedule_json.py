"""schedule.json, our own versioned format: the whole Schedule (conference and people included) plus the solver's
facts; written here and read back here, with located problems for anything wrong."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from planner.clock import outside_years
from planner.domain import Schedule
from planner.errors import Collector, InputProblems, Problem, Where
from planner.io.validation import at, field_path, validate, values_of
from planner.io.yamlfile import too_large

FORMAT = "planner.schedule"
VERSION = 1


def schedule_document(
    schedule: Schedule, solver: dict[str, Any] | None = None, yardstick: dict[str, Any] | None = None
) -> str:
    """The file's text: stable key order and sorted assignments, so equal schedules give equal bytes; `solver` is how
    the solve went, `yardstick` the draft set beside past editions (each kept when the schedule is exported again)."""
    ordered = schedule.model_copy(
        update={"assignments": tuple(sorted(schedule.assignments, key=lambda a: (a.start, a.room, a.session.id)))}
    )
    document = {"format": FORMAT, "version": VERSION, "schedule": ordered.model_dump(mode="json")}
    if solver is not None:
        document["solver"] = solver
    if yardstick is not None:
        document["yardstick"] = yardstick
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def is_schedule_document(document: object) -> bool:
    return isinstance(document, dict) and document.get("format") == FORMAT


def read_schedule(path: Path) -> Schedule:
    """The schedule in `path`; raises InputProblems naming the field and what was expected."""
    label, problems = str(path), Collector()
    document = None if too_large(path, label, problems) else parse_json(path, label, problems)
    problems.raise_if_any()
    return schedule_from_document(document, label)


def parse_json(path: Path, label: str, problems: Collector) -> Any:
    """The JSON document in `path`, or None when it cannot be read (and why is added to `problems`); the caller has
    checked its size."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(label, message=f"cannot be read: {exc}")
        return None
    except json.JSONDecodeError as exc:
        problems.add(label, Where.of(line=exc.lineno), "", f"not valid JSON: {exc.msg}")
        return None
    except RecursionError:
        problems.add(label, message="is nested too deeply to be a schedule")
        return None
    except ValueError as exc:  # a number too long to convert, for one
        problems.add(label, message=f"not valid JSON: {exc}")
        return None
    if document is None:
        problems.add(label, message="holds only null; expected a JSON object")
    return document


def schedule_from_document(document: object, label: str) -> Schedule:
    """The schedule in an already parsed document (so a reader that sniffed the format parses the file once); raises
    InputProblems naming the field and what was expected."""
    if not isinstance(document, dict) or not is_schedule_document(document):
        raise InputProblems([Problem(label, Where(), "format", f"expected a '{FORMAT}' document written by planner")])
    if document.get("version") != VERSION:
        raise InputProblems(
            [
                Problem(
                    label,
                    Where(),
                    "version",
                    f"version {document.get('version')!r} is not supported; expected {VERSION}",
                )
            ]
        )
    found = Collector()
    schedule = validate(Schedule, document.get("schedule", {}), label, at(Where()), found)
    if schedule is not None:
        for loc, day in values_of(schedule, date):
            if why := outside_years(day):
                found.add(label, Where(), field_path(("schedule", *loc)), why)
    if schedule is None or found:
        raise InputProblems(
            Problem(p.file, p.where, p.field if schedule else f"schedule.{p.field}".rstrip("."), p.message)
            for p in found.problems
        )
    return schedule


def schedule_from_text(text: str, label: str, problems: Collector) -> Schedule | None:
    """The schedule in a document's text (as a workbook's hidden Draft sheet holds it), or None with why added to
    `problems`."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(label, Where.of(line=exc.lineno), "", f"not valid JSON: {exc.msg}")
        return None
    except (RecursionError, ValueError) as exc:
        problems.add(label, message=f"not valid JSON: {exc}")
        return None
    try:
        return schedule_from_document(document, label)
    except InputProblems as found:
        problems.extend(found.problems)
        return None


def recorded(document: object, key: str) -> dict[str, Any] | None:
    """A block a schedule.json records beside the schedule ('solver': how the solve went; 'yardstick': the draft set
    beside past editions), kept when the schedule is exported again; None when it has none."""
    facts = document.get(key) if isinstance(document, dict) else None
    return facts if isinstance(facts, dict) else None
