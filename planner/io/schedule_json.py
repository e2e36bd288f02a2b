"""Read our schedule.json back into a Schedule, with located problems for anything wrong."""

from __future__ import annotations

import json
from pathlib import Path

from planner.domain import Schedule
from planner.errors import InputProblems, Problem
from planner.export.schedule_json import FORMAT, VERSION
from planner.io.validation import validate
from planner.io.yamlfile import too_large


def is_schedule_document(document: object) -> bool:
    return isinstance(document, dict) and document.get("format") == FORMAT


def read_schedule(path: Path) -> Schedule:
    """The schedule in `path`; raises InputProblems naming the field and what was expected."""
    label = str(path)
    if problem := too_large(path, label):
        raise InputProblems([problem])
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputProblems([Problem(label, "", "", f"cannot be read: {exc}")]) from None
    except json.JSONDecodeError as exc:
        raise InputProblems([Problem(label, f"line {exc.lineno}", "", f"not valid JSON: {exc.msg}")]) from None
    return schedule_from_document(document, label)


def schedule_from_document(document: object, label: str) -> Schedule:
    """The schedule in an already parsed document (so a reader that sniffed the format parses the file once)."""
    if not is_schedule_document(document):
        raise InputProblems([Problem(label, "", "format", f"expected a '{FORMAT}' document written by planner")])
    if document.get("version") != VERSION:
        raise InputProblems([Problem(label, "", "version", f"version {document.get('version')!r} is not "
                                     f"supported; expected {VERSION}")])  # fmt: skip
    problems: list[Problem] = []
    schedule = validate(Schedule, document.get("schedule", {}), label, lambda loc: "", problems)
    if schedule is None:
        for index, problem in enumerate(problems):
            problems[index] = Problem(problem.file, problem.where, f"schedule.{problem.field}", problem.message)
        raise InputProblems(problems)
    return schedule
