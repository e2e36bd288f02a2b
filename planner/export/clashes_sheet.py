"""The `Clashes` sheet: the checker's findings as a workbook sheet (in agenda.xlsx, or alone for `planner check
--format xlsx`), a row per finding with the same cells as the Markdown report, where each session is included.

With nothing found, a line says so (a header alone would print as a blank page and read as a broken file). Findings
the organiser accepts follow the table apart, under their own title and header, each with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.check.model import Agenda, Finding
from planner.check.report import ACCEPTED_TITLE, HEADERS, REASON, accepted, cells, counted
from planner.formats.workbook import FONT, fit_rows, style_table, text_cell, workbook_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

CLASHES = "Clashes"
NO_CLASHES = "No clashes found."
WIDTHS = {
    "severity": 9,
    "finding": 20,
    "who or what": 26,
    "detail": 40,
    "sessions": 50,
    "when": 24,
    "room": 18,
    "where": 22,
    REASON: 40,
}


def write_clashes_sheet(workbook: Workbook, findings: Sequence[Finding], agenda: Agenda) -> None:
    """Add the Clashes sheet: one row per finding that counts, a line per session in the session, time, room and
    where cells (or one line saying no clash was found); then the accepted findings, if any, with their reasons."""
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(CLASHES)
    live, kept = counted(findings), accepted(findings)
    if live:
        _write_rows(sheet, 1, HEADERS, [cells(f, agenda.zone, "\n") for f in live])
        style_table(sheet, WIDTHS)
    else:
        text_cell(sheet, 1, 1, NO_CLASHES)
        sheet.cell(row=1, column=1).font = Font(name=FONT, italic=True)
    if kept:
        title = sheet.max_row + 2
        text_cell(sheet, title, 1, f"{ACCEPTED_TITLE} ({len(kept)})")
        _write_rows(sheet, title + 1, (*HEADERS, REASON), [cells(f, agenda.zone, "\n") for f in kept])
        for row in (title, title + 1):
            for cell in sheet[row]:
                cell.font = Font(name=FONT, bold=True)
        _set_widths(sheet)
        fit_rows(sheet, first_row=title + 2)


def _write_rows(sheet: Worksheet, first: int, headers: Sequence[str], rows: list[list[str]]) -> None:
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for column, header in enumerate(headers, start=1):
        text_cell(sheet, first, column, header)
    for row, values in enumerate(rows, start=first + 1):
        for column, value in enumerate(values, start=1):
            text_cell(sheet, row, column, value)
            sheet.cell(row=row, column=column).alignment = wrap


def _set_widths(sheet: Worksheet) -> None:
    from openpyxl.utils import get_column_letter

    for number, header in enumerate((*HEADERS, REASON), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = WIDTHS[header]


def xlsx_report(findings: Sequence[Finding], agenda: Agenda) -> bytes:
    """A workbook holding the Clashes sheet alone."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    write_clashes_sheet(workbook, findings, agenda)
    return workbook_bytes(workbook)
