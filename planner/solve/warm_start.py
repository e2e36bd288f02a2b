"""A greedy programme given to CP-SAT as hints, so that large conferences have a first answer in seconds and the
search improves it rather than looking for one.

Most constrained sessions first, each in the place where it adds the least to the weighted objective (theme
clashes, theme spread over days, back-to-back people, day shape) among those that break no hard rule given what is
already placed. A session with no such place gets no hint; CP-SAT repairs the rest.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime

from planner.domain import BlockType, Session
from planner.solve.model import Variables
from planner.solve.objectives import adjacent_blocks, even_spread_clashes, theme_shares
from planner.solve.options import Place


class _Placed:
    """What the greedy has placed so far, and whether one more place breaks a hard rule."""

    def __init__(self, variables: Variables) -> None:
        blocks = variables.inputs.conference.blocks
        self.plenary = {b.id for b in blocks if b.type is BlockType.PLENARY}
        self.parallel = {b.id for b in blocks if b.type is BlockType.PARALLEL}
        self.most_a_day = {p.id: p.max_sessions_per_day for p in variables.inputs.people if p.max_sessions_per_day}
        self.pools: dict[str, Counter[frozenset[str]]] = defaultdict(Counter)
        self.busy: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.per_day: Counter[tuple[str, str]] = Counter()
        self.themes: dict[str, Counter[str]] = defaultdict(Counter)
        weights = variables.inputs.conference.weights
        self.weights = (weights.theme_clash, weights.theme_spread, weights.back_to_back, weights.day_shape)
        self.shares = theme_shares(variables) if weights.theme_spread else {}
        self.on_day: Counter[tuple[str, str]] = Counter()
        self.next_to: dict[str, list[str]] = defaultdict(list)
        for first, second in adjacent_blocks(variables.inputs.conference) if weights.back_to_back else ():
            self.next_to[first].append(second)
            self.next_to[second].append(first)
        self.occupied: dict[str, Counter[str]] = defaultdict(Counter)
        self.shape = variables.inputs.conference.day_shape

    def rooms_left(self, place: Place) -> bool:
        for block in place.blocks:
            pools = self.pools[block]
            if block in self.plenary and sum(pools.values()):
                return False
            for pool in {*pools, place.rooms}:
                inside = sum(n for other, n in pools.items() if other <= pool) + (place.rooms <= pool)
                if inside > len(pool):
                    return False
        return True

    def people_free(self, place: Place, people: tuple[str, ...]) -> bool:
        for person in people:
            if any(start < place.end and place.start < end for start, end in self.busy[person]):
                return False
            if person in self.most_a_day and self.per_day[(person, place.day)] >= self.most_a_day[person]:
                return False
        return True

    def clashes(self, place: Place, themes: tuple[str, ...]) -> int:
        return sum(self.themes[block][theme] for block in place.blocks if block in self.parallel for theme in themes)

    def cost(self, place: Place, session: Session) -> int:
        """What placing the session here adds to the weighted objective (theme clashes, theme spread over days,
        back-to-back people, day shape), given what is placed; the exact objective of the result is computed
        when it is hinted."""
        clash, spread, b2b, shape = self.weights
        cost = clash * self.clashes(place, session.themes)
        if spread:
            over = [t for t in session.themes if t in self.shares and self.on_day[(t, place.day)] >= self.shares[t]]
            cost += spread * len(over)
        if b2b:
            beside = {n for block in place.blocks for n in self.next_to[block] if n not in place.blocks}
            cost += b2b * sum(self.occupied[person][n] > 0 for person in session.people for n in beside)
        if shape:
            opens, closes = session.kind in self.shape.opens, session.kind in self.shape.closes
            cost += shape * (opens * place.first + closes * place.after)
        return cost

    def crowd(self, place: Place) -> int:
        return sum(sum(self.pools[block].values()) for block in place.blocks)

    def add(self, place: Place, people: tuple[str, ...], themes: tuple[str, ...]) -> None:
        for block in place.blocks:
            self.pools[block][place.rooms] += 1
            self.themes[block].update(themes)
        for person in people:
            self.busy[person].append((place.start, place.end))
            self.per_day[(person, place.day)] += 1
            self.occupied[person].update(place.blocks)
        self.on_day.update((theme, place.day) for theme in themes)

    def remove(self, place: Place, people: tuple[str, ...], themes: tuple[str, ...]) -> None:
        for block in place.blocks:
            self.pools[block][place.rooms] -= 1
            self.themes[block].subtract(themes)
        for person in people:
            self.busy[person].remove((place.start, place.end))
            self.per_day[(person, place.day)] -= 1
            self.occupied[person].subtract(place.blocks)
        self.on_day.subtract((theme, place.day) for theme in themes)


def greedy_places(variables: Variables) -> dict[str, int]:
    """Session id -> the index, among its places, of where the greedy puts it.

    Sessions with the fewest places go first, then those with the most popular themes (the ones that are hard to
    spread); each takes the place that adds the least to the weighted objective, and among those the block with
    the fewest sessions so far, so that every theme ends up spread evenly.
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
        session = sessions[session_id]
        best, best_cost = None, None
        for index, place in enumerate(variables.places[session_id]):
            if not (placed.people_free(place, session.people) and placed.rooms_left(place)):
                continue
            cost = (placed.cost(place, session), placed.crowd(place))
            if best_cost is None or cost < best_cost:
                best, best_cost = index, cost
        if best is not None:
            chosen[session_id] = best
            placed.add(variables.places[session_id][best], session.people, session.themes)
    return _improved(variables, placed, chosen)


MOVE_PASSES = 8
"""Passes of single-session moves after the greedy: each pass tries every session in every other place. A fixed
count, not a clock, so that the hint (and so the answer) is the same on a busy machine."""


def _improved(variables: Variables, placed: _Placed, chosen: dict[str, int]) -> dict[str, int]:
    """Moves each session to the place with the fewest clashes where it breaks no hard rule, while that lowers the
    clashes; stops after a pass that changes nothing."""
    sessions = variables.sessions
    for _ in range(MOVE_PASSES):
        changed = False
        for session_id in sorted(chosen):
            session, places = sessions[session_id], variables.places[session_id]
            current = places[chosen[session_id]]
            placed.remove(current, session.people, session.themes)
            best, best_cost = chosen[session_id], placed.cost(current, session)
            for index, place in enumerate(places):
                if place.blocks == current.blocks and place.day == current.day:
                    continue
                cost = placed.cost(place, session)
                if cost < best_cost and placed.people_free(place, session.people) and placed.rooms_left(place):
                    best, best_cost = index, cost
            changed |= best != chosen[session_id]
            chosen[session_id] = best
            placed.add(places[best], session.people, session.themes)
        if not changed and not _swapped(variables, placed, chosen):
            break
    return chosen


def _swapped(variables: Variables, placed: _Placed, chosen: dict[str, int]) -> bool:
    """Swaps two sessions' blocks where that lowers the clashes, for sessions of a theme above its even spread.

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
    """How many clashes exchanging the blocks of a (at pa) and b (at pb) removes; blocks disjoint."""

    def sharing(place: Place, themes: tuple[str, ...], minus: Callable[[str], int]) -> int:
        counts = [placed.themes[block] for block in place.blocks if block in placed.parallel]
        return sum(count[theme] - minus(theme) for count in counts for theme in themes)

    before = sharing(pa, themes_a, lambda _: 1) + sharing(pb, themes_b, lambda _: 1)
    after = sharing(pb, themes_a, lambda t: t in themes_b) + sharing(pa, themes_b, lambda t: t in themes_a)
    return before - after


def _swap_if_better(variables: Variables, placed: _Placed, chosen: dict[str, int], a: str, b: str) -> bool:
    """Swaps a and b when the clashes drop and the whole cost too, each has a place in the other's blocks and no
    hard rule breaks."""
    sessions, places = variables.sessions, variables.places
    sa, sb = sessions[a], sessions[b]
    pa, pb = places[a][chosen[a]], places[b][chosen[b]]
    if not set(pa.blocks).isdisjoint(pb.blocks) or _swap_gain(placed, pa, sa.themes, pb, sb.themes) <= 0:
        return False
    to_a = [i for i, p in enumerate(places[a]) if (p.day, p.blocks) == (pb.day, pb.blocks)]
    to_b = [i for i, p in enumerate(places[b]) if (p.day, p.blocks) == (pa.day, pa.blocks)]
    placed.remove(pa, sa.people, sa.themes)
    placed.remove(pb, sb.people, sb.themes)
    before = placed.cost(pa, sa)
    placed.add(pa, sa.people, sa.themes)
    before += placed.cost(pb, sb)
    placed.remove(pa, sa.people, sa.themes)
    for i, j in itertools.product(to_a, to_b):
        new_a, new_b = places[a][i], places[b][j]
        if placed.people_free(new_a, sa.people) and placed.rooms_left(new_a):
            cost_a = placed.cost(new_a, sa)
            placed.add(new_a, sa.people, sa.themes)
            if (
                cost_a + placed.cost(new_b, sb) < before
                and placed.people_free(new_b, sb.people)
                and placed.rooms_left(new_b)
            ):
                placed.add(new_b, sb.people, sb.themes)
                chosen[a], chosen[b] = i, j
                return True
            placed.remove(new_a, sa.people, sa.themes)
    placed.add(pa, sa.people, sa.themes)
    placed.add(pb, sb.people, sb.themes)
    return False


def add_greedy_hint(variables: Variables) -> int | None:
    """Hints the greedy programme; returns its objective when the hint covers every session and every variable of
    the objective (else None), so that the hint alone is a programme."""
    chosen = greedy_places(variables)
    values: dict[int, int] = {}
    for session_id, index in chosen.items():
        for i, literal in enumerate(variables.x[session_id]):
            values[literal.index] = int(i == index)
        if session_id in variables.left_out:
            values[variables.left_out[session_id].index] = 0
    if len(chosen) == len(variables.x):
        for var, literals, value in variables.counted:
            values[var.index] = value(sum(values[lit.index] for lit in literals))
        for var, parts in variables.summed:
            values[var.index] = sum(values[part.index] for part in parts)
    model = variables.model
    for index, value in values.items():
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    objective = model.proto.objective
    if len(chosen) < len(variables.x) or any(ref not in values for ref in objective.vars):
        return None
    terms = zip(objective.vars, objective.coeffs, strict=True)
    return round(objective.offset + sum(coeff * values[ref] for ref, coeff in terms))
