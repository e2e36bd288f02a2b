"""The `Sessions` sheet: the one definition of its layout, written into agenda.xlsx and read back after an organiser
edited it by hand.

One row per placed session: id, day, start, end, room, kind, title, chair, speakers, themes. Day, start and end are
real Excel date and time cells in the conference's local time; the room and people by name; the kind and themes by
id; lists separated by ';'. A hidden `About` sheet records the conference and its time zone, so the sheet's wall-clock
times mean one thing wherever the file is opened. Text that a spreadsheet would run as a formula is stored as text.

Read back, the sheet is the source of truth: times, rooms, people, added and deleted rows. Its wall-clock times are in
the zone its `About` sheet names, or the conference's when that sheet is gone; both given and disagreeing is a
problem, never a guess. Cells may be real dates and times or text ('9:30', '2030-06-04', a day's id); whatever cannot
be read is reported by sheet, row and column, every such cell at once. Read with calamine (Rust; no XML entity
expansion), fast enough for thousands of rows, after planner.io.xlsx_guard has refused a zip bomb, a DTD or a vast
sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from planner.clock import local_datetime, parse_clock
from planner.domain import Assignment, Conference, Schedule, zone_named
from planner.errors import Collector, Where
from planner.formats.workbook import style_table, text_cell
from planner.io.tables import MAX_ROWS, MAX_XLSX_UNCOMPRESSED, TOO_MANY_ROWS, split_cell
from planner.io.xlsx_guard import workbook_refused

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

DRAFT = "Draft"
"""A hidden sheet holding the schedule the workbook was written from (our schedule.json, in column A's cells): the
grid, rooms, kinds, themes, people and proposals a check needs, and the placements a person's edits are told from."""
DRAFT_CHUNK = 30_000
"""Characters of the schedule's JSON per cell (a cell holds at most 32,767)."""

EXCEL_TIME_DATES = (date(1899, 12, 30), date(1899, 12, 31), date(1900, 1, 1))
"""The dates Excel gives a cell that holds only a time."""
TIME_EXPECTED = "expected a time such as 09:30"
DATE_EXPECTED = "expected a date such as 2030-03-28"


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
        for column, text in texts.items():
            if text:
                text_cell(sheet, row, column, text)
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
    _write_draft(workbook, schedule)
    return sheet


def _write_draft(workbook: Workbook, schedule: Schedule) -> None:
    """The hidden Draft sheet: the whole schedule as our schedule.json, cut into cells down column A."""
    from planner.formats.schedule_json import schedule_document

    if DRAFT in workbook.sheetnames:
        return
    draft = workbook.create_sheet(DRAFT)
    text = schedule_document(schedule)
    for row, start in enumerate(range(0, len(text), DRAFT_CHUNK), start=1):
        draft.cell(row=row, column=1).value = text[start : start + DRAFT_CHUNK]
        draft.cell(row=row, column=1).data_type = "s"
    draft.sheet_state = "hidden"


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


# Reading back ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """One session row as written, rooms, kinds, themes and names not yet matched to the conference."""

    where: Where
    """'sheet Sessions, row 7'."""
    session: str
    title: str
    kind: str
    start: datetime
    """Aware, in UTC."""
    end: datetime
    room: str
    chair: str | None
    speakers: tuple[str, ...]
    themes: tuple[str, ...]


@dataclass(frozen=True)
class SessionsSheet:
    zone: ZoneInfo
    rows: list[SheetRow]
    draft: Schedule | None = None
    """The schedule the workbook was written from (its hidden Draft sheet), when it has one."""


def read_sessions_sheet(
    path: Path, label: str, conference: Conference | None, problems: Collector
) -> SessionsSheet | None:
    """The sheet's rows and zone, or None when a problem stopped the reading; every problem found is added to
    `problems` (a row that cannot be read is left out, the others read)."""
    from python_calamine import CalamineError, CalamineWorkbook

    if workbook_refused(path, label, MAX_XLSX_UNCOMPRESSED, problems):
        return None
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            sheets = {name.casefold(): name for name in workbook.sheet_names}
            if SHEET.casefold() not in sheets:
                problems.add(label, message=f"has no sheet '{SHEET}'; expected the {SHEET} sheet as planner writes it")
                return None
            rows = workbook.get_sheet_by_name(sheets[SHEET.casefold()]).to_python(skip_empty_area=False)
            about_rows, draft_rows = (
                workbook.get_sheet_by_name(sheets[name.casefold()]).to_python(skip_empty_area=False)
                if name.casefold() in sheets
                else []
                for name in (ABOUT, DRAFT)
            )
    except (CalamineError, OSError, ValueError) as exc:
        problems.add(label, message=f"is not a readable .xlsx workbook ({exc})")
        return None
    except BaseException as exc:  # calamine's Rust panics (a number no date can hold) reach Python as this
        if type(exc).__name__ != "PanicException":
            raise
        problems.add(label, message=f"is not a readable .xlsx workbook (a cell cannot be read: {exc})")
        return None
    if len(rows) > MAX_ROWS:
        problems.add(label, Where.of(sheet=SHEET), "", TOO_MANY_ROWS)
        return None
    about = {_cell_text(row[0]).casefold(): _cell_text(row[1]) for row in about_rows if len(row) > 1 and row[0]}
    draft = _draft(draft_rows, label, problems)
    zone = _sheet_zone(about, conference, label, problems)
    if zone is None:
        return None
    return SessionsSheet(zone, _sheet_rows(rows, label, zone, conference or draft_conference(draft), problems), draft)


def draft_conference(draft: Schedule | None) -> Conference | None:
    return draft.conference if draft is not None else None


def _draft(rows: list[list[Any]], label: str, problems: Collector) -> Schedule | None:
    """The schedule in the hidden Draft sheet, or None when there is none; a damaged one is a problem (the sheet can
    be deleted to check the Sessions sheet on its own)."""
    from planner.formats.schedule_json import schedule_from_text

    text = "".join(str(row[0]) for row in rows if row and isinstance(row[0], str))
    if not text:
        return None
    found = Collector()
    draft = schedule_from_text(text, f"{label}, sheet {DRAFT}", found)
    if draft is None:
        reasons = "; ".join(p.message for p in found.problems[:3])
        problems.add(
            label,
            Where.of(sheet=DRAFT),
            "",
            f"cannot be read ({reasons}); delete the hidden '{DRAFT}' sheet to check the {SHEET} sheet on its own",
        )
    return draft


def _sheet_zone(
    about: dict[str, str], conference: Conference | None, label: str, problems: Collector
) -> ZoneInfo | None:
    named = about.get("timezone", "")
    where = Where.of(sheet=ABOUT)
    if named:
        if (zone := zone_named(named)) is None:
            problems.add(label, where, "timezone", f"'{named}' is not an IANA time zone name")
            return None
        if conference is not None and conference.timezone != named:
            problems.add(
                label,
                where,
                "timezone",
                f"says {named} but the conference says {conference.timezone}: which zone are the sheet's times in?",
            )
            return None
        return zone
    if conference is not None:
        return conference.zone
    problems.add(label, message=f"has no '{ABOUT}' sheet naming the time zone of its times; give --conference CONF_DIR")
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:  # 1e300 stays 1e+300
        return str(int(value))
    if isinstance(value, datetime | date | time | timedelta):
        return str(value)
    return str(value).strip()


def _sheet_day(value: Any, conference: Conference | None) -> tuple[date | None, str]:
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    text = _cell_text(value)
    if not text:
        return None, f"is empty; {DATE_EXPECTED}"
    for day in conference.days if conference else ():
        if text.casefold() in (day.id.casefold(), day.name.casefold()):
            return day.date, ""
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return None, f"'{text}' is not a date; {DATE_EXPECTED}"


def _sheet_time(value: Any, day: date | None) -> tuple[time | None, str]:
    """A time cell, a date-and-time on the row's day, a fraction of a day, or text such as 9:30 or 09:30:00."""
    if isinstance(value, timedelta) and timedelta(0) <= value < timedelta(days=1):  # an [h]:mm cell
        value = (datetime.min + value).time()
    if isinstance(value, time):
        return value.replace(microsecond=0, tzinfo=None), ""
    if isinstance(value, datetime):
        if value.date() in EXCEL_TIME_DATES or value.date() == day:
            return value.time().replace(microsecond=0), ""
        return None, f"'{value:%Y-%m-%d %H:%M}' is on another day than the row's day; {TIME_EXPECTED}"
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return (time(minutes // 60, minutes % 60), "") if minutes < 24 * 60 else (None, TIME_EXPECTED)
    text = _cell_text(value)
    if not text:
        return None, f"is empty; {TIME_EXPECTED}"
    clock = parse_clock(text)
    if clock is None and ":" in text:  # 09:30:00; never bare digits, which ISO would read '1000000' as 10:00
        try:
            clock = time.fromisoformat(text)
        except ValueError:
            clock = None
    return (clock, "") if clock else (None, f"'{text}' is not a time; {TIME_EXPECTED}")


def _sheet_rows(
    rows: list[list], label: str, zone: ZoneInfo, conference: Conference | None, problems: Collector
) -> list[SheetRow]:
    header = [_cell_text(cell).casefold() for cell in rows[0]] if rows else []
    columns = {name: index for index, name in reversed(list(enumerate(header))) if name}
    first_row = Where.of(sheet=SHEET, row=1)
    for name in sorted(set(header)):
        if name in COLUMNS and header.count(name) > 1:
            problems.add(label, first_row, name, "column is given twice")
    missing = [name for name in COLUMNS if name not in columns]
    for name in missing:
        problems.add(label, first_row, name, f"required column is missing; the sheet needs: {', '.join(COLUMNS)}")
    if missing:
        return []
    entries = []
    for number, record in enumerate(rows[1:], start=2):
        cells = {name: record[columns[name]] if columns[name] < len(record) else None for name in COLUMNS}
        if not any(_cell_text(value) for value in cells.values()):
            continue
        where = Where.of(sheet=SHEET, row=number)
        if row := _sheet_row(cells, where, label, zone, conference, problems):
            entries.append(row)
    return entries


def _sheet_row(
    cells: dict[str, Any],
    where: Where,
    label: str,
    zone: ZoneInfo,
    conference: Conference | None,
    problems: Collector,
) -> SheetRow | None:
    before = len(problems)

    def problem(field: str, message: str) -> None:
        problems.add(label, where, field, message)

    session_id, room = _cell_text(cells["id"]), _cell_text(cells["room"])
    if not session_id:
        problem("id", "is empty; expected the session's id (a new one for a session added by hand)")
    if not room:
        problem("room", "is empty; expected the room's name")
    day, why = _sheet_day(cells["day"], conference)
    if day is None:
        problem("day", why)
    moments = {}
    for edge in ("start", "end"):
        clock, why = _sheet_time(cells[edge], day)
        if clock is None:
            problem(edge, why)
        elif day is not None:
            moment, why = local_datetime(day, clock, zone)
            if moment is None:
                problem(edge, why)
            moments[edge] = moment
    start, end = moments.get("start"), moments.get("end")
    if start is not None and end is not None and end <= start:
        problem("end", f"{end:%H:%M} is not after the start {start:%H:%M}; expected an end after the start")
    chairs = split_cell(_cell_text(cells["chair"]))
    if len(chairs) > 1:
        problem("chair", "give one chair (several names found)")
    if len(problems) > before or start is None or end is None:
        return None
    return SheetRow(
        where=where,
        session=session_id,
        title=_cell_text(cells["title"]),
        kind=_cell_text(cells["kind"]),
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        room=room,
        chair=chairs[0] if chairs else None,
        speakers=tuple(split_cell(_cell_text(cells["speakers"]))),
        themes=tuple(split_cell(_cell_text(cells["themes"]))),
    )
