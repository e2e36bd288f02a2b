"""A people file lists the people with constraints; every other name a session gives is a person with none."""

from pathlib import Path

import pytest

from planner.errors import Collector, InputProblems
from planner.io.folder import load_folder
from tests.io.test_errors import edit


def keep_people(folder: Path, *names: str) -> None:
    """people.csv with only these people's rows, as an organiser keeps it."""
    path = folder / "people.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([header, *(r for r in rows if r.split(",")[1] in names)]) + "\n", encoding="utf-8")


def test_names_not_in_the_people_file_become_people_with_a_warning(mini: Path):
    keep_people(mini, "Ana Ruiz")
    edit("sessions.csv", "Cem Aydin,Dee Moss", "Cem Aydin,Ben Jupp")(mini)
    found = Collector()
    loaded = load_folder(mini, found)
    people = {p.id: p for p in loaded.people}
    assert list(people) == ["ana-ruiz", "bo-li", "cem-aydin", "ben-jupp"]  # the file's, then in order of mention
    assert people["ana-ruiz"].unavailable and not people["ben-jupp"].unavailable
    assert people["bo-li"].name == "Prof. Bo Li" and people["ben-jupp"].max_sessions_per_day is None
    sessions = {s.id: s for s in loaded.sessions}
    assert sessions["dd-nhs"].chair == "cem-aydin" and sessions["dd-nhs"].speakers == ("ben-jupp",)
    [warning] = found.warnings
    assert warning.file.endswith("sessions.csv") and not found.problems
    assert warning.message == (
        "3 names are not in people.csv and were added with no constraints: Prof. Bo Li, Cem Aydin, Ben Jupp"
    )


def test_one_name_added_is_said_in_the_singular_and_a_complete_file_warns_of_nothing(mini: Path):
    found = Collector()
    load_folder(mini, found)
    assert found.warnings == []
    edit("sessions.csv", "Cem Aydin,Dee Moss", "Cem Aydin,Ben Jupp")(mini)
    load_folder(mini, found)
    assert [w.message for w in found.warnings] == [
        "1 name is not in people.csv and was added with no constraints: Ben Jupp"
    ]


def test_a_name_close_to_a_listed_person_stays_an_error_naming_them_as_written(mini: Path):
    """A typo made into a second person would hide the first one's clashes."""
    edit("sessions.csv", "Cem Aydin,Dee Moss", "Cem Aydin,Ana Ruis")(mini)
    with pytest.raises(InputProblems) as caught:
        load_folder(mini)
    [problem] = caught.value.problems
    assert (str(problem.where), problem.field) == ("row 4", "speakers")
    assert problem.message.endswith("did you mean 'Ana Ruiz'?")


def test_without_a_people_file_no_name_is_a_warning(mini: Path):
    (mini / "people.csv").unlink()
    found = Collector()
    assert len(load_folder(mini, found).people) == 4 and found.warnings == []


@pytest.mark.parametrize("people_file", [True, False], ids=["with people.csv", "without"])
def test_a_name_with_no_safe_slug_gets_a_safe_id(mini: Path, people_file: bool):
    """'李明' has no ASCII slug: the person is 'person' (then 'person-2'), never a crash."""
    if not people_file:
        (mini / "people.csv").unlink()
    edit("sessions.csv", "Cem Aydin,Dee Moss", "Cem Aydin,李明;Zoë Ørsted;李明")(mini)
    loaded = load_folder(mini)
    names = {p.id: p.name for p in loaded.people}
    assert (names["person"], names["person-2"]) == ("李明", "Zoë Ørsted")
    assert {s.id: s.speakers for s in loaded.sessions}["dd-nhs"] == ("person", "person-2", "person")  # one 李明


def test_a_conference_without_a_venue_loads(mini: Path):
    """An early draft, before a venue is booked."""
    edit("conference.yaml", "venue: Test Hall\n", "")(mini)
    assert load_folder(mini).conference.venue is None
