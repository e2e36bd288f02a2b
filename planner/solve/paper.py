"""A paper conference's shape in the model: periods of time slots, and tracks that hold (period, room) cells.

A period is the run of consecutive blocks that share a `Block.period`; each block is one time slot, and a talk of k
slots takes k consecutive blocks of one period in one room (the place rule `within_one_period`). A (period, room)
holds the talks of one track: `track_cells` gives each (track, period, room) a literal that is true exactly when one
of the track's talks is there, and the hard rule `one_track_per_period_room` lets at most one track hold a cell.

The helpers here are exact both ways (not only bounded from the side the objective pushes), so the paper terms
(paper_terms.py) count the same whatever their sign, and each is registered in `Variables.derived` with the function
that gives its value from the place literals, so a warm start hints it and a schedule is scored exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from ortools.sat.python import cp_model

from planner.domain import Conference, Paper, Session
from planner.solve.model import Literal, Variables

Guard = Callable[[str, str, Sequence[str]], list[Literal]]
"""As constraints.Guard (not imported from there: constraints.py registers this module's rule)."""


def unguarded(key: str, words: str, sessions: Sequence[str]) -> list[Literal]:
    return []


@dataclass(frozen=True)
class Periods:
    """The conference's periods in time order, each with its blocks (time slots) in order."""

    order: tuple[str, ...]
    blocks: dict[str, tuple[str, ...]]
    of_block: dict[str, str]

    def slot(self, block: str) -> int:
        """The block's position within its period, 0 for the first slot."""
        return self.blocks[self.of_block[block]].index(block)


_SEEN: dict[int, tuple[Conference, Periods]] = {}


def periods_of(conference: Conference) -> Periods:
    """The conference's periods (remembered for the last few conferences asked about: the terms ask per talk)."""
    seen = _SEEN.get(id(conference))
    if seen is not None and seen[0] is conference:
        return seen[1]
    found: dict[str, list[str]] = defaultdict(list)
    for block in sorted(conference.blocks, key=lambda b: b.start):
        if block.period is not None:
            found[block.period].append(block.id)
    blocks = {period: tuple(ids) for period, ids in found.items()}
    periods = Periods(tuple(blocks), blocks, {b: p for p, ids in blocks.items() for b in ids})
    if len(_SEEN) > 8:
        _SEEN.clear()
    _SEEN[id(conference)] = (conference, periods)
    return periods


def paper_of(variables: Variables) -> Paper | None:
    return variables.inputs.conference.paper


def track_of(session: Session) -> str | None:
    return session.track


def _value_any(indexes: Sequence[int]) -> Callable[[Mapping[int, int]], int]:
    return partial(_any_value, tuple(indexes))


def _any_value(indexes: tuple[int, ...], values: Mapping[int, int]) -> int:
    return int(any(values[i] for i in indexes))


def count_value(indexes: tuple[int, ...], values: Mapping[int, int]) -> int:
    """How many of the variables are true (by index)."""
    return sum(values[i] for i in indexes)


def _product_value(one: tuple[int, ...], two: tuple[int, ...], values: Mapping[int, int]) -> int:
    return count_value(one, values) * count_value(two, values)


def _beyond_value(indexes: tuple[int, ...], values: Mapping[int, int]) -> int:
    return max(0, count_value(indexes, values) - 1)


def any_of(variables: Variables, literals: Sequence[Literal], name: str) -> Literal:
    """A literal true exactly when one of `literals` is."""
    if len(literals) == 1:
        return literals[0]
    helper = variables.model.new_bool_var(name)
    variables.model.add_max_equality(helper, list(literals))
    variables.derived.append((helper, _value_any([lit.index for lit in literals])))
    return helper


def both(variables: Variables, first: Literal, second: Literal, name: str) -> Literal:
    """A literal true exactly when both are."""
    helper = variables.model.new_bool_var(name)
    variables.model.add_min_equality(helper, [first, second])
    a, b = first.index, second.index
    variables.derived.append((helper, lambda values: int(values[a] and values[b])))
    return helper


def beyond_one(variables: Variables, literals: Sequence[Literal], name: str) -> cp_model.IntVar:
    """An integer equal to how many of `literals` are true beyond the first (0 when at most one is)."""
    helper = variables.model.new_int_var(0, max(0, len(literals) - 1), name)
    variables.model.add_max_equality(helper, [0, sum(literals) - 1])
    variables.derived.append((helper, partial(_beyond_value, tuple(lit.index for lit in literals))))
    return helper


def product(variables: Variables, first: Sequence[Literal], second: Sequence[Literal], name: str) -> cp_model.IntVar:
    """An integer equal to (how many of `first` are true) times (how many of `second` are)."""
    model = variables.model
    counts = []
    for side, literals in (("a", first), ("b", second)):
        count = model.new_int_var(0, len(literals), f"{name}.{side}")
        model.add(count == sum(literals))
        counts.append(count)
    helper = model.new_int_var(0, len(first) * len(second), name)
    model.add_multiplication_equality(helper, counts)
    one, two = tuple(lit.index for lit in first), tuple(lit.index for lit in second)
    for count, indexes in zip(counts, (one, two), strict=True):
        variables.derived.append((count, partial(count_value, indexes)))
    variables.derived.append((helper, partial(_product_value, one, two)))
    return helper


def place_period(variables: Variables, session: str) -> list[tuple[str, str, Literal, int]]:
    """For each place of a session: its period, its room, its literal and how many slots it takes."""
    periods = periods_of(variables.inputs.conference)
    return [
        (periods.of_block[place.blocks[0]], place.room, literal, len(place.blocks))
        for place, literal in variables.chosen(session)
        if place.blocks[0] in periods.of_block
    ]


def track_cells(variables: Variables) -> dict[tuple[str, str, str], Literal]:
    """(track, period, room) -> a literal true exactly when one of the track's talks is in that room in that period
    (built once; its places must each have one room, which a paper conference's places do: pooling.py)."""
    if variables.tracks or paper_of(variables) is None:
        return variables.tracks
    inside: dict[tuple[str, str, str], list[Literal]] = defaultdict(list)
    for session_id, session in variables.sessions.items():
        if session.track is None:
            continue
        for period, room, literal, _ in place_period(variables, session_id):
            inside[(session.track, period, room)].append(literal)
    model = variables.model
    for key, literals in sorted(inside.items()):
        cell = model.new_bool_var(f"track[{','.join(key)}]")
        for literal in literals:
            model.add_implication(literal, cell)
        model.add(cell <= sum(literals))
        variables.derived.append((cell, _value_any([lit.index for lit in literals])))
        variables.tracks[key] = cell
    return variables.tracks


def cells_by(variables: Variables, *keys: int) -> dict[tuple[str, ...], list[Literal]]:
    """The track cells grouped by the parts of their key named by position (0 track, 1 period, 2 room)."""
    grouped: dict[tuple[str, ...], list[Literal]] = defaultdict(list)
    for key, cell in track_cells(variables).items():
        grouped[tuple(key[k] for k in keys)].append(cell)
    return grouped


def one_track_per_period_room(variables: Variables, guard: Guard = unguarded) -> None:
    """A paper conference's (period, room) is one track's session, with its chair: at most one track holds it."""
    for (period, room), cells in sorted(cells_by(variables, 1, 2).items()):
        if len(cells) > 1:
            lits = guard(f"cell:{period}:{room}", f"room {room} holds one track in period {period}", ())
            constraint = variables.model.add(sum(cells) <= 1)
            if lits:
                constraint.only_enforce_if(lits)


def conflict_pairs(conference: Conference, sessions: Sequence[Session], who: str) -> list[tuple[str, str]]:
    """Pairs of talks (ids, in order) that one person cannot both attend: for 'presenters', talks that share a
    presenter or one of whose presenters chairs the other's track; for 'attendees', talks one attendee wants both of,
    or of which they want one and present or chair the other (CoSPLib's conflicts, from its paper's definitions)."""
    paper = conference.paper
    chairs = {t.id: set(t.chairs) for t in paper.tracks} if paper else {}
    speaking: dict[str, set[str]] = defaultdict(set)
    chairing: dict[str, set[str]] = defaultdict(set)
    for session in sessions:
        for person in session.speakers:
            speaking[person].add(session.id)
        for person in chairs.get(session.track or "", ()):
            chairing[person].add(session.id)
    track = {s.id: s.track for s in sessions}
    found: set[tuple[str, str]] = set()

    def add(first: str, second: str, chaired: bool = False) -> None:
        if first != second and not (chaired and track[first] == track[second]):
            found.add((min(first, second), max(first, second)))

    if who == "presenters":
        for person, talks in speaking.items():
            for first in talks:
                for second in talks:
                    add(first, second)
                for second in chairing.get(person, ()):
                    add(first, second, chaired=True)
    else:
        picks = conference.audience.picks if conference.audience else {}
        for person, wanted in picks.items():
            mine = [s for s in wanted if s in track]
            for first in mine:
                for second in mine:
                    add(first, second)
                for second in speaking.get(person, ()):
                    add(first, second)
                for second in chairing.get(person, ()):
                    add(first, second, chaired=True)
    return sorted(found)
