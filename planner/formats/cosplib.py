"""A paper conference's programme as CoSPLib's solution workbook, the file CoSPLib's checker scores (its
`solution.Solution.load_solution`): one sheet, `sol`, with

- a grid of periods by rooms, each cell the track that holds the room then (its label: CoSPLib's track name), and
- after a blank row, one row per period and time slot, each cell the talk in that room
  then (its id: CoSPLib's submission reference).

Periods are written in time order under their names (Block.name, else the period id), rooms in the conference's
order under their names, as the workbook the conference was imported from lists them. CoSPLib (Kheiri, Pylyavskyy
and Jacko; MIT licence): A generic approach to conference scheduling with integer programming, EJOR 317(2), 2024.
"""

from __future__ import annotations

from planner.domain import Schedule
from planner.formats.workbook import text_cell, workbook_bytes

SHEET = "sol"


def _periods(schedule: Schedule) -> list[tuple[str, list[str]]]:
    """(period's name, its blocks in time order), the periods in time order."""
    found: dict[str, tuple[str, list[str]]] = {}
    for block in sorted(schedule.conference.blocks, key=lambda b: b.start):
        if block.period is not None:
            found.setdefault(block.period, (block.name or block.period, []))[1].append(block.id)
    return list(found.values())


def solution_workbook(schedule: Schedule) -> bytes:
    """The schedule's placements as CoSPLib's solution workbook (bytes, equal for equal schedules)."""
    from openpyxl import Workbook

    conference = schedule.conference
    labels = {t.id: t.label for t in conference.paper.tracks} if conference.paper else {}
    rooms = [room.id for room in conference.rooms]
    at: dict[tuple[str, str], tuple[str, str | None]] = {}
    """(block, room) -> the talk there and its track."""
    for assignment in schedule.assignments:
        for block in assignment.blocks:
            at[(block, assignment.room)] = (assignment.session.id, assignment.session.track)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    for column, named in enumerate(conference.rooms, start=2):
        text_cell(sheet, 1, column, named.name)
    periods = _periods(schedule)
    for row, (name, blocks) in enumerate(periods, start=2):
        text_cell(sheet, row, 1, name)
        for column, room in enumerate(rooms, start=2):
            tracks = sorted(track for b in blocks if (b, room) in at and (track := at[(b, room)][1]) is not None)
            if tracks:
                text_cell(sheet, row, column, labels.get(tracks[0], tracks[0]))
    row = len(periods) + 2  # then a blank row
    for name, blocks in periods:
        for block in blocks:
            row += 1
            text_cell(sheet, row, 1, name)
            for column, room in enumerate(rooms, start=2):
                if (block, room) in at:
                    text_cell(sheet, row, column, at[(block, room)][0])
    return workbook_bytes(book)
