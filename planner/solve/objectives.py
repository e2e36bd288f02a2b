"""The soft terms, one function each, each an unweighted count; the objective is their sum times the conference's
weights (planner.domain.Weights), and the answer reports every term's value.

Each term is defined here only: the warm start reads what a placement adds from the built model (marginal.py), so a
helper variable whose value is a function of some literals goes into `Variables.counted` (or `Variables.summed`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC
from functools import partial
from itertools import pairwise

from ortools.sat.python import cp_model

from planner.domain import BACK_TO_BACK_GAP, Assignment, BlockType, Conference
from planner.domain import moved as is_moved
from planner.solve import paper_terms
from planner.solve.audience import attendee_conflict
from planner.solve.model import Literal, Variables
from planner.solve.positions import history_position

Previous = Mapping[str, Assignment]
Term = Callable[[Variables, Previous], cp_model.LinearExprT]


def _itself(n: int) -> int:
    return n


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _beyond(allowed: int, n: int) -> int:
    return max(0, n - allowed)


def theme_clash(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Attendees follow themes, and two sessions of one theme at once make them miss one: pairs of sessions sharing
    a theme in the same parallel block, per shared theme, each theme's pairs times its weight (`theme_weights`, 1
    when not given: a rising theme or one carried by many sessions may cost more).

    Exact without pair variables: with n sessions of a theme in a block, pairs = n(n-1)/2, which is convex, so it
    equals the largest of its tangent lines k*n - k(k+1)/2 (k = 1 .. n-1) at every whole n.
    """
    model, terms, conference = variables.model, [], variables.inputs.conference
    parallel = {b.id: len(b.rooms) for b in conference.blocks if b.type is BlockType.PARALLEL}
    of_theme: dict[str, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for block, entries in sorted(variables.in_block.items()):
        if block not in parallel:
            continue
        by_theme: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
        for session, _, literal in entries:
            for theme in variables.sessions[session].themes:
                by_theme[theme][session].append(literal)
        for theme, sessions in sorted(by_theme.items()):
            most = min(len(sessions), parallel[block])
            if most < 2:
                continue
            literals = [lit for literals in sessions.values() for lit in literals]
            count = model.new_int_var(0, most, f"count[{block},{theme}]")
            model.add(count == sum(literals))
            pairs = model.new_int_var(0, most * (most - 1) // 2, f"clash[{block},{theme}]")
            for k in range(1, most):
                model.add(pairs >= k * count - k * (k + 1) // 2)
            variables.counted += [(count, literals, _itself), (pairs, literals, _pairs)]
            of_theme[theme].append((pairs, most * (most - 1) // 2))
    for theme, blocks in sorted(of_theme.items()):
        pairs_of_blocks = [pairs for pairs, _ in blocks]
        most = sum(most_pairs for _, most_pairs in blocks)
        least = min(even_spread_clashes(variables, theme, set(parallel)), most)
        total = model.new_int_var(least, most, f"clashes[{theme}]")
        model.add(total == sum(pairs_of_blocks))
        variables.summed.append((total, pairs_of_blocks))
        variables.theme_totals[theme] = total
        terms.append(conference.theme_weights.get(theme, 1) * total)
    return sum(terms)


def even_spread_clashes(variables: Variables, theme: str, parallel: set[str]) -> int:
    """The fewest clashes a theme can have: its required sessions that can only go in parallel blocks, spread as
    evenly as the blocks each of them can take allow.

    Where every session of the theme could take every block, this is the even spread over those blocks; where some
    can take only some (workshops that fit only the long blocks, people away for a morning), it is the least a
    convex min-cost flow of sessions to blocks gives: the k-th session of the theme in a block costs k - 1 more
    clashes, a block takes no more sessions than it has rooms, and sessions whose places are the same go together.
    A valid lower bound (the sessions' other themes, people and rooms only make it harder), put into the domain of
    the theme's total (`theme_clash`) because the tangent lines alone give CP-SAT a much weaker bound on large
    conferences (119 for 123 on the L benchmark).
    """
    groups: Counter[frozenset[tuple[str, frozenset[str]]]] = Counter()
    for session in variables.sessions.values():
        places = variables.places[session.id]
        if theme not in session.themes or session.optional or not places:
            continue
        if all(set(place.blocks) <= parallel for place in places):
            groups[frozenset((block, place.rooms) for place in places for block in place.blocks)] += 1
    if not groups:
        return 0
    return _least_pairs(groups, {b.id: len(b.rooms) for b in variables.inputs.conference.blocks if b.id in parallel})


def _least_pairs(groups: Counter[frozenset[tuple[str, frozenset[str]]]], rooms: Mapping[str, int]) -> int:
    """The least sum over blocks of n(n-1)/2, n the sessions in a block, when each group's sessions go to blocks of
    its own: a min-cost flow from groups to blocks (at most as many of a group in a block as its rooms there) and
    from blocks to the sink along one arc per further session, of cost 0, 1, 2, ... (convex, so taken in order)."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    blocks = sorted({block for group in groups for block, _ in group})
    node = {block: 2 + i for i, block in enumerate(blocks)}
    source, sink, total = 0, 1, sum(groups.values())
    for g, (group, count) in enumerate(
        sorted(groups.items(), key=lambda item: sorted((b, sorted(p)) for b, p in item[0]))
    ):
        here = 2 + len(blocks) + g
        flow.add_arc_with_capacity_and_unit_cost(source, here, count, 0)
        seats: dict[str, set[str]] = defaultdict(set)
        for block, pool in group:
            seats[block] |= pool
        for block, usable in sorted(seats.items()):
            flow.add_arc_with_capacity_and_unit_cost(here, node[block], min(count, len(usable)), 0)
    for block in blocks:
        for k in range(min(total, rooms[block])):
            flow.add_arc_with_capacity_and_unit_cost(node[block], sink, 1, k)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:  # more sessions than the blocks have rooms: no programme, nothing to bound
        return 0
    return int(flow.optimal_cost())


def theme_spread(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A theme should run through the whole conference, not crowd one day (attendees who follow it come every day):
    sessions of a theme on one day beyond the theme's even share of the days."""
    days = [d.id for d in variables.inputs.conference.days]
    shares = theme_shares(variables)
    by_theme: dict[str, list[str]] = defaultdict(list)
    for session in variables.inputs.sessions:
        for theme in session.themes:
            by_theme[theme].append(session.id)
    model, terms = variables.model, []
    for theme, share in sorted(shares.items()):
        for day in days:
            on_day = [lit for s in by_theme[theme] for place, lit in variables.chosen(s) if place.day == day]
            if len(on_day) > share:
                excess = model.new_int_var(0, len(on_day) - share, f"spread[{theme},{day}]")
                model.add(excess >= sum(on_day) - share)
                variables.counted.append((excess, on_day, partial(_beyond, share)))
                terms.append(excess)
    return sum(terms)


def adjacent_blocks(conference: Conference) -> list[tuple[str, str]]:
    """Pairs of blocks, in order, with no real break between them (back to back for whoever is in both)."""
    adjacent = []
    for day in conference.days:
        usable = [b for b in day.blocks if b.type is not BlockType.BREAK]
        adjacent += [(a.id, b.id) for a, b in pairwise(usable) if b.start - a.end < BACK_TO_BACK_GAP]
    return adjacent


def theme_shares(variables: Variables) -> dict[str, int]:
    """Theme -> sessions of it one day may hold before theme_spread counts (its even share of the days); empty
    when the conference has one day."""
    days = len(variables.inputs.conference.days)
    if days < 2:
        return {}
    sessions = Counter(theme for session in variables.inputs.sessions for theme in session.themes)
    return {theme: math.ceil(n / days) for theme, n in sessions.items()}


def back_to_back(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Speakers and chairs need a real break between their sessions: people with sessions in two adjacent blocks (one
    session spanning both does not count)."""
    adjacent = adjacent_blocks(variables.inputs.conference)
    model, terms = variables.model, []
    for person, sessions in sorted(variables.of_person.items()):
        if len(sessions) < 2:
            continue
        for first, second in adjacent:
            in_first = [(p, lit) for s in sessions for p, lit in variables.chosen(s) if first in p.blocks]
            in_second = [(p, lit) for s in sessions for p, lit in variables.chosen(s) if second in p.blocks]
            if not in_first or not in_second:
                continue
            # A place spanning both blocks is one session, not two: only the others count.
            apart = [lit for p, lit in [*in_first, *in_second] if not {first, second} <= set(p.blocks)]
            both = model.new_bool_var(f"b2b[{person},{first}]")
            model.add(both >= sum(apart) - 1)
            variables.counted.append((both, apart, partial(_beyond, 1)))
            terms.append(both)
    return sum(terms)


def room_overflow(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """An audience larger than its room stands or is turned away: seats short, the expected audience beyond the
    room's capacity (rooms too small are ruled out instead when capacity is hard)."""
    capacity = {room.id: room.capacity for room in variables.inputs.conference.rooms}
    terms = []
    for session_id, session in variables.sessions.items():
        if session.expected_audience is None:
            continue
        for place, literal in variables.chosen(session_id):
            short = session.expected_audience - min(capacity[room] for room in place.rooms)  # pooled: none short
            if short > 0:
                terms.append(short * literal)
    return sum(terms)


def day_shape(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Days have a shape (a welcome or keynote opens, a launch or social closes): blocks an opening kind starts after
    the day's first, or a closing kind ends before the day's last."""
    shape = variables.inputs.conference.day_shape
    terms = []
    for session_id, session in variables.sessions.items():
        for place, literal in variables.chosen(session_id):
            cost = (place.first if session.kind in shape.opens else 0) + (
                place.after if session.kind in shape.closes else 0
            )
            if cost:
                terms.append(cost * literal)
    return sum(terms)


def moved(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Re-planning: sessions not where the previous schedule had them (another room, start or end, as
    planner.domain.moved says), since every move is one more thing to tell speakers and attendees."""
    return sum(
        literal
        for session_id in variables.x
        if session_id in previous
        for place, literal in variables.chosen(session_id)
        if is_moved(previous[session_id], place)
    )


def move_hours(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Re-planning: a small move upsets fewer plans than a large one, so hours (rounded up) each session's start
    moved, plus one for a change of room."""
    terms = []
    for session_id in variables.x:
        before = previous.get(session_id)
        if before is None:
            continue
        for place, literal in variables.chosen(session_id):
            shift = abs((place.start.astimezone(UTC) - before.start.astimezone(UTC)).total_seconds()) / 3600
            cost = math.ceil(shift) + (place.room != before.room)
            if cost:
                terms.append(cost * literal)
    return sum(terms)


def unscheduled(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Optional sessions should still run when there is room for them: optional sessions left out."""
    return sum(variables.left_out.values())


SOFT_TERMS: dict[str, Term] = {
    "theme_clash": theme_clash,
    "theme_spread": theme_spread,
    "back_to_back": back_to_back,
    "room_overflow": room_overflow,
    "day_shape": day_shape,
    "moved": moved,
    "move_hours": move_hours,
    "unscheduled": unscheduled,
    "attendee_conflict": attendee_conflict,
    "history_position": history_position,
    "track_period": paper_terms.track_period,
    "track_room": paper_terms.track_room,
    "period_room": paper_terms.period_room,
    "similar_tracks": paper_terms.similar_tracks,
    "track_rooms": paper_terms.track_rooms,
    "track_parallel": paper_terms.track_parallel,
    "track_split": paper_terms.track_split,
    "talk_time_zone": paper_terms.talk_time_zone,
    "talk_order": paper_terms.talk_order,
    "talk_period": paper_terms.talk_period,
    "talk_room": paper_terms.talk_room,
    "presenter_conflict": paper_terms.presenter_conflict,
    "attendee_period_conflict": paper_terms.attendee_period_conflict,
    "chair_conflict": paper_terms.chair_conflict,
    "presenter_slot_conflict": paper_terms.presenter_slot_conflict,
    "attendee_slot_conflict": paper_terms.attendee_slot_conflict,
}
"""Term name (also its weight's name in conference.yaml) -> its count."""
