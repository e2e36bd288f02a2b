"""The audience bars: attendees' picks in the model (issue 15), measured in one run, medians and ratios.

    python -m benchmarks.audience [--repeat 3] [--time-limit 60] [--out out/bench/audience] [--update BENCHMARKS.md]

- **ISF22** (CoSPLib, its real attendee lists): imported with `planner import cosplib`, drafted with
  attendee_conflict as the main term and without it (its weight 0); each programme's attendee conflicts and share
  of attendees served fully, counted by the checker and planner.audience (not by the solver), against the
  even-spread bound; proven optimal or the gap. The workbook is bundled in examples/isf22 (MIT licence).
- **Generated, 400 sessions, 5,000 attendees, 10 picks each**: the L instance of benchmarks.generate with an invented
  interest table (themes-led picks: see `generate_interest`); the model's size and build time, the first programme
  and the peak memory of the whole process.
- **SOC25 with its interest table**: the whole process (load, draft, every output) and whether it is proven optimal.

Every draft runs as its own process (`--child`), timed from its start, its peak memory taken from the kernel. Prints
a table and writes the section for BENCHMARKS.md (`--update FILE` replaces the section between its markers there).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from benchmarks.generate import SIZES, generate
from benchmarks.report import replace_section
from planner.export.atomic import write_atomic

REPO = Path(__file__).resolve().parents[1]
ISF22 = REPO / "examples" / "isf22" / "ISF22.xlsx"
SOC25 = REPO / "examples" / "soc2025"
MAIN_WEIGHT = 5
"""attendee_conflict's weight in the drafts that have it (the default the report proposes)."""
START, END = "<!-- audience:start -->", "<!-- audience:end -->"
BARS = {"build": 5.0, "first": 10.0, "memory_mb": 2048.0, "soc_whole": 3.0}


# Generated interest -----------------------------------------------------------------------------------------------


def generate_interest(folder: Path, attendees: int = 5000, picks: int = 10, seed: int = 1) -> Path:
    """interest.csv for a generated conference: invented attendees a00001.. with `picks` picks each. Each attendee
    follows one to three themes (the popular ones more often) and takes four picks in five from their talks, the
    rest from anywhere, the better-known talks more often (Zipf-like); one pick in five is weighted 2 or 3."""
    from planner.io.folder import load_folder

    rng = random.Random(f"interest:{seed}")
    talks = [s for s in load_folder(folder).sessions if s.kind == "talk"]
    popularity = {s.id: 1 / (rank + 1) ** 0.8 for rank, s in enumerate(rng.sample(talks, len(talks)))}
    by_theme: dict[str, list[str]] = defaultdict(list)
    for talk in talks:
        for theme in talk.themes:
            by_theme[theme].append(talk.id)
    themes = sorted(by_theme, key=lambda t: -len(by_theme[t]))
    theme_weights = [len(by_theme[t]) for t in themes]
    everyone, everyone_weights = list(popularity), list(popularity.values())
    rows = []
    for number in range(1, attendees + 1):
        followed = set(rng.choices(themes, weights=theme_weights, k=rng.choice((1, 2, 2, 3))))
        near = sorted({s for t in followed for s in by_theme[t]})
        near_weights = [popularity[s] for s in near]
        chosen: dict[str, int] = {}
        while len(chosen) < min(picks, len(talks)):
            pool, weights = (near, near_weights) if rng.random() < 0.8 and near else (everyone, everyone_weights)
            chosen.setdefault(rng.choices(pool, weights=weights)[0], rng.choice((2, 3)) if rng.random() < 0.2 else 1)
        rows += [(f"a{number:05d}", s, "" if w == 1 else w) for s, w in sorted(chosen.items())]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["attendee", "session", "weight"])
    writer.writerows(rows)
    return write_atomic(folder / "interest.csv", out.getvalue())


# One draft, in its own process ------------------------------------------------------------------------------------


def _weighted(inputs, weight: int, **others: int):
    """The inputs with attendee_conflict weighing `weight` (and other weights as given); weight 0 also zeroes a paper
    conference's own attendee terms (CoSPLib's attendee_period_conflict and attendee_slot_conflict), so that the
    programme drafted without interest knows nothing of the attendees."""
    from pydantic import NonNegativeInt

    from planner.domain import Weights

    values = {**inputs.conference.weights.model_dump(), **others, "attendee_conflict": weight}
    if weight == 0:
        values |= {name: 0 for name in ("attendee_period_conflict", "attendee_slot_conflict") if name in values}
    if "attendee_conflict" in Weights.model_fields:
        weights = Weights(**values)
    else:  # until planner.domain's Weights has the field (issue 15's registration)

        class Weighted(Weights):
            attendee_conflict: NonNegativeInt = weight

        weights = Weighted(**values)
    return inputs.model_copy(update={"conference": inputs.conference.model_copy(update={"weights": weights})})


def _settings(time_limit: float):
    from planner.solve.audience import attendee_conflict
    from planner.solve.objectives import SOFT_TERMS
    from planner.solve.run import Settings

    return Settings(time_limit=time_limit, soft_terms={**SOFT_TERMS, "attendee_conflict": attendee_conflict})


def child(folder: Path, weight: int, time_limit: float, out: Path | None) -> None:
    """Draft `folder` with attendee_conflict at `weight`, print one JSON line of what happened; with `out`, write
    every output there as `planner draft` does."""
    started = time.monotonic()
    from planner.audience import losses
    from planner.io.folder import load_folder
    from planner.solve.run import NoProgramme, model_of, prepare, starting_places
    from planner.solve.search import Built, Ending, Recorder, search
    from planner.solve.warm_start import add_hint
    from planner.themes import with_suggested_themes

    inputs = _weighted(with_suggested_themes(load_folder(folder))[0], weight)
    settings = _settings(time_limit)
    loaded = time.monotonic() - started
    prepared = prepare(inputs, None, (), settings)
    before_model = time.monotonic()
    variables, terms = model_of(prepared, settings)  # as run.build does, step by step to time the model alone
    model_seconds = time.monotonic() - before_model
    start = starting_places(variables)
    built = Built(variables.model, variables, terms, add_hint(variables, start), start)
    warm_seconds = time.monotonic() - before_model - model_seconds
    first: list[float] = []

    def seen(point: object) -> None:
        if not first:
            first.append(time.monotonic() - started)

    recorder = Recorder(seen, started)
    found = search(built, settings, recorder)
    if isinstance(found, Ending):
        raise NoProgramme([str(found)])
    from planner.solve.run import answer as to_answer

    answer = to_answer(prepared, found, time.monotonic() - started, recorder.seen)
    if out is not None:
        from planner.export.outputs import write_outputs

        write_outputs(answer.schedule, out, answer.solver_facts())
    lost = losses(answer.schedule)
    proto = built.model.proto
    print(
        json.dumps(
            {
                "loaded": loaded,
                "model": model_seconds,
                "warm": warm_seconds,
                "variables": len(proto.variables),
                "constraints": len(proto.constraints),
                "first": first[0] if first else None,
                "status": answer.status,
                "objective": answer.objective,
                "bound": answer.bound,
                "terms": answer.terms,
                "served": lost.served_fully if lost else None,
                "attendees": lost.attendees if lost else None,
                "conflicts": lost.conflicts if lost else None,
                "seconds": time.monotonic() - started,
            }
        ),
        flush=True,
    )


def run_child(folder: Path, weight: int, time_limit: float, out: Path | None = None) -> dict:
    """One draft as a whole process: its JSON line, its wall time and its peak memory (MB)."""
    command = [sys.executable, "-m", "benchmarks.audience", "--child", str(folder), "--weight", str(weight)]
    command += ["--time-limit", f"{time_limit:g}"] + (["--child-out", str(out)] if out else [])
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    stdout, stderr = process.stdout.read() if process.stdout else "", process.stderr.read() if process.stderr else ""
    if status != 0 or not stdout.strip():
        raise RuntimeError(f"draft of {folder} failed: {stderr.strip()[-500:]}")
    facts = json.loads(stdout.strip().splitlines()[-1])
    return {**facts, "wall": wall, "peak_mb": usage.ru_maxrss / 1024}


# The three bars ---------------------------------------------------------------------------------------------------


def _median(runs: list[dict], key: str) -> float:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else float("nan")


def isf22(work: Path, repeat: int, time_limit: float) -> dict | None:
    """ISF22 with and without attendee_conflict, judged apart; None where the workbook is missing."""
    if not ISF22.is_file():
        return None
    from planner.audience import losses
    from planner.check.rules import contested
    from planner.check.schedule import schedule_agenda
    from planner.formats.schedule_json import read_schedule
    from planner.io.folder import load_folder
    from planner.solve.audience import even_spread_conflicts
    from planner.solve.run import prepare
    from planner.sources.cosplib import import_cosplib

    folder = work / "isf22"
    import_cosplib(ISF22, folder, lambda line: None)
    inputs = load_folder(folder)
    result: dict = {}
    for label, weight in (("with", MAIN_WEIGHT), ("without", 0)):
        runs = [run_child(folder, weight, time_limit, work / f"isf22-{label}") for _ in range(repeat)]
        schedule = read_schedule(work / f"isf22-{label}" / "schedule.json")
        schedule = schedule.model_copy(update={"conference": inputs.conference})  # judged by the real picks
        judged = sum(i.weight for _, _, i in contested(*schedule_agenda(schedule, inputs.sessions)))
        lost = losses(schedule)
        assert lost is not None
        result[label] = {
            "runs": runs,
            "conflicts": judged,
            "served": lost.served_fully,
            "attendees": lost.attendees,
            "status": Counter(r["status"] for r in runs),
            "seconds": _median(runs, "wall"),
            "objective": runs[-1]["objective"],
            "bound": runs[-1]["bound"],
        }
    prepared = prepare(inputs, None, (), _settings(time_limit))
    starts = {s: {p.blocks[0] for p in places} for s, places in prepared.options.places.items()}
    audience = inputs.conference.audience
    result["bound"] = even_spread_conflicts(inputs.conference, audience.picks if audience else {}, starts)
    return result


def generated(work: Path, repeat: int, time_limit: float, attendees: int, picks: int) -> dict:
    folder = generate(SIZES["L"], 1, work / "L-5000")
    generate_interest(folder, attendees, picks)
    runs = [run_child(folder, MAIN_WEIGHT, time_limit) for _ in range(repeat)]
    return {"runs": runs, "sessions": SIZES["L"].sessions, "attendees": attendees, "picks": picks}


def _registered() -> bool:
    """Whether attendee_conflict is one of the model's terms by default (objectives.SOFT_TERMS, Weights)."""
    from planner.domain import Weights
    from planner.solve.objectives import SOFT_TERMS

    return "attendee_conflict" in SOFT_TERMS and "attendee_conflict" in Weights.model_fields


def _command_seconds(command: list[str]) -> tuple[float, float]:
    """A command's wall time and peak memory (MB), run as a whole process."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed (status {status})")
    return time.monotonic() - started, usage.ru_maxrss / 1024


def soc25(work: Path, repeat: int, time_limit: float) -> dict:
    """SOC25 with its interest table: `planner draft` itself, timed, once attendee_conflict is registered (until then
    the same work in a child process), and the programme without the term for the share it serves."""
    runs = [run_child(SOC25, MAIN_WEIGHT, time_limit, work / "soc25") for _ in range(repeat)]
    command = None
    if _registered():
        command = [
            str(Path(sys.executable).with_name("planner")),
            "draft",
            str(SOC25),
            "--out",
            str(work / "soc25-cli"),
        ]
        for found, (wall, peak) in zip(runs, [_command_seconds(command) for _ in range(repeat)], strict=True):
            found["wall"], found["peak_mb"] = wall, peak
    without = run_child(SOC25, 0, time_limit)
    shown = f"planner draft {SOC25.relative_to(REPO)}" if command else "the same work in a child process"
    return {"runs": runs, "without": without, "command": shown}


# Report -----------------------------------------------------------------------------------------------------------


def _share(served: int, attendees: int) -> str:
    return f"{served} of {attendees} ({served / attendees:.1%})" if attendees else "–"


def section(found: dict, repeat: int, time_limit: float) -> str:
    lines = [
        START,
        "## The audience (issue 15): attendees' picks in the model",
        "",
        f"Measured {date.today().isoformat()} on {os.cpu_count()} cores (load average {found['load']:.1f} as it "
        f"began), Python {platform.python_version()}; "
        f"{repeat} runs each, medians; time limit {time_limit:g} s; every draft a whole process (import, load, "
        "model, search; ISF22 and SOC25 also every output), attendee_conflict weighing "
        f"{MAIN_WEIGHT}. "
        "`python -m benchmarks.audience` writes this section.",
        "",
    ]
    if (isf := found.get("isf22")) is None:
        lines += [f"**ISF22**: skipped, {ISF22} is missing.", ""]
    else:
        w, wo = isf["with"], isf["without"]
        if w["conflicts"]:
            times = wo["conflicts"] / w["conflicts"]
            ratio = f"Without the attendee terms the programme has {times:.1f}× the conflicts."
        elif wo["conflicts"]:
            ratio = f"The attendee terms remove every attendee conflict (without them: {wo['conflicts']})."
        else:
            ratio = "Neither programme has an attendee conflict: the tracks alone keep ISF22's picks apart."
        lines += [
            "**ISF22** (CoSPLib; 311 talks, 36 slots in 10 rooms, 400 real attendees on 232 talks), attendee conflicts "
            "and attendees served fully as the checker and planner.audience count them:",
            "",
            "| programme | attendee conflicts | served fully | status | objective / bound | whole run (s) |",
            "|---|---|---|---|---|---|",
            f"| with attendee_conflict | {w['conflicts']} | {_share(w['served'], w['attendees'])} | "
            f"{dict(w['status'])} | {w['objective']} / {w['bound']} | {w['seconds']:.1f} |",
            f"| without any attendee term | {wo['conflicts']} | {_share(wo['served'], wo['attendees'])} | "
            f"{dict(wo['status'])} | {wo['objective']} / {wo['bound']} | {wo['seconds']:.1f} |",
            f"| even-spread bound | {isf['bound']} | | | | |",
            "",
            ratio,
            "",
        ]
    gen = found["generated"]
    runs = gen["runs"]
    lines += [
        f"**Generated**: {gen['sessions']} sessions (the L instance), {gen['attendees']:,} attendees, "
        f"{gen['picks']} picks each:",
        "",
        "| measure | median | bar |",
        "|---|---|---|",
        f"| model built (s) | {_median(runs, 'model'):.2f} | < {BARS['build']:g} |",
        f"| warm start: greedy programme and hint (s) | {_median(runs, 'warm'):.2f} | |",
        f"| first programme (s, from process start) | {_median(runs, 'first'):.2f} | < {BARS['first']:g} |",
        f"| peak memory (MB) | {_median(runs, 'peak_mb'):.0f} | < {BARS['memory_mb']:.0f} |",
        f"| model: variables / constraints | {_median(runs, 'variables'):,.0f} / "
        f"{_median(runs, 'constraints'):,.0f} | |",
        f"| status at the limit / objective / bound | {runs[-1]['status']} / {runs[-1]['objective']} / "
        f"{runs[-1]['bound']} | |",
        "",
    ]
    soc = found["soc25"]
    runs = soc["runs"]
    without = soc["without"]
    lines += [
        f"**SOC25 with its interest table** (150 invented attendees; timed: {soc['command']}):",
        "",
        "| measure | median | bar |",
        "|---|---|---|",
        f"| whole process (s) | {_median(runs, 'wall'):.2f} ({dict(Counter(r['status'] for r in runs))}) | "
        f"< {BARS['soc_whole']:g}, proven optimal |",
        f"| served fully with the term / without | {_share(runs[-1]['served'], runs[-1]['attendees'])} / "
        f"{_share(without['served'], without['attendees'])} | |",
        "",
        END,
    ]
    return "\n".join(lines) + "\n"


def table(found: dict) -> str:
    from tabulate import tabulate

    rows = []
    if isf := found.get("isf22"):
        for label in ("with", "without"):
            part = isf[label]
            rows.append(
                (
                    f"ISF22 {label}",
                    part["conflicts"],
                    _share(part["served"], part["attendees"]),
                    dict(part["status"]),
                    f"{part['seconds']:.1f}",
                    "",
                    "",
                )
            )
        rows.append(("ISF22 even-spread bound", isf["bound"], "", "", "", "", ""))
    gen = found["generated"]["runs"]
    rows.append(
        (
            "L, 5,000 attendees",
            "",
            "",
            gen[-1]["status"],
            f"{_median(gen, 'wall'):.1f}",
            f"model {_median(gen, 'model'):.2f} s, first {_median(gen, 'first'):.2f} s",
            f"{_median(gen, 'peak_mb'):.0f}",
        )
    )
    soc = found["soc25"]["runs"]
    rows.append(
        (
            "SOC25 with interest",
            soc[-1]["conflicts"],
            _share(soc[-1]["served"], soc[-1]["attendees"]),
            soc[-1]["status"],
            f"{_median(soc, 'wall'):.2f}",
            "",
            f"{_median(soc, 'peak_mb'):.0f}",
        )
    )
    headers = ("instance", "attendee conflicts", "served fully", "status", "whole run (s)", "model", "peak MB")
    return tabulate(rows, headers=headers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench" / "audience")
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--picks", type=int, default=10)
    parser.add_argument("--update", type=Path, help="Replace the audience section of this file (BENCHMARKS.md).")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--weight", type=int, default=MAIN_WEIGHT, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.weight, args.time_limit, args.child_out)
        return 0
    work = args.out
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]  # the machine is shared: say how busy it was
    found = {
        "load": load,
        "isf22": isf22(work, args.repeat, args.time_limit),
        "generated": generated(work, args.repeat, args.time_limit, args.attendees, args.picks),
        "soc25": soc25(work, args.repeat, args.time_limit),
    }
    print(table(found))
    text = section(found, args.repeat, args.time_limit)
    write_atomic(work / "audience.md", text)
    if args.update is not None:
        replace_section(args.update, text, START, END)
    print(f"Wrote {work / 'audience.md'}" + (f" and the audience section of {args.update}" if args.update else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
