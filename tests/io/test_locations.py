"""Problems' places as values: the same text a user always saw, sorted as a reader counts (row 9 before row 10)."""

from planner.errors import Collector, InputProblems, Problem, Where


def test_a_place_reads_as_before():
    assert str(Where.of(sheet="Sessions", row=7)) == "sheet Sessions, row 7"
    assert str(Where.of(line=12)) == "line 12"
    assert str(Where.of(day=2, room="Saal 1", event=25)) == "day 2, room Saal 1, event 25"
    assert str(Where.of(conference=None)) == "conference"
    assert str(Where()) == "" and not Where() and Where.of(row=1)
    assert Where.of(day=2, room="Saal 1") == Where((("day", 2), ("room", "Saal 1")))


def test_numbers_sort_as_numbers_not_as_joined_digits():
    """Joining every digit made 'day 2 … event 3' (23) sort before 'day 1 … Saal 10' (110)."""
    assert Where.of(day=1, room="Saal 10") < Where.of(day=2, room="Saal 1")
    assert Where.of(day=1, room="Saal 10", event=3) < Where.of(day=2, room="Saal 1", event=3)
    assert Where.of(row=9) < Where.of(row=10)
    assert Where.of(day=1, room="Saal 9") < Where.of(day=1, room="Saal 10")
    assert Where.of(day=1, room="Saal 1", event="9") < Where.of(day=1, room="Saal 1", event="10")
    assert Where() < Where.of(line=1)  # the whole file first


def test_problems_come_out_in_reading_order_by_file():
    found = Collector()
    for where in (Where.of(row=10), Where.of(row=9), Where(), Where.of(row=2)):
        found.add("sessions.csv", where, "title", "is required but missing")
    found.add("people.csv", Where.of(row=3), "", "x")
    problems = InputProblems(found.problems)
    assert [p.file for p in problems.problems] == ["people.csv", *["sessions.csv"] * 4]
    assert [str(p.where) for p in problems.problems[1:]] == ["", "row 2", "row 9", "row 10"]
    assert str(problems.problems[-1]) == "sessions.csv: row 10, field 'title': is required but missing"
    assert str(Problem("x.yaml", message="is empty")) == "x.yaml: is empty"


def test_warnings_never_stop_a_load():
    found = Collector()
    found.warn("sessions.csv", message="2 names are not in people.csv")
    found.raise_if_any()
    assert not found and len(found) == 0 and [w.message for w in found.warnings] == ["2 names are not in people.csv"]


def test_any_text_in_a_place_sorts_without_error():
    """Room names are the file's own text: superscripts, other scripts' digits, a run of thousands of digits."""
    places = [Where.of(room=name) for name in ("Saal ²", "Saal ١٢", "Saal " + "9" * 5000, "Saal 007", "Saal 7", "")]
    assert sorted(places)[0] == Where.of(room="")
    assert Where.of(room="Saal 007") < Where.of(room="Saal 8") < Where.of(room="Saal " + "9" * 5000)
