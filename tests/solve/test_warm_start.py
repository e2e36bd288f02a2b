"""The greedy warm start (planner/solve/warm_start.py) breaks no hard rule, and it is a complete hint CP-SAT can take
as its first answer."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from benchmarks.generate import SIZES, generate
from planner.io.folder import load_folder
from planner.solve.constraints import HARD_RULES
from planner.solve.model import build_variables
from planner.solve.objectives import back_to_back, theme_clash, theme_spread
from planner.solve.options import Context, place_options
from planner.solve.pooling import model_options
from planner.solve.warm_start import _Placed, _swapped, add_greedy_hint, greedy_places
from tests.solve.models import full_model
from tests.solve.tiny import grid, instance, session


@pytest.fixture(scope="module", params=["S", "M"])
def variables(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    inputs = load_folder(generate(SIZES[request.param], 5, tmp_path_factory.mktemp("bench") / request.param))
    options = place_options(inputs, Context(inputs, {p.id: p for p in inputs.people}))
    model = cp_model.CpModel()
    made = build_variables(model, inputs, model_options(inputs, options, replanning=False))
    for rule in HARD_RULES:
        rule(made)
    model.minimize(theme_clash(made, {}))
    return made


def test_the_greedy_places_every_session_without_breaking_a_hard_rule(variables):
    chosen = greedy_places(variables).places
    assert set(chosen) == set(variables.x)
    fixed = variables.model.clone()
    for session_id, index in chosen.items():
        fixed.add(fixed.get_bool_var_from_proto_index(variables.x[session_id][index].index) == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_the_hint_is_complete_and_feasible(variables):
    model = variables.model.clone()
    hinted = build_hinted(model, variables)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.debug_crash_on_bad_hint = True
    solver.parameters.stop_after_first_solution = True
    solver.parameters.cp_model_presolve = False
    assert solver.solve(hinted) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    hint = hinted.proto.solution_hint
    assert len(hint.vars) == len(hinted.proto.variables)


def build_hinted(model: cp_model.CpModel, variables) -> cp_model.CpModel:
    """The same model with the warm start added as hints."""
    variables.model, original = model, variables.model
    try:
        add_greedy_hint(variables)
    finally:
        variables.model = original
    return model


def test_a_swap_fixes_a_clash_that_no_single_move_can():
    """Two full blocks, the two theme-t sessions together: no session can move alone (no room is free), but
    exchanging one of them with a session of the other block removes the clash."""
    blocks = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")]
    rooms = (("r1", 50, ()), ("r2", 50, ()))
    talks = [
        session("t1", "p1", themes=("t",)),
        session("t2", "p2", themes=("t",)),
        session("u", "p3", themes=("u",)),
        session("v", "p4", themes=("v",)),
    ]
    variables = full_model(instance(grid(blocks, rooms=rooms), talks))
    where = {"t1": "b1", "t2": "b1", "u": "b2", "v": "b2"}
    chosen = {s: next(i for i, p in enumerate(variables.places[s]) if p.blocks == (b,)) for s, b in where.items()}
    placed = _Placed(variables)
    for s, index in chosen.items():
        placed.add(s, index)
    assert placed.themes["b1"]["t"] == 2 and placed.marginal.total == 10  # one clash, weighted 10
    assert _swapped(variables, placed, chosen)
    blocks_now = {s: variables.places[s][index].blocks for s, index in chosen.items()}
    assert blocks_now["t1"] != blocks_now["t2"]
    assert placed.themes["b1"]["t"] == placed.themes["b2"]["t"] == 1
    assert placed.marginal.total == 0
    assert not _swapped(variables, placed, chosen)  # at the bound: nothing more to try


def test_the_hint_covers_theme_spread_and_back_to_back_too(tmp_path):
    """With the usual weights the objective has helpers for spread over days and back-to-back sessions; the hint
    sets them as well, so the warm start is a whole programme with a known objective (else CP-SAT must repair it,
    which took 7.5 s on the M benchmark with these weights)."""
    inputs = load_folder(generate(SIZES["S"], 5, tmp_path / "S"))
    options = place_options(inputs, Context(inputs, {p.id: p for p in inputs.people}))
    model = cp_model.CpModel()
    made = build_variables(model, inputs, model_options(inputs, options, replanning=False))
    for rule in HARD_RULES:
        rule(made)
    model.minimize(theme_clash(made, {}) + 2 * theme_spread(made, {}) + 3 * back_to_back(made, {}))
    objective = add_greedy_hint(made)
    assert objective is not None
    assert len(model.proto.solution_hint.vars) == len(model.proto.variables)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(model) == cp_model.OPTIMAL
    assert solver.objective_value == objective


def test_the_greedy_keeps_a_person_out_of_back_to_back_blocks_when_that_costs():
    """Three blocks with no break between; p is in two sessions. The greedy puts the second one where it adds
    least to the weighted objective: not next to the first."""
    blocks = [
        ("b1", "09:00", "10:00", "parallel"),
        ("b2", "10:00", "11:00", "parallel"),
        ("b3", "11:00", "12:00", "parallel"),
    ]
    inputs = instance(grid(blocks, rooms=(("r1", 50, ()),), back_to_back=3), [session("s1", "p"), session("s2", "p")])
    variables = full_model(inputs)
    chosen = greedy_places(variables).places
    blocks_now = {s: variables.places[s][index].blocks for s, index in chosen.items()}
    assert blocks_now == {"s1": ("b1",), "s2": ("b3",)}


def test_the_greedy_spreads_a_theme_over_the_days_when_that_costs():
    """Two days of one block each; a launch that only day 2 takes goes first, so crowding alone would put both
    theme-t talks on day 1. With theme spread weighted (and clashes not), the second talk goes to day 2."""
    day1 = [("a", "09:00", "10:00", "parallel", ["r1", "r2", "r3"], ["talk"])]
    day2 = [("b", "09:00", "10:00", "parallel", ["r1", "r2", "r3"], ["talk", "launch"])]
    rooms = (("r1", 50, ()), ("r2", 50, ()), ("r3", 50, ()))
    talks = [
        session("launch", "q", kind="launch"),
        session("t1", "p1", themes=("t",)),
        session("t2", "p2", themes=("t",)),
    ]
    inputs = instance(grid(day1, day2, rooms=rooms, theme_clash=0, theme_spread=2), talks)
    variables = full_model(inputs)
    chosen = greedy_places(variables).places
    days = {s: variables.places[s][index].day for s, index in chosen.items()}
    assert days["launch"] == "d2" and days["t1"] != days["t2"]
