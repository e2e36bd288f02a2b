"""The attendee_conflict term (planner/solve/audience.py) at the model level, one rule a test: a placement fixed, the
term's exact value; then drafts that keep wanted sessions apart, judged by the checker's own count."""

from __future__ import annotations

import random

from pydantic import NonNegativeInt

from planner.check.rules import contested
from planner.check.schedule import schedule_agenda
from planner.domain import Audience, Conference, ConferenceInput, Weights
from planner.solve import audience as term
from planner.solve.audience import attendee_conflict, even_spread_conflicts
from planner.solve.objectives import SOFT_TERMS
from tests.solve.models import count, fix, variables_of
from tests.solve.tiny import grid, instance, session, solve

DAY = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "plenary", ["hall"]),
]
LATER = [(f"l{block[0][1:]}", *block[1:]) for block in DAY]
SHORT = [  # 45-minute blocks back to back, so a 90-minute session spans two
    ("c1", "09:00", "09:45", "parallel"),
    ("c2", "09:45", "10:30", "parallel"),
    ("c3", "10:30", "11:15", "parallel"),
]


def _inputs(days, picks, sessions) -> ConferenceInput:
    conference = grid(*days).model_copy(update={"audience": Audience(picks=picks)})
    return instance(conference, sessions)


def test_a_pair_of_picks_at_once_counts_each_attendees_lesser_weight():
    """a1 wants x and y (weight 1), a2 wants x (2) and y (3): x beside y costs 1 + 2; y beside z costs a1's 1."""
    inputs = _inputs([DAY], {"a1": {"x": 1, "y": 1, "z": 1}, "a2": {"x": 2, "y": 3}}, [session(s) for s in "xyz"])
    assert count(inputs, attendee_conflict, {"x": "b1 hall", "y": "b1 side", "z": "b2 hall"}) == 3
    assert count(inputs, attendee_conflict, {"x": "b1 hall", "y": "b2 side", "z": "b2 hall"}) == 1
    assert count(inputs, attendee_conflict, {"x": "b1 hall", "y": "b2 side", "z": "b3 hall"}) == 0


def test_overlap_is_by_clock_time_across_blocks_of_different_lengths():
    """A 90-minute session spans c1 and c2: it overlaps a talk in c2, and another 90-minute one in c1+c2 once (not
    once per shared block); a talk in c3 starts when it has ended."""
    picks = {"a1": {"long": 1, "talk": 1}, "a2": {"long": 1, "other": 1}, "a3": {"long": 1, "late": 1}}
    sessions = [session("long", duration=90), session("other", duration=90), session("talk", duration=45)]
    inputs = _inputs([SHORT], picks, [*sessions, session("late", duration=45)])
    assert count(inputs, attendee_conflict, {"long": "c1 hall", "talk": "c2 side", "late": "c3 hall"}) == 1
    assert count(inputs, attendee_conflict, {"long": "c1 hall", "other": "c1 side"}) == 1
    assert count(inputs, attendee_conflict, {"long": "c1 hall", "other": "c2 side"}) == 1
    assert count(inputs, attendee_conflict, {"long": "c2 hall", "late": "c3 side"}) == 1
    assert count(inputs, attendee_conflict, {"long": "c1 hall", "late": "c3 side", "talk": "c3 hall"}) == 0


def test_a_plenary_pick_overlaps_nothing():
    inputs = _inputs([DAY], {"a1": {"k": 1, "x": 1}}, [session("k", kind="keynote"), session("x")])
    assert count(inputs, attendee_conflict, {"k": "b3 hall", "x": "b1 hall"}) == 0


def test_an_optional_session_left_out_clashes_with_nothing():
    inputs = _inputs([DAY], {"a1": {"x": 1, "y": 1}}, [session("x"), session("y", optional=True)])
    assert count(inputs, attendee_conflict, {"x": "b1 hall"}) == 0


def test_no_interest_no_term():
    inputs = instance(grid(DAY), [session("x")])
    assert count(inputs, attendee_conflict, {"x": "b1 hall"}) == 0


def _compact_count(inputs: ConferenceInput, placement: dict[str, str]) -> int:
    """The term in its compact form (one helper per pair, used for large instances), at a fixed placement."""
    from ortools.sat.python import cp_model

    from planner.audience import estimates

    variables = variables_of(inputs)
    variables.together = []  # type: ignore[attr-defined]  # the registry the compact form fills
    found = estimates(inputs.conference.audience, inputs.conference.interest, inputs.sessions)
    assert found is not None
    helpers = term._pairs(variables, found.pairs)
    expr = cp_model.LinearExpr.weighted_sum([h for h, _, _ in helpers], [w for _, w, _ in helpers])
    fix(variables, placement)
    variables.model.minimize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(variables.model) == cp_model.OPTIMAL
    return int(solver.value(expr))


def test_the_compact_form_counts_what_the_stars_count():
    picks = {
        f"a{n}": dict.fromkeys(random.Random(n).sample(["long", "other", "talk", "late"], 3), 1 + n % 2)
        for n in range(6)
    }
    sessions = [session("long", duration=90), session("other", duration=90), session("talk", duration=45)]
    inputs = _inputs([SHORT], picks, [*sessions, session("late", duration=45)])
    for placement in (
        {"long": "c1 hall", "other": "c2 side", "talk": "c3 hall", "late": "c3 side"},
        {"long": "c1 hall", "other": "c1 side", "talk": "c3 hall", "late": "c3 side"},
        {"long": "c2 hall", "talk": "c1 side", "late": "c2 side"},
    ):
        assert _compact_count(inputs, placement) == count(inputs, attendee_conflict, placement), placement


def test_the_floor_spreads_each_attendees_picks_over_the_blocks_they_can_take():
    """Three picks that can only go in b1 or b2 (the plenary takes keynotes only): one pair must overlap."""
    conference = grid(DAY)
    starts = {"x": {"b1", "b2"}, "y": {"b1", "b2"}, "z": {"b1", "b2"}}
    assert even_spread_conflicts(conference, {"a1": {"x": 2, "y": 3, "z": 2}}, starts) == 2
    assert even_spread_conflicts(conference, {"a1": {"x": 1, "y": 1}}, starts) == 0


def _with_term(conference: Conference, weight: int = 5, **others: int) -> Conference:
    """The conference weighing attendee_conflict (a Weights with the field until planner.domain has it)."""
    values = {**conference.weights.model_dump(), **others, "attendee_conflict": weight}

    class Weighted(Weights):
        attendee_conflict: NonNegativeInt = weight

    chosen = Weights(**values) if "attendee_conflict" in Weights.model_fields else Weighted(**values)
    return conference.model_copy(update={"weights": chosen})


SETTINGS = {"soft_terms": {**SOFT_TERMS, "attendee_conflict": attendee_conflict}}


def test_a_draft_keeps_wanted_sessions_apart_and_the_checker_counts_what_the_term_counts():
    """Four talks, two blocks of two rooms: the attendees want x with y and z with w, so those go apart."""
    picks = {"a1": {"x": 1, "y": 1}, "a2": {"x": 1, "y": 1}, "a3": {"z": 1, "w": 1}}
    conference = _with_term(grid(DAY).model_copy(update={"audience": Audience(picks=picks)}), theme_clash=0)
    inputs = instance(conference, [session(s) for s in "xyzw"])
    answer = solve(inputs, **SETTINGS)
    placed = {a.session.id: a.start for a in answer.schedule.assignments}
    assert placed["x"] != placed["y"] and placed["z"] != placed["w"]
    assert answer.terms["attendee_conflict"] == 0 and answer.status == "optimal"


def test_the_checker_counts_the_terms_value_on_random_programmes():
    """The checker judges clock times with its own code: its contested pairs' weights sum to the term."""
    rng = random.Random(7)
    names = ["s1", "s2", "s3", "s4", "s5"]
    sessions = [session(s, duration=rng.choice((60, 120)) if s == "s1" else 60) for s in names]
    for trial in range(6):
        picks = {f"a{n}": dict.fromkeys(rng.sample(names, 3), rng.randint(1, 3)) for n in range(5)}
        conference = _with_term(grid(DAY, LATER).model_copy(update={"audience": Audience(picks=picks)}))
        inputs = instance(conference, sessions)
        answer = solve(inputs, **SETTINGS, seed=trial)
        found = contested(*schedule_agenda(answer.schedule, inputs.sessions))
        assert sum(interest.weight for _, _, interest in found) == answer.terms["attendee_conflict"]
