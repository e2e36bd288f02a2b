"""agenda.xlsx read back with openpyxl: sheets in order, each session once in its day grid (plenaries and long sessions
merged), the Sessions sheet the checker reads, itineraries, theme counts, clash findings, no formula from any text,
equal bytes with and without lxml. How it prints (and LibreOffice printing it) is in test_agenda_xlsx_print.py."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.check import Severity, check, check_schedule
from planner.check.read import read_agenda
from planner.domain import Assignment, Block, BlockType, Day, Schedule
from planner.export.agenda_xlsx import (
    CLASH_FILL,
    GRID_FIRST_ROW,
    GRID_HEADER_ROW,
    LEFT_OUT,
    MAX_SHEET_NAME,
    NOTHING_LEFT_OUT,
    PEOPLE,
    RESERVED,
    THEMES,
    agenda_workbook,
    day_sheet_names,
)
from planner.formats.workbook import FORMULA_STARTS, LINE_POINTS
from planner.replan import WITHDRAWN
from tests.export.agenda_sample import REPO, at, hostile, soc2025, tiny

SHEETS_AFTER_DAYS = ["Sessions", "People", "Themes", "Clashes", "Not in the programme", "About", "Draft"]
HOSTILE_STARTS = ('=HYPERLINK("http://evil.example/","click")', "+1", "-1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1")


@pytest.fixture(scope="module")
def soc() -> Schedule:
    return soc2025()


def workbook(schedule: Schedule) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(agenda_workbook(schedule)))


def room_columns(sheet: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[GRID_HEADER_ROW][1:] if cell.value}


def merged_at(sheet: Worksheet, row: int, column: int) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) of the merged range starting at the cell, if any."""
    for merged in sheet.merged_cells.ranges:
        if (merged.min_row, merged.min_col) == (row, column):
            return merged.min_row, merged.min_col, merged.max_row, merged.max_col
    return None


def first_lines(book: Workbook, days: int) -> Counter[str]:
    """How often each text is the first line of a cell in the day grids."""
    return Counter(
        str(cell.value).split("\n")[0]
        for sheet in book.worksheets[:days]
        for row in sheet.iter_rows(min_row=GRID_FIRST_ROW)
        for cell in row
        if isinstance(cell.value, str)
    )


def table(sheet: Worksheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if any(value is not None for value in row)]


# Sheets ---------------------------------------------------------------------------------------------------------


def test_sheets_are_the_days_then_the_tables_with_about_and_draft_hidden() -> None:
    book = workbook(tiny())
    assert book.sheetnames == ["Day 1", "Day 2", *SHEETS_AFTER_DAYS]
    assert [sheet.sheet_state for sheet in book.worksheets] == ["visible"] * 7 + ["hidden"] * 2
    assert book.active.title == "Day 1"


def test_day_sheet_names_are_safe_short_and_unique() -> None:
    block = Block(
        id="b",
        type="plenary",
        start=at(date(2030, 3, 28), "09:00"),
        end=at(date(2030, 3, 28), "10:00"),
        rooms=("hall",),
    )
    wanted = ["Day 1", "day 1", "Sessions", "a/b:c*d?[e]\\f", "x" * 40, "x" * 40, "'quoted'", "People", "History"]
    days = [Day(id=f"d{n}", date=date(2030, 3, 28), name=name, blocks=(block,)) for n, name in enumerate(wanted)]
    names = day_sheet_names(days)
    assert names[0] == "Day 1" and names[1] == "day 1 (2)" and names[3] == "a b c d e f"
    assert names[6] == "quoted"
    assert len({name.casefold() for name in names}) == len(names)
    assert not {name.casefold() for name in names} & {name.casefold() for name in RESERVED}
    assert all(0 < len(name) <= MAX_SHEET_NAME and not re.search(r"[\[\]:*?/\\]", name) for name in names)


def test_awkward_day_names_still_make_a_workbook() -> None:
    schedule = tiny()
    conference = schedule.conference
    days = tuple(day.model_copy(update={"name": "Sessions: [day]/" + "z" * 40}) for day in conference.days)
    book = workbook(schedule.model_copy(update={"conference": conference.model_copy(update={"days": days})}))
    assert book.sheetnames[2:] == SHEETS_AFTER_DAYS
    assert book.sheetnames[0] == "Sessions day " + "z" * 18
    assert book.sheetnames[1] == "Sessions day " + "z" * 14 + " (2)"


# Day grids ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tiny", "soc2025"])
def test_each_session_is_once_in_its_day_grid_at_its_block_and_room(name: str, soc: Schedule) -> None:
    schedule = tiny() if name == "tiny" else soc
    days = schedule.conference.days
    book = workbook(schedule)
    titles = first_lines(book, len(days))
    for assignment in schedule.assignments:
        day_number = next(n for n, day in enumerate(days) if day.id == assignment.day)
        day, sheet = days[day_number], book.worksheets[day_number]
        blocks = [n for n, block in enumerate(day.blocks) if block.id in assignment.blocks]
        top, bottom = GRID_FIRST_ROW + blocks[0], GRID_FIRST_ROW + blocks[-1]
        columns = room_columns(sheet)
        plenary = day.blocks[blocks[0]].type is BlockType.PLENARY
        room = next(r.name for r in schedule.conference.rooms if r.id == assignment.room)
        left = 2 if plenary else columns[room]
        right = max(columns.values()) if plenary else left
        cell = sheet.cell(row=top, column=left)
        assert str(cell.value).split("\n")[0] == assignment.session.title, assignment.session.id
        expected = None if (top, left) == (bottom, right) else (top, left, bottom, right)
        assert merged_at(sheet, top, left) == expected, assignment.session.id
        assert titles[assignment.session.title] == 1, assignment.session.title


def test_plenaries_span_every_room_and_long_sessions_their_blocks() -> None:
    book = workbook(tiny())
    day1, day2 = book["Day 1"], book["Day 2"]
    assert room_columns(day1) == {"Main Hall": 2, "Side Room": 3}
    assert merged_at(day1, GRID_FIRST_ROW, 2) == (3, 2, 3, 3)  # the opening keynote, across both rooms
    assert merged_at(day1, GRID_FIRST_ROW + 3, 3) == (6, 3, 7, 3)  # the workshop, over pm1 and pm2
    assert day2.cell(row=GRID_FIRST_ROW, column=2).value.startswith("Closing plenary")


def test_two_sessions_in_one_room_and_block_share_one_cell_and_no_merges_overlap() -> None:
    schedule = tiny()
    talk = schedule.assignments[1]  # 'Data for decisions' in the Main Hall, block am
    intruder = talk.model_copy(
        update={"session": talk.session.model_copy(update={"id": "extra", "title": "Extra"}), "blocks": (), "day": None}
    )
    sheet = workbook(schedule.model_copy(update={"assignments": (*schedule.assignments, intruder)}))["Day 1"]
    assert sheet.cell(row=GRID_FIRST_ROW + 1, column=2).value.split("\n\n")[1].startswith("Extra\n")
    cells = [
        (r, c)
        for m in sheet.merged_cells.ranges
        for r in range(m.min_row, m.max_row + 1)
        for c in range(m.min_col, m.max_col + 1)
    ]
    assert len(cells) == len(set(cells))


def test_a_schedule_without_sessions_still_makes_every_sheet() -> None:
    book = workbook(tiny().model_copy(update={"assignments": (), "unscheduled": ()}))
    assert book.sheetnames == ["Day 1", "Day 2", *SHEETS_AFTER_DAYS]
    assert book["Day 1"].cell(row=GRID_FIRST_ROW + 2, column=2).value == "Lunch"
    assert [table(book[name]) for name in ("Sessions", "People", "Clashes")] == [[], [], []]


def test_breaks_are_merged_rows_across_the_rooms_with_their_time() -> None:
    sheet = workbook(tiny())["Day 1"]
    lunch = GRID_FIRST_ROW + 2
    assert sheet.cell(row=lunch, column=1).value == "11:30–12:30"
    assert sheet.cell(row=lunch, column=2).value == "Lunch"
    assert merged_at(sheet, lunch, 2) == (lunch, 2, lunch, 3)


def test_session_cells_take_their_kind_colour_with_readable_ink_and_a_legend() -> None:
    sheet = workbook(tiny())["Day 1"]
    keynote = sheet.cell(row=GRID_FIRST_ROW, column=2)
    talk = sheet.cell(row=GRID_FIRST_ROW + 1, column=2)
    assert keynote.fill.fgColor.rgb == "FF1F3A93" and keynote.font.color.rgb == "FFFFFFFF"
    assert talk.fill.fgColor.rgb == "FFF5B041" and talk.font.color.rgb == "FF111111"
    assert keynote.alignment.wrap_text
    assert talk.value == "Data for decisions\nChair: Bo Li\nSpeakers: Ana Ruiz, Cem Aydin"
    legend = {
        cell.value: cell.fill.fgColor.rgb
        for row in sheet.iter_rows(min_row=GRID_FIRST_ROW + 6)
        for cell in row
        if isinstance(cell.value, str) and cell.column > 1
    }
    assert legend == {"Keynote": "FF1F3A93", "Talk": "FFF5B041", "Workshop": "FF777777"}


def test_every_sheet_has_a_frozen_header_and_prints_landscape_with_its_header_on_each_page() -> None:
    book = workbook(tiny())
    for sheet in book.worksheets[:-2]:
        assert sheet.freeze_panes is not None, sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        day = sheet.title.startswith("Day")
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == ((1, 1) if day else (1, 0)), sheet.title
        assert sheet.print_title_rows, sheet.title
        assert sheet.oddFooter.center.text.startswith("&A"), sheet.title
    assert book["Day 1"].freeze_panes == "B3" and book["Day 1"].print_title_cols == "$A:$A"


# Sessions, People, Themes, Clashes ------------------------------------------------------------------------------


def test_the_checker_reads_the_sessions_sheet_back_and_finds_no_errors(soc: Schedule, tmp_path: Path) -> None:
    path = tmp_path / "agenda.xlsx"
    path.write_bytes(agenda_workbook(soc))
    agenda, context = read_agenda(path)
    assert len(agenda.items) == len(soc.assignments)
    assert {item.session for item in agenda.items} == {a.session.id for a in soc.assignments}
    assert [f for f in check(agenda, context) if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize("name", ["tiny", "soc2025"])
def test_people_lists_every_chair_and_speaker_with_exactly_their_sessions(name: str, soc: Schedule) -> None:
    schedule = tiny() if name == "tiny" else soc
    people = {person.id: person for person in schedule.people}
    expected: dict[str, list[tuple[object, ...]]] = {}
    for assignment in sorted(schedule.assignments, key=lambda a: a.start):
        session = assignment.session
        for person in session.people:
            role = "chair" if person == session.chair else "speaker"
            expected.setdefault(people[person].name, []).append((session.title, role))
    rows = table(workbook(schedule)[PEOPLE])
    found: dict[str, list[tuple[object, ...]]] = {}
    for row in rows:
        found.setdefault(str(row["person"]), []).append((row["title"], row["role"]))
        starts = [r["start"] for r in rows if r["person"] == row["person"] and r["day"] == row["day"]]
        assert starts == sorted(starts)
    assert found == expected
    assert list(found) == sorted(found, key=str.casefold)


def test_people_rows_give_organisation_day_times_and_room() -> None:
    schedule = tiny()
    schedule = schedule.model_copy(
        update={
            "people": tuple(
                p.model_copy(update={"organisation": "Lab"}) if p.id == "cem" else p for p in schedule.people
            )
        }
    )
    rows = [row for row in table(workbook(schedule)[PEOPLE]) if row["person"] == "Cem Aydin"]
    assert [
        (
            r["organisation"],
            r["day"].date(),
            r["start"].strftime("%H:%M"),
            r["end"].strftime("%H:%M"),
            r["room"],
            r["role"],
        )
        for r in rows
    ] == [
        ("Lab", date(2030, 3, 28), "10:00", "11:30", "Main Hall", "speaker"),
        ("Lab", date(2030, 3, 28), "12:30", "13:30", "Main Hall", "speaker"),
        ("Lab", date(2030, 3, 28), "12:30", "14:30", "Side Room", "chair"),
    ]


@pytest.mark.parametrize("name", ["tiny", "soc2025"])
def test_themes_counts_equal_a_recount_and_parallel_clashes_are_shaded(name: str, soc: Schedule) -> None:
    schedule = tiny() if name == "tiny" else soc
    conference = schedule.conference
    recount: Counter[tuple[str, str]] = Counter()
    for assignment in schedule.assignments:
        for block in assignment.blocks:
            recount.update((block, theme) for theme in set(assignment.session.themes))
    sheet = workbook(schedule)[THEMES]
    label_to_theme = {theme.label: theme.id for theme in conference.themes}
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["day", "time", "block"] and header[3:] == [t.label for t in conference.themes]
    blocks = sorted((b for b in conference.blocks if b.type is not BlockType.BREAK), key=lambda b: b.start)
    found: Counter[tuple[str, str]] = Counter()
    for block, row in zip(blocks, sheet.iter_rows(min_row=2, max_row=len(blocks) + 1), strict=True):
        assert row[1].value == f"{block.start:%H:%M}–{block.end:%H:%M}"
        for cell in row[3:]:
            if cell.value:
                found[(block.id, label_to_theme[header[cell.column - 1]])] = cell.value
            clash = bool(cell.value) and cell.value >= 2 and block.type is BlockType.PARALLEL
            assert (cell.fill.fgColor.rgb == "FF" + CLASH_FILL) == clash, (block.id, cell.coordinate)
    assert found == recount
    if name == "tiny":
        assert found[("am", "data")] == 2


def test_sessions_rows_are_tall_enough_for_every_wrapped_line() -> None:
    schedule = tiny()
    themes = ("public_sector_reform", "wellbeing_public_value", "collaborative_governance")
    first = schedule.assignments[0]
    session = first.session.model_copy(update={"themes": themes})
    schedule = schedule.model_copy(
        update={"assignments": (first.model_copy(update={"session": session}), *schedule.assignments[1:])}
    )
    sheet = workbook(schedule)["Sessions"]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == session.id)
    assert row[9].value == "; ".join(themes)
    assert sheet.row_dimensions[row[0].row].height >= 3 * LINE_POINTS  # a theme a line in a column 36 wide


def test_clashes_sheet_lists_the_checkers_findings() -> None:
    schedule = tiny()
    findings = check_schedule(schedule)
    assert findings, "the tiny schedule has a theme clash to show"
    rows = table(workbook(schedule)["Clashes"])
    assert [(r["severity"], r["finding"], r["who or what"]) for r in rows] == [
        (f.severity.value, f.code, f.subject) for f in findings
    ]


def test_not_in_the_programme_lists_every_session_left_out_with_why_and_where_it_was() -> None:
    rows = table(workbook(tiny())["Not in the programme"])
    assert rows == [
        {
            "id": "gone",
            "title": "Withdrawn panel",
            "kind": "Talk",
            "reason": "Withdrawn by the speakers.",
            "was": "Day 1, 12:30–13:30, Side Room",
        },
        {
            "id": "dropped",
            "title": "Measuring what matters",
            "kind": "Talk",
            "reason": "No room-slot left for an optional talk.",
            "was": None,
        },
    ]


def test_with_nothing_left_out_the_sheet_says_so_in_a_line() -> None:
    sheet = workbook(tiny().model_copy(update={"unscheduled": ()}))[LEFT_OUT]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [[NOTHING_LEFT_OUT]]
    assert sheet.page_setup.orientation == "landscape" and not sheet.print_title_rows


def test_a_proposal_withdrawn_in_a_replan_is_not_reported_missing() -> None:
    schedule = tiny()
    gone = schedule.unscheduled[1]
    withdrawn = schedule.model_copy(update={"unscheduled": (gone.model_copy(update={"reason": WITHDRAWN}),)})
    assert [r["finding"] for r in table(workbook(schedule)["Clashes"])].count("session_missing") == 1
    assert "session_missing" not in [r["finding"] for r in table(workbook(withdrawn)["Clashes"])]
    assert [r["id"] for r in table(workbook(withdrawn)["Not in the programme"])] == ["gone"]


def test_clashes_sheet_names_the_sessions_rows_as_planner_check_does_reading_the_file(
    soc: Schedule, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.xlsx"
    path.write_bytes(agenda_workbook(soc))
    rows = table(openpyxl.load_workbook(path)["Clashes"])
    assert rows, "the SOC25 draft has warnings to show"
    expected = [(f.severity.value, f.code, [p.where for p in f.sessions]) for f in check(*read_agenda(path))]
    assert [(r["severity"], r["finding"], str(r["where"]).split("\n")) for r in rows] == expected


# Hostile text, bytes --------------------------------------------------------------------------------------------


def formula_schedule() -> Schedule:
    """Every title, name, abstract, room, kind and theme label starting the way a formula does."""
    schedule = tiny()
    starts = iter(HOSTILE_STARTS * 20)

    def retitle(assignment: Assignment) -> Assignment:
        prefix = next(starts)
        session = assignment.session.model_copy(
            update={"title": f"{prefix} {assignment.session.id}", "abstract": prefix}
        )
        return assignment.model_copy(update={"session": session})

    def relabel(items: tuple, field: str) -> tuple:
        return tuple(item.model_copy(update={field: f"{next(starts)} {item.id}"}) for item in items)

    conference = schedule.conference
    relabelled = {
        "name": f"{next(starts)} conference",
        "rooms": relabel(conference.rooms, "name"),
        "kinds": relabel(conference.kinds, "label"),
        "themes": relabel(conference.themes, "label"),
    }
    return schedule.model_copy(
        update={
            "conference": conference.model_copy(update=relabelled),
            "people": relabel(schedule.people, "name"),
            "assignments": tuple(retitle(a) for a in schedule.assignments),
        }
    )


def test_text_that_looks_like_a_formula_is_stored_as_text_everywhere() -> None:
    data = agenda_workbook(formula_schedule())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    book = openpyxl.load_workbook(io.BytesIO(data))
    risky = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
    ]
    assert {cell.parent.title for cell in risky} >= {"Day 1", "Sessions", "People", "Themes"}
    assert all(any(cell.value.startswith(start) for cell in risky) for start in HOSTILE_STARTS)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)


def test_control_characters_a_workbook_cannot_hold_are_dropped() -> None:
    schedule = tiny()
    first = schedule.assignments[0]
    session = first.session.model_copy(update={"title": "Opening\x0b keynote\x00"})
    schedule = schedule.model_copy(
        update={"assignments": (first.model_copy(update={"session": session}), *schedule.assignments[1:])}
    )
    book = workbook(schedule)
    assert book["Day 1"].cell(row=GRID_FIRST_ROW, column=2).value.startswith("Opening keynote\n")


WITHOUT_LXML = """
import sys
from pathlib import Path

sys.modules["lxml"] = None  # as on a machine without lxml: openpyxl falls back to the standard library's writer
import openpyxl

assert not openpyxl.LXML
from planner.export.agenda_xlsx import agenda_workbook
from tests.export.test_agenda_xlsx import same_bytes_cases

for name, schedule in same_bytes_cases().items():
    Path(sys.argv[1], name + ".xlsx").write_bytes(agenda_workbook(schedule))
"""


def same_bytes_cases() -> dict[str, Schedule]:
    return {"tiny": tiny(), "hostile": hostile(tiny()), "formula": formula_schedule(), "soc2025": soc2025()}


def test_the_bytes_are_the_same_with_and_without_lxml(tmp_path: Path) -> None:
    """openpyxl writes with lxml when it can import it (the test extras install it) and with the standard library
    otherwise; the workbook must not tell which."""
    if not openpyxl.LXML:
        pytest.skip("openpyxl is not writing with lxml here, so there is no second writer to compare with")
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_LXML, str(tmp_path)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    for name, schedule in same_bytes_cases().items():
        assert (tmp_path / f"{name}.xlsx").read_bytes() == agenda_workbook(schedule), name
    carriage = openpyxl.load_workbook(tmp_path / "formula.xlsx")["Sessions"]
    assert any(cell.value.startswith("\r=1+1") for cell in carriage["G"] if isinstance(cell.value, str))


def test_equal_schedules_give_equal_bytes_whatever_order_they_list_sessions_in(soc: Schedule) -> None:
    assert agenda_workbook(tiny()) == agenda_workbook(tiny())
    assert agenda_workbook(hostile(tiny())) == agenda_workbook(hostile(tiny()))
    assert agenda_workbook(formula_schedule()) == agenda_workbook(formula_schedule())
    reversed_soc = soc.model_copy(update={"assignments": soc.assignments[::-1]})
    assert agenda_workbook(reversed_soc) == agenda_workbook(soc)
