"""The command line end to end: exit codes, messages, written files."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from planner.cli import app
from tests.paths import DATA, REPO

runner = CliRunner()


def requests_made_by(page: str) -> list[str]:
    """What loading the page would fetch: src/href attributes, scripts, stylesheets links, CSS url() and @import."""
    found: list[str] = []

    class Fetches(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(
                f"{tag} {name}={value}"
                for name, value in attrs
                if name in ("src", "href", "xlink:href") and not (value or "").startswith("#")
            )
            if tag in ("script", "link", "iframe", "object", "embed"):
                found.append(tag)

    Fetches().feed(page)
    found += re.findall(r"url\((?!['\"]?#)|@import", page)  # url(#id) points inside the page
    return found


def test_validate_a_good_folder():
    result = runner.invoke(app, ["validate", str(DATA / "mini")])
    assert result.exit_code == 0, result.output
    assert "Valid: 3 sessions, 4 people, 2 rooms" in result.output
    assert "dd-nhs names no themes; suggested: health, data" in result.output


def test_validate_a_bad_folder_exits_2_with_every_problem_and_no_traceback(mini):
    conference = mini / "conference.yaml"
    conference.write_text(conference.read_text().replace("Europe/London", "Nowhere/City"))
    sessions = mini / "sessions.csv"
    sessions.write_text(sessions.read_text().replace(",60,", ",sixty,"))
    result = runner.invoke(app, ["validate", str(mini)])
    assert result.exit_code == 2
    assert "2 input problem(s)" in result.output
    assert "line 4, timezone: 'Nowhere/City' is not an IANA time zone" in result.output
    assert "row 2, duration: Input should be a valid integer" in result.output
    assert "Traceback" not in result.output


def test_the_installed_command_runs_as_a_process(tmp_path: Path):
    """The console script itself (not the test runner's in-process call), as a user runs it."""
    planner = Path(sys.executable).with_name("planner")
    result = subprocess.run(
        [str(planner), "validate", str(tmp_path / "missing")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "is not a folder" in result.stderr and "Traceback" not in result.stderr
    result = subprocess.run([str(planner), "--help"], capture_output=True, text=True, check=True)
    assert "history" in result.stdout and "validate" in result.stdout


def test_history_writes_markdown_and_a_self_contained_page(tmp_path: Path):
    result = runner.invoke(app, ["history", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Recurring people" in result.output
    page = (tmp_path / "history.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "history.md").read_text(encoding="utf-8")
    assert page.count("<svg") == 1
    assert requests_made_by(page) == []
    assert "## Theme trends" in markdown and "## Recurring people" in markdown


def test_history_outputs_are_byte_identical_run_after_run(tmp_path: Path):
    for run in ("a", "b"):
        assert runner.invoke(app, ["history", "--out", str(tmp_path / run)]).exit_code == 0
        assert (
            runner.invoke(app, ["history", "template", "--edition", "2026", "--out", str(tmp_path / run)]).exit_code
            == 0
        )
    for name in ("history.html", "history.md", "conference.yaml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_history_problems_exit_2(tmp_path: Path):
    (tmp_path / "soc1999.yaml").write_text("edition: X\nyear: 1999\n")
    result = runner.invoke(app, ["history", "--history", str(tmp_path)])
    assert result.exit_code == 2 and "name: is required but missing" in result.output.replace("\n", " ")


def test_template_needs_a_real_date(tmp_path: Path):
    result = runner.invoke(
        app, ["history", "template", "--edition", "2026", "--out", str(tmp_path), "--start-date", "2026-02-30"]
    )
    assert result.exit_code == 2 and "is not a date" in result.output


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [line.split("#")[0].strip() for line in readme.splitlines() if line.startswith("make ")]
    assert commands[:2] == ["make demo", "make test"]


def test_a_missing_previous_schedule_is_an_input_problem_not_a_traceback(tmp_path: Path):
    missing = tmp_path / "missing.json"
    result = runner.invoke(
        app, ["draft", str(REPO / "examples" / "soc2025"), "--out", str(tmp_path / "out"), "--previous", str(missing)]
    )
    assert result.exit_code == 2, result.output
    assert "missing.json" in result.output and "not found; expected a planner schedule.json" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_help_names_arguments_plainly():
    """No '{conference_dir}' or '--help <bool>' (as typer 0.27 and later print them); each command in one line."""
    commands = [[], ["validate"], ["draft"], ["export"], ["ics"], ["check"], ["compare"], ["history"]]
    for command in [*commands, ["history", "template"]]:
        result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.output
        assert "{" not in result.output and "<bool>" not in result.output, command
    listing = runner.invoke(app, ["--help"], env={"COLUMNS": "120"}).output
    for line in ("validate  Check a conference folder", "draft     Draft the programme", "check     Check any agenda"):
        assert line in listing


def test_the_readme_lists_every_command_in_one_table():
    """Rendered by a Markdown parser, the Commands section is one table with a row per command (a blank line inside
    it would split it and leave rows as literal '| planner ...' text)."""
    from markdown_it import MarkdownIt

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    tokens = MarkdownIt("commonmark").enable("table").parse(section)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 1
    cells = [t.content for t in tokens if t.type == "inline"]
    for command in ("validate", "history", "history template", "draft", "check", "compare", "export", "ics"):
        assert any(cell.startswith(f"`planner {command} ") or cell == f"`planner {command}`" for cell in cells), command
    assert "| `planner" not in "".join(t.content for t in tokens if t.type == "inline")
