"""Why no programme exists, in plain words, naming the smallest set of requirements that conflict.

First fast counting checks for the common cases (a session that fits nowhere, more sessions of a kind than places,
more sessions needing a feature than rooms with it, a person in more sessions than the blocks they could be in),
each of which is infeasible on its own. Otherwise CP-SAT with one assumption literal per named group of rules; its
sufficient set of assumptions is then shrunk by deletion, so every group named is needed for the conflict.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from ortools.sat.python import cp_model

from planner.domain import BlockType, ConferenceInput
from planner.solve.constraints import HARD_RULES
from planner.solve.model import Literal, build_variables
from planner.solve.options import Options, no_place_reason

CORE_SECONDS = 20.0
"""Time for shrinking the conflict; past it the (still sound, maybe larger) set found so far is reported."""


def counting_checks(inputs: ConferenceInput, options: Options) -> list[str]:
    """Reasons that need no search. Optional sessions never make a programme impossible, so they are not counted."""
    required = [s for s in inputs.sessions if not s.optional]
    reasons = [no_place_reason(s, options, inputs) for s in required if not options.places[s.id]]
    if reasons:
        return reasons
    conference = inputs.conference
    kinds = {k.id: k.label for k in conference.kinds}
    for kind, count in sorted(Counter(s.kind for s in required).items()):
        if count > (places := conference.places(kind)):
            reasons.append(f"{count} {kinds.get(kind, kind)} sessions are proposed but the grid has only {places} "
                           f"place{'s' * (places != 1)} for them")  # fmt: skip
    rooms = {r.id: r for r in conference.rooms}
    for feature in sorted({f for s in required for f in s.requires}):
        needing = [s for s in required if feature in s.requires]
        kinds_needing = {s.kind for s in needing}
        offered = sum(
            1 if block.type is BlockType.PLENARY else sum(feature in rooms[r].features for r in block.rooms)
            for block in conference.blocks
            if block.type is not BlockType.BREAK and kinds_needing & set(block.kinds)
            and any(feature in rooms[r].features for r in block.rooms)
        )  # fmt: skip
        if len(needing) > offered:
            reasons.append(f"{len(needing)} sessions need {feature} but only {offered} room-block"
                           f"{'s' * (offered != 1)} with {feature} can take them")  # fmt: skip
    names = {p.id: p.name for p in inputs.people}
    sessions_of: dict[str, list[str]] = defaultdict(list)
    for session in required:
        for person in session.people:
            sessions_of[person].append(session.id)
    for person, sessions in sorted(sessions_of.items()):
        blocks = {block for s in sessions for place in options.places[s] for block in place.blocks}
        if len(sessions) > len(blocks):
            reasons.append(f"{names.get(person, person)} is in {len(sessions)} sessions but free in only "
                           f"{len(blocks)} of the blocks they could go in")  # fmt: skip
    return reasons


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


def conflict_core(inputs: ConferenceInput, options: Options, seconds: float = CORE_SECONDS) -> list[str]:
    """The named groups of rules that together admit no programme, each needed; empty if none was proven."""
    model = cp_model.CpModel()
    variables = build_variables(model, inputs, options)
    groups: dict[str, tuple[Literal, str]] = {}

    def guard(key: str, words: str) -> list[Literal]:
        if key not in groups:
            groups[key] = (model.new_bool_var(f"assume[{key}]"), words)
        return [groups[key][0]]

    for rule in HARD_RULES:
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
    return [words[i] for i in sorted(core, key=lambda i: words[i])]
