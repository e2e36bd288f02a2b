"""A paper conference's warm start (paper_start.py) and its cell neighbourhoods (paper_search.py) on the tiny
conference of test_paper_terms: three periods (p1 and p2 with two slots, p3 with one) in two rooms."""

from __future__ import annotations

import time

from planner.domain import Paper, Track
from planner.solve.paper_search import improve_cells
from planner.solve.paper_start import NEVER, paper_start
from planner.solve.settings import Settings
from tests.solve.models import full_model, index_of
from tests.solve.test_paper_terms import inputs_of, paper_grid, talk
from tests.solve.tiny import instance


def test_the_warm_start_takes_no_never_cell_while_another_is_free():
    """Track a may only use the side room in p1 or p2 (the hall and p3 cost CoSPLib's 'never'); b, larger, finds the
    side room cheaper too. Taken largest first, b held both of a's cells and a got a 'never' one; the tightest track
    goes first."""
    never = {"hall": NEVER}
    paper = Paper(
        tracks=(
            Track(id="a", label="A", rooms=never, periods={"p3": NEVER}),
            Track(id="b", label="B", rooms={"hall": 5}),
        )
    )
    talks = [talk("a1", "a"), *(talk(f"b{i}", "b") for i in range(4))]
    inputs = instance(paper_grid(paper, track_room=1, track_period=1), talks)
    variables = full_model(inputs)
    start = paper_start(variables)
    place = variables.places["a1"][start["a1"]]
    assert place.room == "side" and place.blocks[0] in ("p1-1", "p1-2", "p2-1", "p2-2")
    assert len(start) == len(talks)


def test_the_cell_neighbourhoods_move_a_track_into_one_room():
    """From a programme where track a hops between the rooms (track_rooms 1), freeing whole tracks' cells finds the
    programme with no hopping, where moving one time slot at a time could not (a's other talk holds its cell)."""
    talks = [talk("a1", "a"), talk("a2", "a"), talk("b1", "b"), talk("b2", "b")]
    inputs = instance(paper_grid(None, track_rooms=1), talks)
    variables = full_model(inputs)
    where = {"a1": "p1-1 hall", "a2": "p2-1 side", "b1": "p1-1 side", "b2": "p2-1 hall"}
    start = {session: index_of(variables, session, at) for session, at in where.items()}
    seen: list[int | None] = []
    best = improve_cells(
        variables, start, 0, Settings(workers=1), time.monotonic() + 30, lambda p: seen.append(p.objective), {}
    )
    assert best.objective == 0 and seen and seen[-1] == 0
    rooms = {session: variables.places[session][index].room for session, index in best.places.items()}
    assert rooms["a1"] == rooms["a2"] and rooms["b1"] == rooms["b2"]


def test_a_round_offers_no_never_place_but_the_current_one():
    """Track a's hall is at CoSPLib's 'never' level: a round that frees a1 (now in the side room) offers it only the
    side room's slots; one that frees a2, which sits in the hall, keeps that place too, so the round can always
    give back what it was given."""
    from planner.solve.paper_search import Programme, _Neighbourhood

    paper = Paper(tracks=(Track(id="a", label="A", rooms={"hall": NEVER}), Track(id="b", label="B")))
    inputs = inputs_of([talk("a1", "a"), talk("a2", "a"), talk("b1", "b")], paper)
    variables = full_model(inputs)
    where = {"a1": "p1-1 side", "a2": "p2-1 hall", "b1": "p3-1 side"}
    programme = Programme({s: index_of(variables, s, at) for s, at in where.items()}, None)
    neighbourhood = _Neighbourhood(variables, {}, Settings(), 0.1)
    _, kept, _ = neighbourhood._model(programme, {"a1", "a2"})
    rooms = {s: {variables.places[s][i].room for i in kept[s]} for s in ("a1", "a2")}
    assert rooms["a1"] == {"side"}
    assert [variables.places["a2"][i].room for i in kept["a2"]].count("hall") == 1


def test_a_conference_too_large_for_the_whole_model_is_searched_by_its_cells(monkeypatch):
    """When building the whole model would take more than its share of the time limit (OR60F3 at 60 s), the draft runs
    the cell neighbourhoods alone: a whole programme, whose objective and terms are those the whole model gives the
    same schedule (solve/evaluate.py), and no whole model is built."""
    from planner.solve import paper_search, run
    from planner.solve.evaluate import evaluate

    talks = [talk("a1", "a"), talk("a2", "a"), talk("a3", "a"), talk("b1", "b"), talk("b2", "b", place_costs={"p1": 2})]
    talks += [talk("c1", "c")]
    inputs = instance(paper_grid(None, track_rooms=1, track_split=1, talk_period=1), talks)
    assert paper_search.whole_model_fits(10_000, 60)
    monkeypatch.setattr(paper_search, "BUILD_SECONDS", 1.0)
    assert not paper_search.whole_model_fits(100, 60)
    monkeypatch.setattr(run, "build", lambda *_: (_ for _ in ()).throw(AssertionError("whole model built")))
    answer = run.draft(inputs, settings=Settings(time_limit=5, workers=1))
    assert {a.session.id for a in answer.schedule.assignments} == {t.id for t in talks}
    scores = evaluate(answer.schedule)
    assert answer.objective == scores.objective and answer.terms == scores.terms
    assert answer.status == ("optimal" if answer.objective == 0 else "feasible") and answer.bound == 0
