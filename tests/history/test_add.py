"""Any published programme as history (`planner history add`): a frab schedule.xml or schedule.json becomes a history
file that `planner history` and the template read like the editions transcribed by hand."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from planner.errors import InputProblems
from planner.export.atomic import write_atomic
from planner.history.add import KIND_WORDS, add_to_history, kind_of, summary
from planner.history.load import KINDS, load_history
from planner.history.report import markdown_report
from planner.history.template import template_files
from tests.paths import REPO

CORPUS = REPO / "tests" / "formats" / "data" / "corpus"
CONGRESS = CORPUS / "congress-2014-no-zone.xml"


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A writable copy of the repository's history folder."""
    return Path(shutil.copytree(REPO / "history", tmp_path / "history"))


def added(path: Path, edition: str, folder: Path) -> dict:
    made = add_to_history(path, edition, folder)
    write_atomic(made.path, made.text)
    return yaml.safe_load(made.text)


def test_a_congress_becomes_an_edition_with_local_times_and_days_past_midnight(history: Path) -> None:
    made = add_to_history(CONGRESS, "CONG14", history)
    assert made.path == history / "cong14.yaml"
    assert "times in UTC+01:00 (the offset of the file's dates" in summary(made)[0]
    document = yaml.safe_load(made.text)
    assert (document["edition"], document["year"], document["name"]) == ("CONG14", 2014, "32nd Congress of Examples")
    first, second = document["days"]
    assert (first["day"], first["date"], second["date"]) == (1, date(2014, 12, 27), date(2014, 12, 28))
    times = [(s["time"], s["id"]) for slot in first["slots"] for s in slot["sessions"]]
    assert times == [
        ("11:00", "cong14-6109"),
        ("12:30", "cong14-6112"),
        ("12:45", "cong14-6110"),
        ("00:30", "cong14-6113"),
    ]
    streamed = first["slots"][2]
    assert len(streamed["sessions"]) == 1 and "listed in Saal 1 and Saal G at once (streamed)" in streamed["note"]
    kinds = {
        s["id"]: (s["kind"], s["label"]) for day in document["days"] for slot in day["slots"] for s in slot["sessions"]
    }
    assert kinds["cong14-6110"] == ("public_talk", "lecture")
    assert kinds["cong14-6112"] == ("workshop", "workshop")
    assert kinds["cong14-6200"] == ("keynote", "keynote")
    assert kinds["cong14-6201"] == ("share_and_learn", "lightning talk")
    assert second["slots"][0]["concurrency"] == "stated" and len(second["slots"][0]["sessions"]) == 2
    keynote = second["slots"][0]["sessions"][0]
    assert keynote["themes"] == ["data_measurement"]  # a keyword suggestion from the bundled taxonomy
    assert keynote["people"] == [{"name": "Erin Ode", "organisation": None, "role": "speaker"}]


def test_the_history_report_and_the_template_read_the_new_edition(history: Path, tmp_path: Path) -> None:
    added(CONGRESS, "CONG14", history)
    added(CORPUS / "pretalx-named-zone.json", "DEMO31", history)
    past = load_history(history)
    assert {"CONG14", "DEMO31"} <= {e.edition for e in past.editions}
    assert "CONG14" in markdown_report(past) and "DEMO31" in markdown_report(past)
    files = template_files(past, 2032, None, tmp_path / "next")
    assert "conference.yaml" in files


def test_a_pretalx_export_keeps_its_local_times_across_a_clock_change(history: Path) -> None:
    document = added(CORPUS / "pretalx-named-zone.json", "DEMO31", history)
    times = [s["time"] for day in document["days"] for slot in day["slots"] for s in slot["sessions"]]
    assert times == ["09:00", "09:30", "10:00"]
    first = document["days"][0]["slots"][0]["sessions"][0]
    assert first["id"] == "demo31-qwe7rt"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("site-own-format.xml", "the root element is <programme>, not <schedule>"),
        ("schedule-root-not-frab.xml", "holds no session that could be read"),
    ],
)
def test_a_programme_that_is_not_frab_is_refused_and_nothing_is_written(history: Path, name: str, expected: str):
    before = sorted(p.name for p in history.iterdir())
    with pytest.raises(InputProblems, match=expected):
        add_to_history(CORPUS / name, "SITE25", history)
    assert sorted(p.name for p in history.iterdir()) == before


def test_an_edition_file_that_exists_is_kept_unless_replaced(history: Path) -> None:
    with pytest.raises(InputProblems, match="already exists; choose another --edition or give --replace"):
        add_to_history(CONGRESS, "soc2024", history)
    assert add_to_history(CONGRESS, "soc2024", history, replace=True).path == history / "soc2024.yaml"


@pytest.mark.parametrize(
    ("edition", "expected"), [("no spaces", "is not an edition id"), ("people", "would be written as people.yaml")]
)
def test_an_edition_name_that_cannot_be_a_file_is_refused(history: Path, edition: str, expected: str) -> None:
    with pytest.raises(InputProblems, match=expected):
        add_to_history(CONGRESS, edition, history)


def test_adding_the_same_programme_twice_under_one_id_prefix_is_refused(history: Path) -> None:
    added(CONGRESS, "CONG14", history)
    (history / "cong14.yaml").rename(history / "congress.yaml")
    with pytest.raises(InputProblems, match="session id 'cong14-6109' is already used"):
        add_to_history(CONGRESS, "CONG14", history)


def test_every_kind_a_type_names_is_a_history_kind() -> None:
    assert {kind for kind, _ in KIND_WORDS} <= KINDS
    assert kind_of("Vortrag") == "public_talk" and kind_of("Podiumsdiskussion") == "panel"
