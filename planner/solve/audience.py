"""The `attendee_conflict` term: attendees who picked two sessions that run at the same time lose one of them.

It counts (attendee, pair of their picks) that overlap in clock time, weighted: for each pair of sessions, what
planner.audience says their overlap costs (the attendees' lesser weights, summed, plus the prior for thin sessions),
times whether the programme runs them at once. Built from those session-pair weights, never per attendee, so the
model grows with the pairs attendees want together, not with the attendees.

Exact for blocks of different lengths and for plenaries. Two places overlap in clock time exactly when they share a
block (a place is a run of whole blocks of one day, starting with the first and ending within the last, and blocks
never overlap), and each overlapping pair is counted once, at the block where the later of the two starts: there one
of them starts while the other runs. A plenary block holds one session, so nothing overlaps there.

The formulation: one helper per session, block where it starts and weight class, a *star*. For session u starting at
block b, its star counts the pairs it is the later (or, starting together, the first by id) of: the sessions v
wanted with it that run at b (v after u by id) or that started before b and run on into it (v before u). With S
whether u starts at b, L how many such v run there and K at most how many can (the block's rooms), the star is
max(0, K*S + L - K) = S*L, a function of one count with u's literal counted K times, which is what
`Variables.counted` holds, so the warm start weighs the term exactly (marginal.py). Weights are split into binary
classes (a star per bit, its helper costing 2^k), so no literal is repeated for its weight. Size: a helper per
session, block and class (about sessions x blocks), and in their counts every (pair, shared block) once.

That last is what grows: 5,000 attendees with 10 picks each on 400 sessions are 47,000 pairs over 48 parallel
blocks, 2.3 million (pair, block) in the stars' counts, which the warm start walks through one by one (about 15 s
to the first programme). Beyond STARS_LIMIT the term takes its compact form instead (`_pairs`): the numbers of each
session's first and last block, and per pair one helper that is 1 when the two run at once, about six constraints a
pair whatever the number of blocks; its helpers are registered in `Variables.together`, so that the warm start hints
them and prices a place by the sessions already in its blocks (model 1.6 s, first programme 4.7 s on that instance;
BENCHMARKS.md). On small conferences the stars prove optimality sooner (SOC25: 1 s against 16 s), so they stay.

The floor: an attendee's picks that start in one block overlap, and a block takes at most as many sessions as it has
rooms, so each attendee's picks spread over the blocks they can start in as evenly as those allow (a min-cost flow;
the even-spread bound) give at least so many overlapping pairs, each costing at least the attendee's least weight.
Put into the domain of the term's total, as theme_clash does, so a programme that reaches it is proven optimal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import partial

from ortools.sat.python import cp_model

from planner.audience import PairInterest, estimates
from planner.domain import Block, BlockType, Conference
from planner.solve.model import Literal, Variables

Pairs = Mapping[tuple[str, str], PairInterest]


def _beyond(allowed: int, n: int) -> int:
    return max(0, n - allowed)


def capacity(block: Block) -> int:
    """How many sessions can run in a block at once: one in a plenary, one per open room otherwise."""
    return 1 if block.type is BlockType.PLENARY else len(block.rooms)


class _Occupancy:
    """Each session's place literals by the block they start in and by the blocks they run into after their first."""

    def __init__(self, variables: Variables) -> None:
        self.starting: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
        self.running: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
        self.continuing: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
        for session in variables.x:
            for place, literal in variables.chosen(session):
                self.starting[session][place.blocks[0]].append(literal)
                for index, block in enumerate(place.blocks):
                    self.running[session][block].append(literal)
                    if index:
                        self.continuing[session][block].append(literal)


def _neighbours(pairs: Pairs, modelled: Mapping[str, object]) -> dict[str, list[tuple[str, int]]]:
    """Session id -> (another session wanted with it, the pair's weight), for pairs the model has both of."""
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (first, second), interest in pairs.items():
        if interest.weight and first in modelled and second in modelled:
            found[first].append((second, interest.weight))
            found[second].append((first, interest.weight))
    return found


def _stars(variables: Variables, pairs: Pairs) -> list[tuple[cp_model.IntVar, int, int]]:
    """The stars (see the module docstring), each with what one unit of it costs and its largest value."""
    model = variables.model
    seats = {b.id: capacity(b) for b in variables.inputs.conference.blocks if b.type is not BlockType.BREAK}
    occupancy = _Occupancy(variables)
    helpers = []
    for session, others in sorted(_neighbours(pairs, variables.x).items()):
        for block, own in sorted(occupancy.starting[session].items()):
            if seats.get(block, 0) < 2:
                continue  # a plenary: nothing runs beside the session
            classes: dict[int, list[Literal]] = defaultdict(list)
            met: dict[int, int] = defaultdict(int)
            for other, weight in others:
                there = (occupancy.running if other > session else occupancy.continuing)[other].get(block)
                if not there:
                    continue
                bit = 0
                while weight:
                    if weight & 1:
                        classes[bit].extend(there)
                        met[bit] += 1
                    weight >>= 1
                    bit += 1
            for bit, literals in sorted(classes.items()):
                most = min(met[bit], seats[block])
                star = model.new_int_var(0, most, f"attendees[{session},{block},{bit}]")
                terms = cp_model.LinearExpr.weighted_sum(own + literals, [most] * len(own) + [1] * len(literals))
                model.add(terms - star <= most)
                variables.counted.append((star, own * most + literals, partial(_beyond, most)))
                helpers.append((star, 1 << bit, most))
    return helpers


def even_spread_conflicts(
    conference: Conference, picks: Mapping[str, Mapping[str, int]], starts: Mapping[str, set[str]]
) -> int:
    """The fewest weighted overlapping pairs the attendees' picks can have (see the module docstring): `picks` is
    attendee -> session -> weight, `starts` session -> the blocks it can start in (sessions absent are not placed)."""
    seats = {b.id: capacity(b) for b in conference.blocks if b.type is not BlockType.BREAK}
    total = 0
    for wanted in picks.values():
        placeable = [s for s in wanted if starts.get(s)]
        if len(placeable) < 2 or all(len(starts[s]) >= len(placeable) for s in placeable):
            continue  # each pick has a block of its own (Hall's condition holds)
        total += _least_pairs([starts[s] for s in placeable], seats) * min(wanted[s] for s in placeable)
    return total


def _least_pairs(options: list[set[str]], seats: Mapping[str, int]) -> int:
    """The least sum over blocks of n(n-1)/2 when each pick goes to one of its blocks, a block taking at most its
    seats: a min-cost flow whose k-th unit into a block costs k."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    blocks = sorted(set().union(*options))
    node = {block: 2 + len(options) + i for i, block in enumerate(blocks)}
    for i, usable in enumerate(options):
        flow.add_arc_with_capacity_and_unit_cost(0, 2 + i, 1, 0)
        for block in sorted(usable):
            flow.add_arc_with_capacity_and_unit_cost(2 + i, node[block], 1, 0)
    for block in blocks:
        for k in range(min(len(options), seats[block])):
            flow.add_arc_with_capacity_and_unit_cost(node[block], 1, 1, k)
    flow.set_node_supply(0, len(options))
    flow.set_node_supply(1, -len(options))
    return int(flow.optimal_cost()) if flow.solve() == flow.OPTIMAL else 0


def block_order(conference: Conference) -> dict[str, int]:
    """Each session block's number in time order over the whole conference, from 1: a place's blocks have
    consecutive numbers, and two places overlap exactly when their numbers do."""
    usable = sorted(
        (b for b in conference.blocks if b.type is not BlockType.BREAK), key=lambda b: (b.start.timestamp(), b.id)
    )
    return {block.id: number for number, block in enumerate(usable, start=1)}


def _pairs(variables: Variables, pairs: Pairs) -> list[tuple[cp_model.IntVar, int, int]]:
    """The compact form: per session the numbers of its first and last block, and per pair a helper that is 1 when
    the two run at once (their numbers overlap), registered in `Variables.together` so the warm start hints and
    prices it from the places themselves. About six constraints per pair, whatever the number of blocks."""
    model, order = variables.model, block_order(variables.inputs.conference)
    seats = {b.id: capacity(b) for b in variables.inputs.conference.blocks if b.type is not BlockType.BREAK}
    reach: dict[str, set[str]] = {}
    ends: dict[str, tuple[cp_model.IntVar, cp_model.IntVar]] = {}
    for session in {s for key in pairs for s in key if s in variables.x}:
        places = variables.places[session]
        reach[session] = {b for p in places for b in p.blocks if seats[b] > 1}
        first = model.new_int_var(0, len(order), f"first[{session}]")
        last = model.new_int_var(0, len(order), f"last[{session}]")
        literals = variables.x[session]
        model.add(first == cp_model.LinearExpr.weighted_sum(literals, [order[p.blocks[0]] for p in places]))
        model.add(last == cp_model.LinearExpr.weighted_sum(literals, [order[p.blocks[-1]] for p in places]))
        ends[session] = (first, last)
    helpers = []
    together = _registry(variables)
    assert together is not None
    for (one, other), interest in pairs.items():
        if not interest.weight or one not in ends or other not in ends or reach[one].isdisjoint(reach[other]):
            continue
        at_once = model.new_bool_var(f"together[{one},{other}]")
        before, after = model.new_bool_var(""), model.new_bool_var("")
        (first_one, last_one), (first_other, last_other) = ends[one], ends[other]
        model.add(last_one < first_other).only_enforce_if(before)
        model.add(last_other < first_one).only_enforce_if(after)
        left = [variables.left_out[s] for s in (one, other) if s in variables.left_out]
        model.add_bool_or([at_once, before, after, *left])
        together.append((at_once, one, other))
        helpers.append((at_once, interest.weight, 1))
    return helpers


STARS_LIMIT = 200_000
"""(Pair, shared block) incidences up to which the stars are built; beyond, the compact form (`_pairs`) when the model
can hint and price it (`Variables.together`), since the stars' counts grow with pairs times blocks."""


def _registry(variables: Variables) -> list[tuple[cp_model.IntVar, str, str]] | None:
    """`Variables.together`, where the model has it: helpers the warm start hints and prices from the places they
    compare (the compact form needs it; see the module docstring)."""
    return vars(variables).get("together")


def incidences(variables: Variables, pairs: Pairs) -> int:
    """How many (pair, block both can run in) the stars would count: their size."""
    blocks = {s: {b for p in variables.places[s] for b in p.blocks} for s in variables.x}
    return sum(len(blocks[a] & blocks[b]) for a, b in pairs if a in blocks and b in blocks)


def attendee_conflict(variables: Variables, previous: object) -> cp_model.LinearExprT:
    """Attendees lose a session they picked when another of their picks runs at the same time: (attendee, pair of
    their picks) overlapping in clock time, weighted (see the module docstring)."""
    inputs = variables.inputs
    found = estimates(inputs.conference.audience, inputs.conference.interest, inputs.sessions)
    if found is None or not found.pairs:
        return 0
    compact = _registry(variables) is not None and incidences(variables, found.pairs) > STARS_LIMIT
    helpers = _pairs(variables, found.pairs) if compact else _stars(variables, found.pairs)
    if not helpers:
        return 0
    audience = inputs.conference.audience
    starts = {s: {p.blocks[0] for p in variables.places[s]} for s in variables.x if s not in variables.left_out}
    floor = even_spread_conflicts(inputs.conference, audience.picks if audience else {}, starts)
    weighted = cp_model.LinearExpr.weighted_sum([h for h, _, _ in helpers], [w for _, w, _ in helpers])
    if floor == 0:
        return weighted
    most = sum(w * top for _, w, top in helpers)
    total = variables.model.new_int_var(min(floor, most), most, "attendee_conflicts")
    variables.model.add(total == weighted)
    variables.summed.append((total, [h for h, w, _ in helpers for _ in range(w)]))
    return total
