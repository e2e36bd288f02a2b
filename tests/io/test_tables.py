"""Each input format reads into the same model."""

from pathlib import Path

import pytest

from planner.io.folder import load_folder
from tests.conftest import csv_to_xlsx, csv_to_yaml
from tests.paths import DATA


@pytest.fixture(scope="module")
def reference():
    return load_folder(DATA / "mini")


def test_csv_folder_loads_with_names_resolved(reference):
    sessions = {s.id: s for s in reference.sessions}
    assert sessions["open"].speakers == ("ana-ruiz",)  # "Dr Ana Ruiz": title dropped
    assert sessions["dd-data"].chair == "bo-li"  # "Prof. Bo Li"
    assert sessions["dd-data"].speakers == ("ana-ruiz", "cem-aydin")
    assert sessions["dd-nhs"].optional and not sessions["dd-data"].optional
    assert sessions["open"].pin.model_dump() == {"day": "d1", "block": "open", "room": "hall"}
    assert sessions["open"].requires == ("streaming",)
    people = {p.id: p for p in reference.people}
    assert people["ana-ruiz"].unavailable[0].start.isoformat() == "2030-03-28T12:30:00+00:00"  # GMT until 31 March
    assert people["dee-moss"].unavailable[0].end.isoformat() == "2030-03-30T00:00:00+00:00"  # a whole day
    assert people["cem-aydin"].max_sessions_per_day == 2


def test_conference_defaults_and_exact_times(reference):
    conference = reference.conference
    block = {b.id: b for b in conference.blocks}
    assert block["am"].rooms == ("hall", "side")  # default: every room
    assert block["open"].start.isoformat() == "2030-03-28T09:00:00+00:00"
    assert [d.name for d in conference.days] == ["Day 1"]


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "mixed"])
def test_every_format_gives_the_same_model(mini: Path, reference, fmt):
    if fmt in ("yaml", "mixed"):
        csv_to_yaml(mini / "sessions.csv", "sessions")
    if fmt in ("xlsx", "mixed"):
        csv_to_xlsx(mini / "people.csv", "People")
    if fmt == "xlsx":
        csv_to_xlsx(mini / "sessions.csv", "Sessions")
    assert load_folder(mini) == reference


def test_csv_saved_by_excel_on_windows(mini: Path, reference):
    """cp1252 with a BOM-less header and semicolon separators, as a European Excel writes 'CSV'."""
    text = (mini / "people.csv").read_text(encoding="utf-8").replace(",", ";").replace("Ana Ruíz Gómez", "Ana Ruíz")
    (mini / "people.csv").write_bytes(text.encode("cp1252"))
    people = {p.id: p for p in load_folder(mini).people}
    assert people["ana-ruiz"].aliases == ("Ana Ruíz",)


def test_utf8_bom_is_ignored(mini: Path, reference):
    path = mini / "sessions.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_folder(mini) == reference


def test_without_a_people_file_names_become_people(mini: Path):
    (mini / "people.csv").unlink()
    loaded = load_folder(mini)
    assert {p.id for p in loaded.people} == {"ana-ruiz", "bo-li", "cem-aydin", "dee-moss"}
    assert all(not p.unavailable for p in loaded.people)
