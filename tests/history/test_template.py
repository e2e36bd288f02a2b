"""The next edition's draft grid derived from history: it must load as a conference and keep SOC24's day shapes,
the breaks the SOC24 recaps mention, and the 6pm public talk the SOC21 recap announces."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.domain import Block, Conference
from planner.errors import Collector
from planner.history.load import KINDS, History, load_history
from planner.history.template import MINUTES, derive_template, reference_days, template_files, template_yaml
from planner.io.conference import load_conference
from planner.io.folder import load_folder
from planner.io.records import PEOPLE_COLUMNS, SESSION_COLUMNS
from tests.paths import REPO

START = date(2026, 9, 10)

DAY_1 = [
    ("plenary", ("welcome",), 1),
    ("plenary", ("keynote",), 1),
    ("parallel", ("deep_dive",), 3),
    ("parallel", ("deep_dive",), 3),
    ("plenary", ("big_picture",), 1),
    ("plenary", ("launch",), 1),
]
"""SOC24 Day 1 as its recap tells it: welcome, keynote, three deep dives twice, big picture, report launch."""

DAY_2 = [
    ("parallel", ("breakfast",), 6),
    ("parallel", ("deep_dive",), 3),
    ("parallel", ("share_and_learn",), 2),
    ("parallel", ("deep_dive",), 3),
    ("plenary", ("big_picture",), 1),
    ("plenary", ("public_talk",), 1),
    ("plenary", ("social",), 1),
]
"""SOC24 Day 2: six breakfasts, three deep dives, two Share and Learn, three deep dives, big picture, talk, gala."""


@pytest.fixture(scope="module")
def history() -> History:
    return load_history()


@pytest.fixture(scope="module")
def conference(history: History, tmp_path_factory: pytest.TempPathFactory) -> Conference:
    path = tmp_path_factory.mktemp("template") / "conference.yaml"
    path.write_text(template_yaml(history, 2026, START), encoding="utf-8")
    problems = Collector()
    loaded = load_conference(path, "conference.yaml", problems)
    assert not problems and loaded is not None, problems.problems
    return loaded


def _shape(blocks: tuple[Block, ...]) -> list[tuple[str, tuple[str, ...], int]]:
    return [(b.type.value, b.kinds, len(b.rooms)) for b in blocks if b.type.value != "break"]


def _local(conference: Conference, block: Block) -> str:
    return f"{block.start.astimezone(conference.zone):%H:%M}"


def test_the_written_yaml_is_a_valid_conference(conference: Conference) -> None:
    assert conference.edition == "SOC26" and conference.name == "Social Outcomes Conference 2026"
    assert [room.id for room in conference.rooms] == ["hall", "room-2", "room-3", "room-4", "room-5", "room-6"]
    used = {kind for shape in (DAY_1, DAY_2) for _, kinds, _ in shape for kind in kinds}
    assert {kind.id for kind in conference.kinds} == used


def test_both_days_follow_soc24(history: History, conference: Conference) -> None:
    """Day n copies the latest day n with at least three recorded slots: SOC24 for both."""
    assert reference_days(history) == {1: ("SOC24", 1), 2: ("SOC24", 2)}
    assert [_shape(day.blocks) for day in conference.days] == [DAY_1, DAY_2]


def test_days_fall_on_the_start_date_and_the_next(conference: Conference) -> None:
    assert [day.date for day in conference.days] == [START, START + timedelta(days=1)]
    for day in conference.days:
        assert {block.start.astimezone(conference.zone).date() for block in day.blocks} == {day.date}


def test_the_default_date_keeps_soc21s_weekday_and_week(history: History) -> None:
    """SOC21 began on Thursday 9 September 2021, the second Thursday; 2025's is the 11th."""
    days = derive_template(history, 2025)["days"]
    assert [day["date"] for day in days] == [date(2025, 9, 11), date(2025, 9, 12)]


def test_the_public_talk_starts_at_six_pm(conference: Conference) -> None:
    """The SOC21 recap announces the closing public talk for 6pm; SOC24 gives no time, so 18:00 is kept."""
    [talk] = [b for b in conference.blocks if "public_talk" in b.kinds]
    assert _local(conference, talk) == "18:00" and talk.minutes == MINUTES["public_talk"]
    assert talk.start.astimezone(conference.zone).date() == START + timedelta(days=1)
    [gala] = [b for b in conference.blocks if "social" in b.kinds]
    assert gala.start == talk.end


def test_breaks_sit_where_the_soc24_recaps_put_them(conference: Conference) -> None:
    """Day 1: 'after lunch, we once again split into three parallel sessions'. Day 2: 'after a short break' the
    Share and Learn sessions, then 'after lunch' the final deep dives."""
    day_1, day_2 = ([(b.name or b.kinds[0]) for b in day.blocks] for day in conference.days)
    assert day_1 == ["welcome", "keynote", "Coffee", "deep_dive", "Lunch", "deep_dive", "big_picture", "launch"]
    assert day_2 == [
        "breakfast",
        "Break",
        "deep_dive",
        "Coffee",
        "share_and_learn",
        "Lunch",
        "deep_dive",
        "big_picture",
        "public_talk",
        "social",
    ]
    ids = [block.id for block in conference.blocks]
    assert len(ids) == len(set(ids))
    first = conference.days[0].blocks[0]
    assert _local(conference, first) == "09:00" and _local(conference, conference.days[1].blocks[0]) == "08:00"


def test_a_later_stated_time_wins(tmp_path: Path) -> None:
    """Had the SOC24 recap given 7pm for its public talk, the template would follow the latest edition."""
    folder = Path(shutil.copytree(REPO / "history", tmp_path / "history"))
    path = folder / "soc2024.yaml"
    text = path.read_text(encoding="utf-8")
    head, tail = text.split("id: soc24-d2-6a", 1)
    path.write_text(head + "id: soc24-d2-6a" + tail.replace("time: null", 'time: "19:00"', 1), encoding="utf-8")
    days = derive_template(load_history(folder), 2026, START)["days"]
    [talk] = [block for block in days[1]["blocks"] if block.get("kinds") == ["public_talk"]]
    assert talk["start"] == "19:00"


def test_every_history_kind_has_a_default_length() -> None:
    """A kind the loader accepts but the template cannot size would silently get the generic hour."""
    assert set(MINUTES) == KINDS


def test_the_header_says_what_each_day_follows(history: History) -> None:
    text = template_yaml(history, 2026, START)
    assert "# Day 1 follows SOC24 Day 1, Day 2 follows SOC24 Day 2." in text


def test_the_template_folder_validates_with_no_sessions_yet(history: History, tmp_path: Path) -> None:
    """The drafted conference.yaml says 'then run planner validate': the folder it comes in must pass, so the template
    writes the sessions and people tables too, with only their header rows."""
    files = template_files(history, 2026, START)
    assert list(files) == ["conference.yaml", "sessions.csv", "people.csv"]
    assert files["sessions.csv"] == ",".join(SESSION_COLUMNS) + "\n"
    assert files["people.csv"] == ",".join(PEOPLE_COLUMNS) + "\n"
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    loaded = load_folder(tmp_path)
    assert loaded.sessions == () and loaded.people == () and loaded.conference.edition == "SOC26"
    assert "run `planner validate`" in files["conference.yaml"]


def test_the_template_never_replaces_an_organisers_tables(history: History, tmp_path: Path) -> None:
    (tmp_path / "sessions.xlsx").write_bytes(b"an organiser's proposals")
    assert list(template_files(history, 2026, START, tmp_path)) == ["conference.yaml", "people.csv"]
