"""Why no programme exists, in plain words, naming the smallest set of requirements that conflict.

First fast counting checks for the common cases (a session that fits nowhere, more sessions of a kind than places,
more sessions needing a feature than rooms with it, a person in more sessions than the blocks they could be in),
each of which is infeasible on its own. Otherwise CP-SAT with one assumption literal per named group of rules; its
sufficient set of assumptions is then shrunk by deletion, so every group named is needed for the conflict.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.domain import BlockType, ConferenceInput
from planner.solve.constraints import HARD_RULES, HardRule
from planner.solve.model import Literal, build_variables
from planner.solve.options import Options, no_place_reason


@dataclass(frozen=True)
class Conflict:
    """One reason in plain words and the sessions it concerns."""

    words: str
    sessions: tuple[str, ...]


CORE_SECONDS = 20.0
"""Time for shrinking the conflict; past it the (still sound, maybe larger) set found so far is reported."""


def counting_checks(inputs: ConferenceInput, options: Options) -> list[Conflict]:
    """Reasons that need no search. Optional sessions never make a programme impossible, so they are not counted."""
    required = [s for s in inputs.sessions if not s.optional]
    conflicts = [Conflict(no_place_reason(s, options, inputs), (s.id,)) for s in required if not options.places[s.id]]
    if conflicts:
        return conflicts
    conference = inputs.conference
    kinds = {k.id: k.label for k in conference.kinds}
    for kind in sorted({s.kind for s in required}):
        of_kind = tuple(s.id for s in required if s.kind == kind)
        if len(of_kind) > (places := conference.places(kind)):
            conflicts.append(
                Conflict(
                    f"{len(of_kind)} {kinds.get(kind, kind)} sessions are proposed but the grid "
                    f"has only {places} place{'s' * (places != 1)} for them",
                    of_kind,
                )
            )
    rooms = {r.id: r for r in conference.rooms}
    for feature in sorted({f for s in required for f in s.requires}):
        needing = [s for s in required if feature in s.requires]
        kinds_needing = {s.kind for s in needing}
        offered = sum(
            1 if block.type is BlockType.PLENARY else sum(feature in rooms[r].features for r in block.rooms)
            for block in conference.blocks
            if block.type is not BlockType.BREAK
            and kinds_needing & set(block.kinds)
            and any(feature in rooms[r].features for r in block.rooms)
        )
        if len(needing) > offered:
            conflicts.append(
                Conflict(
                    f"{len(needing)} sessions need {feature} but only {offered} room-block"
                    f"{'s' * (offered != 1)} with {feature} can take them",
                    tuple(s.id for s in needing),
                )
            )
    people = {p.id: p for p in inputs.people}
    sessions_of: dict[str, list[str]] = defaultdict(list)
    for session in required:
        for person in session.people:
            sessions_of[person].append(session.id)
    for person_id, sessions in sorted(sessions_of.items()):
        person = people.get(person_id)
        name = person.name if person else person_id
        blocks = {block for s in sessions for place in options.places[s] for block in place.blocks}
        days = {place.day for s in sessions for place in options.places[s]}
        if len(sessions) > len(blocks):
            conflicts.append(
                Conflict(
                    f"{name} is in {len(sessions)} sessions but free in only {len(blocks)} of the "
                    "blocks they could go in",
                    tuple(sessions),
                )
            )
        elif person and person.max_sessions_per_day and len(sessions) > person.max_sessions_per_day * len(days):
            most = person.max_sessions_per_day
            conflicts.append(
                Conflict(
                    f"{name} is in {len(sessions)} sessions, takes at most {most} a day, and "
                    f"could be there on only {len(days)} day{'s' * (len(days) != 1)}",
                    tuple(sessions),
                )
            )
    return conflicts


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

    def guard(key: str, words: str) -> list[Literal]:
        if key not in groups:
            groups[key] = (model.new_bool_var(f"assume[{key}]"), words)
        return [groups[key][0]]

    for rule in hard_rules:
        rule(variables, guard)
    literals = {lit.index: lit for lit, _ in groups.values()}
    words = {lit.index: text for lit, text in groups.values()}
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
    return [Conflict(words[i], forced) for i in sorted(core, key=lambda i: words[i])]
