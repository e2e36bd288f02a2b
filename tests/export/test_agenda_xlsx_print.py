"""agenda.xlsx on paper: a day on one page when its rooms fit, a wide day in groups of rooms a page across (the time
column and the header repeated, a plenary written in every group), each page's footer naming its sheet, and a line
instead of an empty table when nothing is left out. Then, where LibreOffice and poppler are installed (always under
`make e2e`), the workbook printed to PDF and its pages counted per sheet for the example and a 20-room programme."""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from planner.domain import Assignment, Block, Conference, Day, Person, Room, Schedule, Session, SessionKind
from planner.export.agenda_xlsx import (
    GRID_FIRST_ROW,
    LEFT_OUT,
    NOTHING_LEFT_OUT,
    ROOMS_PER_PAGE,
    agenda_workbook,
    room_groups,
)
from tests.export.agenda_sample import ZONE, soc2025, tiny

ROOMS = 20
"""A 1,000-talk programme (the XL benchmark) runs 20 rooms; the wide programme below has as many on two days."""
LONG_DAY_BLOCKS = 12
PEOPLE = 300
"""Enough that nobody is in two sessions at once or back to back: the Clashes sheet stays short."""
MIN_WORD_HEIGHT = 9.0
"""Points, the median height of the words on a printed grid page: text at about 7 pt or more (LibreOffice lays out
Calibri as DejaVu Sans where Carlito is missing, whose word boxes are 1.3 times the font size). A 20-room day shrunk
to one page width, as the workbook used to print, gives boxes of 2.3 points."""


@dataclass(frozen=True)
class Page:
    sheet: str
    """The sheet the footer names."""
    text: str
    """The page's text laid out as printed."""
    word_height: float
    """The median height of its words' boxes, in points."""


def wide_programme() -> Schedule:
    """Two days in 20 rooms (the first, 'Main Hall', takes the plenaries): day 1 a keynote, two parallel blocks and
    lunch, short enough for one page down; day 2 twelve parallel blocks, too long for one. 281 sessions, each with
    a chair and two or three speakers (as many lines as a real card), no themes."""
    rooms = tuple(
        Room(id=f"r{n:02}", name="Main Hall" if n == 1 else f"Room {n:02}", capacity=100) for n in range(1, ROOMS + 1)
    )
    every = tuple(room.id for room in rooms)
    people = tuple(Person(id=f"p{n}", name=f"Speaker{n} Surname{n}") for n in range(PEOPLE))
    one, two = date(2030, 6, 4), date(2030, 6, 5)

    def moment(day: date, minutes: int) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(minutes=minutes)

    def block(day: date, block_id: str, start: int, minutes: int, kind: str, **more) -> Block:
        return Block(id=block_id, type=kind, start=moment(day, start), end=moment(day, start + minutes), **more)

    first = (
        block(one, "open", 540, 60, "plenary", rooms=("r01",), kinds=("keynote",)),
        block(one, "am", 600, 60, "parallel", rooms=every, kinds=("talk",)),
        block(one, "lunch", 660, 60, "break", name="Lunch"),
        block(one, "pm", 720, 60, "parallel", rooms=every, kinds=("talk",)),
    )
    second = tuple(
        block(two, f"b{n}", 480 + 50 * n, 45, "parallel", rooms=every, kinds=("talk",)) for n in range(LONG_DAY_BLOCKS)
    )
    conference = Conference(
        name="Wide Congress 2030",
        edition="WIDE30",
        timezone="Europe/London",
        venue="Wide Hall",
        rooms=rooms,
        kinds=(SessionKind(id="keynote", label="Keynote", colour="#1f3a93"), SessionKind(id="talk", label="Talk")),
        days=(Day(id="d1", date=one, name="Day 1", blocks=first), Day(id="d2", date=two, name="Day 2", blocks=second)),
    )
    keynote = Session(id="k1", title="Opening keynote", kind="keynote", duration=60, chair="p296", speakers=("p297",))
    assignments = [Assignment(session=keynote, room="r01", start=first[0].start, end=first[0].end, day="d1")]
    slots = [("d1", b) for b in (first[1], first[3])] + [("d2", b) for b in second]
    for number, (day, (slot, room)) in enumerate((d, (b, r)) for d, b in slots for r in every):
        cast = [f"p{(number * 4 + k) % PEOPLE}" for k in range(3 + number % 2)]
        session = Session(
            id=f"t{number:03}",
            title=f"Talk {number:03} on outcomes, evidence and practice",
            kind="talk",
            duration=slot.minutes,
            chair=cast[0],
            speakers=tuple(cast[1:]),
        )
        assignments.append(Assignment(session=session, room=room, start=slot.start, end=slot.end, day=day))
    return Schedule(conference=conference, people=people, assignments=tuple(assignments))


@pytest.fixture(scope="module")
def wide() -> Schedule:
    return wide_programme()


def workbook(schedule: Schedule) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(agenda_workbook(schedule)))


# The workbook's print settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rooms", "sizes"),
    [(0, [1]), (1, [1]), (4, [4]), (5, [3, 2]), (6, [3, 3]), (9, [3, 3, 3]), (10, [4, 4, 2]), (20, [4] * 5)],
)
def test_rooms_are_grouped_a_page_across_at_most_rooms_per_page_each(rooms: int, sizes: list[int]) -> None:
    groups = room_groups(rooms)
    assert [len(group) for group in groups] == sizes
    assert [column for group in groups for column in group] == list(range(max(1, rooms)))
    assert max(sizes) <= ROOMS_PER_PAGE


def test_a_day_whose_rooms_fit_prints_on_one_page() -> None:
    for sheet in workbook(tiny()).worksheets[:2]:
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 1), sheet.title
        assert not sheet.col_breaks.brk, sheet.title


def test_a_wide_day_prints_a_group_of_rooms_a_page_across_with_the_time_column_repeated(wide: Schedule) -> None:
    book = workbook(wide)
    groups = room_groups(ROOMS)
    starts = [2 + group.start for group in groups]  # each group's first room column
    for sheet, tall in ((book["Day 1"], 1), (book["Day 2"], 0)):
        assert [brk.id for brk in sheet.col_breaks.brk] == [start - 1 for start in starts[1:]], sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (len(groups), tall), sheet.title
        assert (sheet.print_title_cols, sheet.print_title_rows) == ("$A:$A", "$1:$2"), sheet.title
        assert [sheet.cell(row=1, column=column).value for column in starts] == [
            f"Wide Congress 2030: {sheet.title}, {'Tuesday 4' if tall else 'Wednesday 5'} June 2030"
        ] * len(groups)
        for merged in sheet.merged_cells.ranges:  # no merged cell runs over a page's edge
            assert any(merged.min_col - 2 in group and merged.max_col - 2 in group for group in groups), merged
    day1 = book["Day 1"]
    keynote = [day1.cell(row=GRID_FIRST_ROW, column=column).value for column in starts]
    assert keynote == ["Opening keynote\nChair: Speaker296 Surname296\nSpeakers: Speaker297 Surname297\nMain Hall"] * 5
    assert [day1.cell(row=GRID_FIRST_ROW + 2, column=column).value for column in starts] == ["Lunch"] * 5
    legend = [cell.value for row in day1.iter_rows(min_row=GRID_FIRST_ROW + 5) for cell in row if cell.column > 1]
    assert [value for value in legend if value] == ["Keynote", "Talk"] * 5


def test_every_sheet_names_itself_in_the_footer_and_has_narrow_margins() -> None:
    for sheet in workbook(tiny()).worksheets[:-2]:  # all but the hidden About and Draft
        assert sheet.oddFooter.center.text == "&A, page &P of &N", sheet.title
        assert (sheet.page_margins.top, sheet.page_margins.bottom) == (0.5, 0.6), sheet.title


# LibreOffice ------------------------------------------------------------------------------------------------------


def program(*names: str) -> str:
    """The first of `names` on PATH; skipped when none is, except under `make e2e` (PLANNER_E2E=1), where a missing
    program is a failure."""
    missing = pytest.fail if os.environ.get("PLANNER_E2E") == "1" else pytest.skip
    found = next((path for name in names if (path := shutil.which(name))), None)
    if found is None:
        missing(f"{' or '.join(names)} is not on PATH (Debian: libreoffice-calc-nogui, poppler-utils; `make e2e`)")
    assert found is not None
    return found


def printed(data: bytes, folder: Path) -> list[Page]:
    """The workbook as LibreOffice prints it (every sheet, in order), a Page per PDF page."""
    office, text = program("soffice", "libreoffice"), program("pdftotext")
    source = folder / "agenda.xlsx"
    source.write_bytes(data)
    done = subprocess.run(
        [
            office,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    pdf = folder / "agenda.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    layout = subprocess.run([text, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    boxes = subprocess.run([text, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    heights = [
        [
            float(bottom) - float(top)
            for top, bottom in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', page)
        ]
        for page in boxes.split("<page ")[1:]
    ]
    texts = layout.split("\f")[: len(heights)]
    pages = []
    for page_text, page_heights in zip(texts, heights, strict=True):
        footer = [line for line in page_text.splitlines() if line.strip()][-1]
        found = re.fullmatch(r"\s*(.+), page \d+ of \d+\s*", footer)
        assert found, footer
        pages.append(Page(found.group(1), page_text, statistics.median(page_heights)))
    return pages


def header_rooms(page: Page) -> list[str]:
    """The room names in the page's header row (the line starting 'Time')."""
    line = next(line for line in page.text.splitlines() if line.split()[:1] == ["Time"])
    return re.findall(r"Main Hall|Room \d\d", line)


@pytest.mark.e2e
def test_libreoffice_prints_each_day_of_the_example_on_one_page(tmp_path: Path) -> None:
    schedule = soc2025()
    assert not schedule.unscheduled, "the example leaves nothing out, so its last sheet is a line saying so"
    pages = printed(agenda_workbook(schedule), tmp_path)
    days = [day.name for day in schedule.conference.days]
    assert [page.sheet for page in pages[: len(days)]] == days  # one page each, in order
    assert all(page.sheet not in days for page in pages[len(days) :])
    assert all(page.word_height >= MIN_WORD_HEIGHT for page in pages[: len(days)]), pages[: len(days)]
    assert all(f"{schedule.conference.name}: {page.sheet}," in page.text for page in pages[: len(days)])
    left_out = [page for page in pages if page.sheet == LEFT_OUT]
    assert len(left_out) == 1 and NOTHING_LEFT_OUT in left_out[0].text
    if render := shutil.which("pdftoppm"):
        subprocess.run(
            [render, "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "agenda.pdf"), str(tmp_path / "page")],
            check=True,
            timeout=120,
        )
        pngs = list(tmp_path.glob("page*.png"))
        assert len(pngs) == 1 and pngs[0].read_bytes().startswith(b"\x89PNG")


@pytest.mark.e2e
def test_libreoffice_prints_a_20_room_day_in_readable_groups_of_rooms(wide: Schedule, tmp_path: Path) -> None:
    pages = printed(agenda_workbook(wide), tmp_path)
    names = [room.name for room in wide.conference.rooms]
    groups = [[names[column] for column in group] for group in room_groups(ROOMS)]
    for day, tall in (("Day 1", 1), ("Day 2", None)):
        day_pages = [page for page in pages if page.sheet == day]
        down = tall or len(day_pages) // len(groups)
        assert down >= 1 and len(day_pages) == down * len(groups), (day, len(day_pages))
        assert [header_rooms(page) for page in day_pages] == [group for group in groups for _ in range(down)], day
        assert all(f"Wide Congress 2030: {day}," in page.text for page in day_pages), day
        assert all(page.word_height >= MIN_WORD_HEIGHT for page in day_pages), [p.word_height for p in day_pages]
    assert sum(page.sheet == "Day 2" for page in pages) > len(groups), "twelve blocks take more than a page down"
    assert all("Opening keynote" in page.text for page in pages if page.sheet == "Day 1")
