"""schedule.xml: valid against c3voc's XSD (tests/formats/data/schedule.xml.xsd; where it comes from:
data/README.md), the same programme as schedule.frab.json, read back by our reader and the checker, byte-identical
output, hostile text kept as XML can hold it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from planner.check import check, errors
from planner.check.read import read_agenda
from planner.domain import Schedule
from planner.errors import Collector
from planner.formats.frab.read import frab_from_json, read_frab_xml
from planner.formats.frab.write import frab_schedule
from planner.formats.frab.write_xml import frab_schedule_xml
from tests.export.agenda_sample import hostile, soc2025, tiny

XSD = Path(__file__).parent / "data" / "schedule.xml.xsd"
SCHEDULES = {"tiny": tiny, "hostile": lambda: hostile(tiny()), "soc2025": soc2025}


@cache
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def xsd_errors(text: str) -> list[str]:
    schema = xsd()
    schema.validate(etree.fromstring(text.encode("utf-8")))
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def written(tmp_path: Path, schedule: Schedule, name: str = "schedule.xml") -> Path:
    path = tmp_path / name
    path.write_text(frab_schedule_xml(schedule) if name.endswith(".xml") else frab_schedule(schedule), "utf-8")
    return path


@pytest.mark.parametrize("name", SCHEDULES)
def test_output_is_valid_against_the_c3voc_xsd(name: str) -> None:
    assert xsd_errors(frab_schedule_xml(SCHEDULES[name]())) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("<duration>", "<duration>about ", 1), "duration"),
        (lambda t: t.replace('guid="', 'guid="x', 1), "guid"),
        (lambda t: t.replace("<title>", "<title2>", 1).replace("</title>", "</title2>", 1), "title2"),
    ],
)
def test_the_xsd_refuses_a_broken_document(change, expected: str) -> None:
    """The validation would pass vacuously if the schema checked nothing: one broken part fails it."""
    broken = xsd_errors(change(frab_schedule_xml(tiny())))
    assert broken and any(expected in message for message in broken), broken


def test_the_xml_says_what_the_json_says(tmp_path: Path) -> None:
    schedule = soc2025()
    from_xml = read_frab_xml(written(tmp_path, schedule), "schedule.xml", None, Collector())
    document = json.loads(frab_schedule(schedule))
    from_json = frab_from_json(document, "schedule.frab.json", None, Collector())
    assert from_xml is not None and from_json is not None

    def seen(events):
        return sorted((e.title, e.start, e.end, e.room, e.persons, e.type, e.track) for e in events)

    assert seen(from_xml.events) == seen(from_json.events)
    assert len(from_xml.events) == len(schedule.assignments)
    assert from_xml.zone_said == "Europe/London (the file's time_zone_name)"


def test_the_xml_reads_back_through_the_checker_with_no_errors_and_the_same_placements(tmp_path: Path) -> None:
    from planner.formats.schedule_file import read_schedule_file
    from tests.export.agenda_sample import REPO

    schedule = soc2025()
    path = written(tmp_path, schedule)
    agenda, context = read_agenda(path, REPO / "examples" / "soc2025")
    assert errors(check(agenda, context)) == []
    back = read_schedule_file(path, REPO / "examples" / "soc2025").schedule
    assert {(a.session.id, a.room, a.start, a.end) for a in back.assignments} == {
        (a.session.id, a.room, a.start, a.end) for a in schedule.assignments
    }


def test_the_same_schedule_gives_the_same_bytes() -> None:
    schedule = tiny()
    shuffled = schedule.model_copy(update={"assignments": tuple(reversed(schedule.assignments))})
    assert frab_schedule_xml(schedule) == frab_schedule_xml(tiny()) == frab_schedule_xml(shuffled)


def test_hostile_text_is_escaped_and_characters_xml_cannot_hold_are_dropped(tmp_path: Path) -> None:
    schedule = hostile(tiny())
    text = frab_schedule_xml(schedule)
    assert "\x1b" not in text
    read = read_frab_xml(written(tmp_path, schedule), "schedule.xml", None, Collector())
    assert read is not None
    title = next(a.session.title for a in schedule.assignments if "<" in a.session.title or "&" in a.session.title)
    assert any(e.title == title.replace("\x1b", "").strip() for e in read.events)


def test_a_session_whose_id_is_a_pretalx_code_carries_it() -> None:
    schedule = tiny()
    first = schedule.assignments[0]
    renamed = first.model_copy(update={"session": first.session.model_copy(update={"id": "ABC123"})})
    schedule = schedule.model_copy(update={"assignments": (renamed, *schedule.assignments[1:])})
    text = frab_schedule_xml(schedule)
    assert 'code="ABC123"' in text and xsd_errors(text) == []
