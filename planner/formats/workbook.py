"""Spreadsheet cells and files as every workbook of ours writes them: text that never runs as a formula, readable
tables, rows tall enough for their wrapped text, and equal bytes for equal content."""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these would be taken for a formula if typed in; stored as text instead."""

LINE_POINTS = 15
"""The height of a line of the default 11 pt text."""
CHARACTERS_PER_WIDTH = 1.0
"""11 pt characters per unit of column width, allowing for word wrapping and a wider substitute font."""

FIXED_TIME = datetime(2000, 1, 1)
"""Stamped as the workbook's created and modified time, so equal content gives equal bytes."""


def text_cell(sheet: Worksheet, row: int, column: int, value: str) -> None:
    """A text cell that stays text: never a formula, even one the user re-enters by editing it. Control characters
    that a workbook cannot hold (all but tab, line feed and carriage return) are dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = sheet.cell(row=row, column=column)
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def style_table(sheet: Worksheet, widths: dict[str, int]) -> None:
    """Bold header, frozen under it, an autofilter over the table, readable column widths, and rows tall enough for
    their wrapped cells."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for number, header in enumerate((c.value for c in sheet[1]), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = widths.get(str(header), 14)
    fit_rows(sheet, first_row=2)


def wrapped_lines(text: str, width: float, characters_per_width: float = CHARACTERS_PER_WIDTH) -> int:
    """About how many lines `text` takes wrapped in a column `width` wide (erring towards one too many)."""
    per_line = max(1, int(width * characters_per_width))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def fit_rows(sheet: Worksheet, first_row: int) -> None:
    """Heights for rows with wrapped cells of several lines: neither Excel nor LibreOffice grows a row on opening."""
    for row in sheet.iter_rows(min_row=first_row):
        lines = max(
            (
                wrapped_lines(str(cell.value), sheet.column_dimensions[cell.column_letter].width)
                for cell in row
                if cell.value is not None and cell.alignment.wrap_text
            ),
            default=1,
        )
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_POINTS + 3


def workbook_bytes(workbook: Workbook) -> bytes:
    """The saved workbook with fixed timestamps (in the document properties and the zip entries): equal content,
    equal bytes, run after run."""
    buffer = io.BytesIO()
    workbook.properties.created = FIXED_TIME
    workbook.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    output = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return output.getvalue()
