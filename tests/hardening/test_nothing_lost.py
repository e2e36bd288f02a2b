"""Nothing proposed is lost: every proposal (and every session a previous schedule published) is exactly once either
placed or left out with a reason, in the Schedule the solver returns and in each file that lists the programme:
schedule.json, agenda.xlsx (the Sessions sheet, and the sheet of what is not in the programme) and agenda.md.

Four drafts: the example conference; optional sessions that cannot all fit; sessions that fit nowhere; and a re-plan
from which a published session was withdrawn. A required session that fits nowhere leaves no programme, and is named.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest
from markdown_it import MarkdownIt

from planner.domain import ConferenceInput, Person, Schedule, Session
from planner.export.outputs import write_outputs
from planner.formats.schedule_json import read_schedule
from planner.io.folder import load_folder
from planner.replan import WITHDRAWN
from planner.solve.run import NoProgramme, Settings, draft
from tests.paths import DATA, REPO

MARKDOWN = MarkdownIt("commonmark").enable("table")
LEFT_OUT_HEADING = "Not in the programme"


def solved(inputs: ConferenceInput, previous: Schedule | None = None) -> Schedule:
    """One worker and a generous limit: these are proven optimal in well under a second."""
    return draft(inputs, previous=previous, settings=Settings(time_limit=20, workers=1)).schedule


def mini_with(*sessions: Session, without: str = "") -> ConferenceInput:
    """tests/data/mini with more sessions, each speaker a new person, and one of its own left out."""
    mini = load_folder(DATA / "mini")
    people = {p for s in sessions for p in s.people} - {p.id for p in mini.people}
    return mini.model_copy(
        update={
            "sessions": tuple(s for s in mini.sessions if s.id != without) + sessions,
            "people": mini.people + tuple(Person(id=p, name=p.replace("-", " ").title()) for p in sorted(people)),
        }
    )


def deep_dive(number: int, **fields) -> Session:
    return Session(
        id=f"extra-{number}",
        title=f"Extra deep dive {number}",
        kind="deep_dive",
        duration=90,
        speakers=(f"speaker-{number}",),
        expected_audience=10,
        **fields,
    )


def example() -> tuple[ConferenceInput, Schedule]:
    inputs = load_folder(REPO / "examples" / "soc2025")
    return inputs, solved(inputs)


def optional_overflow() -> tuple[ConferenceInput, Schedule]:
    """Four deep-dive places, one taken by the required deep dive: six optional ones compete for three."""
    inputs = mini_with(*(deep_dive(n, optional=True) for n in range(5)))
    return inputs, solved(inputs)


def fits_nowhere() -> tuple[ConferenceInput, Schedule]:
    """An optional session needing a feature no room has, and one longer than any run of blocks."""
    inputs = mini_with(
        deep_dive(0, optional=True, requires=("projector",)),
        deep_dive(1, optional=True).model_copy(update={"duration": 300}),
    )
    return inputs, solved(inputs)


def replan_with_a_withdrawal() -> tuple[ConferenceInput, Schedule]:
    """Drafted, published, then 'Data for decisions' is withdrawn: the re-plan cancels it where it was."""
    first = solved(mini_with())
    assert "dd-data" in {a.session.id for a in first.assignments}
    return mini_with(without="dd-data"), solved(mini_with(without="dd-data"), previous=first)


CASES = {
    "example": example,
    "optional overflow": optional_overflow,
    "fits nowhere": fits_nowhere,
    "re-plan with a withdrawal": replan_with_a_withdrawal,
}


class Case(NamedTuple):
    name: str
    sessions: dict[str, Session]
    """Every session that must be accounted for: the proposals, and what the previous schedule published."""
    schedule: Schedule
    out: Path
    """The folder its outputs were written to."""


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Case:
    inputs, schedule = CASES[request.param]()
    sessions = {s.id: s for s in inputs.sessions}
    if request.param == "re-plan with a withdrawal":
        sessions["dd-data"] = next(s for s in load_folder(DATA / "mini").sessions if s.id == "dd-data")
    out = tmp_path_factory.mktemp("lost")
    write_outputs(schedule, out)
    return Case(request.param, sessions, schedule, out)


def assert_each_once(expected: set[str], placed: list[str], left_out: list[tuple[str, str]]) -> None:
    counts = Counter(placed) + Counter(session for session, _ in left_out)
    assert set(counts) == expected, (sorted(expected - set(counts)), sorted(set(counts) - expected))
    assert [session for session, n in counts.items() if n > 1] == []
    assert [session for session, reason in left_out if not reason.strip()] == [], "left out without a reason"


def test_the_schedule_accounts_for_every_proposal(case: Case):
    assert_each_once(
        set(case.sessions),
        [a.session.id for a in case.schedule.assignments],
        [(u.session.id, u.reason) for u in case.schedule.unscheduled],
    )


def test_schedule_json_accounts_for_every_proposal(case: Case):
    written = read_schedule(case.out / "schedule.json")
    assert_each_once(
        set(case.sessions),
        [a.session.id for a in written.assignments],
        [(u.session.id, u.reason) for u in written.unscheduled],
    )


def rows(book: openpyxl.Workbook, sheet: str) -> list[dict]:
    table = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


def test_the_workbook_accounts_for_every_proposal(case: Case):
    book = openpyxl.load_workbook(case.out / "agenda.xlsx")
    assert_each_once(
        set(case.sessions),
        [r["id"] for r in rows(book, "Sessions")],
        [(r["id"], r["reason"] or "") for r in rows(book, LEFT_OUT_HEADING)],
    )


def markdown_sessions(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The titles in agenda.md's day tables (breaks aside), and (title, whole line) for each item it lists as not in
    the programme; as a Markdown renderer reads them."""
    placed: list[str] = []
    left_out: list[tuple[str, str]] = []
    tokens = MARKDOWN.parse(text)
    section, row = "", None
    for number, token in enumerate(tokens):
        if token.type == "heading_open":
            section = tokens[number + 1].content
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if row[0] != "Time" and row[2] != "Break":
                placed.append(row[3])
            row = None
        elif token.type == "inline" and row is not None:
            row.append("".join(c.content for c in token.children if c.type == "text"))
        elif token.type == "inline" and section == LEFT_OUT_HEADING and tokens[number - 1].type == "paragraph_open":
            bold, strong = [], False
            for child in token.children:
                strong = child.type == "strong_open" or (strong and child.type != "strong_close")
                if child.type == "strong_open":
                    bold.append("")
                elif strong and child.type == "text":
                    bold[-1] += child.content
            left_out.append((bold[-1], "".join(c.content for c in token.children if c.type == "text")))
    return placed, left_out


def test_the_markdown_agenda_accounts_for_every_proposal(case: Case):
    ids = {s.title: s.id for s in case.sessions.values()}
    assert len(ids) == len(case.sessions), "the titles tell the sessions apart"
    placed, left_out = markdown_sessions((case.out / "agenda.md").read_text(encoding="utf-8"))
    reasons = {u.session.id: u.reason for u in case.schedule.unscheduled}
    for title, line in left_out:
        assert line.endswith(f": {' '.join(reasons[ids[title]].split())}"), line
    assert_each_once(
        set(case.sessions),
        [ids[title] for title in placed],
        [(ids[title], reasons[ids[title]]) for title, _ in left_out],
    )


def test_each_case_leaves_out_what_it_should_saying_why(case: Case):
    reasons = {u.session.id: u.reason for u in case.schedule.unscheduled}
    if case.name == "optional overflow":
        assert (
            sorted(reasons.values())
            == ["optional, and no place remained for it once the required sessions were placed"] * 3
        )
    elif case.name == "fits nowhere":
        assert "fits nowhere" in reasons["extra-0"] and "projector" in reasons["extra-0"]
        assert "no run of contiguous blocks" in reasons["extra-1"]
    elif case.name == "re-plan with a withdrawal":
        assert reasons["dd-data"] == WITHDRAWN
        assert next(u for u in case.schedule.unscheduled if u.session.id == "dd-data").was is not None
    else:
        assert len(case.schedule.assignments) + len(reasons) == len(case.sessions) > 20


def test_a_required_session_that_fits_nowhere_is_named_and_nothing_is_drafted():
    inputs = mini_with(deep_dive(0, requires=("projector",)))
    with pytest.raises(NoProgramme) as raised:
        draft(inputs, settings=Settings(time_limit=20, workers=1))
    assert raised.value.sessions == ("extra-0",)
    assert any(
        "'Extra deep dive 0' fits nowhere" in reason and "projector" in reason for reason in raised.value.reasons
    ), raised.value.reasons
