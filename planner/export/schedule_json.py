"""schedule.json, our own versioned format: the whole Schedule (conference and people included) plus solver facts."""

from __future__ import annotations

import json
from typing import Any

from planner.domain import Schedule

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
