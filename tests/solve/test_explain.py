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
    (reason,) = none.reasons
    assert reason.startswith("3 keynote sessions are proposed ('Session a' (a), 'Session b' (b), 'Session c' (c))")
    assert "the grid has only 2 places for them: b1 (Mon 03 Jun 09:00-10:00, 1 place), b2 (" in reason
    assert reason.endswith(
        "to fix: drop one of these sessions or make it optional, let more blocks take keynote, or open more rooms "
        "in the blocks that do"
    )
    assert_conflict_holds_alone(inputs, none)


def test_more_sessions_needing_a_feature_than_rooms_with_it():
    inputs = instance(grid(TWO), [session(s, requires=("streaming",)) for s in "abc"] + [session("d")])
    none = reasons(inputs)
    (reason,) = none.reasons
    assert reason.startswith("3 sessions need streaming ('Session a' (a), 'Session b' (b), 'Session c' (c))")
    assert "only 2 room-blocks with streaming can take them: b1 (Mon 03 Jun 09:00-10:00, Hall), b2 (" in reason
    assert "to fix: drop the need for streaming from one of these sessions, give another room streaming" in reason
    assert none.sessions == ("a", "b", "c")
    assert_conflict_holds_alone(inputs, none)


def test_a_person_in_more_sessions_than_their_free_blocks_names_sessions_blocks_window_and_fix():
    """Two deep dives, and their speaker away for one of the two blocks that take deep dives (issue 12, item 9)."""
    blocks = [
        ("am", "09:00", "10:30", "parallel", ["hall", "side"], ["deep_dive"]),
        ("mid", "10:30", "11:00", "parallel", ["hall", "side"], ["talk"]),
        ("pm", "11:00", "12:30", "parallel", ["hall", "side"], ["deep_dive"]),
    ]
    conference = grid(blocks, kinds=("talk", "deep_dive"), labels={"deep_dive": "Deep dive"})
    mara = person("mara", "2030-06-03 11:00-12:30", "2030-06-03 10:30-11:00", name="Mara Quill")
    dives = [
        session("dd-1", "mara", kind="deep_dive", duration=90, title="Measuring what matters"),
        session("dd-2", "mara", kind="deep_dive", duration=90, title="Outcomes funds"),
    ]
    none = reasons(instance(conference, dives, [mara]))
    assert none.reasons == [
        "Mara Quill is in 2 sessions ('Measuring what matters' (dd-1), 'Outcomes funds' (dd-2)) but free in only 1 "
        "of the blocks they could go in: am (Mon 03 Jun 09:00-10:30); unavailable Mon 03 Jun 11:00-12:30; to fix: "
        "drop Mara Quill from one of these sessions, widen their availability or add a block that takes Deep dive"
    ]  # the window over the talks' block is no reason, so it is not named
    assert none.sessions == ("dd-1", "dd-2")


def test_a_person_in_more_sessions_than_their_free_blocks():
    people = [person("ana", "2030-06-03 09:00-10:00")]
    inputs = instance(
        grid([*TWO, ("b3", "11:00", "12:00", "parallel")]),
        [session(s, "ana") for s in "abc"] + [session("d", "bo")],
        people,
    )
    none = reasons(inputs)
    (reason,) = none.reasons
    assert reason.startswith("Ana is in 3 sessions ('Session a' (a), 'Session b' (b), 'Session c' (c))")
    assert "free in only 2 of the blocks they could go in: b2 (Mon 03 Jun 10:00-11:00), b3 (" in reason
    assert "unavailable Mon 03 Jun 09:00-10:00; to fix: drop Ana from one of these sessions" in reason
    assert_conflict_holds_alone(inputs, none)


def test_a_daily_maximum_that_cannot_be_met_names_the_days_and_a_whole_day_away():
    two_days = [TWO, [("c1", "09:00", "10:00", "parallel"), ("c2", "10:00", "11:00", "parallel")]]
    people = [person("ana", "2030-06-04", max_sessions_per_day=1)]
    none = reasons(instance(grid(*two_days), [session("a", "ana"), session("b", "ana")], people))
    assert none.reasons == [
        "Ana is in 2 sessions ('Session a' (a), 'Session b' (b)), takes at most 1 a day, and could be there on only "
        "1 day: d1 (Monday 3 June 2030); unavailable all of Tuesday 4 June 2030; to fix: drop Ana from one of these "
        "sessions, raise their daily maximum of 1 or widen their availability"
    ]
    assert none.sessions == ("a", "b")


def test_a_conflict_no_count_sees_is_found_by_search_and_shrunk():
    """Three people, each in two of three sessions: everyone fits two blocks, yet the sessions meet pairwise, so
    three blocks are needed. Unrelated sessions and people stay out of the explanation; each person's group names
    their sessions."""
    triangle = [session("a", "ana", "bo"), session("b", "bo", "cy"), session("c", "cy", "ana")]
    others = [session("d", "dee"), session("e", "dee", "eve")]
    inputs = instance(grid(TWO, rooms=(("hall", 100, ()), ("side", 30, ()), ("annex", 30, ()))), triangle + others)
    none = reasons(inputs)
    assert none.sessions == ("a", "b", "c")
    assert "Ana cannot be in two sessions at once, and is in 'Session a' (a), 'Session c' (c)" in none.reasons
    assert "Bo cannot be in two sessions at once, and is in 'Session a' (a), 'Session b' (b)" in none.reasons
    assert "Cy cannot be in two sessions at once, and is in 'Session b' (b), 'Session c' (c)" in none.reasons
    assert "'Session a' (a) must be scheduled (2 possible places in annex, hall, side)" in none.reasons
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
    assert (
        "plenary block p1 holds one session; 'Session k1' (k1), 'Session k2' (k2), 'Session t' (t), 'Session u' (u) "
        "could go there" in none.reasons
    )
    assert len(none.reasons) == 7  # four sessions, two people, the plenary: each needed, none extra
