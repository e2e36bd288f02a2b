"""schedule.json, our own versioned format: the whole Schedule (conference and people included) plus the solver's
facts; written here and read back here, with located problems for anything wrong."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from planner.clock import outside_years
from planner.domain import Schedule
from planner.errors import InputProblems, Problem
from planner.io.validation import field_path, validate, values_of
from planner.io.yamlfile import too_large

FORMAT = "planner.schedule"
VERSION = 1


def schedule_document(schedule: Schedule, solver: dict[str, Any] | None = None) -> str:
    """The file's text: stable key order and sorted assignments, so equal schedules give equal bytes."""
    ordered = schedule.model_copy(
        update={"assignments": tuple(sorted(schedule.assignments, key=lambda a: (a.start, a.room, a.session.id)))}
    )
    document = {"format": FORMAT, "version": VERSION, "schedule": ordered.model_dump(mode="json")}
    if solver is not None:
        document["solver"] = solver
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def is_schedule_document(document: object) -> bool:
    return isinstance(document, dict) and document.get("format") == FORMAT


def read_schedule(path: Path) -> Schedule:
    """The schedule in `path`; raises InputProblems naming the field and what was expected."""
    label = str(path)
    if problem := too_large(path, label):
        raise InputProblems([problem])
    document, problem = parse_json(path, label)
    if problem:
        raise InputProblems([problem])
    return schedule_from_document(document, label)


def parse_json(path: Path, label: str) -> tuple[Any, Problem | None]:
    """The JSON document in `path`, or None and why it cannot be read (the caller has checked its size)."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig")), None
    except (OSError, UnicodeDecodeError) as exc:
        return None, Problem(label, "", "", f"cannot be read: {exc}")
    except json.JSONDecodeError as exc:
        return None, Problem(label, f"line {exc.lineno}", "", f"not valid JSON: {exc.msg}")
    except RecursionError:
        return None, Problem(label, "", "", "is nested too deeply to be a schedule")
    except ValueError as exc:  # a number too long to convert, for one
        return None, Problem(label, "", "", f"not valid JSON: {exc}")


def schedule_from_document(document: object, label: str) -> Schedule:
    """The schedule in an already parsed document (so a reader that sniffed the format parses the file once)."""
    if not is_schedule_document(document):
        raise InputProblems([Problem(label, "", "format", f"expected a '{FORMAT}' document written by planner")])
    if document.get("version") != VERSION:
        raise InputProblems(
            [Problem(label, "", "version", f"version {document.get('version')!r} is not supported; expected {VERSION}")]
        )
    problems: list[Problem] = []
    schedule = validate(Schedule, document.get("schedule", {}), label, lambda loc: "", problems)
    if schedule is not None:
        problems += [
            Problem(label, "", field_path(("schedule", *loc)), why)
            for loc, day in values_of(schedule, date)
            if (why := outside_years(day))
        ]
    if problems:
        raise InputProblems(
            [
                Problem(p.file, p.where, p.field if schedule else f"schedule.{p.field}".rstrip("."), p.message)
                for p in problems
            ]
        )
    return schedule
