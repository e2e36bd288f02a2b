"""The interest table: attendees' picks (or pair counts) read beside the sessions, every bad row located at once, an
empty table valid, and the estimate from interest sizing the rooms of sessions that give no expected audience."""

from pathlib import Path

import openpyxl
import pytest

from planner.domain import Audience, PairCount
from planner.errors import Collector, InputProblems
from planner.io.folder import load_folder
from planner.io.interest import read_interest

SESSIONS = ("open", "dd-data", "dd-nhs")


def table(folder: Path, text: str, name: str = "interest.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(folder: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(InputProblems) as caught:
        load_folder(folder)
    return [(str(p.where), p.field, p.message) for p in caught.value.problems]


def test_picks_are_read_with_their_weights_one_when_left_empty(mini: Path):
    table(mini, "attendee,session,weight\na01,dd-data,3\na01,dd-nhs,\nREG-0042/b,open,\n")
    audience = load_folder(mini).conference.audience
    assert audience == Audience(picks={"a01": {"dd-data": 3, "dd-nhs": 1}, "REG-0042/b": {"open": 1}})


def test_every_bad_row_is_located_at_once_with_a_did_you_mean(mini: Path):
    table(
        mini,
        "attendee,session,weight\n"
        "a01,dd-dta,\n"  # a typo
        "a01,dd-data,11\n"  # out of range
        "a02,dd-data,\n"
        "a02,dd-data,2\n"  # given twice
        ",open,\n"  # no attendee
        "a03,nowhere,1.5\n",  # unknown, nothing close; weight not whole
    )
    found = problems_of(mini)
    assert ("row 2", "session", "no session 'dd-dta' in the sessions table; did you mean 'dd-data'?") in found
    assert ("row 3", "weight", "'11' is out of range; expected a whole number from 1 to 10") in found
    assert ("row 5", "session", "'a02' picks 'dd-data' again (first in row 4); give each pick once") in found
    assert ("row 6", "attendee", "is required: a pseudonym or a registration id") in found
    assert ("row 7", "session", "no session 'nowhere' in the sessions table") in found
    assert ("row 7", "weight", "'1.5' is out of range; expected a whole number from 1 to 10") in found
    assert len(found) == 6


def test_an_empty_table_is_valid_header_or_not(mini: Path):
    table(mini, "attendee,session,weight\n")
    assert load_folder(mini).conference.audience == Audience()
    table(mini, "")
    assert load_folder(mini).conference.audience == Audience()


def test_the_aggregated_form_gives_pair_counts_and_totals(mini: Path):
    table(mini, "session_a,session_b,attendees\ndd-data,dd-nhs,12\nopen,,80\n")
    audience = load_folder(mini).conference.audience
    assert audience == Audience(pairs=(PairCount(sessions=("dd-data", "dd-nhs"), attendees=12),), picked={"open": 80})


def test_the_aggregated_form_refuses_a_pair_twice_a_pair_of_one_and_a_count_out_of_range(mini: Path):
    table(mini, "session_a,session_b,attendees\ndd-data,dd-nhs,12\ndd-nhs,dd-data,3\nopen,open,4\ndd-data,,0\n")
    found = problems_of(mini)
    assert ("row 3", "session_a", "dd-data and dd-nhs again (first in row 2); give each once") in found
    assert ("row 4", "session_b", "names the same session as session_a; a pair is two sessions") in found
    assert any(where == "row 5" and field == "attendees" for where, field, _ in found)


def test_the_two_forms_mixed_and_unknown_columns_are_refused(mini: Path):
    table(mini, "attendee,session,session_b\na01,open,dd-data\n")
    [(_, _, message)] = problems_of(mini)
    assert message.startswith("mixes the picks form")
    table(mini, "attendee,session,wieght\na01,open,2\n")
    assert problems_of(mini) == [
        ("row 1", "wieght", "unknown column; expected some of: attendee, session, weight"),
    ]


def test_yaml_and_xlsx_tables_read_alike(mini: Path):
    yaml_path = table(mini, "interest:\n  - {attendee: a01, session: dd-data, weight: 2}\n", "interest.yaml")
    assert load_folder(mini).conference.audience == Audience(picks={"a01": {"dd-data": 2}})
    yaml_path.unlink()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["attendee", "session", "weight"])
    sheet.append(["a01", "dd-data", 2])
    workbook.save(mini / "interest.xlsx")
    assert load_folder(mini).conference.audience == Audience(picks={"a01": {"dd-data": 2}})


def test_two_interest_files_are_one_problem(mini: Path):
    table(mini, "attendee,session\n")
    table(mini, "interest: []\n", "interest.yaml")
    [(_, _, message)] = problems_of(mini)
    assert "keep one interest file" in message


def test_a_long_table_beyond_the_other_tables_limit_is_read(tmp_path: Path):
    """5,000 attendees with 10 picks each are 50,000 rows: more than a sessions table may have."""
    rows = "".join(f"a{n:05d},{SESSIONS[n % 3]}\n" for n in range(20_000))
    path = table(tmp_path, "attendee,session\n" + rows)
    problems = Collector()
    audience = read_interest(path, SESSIONS, problems)
    assert not problems and audience is not None and len(audience.picks) == 20_000


def test_sessions_without_an_expected_audience_take_the_estimate_from_interest(mini: Path):
    """dd-nhs gives none: its 3 picks at a turnout of 1.5 make 5 expected (rounded up); dd-data keeps its own."""
    sessions = (mini / "sessions.csv").read_text(encoding="utf-8").replace(",20,,,,,yes,", ",,,,,,yes,")
    (mini / "sessions.csv").write_text(sessions, encoding="utf-8")
    conference = (mini / "conference.yaml").read_text(encoding="utf-8")
    (mini / "conference.yaml").write_text(conference + "interest: {turnout: 1.5}\n", encoding="utf-8")
    table(mini, "attendee,session\na1,dd-nhs\na2,dd-nhs\na3,dd-nhs\na1,dd-data\n")
    loaded = {s.id: s for s in load_folder(mini).sessions}
    assert loaded["dd-nhs"].expected_audience == 5 and loaded["dd-data"].expected_audience == 25
    (mini / "conference.yaml").write_text(conference + "interest: {size_rooms: false}\n", encoding="utf-8")
    assert {s.id: s for s in load_folder(mini).sessions}["dd-nhs"].expected_audience is None


def test_conference_yaml_may_not_hold_the_table_itself(mini: Path):
    conference = (mini / "conference.yaml").read_text(encoding="utf-8")
    (mini / "conference.yaml").write_text(conference + "audience: {picks: {a1: {open: 1}}}\n", encoding="utf-8")
    [(_, field, message)] = problems_of(mini)
    assert field == "audience" and "interest.csv" in message
