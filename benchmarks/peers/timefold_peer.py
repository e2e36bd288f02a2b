"""Benchmark peer: the same conference problem solved by Timefold Solver (Python, running the Java solver via JPype).

Run as `python -m benchmarks.peers.timefold_peer FOLDER --time-limit SECONDS --out OUT_DIR` from the peer's own
venv (`pip install -e '.[bench-timefold-peer]'`; needs a JDK 17+ on PATH or in JAVA_HOME). Stdout carries only the
benchmark's JSON lines (one per new best solution, then a final one); Timefold's own log goes to stderr.

How the rules map onto Timefold, so a reader can judge the comparison:
- each session is a planning entity with two planning variables, its block and its room;
- what never depends on other sessions is not a constraint but a per-session value range, as a Timefold user would
  write it: a session's blocks take its kind, are long enough and find everyone in it available; its rooms seat its
  audience (when capacity is hard), have the features it requires and are open in one of those blocks;
- what couples sessions is a hard constraint stream (room double-booked, plenary shared, person in two places), plus
  `room_closed` for a room that is open in some of the session's blocks but not the one chosen;
- the objective is one soft constraint: per parallel block and theme, n*(n-1)/2 pairs (HardSoftScore, soft = -pairs).

The solver runs Timefold's defaults (First Fit construction, then Late Acceptance local search) for `--time-limit`
seconds of `spent_limit`. Two things a Timefold user would do are data, not configuration: the sessions come hardest
first and each session's rooms smallest first (see `build_programme`).

This module must not use `from __future__ import annotations`: Timefold reads the domain classes' `Annotated` hints
at class creation, and strings would hide them.
"""

import argparse
import json
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any

from timefold.solver import SolverFactory
from timefold.solver.config import Duration, ScoreDirectorFactoryConfig, SolverConfig, TerminationConfig
from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningScore,
    PlanningVariable,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import (
    Constraint,
    ConstraintCollectors,
    ConstraintFactory,
    HardSoftScore,
    Joiners,
    constraint_provider,
)

from planner.domain import Assignment, Block, BlockType, ConferenceInput, Person, Room, Schedule, Session
from planner.errors import InputProblems
from planner.export.atomic import write_atomic
from planner.formats.schedule_json import schedule_document
from planner.io.folder import load_folder

NAME = "timefold_peer"
NO_SCHEDULE = 3
log = logging.getLogger(NAME)


# The peer's own model. Facts and entities compare by identity (eq=False) and constraints join on int keys, so
# equality never goes through Python objects in the translated lambdas.


@dataclass(eq=False)
class BlockFact:
    """A block sessions can take. No two overlap in time (`overlapping_blocks`), so the same block is the same time."""

    index: Annotated[int, PlanningId]
    id: str
    plenary: bool
    rooms: frozenset[int]
    """Indexes of the rooms open in this block."""


@dataclass(eq=False)
class RoomFact:
    index: Annotated[int, PlanningId]
    id: str


@dataclass(eq=False)
class Attendance:
    """A person in a session: grouping these by (person, block) finds anyone in two places at once."""

    index: Annotated[int, PlanningId]
    person: int
    session: int


@dataclass(eq=False)
class SessionTheme:
    """A theme of a session: grouping these by (block, theme) counts the sessions that clash."""

    index: Annotated[int, PlanningId]
    theme: int
    session: int


@planning_entity
@dataclass(eq=False)
class Placement:
    """Where one session goes. Its value ranges already hold every single-session rule."""

    index: Annotated[int, PlanningId]
    session_id: str
    block_range: Annotated[list[BlockFact], ValueRangeProvider(id="block_range")]
    room_range: Annotated[list[RoomFact], ValueRangeProvider(id="room_range")]
    block: Annotated[BlockFact | None, PlanningVariable(value_range_provider_refs=["block_range"])] = field(
        default=None
    )
    room: Annotated[RoomFact | None, PlanningVariable(value_range_provider_refs=["room_range"])] = field(default=None)


@planning_solution
@dataclass
class Programme:
    blocks: Annotated[list[BlockFact], ProblemFactCollectionProperty]
    rooms: Annotated[list[RoomFact], ProblemFactCollectionProperty]
    attendances: Annotated[list[Attendance], ProblemFactCollectionProperty]
    session_themes: Annotated[list[SessionTheme], ProblemFactCollectionProperty]
    placements: Annotated[list[Placement], PlanningEntityCollectionProperty]
    score: Annotated[HardSoftScore | None, PlanningScore] = field(default=None)


# Constraints: one function per rule. Single-session rules live in the value ranges (see `build_programme`).


def room_double_booked(factory: ConstraintFactory) -> Constraint:
    """One unit per pair of sessions in one room in one block."""
    return (
        factory.for_each(Placement)
        .group_by(lambda p: p.block.index, lambda p: p.room.index, ConstraintCollectors.count())
        .filter(lambda block, room, n: n > 1)
        .penalize(HardSoftScore.ONE_HARD, lambda block, room, n: n * (n - 1) // 2)
        .as_constraint("room double-booked")
    )


def plenary_shared(factory: ConstraintFactory) -> Constraint:
    """A plenary block holds one session, whatever rooms it opens: one unit per pair in one."""
    return (
        factory.for_each(Placement)
        .filter(lambda p: p.block.plenary)
        .group_by(lambda p: p.block.index, ConstraintCollectors.count())
        .filter(lambda block, n: n > 1)
        .penalize(HardSoftScore.ONE_HARD, lambda block, n: n * (n - 1) // 2)
        .as_constraint("plenary shared")
    )


def person_in_two_places(factory: ConstraintFactory) -> Constraint:
    """One unit per person per pair of their sessions in one block."""
    return (
        factory.for_each(Attendance)
        .join(Placement, Joiners.equal(lambda attendance: attendance.session, lambda p: p.index))
        .group_by(
            lambda attendance, p: attendance.person,
            lambda attendance, p: p.block.index,
            ConstraintCollectors.count_bi(),
        )
        .filter(lambda person, block, n: n > 1)
        .penalize(HardSoftScore.ONE_HARD, lambda person, block, n: n * (n - 1) // 2)
        .as_constraint("person in two places")
    )


def room_closed(factory: ConstraintFactory) -> Constraint:
    """The room range holds rooms open in some allowed block; this catches the pairs where the chosen block is not one
    of those (never on grids where every block opens the same rooms to a kind)."""
    return (
        factory.for_each(Placement)
        .filter(lambda p: p.room.index not in p.block.rooms)
        .penalize(HardSoftScore.ONE_HARD)
        .as_constraint("room closed")
    )


def theme_clash(factory: ConstraintFactory) -> Constraint:
    """Per parallel block and theme, one soft unit per pair of sessions sharing it: n*(n-1)/2 for n sessions."""
    return (
        factory.for_each(SessionTheme)
        .join(Placement, Joiners.equal(lambda tag: tag.session, lambda p: p.index))
        .filter(lambda tag, p: not p.block.plenary)
        .group_by(lambda tag, p: p.block.index, lambda tag, p: tag.theme, ConstraintCollectors.count_bi())
        .filter(lambda block, theme, n: n > 1)
        .penalize(HardSoftScore.ONE_SOFT, lambda block, theme, n: n * (n - 1) // 2)
        .as_constraint("theme clash")
    )


@constraint_provider
def conference_constraints(factory: ConstraintFactory) -> list[Constraint]:
    return [
        room_double_booked(factory),
        plenary_shared(factory),
        person_in_two_places(factory),
        room_closed(factory),
        theme_clash(factory),
    ]


# From planner's domain to the peer's model and back.


def session_blocks(inputs: ConferenceInput) -> list[tuple[str, Block]]:
    """The blocks that hold sessions (breaks hold none) with their day's id, in time order."""
    return [(day.id, b) for day in inputs.conference.days for b in day.blocks if b.type is not BlockType.BREAK]


def overlapping_blocks(blocks: list[tuple[str, Block]]) -> str | None:
    """Two blocks that overlap in time, or None. The constraints compare blocks, not clock times, which is exact only
    when no two blocks overlap (each day's are checked on loading; this also covers days that share a date)."""
    ordered = sorted((block for _, block in blocks), key=lambda b: b.start)
    for earlier, later in pairwise(ordered):
        if later.start < earlier.end:
            return f"blocks '{earlier.id}' and '{later.id}' overlap; this peer compares blocks, not clock times"
    return None


def _blocks_for(session: Session, blocks: list[tuple[str, Block]], people: dict[str, Person]) -> list[int]:
    """Indexes of the blocks a session may take: its kind, long enough, its pin, everyone in it available."""
    pin = session.pin
    windows = [w for person_id in session.people if person_id in people for w in people[person_id].unavailable]
    return [
        i
        for i, (day_id, block) in enumerate(blocks)
        if session.kind in block.kinds
        and block.minutes >= session.duration
        and (pin is None or (pin.day in (None, day_id) and pin.block in (None, block.id)))
        and not any(w.overlaps(block.start, block.start + timedelta(minutes=session.duration)) for w in windows)
    ]


def _rooms_for(session: Session, rooms: tuple[Room, ...], hard_capacity: bool) -> list[int]:
    """Indexes of the rooms that seat the session's audience (when capacity is hard), have what it requires and match
    its pin; smallest first, so that where scores tie the construction heuristic keeps big rooms for big sessions."""
    pin = session.pin
    fitting = [
        i
        for i, room in enumerate(rooms)
        if not (hard_capacity and (session.expected_audience or 0) > room.capacity)
        and set(session.requires) <= set(room.features)
        and (pin is None or pin.room in (None, room.id))
    ]
    return sorted(fitting, key=lambda i: rooms[i].capacity)


def build_programme(inputs: ConferenceInput) -> Programme | str:
    """The peer's problem, or why it cannot have a schedule (a session with no block or room left in its range).

    Placements come with the fewest (block, room) options first: Timefold's default construction heuristic (First
    Fit) places them in list order, and First Fit Decreasing, which would order them by difficulty, needs a
    difficulty comparator that the Python API does not offer.
    """
    conference = inputs.conference
    blocks = session_blocks(inputs)
    if reason := overlapping_blocks(blocks):
        return reason
    room_index = {room.id: i for i, room in enumerate(conference.rooms)}
    block_facts = [
        BlockFact(i, b.id, b.type is BlockType.PLENARY, frozenset(room_index[r] for r in b.rooms))
        for i, (_, b) in enumerate(blocks)
    ]
    room_facts = [RoomFact(i, room.id) for i, room in enumerate(conference.rooms)]
    people = {person.id: person for person in inputs.people}
    person_index: dict[str, int] = {}
    theme_index: dict[str, int] = {}
    placements: list[Placement] = []
    attendances: list[Attendance] = []
    tags: list[SessionTheme] = []
    shared: dict[tuple[str, tuple[int, ...]], list[Any]] = {}  # most sessions share their ranges: convert each once
    for s, session in enumerate(inputs.sessions):
        block_ids = _blocks_for(session, blocks, people)
        open_somewhere = frozenset().union(*(block_facts[i].rooms for i in block_ids))
        room_ids = [
            i for i in _rooms_for(session, conference.rooms, conference.capacity == "hard") if i in open_somewhere
        ]
        if not block_ids or not room_ids:
            return f"session '{session.id}' has no {'room' if block_ids else 'block'} it may take"
        block_range = shared.setdefault(("block", tuple(block_ids)), [block_facts[i] for i in block_ids])
        room_range = shared.setdefault(("room", tuple(room_ids)), [room_facts[i] for i in room_ids])
        placements.append(Placement(s, session.id, block_range, room_range))
        for person_id in session.people:
            attendances.append(Attendance(len(attendances), person_index.setdefault(person_id, len(person_index)), s))
        for theme in dict.fromkeys(session.themes):
            tags.append(SessionTheme(len(tags), theme_index.setdefault(theme, len(theme_index)), s))
    placements.sort(key=lambda p: (len(p.block_range) * len(p.room_range), p.index))
    return Programme(block_facts, room_facts, attendances, tags, placements)


def to_schedule(inputs: ConferenceInput, programme: Programme) -> Schedule:
    """Our Schedule from the peer's placements: each session starts with its block and lasts its duration."""
    blocks = session_blocks(inputs)
    assignments = []
    for placement in sorted(programme.placements, key=lambda p: p.index):
        session = inputs.sessions[placement.index]
        day_id, block = blocks[placement.block.index]
        assignments.append(
            Assignment(
                session=session,
                room=placement.room.id,
                start=block.start,
                end=block.start + timedelta(minutes=session.duration),
                day=day_id,
                blocks=(block.id,),
            )
        )
    return Schedule(conference=inputs.conference, people=inputs.people, assignments=tuple(assignments), unscheduled=())


def theme_clashes(schedule: Schedule) -> int:
    """The objective recounted from the schedule, independently of Timefold's score, as the harness will."""
    plenary = {b.id for b in schedule.conference.blocks if b.type is BlockType.PLENARY}
    per_block = Counter(
        (a.blocks[0], theme)
        for a in schedule.assignments
        if a.blocks[0] not in plenary
        for theme in dict.fromkeys(a.session.themes)
    )
    return sum(n * (n - 1) // 2 for n in per_block.values())


# Solving, progress and the command line.


def _emit(line: dict[str, Any]) -> None:
    print(json.dumps(line), flush=True)


def _progress_listener() -> Any:
    """A Java SolverEventListener that prints each new best's score, and nothing else.

    Timefold calls it on the solver thread as soon as a new best is found. Timefold's Python `add_event_listener`
    would copy the whole solution back into Python objects on every event; measured on L, that took most of the
    search (local search fell to ~400 moves/s), and the benchmark needs only the score. A partly built solution
    (during the construction heuristic) is not a schedule yet, so it is not reported.
    """
    from ai.timefold.solver.core.api.solver.event import SolverEventListener
    from jpype import JImplements, JOverride

    @JImplements(SolverEventListener)
    class ScoreListener:
        @JOverride
        def bestSolutionChanged(self, event: Any) -> None:
            if event.isNewBestSolutionInitialized():
                score = event.getNewBestScore()
                _emit({"objective": -int(score.softScore()), "feasible": int(score.hardScore()) == 0})

    return ScoreListener()


def solve(programme: Programme, seconds: float) -> Programme:
    """Timefold's default phases (construction heuristic, then local search) until `seconds` have been spent."""
    config = SolverConfig(
        solution_class=Programme,
        entity_class_list=[Placement],
        score_director_factory_config=ScoreDirectorFactoryConfig(constraint_provider_function=conference_constraints),
        termination_config=TerminationConfig(spent_limit=Duration(milliseconds=max(1, round(seconds * 1000)))),
    )
    solver = SolverFactory.create(config).build_solver()
    solver._delegate.addEventListener(_progress_listener())  # the Java solver: see _progress_listener
    return solver.solve(programme)


def why_not_feasible(best: Programme) -> str | None:
    """Why Timefold's best solution is no schedule, or None when it is one."""
    unplaced = sum(p.block is None or p.room is None for p in best.placements)
    if unplaced or best.score is None:
        return (
            f"the construction heuristic placed {len(best.placements) - unplaced} of {len(best.placements)} "
            "sessions before the time limit"
        )
    if best.score.hard_score < 0:
        return f"Timefold's best solution breaks hard rules (score {best.score})"
    return None


def run(folder: Path, seconds: float, out: Path) -> int:
    """Load, solve, write OUT/schedule.json; the exit code says whether a feasible schedule was written."""
    started = time.monotonic()
    try:
        inputs = load_folder(folder)
    except InputProblems as problems:
        print(problems, file=sys.stderr)
        return 2
    programme = build_programme(inputs)
    if isinstance(programme, str):
        print(f"no schedule: {programme}", file=sys.stderr)
        _emit({"final": True, "objective": None, "feasible": False})
        return NO_SCHEDULE
    log.info("model built in %.1f s; solving for %.1f s", time.monotonic() - started, seconds)
    best = solve(programme, seconds)
    if reason := why_not_feasible(best):
        print(f"no schedule: {reason}", file=sys.stderr)
        _emit({"final": True, "objective": None, "feasible": False})
        return NO_SCHEDULE
    score = best.score
    assert score is not None  # why_not_feasible says so
    schedule = to_schedule(inputs, best)
    objective = -score.soft_score
    if theme_clashes(schedule) != objective:
        log.warning("Timefold scores %d theme clashes, the schedule has %d", objective, theme_clashes(schedule))
    write_atomic(
        out / "schedule.json", schedule_document(schedule, {"status": "feasible", "objective": objective, "peer": NAME})
    )
    _emit({"final": True, "objective": objective, "feasible": True})
    log.info("done in %.1f s (score %s)", time.monotonic() - started, score)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.peers.{NAME}", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--time-limit", type=float, required=True, help="seconds of search")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    return run(args.folder, args.time_limit, args.out)


if __name__ == "__main__":
    sys.exit(main())
