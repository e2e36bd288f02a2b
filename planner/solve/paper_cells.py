"""Tracks to (period, room) cells by small CP-SAT models, for the paper warm start: `packed_cells` when its greedy
runs out of cells, then `costed_cells`, which lowers the track-level terms of whichever packing it gets.

The greedy (paper_start.py) gives each track a run of consecutive periods in one room, the largest track first. Where
the cells are nearly full that wastes slots: ISF22 (CoSPLib) needs 317 of its 331 slots in 101 cells of 3 or 4 slots,
and the greedy left 8 tracks without a cell, so the draft found no programme in 60 s. Choosing the cells is a small
packing problem (49 tracks by 101 cells: 4,949 literals, solved in under a second), so it is solved exactly here: each
cell holds at most one track, each track's cells have at least as many slots as its talks take and one as long as its
longest talk, a track only takes cells where one of its talks may go, and the cells' costs (paper_start._cell_cost
without the tracks beside it) plus a unit per cell (fewer cells: fewer rooms and periods per track) are least.
Any packing is found first by CP-SAT's local search alone (its tree search, with or without the costs, found none on
ISF22 in 5 deterministic seconds on one worker; the local search one in about 2 s), then improved from it as a hint.

The costed packing then counts what the tracks' cells cost in planner's own terms (a cell's costs, hopping, a track
in parallel with itself, a split track, similar tracks or tracks with a chair in common in one period) and lowers it
for all tracks at once, each offered its best few rooms in every period (see costed_cells).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

Cell = tuple[str, str]
"""(period, room)."""

PACKING_WORK = 5.0
"""CP-SAT's deterministic seconds for the packing: a fixed amount of work, not a clock, so that the warm start is the
same on a busy machine, for finding the first packing. ISF22 needs about 2."""

IMPROVING_WORK = 1.0
"""Deterministic seconds to lower the packing's cost from the first one found: the neighbourhood search and CP-SAT
improve the programme afterwards anyway."""

PER_CELL = 1000
"""What each cell a track takes costs beside its own costs, as in the greedy: fewer cells come first."""


def packed_cells(
    free: Mapping[Cell, int],
    demand: Mapping[str, int],
    longest: Mapping[str, int],
    usable: Mapping[str, set[Cell]],
    cost: Callable[[str, Cell], int],
) -> dict[str, list[Cell]] | None:
    """Track -> its cells, every track given enough slots; None when no such packing was found within the work.

    `free` is each open cell's slots, `demand` each track's slots, `longest` its longest talk in slots, `usable` the
    cells where at least one of its talks may go, `cost` a cell's cost for a track."""
    model = cp_model.CpModel()
    cells = sorted(free)
    holds: dict[tuple[str, Cell], cp_model.IntVar] = {}
    for track in sorted(demand):
        for cell in cells:
            if cell in usable.get(track, set()):
                holds[track, cell] = model.new_bool_var(f"holds[{track},{cell[0]},{cell[1]}]")
    for cell in cells:
        model.add_at_most_one(holds[t, c] for t, c in holds if c == cell)
    for track in sorted(demand):
        mine = [(cell, literal) for (t, cell), literal in holds.items() if t == track]
        model.add(sum(free[cell] * literal for cell, literal in mine) >= demand[track])
        long_enough = [literal for cell, literal in mine if free[cell] >= longest[track]]
        model.add_bool_or(long_enough or [model.new_constant(0)])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = PACKING_WORK
    solver.parameters.random_seed = 0
    solver.parameters.use_ls_only = True  # first any packing, by local search alone
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    for literal in holds.values():
        model.add_hint(literal, solver.value(literal))
    model.minimize(sum((cost(t, c) + PER_CELL) * literal for (t, c), literal in holds.items()))
    solver.parameters.use_ls_only = False
    solver.parameters.max_deterministic_time = IMPROVING_WORK
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _taken(solver, holds, demand)


def _taken(
    solver: cp_model.CpSolver, holds: Mapping[tuple[str, Cell], cp_model.IntVar], tracks: Iterable[str]
) -> dict[str, list[Cell]]:
    """Track -> the cells the solve gave it."""
    taken: dict[str, list[Cell]] = {track: [] for track in tracks}
    for (track, cell), literal in holds.items():
        if solver.value(literal):
            taken[track].append(cell)
    return taken


COSTED_WORK = (0.1, 0.002, 4.0)
"""CP-SAT's deterministic seconds for the costed packing (`costed_cells`): a base, this much per literal and at most
the last (OR60F, 1,360 literals: 2.8 s; N2OR's 128 need no more than 0.4, where 4 s made its first programme come at
3 s instead of 1)."""

COSTED_WORKERS = 8

ROOMS_PER_TRACK = 4
"""How many rooms the costed packing offers each track in every period (`_candidates`), beside its hint's cells."""

SHORT = 100_000
"""What each slot (or, for talks of several slots, each talk) a track's cells lack costs in the costed packing."""


@dataclass(frozen=True)
class TrackTerms:
    """The track-level terms of a paper conference, weighted, as the costed packing counts them (paper_terms.py has
    their exact definitions over talks): a cell's own costs, rooms a track uses beyond its first, rooms it holds in one
    period beyond the first, a track whose periods do not follow each other, and pairs of tracks held in one period
    that are similar or share a chair."""

    cell: Callable[[str, Cell], int]
    """A cell's track_period, track_room and period_room costs for a track, weighted."""
    hopping: int
    parallel: int
    split: int
    pairs: Mapping[tuple[str, str], int]
    """(track, other track), in name order -> what holding both in one period costs (similarity and shared chairs)."""
    order: tuple[str, ...]
    """The periods in time order."""


def costed_cells(
    free: Mapping[Cell, int],
    sizes: Mapping[str, Mapping[int, int]],
    usable: Mapping[str, set[Cell]],
    terms: TrackTerms,
    hint: Mapping[str, list[Cell]],
) -> dict[str, list[Cell]] | None:
    """Track -> its cells, least in the track-level terms, from `hint` (the greedy's cells); None when the hint
    breaks a rule or CP-SAT finds nothing within COSTED_WORK.

    The greedy (paper_start.py) takes each track's cheapest run of periods in one room in turn, so the last tracks get
    what is left: on OR60F its cells cost 804 in these terms (tracks in rooms at 100), and the neighbourhoods, which
    must free both tracks of a swap whole, ended between 161 and 663 at 60 s by the seed. Here all tracks are packed
    at once (OR60F: 226 in 4 deterministic seconds), their talks placed afterwards (a talk's own costs and conflicts
    are the neighbourhoods' to lower). A track's cells should hold its talks (`sizes`: how many take each number of
    slots; counted per length, a cell of 3 slots holding one talk of 2, exact when cells hold talks of one length);
    what they lack costs SHORT, so that any hint is a packing."""
    model = cp_model.CpModel()
    liked: dict[str, int] = defaultdict(int)  # room -> how many (track, period) find it free of cost
    for track in sorted(sizes):
        for cell in usable.get(track, set()) & set(free):
            liked[cell[1]] += terms.cell(track, cell) == 0
    holds: dict[tuple[str, Cell], cp_model.IntVar] = {}
    for track in sorted(sizes):
        for cell in sorted(_candidates(track, free, usable, terms, hint, liked)):
            holds[track, cell] = model.new_bool_var(f"holds[{track},{cell[0]},{cell[1]}]")
    by_cell: dict[Cell, list[cp_model.IntVar]] = defaultdict(list)
    for (_, cell), literal in holds.items():
        by_cell[cell].append(literal)
    for literals in by_cell.values():
        model.add_at_most_one(literals)
    costs: list[cp_model.LinearExprT] = []
    present: dict[tuple[str, str], cp_model.IntVar] = {}
    for track in sorted(sizes):
        mine = [(cell, literal) for (t, cell), literal in holds.items() if t == track]
        needs = [(1, sum(k * n for k, n in sizes[track].items()))]
        needs += [(k, sum(n for size, n in sizes[track].items() if size >= k)) for k in sorted(sizes[track]) if k > 1]
        for length, wanted in needs:
            # short of what the talks need: allowed, at a cost above any other, so that any hint is a packing
            short = model.new_int_var(0, wanted, f"short[{track},{length}]")
            model.add(sum((free[cell] // length) * literal for cell, literal in mine) + short >= wanted)
            costs.append(SHORT * short)
        costs += [terms.cell(track, cell) * literal for cell, literal in mine]
        rooms: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        periods: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for (period, room), literal in mine:
            rooms[room].append(literal)
            periods[period].append(literal)
        if terms.hopping:
            uses = [_any(model, literals, f"uses[{track},{room}]") for room, literals in sorted(rooms.items())]
            costs.append(terms.hopping * (cp_model.LinearExpr.sum(uses) - 1))
        for period in terms.order:
            if period in periods:
                present[track, period] = _any(model, periods[period], f"in[{track},{period}]")
                if terms.parallel:
                    costs.append(terms.parallel * (sum(periods[period]) - present[track, period]))
        if terms.split:
            costs.append(terms.split * _split(model, [present.get((track, p)) for p in terms.order], track))
    for (track, other), cost in sorted(terms.pairs.items()):
        for period in terms.order:
            if (track, period) in present and (other, period) in present:
                both = model.new_bool_var(f"both[{track},{other},{period}]")
                model.add(both >= present[track, period] + present[other, period] - 1)
                costs.append(cost * both)
    # the terms first, then the fewest cells
    model.minimize(cp_model.LinearExpr.sum(costs) * len(free) + cp_model.LinearExpr.sum(list(holds.values())))
    given = {literal.index: int(cell in hint.get(track, ())) for (track, cell), literal in holds.items()}
    if not _hint_whole(model, given):
        return None
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = 0
    base, per_literal, most = COSTED_WORK
    solver.parameters.max_deterministic_time = min(most, base + per_literal * len(holds))
    # CP-SAT's portfolio, interleaved so that it is deterministic: one worker (a tree search from the hint) did not
    # lower OR60F's packing at all in 4 deterministic seconds (804), eight interleaved took it to 226
    solver.parameters.num_workers = COSTED_WORKERS
    solver.parameters.interleave_search = True
    solver.parameters.interleave_batch_size = COSTED_WORKERS
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _taken(solver, holds, sizes)


def _candidates(
    track: str,
    free: Mapping[Cell, int],
    usable: Mapping[str, set[Cell]],
    terms: TrackTerms,
    hint: Mapping[str, list[Cell]],
    liked: Mapping[str, int],
) -> set[Cell]:
    """The cells the costed packing offers a track: those of its ROOMS_PER_TRACK best rooms in every period, and its
    cells in the hint. A room is better when its cells cost the track less in all, then when fewer tracks find it as
    cheap (a track that may go anywhere leaves the one room another track likes to it). Every cell of every track
    made a model (OR60F3: 52,000 literals) in which CP-SAT found no packing at all in 5 deterministic seconds."""
    mine = usable.get(track, set()) & set(free)
    rooms = sorted({room for _, room in mine})
    cost = {room: sum(terms.cell(track, c) for c in mine if c[1] == room) for room in rooms}
    best = sorted(rooms, key=lambda room: (cost[room], liked[room], room))[:ROOMS_PER_TRACK]
    return {c for c in mine if c[1] in best} | (set(hint.get(track, ())) & mine)


def _hint_whole(model: cp_model.CpModel, chosen: Mapping[int, int]) -> bool:
    """Hints every variable of the model, and says so: the chosen cells, and each helper at its least value for them
    (the model solved with the cells fixed); False, with nothing hinted, when the cells break a constraint. A hint of
    the cells alone left CP-SAT with no packing after 4 deterministic seconds on OR60F3."""
    fixed = model.clone()
    fixed.clear_hints()
    for index, value in chosen.items():
        fixed.add(fixed.get_bool_var_from_proto_index(index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = COSTED_WORK[2]
    model.clear_hints()
    if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    for index in range(len(model.proto.variables)):
        variable = model.get_int_var_from_proto_index(index)
        model.add_hint(variable, solver.value(fixed.get_int_var_from_proto_index(index)))
    return True


def _any(model: cp_model.CpModel, literals: list[cp_model.IntVar], name: str) -> cp_model.IntVar:
    """A literal true exactly when one of `literals` is."""
    found = model.new_bool_var(name)
    model.add_max_equality(found, literals)
    return found


def _split(model: cp_model.CpModel, present: list[cp_model.IntVar | None], track: str) -> cp_model.IntVar:
    """A literal that must be true when the track's periods do not follow each other: it starts more than once (a
    start is a period with it after one without)."""
    starts = []
    before: cp_model.IntVar | None = None
    for index, here in enumerate(present):
        if here is not None:
            start = model.new_bool_var(f"start[{track},{index}]")
            if before is None:
                model.add(start >= here)
            else:
                model.add(start >= here - before)
            starts.append(start)
        before = here
    split = model.new_bool_var(f"split[{track}]")
    model.add(sum(starts) <= 1 + len(starts) * split)
    return split
