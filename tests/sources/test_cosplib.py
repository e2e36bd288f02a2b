"""`planner import cosplib`: a CoSPLib workbook (written here, in CoSPLib's template) becomes a conference folder that
`planner validate` accepts: periods and slots as blocks, submissions as sessions, tracks as themes, presenters and
chairs as people, attendees as the interest table; every unreadable cell located; what has no counterpart said."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import openpyxl
import pytest

from planner.domain import Audience
from planner.errors import Collector, InputProblems
from planner.io.folder import load_folder
from planner.sources.cosplib import import_cosplib, read_workbook, time_zone
from tests.paths import REPO

ISF22 = REPO / "examples" / "isf22" / "ISF22.xlsx"
"""CoSPLib's ISF22, bundled as an example (MIT licence beside it)."""

PERIODS = ["Mon1", "Tue1"]
ROOMS = ["Room A", "Room B"]
SUBMISSIONS = [
    # reference, track, slots, order, zone, presenters, attendees, Mon1, Tue1, Room A, Room B
    ("s1", "Forecasting", 1, 0, "GMT+1", "P1", "A1, A2", None, None, None, None),
    ("s2", "Forecasting", 1, 0, "GMT+1", "P2", "A1", None, None, None, None),
    ("s3", "Energy", 2, 0, "GMT+1", "P3, P4", "A2", None, 100, None, None),  # costly on Tuesday
    ("s4", "Energy", 1, 3, "GMT+1", "P1", None, None, None, None, 1),
]


def write_workbook(path: Path, submissions=SUBMISSIONS, drop: str | None = None) -> Path:
    """A workbook in CoSPLib's template: two periods (Mon1 with 3 slots, Tue1 with 2), two rooms, two tracks."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "parameters": [
            ("Sessions", None, None, "Weights", None),
            ("Local time zone:", "GMT+1", None, "Tracks_Sessions|Penalty:", 100),
            ("Suitable scheduling times", None, None, "Sessions_Rooms|Penalty:", 100000),
            ("From:", time(9, 0), None, "Parallel Tracks:", 10),
            (None, None, None, "Submissions_Sessions|Penalty:", 100),
            (None, None, None, "Presenters Conflicts:", 100000),
            (None, None, None, "Attendees Conflicts Timeslot Level:", 10),
        ],
        "submissions": [
            (
                "Reference",
                "Track",
                "Required Timeslots",
                "Order",
                "Time Zone",
                "Presenters",
                "Attendees",
                *PERIODS,
                *ROOMS,
            ),
            *submissions,
        ],
        "tracks": [("Tracks", "Chairs"), ("Forecasting", "P9"), ("Energy", None)],
        "sessions": [
            ("Sessions", "Max Number of Timeslots", "Date", "Start Time", "End Time"),
            ("Mon1", 3, datetime(2030, 7, 1), time(10, 0), time(11, 0)),
            ("Tue1", 2, datetime(2030, 7, 2), time(9, 0), time(10, 0)),
        ],
        "rooms": [("Rooms",), *((room,) for room in ROOMS)],
        "tracks_sessions|penalty": [(None, *PERIODS), ("Energy", 1, None)],
        "tracks_rooms|penalty": [(None, *ROOMS)],
        "similar tracks": [(None, "Forecasting", "Energy"), ("Forecasting", None, 1)],
        "sessions_rooms|penalty": [(None, *ROOMS), ("Mon1", None, None), ("Tue1", None, 1)],
    }
    for name, rows in sheets.items():
        if name == drop:
            continue
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def test_the_workbook_becomes_a_folder_planner_validate_accepts(tmp_path: Path):
    said: list[str] = []
    import_cosplib(write_workbook(tmp_path / "TINY.xlsx"), tmp_path / "tiny", said.append)
    loaded = load_folder(tmp_path / "tiny")
    conference = loaded.conference
    assert conference.timezone == "Etc/GMT-1" and conference.edition == "tiny"
    blocks = {b.id: b for b in conference.blocks}
    assert list(blocks) == ["mon1-1", "mon1-2", "mon1-3", "tue1-1", "tue1-2"]
    assert (blocks["mon1-2"].start.strftime("%H:%M"), blocks["mon1-2"].end.strftime("%H:%M")) == ("10:20", "10:40")
    assert blocks["tue1-1"].rooms == ("room-a",)  # sessions_rooms rules Room B out on Tuesday
    sessions = {s.id: s for s in loaded.sessions}
    assert sessions["s3"].duration == 40 and sessions["s1"].duration == 20  # slots times the shortest slot
    assert sessions["s1"].chair is None and sessions["s1"].themes == ("forecasting",)
    assert sessions["s1"].track == "forecasting" and sessions["s1"].time_zone == "Etc/GMT-1"
    assert sessions["s3"].speakers == ("p3", "p4") and sessions["s3"].place_costs == {"tue1": 100}
    assert sessions["s4"].order == 3 and sessions["s4"].place_costs == {"room-b": 1}
    assert conference.audience == Audience(picks={"a1": {"s1": 1, "s2": 1}, "a2": {"s1": 1, "s3": 1}})
    assert {t.label for t in conference.themes} == {"Forecasting", "Energy"}
    paper = conference.paper
    assert paper is not None and [b.period for b in conference.blocks] == ["mon1"] * 3 + ["tue1"] * 2
    tracks = {t.id: t for t in paper.tracks}
    assert tracks["forecasting"].chairs == ("p9",) and tracks["forecasting"].similar == {"energy": 1}
    assert tracks["energy"].periods == {"mon1": 1} and tracks["energy"].similar == {"forecasting": 1}
    assert paper.period_rooms == {}  # the only one, Tue1 in Room B, is at the hard level: that room is closed
    weights = conference.weights
    assert (weights.track_period, weights.period_room, weights.track_parallel) == (100, 100000, 10)
    assert (weights.talk_period, weights.presenter_conflict, weights.attendee_slot_conflict) == (100, 100000, 10)
    assert weights.theme_clash == weights.attendee_conflict == 0  # CoSPLib's own terms count instead
    assert said[0].startswith(f"Wrote {tmp_path / 'tiny'}: 4 sessions, 5 people, 2 rooms, 2 themes, 5 blocks")


def test_a_cell_that_cannot_be_read_is_located_and_nothing_is_written(tmp_path: Path):
    bad = [*SUBMISSIONS[:3], ("s4", "Energy", "two", 0, "GMT+1", "P1", None, None, None, None, None), SUBMISSIONS[0]]
    with pytest.raises(InputProblems) as caught:
        import_cosplib(write_workbook(tmp_path / "BAD.xlsx", bad), tmp_path / "bad", print)
    found = [(str(p.where), p.field) for p in caught.value.problems]
    assert ("sheet submissions, row 5", "Required Timeslots") in found
    assert ("sheet submissions, row 6", "Reference") in found  # s1 again
    assert not (tmp_path / "bad").exists()


def test_a_workbook_without_the_templates_sheets_is_one_problem(tmp_path: Path):
    problems = Collector()
    assert read_workbook(write_workbook(tmp_path / "X.xlsx", drop="rooms"), problems) is None
    [problem] = problems.problems
    assert "has no sheet rooms" in problem.message


def test_a_folder_the_import_did_not_make_is_never_overwritten(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "conference.yaml").write_text("name: mine\n", encoding="utf-8")
    with pytest.raises(InputProblems):
        import_cosplib(write_workbook(tmp_path / "T.xlsx"), folder, print)
    assert (folder / "conference.yaml").read_text(encoding="utf-8") == "name: mine\n"
    import_cosplib(write_workbook(tmp_path / "T.xlsx"), tmp_path / "again", print)
    import_cosplib(write_workbook(tmp_path / "T.xlsx"), tmp_path / "again", print)  # its own: replaced


def test_time_zones_as_cosplib_writes_them():
    assert (time_zone("GMT+0"), time_zone("GMT+2"), time_zone("UTC-5")) == ("UTC", "Etc/GMT-2", "Etc/GMT+5")
    assert time_zone("Europe/London") == "Europe/London" and time_zone("Mars") is None


def test_isf22_with_its_real_attendees(tmp_path: Path):
    """ISF22: 311 submissions in 11 periods over three days, and the only real attendee lists in CoSPLib."""
    import_cosplib(ISF22, tmp_path / "isf22", lambda line: None)
    loaded = load_folder(tmp_path / "isf22")
    audience = loaded.conference.audience
    assert audience is not None
    assert len(loaded.sessions) == 311 and len(loaded.conference.days) == 3 and len(loaded.conference.blocks) == 36
    assert len(audience.picks) == 400 and sum(map(len, audience.picks.values())) == 438
    assert len({s for wanted in audience.picks.values() for s in wanted}) == 232


def test_a_period_at_the_time_of_an_earlier_one_gets_a_day_of_its_own(tmp_path: Path):
    """OR60F3 lists 24 periods at Thu3's hours on Thu3's date; CoSPLib counts each period apart, so the import lays
    such a period on a day of its own after the last, at its own hours, and says so."""
    path = write_workbook(tmp_path / "SAME.xlsx")
    book = openpyxl.load_workbook(path)
    sessions = book["sessions"]
    sessions["C3"], sessions["D3"], sessions["E3"] = datetime(2030, 7, 1), time(10, 30), time(11, 30)  # Tue1
    book.save(path)
    said: list[str] = []
    import_cosplib(path, tmp_path / "same", said.append)
    conference = load_folder(tmp_path / "same").conference
    days = {day.date.isoformat(): [(b.period, f"{b.start:%H:%M}") for b in day.blocks] for day in conference.days}
    assert days == {
        "2030-07-01": [("mon1", "10:00"), ("mon1", "10:20"), ("mon1", "10:40")],
        "2030-07-02": [("tue1", "10:30"), ("tue1", "11:00")],
    }
    assert any("1 period(s) (Tue1) overlap an earlier period" in line for line in said)
