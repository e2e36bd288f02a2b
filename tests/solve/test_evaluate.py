"""Scoring any schedule (planner/solve/evaluate.py): the terms are the draft's own, so a drafted programme scores
exactly what the solver reported, a fixed placement counts what the model counts, and a placement the grid has no
place for is reported, never silently dropped."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.domain import Schedule, Unscheduled, Weights
from planner.solve import objectives
from planner.solve.evaluate import evaluate
from planner.solve.run import Settings, draft
from tests.export.agenda_sample import soc2025
from tests.paths import REPO
from tests.solve.models import count
from tests.solve.tiny import grid, instance, person, previous, session, solve

THREE = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "parallel"),
]
ROOMS = (("hall", 100, ("streaming",)), ("side", 30, ()), ("annex", 20, ()))
SESSIONS = [
    session("a", "ana", themes=("x",), expected_audience=60),
    session("b", "ana", themes=("x",)),
    session("c", "bo", themes=("x", "y")),
    session("d", "bo", themes=("y",)),
    session("key", "cy", kind="keynote"),
]
INPUTS = instance(grid(THREE, [("c1", "09:00", "10:00", "parallel")], rooms=ROOMS), SESSIONS)


def placed(where: dict[str, str], inputs=INPUTS) -> Schedule:
    """'b1 hall' for each session: tiny.previous's (block, room)."""
    return previous(inputs, {s: tuple(w.split()) for s, w in where.items()})


def test_a_drafted_programme_scores_what_the_solver_reported():
    answer = solve(INPUTS)
    scores = evaluate(answer.schedule)
    assert scores.terms == answer.terms and scores.objective == answer.objective
    assert scores.complete and sorted(scores.counted) == sorted(s.id for s in SESSIONS)


def test_the_example_scores_what_its_draft_reported():
    from planner.io.folder import load_folder

    answer = draft(load_folder(REPO / "examples" / "soc2025"), settings=Settings(workers=1))
    scores = evaluate(answer.schedule)
    assert (scores.objective, scores.terms) == (answer.objective, answer.terms)
    assert scores.objective == sum(scores.cost(term) for term in scores.terms)


def test_a_replan_scores_its_moves_against_the_previous_schedule():
    before = placed({"a": "b1 hall", "b": "b2 hall", "c": "b3 hall", "d": "c1 hall", "key": "b1 side"})
    answer = solve(INPUTS, previous=before)
    scores = evaluate(answer.schedule, previous=before)
    assert scores.terms == answer.terms and scores.objective == answer.objective


@pytest.mark.parametrize(
    "where",
    [
        {"a": "b1 hall", "b": "b1 side", "c": "b1 annex", "d": "c1 hall", "key": "b3 hall"},
        {"a": "b1 side", "b": "b2 hall", "c": "b2 side", "d": "b3 hall", "key": "c1 hall"},
        {"a": "c1 annex", "b": "c1 side", "c": "c1 hall", "d": "b1 hall", "key": "b2 hall"},
    ],
)
def test_each_term_counts_what_the_model_counts_for_a_fixed_placement(where):
    scores = evaluate(placed(where))
    for name in ("theme_clash", "theme_spread", "back_to_back", "room_overflow", "day_shape"):
        assert scores.terms[name] == count(INPUTS, objectives.SOFT_TERMS[name], where), name
    assert scores.objective == sum(scores.cost(term) for term in scores.terms)


def test_known_counts_for_a_hand_placement():
    """a and b share x in b1 (a clash), Ana is in b1 and b2 (back to back), a's 60 expected in the side room's 30."""
    scores = evaluate(placed({"a": "b1 side", "b": "b1 hall", "c": "b3 hall", "d": "c1 hall", "key": "b2 hall"}))
    assert scores.terms["theme_clash"] == 1
    assert scores.terms["room_overflow"] == 30
    assert scores.terms["day_shape"] == 1  # the keynote opens the day's second block


def test_weights_of_zero_leave_a_term_out_as_the_draft_does():
    inputs = instance(grid(THREE, rooms=ROOMS, theme_clash=0), SESSIONS[:4])
    scores = evaluate(placed({"a": "b1 hall", "b": "b1 side", "c": "b2 hall", "d": "b3 hall"}, inputs))
    assert "theme_clash" not in scores.terms and scores.weights == {
        name: getattr(inputs.conference.weights, name) for name in scores.terms
    }
    assert list(scores.terms) == [name for name in Weights.model_fields if name in scores.terms]


def test_a_placement_off_the_grid_is_reported_and_not_counted():
    """c starts ten minutes into b2: no block starts then, so the terms cover the others and say so."""
    schedule = placed({"a": "b1 hall", "b": "b2 hall", "c": "b2 side", "d": "c1 hall", "key": "b3 hall"})
    late = schedule.assignments[2].model_copy(
        update={
            "start": schedule.assignments[2].start + timedelta(minutes=10),
            "end": schedule.assignments[2].end + timedelta(minutes=10),
        }
    )
    scores = evaluate(
        schedule.model_copy(update={"assignments": (*schedule.assignments[:2], late, *schedule.assignments[3:])})
    )
    assert [(u.session, u.room) for u in scores.unmatched] == [("c", "side")]
    assert "no block starts then" in scores.unmatched[0].why
    assert "c" not in scores.counted and len(scores.counted) == 4 and not scores.complete
    assert "count 4 of 5 placed sessions" in scores.covers() and "not counted" in scores.covers()
    assert scores.terms["unscheduled"] == 0  # placed, only not where the grid has a place: not left out


def test_a_block_that_does_not_take_the_kind_and_a_closed_room_are_reported():
    inputs = instance(
        grid([("b1", "09:00", "10:00", "parallel", ["hall"], ["talk"]), ("b2", "10:00", "11:00", "parallel")]),
        [session("key", kind="keynote"), session("t")],
    )
    scores = evaluate(placed({"key": "b1 hall", "t": "b1 side"}, inputs))
    assert {u.session: u.why for u in scores.unmatched} == {
        "key": "block b1 does not take keynote",
        "t": "Side is closed in block b1",
    }


def test_a_session_placed_twice_is_counted_once_and_reported():
    schedule = placed({"a": "b1 hall", "b": "b2 hall", "c": "b3 hall", "d": "c1 hall", "key": "c1 side"})
    twice = schedule.model_copy(update={"assignments": (*schedule.assignments, schedule.assignments[0])})
    scores = evaluate(twice)
    assert [u.session for u in scores.unmatched] == ["a"] and "more than once" in scores.unmatched[0].why
    assert scores.terms == evaluate(schedule).terms


def test_sessions_left_out_count_in_unscheduled_and_withdrawn_ones_do_not():
    schedule = placed({"a": "b1 hall", "b": "b2 hall", "c": "b3 hall"})
    from planner.domain import WITHDRAWN

    schedule = schedule.model_copy(
        update={
            "unscheduled": (
                Unscheduled(session=SESSIONS[3], reason="left out by hand"),
                Unscheduled(session=SESSIONS[4], reason=WITHDRAWN),
            )
        }
    )
    scores = evaluate(schedule)
    assert scores.left_out == ("d",) and scores.terms["unscheduled"] == 1


def test_a_programme_that_breaks_hard_rules_is_still_scored():
    """Ana in a and b at once, three x sessions in a block of three rooms, a room double booked: the checker's
    errors, and the terms still count what the model's functions say."""
    where = {"a": "b1 hall", "b": "b1 side", "c": "b1 annex", "d": "b1 annex", "key": "c1 hall"}
    scores = evaluate(placed(where))
    assert scores.terms["theme_clash"] == 3 + 1  # x: a, b, c; y: c, d
    assert scores.complete


def test_people_who_are_unavailable_are_the_checkers_to_report_not_a_reason_to_skip_a_session():
    inputs = instance(
        grid(THREE, rooms=ROOMS), [session("a", "ana"), session("b", "ana")], [person("ana", "2030-06-03 09:00-10:00")]
    )
    scores = evaluate(placed({"a": "b1 hall", "b": "b2 hall"}, inputs))
    assert scores.complete and scores.terms["back_to_back"] == 1


def test_the_sample_schedules_score_without_error():
    assert soc2025() is not None and evaluate(soc2025()).complete
