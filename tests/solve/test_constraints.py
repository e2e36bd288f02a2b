"""Each hard rule (planner/solve/constraints.py) at the model level: a fixed placement that breaks the rule is
infeasible with the rule alone and feasible without it, so each test fails when its rule stops binding."""

from __future__ import annotations

from planner.solve import constraints
from tests.solve.models import breaks, status
from tests.solve.tiny import grid, instance, person, session

TWO = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")]


def test_each_session_placed_once():
    rule = constraints.each_session_placed_once
    inputs = instance(grid(TWO), [session("a"), session("b"), session("maybe", optional=True)])
    assert breaks(rule, inputs, {"a": "b1 hall"})  # b nowhere
    assert breaks(rule, inputs, {"a": "b1 hall", "b": ["b1 side", "b2 hall"]})  # b twice
    assert breaks(rule, inputs, {"a": "b1 hall", "b": "b2 hall", "maybe": ["b1 side", "b2 side"]})
    assert status(inputs, [rule], {"a": "b1 hall", "b": "b2 hall"}) == "OPTIMAL"  # the optional one left out


def test_one_session_per_room_and_block():
    rule = constraints.one_session_per_room_and_block
    inputs = instance(grid(TWO), [session("a"), session("b"), session("c")])
    assert breaks(rule, inputs, {"a": "b1 hall", "b": "b1 hall", "c": "b2 hall"})
    assert status(inputs, [rule], {"a": "b1 hall", "b": "b1 side", "c": "b2 hall"}) == "OPTIMAL"


def test_one_session_per_room_and_block_with_pooled_rooms_is_halls_condition():
    """Pooled places choose no room: three sessions in a block of two rooms, or two that both need the one room
    with streaming, cannot all be given distinct rooms."""
    rule = constraints.one_session_per_room_and_block
    inputs = instance(grid(TWO), [session("a"), session("b"), session("c")])
    assert breaks(rule, inputs, {"a": "b1", "b": "b1", "c": "b1"}, pooled=True)
    assert status(inputs, [rule], {"a": "b1", "b": "b1", "c": "b2"}, pooled=True) == "OPTIMAL"
    streamed = instance(grid(TWO), [session(s, requires=("streaming",)) for s in "ab"] + [session("c")])
    assert breaks(rule, streamed, {"a": "b1", "b": "b1", "c": "b2"}, pooled=True)
    assert status(streamed, [rule], {"a": "b1", "b": "b2", "c": "b1"}, pooled=True) == "OPTIMAL"


def test_pooled_rooms_whose_sets_cross_are_counted_on_their_union():
    """Features that cross: two streamed sessions fit their two rooms and two lab sessions theirs, but the two sets
    share a room, so all four cannot have distinct rooms in one block; only the count on the union says so."""
    rule = constraints.one_session_per_room_and_block
    rooms = (("a", 50, ("streaming",)), ("b", 50, ("streaming", "lab")), ("c", 50, ("lab",)))
    sessions = [session(s, requires=("streaming",)) for s in ("s1", "s2")]
    sessions += [session(s, requires=("lab",)) for s in ("l1", "l2")]
    inputs = instance(grid(TWO, rooms=rooms), sessions)
    assert breaks(rule, inputs, {"s1": "b1", "s2": "b1", "l1": "b1", "l2": "b1"}, pooled=True)
    assert status(inputs, [rule], {"s1": "b1", "s2": "b1", "l1": "b1", "l2": "b2"}, pooled=True) == "OPTIMAL"


def test_plenary_alone():
    rule = constraints.plenary_alone
    inputs = instance(grid([("p1", "09:00", "10:00", "plenary"), *TWO[1:]]), [session("a"), session("b")])
    assert breaks(rule, inputs, {"a": "p1 hall", "b": "p1 side"})
    assert status(inputs, [rule], {"a": "p1 hall", "b": "b2 side"}) == "OPTIMAL"


def test_nobody_in_two_places():
    rule = constraints.nobody_in_two_places
    inputs = instance(grid(TWO), [session("a", "ana"), session("b", "ana", "bo"), session("c", "bo")])
    assert breaks(rule, inputs, {"a": "b1 hall", "b": "b1 side", "c": "b2 hall"})
    assert breaks(rule, inputs, {"a": "b1 hall", "b": "b2 side", "c": "b2 hall"})  # Bo, this time
    assert status(inputs, [rule], {"a": "b1 hall", "b": "b2 side", "c": "b1 side"}) == "OPTIMAL"


def test_nobody_in_two_places_compares_clock_time():
    """A session over two blocks keeps its people for its whole length."""
    rule = constraints.nobody_in_two_places
    three = [*TWO, ("b3", "11:00", "12:00", "parallel")]
    inputs = instance(grid(three), [session("long", "ana", duration=120), session("short", "ana")])
    assert breaks(rule, inputs, {"long": "b1 hall", "short": "b2 side"})
    assert status(inputs, [rule], {"long": "b1 hall", "short": "b3 side"}) == "OPTIMAL"


def test_daily_maximum():
    rule = constraints.daily_maximum
    people = [person("ana", max_sessions_per_day=1)]
    day_two = [("c1", "09:00", "10:00", "parallel"), ("c2", "10:00", "11:00", "parallel")]
    inputs = instance(grid(TWO, day_two), [session("a", "ana"), session("b", "ana")], people)
    assert breaks(rule, inputs, {"a": "b1 hall", "b": "b2 hall"})
    assert status(inputs, [rule], {"a": "b1 hall", "b": "c1 hall"}) == "OPTIMAL"


def test_every_hard_rule_has_a_test_here():
    """A rule added to constraints.HARD_RULES without a test here fails this test."""
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    names = {rule.__name__ for rule in constraints.HARD_RULES}
    assert names <= tested, names - tested


def test_one_track_per_period_room():
    """A paper conference's (period, room) is one track's session (the conference: tests/solve/test_paper_terms.py)."""
    from tests.solve.test_paper_terms import TALKS, inputs_of

    inputs = inputs_of(TALKS)
    assert breaks(constraints.one_track_per_period_room, inputs, {"a1": "p1-1 hall", "b1": "p1-2 hall"})
    assert not breaks(constraints.one_track_per_period_room, inputs, {"a1": "p1-1 hall", "b1": "p2-2 hall"})
