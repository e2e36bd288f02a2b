"""Ctrl-C while drafting: the search stops as a time limit would stop it, and the best programme so far is kept."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ortools.sat.python import cp_model


@contextmanager
def ctrl_c_stops(solver: cp_model.CpSolver) -> Iterator[Callable[[], bool]]:
    """Ctrl-C from the first answer on ends the work as a time limit would, the best answer so far kept; yields
    whether Ctrl-C was pressed.

    Python would raise KeyboardInterrupt outside CP-SAT's search and lose the answer, and CP-SAT's own handler
    covers only its search (and resets SIGINT to the default when a solve ends). So here Ctrl-C is noted instead,
    CP-SAT's handler is off, and a thread woken by the signal's wake-up byte stops the search, again until it
    stops, since a stop asked just before the search begins is not kept.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False  # signals reach the main thread only; CP-SAT's own handler stays on
        return
    solver.parameters.catch_sigint_signal = False
    pressed, finished = threading.Event(), threading.Event()
    wake, woken = os.pipe()

    def watch() -> None:
        while os.read(wake, 1) not in (b"", bytes([signal.SIGINT])):
            pass
        if not finished.is_set():
            pressed.set()
        while not finished.wait(0.02):
            solver.stop_search()

    watcher = threading.Thread(target=watch, daemon=True)
    before = signal.signal(signal.SIGINT, lambda *_: pressed.set())
    try:
        os.set_blocking(woken, False)
        before_fd = signal.set_wakeup_fd(woken)
        watcher.start()
        try:
            yield pressed.is_set
        finally:
            finished.set()
            signal.set_wakeup_fd(before_fd)
    finally:
        os.close(woken)  # ends the watcher's read
        if watcher.is_alive():
            watcher.join()
        os.close(wake)
        signal.signal(signal.SIGINT, before)
