"""The `Clashes` sheet: the checker's findings as a workbook sheet (in agenda.xlsx, or alone for `planner check
--format xlsx`), a row per finding with the same cells as the Markdown report and where each session is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.check.model import Agenda, Finding
from planner.check.report import HEADERS, cells
from planner.formats.workbook import style_table, text_cell, workbook_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook

CLASHES = "Clashes"


def write_clashes_sheet(workbook: Workbook, findings: Sequence[Finding], agenda: Agenda) -> None:
    """Add the Clashes sheet: one row per finding, a line per session in the session, time and room cells."""
    from openpyxl.styles import Alignment

    sheet = workbook.create_sheet(CLASHES)
    headers = (*HEADERS, "where")
    for column, header in enumerate(headers, start=1):
        text_cell(sheet, 1, column, header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, finding in enumerate(findings, start=2):
        values = [*cells(finding, agenda.zone, "\n"), "\n".join(p.where for p in finding.sessions if p.where)]
        for column, value in enumerate(values, start=1):
            text_cell(sheet, row, column, value)
            sheet.cell(row=row, column=column).alignment = wrap
    style_table(
        sheet,
        {
            "severity": 9,
            "finding": 20,
            "who or what": 26,
            "detail": 40,
            "sessions": 50,
            "when": 24,
            "room": 18,
            "where": 22,
        },
    )


def xlsx_report(findings: Sequence[Finding], agenda: Agenda) -> bytes:
    """A workbook holding the Clashes sheet alone."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    write_clashes_sheet(workbook, findings, agenda)
    return workbook_bytes(workbook)
