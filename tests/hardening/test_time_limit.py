"""`planner draft --time-limit` on a conference too large to prove optimal in time: the command ends soon after the
limit with the best programme found, says it is only feasible, and writes it (the Ctrl-C test, in
tests/solve/test_draft_command.py, ends a search the other way)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

PLANNER = Path(sys.executable).with_name("planner")
LIMIT = 3
SLACK = 15
"""Seconds for everything but the search (starting Python, reading, building the model, writing the outputs), with
room for a busy machine."""


def large_conference(folder: Path) -> Path:
    """Eighty talks sharing forty speakers and six themes, in twelve hour-long blocks of eight rooms: a first
    programme is easy, proving the best one is not."""
    rng = random.Random(11)
    folder.mkdir()
    blocks = [{"id": f"b{n}", "start": f"{8 + n}:00", "end": f"{9 + n}:00", "type": "parallel"} for n in range(12)]
    conference = {
        "name": "Large",
        "edition": "LARGE30",
        "timezone": "UTC",
        "venue": "V",
        "rooms": [{"id": f"r{n}", "name": f"Room {n}", "capacity": 50} for n in range(8)],
        "kinds": [{"id": "talk", "label": "Talk"}],
        "days": [{"id": "d1", "date": "2030-06-03", "blocks": blocks}],
    }
    (folder / "conference.yaml").write_text(json.dumps(conference), encoding="utf-8")  # JSON is YAML
    themes = ["health", "education", "climate", "procurement", "inclusion", "data_measurement"]
    rows = ["id,title,kind,duration,themes,speakers"]
    for n in range(80):
        people = ";".join(sorted({f"Person {rng.randrange(40)}" for _ in range(rng.randint(1, 3))}))
        rows.append(f"t{n},Talk {n},talk,60,{';'.join(rng.sample(themes, 2))},{people}")
    (folder / "sessions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_the_time_limit_ends_the_search_with_the_best_programme_so_far(tmp_path: Path):
    out = tmp_path / "out"
    command = [
        str(PLANNER),
        "draft",
        str(large_conference(tmp_path / "large")),
        "--out",
        str(out),
        "--time-limit",
        str(LIMIT),
    ]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=LIMIT + 120, check=False)
    took = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert took < LIMIT + SLACK, f"{took:.1f} s for a {LIMIT} s limit"
    document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    solver = document["solver"]
    assert solver["status"] == "feasible" and solver["objective"] > solver["bound"], solver
    assert result.stdout.startswith("Feasible:") or "\nFeasible:" in result.stdout, result.stdout
    assert len(document["schedule"]["assignments"]) == 80 and document["schedule"]["unscheduled"] == []
