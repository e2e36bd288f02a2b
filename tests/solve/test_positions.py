"""The history_position term (planner/solve/positions.py) at the model level: a session counts one for each way its
place differs from where its kind usually sits (another day, another part of the day)."""

from __future__ import annotations

from planner.domain import KindPosition
from planner.solve.positions import history_position
from tests.solve.models import count
from tests.solve.tiny import grid, instance, session

THREE = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "parallel"),
]


LATER = [
    ("c1", "09:00", "10:00", "parallel"),
    ("c2", "10:00", "11:00", "parallel"),
    ("c3", "11:00", "12:00", "parallel"),
]


def _inputs(**positions: KindPosition):
    conference = grid(THREE, LATER).model_copy(update={"positions": positions})
    return instance(conference, [session("l", kind="launch"), session("k", kind="keynote"), session("t")])


def test_history_position_counts_another_day_and_another_part():
    """The launch usually ends Day 1: last on Day 1 is its place, first on Day 1 one off, first on Day 2 two off."""
    inputs = _inputs(launch=KindPosition(day=1, part="last"))
    assert count(inputs, history_position, {"l": "b3 hall"}) == 0
    assert count(inputs, history_position, {"l": "b1 hall"}) == 1
    assert count(inputs, history_position, {"l": "c1 hall"}) == 2


def test_history_position_leaves_free_what_history_does_not_say():
    """A kind with only a part may sit on any day; a kind not listed anywhere; the middle is neither end."""
    inputs = _inputs(keynote=KindPosition(part="middle"))
    assert count(inputs, history_position, {"k": "b2 hall", "t": "b1 hall", "l": "b3 side"}) == 0
    assert count(inputs, history_position, {"k": "c2 hall"}) == 0
    assert count(inputs, history_position, {"k": "b1 hall"}) == 1
