"""`planner draft` end to end: the example solves to proven optimality, files are byte-identical run after run,
re-planning moves only what it must, and no programme means exit 3 with the reasons and no files."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.paths import DATA, REPO

runner = CliRunner()
EXAMPLE = REPO / "examples" / "soc2025"
EPOCH = "1700000000"


def flat(output: str) -> str:
    """The terminal wraps long reasons; compare text, not line breaks."""
    return " ".join(output.split())


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("draft")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the calendars' DTSTAMP: every file comparable run after run
        result = runner.invoke(app, ["draft", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "schedule.json"


def test_the_example_solves_to_proven_optimality_with_default_weights(drafted: Path):
    document = json.loads(drafted.read_text(encoding="utf-8"))
    solver = document["solver"]
    assert solver["status"] == "optimal" and solver["objective"] == solver["bound"]
    assert solver["objective"] == sum(term["cost"] for term in solver["terms"].values())
    proposed = sum(1 for _ in csv.DictReader((EXAMPLE / "sessions.csv").open(encoding="utf-8")))
    schedule = document["schedule"]
    assert len(schedule["assignments"]) + len(schedule["unscheduled"]) == proposed


def test_same_inputs_give_byte_identical_files(drafted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = runner.invoke(app, ["draft", str(EXAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    first, second = files(drafted.parent), files(tmp_path)
    assert sorted(first) == sorted(second) and len(first) > 60
    assert [name for name in sorted(first) if first[name] != second[name]] == []


def _speaker_away_from_a_deep_dive(placed: list[dict], tmp_path: Path) -> tuple[dict, Path]:
    """The deep dive with the smallest audience (so that a free seminar room costs no seats short and one move is
    the cheapest repair), and a copy of the example whose first speaker is now away at its time."""
    deep_dives = [
        a
        for a in placed
        if a["session"]["kind"] == "deep_dive" and a["session"]["speakers"] and not a["session"]["optional"]
    ]
    target = min(deep_dives, key=lambda a: (a["session"]["expected_audience"] or 0, a["session"]["id"]))
    window = f"{target['start'][:10]} {target['start'][11:16]}-{target['end'][11:16]}"
    return target, _example_with_unavailable(tmp_path, target["session"]["speakers"][0], window)


def _example_with_unavailable(tmp_path: Path, person_id: str, window: str) -> Path:
    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "soc2025"))
    (folder / "interest.csv").unlink()  # the one move is what is tested: no picks a second move could keep apart
    people = folder / "people.csv"
    with people.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["id"] == person_id:
            row["unavailable"] = window
    with people.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def test_replanning_moves_only_the_session_whose_speaker_became_unavailable(drafted: Path, tmp_path: Path):
    placed = json.loads(drafted.read_text(encoding="utf-8"))["schedule"]["assignments"]
    target, folder = _speaker_away_from_a_deep_dive(placed, tmp_path)
    result = runner.invoke(app, ["draft", str(folder), "--out", str(tmp_path / "again"), "--previous", str(drafted)])
    assert result.exit_code == 0, result.output

    def where(assignment: dict) -> tuple[str, str]:
        return assignment["start"], assignment["room"]

    after = {
        a["session"]["id"]: a
        for a in json.loads((tmp_path / "again" / "schedule.json").read_text())["schedule"]["assignments"]
    }
    moved = sorted(a["session"]["id"] for a in placed if (a["start"], a["room"]) != where(after[a["session"]["id"]]))
    assert target["session"]["id"] in moved
    assert moved == [target["session"]["id"]]
    changes = (tmp_path / "again" / "changes.md").read_text(encoding="utf-8")
    assert all(session_id in changes for session_id in moved)
    assert f"moved {target['session']['id']}:" in result.output


def test_freeze_keeps_sessions_where_they_were_even_at_a_cost(drafted: Path, tmp_path: Path):
    placed = json.loads(drafted.read_text(encoding="utf-8"))["schedule"]["assignments"]
    target, folder = _speaker_away_from_a_deep_dive(placed, tmp_path)
    args = ["draft", str(folder), "--out", str(tmp_path / "out"), "--previous", str(drafted)]
    result = runner.invoke(app, [*args, "--freeze", target["session"]["id"]])
    assert result.exit_code == 3, result.output
    assert (
        "fits nowhere: frozen where the previous schedule had it" in flat(result.output)
        and not (tmp_path / "out").exists()
    )


def test_freeze_needs_previous_and_known_sessions(tmp_path: Path, drafted: Path):
    result = runner.invoke(app, ["draft", str(EXAMPLE), "--out", str(tmp_path), "--freeze", "kn-opening"])
    assert result.exit_code == 2 and "--freeze needs --previous" in result.output
    result = runner.invoke(
        app, ["draft", str(EXAMPLE), "--out", str(tmp_path), "--previous", str(drafted), "--freeze", "no-such-session"]
    )
    assert result.exit_code == 2 and "no-such-session not placed in --previous" in result.output


def test_no_programme_exits_3_with_reasons_and_writes_nothing(tmp_path: Path):
    """Ana is away in the afternoon and Cem in the morning, so their shared deep dive has no block."""
    folder = Path(shutil.copytree(DATA / "mini", tmp_path / "mini"))
    people = folder / "people.csv"
    text = people.read_text(encoding="utf-8")
    people.write_text(
        text.replace("Harrowgate Outcomes Partnership,,2", "Harrowgate Outcomes Partnership,2030-03-28 10:00-11:30,2"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["draft", str(folder), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert "No programme exists." in result.output
    assert "'Data for decisions' fits nowhere" in flat(result.output)
    assert not out.exists()


def _hard_instance(folder: Path) -> Path:
    """Eighty talks with overlapping people and themes in twelve blocks of eight rooms: far from proven in seconds."""
    import random

    rng = random.Random(7)
    folder.mkdir()
    blocks = "\n".join(
        f'      - {{id: b{n}, start: "{8 + n}:00", end: "{9 + n}:00", type: parallel}}' for n in range(12)
    )
    (folder / "conference.yaml").write_text(
        "name: Big\nedition: BIG30\ntimezone: UTC\nvenue: V\nrooms:\n"
        + "".join(f"  - {{id: r{n}, name: Room {n}, capacity: 50}}\n" for n in range(8))
        + "kinds:\n  - {id: talk, label: Talk}\ndays:\n  - id: d1\n    date: 2030-06-03\n    blocks:\n"
        + blocks
        + "\n",
        encoding="utf-8",
    )
    themes = ["health", "education", "climate", "procurement", "inclusion", "data_measurement"]
    rows = ["id,title,kind,duration,themes,speakers"]
    for n in range(80):
        people = ";".join(f"Person {rng.randrange(40)}" for _ in range(rng.randint(1, 3)))
        rows.append(f"t{n},Talk {n},talk,60,{';'.join(rng.sample(themes, 2))},{people}")
    (folder / "sessions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_ctrl_c_keeps_the_best_answer_so_far(tmp_path: Path):
    """SIGINT during the search ends it as a time limit would: the best programme found is written."""
    import signal
    import subprocess
    import sys

    folder = _hard_instance(tmp_path / "big")
    out = tmp_path / "out"
    command = [
        str(Path(sys.executable).parent / "planner"),
        "draft",
        str(folder),
        "--out",
        str(out),
        "--time-limit",
        "120",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        seen = []
        for line in process.stdout:  # wait until the search has a first answer: progress says so
            seen.append(line)
            if "searching: best" in line:
                break
        process.send_signal(signal.SIGINT)
        output = "".join(seen) + process.communicate(timeout=60)[0]
    finally:
        process.kill()
    assert process.returncode == 0, output
    solver = json.loads((out / "schedule.json").read_text(encoding="utf-8"))["solver"]
    assert solver["status"] == "feasible" and solver["objective"] > solver["bound"], solver
