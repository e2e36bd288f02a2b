"""Ctrl-C while drafting (planner/solve/interrupt.py `ctrl_c_stops`): noted, never raised, and it stops the search even
when it comes just before the search begins; afterwards Ctrl-C behaves as usual again."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from ortools.sat.python import cp_model

from planner.solve.interrupt import ctrl_c_stops


def _pigeons(n: int = 13) -> cp_model.CpModel:
    """n pigeons, n - 1 holes: infeasible, and without presolve or symmetry far beyond a few seconds to prove."""
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{i},{j}") for j in range(n - 1)] for i in range(n)]
    for row in x:
        model.add_exactly_one(row)
    for j in range(n - 1):
        model.add_at_most_one(row[j] for row in x)
    return model


def _solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 30
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    solver.parameters.symmetry_level = 0
    return solver


@pytest.mark.parametrize("before_search", [True, False], ids=["before the search", "during the search"])
def test_ctrl_c_stops_the_search_and_is_not_raised(before_search: bool):
    # As a terminal gives it: a run started in the background (as `make test &` is) inherits SIGINT ignored.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _stops_and_restores(before_search)
    finally:
        signal.signal(signal.SIGINT, inherited)


def _stops_and_restores(before_search: bool) -> None:
    solver = _solver()
    started = time.monotonic()
    with ctrl_c_stops(solver) as pressed:
        if before_search:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)  # work between the first answer and the search
        else:
            threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
        status = solver.solve(_pigeons())
    assert status == cp_model.UNKNOWN and pressed()
    assert time.monotonic() - started < 10  # stopped, not the 30 s limit
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.5)
