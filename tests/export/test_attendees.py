"""Who loses what in the outputs: the Attendees sheet of agenda.xlsx, and each attendee's own calendar with their
clashing picks marked (calendars/attendees/)."""

from __future__ import annotations

import io

import openpyxl
import vobject
from icalendar import Calendar

from planner.domain import Audience
from planner.export.agenda_xlsx import agenda_workbook
from planner.export.attendees_sheet import ATTENDEES
from planner.export.ical import ATTENDEES as ATTENDEE_FEEDS
from planner.export.ical import CLASH, PROGRAMME, attendee_feed_paths, calendar_files, feed_paths, stale_calendars
from tests.check.checkcon import programme
from tests.export.calendar_cases import STAMP

PICKS = {"a1": {"t1": 1, "w1": 2, "t4": 1}, "a2": {"t1": 3, "w1": 2}, "r-042": {"t3": 1, "t4": 1}}
"""t1 (10-11) runs beside w1 (10-12): a1 keeps w1 (weight 2) and misses t1; a2 keeps t1 (3) and misses w1."""


def _schedule():
    return programme(audience=Audience(picks=PICKS))


def _sheet_text(schedule) -> list[list[object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(agenda_workbook(schedule)))
    if ATTENDEES not in workbook.sheetnames:
        return []
    return [[cell for cell in row if cell is not None] for row in workbook[ATTENDEES].iter_rows(values_only=True)]


def test_the_attendees_sheet_has_the_totals_the_contested_pairs_and_who_misses_what():
    rows = _sheet_text(_schedule())
    assert ["Attendees with picks", 3] in rows
    assert ["Can attend everything they picked", 1] in rows and ["Share served fully", "33.3%"] in rows
    assert ["Picks missed", 2] in rows and ["Attendees by picks missed", "0: 1; 1: 2"] in rows
    assert ["Attendee conflicts (weighted pairs at once)", 3] in rows
    pair = next(row for row in rows if row[:1] == ["t1"])
    assert pair[2:4] == ["w1", "Money workshop"]
    assert 2 in pair and 3 in pair  # two attendees, weight 3
    missing = {row[0]: row for row in rows if row and row[0] in ("a1", "a2", "r-042")}
    assert set(missing) == {"a1", "a2"}
    assert missing["a1"][1:3] == [3, 1] and missing["a1"][3].startswith("t1: ")
    assert missing["a2"][3].startswith("w1: ")


def test_without_interest_there_is_no_attendees_sheet():
    assert _sheet_text(programme()) == []


def _feed(files: dict[str, bytes], attendee: str) -> Calendar:
    return Calendar.from_ical(files[attendee_feed_paths(_schedule())[attendee]])


def test_each_attendee_has_a_calendar_of_their_picks_with_clashes_marked():
    files = calendar_files(_schedule(), STAMP)
    paths = attendee_feed_paths(_schedule())
    assert paths == {a: f"{ATTENDEE_FEEDS}/{a}.ics" for a in ("a1", "a2", "r-042")}
    events = {str(e["SUMMARY"]): e for e in _feed(files, "a1").walk("VEVENT")}
    assert len(events) == 3
    clashing = [e for summary, e in events.items() if summary.startswith(f"{CLASH}: ")]
    assert len(clashing) == 2  # t1 and w1 clash with each other; t4 is on day 2
    for event in clashing:
        assert str(event["DESCRIPTION"]).startswith("Clashes with your pick '")
        assert CLASH in [str(c) for c in event["CATEGORIES"].cats]
    quiet = next(e for summary, e in events.items() if not summary.startswith(CLASH))
    assert CLASH not in [str(c) for c in quiet["CATEGORIES"].cats]
    assert not any(str(e["SUMMARY"]).startswith(CLASH) for e in _feed(files, "r-042").walk("VEVENT"))
    assert CLASH.encode() not in files[PROGRAMME]  # everyone else sees the session unmarked


def test_attendee_calendars_are_valid_byte_identical_and_never_offered_on_the_page():
    schedule = _schedule()
    first, second = calendar_files(schedule, STAMP), calendar_files(schedule, STAMP)
    assert first == second
    for path in attendee_feed_paths(schedule).values():
        assert list(vobject.readComponents(first[path].decode()))
    offered = [path for group in feed_paths(schedule).values() for path in group.values()]
    assert not any(path.startswith(ATTENDEE_FEEDS) for path in offered)


def test_an_attendee_no_longer_in_the_table_loses_their_stale_feed(tmp_path):
    (tmp_path / ATTENDEE_FEEDS).mkdir(parents=True)
    gone = tmp_path / ATTENDEE_FEEDS / "gone.ics"
    gone.write_bytes(b"")
    assert stale_calendars(tmp_path, calendar_files(_schedule(), STAMP)) == [gone]
