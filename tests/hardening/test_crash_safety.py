"""A `planner export` killed with SIGKILL while it rewrites a folder of outputs leaves every file either as it was
(byte for byte) or as a full run writes it, never half written; what it leaves behind is only hidden, clearly named
temporary files, which the next run removes.

The kills are of two sorts: injected ones, where the real command kills itself at an exact point (half way through
writing a file, with a file complete but not yet renamed, just after a rename), so each state is always reached; and
timed ones from outside, a moment after the new files start to appear, as a user or a supervisor would.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.domain import Assignment, Conference, Person, Schedule, Session
from planner.export.atomic import remove_leftovers, write_atomic
from planner.export.outputs import write_outputs
from planner.formats.schedule_json import schedule_document

PLANNER = Path(sys.executable).with_name("planner")
EPOCHS = {1: 1_000_000_000, 2: 2_000_000_000}
"""SOURCE_DATE_EPOCH of each version: its calendars' DTSTAMP."""
ROOMS, BLOCKS = 4, 6
LEFTOVER = re.compile(r"\..+\.[0-9]+\.[a-z0-9_]+\.tmp")
"""A temporary file of `write_atomic`: hidden, named after its target and its writer's process id."""

KILLER = """
import os, signal, stat, sys

mode, wanted = sys.argv[1], int(sys.argv[2])
writes = 0
real_fsync, real_replace = os.fsync, os.replace


def fsync(descriptor):
    global writes
    if mode == "half" and stat.S_ISREG(os.fstat(descriptor).st_mode):
        writes += 1
        if writes == wanted:  # the file's second half never reached the disk
            os.ftruncate(descriptor, os.fstat(descriptor).st_size // 2)
            os.kill(os.getpid(), signal.SIGKILL)
    return real_fsync(descriptor)


def replace(source, target):
    global writes
    writes += 1
    if mode == "before-rename" and writes == wanted:
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(source, target)
    if mode == "after-rename" and writes == wanted:
        os.kill(os.getpid(), signal.SIGKILL)


os.fsync, os.replace = fsync, replace
from planner.cli import app

sys.argv = ["planner", *sys.argv[3:]]
app()
"""
"""Runs the real `planner` command, which kills itself with SIGKILL at the `wanted`th file it writes."""


def schedule(version: int) -> Schedule:
    """Twenty-four talks, each with its own speaker, in six blocks of four rooms: thirty-four files. Version 2
    retitles every talk and drops the first, so every file changes and one person's calendar is no longer written."""
    zone, day = ZoneInfo("Europe/London"), date(2030, 6, 3)
    starts = [datetime.combine(day, clock(8), zone) + timedelta(minutes=30 * n) for n in range(BLOCKS)]
    rooms = [f"r{n}" for n in range(ROOMS)]
    conference = Conference.model_validate(
        {
            "name": "Crash Conference",
            "edition": "CRASH30",
            "timezone": "Europe/London",
            "venue": "V",
            "rooms": [{"id": room, "name": f"Room {room}", "capacity": 40} for room in rooms],
            "kinds": [{"id": "talk", "label": "Talk"}],
            "days": [
                {
                    "id": "d1",
                    "date": day,
                    "name": "Day 1",
                    "blocks": [
                        {
                            "id": f"b{n}",
                            "type": "parallel",
                            "start": start,
                            "end": start + timedelta(minutes=30),
                            "rooms": rooms,
                            "kinds": ["talk"],
                        }
                        for n, start in enumerate(starts)
                    ],
                }
            ],
        }
    )
    talks = range(version - 1, BLOCKS * ROOMS)
    people = tuple(Person(id=f"p{n}", name=f"Person {n}") for n in talks)
    placed = tuple(
        Assignment(
            session=Session(
                id=f"t{n}", title=f"Talk {n}, version {version}", kind="talk", duration=30, speakers=(f"p{n}",)
            ),
            room=rooms[n % ROOMS],
            start=starts[n // ROOMS],
            end=starts[n // ROOMS] + timedelta(minutes=30),
            day="d1",
            blocks=(f"b{n // ROOMS}",),
        )
        for n in talks
    )
    return Schedule(conference=conference, people=people, assignments=placed)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Each version's schedule.json, and the folder a full run writes for it."""
    root = tmp_path_factory.mktemp("crash")
    found: dict[str, object] = {"root": root}
    for version, epoch in EPOCHS.items():
        document = write_atomic(root / f"v{version}.json", schedule_document(schedule(version)))
        folder = root / f"full-v{version}"
        write_outputs(schedule(version), folder, stamp=datetime.fromtimestamp(epoch, UTC))
        found[f"json{version}"], found[f"files{version}"], found[f"folder{version}"] = document, files(folder), folder
    return found


def previous_outputs(versions: dict, name: str) -> Path:
    """A fresh copy of version 1's complete outputs: the folder the run about to be killed rewrites."""
    return Path(shutil.copytree(versions["folder1"], versions["root"] / name))


def export(versions: dict, out: Path, *prefix: str) -> subprocess.Popen[str]:
    """`planner export` of version 2 into `out`; `prefix` runs it under the killer instead of as the script."""
    command = (
        [*prefix, "export", str(versions["json2"]), "--out", str(out)]
        if prefix
        else [str(PLANNER), "export", str(versions["json2"]), "--out", str(out)]
    )
    environment = os.environ | {"SOURCE_DATE_EPOCH": str(EPOCHS[2])}
    return subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def assert_each_file_old_or_new(versions: dict, out: Path) -> tuple[list[str], list[str]]:
    """Every output is version 1's or version 2's bytes exactly, and anything else is a clearly named temporary
    file; returns (the outputs now at version 2, the leftovers)."""
    old, new = versions["files1"], versions["files2"]
    now = files(out)
    leftovers = sorted(name for name in now if LEFTOVER.fullmatch(name.rsplit("/", 1)[-1]))
    assert set(now) - set(leftovers) <= set(old) | set(new), "a file that is neither an output nor a leftover"
    for name, data in now.items():
        if name not in leftovers:
            assert data in (old.get(name), new.get(name)), f"{name} is half written or wrong"
    assert set(old) - set(new) <= set(now), "an output of the previous run went missing"
    return sorted(n for n, d in now.items() if n in new and d == new[n] and d != old.get(n)), leftovers


@pytest.mark.parametrize(
    ("mode", "wanted"),
    [("half", 1), ("before-rename", 3), ("after-rename", 20)],
    ids=["schedule.json half written", "agenda.xlsx written, not renamed", "20th file renamed"],
)
def test_killed_at_an_exact_point_each_file_is_old_or_new_and_the_next_run_cleans_up(versions, mode, wanted):
    out = previous_outputs(versions, f"killed-{mode}")
    process = export(versions, out, sys.executable, "-c", KILLER, mode, str(wanted))
    assert process.wait(timeout=120) == -signal.SIGKILL, process.stderr.read()
    replaced, leftovers = assert_each_file_old_or_new(versions, out)
    assert len(replaced) == (wanted if mode == "after-rename" else wanted - 1)
    assert len(leftovers) == (0 if mode == "after-rename" else 1)
    if mode == "half":
        assert leftovers[0].startswith(".schedule.json.")
        assert files(out)["schedule.json"] == versions["files1"]["schedule.json"]
        again = export(versions, out)
        assert again.wait(timeout=120) == 0, again.stderr.read()
        assert files(out) == versions["files2"], "a full run writes every file, removing the leftover and the calendar"
        assert "calendars/people/person-0.ics" in versions["files1"], "of someone no longer in the programme"


def test_killed_from_outside_while_writing_each_file_is_old_or_new(versions: dict):
    """SIGKILL a moment after the first new file appears (the run writes thirty-four, each flushed to disk before its
    rename, so the kill lands part way through, though where is up to the machine)."""
    out = previous_outputs(versions, "timed")
    first = out / "schedule.json"
    before = first.stat().st_ino
    process = export(versions, out)
    try:
        deadline = time.monotonic() + 60
        while first.stat().st_ino == before and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        process.send_signal(signal.SIGKILL)
    finally:
        returncode = process.wait(timeout=60)
    assert returncode in (0, -signal.SIGKILL), process.stderr.read()
    if returncode == 0:  # the run finished before the kill landed: then it is a whole run, stale calendar removed
        assert files(out) == versions["files2"]
        return
    replaced, _ = assert_each_file_old_or_new(versions, out)
    assert "schedule.json" in replaced


def test_leftovers_of_a_writer_still_running_are_kept(tmp_path: Path):
    """The next run removes what dead writers left, never the file a live writer is about to rename."""
    dead = 4_194_305  # above every kernel's largest process id: no process has it
    mine = tmp_path / f".agenda.html.{os.getpid()}.k3j_x9a1.tmp"
    theirs = tmp_path / f".agenda.html.{os.getppid()}.abcdefgh.tmp"
    gone = tmp_path / f".agenda.html.{dead}.abcdefgh.tmp"
    unrelated = [tmp_path / "agenda.html", tmp_path / ".agenda.html.swp", tmp_path / "notes.123.tmp"]
    for path in [mine, theirs, gone, *unrelated]:
        path.write_text("x", encoding="utf-8")
    assert remove_leftovers(tmp_path) == [gone]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in [mine, theirs, *unrelated])
    assert remove_leftovers(tmp_path / "missing") == []
