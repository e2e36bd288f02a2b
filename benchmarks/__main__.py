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

from benchmarks.audience import END as AUDIENCE_END
from benchmarks.audience import START as AUDIENCE_START
from benchmarks.cosplib import END as COSPLIB_END
from benchmarks.cosplib import START as COSPLIB_START
from benchmarks.generate import SIZES, generate
from benchmarks.hard import HARD_SEEDS, HARD_SIZES, generate_hard
from benchmarks.harness import Point, Run, run
from benchmarks.report import OURS, bars_table, document, kept_section, objective_chart, size_table
from planner.export.atomic import write_atomic
from planner.io.folder import load_folder

BEST_AT = 10.0
"""The hard family's bars compare our best at this many seconds with each peer's best at the end."""

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


FAMILIES = {"easy": tuple(SIZES), "hard": tuple(HARD_SIZES)}
"""Family -> its sizes, in the order they run."""


def _instances(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """(name, folder) of every instance asked for, generated under the work folder: an easy size is named by itself
    (seed --seed), a hard one by its size and seed ('H400-s2'), for each of its seeds (HARD_SEEDS, or --hard-seeds)."""
    families = args.families.split(",")
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        raise SystemExit(f"unknown family {unknown[0]!r}: expected one of {', '.join(FAMILIES)}")
    wanted = args.sizes.split(",") if args.sizes else [size for family in families for size in FAMILIES[family]]
    instances = []
    for size in wanted:
        if size in SIZES:
            instances.append((size, generate(SIZES[size], args.seed, args.work / "instances" / size)))
        elif size in HARD_SIZES:
            seeds = [int(s) for s in args.hard_seeds.split(",")] if args.hard_seeds else HARD_SEEDS[size]
            for seed in seeds:
                name = f"{size}-s{seed}"
                instances.append((name, generate_hard(HARD_SIZES[size], seed, args.work / "instances" / name)))
        else:
            raise SystemExit(f"unknown size {size!r}: expected one of {', '.join([*SIZES, *HARD_SIZES])}")
    return instances


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--families", default="easy,hard", help=f"which families run: {', '.join(FAMILIES)}")
    parser.add_argument("--sizes", default="", help="sizes of any family (default: every size of --families)")
    parser.add_argument("--contestants", default=",".join([OURS, *PEERS]))
    parser.add_argument("--seed", type=int, default=1, help="the easy family's seed")
    parser.add_argument("--hard-seeds", default="", help="the hard family's seeds (default: the issue's, per size)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per contestant and size (medians are quoted)")
    parser.add_argument("--work", type=Path, default=Path("out/bench"))
    parser.add_argument("--venvs", type=Path, default=Path(".venv-bench"))
    parser.add_argument("--report", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--chart", type=Path, default=Path("benchmarks/objective-L.png"))
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the last results.json")
    args = parser.parse_args(argv)

    earlier = _earlier_runs(args.work / "results.json") if args.report_only else {}
    sections, everything, hard = [], [], []
    for size, folder in _instances(args):
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
        sections.append(
            size_table(size, runs, at=None if size in SIZES else BEST_AT) + (check if ours.exists() else "")
        )
        print(sections[-1], flush=True)
        if size == "L":
            objective_chart(runs, size, args.chart)
            sections[-1] += f"\n![Objective over time on L]({args.chart.as_posix()})\n"
        everything += runs
        if size not in SIZES:
            hard.append((size, runs))
    if hard:
        sections.append(bars_table(hard, BEST_AT))

    settings = (
        f"Instances: `benchmarks.generate` (the easy family, seed {args.seed}) and `benchmarks.hard` (the hard "
        f"family, named by size and seed), written to {args.work}/instances as ordinary conference folders. "
        f"Time limit {args.time_limit:g} s per run; {args.repeat} runs per solver and instance, "
        "medians quoted; times are whole processes, start-up included, measured from "
        "process start to the arrival of each progress line. Every answer was judged by `planner check`'s "
        "rules and its theme clashes recomputed from the answer before it counted."
    )
    write_atomic(args.work / "results.json", json.dumps([asdict(r) for r in everything], indent=1))
    earlier_report = args.report.read_text(encoding="utf-8") if args.report.is_file() else ""
    kept = kept_section(earlier_report, AUDIENCE_START, AUDIENCE_END)  # benchmarks/audience.py writes that one
    kept += kept_section(earlier_report, COSPLIB_START, COSPLIB_END)  # and benchmarks/cosplib.py this one
    write_atomic(args.report, document(sections, settings, kept))
    print(f"Wrote {args.report} and {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
