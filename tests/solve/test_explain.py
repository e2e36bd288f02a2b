"""When no programme exists: the reasons are plain words naming the conflict, and the named sessions conflict on
their own (the same instance cut down to them has no programme either)."""

from __future__ import annotations

import pytest

from planner.domain import ConferenceInput
from planner.solve.run import NoProgramme
from tests.solve.tiny import grid, instance, person, session, solve

TWO = [("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")]


def reasons(inputs: ConferenceInput) -> NoProgramme:
    with pytest.raises(NoProgramme) as none:
        solve(inputs)
    assert none.value.proven
    return none.value


def cut_down(inputs: ConferenceInput, ids: tuple[str, ...]) -> ConferenceInput:
    return inputs.model_copy(update={"sessions": tuple(s for s in inputs.sessions if s.id in ids)})


def assert_conflict_holds_alone(inputs: ConferenceInput, none: NoProgramme) -> None:
    assert none.sessions, "a conflict names its sessions"
    with pytest.raises(NoProgramme):
        solve(cut_down(inputs, none.sessions))


def test_a_session_that_fits_nowhere_says_what_ruled_places_out():
    inputs = instance(grid(TWO), [session("a", requires=("projector",)), session("b")])
    none = reasons(inputs)
    assert none.reasons == [
        "'Session a' fits nowhere: Hall lacks projector (2 places); Side lacks projector (2 places)"
    ]
    assert none.sessions == ("a",)


def test_a_session_longer_than_any_run_of_blocks():
    none = reasons(instance(grid(TWO), [session("a", duration=180)]))
    assert none.reasons == [
        "'Session a' lasts 180 minutes, but no run of contiguous blocks of one type lasts that long"
    ]


def test_more_sessions_of_a_kind_than_places():
    inputs = instance(grid(TWO, rooms=(("hall", 100, ()),)), [session(s, kind="keynote") for s in "abc"])
    none = reasons(inputs)
    assert none.reasons == ["3 keynote sessions are proposed but the grid has only 2 places for them"]
    assert_conflict_holds_alone(inputs, none)


def test_more_sessions_needing_a_feature_than_rooms_with_it():
    inputs = instance(grid(TWO), [session(s, requires=("streaming",)) for s in "abc"] + [session("d")])
    none = reasons(inputs)
    assert none.reasons == ["3 sessions need streaming but only 2 room-blocks with streaming can take them"]
    assert none.sessions == ("a", "b", "c")
    assert_conflict_holds_alone(inputs, none)


def test_a_person_in_more_sessions_than_their_free_blocks():
    people = [person("ana", "2030-06-03 09:00-10:00")]
    inputs = instance(
        grid([*TWO, ("b3", "11:00", "12:00", "parallel")]),
        [session(s, "ana") for s in "abc"] + [session("d", "bo")],
        people,
    )
    none = reasons(inputs)
    assert none.reasons == ["Ana is in 3 sessions but free in only 2 of the blocks they could go in"]
    assert_conflict_holds_alone(inputs, none)


def test_a_conflict_no_count_sees_is_found_by_search_and_shrunk():
    """Three people, each in two of three sessions: everyone fits two blocks, yet the sessions meet pairwise, so
    three blocks are needed. Unrelated sessions and people stay out of the explanation."""
    triangle = [session("a", "ana", "bo"), session("b", "bo", "cy"), session("c", "cy", "ana")]
    others = [session("d", "dee"), session("e", "dee", "eve")]
    inputs = instance(grid(TWO, rooms=(("hall", 100, ()), ("side", 30, ()), ("annex", 30, ()))), triangle + others)
    none = reasons(inputs)
    assert none.sessions == ("a", "b", "c")
    for name in ("Ana", "Bo", "Cy"):
        assert f"{name} cannot be in two sessions at once" in none.reasons
    assert not any("Dee" in r or "Eve" in r or "Session d" in r for r in none.reasons)
    assert_conflict_holds_alone(inputs, none)


def test_plenary_blocks_in_the_core_are_named():
    """Each person has one session in each block, so both of them would need the plenary block."""
    plenary = [("p1", "09:00", "10:00", "plenary")]
    inputs = instance(
        grid(plenary + TWO[1:], kinds=("talk", "keynote")),
        [
            session("k1", "ana", kind="keynote"),
            session("k2", "bo", kind="keynote"),
            session("t", "ana", kind="talk"),
            session("u", "bo", kind="talk"),
        ],
    )
    none = reasons(inputs)
    assert_conflict_holds_alone(inputs, none)
    assert none.sessions == ("k1", "k2", "t", "u")
    assert "plenary block p1 holds one session" in none.reasons
    assert len(none.reasons) == 7  # four sessions, two people, the plenary: each needed, none extra
