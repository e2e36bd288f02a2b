"""The Sessions sheet: written by planner, edited by a person with a spreadsheet, read back and checked."""

from datetime import UTC, date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from planner.check import check
from planner.check.read import read_agenda
from planner.errors import InputProblems
from planner.formats.sessions_sheet import COLUMNS
from tests.check.checkcon import CHECKCON, inputs, programme, session, sessions_workbook

PEOPLE = CHECKCON / "people.csv"


def written(tmp_path: Path, schedule=None) -> Path:
    path = tmp_path / "agenda.xlsx"
    path.write_bytes(sessions_workbook(schedule or programme()))
    return path


def edit(path: Path, change) -> None:
    """Open the workbook as a person would, change it, save it."""
    workbook = openpyxl.load_workbook(path)
    change(workbook["Sessions"], workbook)
    workbook.save(path)


def row_of(sheet, session_id: str) -> int:
    return next(row for row in range(2, sheet.max_row + 1) if sheet.cell(row, 1).value == session_id)


def column(name: str) -> int:
    return COLUMNS.index(name) + 1


def problems_of(path: Path, **options) -> list[tuple[str, str, str]]:
    with pytest.raises(InputProblems) as raised:
        read_agenda(path, **options)
    return [(str(p.where), p.field, p.message) for p in raised.value.problems]


def test_the_sheet_has_the_columns_real_dates_and_times_a_frozen_filtered_header_and_a_hidden_about(tmp_path):
    workbook = openpyxl.load_workbook(written(tmp_path))
    sheet = workbook["Sessions"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:J{len(programme().assignments) + 1}"
    first = [c.value for c in sheet[2]]
    assert first[:5] == ["key", datetime(2030, 6, 4), time(9, 0), time(10, 0), "Main Hall"]
    assert first[5:] == ["keynote", "Opening keynote", None, "Ana Ruiz", None]
    assert sheet.cell(2, column("day")).is_date and sheet.cell(2, column("start")).is_date
    about = workbook["About"]
    assert about.sheet_state == "hidden"
    assert {row[0]: row[1] for row in about.iter_rows(values_only=True)}["timezone"] == "Europe/London"


def test_a_round_trip_gives_back_the_programme(tmp_path):
    agenda, context = read_agenda(written(tmp_path))
    by_id = {item.session: item for item in agenda.items}
    for assignment in programme().assignments:
        item = by_id[assignment.session.id]
        assert (item.start, item.end) == (assignment.start.astimezone(UTC), assignment.end.astimezone(UTC))
        assert item.title == assignment.session.title and item.kind == assignment.session.kind
    assert by_id["t1"].room == "side" and by_id["t1"].themes == ("data",)  # the Draft sheet names the rooms
    assert by_id["key"].people == by_id["t4"].people == ("ana-ruiz",)
    assert check(agenda, context) == []
    agenda, context = read_agenda(written(tmp_path), conference_dir=CHECKCON)
    assert {item.room for item in agenda.items} == {"hall", "side"}
    assert check(agenda, context) == []


def test_a_person_edits_the_sheet_and_the_checker_names_what_broke(tmp_path):
    path = written(tmp_path)

    def by_hand(sheet, workbook):
        moved = row_of(sheet, "t2")  # moved into the afternoon: Cy is away then, and t3 has the side room
        sheet.cell(moved, column("start")).value = time(13, 0)
        sheet.cell(moved, column("end")).value = "14:00"  # typed as text
        one, other = row_of(sheet, "w1"), row_of(sheet, "t1")  # rooms swapped: 60 expected in a 30-seat room
        rooms = sheet.cell(one, column("room")).value, sheet.cell(other, column("room")).value
        sheet.cell(one, column("room")).value, sheet.cell(other, column("room")).value = rooms[1], rooms[0]
        sheet.append(
            [
                "late",
                date(2030, 6, 5),
                time(10, 0),
                time(11, 0),
                "Side Room",
                "talk",
                "A late talk",
                None,
                "Dr Ana Ruiz",
                "health",
            ]
        )
        sheet.delete_rows(row_of(sheet, "key"))

    edit(path, by_hand)
    agenda, context = read_agenda(path, conference_dir=CHECKCON)
    found = {(f.code, f.subject): f for f in check(agenda, context)}
    assert set(found) == {
        ("person_unavailable", "Cy Hart"),
        ("room_double_booked", "Side Room"),
        ("room_too_small", "Side Room"),
        ("person_overlap", "Ana Ruiz"),
        ("not_in_proposals", "late"),
        ("session_missing", "key"),
    }
    overlap = found[("person_overlap", "Ana Ruiz")]
    assert [(p.session, p.title, p.room) for p in overlap.sessions] == [
        ("late", "A late talk", "Side Room"),
        ("t4", "Day two talk", "Main Hall"),
    ]
    assert overlap.sessions[0].where == f"sheet Sessions, row {len(programme().assignments) + 1}"
    assert [p.session for p in found[("room_double_booked", "Side Room")].sessions] == ["t2", "t3"]
    assert [p.session for p in found[("room_too_small", "Side Room")].sessions] == ["w1"]
    assert found[("session_missing", "key")].severity == "error"


def test_names_match_through_titles_and_aliases(tmp_path):
    path = written(tmp_path)
    row = ["late", "2030-06-05", "10:00", "11:00", "hall", "talk", "Late", "Ana Ruíz Gómez", "Prof. Bo Li; Zed New"]
    edit(path, lambda sheet, _: sheet.append(row))
    for options in ({"conference_dir": CHECKCON}, {"people_path": PEOPLE}):
        agenda, context = read_agenda(path, **options)
        late = next(item for item in agenda.items if item.session == "late")
        assert late.people == ("ana-ruiz", "bo-li", "zed-new"), options
        assert context.people["zed-new"].name == "Zed New" and not context.people["zed-new"].unavailable
    assert "ana-ruiz" in context.people and context.people["cy-hart"].unavailable  # from --people


def test_times_typed_as_text_or_numbers_and_days_as_ids_are_read(tmp_path):
    path = written(tmp_path)

    def retype(sheet, _):
        row = row_of(sheet, "t4")
        sheet.cell(row, column("day")).value = "d2"
        sheet.cell(row, column("start")).value = 10 / 24
        sheet.cell(row, column("end")).value = "11.00"
        sheet.cell(row, column("kind")).value = "Talk"

    edit(path, retype)
    agenda, context = read_agenda(path, conference_dir=CHECKCON)
    t4 = next(item for item in agenda.items if item.session == "t4")
    assert (t4.start, t4.end, t4.kind) == (
        datetime(2030, 6, 5, 9, tzinfo=UTC),
        datetime(2030, 6, 5, 10, tzinfo=UTC),
        "talk",
    )
    assert check(agenda, context) == []


def test_unreadable_cells_are_reported_by_sheet_row_and_column_all_at_once(tmp_path):
    path = written(tmp_path)

    def spoil(sheet, _):
        rows = {s: row_of(sheet, s) for s in ("t1", "t2", "t3", "w1", "t4", "key", "opt")}
        sheet.cell(rows["t1"], column("start")).value = "25:00"
        sheet.cell(rows["t2"], column("end")).value = time(10, 30)
        sheet.cell(rows["t3"], column("room")).value = "Broom Cupboard"
        sheet.cell(rows["w1"], column("day")).value = "next Tuesday"
        sheet.cell(rows["t4"], column("id")).value = None
        sheet.cell(rows["key"], column("kind")).value = "lecture"
        sheet.cell(rows["opt"], column("themes")).value = "data; cooking"
        return rows

    rows = {}
    edit(path, lambda sheet, workbook: rows.update(spoil(sheet, workbook)))
    found = problems_of(path, conference_dir=CHECKCON)
    where = {session: f"sheet Sessions, row {row}" for session, row in rows.items()}
    assert [(w, f) for w, f, _ in found] == sorted(
        [
            (where["t1"], "start"),
            (where["t2"], "end"),
            (where["t3"], "room"),
            (where["w1"], "day"),
            (where["t4"], "id"),
            (where["key"], "kind"),
            (where["opt"], "themes"),
        ],
        key=lambda p: int(p[0].rsplit(" ", 1)[1]),
    )
    messages = {f: m for _, f, m in found}
    assert "expected a time such as 09:30" in messages["start"]
    assert "not after the start 11:00" in messages["end"]
    assert "unknown room 'Broom Cupboard'" in messages["room"] and "Main Hall (hall)" in messages["room"]
    assert "'cooking'" in messages["themes"]


def test_without_the_about_sheet_the_zone_comes_from_the_conference_or_is_asked_for(tmp_path):
    path = written(tmp_path)
    edit(path, lambda _, workbook: workbook.remove(workbook["About"]))
    assert problems_of(path) == [
        ("", "", "has no 'About' sheet naming the time zone of its times; give --conference CONF_DIR")
    ]
    agenda, _ = read_agenda(path, conference_dir=CHECKCON)
    assert agenda.zone.key == "Europe/London" and len(agenda.items) == len(programme().assignments)


def test_an_about_zone_other_than_the_conferences_is_a_problem_not_a_guess(tmp_path):
    path = written(tmp_path)
    edit(path, lambda _, workbook: workbook["About"].cell(5, 2, "Europe/Paris"))
    [(where, field, message)] = problems_of(path, conference_dir=CHECKCON)
    assert (where, field) == ("sheet About", "timezone") and "Europe/London" in message


def test_a_workbook_without_the_sessions_sheet_or_a_column(tmp_path):
    path = written(tmp_path)
    edit(path, lambda sheet, _: sheet.delete_cols(column("speakers")))
    assert problems_of(path)[0][:2] == ("sheet Sessions, row 1", "speakers")
    edit(path, lambda sheet, _: setattr(sheet, "title", "Programme"))
    assert "has no sheet 'Sessions'" in problems_of(path)[0][2]
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert "not a readable .xlsx" in problems_of(tmp_path / "broken.xlsx")[0][2]


def test_a_workbook_that_would_unpack_too_large_is_refused_unread(tmp_path, monkeypatch):
    import planner.formats.sessions_sheet

    monkeypatch.setattr(planner.formats.sessions_sheet, "MAX_XLSX_UNCOMPRESSED", 1000)
    assert "refused as too large" in problems_of(written(tmp_path))[0][2]


def test_text_that_would_be_a_formula_is_written_as_text_and_read_back_as_written(tmp_path):
    risky = {
        "t1": session("t1", title='=HYPERLINK("http://example.invalid","x")'),
        "t2": session("t2", title="+1 more"),
        "t3": session("t3", title="@SUM(A1)"),
        "t4": session("t4", title="-minus"),
        "w1": session("w1", title="\tTabbed"),
    }
    path = written(tmp_path, programme(sessions=risky))
    sheet = openpyxl.load_workbook(path)["Sessions"]
    for session_id, changed in risky.items():
        cell = sheet.cell(row_of(sheet, session_id), column("title"))
        assert (cell.value, cell.data_type, cell.quotePrefix) == (changed.title, "s", True)
    agenda, _ = read_agenda(path)
    titles = {item.session: item.title for item in agenda.items}
    assert all(titles[s] == changed.title.strip() for s, changed in risky.items())


def test_the_workbook_is_byte_identical_run_after_run():
    assert sessions_workbook(programme()) == sessions_workbook(programme())


def test_a_schedule_drafted_by_the_solver_round_trips_without_errors(tmp_path):
    from planner.check import errors
    from planner.solve.run import Settings, draft

    answer = draft(inputs(), settings=Settings(time_limit=10, workers=1))
    agenda, context = read_agenda(written(tmp_path, answer.schedule), conference_dir=CHECKCON)
    assert errors(check(agenda, context)) == []
