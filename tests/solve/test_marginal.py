"""The warm start counts the objective by the model's own terms (planner/solve/marginal.py): on random small
conferences, the greedy's cost of the programme it builds is the model's objective for that programme, and so is
the sum of its placements' costs in any order."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from planner.domain import ConferenceInput, Schedule
from planner.solve.answer import NoProgramme
from planner.solve.marginal import Marginal
from planner.solve.warm_start import add_greedy_hint, greedy_places
from tests.solve.models import full_model
from tests.solve.tiny import grid, instance, person, previous, session

PEOPLE = ("ana", "bo", "cy", "dee")
ROOMS = (("hall", 100, ("streaming",)), ("side", 40, ()), ("annex", 20, ()))
KINDS = ("talk", "keynote", "launch")


@st.composite
def cases(draw: st.DrawFn) -> tuple[ConferenceInput, Schedule | None]:
    """A conference of one or two days with every term weighted at random, and sometimes a previous schedule."""
    rooms = ROOMS[: draw(st.integers(1, 3))]
    days, starts = [], []
    for day in range(draw(st.integers(1, 2))):
        blocks, hour = [], 9
        for number in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["parallel", "parallel", "plenary", "break"]))
            block = (f"b{day}{number}", f"{hour:02d}:00", f"{hour + 1:02d}:00", kind)
            blocks.append(block)
            hour += 1
        if all(b[3] == "break" for b in blocks):
            blocks[0] = (*blocks[0][:3], "parallel")
        starts += [b[0] for b in blocks if b[3] != "break"]
        days.append(blocks)
    weights = {name: draw(st.integers(0, 12)) for name in ("theme_clash", "theme_spread", "back_to_back")}
    weights |= {name: draw(st.integers(0, 12)) for name in ("room_overflow", "day_shape", "moved", "move_hours")}
    sessions = []
    for number in range(draw(st.integers(1, 6))):
        sessions.append(
            session(
                f"s{number}",
                *draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=2, unique=True)),
                kind=draw(st.sampled_from(KINDS)),
                duration=draw(st.sampled_from([60, 60, 60, 120])),
                optional=draw(st.integers(0, 5)) == 0,
                themes=tuple(draw(st.lists(st.sampled_from(["x", "y", "z"]), min_size=0, max_size=2, unique=True))),
                expected_audience=draw(st.sampled_from([None, 15, 35, 80])),
            )
        )
    people = [person(name, max_sessions_per_day=draw(st.sampled_from([None, None, 1, 2]))) for name in PEOPLE]
    inputs = instance(grid(*days, rooms=rooms, kinds=KINDS, **weights), sessions, people)
    if not draw(st.booleans()):
        return inputs, None
    where = {
        s.id: (draw(st.sampled_from(starts)), draw(st.sampled_from([r[0] for r in rooms])))
        for s in sessions
        if draw(st.booleans())
    }
    return inputs, previous(inputs, where)


def objective_of_hint(model: cp_model.CpModel) -> float:
    """The model's objective with every variable fixed to its hint."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver.objective_value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.randoms(use_true_random=False))
def test_the_greedys_cost_of_its_programme_is_the_models_objective(case, random):
    inputs, before = case
    try:
        variables = full_model(inputs, before)
    except NoProgramme:
        assume(False)
    greedy = greedy_places(variables)
    assume(len(greedy.places) == len(variables.x))  # a whole programme: the hint fixes every variable
    assert add_greedy_hint(variables) == greedy.cost
    assert objective_of_hint(variables.model) == greedy.cost
    literals = [variables.x[session][index].index for session, index in greedy.places.items()]
    random.shuffle(literals)
    again = Marginal(variables)
    for literal in literals:
        again.add(literal)
    assert again.total == greedy.cost


def test_the_greedy_counts_seats_short_too():
    """Same block, two rooms: the session expecting 80 takes the hall (room_overflow is a term like any other),
    even though the side room comes first in the crowd tie-break."""
    rooms = (("side", 30, ()), ("hall", 100, ()))
    inputs = instance(grid([("b1", "09:00", "10:00", "parallel")], rooms=rooms), [session("big", expected_audience=80)])
    variables = full_model(inputs)
    greedy = greedy_places(variables)
    assert variables.places["big"][greedy.places["big"]].room == "hall" and greedy.cost == 0


def test_the_greedy_counts_moves_too():
    """Re-planning: with no other cost, the greedy keeps each session where the previous schedule had it."""
    blocks = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")]
    inputs = instance(grid(blocks, rooms=ROOMS), [session("a"), session("b"), session("c")])
    before = previous(inputs, {"a": ("b2", "annex"), "b": ("b2", "side"), "c": ("b1", "side")})
    variables = full_model(inputs, before)
    greedy = greedy_places(variables)
    placed = {s: variables.places[s][i] for s, i in greedy.places.items()}
    assert {s: (p.blocks[0], p.room) for s, p in placed.items()} == {
        "a": ("b2", "annex"),
        "b": ("b2", "side"),
        "c": ("b1", "side"),
    }
    assert greedy.cost == 0
