"""Each soft term (planner/solve/objectives.py) at the model level: given a fixed placement, it counts exactly N, as
Timefold's `penalizes_by` tests do. The term alone is in the model, unweighted."""

from __future__ import annotations

from planner.domain import Weights
from planner.solve import objectives
from planner.solve.objectives import SOFT_TERMS
from tests.solve.models import count
from tests.solve.test_paper_terms import paper_terms_tested as paper_tested
from tests.solve.tiny import grid, instance, previous, session

THREE = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "parallel"),
]
ROOMS = (("hall", 100, ("streaming",)), ("side", 30, ()), ("annex", 20, ()))


def test_theme_clash():
    """Pairs per shared theme in a parallel block: x thrice in b1 is three pairs, y twice in b2 one more; a pair
    sharing two themes counts twice."""
    sessions = [session(s, themes=("x",)) for s in "abc"] + [
        session("d", themes=("x", "y")),
        session("e", themes=("y",)),
    ]
    inputs = instance(grid(THREE, rooms=ROOMS), sessions)
    where = {"a": "b1 hall", "b": "b1 side", "c": "b1 annex", "d": "b2 hall", "e": "b2 side"}
    assert count(inputs, objectives.theme_clash, where) == 3 + 1
    spread = {"a": "b1 hall", "b": "b2 side", "c": "b3 annex", "d": "b2 hall", "e": "b3 side"}
    assert count(inputs, objectives.theme_clash, spread) == 1 + 0  # b and d share x in b2
    twice = instance(grid(THREE, rooms=ROOMS), [session(s, themes=("x", "y")) for s in "ab"])
    assert count(twice, objectives.theme_clash, {"a": "b1 hall", "b": "b1 side"}) == 2


def test_theme_clash_is_weighed_per_theme_by_theme_weights():
    """With theme_weights x: 3, the same three pairs of x cost 9 units and y's pair one: a theme history shows
    rising costs more when it clashes with itself; a theme not listed weighs 1."""
    sessions = [session(s, themes=("x",)) for s in "abc"] + [session("d", themes=("y",)), session("e", themes=("y",))]
    conference = grid(THREE, rooms=ROOMS).model_copy(update={"theme_weights": {"x": 3}})
    where = {"a": "b1 hall", "b": "b1 side", "c": "b1 annex", "d": "b2 hall", "e": "b2 side"}
    assert count(instance(conference, sessions), objectives.theme_clash, where) == 3 * 3 + 1
    assert count(instance(grid(THREE, rooms=ROOMS), sessions), objectives.theme_clash, where) == 3 + 1


def test_theme_clash_counts_no_plenary_block():
    plenary = [("p1", "09:00", "10:00", "plenary"), *THREE[1:]]
    inputs = instance(grid(plenary, rooms=ROOMS), [session(s, themes=("x",)) for s in "ab"])
    assert count(inputs, objectives.theme_clash, {"a": "p1 hall", "b": "p1 side"}) == 0


def test_theme_spread():
    """Four x sessions over two days: two a day is the even share, so a third on day 1 counts one."""
    day_two = [("c1", "09:00", "10:00", "parallel")]
    sessions = [session(s, themes=("x",)) for s in "abcd"] + [session("e", themes=("y",))]
    inputs = instance(grid(THREE, day_two, rooms=ROOMS), sessions)
    where = {"a": "b1 hall", "b": "b2 hall", "c": "b3 hall", "d": "c1 hall", "e": "b1 side"}
    assert count(inputs, objectives.theme_spread, where) == 1
    even = {"a": "b1 hall", "b": "b2 hall", "c": "c1 side", "d": "c1 hall", "e": "b1 side"}
    assert count(inputs, objectives.theme_spread, even) == 0


def test_back_to_back():
    """Ana in two adjacent blocks counts once; one block apart, nothing; a session over two blocks is one session."""
    sessions = [session("a", "ana"), session("b", "ana"), session("long", "bo", duration=120), session("c", "bo")]
    inputs = instance(grid(THREE, rooms=ROOMS), sessions)
    where = {"a": "b1 hall", "b": "b2 hall", "long": "b1 side", "c": "b3 side"}
    assert count(inputs, objectives.back_to_back, where) == 1 + 1  # Ana b1-b2, Bo b2-b3
    apart = {"a": "b1 hall", "b": "b3 hall", "long": "b2 side", "c": "b1 side"}
    assert count(inputs, objectives.back_to_back, apart) == 0 + 1  # Bo b1-b2 only


def test_back_to_back_needs_no_real_break():
    """A quarter of an hour between the blocks is a real break (planner.domain.BACK_TO_BACK_GAP)."""
    gap = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:15", "11:15", "parallel")]
    inputs = instance(grid(gap, rooms=ROOMS), [session("a", "ana"), session("b", "ana")])
    assert count(inputs, objectives.back_to_back, {"a": "b1 hall", "b": "b2 hall"}) == 0


def test_room_overflow():
    """Seats short: 80 expected in a room of 30 is 50, 40 in a room of 20 is 20; a large enough room, none."""
    sessions = [session("big", expected_audience=80), session("mid", expected_audience=40), session("any")]
    inputs = instance(grid(THREE, rooms=ROOMS), sessions)
    assert count(inputs, objectives.room_overflow, {"big": "b1 side", "mid": "b1 annex", "any": "b2 annex"}) == 70
    assert count(inputs, objectives.room_overflow, {"big": "b1 hall", "mid": "b2 hall", "any": "b1 side"}) == 0


def test_day_shape():
    """A keynote (opens) two blocks after the day's first, and a launch (closes) two before its last."""
    sessions = [session("key", kind="keynote"), session("launch", kind="launch"), session("talk")]
    inputs = instance(grid(THREE, rooms=ROOMS), sessions)
    assert count(inputs, objectives.day_shape, {"key": "b3 hall", "launch": "b1 hall", "talk": "b2 hall"}) == 2 + 2
    assert count(inputs, objectives.day_shape, {"key": "b1 hall", "launch": "b3 hall", "talk": "b2 hall"}) == 0


def test_moved():
    """Another room or another time is a move; the same place is not."""
    inputs = instance(grid(THREE, rooms=ROOMS), [session("a"), session("b"), session("c")])
    before = previous(inputs, {"a": ("b1", "hall"), "b": ("b2", "hall"), "c": ("b3", "hall")})
    where = {"a": "b1 hall", "b": "b2 side", "c": "b1 side"}
    assert count(inputs, objectives.moved, where, before) == 2


def test_move_hours():
    """Two hours earlier, plus one for a change of room (alone, or with a change of time)."""
    inputs = instance(grid(THREE, rooms=ROOMS), [session("a"), session("b"), session("c")])
    before = previous(inputs, {"a": ("b3", "hall"), "b": ("b2", "hall"), "c": ("b1", "hall")})
    where = {"a": "b1 hall", "b": "b2 side", "c": "b2 annex"}
    assert count(inputs, objectives.move_hours, where, before) == 2 + 1 + (1 + 1)


def test_unscheduled():
    sessions = [session("a"), session("maybe", optional=True), session("perhaps", optional=True)]
    inputs = instance(grid(THREE, rooms=ROOMS), sessions)
    assert count(inputs, objectives.unscheduled, {"a": "b1 hall", "maybe": "b2 hall"}) == 1


def test_attendee_conflict():
    """Two picks at once cost the attendee the lesser of their weights (a test a rule: tests/solve/test_audience.py)."""
    from planner.domain import Audience

    conference = grid(THREE, rooms=ROOMS).model_copy(update={"audience": Audience(picks={"p": {"a": 2, "b": 3}})})
    inputs = instance(conference, [session("a"), session("b")])
    assert count(inputs, objectives.attendee_conflict, {"a": "b1 hall", "b": "b1 side"}) == 2
    assert count(inputs, objectives.attendee_conflict, {"a": "b1 hall", "b": "b2 side"}) == 0


def test_history_position():
    """A launch history puts last on Day 1 counts one when it opens the day (the term's own tests:
    tests/solve/test_positions.py)."""
    from planner.domain import KindPosition

    conference = grid(THREE, rooms=ROOMS).model_copy(update={"positions": {"launch": KindPosition(day=1, part="last")}})
    inputs = instance(conference, [session("l", kind="launch"), session("t")])
    assert count(inputs, objectives.history_position, {"l": "b1 hall", "t": "b3 hall"}) == 1
    assert count(inputs, objectives.history_position, {"l": "b3 hall", "t": "b1 hall"}) == 0


def test_every_term_has_a_weight_and_a_test_here():
    """The terms are the weights' fields (one name for both, in conference.yaml too), and each has a test here."""
    assert list(SOFT_TERMS) == list(Weights.model_fields)
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    tested |= paper_tested()  # a paper conference's terms: tests/solve/test_paper_terms.py
    assert set(SOFT_TERMS) <= tested, set(SOFT_TERMS) - tested
