"""The search step: CP-SAT from the warm start with a time limit, progress and Ctrl-C, and the programme it ends with
read into a Solution, whichever solve produced it."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from ortools.sat.python import cp_model

from planner.solve.answer import Progress
from planner.solve.interrupt import ctrl_c_stops
from planner.solve.model import Variables
from planner.solve.neighbourhood import STALL_ROUNDS, Incumbent, improve
from planner.solve.options import Place
from planner.solve.settings import Settings
from planner.solve.warm_start import add_hint

LARGE_MODEL = 30_000
"""Place literals beyond which symmetry detection is off. Presolve's symmetry fixing breaks the warm start (the
hint then needs repair, which on a 1,000-session congress took the whole minute), while proving optimality there is
out of reach anyway; below it, symmetry is what proves optimality quickly (see BENCHMARKS.md)."""


NEIGHBOURHOODS_FROM = 100
"""Sessions from which our large-neighbourhood search runs before the whole-model search. Below it the whole model
is small enough for CP-SAT's own search (soc2025's 29 sessions: proven in 0.2 s), and it keeps finding the
programmes it found before the neighbourhoods existed."""


PROBE_WORK = 3.0
"""CP-SAT's deterministic seconds for the floor probe (`_at_floor`): about 4 s on the 2-core bench machine. A denser
variant of the hard family (150 sessions, up to 3 themes each, 5 blocks a day) stalled one clash above its floor,
where the whole-model search took 22-34 s to reach the floor; the probe reaches it in 1.5 deterministic seconds.
Where it does not succeed within this budget (400 and 1,000 sessions of that variant: nothing in 30 s), the time it
took is lost to the whole-model search."""


PROBE_AFTER = 12
"""Rounds of the large-neighbourhood search without a better programme after which the floor is probed once
(`_at_floor`) before the neighbourhoods go on. Between two improvements on the hard family's 150 and 400 sessions
(and a denser variant) there were at most 13 rounds, most often 1-4."""


@dataclass
class Built:
    """The model ready to search: its variables, each soft term's expression, the warm start's objective (None
    when the greedy's hint is not a whole programme), and the warm start itself for the large-neighbourhood search
    to start from (None: no such search)."""

    model: cp_model.CpModel
    variables: Variables
    terms: dict[str, cp_model.LinearExprT]
    warm_objective: int | None
    start: dict[str, int] | None = None
    """Session id -> the index of its place in the warm start (sessions it could not place are absent)."""


@dataclass(frozen=True)
class Solution:
    """A programme as read from the solve that produced it, with the bound that holds for it."""

    optimal: bool
    objective: int
    bound: int
    chosen: dict[str, Place]
    """Session id -> its place (sessions left out are absent)."""
    terms: dict[str, int]
    """Each soft term's unweighted count."""


class Ending(StrEnum):
    """Why a search ended with no programme."""

    INFEASIBLE = "infeasible"
    """Proven: none exists."""
    STOPPED = "stopped"
    """Ctrl-C before there was one."""
    OUT_OF_TIME = "out of time"
    """The time limit came first."""


class Recorder(cp_model.CpSolverSolutionCallback):
    """Records (time, objective, bound) at every improving solution and passes it on."""

    def __init__(self, on_progress: Callable[[Progress], None] | None, started: float) -> None:
        super().__init__()
        self.on_progress = on_progress
        self.started = started
        self.seen: list[Progress] = []

    def on_solution_callback(self) -> None:
        self._record(Progress(time.monotonic() - self.started, self.objective_value, self.best_objective_bound))

    def offer(self, objective: float, bound: float) -> None:
        """The warm start, a complete programme before the search begins, and the floor known then."""
        self._record(Progress(time.monotonic() - self.started, objective, bound))

    def _record(self, point: Progress) -> None:
        if self.seen and point.objective >= self.seen[-1].objective:
            return
        self.seen.append(point)
        if self.on_progress:
            self.on_progress(point)


def objective_floor(model: cp_model.CpModel) -> float:
    """The least objective the variables' domains allow: the even-spread bounds live there (see theme_clash)."""
    objective = model.proto.objective
    floor = objective.offset
    for ref, coeff in zip(objective.vars, objective.coeffs, strict=True):
        domain = list(model.proto.variables[ref].domain)
        floor += coeff * (domain[0] if coeff > 0 else domain[-1])
    return floor


def _solver(built: Built, settings: Settings) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = settings.time_limit
    solver.parameters.random_seed = settings.seed
    solver.parameters.num_workers = settings.workers or min(8, os.cpu_count() or 1)
    solver.parameters.interleave_search = True  # deterministic parallel search
    # One task per worker in each batch: a batch ends when its slowest task does, so larger batches kept a search
    # that had its proof running for seconds (soc2025: proven at 0.2 s, returned at 2.1 s; now 0.4 s).
    solver.parameters.interleave_batch_size = solver.parameters.num_workers
    if sum(map(len, built.variables.x.values())) > LARGE_MODEL:
        solver.parameters.symmetry_level = 0
    return solver


def _read(solver: cp_model.CpSolver, built: Built, optimal: bool, bound: float) -> Solution:
    """The programme in the solver's values, with `bound` (which may come from elsewhere than this solve)."""
    variables = built.variables
    chosen = {
        session: place
        for session in variables.x
        for place, literal in variables.chosen(session)
        if solver.boolean_value(literal)
    }
    terms = {name: expr if isinstance(expr, int) else int(solver.value(expr)) for name, expr in built.terms.items()}
    return Solution(optimal, round(solver.objective_value), round(bound), chosen, terms)


def take_warm_start(built: Built, bound: float) -> Solution | None:
    """The warm start as the answer: the model solved with every hinted variable fixed to its hint (a matter of
    propagation), optimal when `bound` (a valid lower bound from elsewhere: the fixed solve alone proves nothing
    about other programmes) reaches it; None if that fails."""
    fixed = cp_model.CpSolver()
    fixed.parameters.num_workers = 1
    fixed.parameters.max_time_in_seconds = 30
    fixed.parameters.fix_variables_to_their_hinted_value = True
    fixed.parameters.catch_sigint_signal = False  # Ctrl-C is ctrl_c_stops' to handle; this solve is short
    if fixed.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _read(fixed, built, bound >= fixed.objective_value, bound)


def search(built: Built, settings: Settings, recorder: Recorder) -> Solution | Ending:
    """The best programme within the time limit, or why there is none.

    The warm start is offered first, with the floor as its bound, and taken as it is when it reaches the floor (no
    programme is cheaper, so no search runs) or when Ctrl-C came before the search began. Otherwise our
    large-neighbourhood search improves it (neighbourhood.py; it also places what the greedy could not); when it
    stalls above the floor, a probe looks for a programme at the floor (`_at_floor`), which is then the answer,
    proven, and else the neighbourhoods go on. Their best is taken in the same way when it reaches the floor, the
    time is up or Ctrl-C came; else the whole-model search goes on from it for the time left, and the best is taken
    instead when the search found nothing better.
    The search is never stopped from its callback when it is proven: stopping CP-SAT 9.15 there while it loads a
    complete hint aborts the whole process (tests/solve/test_bounds.py), so it is left to end by itself.
    """
    deadline = time.monotonic() + settings.time_limit
    solver = _solver(built, settings)
    floor = objective_floor(built.model)
    warm = built.warm_objective
    with ctrl_c_stops(solver) as pressed:
        if warm is not None:
            recorder.offer(warm, floor)
            if warm <= floor or pressed():
                taken = take_warm_start(built, floor)
                if taken:
                    return taken
        if built.start is not None and len(built.variables.x) >= NEIGHBOURHOODS_FROM and not pressed():
            warm = _improved(built, floor, settings, recorder, pressed, deadline, PROBE_AFTER)
            if warm is not None and warm > floor and not pressed() and time.monotonic() < deadline:
                probed = _at_floor(solver, built, floor, deadline)
                if probed is not None:
                    recorder.offer(probed.objective, floor)
                    return probed
                # other neighbourhoods than the first part's: the same seed would draw its first rounds again
                later = replace(settings, seed=settings.seed + 1)
                warm = _improved(built, floor, later, recorder, pressed, deadline, STALL_ROUNDS - PROBE_AFTER)
            if warm is not None and (warm <= floor or pressed() or time.monotonic() >= deadline):
                taken = take_warm_start(built, floor)
                if taken:
                    return taken
        if pressed():
            return Ending.STOPPED
        solver.parameters.max_time_in_seconds = max(0.0, deadline - time.monotonic())
        status = solver.solve(built.model, recorder)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if warm is not None and (not found or solver.objective_value > warm):
            searched = solver.best_objective_bound
            taken = take_warm_start(built, max(searched, floor) if math.isfinite(searched) else floor)
            if taken:
                return taken
        if found:
            return _read(solver, built, status == cp_model.OPTIMAL, solver.best_objective_bound)
        if status == cp_model.INFEASIBLE:
            return Ending.INFEASIBLE
        return Ending.STOPPED if pressed() else Ending.OUT_OF_TIME


def _at_floor(solver: cp_model.CpSolver, built: Built, floor: float, deadline: float) -> Solution | None:
    """A programme whose objective is the floor, or None when the probe finds none within PROBE_WORK.

    Every variable of the objective is fixed where the floor has it (each theme's clashes at its even-spread
    bound), and CP-SAT looks for any programme that fits, without the warm start's hint: then every clash above a
    theme's bound is ruled out by propagation at once, instead of by an LP bound that is far from it (the whole-model
    search, from the hint, needed 22-34 s where this needs 2 s; with the hint this probe needed 21 s). Such a
    programme is optimal. One worker and a deterministic budget, so the same inputs give the same programme. Run on
    `solver` itself, with its parameters restored after, so that Ctrl-C (interrupt.py) stops the probe too.
    """
    probe = built.model.clone()
    probe.clear_hints()
    objective, domains = probe.proto.objective, probe.proto.variables
    for ref, coeff in zip(objective.vars, objective.coeffs, strict=True):
        if ref < 0:
            return None
        domain = domains[ref].domain
        probe.add(probe.get_int_var_from_proto_index(ref) == (domain[0] if coeff > 0 else domain[-1]))
    saved = type(solver.parameters)()
    saved.copy_from(solver.parameters)
    solver.parameters.num_workers = 1
    solver.parameters.interleave_search = False
    solver.parameters.max_deterministic_time = PROBE_WORK
    solver.parameters.max_time_in_seconds = max(0.0, deadline - time.monotonic())
    try:
        status = solver.solve(probe)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return _read(solver, built, True, floor)
    finally:
        solver.parameters.copy_from(saved)


def _improved(
    built: Built,
    floor: float,
    settings: Settings,
    recorder: Recorder,
    pressed: Callable[[], bool],
    deadline: float,
    stall_rounds: int,
) -> int | None:
    """Runs the large-neighbourhood search from the warm start until `stall_rounds` rounds bring nothing better,
    each better programme offered as progress; makes its best (a whole programme) the warm start, hinted, and
    returns its objective, or the warm start's when it found none better (None: still no whole programme)."""
    assert built.start is not None
    variables = built.variables

    def better(incumbent: Incumbent) -> None:
        assert incumbent.objective is not None
        recorder.offer(incumbent.objective, floor)

    best = improve(variables, built.start, floor, settings, deadline, pressed, better, stall_rounds)
    if best.objective is None or (built.warm_objective is not None and best.objective >= built.warm_objective):
        return built.warm_objective
    add_hint(variables, best.places)
    built.start, built.warm_objective = best.places, best.objective
    return best.objective
