"""What a subscription holds on to: UIDs and frab guids built on the conference's stable id, so renaming the edition
changes none of them; and `feed_paths`, the one list of where each feed is, which the calendars are written to."""

from __future__ import annotations

import json
from typing import Any

import pytest

from planner.domain import Schedule
from planner.export import ical
from planner.export.ical import PEOPLE, PROGRAMME, ROOMS, THEMES, attendee_feed_paths, calendar_files, feed_paths
from planner.formats.frab.write import frab_schedule
from tests.export.calendar_cases import STAMP, by_uid, example_schedules, tiny_replanned, tiny_schedule


def renamed(schedule: Schedule, edition: str) -> Schedule:
    return schedule.model_copy(update={"conference": schedule.conference.model_copy(update={"edition": edition})})


def uids_by_feed(schedule: Schedule) -> dict[str, list[str]]:
    return {path: list(by_uid(data)) for path, data in calendar_files(schedule, STAMP).items()}


def guids(value: Any) -> list[str]:
    """Every guid in a frab document (events, rooms, people), in document order."""
    if isinstance(value, dict):
        return [g for key, item in value.items() for g in ([item] if key == "guid" else guids(item))]
    if isinstance(value, list):
        return [g for item in value for g in guids(item)]
    return []


@pytest.fixture(scope="module", params=["tiny", "example"])
def schedule(request) -> Schedule:
    """A schedule with a stable conference id: the tiny one given one, and the example's re-plan (which has one)."""
    if request.param == "tiny":
        tiny = tiny_replanned()[1]
        return tiny.model_copy(update={"conference": tiny.conference.model_copy(update={"id": "tiny"})})
    return example_schedules().second


# --- UIDs and guids -----------------------------------------------------------------------------------------------


def test_renaming_the_edition_changes_no_uid_in_any_feed(schedule):
    assert schedule.conference.id is not None
    before = uids_by_feed(schedule)
    after = uids_by_feed(renamed(schedule, "RENAMED-2031"))
    assert after == before
    assert all(uid.endswith(f"@{schedule.conference.id}.planner") for uids in before.values() for uid in uids)


def test_renaming_the_edition_changes_no_frab_guid(schedule):
    before = json.loads(frab_schedule(schedule))
    after = json.loads(frab_schedule(renamed(schedule, "RENAMED-2031")))
    assert len(guids(before)) > len(schedule.assignments)  # events, rooms and people
    assert guids(after) == guids(before)
    ids = [e["id"] for day in before["schedule"]["conference"]["days"] for r in day["rooms"].values() for e in r]
    ids_after = [e["id"] for day in after["schedule"]["conference"]["days"] for r in day["rooms"].values() for e in r]
    assert ids_after == ids


def test_without_an_id_the_uids_are_built_on_the_edition():
    """The fall-back, and the proof that the rename above is one that UIDs would see."""
    schedule = tiny_schedule()
    assert schedule.conference.id is None
    assert set(by_uid(calendar_files(schedule, STAMP)[PROGRAMME])) == {
        "k1@tiny30.planner",
        "t1@tiny30.planner",
        "t2@tiny30.planner",
    }
    assert uids_by_feed(renamed(schedule, "TINY31")) != uids_by_feed(schedule)


# --- feed_paths ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["tiny", "tiny-replanned", "example-first", "example-second"])
def test_feed_paths_are_exactly_where_the_calendars_are_written(case: str):
    schedule = {
        "tiny": tiny_schedule,
        "tiny-replanned": lambda: tiny_replanned()[1],
        "example-first": lambda: example_schedules().first,
        "example-second": lambda: example_schedules().second,
    }[case]()
    paths = feed_paths(schedule)
    assert list(paths) == ["programme", "people", "rooms", "themes"]
    assert paths["programme"] == {"": PROGRAMME}
    folders = {"people": PEOPLE, "rooms": ROOMS, "themes": THEMES}
    for group, folder in folders.items():
        assert all(path.startswith(folder + "/") and path.endswith(".ics") for path in paths[group].values())
        assert len(set(paths[group].values())) == len(paths[group])
    listed = [path for group in paths.values() for path in group.values()]
    listed += attendee_feed_paths(schedule).values()  # personal feeds, never offered on the page
    assert sorted(listed) == sorted(calendar_files(schedule, STAMP))


def test_feed_paths_key_people_rooms_and_themes_by_id():
    paths = feed_paths(tiny_schedule())
    assert paths["people"] == {
        "ana": "calendars/people/ana-ruiz.ics",
        "zoe": "calendars/people/zoe-ng.ics",
        "sam": "calendars/people/sam-lee-jr.ics",
    }
    assert paths["rooms"] == {"hall": "calendars/rooms/main-hall.ics", "side": "calendars/rooms/side-room.ics"}
    assert paths["themes"] == {"data": "calendars/themes/data.ics", "money": "calendars/themes/money-funds-bonds.ics"}


def test_each_feed_is_the_calendar_of_the_one_its_path_is_keyed_by():
    schedule = example_schedules().second
    files = calendar_files(schedule, STAMP)
    paths = feed_paths(schedule)
    for person, path in paths["people"].items():
        expected = {
            a.session.id
            for a in (*schedule.assignments, *(u.was for u in schedule.unscheduled if u.was is not None))
            if person in a.session.people or person in a.removed_people
        }
        assert {uid.split("@")[0] for uid in by_uid(files[path])} == expected, person
    for room, path in paths["rooms"].items():
        placed = {a.session.id for a in schedule.assignments if a.room == room}
        assert placed <= {uid.split("@")[0] for uid in by_uid(files[path])}, room


def test_feed_paths_renders_no_calendar(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("feed_paths rendered an event")

    monkeypatch.setattr(ical, "_event", refuse)
    monkeypatch.setattr(ical, "_calendar", refuse)
    assert feed_paths(example_schedules().second)["programme"] == {"": PROGRAMME}
