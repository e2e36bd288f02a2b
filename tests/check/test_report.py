"""The reports: one sentence per finding, cells that cannot break their table or run as formulas, the Clashes sheet."""

import io
from datetime import UTC

import openpyxl

from planner.check import Agenda, Finding, Placement, Severity, check_schedule, errors, schedule_agenda
from planner.check.report import markdown_report, message, summary, table_text
from planner.export.clashes_sheet import xlsx_report
from tests.check.checkcon import inputs, programme, session
from tests.paths import REPO

ZONE = inputs().conference.zone


def findings_and_agenda(schedule):
    return check_schedule(schedule, inputs().sessions), schedule_agenda(schedule)[0]


def test_summary_counts_errors_and_warnings():
    error = Finding(Severity.ERROR, "person_overlap", "A", "x")
    warning = Finding(Severity.WARNING, "back_to_back", "A", "x")
    assert summary([]) == "no clashes"
    assert summary([error]) == "1 error, 0 warnings"
    assert summary([error, error, warning]) == "2 errors, 1 warning"


def test_a_message_names_who_what_and_each_session_with_time_and_room():
    found, _ = findings_and_agenda(programme({"t3": None}, {"t1": session("t1", speakers=("bo-li", "eve-stone"))}))
    texts = [message(f, ZONE) for f in found]
    assert texts == [
        "Eve Stone: in two sessions at once: 'Data in practice' [t1] Tue 04 Jun 10:00-11:00 in Side Room; "
        "'Money workshop' [w1] Tue 04 Jun 10:00-12:00 in Main Hall",
        "t3: proposed but not scheduled: 'Data at scale' [t3]",
    ]


def test_markdown_cells_cannot_break_the_table():
    agenda = Agenda(source="s", items=(), zone=UTC)
    placement = Placement("x", "Pipes | and\nlines")
    report = markdown_report([Finding(Severity.ERROR, "session_missing", "x", "gone", (placement,))], agenda)
    assert report.count("\n| error") == 1 and "Pipes \\| and lines" in report


def test_the_clashes_sheet_stores_formula_like_text_as_text():
    agenda = Agenda(source="s", items=(), zone=UTC)
    risky = Finding(Severity.WARNING, "not_in_proposals", "=cmd|' /C calc'!A0", "@SUM(1)", (Placement("-x", "+y"),))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_report([risky], agenda)))
    row = [cell for cell in workbook["Clashes"][2]]
    assert [c.value for c in row[:5]] == ["warning", "not_in_proposals", "=cmd|' /C calc'!A0", "@SUM(1)", "-x: +y"]
    assert all(c.data_type == "s" for c in row[:5]) and row[2].quotePrefix and row[3].quotePrefix


def test_the_table_says_so_when_there_is_nothing_to_report():
    found, agenda = findings_and_agenda(programme())
    assert table_text(found, agenda).strip() == "schedule: 7 sessions placed; no clashes."


def test_the_solvers_draft_of_the_example_conference_breaks_no_rule():
    """The checker as the solver's independent validator, on the example conference."""
    from planner.io.folder import load_folder
    from planner.solve.run import Settings, draft

    example = load_folder(REPO / "examples" / "soc2025")
    answer = draft(example, settings=Settings(time_limit=20, workers=1))
    assert errors(check_schedule(answer.schedule, example.sessions)) == []
