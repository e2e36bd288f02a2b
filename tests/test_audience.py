"""planner.audience: the numbers interest gives (pair weights, the prior for thin sessions, expected audience) and who
loses what in a programme."""

from planner.audience import (
    PairInterest,
    estimates,
    facts,
    ignoring_interest,
    losses,
    report_facts,
    report_lines,
    summary_lines,
)
from planner.audience.losses import attended
from planner.domain import Audience, InterestSettings, PairCount, Unscheduled
from tests.solve.tiny import grid, instance, previous, session

DAY = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "plenary", ["hall"]),
]


def test_a_pair_costs_the_lesser_weight_of_each_attendee_who_picked_both():
    audience = Audience(picks={"a1": {"x": 3, "y": 1}, "a2": {"x": 2, "y": 2, "z": 1}, "a3": {"x": 1}})
    found = estimates(audience, InterestSettings(), [session("x"), session("y"), session("z")])
    assert found is not None
    assert found.pairs == {
        ("x", "y"): PairInterest(attendees=2, weight=3),
        ("x", "z"): PairInterest(attendees=1, weight=1),
        ("y", "z"): PairInterest(attendees=1, weight=1),
    }
    assert found.picks == {"x": 3, "y": 2, "z": 1}


def test_the_aggregated_form_gives_pairs_and_totals_as_they_are():
    audience = Audience(pairs=(PairCount(sessions=("y", "x"), attendees=7),), picked={"x": 20})
    found = estimates(audience, InterestSettings(turnout=1.5), [session("x"), session("y")])
    assert found is not None
    assert found.pairs == {("x", "y"): PairInterest(7, 7)} and found.audience == {"x": 30}


def _thin_case(**settings: float) -> tuple:
    """t1..t4 are talks on 'money' with 8 picks each and, with 'w', 4 attendees each wanting both; 'late' is a talk
    on money with 1 pick; 'k' a keynote on money with many picks (another kind: no peer of a talk)."""
    picks: dict[str, dict[str, int]] = {}
    for n in range(8):
        for t in ("t1", "t2", "t3", "t4"):
            picks.setdefault(f"a{t}{n}", {})[t] = 1
        picks.setdefault(f"w{n}", {})["w"] = 1
        picks.setdefault(f"k{n}", {})["k"] = 1
    for n in range(4):
        for t in ("t1", "t2", "t3", "t4"):
            picks[f"a{t}{n}"]["w"] = 1
    picks["a_t10"] = {"late": 1}
    sessions = [session(s, themes=("money",)) for s in ("t1", "t2", "t3", "t4", "late")]
    sessions += [session("w", themes=("water",)), session("k", kind="keynote", themes=("money",))]
    return estimates(Audience(picks=picks), InterestSettings(**settings), sessions), sessions


def test_a_thin_session_is_raised_toward_its_peers_by_the_prior():
    """Peers have 8 picks and weight 4 with w: with prior 0.5, late has 1 + 0.5 * (8 - 1) = 4.5 -> 5 picks (half
    up) and weight 0.5 * 4 = 2 with w; the keynote (another kind) is no peer."""
    found, _ = _thin_case(prior=0.5)
    assert found is not None and found.thin == ("late",)
    assert found.estimated["late"] == 5 and found.picks["late"] == 1
    assert found.pairs[("late", "w")] == PairInterest(attendees=0, weight=2)


def test_the_prior_can_be_switched_off_and_never_lowers():
    off, _ = _thin_case(prior=0)
    assert off is not None and off.thin == () and ("late", "w") not in off.pairs and off.estimated["late"] == 1
    none_thin, _ = _thin_case(threshold=0)
    assert none_thin is not None and none_thin.thin == ()


def test_turnout_turns_picks_into_an_expected_audience_rounded_up():
    audience = Audience(picks={f"a{n}": {"x": 1} for n in range(7)})
    found = estimates(audience, InterestSettings(turnout=2.5), [session("x")])
    assert found is not None and found.audience == {"x": 18}


def _schedule(placement: dict[str, tuple[str, str]], audience: Audience, optional=()):
    sessions = [session(s, optional=s in optional) for s in ("x", "y", "z", "p", "q")]
    conference = grid(DAY).model_copy(update={"audience": audience})
    inputs = instance(conference, sessions)
    return previous(inputs, placement), inputs


def test_who_loses_what_keeps_the_picks_worth_most_and_counts_the_rest():
    """x and y run at once: a1 wants x more (3) and misses y; a2 wants y more and misses x; a3 has everything."""
    audience = Audience(picks={"a1": {"x": 3, "y": 1, "z": 1}, "a2": {"x": 1, "y": 2}, "a3": {"x": 1, "z": 1}})
    schedule, _ = _schedule({"x": ("b1", "hall"), "y": ("b1", "side"), "z": ("b2", "hall")}, audience)
    found = losses(schedule)
    assert found is not None
    assert (found.attendees, found.served_fully, found.missed) == (3, 1, 2)
    assert found.distribution == {0: 1, 1: 2}
    assert [(m.attendee, m.clashing) for m in found.missing] == [("a1", ("y",)), ("a2", ("x",))]
    [contested] = found.contested
    assert (contested.sessions, contested.attendees, contested.weight) == (("x", "y"), 2, 2)
    assert found.conflicts == 2 and round(found.share_served_fully, 3) == 0.333


def test_a_pick_not_in_the_programme_is_missed_too():
    audience = Audience(picks={"a1": {"x": 1, "q": 1}})
    schedule, inputs = _schedule({"x": ("b1", "hall")}, audience)
    left = Unscheduled(session=next(s for s in inputs.sessions if s.id == "q"), reason="optional")
    found = losses(schedule.model_copy(update={"unscheduled": (left,)}))
    assert found is not None and [m.left_out for m in found.missing] == [("q",)] and found.served_fully == 0


def test_attending_takes_the_heaviest_set_that_never_overlaps():
    """x (9:00-10:00, weight 2) overlaps y (9:00-10:00, weight 1); z follows: x and z are kept."""
    schedule, _ = _schedule({"x": ("b1", "hall"), "y": ("b1", "side"), "z": ("b2", "hall")}, Audience())
    placed = {a.session.id: a for a in schedule.assignments}
    assert attended([(placed["x"], 2), (placed["y"], 1), (placed["z"], 1)]) == {"x", "z"}
    assert attended([(placed["x"], 1), (placed["y"], 3), (placed["z"], 1)]) == {"y", "z"}


def test_the_report_in_facts_and_lines():
    audience = Audience(picks={"a1": {"x": 1, "y": 1}, "a2": {"z": 1}})
    schedule, _ = _schedule({"x": ("b1", "hall"), "y": ("b1", "side"), "z": ("b2", "hall")}, audience)
    found = losses(schedule)
    assert found is not None
    recorded = facts(found)
    assert recorded["served_fully"] == 1 and recorded["missing"] == {"a1": {"clashing": ["y"], "not_in_programme": []}}
    lines = summary_lines(found, {"x": "Session x", "y": "Session y"})
    assert lines[0].startswith("Attendees: 1 of 2 (50.0%) can attend everything they picked; 1 picks missed")
    assert "'Session x' (x) and 'Session y' (y), 1 attendee" in lines[-1]


def test_the_aggregated_form_reports_pairs_but_no_attendee():
    audience = Audience(pairs=(PairCount(sessions=("x", "y"), attendees=5),))
    schedule, _ = _schedule({"x": ("b1", "hall"), "y": ("b1", "side")}, audience)
    found = losses(schedule)
    assert found is not None and found.attendees == 0 and found.conflicts == 5 and found.missing == ()
    assert (
        losses(schedule.model_copy(update={"conference": schedule.conference.model_copy(update={"audience": None})}))
        is None
    )


def test_what_a_draft_prints_and_records_and_nothing_without_interest():
    audience = Audience(picks={"a1": {"x": 1, "y": 1}})
    schedule, inputs = _schedule({"x": ("b1", "hall"), "y": ("b1", "side")}, audience)
    assert report_lines(schedule)[0].startswith("Attendees: 0 of 1 (0.0%)")
    facts_recorded = report_facts(schedule)
    assert facts_recorded is not None and facts_recorded["attendee_conflicts"] == 1
    plain = schedule.model_copy(update={"conference": schedule.conference.model_copy(update={"audience": None})})
    assert report_lines(plain) == [] and report_facts(plain) is None
    ignored = ignoring_interest(inputs)
    assert ignored.conference.audience == audience and ignored.conference.weights.attendee_conflict == 0
