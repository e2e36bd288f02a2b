"""Why no programme exists, in plain words, naming the smallest set of requirements that conflict.

First fast counting checks for the common cases (a session that fits nowhere, more sessions of a kind than places,
more sessions needing a feature than rooms with it, a person in more sessions than the blocks they could be in, or
than their daily maximum allows), each of which is infeasible on its own and says what would fix it. Otherwise
CP-SAT with one assumption literal per named group of rules; its sufficient set of assumptions is then shrunk by
deletion, so every group named is needed for the conflict. Reasons name sessions by title and id (words.py).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from ortools.sat.python import cp_model

from planner.domain import Block, BlockType, ConferenceInput, Person, Session
from planner.solve.constraints import HARD_RULES, SESSIONS, HardRule
from planner.solve.model import Literal, build_variables
from planner.solve.options import Options, no_place_reason
from planner.solve.words import block_named, day_named, either, listed, plural, sessions_named, window_named


@dataclass(frozen=True)
class Conflict:
    """One reason in plain words and the sessions it concerns."""

    words: str
    sessions: tuple[str, ...]


CORE_SECONDS = 20.0
"""Time for shrinking the conflict; past it the (still sound, maybe larger) set found so far is reported."""


def counting_checks(inputs: ConferenceInput, options: Options) -> list[Conflict]:
    """Reasons that need no search. Optional sessions never make a programme impossible, so they are not counted.

    Each reason names the sessions (title and id), the blocks or days with their times, the unavailable windows
    where they matter, and ends with what would fix it.
    """
    required = [s for s in inputs.sessions if not s.optional]
    conflicts = [Conflict(no_place_reason(s, options, inputs), (s.id,)) for s in required if not options.places[s.id]]
    if conflicts:
        return conflicts
    return [
        *_kinds_over_places(inputs, required),
        *_features_over_rooms(inputs, required),
        *_people_over_blocks(inputs, options, required),
    ]


def _kinds_over_places(inputs: ConferenceInput, required: list[Session]) -> Iterator[Conflict]:
    """More sessions of a kind than the grid has places for that kind."""
    conference = inputs.conference
    labels = {k.id: k.label for k in conference.kinds}
    for kind in sorted({s.kind for s in required}):
        of_kind = [s for s in required if s.kind == kind]
        places = conference.places(kind)
        if len(of_kind) <= places:
            continue
        label = labels.get(kind, kind)
        blocks = [
            block_named(b, conference.zone, plural(1 if b.type is BlockType.PLENARY else len(b.rooms), "place"))
            for b in conference.blocks
            if b.type is not BlockType.BREAK and kind in b.kinds
        ]
        excess = len(of_kind) - places
        yield Conflict(
            f"{len(of_kind)} {label} sessions are proposed ({sessions_named(of_kind)}) but the grid has only "
            f"{plural(places, 'place')} for them{': ' + listed(blocks) if blocks else ''}; to fix: drop "
            f"{_of_these(excess)} or make {'it' if excess == 1 else 'them'} "
            f"optional, let more blocks take {label}, or open more rooms in the blocks that do",
            tuple(s.id for s in of_kind),
        )


def _features_over_rooms(inputs: ConferenceInput, required: list[Session]) -> Iterator[Conflict]:
    """More sessions needing a room feature than room-blocks with it that take their kinds."""
    conference = inputs.conference
    rooms = {r.id: r for r in conference.rooms}
    labels = {k.id: k.label for k in conference.kinds}
    for feature in sorted({f for s in required for f in s.requires}):
        needing = [s for s in required if feature in s.requires]
        kinds_needing = {s.kind for s in needing}
        offering = [
            (block, [rooms[r].name for r in block.rooms if feature in rooms[r].features])
            for block in conference.blocks
            if block.type is not BlockType.BREAK and kinds_needing & set(block.kinds)
        ]
        offering = [(block, names) for block, names in offering if names]
        offered = sum(1 if block.type is BlockType.PLENARY else len(names) for block, names in offering)
        if len(needing) <= offered:
            continue
        where = [block_named(block, conference.zone, either(names)) for block, names in offering]
        kinds = either([labels.get(k, k) for k in sorted(kinds_needing)])
        excess = len(needing) - offered
        yield Conflict(
            f"{len(needing)} sessions need {feature} ({sessions_named(needing)}) but only "
            f"{plural(offered, 'room-block')} with {feature} can take them{': ' + listed(where) if where else ''}; "
            f"to fix: drop the need for {feature} from {_of_these(excess)}, "
            f"give another room {feature}, or add a block that takes {kinds} in a room with {feature}",
            tuple(s.id for s in needing),
        )


def _people_over_blocks(inputs: ConferenceInput, options: Options, required: list[Session]) -> Iterator[Conflict]:
    """A person in more sessions than the blocks they could go in, or than their daily maximum allows on the days
    they could be there."""
    conference, zone = inputs.conference, inputs.conference.zone
    people = {p.id: p for p in inputs.people}
    labels = {k.id: k.label for k in conference.kinds}
    sessions_of: dict[str, list[Session]] = defaultdict(list)
    for session in required:
        for person_id in session.people:
            sessions_of[person_id].append(session)
    for person_id, sessions in sorted(sessions_of.items()):
        person = people.get(person_id)
        name = person.name if person else person_id
        places = [place for s in sessions for place in options.places[s.id]]
        blocks = {block for place in places for block in place.blocks}
        days = {place.day for place in places}
        most = person.max_sessions_per_day if person else None
        if len(sessions) > len(blocks):
            free = [block_named(b, zone) for b in conference.blocks if b.id in blocks]
            kinds = either([labels.get(k, k) for k in sorted({s.kind for s in sessions})])
            named, away, widen = _person_words(person, sessions, conference.blocks, zone)
            drop = f"drop {name} from {_of_these(len(sessions) - len(blocks))}"
            yield Conflict(
                f"{name} is in {named} but free in only {len(blocks)} of the blocks they could go in"
                f"{': ' + listed(free) if free else ''}{away}; to fix: "
                f"{either([drop, *widen, f'add a block that takes {kinds}'])}",
                tuple(s.id for s in sessions),
            )
        elif most and len(sessions) > most * len(days):
            there = [day_named(day) for day in conference.days if day.id in days]
            named, away, widen = _person_words(person, sessions, conference.blocks, zone)
            drop = f"drop {name} from {_of_these(len(sessions) - most * len(days))}"
            yield Conflict(
                f"{name} is in {named}, takes at most {most} a day, and could be there on only "
                f"{plural(len(days), 'day')}{': ' + listed(there) if there else ''}{away}; to fix: "
                f"{either([drop, f'raise their daily maximum of {most}', *widen])}",
                tuple(s.id for s in sessions),
            )


def _person_words(
    person: Person | None, sessions: list[Session], blocks: Iterable[Block], zone: tzinfo
) -> tuple[str, str, list[str]]:
    """'2 sessions (...)', the unavailable windows that matter ('; unavailable ...', or '') and the fix they allow:
    windows that overlap a block taking one of the sessions' kinds."""
    named = f"{plural(len(sessions), 'session')} ({sessions_named(sessions)})"
    kinds = {s.kind for s in sessions}
    taking = [b for b in blocks if b.type is not BlockType.BREAK and kinds & set(b.kinds)]
    windows = [w for w in (person.unavailable if person else ()) if any(w.overlaps(b.start, b.end) for b in taking)]
    if not windows:
        return named, "", []
    return named, f"; unavailable {listed([window_named(w, zone) for w in windows])}", ["widen their availability"]


def _of_these(n: int) -> str:
    return "one of these sessions" if n == 1 else f"{n} of these sessions"


def _infeasible(model: cp_model.CpModel, assumptions: list[Literal], seconds: float) -> tuple[bool, list[int]]:
    """Whether the model is infeasible under `assumptions`, and CP-SAT's sufficient subset (as literal indexes)."""
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.5)
    solver.parameters.num_workers = 1  # assumptions cores need the single-thread search
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return False, []
    return True, list(solver.sufficient_assumptions_for_infeasibility())


def conflict_core(
    inputs: ConferenceInput,
    options: Options,
    hard_rules: tuple[HardRule, ...] = HARD_RULES,
    seconds: float = CORE_SECONDS,
) -> list[Conflict]:
    """The named groups of rules that together admit no programme, each needed; empty if none was proven.

    The sessions of a conflict are those whose placement is among the groups: without them nothing is forced.
    """
    model = cp_model.CpModel()
    variables = build_variables(model, inputs, options)
    groups: dict[str, tuple[Literal, str]] = {}  # key -> (assumption literal, words)
    involved: dict[str, set[str]] = defaultdict(set)  # key -> the sessions its words name

    def guard(key: str, words: str, sessions: Sequence[str]) -> list[Literal]:
        if key not in groups:
            groups[key] = (model.new_bool_var(f"assume[{key}]"), words)
        involved[key].update(sessions)
        return [groups[key][0]]

    for rule in hard_rules:
        rule(variables, guard)
    literals = {lit.index: lit for lit, _ in groups.values()}
    deadline = time.monotonic() + seconds
    infeasible, core = _infeasible(model, list(literals.values()), seconds)
    if not infeasible:
        return []
    core = sorted(set(core) & set(literals))
    for index in list(core):  # deletion: drop each group the conflict does not need
        if time.monotonic() > deadline:
            break
        if index not in core:
            continue
        trial = [literals[i] for i in core if i != index]
        still, smaller = _infeasible(model, trial, deadline - time.monotonic())
        if still:
            core = sorted(set(smaller) & set(literals)) if smaller else [i for i in core if i != index]
    keys = {lit.index: key for key, (lit, _) in groups.items()}
    forced = tuple(keys[i].removeprefix("session:") for i in core if keys[i].startswith("session:"))
    words = {
        i: groups[keys[i]][1].replace(SESSIONS, sessions_named(s for s in inputs.sessions if s.id in involved[keys[i]]))
        for i in core
    }
    return [Conflict(words[i], forced) for i in sorted(core, key=words.__getitem__)]
