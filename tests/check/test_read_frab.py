"""frab and pretalx exports (schedule.json, schedule.xml) checked on their own or against our conference folder."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planner.check import check
from planner.check.read import read_agenda
from planner.errors import InputProblems
from planner.formats.frab.read import parse_duration
from tests.check.checkcon import CHECKCON, DATA

FRAB_JSON = DATA / "checkcon-frab.json"
FRAB_XML = DATA / "checkcon-frab.xml"


def codes(findings):
    return [(f.code, f.subject, [p.session for p in f.sessions]) for f in findings]


def test_frab_json_on_its_own_finds_a_person_in_two_rooms_by_name_without_titles():
    agenda, context = read_agenda(FRAB_JSON)
    assert len(agenda.items) == 8 and agenda.zone.key == "Europe/London"
    key = next(item for item in agenda.items if item.session == "key")
    assert (key.start, key.end, key.room) == (
        datetime(2030, 6, 4, 8, tzinfo=UTC),
        datetime(2030, 6, 4, 9, tzinfo=UTC),
        "Main Hall",
    )
    assert codes(check(agenda, context)) == [("person_overlap", "Ana Ruiz", ["t4", "chk30-120-late-talk"])]
    assert context.proposals is None and context.conference is None


def test_frab_json_against_the_conference_matches_proposals_by_slug_or_title():
    agenda, context = read_agenda(FRAB_JSON, conference_dir=CHECKCON)
    by_title = {item.title: item for item in agenda.items}
    assert by_title["Money workshop"].session == "w1"  # pretalx's slug is its own; the title is the proposal's
    assert by_title["Money workshop"].kind == "workshop" and by_title["Data in practice"].themes == ("data",)
    assert {item.room for item in agenda.items} == {"hall", "side"}
    assert codes(check(agenda, context)) == [
        ("person_overlap", "Ana Ruiz", ["t4", "chk30-120-late-talk"]),
        ("not_in_proposals", "chk30-120-late-talk", ["chk30-120-late-talk"]),
    ]


def test_frab_xml_reads_dated_and_undated_events_in_the_conference_zone():
    agenda, context = read_agenda(FRAB_XML)
    starts = {item.session: item.start for item in agenda.items}
    assert starts == {
        "key": datetime(2030, 6, 4, 8, tzinfo=UTC),
        "t1": datetime(2030, 6, 4, 9, tzinfo=UTC),
        "t2": datetime(2030, 6, 4, 9, 30, tzinfo=UTC),
    }
    assert codes(check(agenda, context)) == [("room_double_booked", "Side Room", ["t1", "t2"])]
    agenda, context = read_agenda(FRAB_XML, conference_dir=CHECKCON)
    assert {f.code for f in check(agenda, context)} == {
        "room_double_booked",
        "session_missing",
        "optional_left_out",
        "length_changed",
    }


def _frab_copy(tmp_path: Path, change) -> Path:
    document = json.loads(FRAB_JSON.read_text(encoding="utf-8"))
    change(document["schedule"]["conference"])
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_unreadable_events_are_reported_by_day_room_and_event(tmp_path):
    def spoil(conference):
        side = conference["days"][0]["rooms"]["Side Room"]
        side[0]["duration"] = "ninety minutes"
        side[1]["room"] = "Broom Cupboard"
        side[2]["date"] = "soon"

    with pytest.raises(InputProblems) as raised:
        read_agenda(_frab_copy(tmp_path, spoil), conference_dir=CHECKCON)
    found = [(str(p.where), p.field) for p in raised.value.problems]
    assert found == [
        ("day 1, room Side Room, event 102", "duration"),
        ("day 1, room Side Room, event 103", "room"),
        ("day 1, room Side Room, event 104", "date"),
    ]


def test_problems_list_by_day_room_and_event_as_numbers(tmp_path):
    """Joining a place's digits sorted 'day 2, room Saal 1, event 3' (213) before 'day 1, room Saal 10, event 9'
    (1109), and day 10 before day 1's Saal 10."""

    def broken(event: int) -> list[dict]:
        return [{"id": event, "date": "2030-06-04T09:00:00+01:00", "duration": "soon", "title": "T"}]

    days: list[dict] = [{"date": "2030-06-04", "rooms": {}} for _ in range(10)]
    days[0]["rooms"] = {"Saal 10": broken(9), "Saal 9": broken(10)}
    days[1]["rooms"] = {"Saal 1": broken(3)}
    days[9]["rooms"] = {"Saal 9": broken(1)}
    document = {"schedule": {"conference": {"time_zone_name": "Europe/London", "days": days}}}
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputProblems) as raised:
        read_agenda(path)
    assert [str(p.where) for p in raised.value.problems] == [
        "day 1, room Saal 9, event 10",
        "day 1, room Saal 10, event 9",
        "day 2, room Saal 1, event 3",
        "day 10, room Saal 9, event 1",
    ]


def test_undated_events_need_a_zone(tmp_path):
    def undate(conference):
        del conference["time_zone_name"]
        for day in conference["days"]:
            for events in day["rooms"].values():
                for event in events:
                    del event["date"]

    path = _frab_copy(tmp_path, undate)
    with pytest.raises(InputProblems) as raised:
        read_agenda(path)
    assert "give --conference" in raised.value.problems[0].message
    agenda, _ = read_agenda(path, conference_dir=CHECKCON)
    assert min(item.start for item in agenda.items) == datetime(2030, 6, 4, 8, tzinfo=UTC)


def test_xml_entities_are_refused_not_expanded(tmp_path):
    bomb = tmp_path / "schedule.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<schedule><conference><title>&b;</title></conference></schedule>"
    )
    with pytest.raises(InputProblems) as raised:
        read_agenda(bomb)
    assert "refused" in raised.value.problems[0].message


def test_not_a_schedule_at_all(tmp_path):
    for name, text in (("a.json", '{"hello": 1}'), ("b.json", "{nope"), ("c.xml", "<html/>"), ("d.txt", "x")):
        (tmp_path / name).write_text(text)
        with pytest.raises(InputProblems):
            read_agenda(tmp_path / name)
    with pytest.raises(InputProblems) as raised:
        read_agenda(tmp_path / "missing.json")
    assert "not found" in raised.value.problems[0].message


@pytest.mark.parametrize(("text", "minutes"), [("00:30", 30), ("1:30", 90), ("01:30:00", 90), ("26:00", 1560)])
def test_frab_durations(text, minutes):
    assert parse_duration(text).total_seconds() == minutes * 60


@pytest.mark.parametrize("text", ["", "90", "1:75", "a:bc", "1:02:03:04"])
def test_not_durations(text):
    assert parse_duration(text) is None
