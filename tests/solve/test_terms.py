"""Each soft term moves the answer: with it the optimum avoids what it counts; without it (same instance) another
term, set up to pull the other way, wins. The reported count of each term matches the schedule. Each term's exact
count for a fixed placement is tested at the model level in test_objectives.py."""

from __future__ import annotations

from collections import Counter

from planner.solve.objectives import SOFT_TERMS
from tests.solve.test_paper_terms import paper_terms_tested as paper_tested
from tests.solve.tiny import grid, instance, person, previous, session, solve

ONE_ROOM = (("hall", 100, ()),)
THREE = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "parallel"),
]


def without_term(name: str) -> dict:
    assert name in SOFT_TERMS
    return {key: term for key, term in SOFT_TERMS.items() if key != name}


def blocks_of(answer) -> dict[str, tuple[str, ...]]:
    return {a.session.id: a.blocks for a in answer.schedule.assignments}


def test_theme_clash():
    """Two keynotes both want to open the day (day_shape 5 each); sharing a theme costs 10 if they run together."""
    sessions = [
        session("a", kind="keynote", themes=("x",)),
        session("b", kind="keynote", themes=("x",)),
        session("c", themes=("y",)),
        session("d", themes=("z",)),
    ]
    inputs = instance(grid(THREE[:2]), sessions)
    kept = solve(inputs)
    assert blocks_of(kept)["a"] != blocks_of(kept)["b"] and kept.terms["theme_clash"] == 0
    broken = solve(inputs, soft_terms=without_term("theme_clash"))
    assert blocks_of(broken)["a"] == blocks_of(broken)["b"] == ("b1",)


def test_attendee_conflict():
    """Two keynotes both want to open the day (day_shape 5 each); ten attendees who picked both lose one if they run
    together (5 each)."""
    from planner.domain import Audience

    sessions = [session("a", kind="keynote"), session("b", kind="keynote"), session("c"), session("d")]
    picks = {f"p{n}": {"a": 1, "b": 1} for n in range(10)}
    inputs = instance(grid(THREE[:2], theme_clash=0).model_copy(update={"audience": Audience(picks=picks)}), sessions)
    kept = solve(inputs)
    assert blocks_of(kept)["a"] != blocks_of(kept)["b"] and kept.terms["attendee_conflict"] == 0
    broken = solve(inputs, soft_terms=without_term("attendee_conflict"))
    assert blocks_of(broken)["a"] == blocks_of(broken)["b"] == ("b1",)


def test_theme_spread():
    """Keynotes cost two blocks of day_shape on day 2 (it opens with blocks that take none); spread outweighs it."""
    day_two = [
        ("c0", "07:00", "08:00", "parallel", ["hall", "side"], ["talk"]),
        ("c1", "08:00", "09:00", "parallel", ["hall", "side"], ["talk"]),
        *THREE[:1],
    ]
    sessions = [session("a", kind="keynote", themes=("x",)), session("b", kind="keynote", themes=("x",))]
    inputs = instance(grid(THREE[:1], day_two, theme_spread=20, theme_clash=0), sessions)
    kept = solve(inputs)
    assert Counter(a.day for a in kept.schedule.assignments) == {"d1": 1, "d2": 1}
    assert kept.terms["theme_spread"] == 0
    broken = solve(inputs, soft_terms=without_term("theme_spread"))
    assert Counter(a.day for a in broken.schedule.assignments) == {"d1": 2}


def test_back_to_back():
    """Two keynotes by one person in one room: the second is cheaper right after the first (day_shape 5 a block)
    unless back to back costs more than the extra block."""
    inputs = instance(
        grid(THREE, rooms=ONE_ROOM, back_to_back=10),
        [session("a", "ana", kind="keynote"), session("b", "ana", kind="keynote")],
    )
    kept = blocks_of(solve(inputs))
    assert sorted(kept.values()) == [("b1",), ("b3",)]
    broken = blocks_of(solve(inputs, soft_terms=without_term("back_to_back")))
    assert sorted(broken.values()) == [("b1",), ("b2",)]


def test_room_overflow():
    """The previous plan put the big session in the small room; only the overflow term pays for the swap."""
    rooms = (("hall", 100, ()), ("side", 30, ()))
    sessions = [session("big", expected_audience=80), session("small", expected_audience=20)]
    inputs = instance(grid(THREE[:1], rooms=rooms, moved=0, move_hours=1), sessions)
    before = previous(inputs, {"big": ("b1", "side"), "small": ("b1", "hall")})
    kept = solve(inputs, previous=before)
    assert {a.session.id: a.room for a in kept.schedule.assignments} == {"big": "hall", "small": "side"}
    assert kept.terms["room_overflow"] == 0
    broken = solve(inputs, previous=before, soft_terms=without_term("room_overflow"))
    assert {a.session.id: a.room for a in broken.schedule.assignments} == {"big": "side", "small": "hall"}


def test_day_shape():
    """The previous plan had the keynote second; moving two sessions (cost 2) is cheaper than a late keynote (5)."""
    inputs = instance(
        grid(THREE[:2], rooms=ONE_ROOM, moved=1, move_hours=0), [session("key", kind="keynote"), session("talk")]
    )
    before = previous(inputs, {"key": ("b2", "hall"), "talk": ("b1", "hall")})
    kept = solve(inputs, previous=before)
    assert blocks_of(kept) == {"key": ("b1",), "talk": ("b2",)} and kept.terms["day_shape"] == 0
    broken = solve(inputs, previous=before, soft_terms=without_term("day_shape"))
    assert blocks_of(broken) == {"key": ("b2",), "talk": ("b1",)}


def test_moved():
    """Re-planning keeps a late keynote where it was (50) rather than fix the day's shape (5)."""
    inputs = instance(grid(THREE[:2], rooms=ONE_ROOM, move_hours=0), [session("key", kind="keynote"), session("talk")])
    before = previous(inputs, {"key": ("b2", "hall"), "talk": ("b1", "hall")})
    kept = solve(inputs, previous=before)
    assert blocks_of(kept) == {"key": ("b2",), "talk": ("b1",)} and kept.terms["moved"] == 0
    broken = solve(inputs, previous=before, soft_terms=without_term("moved"))
    assert blocks_of(broken) == {"key": ("b1",), "talk": ("b2",)}


def test_move_hours():
    """The keynote's speaker is now away at 11:00: one hour back (b2) beats two hours back to open the day (b1)."""
    people = [person("ana", "2030-06-03 11:00-12:00")]
    inputs = instance(grid(THREE, rooms=ONE_ROOM, move_hours=10), [session("key", "ana", kind="keynote")], people)
    before = previous(inputs, {"key": ("b3", "hall")})
    kept = solve(inputs, previous=before)
    assert blocks_of(kept) == {"key": ("b2",)} and kept.terms["move_hours"] == 1
    broken = solve(inputs, previous=before, soft_terms=without_term("move_hours"))
    assert blocks_of(broken) == {"key": ("b1",)}


def test_unscheduled():
    """An optional session can only run beside one sharing its theme: included (clash 10) beats left out (1000)."""
    sessions = [session("a", themes=("x",)), session("extra", themes=("x",), optional=True)]
    inputs = instance(grid(THREE[:1]), sessions)
    kept = solve(inputs)
    assert len(kept.schedule.assignments) == 2 and kept.terms["unscheduled"] == 0
    broken = solve(inputs, soft_terms=without_term("unscheduled"))
    assert [u.session.id for u in broken.schedule.unscheduled] == ["extra"]
    assert "optional" in broken.schedule.unscheduled[0].reason


def test_history_position():
    """History puts the launch last on Day 1 and keynotes first on Day 2 (where nothing else says so: no day_shape).
    The draft keeps them there; without the term, the equal-cost programme that sorts first wins instead."""
    from planner.domain import KindPosition

    day_two = [("c1", "09:00", "10:00", "parallel"), ("c2", "10:00", "11:00", "parallel")]
    positions = {"launch": KindPosition(day=1, part="last"), "keynote": KindPosition(day=2, part="first")}
    conference = grid(THREE, day_two, rooms=ONE_ROOM, shape={}).model_copy(update={"positions": positions})
    sessions = [session("launch", kind="launch"), session("key", kind="keynote")]
    sessions += [session(s) for s in ("t1", "t2", "t3")]
    inputs = instance(conference, sessions)
    kept = solve(inputs)
    assert blocks_of(kept)["launch"] == ("b3",) and blocks_of(kept)["key"] == ("c1",)
    assert kept.terms["history_position"] == 0
    broken = solve(inputs, soft_terms=without_term("history_position"))
    assert (blocks_of(broken)["launch"], blocks_of(broken)["key"]) != (("b3",), ("c1",))


def test_every_term_has_a_test_here():
    """A term added to the objective without a test here fails this test."""
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    tested |= paper_tested()  # a paper conference's terms: tests/solve/test_paper_terms.py
    assert set(SOFT_TERMS) <= tested, set(SOFT_TERMS) - tested


def test_objective_is_the_weighted_sum_of_the_reported_terms():
    sessions = [
        session("a", "ana", kind="keynote", themes=("x",)),
        session("b", "ana", themes=("x",)),
        session("c", "bo", themes=("x",)),
        session("d", "bo", kind="launch", themes=("y",)),
    ]
    answer = solve(instance(grid(THREE[:2]), sessions))
    weights = answer.schedule.conference.weights
    assert answer.status == "optimal" and answer.objective == answer.bound
    assert answer.objective == sum(getattr(weights, name) * count for name, count in answer.terms.items())
    assert answer.terms["theme_clash"] >= 1  # three 'x' sessions in two blocks: two must meet
