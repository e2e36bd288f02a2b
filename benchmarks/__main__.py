"""`make bench`: generate the instances, run us and every installed peer on each under the same time limit, judge
every answer with our checker, time `planner check` on our answers, and write BENCHMARKS.md with a chart.

Peers live in their own virtual environments under .venv-bench/ (their dependencies clash with ours); one that is
not installed is listed as such, never silently left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks.generate import SIZES, generate
from benchmarks.harness import Point, Run, run
from benchmarks.report import OURS, document, objective_chart, size_table
from planner.export.atomic import write_atomic
from planner.io.folder import load_folder

PEERS = {
    "timefold": ("timefold_peer", "benchmarks.peers.timefold_peer", []),
    "cs-ilp": ("conference_scheduler_peer", "benchmarks.peers.conference_scheduler_peer", ["--algorithm", "ilp"]),
    "cs-heuristic": (
        "conference_scheduler_peer",
        "benchmarks.peers.conference_scheduler_peer",
        ["--algorithm", "heuristic"],
    ),
}
"""Peer name -> (its venv under .venv-bench, its module, extra arguments)."""


def _command(contestant: str, folder: Path, out: Path, time_limit: float, venvs: Path) -> list[str] | None:
    tail = [str(folder), "--time-limit", f"{time_limit:g}", "--out", str(out)]
    if contestant == OURS:
        return [sys.executable, "-m", "benchmarks.ours", *tail]
    venv, module, extra = PEERS[contestant]
    python = venvs / venv / "bin" / "python"
    return [str(python), "-m", module, *tail, *extra] if python.exists() else None


def _check_seconds(answer: Path, repeat: int) -> float:
    """Median whole-process time of `planner check` on an answer."""
    planner = Path(sys.executable).with_name("planner")
    times = []
    for _ in range(repeat):
        started = time.monotonic()
        subprocess.run([str(planner), "check", str(answer), "--format", "json"], capture_output=True, check=False)
        times.append(time.monotonic() - started)
    return statistics.median(times)


def _earlier_runs(results: Path) -> dict[str, list[Run]]:
    by_size: dict[str, list[Run]] = {}
    for record in json.loads(results.read_text(encoding="utf-8")):
        record["points"] = [Point(**point) for point in record["points"]]
        by_size.setdefault(record["size"], []).append(Run(**record))
    return by_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="S,M,L,XL,XXL")
    parser.add_argument("--contestants", default=",".join([OURS, *PEERS]))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per contestant and size (medians are quoted)")
    parser.add_argument("--work", type=Path, default=Path("out/bench"))
    parser.add_argument("--venvs", type=Path, default=Path(".venv-bench"))
    parser.add_argument("--report", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--chart", type=Path, default=Path("benchmarks/objective-L.png"))
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the last results.json")
    args = parser.parse_args(argv)

    earlier = _earlier_runs(args.work / "results.json") if args.report_only else {}
    sections, everything = [], []
    for size in args.sizes.split(","):
        folder = generate(SIZES[size], args.seed, args.work / "instances" / size)
        inputs = load_folder(folder)
        runs: list[Run] = earlier.get(size, [])
        for contestant in [] if args.report_only else args.contestants.split(","):
            out = args.work / "answers" / size / contestant
            command = _command(contestant, folder, out, args.time_limit, args.venvs)
            if command is None:
                runs.append(Run(contestant, size, "not installed", 0.0, 0.0, errors=["run `make bench` to install"]))
                continue
            for attempt in range(args.repeat):
                result = run(contestant, size, command, args.time_limit, inputs, out / "schedule.json")
                print(
                    f"{size:>3} {contestant:<13} #{attempt + 1} {result.status:<9} objective {result.objective} "
                    f"bound {result.bound} first {result.first_feasible} best {result.time_to_best} "
                    f"run {result.seconds:.1f}s {result.peak_mb:.0f} MB {'; '.join(result.errors[:2])}",
                    flush=True,
                )
                runs.append(result)
        ours = args.work / "answers" / size / OURS / "schedule.json"
        check = f"\n`planner check` on our answer: {_check_seconds(ours, 3):.2f} s (median of 3, whole process).\n"
        sections.append(size_table(size, runs) + (check if ours.exists() else ""))
        print(sections[-1], flush=True)
        if size == "L":
            objective_chart(runs, size, args.chart)
            sections[-1] += f"\n![Objective over time on L]({args.chart.as_posix()})\n"
        everything += runs

    settings = (
        f"Instances: `benchmarks.generate`, seed {args.seed} (written to {args.work}/instances as "
        f"ordinary conference folders). Time limit {args.time_limit:g} s per run; {args.repeat} runs per "
        "solver and size, medians quoted; times are whole processes, start-up included, measured from "
        "process start to the arrival of each progress line. Every answer was judged by `planner check`'s "
        "rules and its theme clashes recomputed from the answer before it counted."
    )
    write_atomic(args.work / "results.json", json.dumps([asdict(r) for r in everything], indent=1))
    write_atomic(args.report, document(sections, settings))
    print(f"Wrote {args.report} and {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
