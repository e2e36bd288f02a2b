"""Alternatives (planner/solve/alternatives.py): the best programme and more, each differing from every earlier one in
at least the stated number of sessions, none better than the best, the same each run, and fewer (said so) when no
more exist."""

from __future__ import annotations

import itertools

import pytest

from planner.check import check_schedule, errors
from planner.solve.alternatives import alternatives, differing_sessions
from planner.solve.run import Settings
from planner.solve.search import Ending
from tests.solve.tiny import grid, instance, session, solve

ONE_ROOM = (("hall", 100, ()),)
ROOMS = (("hall", 100, ()), ("side", 30, ()))
THREE = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "parallel"),
]
SETTINGS = Settings(time_limit=10, workers=1)
INPUTS = instance(
    grid(THREE, rooms=ROOMS),
    [
        session("a", "ana", themes=("x",), expected_audience=60),
        session("b", "ana", themes=("x",)),
        session("c", "bo", themes=("x", "y")),
        session("d", "bo", themes=("y",)),
        session("e", "cy", kind="keynote"),
    ],
)


def assert_apart(found, differ: int) -> None:
    for first, second in itertools.combinations(found.answers, 2):
        apart = differing_sessions(first.schedule, second.schedule)
        assert len(apart) >= differ, (first.objective, second.objective, apart)


@pytest.mark.parametrize("differ", [1, 2, 3])
def test_each_alternative_differs_from_every_earlier_one_and_none_beats_the_best(differ: int):
    found = alternatives(INPUTS, 4, differ, SETTINGS)
    assert len(found.answers) == 4 and found.ending is None and found.shortfall == ""
    assert_apart(found, differ)
    objectives = [answer.objective for answer in found.answers]
    assert objectives == sorted(objectives) and all(a.status == "optimal" for a in found.answers)
    for answer in found.answers:
        assert errors(check_schedule(answer.schedule, INPUTS.sessions)) == []
        assert sum(answer.schedule.conference.weights.model_dump()[t] * n for t, n in answer.terms.items()) == (
            answer.objective
        )


def test_the_first_is_the_draft_and_every_run_gives_the_same_programmes():
    found = alternatives(INPUTS, 3, 2, SETTINGS)
    assert found.answers[0].schedule == solve(INPUTS).schedule
    again = alternatives(INPUTS, 3, 2, SETTINGS)
    assert [a.schedule for a in again.answers] == [a.schedule for a in found.answers]


def test_asking_for_more_than_exist_ends_cleanly_with_fewer_and_says_why():
    """Two sessions, two blocks, one room: the two orders are the only programmes."""
    inputs = instance(grid(THREE[:2], rooms=ONE_ROOM), [session("a"), session("b")])
    found = alternatives(inputs, 4, 1, SETTINGS)
    assert len(found.answers) == 2 and found.ending is Ending.INFEASIBLE
    assert "no other programme differs from each of the 2 above in at least 1 session" in found.shortfall
    assert_apart(found, 2)


def test_asking_for_more_sessions_apart_than_there_are_gives_the_best_alone():
    found = alternatives(INPUTS, 3, len(INPUTS.sessions) + 1, SETTINGS)
    assert len(found.answers) == 1 and found.ending is Ending.INFEASIBLE
    assert "the one above" in found.shortfall


def test_one_programme_is_the_draft_alone():
    found = alternatives(INPUTS, 1, 5, SETTINGS)
    assert [a.schedule for a in found.answers] == [solve(INPUTS).schedule] and found.shortfall == ""


@pytest.mark.parametrize(("k", "differ"), [(0, 1), (2, 0)])
def test_nonsense_is_refused(k: int, differ: int):
    with pytest.raises(ValueError, match="at least one"):
        alternatives(INPUTS, k, differ, SETTINGS)


def test_a_session_left_out_in_both_is_in_the_same_place():
    """One optional session that fits nowhere: it is left out in every programme and never counts as a difference,
    so the two orders of the others are still the only programmes."""
    inputs = instance(
        grid(THREE[:2], rooms=ONE_ROOM), [session("a"), session("b"), session("long", duration=300, optional=True)]
    )
    found = alternatives(inputs, 3, 1, SETTINGS)
    assert len(found.answers) == 2 and found.ending is Ending.INFEASIBLE
    assert all([u.session.id for u in a.schedule.unscheduled] == ["long"] for a in found.answers)


def test_alternatives_on_the_example_differ_as_asked():
    from planner.io.folder import load_folder
    from tests.paths import REPO

    inputs = load_folder(REPO / "examples" / "soc2025")
    found = alternatives(inputs, 3, 4, Settings(workers=1))
    assert len(found.answers) == 3
    assert_apart(found, 4)
    best = found.answers[0].objective
    assert all(answer.objective >= best for answer in found.answers)


def test_programmes_that_differ_only_in_which_of_equal_rooms_a_session_gets_are_one():
    """Rooms pooled (pooling.py): swapping a and b between two rooms either of which does is no alternative."""
    inputs = instance(grid(THREE[:1], rooms=ROOMS), [session("a"), session("b")])
    found = alternatives(inputs, 2, 1, SETTINGS)
    assert len(found.answers) == 1 and found.ending is Ending.INFEASIBLE
