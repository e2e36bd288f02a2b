"""Tracks to (period, room) cells by a small CP-SAT model, for the paper warm start when its greedy runs out of cells.

The greedy (paper_start.py) gives each track a run of consecutive periods in one room, the largest track first. Where
the cells are nearly full that wastes slots: ISF22 (CoSPLib) needs 317 of its 331 slots in 101 cells of 3 or 4 slots,
and the greedy left 8 tracks without a cell, so the draft found no programme in 60 s. Choosing the cells is a small
packing problem (49 tracks by 101 cells: 4,949 literals, solved in under a second), so it is solved exactly here: each
cell holds at most one track, each track's cells have at least as many slots as its talks take and one as long as its
longest talk, a track only takes cells where one of its talks may go, and the cells' costs (paper_start._cell_cost
without the tracks beside it) plus a unit per cell (fewer cells: fewer rooms and periods per track) are least.
Any packing is found first by CP-SAT's local search alone (its tree search, with or without the costs, found none on
ISF22 in 5 deterministic seconds on one worker; the local search one in about 2 s), then improved from it as a hint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

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
    taken: dict[str, list[Cell]] = {track: [] for track in demand}
    for (track, cell), literal in holds.items():
        if solver.value(literal):
            taken[track].append(cell)
    return taken
