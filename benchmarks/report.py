"""BENCHMARKS.md: the machine, a table per size (medians over repeats), our ratios against each peer, the issue's
targets with what was measured, and a chart of objective over time."""

from __future__ import annotations

import math
import os
import platform
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from importlib import metadata
from pathlib import Path

from benchmarks.harness import Run
from planner.formats.markdown import markdown_table

OURS = "planner"


def _median(runs: Sequence[Run], value: Callable[[Run], float | None]) -> float | None:
    values = [v for run in runs if (v := value(run)) is not None]
    return statistics.median(values) if values else None


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _cpu() -> str:
    info = Path("/proc/cpuinfo")
    lines = info.read_text().splitlines() if info.exists() else []
    named = (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    return next(named, platform.processor())


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({_cpu()}), {memory:.0f} GiB, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, OR-Tools {metadata.version('ortools')}"
    )


def _status(runs: Sequence[Run]) -> str:
    statuses = sorted({run.status for run in runs})
    return "/".join(statuses) + (f" ×{len(runs)}" if len(runs) > 1 else "")


def objective_at(run: Run, seconds: float) -> float | None:
    """The best objective the run had reported by `seconds` since its process started (None: none yet)."""
    reached = [p.objective for p in run.points if p.seconds <= seconds]
    return min(reached) if reached else None


def size_table(size: str, runs: Sequence[Run], at: float | None = None) -> str:
    """A table of every contestant on one instance, medians over its runs; with `at`, also each one's best objective
    by `at` seconds."""
    by: dict[str, list[Run]] = {}
    for run in runs:
        by.setdefault(run.contestant, []).append(run)
    ours = by.get(OURS, [])
    rows = []
    for contestant, mine in by.items():
        counted = [r for r in mine if r.status in ("optimal", "feasible")]
        objective = _median(counted, lambda r: r.objective)
        speedup = objective_ratio = None
        if contestant != OURS and objective is not None and ours:
            peer_best = _median(counted, lambda r: r.time_to_best)
            ours_reach = _median(ours, lambda r, target=objective: r.time_to_reach(target))
            speedup = peer_best / ours_reach if peer_best and ours_reach else None
            ours_objective = _median(ours, lambda r: r.objective)
            objective_ratio = ours_objective / objective if ours_objective is not None and objective else None
        row = [
            contestant,
            _status(mine),
            _num(_median(counted, lambda r: r.first_feasible)),
            _num(_median(counted, lambda r: r.time_to_best)),
            _num(objective, 0),
            _num(_median(counted, lambda r: r.bound), 0),
            _num(_median(counted, lambda r: r.gap and 100 * r.gap), 1),
            _num(_median(mine, lambda r: r.seconds), 1),
            _num(_median(mine, lambda r: r.peak_mb), 0),
            "" if contestant == OURS else (f"{speedup:.1f}×" if speedup else "–"),
            "" if contestant == OURS else _num(objective_ratio),
        ]
        if at is not None:
            row.insert(5, _num(_median(counted, lambda r: objective_at(r, at)), 0))
        rows.append(row)
    header = [
        "solver",
        "status",
        "first feasible (s)",
        "time to best (s)",
        "objective",
        "bound",
        "gap %",
        "whole run (s)",
        "peak MB",
        "ours reaches its best … sooner",
        "our objective ÷ its",
    ]
    if at is not None:
        header.insert(5, f"objective at {at:g} s")
    said = Counter(f"{r.contestant}: {'; '.join(r.errors[:3])}" for r in runs if r.errors)  # in order, once each
    problems = [f"- {line}" + (f" ({n} runs)" if n > 1 else "") for line, n in said.items()]
    return f"### {size}\n\n{markdown_table(header, rows)}\n" + ("\n" + "\n".join(problems) + "\n" if problems else "")


def objective_chart(runs: Sequence[Run], size: str, path: Path) -> Path:
    """Objective over time, one step line per contestant (the first repeat of each)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(8, 4.5), dpi=110)
    seen = set()
    for run in runs:
        if run.contestant in seen or not run.points:
            continue
        seen.add(run.contestant)
        times = [p.seconds for p in run.points] + [run.seconds]
        values = [p.objective for p in run.points] + [run.points[-1].objective]
        axes.step(times, values, where="post", label=run.contestant)
        if run.bound is not None:
            axes.axhline(run.bound, linestyle=":", linewidth=1, color="grey")
    axes.set_xscale("log")
    axes.set_xlabel("seconds since the process started (log scale)")
    axes.set_ylabel("theme clashes (lower is better)")
    axes.set_title(f"Objective over time, instance {size} (dotted: our proven bound)")
    axes.legend()
    axes.grid(alpha=0.3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None})
    pyplot.close(figure)
    return path


NOTES = Path(__file__).with_name("notes.md")
"""What each technique gained and what is still short: written by hand from measurements, appended as it is."""


def document(sections: Sequence[str], settings: str, kept: str = "") -> str:
    """The whole report; `kept` is a section another script writes between its markers (kept_section), carried
    over at the end so that rewriting the tables does not drop it."""
    text = (
        f"# Benchmarks\n\nMeasured {date.today().isoformat()} on {machine()}.\n\n{settings}\n\n"
        + "\n".join(sections)
        + "\n"
        + NOTES.read_text(encoding="utf-8")
    )
    return text.rstrip("\n") + "\n\n" + kept if kept else text


def replace_section(path: Path, text: str, start: str, end: str) -> None:
    """Put `text` (a section from `start` to `end`) into the report at `path` in place of its earlier one, or at the
    end when it has none, keeping the rest of the file: each bench writes only its own section."""
    from planner.export.atomic import write_atomic

    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if start in current and end in current:
        current = current[: current.index(start)] + text + current[current.index(end) + len(end) + 1 :]
    else:
        current = current.rstrip("\n") + "\n\n" + text
    write_atomic(path, current)


def kept_section(report: str, start: str, end: str) -> str:
    """The part of an earlier report from `start` to `end` (markers included, with its line end), or ''."""
    if start not in report or end not in report[report.index(start) :]:
        return ""
    first = report.index(start)
    last = report.index(end, first) + len(end)
    return report[first:last] + "\n"


TIMEFOLD = "timefold"
FIRST_WITHIN = ((400, 5.0), (10**9, 10.0))
"""The hard family's bar on our first programme: (up to this many sessions, within this many seconds)."""


def _sessions_of(instance: str) -> int:
    """A hard instance's sessions, from its name ('H400-s2' -> 400)."""
    return int(instance[1:].split("-")[0])


def _yes(met: bool | None) -> str:
    return "–" if met is None else "yes" if met else "**no**"


def bars_table(instances: Sequence[tuple[str, Sequence[Run]]], at: float) -> str:
    """The hard family's bars (issue 17), medians of each instance's runs against Timefold's in the same run: our
    first programme no later than Timefold's and within 5 s (10 s at 1,000 sessions); our best by `at` seconds at
    least as good as Timefold's best at the end; 150 sessions proven within 10 s, 400 within 0.1% of the bound or
    proven; peak memory under 2 GB at 1,000 sessions."""
    rows = []
    for instance, runs in instances:
        ours = [r for r in runs if r.contestant == OURS]
        peer = [r for r in runs if r.contestant == TIMEFOLD and r.status in ("optimal", "feasible")]
        sessions = _sessions_of(instance)
        first = _median(ours, lambda r: r.first_feasible if r.points else math.inf)
        peer_first = _median(peer, lambda r: r.first_feasible)
        within = next(limit for most, limit in FIRST_WITHIN if sessions <= most)
        first_met = first is not None and first <= within and (peer_first is None or first <= peer_first)
        by_then = _median(ours, lambda r: objective_at(r, at) if objective_at(r, at) is not None else math.inf)
        peer_best = _median(peer, lambda r: r.objective)
        best_met = None if peer_best is None or by_then is None else by_then <= peer_best
        proof, proof_met = "", None
        if sessions <= 150:
            proven = _median(ours, lambda r: r.seconds if r.status == "optimal" else math.inf)
            proof, proof_met = f"proven at {_num(proven, 1)} s", proven is not None and proven <= 10
        elif sessions <= 400:
            gap = _median(ours, lambda r: 100 * r.gap if r.gap is not None else math.inf)
            proof, proof_met = f"gap {_num(gap, 2)} %", gap is not None and gap < 0.1
        peak = _median(ours, lambda r: r.peak_mb)
        memory_met = None if sessions < 1000 or peak is None else peak < 2048
        ratio = f" ({peer_first / first:.1f}× sooner)" if first and peer_first and math.isfinite(first) else ""
        rows.append(
            [
                instance,
                f"{_num(first)} s against {_num(peer_first)} s{ratio} (bar {within:g} s)",
                _yes(first_met),
                f"{_num(by_then, 0)} against {_num(peer_best, 0)}",
                _yes(best_met),
                proof,
                _yes(proof_met),
                _num(peak, 0),
                _yes(memory_met),
            ]
        )
    header = [
        "instance",
        "first programme: ours against Timefold's",
        "met",
        f"our best at {at:g} s against Timefold's best",
        "met",
        "proof",
        "met",
        "our peak MB",
        "under 2 GB",
    ]
    return f"### The hard family's bars (medians of each instance's runs)\n\n{markdown_table(header, rows)}\n"
