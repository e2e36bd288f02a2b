"""The even-spread bound on theme clashes (objectives.even_spread_clashes): what it counts, and that it is a true
lower bound (the optimum never drops below it, and solving with it finds the same optimum)."""

from __future__ import annotations

import subprocess
import sys
import time

from ortools.sat.python import cp_model

from benchmarks.generate import SIZES, generate
from benchmarks.hard import HARD_SIZES, generate_hard
from planner.io.folder import load_folder
from planner.solve import search
from planner.solve.model import build_variables
from planner.solve.neighbourhood import Incumbent
from planner.solve.objectives import even_spread_clashes, theme_clash
from planner.solve.options import Context, place_options
from planner.solve.run import Settings, build, draft, prepare
from planner.solve.search import Built, _at_floor, _solver, objective_floor
from tests.solve.tiny import grid, instance, session, solve

BLOCKS = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("k", "11:00", "12:00", "plenary", ["hall"], ["keynote"]),
]


def _bound(inputs, theme: str) -> int:
    options = place_options(inputs, Context(inputs, {p.id: p for p in inputs.people}))
    variables = build_variables(cp_model.CpModel(), inputs, options.by_room())
    parallel = {b.id for b in inputs.conference.blocks if b.type == "parallel"}
    return even_spread_clashes(variables, theme, parallel)


def test_five_sessions_of_a_theme_over_two_blocks_clash_at_least_four_times():
    talks = [session(f"t{i}", f"p{i}", themes=("a",)) for i in range(5)]
    rooms = (("hall", 100, ()), ("s1", 50, ()), ("s2", 50, ()))
    inputs = instance(grid(BLOCKS, rooms=rooms, kinds=("talk", "keynote")), talks)
    assert _bound(inputs, "a") == 4  # 3 + 2 sessions: 3 pairs + 1 pair
    answer = solve(inputs)
    assert answer.terms["theme_clash"] == 4 and answer.status == "optimal"


def test_optional_sessions_and_sessions_that_may_go_to_a_plenary_are_not_counted():
    talks = [session(f"t{i}", f"p{i}", themes=("a",)) for i in range(3)]
    talks += [session("opt", "q", themes=("a",), optional=True), session("key", "r", kind="keynote", themes=("a",))]
    inputs = instance(grid(BLOCKS, kinds=("talk", "keynote")), talks)
    assert _bound(inputs, "a") == 1


def test_the_floor_knows_which_blocks_each_session_can_take():
    """Three workshops of a theme that fit only the one long block, and three of its talks that fit any: spread
    evenly over the three blocks they would clash 3 times, but the workshops must share the long block (3 pairs),
    and the talks then go to the short ones (1 pair): 4, the optimum."""
    blocks = [
        ("long", "09:00", "10:30", "parallel"),
        ("s1", "11:00", "11:45", "parallel"),
        ("s2", "12:00", "12:45", "parallel"),
    ]
    rooms = tuple((f"r{i}", 50, ()) for i in range(4))
    sessions = [session(f"w{i}", f"p{i}", duration=90, themes=("a",)) for i in range(3)]
    sessions += [session(f"t{i}", f"q{i}", duration=45, themes=("a",)) for i in range(3)]
    inputs = instance(grid(blocks, rooms=rooms, kinds=("talk",)), sessions)
    assert _bound(inputs, "a") == 3 + 1
    answer = solve(inputs)
    assert answer.status == "optimal" and answer.terms["theme_clash"] == 4


def test_the_floor_counts_no_more_of_a_theme_in_a_block_than_its_rooms():
    """Six sessions of a theme over three blocks, the last with one room open: evenly they would clash 3 times (two
    in each), but the last block takes one, so the others hold three and two: 4, the optimum."""
    blocks = [
        ("b1", "09:00", "10:00", "parallel"),
        ("b2", "10:00", "11:00", "parallel"),
        ("b3", "11:00", "12:00", "parallel", ["r1"]),
    ]
    rooms = (("r1", 50, ()), ("r2", 50, ()), ("r3", 50, ()))
    talks = [session(f"t{i}", f"p{i}", themes=("a",)) for i in range(6)]
    inputs = instance(grid(blocks, rooms=rooms, kinds=("talk",)), talks)
    assert _bound(inputs, "a") == 3 + 1
    answer = solve(inputs)
    assert answer.status == "optimal" and answer.terms["theme_clash"] == 4


def test_the_objective_floor_is_the_sum_of_the_even_spread_bounds():
    """Each theme's total clashes start at its even-spread bound, so the objective's floor is known before any
    search (a warm start that reaches it is proven optimal at once)."""
    talks = [session(f"t{i}", f"p{i}", themes=("a",)) for i in range(5)]
    talks += [session(f"u{i}", f"q{i}", themes=("b",)) for i in range(3)]
    rooms = (("hall", 100, ()), ("s1", 50, ()), ("s2", 50, ()), ("s3", 50, ()), ("s4", 50, ()))
    inputs = instance(grid(BLOCKS, rooms=rooms, kinds=("talk", "keynote")), talks)
    options = place_options(inputs, Context(inputs, {p.id: p for p in inputs.people}))
    model = cp_model.CpModel()
    variables = build_variables(model, inputs, options.by_room())
    model.minimize(theme_clash(variables, {}))
    assert objective_floor(model) == 4 + 1  # a: 3 + 2 sessions; b: 2 + 1
    answer = solve(inputs)
    assert answer.terms["theme_clash"] == 5 and answer.objective == answer.bound and answer.status == "optimal"


def test_a_search_that_starts_at_the_optimum_ends_cleanly(tmp_path):
    """The search path, forced by hiding the floor, on an instance whose warm start is already optimal. Stopping
    CP-SAT 9.15 from its bound callback while it loads a complete hint aborts the whole process, so the search must
    be left to end by itself; a subprocess, so that an abort is a failure and not the end of the test run."""
    folder = generate(SIZES["S"], 1, tmp_path / "S")
    forced = (
        "import sys, pathlib\n"
        "import planner.solve.search as search\n"
        "from planner.io.folder import load_folder\n"
        "from planner.solve.run import Settings, draft\n"
        "search.objective_floor = lambda model: float('-inf')\n"
        "answer = draft(load_folder(pathlib.Path(sys.argv[1])), settings=Settings(time_limit=20))\n"
        "print(answer.status, answer.objective, answer.bound)\n"
    )
    done = subprocess.run([sys.executable, "-c", forced, str(folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    status, objective, bound = done.stdout.split()
    assert status == "optimal" and objective == bound


def _built(inputs) -> Built:
    settings = Settings(workers=1)
    return build(prepare(inputs, None, (), settings), settings)


def test_the_floor_probe_finds_a_programme_at_the_floor(tmp_path):
    """The hard family's 150 sessions, seed 6: the greedy ends one clash above the floor (37 against 36); the probe,
    every theme's clashes fixed at its bound and no hint, finds a programme there, which is then optimal."""
    built = _built(load_folder(generate_hard(HARD_SIZES["H150"], 6, tmp_path / "H150")))
    floor = objective_floor(built.model)
    assert built.warm_objective == 37 and floor == 36
    found = _at_floor(_solver(built, Settings(workers=1)), built, floor, time.monotonic() + 60)
    assert found is not None and found.optimal and found.objective == found.bound == 36
    assert set(found.chosen) == set(built.variables.x)


def test_the_floor_probe_says_nothing_when_the_floor_cannot_be_reached():
    """Two blocks of two rooms; s1 shares a speaker with s3 and with s4, so its block partner must be s2, its own
    theme, and s3 and s4 share the other block: each theme alone spreads without a clash (floor 0), together they
    clash twice. The probe finds nothing, and the search proves the optimum of 2."""
    blocks = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")]
    rooms = (("r1", 50, ()), ("r2", 50, ()))
    sessions = [
        session("s1", "p", "q", themes=("a",)),
        session("s2", "x", themes=("a",)),
        session("s3", "p", themes=("b",)),
        session("s4", "q", themes=("b",)),
    ]
    inputs = instance(grid(blocks, rooms=rooms, kinds=("talk",)), sessions)
    built = _built(inputs)
    floor = objective_floor(built.model)
    assert floor == 0
    assert _at_floor(_solver(built, Settings(workers=1)), built, floor, time.monotonic() + 60) is None
    answer = solve(inputs)
    assert answer.status == "optimal" and answer.terms["theme_clash"] == 2


def test_a_stalled_search_reaches_the_floor_through_the_probe(tmp_path, monkeypatch):
    """The draft with the neighbourhoods finding nothing (seed 6 of the hard family's 150 sessions, the greedy one
    above the floor): the probe gives the optimum, and the whole-model search (the only solve given a progress
    callback) never runs."""
    inputs = load_folder(generate_hard(HARD_SIZES["H150"], 6, tmp_path / "H150"))
    monkeypatch.setattr(search, "improve", lambda variables, start, *_: Incumbent(dict(start), None))
    with_callback: list[bool] = []
    solve_as_before = cp_model.CpSolver.solve

    def spying(self, model, *callback):
        with_callback.append(bool(callback))
        return solve_as_before(self, model, *callback)

    monkeypatch.setattr(cp_model.CpSolver, "solve", spying)
    answer = draft(inputs, settings=Settings(workers=2, time_limit=60))
    assert answer.status == "optimal" and answer.objective == answer.bound == 36
    assert answer.progress[0].objective == 37 and with_callback == [False]
