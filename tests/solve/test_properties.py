"""Random small conferences: the solver gives a schedule the independent checker passes, or says no programme
exists and names a conflict that holds on its own; for the smallest conflicts, an exhaustive search over every
placement (judged by the checker alone) confirms that none exists."""

from __future__ import annotations

from datetime import timedelta
from itertools import product

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.check import check_schedule
from planner.domain import Assignment, BlockType, ConferenceInput, Schedule
from planner.solve.run import NoProgramme
from tests.solve.tiny import grid, instance, person, session, solve

PEOPLE = ("ana", "bo", "cy", "dee")
ROOMS = (("hall", 100, ("streaming",)), ("side", 40, ()), ("annex", 20, ()))
BROKEN_HARD_RULES = {"over_daily_maximum", "room_lacks_feature"}
"""Warnings for a person's hand edit, but hard rules for the solver."""


@st.composite
def conferences(draw: st.DrawFn) -> ConferenceInput:
    rooms = ROOMS[: draw(st.integers(1, 3))]
    days = []
    for _ in range(draw(st.integers(1, 2))):
        blocks, hour = [], 9
        for number in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["parallel", "parallel", "plenary", "break"]))
            blocks.append((f"b{len(days)}{number}", f"{hour:02d}:00", f"{hour + 1:02d}:00", kind))
            hour += 1
        if all(b[3] == "break" for b in blocks):
            blocks[0] = (*blocks[0][:3], "parallel")
        days.append(blocks)
    sessions = []
    for number in range(draw(st.integers(1, 5))):
        people = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True))
        sessions.append(
            session(
                f"s{number}",
                *people,
                kind=draw(st.sampled_from(["talk", "keynote"])),
                duration=draw(st.sampled_from([60, 60, 60, 120])),
                requires=("streaming",) if draw(st.integers(0, 5)) == 0 else (),
                optional=draw(st.integers(0, 5)) == 0,
                themes=(draw(st.sampled_from(["x", "y", "z"])),),
            )
        )
    people = []
    for name in PEOPLE:
        away = draw(st.sampled_from(["", "", "", "2030-06-03 09:00-10:00", "2030-06-03 10:00-11:00", "2030-06-04"]))
        most = draw(st.sampled_from([None, None, 1, 2]))
        people.append(person(name, *([away] if away else []), max_sessions_per_day=most))
    return instance(grid(*days, rooms=rooms), sessions, people)


def violations(schedule: Schedule, inputs: ConferenceInput) -> list[str]:
    found = check_schedule(schedule, inputs.sessions)
    return [f.code for f in found if f.severity == "error" or f.code in BROKEN_HARD_RULES]


def every_placement_fails(inputs: ConferenceInput) -> bool:
    """Tries every (room, starting block) for every session, judged only by the checker."""
    starts = [
        (day.id, block, room.id)
        for day in inputs.conference.days
        for block in day.blocks
        if block.type is not BlockType.BREAK
        for room in inputs.conference.rooms
    ]
    required = [s for s in inputs.sessions if not s.optional]
    for choice in product(starts, repeat=len(required)):
        placed = tuple(
            Assignment(
                session=s, room=room, start=block.start, end=block.start + timedelta(minutes=s.duration), day=day
            )
            for s, (day, block, room) in zip(required, choice, strict=True)
        )
        left_out = {s.id for s in inputs.sessions if s.optional}
        schedule = Schedule(conference=inputs.conference, people=inputs.people, assignments=placed)
        if not [v for v in violations(schedule, inputs) if v != "session_missing"] and left_out.isdisjoint(
            {a.session.id for a in placed}
        ):
            return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conferences())
def test_a_valid_schedule_or_a_conflict_that_holds_on_its_own(inputs: ConferenceInput):
    try:
        answer = solve(inputs)  # asserts the checker finds no error
    except NoProgramme as none:
        assert none.proven and none.reasons and none.sessions
        named = inputs.model_copy(update={"sessions": tuple(s for s in inputs.sessions if s.id in none.sessions)})
        try:
            solve(named)
        except NoProgramme:
            pass
        else:
            raise AssertionError(f"the named sessions {none.sessions} fit on their own: {none.reasons}") from None
        if len(named.sessions) <= 3:
            assert every_placement_fails(named), none.reasons
            event("no programme, confirmed by exhaustive search")
        else:
            event("no programme, confirmed by the cut-down instance")
        return
    event("schedule")
    assert violations(answer.schedule, inputs) == []
    placed = {a.session.id for a in answer.schedule.assignments}
    left = {u.session.id for u in answer.schedule.unscheduled}
    assert placed.isdisjoint(left) and placed | left == {s.id for s in inputs.sessions}
    assert all(s.optional for s in inputs.sessions if s.id in left)
