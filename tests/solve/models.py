"""Model-level tests on tiny conferences, as the cpsat-primer's tests and Timefold's `penalizes_by` do: the model with
only the rules or the term a test names, a placement fixed, solved; then the status, or the term's exact value.

A placement maps a session id to where it is: 'b1 hall' (its first block and its room), 'b1' when the block alone
says which place (a pooled model, or one room), or a list of such for a session placed more than once. Sessions not
named are placed nowhere (an optional one is then left out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from planner.domain import ConferenceInput, Schedule
from planner.solve.constraints import HARD_RULES, HardRule
from planner.solve.model import Variables, build_variables
from planner.solve.objectives import Term
from planner.solve.options import Context, place_options
from planner.solve.run import Settings, model_of, prepare

Placement = Mapping[str, str | Sequence[str]]


def variables_of(inputs: ConferenceInput, rules: Sequence[HardRule] = (), *, pooled: bool = False) -> Variables:
    """The variables of every allowed place (one per room unless `pooled`), with `rules` added and no objective."""
    options = place_options(inputs, Context(inputs, {p.id: p for p in inputs.people}))
    variables = build_variables(cp_model.CpModel(), inputs, options if pooled else options.by_room())
    for rule in rules:
        rule(variables)
    return variables


def full_model(inputs: ConferenceInput, previous: Schedule | None = None) -> Variables:
    """The model as a draft builds it (every rule, the weighted terms, pooled where exact), without a warm start.
    Raises NoProgramme when counting alone shows that none exists."""
    settings = Settings()
    variables, _ = model_of(prepare(inputs, previous, (), settings), settings)
    return variables


def index_of(variables: Variables, session: str, where: str) -> int:
    """The index, among the session's places, of 'block room' (or 'block' when that says which)."""
    block, _, room = where.partition(" ")
    found = [
        i
        for i, place in enumerate(variables.places[session])
        if place.blocks[0] == block and (not room or room in place.rooms)
    ]
    assert len(found) == 1, f"{session} at {where!r}: {len(found)} places match; name the room, or a place it has"
    return found[0]


def fix(variables: Variables, placement: Placement) -> None:
    """Each session's place literals true where the placement puts it and false elsewhere; an optional session left
    out exactly when it is placed nowhere."""
    model = variables.model
    for session, literals in variables.x.items():
        wanted = placement.get(session, ())
        chosen = {index_of(variables, session, where) for where in ([wanted] if isinstance(wanted, str) else wanted)}
        for i, literal in enumerate(literals):
            model.add(literal == int(i in chosen))
        if session in variables.left_out:
            model.add(variables.left_out[session] == int(not chosen))


def status(inputs: ConferenceInput, rules: Sequence[HardRule], placement: Placement, *, pooled: bool = False) -> str:
    """'OPTIMAL' (the placement keeps the rules) or 'INFEASIBLE' (it breaks one)."""
    variables = variables_of(inputs, rules, pooled=pooled)
    fix(variables, placement)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.status_name(solver.solve(variables.model))


def breaks(rule: HardRule, inputs: ConferenceInput, placement: Placement, *, pooled: bool = False) -> bool:
    """Whether the placement breaks this rule and nothing else: infeasible with the rule, feasible without it."""
    assert rule in HARD_RULES
    with_rule = status(inputs, [rule], placement, pooled=pooled)
    return with_rule == "INFEASIBLE" and status(inputs, [], placement, pooled=pooled) == "OPTIMAL"


def count(inputs: ConferenceInput, term: Term, placement: Placement, previous: Schedule | None = None) -> int:
    """The term's unweighted value for the placement (its helpers at their least, as the minimised objective has
    them)."""
    variables = variables_of(inputs)
    before = {a.session.id: a for a in previous.assignments} if previous else {}
    expr = term(variables, before)
    fix(variables, placement)
    if isinstance(expr, int):
        return expr
    variables.model.minimize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(variables.model) == cp_model.OPTIMAL
    return int(solver.value(expr))
