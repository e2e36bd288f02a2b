"""Benchmark peer: PyCon UK's `conference-scheduler` 3.0.1 (PuLP/CBC ILP, or its hill climber over the array form).

Run in its own venv (.venv-bench/conference_scheduler_peer, extra `bench-conference_scheduler_peer`):

    python -m benchmarks.peers.conference_scheduler_peer FOLDER --time-limit 60 --out OUT \
        [--algorithm ilp|heuristic|hybrid]

How our problem maps onto the library's resources:

- one `Slot(venue=room, starts_at=block start, duration=block minutes, capacity=room seats, session=block id)` per
  (block, room) for every room open in a non-break block, so a plenary block (only the hall open) has one slot;
- one `Event(name=session id, duration, demand=expected audience)` per session. Its `unavailability` lists every
  slot whose block does not take its kind, whose room seats fewer than its audience (capacity is hard, and the
  library only uses `demand` in its soft capacity objectives) or during which one of its people is away, and every
  other event sharing a person, which the library keeps out of concurrent slots;
- the library's own rules then give: every event in exactly one slot, at most one event per slot, and duration.

What it cannot express is our objective. Its ILP objectives are capacity overflow (sum or maximum) and changes from
an earlier schedule; an ILP objective callable may only return an expression, so the pair counts that theme clashes
need (auxiliary variables with their own constraints) cannot be added through its API. Its `tags` are hard in 3.0.1
(events sharing a tag are never concurrent): themes as tags ask for zero clashes, which CBC could neither find nor
refute on S within 60 s, and which the larger instances cannot have (more talks share the top theme than there are
parallel blocks).
So the ILP runs for feasibility alone and we score its answer's theme clashes. Its heuristics take any callable over
the array form, so there the theme-clash count is the objective searched, with its own violation count as the
acceptance criterion; `--algorithm hybrid` starts them from the ILP's answer.

Where it breaks: the ILP holds a constraint per concurrent slot pair per pair of events sharing a person, built in
pure Python (M: 615k constraints, ~1.3 GB; L: 7.3M, refused by the memory bound), and each violation count of the
heuristic rebuilds every constraint (M: ~7 s a count; L: more than a minute).
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pulp
from conference_scheduler import converter, validator
from conference_scheduler import heuristics as heu
from conference_scheduler.lp_problem import constraints as lp_constraints
from conference_scheduler.lp_problem import utils as lp_utils
from conference_scheduler.resources import Event, Shape, Slot

from planner.domain import Assignment, Block, BlockType, ConferenceInput, Day, Person, Room, Schedule, Session
from planner.errors import InputProblems
from planner.export.atomic import write_atomic
from planner.formats.schedule_json import schedule_document
from planner.io.folder import load_folder

NAME = "conference_scheduler_peer"

Array = npt.NDArray[np.float64]
"""The library's array form: one row per event, one column per slot, 1 where the event is scheduled."""

BYTES_PER_CONSTRAINT = 2_100
"""Peak memory per PuLP constraint of the library's model, measured on M (615k constraints, 1.33 GB at peak, which
comes while PuLP writes the MPS file)."""
BYTES_PER_VARIABLE = 600
BASELINE_MB = 80
"""Python, planner, numpy and PuLP before any model."""
DEFAULT_MEMORY_MB = 8_192
DEFAULT_BUILD_SECONDS = 45.0
"""The harness kills a peer at its time limit plus 60 s, so building the ILP may take at most this long."""
HEURISTIC_ITERATIONS = 10**12
"""Effectively unbounded: the time limit ends the heuristic, not its iteration count."""


class NoSchedule(Exception):
    """No feasible schedule was found; the message says why (exit 3)."""


class _TimeUp(Exception):
    """Raised by the alarm: the phase ran out of time."""


@dataclass(frozen=True)
class Place:
    """What a library slot is in our grid: a room open in one block of one day."""

    day: Day
    block: Block
    room: Room


@dataclass(frozen=True)
class Translation:
    """Our conference as the library's events and slots, plus the facts needed to score and check its answers."""

    sessions: tuple[Session, ...]
    places: tuple[Place, ...]
    events: list[Event]
    slots: list[Slot]
    allowed: npt.NDArray[np.bool_]
    """sessions x places: the place passes every per-slot rule (kind, capacity, availability)."""
    conflicts: npt.NDArray[np.bool_]
    """sessions x sessions: the two sessions share a person."""
    themes: npt.NDArray[np.float64]
    """sessions x themes: 1 where the session has the theme."""
    parallel: npt.NDArray[np.float64]
    """places x parallel blocks: 1 where the place is in that parallel block (plenary places count nowhere)."""

    def clashes(self, X: Array) -> int:
        """Theme clash pairs: for each parallel block and theme, n(n-1)/2 over the n sessions there with it."""
        counts = self.themes.T @ (X @ self.parallel)
        return int((counts * (counts - 1) // 2).sum())

    def placement(self, X: Array) -> list[int]:
        """The place index of each session (the library's array has exactly one 1 per row when feasible)."""
        return [int(i) for i in X.argmax(axis=1)]


# --- translation -------------------------------------------------------------------------------------------------


def _places(inputs: ConferenceInput) -> tuple[Place, ...]:
    rooms = {room.id: room for room in inputs.conference.rooms}
    return tuple(
        Place(day, block, rooms[room_id])
        for day in inputs.conference.days
        for block in day.blocks
        if block.type is not BlockType.BREAK
        for room_id in block.rooms
    )


def block_refused(session: Session, block: Block, people: dict[str, Person]) -> str | None:
    """Why a session may not take any room of a block (None when it may): kind, and everyone in it available for
    its whole span, as planner's solver filters places."""
    if session.kind not in block.kinds:
        return "kind not taken in the block"
    start = block.start
    end = start + timedelta(minutes=session.duration)
    for person_id in session.people:
        person = people.get(person_id)
        if person and any(window.overlaps(start, end) for window in person.unavailable):
            return f"{person.name} unavailable"
    return None


def room_refused(session: Session, room: Room, hard_capacity: bool) -> str | None:
    """Why a session may not take a room in any block: capacity, when the conference says it is hard. (A closed room
    needs no rule: it gets no slot.)"""
    if hard_capacity and session.expected_audience is not None and room.capacity < session.expected_audience:
        return "room too small"
    return None


def _allowed(inputs: ConferenceInput, places: tuple[Place, ...]) -> npt.NDArray[np.bool_]:
    """sessions x places: rules per block and per room, combined (cheaper than every rule per place)."""
    conference, sessions = inputs.conference, inputs.sessions
    people = {person.id: person for person in inputs.people}
    blocks = {block.id: b for b, block in enumerate(conference.blocks)}
    rooms = {room.id: r for r, room in enumerate(conference.rooms)}
    hard = conference.capacity == "hard"
    block_ok = np.array([[block_refused(s, block, people) is None for block in conference.blocks] for s in sessions])
    room_ok = np.array([[room_refused(s, room, hard) is None for room in conference.rooms] for s in sessions])
    block_of = [blocks[place.block.id] for place in places]
    room_of = [rooms[place.room.id] for place in places]
    allowed = block_ok.reshape(len(sessions), -1)[:, block_of] & room_ok.reshape(len(sessions), -1)[:, room_of]
    for index, session in enumerate(sessions):
        if not allowed[index].any():
            raise NoSchedule(f"session {session.id} fits no (block, room): kind, capacity or availability rule it out")
    return allowed


def _conflicts(sessions: tuple[Session, ...]) -> npt.NDArray[np.bool_]:
    by_person: dict[str, list[int]] = defaultdict(list)
    for index, session in enumerate(sessions):
        for person in session.people:
            by_person[person].append(index)
    shared = np.zeros((len(sessions), len(sessions)), dtype=bool)
    for indices in by_person.values():
        for a, b in combinations(indices, 2):
            shared[a, b] = shared[b, a] = True
    return shared


def translate(inputs: ConferenceInput) -> Translation:
    """Build the library's events and slots (without tags: see the module's docstring)."""
    conference = inputs.conference
    sessions, places = inputs.sessions, _places(inputs)
    allowed = _allowed(inputs, places)
    conflicts = _conflicts(sessions)

    slots = [Slot(p.room.id, p.block.start, p.block.minutes, p.room.capacity, p.block.id) for p in places]
    events = [
        Event(
            s.id,
            s.duration,
            s.expected_audience or 0,
            unavailability=[slots[j] for j in np.flatnonzero(~allowed[i])],
        )
        for i, s in enumerate(sessions)
    ]
    for a, b in zip(*np.nonzero(np.triu(conflicts)), strict=True):
        events[a].add_unavailability(events[b])
        events[b].add_unavailability(events[a])

    theme_ids = sorted({theme for session in sessions for theme in session.themes})
    themes = np.array([[t in s.themes for t in theme_ids] for s in sessions], dtype=np.float64)
    parallel_ids = [b.id for b in conference.blocks if b.type is BlockType.PARALLEL]
    parallel = np.zeros((len(places), len(parallel_ids)))
    for j, place in enumerate(places):
        if place.block.type is BlockType.PARALLEL:
            parallel[j, parallel_ids.index(place.block.id)] = 1
    return Translation(sessions, places, events, slots, allowed, conflicts, themes.reshape(len(sessions), -1), parallel)


# --- checking our own way ----------------------------------------------------------------------------------------


def hard_rule_breaks(tr: Translation, X: Array) -> list[str]:
    """Every hard rule the array breaks, checked on our data rather than the library's (so 'feasible' is honest)."""
    breaks = [f"{tr.sessions[i].id} placed {int(n)} times" for i, n in enumerate(X.sum(axis=1)) if n != 1]
    breaks += [
        f"{tr.places[j].block.id}/{tr.places[j].room.id} holds {int(n)}" for j, n in enumerate(X.sum(axis=0)) if n > 1
    ]
    if breaks:
        return breaks
    where = tr.placement(X)
    breaks += [f"{tr.sessions[i].id} in a refused place" for i, j in enumerate(where) if not tr.allowed[i, j]]
    for a, b in zip(*np.nonzero(np.triu(tr.conflicts)), strict=True):
        first, second = tr.places[where[a]].block, tr.places[where[b]].block
        if first.start < second.end and second.start < first.end:
            breaks.append(f"{tr.sessions[a].id} and {tr.sessions[b].id} share a person at the same time")
    return breaks


# --- size and limits ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelSize:
    """What the library's ILP builder will make: counted from our data before it runs."""

    variables: int
    constraints: int
    pair_checks: int
    """Inner iterations of its person-clash generator (concurrent slot pairs x events with unavailability x events):
    pure Python, so this bounds how long building takes."""

    @property
    def megabytes(self) -> int:
        return BASELINE_MB + (self.constraints * BYTES_PER_CONSTRAINT + self.variables * BYTES_PER_VARIABLE) // 2**20


def model_size(tr: Translation) -> ModelSize:
    """Counts the constraints of `all_constraints` with the beta bound that `scheduler.solution` always passes (no
    tags, so only events sharing a person are kept apart).

    Concurrent slots are those of one block: our blocks never overlap, so that equals the library's nested-times test.
    """
    events, slots = len(tr.events), len(tr.slots)
    by_block: dict[str, int] = defaultdict(int)
    for place in tr.places:
        by_block[place.block.id] += 1
    concurrent = sum(n * (n - 1) // 2 for n in by_block.values())
    with_unavailability = np.array([bool(e.unavailability) for e in tr.events])
    per_pair = int(tr.conflicts[with_unavailability].sum())
    refused = int((~tr.allowed).sum())
    constraints = events + slots + refused + concurrent * per_pair + events * slots
    return ModelSize(events * slots + 1, constraints, concurrent * int(with_unavailability.sum()) * events)


def _cap_memory(megabytes: int) -> None:
    """Backstop for the size estimate: past this much address space, allocations fail instead of the machine."""
    limit = megabytes * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt pure-Python library code (its loops have no time checks) after `seconds`."""

    def ring(signum: int, frame: object) -> None:
        raise _TimeUp

    if seconds <= 0:
        raise _TimeUp
    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _alarm_held() -> Iterator[None]:
    """Hold the alarm while a new best is stored and printed, so neither is left half done."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})


# --- the algorithms ---------------------------------------------------------------------------------------------


class IlpBuild:
    """The model `scheduler.solution` builds (its variables, then `all_constraints` with the beta bound it always
    passes), built here so that the build is timed apart from CBC and a build cut short can say how far it got."""

    def __init__(self, tr: Translation) -> None:
        self.tr = tr
        self.problem = pulp.LpProblem()
        self.X: dict[tuple[int, int], pulp.LpVariable] = {}
        self.added = 0

    def build(self) -> None:
        self.X = lp_utils.variables(Shape(len(self.tr.events), len(self.tr.slots)))
        beta = pulp.LpVariable("upper_bound")
        for constraint in lp_constraints.all_constraints(self.tr.events, self.tr.slots, self.X, beta, "lpsum"):
            self.problem += constraint.condition
            self.added += 1


def solve_ilp(tr: Translation, time_limit: float, build_seconds: float, expected: int) -> Array | None:
    """Build the library's ILP within `build_seconds`, then let CBC find a schedule within `time_limit`.

    Without an objective CBC stops at its first feasible answer, so there is one answer (None when CBC found none).
    """
    started = time.monotonic()
    model = IlpBuild(tr)
    try:
        with _alarm(build_seconds):
            model.build()
    except _TimeUp:
        raise NoSchedule(
            f"the library could not build its ILP within {build_seconds:g} s (--build-seconds): it had added "
            f"{model.added:,} of its {expected:,} constraints"
        ) from None
    built = time.monotonic()
    log(f"ILP built in {built - started:.1f} s: {model.added:,} constraints, {len(model.X):,} variables")
    status = model.problem.solve(pulp.PULP_CBC_CMD(timeLimit=time_limit, msg=False))
    outcome = pulp.LpSolution[model.problem.sol_status]
    log(f"PuLP wrote the MPS and CBC answered in {time.monotonic() - built:.1f} s: {pulp.LpStatus[status]} ({outcome})")
    if status != pulp.LpStatusOptimal:
        return None
    solution = [key for key, variable in model.X.items() if (variable.value() or 0) > 0.5]
    return converter.solution_to_array(solution, tr.events, tr.slots).astype(np.float64)


class HeuristicSearch:
    """The library's two-phase heuristic as `scheduler.heuristic` runs it: drive its violation count to 0 from a
    random array, then lower the theme clashes (any callable over the array may be its objective), accepting only
    moves that keep the violation count at 0. Its algorithms have no time limit or callback: an alarm ends them, and
    the acceptance criterion, which the library calls on every move that lowers the objective, hears each new best."""

    def __init__(self, tr: Translation, algorithm: Callable[..., Array], on_better: Callable[[Array], None]) -> None:
        self.tr, self.algorithm, self.on_better = tr, algorithm, on_better
        self.best: Array | None = None
        self.best_clashes = float("inf")
        self.fewest_violations = float("inf")
        self.evaluations = 0

    def run(self, seconds: float, seed: int, start: Array | None = None) -> Array | None:
        """The best feasible array found within `seconds` (None if none); from `start` (feasible) if given."""
        if start is not None:
            self.best, self.best_clashes, self.fewest_violations = np.copy(start), self.tr.clashes(start), 0
        np.random.seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the library warns when a lower bound is not reached
            try:
                with _alarm(seconds):
                    X = start if start is not None else self._feasible()
                    self.algorithm(
                        objective_function=self.tr.clashes,
                        initial_array=X,
                        acceptance_criteria=self.acceptance,
                        lower_bound=0,
                        max_iterations=HEURISTIC_ITERATIONS,
                    )
                log("heuristic: no theme clash left")
            except _TimeUp:
                log(
                    f"heuristic: time limit reached after {self.evaluations} violation counts "
                    f"(fewest violations {self.fewest_violations})"
                )
        return self.best

    def _feasible(self) -> Array:
        X = heu.get_initial_array(events=self.tr.events, slots=self.tr.slots)
        X = self.algorithm(
            objective_function=self.violations, initial_array=X, lower_bound=0, max_iterations=HEURISTIC_ITERATIONS
        )
        self._record(X)
        return X

    def violations(self, X: Array) -> int:
        """The library's own count of broken constraints (as `scheduler.heuristic` counts them)."""
        count = sum(1 for _ in validator.array_violations(X, self.tr.events, self.tr.slots))
        self.evaluations += 1
        if count < self.fewest_violations:
            self.fewest_violations = count
            log(f"heuristic: {count} violations after {self.evaluations} counts")
        return count

    def acceptance(self, candidate: Array) -> int:
        count = self.violations(candidate)
        if count == 0 and self.tr.clashes(candidate) < self.best_clashes:
            self._record(candidate)
        return count

    def _record(self, X: Array) -> None:
        with _alarm_held():
            self.best, self.best_clashes = np.copy(X), self.tr.clashes(X)
            self.on_better(X)


# --- output --------------------------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{NAME}] {message}", file=sys.stderr, flush=True)


def emit(**fields: object) -> None:
    """One JSON line on stdout, flushed at once: the harness timestamps it as it arrives."""
    print(json.dumps(fields), flush=True)


def to_schedule(inputs: ConferenceInput, tr: Translation, X: Array) -> Schedule:
    assignments = []
    for session, j in zip(tr.sessions, tr.placement(X), strict=True):
        place = tr.places[j]
        start = place.block.start
        assignments.append(
            Assignment(
                session=session,
                room=place.room.id,
                start=start,
                end=start + timedelta(minutes=session.duration),
                day=place.day.id,
                blocks=(place.block.id,),
            )
        )
    return Schedule(conference=inputs.conference, people=inputs.people, assignments=tuple(assignments), unscheduled=())


def run(args: argparse.Namespace) -> int:
    inputs = load_folder(args.folder)
    tr = translate(inputs)
    log(f"{len(tr.events)} events, {len(tr.slots)} slots, algorithm {args.algorithm}")
    started = time.monotonic()

    def progress(X: Array) -> None:
        emit(objective=tr.clashes(X), feasible=not hard_rule_breaks(tr, X))

    X = None
    if args.algorithm in ("ilp", "hybrid"):
        X = _bounded_ilp(tr, args)
        if X is not None:
            progress(X)
    if args.algorithm == "heuristic" or (args.algorithm == "hybrid" and X is not None):
        algorithm = heu.simulated_annealing if args.heuristic == "simulated_annealing" else heu.hill_climber
        search = HeuristicSearch(tr, algorithm, progress)
        seconds = args.time_limit - (time.monotonic() - started if X is not None else 0)
        X = search.run(seconds, args.seed, start=X)
    if X is None:
        raise NoSchedule(f"{args.algorithm} found no feasible schedule within {args.time_limit:g} s")
    breaks = hard_rule_breaks(tr, X)
    if breaks:
        raise NoSchedule("the library's answer breaks hard rules: " + "; ".join(breaks[:5]))
    objective = tr.clashes(X)
    solver = {"status": "feasible", "objective": objective, "peer": NAME}
    write_atomic(args.out / "schedule.json", schedule_document(to_schedule(inputs, tr, X), solver))
    emit(final=True, objective=objective, feasible=True)
    return 0


def _bounded_ilp(tr: Translation, args: argparse.Namespace) -> Array | None:
    """Refuses up front a model whose estimated peak memory exceeds the bound, else solves it."""
    size = model_size(tr)
    log(
        f"ILP model: {size.variables:,} variables, {size.constraints:,} constraints, {size.pair_checks:,} pair "
        f"checks, about {size.megabytes:,} MB"
    )
    if size.megabytes > args.memory_mb:
        raise NoSchedule(
            f"refused: the library's ILP would hold {size.constraints:,} constraints, about "
            f"{size.megabytes:,} MB, over the {args.memory_mb:,} MB bound (--memory-mb)"
        )
    return solve_ilp(tr, args.time_limit, args.build_seconds, size.constraints)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.peers.{NAME}", description=__doc__.split("\n")[0])
    # fmt: off
    parser.add_argument("folder", type=Path, help="a conference folder")
    parser.add_argument("--time-limit", type=float, required=True, help="seconds for the search")
    parser.add_argument("--out", type=Path, required=True, help="folder for schedule.json")
    parser.add_argument("--algorithm", choices=("ilp", "heuristic", "hybrid"), default="ilp",
                        help="its ILP (feasibility), its heuristic from a random start, or from the ILP's answer")
    parser.add_argument("--heuristic", choices=("hill_climber", "simulated_annealing"), default="hill_climber",
                        help="which of its heuristics (its annealing cools to zero within ~30 moves)")
    parser.add_argument("--seed", type=int, default=1, help="heuristic: numpy seed")
    parser.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB,
                        help="refuse an ILP estimated above this, and cap the address space there")
    parser.add_argument("--build-seconds", type=float, default=DEFAULT_BUILD_SECONDS,
                        help="ilp: give up when the library has not built its model in this time")
    # fmt: on
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    _cap_memory(args.memory_mb)
    try:
        return run(args)
    except InputProblems as problems:
        log(f"input problems:\n{problems}")
        return 2
    except (NoSchedule, MemoryError, pulp.PulpSolverError) as reason:
        log(f"no schedule: {reason or type(reason).__name__}")
        emit(final=True, objective=None, feasible=False)
        return 3


if __name__ == "__main__":
    sys.exit(main())
