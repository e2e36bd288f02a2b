"""What history derives for the next draft: the day's shape, where each kind sits, stated block lengths, theme weights;
read from whatever editions history/ holds, so a changed history changes them. And the yardstick: a draft set beside
the past editions, every difference from the latest named."""

from __future__ import annotations

import pytest

from planner.errors import Collector
from planner.history import derive
from planner.history.load import History, history_of, load_history
from planner.history.records import Edition, PastDay, PastSession, Slot
from planner.history.template import from_history, template_yaml
from planner.history.yardstick import drafted_edition, yardstick, yardstick_markdown
from planner.io.conference import load_conference


@pytest.fixture(scope="module")
def history() -> History:
    return load_history()


def _edition(name: str, year: int, *days: list[tuple[str, ...]], times: dict[tuple[int, int], str] | None = None):
    """An edition whose days are lists of slots, each slot the kinds of the sessions side by side."""
    made = []
    for number, slots in enumerate(days, start=1):
        made.append(
            PastDay(
                day=number,
                source=f"{name}-day{number}.txt",
                slots=tuple(
                    Slot(
                        order=order,
                        concurrency="stated",
                        sessions=tuple(
                            PastSession(
                                id=f"{name}-{number}-{order}-{i}",
                                kind=kind,
                                title=kind,
                                time=(times or {}).get((number, order)) if i == 0 else None,
                            )
                            for i, kind in enumerate(kinds)
                        ),
                    )
                    for order, kinds in enumerate(slots, start=1)
                ),
            )
        )
    return Edition(edition=name, year=year, name=name, days=tuple(made))


def test_the_day_shape_is_what_most_days_did(history: History):
    shape = derive.day_shape(history.sessions)
    assert shape.opens == ("roundtable", "welcome", "breakfast") and shape.closes == ("launch", "social")
    assert shape.sources == ("SOC21 Day 1", "SOC22 Day 1", "SOC23 Day 1", "SOC24 Day 1", "SOC24 Day 2")


def test_a_changed_history_changes_the_derived_preference(history: History):
    """Two past editions where the launch opened the day: the launch no longer closes days (two of the four days it
    ran on) nor opens them; every fact follows the editions history holds."""
    opened = [
        _edition(name, year, [("launch",), ("keynote",), ("deep_dive", "deep_dive")])
        for name, year in (("OPM", 2018), ("OPN", 2019))
    ]
    changed = history_of((*opened, *history.editions), history.identities)
    before, after = derive.day_shape(history.sessions), derive.day_shape(changed.sessions)
    assert "launch" in before.closes and "launch" not in after.closes
    assert derive.positions(changed.sessions)["launch"].part is None
    assert derive.positions(history.sessions)["launch"].part == "last"


def test_where_each_kind_usually_sits(history: History):
    places = {kind: (p.day, p.part) for kind, p in derive.positions(history.sessions).items()}
    assert places["breakfast"] == (2, "first") and places["launch"] == (1, "last") and places["social"] == (2, "last")
    assert places["deep_dive"] == (None, "middle")  # deep dives ran on both days of SOC24: no usual day


def test_block_lengths_come_from_consecutive_stated_times():
    """History states one time only (SOC21's 6pm public talk), so it gives no length; two stated times in a row do."""
    assert derive.block_minutes(load_history().sessions) == {}
    timed = _edition("T", 2020, [("keynote",), ("deep_dive",)], times={(1, 1): "09:30", (1, 2): "11:00"})
    assert derive.block_minutes(history_of((timed,), load_history().identities).sessions) == {
        "keynote": (90, ("T Day 1",))
    }


def test_theme_weights_favour_rising_and_large_themes(history: History):
    from planner.history.analysis import theme_trend

    trend = theme_trend(history.sessions)
    weights = derive.theme_weights(trend)
    rising = trend.index[trend["trend"] == "rising"]
    assert all(weights[t] >= 2 for t in rising) and set(weights.values()) <= {1, 2, 3}


def test_the_template_carries_what_history_derives_with_its_sources(history: History, tmp_path):
    text = template_yaml(history, 2026)
    assert "day_shape:\n  opens: [welcome, breakfast]\n  closes: [launch, social]\n" in text
    assert "  breakfast: {day: 2, part: first}\n" in text and "#   launch: SOC23 Day 1, SOC24 Day 1\n" in text
    assert "# theme_weights:" in text  # shown, off unless switched on
    path = tmp_path / "conference.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Collector()
    conference = load_conference(path, str(path), problems)
    assert problems.problems == [] and conference is not None
    assert conference.positions["launch"].day == 1 and conference.day_shape.opens == ("welcome", "breakfast")


def test_removing_an_edition_from_history_changes_the_template(history: History):
    """Without SOC24 (the only edition of the breakfasts and the social), they are no longer placed."""
    without = history_of(history.editions[:-1], history.identities)
    text = from_history(without, {"breakfast", "social", "launch", "welcome"})
    assert "breakfast: {" not in text and "social: {" not in text and "launch: {day: 1, part: last}" in text


def test_the_yardstick_names_each_difference_from_the_latest_edition(history: History):
    from tests.export.agenda_sample import soc2025

    schedule = soc2025()
    measured = yardstick(history, schedule)
    assert measured.against == "SOC24" and measured.drafted == "SOC25"
    assert {"breakfast: 4 sessions (SOC24 had 6)", "roundtable: 3 sessions (SOC24 had 0)"} <= set(measured.differences)
    assert any(d.startswith("Day 1: welcome → keynote → ") and "(SOC24 Day 1 was " in d for d in measured.differences)
    counts = {kind: (then, now) for kind, then, now in measured.kinds}
    assert counts["deep_dive"] == (12, 12) and counts["workshop"] == (0, 1)
    assert measured.returning == []  # the example's people are invented: nobody from the real recaps returns
    edition = drafted_edition(schedule)
    assert sum(len(slot.sessions) for day in edition.days for slot in day.slots) == len(schedule.assignments)
    assert "## Against past editions" in yardstick_markdown(measured)


def test_the_history_report_takes_a_drafted_programme_as_one_more_edition(tmp_path):
    from typer.testing import CliRunner

    from planner.cli import app
    from planner.formats.schedule_json import schedule_document
    from tests.export.agenda_sample import soc2025

    drafted = tmp_path / "schedule.json"
    drafted.write_text(schedule_document(soc2025()), encoding="utf-8")
    result = CliRunner().invoke(app, ["history", "--with", str(drafted), "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "report" / "history.md").read_text(encoding="utf-8")
    assert "SOC25" in markdown.split("## Sessions per kind", 1)[1].split("##", 1)[0]
    assert "SOC25 Day 2" in markdown


def test_the_yardstick_names_each_session_away_from_where_history_puts_its_kind(history: History):
    """Two past editions close Day 1 with the launch and open it with the keynote; a draft that swaps them is told,
    session by session, with where history puts each kind and the days it read that from. A draft that keeps them
    is told nothing."""
    from planner.history.yardstick import _away

    past = tuple(
        _edition(name, year, [("keynote",), ("talk",), ("launch",)], [("talk",), ("talk",)])
        for name, year in (("A", 2020), ("B", 2021))
    )
    before = history_of(past, history.identities)
    swapped = _away(_edition("N", 2022, [("launch",), ("talk",), ("keynote",)], [("talk",), ("talk",)]), "N", before)
    assert swapped == [
        "launch 'launch' (1-1-0) sits on Day 1, first in the day; history puts launch on Day 1, last in the day "
        "(A Day 1, B Day 1)",
        "keynote 'keynote' (1-3-0) sits on Day 1, last in the day; history puts keynote on Day 1, first in the day "
        "(A Day 1, B Day 1)",
    ]
    assert _away(_edition("N", 2022, [("keynote",), ("talk",), ("launch",)], [("talk",), ("talk",)]), "N", before) == []
