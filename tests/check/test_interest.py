"""The attendee_conflict finding: with an interest table (`planner check --interest FILE`, or a schedule that carries
one), a warning for each pair of picked sessions run at once, with how many attendees want both."""

from pathlib import Path

import pytest

from planner.check import Severity, schedule_agenda
from planner.check import rules as R
from planner.check.read import read_agenda
from planner.domain import Audience, PairCount
from planner.errors import InputProblems
from planner.export.atomic import write_atomic
from planner.formats.schedule_json import schedule_document
from tests.check.checkcon import inputs, programme

PICKS = {"a1": {"t1": 1, "w1": 2, "t4": 1}, "a2": {"t1": 3, "w1": 2}, "a3": {"t3": 1, "opt": 1}, "a4": {"t2": 1}}


def _findings(audience: Audience | None):
    schedule = programme(audience=audience)
    return R.attendee_conflict(*schedule_agenda(schedule, inputs().sessions))


def test_each_pair_of_picks_run_at_once_is_a_warning_with_how_many_want_both():
    """t1 (10-11) runs beside w1 (10-12): a1 and a2 want both (lesser weights 1 + 2); t3 beside opt: a3."""
    found = {tuple(p.session for p in f.sessions): f for f in _findings(Audience(picks=PICKS))}
    assert set(found) == {("t1", "w1"), ("opt", "t3")}
    both = found[("t1", "w1")]
    assert both.severity is Severity.WARNING and both.code == "attendee_conflict"
    assert (
        both.subject == "2 attendees" and both.detail == "picked both, at the same time; counts 3 in attendee_conflict"
    )
    assert (
        found[("opt", "t3")].subject == "1 attendee" and found[("opt", "t3")].detail == "picked both, at the same time"
    )


def test_no_interest_no_finding_and_pairs_apart_are_quiet():
    assert _findings(None) == []
    assert _findings(Audience(picks={"a1": {"t1": 1, "t2": 1, "t4": 1}})) == []  # t1 ends when t2 starts


def test_the_aggregated_form_counts_its_pairs():
    [finding] = _findings(Audience(pairs=(PairCount(sessions=("w1", "t2"), attendees=12),)))
    assert finding.subject == "12 attendees"


def test_contested_pairs_weigh_what_the_term_counts():
    schedule = programme(audience=Audience(picks=PICKS))
    assert sum(i.weight for _, _, i in R.contested(*schedule_agenda(schedule, inputs().sessions))) == 3 + 1


def _saved(tmp_path: Path) -> Path:
    return write_atomic(tmp_path / "schedule.json", schedule_document(programme()))


def test_interest_given_apart_is_read_against_the_agendas_sessions(tmp_path: Path):
    table = tmp_path / "interest.csv"
    table.write_text("attendee,session\nx1,t3\nx1,opt\n", encoding="utf-8")
    agenda, context = read_agenda(_saved(tmp_path), interest_path=table)
    [finding] = R.attendee_conflict(agenda, context)
    assert [p.session for p in finding.sessions] == ["t3", "opt"] or [p.session for p in finding.sessions] == [
        "opt",
        "t3",
    ]


def test_a_bad_interest_table_is_an_input_problem_with_its_row(tmp_path: Path):
    table = tmp_path / "interest.csv"
    table.write_text("attendee,session\nx1,t33\n", encoding="utf-8")
    with pytest.raises(InputProblems) as caught:
        read_agenda(_saved(tmp_path), interest_path=table)
    [problem] = caught.value.problems
    assert (str(problem.where), problem.field) == ("row 2", "session") and "did you mean 't3'" in problem.message
    with pytest.raises(InputProblems) as missing:
        read_agenda(_saved(tmp_path), interest_path=tmp_path / "none.csv")
    assert "not found" in missing.value.problems[0].message
