"""Each finding type fires on a programme that breaks its rule, naming who, which sessions, when and where, and stays
quiet on the clean programme (which breaks nothing at all)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.check import RULES, Severity, check, check_schedule, schedule_agenda
from planner.check import rules as R
from planner.check.model import Agenda, Context, Item
from planner.check.timeline import Grid, arrivals, overlapping_pairs
from planner.domain import CheckSettings, Pin, Schedule, Session
from tests.check.checkcon import inputs, place, programme, session

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def run(rule, schedule, proposals=True):
    return rule(*schedule_agenda(schedule, inputs().sessions if proposals else None))


def ids(finding):
    return [p.session for p in finding.sessions]


def test_the_clean_programme_has_no_findings_at_all():
    assert check_schedule(programme(), inputs().sessions) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_every_rule_is_quiet_on_the_clean_programme(rule):
    assert run(rule, programme()) == []


def test_every_rule_is_named_by_its_code_and_listed_once():
    names = [rule.__name__ for rule in RULES]
    assert len(set(names)) == len(names)
    assert all(getattr(R, name) is rule for name, rule in zip(names, RULES, strict=True))


# Errors ---------------------------------------------------------------------------------------------------------


def test_person_overlap_by_clock_time_names_the_person_sessions_times_and_rooms():
    """Eve runs the 10:00-12:00 workshop in the hall and is added to t1 (10:00-11:00, side room)."""
    found = run(R.person_overlap, programme(sessions={"t1": session("t1", speakers=("bo-li", "eve-stone"))}))
    assert len(found) == 1
    finding = found[0]
    assert (finding.severity, finding.code, finding.subject) == (ERROR, "person_overlap", "Eve Stone")
    assert ids(finding) == ["t1", "w1"] and [p.title for p in finding.sessions] == [
        "Data in practice",
        "Money workshop",
    ]
    assert [p.room for p in finding.sessions] == ["Side Room", "Main Hall"]
    assert finding.sessions[0].start == datetime(2030, 6, 4, 9, 0, tzinfo=UTC)  # 10:00 BST


def test_person_overlap_is_not_an_end_meeting_a_start():
    """Ana's keynote ends at 10:00; a talk of hers starting at 10:00 is back to back, not overlapping."""
    schedule = programme(sessions={"t1": session("t1", speakers=("ana-ruiz",))})
    assert run(R.person_overlap, schedule) == []
    assert [f.subject for f in run(R.back_to_back, schedule)] == ["Ana Ruiz"]


@pytest.mark.parametrize(
    ("moves", "changed"),
    [
        ({"t1": ("side", "d1", "10:00", "12:00")}, {"t1": session("t1", speakers=("eve-stone",))}),
        ({"t2": ("side", "d1", "11:30", "12:30")}, {"t2": session("t2", speakers=("eve-stone",))}),
        ({}, {"t1": session("t1", chair="eve-stone")}),
    ],
    ids=["same start, same length", "partial overlap", "chair in one, speaker in the other"],
)
def test_person_overlap_is_found_once_per_pair(moves, changed):
    """Issue 14: Eve's workshop runs 10:00-12:00 in the hall; a second session of hers with the same start and length,
    one overlapping part of it, or one she chairs, is one person_overlap naming both sessions, whatever else runs."""
    found = [f for f in check_schedule(programme(moves, changed), inputs().sessions) if f.code == "person_overlap"]
    assert [(f.subject, sorted(ids(f))) for f in found] == [("Eve Stone", sorted(["w1", *changed]))]


def test_person_overlap_counts_a_person_named_twice_in_one_session_once():
    """An agenda can name someone as chair and as speaker of one session: still one clash with their other one."""
    chairing = replace(_item(0, 60, "a"), people=("eve", "eve"))
    agenda = Agenda(source="s", items=(chairing, replace(_item(30, 60, "b"), people=("eve",))))
    found = R.person_overlap(agenda, Context())
    assert [(f.subject, ids(f)) for f in found] == [("eve", ["a", "b"])]


def buffered(minutes: int, **changes: object) -> Schedule:
    """Ana's keynote ends at 10:00 in the hall; she also gives t1, in the side room (moved by `changes`)."""
    return programme(
        changes, {"t1": session("t1", speakers=("ana-ruiz",))}, checks=CheckSettings(buffer_minutes=minutes)
    )


def test_no_time_to_move_between_rooms_within_the_buffer():
    found = run(R.no_time_to_move, buffered(10))
    assert [(f.severity, f.code, f.subject, f.detail, ids(f)) for f in found] == [
        (ERROR, "no_time_to_move", "Ana Ruiz", "0 minutes to change rooms; 10 needed", ["key", "t1"])
    ]
    assert [p.room for p in found[0].sessions] == ["Main Hall", "Side Room"]


def test_no_time_to_move_needs_less_than_the_buffer_and_a_change_of_room():
    later = {"t1": ("side", "d1", "10:10", "11:00")}
    assert run(R.no_time_to_move, buffered(10, **later)) == []
    assert [f.detail for f in run(R.no_time_to_move, buffered(11, **later))] == [
        "10 minutes to change rooms; 11 needed"
    ]
    assert run(R.no_time_to_move, buffered(0)) == []  # no buffer set: back to back is possible
    same_room = programme(
        sessions={"w1": session("w1", speakers=("ana-ruiz",))}, checks=CheckSettings(buffer_minutes=30)
    )
    assert run(R.no_time_to_move, same_room) == []  # the keynote and the workshop are both in the hall


def test_no_time_to_move_is_from_the_session_a_person_comes_from():
    """Ana in the hall until 10:00, then t1 in the side room from 10:30 and t2 in the side room from 11:00: the move
    is keynote to t1 (30 minutes), not keynote to t2, nor t1 to t2 (same room)."""
    schedule = programme(
        {"t1": ("side", "d1", "10:30", "11:00")},
        {"t1": session("t1", speakers=("ana-ruiz",)), "t2": session("t2", speakers=("ana-ruiz",))},
        checks=CheckSettings(buffer_minutes=75),
    )
    assert [(f.detail, ids(f)) for f in run(R.no_time_to_move, schedule)] == [
        ("30 minutes to change rooms; 75 needed", ["key", "t1"])
    ]


def test_person_unavailable():
    """Cy cannot come 13:00-14:00 on day 1; t3 at that time is given to Cy."""
    found = run(R.person_unavailable, programme(sessions={"t3": session("t3", speakers=("cy-hart",))}))
    assert [(f.code, f.subject, ids(f)) for f in found] == [("person_unavailable", "Cy Hart", ["t3"])]
    assert found[0].severity is ERROR and "13:00-14:00" in found[0].detail


def test_room_double_booked():
    found = run(R.room_double_booked, programme({"opt": ("side", "d1", "10:00", "11:00")}))
    assert [(f.severity, f.subject, ids(f)) for f in found] == [(ERROR, "Side Room", ["opt", "t1"])]


def test_beside_plenary():
    found = run(R.beside_plenary, programme({"opt": ("side", "d1", "09:00", "10:00")}))
    assert [(f.severity, ids(f)) for f in found] == [(ERROR, ["key", "opt"])]
    assert found[0].subject == "plenary block open"


@pytest.mark.parametrize(
    ("where", "why"),
    [
        (("hall", "d1", "12:00", "13:00"), "runs into the break Lunch"),
        (("hall", "d1", "08:00", "09:00"), "outside every block"),
        (("side", "d1", "11:30", "13:30"), "runs into the break Lunch"),
        (("side", "d2", "09:30", "10:30"), "starts before block d2-am"),
        (("side", "d1", "09:30", "10:30"), "spans a plenary and a parallel block"),
    ],
)
def test_outside_blocks(where, why):
    found = run(R.outside_blocks, programme({"opt": where}))
    assert [(f.severity, ids(f)) for f in found] == [(ERROR, ["opt"])]
    assert why in found[0].detail


def test_room_closed():
    """The attic opens for am2 only."""
    found = run(R.room_closed, programme({"opt": ("attic", "d1", "13:00", "14:00")}))
    assert [(f.severity, f.subject, f.detail, ids(f)) for f in found] == [
        (ERROR, "Attic", "not open in block pm", ["opt"])
    ]


def test_kind_not_allowed():
    """The afternoon block takes talks only."""
    found = run(R.kind_not_allowed, programme(sessions={"opt": session("opt", kind="workshop")}))
    assert [(f.severity, f.subject, ids(f)) for f in found] == [(ERROR, "block pm", ["opt"])]
    assert "Workshop" in found[0].detail


def test_session_missing_against_the_proposals_with_the_reason_given():
    found = run(R.session_missing, programme({"t3": None}))
    assert [(f.severity, f.subject, [p.title for p in f.sessions]) for f in found] == [(ERROR, "t3", ["Data at scale"])]
    assert found[0].sessions[0].start is None
    told = run(R.session_missing, programme({"t3": None}, left_out={"t3": "no room left"}), proposals=False)
    assert told[0].detail == "proposed but not scheduled: no room left"


def test_session_duplicated():
    again = place(session("t4"), "side", "d2", "10:00", "11:00")
    found = run(R.session_duplicated, programme(extra=(again,)))
    assert [(f.severity, f.subject, f.detail, [p.room for p in f.sessions]) for f in found] == [
        (ERROR, "t4", "placed 2 times", ["Main Hall", "Side Room"])
    ]
    assert run(R.person_overlap, programme(extra=(again,))) == []  # the same session twice is not Ana in two places


# Warnings -------------------------------------------------------------------------------------------------------


def test_theme_clash():
    found = run(R.theme_clash, programme(sessions={"w1": session("w1", themes=("money", "health"))}))
    assert [(f.severity, f.subject, ids(f)) for f in found] == [(WARNING, "Health", ["w1", "t2"])]


def test_theme_clash_lists_every_shared_theme_once_per_pair():
    schedule = programme(
        sessions={"w1": session("w1", themes=("money", "health")), "t2": session("t2", themes=("health", "money"))}
    )
    found = run(R.theme_clash, schedule)
    assert [(f.subject, f.detail, ids(f)) for f in found] == [
        ("Health, Money", "same themes at the same time", ["w1", "t2"])
    ]


def test_back_to_back():
    found = run(R.back_to_back, programme(sessions={"t1": session("t1", speakers=("ana-ruiz",))}))
    assert [(f.severity, f.subject, ids(f)) for f in found] == [(WARNING, "Ana Ruiz", ["key", "t1"])]


def test_back_to_back_needs_a_short_gap():
    """Ana's keynote ends at 10:00; a talk at 11:00 leaves her an hour."""
    schedule = programme({"t2": ("attic", "d1", "11:00", "12:00")}, {"t2": session("t2", speakers=("ana-ruiz",))})
    assert run(R.back_to_back, schedule) == []


def test_over_daily_maximum():
    """Bo takes one session a day."""
    found = run(R.over_daily_maximum, programme(sessions={"t3": session("t3", speakers=("bo-li",))}))
    assert [(f.severity, f.subject, ids(f)) for f in found] == [(WARNING, "Bo Li", ["t1", "t3"])]
    assert found[0].detail == "2 sessions on Tue 04 Jun; at most 1 a day"


def test_room_too_small_is_a_warning_unless_capacity_is_hard():
    moved = {"t1": ("attic", "d1", "11:00", "12:00"), "t2": ("side", "d1", "10:00", "11:00")}
    found = run(R.room_too_small, programme(moved))
    assert [(f.severity, f.subject, f.detail, ids(f)) for f in found] == [
        (WARNING, "Attic", "seats 20, 25 expected", ["t1"])
    ]
    assert [f.severity for f in run(R.room_too_small, programme(moved, capacity="hard"))] == [ERROR]


def test_room_lacks_feature():
    found = run(R.room_lacks_feature, programme(sessions={"t3": session("t3", requires=("streaming",))}))
    assert [(f.severity, f.subject, f.detail, ids(f)) for f in found] == [
        (WARNING, "Side Room", "lacks streaming", ["t3"])
    ]


def test_optional_left_out_with_its_reason():
    found = run(R.optional_left_out, programme({"opt": None}, left_out={"opt": "no place remained"}))
    assert [(f.severity, f.subject, f.detail) for f in found] == [
        (WARNING, "opt", "optional, not scheduled: no place remained")
    ]
    assert run(R.session_missing, programme({"opt": None})) == []


def test_not_in_proposals():
    late = Session(id="late", title="A late addition", kind="talk", duration=60, speakers=("dee-moss",))
    schedule = programme(extra=(place(late, "side", "d2", "10:00", "11:00"),))
    found = run(R.not_in_proposals, schedule)
    assert [(f.severity, f.subject, ids(f)) for f in found] == [(WARNING, "late", ["late"])]
    assert run(R.not_in_proposals, schedule, proposals=False) == []  # the schedule proposes what it places


def test_length_changed():
    found = run(R.length_changed, programme({"t4": ("hall", "d2", "10:00", "10:45")}))
    assert [(f.severity, f.detail) for f in found] == [(WARNING, "lasts 45 minutes; the proposal asks for 60")]


def test_not_where_pinned():
    found = run(R.not_where_pinned, programme(sessions={"key": session("key", pin=Pin(day="d1", block="am1"))}))
    assert [(f.severity, f.subject, f.detail) for f in found] == [(WARNING, "key", "pinned to block am1")]


# Order, and the helpers' guarantees -------------------------------------------------------------------------------


def test_findings_come_errors_first_then_by_rule_and_time_the_same_every_run():
    schedule = programme(
        {"opt": ("side", "d1", "10:00", "11:00"), "t3": None}, {"t1": session("t1", speakers=("ana-ruiz", "eve-stone"))}
    )
    first = check_schedule(schedule, inputs().sessions)
    assert first == check_schedule(schedule, inputs().sessions)
    severities = [f.severity for f in first]
    assert severities == sorted(severities, key=lambda s: s is not ERROR)
    order = [rule.__name__ for rule in RULES]
    codes = [order.index(f.code) for f in first if f.severity is ERROR]
    assert codes == sorted(codes) and {"person_overlap", "room_double_booked", "session_missing"} <= {
        f.code for f in first
    }


def test_check_takes_a_chosen_set_of_rules():
    schedule = programme({"opt": ("side", "d1", "10:00", "11:00")})
    assert check(*schedule_agenda(schedule), rules=(R.person_overlap,)) == []


def _item(start: int, length: int, name: str) -> Item:
    base = datetime(2030, 1, 1, tzinfo=UTC)
    return Item(
        session=name,
        title=name,
        kind=None,
        start=base + timedelta(minutes=start),
        end=base + timedelta(minutes=start + length),
        room="r",
    )


@given(st.lists(st.tuples(st.integers(0, 600), st.integers(1, 120)), max_size=25))
def test_the_sweep_finds_exactly_the_overlapping_pairs(spans):
    items = [_item(start, length, f"s{n}") for n, (start, length) in enumerate(spans)]
    swept = {frozenset((a.session, b.session)) for a, b in overlapping_pairs(items)}
    brute = {
        frozenset((a.session, b.session))
        for i, a in enumerate(items)
        for b in items[i + 1 :]
        if a.start < b.end and b.start < a.end
    }
    assert swept == brute


@given(st.lists(st.tuples(st.integers(0, 600), st.integers(1, 120)), max_size=25))
def test_arrivals_pair_each_item_with_the_last_to_end_before_it(spans):
    items = [_item(start, length, f"s{n}") for n, (start, length) in enumerate(spans)]
    found = {(item.session, before.end) for before, item in arrivals(items)}
    brute = set()
    for item in items:
        ended = [other.end for other in items if other is not item and other.end <= item.start]
        if ended:
            brute.add((item.session, max(ended)))
    assert found == brute


@given(st.integers(0, 24 * 60 * 3), st.integers(1, 300))
def test_the_grid_finds_exactly_the_blocks_a_time_covers(start, length):
    conference = inputs().conference
    begin = datetime(2030, 6, 3, 23, tzinfo=UTC) + timedelta(minutes=start)
    end = begin + timedelta(minutes=length)
    found = [block.id for _, block in Grid(conference).covering(begin, end)]
    assert found == [block.id for block in conference.blocks if block.start < end and begin < block.end]


def test_every_finding_says_why_it_exists():
    from planner.check.rules import RULES

    assert all(rule.__doc__ and rule.__doc__.strip() for rule in RULES), [r.__name__ for r in RULES if not r.__doc__]
