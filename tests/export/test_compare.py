"""`planner compare` (planner/export/compare.py): every kind of difference between two programmes is found, and shown
in the terminal table, the Markdown and the HTML page; equal programmes show none; hostile text stays text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from markdown_it import MarkdownIt

from planner.domain import Schedule, Unscheduled
from planner.export.compare import (
    alternatives_markdown,
    compare,
    comparison_documents,
    comparison_html,
    comparison_markdown,
    comparison_text,
)
from planner.solve.alternatives import alternatives, differing_sessions
from planner.solve.evaluate import evaluate
from planner.solve.run import Settings
from tests.export.agenda_sample import HOSTILE_TITLE, hostile, tiny
from tests.paths import REPO


def edited(schedule: Schedule, session_id: str, **update) -> Schedule:
    """The schedule with one assignment changed (`session=` a function of the session, else fields)."""
    change = update.pop("session", None)
    assignments = []
    for assignment in schedule.assignments:
        if assignment.session.id == session_id:
            fields = dict(update)
            if change is not None:
                fields["session"] = change(assignment.session)
            assignment = assignment.model_copy(update=fields)
        assignments.append(assignment)
    return schedule.model_copy(update={"assignments": tuple(assignments)})


def without(schedule: Schedule, session_id: str) -> Schedule:
    """The schedule with a session taken off the programme and left out instead."""
    gone = next(a for a in schedule.assignments if a.session.id == session_id)
    return schedule.model_copy(
        update={
            "assignments": tuple(a for a in schedule.assignments if a is not gone),
            "unscheduled": (*schedule.unscheduled, Unscheduled(session=gone.session, reason="left out by hand")),
        }
    )


def rendered(a: Schedule, b: Schedule) -> tuple[str, str, str]:
    comparison = compare(a, b, ("before.json", "after.xlsx"))
    return comparison_text(comparison, width=250), comparison_markdown(comparison), comparison_html(comparison)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_same_programme_differs_in_nothing():
    comparison = compare(tiny(), tiny())
    assert comparison.same and comparison.objective_difference == 0
    assert all(line.difference == 0 for line in comparison.terms)
    text, markdown, html = rendered(tiny(), tiny())
    assert "0 session(s) moved, added or dropped" in text and "Sessions moved, added or dropped: none." in text
    assert "## People affected\n\nNone." in markdown
    assert 'class="card diff"' not in html


def test_a_session_moved_to_another_room_is_found_with_its_people_and_the_clash_it_makes():
    """late goes to the side room, where ws-lab runs: a move, Cem's room change, and a double booking in B only."""
    a = tiny()
    b = edited(a, "late", room="side")
    comparison = compare(a, b)
    assert [(c.session, c.how) for c in comparison.sessions] == [("late", "moved")]
    assert [(p.name, [c.how.value for c in p.changes]) for p in comparison.people] == [("Cem Aydin", ["room changed"])]
    assert comparison.only_a == () and [f.code for f in comparison.only_b] == ["room_double_booked"]
    text, markdown, html = rendered(a, b)
    for shown in (flat(text), markdown, html):
        assert "Late-breaking results" in shown and "room_double_booked" in shown and "Cem Aydin" in shown
    assert len(re.findall(r'<article class="card diff" data-diff="moved"', html)) == 2  # in both grids


def test_a_session_added_and_one_dropped_are_found():
    a, b = without(tiny(), "late"), tiny()
    added = compare(a, b)
    assert [(c.session, c.how) for c in added.sessions] == [("late", "added")]
    assert [(p.person, [c.how.value for c in p.changes]) for p in added.people] == [("cem", ["added"])]
    assert added.term("unscheduled").count_a == added.term("unscheduled").count_b + 1
    dropped = compare(b, a)
    assert [(c.session, c.how) for c in dropped.sessions] == [("late", "dropped")]
    assert [(p.person, [c.how.value for c in p.changes]) for p in dropped.people] == [("cem", ["cancelled"])]
    _, _, html = rendered(a, b)
    assert len(re.findall(r'<article class="card diff" data-diff="added"', html)) == 1  # in B's grid only
    _, _, html = rendered(b, a)
    assert len(re.findall(r'<article class="card diff" data-diff="dropped"', html)) == 1  # in A's grid only


def test_people_added_to_or_removed_from_a_session_placed_alike_are_found_and_the_terms_move():
    """Bo joins dd-nhs and Dee leaves it: dd-nhs stays where it was; Bo now goes from the keynote he chairs straight
    into it (back to back)."""
    a = tiny()
    b = edited(a, "dd-nhs", session=lambda s: s.model_copy(update={"speakers": ("bo",)}))
    comparison = compare(a, b)
    assert comparison.sessions == () and comparison.regrouped == ("dd-nhs",)
    assert [(p.person, [c.how.value for c in p.changes]) for p in comparison.people] == [
        ("bo", ["added"]),
        ("dee", ["removed"]),
    ]
    line = comparison.term("back_to_back")
    assert (line.count_b - line.count_a, line.difference) == (1, 3)
    assert comparison.objective_difference == 3
    assert "person_overlap" in {f.code for f in comparison.only_b}  # Bo chairs dd-data at the same time
    text, markdown, html = rendered(a, b)
    assert "added as speaker: NHS partnerships (dd-nhs)" in flat(text)
    assert "removed as speaker: NHS partnerships (dd-nhs)" in markdown
    assert len(re.findall(r'<article class="card diff" data-diff="people changed"', html)) == 2


def test_a_placement_off_the_grid_is_said_not_to_be_counted():
    a = tiny()
    late = next(x for x in a.assignments if x.session.id == "late")
    b = edited(a, "late", start=late.start + timedelta(minutes=5), end=late.end + timedelta(minutes=5))
    comparison = compare(a, b)
    assert [u.session for u in comparison.b.scores.unmatched] == ["late"]
    text, markdown, html = rendered(a, b)
    for shown in (flat(text), flat(markdown), flat(html)):
        assert "B: the terms count 5 of 6 placed sessions" in shown
        assert "no block starts then" in shown


EDITS: dict[str, Callable[[Schedule], Schedule]] = {
    "moved": lambda s: edited(s, "late", room="side"),
    "added": lambda s: s,
    "dropped": lambda s: without(s, "ws-lab"),
    "people": lambda s: edited(s, "close", session=lambda x: x.model_copy(update={"chair": "dee"})),
}


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(EDITS, 2)))
def test_no_difference_is_missed_when_several_come_together(first: str, second: str):
    """Two edits at once: each comparison finds both, and every format shows each session they touch."""
    a = without(tiny(), "late")
    b = EDITS[second](EDITS[first](tiny()))
    if "added" not in (first, second):
        a = tiny()
    comparison = compare(a, b)
    touched = {c.session for c in comparison.sessions} | set(comparison.regrouped)
    expected = {"moved": "late", "added": "late", "dropped": "ws-lab", "people": "close"}
    assert {expected[first], expected[second]} <= touched
    people = {p.person for p in comparison.people}
    everyone = {
        person for x in (*a.assignments, *b.assignments) if x.session.id in touched for person in x.session.people
    }
    assert {"cem"} <= people and people <= everyone
    text, markdown, html = rendered(a, b)
    for session_id in touched:
        assert session_id in text and session_id in markdown and session_id in html


def test_the_terms_are_each_programmes_own_scores():
    a, b = tiny(), edited(tiny(), "late", room="side")
    comparison = compare(a, b)
    for side, schedule in ((comparison.a, a), (comparison.b, b)):
        assert side.scores == evaluate(schedule)
    assert [line.term for line in comparison.terms][:2] == ["theme_clash", "theme_spread"]
    assert comparison.objective_difference == sum(line.difference for line in comparison.terms)


def test_the_example_against_its_second_best_alternative():
    """On the example: every session the two programmes place differently is listed, with everyone in it, and each
    programme's terms are what its draft reported."""
    from planner.io.folder import load_folder

    found = alternatives(load_folder(REPO / "examples" / "soc2025"), 2, 3, Settings(workers=1))
    best, second = found.answers
    comparison = compare(best.schedule, second.schedule, ("best", "alternative 2"))
    apart = differing_sessions(best.schedule, second.schedule)
    assert {c.session for c in comparison.sessions} == apart and len(apart) >= 3
    assert {c.how for c in comparison.sessions} == {"moved"}
    in_them = {p for x in best.schedule.assignments if x.session.id in apart for p in x.session.people}
    assert {p.person for p in comparison.people} == in_them
    assert (comparison.a.scores.terms, comparison.b.scores.terms) == (best.terms, second.terms)
    assert comparison.objective_difference == second.objective - best.objective
    html = comparison_html(comparison)
    assert len(re.findall(r'<article class="card diff" data-diff="moved"', html)) == 2 * len(apart)


def test_hostile_text_stays_text_and_the_page_asks_for_nothing():
    a = hostile(tiny())
    b = edited(a, "late", room="side")
    text, markdown, html = rendered(a, b)
    assert HOSTILE_TITLE not in html and "&lt;script&gt;" in html
    shown = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<script" not in shown and HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;") in shown
    assert HOSTILE_TITLE in text  # the terminal shows the text as written
    assert not re.search(r"(?i)(src|href)\s*=|url\(|@import|https?:", html)


def test_alternatives_are_listed_with_their_scores_and_each_compared_with_the_best():
    from planner.io.folder import load_folder

    found = alternatives(load_folder(REPO / "examples" / "soc2025"), 3, 3, Settings(workers=1))
    text = alternatives_markdown(found)
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in text.splitlines() if line[:1] == "|"]
    assert [row[:2] for row in rows[2:]] == [
        ["best", "."],
        ["alternative 2", "alternative-2"],
        ["alternative 3", "alternative-3"],
    ]
    for row, answer in zip(rows[2:], found.answers, strict=True):
        assert row[3] == str(answer.objective) and row[4] == f"{answer.objective - found.answers[0].objective:+d}"
        assert row[-1] == str(len(differing_sessions(found.answers[0].schedule, answer.schedule)))
    assert "Fewer than asked for" not in text
    documents = comparison_documents(found.answers[0], found.answers[2], 3)
    assert sorted(documents) == ["compare.html", "compare.md"]
    assert "# Comparing best and alternative 3" in documents["compare.md"]


def test_fewer_alternatives_than_asked_for_say_why():
    from tests.solve.tiny import grid, instance, session

    inputs = instance(
        grid([("b1", "09:00", "10:00", "parallel"), ("b2", "10:00", "11:00", "parallel")], rooms=(("hall", 100, ()),)),
        [session("a"), session("b")],
    )
    text = alternatives_markdown(alternatives(inputs, 3, 1, Settings(workers=1)))
    assert "2 of the 3 programmes asked for" in text
    assert "Fewer than asked for: no other programme differs from each of the 2 above in at least 1 session." in text


def test_alternatives_of_a_replan_are_scored_against_the_schedule_they_replan():
    from tests.solve.tiny import grid, instance, previous, session

    three = [(f"b{n}", f"{8 + n:02d}:00", f"{9 + n:02d}:00", "parallel") for n in (1, 2, 3)]
    inputs = instance(grid(three, rooms=(("hall", 100, ()),)), [session("a", "ana"), session("b", "ana"), session("c")])
    before = previous(inputs, {"a": ("b1", "hall"), "b": ("b1", "hall"), "c": ("b2", "hall")})  # a and b clash
    best, other = alternatives(inputs, 2, 1, Settings(workers=1), previous=before).answers
    comparison = compare(best.schedule, other.schedule, previous=before)
    assert (comparison.a.scores.terms, comparison.b.scores.terms) == (best.terms, other.terms)
    assert best.terms["moved"] >= 1 and comparison.term("moved").count_a == best.terms["moved"]
