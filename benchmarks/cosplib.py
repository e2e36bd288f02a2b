"""The paper-conference bars (issue 18): planner on CoSPLib's real conferences, scored by CoSPLib's own checker,
against the published solutions and CoSPLib's own solvers given the same time in the same run.

    python -m benchmarks.cosplib [--dataset DIR] [--instances GECCO19,GECCO21,N2OR,OR60F,OR60F3] [--repeat 3]
                                 [--time-limit 60] [--out out/bench/cosplib] [--update BENCHMARKS.md]

For each instance: `planner import cosplib` (once, not timed), then per repeat a draft as its own process (`--child`),
timed from its start, its programme written as CoSPLib's solution workbook and scored by CoSPLib's checker
(benchmarks/cosplib_judge.py, in CoSPLib's own venv .venv-bench/cosplib); then CoSPLib's hyper-heuristic and its exact
MILP with HiGHS (benchmarks/cosplib_peer.py, same venv, same time limit). The published exact and extended solutions
are scored by the same checker. Medians of the repeats; a table printed and a section of BENCHMARKS.md written between
its markers (`--update FILE`). Without the dataset (../shared/cosplib) or the venv it says so and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.report import replace_section
from planner.export.atomic import write_atomic

ROOT = Path(__file__).resolve().parent.parent
COSPLIB = ROOT.parent / "shared" / "cosplib"
VENV_PYTHON = ROOT / ".venv-bench" / "cosplib" / "bin" / "python"
INSTANCES = ("GECCO19", "GECCO21", "N2OR", "OR60F", "OR60F3")
PEERS = ("hyper_heuristic", "exact_milp")
PEER_NAMES = {"hyper_heuristic": "CoSPLib hyper-heuristic", "exact_milp": "CoSPLib exact MILP (HiGHS)"}
START, END = "<!-- cosplib:start -->", "<!-- cosplib:end -->"


def child(folder: Path, time_limit: float, out: Path, seed: int) -> None:
    """Draft `folder`, write CoSPLib's solution workbook to `out` and print one JSON line: objective, seconds, and
    when the first and the best programme arrived (seconds from the process start)."""
    started = time.monotonic()
    from planner.formats.cosplib import solution_workbook
    from planner.io.folder import load_folder
    from planner.solve.run import Settings, draft

    seen: list[tuple[float, float]] = []

    def progress(point: object) -> None:
        seen.append((time.monotonic() - started, float(point.objective)))  # type: ignore[attr-defined]

    settings = Settings(time_limit=time_limit, seed=seed)
    answer = draft(load_folder(folder), settings=settings, on_progress=progress)
    write_atomic(out, solution_workbook(answer.schedule))
    best = next((t for t, objective in seen if objective <= answer.objective), None)
    print(
        json.dumps(
            {
                "planner_objective": answer.objective,
                "status": answer.status,
                "seconds": round(time.monotonic() - started, 1),
                "first": round(seen[0][0], 1) if seen else None,
                "best": round(best, 1) if best is not None else None,
            }
        )
    )


def _json_line(command: list[str], timeout: float) -> dict:
    """The last line of a command's output read as JSON, or {'error': why}."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"no answer within {timeout:g} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["exit " + str(done.returncode)])[-1][:200]}
    return json.loads(lines[-1])


def judge(instance: Path, solution: Path) -> dict:
    script = ROOT / "benchmarks" / "cosplib_judge.py"
    return _json_line([str(VENV_PYTHON), str(script), str(COSPLIB / "Solver"), str(instance), str(solution)], 300)


def planner_run(folder: Path, instance: Path, time_limit: float, out: Path, seed: int) -> dict:
    """One draft with its own seed: planner is deterministic for a seed, so runs with one seed would repeat one
    search (OR60F ended at 161, 501 and 480 for seeds 0-2 before the costed packing); CoSPLib's solvers draw theirs."""
    command = [sys.executable, "-m", "benchmarks.cosplib", "--child", str(folder), "--time-limit", str(time_limit)]
    command += ["--seed", str(seed)]
    found = _json_line([*command, "--child-out", str(out)], time_limit * 3 + 120)
    if "error" in found:
        return found
    return {**found, **judge(instance, out)}


def peer_run(method: str, instance: Path, time_limit: float) -> dict:
    script = ROOT / "benchmarks" / "cosplib_peer.py"
    command = [str(VENV_PYTHON), str(script), str(COSPLIB / "Solver"), str(instance), method, str(time_limit)]
    # CoSPLib's MILP builds its model before HiGHS's time limit starts (GECCO19: still building after 4 minutes): a
    # peer gets twice the time limit and a minute in all, and its row says when it had no answer by then
    return _json_line(command, time_limit * 2 + 60)


def published(name: str, dataset: Path) -> dict[str, int | None]:
    """The published exact and extended solutions' objectives, by CoSPLib's checker (None: none published)."""
    found: dict[str, int | None] = {}
    for model in ("Exact", "Extended"):
        path = dataset.parent / "Solutions" / f"{model} Model" / f"{name}Solution.xlsx"
        found[model.lower()] = judge(dataset / f"{name}.xlsx", path).get("objective") if path.is_file() else None
    return found


def _median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None and "error" not in r]
    return statistics.median(values) if values else None


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _verdict(ours: float | None, others: list[float]) -> str:
    if ours is None or not others:
        return "-"
    best = min(others)
    if ours < best:
        return f"**better** ({_number(best - ours)} below the best other)"
    if ours == best:
        return "equal to the best other"
    return f"worse ({_number(ours - best)} above; {100 * (ours - best) / max(1, best):.1f}%)"


def table(found: dict[str, dict]) -> str:
    rows = [
        "| instance | solver | objective (median) | runs: objective | valid, complete | first (s) | best (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, entry in found.items():
        if "error" in entry:
            rows.append(f"| {name} | - | not run: {entry['error']} | | | | |")
            continue
        for key, label in (("exact", "published exact model"), ("extended", "published extended model")):
            rows.append(f"| {name} | {label} | {_number(entry['published'][key])} | | | | |")
        for solver, runs in entry["runs"].items():
            label = "**planner**" if solver == "planner" else PEER_NAMES[solver]
            objectives = ", ".join(_number(r["objective"]) if "objective" in r else r.get("error", "?") for r in runs)
            valid = all(r.get("valid") and r.get("complete") for r in runs)
            rows.append(
                f"| {name} | {label} | {_number(_median(runs, 'objective'))} | {objectives} | "
                f"{'yes' if valid else 'NO'} | {_number(_median(runs, 'first'))} | {_number(_median(runs, 'best'))} |"
            )
        others = [v for v in entry["published"].values() if v is not None]
        others += [m for s, r in entry["runs"].items() if s != "planner" and (m := _median(r, "objective")) is not None]
        ours = _median(entry["runs"].get("planner", []), "objective")
        rows.append(f"| {name} | planner against the best other | {_verdict(ours, others)} | | | | |")
    return "\n".join(rows)


def section(found: dict[str, dict], repeat: int, time_limit: float, once: str = "") -> str:
    return "\n".join(
        [
            START,
            "## Paper conferences: CoSPLib (issue 18)",
            "",
            f"Real conferences from CoSPLib (../shared/cosplib), {repeat} run(s) per solver and instance "
            f"({once or 'none'} run once; planner's with seeds 0, 1, ...), "
            f"{time_limit:g} s each on this machine, one after another. Every objective is CoSPLib's own checker's "
            "(lower is better), on planner's programme exported with `planner export --format cosplib`, on CoSPLib's "
            "published solutions and on its own solvers' answers; 'valid, complete' is its checker's verdict. "
            "Times are from each process's start (planner: loading included; first = the first whole programme, "
            "best = when the final objective was first reached; CoSPLib's MILP logs no improvements). Written by "
            "`python -m benchmarks.cosplib` (make bench).",
            "",
            table(found),
            END,
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cosplib", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=COSPLIB / "Dataset")
    parser.add_argument("--instances", default=",".join(INSTANCES))
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--once", default="", help="peers run in the first repeat only (e.g. exact_milp)")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=Path("out/bench/cosplib"))
    parser.add_argument("--update", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.time_limit, args.child_out, args.seed)
        return 0
    if not args.dataset.is_dir():
        print(f"CoSPLib's dataset is not at {args.dataset}: the CoSPLib benchmark is skipped.")
        return 0
    if not VENV_PYTHON.is_file():
        print(f"CoSPLib's venv is not at {VENV_PYTHON} (make .venv-bench/cosplib/.installed): skipped.")
        return 0
    work = args.out.resolve()
    work.mkdir(parents=True, exist_ok=True)
    found: dict[str, dict] = {}
    for name in [n for n in args.instances.split(",") if n]:
        instance = args.dataset.resolve() / f"{name}.xlsx"
        folder = work / name
        imported = subprocess.run(
            [
                sys.executable,
                "-c",
                "from planner.cli import app; app()",
                "import",
                "cosplib",
                str(instance),
                "--out",
                str(folder),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if imported.returncode != 0:
            why = " ".join((imported.stdout + " " + imported.stderr).split())[-300:]
            found[name] = {"error": f"planner import cosplib failed (exit {imported.returncode}): {why}"}
            print(name, found[name]["error"], flush=True)
            continue
        runs: dict[str, list[dict]] = {"planner": []}
        runs.update({peer: [] for peer in args.peers.split(",") if peer})
        for number in range(args.repeat):
            out = work / f"{name}-{number + 1}.xlsx"
            runs["planner"].append(planner_run(folder, instance, args.time_limit, out, seed=number))
            for peer in runs:
                if peer != "planner" and (number == 0 or peer not in args.once.split(",")):
                    runs[peer].append(peer_run(peer, instance, args.time_limit))
            print(name, number + 1, {s: r[-1] for s, r in runs.items()}, flush=True)
        found[name] = {"published": published(name, args.dataset.resolve()), "runs": runs}
        _write(found, args, work)  # after each instance, so that a run cut short still leaves what it measured
    _write(found, args, work)
    print(table(found))
    print(f"Wrote {work / 'cosplib.md'}" + (f" and the CoSPLib section of {args.update}" if args.update else ""))
    return 0


def _write(found: dict[str, dict], args: argparse.Namespace, work: Path) -> None:
    """cosplib.md in `work`, and the section of `args.update` between its markers (the rest of that file kept)."""
    text = section(found, args.repeat, args.time_limit, args.once)
    write_atomic(work / "cosplib.md", text)
    if args.update is not None:
        replace_section(args.update, text, START, END)


if __name__ == "__main__":
    sys.exit(main())
