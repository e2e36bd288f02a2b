"""Run inside CoSPLib's own venv (.venv-bench/cosplib), never planner's: one of CoSPLib's own solvers on an instance.

    python benchmarks/cosplib_peer.py SOLVER_DIR INSTANCE.xlsx METHOD SECONDS

METHOD is `hyper_heuristic` or `exact_milp` (its exact integer programme, solved by HiGHS). CoSPLib chooses its solver
and time limit in Solver/config.py; this sets those settings on the imported config module and calls the same run
functions its main.py calls (optimisation.run_mode), then scores the answer with its own checker methods. Prints one
JSON line: {"objective", "complete", "valid", "seconds", "first", "best"} (seconds from the start, with the problem's
loading; first and best: when its log first and last reported a better solution, None when it reports none). CoSPLib
(Kheiri, Pylyavskyy and Jacko; MIT licence) is driven through its own modules; none of its code is copied here.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
import time
from pathlib import Path

METHODS = {"hyper_heuristic": "HYPER_HEURISTIC", "exact_milp": "EXACT_MILP"}


class _Improvements(logging.Handler):
    """Times (from `started`) at which CoSPLib's hyper-heuristic logged a better solution."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.seen: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "best solution" in record.getMessage():
            self.seen.append(time.monotonic() - self.started)


def run(solver_dir: Path, instance: Path, method: str, seconds: float) -> dict:
    started = time.monotonic()
    sys.path.insert(0, str(solver_dir))
    import config  # type: ignore[import-not-found]

    for flag in METHODS.values():
        setattr(config, flag, False)
    setattr(config, METHODS[method], True)
    config.TIME_LIMIT_IN_SEC = seconds
    config.SOLVER = "HiGHS"
    config.SAVE_SOLUTION = False
    from domain.problem import Problem  # type: ignore[import-not-found]
    from optimisation import run_mode  # type: ignore[import-not-found]

    improvements = _Improvements(started)
    logging.basicConfig(level=logging.INFO, handlers=[improvements])
    with contextlib.redirect_stdout(io.StringIO()):
        problem = Problem(file_path=instance)
        problem.build()
        solve = getattr(run_mode, f"solve_with_{method}")
        solution = solve(problem)
        elapsed = time.monotonic() - started
        return {
            "objective": int(solution.evaluate_solution()),
            "complete": bool(solution.evaluate_all_submissions_scheduled()),
            "valid": bool(solution.validate_solution()),
            "seconds": round(elapsed, 1),
            "first": round(improvements.seen[0], 1) if improvements.seen else None,
            "best": round(improvements.seen[-1], 1) if improvements.seen else None,
        }


if __name__ == "__main__":
    solver = Path(sys.argv[1]).resolve()
    instance = Path(sys.argv[2]).resolve()
    os.chdir(solver)
    print(json.dumps(run(solver, instance, sys.argv[3], float(sys.argv[4]))))
