"""`planner check` as organisers' automation sees it: exit codes 0, 1, 2, every format, stable bytes, light imports."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.formats.schedule_json import schedule_document
from tests.check.checkcon import CHECKCON, DATA, programme, session, sessions_workbook

runner = CliRunner()
CLASH = {"t1": session("t1", speakers=("bo-li", "eve-stone"))}
"""Eve is in the workshop and in t1 at once."""


def schedule_file(tmp_path: Path, schedule, name: str = "schedule.json") -> Path:
    path = tmp_path / name
    path.write_text(schedule_document(schedule), encoding="utf-8")
    return path


def invoke(*args: object):
    return runner.invoke(app, ["check", *(str(a) for a in args)])


def test_exit_0_when_clean_and_when_only_warnings(tmp_path):
    result = invoke(schedule_file(tmp_path, programme()))
    assert result.exit_code == 0, result.output
    assert "no clashes" in result.output
    back_to_back = programme(sessions={"t1": session("t1", speakers=("ana-ruiz",))})
    result = invoke(schedule_file(tmp_path, back_to_back), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)["warnings"] == 1


def test_exit_1_when_errors_are_found_and_the_table_names_them(tmp_path):
    result = runner.invoke(
        app, ["check", str(schedule_file(tmp_path, programme(sessions=CLASH)))], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 1, result.output
    for text in (
        "1 error, 0 warnings",
        "person_overlap",
        "Eve Stone",
        "t1, Tue 04 Jun 10:00-11:00, Side Room",
        "Money workshop",
    ):
        assert text in result.output


def test_exit_2_on_an_input_problem_with_its_place_and_no_traceback(tmp_path):
    path = tmp_path / "agenda.xlsx"
    path.write_bytes(sessions_workbook(programme()))
    workbook = openpyxl.load_workbook(path)
    workbook["Sessions"].cell(3, 3).value = "half past nine"
    workbook.save(path)
    result = invoke(path, "--conference", CHECKCON)
    assert result.exit_code == 2
    assert "sheet Sessions, row 3, start: 'half past nine' is not a time" in result.output
    assert "Traceback" not in result.output
    assert invoke(tmp_path / "nowhere.json").exit_code == 2
    assert invoke(DATA / "checkcon-frab.xml", "--format", "md", "--out", tmp_path).exit_code == 2  # a folder
    assert invoke(path, "--conference", tmp_path / "no-such-folder").exit_code == 2


@pytest.mark.parametrize("options", [["--format", "xlsx"], ["--format", "html"]])
def test_exit_2_on_a_bad_format(tmp_path, options):
    result = invoke(schedule_file(tmp_path, programme()), *options)
    assert result.exit_code == 2 and "--format" in result.output


def test_json_and_markdown_on_stdout(tmp_path):
    path = schedule_file(tmp_path, programme(sessions=CLASH))
    document = json.loads(invoke(path, "--format", "json").output)
    assert (document["format"], document["errors"], document["warnings"], document["sessions"]) == (
        "planner.clashes",
        1,
        0,
        7,
    )
    [finding] = document["findings"]
    assert (finding["severity"], finding["code"], finding["subject"]) == ("error", "person_overlap", "Eve Stone")
    assert finding["sessions"][0] == {
        "id": "t1",
        "title": "Data in practice",
        "start": "2030-06-04T10:00:00+01:00",
        "end": "2030-06-04T11:00:00+01:00",
        "room": "Side Room",
        "where": "assignment 3",
    }
    assert finding["message"].startswith("Eve Stone: in two sessions at once: 'Data in practice' [t1] Tue 04 Jun")
    markdown = invoke(path, "--format", "md").output
    assert markdown.startswith(f"# Clashes: {path}\n\n7 sessions placed; 1 error, 0 warnings.\n\n| severity")
    assert "| error      | person_overlap | Eve Stone" in markdown


def test_every_format_to_a_file_is_byte_identical_run_after_run(tmp_path):
    agenda = schedule_file(tmp_path, programme({"opt": ("side", "d1", "10:00", "11:00")}, CLASH))
    for suffix, report_format in (("md", "md"), ("json", "json"), ("xlsx", "xlsx"), ("txt", "table")):
        outputs = []
        for run in ("a", "b"):
            target = tmp_path / run / f"clashes.{suffix}"
            result = invoke(agenda, "--conference", CHECKCON, "--format", report_format, "--out", target)
            assert result.exit_code == 1, result.output
            outputs.append(target.read_bytes())
        assert outputs[0] == outputs[1], report_format
    workbook = openpyxl.load_workbook(tmp_path / "a" / "clashes.xlsx")
    assert workbook.sheetnames == ["Clashes"]
    rows = list(workbook["Clashes"].iter_rows(values_only=True))
    assert rows[0] == ("severity", "finding", "who or what", "detail", "sessions", "when", "room", "where")
    assert [row[1] for row in rows[1:]] == ["person_overlap", "room_double_booked"]
    assert (
        "Person overlap" not in (tmp_path / "a" / "clashes.txt").read_text()
        and "Eve Stone" in (tmp_path / "a" / "clashes.txt").read_text()
    )


def test_frab_inputs_through_the_command():
    assert invoke(DATA / "checkcon-frab.xml").exit_code == 1
    result = invoke(DATA / "checkcon-frab.json", "--people", CHECKCON / "people.csv", "--format", "json")
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.output)["findings"]] == ["person_overlap"]


def test_the_command_as_a_process_never_imports_the_solver(tmp_path):
    """Independent of the solver, and quick to start: no OR-Tools, pandas or solver code on any input or format."""
    agenda = schedule_file(tmp_path, programme(sessions=CLASH))
    sheet = tmp_path / "agenda.xlsx"
    sheet.write_bytes(sessions_workbook(programme()))
    script = f"""
import sys
from typer.testing import CliRunner
from planner.cli import app
runs = [[{str(agenda)!r}], [{str(sheet)!r}, "--conference", {str(CHECKCON)!r}, "--format", "json"],
        [{str(DATA / "checkcon-frab.xml")!r}, "--format", "md"],
        [{str(DATA / "checkcon-frab.json")!r}, "--format", "xlsx", "--out", {str(tmp_path / "c.xlsx")!r}]]
codes = [CliRunner().invoke(app, ["check", *args]).exit_code for args in runs]
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("ortools", "pandas", "matplotlib")
               or m.startswith(("planner.solve", "planner.history")))
print(codes, heavy)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[1, 0, 1, 1] []", result.stderr
