"""A greedy programme given to CP-SAT as hints, so that large conferences have a first answer in seconds and the
search improves it rather than looking for one.

Most constrained sessions first, each in the place where it adds the least to the objective among those that break no
hard rule given what is already placed. What a place adds is read from the model (marginal.py), so the greedy counts
every soft term exactly as the solver does. A session with no such place gets no hint; CP-SAT repairs the rest.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from planner.domain import BlockType
from planner.solve.marginal import Marginal
from planner.solve.model import Variables
from planner.solve.objectives import even_spread_clashes
from planner.solve.options import Place


class _Placed:
    """What the greedy has placed so far, whether one more place breaks a hard rule, and what it would cost."""

    def __init__(self, variables: Variables) -> None:
        self.variables = variables
        blocks = variables.inputs.conference.blocks
        self.plenary = {b.id for b in blocks if b.type is BlockType.PLENARY}
        self.parallel = {b.id for b in blocks if b.type is BlockType.PARALLEL}
        self.most_a_day = {p.id: p.max_sessions_per_day for p in variables.inputs.people if p.max_sessions_per_day}
        self.in_block: Counter[str] = Counter()
        self.inside = {block: [0] * len(sets) for block, sets in variables.hall_sets.items()}
        """Block -> how many placed sessions' rooms lie within each of its Hall sets (Variables.hall_sets)."""
        self.limits = {block: [len(s) for s in sets] for block, sets in variables.hall_sets.items()}
        self.within: dict[tuple[str, frozenset[str]], list[int]] = {}
        """(block, a place's rooms) -> the Hall sets of the block that hold them (computed as asked)."""
        self.busy: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.per_day: Counter[tuple[str, str]] = Counter()
        self.themes: dict[str, Counter[str]] = defaultdict(Counter)
        """Block -> theme -> sessions of it placed there (what the swaps look at to find clashes above the bound)."""
        self.swaps_left = SWAP_TRIES
        """Swaps the greedy may still try (`_swapped`)."""
        self.marginal = Marginal(variables)
        self.literals = {session: [literal.index for literal in x] for session, x in variables.x.items()}
        """Session id -> the variable index of each of its places' literals."""

    def _within(self, block: str, rooms: frozenset[str]) -> list[int]:
        key = (block, rooms)
        if key not in self.within:
            self.within[key] = [i for i, union in enumerate(self.variables.hall_sets[block]) if rooms <= union]
        return self.within[key]

    def rooms_left(self, place: Place) -> bool:
        """Whether the place's block still has a room for it: Hall's condition holds with it added."""
        for block in place.blocks:
            if block in self.plenary and self.in_block[block]:
                return False
            inside, limits = self.inside[block], self.limits[block]
            if any(inside[i] >= limits[i] for i in self._within(block, place.rooms)):
                return False
        return True

    def people_free(self, place: Place, people: tuple[str, ...]) -> bool:
        for person in people:
            if any(start < place.end and place.start < end for start, end in self.busy[person]):
                return False
            if person in self.most_a_day and self.per_day[(person, place.day)] >= self.most_a_day[person]:
                return False
        return True

    def cost(self, session_id: str, index: int) -> int:
        """What placing the session at its place `index` adds to the objective, given what is placed."""
        return self.marginal.cost(self.literals[session_id][index])

    def crowd(self, place: Place) -> int:
        return sum(self.in_block[block] for block in place.blocks)

    def add(self, session_id: str, index: int) -> None:
        place, session = self.variables.places[session_id][index], self.variables.sessions[session_id]
        self.marginal.add(self.literals[session_id][index])
        for block in place.blocks:
            self.in_block[block] += 1
            for i in self._within(block, place.rooms):
                self.inside[block][i] += 1
            self.themes[block].update(session.themes)
        for person in session.people:
            self.busy[person].append((place.start, place.end))
            self.per_day[(person, place.day)] += 1

    def remove(self, session_id: str, index: int) -> None:
        place, session = self.variables.places[session_id][index], self.variables.sessions[session_id]
        self.marginal.remove(self.literals[session_id][index])
        for block in place.blocks:
            self.in_block[block] -= 1
            for i in self._within(block, place.rooms):
                self.inside[block][i] -= 1
            self.themes[block].subtract(session.themes)
        for person in session.people:
            self.busy[person].remove((place.start, place.end))
            self.per_day[(person, place.day)] -= 1


@dataclass(frozen=True)
class Greedy:
    """The greedy programme: session id -> the index, among its places, of where it goes (sessions it could not place
    are absent), and its objective as the greedy counted it, placement by placement (marginal.py)."""

    places: dict[str, int]
    cost: int


def greedy_places(variables: Variables) -> Greedy:
    """The greedy programme, then improved by moves and swaps.

    Sessions with the fewest places go first, then those with the most popular themes (the ones that are hard to
    spread); each takes the place that adds the least to the objective, and among those the block with the fewest
    sessions so far, so that every theme ends up spread evenly.
    """
    placed = _Placed(variables)
    sessions = variables.sessions
    popularity = Counter(theme for session in sessions.values() for theme in session.themes)

    def urgency(session_id: str) -> tuple[int, int, int, str]:
        session = sessions[session_id]
        load = -sum(popularity[theme] for theme in session.themes)
        return (len(variables.places[session_id]), load, -len(session.people), session_id)

    chosen: dict[str, int] = {}
    for session_id in sorted(variables.places, key=urgency):
        people = sessions[session_id].people
        best, best_cost = None, None
        for index, place in enumerate(variables.places[session_id]):
            if not (placed.people_free(place, people) and placed.rooms_left(place)):
                continue
            cost = (placed.cost(session_id, index), placed.crowd(place))
            if best_cost is None or cost < best_cost:
                best, best_cost = index, cost
        if best is not None:
            chosen[session_id] = best
            placed.add(session_id, best)
    _improved(variables, placed, chosen)
    return Greedy(chosen, placed.marginal.total)


SWAP_TRIES = 20_000
"""Pairs of sessions the swaps try in all, at most: a fixed count, not a clock, so that the warm start is the same on
a busy machine. The XL benchmark's one needed swap comes at the 1,455th try; a crowded instance of the hard family
tried 138,000 for 1.5 s, which the large-neighbourhood search (neighbourhood.py) now spends better."""

MOVE_PASSES = 8
"""Passes of single-session moves after the greedy: each pass tries every session in every other place. A fixed
count, not a clock, so that the hint (and so the answer) is the same on a busy machine."""


def _improved(variables: Variables, placed: _Placed, chosen: dict[str, int]) -> None:
    """Moves each session, in place, to where it costs least and breaks no hard rule, while that lowers the cost; stops
    after a pass that changes nothing and finds no swap."""
    for _ in range(MOVE_PASSES):
        changed = False
        for session_id in sorted(chosen):
            people, places = variables.sessions[session_id].people, variables.places[session_id]
            current = chosen[session_id]
            placed.remove(session_id, current)
            best, best_cost = current, placed.cost(session_id, current)
            for index, place in enumerate(places):
                if index == current:
                    continue
                cost = placed.cost(session_id, index)
                if cost < best_cost and placed.people_free(place, people) and placed.rooms_left(place):
                    best, best_cost = index, cost
            changed |= best != current
            chosen[session_id] = best
            placed.add(session_id, best)
        if not changed and not _swapped(variables, placed, chosen):
            break


def _swapped(variables: Variables, placed: _Placed, chosen: dict[str, int]) -> bool:
    """Swaps two sessions' blocks where that lowers the cost, for sessions of a theme above its even spread.

    A single move cannot fix a theme one clash above its bound when every block that would take its session has a
    theme of that session's other theme, or no room; exchanging it with a session of the better block can (on the
    XL benchmark this takes the warm start from 1,238 to its bound of 1,237). Only themes above their bound are
    tried, so a programme already at the bound costs nothing here.
    """
    sessions, places = variables.sessions, variables.places
    parallel = placed.parallel
    over = _themes_above_bound(variables, placed)
    if not over:
        return False
    at: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for session_id, index in sorted(chosen.items()):
        place = places[session_id][index]
        at[(place.day, place.blocks)].append(session_id)
    changed = False
    for a in sorted(s for s in chosen if over.intersection(sessions[s].themes)):
        here = places[a][chosen[a]]
        if placed.swaps_left <= 0:
            break
        if not parallel.intersection(here.blocks):
            continue
        swapped = next(
            (
                b
                for key in sorted(at)
                if key != (here.day, here.blocks)
                for b in at[key]
                if _swap_if_better(variables, placed, chosen, a, b)
            ),
            None,
        )
        if swapped is not None:
            there = places[a][chosen[a]]
            at[(here.day, here.blocks)][at[(here.day, here.blocks)].index(a)] = swapped
            at[(there.day, there.blocks)][at[(there.day, there.blocks)].index(swapped)] = a
            changed = True
    return changed


def _themes_above_bound(variables: Variables, placed: _Placed) -> set[str]:
    clashes: Counter[str] = Counter()
    for block in placed.parallel:
        for theme, n in placed.themes[block].items():
            clashes[theme] += n * (n - 1) // 2
    return {theme for theme, n in clashes.items() if n > even_spread_clashes(variables, theme, placed.parallel)}


def _swap_gain(placed: _Placed, pa: Place, themes_a: tuple[str, ...], pb: Place, themes_b: tuple[str, ...]) -> int:
    """How many clashes exchanging the blocks of a (at pa) and b (at pb) removes; blocks disjoint. A cheap filter
    only: a swap is made when the exact cost (marginal.py) drops."""

    def sharing(place: Place, themes: tuple[str, ...], minus: Callable[[str], int]) -> int:
        counts = [placed.themes[block] for block in place.blocks if block in placed.parallel]
        return sum(count[theme] - minus(theme) for count in counts for theme in themes)

    before = sharing(pa, themes_a, lambda _: 1) + sharing(pb, themes_b, lambda _: 1)
    after = sharing(pb, themes_a, lambda t: t in themes_b) + sharing(pa, themes_b, lambda t: t in themes_a)
    return before - after


def _swap_if_better(variables: Variables, placed: _Placed, chosen: dict[str, int], a: str, b: str) -> bool:
    """Swaps a and b when the clashes drop and the whole cost too, each has a place in the other's blocks and no
    hard rule breaks."""
    if placed.swaps_left <= 0:
        return False
    placed.swaps_left -= 1
    sessions, places = variables.sessions, variables.places
    sa, sb = sessions[a], sessions[b]
    was_a, was_b = chosen[a], chosen[b]
    pa, pb = places[a][was_a], places[b][was_b]
    if not set(pa.blocks).isdisjoint(pb.blocks) or _swap_gain(placed, pa, sa.themes, pb, sb.themes) <= 0:
        return False
    to_a = [i for i, p in enumerate(places[a]) if (p.day, p.blocks) == (pb.day, pb.blocks)]
    to_b = [i for i, p in enumerate(places[b]) if (p.day, p.blocks) == (pa.day, pa.blocks)]
    placed.remove(a, was_a)
    placed.remove(b, was_b)
    before = placed.cost(a, was_a)
    placed.add(a, was_a)
    before += placed.cost(b, was_b)
    placed.remove(a, was_a)
    for i, j in itertools.product(to_a, to_b):
        new_a, new_b = places[a][i], places[b][j]
        if placed.people_free(new_a, sa.people) and placed.rooms_left(new_a):
            cost_a = placed.cost(a, i)
            placed.add(a, i)
            if (
                cost_a + placed.cost(b, j) < before
                and placed.people_free(new_b, sb.people)
                and placed.rooms_left(new_b)
            ):
                placed.add(b, j)
                chosen[a], chosen[b] = i, j
                return True
            placed.remove(a, i)
    placed.add(a, was_a)
    placed.add(b, was_b)
    return False


def add_greedy_hint(variables: Variables) -> int | None:
    """Hints the greedy programme; returns its objective when the hint covers every session and every variable of
    the objective (else None), so that the hint alone is a programme."""
    return add_hint(variables, greedy_places(variables).places)


def add_hint(variables: Variables, chosen: dict[str, int]) -> int | None:
    """Hints a programme (session id -> the index of its place; an optional session absent is left out, a required
    one absent has no hint), replacing any hint the model had; returns its objective when the hint is complete (every
    session and every variable of the objective), else None."""
    values = hint_values(variables, chosen)
    model = variables.model
    model.clear_hints()
    for index, value in values.items():
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    objective = model.proto.objective
    if not complete(variables, chosen) or any(ref not in values for ref in objective.vars):
        return None
    terms = zip(objective.vars, objective.coeffs, strict=True)
    return round(objective.offset + sum(coeff * values[ref] for ref, coeff in terms))


def complete(variables: Variables, chosen: dict[str, int]) -> bool:
    """Whether a programme places every required session (an optional one may be left out)."""
    return all(session in chosen or session in variables.left_out for session in variables.places)


def hint_values(variables: Variables, chosen: dict[str, int]) -> dict[int, int]:
    """Variable index -> its value in a programme: the place literals of every placed session, the left-out literal
    of every optional session, and, when every required session is placed, every helper of the objective at the
    value its function gives (a complete hint CP-SAT can take as it is)."""
    values: dict[int, int] = {}
    for session_id, index in chosen.items():  # in the programme's order, which CP-SAT's search is sensitive to
        for i, literal in enumerate(variables.x[session_id]):
            values[literal.index] = int(i == index)
        if session_id in variables.left_out:
            values[variables.left_out[session_id].index] = 0
    for session_id, literal in variables.left_out.items():
        if session_id not in chosen:
            values.update({lit.index: 0 for lit in variables.x[session_id]})
            values[literal.index] = 1
    if complete(variables, chosen):
        for var, literals, fn in variables.counted:
            values[var.index] = fn(sum(values[lit.index] for lit in literals))
        if variables.together:
            blocks = {s: set(variables.places[s][i].blocks) for s, i in chosen.items()}
            for var, first, second in variables.together:
                both = first in blocks and second in blocks
                values[var.index] = int(both and not blocks[first].isdisjoint(blocks[second]))
        for var, parts in variables.summed:
            values[var.index] = sum(values[part.index] for part in parts)
        for var, value_of in variables.derived:
            values[var.index] = value_of(values)
    return values


def objective_of(variables: Variables, values: dict[int, int]) -> int:
    """The model's objective at these variable values (a negative reference is a negated literal)."""
    objective = variables.model.proto.objective
    total = objective.offset
    for ref, coeff in zip(objective.vars, objective.coeffs, strict=True):
        total += coeff * (values[ref] if ref >= 0 else 1 - values[-ref - 1])
    return round(total)
