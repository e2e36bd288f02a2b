"""The `Attendees` sheet of agenda.xlsx: who loses what (planner.audience.losses) when the conference has an interest
table.

At the top, the totals: attendees who can attend everything they picked (and their share), picks missed, attendees
by how many picks they miss, and the attendee conflicts the draft's term counts; then the most contested pairs
(the pairs of picked sessions the programme runs at once, the most wanted first, with when); then, per attendee who
misses anything, the picks they miss and why (another pick at the same time, or not in the programme). The
aggregated form names no attendee, so its sheet has the totals and the pairs only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.audience import Losses, losses
from planner.clock import day_time_span
from planner.domain import Schedule
from planner.formats.workbook import FONT, fit_rows, print_setup, text_cell

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

ATTENDEES = "Attendees"
CONTESTED_ROWS = 20
"""The most contested pairs the sheet lists."""
PAIR_HEADERS = ("session", "title", "with session", "title", "attendees", "weight", "when")
MISSING_HEADERS = ("attendee", "picks", "missed", "clashing picks", "not in the programme")
WIDTHS = (18, 40, 18, 40, 30, 9, 30)
NONE_MISSED = "Every attendee can attend everything they picked."


def write_attendees_sheet(workbook: Workbook, schedule: Schedule) -> Worksheet | None:
    """Add the Attendees sheet (see the module docstring); nothing when the conference has no interest table."""
    found = losses(schedule)
    if found is None:
        return None
    sheet = workbook.create_sheet(ATTENDEES)
    titles = {a.session.id: a.session.title for a in schedule.assignments}
    titles |= {u.session.id: u.session.title for u in schedule.unscheduled}
    row = _write_totals(sheet, found)
    row = _write_contested(sheet, row, found, schedule, titles)
    if schedule.conference.audience is not None and schedule.conference.audience.picks:
        _write_missing(sheet, row, found, titles)
    from openpyxl.utils import get_column_letter

    for number, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    fit_rows(sheet, first_row=1)
    print_setup(sheet, rows=None, grid_lines=True)
    return sheet


def _bold(sheet: Worksheet, row: int, column: int, value: str) -> None:
    from openpyxl.styles import Font

    text_cell(sheet, row, column, value)
    sheet.cell(row=row, column=column).font = Font(name=FONT, bold=True)


def _headers(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    for column, header in enumerate(headers, start=1):
        _bold(sheet, row, column, header)


def _write_totals(sheet: Worksheet, found: Losses) -> int:
    """The totals, a label and a value a row; returns the next free row."""
    lines: list[tuple[str, str | int]] = []
    if found.attendees:
        lines += [
            ("Attendees with picks", found.attendees),
            ("Can attend everything they picked", found.served_fully),
            ("Share served fully", f"{found.share_served_fully:.1%}"),
            ("Picks missed", found.missed),
            ("Attendees by picks missed", "; ".join(f"{k}: {v}" for k, v in found.distribution.items())),
        ]
    lines.append(("Attendee conflicts (weighted pairs at once)", found.conflicts))
    for row, (label, value) in enumerate(lines, start=1):
        _bold(sheet, row, 1, label)
        if isinstance(value, int):
            sheet.cell(row=row, column=3, value=value)
        else:
            text_cell(sheet, row, 3, value)
    return len(lines) + 2


def _write_contested(sheet: Worksheet, row: int, found: Losses, schedule: Schedule, titles: dict[str, str]) -> int:
    from openpyxl.styles import Alignment

    shown = found.contested[:CONTESTED_ROWS]
    _bold(sheet, row, 1, f"Most contested pairs ({len(shown)} of {len(found.contested)} run at the same time)")
    if not shown:
        text_cell(sheet, row + 1, 1, "No two picked sessions run at the same time.")
        return row + 3
    _headers(sheet, row + 1, PAIR_HEADERS)
    placed = {a.session.id: a for a in schedule.assignments}
    zone = schedule.conference.zone
    for number, contested in enumerate(shown, start=row + 2):
        first, second = contested.sessions
        start = max(placed[first].start, placed[second].start)
        end = min(placed[first].end, placed[second].end)
        for column, value in enumerate((first, titles.get(first, first), second, titles.get(second, second)), start=1):
            text_cell(sheet, number, column, value)
            sheet.cell(row=number, column=column).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=number, column=5, value=contested.attendees)
        sheet.cell(row=number, column=6, value=contested.weight)
        text_cell(sheet, number, 7, day_time_span(start, end, zone))
    return row + 3 + len(shown)


def _write_missing(sheet: Worksheet, row: int, found: Losses, titles: dict[str, str]) -> None:
    from openpyxl.styles import Alignment

    _bold(sheet, row, 1, f"Who misses what ({len(found.missing)} attendees)")
    if not found.missing:
        text_cell(sheet, row + 1, 1, NONE_MISSED)
        return
    _headers(sheet, row + 1, MISSING_HEADERS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, missing in enumerate(found.missing, start=row + 2):
        text_cell(sheet, number, 1, missing.attendee)
        sheet.cell(row=number, column=2, value=missing.picks)
        sheet.cell(row=number, column=3, value=missing.missed)
        for column, sessions in ((4, missing.clashing), (5, missing.left_out)):
            if sessions:
                text_cell(sheet, number, column, "\n".join(f"{s}: {titles.get(s, s)}" for s in sessions))
                sheet.cell(row=number, column=column).alignment = wrap
