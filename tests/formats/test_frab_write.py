"""schedule.frab.json: valid against c3voc's published schema, read back by our frab reader and the checker, stable
guids and ids across a re-plan, byte-identical output, hostile text kept as it is.

The schema is tests/formats/data/frab-schedule.schema.json (where it comes from: data/README.md). It declares draft 06,
whose format vocabulary lacks 'date', 'uuid' and 'color', which it uses; we check those too, with the definitions
jsonschema gives them in later drafts, so a guid that is not a UUID fails here.

Golden file: tests/formats/golden/tiny.frab.json. After a deliberate change to the output, regenerate it with
`PLANNER_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/formats -k golden` and review the diff.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft6Validator, FormatChecker

from planner.check import check, errors
from planner.check.read import read_agenda
from planner.domain import Schedule
from planner.errors import Collector
from planner.formats.frab import write as frab_json
from planner.formats.frab.read import frab_from_json
from planner.formats.frab.write import acronym, event_guid, event_ids, event_slug, frab_schedule
from planner.replan import carry_over
from tests.export.agenda_sample import REPO, check_golden, hostile, soc2025, tiny

SCHEMA = Path(__file__).parent / "data" / "frab-schedule.schema.json"
EXAMPLE = REPO / "examples" / "soc2025"
NASTY = 'Zoë "quoted" \\ back\\slash </script> <b>&amp;</b>\nsecond line\u2028☃ \x1b[31m 😀'


@cache
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def validator() -> Draft6Validator:
    formats = {*Draft6Validator.FORMAT_CHECKER.checkers, "date", "uuid", "color"}
    return Draft6Validator(schema(), format_checker=FormatChecker(formats=formats))


def schema_errors(document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(document)]


def events(document: dict) -> list[dict]:
    return [
        event
        for day in document["schedule"]["conference"]["days"]
        for listed in day["rooms"].values()
        for event in listed
    ]


def written(tmp_path: Path, schedule: Schedule) -> Path:
    path = tmp_path / "schedule.frab.json"
    path.write_text(frab_schedule(schedule), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def soc() -> Schedule:
    return soc2025()


SCHEDULES = {"tiny": tiny, "hostile": lambda: hostile(tiny()), "soc2025": soc2025}


# --- the published schema -------------------------------------------------------------------------------------------


def test_the_schema_copy_is_a_valid_draft_06_schema():
    assert schema()["$schema"] == "http://json-schema.org/draft-06/schema#"
    assert schema()["$id"] == frab_json.SCHEMA
    Draft6Validator.check_schema(schema())


@pytest.mark.parametrize("name", SCHEDULES)
def test_output_is_valid_against_the_c3voc_schema(name):
    document = json.loads(frab_schedule(SCHEDULES[name]()))
    assert schema_errors(document) == []
    assert document["$schema"] == frab_json.SCHEMA


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        ("guid", "not-a-uuid", "is not a 'uuid'"),
        ("date", "28 March 2030", "is not a 'date-time'"),
        ("start", "9:00", "does not match"),
        ("duration", "90 minutes", "does not match"),
        ("url", "not a uri", "is not a 'uri'"),
    ],
)
def test_the_validator_refuses_a_broken_event(where, value, expected):
    """The schema test would pass vacuously if formats or patterns went unchecked: one broken field fails it."""
    document = json.loads(frab_schedule(tiny()))
    events(document)[0][where] = value
    assert any(expected in message for message in schema_errors(document))


def test_the_validator_refuses_a_missing_required_field():
    document = json.loads(frab_schedule(tiny()))
    del events(document)[0]["guid"]
    assert any("'guid' is a required property" in message for message in schema_errors(document))


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}", fullmatch=True), st.integers(1, 2**31 - 1))
def test_any_edition_and_session_id_make_an_acronym_and_slug_the_schema_accepts(text, number):
    conference = schema()["definitions"]["Conference"]["properties"]
    slug = schema()["definitions"]["Event"]["properties"]["slug"]["pattern"]
    schedule = tiny().model_copy(update={"conference": tiny().conference.model_copy(update={"edition": text})})
    assert re.search(conference["acronym"]["pattern"], acronym(schedule))
    assert re.search(slug, event_slug(text, number))


def test_a_slug_is_the_session_id_when_it_can_be():
    assert event_slug("dd-data", 7) == "dd-data"
    assert event_slug("Keynote.2030", 7) == "keynote-2030-7"
    assert event_slug("x", 7) == "x-7"


# --- golden file, byte identity, what is and is not listed ----------------------------------------------------------


def test_golden_tiny_frab_json():
    check_golden("tiny.frab.json", frab_schedule(tiny()), folder=Path(__file__).parent / "golden")


def test_the_same_schedule_gives_the_same_bytes_whatever_the_order_of_its_assignments():
    schedule = tiny()
    shuffled = schedule.model_copy(update={"assignments": tuple(reversed(schedule.assignments))})
    assert frab_schedule(schedule) == frab_schedule(tiny()) == frab_schedule(shuffled)


def test_each_placed_session_is_one_event_in_time_then_room_order_and_cancelled_ones_are_not_listed():
    schedule = tiny()
    document = json.loads(frab_schedule(schedule))
    listed = events(document)
    assert sorted(e["slug"] for e in listed) == sorted(a.session.id for a in schedule.assignments)
    assert "gone" not in {e["slug"] for e in listed} and "dropped" not in {e["slug"] for e in listed}
    assert event_guid(schedule, "gone") not in frab_schedule(schedule)
    days = document["schedule"]["conference"]["days"]
    assert [list(day["rooms"]) for day in days] == [["Main Hall", "Side Room"], ["Main Hall"]]
    assert [e["start"] for e in days[0]["rooms"]["Main Hall"]] == ["09:00", "10:00", "12:30"]


def test_event_fields_come_from_the_session_and_unknown_ones_are_empty():
    schedule = tiny()
    lab = next(e for e in events(json.loads(frab_schedule(schedule))) if e["slug"] == "ws-lab")
    assert (lab["date"], lab["start"], lab["end"], lab["duration"]) == (
        "2030-03-28T12:30:00+00:00",
        "12:30",
        "2030-03-28T14:30:00+00:00",
        "02:00",
    )
    assert (lab["room"], lab["title"], lab["type"], lab["track"]) == (
        "Side Room",
        "Contract design lab",
        "Workshop",
        "Workshop",
    )
    assert [p["name"] for p in lab["persons"]] == ["Cem Aydin", "Dee Moss"] and lab["description"] == "Chair: Cem Aydin"
    assert (lab["language"], lab["subtitle"], lab["links"], lab["attachments"], lab["do_not_record"]) == (
        "",
        "",
        [],
        [],
        None,
    )
    assert lab["url"] == f"urn:uuid:{lab['guid']}" and uuid.UUID(lab["guid"]).version == 5


def test_days_span_their_blocks_in_the_conference_zone_across_a_clock_change():
    """SOC25 is in September (BST): offsets are +01:00 and each day spans its first block to its last."""
    schedule = soc2025()
    days = json.loads(frab_schedule(schedule))["schedule"]["conference"]["days"]
    assert len(days) == len(schedule.conference.days)
    for day, planned in zip(days, schedule.conference.days, strict=True):
        assert day["day_start"] == planned.blocks[0].start.astimezone(schedule.conference.zone).isoformat()
        assert day["day_end"] == planned.blocks[-1].end.astimezone(schedule.conference.zone).isoformat()
        assert day["day_start"].endswith("+01:00")


def test_a_session_on_no_conference_day_gets_a_day_of_its_own_instead_of_being_dropped():
    schedule = tiny()
    late = next(a for a in schedule.assignments if a.session.id == "late")
    moved = late.model_copy(
        update={"start": late.start + timedelta(days=5), "end": late.end + timedelta(days=5), "day": None, "blocks": ()}
    )
    schedule = schedule.model_copy(
        update={"assignments": tuple(moved if a is late else a for a in schedule.assignments)}
    )
    document = json.loads(frab_schedule(schedule))
    conference = document["schedule"]["conference"]
    assert (conference["daysCount"], conference["end"]) == (3, "2030-04-02")
    assert [e["slug"] for e in conference["days"][2]["rooms"]["Main Hall"]] == ["late"]
    assert schema_errors(document) == []


# --- guids, ids and version across a re-plan ------------------------------------------------------------------------


def replanned(first: Schedule) -> Schedule:
    """A re-plan: the two morning talks swap rooms and the opening keynote is withdrawn."""
    swapped = {"hall": "side", "side": "hall"}
    assignments = tuple(
        a.model_copy(update={"room": swapped[a.room]}) if a.session.id in ("dd-data", "dd-nhs") else a
        for a in first.assignments
        if a.session.id != "open"
    )
    return carry_over(first, first.model_copy(update={"assignments": assignments}))


def test_guids_and_ids_stay_the_same_across_a_re_plan_and_the_version_moves_on():
    first = tiny()
    second = replanned(first)
    before = {e["slug"]: e for e in events(json.loads(frab_schedule(first)))}
    after = {e["slug"]: e for e in events(json.loads(frab_schedule(second)))}
    assert set(after) == set(before) - {"open"}
    assert all((after[s]["guid"], after[s]["id"]) == (before[s]["guid"], before[s]["id"]) for s in after)
    assert after["dd-data"]["room"] == "Side Room" and before["dd-data"]["room"] == "Main Hall"
    versions = [json.loads(frab_schedule(s))["schedule"]["version"] for s in (first, second)]
    assert versions[0].startswith("0-") and versions[1].startswith("3-")  # two moves and one cancellation
    assert schema_errors(json.loads(frab_schedule(second))) == []


def test_guids_depend_only_on_edition_and_session_id():
    schedule = tiny()
    assert event_guid(schedule, "open") == str(
        uuid.uuid5(uuid.NAMESPACE_URL, "urn:planner:session:open@mini30.planner")
    )
    other = schedule.model_copy(update={"conference": schedule.conference.model_copy(update={"edition": "MINI31"})})
    assert event_guid(other, "open") != event_guid(schedule, "open")


def test_event_ids_are_distinct_even_when_guids_collide(monkeypatch):
    monkeypatch.setattr(frab_json, "event_guid", lambda schedule, session_id: "12345678-1234-5678-1234-567812345678")
    numbers = event_ids(tiny())
    assert len(set(numbers.values())) == len(numbers) == 6
    assert all(1 <= n <= 2**31 - 1 for n in numbers.values())


# --- reading it back --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEDULES)
def test_our_frab_reader_reads_every_event_back_without_a_problem(name):
    schedule = SCHEDULES[name]()
    problems = Collector()
    frab = frab_from_json(json.loads(frab_schedule(schedule)), "schedule.frab.json", None, problems)
    assert problems.problems == [] and frab is not None
    assert frab.zone.key == schedule.conference.timezone
    assert len(frab.events) == len(schedule.assignments)


def test_the_tiny_schedule_reads_back_as_the_same_sessions_times_rooms_and_people(tmp_path):
    schedule = tiny()
    agenda, context = read_agenda(written(tmp_path, schedule))
    names = {p.id: p.name for p in schedule.people}
    rooms = {r.id: r.name for r in schedule.conference.rooms}
    expected = {
        (a.session.id, a.session.title, a.start, a.end, rooms[a.room], tuple(names[p] for p in a.session.people))
        for a in schedule.assignments
    }
    found = {
        (i.session, i.title, i.start, i.end, i.room, tuple(context.people[p].name for p in i.people))
        for i in agenda.items
    }
    assert found == expected


def test_the_soc25_draft_read_back_against_its_conference_has_no_checker_errors(tmp_path, soc):
    agenda, context = read_agenda(written(tmp_path, soc), conference_dir=EXAMPLE)
    placed = {a.session.id: a for a in soc.assignments}
    assert {i.session for i in agenda.items} == set(placed)
    for item in agenda.items:
        assignment = placed[item.session]
        assert (item.start, item.end, item.room) == (assignment.start, assignment.end, assignment.room)
        assert item.people == assignment.session.people and item.kind == assignment.session.kind
    assert errors(check(agenda, context)) == []


# --- hostile text -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [NASTY, "<script>alert(1)</script></script>", "\"'&<>"])
def test_hostile_text_passes_through_as_json_strings_unchanged(text):
    schedule = hostile(tiny(), title=text, name=text)
    raw = frab_schedule(schedule)
    document = json.loads(raw)
    titles = {e["slug"]: e["title"] for e in events(document)}
    assert titles == {a.session.id: a.session.title for a in schedule.assignments}
    assert document["schedule"]["conference"]["title"] == schedule.conference.name
    assert {r["name"] for r in document["schedule"]["conference"]["rooms"]} == {
        r.name for r in schedule.conference.rooms
    }
    persons = {p["name"] for e in events(document) for p in e["persons"]}
    assert persons == {p.name for p in schedule.people}
    assert "Zoë" not in text or "Zoë" in raw  # non-ASCII is written as itself, not \u-escaped
    assert schema_errors(document) == []
