"""A paper conference's warm start: tracks first, then talks, so that CP-SAT starts from a whole programme.

The general greedy (warm_start.py) places sessions one by one and knows nothing of tracks holding rooms, so on a paper
conference its programme breaks `one_track_per_period_room` and CP-SAT spent the minute repairing it (GECCO21: no
programme in 60 s). Here each track, the tightest first (the fewest slots it may use), then the largest, takes a run of
consecutive periods in one room (the cheapest run by its period, room and period-room costs and the similar tracks
already there), else the cheapest free (period, room) cells anywhere; a cell at CoSPLib's 'never' level (NEVER) only
when no other is left; then all tracks' cells are packed again at once by the track-level terms (paper_cells.py:
OR60F's greedy cells cost 804 in them, the costed packing's 226). Then its talks fill its cells in period, room and
slot order, talks carrying an order at their place in that order, a presenter never in two slots at once. What does
not fit is left unhinted (the cell neighbourhoods' first round places it)."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from planner.domain import Paper, Session, Weights
from planner.solve.model import Variables
from planner.solve.paper import periods_of
from planner.solve.paper_cells import TrackTerms, costed_cells, packed_cells

NEVER = 10_000
"""A cost at which CoSPLib's workbooks mean 'never here' (GECCO's matrices hold only this and small costs; its
published GECCO21 solutions pay none, and a warm start that took one such cell cost 70,010 of its 81,165)."""


def _open_cells(variables: Variables) -> dict[tuple[str, str], int]:
    """(period, room) -> its slots, for each room open in every slot of the period."""
    conference = variables.inputs.conference
    blocks = {b.id: b for b in conference.blocks}
    periods = periods_of(conference)
    return {
        (period, room.id): len(ids)
        for period, ids in periods.blocks.items()
        for room in conference.rooms
        if all(room.id in blocks[b].rooms for b in ids)
    }


def _own_cost(paper: Paper, weights: Weights, track: str, cell: tuple[str, str]) -> int:
    """A cell's period, room and period-room costs for a track, weighted."""
    spec = paper.track(track)
    period, room = cell
    cost = weights.period_room * paper.period_rooms.get(period, {}).get(room, 0)
    if spec is not None:
        cost += weights.track_period * spec.periods.get(period, 0) + weights.track_room * spec.rooms.get(room, 0)
    return cost


def _cell_cost(paper: Paper, variables: Variables, track: str, cell: tuple[str, str], held: dict) -> int:
    """What a track pays for a cell: its period, room and period-room costs, and the similar tracks and tracks with
    a chair in common already held in that period (`held`)."""
    weights = variables.inputs.conference.weights
    spec = paper.track(track)
    period = cell[0]
    cost = _own_cost(paper, weights, track, cell)
    if never_cell(paper, track, cell):
        cost += NEVER * 1000
    if spec is not None:
        for other in held.get(period, ()):
            cost += weights.similar_tracks * spec.similar.get(other, 0)
            other_spec = paper.track(other)
            if other_spec and set(other_spec.chairs) & set(spec.chairs):
                cost += weights.chair_conflict
    return cost


def never_cell(paper: Paper, track: str, cell: tuple[str, str]) -> bool:
    """Whether the track's cost for the cell's period or room, or the cell's own, is at the 'never' level."""
    spec = paper.track(track)
    period, room = cell
    costs = [paper.period_rooms.get(period, {}).get(room, 0)]
    if spec is not None:
        costs += [spec.periods.get(period, 0), spec.rooms.get(room, 0)]
    return max(costs) >= NEVER


def never_talk(session: Session, cell: tuple[str, str]) -> bool:
    """Whether the talk's own cost for the cell's period or room is at the 'never' level."""
    return any(session.place_costs.get(key, 0) >= NEVER for key in cell)


def _cells_for_tracks(variables: Variables, paper: Paper) -> dict[str, list[tuple[str, str]]]:
    """Track -> the cells it holds, in period and room order."""
    order = periods_of(variables.inputs.conference).order
    free = _open_cells(variables)
    cells = dict(free)
    rooms = [r.id for r in variables.inputs.conference.rooms]
    demand: dict[str, int] = defaultdict(int)
    longest: dict[str, int] = defaultdict(int)
    for session in variables.sessions.values():
        if session.track and variables.places[session.id]:
            slots = len(variables.places[session.id][0].blocks)
            demand[session.track] += slots
            longest[session.track] = max(longest[session.track], slots)
    held: dict[str, list[str]] = defaultdict(list)
    taken: dict[str, list[tuple[str, str]]] = {}
    room_for = {t: sum(n for c, n in free.items() if not never_cell(paper, t, c)) for t in demand}
    # the tightest first (GECCO21's best-paper tracks may use 3 of its 8 rooms on 4 of its 6 periods), then the largest
    for track in sorted(demand, key=lambda t: (room_for[t], -demand[t], -longest[t], t)):
        best: tuple[int, list[tuple[str, str]]] | None = None
        for room in rooms:
            for start in range(len(order)):
                run, slots = [], 0
                for period in order[start:]:
                    if (period, room) not in free:
                        break
                    run.append((period, room))
                    slots += free[(period, room)]
                    if slots >= demand[track]:
                        break
                if slots < demand[track] or max(free[c] for c in run) < longest[track]:
                    continue
                if any(never_cell(paper, track, c) for c in run):
                    continue  # the cheapest cells anywhere below are better than a 'never'
                cost = sum(_cell_cost(paper, variables, track, c, held) for c in run) + 1000 * len(run)
                if best is None or cost < best[0]:
                    best = (cost, run)
        if best is None:  # no run in one room: the cheapest free cells anywhere
            chosen, slots = [], 0
            for cell in sorted(free, key=lambda c: (_cell_cost(paper, variables, track, c, held), -free[c], c)):
                if slots >= demand[track]:
                    break
                chosen.append(cell)
                slots += free[cell]
            best = (0, chosen)
        taken[track] = sorted(best[1], key=lambda c: (order.index(c[0]), rooms.index(c[1])))
        for cell in best[1]:
            del free[cell]
            held[cell[0]].append(track)
    usable = _usable(variables)
    if not all(sum(cells[c] for c in taken[t]) >= demand[t] for t in demand):
        packed = packed_cells(cells, demand, longest, usable, partial(_cell_cost, paper, variables, held={}))
        taken = packed if packed is not None else taken
    costed = costed_cells(cells, _sizes(variables), usable, _track_terms(variables, paper, order), taken)
    taken = costed if costed is not None else taken
    return {t: sorted(cs, key=lambda c: (order.index(c[0]), rooms.index(c[1]))) for t, cs in taken.items()}


def _sizes(variables: Variables) -> dict[str, dict[int, int]]:
    """Track -> how many of its talks take each number of slots."""
    sizes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for session in variables.sessions.values():
        if session.track and variables.places[session.id]:
            sizes[session.track][len(variables.places[session.id][0].blocks)] += 1
    return {track: dict(counts) for track, counts in sizes.items()}


def _track_terms(variables: Variables, paper: Paper, order: tuple[str, ...]) -> TrackTerms:
    """The track-level terms at the conference's weights, for the costed packing."""
    weights = variables.inputs.conference.weights
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for track in paper.tracks:
        for other, similarity in track.similar.items():
            if other > track.id:  # as paper_terms.similar_tracks counts each pair: the first track's similarity
                pairs[track.id, other] += weights.similar_tracks * similarity
        for other_track in paper.tracks:
            if other_track.id > track.id and set(track.chairs) & set(other_track.chairs):
                pairs[track.id, other_track.id] += weights.chair_conflict
    return TrackTerms(
        cell=partial(_own_cost, paper, weights),
        hopping=weights.track_rooms,
        parallel=weights.track_parallel,
        split=weights.track_split,
        pairs={pair: cost for pair, cost in pairs.items() if cost},
        order=order,
    )


def _usable(variables: Variables) -> dict[str, set[tuple[str, str]]]:
    """Track -> the cells where at least one of its talks may go."""
    periods = periods_of(variables.inputs.conference)
    usable: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for session in variables.sessions.values():
        if session.track:
            for place in variables.places[session.id]:
                if (period := periods.of_block.get(place.blocks[0])) is not None:
                    usable[session.track].add((period, place.room))
    return usable


def paper_start(variables: Variables) -> dict[str, int]:
    """Session id -> the index of its place in the warm start (talks that did not fit are absent)."""
    paper = variables.inputs.conference.paper
    if paper is None:
        return {}
    periods = periods_of(variables.inputs.conference)
    cells = _cells_for_tracks(variables, paper)
    by_track: dict[str, list[str]] = defaultdict(list)
    for session in variables.sessions.values():
        if session.track:
            by_track[session.track].append(session.id)
    busy: dict[str, set[str]] = defaultdict(set)
    """Person -> the blocks they present in."""
    rooms_in: dict[str, set[tuple[str, str]]] = defaultdict(set)
    """Person -> the (period, room) cells they present in: CoSPLib counts a presenter's conflict by period."""
    chosen: dict[str, int] = {}
    slots_left = {
        track: [(cell, list(periods.blocks[cell[0]])) for cell in cells.get(track, [])] for track in sorted(by_track)
    }
    for strict in (True, False):  # first in no other room of a period where they present, then anywhere free
        for track, talks in sorted(by_track.items()):
            ordered = sorted(talks, key=lambda s: (variables.sessions[s].order or 10**6, s))
            for talk in ordered:
                if talk not in chosen:
                    _place_talk(variables, talk, slots_left[track], busy, rooms_in, chosen, strict)
    return chosen


def _place_talk(
    variables: Variables,
    talk: str,
    slots_left: list[tuple[tuple[str, str], list[str]]],
    busy: dict[str, set[str]],
    rooms_in: dict[str, set[tuple[str, str]]],
    chosen: dict[str, int],
    strict: bool,
) -> None:
    """The talk in the first free run of its track's cells (a 'never' one last) where its presenters are free, and,
    when `strict`, present in no other room in that period."""
    session = variables.sessions[talk]
    index = {(p.blocks, p.room): i for i, p in enumerate(variables.places[talk])}
    size = len(variables.places[talk][0].blocks) if variables.places[talk] else 1
    for (period, room), free in sorted(slots_left, key=lambda c: never_talk(session, c[0])):
        if strict and any(p == period and r != room for person in session.speakers for p, r in rooms_in[person]):
            continue
        for first in range(len(free)):
            run = tuple(free[first : first + size])
            if len(run) < size or (run, room) not in index:
                continue
            if any(block in busy[p] for p in session.speakers for block in run):
                continue
            chosen[talk] = index[(run, room)]
            for block in run:
                free.remove(block)
            for person in session.speakers:
                busy[person].update(run)
                rooms_in[person].add((period, room))
            return
