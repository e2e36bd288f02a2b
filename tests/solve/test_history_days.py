"""Every past day in history/, given its own sessions (unpinned) and a grid of its own shape (one block per slot,
as wide as the slot, taking the slot's kinds), yields a clash-free programme."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.check import check_schedule, errors
from planner.domain import ConferenceInput, Person, Session
from planner.history.analysis import slots
from planner.history.load import load_history
from tests.solve.tiny import solve

HISTORY = load_history()
DAYS = sorted({(e, int(d)) for e, d in zip(HISTORY.sessions["edition"], HISTORY.sessions["day"], strict=True)})
BLOCK = timedelta(minutes=90)


def past_day(edition: str, day: int) -> ConferenceInput:
    sessions = HISTORY.sessions[(HISTORY.sessions["edition"] == edition) & (HISTORY.sessions["day"] == day)]
    shape = slots(HISTORY.sessions)
    shape = shape[(shape["edition"] == edition) & (shape["day"] == day)].sort_values("order")
    widest = int(shape["parallel"].max())
    rooms = [{"id": f"r{n}", "name": f"Room {n}", "capacity": 100} for n in range(1, widest + 1)]
    zone, clock = ZoneInfo("Europe/London"), datetime.combine(date(2030, 9, 12), datetime.min.time())
    blocks = []
    for slot in shape.itertuples():
        start = clock.replace(hour=8) + (int(slot.order) - 1) * BLOCK
        blocks.append(
            {
                "id": f"s{slot.order}",
                "start": start.replace(tzinfo=zone),
                "end": (start + BLOCK).replace(tzinfo=zone),
                "type": "parallel" if slot.parallel > 1 else "plenary",
                "rooms": [r["id"] for r in rooms[: int(slot.parallel)]],
                "kinds": list(slot.kinds),
            }
        )
    kinds = sorted({k for kinds in shape["kinds"] for k in kinds})
    conference = {
        "name": f"{edition} day {day}",
        "edition": edition,
        "timezone": "Europe/London",
        "venue": "V",
        "rooms": rooms,
        "kinds": [{"id": k, "label": k} for k in kinds],
        "days": [{"id": "d1", "date": date(2030, 9, 12), "name": "Day 1", "blocks": blocks}],
    }
    appearances = HISTORY.appearances
    people_of = appearances.groupby("session")["person"].apply(lambda ids: tuple(dict.fromkeys(ids)))
    proposals = [
        Session(
            id=row.session,
            title=row.title,
            kind=row.kind,
            duration=90,
            themes=tuple(row.themes),
            speakers=people_of.get(row.session, ()),
        )
        for row in sessions.itertuples()
    ]
    people = sorted({p for s in proposals for p in s.speakers})
    return ConferenceInput.model_validate(
        {"conference": conference, "sessions": proposals, "people": [Person(id=p, name=p) for p in people]}
    )


@pytest.mark.parametrize(("edition", "day"), DAYS, ids=[f"{e}-d{d}" for e, d in DAYS])
def test_a_past_day_solves_clash_free_in_a_grid_of_its_own_shape(edition: str, day: int):
    inputs = past_day(edition, day)
    answer = solve(inputs)
    placed = answer.schedule.assignments
    assert answer.status == "optimal"
    assert sorted(a.session.id for a in placed) == sorted(s.id for s in inputs.sessions)
    assert errors(check_schedule(answer.schedule, inputs.sessions)) == []
