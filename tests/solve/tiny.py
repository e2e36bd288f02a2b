"""Tiny conferences for solver tests, built in code: a grid from short tuples, sessions and people by keyword."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from planner.check import check_schedule, errors
from planner.clock import parse_window
from planner.domain import Assignment, Conference, ConferenceInput, Person, Schedule, Session
from planner.solve.run import Answer, Settings, draft

UTC_ZONE = ZoneInfo("UTC")
FIRST_DAY = date(2030, 6, 3)
ROOMS = (("hall", 100, ("streaming",)), ("side", 30, ()))


SHAPE = {"opens": ["keynote"], "closes": ["launch"]}
"""The day shape of every tiny conference unless a test gives its own: a keynote opens the day, a launch closes it."""


def grid(
    *days: list[tuple],
    rooms=ROOMS,
    kinds=("talk", "keynote", "launch"),
    capacity="soft",
    labels=None,
    shape=SHAPE,
    **weights,
) -> Conference:
    """Each day is a list of blocks (id, start, end, type[, rooms[, kinds]]); times are 'HH:MM' in UTC. A kind's
    label is its id unless `labels` says otherwise."""
    from datetime import datetime, time

    day_models = []
    for number, blocks in enumerate(days):
        day = date.fromordinal(FIRST_DAY.toordinal() + number)
        block_models = []
        for block in blocks:
            block_id, start, end, kind, *rest = block
            open_rooms = rest[0] if rest else [r[0] for r in rooms]
            allowed = rest[1] if len(rest) > 1 else list(kinds)
            block_models.append(
                {
                    "id": block_id,
                    "type": kind,
                    "rooms": open_rooms if kind != "break" else [],
                    "kinds": allowed if kind != "break" else [],
                    "start": datetime.combine(day, time.fromisoformat(start), UTC_ZONE),
                    "end": datetime.combine(day, time.fromisoformat(end), UTC_ZONE),
                }
            )
        day_models.append({"id": f"d{number + 1}", "date": day, "name": f"Day {number + 1}", "blocks": block_models})
    return Conference.model_validate(
        {
            "name": "Tiny",
            "edition": "T",
            "timezone": "UTC",
            "venue": "V",
            "capacity": capacity,
            "rooms": [{"id": r, "name": r.title(), "capacity": c, "features": list(f)} for r, c, f in rooms],
            "kinds": [{"id": k, "label": (labels or {}).get(k, k)} for k in kinds],
            "days": day_models,
            "weights": weights,
            "day_shape": {key: [k for k in listed if k in kinds] for key, listed in shape.items()},
        }
    )


def session(id: str, *people: str, kind: str = "talk", duration: int = 60, **fields) -> Session:
    """Everyone speaks; the title is 'Session <id>' unless given."""
    fields.setdefault("title", f"Session {id}")
    return Session(id=id, kind=kind, duration=duration, speakers=people, **fields)


def person(id: str, *unavailable: str, **fields) -> Person:
    """Unavailable in each window given as text ('2030-06-03 09:00-10:00', or a whole day '2030-06-04'); the name
    is the id in title case unless given."""
    windows = [parse_window(text, UTC_ZONE)[0] for text in unavailable]
    fields.setdefault("name", id.title())
    return Person(id=id, unavailable=windows, **fields)


def instance(conference: Conference, sessions: list[Session], people: list[Person] = ()) -> ConferenceInput:
    named = {p.id for p in people}
    extra = [Person(id=p, name=p.title()) for s in sessions for p in s.people if p not in named]
    unique = {p.id: p for p in [*people, *extra]}
    return ConferenceInput(conference=conference, sessions=tuple(sessions), people=tuple(unique.values()))


def solve(inputs: ConferenceInput, previous: Schedule | None = None, freeze=(), **settings) -> Answer:
    """One worker and a generous limit: the tiny instances are proven optimal long before it; other `settings`
    (rules or terms left out) as given. Unless a test left a rule out, the independent checker must find no error in
    the answer."""
    chosen = Settings(**{"time_limit": 10, "workers": 1, **settings})
    answer = draft(inputs, previous=previous, freeze=freeze, settings=chosen)
    if "hard_rules" not in settings and "place_rules" not in settings:
        assert errors(check_schedule(answer.schedule, inputs.sessions)) == []
    return answer


def flagged(answer: Answer, inputs: ConferenceInput) -> set[str]:
    """The checker's finding codes for an answer (it shares no constraint code with the solver)."""
    return {finding.code for finding in check_schedule(answer.schedule, inputs.sessions)}


def without(rules: tuple, rule) -> tuple:
    assert rule in rules
    return tuple(r for r in rules if r is not rule)


def previous(inputs: ConferenceInput, where: dict[str, tuple[str, str]]) -> Schedule:
    """A schedule placing each session id at (block id, room id), as an earlier run might have."""
    blocks = {b.id: (day.id, b) for day in inputs.conference.days for b in day.blocks}
    sessions = {s.id: s for s in inputs.sessions}
    placed = []
    for session_id, (block_id, room) in where.items():
        day, block = blocks[block_id]
        placed.append(
            Assignment(
                session=sessions[session_id], room=room, start=block.start, end=block.end, day=day, blocks=(block_id,)
            )
        )
    return Schedule(conference=inputs.conference, people=inputs.people, assignments=tuple(placed))
