"""Draft a programme: build the model, solve it with a time limit and progress, and return a Schedule with the
objective broken down by term, or say why none exists."""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.domain import Assignment, ConferenceInput, Schedule, Unscheduled
from planner.replan import carry_over
from planner.solve.constraints import HARD_RULES, HardRule
from planner.solve.explain import conflict_core, counting_checks
from planner.solve.model import Literal, Variables, build_variables
from planner.solve.objectives import SOFT_TERMS, Previous, Term
from planner.solve.options import RULES, Context, Options, Rule, no_place_reason, place_options
from planner.solve.pooling import assign_rooms, model_options
from planner.solve.warm_start import add_greedy_hint


@dataclass(frozen=True)
class Progress:
    seconds: float
    objective: float
    bound: float


@dataclass(frozen=True)
class Answer:
    schedule: Schedule
    status: str
    """'optimal' (proven) or 'feasible' (best found within the time limit)."""
    objective: int
    bound: int
    seconds: float
    terms: dict[str, int]
    """Each soft term's unweighted count in this answer."""
    progress: tuple[Progress, ...] = ()

    @property
    def gap(self) -> float:
        """Relative distance from the best bound (0 when proven optimal)."""
        return 0.0 if self.objective == self.bound else (self.objective - self.bound) / max(abs(self.objective), 1)

    def solver_facts(self) -> dict[str, object]:
        """What schedule.json records about the solve (no clock times, so equal answers give equal files)."""
        weights = self.schedule.conference.weights.model_dump()
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "terms": {
                name: {"count": count, "weight": weights[name], "cost": count * weights[name]}
                for name, count in self.terms.items()
            },
        }


LARGE_MODEL = 30_000
"""Place literals beyond which symmetry detection is off. Presolve's symmetry fixing breaks the warm start (the
hint then needs repair, which on a 1,000-session congress took the whole minute), while proving optimality there is
out of reach anyway; below it, symmetry is what proves optimality quickly (see BENCHMARKS.md)."""


@contextmanager
def _ctrl_c_stops(solver: cp_model.CpSolver) -> Iterator[Callable[[], bool]]:
    """Ctrl-C from the first answer on ends the work as a time limit would, the best answer so far kept.

    Python would raise KeyboardInterrupt outside CP-SAT's search and lose the answer, and CP-SAT's own handler
    covers only its search (and resets SIGINT to the default when a solve ends). So here Ctrl-C is noted instead,
    CP-SAT's handler is off, and a thread woken by the signal's wake-up byte stops the search, again until it
    stops, since a stop asked just before the search begins is not kept.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False  # signals reach the main thread only; CP-SAT's own handler stays on
        return
    solver.parameters.catch_sigint_signal = False
    pressed, finished = threading.Event(), threading.Event()
    wake, woken = os.pipe()

    def watch() -> None:
        while os.read(wake, 1) not in (b"", bytes([signal.SIGINT])):
            pass
        if not finished.is_set():
            pressed.set()
        while not finished.wait(0.02):
            solver.stop_search()

    watcher = threading.Thread(target=watch, daemon=True)
    before = signal.signal(signal.SIGINT, lambda *_: pressed.set())
    try:
        os.set_blocking(woken, False)
        before_fd = signal.set_wakeup_fd(woken)
        watcher.start()
        try:
            yield pressed.is_set
        finally:
            finished.set()
            signal.set_wakeup_fd(before_fd)
    finally:
        os.close(woken)  # ends the watcher's read
        if watcher.is_alive():
            watcher.join()
        os.close(wake)
        signal.signal(signal.SIGINT, before)


class NoProgramme(Exception):
    """No programme satisfies the hard requirements; `reasons` say why in plain words, `sessions` are the ids
    involved (the conflict holds among them alone)."""

    def __init__(self, reasons: Iterable[str], sessions: Iterable[str] = (), proven: bool = True) -> None:
        self.reasons = list(reasons)
        self.sessions = tuple(sorted(set(sessions)))
        self.proven = proven
        super().__init__("; ".join(self.reasons))


class _Recorder(cp_model.CpSolverSolutionCallback):
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


def _objective(
    variables: Variables, previous: Previous, soft_terms: Mapping[str, Term]
) -> dict[str, cp_model.LinearExprT]:
    weights = variables.inputs.conference.weights
    terms = {name: term(variables, previous) for name, term in soft_terms.items() if getattr(weights, name) > 0}
    variables.model.minimize(sum(getattr(weights, name) * expr for name, expr in terms.items()))
    return terms


def _schedule(inputs: ConferenceInput, variables: Variables, options: Options, solver: cp_model.CpSolver) -> Schedule:
    chosen = {
        session: place
        for session in variables.x
        for place, lit in variables.chosen(session)
        if solver.boolean_value(lit)
    }
    seats = {room.id: room.capacity for room in inputs.conference.rooms}
    rooms = assign_rooms({s: p for s, p in chosen.items() if p.pool}, seats)
    assignments, left_out = [], []
    for session in inputs.sessions:
        if place := chosen.get(session.id):
            assignments.append(
                Assignment(
                    session=session,
                    room=rooms.get(session.id, place.room),
                    start=place.start,
                    end=place.end,
                    day=place.day,
                    blocks=place.blocks,
                )
            )
        elif not options.places[session.id]:
            left_out.append(Unscheduled(session=session, reason=no_place_reason(session, options, inputs)))
        else:
            left_out.append(
                Unscheduled(
                    session=session,
                    reason="optional, and no place remained for it once the required sessions were placed",
                )
            )
    return Schedule(
        conference=inputs.conference, people=inputs.people, assignments=tuple(assignments), unscheduled=tuple(left_out)
    )


def _take_warm_start(model: cp_model.CpModel, bound: float) -> tuple[int, _Proven] | None:
    """The warm start as the answer: the model solved with every hinted variable fixed to its hint (a matter of
    propagation), optimal when `bound` (a valid lower bound from elsewhere) reaches it; None if that fails."""
    fixed = cp_model.CpSolver()
    fixed.parameters.num_workers = 1
    fixed.parameters.max_time_in_seconds = 30
    fixed.parameters.fix_variables_to_their_hinted_value = True
    fixed.parameters.catch_sigint_signal = False  # Ctrl-C is _ctrl_c_stops' to handle; this solve is short
    if fixed.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    proven = bound >= fixed.objective_value
    return (cp_model.OPTIMAL if proven else cp_model.FEASIBLE), _Proven(fixed, bound)


def _objective_floor(model: cp_model.CpModel) -> float:
    """The least objective the variables' domains allow: the even-spread bounds live there (see theme_clash)."""
    objective = model.proto.objective
    floor = objective.offset
    for ref, coeff in zip(objective.vars, objective.coeffs, strict=True):
        domain = list(model.proto.variables[ref].domain)
        floor += coeff * (domain[0] if coeff > 0 else domain[-1])
    return floor


class _Proven:
    """The fixed solve's values with the search's bound (the fixed solve alone proves nothing about other
    programmes)."""

    def __init__(self, fixed: cp_model.CpSolver, bound: float) -> None:
        self.fixed, self.bound = fixed, bound

    def value(self, expr: cp_model.LinearExprT) -> int:
        return self.fixed.value(expr)

    def boolean_value(self, literal: Literal) -> bool:
        return self.fixed.boolean_value(literal)

    @property
    def objective_value(self) -> float:
        return self.fixed.objective_value

    @property
    def best_objective_bound(self) -> float:
        return self.bound


def draft(
    inputs: ConferenceInput,
    *,
    previous: Schedule | None = None,
    freeze: Iterable[str] = (),
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    place_rules: tuple[Rule, ...] = RULES,
    hard_rules: tuple[HardRule, ...] = HARD_RULES,
    soft_terms: Mapping[str, Term] = SOFT_TERMS,
) -> Answer:
    """The best programme found within `time_limit` seconds; raises NoProgramme with reasons when none exists.

    Deterministic for the same inputs, seed and worker count when the search ends by itself (proven optimal); a
    time limit that cuts the search may stop at a different point on a busier machine. The rule and term sets are
    parameters so that tests and benchmarks can leave one out and see what it does; the warm start and the
    even-spread floor still assume every rule, so such a test needs an instance where breaking the rule is strictly
    cheaper (a tie may be settled by the warm start, which keeps it).
    """
    started = time.monotonic()
    before: Previous = {a.session.id: a for a in previous.assignments} if previous else {}
    frozen = {sid: (before[sid].day, before[sid].blocks, before[sid].room) for sid in freeze if sid in before}
    context = Context(inputs, {p.id: p for p in inputs.people}, frozen)
    options = place_options(inputs, context, place_rules)
    modelled = model_options(inputs, options, replanning=bool(before))
    if conflicts := counting_checks(inputs, options):
        raise NoProgramme([c.words for c in conflicts], [s for c in conflicts for s in c.sessions])

    model = cp_model.CpModel()
    variables = build_variables(model, inputs, modelled)
    for rule in hard_rules:
        rule(variables)
    terms = _objective(variables, before, soft_terms)
    warm_objective = add_greedy_hint(variables)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers or min(8, os.cpu_count() or 1)
    solver.parameters.interleave_search = True  # deterministic parallel search
    # One task per worker in each batch: a batch ends when its slowest task does, so larger batches kept a search
    # that had its proof running for seconds (soc2025: proven at 0.2 s, returned at 2.1 s; now 0.4 s).
    solver.parameters.interleave_batch_size = solver.parameters.num_workers
    if sum(map(len, variables.x.values())) > LARGE_MODEL:
        solver.parameters.symmetry_level = 0
    recorder = _Recorder(on_progress, started)
    floor = _objective_floor(model)
    with _ctrl_c_stops(solver) as pressed:
        if warm_objective is not None:
            recorder.offer(warm_objective, floor)
        taken = None
        if warm_objective is not None and (warm_objective <= floor or pressed()):
            taken = _take_warm_start(model, floor)
        if taken:  # the warm start is optimal, or Ctrl-C came before the search began
            status, solver = taken
        elif pressed():
            status = cp_model.UNKNOWN
        else:
            status = solver.solve(model, recorder)
            if warm_objective is not None and (
                status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value > warm_objective
            ):
                searched = solver.best_objective_bound
                bound = max(searched, floor) if math.isfinite(searched) else floor
                status, solver = _take_warm_start(model, bound) or (status, solver)

    if status == cp_model.INFEASIBLE:
        core = conflict_core(inputs, modelled, hard_rules)
        if not core:
            raise NoProgramme(["the requirements conflict, but no smaller set could be named in time"])
        raise NoProgramme([c.words for c in core], [s for c in core for s in c.sessions])
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        why = (
            "the search was stopped (Ctrl-C) before it had a programme"
            if pressed()
            else f"no programme was found within {time_limit:g} s; try a longer --time-limit"
        )
        raise NoProgramme([why], proven=False)
    values = {name: int(solver.value(expr)) if not isinstance(expr, int) else expr for name, expr in terms.items()}
    schedule = _schedule(inputs, variables, options, solver)
    return Answer(
        schedule=carry_over(previous, schedule) if previous else schedule,
        status="optimal" if status == cp_model.OPTIMAL else "feasible",
        objective=round(solver.objective_value),
        bound=round(solver.best_objective_bound),
        seconds=time.monotonic() - started,
        terms=values,
        progress=tuple(recorder.seen),
    )
