"""Large-neighbourhood search around the warm start: free the sessions of a few blocks, solve again with every other
session fixed where it is, keep the programme when it is no worse, and again, until the objective reaches its floor
or stops improving.

Why our own: where the greedy falls short, CP-SAT's whole-model search took 18-45 s to find what a local search finds
in seconds (issue 17), while a neighbourhood of a few blocks is a model of a few dozen sessions that CP-SAT solves to
optimality in a fraction of a second. Each neighbourhood is solved on one copy of the whole model whose other
sessions are fixed through their literals' domains, so every rule and term is the model's own, and the objective of
each answer is the model's objective.

Which sessions are freed:

- required sessions the warm start could not place, with the sessions of a few blocks they could take (a repair);
- for a theme with more clashes than its floor (the domain of its total, `Variables.theme_totals`), the block where
  one of its sessions crowds it most and a few of the blocks that session could take where the theme is thinnest;
- the block whose sessions cost most (marginal.py), with a few others;
- a few blocks at random.

Deterministic: one worker and a deterministic time per solve, neighbourhoods drawn from a generator seeded with the
settings' seed, and a fixed number of rounds without improvement before it hands over to the whole-model search; so
the same inputs give the same programme whatever the machine's load, unless the time limit or Ctrl-C cuts it short.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.domain import BlockType
from planner.solve.marginal import Marginal
from planner.solve.model import Variables
from planner.solve.settings import Settings
from planner.solve.warm_start import complete, hint_values, objective_of

ROUND_WORK = (0.05, 2e-5)
"""CP-SAT's deterministic seconds for one neighbourhood: a base, and this much per place literal of the whole model
(its presolve counts too). 0.11 s on 150 sessions, 0.23 s on 400, 0.6 s on 1,000: a few dozen sessions are solved
to optimality within it where they can be, and a neighbourhood that cannot be improved is left soon. On the hard
family's crowded variant, 0.1 s on 1,000 sessions ended 3 clashes above what 0.5 s reached in 30 s."""
STALL_ROUNDS = 40
"""Rounds without a better programme after which the whole-model search takes over (it can prove what no
neighbourhood can)."""
FREED = 36
"""About how many sessions a neighbourhood frees: the blocks it takes are as many as hold about this many."""
MOST_BLOCKS = 6


def round_solver(seed: int, work: float, deadline: float) -> cp_model.CpSolver:
    """CP-SAT for one neighbourhood's round (here and paper_search.py): one worker, so rounds run side by side and
    each is the same on any machine for a seed and a deterministic `work`, cut at `deadline`; no symmetry detection
    (it breaks the hint); Ctrl-C is ctrl_c_stops' to handle, between rounds."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = work
    solver.parameters.max_time_in_seconds = max(0.01, deadline - time.monotonic())
    solver.parameters.symmetry_level = 0
    solver.parameters.catch_sigint_signal = False
    return solver


@dataclass
class Incumbent:
    """The best programme so far: session id -> the index of its place (an optional session left out and a required
    one not yet placed are absent), and its objective (None while a required session has no place)."""

    places: dict[str, int]
    objective: int | None


class _Fixed:
    """A copy of the model in which every session not freed is fixed where the incumbent has it, through its
    literals' domains; between rounds only the sessions whose state changed are touched."""

    def __init__(self, variables: Variables) -> None:
        self.variables = variables
        self.model = variables.model.clone()
        self.model.clear_hints()
        base, per_literal = ROUND_WORK
        self.work = base + per_literal * sum(map(len, variables.x.values()))
        self.state: dict[str, int | None] = {}
        """Session id -> the place index it is fixed at, -1 for left out, None (or absent) while free."""

    def _domain(self, index: int, value: int | None) -> None:
        domain = self.model.proto.variables[index].domain
        domain[0], domain[1] = (0, 1) if value is None else (value, value)

    def fix(self, incumbent: Incumbent, freed: set[str]) -> None:
        """Frees the freed sessions and every required one with no place yet, and fixes the others where the
        incumbent has them (an optional one it does not place, left out)."""
        variables = self.variables
        for session, literals in variables.x.items():
            wanted: int | None = None
            if session not in freed:
                if session in incumbent.places:
                    wanted = incumbent.places[session]
                elif session in variables.left_out:
                    wanted = -1
            if self.state.get(session) == wanted:
                continue
            for i, literal in enumerate(literals):
                self._domain(literal.index, None if wanted is None else int(i == wanted))
            if session in variables.left_out:
                self._domain(variables.left_out[session].index, None if wanted is None else int(wanted == -1))
            self.state[session] = wanted

    def hint(self, incumbent: Incumbent, freed: set[str]) -> None:
        """The incumbent's places of the freed sessions as the solve's hint, and nothing else: the solve then starts
        near the incumbent but ends wherever its search does, so a neighbourhood that cannot be improved still often
        moves to another programme as good (which the next neighbourhoods start from)."""
        model, variables = self.model, self.variables
        model.clear_hints()
        values = hint_values(variables, {s: i for s, i in incumbent.places.items() if s in freed})
        for session in sorted(freed):
            for literal in [*variables.x[session], variables.left_out.get(session)]:
                if literal is not None and literal.index in values:
                    model.add_hint(model.get_int_var_from_proto_index(literal.index), values[literal.index])

    def solve(self, incumbent: Incumbent, freed: set[str], seed: int, deadline: float) -> _Found | None:
        """The best programme of the neighbourhood within its work (ROUND_WORK): the freed sessions' places and the
        objective with each theme's clashes; None when the solve found none."""
        self.fix(incumbent, freed)
        self.hint(incumbent, freed)
        solver = round_solver(seed, self.work, deadline)
        if solver.solve(self.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        variables = self.variables
        places = {}
        for session in sorted(freed):
            index = next((i for i, lit in enumerate(variables.x[session]) if solver.boolean_value(lit)), None)
            if index is not None:
                places[session] = index
        clashes = {theme: int(solver.value(var)) for theme, var in variables.theme_totals.items()}
        return _Found(round(solver.objective_value), freed, places, clashes)


@dataclass(frozen=True)
class _Found:
    objective: int
    freed: set[str]
    places: dict[str, int]
    """Freed session -> the index of its new place (absent: left out)."""
    clashes: dict[str, int]


class _Chooser:
    """Picks the sessions each round frees (see the module docstring)."""

    def __init__(self, variables: Variables, seed: int) -> None:
        self.variables = variables
        self.random = random.Random(seed)
        conference = variables.inputs.conference
        self.parallel = {b.id for b in conference.blocks if b.type is BlockType.PARALLEL}
        self.blocks = sorted(variables.in_block)
        sessions_in_parallel = sum(len(b.rooms) for b in conference.blocks if b.id in self.parallel)
        per_block = sessions_in_parallel / max(1, len(self.parallel))
        self.width = max(2, min(MOST_BLOCKS, round(FREED / max(1.0, per_block))))
        domains = variables.model.proto.variables
        self.floors = {theme: domains[var.index].domain[0] for theme, var in variables.theme_totals.items()}

    def blocks_of(self, session: str, index: int) -> tuple[str, ...]:
        return self.variables.places[session][index].blocks

    def sessions_in(self, incumbent: Incumbent, blocks: set[str]) -> set[str]:
        return {s for s, i in incumbent.places.items() if blocks.intersection(self.blocks_of(s, i))}

    def choose(self, incumbent: Incumbent, clashes: dict[str, int]) -> tuple[str, set[str]]:
        """(the kind of neighbourhood, the sessions it frees)."""
        width = self.width + self.random.choice((-1, 0, 0, 1))
        width = max(2, min(MOST_BLOCKS, width))
        unplaced = [s for s in self.variables.x if s not in incumbent.places and s not in self.variables.left_out]
        if unplaced:
            return "repair", self._repair(incumbent, unplaced, width)
        over = sorted(t for t, n in clashes.items() if n > self.floors.get(t, n))
        pick = self.random.random()
        if over and pick < 0.7:
            chosen = self._theme(incumbent, self.random.choice(over), width)
            if chosen:
                return "theme", chosen
        if pick < 0.85:
            return "costly", self._costly(incumbent, width)
        return "random", self.sessions_in(incumbent, set(self.random.sample(self.blocks, min(width, len(self.blocks)))))

    def _repair(self, incumbent: Incumbent, unplaced: list[str], width: int) -> set[str]:
        session = self.random.choice(sorted(unplaced))
        could = sorted({b for place in self.variables.places[session] for b in place.blocks})
        blocks = set(self.random.sample(could, min(width, len(could))))
        return set(unplaced) | self.sessions_in(incumbent, blocks)

    def _theme(self, incumbent: Incumbent, theme: str, width: int) -> set[str]:
        """The block where the theme is most crowded and, among the blocks one of its sessions there could take,
        the width - 1 where it is thinnest."""
        count: Counter[str] = Counter()
        of_theme: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for session, index in sorted(incumbent.places.items()):
            if theme in self.variables.sessions[session].themes:
                for block in self.blocks_of(session, index):
                    if block in self.parallel:
                        count[block] += 1
                        of_theme[block].append((session, index))
        crowded = max(sorted(count), key=lambda b: (count[b], self.random.random()), default=None)
        if crowded is None or count[crowded] < 2:
            return set()
        session, _ = self.random.choice(of_theme[crowded])
        could = {b for place in self.variables.places[session] for b in place.blocks} & self.parallel
        # sorted first: the random tie-breaks must be drawn in the same order whatever the string hash seed
        thin = sorted(sorted(could - {crowded}), key=lambda b: (count[b], self.random.random()))[: width - 1]
        return self.sessions_in(incumbent, {crowded, *thin})

    def _costly(self, incumbent: Incumbent, width: int) -> set[str]:
        """One of the three blocks whose sessions would save most by leaving, and width - 1 others at random."""
        marginal = Marginal(self.variables)
        literals = {s: self.variables.x[s][i].index for s, i in incumbent.places.items()}
        for literal in literals.values():
            marginal.add(literal)
        cost: Counter[str] = Counter()
        for session, literal in sorted(literals.items()):
            marginal.remove(literal)
            saved = marginal.cost(literal)
            marginal.add(literal)
            for block in self.blocks_of(session, incumbent.places[session]):
                cost[block] += saved
        ranked = sorted(self.blocks, key=lambda b: (-cost[b], b))
        first = self.random.choice(ranked[:3])
        others = self.random.sample([b for b in self.blocks if b != first], min(width - 1, len(self.blocks) - 1))
        return self.sessions_in(incumbent, {first, *others})


def improve(
    variables: Variables,
    start: dict[str, int],
    floor: float,
    settings: Settings,
    deadline: float,
    stopped: Callable[[], bool],
    on_better: Callable[[Incumbent], None],
    stall_rounds: int = STALL_ROUNDS,
) -> Incumbent:
    """The best programme the neighbourhoods find from `start` (see the module docstring), told to `on_better` each
    time it improves; ends at the floor, after `stall_rounds` rounds without improvement, at `deadline` (a
    time.monotonic() value) or when `stopped()` says so.

    Each round solves one neighbourhood per worker at once, each on its own copy of the model, and keeps the best
    answer (the first of equals), so the rounds are the same whatever finishes first.
    """
    incumbent = Incumbent(dict(start), None)
    values = hint_values(variables, incumbent.places)
    clashes = {theme: values.get(var.index, 0) for theme, var in variables.theme_totals.items()}
    if complete(variables, incumbent.places):
        incumbent.objective = objective_of(variables, values)
    workers = settings.workers or min(8, os.cpu_count() or 1)
    copies = [_Fixed(variables) for _ in range(workers)]
    chooser = _Chooser(variables, settings.seed)
    stalled = round_number = 0
    with ThreadPoolExecutor(workers) as pool:
        while stalled < stall_rounds and not stopped() and time.monotonic() < deadline:
            if incumbent.objective is not None and incumbent.objective <= floor:
                break
            round_number += 1
            neighbourhoods = [chooser.choose(incumbent, clashes)[1] for _ in copies]
            seeds = [settings.seed + round_number * workers + i for i in range(workers)]
            answers = list(pool.map(lambda c, f, s: c.solve(incumbent, f, s, deadline), copies, neighbourhoods, seeds))
            kept = [a for a in answers if a and (incumbent.objective is None or a.objective <= incumbent.objective)]
            if not kept:
                stalled += 1
                continue
            best = min(kept, key=lambda a: a.objective)
            for session in best.freed:
                incumbent.places.pop(session, None)
            incumbent.places.update(best.places)
            clashes = best.clashes
            if incumbent.objective is None or best.objective < incumbent.objective:
                incumbent.objective = best.objective
                stalled = 0
                on_better(incumbent)
            else:
                stalled += 1  # as good: kept, so that the next neighbourhoods start elsewhere
    return incumbent
