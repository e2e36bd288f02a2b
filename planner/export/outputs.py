"""Every output of a programme in one folder: what `planner draft` and `planner export` write.

Each file is written atomically; the documents are all rendered before the first is written, so a rendering
failure leaves the folder as it was. A run killed while writing leaves every file either as it was or as this run
wrote it, never half written; the temporary files such a run leaves behind are removed by the next one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from planner.domain import Schedule
from planner.export.agenda_html import agenda_html
from planner.export.agenda_md import agenda_markdown
from planner.export.agenda_xlsx import agenda_workbook
from planner.export.atomic import remove_leftovers, write_all_atomic
from planner.export.ical import FOLDERS, calendar_files, stale_calendars
from planner.export.notices import FOLDER as NOTICES
from planner.export.notices import stale_notices
from planner.formats.frab.write import frab_schedule
from planner.formats.frab.write_xml import frab_schedule_xml
from planner.formats.schedule_json import schedule_document
from planner.history.yardstick import Yardstick, as_document


def documents(
    schedule: Schedule,
    solver: dict[str, Any] | None = None,
    base_url: str | None = None,
    yardstick: Yardstick | None = None,
) -> dict[str, str | bytes]:
    """The programme's files other than calendars, by name; `base_url` is where they will be published, `yardstick`
    the programme set beside past editions (in schedule.json, agenda.md and agenda.html)."""
    return {
        "schedule.json": schedule_document(schedule, solver, as_document(yardstick) if yardstick else None),
        "schedule.frab.json": frab_schedule(schedule),
        "schedule.xml": frab_schedule_xml(schedule),
        "agenda.xlsx": agenda_workbook(schedule),
        "agenda.html": agenda_html(schedule, base_url=base_url, yardstick=yardstick),
        "agenda.md": agenda_markdown(schedule, yardstick),
    }


def write_outputs(
    schedule: Schedule,
    out_dir: Path,
    solver: dict[str, Any] | None = None,
    stamp: datetime | None = None,
    extra: Mapping[str, str | bytes] | None = None,
    base_url: str | None = None,
    yardstick: Yardstick | None = None,
) -> list[Path]:
    """Write every output under `out_dir` (and `extra` documents, by name) and return the paths, documents first,
    then the calendars. Everything is rendered before the first file is written, so a failure while rendering
    leaves the folder as it was."""
    rendered: dict[str, str | bytes] = {
        **documents(schedule, solver, base_url, yardstick),
        **(extra or {}),
        **calendar_files(schedule, stamp),
    }
    for folder in (out_dir, *(out_dir / f for f in FOLDERS), out_dir / NOTICES):
        remove_leftovers(folder)
    written = write_all_atomic({out_dir / name: data for name, data in rendered.items()})
    for stale in (*stale_calendars(out_dir, rendered), *stale_notices(out_dir, rendered)):
        stale.unlink()
    return written
