"""The organiser's loop through the workbook: agenda.xlsx edited as a person would (a session moved, a row deleted, a
room typed by name), then read back as a schedule by every command that takes one, the hand move kept by a re-plan,
and checked alone with the same findings as with the conference folder."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.errors import InputProblems
from planner.formats.schedule_file import DELETED, read_schedule_file
from tests.paths import REPO

EXAMPLE = REPO / "examples" / "soc2025"
runner = CliRunner()


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("v1")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        result = runner.invoke(app, ["draft", str(EXAMPLE), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return out


def _rows(sheet) -> tuple[dict[str, int], dict[str, int]]:
    columns = {cell.value: number for number, cell in enumerate(sheet[1], start=1)}
    rows = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    return columns, rows


def _place(drafted: Path) -> dict[str, dict]:
    document = json.loads((drafted / "schedule.json").read_text(encoding="utf-8"))
    return {a["session"]["id"]: a for a in document["schedule"]["assignments"]}


def edited(drafted: Path, target: Path, room: str = "Seminar Room 3") -> Path:
    """As a person would in Excel: 'dd-health' moved to Day 1's first parallel block (11:15-12:45) in `room`, the row
    of 'rt-humanitarian' deleted, and 'dd-climate' given another room by typing its name."""
    book = openpyxl.load_workbook(drafted / "agenda.xlsx")
    sheet = book["Sessions"]
    columns, rows = _rows(sheet)
    moved = rows["dd-health"]
    sheet.cell(moved, columns["day"]).value = datetime(2025, 9, 11)
    sheet.cell(moved, columns["start"]).value = time(11, 15)
    sheet.cell(moved, columns["end"]).value = "12:45"  # typed as text
    sheet.cell(moved, columns["room"]).value = room
    sheet.cell(rows["dd-climate"], columns["room"]).value = "seminar room 3"  # any case
    sheet.delete_rows(rows["rt-humanitarian"])
    book.save(target)
    return target


def test_the_edited_workbook_reads_back_as_the_schedule_the_person_made(drafted: Path, tmp_path: Path):
    read = read_schedule_file(edited(drafted, tmp_path / "edited.xlsx"))
    placed = {a.session.id: a for a in read.schedule.assignments}
    health = placed["dd-health"]
    assert (health.room, health.day, health.blocks) == ("sem3", "d1", ("d1-am",))
    assert health.start.astimezone(read.schedule.conference.zone).time() == time(11, 15)
    assert health.by_hand and health.sequence == 1
    assert placed["dd-climate"].room == "sem3" and placed["dd-climate"].by_hand
    assert {a.session.id for a in read.by_hand} == {"dd-health", "dd-climate"}
    untouched = [a for a in read.schedule.assignments if a.session.id not in ("dd-health", "dd-climate")]
    assert untouched and not any(a.by_hand or a.sequence for a in untouched)
    (deleted,) = [u for u in read.schedule.unscheduled if u.session.id == "rt-humanitarian"]
    assert deleted.reason == DELETED and deleted.was is not None and deleted.was.sequence == 1


def test_a_room_typed_wrong_is_a_problem_with_a_suggestion(drafted: Path, tmp_path: Path):
    with pytest.raises(InputProblems) as caught:
        read_schedule_file(edited(drafted, tmp_path / "edited.xlsx", room="Seminar Rm 1"))
    (problem,) = caught.value.problems
    assert (str(problem.where), problem.field) == (str(problem.where), "room")
    assert "unknown room 'Seminar Rm 1'; did you mean 'Seminar Room 1'?" in problem.message
    assert str(problem.where).startswith("sheet Sessions, row ")


def test_export_ics_and_a_replan_all_take_the_edited_workbook(drafted: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    workbook = edited(drafted, tmp_path / "edited.xlsx")
    exported = runner.invoke(app, ["export", str(workbook), "--out", str(tmp_path / "v2")])
    assert exported.exit_code == 0, exported.output
    assert _place(tmp_path / "v2")["dd-health"]["room"] == "sem3"
    calendar = tmp_path / "mine.ics"
    picked = runner.invoke(app, ["ics", str(workbook), "--sessions", "dd-health", "--out", str(calendar)])
    assert picked.exit_code == 0, picked.output
    assert "DTSTART;TZID=Europe/London:20250911T111500" in calendar.read_text(encoding="utf-8")
    replanned = runner.invoke(
        app, ["draft", str(EXAMPLE), "--previous", str(workbook), "--out", str(tmp_path / "v3"), "--workers", "1"]
    )
    assert replanned.exit_code == 0, replanned.output
    assert "Kept where a person placed them by hand: dd-health (Seminar Room 3, Thu 11 Sep 11:15-12:45)" in (
        " ".join(replanned.output.split())
    )
    again = _place(tmp_path / "v3")
    assert (again["dd-health"]["room"], again["dd-health"]["blocks"], again["dd-health"]["by_hand"]) == (
        "sem3",
        ["d1-am"],
        True,
    )
    assert again["dd-climate"]["room"] == "sem3" and again["dd-climate"]["by_hand"]
    assert not any(
        a["session"]["id"] != "dd-health" and a["room"] == "sem3" and a["blocks"] == ["d1-am"] for a in again.values()
    )


def test_the_workbook_checked_alone_finds_what_the_conference_folder_finds(drafted: Path, tmp_path: Path):
    """Its hidden Draft sheet carries the grid, rooms and capacities, kinds per block, people and proposals."""
    workbook = edited(drafted, tmp_path / "edited.xlsx")
    alone = runner.invoke(app, ["check", str(workbook), "--format", "json"])
    folder = runner.invoke(app, ["check", str(workbook), "--format", "json", "--conference", str(EXAMPLE)])
    assert alone.exit_code == folder.exit_code == 1  # the deleted row: session_missing
    found = json.loads(alone.output)["findings"]
    assert found == json.loads(folder.output)["findings"]
    codes = {finding["code"] for finding in found}
    assert {"session_missing", "room_too_small", "room_lacks_feature"} <= codes


def test_moving_a_deep_dive_beside_the_keynote_is_found_without_the_conference(drafted: Path, tmp_path: Path):
    """The findings the workbook alone could not tell before it carried its draft: beside_plenary, kind_not_allowed."""
    book = openpyxl.load_workbook(drafted / "agenda.xlsx")
    sheet = book["Sessions"]
    columns, rows = _rows(sheet)
    keynote, dive = rows["kn-opening"], rows["dd-health"]
    for column in ("day", "start", "end"):
        sheet.cell(dive, columns[column]).value = sheet.cell(keynote, columns[column]).value
    sheet.cell(dive, columns["room"]).value = "Seminar Room 1"
    book.save(tmp_path / "beside.xlsx")
    result = runner.invoke(app, ["check", str(tmp_path / "beside.xlsx"), "--format", "json"])
    codes = {finding["code"] for finding in json.loads(result.output)["findings"]}
    assert {"beside_plenary", "kind_not_allowed"} <= codes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("conference.yaml", "is a '.yaml' file; expected a planner schedule.json, an agenda.xlsx"),
        ("sessions.csv", "is a '.csv' file; expected a planner schedule.json"),
    ],
)
def test_a_file_of_another_kind_says_what_it_is(name: str, expected: str):
    result = runner.invoke(app, ["export", str(EXAMPLE / name), "--out", "unused"])
    assert result.exit_code == 2 and expected in " ".join(result.output.split()), result.output


def test_a_frab_file_needs_the_conference_folder(drafted: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    frab = drafted / "schedule.frab.json"
    alone = runner.invoke(app, ["export", str(frab), "--out", str(tmp_path / "out")])
    assert alone.exit_code == 2 and "give --conference CONF_DIR" in " ".join(alone.output.split())
    given = runner.invoke(app, ["export", str(frab), "--conference", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert given.exit_code == 0, given.output
    assert {k: (v["room"], v["start"]) for k, v in _place(tmp_path / "out").items()} == {
        k: (v["room"], v["start"]) for k, v in _place(drafted).items()
    }


def test_export_keeps_the_solvers_record(drafted: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = runner.invoke(app, ["export", str(drafted / "schedule.json"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    before = json.loads((drafted / "schedule.json").read_text(encoding="utf-8"))
    after = json.loads((tmp_path / "schedule.json").read_text(encoding="utf-8"))
    assert after["solver"] == before["solver"] and after["solver"]["status"] == "optimal"
