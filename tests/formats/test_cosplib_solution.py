"""`planner export --format cosplib`: a paper conference drafted from a CoSPLib workbook (written by the tests) is
written back as CoSPLib's solution workbook, laid out as CoSPLib's checker reads it: the periods-by-rooms grid of
tracks, a blank row, then one row per period and time slot with the talk in each room."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import openpyxl

from planner.formats.cosplib import solution_workbook
from planner.io.folder import load_folder
from planner.solve.run import draft
from planner.sources.cosplib import import_cosplib
from tests.sources.test_cosplib import write_workbook


def test_a_drafted_paper_conference_as_cosplibs_solution_workbook(tmp_path: Path):
    import_cosplib(write_workbook(tmp_path / "TINY.xlsx"), tmp_path / "tiny", lambda line: None)
    answer = draft(load_folder(tmp_path / "tiny"))
    data = solution_workbook(answer.schedule)
    assert data == solution_workbook(answer.schedule)  # the same bytes for the same programme
    rows = [tuple(r) for r in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == (None, "Room A", "Room B")
    assert [r[0] for r in rows[1:3]] == ["Mon1", "Tue1"] and rows[3] == (None, None, None)
    slots = rows[4:]
    assert [r[0] for r in slots] == ["Mon1"] * 3 + ["Tue1"] * 2
    talks = Counter(cell for row in slots for cell in row[1:] if cell)
    assert talks == {"s1": 1, "s2": 1, "s3": 2, "s4": 1}  # s3 takes two slots
    tracks = {"s1": "Forecasting", "s2": "Forecasting", "s3": "Energy", "s4": "Energy"}
    for period, grid_row in enumerate(rows[1:3]):
        for column in (1, 2):
            held = {tracks[row[column]] for row in slots if row[0] == grid_row[0] and row[column]}
            assert held <= {grid_row[column]}, (period, column)  # the talks there are of the track the grid names
    assert all(row[2] is None for row in slots if row[0] == "Tue1")  # Room B is closed on Tuesday
