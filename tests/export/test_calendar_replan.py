"""People taken out of a session by a re-plan: `carry_over` records them and raises the session's SEQUENCE, keeps
them recorded over later re-plans until they come back, and their own feeds show the session cancelled while every
other feed keeps it confirmed."""

from __future__ import annotations

import pytest

from planner.domain import Schedule
from planner.export.ical import PROGRAMME, calendar_files, feed_paths, session_uid
from planner.replan import carry_over
from tests.export.calendar_cases import STAMP, Replan, by_uid, example_schedules, tiny_schedule

KEYNOTE = "k1@tiny30.planner"


def with_people(schedule: Schedule, session_id: str, chair: str | None, *speakers: str) -> Schedule:
    """`schedule` with the placed session's chair and speakers replaced."""
    assignments = tuple(
        a.model_copy(update={"session": a.session.model_copy(update={"chair": chair, "speakers": speakers})})
        if a.session.id == session_id
        else a
        for a in schedule.assignments
    )
    return schedule.model_copy(update={"assignments": assignments})


def keynote(schedule: Schedule):
    return next(a for a in schedule.assignments if a.session.id == "k1")


def status_and_sequence(data: bytes, uid: str = KEYNOTE) -> tuple[str, int]:
    event = by_uid(data)[uid]
    return str(event["STATUS"]), int(event["SEQUENCE"])


@pytest.fixture
def plans() -> tuple[Schedule, Schedule]:
    """Sam spoke in the keynote (chaired by Ana, with Zoë); the re-plan takes him out of it and nothing moves."""
    now = tiny_schedule()
    return with_people(now, "k1", "ana", "zoe", "sam"), now


# --- carry_over ---------------------------------------------------------------------------------------------------


def test_a_person_taken_out_is_recorded_and_the_sequence_rises_though_nothing_moved(plans):
    before, now = plans
    after = carry_over(before, now)
    assert keynote(after).removed_people == ("sam",)
    assert keynote(after).sequence == keynote(before).sequence + 1
    assert (keynote(after).start, keynote(after).room) == (keynote(before).start, keynote(before).room)
    talk = next(a for a in after.assignments if a.session.id == "t1")
    assert talk.removed_people == () and talk.sequence == 2  # untouched


def test_a_person_taken_out_earlier_stays_removed_over_later_replans(plans):
    before, now = plans
    second = carry_over(before, now)
    third = carry_over(second, now)
    assert keynote(third).removed_people == ("sam",)
    assert keynote(third).sequence == keynote(second).sequence  # no new change, no new sequence
    ana_out = carry_over(third, with_people(now, "k1", None, "zoe"))
    assert keynote(ana_out).removed_people == ("sam", "ana")
    assert keynote(ana_out).sequence == keynote(third).sequence + 1


def test_a_person_who_comes_back_is_no_longer_removed_and_the_sequence_rises(plans):
    before, now = plans
    second = carry_over(before, now)
    back = carry_over(second, before)
    assert keynote(back).removed_people == ()
    assert keynote(back).sequence == keynote(second).sequence + 1


def test_new_people_or_new_order_are_not_removals(plans):
    before, now = plans
    joined = carry_over(now, before)
    assert keynote(joined).removed_people == () and keynote(joined).sequence == keynote(now).sequence + 1
    reordered = carry_over(before, with_people(before, "k1", "ana", "sam", "zoe"))
    assert keynote(reordered).removed_people == () and keynote(reordered).sequence == keynote(before).sequence


def test_a_session_cancelled_after_a_removal_keeps_its_removed_people(plans):
    before, now = plans
    second = carry_over(before, now)
    gone = second.model_copy(update={"assignments": second.assignments[1:]})
    third = carry_over(second, gone)
    (was,) = [u.was for u in third.unscheduled if u.session.id == "k1"]
    assert was is not None and was.removed_people == ("sam",) and was.sequence == keynote(second).sequence + 1


def test_a_cancelled_session_that_returns_without_someone_has_them_removed():
    schedule = tiny_schedule()  # t2 (chair Zoë, speaker Ana) was published and is cancelled now
    cancelled = schedule.unscheduled[0].was
    assert cancelled is not None
    returned = schedule.model_copy(
        update={
            "assignments": (
                *schedule.assignments,
                cancelled.model_copy(update={"session": cancelled.session.model_copy(update={"speakers": ()})}),
            ),
            "unscheduled": (),
        }
    )
    after = carry_over(schedule, returned)
    t2 = next(a for a in after.assignments if a.session.id == "t2")
    assert t2.removed_people == ("ana",) and t2.sequence == cancelled.sequence + 1


def test_someone_removed_and_gone_from_the_people_list_keeps_their_name_and_feed(plans):
    before, now = plans
    now = with_people(now, "t1", None)  # Sam's other session loses him too, and people.csv drops him
    now = now.model_copy(update={"people": tuple(p for p in now.people if p.id != "sam")})
    after = carry_over(before, now)
    assert (
        feed_paths(after)["people"]["sam"] == feed_paths(before)["people"]["sam"] == "calendars/people/sam-lee-jr.ics"
    )
    files = calendar_files(after, STAMP)
    assert status_and_sequence(files["calendars/people/sam-lee-jr.ics"]) == ("CANCELLED", 1)
    assert status_and_sequence(files["calendars/people/sam-lee-jr.ics"], "t1@tiny30.planner") == ("CANCELLED", 3)
    assert [p.id for p in after.people] == ["zoe", "ana", "sam"]


# --- the feeds ----------------------------------------------------------------------------------------------------


def test_the_removed_persons_feed_cancels_the_session_and_every_other_feed_keeps_it(plans):
    before, now = plans
    first, second = calendar_files(before, STAMP), calendar_files(carry_over(before, now), STAMP)
    assert status_and_sequence(first["calendars/people/sam-lee-jr.ics"]) == ("CONFIRMED", 0)
    sams = by_uid(second["calendars/people/sam-lee-jr.ics"])
    assert (str(sams[KEYNOTE]["STATUS"]), int(sams[KEYNOTE]["SEQUENCE"])) == ("CANCELLED", 1)
    assert str(sams[KEYNOTE]["SUMMARY"]).startswith("Cancelled: ")
    assert str(sams[KEYNOTE]["DTSTART"].dt) == str(by_uid(first[PROGRAMME])[KEYNOTE]["DTSTART"].dt)
    assert str(sams["t1@tiny30.planner"]["STATUS"]) == "CONFIRMED"  # his other session goes on
    holding = [path for path, data in second.items() if KEYNOTE in by_uid(data)]
    assert sorted(holding) == [
        "calendars/people/ana-ruiz.ics",
        "calendars/people/sam-lee-jr.ics",
        "calendars/people/zoe-ng.ics",
        "calendars/rooms/main-hall.ics",
        "calendars/themes/data.ics",
        "calendars/themes/money-funds-bonds.ics",
        "programme.ics",
    ]
    for path in holding:
        if path != "calendars/people/sam-lee-jr.ics":
            assert status_and_sequence(second[path]) == ("CONFIRMED", 1), path


def test_back_in_the_session_the_persons_feed_confirms_it_again(plans):
    before, now = plans
    second = carry_over(before, now)
    back = calendar_files(carry_over(second, before), STAMP)
    assert status_and_sequence(back["calendars/people/sam-lee-jr.ics"]) == ("CONFIRMED", 2)


def test_a_person_whose_only_session_they_were_taken_out_of_still_has_their_feed(plans):
    before, now = plans
    before = with_people(before, "t1", None)
    after = carry_over(before, with_people(now, "t1", None))
    files = calendar_files(after, STAMP)
    assert list(by_uid(files["calendars/people/sam-lee-jr.ics"])) == [KEYNOTE]
    assert status_and_sequence(files["calendars/people/sam-lee-jr.ics"]) == ("CANCELLED", 1)


def test_a_solver_replan_records_the_person_taken_out_and_their_feed_cancels_it():
    replan: Replan = example_schedules()
    first, second = replan.first, replan.second
    placed = next(a for a in second.assignments if a.session.id == replan.thinned)
    assert placed.removed_people == (replan.removed,)
    uid = session_uid(second, replan.thinned)
    path = feed_paths(second)["people"][replan.removed]
    assert path == feed_paths(first)["people"][replan.removed]
    before, after = calendar_files(first, STAMP)[path], calendar_files(second, STAMP)[path]
    assert status_and_sequence(before, uid) == ("CONFIRMED", 0)
    assert status_and_sequence(after, uid) == ("CANCELLED", 1)
    assert status_and_sequence(calendar_files(second, STAMP)[PROGRAMME], uid) == ("CONFIRMED", 1)
    others = [e for e in by_uid(after) if e != uid]
    assert others and all(str(by_uid(after)[e]["STATUS"]) == "CONFIRMED" for e in others)
