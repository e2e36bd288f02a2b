"""Day grids for the agenda pages: each day as block rows and room columns, shared by agenda.html and agenda.xlsx so
both show the same cells, spans and order."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.clock import long_date, time_span
from planner.domain import Assignment, BlockType, Schedule
from planner.programme import DayPlan, Names, in_order, plan_days, room_order


@dataclass(frozen=True)
class Card:
    """One session as a grid shows it; `index` is its place in `in_order` (the page's filter data)."""

    index: int
    session_id: str
    """What `planner ics --sessions` takes, and the page's own calendar picks."""
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
    abstract: str
    seats: int | None
    """The room's capacity; None for a room the conference does not define."""
    room_id: str


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
class Column:
    """A room column of a day's grid."""

    room_id: str
    name: str
    seats: int | None
    """The room's capacity; None for a room the conference does not define."""


@dataclass(frozen=True)
class DayGrid:
    id: str
    name: str
    date: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    loose: tuple[Card, ...]

    @property
    def rooms(self) -> tuple[str, ...]:
        """The room columns' names, left to right."""
        return tuple(column.name for column in self.columns)


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on the kind's colour (WCAG relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#111111" if luminance > 0.179 else "#ffffff"


def _seats(schedule: Schedule) -> dict[str, int]:
    return {room.id: room.capacity for room in schedule.conference.rooms}


def _card(
    index: int, assignment: Assignment, schedule: Schedule, names: Names, plenary: bool, seats: dict[str, int]
) -> Card:
    session, zone = assignment.session, schedule.conference.zone
    colour = names.colour(session.kind)
    return Card(
        index=index,
        session_id=session.id,
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
        abstract=session.abstract,
        seats=seats.get(assignment.room),
        room_id=assignment.room,
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
    day, zone, seats = plan.day, schedule.conference.zone, _seats(schedule)
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
        columns=tuple(Column(room, names.room(room), seats.get(room)) for room in columns),
        rows=tuple(grid_rows),
        loose=tuple(cards[id(a)] for a in plan.loose),
    )


def day_grids(schedule: Schedule, names: Names) -> tuple[tuple[DayGrid, ...], tuple[Card, ...]]:
    """Each conference day as a grid (block rows, room columns), and the cards of sessions that fall on none of the
    days. Cards are numbered in `in_order`; a plenary session's card spans every room column."""
    plans, elsewhere = plan_days(schedule)
    plenary = {id(a): plan.plenary(rows) for plan in plans for a, rows in plan.placed}
    seats = _seats(schedule)
    cards = {
        id(a): _card(i, a, schedule, names, plenary.get(id(a), False), seats)
        for i, a in enumerate(in_order(schedule, schedule.assignments))
    }
    return tuple(_day_grid(schedule, plan, names, cards) for plan in plans), tuple(cards[id(a)] for a in elsewhere)
