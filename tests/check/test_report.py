"""The reports: one sentence per finding, cells that cannot break their table or run as formulas, the Clashes sheet."""

import io
import json
from dataclasses import replace
from datetime import UTC

import openpyxl
from rich.console import Console

from planner.check import Agenda, Finding, Placement, Severity, check, check_schedule, errors, schedule_agenda
from planner.check.report import json_report, markdown_report, message, print_table, summary, table_text
from planner.domain import AcceptedFinding, CheckSettings
from planner.export.clashes_sheet import NO_CLASHES, xlsx_report
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


def test_summary_counts_accepted_findings_apart():
    error = Finding(Severity.ERROR, "person_overlap", "A", "x")
    assert summary([error, replace(error, accepted="known")]) == "1 error, 0 warnings, 1 accepted"
    assert summary([replace(error, accepted="known")]) == "0 errors, 0 warnings, 1 accepted"


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


# Where each session is, names whole, accepted findings apart (issue 14) -------------------------------------------

LONG_NAME = "Kwame Asante-Mensah Oluwaseun-Adebayo"
LONG_TITLE = "Participatory budgeting in practice: what three decades of citizens' assemblies teach local councils"


def clash_with_long_names(settings: CheckSettings | None = None):
    """Eve, renamed LONG_NAME, in the workshop and in t1 (retitled LONG_TITLE) at once; each session placed at a row
    of the Sessions sheet."""
    schedule = programme(sessions={"t1": session("t1", title=LONG_TITLE, speakers=("bo-li", "eve-stone"))})
    people = tuple(p.model_copy(update={"name": LONG_NAME}) if p.id == "eve-stone" else p for p in schedule.people)
    agenda, context = schedule_agenda(schedule.model_copy(update={"people": people}), inputs().sessions)
    rows = tuple(replace(item, where=f"sheet Sessions, row {n}") for n, item in enumerate(agenda.items, start=2))
    agenda = replace(agenda, items=rows)
    return check(agenda, replace(context, settings=settings)), agenda


def test_output_that_is_not_a_terminal_never_cuts_names_or_titles_short():
    found, agenda = clash_with_long_names()
    piped = io.StringIO()
    print_table(found, agenda, Console(file=piped, width=60, color_system=None))
    for text in (piped.getvalue(), table_text(found, agenda)):
        assert f"person_overlap: {LONG_NAME}: in two sessions at once" in text
        assert f"t1, Tue 04 Jun 10:00-11:00, Side Room (sheet Sessions, row 3): {LONG_TITLE}" in text
        assert "…" not in text


def test_a_narrow_terminal_table_folds_cells_and_never_cuts_them():
    found, agenda = clash_with_long_names()
    terminal = io.StringIO()
    print_table(found, agenda, Console(file=terminal, width=70, force_terminal=True, color_system=None))
    text = terminal.getvalue()
    assert "┃ finding" in text and "…" not in text
    who = "".join(line.split("│")[2] for line in text.splitlines() if line.startswith("│"))
    assert "".join(who.split()) == LONG_NAME.replace(" ", "")  # folded over lines, every letter kept


def test_the_table_and_markdown_say_where_each_session_is():
    found, agenda = clash_with_long_names()
    terminal = io.StringIO()
    print_table(found, agenda, Console(file=terminal, width=200, force_terminal=True, color_system=None))
    assert "Side Room (sheet Sessions, row 3)" in terminal.getvalue()
    markdown = markdown_report(found, agenda)
    assert "| where " in markdown and "| sheet Sessions, row 3; sheet Sessions, row 4 |" in markdown
    assert LONG_NAME in markdown and LONG_TITLE in markdown


ACCEPTED = CheckSettings(
    accepted=(AcceptedFinding(finding="person_overlap", sessions=("t1", "w1"), reason="Chairs the first ten minutes"),)
)


def test_every_format_shows_accepted_findings_apart_with_their_reason():
    found, agenda = clash_with_long_names(ACCEPTED)
    assert errors(found) == []
    lines = table_text(found, agenda)
    assert "1 accepted." in lines and "\nAccepted, not counted (1):\n" in lines
    assert "    accepted: Chairs the first ten minutes" in lines
    terminal = io.StringIO()
    print_table(found, agenda, Console(file=terminal, width=160, force_terminal=True, color_system=None))
    assert "Accepted, not counted (1)" in terminal.getvalue() and "reason" in terminal.getvalue()
    markdown = markdown_report(found, agenda)
    counted, apart = markdown.split("## Accepted, not counted")
    assert "person_overlap" not in counted and "| reason" in apart and "Chairs the first ten minutes |" in apart
    document = json.loads(json_report(found, agenda))
    assert (document["errors"], document["accepted"], document["findings"]) == (0, 1, [])
    [kept] = document["accepted_findings"]
    assert (kept["code"], kept["reason"]) == ("person_overlap", "Chairs the first ten minutes")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_report(found, agenda)))["Clashes"]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    assert rows[0][0] == NO_CLASHES and rows[1][0] == "Accepted, not counted (1)"
    assert rows[2][-1] == "reason" and rows[3][1] == "person_overlap" and rows[3][-1] == "Chairs the first ten minutes"


def test_the_clashes_sheet_says_so_in_a_line_when_nothing_is_found():
    found, agenda = findings_and_agenda(programme())
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_report(found, agenda)))["Clashes"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [[NO_CLASHES]]
