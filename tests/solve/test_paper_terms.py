"""A paper conference's shape and terms (planner/solve/paper.py, paper_terms.py) at the model level: a tiny
conference of three periods (p1 and p2 with two 20-minute slots, p3 with one) in two rooms, tracks a, b and c; each
term's exact count for a fixed placement, as CoSPLib's checker counts it, and the hard rule that a (period, room)
holds one track."""

from __future__ import annotations

from datetime import time

from planner.domain import Audience, Conference, Paper, SuitableHours, Track
from planner.solve import paper_terms
from planner.solve.paper import one_track_per_period_room
from tests.solve.models import breaks, count
from tests.solve.tiny import grid, instance, session, solve

ROOMS = (("hall", 100, ()), ("side", 100, ()))
BLOCKS = [
    ("p1-1", "09:00", "09:20", "parallel"),
    ("p1-2", "09:20", "09:40", "parallel"),
    ("p2-1", "10:00", "10:20", "parallel"),
    ("p2-2", "10:20", "10:40", "parallel"),
    ("p3-1", "11:00", "11:20", "parallel"),
]


def paper_grid(paper: Paper | None = None, **weights) -> Conference:
    conference = grid(BLOCKS, rooms=ROOMS, **weights)
    days = []
    for day in conference.days:
        blocks = tuple(b.model_copy(update={"period": b.id.split("-")[0]}) for b in day.blocks)
        days.append(day.model_copy(update={"blocks": blocks}))
    tracks = (Track(id="a", label="A"), Track(id="b", label="B"), Track(id="c", label="C"))
    return conference.model_copy(update={"days": tuple(days), "paper": paper or Paper(tracks=tracks)})


def talk(id: str, track: str, *speakers: str, slots: int = 1, **fields):
    return session(id, *speakers, duration=20 * slots, track=track, themes=(track,), **fields)


def inputs_of(talks, paper: Paper | None = None, **conference):
    built = paper_grid(paper)
    if conference:
        built = built.model_copy(update=conference)
    return instance(built, talks)


TALKS = [talk("a1", "a"), talk("a2", "a"), talk("a3", "a"), talk("b1", "b"), talk("c1", "c")]


def test_a_period_room_holds_one_track():
    inputs = inputs_of(TALKS)
    assert breaks(one_track_per_period_room, inputs, {"a1": "p1-1 hall", "b1": "p1-2 hall"})
    assert not breaks(one_track_per_period_room, inputs, {"a1": "p1-1 hall", "a2": "p1-2 hall", "b1": "p1-1 side"})


def test_a_talk_never_runs_across_two_periods():
    """A 40-minute talk takes both slots of p1 or of p2, never p1's second and p2's first (they are not back to
    back here, and `within_one_period` refuses such a place where they are)."""
    from planner.solve.options import Context, place_options

    inputs = inputs_of([talk("long", "a", slots=2)])
    places = place_options(inputs, Context(inputs, {})).places["long"]
    assert [p.blocks for p in places] == [("p1-1", "p1-2"), ("p2-1", "p2-2")]


def test_track_period():
    paper = Paper(tracks=(Track(id="a", label="A", periods={"p2": 7}), Track(id="b", label="B")))
    inputs = inputs_of(TALKS[:4], paper)
    where = {"a1": "p2-1 hall", "a2": "p2-1 side", "a3": "p1-1 hall", "b1": "p2-2 side"}
    assert count(inputs, paper_terms.track_period, where) == 7 * 2  # a holds two rooms in p2


def test_track_room():
    paper = Paper(tracks=(Track(id="a", label="A", rooms={"side": 3}), Track(id="b", label="B")))
    inputs = inputs_of(TALKS[:4], paper)
    where = {"a1": "p1-1 side", "a2": "p1-2 side", "a3": "p2-1 side", "b1": "p1-1 hall"}
    assert count(inputs, paper_terms.track_room, where) == 3 * 2  # (p1, side) and (p2, side)


def test_period_room():
    paper = Paper(tracks=(Track(id="a", label="A"), Track(id="b", label="B")), period_rooms={"p1": {"hall": 5}})
    inputs = inputs_of(TALKS[:4], paper)
    where = {"a1": "p1-1 hall", "a2": "p1-2 hall", "a3": "p2-1 hall", "b1": "p1-1 side"}
    assert count(inputs, paper_terms.period_room, where) == 5


def test_similar_tracks():
    tracks = (Track(id="a", label="A", similar={"b": 4}), Track(id="b", label="B", similar={"a": 4}))
    inputs = inputs_of(TALKS[:4], Paper(tracks=tracks))
    assert count(inputs, paper_terms.similar_tracks, {"a1": "p1-1 hall", "b1": "p1-1 side"}) == 4
    assert count(inputs, paper_terms.similar_tracks, {"a1": "p1-1 hall", "b1": "p2-1 side"}) == 0


def test_track_rooms():
    inputs = inputs_of(TALKS)
    where = {"a1": "p1-1 hall", "a2": "p2-1 side", "a3": "p3-1 hall"}
    assert count(inputs, paper_terms.track_rooms, where) == 1  # hall and side: one room beyond the first
    assert count(inputs, paper_terms.track_rooms, {"a1": "p1-1 hall", "a2": "p2-1 hall"}) == 0


def test_track_parallel():
    inputs = inputs_of(TALKS)
    assert count(inputs, paper_terms.track_parallel, {"a1": "p1-1 hall", "a2": "p1-2 side", "a3": "p2-1 hall"}) == 1


def test_track_split():
    inputs = inputs_of(TALKS)
    assert count(inputs, paper_terms.track_split, {"a1": "p1-1 hall", "a2": "p3-1 hall"}) == 1  # p2 between
    assert count(inputs, paper_terms.track_split, {"a1": "p1-1 hall", "a2": "p2-1 side", "a3": "p3-1 hall"}) == 0


def test_talk_time_zone():
    """The periods are 09:00-09:40, 10:00-10:40 and 11:00-11:20 UTC; in Tokyo (UTC+9) p1 ends at 18:40 (suitable
    until 18:00, less suitable until 20:00: 1 a slot) and p3 at 20:20 (unsuitable: 10 a slot)."""
    hours = SuitableHours(start=time(9), end=time(18), fringe_start=time(7), fringe_end=time(20))
    paper = Paper(tracks=(Track(id="a", label="A"),), hours=hours)
    far = [talk("t1", "a", slots=2, time_zone="Asia/Tokyo"), talk("t2", "a", time_zone="Asia/Tokyo")]
    inputs = inputs_of(far, paper)
    assert count(inputs, paper_terms.talk_time_zone, {"t1": "p1-1 hall", "t2": "p3-1 hall"}) == 1 * 2 + 10


def test_talk_order():
    """a2 must come second in its track (period, room, slot order), a3 third: a2 first is one; a2 and a3 (both
    ordered) in the same slot of p2 is one more."""
    talks = [talk("a1", "a"), talk("a2", "a", order=2), talk("a3", "a", order=3)]
    inputs = inputs_of(talks)
    assert count(inputs, paper_terms.talk_order, {"a1": "p1-1 hall", "a2": "p1-2 hall", "a3": "p2-1 hall"}) == 0
    assert count(inputs, paper_terms.talk_order, {"a2": "p1-1 hall", "a1": "p1-2 hall", "a3": "p2-1 hall"}) == 1
    wrong = {"a1": "p1-1 hall", "a2": "p2-1 hall", "a3": "p2-1 side"}  # a3 is 3rd by room order, but beside a2
    assert count(inputs, paper_terms.talk_order, wrong) == 1


def test_talk_period():
    inputs = inputs_of([talk("a1", "a", slots=2, place_costs={"p2": 3})])
    assert count(inputs, paper_terms.talk_period, {"a1": "p2-1 hall"}) == 3 * 2  # per slot
    assert count(inputs, paper_terms.talk_period, {"a1": "p1-1 hall"}) == 0


def test_talk_room():
    inputs = inputs_of([talk("a1", "a", place_costs={"side": 2})])
    assert count(inputs, paper_terms.talk_room, {"a1": "p2-1 side"}) == 2


def test_presenter_conflict():
    """Ana presents a1 and b1: in one period, different rooms, one; Bo chairs track b and presents a2: one more."""
    paper = Paper(tracks=(Track(id="a", label="A"), Track(id="b", label="B", chairs=("bo",))))
    inputs = inputs_of([talk("a1", "a", "ana"), talk("a2", "a", "bo"), talk("b1", "b", "ana")], paper)
    together = {"a1": "p1-1 hall", "a2": "p1-2 hall", "b1": "p1-2 side"}
    assert count(inputs, paper_terms.presenter_conflict, together) == 2
    apart = {"a1": "p1-1 hall", "a2": "p2-2 hall", "b1": "p3-1 side"}
    assert count(inputs, paper_terms.presenter_conflict, apart) == 0


def test_attendee_period_conflict():
    audience = Audience(picks={"zoe": {"a1": 1, "b1": 1}})
    inputs = inputs_of(TALKS, audience=audience)
    assert count(inputs, paper_terms.attendee_period_conflict, {"a1": "p1-1 hall", "b1": "p1-2 side"}) == 1
    assert count(inputs, paper_terms.attendee_period_conflict, {"a1": "p1-1 hall", "b1": "p2-2 side"}) == 0


def test_attendee_period_conflict_not_in_one_room():
    """Two talks of one track one after the other in one room can both be attended."""
    audience = Audience(picks={"zoe": {"a1": 1, "a2": 1}})
    inputs = inputs_of(TALKS, audience=audience)
    assert count(inputs, paper_terms.attendee_period_conflict, {"a1": "p1-1 hall", "a2": "p1-2 hall"}) == 0
    assert count(inputs, paper_terms.attendee_period_conflict, {"a1": "p1-1 hall", "a2": "p1-2 side"}) == 1


def test_chair_conflict():
    tracks = (Track(id="a", label="A", chairs=("eve",)), Track(id="b", label="B", chairs=("eve",)))
    inputs = inputs_of(TALKS[:4], Paper(tracks=tracks))
    assert count(inputs, paper_terms.chair_conflict, {"a1": "p1-1 hall", "b1": "p1-1 side"}) == 1
    assert count(inputs, paper_terms.chair_conflict, {"a1": "p1-1 hall", "b1": "p2-1 side"}) == 0


def test_presenter_slot_conflict():
    paper = Paper(tracks=(Track(id="a", label="A"), Track(id="b", label="B", chairs=("bo",))))
    inputs = inputs_of([talk("a1", "a", "bo"), talk("b1", "b", "cy")], paper)
    assert count(inputs, paper_terms.presenter_slot_conflict, {"a1": "p1-1 hall", "b1": "p1-1 side"}) == 1
    assert count(inputs, paper_terms.presenter_slot_conflict, {"a1": "p1-1 hall", "b1": "p1-2 side"}) == 0


def test_attendee_slot_conflict():
    audience = Audience(picks={"zoe": {"a1": 1, "b1": 1}})
    inputs = inputs_of([talk("a1", "a", slots=2), talk("b1", "b", slots=2)], audience=audience)
    assert count(inputs, paper_terms.attendee_slot_conflict, {"a1": "p1-1 hall", "b1": "p1-1 side"}) == 2  # per slot


def test_the_draft_keeps_one_track_per_room_and_a_track_in_one_room():
    """The whole draft on the tiny conference: tracks a (three talks) and b (two) in two rooms; every (period,
    room) holds one track, and with track_rooms weighed no track hops."""
    talks = [*TALKS[:4], talk("b2", "b")]
    answer = solve(inputs_of(talks))
    held: dict[tuple[str, str], set[str]] = {}
    for a in answer.schedule.assignments:
        held.setdefault((a.blocks[0].split("-")[0], a.room), set()).add(a.session.track or "")
    assert all(len(tracks) == 1 for tracks in held.values())
    kept = solve(instance(paper_grid(None, track_rooms=5), talks))
    rooms: dict[str, set[str]] = {}
    for a in kept.schedule.assignments:
        rooms.setdefault(a.session.track or "", set()).add(a.room)
    assert kept.terms["track_rooms"] == 0 and all(len(r) == 1 for r in rooms.values())


def paper_terms_tested() -> set[str]:
    """The paper terms this module tests (test_objectives.py and test_terms.py count them as tested)."""
    return {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
