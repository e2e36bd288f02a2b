"""`planner draft` writes every output; `planner export` writes them again from a saved schedule; `planner ics`
makes an attendee's own calendar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from planner.cli import app
from tests.paths import REPO

runner = CliRunner()
DOCUMENTS = ("schedule.json", "schedule.frab.json", "agenda.xlsx", "agenda.html", "agenda.md", "programme.ics")


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("draft")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        result = runner.invoke(app, ["draft", str(REPO / "examples" / "soc2025"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_draft_writes_every_output(drafted: Path):
    for name in DOCUMENTS:
        assert (drafted / name).stat().st_size > 0, name
    people = sorted((drafted / "calendars" / "people").glob("*.ics"))
    rooms = sorted((drafted / "calendars" / "rooms").glob("*.ics"))
    schedule = json.loads((drafted / "schedule.json").read_text(encoding="utf-8"))["schedule"]
    everyone = {p for a in schedule["assignments"] for p in [a["session"]["chair"], *a["session"]["speakers"]] if p}
    assert len(people) == len(everyone)
    assert len(rooms) == len({a["room"] for a in schedule["assignments"]})


def test_export_from_the_saved_schedule_gives_the_same_files(drafted: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = runner.invoke(app, ["export", str(drafted / "schedule.json"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in DOCUMENTS[1:]:
        assert (tmp_path / name).read_bytes() == (drafted / name).read_bytes(), name
    for calendar in (drafted / "calendars").rglob("*.ics"):
        assert (tmp_path / calendar.relative_to(drafted)).read_bytes() == calendar.read_bytes(), calendar.name


def test_ics_writes_the_picked_sessions_only(drafted: Path, tmp_path: Path):
    schedule = json.loads((drafted / "schedule.json").read_text(encoding="utf-8"))["schedule"]
    picked = [a["session"]["id"] for a in schedule["assignments"][:2]]
    mine = tmp_path / "my.ics"
    result = runner.invoke(
        app, ["ics", str(drafted / "schedule.json"), "--sessions", ",".join(picked), "--out", str(mine)]
    )
    assert result.exit_code == 0, result.output
    events = Calendar.from_ical(mine.read_bytes()).walk("VEVENT")
    assert sorted(str(e["UID"]).split("@")[0] for e in events) == sorted(picked)


def test_ics_names_unknown_sessions_and_exits_2(drafted: Path, tmp_path: Path):
    result = runner.invoke(
        app,
        [
            "ics",
            str(drafted / "schedule.json"),
            "--sessions",
            "nope,kn-opening,zilch",
            "--out",
            str(tmp_path / "my.ics"),
        ],
    )
    assert result.exit_code == 2
    assert "nope" in result.output and "zilch" in result.output and not (tmp_path / "my.ics").exists()


def test_export_of_a_file_that_is_not_a_schedule_exits_2(tmp_path: Path):
    bad = tmp_path / "schedule.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    result = runner.invoke(app, ["export", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "is neither a planner schedule.json nor a frab/pretalx schedule JSON" in " ".join(
        result.output.split()
    )
    assert not (tmp_path / "out").exists()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", ["draft", "export", "ics"])
def test_a_bad_source_date_epoch_is_an_input_problem_and_leaves_the_old_programme(
    drafted: Path, tmp_path: Path, monkeypatch, command: str
):
    """Read before any work: exit 2 with a plain message naming the setting, and every old file unchanged."""
    out = tmp_path / "out"
    out.mkdir()
    for path, data in _snapshot(drafted).items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    before = _snapshot(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    arguments = {
        "draft": ["draft", str(REPO / "examples" / "soc2025"), "--out", str(out)],
        "export": ["export", str(out / "schedule.json"), "--out", str(out)],
        "ics": ["ics", str(out / "schedule.json"), "--sessions", "nothing-such", "--out", str(out / "programme.ics")],
    }[command]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, not 'abc'" in result.output
    assert "--sessions" not in result.output and "Traceback" not in result.output
    assert _snapshot(out) == before


def test_every_output_is_rendered_before_the_first_is_written(drafted: Path, tmp_path: Path, monkeypatch):
    """A failure while rendering the last output (the calendars) leaves the folder exactly as it was."""
    from planner.export import outputs
    from planner.formats.schedule_json import read_schedule

    out = tmp_path / "out"
    out.mkdir()
    (out / "agenda.md").write_text("the old programme", encoding="utf-8")

    def broken(*_: object, **__: object) -> dict[str, bytes]:
        raise RuntimeError("calendar rendering failed")

    monkeypatch.setattr(outputs, "calendar_files", broken)
    with pytest.raises(RuntimeError, match="calendar rendering failed"):
        outputs.write_outputs(read_schedule(drafted / "schedule.json"), out)
    assert _snapshot(out) == {"agenda.md": b"the old programme"}


@pytest.mark.parametrize("command", ["draft", "export"])
def test_a_base_url_that_is_not_http_is_an_input_problem_before_anything_is_written(
    drafted: Path, tmp_path: Path, command: str
):
    out = tmp_path / "out"
    arguments = {
        "draft": ["draft", str(REPO / "examples" / "soc2025"), "--out", str(out)],
        "export": ["export", str(drafted / "schedule.json"), "--out", str(out)],
    }[command]
    result = runner.invoke(app, [*arguments, "--base-url", "ftp://example.org/soc25"])
    assert result.exit_code == 2 and result.output.startswith("--base-url: "), result.output
    assert not out.exists()


def test_with_a_base_url_the_page_offers_subscribe_links(drafted: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    base = "https://example.org/soc25/"
    result = runner.invoke(app, ["export", str(drafted / "schedule.json"), "--out", str(tmp_path), "--base-url", base])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "agenda.html").read_text(encoding="utf-8")
    assert 'href="webcal://example.org/soc25/programme.ics"' in page
    assert 'href="https://example.org/soc25/calendars/rooms/' in page
