from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from planner.domain import Block, Conference, Day, Session, Window

T = datetime(2030, 3, 28, 9, 0, tzinfo=UTC)


def block(id: str, start: int, end: int, **extra) -> Block:
    base = {"type": "parallel", "rooms": ("hall",), "kinds": ("talk",)}
    return Block(id=id, start=T.replace(hour=start), end=T.replace(hour=end), **(base | extra))


def test_block_must_end_after_it_starts():
    with pytest.raises(ValidationError, match="must end after it starts"):
        block("b", 10, 10)


def test_block_times_must_be_timezone_aware():
    with pytest.raises(ValidationError, match="timezone"):
        Block(id="b", type="plenary", start=datetime(2030, 1, 1, 9), end=datetime(2030, 1, 1, 10), rooms=("hall",))


def test_non_break_block_needs_an_open_room():
    with pytest.raises(ValidationError, match="open room"):
        block("b", 9, 10, rooms=())
    assert block("lunch", 12, 13, type="break", rooms=()).minutes == 60


def test_day_refuses_overlapping_blocks():
    with pytest.raises(ValidationError, match="overlap"):
        Day(id="d1", date=T.date(), name="Day 1", blocks=(block("a", 9, 11), block("b", 10, 12)))
    assert len(Day(id="d1", date=T.date(), name="Day 1", blocks=(block("a", 9, 10), block("b", 10, 11))).blocks) == 2


def test_conference_refuses_unknown_timezone():
    day = Day(id="d1", date=T.date(), name="Day 1", blocks=(block("a", 9, 10),))
    common = {
        "name": "C",
        "edition": "C1",
        "venue": "V",
        "days": (day,),
        "rooms": ({"id": "hall", "name": "Hall", "capacity": 10},),
        "kinds": ({"id": "talk", "label": "Talk"},),
    }
    with pytest.raises(ValidationError, match="IANA"):
        Conference(timezone="Mars/Olympus", **common)
    assert Conference(timezone="Europe/London", **common).zone.key == "Europe/London"


def test_places_count_one_per_plenary_and_one_per_parallel_room():
    day = Day(
        id="d1",
        date=T.date(),
        name="Day 1",
        blocks=(
            block("p", 9, 10, type="plenary", rooms=("hall", "side")),
            block("q", 10, 11, rooms=("hall", "side")),
            block("r", 11, 12, rooms=("hall",), kinds=("other",)),
        ),
    )
    conference = Conference(
        name="C",
        edition="C1",
        venue="V",
        timezone="UTC",
        days=(day,),
        rooms=({"id": "hall", "name": "Hall", "capacity": 10}, {"id": "side", "name": "Side", "capacity": 10}),
        kinds=({"id": "talk", "label": "Talk"}, {"id": "other", "label": "Other"}),
    )
    assert conference.places("talk") == 3
    assert conference.places("other") == 1


def test_session_people_chair_first_each_once():
    session = Session(id="s", title="T", kind="talk", duration=60, chair="bo", speakers=("ana", "bo", "cem"))
    assert session.people == ("bo", "ana", "cem")


def test_ids_are_file_safe():
    with pytest.raises(ValidationError):
        Session(id="../etc/passwd", title="T", kind="talk", duration=60)


def test_window_overlap_is_half_open():
    window = Window(start=T, end=T.replace(hour=10))
    assert window.overlaps(T.replace(hour=9, minute=30), T.replace(hour=11))
    assert not window.overlaps(T.replace(hour=10), T.replace(hour=11))
