"""programme.ics and the person, room, theme and picks calendars: RFC skeleton, stable UIDs, SEQUENCE and
cancellations across a re-plan, byte-identical output, and a round trip through schedule.json. (People taken out of
a session: test_calendar_replan.py; renaming the edition, and where the feeds are: test_calendar_identity.py.)

Golden files: tests/export/golden/ holds the tiny schedule's calendars. After a deliberate change to the output,
regenerate them with `PLANNER_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/export -k golden` and review
the diff.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from planner.clock import publication_stamp
from planner.domain import Schedule
from planner.export.ical import (
    PEOPLE,
    PROGRAMME,
    ROOMS,
    THEMES,
    UnknownSessions,
    calendar_files,
    picks_calendar,
    session_uid,
)
from planner.formats.schedule_json import read_schedule, schedule_document
from tests.export.calendar_cases import (
    EPOCH,
    STAMP,
    ZONE,
    Replan,
    by_uid,
    calendar_name,
    events,
    example_schedules,
    feeds_under,
    programme_calendar,
    tiny_replanned,
    tiny_schedule,
    vobject_events,
    write_calendars,
)

GOLDEN = Path(__file__).parent / "golden"
EVENT_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SEQUENCE",
    "STATUS",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "CATEGORIES",
}


@pytest.fixture(scope="module")
def example() -> Replan:
    return example_schedules()


@pytest.fixture(scope="module")
def example_files(example) -> dict[str, bytes]:
    return calendar_files(example.first, STAMP)


def placed(schedule: Schedule, session_id: str):
    return next(a for a in schedule.assignments if a.session.id == session_id)


# --- the RFC skeleton ---------------------------------------------------------------------------------------------


def test_programme_has_the_calendar_properties_and_one_vtimezone(example_files):
    calendar = Calendar.from_ical(example_files[PROGRAMME])
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["PRODID"]).startswith("-//planner//")
    assert str(calendar["X-WR-CALNAME"]) == "Social Outcomes Conference 2025"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [ZONE]
    assert calendar.get_missing_tzids() == set()


def test_every_feed_is_named_and_asks_to_be_fetched_again_every_hour(example_files):
    """RFC 7986's REFRESH-INTERVAL (whose VALUE=DURATION is required) and the older X-PUBLISHED-TTL, for clients that
    know only that one; without either, a subscriber's app chooses how rarely to look for changes."""
    for path, data in example_files.items():
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data, path
        assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data, path
        (calendar,) = vobject.readComponents(data.decode("utf-8"))
        assert calendar.x_wr_calname.value.startswith("Social Outcomes Conference 2025"), path
        assert calendar.contents["name"][0].value == calendar.x_wr_calname.value, path


def test_every_event_has_the_issue_properties_with_times_in_the_conference_zone(example, example_files):
    found = events(example_files[PROGRAMME])
    assert len(found) == len(example.first.assignments)
    for event in found:
        assert set(event.keys()) >= EVENT_PROPERTIES
        assert event["DTSTART"].params["TZID"] == ZONE and event["DTEND"].params["TZID"] == ZONE
        assert event["DTSTAMP"].dt == STAMP
        assert str(event["UID"]).endswith("@soc25.planner") and " " not in str(event["UID"])


def test_every_file_parses_alike_with_icalendar_and_vobject(example_files):
    assert len(example_files) > 10
    for path, data in example_files.items():
        ours, theirs = events(data), vobject_events(data)
        assert [str(e["UID"]) for e in ours] == [e.uid.value for e in theirs], path
        for mine, other in zip(ours, theirs, strict=True):
            assert mine["DTSTART"].dt == other.dtstart.value and mine["DTEND"].dt == other.dtend.value, path
            assert str(mine["SUMMARY"]) == other.summary.value and str(mine["LOCATION"]) == other.location.value
            assert int(mine["SEQUENCE"]) == int(other.sequence.value)


def test_event_text_names_people_kind_themes_room_and_venue():
    schedule = tiny_schedule()
    event = by_uid(programme_calendar(schedule, STAMP))["k1@tiny30.planner"]
    assert str(event["SUMMARY"]) == "Opening keynote: money; data, and trust"
    assert str(event["LOCATION"]) == "Main Hall, Town Hall, Oxford"
    assert str(event["DESCRIPTION"]) == "Keynote\nChair: Ana Ruiz\nSpeakers: Zoë Ng\n\nWhy funds fail.\nAnd what to do."
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Keynote", "Money, funds & bonds", "Data"]
    assert event["DTSTART"].dt == datetime(2030, 6, 3, 8, tzinfo=UTC)


def test_a_utc_conference_writes_utc_times_and_no_vtimezone():
    data = programme_calendar(tiny_schedule(timezone="UTC"), STAMP)
    assert b"BEGIN:VTIMEZONE" not in data and b"DTSTART:20300603T080000Z" in data
    assert len(vobject_events(data)) == 3


# --- golden files and byte identity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "relative"),
    [
        ("tiny", PROGRAMME),
        ("tiny", "calendars/people/zoe-ng.ics"),
        ("tiny", "calendars/themes/money-funds-bonds.ics"),
        ("tiny-replanned", "calendars/people/sam-lee-jr.ics"),
    ],
)
def test_golden_tiny_calendars(case: str, relative: str):
    schedule = tiny_schedule() if case == "tiny" else tiny_replanned()[1]
    data = calendar_files(schedule, STAMP)[relative]
    golden = GOLDEN / (f"{case}-" + relative.replace("/", "-"))
    if os.environ.get("PLANNER_REGENERATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_same_schedule_and_source_date_epoch_give_byte_identical_folders(tmp_path, monkeypatch, example):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = write_calendars(example.second, tmp_path / "one")
    second = write_calendars(example.second, tmp_path / "two")
    assert [p.relative_to(tmp_path / "one") for p in first] == [p.relative_to(tmp_path / "two") for p in second]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
    assert events((tmp_path / "one" / PROGRAMME).read_bytes())[0]["DTSTAMP"].dt == STAMP


def test_dtstamp_is_source_date_epoch_else_now_to_the_second():
    assert publication_stamp({"SOURCE_DATE_EPOCH": EPOCH}) == STAMP
    before = datetime.now(UTC).replace(microsecond=0)
    now = publication_stamp({})
    assert now.microsecond == 0 and before <= now <= datetime.now(UTC) and now.tzinfo is UTC
    for bad in ("yesterday", "-1", "1.5", "9" * 30):
        with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
            publication_stamp({"SOURCE_DATE_EPOCH": bad})
    with pytest.raises(ValueError, match="timezone-aware"):
        programme_calendar(tiny_schedule(), datetime(2030, 1, 1))


def test_round_trip_through_schedule_json_gives_the_same_calendars(tmp_path, example, example_files):
    path = tmp_path / "schedule.json"
    path.write_text(schedule_document(example.first), encoding="utf-8")
    assert calendar_files(read_schedule(path), STAMP) == example_files
    path.write_text(schedule_document(example.second), encoding="utf-8")
    assert calendar_files(read_schedule(path), STAMP) == calendar_files(example.second, STAMP)


def test_programme_read_back_matches_the_schedule(example, example_files):
    schedule = example.first
    found = by_uid(example_files[PROGRAMME])
    rooms = {r.id: r.name for r in schedule.conference.rooms}
    for assignment in schedule.assignments:
        event = found[session_uid(schedule, assignment.session.id)]
        assert (event["DTSTART"].dt, event["DTEND"].dt) == (assignment.start, assignment.end)
        assert str(event["SUMMARY"]) == assignment.session.title
        assert str(event["LOCATION"]).startswith(rooms[assignment.room] + ", ")
        assert int(event["SEQUENCE"]) == assignment.sequence and str(event["STATUS"]) == "CONFIRMED"


# --- re-plans: stable UIDs, rising SEQUENCE, cancellations --------------------------------------------------------


def test_a_replan_keeps_uids_raises_the_moved_sequence_and_cancels_the_withdrawn(example):
    first, second, moved, gone = example.first, example.second, example.moved, example.gone
    before = by_uid(programme_calendar(first, STAMP))
    after = by_uid(programme_calendar(second, STAMP + timedelta(days=1)))
    assert before.keys() == after.keys()
    uid = session_uid(first, moved)
    assert after[uid]["DTSTART"].dt != before[uid]["DTSTART"].dt
    assert int(after[uid]["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
    cancelled = after[session_uid(first, gone)]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1
    assert cancelled["DTSTART"].dt == before[session_uid(first, gone)]["DTSTART"].dt
    assert str(cancelled["SUMMARY"]).startswith("Cancelled: ")
    thinned = session_uid(first, example.thinned)  # same place, one person fewer: an update too
    assert after[thinned]["DTSTART"].dt == before[thinned]["DTSTART"].dt
    assert int(after[thinned]["SEQUENCE"]) == int(before[thinned]["SEQUENCE"]) + 1
    for other in set(before) - {uid, session_uid(first, gone), thinned}:
        same = before[other]["DTSTART"].dt == after[other]["DTSTART"].dt
        assert same == (int(after[other]["SEQUENCE"]) == int(before[other]["SEQUENCE"])), other


def test_a_cancelled_session_stays_in_its_room_theme_and_peoples_calendars(example):
    first, second, gone = example.first, example.second, example.gone
    uid = session_uid(first, gone)
    was = placed(first, gone)
    files = calendar_files(second, STAMP)
    holding = {path for path, data in files.items() if uid in by_uid(data)}
    people = {p.id: p.name for p in first.people}
    # programme, its room, each of its themes, each of its people, each attendee who picked it
    audience = first.conference.audience
    pickers = sum(gone in picks for picks in audience.picks.values()) if audience else 0
    assert len(holding) == 1 + 1 + len(was.session.themes) + len(was.session.people) + pickers
    for path in holding:
        assert str(by_uid(files[path])[uid]["STATUS"]) == "CANCELLED", path
    room = next(r.name for r in first.conference.rooms if r.id == was.room)
    assert any(f"X-WR-CALNAME:Social Outcomes Conference 2025: {room}".encode() in files[p] for p in holding)
    for person in was.session.people:
        assert any(f": {people[person]}".encode() in files[p] for p in holding if p.startswith("calendars/people/"))


# --- people, rooms, picks -----------------------------------------------------------------------------------------


def test_everyone_who_chairs_or_speaks_gets_a_calendar_of_exactly_their_sessions(example):
    schedule = example.first
    calendars = feeds_under(PEOPLE, schedule, STAMP)
    everyone = {p for a in schedule.assignments for p in a.session.people}
    assert len(calendars) == len(everyone)
    names = {p.id: p.name for p in schedule.people}
    for data in calendars.values():
        name = str(Calendar.from_ical(data)["X-WR-CALNAME"]).removeprefix("Social Outcomes Conference 2025: ")
        (person,) = [p for p in everyone if names[p] == name]
        expected = {session_uid(schedule, a.session.id) for a in schedule.assignments if person in a.session.people}
        assert set(by_uid(data)) == expected


def test_each_room_gets_a_calendar_of_its_sessions(example):
    schedule = example.first
    calendars = feeds_under(ROOMS, schedule, STAMP)
    assert sorted(calendars) == [
        f"calendars/rooms/{name}.ics"
        for name in ("lecture-theatre", "seminar-room-1", "seminar-room-2", "seminar-room-3")
    ]
    hall = by_uid(calendars["calendars/rooms/lecture-theatre.ics"])
    assert set(hall) == {session_uid(schedule, a.session.id) for a in schedule.assignments if a.room == "hall"}


def test_each_theme_gets_a_calendar_of_its_sessions_cancelled_ones_included(example):
    schedule = example.second
    calendars = feeds_under(THEMES, schedule, STAMP)
    labels = {t.id: t.label for t in schedule.conference.themes}
    cancelled = [u.was for u in schedule.unscheduled if u.was is not None]
    used = {t for a in (*schedule.assignments, *cancelled) for t in a.session.themes}
    assert len(calendars) == len(used) > 1
    for data in calendars.values():
        name = calendar_name(data).removeprefix("Social Outcomes Conference 2025: ")
        (theme,) = [t for t in used if labels[t] == name]
        found = by_uid(data)
        expected = {a.session.id: a for a in (*schedule.assignments, *cancelled) if theme in a.session.themes}
        assert set(found) == {session_uid(schedule, s) for s in expected}
        for session_id, assignment in expected.items():
            status = "CANCELLED" if assignment in cancelled else "CONFIRMED"
            assert str(found[session_uid(schedule, session_id)]["STATUS"]) == status


def test_theme_feeds_are_named_from_their_labels():
    assert sorted(feeds_under(THEMES, tiny_schedule(), STAMP)) == [
        "calendars/themes/data.ics",
        "calendars/themes/money-funds-bonds.ics",
    ]


def test_picks_hold_the_chosen_sessions_cancelled_ones_included():
    schedule = tiny_schedule()
    data = picks_calendar(schedule, ["t2", "k1", "k1"], stamp=STAMP)
    assert list(by_uid(data)) == ["k1@tiny30.planner", "t2@tiny30.planner"]
    assert str(by_uid(data)["t2@tiny30.planner"]["STATUS"]) == "CANCELLED"
    assert str(Calendar.from_ical(data)["X-WR-CALNAME"]) == "Tiny Conference 2030: my sessions"
    assert b"X-WR-CALNAME:Mine" in picks_calendar(schedule, ["t1"], name="Mine", stamp=STAMP)


def test_picks_with_unknown_ids_name_every_one_of_them():
    with pytest.raises(UnknownSessions, match="not in the programme: nope, t9") as raised:
        picks_calendar(tiny_schedule(), ["k1", "nope", "t9"], stamp=STAMP)
    assert raised.value.ids == ("nope", "t9")
    with pytest.raises(ValueError, match="at least one"):
        picks_calendar(tiny_schedule(), [], stamp=STAMP)


def test_a_proposal_never_published_is_in_no_calendar():
    schedule = tiny_schedule()
    schedule = schedule.model_copy(update={"unscheduled": (schedule.unscheduled[0].model_copy(update={"was": None}),)})
    files = calendar_files(schedule, STAMP)
    assert all(b"t2@tiny30.planner" not in data for data in files.values())
    with pytest.raises(UnknownSessions):
        picks_calendar(schedule, ["t2"], stamp=STAMP)


# --- writing ------------------------------------------------------------------------------------------------------


def test_write_calendars_writes_every_file_and_removes_feeds_nobody_has_any_more(tmp_path):
    stale = tmp_path / "calendars" / "people" / "someone-gone.ics"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    stale_theme = tmp_path / "calendars" / "themes" / "a-theme-gone.ics"
    stale_theme.parent.mkdir(parents=True)
    stale_theme.write_bytes(b"old")
    notes = tmp_path / "calendars" / "people" / "README.txt"
    notes.write_text("kept", encoding="utf-8")
    written = write_calendars(tiny_schedule(), tmp_path, STAMP)
    relative = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert relative == sorted(calendar_files(tiny_schedule(), STAMP))
    assert relative == [
        "calendars/people/ana-ruiz.ics",
        "calendars/people/sam-lee-jr.ics",
        "calendars/people/zoe-ng.ics",
        "calendars/rooms/main-hall.ics",
        "calendars/rooms/side-room.ics",
        "calendars/themes/data.ics",
        "calendars/themes/money-funds-bonds.ics",
        "programme.ics",
    ]
    assert not stale.exists() and not stale_theme.exists() and notes.exists()
    assert not list(tmp_path.rglob("*.tmp"))
