"""Run inside CoSPLib's own venv (.venv-bench/cosplib), never planner's: CoSPLib's checker scores a solution workbook.

    python benchmarks/cosplib_judge.py SOLVER_DIR INSTANCE.xlsx SOLUTION.xlsx

prints one JSON line: {"objective": N, "complete": bool, "valid": bool, "terms": {name: value}}. CoSPLib (Kheiri,
Pylyavskyy and Jacko; MIT licence) is used through its documented API (domain.problem.Problem, solution.Solution),
as an outside judge; none of its code is copied here.

CoSPLib's OR60F names four tracks with a trailing space ('ORS SCHOOLS For ORS use only '), which planner's names
drop when imported; the judge gives such a name back its spaces (a copy of the solution, cells that equal a track's
name once both are trimmed) before CoSPLib loads it, and changes nothing else.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path


def _with_exact_names(problem: object, solution_file: Path) -> Path:
    """A copy of the solution whose track names are spelled as the instance spells them (see the module docstring)."""
    import tempfile

    import openpyxl  # type: ignore[import-untyped]

    names = [problem.get_track(i).get_track_name() for i in range(problem.get_number_of_tracks())]  # type: ignore[attr-defined]
    exact = {name.strip(): name for name in names if name != name.strip()}
    if not exact:
        return solution_file
    book = openpyxl.load_workbook(solution_file)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in exact:
                    cell.value = exact[cell.value]
    copy = Path(tempfile.mkdtemp()) / solution_file.name
    book.save(copy)
    return copy


def judge(solver_dir: Path, instance: Path, solution_file: Path) -> dict:
    sys.path.insert(0, str(solver_dir))
    from domain.problem import Problem  # type: ignore[import-not-found]
    from solution import Solution  # type: ignore[import-not-found]

    with contextlib.redirect_stdout(io.StringIO()):
        problem = Problem(file_path=instance)
        problem.build()
        solution = Solution(problem)
        solution.load_solution(file_path=_with_exact_names(problem, solution_file))
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
