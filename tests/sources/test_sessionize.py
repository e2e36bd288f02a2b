"""Sessionize's "All" JSON as a conference folder: sessions (service sessions and declined ones left out), lengths
from the schedule or the format's name, formats as kinds, tracks as themes, speakers as people, rooms; and every
problem placed by session or speaker."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from planner.errors import InputProblems
from planner.io.folder import load_folder
from planner.sources.commands import import_sessionize
from planner.sources.sessionize import minutes_named, read_sessionize

EXPORT = Path(__file__).with_name("data") / "sessionize-all.json"


def test_the_export_becomes_a_folder_that_validates(tmp_path: Path) -> None:
    said: list[str] = []
    import_sessionize(EXPORT, tmp_path / "conf", said.append, timezone="Europe/Warsaw")
    loaded = load_folder(tmp_path / "conf")
    sessions = {s.id: s for s in loaded.sessions}
    assert set(sessions) == {"81235", "81236", "81237"}  # no service session, no declined one
    assert sessions["81235"].duration == 45 and sessions["81235"].kind == "talk-45-min"
    assert sessions["81236"].duration == 120  # unscheduled: the format's '2 hours'
    assert sessions["81237"].duration == 25
    assert sessions["81235"].themes == ("operations",)  # the track; the level is not a theme here
    assert sessions["81236"].speakers == ("tomas-o-briain", "ada-okafor")
    assert {k.label for k in loaded.conference.kinds} == {
        "Talk (45 min)",
        "Workshop (2 hours)",
        "Lightning talk (25 min)",
    }
    assert [r.name for r in loaded.conference.rooms] == ["Auditorium", "Room 2"]
    assert [d.date for d in loaded.conference.days] == [date(2032, 4, 22), date(2032, 4, 23)]
    assert loaded.conference.timezone == "Europe/Warsaw"
    people = {p.id: p for p in loaded.people}
    assert people["maja-nowak"].organisation == "SRE at Example Ltd"
    assert said[0].startswith(f"Imported {tmp_path / 'conf'} from sessionize")


def test_without_a_time_zone_the_times_are_read_as_utc_and_said_so(tmp_path: Path) -> None:
    said: list[str] = []
    import_sessionize(EXPORT, tmp_path / "conf", said.append)
    assert any("Sessionize names no time zone: times are read as UTC" in line for line in said)


def test_a_rerun_withdraws_a_session_declined_since(tmp_path: Path) -> None:
    export = tmp_path / "all.json"
    shutil.copy(EXPORT, export)
    import_sessionize(export, tmp_path / "conf", lambda line: None)
    document = json.loads(export.read_text())
    document["sessions"][3]["status"] = "Declined"
    export.write_text(json.dumps(document))
    said: list[str] = []
    import_sessionize(export, tmp_path / "conf", said.append)
    assert "0 new, 1 withdrawn, 0 edited, 2 unchanged" in said


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["sessions"][2].update(categoryItems=[9102]),
            "session 3, id 81236, field 'endsAt': the session is not scheduled",
        ),
        (
            lambda d: d["sessions"][1].update(speakers=["nobody"]),
            "session 2, id 81235, field 'speakers': 'nobody' is not among",
        ),
        (
            lambda d: d["sessions"][1].update(categoryItems=[1]),
            "session 2, id 81235, field 'categoryItems': 1 is not an item",
        ),
        (lambda d: d["sessions"][1].update(title=""), "session 2, id 81235, field 'title': the session has no title"),
        (lambda d: d["speakers"][0].update(fullName="", firstName="", lastName=""), "speaker 1, id 5c0f1c7e"),
    ],
)
def test_what_does_not_fit_is_a_located_problem(tmp_path: Path, change, expected: str) -> None:
    document = json.loads(EXPORT.read_text())
    change(document)
    export = tmp_path / "all.json"
    export.write_text(json.dumps(document))
    with pytest.raises(InputProblems) as raised:
        read_sessionize(export, "all.json")
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[]", "is not a Sessionize export; expected the JSON of Sessionize's 'All' endpoint"),
        ('{"sessions": [', "line 1: not valid JSON"),
        ('{"sessions": {}}', "is not a Sessionize export"),
    ],
)
def test_a_file_that_is_not_an_export_says_what_was_expected(tmp_path: Path, content: str, expected: str) -> None:
    export = tmp_path / "all.json"
    export.write_text(content)
    with pytest.raises(InputProblems) as raised:
        read_sessionize(export, "all.json")
    assert expected in str(raised.value)


def test_unscheduled_sessions_need_the_dates_given(tmp_path: Path) -> None:
    document = json.loads(EXPORT.read_text())
    for session in document["sessions"]:
        session["startsAt"] = session["endsAt"] = None
    export = tmp_path / "all.json"
    export.write_text(json.dumps(document))
    with pytest.raises(InputProblems, match="give --start-date"):
        read_sessionize(export, "all.json")
    read = read_sessionize(export, "all.json", first=date(2032, 4, 22), days=3)
    assert (read.first, read.last) == (date(2032, 4, 22), date(2032, 4, 24))


@pytest.mark.parametrize(
    ("name", "minutes"),
    [("Talk (45 min)", 45), ("Workshop (2 hours)", 120), ("30 minutes", 30), ("1.5 h", 90), ("Keynote", None)],
)
def test_a_format_name_gives_its_length(name: str, minutes: int | None) -> None:
    assert minutes_named(name) == minutes
