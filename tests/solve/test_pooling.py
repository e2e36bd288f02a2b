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
from planner.solve.pooling import assign_rooms, model_options
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
    """Pools that are not nested (one room has streaming, another a stage), a soft capacity that costs seats, a
    re-plan, and a session that spans two blocks each need a place per room."""
    crossed = grid(BLOCKS, rooms=(("a", 50, ("streaming",)), ("b", 50, ("stage",))), room_overflow=0)
    both = [session("s", "x", requires=("streaming",)), session("t", "y", requires=("stage",))]
    assert not _pooled(instance(crossed, both))
    nested = grid(BLOCKS, rooms=TIERS, room_overflow=1)
    assert not _pooled(instance(nested, [session("s", "x", expected_audience=60)]))
    assert _pooled(instance(grid(BLOCKS, rooms=TIERS, room_overflow=0), [session("s", "x", expected_audience=60)]))
    assert not _pooled(instance(grid(BLOCKS, rooms=TIERS), [session("s", "x")]), replanning=True)
    assert not _pooled(instance(grid(BLOCKS, rooms=TIERS), [session("s", "x", duration=120)]))


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
