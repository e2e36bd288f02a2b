"""The `Sessions` sheet: the one definition of its layout, which organisers edit by hand and `planner check` reads back.

One row per placed session: id, day, start, end, room, kind, title, chair, speakers, themes. Day, start and end are
real Excel date and time cells in the conference's local time; the room and people by name; the kind and themes by
id; lists separated by ';'. A hidden `About` sheet records the conference and its time zone, so the sheet's wall-clock
times mean one thing wherever the file is opened. Text that a spreadsheet would run as a formula (= + - @, tab, CR
first) is stored and shown as text.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

from planner.domain import Assignment, Schedule

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHEET = "Sessions"
COLUMNS = ("id", "day", "start", "end", "room", "kind", "title", "chair", "speakers", "themes")
LIST_SEPARATOR = "; "
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"

ABOUT = "About"
FORMAT = "planner.sessions"
VERSION = 1
ABOUT_KEYS = ("format", "version", "conference", "edition", "timezone")
"""The About sheet's rows: a key in column A, its value in column B."""

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


def sheet_order(schedule: Schedule) -> list[Assignment]:
    """The assignments in the sheet's row order (from row 2): by start, room name, then session id."""
    rooms = {room.id: room.name for room in schedule.conference.rooms}
    return sorted(schedule.assignments, key=lambda a: (a.start, rooms.get(a.room, a.room), a.session.id))


def write_sessions_sheet(workbook: Workbook, schedule: Schedule) -> Worksheet:
    """Add the Sessions sheet (and the hidden About sheet) to `workbook`, sessions in time order."""
    from openpyxl.styles import Alignment

    conference = schedule.conference
    zone, rooms = conference.zone, {room.id: room.name for room in conference.rooms}
    names = {person.id: person.name for person in schedule.people}
    sheet = workbook.create_sheet(SHEET)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, header in enumerate(COLUMNS, start=1):
        text_cell(sheet, 1, column, header)
    for row, assignment in enumerate(sheet_order(schedule), start=2):
        session = assignment.session
        start, end = assignment.start.astimezone(zone), assignment.end.astimezone(zone)
        for column, value, number_format in (
            (2, start.date(), DATE_FORMAT),
            (3, start.time(), TIME_FORMAT),
            (4, end.time(), TIME_FORMAT),
        ):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.number_format = number_format
        texts = {
            1: session.id,
            5: rooms.get(assignment.room, assignment.room),
            6: session.kind,
            7: session.title,
            8: names.get(session.chair, session.chair) if session.chair else "",
            9: LIST_SEPARATOR.join(names.get(p, p) for p in session.speakers),
            10: LIST_SEPARATOR.join(session.themes),
        }
        for column, value in texts.items():
            if value:
                text_cell(sheet, row, column, value)
        for cell in sheet[row]:
            cell.alignment = wrap
    style_table(
        sheet,
        {
            "id": 22,
            "day": 12,
            "start": 8,
            "end": 8,
            "room": 20,
            "kind": 14,
            "title": 50,
            "chair": 24,
            "speakers": 40,
            "themes": 36,
        },
    )
    _write_about(workbook, schedule)
    return sheet


def _write_about(workbook: Workbook, schedule: Schedule) -> None:
    if ABOUT in workbook.sheetnames:
        return
    about = workbook.create_sheet(ABOUT)
    conference = schedule.conference
    values = (FORMAT, str(VERSION), conference.name, conference.edition, conference.timezone)
    for row, (key, value) in enumerate(zip(ABOUT_KEYS, values, strict=True), start=1):
        text_cell(about, row, 1, key)
        text_cell(about, row, 2, value)
    about.sheet_state = "hidden"


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
