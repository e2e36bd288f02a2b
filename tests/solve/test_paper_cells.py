"""Tracks to (period, room) cells when the paper warm start's greedy runs out of cells (planner/solve/paper_cells.py).

The instance: one room, a period of 4 slots then three of 3; track y has 9 talks, track x 4. The greedy gives the
largest track the first cheapest run, p1-p3 (10 slots), and x is left p4's 3 slots for its 4 talks. The packing
gives y p2-p4 (9 slots) and x p1."""

from __future__ import annotations

from planner.domain import Paper, Track
from planner.solve.paper_cells import packed_cells
from planner.solve.paper_start import paper_start
from planner.solve.run import DEFAULTS, model_of, prepare
from planner.solve.warm_start import complete
from tests.solve.tiny import grid, instance, session

SIZES = {"p1": 4, "p2": 3, "p3": 3, "p4": 3}


def _blocks() -> list[tuple]:
    blocks, minute = [], 9 * 60
    for period, slots in SIZES.items():
        for slot in range(1, slots + 1):
            start, end = minute, minute + 20
            blocks.append((f"{period}-{slot}", f"{start // 60:02}:{start % 60:02}", f"{end // 60:02}:{end % 60:02}"))
            minute = end
        minute += 10
    return [(*block, "parallel") for block in blocks]


def _inputs():
    conference = grid(_blocks(), rooms=(("hall", 100, ()),))
    days = []
    for day in conference.days:
        blocks = tuple(b.model_copy(update={"period": b.id.split("-")[0]}) for b in day.blocks)
        days.append(day.model_copy(update={"blocks": blocks}))
    paper = Paper(tracks=(Track(id="x", label="X"), Track(id="y", label="Y")))
    conference = conference.model_copy(update={"days": tuple(days), "paper": paper})
    talks = [session(f"x{i}", duration=20, track="x") for i in range(4)]
    talks += [session(f"y{i}", duration=20, track="y") for i in range(9)]
    return instance(conference, talks)


def test_the_packing_gives_every_track_enough_slots():
    free = {(period, "hall"): slots for period, slots in SIZES.items()}
    usable = {track: set(free) for track in ("x", "y")}
    packed = packed_cells(free, {"x": 4, "y": 9}, {"x": 1, "y": 1}, usable, lambda track, cell: 0)
    assert packed == {"x": [("p1", "hall")], "y": [("p2", "hall"), ("p3", "hall"), ("p4", "hall")]}


def test_the_packing_takes_only_cells_a_track_can_use():
    free = {(period, "hall"): slots for period, slots in SIZES.items()}
    usable = {"x": {("p2", "hall")}, "y": set(free)}
    assert packed_cells(free, {"x": 4, "y": 9}, {"x": 1, "y": 1}, usable, lambda track, cell: 0) is None


def test_the_warm_start_places_every_talk_where_the_greedy_alone_left_one_out():
    variables, _ = model_of(prepare(_inputs(), None, (), DEFAULTS), DEFAULTS)
    start = paper_start(variables)
    assert complete(variables, start), sorted(set(variables.x) - set(start))
