"""The real history/ folder against the seed recaps it was transcribed from, the analyses over it, and the
problems a broken history folder must report.

Every expected number and name below was counted by hand in /work/shared/seeds, not read back from the YAML.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from planner.errors import InputProblems
from planner.history.analysis import (
    day_shapes,
    parallelism,
    recurring_people,
    sessions_per_kind,
    slots,
    theme_counts,
    theme_trend,
)
from planner.history.load import History, load_history
from planner.identity import name_key
from planner.themes import bundled_taxonomy
from tests.paths import REPO, SEEDS

SOURCES = {
    ("SOC21", 1): "000_96d74cca1dfa131d.txt",
    ("SOC21", 2): "000_96d74cca1dfa131d.txt",
    ("SOC22", 1): "002_422a90416a63c734.txt",
    ("SOC23", 1): "001_39033e787ecd2444.txt",
    ("SOC24", 1): "004_3db18479457e5699.txt",
    ("SOC24", 2): "003_274695972d2d286d.txt",
}
"""(edition, day) -> seed file, as the seeds README's table gives it (SOC21 Day 2 is known from Day 1's recap)."""

ALIASES = (
    ("Rafaella de Felice", "Raffaella De Felice"),
    ("Michael People", "Michael Peoples"),
    ("Ole Helby Petersen", "Ole Petersen"),
)
"""The three same-person spelling pairs the seeds README lists."""


@pytest.fixture(scope="module")
def history() -> History:
    return load_history()


@pytest.fixture(scope="module")
def sessions(history: History) -> pd.DataFrame:
    return history.sessions


def _ids(sessions: pd.DataFrame, edition: str, day: int, order: int) -> set[str]:
    chosen = sessions[(sessions["edition"] == edition) & (sessions["day"] == day) & (sessions["order"] == order)]
    return set(chosen["session"])


def test_sessions_per_edition_and_day(sessions: pd.DataFrame) -> None:
    """The recaps' own counts: SOC22 'our six sessions', SOC23 'our first ten sessions'; the rest counted by hand."""
    counts = sessions.groupby(["edition", "day"]).size().to_dict()
    assert counts == {
        ("SOC21", 1): 7,
        ("SOC21", 2): 1,
        ("SOC22", 1): 6,
        ("SOC23", 1): 10,
        ("SOC24", 1): 10,
        ("SOC24", 2): 17,
    }
    assert sessions["session"].is_unique


def test_kinds_per_edition(sessions: pd.DataFrame) -> None:
    """Roundtables open SOC21/22, deep dives take over from SOC23, SOC24 adds breakfasts, a welcome and a gala."""
    table = sessions_per_kind(sessions)
    assert list(table.columns) == ["SOC21", "SOC22", "SOC23", "SOC24", "total"] and table.columns.name is None
    assert table.loc["deep_dive"].to_dict() == {"SOC21": 1, "SOC22": 3, "SOC23": 7, "SOC24": 12, "total": 23}
    assert table.loc["roundtable"].to_dict() == {"SOC21": 3, "SOC22": 2, "SOC23": 0, "SOC24": 0, "total": 5}
    assert table.loc["keynote"].to_dict() == {"SOC21": 1, "SOC22": 1, "SOC23": 1, "SOC24": 1, "total": 4}
    assert table.loc["breakfast", "SOC24"] == 6
    assert table.loc["share_and_learn"].to_dict() == {"SOC21": 2, "SOC22": 0, "SOC23": 0, "SOC24": 2, "total": 4}
    assert table.loc["big_picture", "total"] == 3 and table.loc["launch", "total"] == 2
    assert table.loc["public_talk"].to_dict() == {"SOC21": 1, "SOC22": 0, "SOC23": 0, "SOC24": 1, "total": 2}
    assert set(table.index) == {
        "deep_dive",
        "roundtable",
        "keynote",
        "breakfast",
        "share_and_learn",
        "big_picture",
        "launch",
        "public_talk",
        "social",
        "welcome",
    }


def test_named_slots_ran_side_by_side(sessions: pd.DataFrame) -> None:
    """SOC23's 'four parallel sessions' after lunch, SOC24 Day 2's two concurrent Share and Learn sessions, and
    SOC21's three opening roundtables; the SOC24 keynote ran alone."""
    assert _ids(sessions, "SOC23", 1, 3) == {"soc23-d1-3a", "soc23-d1-3b", "soc23-d1-3c", "soc23-d1-3d"}
    labels = set(sessions[sessions["session"].isin(_ids(sessions, "SOC23", 1, 3))]["label"].str.lower())
    assert labels == {"deep dive 1.4", "deep dive 1.5", "deep dive 1.6", "deep dive 1.7"}
    share = sessions[sessions["session"].isin(_ids(sessions, "SOC24", 2, 3))]
    assert set(share["title"]) == {
        "Academic Paper workshop",
        "Learning from the Life Chances Fund projects: impact & ways forward",
    }
    assert set(share["concurrency"]) == {"stated"}
    opening = sessions[sessions["session"].isin(_ids(sessions, "SOC21", 1, 1))]
    assert set(opening["kind"]) == {"roundtable"} and len(opening) == 3
    assert _ids(sessions, "SOC24", 1, 2) == {"soc24-d1-2a"}


def test_order_within_a_day(sessions: pd.DataFrame) -> None:
    """SOC23 Day 1: keynote first, the big picture session next to last, 'our first ever book launch' last."""
    day = sessions[(sessions["edition"] == "SOC23") & (sessions["day"] == 1)].sort_values("order")
    assert day.iloc[0]["kind"] == "keynote" and day.iloc[0]["title"].startswith("Understanding the ‘eleven")
    assert list(day.iloc[-2:]["kind"]) == ["big_picture", "launch"]
    assert day.iloc[-1]["title"].startswith("Social Economy Science")


def test_stated_attendance_figures(history: History, sessions: pd.DataFrame) -> None:
    """Only the figures the recaps state, word for word in substance."""
    attendance = sessions.set_index("session")["attendance"]
    assert attendance["soc21-d1-1b"] == "over 100 participants online and in-person"
    assert attendance["soc22-d1-1b"] == "149 in-person and online attendees"
    assert attendance.notna().sum() == 6
    days = {(e.edition, d.day): d.attendance for e in history.editions for d in e.days}
    assert days[("SOC22", 1)] == "160 in-person attendees and a few hundred more online"
    assert days[("SOC23", 1)] == "200+ in-person attendees and a few hundred more online"
    assert days[("SOC24", 1)] is None


def test_chairs_speakers_and_organisations(history: History) -> None:
    """A sample of people checked against the recaps, with the organisation the recap gives them."""
    people = history.appearances.set_index(["session", "name"])
    assert people.loc[("soc21-d1-1a", "Professor Philip McCann")].to_dict()["role"] == "chair"
    assert people.loc[("soc22-d1-3c", "Salim Bensmali")].to_dict() == {
        "edition": "SOC22",
        "year": 2022,
        "day": 1,
        "kind": "deep_dive",
        "title": "Beyond impact bonds -unlocking investment for outcomes-focused social programmes",
        "person": "salim-bensmali",
        "organisation": "Meridian",
        "role": "chair",
    }
    assert people.loc[("soc24-d2-5a", "Raffaella De Felice"), "organisation"] == "GSG Impact"
    assert people.loc[("soc24-d1-5a", "Dr Eleanor Carter"), "role"] == "chair"
    talk = history.appearances[history.appearances["session"] == "soc21-d2-1a"]
    assert set(talk["name"]) == {"Dr. Dambisa Moyo", "Karthik Ramanna"}


def test_the_public_talk_the_soc21_recap_announces(sessions: pd.DataFrame) -> None:
    """'our closing public talk 10 September at 6pm': the one clock time the recaps give."""
    talk = sessions.set_index("session").loc["soc21-d2-1a"]
    assert talk["kind"] == "public_talk" and talk["time"] == "18:00"
    assert str(talk["date"]) == "2021-09-10"
    assert sessions["time"].notna().sum() == 1


def test_known_traps_are_recorded_as_doubts(sessions: pd.DataFrame) -> None:
    """The seeds README's traps: each is transcribed as the body says and flagged in `uncertain`."""
    indexed = sessions.set_index("session")
    final = indexed.loc["soc24-d2-5a"]
    assert final["title"].startswith("Beyond pilotitis") and "Restoring trust" in final["uncertain"]
    afternoon = indexed.loc[list(_ids(sessions, "SOC22", 1, 3))]
    assert set(afternoon["kind"]) == {"deep_dive"}
    assert all("roundtable" in text for text in afternoon["uncertain"])
    for session in ("soc21-d1-3b", "soc21-d1-3c"):
        assert indexed.loc[session, "kind"] == "share_and_learn"
        assert "Judgment call" in indexed.loc[session, "uncertain"]
    assert indexed.loc["soc21-d1-3a", "concurrency"] == "unclear"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed recaps are not beside the repository ({SEEDS})")
def test_each_day_cites_its_seed_file(sessions: pd.DataFrame) -> None:
    """Every day names the seed file the README maps it to, and that file exists (where the recaps are present, as
    in CI; the history files themselves carry everything the other tests need)."""
    rows = [line.strip("| ").split(" | ") for line in (SEEDS / "README.md").read_text(encoding="utf-8").splitlines()]
    readme = {row[0]: (row[1], row[2]) for row in rows if len(row) == 3 and row[0].endswith(".txt")}
    cited = sessions.drop_duplicates(["edition", "day"]).set_index(["edition", "day"])["source"].to_dict()
    assert cited == SOURCES
    for (edition, day), name in SOURCES.items():
        assert (SEEDS / name).is_file(), name
        conference, days = readme[name]
        assert conference.startswith(edition) and f"Day {day}" in days, name


def test_every_theme_is_in_the_bundled_taxonomy(sessions: pd.DataFrame) -> None:
    known = {theme.id for theme in bundled_taxonomy()}
    used = {theme for themes in sessions["themes"] for theme in themes}
    assert used <= known
    assert len(used) == len(known)


def test_every_session_but_the_gala_has_a_theme(sessions: pd.DataFrame) -> None:
    """The SOC24 gala has no subject to tag; any other untagged session is a transcription gap."""
    untagged = sessions[sessions["themes"].map(len) == 0]
    assert list(untagged["session"]) == ["soc24-d2-7a"]
    assert untagged.iloc[0]["kind"] == "social"


def test_alias_pairs_resolve_to_one_person_in_two_editions(history: History) -> None:
    appearances = history.appearances
    for first, second in ALIASES:
        person = history.identities.resolve(first)
        assert person is not None and person == history.identities.resolve(second), (first, second)
        mine = appearances[appearances["person"] == person]
        assert list(dict.fromkeys(mine["edition"])) == ["SOC23", "SOC24"], person
        assert {name_key(name) for name in mine["name"]} == {name_key(first), name_key(second)}


def test_similar_names_stay_different_people(history: History) -> None:
    """No fuzzy merging: Michal Shinwell is not Michael Peoples, nor Andy Brown Andy Burnham."""
    person = history.appearances.drop_duplicates("name").set_index("name")["person"]
    pairs = [
        ("Michal Shinwell", "Michael Peoples"),
        ("Andy Brown", "Mayor Andy Burnham"),
        ("Jonathan Bland", "Jonathan Ng"),
        ("Julian Blake", "Julie Battilana"),
    ]
    for one, other in pairs:
        assert person[one] != person[other], (one, other)


def test_distinct_people_and_appearances(history: History) -> None:
    """91 people across 113 named appearances (16, 16, 37 and 44 by edition), counted by hand in the recaps."""
    appearances = history.appearances
    assert appearances["person"].nunique() == 91
    assert appearances.groupby("edition").size().to_dict() == {"SOC21": 16, "SOC22": 16, "SOC23": 37, "SOC24": 44}


def test_recurring_people(history: History) -> None:
    table = recurring_people(history.appearances)
    found = dict(zip(table["name"], table["editions"], strict=True))
    assert found == {
        "Chih Hoong Sin": "SOC21, SOC22, SOC24",
        "Mara Airoldi": "SOC21, SOC22, SOC24",
        "Carolyn Heinrich": "SOC23, SOC24",
        "Eleanor Carter": "SOC23, SOC24",
        "James Magowan": "SOC23, SOC24",
        "Joe Abah": "SOC23, SOC24",
        "Jonathan Bland": "SOC22, SOC23",
        "Julian Blake": "SOC22, SOC23",
        "Julie Battilana": "SOC22, SOC23",
        "Louise Savell": "SOC21, SOC23",
        "Mario Calderini": "SOC23, SOC24",
        "Michael Peoples": "SOC23, SOC24",
        "Ole Petersen": "SOC23, SOC24",
        "Patsy Kraeger": "SOC23, SOC24",
        "Raffaella De Felice": "SOC23, SOC24",
    }
    assert list(table["name"][:2]) == ["Chih Hoong Sin", "Mara Airoldi"]
    assert len(recurring_people(history.appearances, min_editions=3)) == 2


def test_analyses_of_soc24_day_2(sessions: pd.DataFrame) -> None:
    """The shapes the template copies: slots, day shape, parallelism."""
    day = slots(sessions)
    day = day[(day["edition"] == "SOC24") & (day["day"] == 2)]
    assert list(day["order"]) == [1, 2, 3, 4, 5, 6, 7]
    assert list(day["parallel"]) == [6, 3, 2, 3, 1, 1, 1]
    shape = day_shapes(sessions).set_index(["edition", "day"]).loc[("SOC24", 2)]
    assert shape["shape"] == (
        "breakfast×6 → deep_dive×3 → share_and_learn×2 → deep_dive×3 → big_picture → public_talk → social"
    )
    assert (shape["slots"], shape["sessions"], shape["widest"]) == (7, 17, 6)
    unclear = day_shapes(sessions).set_index(["edition", "day"]).loc[("SOC21", 1), "shape"]
    assert unclear.endswith("deep_dive+share_and_learn×3?")
    widest = parallelism(sessions)
    assert widest.loc["deep_dive"].to_dict() == {"slots": 7, "widest": 4, "typical": 3}
    assert widest.loc["keynote", "widest"] == 1


def test_theme_counts_and_trend(sessions: pd.DataFrame) -> None:
    counts = theme_counts(sessions)
    assert list(counts.columns) == ["SOC21", "SOC22", "SOC23", "SOC24"] and counts.columns.name is None
    assert counts.loc["outcomes_finance"].to_dict() == {"SOC21": 1, "SOC22": 2, "SOC23": 4, "SOC24": 11}
    assert counts.loc["procurement"].to_dict() == {"SOC21": 1, "SOC22": 1, "SOC23": 2, "SOC24": 2}
    trend = theme_trend(sessions)
    assert trend.loc["outcomes_finance", "SOC24"] == round(11 / 27, 3)
    assert trend.loc["outcomes_finance", "trend"] == "rising"
    assert trend.index[0] == "outcomes_finance"


def _line(path: Path, text: str) -> int:
    """The 1-based number of the only line of `path` holding `text`."""
    [number] = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line]
    return number


def _swap(path: Path, old: str, new: str) -> int:
    """Replace the only occurrence of `old` and return its line number."""
    number = _line(path, old)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return number


def test_a_broken_history_names_file_line_and_field(tmp_path: Path) -> None:
    """An unknown kind, a session id used twice and a theme outside the taxonomy, each located exactly."""
    folder = Path(shutil.copytree(REPO / "history", tmp_path / "history"))
    kind = (
        "soc2022.yaml",
        f"line {_swap(folder / 'soc2022.yaml', 'kind: keynote', 'kind: keynot')}",
        "days[1].slots[2].sessions[1].kind",
    )
    first = _line(folder / "soc2023.yaml", "id: soc23-d1-2a")
    twice = (
        "soc2023.yaml",
        f"line {_swap(folder / 'soc2023.yaml', 'id: soc23-d1-2b', 'id: soc23-d1-2a')}",
        "days[1].slots[2].sessions[2].id",
    )
    theme = (
        "soc2024.yaml",
        f"line {_swap(folder / 'soc2024.yaml', '[health, outcomes_finance]', '[health, x]')}",
        "days[1].slots[3].sessions[3].themes[2]",
    )
    with pytest.raises(InputProblems) as caught:
        load_history(folder)
    found = {(Path(p.file).name, str(p.where), p.field): p.message for p in caught.value.problems}
    assert set(found) == {kind, twice, theme}
    assert found[kind].startswith("'keynot' is not a known kind; expected one of: big_picture, breakfast")
    assert found[twice].startswith("session id 'soc23-d1-2a' is already used at") and f"line {first}" in found[twice]
    assert found[theme] == "'x' is not a theme id of the bundled taxonomy"


def test_a_session_id_may_not_repeat_across_editions(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(REPO / "history", tmp_path / "history"))
    _swap(folder / "soc2024.yaml", "id: soc24-d2-7a", "id: soc21-d2-1a")
    with pytest.raises(InputProblems) as caught:
        load_history(folder)
    [problem] = caught.value.problems
    assert Path(problem.file).name == "soc2024.yaml" and problem.field.endswith(".id")
    assert "soc2021.yaml" in problem.message
