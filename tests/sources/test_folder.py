"""A conference folder from what a source gives, without a network: windows outside availabilities, placeholder
blocks that close a room where it is not available, names the identity rules would merge, text cut to fit, and a
re-run that keeps the organiser's rows, removals and file."""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.io.folder import load_folder
from planner.sources.folder import update_folder, write_folder
from planner.sources.proposals import Imported, SourceKind, SourcePerson, SourceProposal, SourceRoom, SourceTheme
from planner.sources.rows import unavailable

ZONE = ZoneInfo("Europe/Vienna")
DAY1, DAY2 = date(2031, 5, 5), date(2031, 5, 6)


def at(on: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(on, time(hour, minute), tzinfo=ZONE)


def event(**changes: object) -> Imported:
    made = Imported(
        source="pretalx",
        origin="https://pretalx.example.org, event democon",
        name="DemoCon 2031",
        slug="democon",
        timezone="Europe/Vienna",
        first=DAY1,
        last=DAY2,
        rooms=(
            SourceRoom("1", "Hall", 200, ((at(DAY1, 9), at(DAY1, 18)), (at(DAY2, 9), at(DAY2, 18)))),
            SourceRoom("2", "Lab", None, ((at(DAY1, 9), at(DAY1, 12)),)),
        ),
        kinds=(SourceKind("7", "Talk"), SourceKind("8", "Workshop", "#112233")),
        themes=(SourceTheme("3", "Web"),),
        people=(
            SourcePerson("P1", "Ana Ruiz", available=((at(DAY1, 13), at(DAY1, 18)),)),
            SourcePerson("P2", "Dr Ana Ruiz"),
            SourcePerson("P3", "Bo; Li", organisation="Civic"),
        ),
        proposals=(
            SourceProposal("AAA", "Talk A", "7", 30, ("3",), ("P1",), "An abstract."),
            SourceProposal("BBB", "Workshop B\x07", "8", 90, (), ("P2", "P3")),
            SourceProposal("CCC", "T" * 400, "7", 45, (), ("P3",), "x" * 12_000),
        ),
    )
    return Imported(**{**made.__dict__, **changes})  # type: ignore[arg-type]


def table(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_unavailable_is_the_event_days_outside_the_availabilities() -> None:
    spans = [
        (
            at(
                DAY1,
                9,
                0,
            ),
            at(DAY1, 12, 30),
        ),
        (at(DAY1, 14), at(DAY2, 10, 0)),
    ]
    assert unavailable(spans, DAY1, DAY2, ZONE) == [
        "2031-05-05 00:00-09:00",
        "2031-05-05 12:30-14:00",
        "2031-05-06 10:00-23:59",
    ]
    assert unavailable([(at(DAY1, 9), at(DAY1, 10))], DAY1, DAY2, ZONE)[-1] == "2031-05-06"


def test_windows_are_rounded_outwards_to_the_minute() -> None:
    spans = [(at(DAY1, 9).replace(second=30), at(DAY1, 17).replace(second=1))]
    assert unavailable(spans, DAY1, DAY1, ZONE) == ["2031-05-05 00:00-09:00", "2031-05-05 17:01-23:59"]


def test_a_first_import_is_a_folder_that_validates(tmp_path: Path) -> None:
    update = update_folder(event(), tmp_path / "democon")
    write_folder(update, tmp_path / "democon")
    loaded = load_folder(tmp_path / "democon")
    conference = loaded.conference
    assert conference.timezone == "Europe/Vienna" and [d.date for d in conference.days] == [DAY1, DAY2]
    assert {r.id: r.capacity for r in conference.rooms} == {"hall": 200, "lab": 100}  # no capacity: a placeholder
    assert [b.id for b in conference.blocks if "lab" in b.rooms] == ["d1-1"]  # 09:00-10:30 only
    assert {k.id: k.colour for k in conference.kinds} == {"talk": None, "workshop": "#112233"}
    sessions = {s.id: s for s in loaded.sessions}
    assert sessions["AAA"].themes == ("web",) and sessions["AAA"].speakers == ("ana-ruiz-p1",)
    assert sessions["BBB"].title == "Workshop B"  # the control character dropped
    assert len(sessions["CCC"].title) == 300 and len(sessions["CCC"].abstract) == 10_000
    people = {p.id: p for p in loaded.people}
    assert {p.name for p in people.values()} == {"Ana Ruiz (P1)", "Dr Ana Ruiz (P2)", "Bo, Li"}
    assert people["bo-li"].organisation == "Civic"
    assert any("abstract is cut" in str(w) for w in update.warnings)


def test_a_rerun_keeps_rows_the_organiser_added_and_rooms_they_removed(tmp_path: Path) -> None:
    folder = tmp_path / "democon"
    write_folder(update_folder(event(), folder), folder)
    with (folder / "sessions.csv").open("a", encoding="utf-8") as handle:
        handle.write("own-1,Our own session,talk,30,,,,,,,,,,,\n")
    conference = folder / "conference.yaml"
    conference.write_text(conference.read_text().replace("  - {id: lab, name: Lab, capacity: 100}\n", ""))
    grown = event(rooms=(*event().rooms, SourceRoom("9", "Annex", 30)), themes=(SourceTheme("3", "Web"),))
    update = update_folder(grown, folder)
    write_folder(update, folder)
    assert update.changes.kept == ("own-1",)
    assert "own-1" in table(folder / "sessions.csv")
    text = conference.read_text()
    assert "id: lab" not in text and "  - {id: annex, name: Annex, capacity: 30}" in text
    assert any("room lab ('Lab') is in pretalx but was removed from conference.yaml" in n for n in update.notes)
    assert not any("validate` would report" in n for n in update.notes)
    load_folder(folder)


def test_a_list_written_in_flow_style_is_left_alone_and_the_addition_told(tmp_path: Path) -> None:
    folder = tmp_path / "democon"
    write_folder(update_folder(event(), folder), folder)
    conference = folder / "conference.yaml"
    text = conference.read_text()
    start, end = text.index("rooms:\n"), text.index("kinds:\n")
    conference.write_text(
        text[:start]
        + "rooms: [{id: hall, name: Hall, capacity: 200}, {id: lab, name: Lab, capacity: 100}]\n"
        + text[end:]
    )
    before = conference.read_text()
    update = update_folder(event(rooms=(*event().rooms, SourceRoom("9", "Annex", 30))), folder)
    assert update.files["conference.yaml"] == before
    assert any("room annex is new in pretalx; add it to conference.yaml's rooms" in n for n in update.notes)


def test_an_unreadable_record_is_a_warning_and_ids_are_made_again(tmp_path: Path) -> None:
    folder = tmp_path / "democon"
    write_folder(update_folder(event(), folder), folder)
    (folder / "source.yaml").write_text("rooms: [unclosed\n")
    update = update_folder(event(), folder)
    assert any("source.yaml: cannot be read" in str(w) for w in update.warnings)
    assert update.files["sessions.csv"] == (folder / "sessions.csv").read_text()


def test_a_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    from planner.errors import InputProblems

    (tmp_path / "file").write_text("")
    with pytest.raises(InputProblems, match="is not a folder"):
        update_folder(event(), tmp_path / "file")


def test_a_row_deleted_while_the_source_still_runs_it_is_written_back_and_said(tmp_path: Path) -> None:
    folder = tmp_path / "democon"
    write_folder(update_folder(event(), folder), folder)
    sessions = folder / "sessions.csv"
    sessions.write_text("".join(line for line in sessions.read_text().splitlines(True) if not line.startswith("BBB,")))
    update = update_folder(event(), folder)
    assert update.changes.restored == (("BBB", "Workshop B"),)
    assert "BBB" in update.files["sessions.csv"]


def test_an_import_into_a_folder_from_the_history_template_keeps_its_grid_and_says_the_dates_differ(
    tmp_path: Path,
) -> None:
    from planner.history.load import load_history
    from planner.history.template import template_files

    folder = tmp_path / "next"
    folder.mkdir()
    for name, text in template_files(load_history(), 2031, date(2031, 9, 11), folder).items():
        (folder / name).write_text(text)
    template = (folder / "conference.yaml").read_text()
    update = update_folder(event(), folder)
    write_folder(update, folder)
    text = (folder / "conference.yaml").read_text()
    assert text.startswith(template.split("rooms:")[0])  # the template's header and scalars as they were
    assert "id: talk" in text and "id: workshop" in text
    assert "conference.yaml's days run 2031-09-11 to 2031-09-12; pretalx gives 2031-05-05 to 2031-05-06" in " ".join(
        update.notes
    )
    assert not any("validate` would report" in n for n in update.notes), update.notes
    load_folder(folder)
