"""Every place a session could go, and the named rules that rule places out.

A place is a run of contiguous blocks on one day (as many as the session's duration needs) in one room. Rules that
concern a single session and a single place (kind allowed, room open, features, hard capacity, availability,
pins, freezes) are applied here, before the model exists, so the model stays small and the reasons for a session
that fits nowhere can be told in plain words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property

from planner.domain import Assignment, Block, BlockType, ConferenceInput, Person, Room, Session


@dataclass(frozen=True)
class Place:
    """Where and when a session would run; `end` is its own end (start + duration), which may be before the last
    block's end (in a paper conference's period the last slot's end: a talk takes its slots whole)."""

    session: str
    day: str
    blocks: tuple[str, ...]
    room: str
    start: datetime
    end: datetime
    first: int
    """Position of the first block among the day's session blocks (0 = the day's first)."""
    last: int
    """Position of the last block among the day's session blocks."""
    after: int
    """How many of the day's session blocks come after this place."""
    pool: tuple[str, ...] = ()
    """The rooms this place may take, when `room` is empty (a pooled place, see pooling.py)."""

    @cached_property
    def rooms(self) -> frozenset[str]:
        """The rooms this place may end up in."""
        return frozenset(self.pool or (self.room,))


@dataclass(frozen=True)
class Span:
    """A run of contiguous session blocks on one day, long enough for some duration."""

    day: str
    blocks: tuple[Block, ...]
    first: int
    day_blocks: int

    @property
    def start(self) -> datetime:
        return self.blocks[0].start

    @property
    def minutes(self) -> int:
        return sum(block.minutes for block in self.blocks)


Rule = Callable[[Session, Span, Room, "Context"], str | None]
"""A rule returns None when the place is allowed, else a short reason ('Seminar Room 3 lacks streaming')."""


@dataclass(frozen=True)
class Context:
    inputs: ConferenceInput
    people: dict[str, Person]
    frozen: dict[str, tuple[str | None, tuple[str, ...], str]] = field(default_factory=dict)
    """Sessions kept where they were: id -> (day, block ids, room)."""
    by_hand: frozenset[str] = frozenset()
    """The frozen sessions a person placed by hand (in the workbook): their reasons say so."""
    fixed: tuple[Assignment, ...] = ()
    """Sessions a person placed by hand off the grid (at a time no place of the solver's has): kept exactly as they
    are, outside the model, so every other place must keep clear of them."""


def spans(inputs: ConferenceInput, minutes: int) -> Iterator[Span]:
    """Runs of blocks of one type, each starting when the previous ends, shortest that last `minutes`; from a paper
    conference's period also the run of as many of its time slots as `minutes` asks for, whatever their length
    (Conference.slots_required), which within_one_period and as_many_slots_as_required then choose between."""
    for day in inputs.conference.days:
        usable = [b for b in day.blocks if b.type is not BlockType.BREAK]
        for i, first in enumerate(usable):
            run = [first]
            while sum(b.minutes for b in run) < minutes:
                j = i + len(run)
                if j >= len(usable) or usable[j].start != run[-1].end or usable[j].type is not first.type:
                    break
                run.append(usable[j])
            long_enough = sum(b.minutes for b in run) >= minutes
            if long_enough:
                yield Span(day.id, tuple(run), i, len(usable))
            if first.period is not None:
                slots = inputs.conference.slots_required(minutes)
                in_period = [b for b in usable[i:] if b.period == first.period][:slots]
                if len(in_period) == slots and not (long_enough and in_period == run):
                    yield Span(day.id, tuple(in_period), i, len(usable))


def kind_allowed(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """The grid says which kinds of session each block takes (a keynote's block is not for a workshop)."""
    blocked = [b.id for b in span.blocks if session.kind not in b.kinds]
    return f"block {blocked[0]} does not take {session.kind}" if blocked else None


def room_open(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """A room the grid does not open in a block (booked by others, or plenary-only) cannot hold a session then."""
    closed = [b.id for b in span.blocks if room.id not in b.rooms]
    return f"{room.name} is closed in block {closed[0]}" if closed else None


def room_has_features(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """A session that needs streaming, a stage or the like can only go where the room has it."""
    missing = [f for f in session.requires if f not in room.features]
    return f"{room.name} lacks {', '.join(missing)}" if missing else None


def room_large_enough(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """A room too small for the expected audience is refused when the conference says capacity is hard (a soft
    capacity is a cost in the objective instead)."""
    if context.inputs.conference.capacity != "hard" or session.expected_audience is None:
        return None
    if room.capacity < session.expected_audience:
        return f"{room.name} seats {room.capacity}, fewer than {session.expected_audience} expected"
    return None


def people_available(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """Everyone in a session must be free for its whole length, so no one's unavailable window may overlap it."""
    start = span.start
    end = start + timedelta(minutes=session.duration)
    for person_id in session.people:
        person = context.people.get(person_id)
        if person and any(window.overlaps(start, end) for window in person.unavailable):
            return f"{person.name} is unavailable at {start:%a %H:%M}"
    return None


def matches_pin(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """An organiser's pin (a day, a block or a room) is a promise already made, so the draft keeps it."""
    pin = session.pin
    if pin is None:
        return None
    if pin.day and pin.day != span.day:
        return f"pinned to day {pin.day}"
    if pin.block and pin.block != span.blocks[0].id:
        return f"pinned to block {pin.block}"
    if pin.room and pin.room != room.id:
        return f"pinned to room {pin.room}"
    return None


def matches_freeze(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """A frozen session (--freeze, or placed by hand in the workbook) stays exactly where the previous schedule had it,
    whatever that costs: the organiser decided."""
    kept = context.frozen.get(session.id)
    if kept is None:
        return None
    if kept != (span.day, tuple(b.id for b in span.blocks), room.id):
        if session.id in context.by_hand:
            day, blocks, where = kept
            return f"kept where a person placed it by hand ({where}, {day or 'no day'} {'+'.join(blocks)})"
        return "frozen where the previous schedule had it"
    return None


def _meets(span: Span, fixed: Assignment) -> bool:
    return span.start < fixed.end and fixed.start < span.blocks[-1].end


def clear_of_hand_placed(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """A room holds one session at a time, and a plenary nothing beside it, also against a session a person placed by
    hand off the grid: it stays, so a place that would meet it is refused."""
    for fixed in context.fixed:
        if _meets(span, fixed) and (fixed.room == room.id or any(b.type is BlockType.PLENARY for b in span.blocks)):
            return f"'{fixed.session.title}' ({fixed.session.id}) is there, kept where a person placed it by hand"
    return None


def people_clear_of_hand_placed(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """Nobody is in two places at once, also against a session a person placed by hand off the grid."""
    end = span.start + timedelta(minutes=session.duration)
    for fixed in context.fixed:
        shared = [p for p in session.people if p in fixed.session.people]
        if shared and span.start < fixed.end and fixed.start < end:
            name = context.people[shared[0]].name if shared[0] in context.people else shared[0]
            return f"{name} is in '{fixed.session.title}' ({fixed.session.id}) then, kept where a person placed it"
    return None


def within_one_period(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """A paper conference's talk runs in one period (its track's session there), never across two."""
    periods = {block.period for block in span.blocks}
    if len(periods) > 1:
        return f"blocks {span.blocks[0].id} and {span.blocks[-1].id} are in different periods"
    return None


def as_many_slots_as_required(session: Session, span: Span, room: Room, context: Context) -> str | None:
    """A talk in a period takes as many of its time slots as it requires, whatever their length: CoSPLib counts slots,
    not minutes (GECCO19's job market, two 15-minute slots, may not take one of Tuesday noon's 30-minute slots). A
    talk requires its minutes over the programme's shortest time slot (what `planner import cosplib` writes)."""
    if span.blocks[0].period is None:
        return None
    required = context.inputs.conference.slots_required(session.duration)
    if len(span.blocks) != required:
        return f"{len(span.blocks)} time slot(s) of period {span.blocks[0].period} for a talk of {required}"
    return None


RULES: tuple[Rule, ...] = (
    kind_allowed,
    room_open,
    room_has_features,
    room_large_enough,
    people_available,
    matches_pin,
    matches_freeze,
    clear_of_hand_placed,
    people_clear_of_hand_placed,
    within_one_period,
    as_many_slots_as_required,
)
"""Every rule that concerns one session in one place. Removing one from here lets the solver break it."""


SCOPE: dict[Rule, str] = {
    kind_allowed: "span",
    people_available: "span",
    room_has_features: "room",
    room_large_enough: "room",
    room_open: "grid",
    matches_pin: "pinned",
    matches_freeze: "pinned",
    clear_of_hand_placed: "grid",
    people_clear_of_hand_placed: "span",
    within_one_period: "span",
    as_many_slots_as_required: "span",
}
"""What each rule looks at, so that a 2,000-session congress (millions of places) is not judged place by place:
'span' rules only at the session and the span (checked once per span), 'room' rules only at the session and the
room (once per room), 'grid' rules only at the span and the room (once per span and room for every session), and
'pinned' rules refuse nothing unless the session is pinned or frozen. Any other rule is checked at every place."""


@dataclass(frozen=True)
class Options:
    places: dict[str, list[Place]]
    """Session id -> its allowed places, in grid order: one per span, each with the rooms it may take (`pool`)."""
    refusals: dict[str, Counter[str]]
    """Session id -> why places were ruled out (reason -> how many places); filled for sessions with no place."""
    by_hand: frozenset[str] = frozenset()
    """Sessions held where a person placed them by hand: why no programme exists names them so."""

    def by_room(self) -> Options:
        """One place per room: what the model needs when the room itself matters (see pooling.py)."""
        places = {
            s: [
                Place(p.session, p.day, p.blocks, room, p.start, p.end, p.first, p.last, p.after)
                for p in ps
                for room in p.pool
            ]
            for s, ps in self.places.items()
        }  # built directly: dataclasses.replace took 17 s for OR60F3's 2.5 million places
        return Options(places, self.refusals, self.by_hand)


def _refusals(
    session: Session, runs: list[Span], rooms: tuple[Room, ...], context: Context, rules: tuple[Rule, ...]
) -> Counter[str]:
    """The first reason each place was ruled out, counted."""
    return Counter(
        reason
        for span in runs
        for room in rooms
        if (reason := next((why for rule in rules if (why := rule(session, span, room, context))), None))
    )


OVERRIDDEN_BY_HAND: tuple[Rule, ...] = (kind_allowed, room_has_features, room_large_enough, matches_pin)
"""The rules a person overrides by placing a session by hand (a kind in another block, a room without a feature or
too small, away from its pin): the re-plan keeps their choice, and `planner check` still reports it. A room closed,
a person away or another hand placement in the way are not overridden: the grid and the people changed since."""


def _scoped(rules: tuple[Rule, ...]) -> tuple[list[Rule], list[Rule], list[Rule], list[Rule], list[Rule]]:
    """The rules by what they look at (SCOPE): span, room, grid, pinned, and those checked at every place."""
    span, room, grid, pinned = ([rule for rule in rules if SCOPE.get(rule) == scope] for scope in SCOPES)
    return span, room, grid, pinned, [rule for rule in rules if rule not in SCOPE]


SCOPES = ("span", "room", "grid", "pinned")


def place_options(inputs: ConferenceInput, context: Context, rules: tuple[Rule, ...] = RULES) -> Options:
    places: dict[str, list[Place]] = {}
    refusals: dict[str, Counter[str]] = {}
    rooms = inputs.conference.rooms
    of_hand = tuple(rule for rule in rules if rule not in OVERRIDDEN_BY_HAND)
    scoped = {False: _scoped(rules), True: _scoped(of_hand)}
    runs_of: dict[int, list[Span]] = {}
    grid_open: dict[int, frozenset[str]] = {}
    for session in inputs.sessions:
        of_span, of_room, of_grid, of_pin, of_place = scoped[session.id in context.by_hand]
        runs = runs_of.setdefault(session.duration, list(spans(inputs, session.duration)))
        each_place = of_place + (of_pin if session.pin or session.id in context.frozen else [])
        fitting = [
            room for room in rooms if runs and not any(rule(session, runs[0], room, context) for rule in of_room)
        ]
        allowed = []
        for span in runs:
            if any(rule(session, span, rooms[0], context) for rule in of_span):
                continue
            if id(span) not in grid_open:
                grid_open[id(span)] = frozenset(
                    room.id for room in rooms if not any(rule(session, span, room, context) for rule in of_grid)
                )
            opened = grid_open[id(span)]
            pool = [room.id for room in fitting if room.id in opened]
            if each_place:
                pool = [
                    r.id
                    for r in fitting
                    if r.id in pool and not any(rule(session, span, r, context) for rule in each_place)
                ]
            if not pool:
                continue
            start = span.start
            end = (start.astimezone(UTC) + timedelta(minutes=session.duration)).astimezone(start.tzinfo)
            if span.blocks[0].period is not None:  # a talk takes its time slots whole, whatever their length
                end = span.blocks[-1].end
            last = span.first + len(span.blocks) - 1
            allowed.append(
                Place(
                    session.id,
                    span.day,
                    tuple(b.id for b in span.blocks),
                    "",
                    start,
                    end,
                    span.first,
                    last,
                    span.day_blocks - 1 - last,
                    tuple(pool),
                )
            )
        places[session.id] = allowed
        own = of_hand if session.id in context.by_hand else rules
        refusals[session.id] = Counter() if allowed else _refusals(session, runs, rooms, context, own)
    return Options(places, refusals, context.by_hand)


def no_place_reason(session: Session, options: Options, inputs: ConferenceInput) -> str:
    """Plain words for a session with no allowed place: too long for any run of blocks, or what ruled places out
    (the grid's kind rules last, since a block that never took this kind says little)."""
    if next(spans(inputs, session.duration), None) is None:
        return (
            f"'{session.title}' lasts {session.duration} minutes, but no run of contiguous blocks of one type "
            "lasts that long"
        )
    refused = options.refusals[session.id]
    telling = Counter({why: n for why, n in refused.items() if "does not take" not in why})
    if not telling:
        return f"'{session.title}' fits nowhere: no block takes the kind '{session.kind}'"
    listed = "; ".join(f"{why} ({n} place{'s' * (n > 1)})" for why, n in telling.most_common(3))
    return f"'{session.title}' fits nowhere: {listed}"
