"""Run inside CoSPLib's own venv (.venv-bench/cosplib), never planner's: CoSPLib's checker scores a solution workbook.

    python benchmarks/cosplib_judge.py SOLVER_DIR INSTANCE.xlsx SOLUTION.xlsx

prints one JSON line: {"objective": N, "complete": bool, "valid": bool, "terms": {name: value}}. CoSPLib (Kheiri,
Pylyavskyy and Jacko; MIT licence) is used through its documented API (domain.problem.Problem, solution.Solution),
as an outside judge; none of its code is copied here.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path


def judge(solver_dir: Path, instance: Path, solution_file: Path) -> dict:
    sys.path.insert(0, str(solver_dir))
    from domain.problem import Problem  # type: ignore[import-not-found]
    from solution import Solution  # type: ignore[import-not-found]

    with contextlib.redirect_stdout(io.StringIO()):
        problem = Problem(file_path=instance)
        problem.build()
        solution = Solution(problem)
        solution.load_solution(file_path=solution_file)
        terms = {solution.get_evaluation_name(f).rstrip(":"): int(f()) for f in solution.get_evaluations_list()}
        return {
            "objective": int(solution.evaluate_solution()),
            "complete": bool(solution.evaluate_all_submissions_scheduled()),
            "valid": bool(solution.validate_solution()),
            "terms": {name: value for name, value in terms.items() if value},
        }


if __name__ == "__main__":
    solver, instance, solution = (Path(a).resolve() for a in sys.argv[1:4])
    os.chdir(solver)
    print(json.dumps(judge(solver, instance, solution)))
