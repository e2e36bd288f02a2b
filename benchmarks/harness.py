"""Run one contestant on one instance as a whole process, time its progress lines as they arrive, take its peak
memory from the kernel, and judge its answer with our independent checker before it counts."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from planner.check.schedule import check_schedule
from planner.domain import BlockType, ConferenceInput, Schedule
from planner.errors import InputProblems
from planner.formats.schedule_json import read_schedule

REPO = Path(__file__).resolve().parents[1]
"""The repository root, which holds the benchmarks package."""

GRACE_SECONDS = 60.0
"""How long past its time limit a contestant may take to build its model and write its answer before it is killed."""


@dataclass(frozen=True)
class Point:
    seconds: float
    objective: float


@dataclass
class Run:
    contestant: str
    size: str
    status: str
    """optimal, feasible, none (no answer), rejected (the checker found errors), killed or failed."""
    seconds: float
    peak_mb: float
    points: list[Point] = field(default_factory=list)
    objective: int | None = None
    bound: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def first_feasible(self) -> float | None:
        return self.points[0].seconds if self.points else None

    @property
    def time_to_best(self) -> float | None:
        """When the final objective was first reached."""
        reached = [p.seconds for p in self.points if self.objective is not None and p.objective <= self.objective]
        return reached[0] if reached else None

    def time_to_reach(self, objective: float) -> float | None:
        reached = [p.seconds for p in self.points if p.objective <= objective]
        return reached[0] if reached else None

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return 0.0 if self.objective == self.bound else (self.objective - self.bound) / max(self.objective, 1)


def theme_clashes(schedule: Schedule) -> int:
    """The benchmark's objective recomputed from the answer alone: sessions sharing a theme in one parallel block,
    counted in pairs per theme."""
    parallel = {b.id for b in schedule.conference.blocks if b.type is BlockType.PARALLEL}
    counts: Counter[tuple[str, str]] = Counter()
    for assignment in schedule.assignments:
        for block in assignment.blocks:
            if block in parallel:
                counts.update((block, theme) for theme in assignment.session.themes)
    return sum(n * (n - 1) // 2 for n in counts.values())


def judge(answer: Path, inputs: ConferenceInput) -> tuple[int | None, list[str]]:
    """The answer's theme clashes and every checker error (an answer that leaves out a session is an error)."""
    try:
        schedule = read_schedule(answer)
    except InputProblems as problems:
        return None, [str(p) for p in problems.problems]
    errors = [
        f"{f.code}: {f.subject} {f.detail}" for f in check_schedule(schedule, inputs.sessions) if f.severity == "error"
    ]
    errors += [f"unscheduled: {u.session.id}" for u in schedule.unscheduled]
    return theme_clashes(schedule), errors


def run(
    contestant: str, size: str, command: list[str], time_limit: float, inputs: ConferenceInput, answer: Path
) -> Run:
    """Start `command`, read its JSON progress lines, and judge `answer` when it ends."""
    answer.unlink(missing_ok=True)
    started = time.monotonic()
    # The contestants run as `python -m benchmarks....`: the repository root must be importable wherever we run from.
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    points: list[Point] = []
    final: dict = {}
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(process.stderr), daemon=True)
    reader.start()
    killer = threading.Timer(time_limit + GRACE_SECONDS, process.kill)
    killer.start()
    for line in process.stdout:
        now = time.monotonic() - started
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("final"):
            final = message
        elif message.get("feasible") and (not points or message["objective"] < points[-1].objective):
            points.append(Point(now, float(message["objective"])))
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    killer.cancel()
    reader.join(timeout=5)
    process.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024
    if process.returncode < 0:
        return Run(contestant, size, "killed", seconds, peak, points, errors=["killed after the grace period"])
    if process.returncode != 0 or not answer.exists():
        reason = "".join(stderr).strip().splitlines()[-1:] or [f"exit {process.returncode}"]
        return Run(contestant, size, "none", seconds, peak, points, errors=reason)
    objective, errors = judge(answer, inputs)
    claimed = final.get("objective")
    if objective is not None and claimed is not None and round(claimed) != objective:
        errors.append(f"claimed objective {claimed} but the answer has {objective} theme clashes")
    bound = final.get("bound")
    status = "rejected" if errors else final.get("status", "feasible")
    if objective is not None and (not points or points[-1].objective > objective):
        points.append(Point(seconds, float(objective)))  # a peer that reports only at the end
    return Run(
        contestant, size, status, seconds, peak, points, objective, None if bound is None else round(bound), errors
    )
