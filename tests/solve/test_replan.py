"""Re-plans continue calendar sequence numbers and never drop a published session silently."""

from __future__ import annotations

from planner.check import check_schedule
from planner.domain import Schedule, Unscheduled
from planner.replan import WITHDRAWN, carry_over
from tests.solve.tiny import grid, instance, previous, session, solve

THREE = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "parallel"),
]
INPUTS = instance(grid(THREE, rooms=(("hall", 100, ()),)), [session("a"), session("b"), session("c")])


def sequences(schedule: Schedule) -> dict[str, int]:
    return {a.session.id: a.sequence for a in schedule.assignments}


def test_a_moved_session_gets_the_next_sequence_and_others_keep_theirs():
    first = previous(INPUTS, {"a": ("b1", "hall"), "b": ("b2", "hall"), "c": ("b3", "hall")})
    second = carry_over(first, previous(INPUTS, {"a": ("b1", "hall"), "b": ("b3", "hall"), "c": ("b2", "hall")}))
    assert sequences(second) == {"a": 0, "b": 1, "c": 1}
    third = carry_over(second, previous(INPUTS, {"a": ("b1", "hall"), "b": ("b2", "hall"), "c": ("b3", "hall")}))
    assert sequences(third) == {"a": 0, "b": 2, "c": 2}


def test_a_session_left_out_is_cancelled_where_it_was_and_comes_back_with_a_higher_sequence():
    first = previous(INPUTS, {"a": ("b1", "hall"), "b": ("b2", "hall"), "c": ("b3", "hall")})
    left = previous(INPUTS, {"a": ("b1", "hall"), "b": ("b2", "hall")})
    left = left.model_copy(update={"unscheduled": (Unscheduled(session=INPUTS.sessions[2], reason="no room"),)})
    second = carry_over(first, left)
    (out,) = second.unscheduled
    assert out.was is not None and out.was.blocks == ("b3",) and out.was.sequence == 1
    still_out = carry_over(second, left)
    assert still_out.unscheduled[0].was == out.was  # cancelled once, not again and again
    back = carry_over(second, previous(INPUTS, {"a": ("b1", "hall"), "b": ("b2", "hall"), "c": ("b3", "hall")}))
    assert sequences(back)["c"] == 2


def test_a_withdrawn_proposal_is_listed_not_lost():
    first = previous(INPUTS, {"a": ("b1", "hall"), "b": ("b2", "hall"), "c": ("b3", "hall")})
    second = carry_over(first, previous(INPUTS, {"a": ("b1", "hall"), "b": ("b2", "hall")}))
    assert [(u.session.id, u.reason, u.was.sequence) for u in second.unscheduled] == [("c", WITHDRAWN, 1)]
    third = carry_over(second, previous(INPUTS, {"a": ("b1", "hall"), "b": ("b2", "hall")}))
    assert [u.session.id for u in third.unscheduled] == ["c"]
    assert "session_missing" not in {f.code for f in check_schedule(second)}  # no longer proposed, so not missing


def test_draft_with_previous_carries_sequences():
    """The previous plan put two sessions in one room at once (a hand edit): the re-plan moves exactly one."""
    before = previous(INPUTS, {"a": ("b1", "hall"), "b": ("b1", "hall"), "c": ("b2", "hall")})
    answer = solve(INPUTS, previous=before)
    assert sorted(sequences(answer.schedule).values()) == [0, 0, 1]
    assert sequences(answer.schedule)["c"] == 0
