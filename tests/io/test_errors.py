"""Bad input: every problem named with file, row or line, field and what was expected, all at once."""

from collections.abc import Callable
from pathlib import Path

import pytest

from planner.errors import InputProblems
from planner.io.folder import load_folder


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture changed: {old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        data = content.encode() if isinstance(content, str) else content
        (folder / name).write_bytes(data)

    return apply


CASES = {
    # conference.yaml
    "unknown zone": (
        edit("conference.yaml", "Europe/London", "Europe/Londn"),
        "conference.yaml",
        "line 4",
        "timezone",
        "IANA",
    ),
    "bad time": (
        edit("conference.yaml", '"10:00", type: plenary', '"25:00", type: plenary'),
        "conference.yaml",
        "line 20",
        "end",
        "expected HH:MM",
    ),
    "clock-change gap": (
        lambda f: (
            edit("conference.yaml", "2030-03-28", "2030-03-31")(f),
            edit("conference.yaml", '"09:00"', '"01:30"')(f),
        ),
        "conference.yaml",
        "line 20",
        "start",
        "does not exist",
    ),
    "zero-length block": (
        edit("conference.yaml", 'end: "11:30", type: parallel', 'end: "10:00", type: parallel'),
        "conference.yaml",
        "line 21",
        "days[1].blocks[2]",
        "must end after",
    ),
    "overlapping blocks": (
        edit("conference.yaml", 'start: "12:30", end: "14:00"', 'start: "11:00", end: "14:00"'),
        "conference.yaml",
        "line 17",
        "days[1]",
        "overlap",
    ),
    "unknown room in block": (
        edit("conference.yaml", "rooms: [hall], kinds", "rooms: [hal], kinds"),
        "conference.yaml",
        "line 20",
        "rooms",
        "room 'hal'",
    ),
    "unknown kind in block": (
        edit("conference.yaml", "kinds: [keynote]}", "kinds: [keynot]}"),
        "conference.yaml",
        "line 20",
        "kinds",
        "kind 'keynot'",
    ),
    "duplicate room id": (
        edit("conference.yaml", "id: side", "id: hall"),
        "conference.yaml",
        "line 9",
        "id",
        "more than once",
    ),
    "negative capacity": (
        edit("conference.yaml", "capacity: 30", "capacity: -30"),
        "conference.yaml",
        "line 9",
        "rooms[2].capacity",
        "greater than 0",
    ),
    "unknown field": (
        edit("conference.yaml", "venue: Test Hall", "venue: Test Hall\nvenu: typo"),
        "conference.yaml",
        "line 6",
        "venu",
        "not a known field here; did you mean 'venue'?",
    ),
    "misspelt room field": (
        edit("conference.yaml", "capacity: 30", "capcity: 30"),
        "conference.yaml",
        "line 9",
        "rooms[2].capcity",
        "did you mean 'capacity'?",
    ),
    "misspelt kind field": (
        edit("conference.yaml", 'label: Keynote, colour: "#1f77b4"', 'label: Keynote, color: "#1f77b4"'),
        "conference.yaml",
        "line 11",
        "kinds[1].color",
        "did you mean 'colour'?",
    ),
    "misspelt day field": (
        edit("conference.yaml", "date: 2030", "dat: 2030"),
        "conference.yaml",
        "line 18",
        "days[1].dat",
        "did you mean 'date'?",
    ),
    "misspelt block field": (
        edit("conference.yaml", '{id: lunch, start: "11:30"', '{id: lunch, strat: "11:30"'),
        "conference.yaml",
        "line 22",
        "days[1].blocks[3].strat",
        "did you mean 'start'?",
    ),
    "misspelt weight": (
        edit("conference.yaml", "capacity: hard\n", "capacity: hard\nweights: {theme_clsh: 4}\n"),
        "conference.yaml",
        "line 7",
        "weights.theme_clsh",
        "did you mean 'theme_clash'?",
    ),
    "misspelt day shape": (
        edit("conference.yaml", "capacity: hard\n", "capacity: hard\nday_shape:\n  opns: [keynote]\n"),
        "conference.yaml",
        "line 8",
        "day_shape.opns",
        "did you mean 'opens'?",
    ),
    "unknown theme weighed": (
        edit("conference.yaml", "capacity: hard\n", "capacity: hard\ntheme_weights:\n  procurement: 2\n  fishing: 3\n"),
        "conference.yaml",
        "line 9",
        "theme_weights",
        "unknown theme 'fishing'",
    ),
    "theme weight of nought": (
        edit("conference.yaml", "capacity: hard\n", "capacity: hard\ntheme_weights:\n  procurement: 0\n"),
        "conference.yaml",
        "line 8",
        "theme_weights.procurement",
        "greater than 0",
    ),
    "unknown field like no other": (
        edit("conference.yaml", "venue: Test Hall", "venue: Test Hall\nsponsor: ACME"),
        "conference.yaml",
        "line 6",
        "sponsor",
        "is not a known field here",
    ),
    "bad hard/soft": (
        edit("conference.yaml", "capacity: hard", "capacity: strict"),
        "conference.yaml",
        "line 6",
        "capacity",
        "'hard' or 'soft'",
    ),
    "malformed yaml": (
        edit("conference.yaml", "rooms:", "rooms: [\n"),
        "conference.yaml",
        "line",
        "",
        "not valid YAML",
    ),
    "empty conference": (write("conference.yaml", ""), "conference.yaml", "", "", "empty"),
    # sessions.csv
    "duration not a number": (
        edit("sessions.csv", ",60,", ",sixty,"),
        "sessions.csv",
        "row 2",
        "duration",
        "valid integer",
    ),
    "zero duration": (edit("sessions.csv", ",60,", ",0,"), "sessions.csv", "row 2", "duration", "greater than 0"),
    "unknown kind": (
        edit("sessions.csv", ",keynote,", ",keynot,"),
        "sessions.csv",
        "row 2",
        "kind",
        "unknown kind 'keynot'",
    ),
    "unknown theme": (
        edit("sessions.csv", ",data,", ",dada,"),
        "sessions.csv",
        "row 3",
        "themes",
        "unknown theme 'dada'",
    ),
    "unknown person": (
        edit("sessions.csv", "Dee Moss", "Dee Mos"),
        "sessions.csv",
        "row 4",
        "speakers",
        "did you mean 'Dee Moss'",
    ),
    "unknown feature": (
        edit("sessions.csv", ",streaming,", ",projector,"),
        "sessions.csv",
        "row 2",
        "requires",
        "no room has feature",
    ),
    "unknown pin room": (
        edit("sessions.csv", ",open,hall,", ",open,attic,"),
        "sessions.csv",
        "row 2",
        "pin_room",
        "unknown room 'attic'",
    ),
    "unknown pin block": (
        edit("sessions.csv", ",d1,open,", ",d1,opening,"),
        "sessions.csv",
        "row 2",
        "pin_block",
        "unknown block",
    ),
    "two chairs": (
        edit("sessions.csv", ",Prof. Bo Li,", ",Prof. Bo Li;Dee Moss,"),
        "sessions.csv",
        "row 3",
        "chair",
        "one chair",
    ),
    "duplicate session id": (
        edit("sessions.csv", "dd-nhs,", "dd-data,"),
        "sessions.csv",
        "",
        "id",
        "'dd-data' is used more than once",
    ),
    "bad optional": (edit("sessions.csv", ",yes,", ",perhaps,"), "sessions.csv", "row 4", "optional", "valid boolean"),
    "missing title": (edit("sessions.csv", "Opening keynote", ""), "sessions.csv", "row 2", "title", "required"),
    "unknown column": (edit("sessions.csv", ",notes\n", ",note\n"), "sessions.csv", "row 1", "note", "unknown column"),
    "missing required column": (
        edit("sessions.csv", "id,title,kind,duration", "id,name,kind,duration"),
        "sessions.csv",
        "",
        "title",
        "required column is missing",
    ),
    "too many cells": (
        edit("sessions.csv", "late proposal", "late proposal,extra"),
        "sessions.csv",
        "row 4",
        "",
        "16 cells but the header has 15",
    ),
    "empty sessions": (write("sessions.csv", ""), "sessions.csv", "", "", "empty"),
    # people.csv
    "bad window": (
        edit("people.csv", "2030-03-28 12:30-14:00", "28/03 afternoon"),
        "people.csv",
        "row 2",
        "unavailable",
        "YYYY-MM-DD HH:MM-HH:MM",
    ),
    "bad max per day": (
        edit("people.csv", ",2\n", ",0\n"),
        "people.csv",
        "row 4",
        "max_sessions_per_day",
        "greater than 0",
    ),
    "unsafe person id": (
        edit("people.csv", "bo-li,Bo Li", "../bo,Bo Li"),
        "people.csv",
        "row 3",
        "id",
        "should match pattern",
    ),
    "duplicate person id": (
        edit("people.csv", "dee-moss,", "bo-li,"),
        "people.csv",
        "",
        "id",
        "'bo-li' is used more than once",
    ),
    "alias naming two people": (
        edit("people.csv", "Ana Ruíz Gómez", "Bo Li"),
        "people.csv",
        "",
        "aliases",
        "would name both",
    ),
    "missing name": (edit("people.csv", "dee-moss,Dee Moss", "dee-moss,"), "people.csv", "row 5", "name", "required"),
}


@pytest.mark.parametrize(("breaks", "file", "where", "field", "message"), CASES.values(), ids=CASES.keys())
def test_bad_input_is_reported_with_location(mini, breaks, file, where, field, message):
    breaks(mini)
    with pytest.raises(InputProblems) as caught:
        load_folder(mini)
    matching = [
        p
        for p in caught.value.problems
        if p.file.endswith(file) and str(p.where).startswith(where) and p.field == field and message in p.message
    ]
    assert matching, "\n".join(map(str, caught.value.problems))


def test_many_problems_in_several_files_are_reported_together(mini):
    for breaks, *_ in (
        CASES["unknown zone"],
        CASES["duration not a number"],
        CASES["unknown person"],
        CASES["bad window"],
    ):
        breaks(mini)
    with pytest.raises(InputProblems) as caught:
        load_folder(mini)
    files = [name.rsplit("/", 1)[-1] for name, _ in caught.value.grouped()]
    assert files == ["conference.yaml", "people.csv", "sessions.csv"]
    assert len(caught.value.problems) >= 4


def test_hundreds_of_problems_are_all_reported(mini):
    rows = "".join(f"s{i},Title {i},nokind,x,,,,,,,,,,,\n" for i in range(300))
    (mini / "sessions.csv").write_text((mini / "sessions.csv").read_text().splitlines()[0] + "\n" + rows)
    with pytest.raises(InputProblems) as caught:
        load_folder(mini)
    assert len(caught.value.problems) == 600  # a bad kind and a bad duration in each row


def test_missing_and_doubled_files(mini, tmp_path):
    with pytest.raises(InputProblems, match="not a folder"):
        load_folder(tmp_path / "nowhere")
    (mini / "sessions.yaml").write_text("sessions: []\n")
    with pytest.raises(InputProblems) as caught:
        load_folder(mini)
    assert "keep one sessions file" in str(caught.value)
    (mini / "sessions.yaml").unlink()
    (mini / "sessions.csv").unlink()
    (mini / "conference.yaml").unlink()
    with pytest.raises(InputProblems) as caught:
        load_folder(mini)
    assert "no conference.yaml" in str(caught.value) and "no sessions file" in str(caught.value)


def test_a_file_that_is_not_a_workbook(mini):
    (mini / "sessions.csv").unlink()
    (mini / "sessions.xlsx").write_bytes(b"this is not a zip")
    with pytest.raises(InputProblems, match=r"not a readable \.xlsx"):
        load_folder(mini)


def test_an_unknown_key_like_no_field_gets_no_guess(mini):
    edit("conference.yaml", "venue: Test Hall", "venue: Test Hall\nsponsor: ACME")(mini)
    with pytest.raises(InputProblems) as caught:
        load_folder(mini)
    assert [(p.field, p.message) for p in caught.value.problems] == [("sponsor", "is not a known field here")]


def test_a_table_with_only_its_header_has_no_records_but_an_empty_file_is_a_problem(mini):
    for name in ("sessions.csv", "people.csv"):
        path = mini / name
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    loaded = load_folder(mini)
    assert loaded.sessions == () and loaded.people == ()
    (mini / "sessions.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputProblems, match="is empty; expected a header row naming the columns"):
        load_folder(mini)
