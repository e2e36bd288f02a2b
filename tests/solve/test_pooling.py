"""Pooled rooms (planner/solve/pooling.py): exact where it is used, not used where it would not be exact, and the
rooms handed out afterwards are distinct and fit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.generate import SIZES, generate
from planner.io.folder import load_folder
from planner.solve import run
from planner.solve.options import Context, Options, place_options
from planner.solve.pooling import assign_rooms, hall_sets, model_options
from tests.solve.tiny import grid, instance, session, solve

TIERS = (("hall", 100, ()), ("mid1", 50, ()), ("mid2", 50, ()), ("small", 20, ()))
BLOCKS = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")]


def _options(inputs) -> Options:
    return place_options(inputs, Context(inputs, {p.id: p for p in inputs.people}))


def _pooled(inputs, replanning: bool = False) -> bool:
    options = _options(inputs)
    return model_options(inputs, options, replanning) is options


@pytest.fixture(scope="module")
def small_congress(tmp_path_factory: pytest.TempPathFactory):
    return load_folder(generate(SIZES["S"], 7, tmp_path_factory.mktemp("bench") / "S"))


def test_pooled_and_per_room_models_have_the_same_optimum(small_congress, monkeypatch: pytest.MonkeyPatch):
    assert _pooled(small_congress)
    pooled = solve(small_congress)
    monkeypatch.setattr(run, "model_options", lambda inputs, options, replanning: options.by_room())
    per_room = solve(small_congress)
    assert (pooled.status, per_room.status) == ("optimal", "optimal")
    assert pooled.objective == per_room.objective


def test_capacity_tiers_are_pooled_and_get_distinct_fitting_rooms():
    conference = grid(BLOCKS, rooms=TIERS, capacity="hard", room_overflow=0)
    audiences = {"big": 90, "m1": 40, "m2": 45, "tiny": 10}
    sessions = [session(s, f"p{s}", expected_audience=n) for s, n in audiences.items()]
    inputs = instance(conference, sessions)
    assert _pooled(inputs)
    answer = solve(inputs)
    seats = {room: capacity for room, capacity, _ in TIERS}
    rooms = {(a.blocks, a.room) for a in answer.schedule.assignments}
    assert len(rooms) == len(sessions)
    assert all(seats[a.room] >= audiences[a.session.id] for a in answer.schedule.assignments)


def test_the_per_room_model_is_kept_when_pooling_would_not_be_exact():
    """A soft capacity that costs seats, a re-plan, and a session that spans two blocks each need a place per room."""
    nested = grid(BLOCKS, rooms=TIERS, room_overflow=1)
    assert not _pooled(instance(nested, [session("s", "x", expected_audience=60)]))
    assert _pooled(instance(grid(BLOCKS, rooms=TIERS, room_overflow=0), [session("s", "x", expected_audience=60)]))
    assert not _pooled(instance(grid(BLOCKS, rooms=TIERS), [session("s", "x")]), replanning=True)
    assert not _pooled(instance(grid(BLOCKS, rooms=TIERS), [session("s", "x", duration=120)]))


CROSSED = (
    ("hall", 200, ("streaming",)),
    ("large", 120, ()),
    ("lab", 40, ("lab",)),
    ("stream", 40, ("streaming",)),
    ("small", 40, ()),
)
"""Capacity tiers with features that cross them: the rooms sessions may use are not nested."""


def _crossed_congress():
    """Eight sessions over two blocks of five crossed rooms: big ones, streamed ones, lab ones and any-room ones,
    with shared speakers and two themes, so that which block each takes matters."""
    needs = [
        ("big1", 150, (), "a", "p1"),
        ("big2", 100, ("streaming",), "a", "p2"),
        ("str1", 30, ("streaming",), "b", "p1"),
        ("str2", 30, ("streaming",), "a", "p3"),
        ("lab1", 30, ("lab",), "b", "p2"),
        ("lab2", 20, ("lab",), "a", "p4"),
        ("any1", 20, (), "b", "p3"),
        ("any2", 20, (), "b", "p4"),
    ]
    sessions = [session(s, p, expected_audience=n, requires=f, themes=(t,)) for s, n, f, t, p in needs]
    return instance(grid(BLOCKS, rooms=CROSSED, capacity="hard", room_overflow=0), sessions)


def test_rooms_with_crossing_features_are_pooled_and_have_the_per_room_optimum(monkeypatch: pytest.MonkeyPatch):
    """Tiers and features that cross (a small lab, a large room without streaming) give room sets that are not
    nested; Hall's condition on their overlapping unions keeps the pooled model exact."""
    inputs = _crossed_congress()
    assert _pooled(inputs)
    pooled = solve(inputs)
    monkeypatch.setattr(run, "model_options", lambda inputs, options, replanning: options.by_room())
    per_room = solve(inputs)
    assert (pooled.status, per_room.status) == ("optimal", "optimal")
    assert pooled.objective == per_room.objective


def test_hall_sets_are_the_unions_of_overlapping_room_sets():
    """Nested sets give themselves; single rooms give single rooms (no union of rooms that share nothing); crossing
    sets give their unions too."""
    chain = [frozenset("a"), frozenset("ab"), frozenset("abc")]
    assert hall_sets(chain) == sorted(chain, key=sorted)
    assert hall_sets([frozenset("a"), frozenset("b"), frozenset("c")]) == [
        frozenset("a"),
        frozenset("b"),
        frozenset("c"),
    ]
    crossing = [frozenset("ab"), frozenset("bc"), frozenset("d")]
    assert hall_sets(crossing) == [frozenset("ab"), frozenset("abc"), frozenset("bc"), frozenset("d")]
    assert hall_sets([frozenset({f"r{i}", f"r{i + 1}"}) for i in range(30)], most=50) is None


def test_assign_rooms_moves_earlier_sessions_when_the_pools_cross():
    """a takes r1 and b r2 (each the smallest free room of its pool), which leaves c, whose pool is {r1, r2},
    nothing: b moves to r3 and a to r2 along an augmenting path, and c gets r1."""
    seats = {"r1": 10, "r2": 20, "r3": 30}
    some = next(iter(_options(_crossed_congress()).places.values()))[0]
    pools = {"a": ("r1", "r2"), "b": ("r2", "r3"), "c": ("r1", "r2")}
    rooms = assign_rooms({s: replace(some, pool=pool) for s, pool in pools.items()}, seats)
    assert rooms == {"a": "r2", "b": "r3", "c": "r1"}


def test_assign_rooms_gives_the_most_constrained_first_the_smallest_room_that_fits(small_congress):
    seats = {room.id: room.capacity for room in small_congress.conference.rooms}
    some = next(iter(_options(small_congress).places.values()))[0]
    everything = tuple(seats)
    medium = tuple(r for r in everything if seats[r] >= 150)
    pools = {"keynote": ("hall",), "large": ("hall", "large1"), "medium": medium, "any": everything}
    chosen = {session: replace(some, pool=pool) for session, pool in pools.items()}
    rooms = assign_rooms(chosen, seats)
    assert len(set(rooms.values())) == len(rooms)
    assert all(room in chosen[s].pool for s, room in rooms.items())
    assert rooms == {"keynote": "hall", "large": "large1", "medium": "medium1", "any": min(seats, key=seats.get)}


def test_generated_instances_are_ordinary_folders_and_the_same_seed_gives_the_same_files(tmp_path: Path):
    first, second = generate(SIZES["S"], 3, tmp_path / "a"), generate(SIZES["S"], 3, tmp_path / "b")
    for name in ("conference.yaml", "sessions.csv", "people.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    inputs = load_folder(first)
    assert len(inputs.sessions) == SIZES["S"].sessions
    assert inputs.conference.capacity == "hard"
