"""Each hard rule binds in a whole draft: with it the answer keeps it; without it (the same instance) the solver
breaks it, and the independent checker flags what it broke.

The instances give the objective a reason to break the rule (day_shape wants every 'keynote' in the day's first
block), so removing a rule shows in the answer rather than by chance. Each rule alone, at the model level, is tested
in test_constraints.py (packing rules) and test_options.py (place rules).
"""

import sys
from collections import Counter
from pathlib import Path

import pytest

from planner.solve import constraints, options, paper
from tests.solve.test_options import in_periods
from tests.solve.tiny import flagged, grid, instance, person, session, solve, without

PARALLEL = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")]
ONLY_SIDE_FIRST = [("b1", "09:00", "10:00", "parallel", ["side"]), ("b2", "10:00", "11:00", "parallel")]


def overlapping(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def test_each_session_placed_once():
    # One room: the second keynote can only open the day by not being placed at all.
    inputs = instance(
        grid(PARALLEL, rooms=(("hall", 100, ()),)), [session("a", kind="keynote"), session("b", kind="keynote")]
    )
    assert len(solve(inputs).schedule.assignments) == 2
    loose = solve(inputs, hard_rules=without(constraints.HARD_RULES, constraints.each_session_placed_once))
    assert len(loose.schedule.assignments) < 2 and "session_missing" in flagged(loose, inputs)


def test_one_session_per_room_and_block():
    inputs = instance(
        grid(PARALLEL, rooms=(("hall", 100, ()),)), [session("a", kind="keynote"), session("b", kind="keynote")]
    )
    kept = solve(inputs).schedule.assignments
    assert not overlapping(*kept)
    broken = solve(inputs, hard_rules=without(constraints.HARD_RULES, constraints.one_session_per_room_and_block))
    first, second = broken.schedule.assignments
    assert first.room == second.room and overlapping(first, second)
    assert "room_double_booked" in flagged(broken, inputs)


def test_plenary_alone():
    plenary = [("p1", "09:00", "10:00", "plenary"), ("p2", "10:00", "11:00", "plenary")]
    inputs = instance(grid(plenary), [session("a", kind="keynote"), session("b", kind="keynote")])
    assert not overlapping(*solve(inputs).schedule.assignments)
    broken = solve(inputs, hard_rules=without(constraints.HARD_RULES, constraints.plenary_alone))
    assert overlapping(*broken.schedule.assignments) and "beside_plenary" in flagged(broken, inputs)


def test_nobody_in_two_places_compares_clock_time():
    """Blocks of different lengths in different days' grids: the rule compares times, not block indexes."""
    inputs = instance(grid(PARALLEL), [session("a", "ana", kind="keynote"), session("b", "ana", kind="keynote")])
    assert not overlapping(*solve(inputs).schedule.assignments)
    broken = solve(inputs, hard_rules=without(constraints.HARD_RULES, constraints.nobody_in_two_places))
    assert overlapping(*broken.schedule.assignments) and "person_overlap" in flagged(broken, inputs)


def test_a_multi_block_session_blocks_its_people_for_its_whole_length():
    long_grid = [
        ("b1", "09:00", "10:00", "parallel"),
        ("b2", "10:00", "11:00", "parallel"),
        ("b3", "11:00", "12:00", "parallel"),
    ]
    inputs = instance(grid(long_grid), [session("long", "ana", duration=120), session("short", "ana", kind="keynote")])
    placed = {a.session.id: a for a in solve(inputs).schedule.assignments}
    assert placed["long"].blocks in (("b1", "b2"), ("b2", "b3")) and not overlapping(placed["long"], placed["short"])
    assert (placed["long"].end - placed["long"].start).total_seconds() == 120 * 60


def test_daily_maximum():
    """Day 2 opens with two blocks that take no keynote, so a second keynote is cheaper on day 1 than on day 2."""
    day_two = [
        ("c0", "08:00", "08:30", "parallel", ["hall"], ["talk"]),
        ("c1", "08:30", "09:00", "parallel", ["hall"], ["talk"]),
        *PARALLEL,
    ]
    people = [person("ana", max_sessions_per_day=1)]
    keynotes = [session("a", "ana", kind="keynote"), session("b", "ana", kind="keynote")]
    inputs = instance(grid(PARALLEL, day_two), keynotes, people)
    assert Counter(a.day for a in solve(inputs).schedule.assignments) == {"d1": 1, "d2": 1}
    broken = solve(inputs, hard_rules=without(constraints.HARD_RULES, constraints.daily_maximum))
    assert Counter(a.day for a in broken.schedule.assignments) == {"d1": 2}
    assert "over_daily_maximum" in flagged(broken, inputs)


@pytest.mark.parametrize(
    (
        "rule",
        "blocks",
        "rooms",
        "fields",
        "people",
        "capacity",
        "code",
    ),  # soft overflow is weighted 0 to isolate the rule
    [
        (
            options.kind_allowed,
            [("b1", "09:00", "10:00", "parallel", ["hall", "side"], ["talk"]), ("b2", "10:00", "11:00", "parallel")],
            None,
            {},
            [],
            "soft",
            "kind_not_allowed",
        ),
        (
            options.room_open,
            [("b1", "09:00", "10:00", "parallel", ["side"]), ("b2", "10:00", "11:00", "parallel")],
            (("hall", 100, ()),),
            {},
            [],
            "soft",
            "room_closed",
        ),
        (
            options.room_has_features,
            ONLY_SIDE_FIRST,
            (("hall", 100, ("streaming",)), ("side", 30, ())),
            {"requires": ("streaming",)},
            [],
            "soft",
            "room_lacks_feature",
        ),
        (
            options.room_large_enough,
            ONLY_SIDE_FIRST,
            (("hall", 100, ()), ("side", 30, ())),
            {"expected_audience": 80},
            [],
            "hard",
            "room_too_small",
        ),
        (
            options.people_available,
            PARALLEL,
            None,
            {},
            [person("ana", "2030-06-03 09:00-10:00")],
            "soft",
            "person_unavailable",
        ),
        (options.matches_pin, PARALLEL, None, {"pin": {"block": "b2", "room": "side"}}, [], "soft", "not_where_pinned"),
    ],
    ids=["kind_allowed", "room_open", "room_has_features", "room_large_enough", "people_available", "matches_pin"],
)
def test_place_rules(rule, blocks, rooms, fields, people, capacity, code):
    """The session wants the first block (day_shape); the rule forbids what it would otherwise take."""
    rooms = rooms or (("hall", 100, ()), ("side", 30, ()))
    conference = grid(blocks, rooms=rooms, capacity=capacity, room_overflow=0)
    inputs = instance(conference, [session("k", "ana", kind="keynote", **fields)], people)
    context = options.Context(inputs, {p.id: p for p in inputs.people})
    kept = solve(inputs).schedule.assignments[0]
    assert rule(kept.session, _span(inputs, kept), _room(inputs, kept.room), context) is None
    answer = solve(inputs, place_rules=without(options.RULES, rule))
    broken = answer.schedule.assignments[0]
    assert rule(broken.session, _span(inputs, broken), _room(inputs, broken.room), context) is not None
    assert code in flagged(answer, inputs)


def test_freeze_keeps_a_session_where_it_was():
    """With moving free (weights 0), only the freeze keeps 'a' out of the first block it prefers."""
    inputs = instance(grid(PARALLEL, moved=0, move_hours=0), [session("a", kind="keynote"), session("b")])
    first = solve(inputs).schedule
    moved_a = {a.session.id: a for a in first.assignments}["a"].model_copy(update={"blocks": ("b2",), "room": "side"})
    previous = first.model_copy(update={"assignments": (moved_a,)})
    kept = {a.session.id: a for a in solve(inputs, previous=previous, freeze=["a"]).schedule.assignments}["a"]
    assert (kept.blocks, kept.room) == (("b2",), "side")
    loose = solve(inputs, previous=previous, freeze=["a"], place_rules=without(options.RULES, options.matches_freeze))
    assert {a.session.id: a for a in loose.schedule.assignments}["a"].blocks == ("b1",)


def _by_hand(inputs, session_id: str, room: str, start: str, end: str, **fields):
    """A previous schedule in which a person placed `session_id` by hand at start-end (UTC) on day 1."""
    from datetime import datetime, time

    from planner.domain import Assignment, Schedule

    session = next(s for s in inputs.sessions if s.id == session_id).model_copy(update=fields)
    day = inputs.conference.days[0].date
    at = {
        edge: datetime.combine(day, time.fromisoformat(hhmm), inputs.conference.zone)
        for edge, hhmm in (("s", start), ("e", end))
    }
    placed = Assignment(session=session, room=room, start=at["s"], end=at["e"], by_hand=True)
    return Schedule(conference=inputs.conference, people=inputs.people, assignments=(placed,))


HALL_FIRST = [("b1", "09:00", "10:00", "parallel", ["hall"]), ("b2", "10:00", "11:00", "parallel")]


def test_clear_of_hand_placed():
    """A session a person put in the hall at 09:15-09:45 (off the grid) stays; the keynote, which day_shape wants in
    the first block (only the hall is open then), keeps clear of it."""
    inputs = instance(grid(HALL_FIRST), [session("a", kind="keynote"), session("h")])
    previous = _by_hand(inputs, "h", "hall", "09:15", "09:45")
    answer = solve(inputs, previous=previous)
    placed = {a.session.id: a for a in answer.schedule.assignments}
    assert placed["a"].blocks == ("b2",) and placed["h"] == previous.assignments[0].model_copy(update={"sequence": 0})
    assert answer.kept_by_hand == ("h",)
    broken = solve(inputs, previous=previous, place_rules=without(options.RULES, options.clear_of_hand_placed))
    assert "room_double_booked" in flagged(broken, inputs)


def test_people_clear_of_hand_placed():
    inputs = instance(grid(PARALLEL), [session("a", "ana", kind="keynote"), session("h", "ana")])
    previous = _by_hand(inputs, "h", "side", "09:15", "09:45")
    placed = {a.session.id: a for a in solve(inputs, previous=previous).schedule.assignments}
    assert placed["a"].blocks == ("b2",)
    broken = solve(inputs, previous=previous, place_rules=without(options.RULES, options.people_clear_of_hand_placed))
    assert "person_overlap" in flagged(broken, inputs)


def test_a_session_placed_by_hand_on_the_grid_stays_whatever_it_overrides():
    """A talk put by hand in b2's side room stays there though it needs streaming (only the hall has it) and day shape
    and moves would pull it elsewhere: the organiser decided; the checker still warns."""
    inputs = instance(grid(PARALLEL, moved=0, move_hours=0), [session("a", kind="keynote", requires=("streaming",))])
    previous = previous_at(inputs, "a", "b2", "side")
    answer = solve(inputs, previous=previous)
    (kept,) = answer.schedule.assignments
    assert (kept.blocks, kept.room, kept.by_hand) == (("b2",), "side", True) and answer.kept_by_hand == ("a",)
    assert "room_lacks_feature" in flagged(answer, inputs)


def test_a_session_added_by_hand_is_kept_though_nobody_proposed_it():
    inputs = instance(grid(PARALLEL), [session("a")])
    added = instance(grid(PARALLEL), [session("a"), session("new")])
    previous = _by_hand(added, "new", "side", "09:00", "10:00")
    placed = {a.session.id: a for a in solve(inputs, previous=previous).schedule.assignments}
    assert placed["new"].room == "side" and placed["new"].by_hand


def previous_at(inputs, session_id: str, block: str, room: str):
    from tests.solve.tiny import previous

    schedule = previous(inputs, {session_id: (block, room)})
    return schedule.model_copy(
        update={"assignments": tuple(a.model_copy(update={"by_hand": True}) for a in schedule.assignments)}
    )


def _span(inputs, assignment):
    return next(
        s
        for s in options.spans(inputs, assignment.session.duration)
        if tuple(b.id for b in s.blocks) == assignment.blocks
    )


def _room(inputs, room_id):
    return next(r for r in inputs.conference.rooms if r.id == room_id)


def test_every_rule_has_a_test_here():
    """A rule added to the solver without a test here fails this test."""
    source = Path(sys.modules[__name__].__file__).read_text()
    names = [r.__name__ for r in (*constraints.HARD_RULES, *options.RULES)]
    assert all(name in source for name in names), [n for n in names if n not in source]
    assert len(set(names)) == len(names) > 2


def test_when_hand_edits_make_a_programme_impossible_the_reasons_name_them():
    """Two sessions a person put in one room at one time: no programme, and the reasons say both were placed by
    hand, where and when."""
    from planner.solve.answer import NoProgramme

    inputs = instance(grid(PARALLEL), [session("a"), session("b")])
    first = previous_at(inputs, "a", "b1", "side")
    both = first.model_copy(
        update={"assignments": (*first.assignments, *previous_at(inputs, "b", "b1", "side").assignments)}
    )
    with pytest.raises(NoProgramme) as none:
        solve(inputs, previous=both)
    reasons = " ".join(none.value.reasons)
    for session_id in ("a", "b"):
        assert f"({session_id}) must be scheduled (kept where a person placed it by hand: Side, " in reasons
    assert "Side holds one session at a time" in reasons


def test_paper_rules_hold_in_a_draft():
    """one_track_per_period_room and within_one_period in a whole draft of a paper conference whose third period
    follows the second back to back: every (period, room) holds one track's talks, and no talk crosses periods."""
    from tests.solve.test_paper_terms import inputs_of, talk

    talks = [talk("a1", "a", slots=2), talk("a2", "a"), talk("b1", "b", slots=2), talk("b2", "b"), talk("c1", "c")]
    answer = solve(inputs_of(talks))
    held: dict[tuple[str, str], set[str]] = {}
    for a in answer.schedule.assignments:
        periods = {block.split("-")[0] for block in a.blocks}
        assert len(periods) == 1, a.blocks
        held.setdefault((periods.pop(), a.room), set()).add(a.session.track or "")
    assert all(len(tracks) == 1 for tracks in held.values())


def test_one_track_per_period_room_binds_and_the_checker_flags_it():
    """One room, periods p1 and p2 of two slots and p3 of one: five talks fill it. Every talk but b2 costs 10 in p3
    (talk_period), so b2 there is free; but then b holds p3 and b1 must share p1 or p2 with a. With the rule a talk of
    a pays for p3; without it the solver mixes a and b in one period's room, which the checker calls
    one_track_per_period_room."""
    from tests.solve.test_paper_terms import BLOCKS, paper_grid, talk

    conference = paper_grid(talk_period=1)
    hall_only = [
        d.model_copy(update={"blocks": tuple(b.model_copy(update={"rooms": ("hall",)}) for b in d.blocks)})
        for d in conference.days
    ]
    conference = conference.model_copy(update={"days": tuple(hall_only)})
    assert [b[0] for b in BLOCKS] == ["p1-1", "p1-2", "p2-1", "p2-2", "p3-1"]
    costly = {"place_costs": {"p3": 10}}
    talks = [talk("a1", "a", **costly), talk("a2", "a", **costly), talk("a3", "a", **costly)]
    talks += [talk("b1", "b", **costly), talk("b2", "b")]
    inputs = instance(conference, talks)
    kept = solve(inputs)
    assert kept.objective == 10 and "one_track_per_period_room" not in flagged(kept, inputs)
    broken = solve(inputs, hard_rules=without(constraints.HARD_RULES, paper.one_track_per_period_room))
    assert broken.objective == 0 and "one_track_per_period_room" in flagged(broken, inputs)


def test_as_many_slots_as_required_binds_in_a_draft():
    """A talk of two 15-minute slots costs 5 in p1 (talk_period), whose slots are 15 minutes, and nothing in p2, whose
    one slot is 30 minutes: with the rule it takes both of p1's slots and pays; without it, p2's one slot."""
    from tests.solve.test_paper_terms import Paper, Track

    blocks = [("p1-1", "09:00", "09:15", "parallel"), ("p1-2", "09:15", "09:30", "parallel")]
    blocks += [("p2-1", "10:00", "10:30", "parallel")]
    conference = in_periods(blocks, rooms=(("hall", 100, ()),), talk_period=1)
    conference = conference.model_copy(update={"paper": Paper(tracks=(Track(id="a", label="A"),))})
    inputs = instance(conference, [session("t", duration=30, track="a", place_costs={"p1": 5})])
    kept = solve(inputs).schedule.assignments[0]
    assert kept.blocks == ("p1-1", "p1-2")
    loose = solve(inputs, place_rules=without(options.RULES, options.as_many_slots_as_required))
    assert loose.schedule.assignments[0].blocks == ("p2-1",) and loose.objective == 0


def test_a_talk_takes_the_slots_it_requires_of_longer_ones_and_the_checker_agrees():
    """GECCO19's job market: two 15-minute slots, allowed only at noon, whose period has two 30-minute slots. The draft
    puts it there, over both slots (the whole hour), and the checker counts slots, not minutes: no length_changed."""
    from planner.check import check_schedule
    from planner.domain import Pin
    from tests.solve.test_paper_terms import Paper, Track

    blocks = [("p1-1", "09:00", "09:15", "parallel"), ("p1-2", "09:15", "09:30", "parallel")]
    blocks += [("p2-1", "12:00", "12:30", "parallel"), ("p2-2", "12:30", "13:00", "parallel")]
    conference = in_periods(blocks, rooms=(("hall", 100, ()),))
    conference = conference.model_copy(update={"paper": Paper(tracks=(Track(id="a", label="A"),))})
    inputs = instance(conference, [session("market", duration=30, track="a", pin=Pin(block="p2-1"))])
    answer = solve(inputs)
    placed = answer.schedule.assignments[0]
    assert placed.blocks == ("p2-1", "p2-2") and (placed.end - placed.start).seconds == 3600
    assert "length_changed" not in flagged(answer, inputs)
    short = placed.model_copy(update={"blocks": ("p2-1",), "end": placed.end - (placed.end - placed.start) / 2})
    findings = check_schedule(answer.schedule.model_copy(update={"assignments": (short,)}), inputs.sessions)
    assert [f.detail for f in findings if f.code == "length_changed"] == [
        "takes 1 time slot(s) of period p2; the proposal asks for 2"
    ]
