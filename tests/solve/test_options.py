"""Each place rule (planner/solve/options.py RULES): the place it refuses is absent from the options, and present
once that rule alone is left out, so each test fails when its rule stops refusing."""

from __future__ import annotations

from datetime import datetime, timedelta

from planner.domain import Assignment, Conference, ConferenceInput
from planner.solve import options
from tests.solve.tiny import grid, instance, person, session, without

TWO = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")]
Frozen = dict[str, tuple[str | None, tuple[str, ...], str]]


def offered(
    inputs: ConferenceInput,
    session: str,
    block: str,
    room: str,
    rules: tuple,
    frozen: Frozen | None = None,
    fixed: tuple[Assignment, ...] = (),
) -> bool:
    context = options.Context(inputs, {p.id: p for p in inputs.people}, frozen or {}, fixed=fixed)
    places = options.place_options(inputs, context, rules).places[session]
    return any(place.blocks[0] == block and room in place.rooms for place in places)


def refused_only_by(rule, inputs: ConferenceInput, session: str, block: str, room: str, **context) -> bool:
    """The rule refuses this place, and no other rule does."""
    return not offered(inputs, session, block, room, options.RULES, **context) and offered(
        inputs, session, block, room, without(options.RULES, rule), **context
    )


def test_kind_allowed():
    talks_only = [("b1", "09:00", "10:00", "parallel", ["hall", "side"], ["talk"]), *TWO[1:]]
    inputs = instance(grid(talks_only), [session("k", kind="keynote")])
    assert refused_only_by(options.kind_allowed, inputs, "k", "b1", "hall")
    assert offered(inputs, "k", "b2", "hall", options.RULES)


def test_room_open():
    side_only = [("b1", "09:00", "10:00", "parallel", ["side"]), *TWO[1:]]
    inputs = instance(grid(side_only), [session("a")])
    assert refused_only_by(options.room_open, inputs, "a", "b1", "hall")
    assert offered(inputs, "a", "b1", "side", options.RULES)


def test_room_has_features():
    inputs = instance(grid(TWO), [session("a", requires=("streaming",))])
    assert refused_only_by(options.room_has_features, inputs, "a", "b1", "side")
    assert offered(inputs, "a", "b1", "hall", options.RULES)


def test_room_large_enough():
    """Only a hard capacity refuses; a soft one leaves the room to the objective's seats short."""
    big = [session("a", expected_audience=80)]
    inputs = instance(grid(TWO, capacity="hard"), big)
    assert refused_only_by(options.room_large_enough, inputs, "a", "b1", "side")
    assert offered(inputs, "a", "b1", "hall", options.RULES)
    assert offered(instance(grid(TWO, capacity="soft"), big), "a", "b1", "side", options.RULES)


def test_people_available():
    """Any overlap with a window refuses the place, even one that starts after the session does."""
    inputs = instance(grid(TWO), [session("a", "ana")], [person("ana", "2030-06-03 09:30-10:15")])
    assert refused_only_by(options.people_available, inputs, "a", "b1", "hall")
    assert refused_only_by(options.people_available, inputs, "a", "b2", "hall")
    later = instance(grid(TWO), [session("a", "ana")], [person("ana", "2030-06-03 10:00-11:00")])
    assert offered(later, "a", "b1", "hall", options.RULES)


def test_matches_pin():
    inputs = instance(grid(TWO), [session("a", pin={"block": "b2", "room": "side"})])
    assert refused_only_by(options.matches_pin, inputs, "a", "b1", "side")
    assert refused_only_by(options.matches_pin, inputs, "a", "b2", "hall")
    assert offered(inputs, "a", "b2", "side", options.RULES)


def test_matches_freeze():
    inputs = instance(grid(TWO), [session("a"), session("b")])
    frozen: Frozen = {"a": ("d1", ("b2",), "side")}
    assert refused_only_by(options.matches_freeze, inputs, "a", "b1", "side", frozen=frozen)
    assert refused_only_by(options.matches_freeze, inputs, "a", "b2", "hall", frozen=frozen)
    assert offered(inputs, "a", "b2", "side", options.RULES, frozen)
    assert offered(inputs, "b", "b1", "hall", options.RULES, frozen)  # only the frozen session is held


def _by_hand(inputs: ConferenceInput, session_id: str, room: str, start: str, minutes: int) -> Assignment:
    """A session a person placed in the workbook at a time no place has (off the grid)."""
    session = next(s for s in inputs.sessions if s.id == session_id)
    day = inputs.conference.days[0]
    begins = datetime.combine(day.date, datetime.strptime(start, "%H:%M").time(), inputs.conference.zone)
    return Assignment(session=session, room=room, start=begins, end=begins + timedelta(minutes=minutes), by_hand=True)


def test_clear_of_hand_placed():
    """A room holds one session: the one a person put in the hall at 09:30 keeps it; the side room stays free."""
    inputs = instance(grid(TWO), [session("a"), session("h")])
    fixed = (_by_hand(inputs, "h", "hall", "09:30", 30),)
    assert refused_only_by(options.clear_of_hand_placed, inputs, "a", "b1", "hall", fixed=fixed)
    assert offered(inputs, "a", "b1", "side", options.RULES, fixed=fixed)
    assert offered(inputs, "a", "b2", "hall", options.RULES, fixed=fixed)


def test_clear_of_hand_placed_leaves_a_plenary_alone():
    plenary = [("b1", "09:00", "10:00", "plenary"), *TWO[1:]]
    inputs = instance(grid(plenary), [session("k"), session("h")])
    fixed = (_by_hand(inputs, "h", "side", "09:30", 30),)
    assert refused_only_by(options.clear_of_hand_placed, inputs, "k", "b1", "hall", fixed=fixed)


def test_people_clear_of_hand_placed():
    inputs = instance(grid(TWO), [session("a", "ana"), session("h", "ana"), session("b", "bo")])
    fixed = (_by_hand(inputs, "h", "side", "09:30", 30),)
    assert refused_only_by(options.people_clear_of_hand_placed, inputs, "a", "b1", "hall", fixed=fixed)
    assert offered(inputs, "b", "b1", "hall", options.RULES, fixed=fixed)
    assert offered(inputs, "a", "b2", "hall", options.RULES, fixed=fixed)


def test_every_place_rule_has_a_test_here():
    """A rule added to options.RULES without a test here fails this test."""
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    names = {rule.__name__ for rule in options.RULES}
    assert names <= tested, names - tested


def in_periods(blocks: list[tuple], **given) -> Conference:
    """A one-day grid (tiny.grid with `given`) whose blocks 'p1-1', 'p1-2', 'p2-1' ... are the time slots of periods
    p1, p2 ..."""
    conference = grid(blocks, **given)
    days = tuple(
        day.model_copy(update={"blocks": tuple(b.model_copy(update={"period": b.id[:2]}) for b in day.blocks)})
        for day in conference.days
    )
    return conference.model_copy(update={"days": days})


def test_within_one_period():
    """A 40-minute talk may not take the last slot of one period and the first of the next, back to back."""
    blocks = [("p1-1", "09:00", "09:20", "parallel"), ("p1-2", "09:20", "09:40", "parallel")]
    blocks += [("p2-1", "09:40", "10:00", "parallel")]
    inputs = instance(in_periods(blocks), [session("t", duration=40)])
    assert refused_only_by(options.within_one_period, inputs, "t", "p1-2", "hall")
    assert offered(inputs, "t", "p1-1", "hall", options.RULES)


def test_as_many_slots_as_required():
    """A talk of two 15-minute slots (30 minutes) takes both slots of p1, never p2's one 30-minute slot: CoSPLib counts
    slots."""
    blocks = [("p1-1", "09:00", "09:15", "parallel"), ("p1-2", "09:15", "09:30", "parallel")]
    blocks += [("p2-1", "10:00", "10:30", "parallel")]
    inputs = instance(in_periods(blocks), [session("t", duration=30)])
    assert refused_only_by(options.as_many_slots_as_required, inputs, "t", "p2-1", "hall")
    assert offered(inputs, "t", "p1-1", "hall", options.RULES)


def test_a_talk_takes_its_slots_of_longer_ones():
    """GECCO19's job market, two 15-minute slots, may take Tuesday noon's period of two 30-minute slots: a period's
    slots are counted, not their minutes, so the talk is offered both 30-minute slots there (and nothing shorter)."""
    blocks = [("p1-1", "09:00", "09:15", "parallel"), ("p1-2", "09:15", "09:30", "parallel")]
    blocks += [("p2-1", "12:00", "12:30", "parallel"), ("p2-2", "12:30", "13:00", "parallel")]
    inputs = instance(in_periods(blocks), [session("t", duration=30)])
    context = options.Context(inputs, {p.id: p for p in inputs.people})
    places = options.place_options(inputs, context).places["t"]
    assert {place.blocks for place in places} == {("p1-1", "p1-2"), ("p2-1", "p2-2")}
