"""The programme as the agenda pages read it: sessions grouped by day, placed on the day's blocks, named for people.

Shared by agenda.html, agenda.md and agenda.xlsx so all show the same days, order, names and times (the page and the
workbook the same day grids). Works for any Schedule: assignments without a day or blocks (a hand-edited spreadsheet,
a frab import) are placed by their times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.domain import Assignment, BlockType, Day, Schedule, Session, Unscheduled

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DEFAULT_COLOUR = "#777777"
"""For a kind that names no colour."""


def long_date(day: date) -> str:
    """'Thursday 11 September 2025', the same whatever the machine's locale."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def date_range(schedule: Schedule) -> str:
    """The conference's dates in words: one date, or 'first to last'."""
    dates = [day.date for day in schedule.conference.days]
    first, last = min(dates), max(dates)
    return long_date(first) if first == last else f"{long_date(first)} to {long_date(last)}"


def clock(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def time_span(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    return f"{clock(start, zone)}–{clock(end, zone)}"


class Names:
    """Display names for ids; an id the schedule does not define shows as itself, so nothing is dropped."""

    def __init__(self, schedule: Schedule) -> None:
        conference = schedule.conference
        self._people = {person.id: person.name for person in schedule.people}
        self._rooms = {room.id: room.name for room in conference.rooms}
        self._kinds = {kind.id: kind.label for kind in conference.kinds}
        self._colours = {kind.id: kind.colour for kind in conference.kinds if kind.colour}
        self._themes = {theme.id: theme.label for theme in conference.themes}

    def person(self, person_id: str) -> str:
        return self._people.get(person_id, person_id)

    def room(self, room_id: str) -> str:
        return self._rooms.get(room_id, room_id)

    def kind(self, kind_id: str) -> str:
        return self._kinds.get(kind_id, kind_id)

    def colour(self, kind_id: str) -> str:
        """'#rrggbb', validated by the domain; grey for a kind without one."""
        return self._colours.get(kind_id, DEFAULT_COLOUR)

    def theme(self, theme_id: str) -> str:
        return self._themes.get(theme_id, theme_id)

    def chair(self, session: Session) -> str:
        return self.person(session.chair) if session.chair else ""

    def speakers(self, session: Session) -> tuple[str, ...]:
        return tuple(self.person(p) for p in session.speakers)


@dataclass(frozen=True)
class DayPlan:
    """One day's sessions: `placed` sit on the day's blocks (rows are block indices), `loose` fall between them."""

    day: Day
    placed: tuple[tuple[Assignment, tuple[int, ...]], ...]
    loose: tuple[Assignment, ...]

    def plenary(self, rows: tuple[int, ...]) -> bool:
        """A session in a plenary block has the whole grid to itself."""
        return any(self.day.blocks[row].type is BlockType.PLENARY for row in rows)


def room_order(schedule: Schedule) -> dict[str, int]:
    return {room.id: number for number, room in enumerate(schedule.conference.rooms)}


def in_order(schedule: Schedule, assignments: tuple[Assignment, ...] | list[Assignment]) -> list[Assignment]:
    """Time order, then the conference's room order, then session id: the same order on every run."""
    rooms = room_order(schedule)
    return sorted(assignments, key=lambda a: (a.start, rooms.get(a.room, len(rooms)), a.room, a.session.id))


def block_rows(day: Day, assignment: Assignment) -> tuple[int, ...]:
    """The day's block indices a session occupies: its recorded blocks when they are this day's, else the blocks
    its times overlap."""
    index = {block.id: number for number, block in enumerate(day.blocks)}
    if assignment.blocks and all(block in index for block in assignment.blocks):
        return tuple(sorted(index[block] for block in assignment.blocks))
    return tuple(n for n, b in enumerate(day.blocks) if b.start < assignment.end and assignment.start < b.end)


def plan_days(schedule: Schedule) -> tuple[tuple[DayPlan, ...], tuple[Assignment, ...]]:
    """Each conference day with its sessions, and the sessions that fall on none of the days."""
    zone = schedule.conference.zone
    known = {day.id for day in schedule.conference.days}
    ordered = in_order(schedule, schedule.assignments)
    plans, claimed = [], set()
    for day in schedule.conference.days:
        mine = [
            a
            for a in ordered
            if a.day == day.id or (a.day not in known and a.start.astimezone(zone).date() == day.date)
        ]
        rows = [(a, block_rows(day, a)) for a in mine]
        plans.append(DayPlan(day, tuple((a, r) for a, r in rows if r), tuple(a for a, r in rows if not r)))
        claimed.update(id(a) for a in mine)
    elsewhere = tuple(a for a in ordered if id(a) not in claimed)
    return tuple(plans), elsewhere


def left_out(schedule: Schedule) -> list[Unscheduled]:
    """Cancelled sessions (those an earlier schedule had) first, then the rest, each by title."""
    return sorted(schedule.unscheduled, key=lambda u: (u.was is None, u.session.title.casefold(), u.session.id))


def where_it_was(schedule: Schedule, names: Names, was: Assignment) -> str:
    """'Day 1, 11:15–12:45, Seminar Room 1': where an earlier schedule had a session now cancelled."""
    zone = schedule.conference.zone
    day = next((d.name for d in schedule.conference.days if d.id == was.day), None)
    day = day or long_date(was.start.astimezone(zone).date())
    return f"{day}, {time_span(was.start, was.end, zone)}, {names.room(was.room)}"


# Day grids: shared by agenda.html and agenda.xlsx -------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One session as a grid shows it; `index` is its place in `in_order` (the page's filter data)."""

    index: int
    title: str
    kind: str
    colour: str
    ink: str
    time: str
    start: str
    room: str
    chair: str
    speakers: tuple[str, ...]
    themes: tuple[str, ...]
    plenary: bool


@dataclass
class Cell:
    """A rectangle of the day's table: rows top..bottom-1, room columns left..right-1."""

    top: int
    bottom: int
    left: int
    right: int
    cards: list[Card] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    state: str = "sessions"
    """'sessions', 'break', 'free' (a room open with nothing in it) or 'closed' (a room not open in the block)."""

    @property
    def rowspan(self) -> int:
        return self.bottom - self.top

    @property
    def colspan(self) -> int:
        return self.right - self.left

    @property
    def plenary(self) -> bool:
        return any(card.plenary for card in self.cards)

    def overlaps(self, other: Cell) -> bool:
        return (
            self.top < other.bottom and other.top < self.bottom and self.left < other.right and other.left < self.right
        )

    def absorb(self, other: Cell) -> None:
        """Grow to cover `other` too (a clash in a hand-edited schedule shows as one cell with both sessions)."""
        self.top, self.bottom = min(self.top, other.top), max(self.bottom, other.bottom)
        self.left, self.right = min(self.left, other.left), max(self.right, other.right)
        self.cards += other.cards
        self.notes += other.notes
        if self.cards:
            self.state = "sessions"


@dataclass(frozen=True)
class Row:
    time: str
    kind: str
    """The block type: 'plenary', 'parallel' or 'break'."""
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class DayGrid:
    id: str
    name: str
    date: str
    rooms: tuple[str, ...]
    rows: tuple[Row, ...]
    loose: tuple[Card, ...]


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on the kind's colour (WCAG relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#111111" if luminance > 0.179 else "#ffffff"


def _card(index: int, assignment: Assignment, schedule: Schedule, names: Names, plenary: bool) -> Card:
    session, zone = assignment.session, schedule.conference.zone
    colour = names.colour(session.kind)
    return Card(
        index=index,
        title=session.title,
        kind=names.kind(session.kind),
        colour=colour,
        ink=ink_on(colour),
        time=time_span(assignment.start, assignment.end, zone),
        start=assignment.start.astimezone(zone).isoformat(timespec="minutes"),
        room=names.room(assignment.room),
        chair=names.chair(session),
        speakers=names.speakers(session),
        themes=tuple(names.theme(t) for t in session.themes),
        plenary=plenary,
    )


def _columns(schedule: Schedule, plan: DayPlan) -> tuple[str, ...]:
    """Room ids for the day's columns: rooms open in any block or used by a session, in the conference's order."""
    order = room_order(schedule)
    used = {room for block in plan.day.blocks for room in block.rooms} | {a.room for a, _ in plan.placed}
    return tuple(sorted(used, key=lambda room: (order.get(room, len(order)), room)))


def _merged(cells: list[Cell]) -> list[Cell]:
    """Merge overlapping rectangles until none overlap; only a clash or an odd span ever triggers it."""
    merged: list[Cell] = []
    for cell in cells:
        while clash := next((other for other in merged if other.overlaps(cell)), None):
            merged.remove(clash)
            clash.absorb(cell)
            cell = clash
        merged.append(cell)
    return merged


def _day_grid(schedule: Schedule, plan: DayPlan, names: Names, cards: dict[int, Card]) -> DayGrid:
    day, zone = plan.day, schedule.conference.zone
    columns = _columns(schedule, plan)
    width = max(1, len(columns))
    cells: list[Cell] = []
    for assignment, rows in plan.placed:
        card = cards[id(assignment)]
        left = 0 if card.plenary else columns.index(assignment.room)
        right = width if card.plenary else left + 1
        cells.append(Cell(rows[0], rows[-1] + 1, left, right, [card]))
    covered = {row for cell in cells for row in range(cell.top, cell.bottom)}
    for row, block in enumerate(day.blocks):
        if block.type is BlockType.BREAK:
            cells.append(Cell(row, row + 1, 0, width, notes=[block.name or "Break"], state="break"))
        elif block.type is BlockType.PLENARY and row not in covered:
            cells.append(Cell(row, row + 1, 0, width, notes=[block.name] if block.name else [], state="free"))
    cells = _merged(cells)
    starts = {(cell.top, cell.left): cell for cell in cells}
    taken = {(r, c) for cell in cells for r in range(cell.top, cell.bottom) for c in range(cell.left, cell.right)}
    grid_rows = []
    for row, block in enumerate(day.blocks):
        row_cells = []
        for column in range(width):
            if (row, column) in starts:
                cell = starts[(row, column)]
                cell.cards.sort(key=lambda card: card.index)
                row_cells.append(cell)
            elif (row, column) not in taken:
                state = "free" if columns and columns[column] in block.rooms else "closed"
                row_cells.append(Cell(row, row + 1, column, column + 1, state=state))
        grid_rows.append(Row(time_span(block.start, block.end, zone), block.type.value, tuple(row_cells)))
    return DayGrid(
        id=day.id,
        name=day.name,
        date=long_date(day.date),
        rooms=tuple(names.room(room) for room in columns),
        rows=tuple(grid_rows),
        loose=tuple(cards[id(a)] for a in plan.loose),
    )


def day_grids(schedule: Schedule, names: Names) -> tuple[tuple[DayGrid, ...], tuple[Card, ...]]:
    """Each conference day as a grid (block rows, room columns), and the cards of sessions that fall on none of the
    days. Cards are numbered in `in_order`; a plenary session's card spans every room column."""
    plans, elsewhere = plan_days(schedule)
    plenary = {id(a): plan.plenary(rows) for plan in plans for a, rows in plan.placed}
    cards = {
        id(a): _card(i, a, schedule, names, plenary.get(id(a), False))
        for i, a in enumerate(in_order(schedule, schedule.assignments))
    }
    return tuple(_day_grid(schedule, plan, names, cards) for plan in plans), tuple(cards[id(a)] for a in elsewhere)
