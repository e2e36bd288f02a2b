"""The even-spread bound on theme clashes (objectives.even_spread_clashes): what it counts, and that it is a true
lower bound (the optimum never drops below it, and solving with it finds the same optimum)."""

from __future__ import annotations

from ortools.sat.python import cp_model
from tiny import grid, instance, session, solve

from planner.solve.model import build_variables
from planner.solve.objectives import even_spread_clashes
from planner.solve.options import Context, place_options

BLOCKS = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel"),
          ("k", "11:00", "12:00", "plenary", ["hall"], ["keynote"])]  # fmt: skip


def _bound(inputs, theme: str) -> int:
    options = place_options(inputs, Context(inputs, {p.id: p for p in inputs.people}))
    variables = build_variables(cp_model.CpModel(), inputs, options.by_room())
    parallel = {b.id for b in inputs.conference.blocks if b.type == "parallel"}
    return even_spread_clashes(variables, theme, parallel)


def test_five_sessions_of_a_theme_over_two_blocks_clash_at_least_four_times():
    talks = [session(f"t{i}", f"p{i}", themes=("a",)) for i in range(5)]
    rooms = (("hall", 100, ()), ("s1", 50, ()), ("s2", 50, ()))
    inputs = instance(grid(BLOCKS, rooms=rooms, kinds=("talk", "keynote")), talks)
    assert _bound(inputs, "a") == 4  # 3 + 2 sessions: 3 pairs + 1 pair
    answer = solve(inputs)
    assert answer.terms["theme_clash"] == 4 and answer.status == "optimal"


def test_optional_sessions_and_sessions_that_may_go_to_a_plenary_are_not_counted():
    talks = [session(f"t{i}", f"p{i}", themes=("a",)) for i in range(3)]
    talks += [session("opt", "q", themes=("a",), optional=True), session("key", "r", kind="keynote", themes=("a",))]
    inputs = instance(grid(BLOCKS, kinds=("talk", "keynote")), talks)
    assert _bound(inputs, "a") == 1
