"""What changed between two schedules: each session moved, added or dropped, and each person affected and how."""

from __future__ import annotations

from planner.changes import How, change_summary, changes, changes_markdown, people_affected
from planner.domain import Schedule, Unscheduled
from planner.replan import carry_over
from tests.solve.tiny import grid, instance, previous, session

ROOMS = (("hall", 100, ()), ("side", 30, ()))
THREE = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "parallel"),
]
SESSIONS = [
    session("a", "ana", "bo"),
    session("b", "cem"),
    session("c", "dee"),
    session("d", "eve"),
    session("e", "gus", optional=True),
]
INPUTS = instance(grid(THREE, rooms=ROOMS), SESSIONS)
BEFORE = {"a": ("b1", "hall"), "b": ("b1", "side"), "c": ("b2", "hall"), "d": ("b3", "hall"), "e": ("b2", "side")}


def replanned(where: dict[str, tuple[str, str]], people: dict[str, tuple[str, ...]] | None = None) -> Schedule:
    """The re-plan: sessions where `where` puts them (with other speakers where `people` says), carried over from
    BEFORE as a draft's answer is (a session no longer placed is withdrawn)."""
    schedule = previous(INPUTS, where)
    changed = []
    for assignment in schedule.assignments:
        speakers = (people or {}).get(assignment.session.id)
        if speakers is not None:
            assignment = assignment.model_copy(
                update={"session": assignment.session.model_copy(update={"speakers": speakers})}
            )
        changed.append(assignment)
    return carry_over(previous(INPUTS, BEFORE), schedule.model_copy(update={"assignments": tuple(changed)}))


def how(schedule: Schedule) -> dict[str, list[tuple[str, str]]]:
    return {
        p.person: [(c.how.value, c.session) for c in p.changes]
        for p in people_affected(previous(INPUTS, BEFORE), schedule)
    }


def test_unchanged_programme_affects_no_one():
    assert people_affected(previous(INPUTS, BEFORE), replanned(BEFORE)) == []
    assert changes(previous(INPUTS, BEFORE), replanned(BEFORE)) == []


def test_a_move_a_withdrawal_and_a_person_removed_affect_exactly_their_people():
    where = {"a": ("b2", "side"), "c": ("b2", "hall"), "d": ("b3", "hall"), "e": ("b1", "side")}
    now = replanned(where, people={"c": ("fay",)})
    assert how(now) == {
        "ana": [("moved", "a")],
        "bo": [("moved", "a")],
        "cem": [("withdrawn", "b")],
        "dee": [("removed", "c")],
        "fay": [("added", "c")],
        "gus": [("moved", "e")],
    }  # eve, whose session stayed where it was, is not affected


def test_a_room_change_at_the_same_time_is_told_apart_from_a_move():
    now = replanned(BEFORE | {"d": ("b3", "side")})
    assert how(now) == {"eve": [("room changed", "d")]}


def test_a_session_left_out_is_cancelled_and_one_brought_back_adds_its_people():
    left = previous(INPUTS, {k: v for k, v in BEFORE.items() if k != "e"})
    left = left.model_copy(update={"unscheduled": (Unscheduled(session=SESSIONS[4], reason="no room"),)})
    now = carry_over(previous(INPUTS, BEFORE), left)
    assert [(c.how, c.role, c.after) for c in people_affected(previous(INPUTS, BEFORE), now)[0].changes] == [
        (How.CANCELLED, "speaker", None)
    ]
    back = people_affected(now, previous(INPUTS, BEFORE))
    assert [(p.person, [c.how for c in p.changes]) for p in back] == [("gus", [How.ADDED])]
    assert back[0].before == () and [a.session.id for a in back[0].after] == ["e"]


def test_each_person_sees_their_sessions_before_and_after_in_time_order():
    now = replanned(BEFORE | {"a": ("b3", "side")}, people={"d": ("eve", "ana")})
    ana = next(p for p in people_affected(previous(INPUTS, BEFORE), now) if p.person == "ana")
    assert [a.session.id for a in ana.before] == ["a"]
    assert [a.session.id for a in ana.after] == ["d", "a"]  # d at 11:00 in the hall, a at 11:00 in the side room
    assert [change_summary(c) for c in ana.changes] == ["moved: Session a (a)", "added as speaker: Session d (d)"]


def test_session_changes_say_moved_added_and_dropped():
    before = previous(INPUTS, {"a": ("b1", "hall"), "b": ("b1", "side")})
    after = previous(INPUTS, {"a": ("b2", "hall"), "c": ("b3", "hall")})
    found = changes(before, after)
    assert [(c.session, c.how) for c in found] == [("b", "dropped"), ("a", "moved"), ("c", "added")]
    assert found[0].after == "not scheduled" and found[2].before == "not scheduled"
    assert "3 of 4 sessions changed" in changes_markdown(found, 4)
