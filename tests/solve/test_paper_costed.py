"""The costed packing of tracks into (period, room) cells (planner/solve/paper_cells.costed_cells): each term it counts
moves the tracks away from a hint that pays for it, and a hint that lacks slots is given them. The instance: periods
p1-p3 of 2 slots each in rooms A, B and C; every track offered every cell (ROOMS_PER_TRACK is 4)."""

from __future__ import annotations

from planner.solve.paper_cells import TrackTerms, costed_cells

ORDER = ("p1", "p2", "p3")
FREE = {(p, r): 2 for p in ORDER for r in ("A", "B", "C")}


def _terms(cell=lambda track, cell: 0, **weights) -> TrackTerms:
    given = {"hopping": 0, "parallel": 0, "split": 0, "pairs": {}} | weights
    return TrackTerms(cell=cell, order=ORDER, **given)


def _pack(sizes: dict, hint: dict, terms: TrackTerms) -> dict:
    usable = {track: set(FREE) for track in sizes}
    taken = costed_cells(FREE, sizes, usable, terms, hint)
    assert taken is not None
    return {track: sorted(cells) for track, cells in taken.items()}


def test_a_cells_own_costs():
    """Track t (2 talks: one cell) sits in p1's room A; every cell costs it 5 but p2's room B: it moves there."""
    terms = _terms(cell=lambda track, cell: 0 if cell == ("p2", "B") else 5)
    assert _pack({"t": {1: 2}}, {"t": [("p1", "A")]}, terms)["t"] == [("p2", "B")]


def test_hopping():
    """Track t (4 talks: two cells) in room A then room B: with hopping weighed, its two cells share a room."""
    taken = _pack({"t": {1: 4}}, {"t": [("p1", "A"), ("p2", "B")]}, _terms(hopping=1))
    assert len({room for _, room in taken["t"]}) == 1 and len(taken["t"]) == 2


def test_parallel():
    """Track t holds rooms A and B in p1: with a track in parallel with itself weighed, its cells are in two periods."""
    taken = _pack({"t": {1: 4}}, {"t": [("p1", "A"), ("p1", "B")]}, _terms(parallel=1))
    assert len({period for period, _ in taken["t"]}) == 2


def test_split():
    """Track t holds p1 and p3; a cell in p2 costs 1, a split track 5 (and two rooms in one period 10): its periods
    follow each other, one of them p2. Without the split weighed, p1 and p3 cost nothing."""
    terms = _terms(cell=lambda track, cell: int(cell[0] == "p2"), split=5, parallel=10)
    taken = _pack({"t": {1: 4}}, {"t": [("p1", "A"), ("p3", "A")]}, terms)
    assert sorted(period for period, _ in taken["t"]) in (["p1", "p2"], ["p2", "p3"])


def test_pairs_of_similar_tracks():
    """Tracks s and t are similar (or share a chair) and both hold p1: weighed, they go to different periods."""
    hint = {"s": [("p1", "A")], "t": [("p1", "B")]}
    taken = _pack({"s": {1: 2}, "t": {1: 2}}, hint, _terms(pairs={("s", "t"): 3}))
    assert taken["s"][0][0] != taken["t"][0][0]


def test_a_track_short_of_slots_is_given_them():
    """Track t has 3 talks, one of two slots: its one cell in the hint (2 slots) lacks room, so it gets two cells,
    one of them for the long talk."""
    taken = _pack({"t": {1: 2, 2: 1}}, {"t": [("p1", "A")]}, _terms())
    assert len(taken["t"]) == 2


def test_the_terms_at_the_conferences_weights():
    """paper_start hands the costed packing the conference's weights: a pair of similar tracks costs its similarity
    times similar_tracks (counted once, as paper_terms.similar_tracks counts it), a pair sharing a chair
    chair_conflict, a cell its track_period, track_room and period_room costs."""
    from planner.domain import Paper, Track
    from planner.solve.model import places_only
    from planner.solve.options import Options
    from planner.solve.paper_start import _track_terms
    from tests.solve.test_paper_terms import inputs_of, talk

    paper = Paper(
        tracks=(
            Track(id="a", label="A", chairs=("ann",), similar={"b": 2}, rooms={"hall": 3}),
            Track(id="b", label="B", chairs=("ann",), similar={"a": 2}, periods={"p1": 4}),
            Track(id="c", label="C"),
        ),
        period_rooms={"p1": {"hall": 1}},
    )
    inputs = inputs_of([talk("a1", "a")], paper)
    weights = inputs.conference.weights.model_copy(
        update={"similar_tracks": 5, "chair_conflict": 7, "track_room": 1, "track_period": 10, "period_room": 100}
    )
    inputs = inputs.model_copy(update={"conference": inputs.conference.model_copy(update={"weights": weights})})
    terms = _track_terms(places_only(inputs, Options({"a1": []}, {})), paper, ("p1", "p2", "p3"))
    assert terms.pairs == {("a", "b"): 2 * 5 + 7}
    assert terms.cell("a", ("p1", "hall")) == 3 + 100 and terms.cell("b", ("p1", "side")) == 40
