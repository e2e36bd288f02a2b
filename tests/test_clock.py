from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.clock import local_datetime, parse_clock, parse_window

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:30", time(9, 30)),
        ("9.30", time(9, 30)),
        ("23:59", time(23, 59)),
        ("24:00", None),
        ("9", None),
        ("9:60", None),
    ],
)
def test_parse_clock(text, expected):
    assert parse_clock(text) == expected


def test_times_the_clocks_skip_do_not_exist():
    moment, why = local_datetime(date(2030, 3, 31), time(1, 30), LONDON)
    assert moment is None and "clocks go forward" in why
    moment, _ = local_datetime(date(2030, 3, 31), time(9, 0), LONDON)
    assert moment.utcoffset() == timedelta(hours=1)


def test_whole_day_window_across_the_spring_change_lasts_23_hours():
    window, _ = parse_window("2030-03-31", LONDON)
    assert window.end.astimezone(UTC) - window.start.astimezone(UTC) == timedelta(hours=23)


@pytest.mark.parametrize(
    "text",
    [
        "2030-02-30",
        "2030-03-28 10:00",
        "2030-03-28 11:00-10:00",
        "tomorrow",
        "2030-03-28 9-10",
        "2030-03-31 01:15-01:45",
    ],
)
def test_bad_windows_say_what_was_expected(text):
    window, why = parse_window(text, LONDON)
    assert window is None and why
