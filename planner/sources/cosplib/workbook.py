"""A CoSPLib workbook read as plain data: one record type per sheet, nothing decided about planner's conference.

CoSPLib (Kheiri, Pylyavskyy and Jacko; MIT licence) keeps real conferences in an Excel template:

- `parameters`: the time zone (column A/B, 'Local time zone:') and the penalty weights (column D/E, 'Presenters
  Conflicts:', 'Attendees Conflicts Timeslot Level:', ...);
- `submissions`: Reference, Track, Required Timeslots, Order, Time Zone, Presenters, Attendees (comma-separated
  ids), then a penalty column per session and per room;
- `tracks`: Tracks, Chairs (comma-separated);
- `sessions`: the periods of the programme: Sessions, Max Number of Timeslots, Date, Start Time, End Time;
- `rooms`: Rooms;
- the penalty matrices `tracks_sessions|penalty`, `tracks_rooms|penalty`, `similar tracks` and
  `sessions_rooms|penalty`: names down the first column, names across the first row, a number where one applies.

Every cell that cannot be read is a located problem (sheet, row, column), all reported at once; the mapping to a
conference folder is folder.py's. Kept apart so that another reader of the same workbooks (a paper conference's
tracks and sessions) can start from these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from planner.errors import Collector, Where
from planner.io.xlsx_guard import workbook_refused
from planner.io.yamlfile import too_large

MAX_UNPACKED = 100 * 1024 * 1024
SHEETS = ("parameters", "submissions", "tracks", "sessions", "rooms")
MATRICES = ("tracks_sessions|penalty", "tracks_rooms|penalty", "similar tracks", "sessions_rooms|penalty")
SUBMISSION_COLUMNS = ("Reference", "Track", "Required Timeslots", "Order", "Time Zone", "Presenters", "Attendees")


@dataclass(frozen=True)
class Submission:
    """A talk (a paper, an abstract): the unit CoSPLib schedules into time slots."""

    reference: str
    track: str
    timeslots: int
    """How many consecutive time slots it needs."""
    order: int
    """Its place within its track (0: any)."""
    time_zone: str
    presenters: tuple[str, ...]
    attendees: tuple[str, ...]
    """Who wants to attend it (ids; ISF22 has them)."""
    session_penalties: dict[str, int] = field(default_factory=dict)
    """Session (period) name -> the penalty of scheduling it then."""
    room_penalties: dict[str, int] = field(default_factory=dict)
    row: int = 0


@dataclass(frozen=True)
class Track:
    name: str
    chairs: tuple[str, ...]
    row: int = 0


@dataclass(frozen=True)
class Period:
    """A CoSPLib 'session': a stretch of a day split into equal time slots, one talk per room and slot."""

    name: str
    timeslots: int
    date: date
    start: time
    end: time
    row: int = 0


@dataclass(frozen=True)
class CosplibWorkbook:
    source: str
    time_zone: str
    """As the parameters sheet gives it ('GMT+0')."""
    weights: dict[str, int]
    """Penalty name as the sheet writes it, without the colon ('Presenters Conflicts') -> its weight."""
    submissions: tuple[Submission, ...]
    tracks: tuple[Track, ...]
    periods: tuple[Period, ...]
    rooms: tuple[str, ...]
    matrices: dict[str, dict[tuple[str, str], int]]
    """Matrix sheet name -> (row name, column name) -> its number, for every cell that has one."""
    hours: tuple[list[time], list[int]] = ([], [])
    """The parameters sheet's times in column B in order (suitable from, to, less suitable from, to) and its
    penalties (less suitable, unsuitable)."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _ids(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in _text(value).split(",") if part.strip()))


class _Sheet:
    """A sheet's rows (values only) with its name, for located problems."""

    def __init__(self, name: str, rows: list[tuple[Any, ...]], label: str, problems: Collector) -> None:
        self.name, self.rows, self.label, self.problems = name, rows, label, problems

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.add(self.label, Where.of(sheet=self.name, row=row), column, message)

    def number(self, value: Any, row: int, column: str, low: int = 0) -> int | None:
        if value is None or value == "":
            return 0 if low == 0 else None
        whole = isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
        if whole and int(value) >= low:
            return int(value)
        self.problem(row, column, f"'{_text(value)[:40]}' is not a whole number of at least {low}")
        return None

    def header(self) -> list[str]:
        return [_text(cell) for cell in self.rows[0]] if self.rows else []


def _load(path: Path, label: str, problems: Collector) -> dict[str, list[tuple[Any, ...]]] | None:
    if too_large(path, label, problems) or workbook_refused(path, label, MAX_UNPACKED, problems):
        return None
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = {}
            for sheet in book.worksheets:
                sheet.reset_dimensions()
                sheets[sheet.title.strip().casefold()] = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    except Exception as exc:  # openpyxl meets a damaged workbook with many kinds of exception
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        problems.add(label, message=f"is not a readable .xlsx workbook ({reason})")
        return None
    missing = [name for name in SHEETS if name not in sheets]
    if missing:
        problems.add(
            label, message=f"has no sheet {', '.join(missing)}; expected CoSPLib's template ({', '.join(SHEETS)})"
        )
        return None
    return sheets


def _parameters(sheet: _Sheet) -> tuple[str, dict[str, int], tuple[list[time], list[int]]]:
    zone, weights = "", {}
    times: list[time] = []
    penalties: list[int] = []
    for number, row in enumerate(sheet.rows, start=1):
        cells = [*row, None, None, None, None, None][:5]
        if _text(cells[0]).casefold().startswith("local time zone"):
            zone = _text(cells[1])
        label = _text(cells[0]).casefold()
        if label in ("from:", "to:") and (moment := _moment(cells[1], time)) is not None:
            times.append(moment)
        if label == "penalty:" and (penalty := sheet.number(cells[1], number, "Penalty")) is not None:
            penalties.append(penalty)
        name = _text(cells[3]).rstrip(":").strip()
        if name and name.casefold() != "weights":
            weight = sheet.number(cells[4], number, name)
            if weight is not None:
                weights[name] = weight
    if not zone:
        sheet.problem(1, "Local time zone", "is missing; expected a zone such as 'GMT+0'")
    return zone, weights, (times, penalties)


def _submissions(sheet: _Sheet, periods: list[str], rooms: list[str]) -> list[Submission]:
    header = sheet.header()
    missing = [column for column in SUBMISSION_COLUMNS if column not in header]
    if missing:
        sheet.problem(1, ", ".join(missing), f"column missing; expected {', '.join(SUBMISSION_COLUMNS)} first")
        return []
    at = {name: header.index(name) for name in header if name}
    found: list[Submission] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(sheet.rows[1:], start=2):
        cells = dict(zip(header, row, strict=False))
        reference = _text(cells.get("Reference"))
        if not reference:
            if any(_text(value) for value in row):
                sheet.problem(number, "Reference", "is empty; every submission needs one")
            continue
        if reference in seen:
            sheet.problem(number, "Reference", f"'{reference}' is used more than once (first in row {seen[reference]})")
            continue
        seen[reference] = number
        slots = sheet.number(cells.get("Required Timeslots"), number, "Required Timeslots", low=1)
        order = sheet.number(cells.get("Order"), number, "Order")
        penalties = {}
        for name in (*periods, *rooms):
            if name in at and at[name] < len(row) and row[at[name]] not in (None, "", 0):
                value = sheet.number(row[at[name]], number, name)
                if value:
                    penalties[name] = value
        if slots is None or order is None:
            continue
        found.append(
            Submission(
                reference=reference,
                track=_text(cells.get("Track")),
                timeslots=slots,
                order=order,
                time_zone=_text(cells.get("Time Zone")),
                presenters=_ids(cells.get("Presenters")),
                attendees=_ids(cells.get("Attendees")),
                session_penalties={p: v for p, v in penalties.items() if p in periods},
                room_penalties={r: v for r, v in penalties.items() if r in rooms},
                row=number,
            )
        )
    return found


def _moment(value: Any, kind: type) -> Any:
    if kind is date:
        return value.date() if isinstance(value, datetime) else value if isinstance(value, date) else None
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    try:
        return time.fromisoformat(_text(value))
    except ValueError:
        return None


def _periods(sheet: _Sheet) -> list[Period]:
    found = []
    for number, row in enumerate(sheet.rows[1:], start=2):
        cells = [*row, None, None, None, None, None][:5]
        name = _text(cells[0])
        if not name:
            continue
        slots = sheet.number(cells[1], number, "Max Number of Timeslots", low=1)
        day, start, end = _moment(cells[2], date), _moment(cells[3], time), _moment(cells[4], time)
        for value, given, column, what in (
            (day, cells[2], "Date", "a date"),
            (start, cells[3], "Start Time", "a time"),
            (end, cells[4], "End Time", "a time"),
        ):
            if value is None:
                sheet.problem(number, column, f"'{_text(given)[:40]}' is not {what}")
        if slots is None or day is None or start is None or end is None:
            continue
        if end <= start:
            sheet.problem(number, "End Time", f"{end:%H:%M} is not after the start, {start:%H:%M}")
            continue
        found.append(Period(name, slots, day, start, end, number))
    return found


def _names(sheet: _Sheet) -> list[str]:
    return [_text(row[0]) for row in sheet.rows[1:] if row and _text(row[0])]


def _matrix(sheet: _Sheet) -> dict[tuple[str, str], int]:
    header = sheet.header()
    found = {}
    for number, row in enumerate(sheet.rows[1:], start=2):
        name = _text(row[0]) if row else ""
        for column, value in zip(header[1:], row[1:], strict=False):
            if not name or not column or value in (None, "", 0):
                continue
            weight = sheet.number(value, number, column)
            if weight:
                found[(name, column)] = weight
    return found


def read_workbook(path: Path, problems: Collector) -> CosplibWorkbook | None:
    """The workbook in `path` as records; None when it cannot be read (every problem found added to `problems`)."""
    label = str(path)
    before = len(problems)
    sheets = _load(path, label, problems)
    if sheets is None:
        return None

    def sheet(name: str) -> _Sheet:
        return _Sheet(name, sheets.get(name, []), label, problems)

    zone, weights, hours = _parameters(sheet("parameters"))
    periods = _periods(sheet("sessions"))
    rooms = _names(sheet("rooms"))
    tracks = [
        Track(_text(row[0]), _ids(row[1] if len(row) > 1 else None), number)
        for number, row in enumerate(sheets["tracks"][1:], start=2)
        if row and _text(row[0])
    ]
    submissions = _submissions(sheet("submissions"), [p.name for p in periods], rooms)
    matrices = {name: _matrix(sheet(name)) for name in MATRICES if name in sheets}
    if not submissions and len(problems) == before:
        problems.add(label, Where.of(sheet="submissions"), "", "has no submissions")
    if not periods and len(problems) == before:
        problems.add(label, Where.of(sheet="sessions"), "", "has no sessions (periods)")
    if not rooms and len(problems) == before:
        problems.add(label, Where.of(sheet="rooms"), "", "has no rooms")
    if len(problems) > before:
        return None
    return CosplibWorkbook(
        source=path.name,
        time_zone=zone,
        weights=weights,
        submissions=tuple(submissions),
        tracks=tuple(tracks),
        periods=tuple(periods),
        rooms=tuple(rooms),
        matrices=matrices,
        hours=hours,
    )
