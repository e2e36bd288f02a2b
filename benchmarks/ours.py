"""Our solver as a benchmark contestant: one process, timed from start-up, with the same contract as the peers.

`python -m benchmarks.ours FOLDER --time-limit S --out DIR` prints one JSON line per improving solution
(objective, bound) and a final line, and writes DIR/schedule.json. Exit 3 when no programme was found.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from planner.export.atomic import write_atomic
from planner.formats.schedule_json import schedule_document
from planner.io.folder import load_folder
from planner.solve.run import NoProgramme, Progress, Settings, draft


def _say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args(argv)
    inputs = load_folder(args.folder)

    def progress(point: Progress) -> None:
        _say(objective=point.objective, bound=point.bound, feasible=True)

    try:
        settings = Settings(time_limit=args.time_limit, workers=args.workers)
        answer = draft(inputs, settings=settings, on_progress=progress)
    except NoProgramme as none:
        print("; ".join(none.reasons), file=sys.stderr)
        return 3
    write_atomic(args.out / "schedule.json", schedule_document(answer.schedule, answer.solver_facts()))
    _say(final=True, objective=answer.objective, bound=answer.bound, status=answer.status, feasible=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
