"""agenda.xlsx: the programme as a workbook for organisers, to read on screen, print, filter and edit.

Sheets, in order: a grid per day (named by the day: safe, unique, at most 31 characters), `Sessions` (the layout of
planner/formats/sessions_sheet.py, which `planner check` reads back after hand edits), `People` (each person's
itinerary), `Themes` (sessions of each theme per block), `Attendees` (who loses what, when the conference has an
interest table: planner/export/attendees_sheet.py), `Clashes` (the checker's findings), `Not in the programme`
(every session left out, with why and, when cancelled, where it was; a line saying so when none is), and the hidden
`About` and `Draft` (the schedule itself, so the workbook alone carries what a check or a re-plan needs).
Every sheet has a frozen header and prints on landscape A4, its header repeated and its name and page number in the
footer: a table fitted to the page width, a day on one page when it fits at a readable size, a wider day in groups of
rooms a page across (the time column repeated on each), a longer one on more pages down.

Every piece of user text goes through `text_cell`, so none runs as a formula. Equal schedules give equal bytes, with
or without lxml installed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from planner.check.model import Agenda, Context
from planner.check.rules import check
from planner.check.schedule import schedule_agenda
from planner.clock import time_span
from planner.domain import Assignment, BlockType, Day, Schedule
from planner.export.agenda import Card, Cell, DayGrid, day_grids
from planner.export.attendees_sheet import ATTENDEES, write_attendees_sheet
from planner.export.clashes_sheet import CLASHES, write_clashes_sheet
from planner.formats.sessions_sheet import ABOUT, DATE_FORMAT, DRAFT, TIME_FORMAT, sheet_order, write_sessions_sheet
from planner.formats.sessions_sheet import SHEET as SESSIONS
from planner.formats.workbook import (
    FONT,
    print_setup,
    printable_points,
    rows_points,
    style_table,
    text_cell,
    workbook_bytes,
    wrapped_lines,
)
from planner.programme import Names, in_order, left_out, plan_days, where_it_was

PEOPLE = "People"
THEMES = "Themes"
LEFT_OUT = "Not in the programme"
RESERVED = (SESSIONS, PEOPLE, THEMES, ATTENDEES, CLASHES, LEFT_OUT, ABOUT, DRAFT, "History")
"""Sheet names a day may not take ('History' is reserved by Excel)."""
MAX_SHEET_NAME = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

GRID_HEADER_ROW = 2
"""A day sheet: its title in row 1, 'Time' and the room names in row 2, then a row per block."""
GRID_FIRST_ROW = 3
TIME_WIDTH = 13
ROOM_WIDTH = 30
LINE_POINTS = 13
"""The height of one line of 10 pt text (Excel gives 12.75 points, LibreOffice less)."""
CHARS_PER_WIDTH = 1.1
"""10 pt characters per unit of column width, allowing for a wider substitute font."""
ROOMS_PER_PAGE = 4
"""The most room columns a printed page of a day shows: four 30-character rooms and the time column print on
landscape A4 at full size in Excel (10 pt text), and at about 85 % where LibreOffice lays Calibri out in a wider
font; a wider day prints in groups of rooms, a page across each."""
MIN_SCALE = 0.7
"""The smallest print scale at which a day is shrunk to fit one page down (10 pt text printed at 7 pt); a longer day
takes more pages down, its header repeated."""

PEOPLE_COLUMNS = ("person", "organisation", "day", "start", "end", "room", "role", "title")
THEME_LEADING = ("day", "time", "block")
LEFT_OUT_COLUMNS = ("id", "title", "kind", "reason", "was")
NOTHING_LEFT_OUT = "No session is left out of the programme."
CLASH_FILL, CLASH_INK = "FFC7CE", "9C0006"
BREAK_FILL, CLOSED_FILL, HEADER_FILL, BAND_FILL = "D9D9D9", "F2F2F2", "DDE3EA", "F2F2F2"
_EDGE = Side(style="thin", color="FF8C8C8C")
BORDER = Border(left=_EDGE, right=_EDGE, top=_EDGE, bottom=_EDGE)
TOP_WRAP = Alignment(wrap_text=True, vertical="top")


def agenda_workbook(schedule: Schedule) -> bytes:
    """The workbook's bytes: day grids, Sessions, People, Themes, Attendees (with an interest table), Clashes, Not in
    the programme and the hidden About and Draft sheets."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    names = Names(schedule)
    grids, _ = day_grids(schedule, names)
    kinds = [kind.label for kind in schedule.conference.kinds]
    for title, grid in zip(day_sheet_names(schedule.conference.days), grids, strict=True):
        _write_day(workbook.create_sheet(title), schedule.conference.name, grid, kinds)
    print_setup(write_sessions_sheet(workbook, schedule), rows="1:1", grid_lines=True)
    _write_people(workbook.create_sheet(PEOPLE), schedule, names)
    _write_themes(workbook.create_sheet(THEMES), schedule, names)
    write_attendees_sheet(workbook, schedule)
    agenda, context = clash_agenda(schedule)
    write_clashes_sheet(workbook, check(agenda, context), agenda)
    print_setup(workbook[CLASHES], rows="1:1", grid_lines=True)
    _write_left_out(workbook.create_sheet(LEFT_OUT), schedule, names)
    for hidden in (ABOUT, DRAFT):  # last, in this order
        workbook.move_sheet(hidden, offset=len(workbook.sheetnames) - 1 - workbook.sheetnames.index(hidden))
    workbook.active = 0
    workbook.worksheets[0].sheet_view.tabSelected = True
    return workbook_bytes(workbook)


def clash_agenda(schedule: Schedule) -> tuple[Agenda, Context]:
    """The schedule as the checker sees it, each session placed at its row of the Sessions sheet: the findings name
    the rows `planner check` would name reading this workbook, whatever order the schedule lists its sessions in.
    """
    ordered = schedule.model_copy(update={"assignments": tuple(sheet_order(schedule))})
    agenda, context = schedule_agenda(ordered)
    items = tuple(replace(item, where=f"sheet {SESSIONS}, row {row}") for row, item in enumerate(agenda.items, start=2))
    return replace(agenda, items=items), context


def day_sheet_names(days: Sequence[Day]) -> list[str]:
    """A sheet name per day: the day's name without the characters Excel refuses, at most 31 characters, never one
    of the other sheets' names, unique ignoring case (a second 'Day 1' becomes 'Day 1 (2)')."""
    taken = {name.casefold() for name in RESERVED}
    chosen = []
    for day in days:
        base = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", day.name).split())[:MAX_SHEET_NAME].strip(" '") or day.id
        name, number = base[:MAX_SHEET_NAME], 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = base[: MAX_SHEET_NAME - len(suffix)].rstrip(" '") + suffix
        taken.add(name.casefold())
        chosen.append(name)
    return chosen


# Day grids ---------------------------------------------------------------------------------------------------------


def _write_day(sheet: Worksheet, conference: str, grid: DayGrid, kind_order: list[str]) -> None:
    """Time rows, room columns; a plenary spans every room, a break the whole row, a long session its blocks. A wide
    day prints in groups of rooms, a group a page across: each group has its own title, and a plenary or a break is
    written in each group it spans, so no printed page shows half of one."""
    groups = room_groups(len(grid.rooms))
    for column in [1] if len(groups) == 1 else [2 + group.start for group in groups]:
        text_cell(sheet, 1, column, f"{conference}: {grid.name}, {grid.date}")
        sheet.cell(row=1, column=column).font = _font(bold=True, size=14)
    sheet.row_dimensions[1].height = 24
    for column, header in enumerate(("Time", *grid.rooms), start=1):
        _header_cell(sheet, GRID_HEADER_ROW, column, header)
    sheet.row_dimensions[GRID_HEADER_ROW].height = _height(grid.rooms, ROOM_WIDTH)
    sheet.column_dimensions["A"].width = TIME_WIDTH
    for column in range(2, groups[-1].stop + 2):
        sheet.column_dimensions[get_column_letter(column)].width = ROOM_WIDTH
    needs: list[tuple[Cell, float]] = []
    for number, row in enumerate(grid.rows):
        text_cell(sheet, GRID_FIRST_ROW + number, 1, row.time)
        time = sheet.cell(row=GRID_FIRST_ROW + number, column=1)
        time.font, time.alignment, time.border = _font(bold=True, size=10), Alignment(vertical="top"), BORDER
        for cell in (piece for whole in row.cells for piece in _pieces(whole, groups)):
            text = _write_grid_cell(sheet, cell)
            needs.append((cell, _height([text], ROOM_WIDTH * cell.colspan) if text else LINE_POINTS + 6))
    _fit_rows(sheet, needs, len(grid.rows))
    cards = [card for row in grid.rows for cell in row.cells for card in cell.cards] + list(grid.loose)
    after = _write_loose(sheet, GRID_FIRST_ROW + len(grid.rows) + 1, grid.loose)
    _write_legend(sheet, after, cards, kind_order, groups)
    sheet.freeze_panes = sheet.cell(row=GRID_FIRST_ROW, column=2).coordinate
    _print_day(sheet, groups)


def room_groups(rooms: int) -> list[range]:
    """The room columns (from 0) each printed page of a day shows: every room when at most ROOMS_PER_PAGE, else as
    few pages as will do, each filled in turn with as many rooms as the fewest pages need (20 rooms: 4 on each of 5
    pages; 6: 3 and 3; 10: 4, 4 and 2). That is also where Excel breaks a day fitted to that many pages across, as it
    ignores manual breaks when fitting."""
    count = max(1, rooms)
    size = math.ceil(count / math.ceil(count / ROOMS_PER_PAGE))
    return [range(first, min(first + size, count)) for first in range(0, count, size)]


def _pieces(cell: Cell, groups: Sequence[range]) -> list[Cell]:
    """The cell cut at the edges of the room groups, each piece with all of the cell's text."""
    return [
        replace(cell, left=max(cell.left, group.start), right=min(cell.right, group.stop))
        for group in groups
        if group.start < cell.right and cell.left < group.stop
    ]


def _print_day(sheet: Worksheet, groups: Sequence[range]) -> None:
    """A page across per group of rooms (a break before each group, the time column repeated) and, when the day
    fits at a readable size, one page down: one sheet per day, or per day and group of rooms, to pin on a wall."""
    print_setup(sheet, rows=f"1:{GRID_HEADER_ROW}", columns="A:A")
    for group in groups[1:]:
        sheet.col_breaks.append(Break(id=1 + group.start))
    sheet.page_setup.fitToWidth = len(groups)
    sheet.page_setup.fitToHeight = 1 if printable_points()[1] >= rows_points(sheet) * MIN_SCALE else 0


def _write_grid_cell(sheet: Worksheet, cell: Cell) -> str:
    """Write one rectangle of the grid (merged when it spans) and return its text."""
    top, left = GRID_FIRST_ROW + cell.top, 2 + cell.left
    text = "\n\n".join(_card_text(card) for card in cell.cards) or "\n".join(note for note in cell.notes if note)
    if text:
        text_cell(sheet, top, left, text)
    target = sheet.cell(row=top, column=left)
    target.border = BORDER
    target.alignment = Alignment(
        wrap_text=True,
        vertical="top" if cell.cards else "center",
        horizontal="left" if cell.cards and not cell.plenary else "center",
    )
    if cell.cards:
        colour, ink = cell.cards[0].colour, cell.cards[0].ink
        target.fill = _fill(colour[1:])
        target.font = _font(size=10, color="FF" + ink[1:].upper())
    elif cell.state in ("break", "closed"):
        target.fill = _fill(BREAK_FILL if cell.state == "break" else CLOSED_FILL)
        target.font = _font(size=10, italic=True)
    if cell.rowspan > 1 or cell.colspan > 1:
        sheet.merge_cells(
            start_row=top, start_column=left, end_row=GRID_FIRST_ROW + cell.bottom - 1, end_column=1 + cell.right
        )
    return text


def _card_text(card: Card) -> str:
    """The title, then the chair and speakers; a plenary also names its room (it spans every room column)."""
    lines = [card.title]
    if card.chair:
        lines.append(f"Chair: {card.chair}")
    if card.speakers:
        lines.append(f"Speakers: {', '.join(card.speakers)}")
    if card.plenary:
        lines.append(card.room)
    return "\n".join(lines)


def _fit_rows(sheet: Worksheet, needs: list[tuple[Cell, float]], rows: int) -> None:
    """Row heights that show every cell's text: one-row cells first, then taller rows for spanning cells."""
    heights: list[float] = [LINE_POINTS + 6] * rows
    for cell, need in needs:
        if cell.rowspan == 1:
            heights[cell.top] = max(heights[cell.top], need)
    for cell, need in needs:
        short = need - sum(heights[cell.top : cell.bottom])
        for row in range(cell.top, cell.bottom) if short > 0 else ():
            heights[row] += short / cell.rowspan
    for row, height in enumerate(heights):
        sheet.row_dimensions[GRID_FIRST_ROW + row].height = round(height, 1)


def _write_loose(sheet: Worksheet, row: int, loose: Sequence[Card]) -> int:
    """Sessions on the day but outside its blocks, listed under the grid; returns the next free row."""
    if not loose:
        return row
    text_cell(sheet, row, 1, "Outside the day's blocks")
    sheet.cell(row=row, column=1).font = _font(bold=True)
    for number, card in enumerate(loose, start=row + 1):
        for column, value in enumerate((card.time, card.room, card.title), start=1):
            text_cell(sheet, number, column, value)
    return row + len(loose) + 2


def _write_legend(
    sheet: Worksheet, row: int, cards: Sequence[Card], kind_order: list[str], groups: Sequence[range]
) -> None:
    """The kinds the day shows, each in its colour, in the conference's order across each group's room columns."""
    colours = {card.kind: (card.colour, card.ink) for card in cards}
    rank = {label: number for number, label in enumerate(kind_order)}
    kinds = sorted(colours, key=lambda label: (rank.get(label, len(rank)), label))
    if not kinds:
        return
    text_cell(sheet, row, 1, "Kinds")
    sheet.cell(row=row, column=1).font = _font(bold=True)
    for group in groups:
        for number, label in enumerate(kinds):
            target_row, column = row + number // len(group), 2 + group.start + number % len(group)
            text_cell(sheet, target_row, column, label)
            cell = sheet.cell(row=target_row, column=column)
            colour, ink = colours[label]
            cell.fill, cell.font, cell.border = _fill(colour[1:]), _font(size=10, color="FF" + ink[1:].upper()), BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center")


# People and themes -------------------------------------------------------------------------------------------------


def _write_people(sheet: Worksheet, schedule: Schedule, names: Names) -> None:
    """Each person's sessions in time order, a row each, people by name; alternate people shaded."""
    zone = schedule.conference.zone
    organisations = {person.id: person.organisation or "" for person in schedule.people}
    itineraries: dict[str, list[tuple[Assignment, str]]] = {}
    for assignment in in_order(schedule, schedule.assignments):
        session = assignment.session
        for person in session.people:
            roles = [
                role
                for role, yes in (("chair", person == session.chair), ("speaker", person in session.speakers))
                if yes
            ]
            itineraries.setdefault(person, []).append((assignment, "; ".join(roles)))
    for column, header in enumerate(PEOPLE_COLUMNS, start=1):
        text_cell(sheet, 1, column, header)
    row = 2
    people = sorted(itineraries, key=lambda p: (names.person(p).casefold(), names.person(p), p))
    for number, person in enumerate(people):
        for assignment, role in itineraries[person]:
            start, end = assignment.start.astimezone(zone), assignment.end.astimezone(zone)
            texts = {
                1: names.person(person),
                2: organisations.get(person, ""),
                6: names.room(assignment.room),
                7: role,
                8: assignment.session.title,
            }
            for column, value in texts.items():
                if value:
                    text_cell(sheet, row, column, value)
            for column, moment, number_format in (
                (3, start.date(), DATE_FORMAT),
                (4, start.time(), TIME_FORMAT),
                (5, end.time(), TIME_FORMAT),
            ):
                sheet.cell(row=row, column=column, value=moment).number_format = number_format
            for cell in sheet[row]:
                cell.alignment = TOP_WRAP
                if number % 2:
                    cell.fill = _fill(BAND_FILL)
            row += 1
    style_table(
        sheet, {"person": 26, "organisation": 36, "day": 12, "start": 8, "end": 8, "room": 20, "role": 15, "title": 80}
    )
    print_setup(sheet, rows="1:1", grid_lines=True)


def theme_counts(schedule: Schedule) -> dict[str, Counter[str]]:
    """Block id -> theme id -> how many sessions of the theme run in the block (a long session counts in each of its
    blocks; a session listing a theme twice counts once)."""
    counts: dict[str, Counter[str]] = {block.id: Counter() for block in schedule.conference.blocks}
    for plan in plan_days(schedule)[0]:
        for assignment, rows in plan.placed:
            for row in rows:
                counts[plan.day.blocks[row].id].update(dict.fromkeys(assignment.session.themes, 1))
    return counts


def _write_themes(sheet: Worksheet, schedule: Schedule, names: Names) -> None:
    """A row per block with sessions (in time order), a column per theme; a theme twice in a parallel block shaded."""
    conference = schedule.conference
    counts = theme_counts(schedule)
    used = {theme for counter in counts.values() for theme in counter}
    themes = [theme.id for theme in conference.themes]
    themes += sorted(used - set(themes))
    headers = (*THEME_LEADING, *(names.theme(theme) for theme in themes))
    for column, header in enumerate(headers, start=1):
        text_cell(sheet, 1, column, header)
    day_names = {block.id: day.name for day in conference.days for block in day.blocks}
    blocks = sorted((b for b in conference.blocks if b.type is not BlockType.BREAK), key=lambda b: b.start)
    for row, block in enumerate(blocks, start=2):
        span = time_span(block.start, block.end, conference.zone)
        for column, value in enumerate((day_names[block.id], span, block.name or block.type.value), start=1):
            text_cell(sheet, row, column, value)
        for column, theme in enumerate(themes, start=len(THEME_LEADING) + 1):
            count = counts[block.id][theme]
            cell = sheet.cell(row=row, column=column, value=count or None)
            cell.alignment = Alignment(horizontal="center")
            if count >= 2 and block.type is BlockType.PARALLEL:
                cell.fill, cell.font = _fill(CLASH_FILL), _font(bold=True, color="FF" + CLASH_INK)
    style_table(sheet, {"day": 12, "time": 12, "block": 16})
    sheet.freeze_panes = sheet.cell(row=2, column=len(THEME_LEADING) + 1).coordinate
    longest = max((len(names.theme(theme)) for theme in themes), default=0)
    sheet.row_dimensions[1].height = min(200, max(40, math.ceil(longest / 2) * 6.5 + 12))
    for column in range(len(THEME_LEADING) + 1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 7
        sheet.cell(row=1, column=column).alignment = Alignment(text_rotation=90, wrap_text=True, horizontal="center")
    note = len(blocks) + 3
    text_cell(sheet, note, 1, "Shaded: two or more sessions of a theme in one parallel block (a theme clash).")
    sheet.cell(row=note, column=1).font = _font(italic=True)
    print_setup(sheet, rows="1:1", columns="A:C", grid_lines=True)


def _write_left_out(sheet: Worksheet, schedule: Schedule, names: Names) -> None:
    """A row per session the schedule leaves out, cancelled ones first: its id, title, kind, why, and where an
    earlier schedule had it. Nothing proposed is missing from the workbook: it is here or on the Sessions sheet.
    With nothing left out, a line says so (an empty table would print as a blank page)."""
    items = left_out(schedule)
    if not items:
        text_cell(sheet, 1, 1, NOTHING_LEFT_OUT)
        sheet.cell(row=1, column=1).font = _font(italic=True)
        print_setup(sheet, rows=None)
        return
    for column, header in enumerate(LEFT_OUT_COLUMNS, start=1):
        text_cell(sheet, 1, column, header)
    for row, item in enumerate(items, start=2):
        session = item.session
        was = where_it_was(schedule, names, item.was) if item.was else ""
        for column, value in enumerate((session.id, session.title, names.kind(session.kind), item.reason, was), 1):
            if value:
                text_cell(sheet, row, column, value)
        for cell in sheet[row]:
            cell.alignment = TOP_WRAP
    style_table(sheet, {"id": 22, "title": 50, "kind": 16, "reason": 60, "was": 40})
    print_setup(sheet, rows="1:1", grid_lines=True)


# Shared ------------------------------------------------------------------------------------------------------------


def _header_cell(sheet: Worksheet, row: int, column: int, value: str) -> None:
    text_cell(sheet, row, column, value)
    cell = sheet.cell(row=row, column=column)
    cell.font, cell.fill, cell.border = _font(bold=True), _fill(HEADER_FILL), BORDER
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _font(**style: Any) -> Font:
    return Font(name=FONT, **style)


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color="FF" + rgb.upper(), end_color="FF" + rgb.upper())


def _height(texts: Sequence[str], width: float) -> float:
    """Points a wrapped 10 pt cell of `width` needs to show the tallest of `texts`."""
    return max((wrapped_lines(text, width, CHARS_PER_WIDTH) for text in texts), default=1) * LINE_POINTS + 6
