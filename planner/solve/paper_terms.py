"""A paper conference's soft terms, one function each (the terms CoSPLib scores, under planner's names; see
planner.domain.Weights). Each is an unweighted count over the track cells and the talks' places (paper.py), exact
for any placement, and 0 for a conference that is not a paper conference."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import partial

from ortools.sat.python import cp_model

from planner.domain import Assignment, Conference, Session, SuitableHours
from planner.solve.model import Literal, Variables
from planner.solve.paper import (
    any_of,
    beyond_one,
    cells_by,
    conflict_pairs,
    count_value,
    paper_of,
    periods_of,
    place_period,
    product,
    track_cells,
)

Previous = Mapping[str, Assignment]


def track_period(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Some tracks suit some periods (a track's chair is away on Monday, a topic belongs after a keynote): each
    (period, room) a track holds costs what the track gives for that period."""
    paper = paper_of(variables)
    costs = {t.id: t.periods for t in paper.tracks} if paper else {}
    return sum(costs[t].get(p, 0) * cell for (t, p, _), cell in track_cells(variables).items() if costs[t].get(p))


def track_room(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Some tracks suit some rooms (a large audience, equipment): each (period, room) a track holds costs what the
    track gives for that room."""
    paper = paper_of(variables)
    costs = {t.id: t.rooms for t in paper.tracks} if paper else {}
    return sum(costs[t].get(r, 0) * cell for (t, _, r), cell in track_cells(variables).items() if costs[t].get(r))


def period_room(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A room may be costly in some periods (hired by the hour, needed for lunch): each (period, room) any track
    holds costs what the conference gives for it."""
    paper = paper_of(variables)
    costs = paper.period_rooms if paper else {}
    return sum(costs[p][r] * cell for (_, p, r), cell in track_cells(variables).items() if costs.get(p, {}).get(r))


def similar_tracks(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Similar tracks draw the same attendees, who can follow only one at a time: for each period, each pair of
    rooms held by two similar tracks costs their similarity."""
    paper = paper_of(variables)
    if paper is None:
        return 0
    held = cells_by(variables, 0, 1)
    terms = []
    for track in paper.tracks:
        for other, similarity in sorted(track.similar.items()):
            if other <= track.id or not similarity:
                continue
            for period in periods_of(variables.inputs.conference).order:
                mine, theirs = held.get((track.id, period), []), held.get((other, period), [])
                if mine and theirs:
                    terms.append(similarity * product(variables, mine, theirs, f"similar[{track.id},{other},{period}]"))
    return sum(terms)


def track_rooms(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Attendees who follow a track hate hopping between rooms: rooms a track uses beyond its first."""
    rooms_of: dict[str, list[Literal]] = defaultdict(list)
    for (track, room), cells in sorted(cells_by(variables, 0, 2).items()):
        rooms_of[track].append(any_of(variables, cells, f"uses[{track},{room}]"))
    return sum(beyond_one(variables, used, f"hopping[{t}]") for t, used in sorted(rooms_of.items()) if len(used) > 1)


def track_parallel(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A track in parallel with itself makes its own attendees choose: rooms a track holds in one period beyond the
    first."""
    return sum(
        beyond_one(variables, cells, f"parallel[{t},{p}]")
        for (t, p), cells in sorted(cells_by(variables, 0, 1).items())
        if len(cells) > 1
    )


def track_split(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A track reads as one story when its periods follow each other: tracks whose periods are not consecutive (a
    period without it between two with it)."""
    order = periods_of(variables.inputs.conference).order
    held = cells_by(variables, 0, 1)
    model, terms = variables.model, []
    for track in sorted({t for t, _ in held}):
        used = [any_of(variables, held[(track, p)], f"in[{track},{p}]") if (track, p) in held else None for p in order]
        if sum(u is not None for u in used) < 2:
            continue
        later: Literal | None = None
        gaps = []
        for index in range(len(order) - 2, -1, -1):
            following = used[index + 1]
            if following is not None:
                later = following if later is None else any_of(variables, [following, later], f"after[{track},{index}]")
            if used[index] is not None and later is not None:
                # with it here, not in the next period, and in some later one
                here = used[index]
                assert here is not None
                gaps.append(here + later - 1 - (following if following is not None else 0))
        split = model.new_bool_var(f"split[{track}]")
        model.add_max_equality(split, [0, *gaps])
        variables.derived.append((split, partial(_split, [u.index if u is not None else None for u in used])))
        terms.append(split)
    return sum(terms)


def _in_order(before: tuple[int, ...], wanted: int, values: Mapping[int, int]) -> int:
    return int(count_value(before, values) == wanted)


def _out_of_order(own: int, before: tuple[int, ...], wanted: int, values: Mapping[int, int]) -> int:
    return int(bool(values[own]) and count_value(before, values) != wanted)


def _split(indexes: list[int | None], values: Mapping[int, int]) -> int:
    held = [i for i, index in enumerate(indexes) if index is not None and values[index]]
    return int(bool(held) and held[-1] - held[0] + 1 > len(held))


def _slots(variables: Variables, cost_of: str) -> cp_model.LinearExprT:
    terms = []
    for session_id, session in variables.sessions.items():
        for period, room, literal, slots in place_period(variables, session_id):
            cost = session.place_costs.get(period if cost_of == "period" else room, 0)
            if cost:
                terms.append(cost * slots * literal)
    return sum(terms)


def talk_period(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A talk may be costly in some periods (its presenter arrives late): each time slot it runs in such a period
    costs what the talk gives for it."""
    return _slots(variables, "period")


def talk_room(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A talk may be costly in some rooms (a demo needs a stage): each time slot it runs in such a room costs what
    the talk gives for it."""
    return _slots(variables, "room")


def hours_cost(hours: SuitableHours, start: datetime, end: datetime, zone: str) -> int:
    """What a period from `start` to `end` costs a presenter in `zone`: 0 within the suitable hours, the fringe cost
    when it starts or ends in the less suitable hours, the outside cost beyond them (CoSPLib's rule)."""
    from planner.domain import zone_named

    where = zone_named(zone) or UTC
    begins, ends = start.astimezone(where).time(), end.astimezone(where).time()
    if begins < hours.fringe_start or ends > hours.fringe_end or ends < hours.fringe_start:
        return hours.outside_cost
    if hours.fringe_start <= begins < hours.start or hours.end < ends <= hours.fringe_end:
        return hours.fringe_cost
    return 0


def period_times(conference: Conference) -> dict[str, tuple[datetime, datetime]]:
    """Period -> when it starts and ends (its first slot's start, its last slot's end)."""
    blocks = {b.id: b for b in conference.blocks}
    periods = periods_of(conference)
    return {p: (blocks[ids[0]].start, blocks[ids[-1]].end) for p, ids in periods.blocks.items()}


def talk_time_zone(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A presenter far away presents at their own night: each time slot a talk runs in a period that is less
    suitable (or unsuitable) in its presenter's time zone costs that period's cost there."""
    conference = variables.inputs.conference
    paper = conference.paper
    if paper is None or paper.hours is None:
        return 0
    times = period_times(conference)
    terms = []
    for session_id, session in variables.sessions.items():
        zone = session.time_zone or conference.timezone
        for period, _, literal, slots in place_period(variables, session_id):
            if cost := hours_cost(paper.hours, *times[period], zone):
                terms.append(cost * slots * literal)
    return sum(terms)


def _running(variables: Variables, session: str) -> dict[str, list[Literal]]:
    """Block -> the session's place literals that run in it."""
    found: dict[str, list[Literal]] = defaultdict(list)
    for place, literal in variables.chosen(session):
        for block in place.blocks:
            found[block].append(literal)
    return found


def _same_slot(variables: Variables, pairs: list[tuple[str, str]], name: str) -> cp_model.LinearExprT:
    """Per pair and time slot where both run: one."""
    terms = []
    for first, second in pairs:
        one, two = _running(variables, first), _running(variables, second)
        for block in sorted(set(one) & set(two)):
            terms.append(beyond_one(variables, one[block] + two[block], f"{name}[{first},{second},{block}]"))
    return sum(terms)


def _same_period(variables: Variables, pairs: list[tuple[str, str]], name: str) -> cp_model.LinearExprT:
    """Per pair in one period in different rooms: one (both in the period, less both in the same room)."""
    terms: list[cp_model.LinearExprT] = []
    for first, second in pairs:
        where: dict[str, dict[tuple[str, str], list[Literal]]] = {}
        for session in (first, second):
            where[session] = defaultdict(list)
            for period, room, literal, _ in place_period(variables, session):
                where[session][(period, room)].append(literal)
        for period in periods_of(variables.inputs.conference).order:
            mine = [lit for (p, _), lits in where[first].items() if p == period for lit in lits]
            theirs = [lit for (p, _), lits in where[second].items() if p == period for lit in lits]
            if not mine or not theirs:
                continue
            terms.append(beyond_one(variables, mine + theirs, f"{name}[{first},{second},{period}]"))
            for cell in sorted(set(where[first]) & set(where[second])):
                if cell[0] == period:
                    key = f"{name}.same[{first},{second},{cell[1]},{period}]"
                    terms.append(-beyond_one(variables, where[first][cell] + where[second][cell], key))
    return sum(terms)


def _talks(variables: Variables) -> list[Session]:
    return [s for s in variables.sessions.values() if s.track is not None]


def presenter_conflict(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A presenter (or a chair presenting elsewhere) cannot be in two rooms in one period: pairs of such talks in one
    period in different rooms."""
    pairs = conflict_pairs(variables.inputs.conference, _talks(variables), "presenters")
    return _same_period(variables, pairs, "presenters")


def attendee_period_conflict(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """An attendee who wants two talks (or presents or chairs one) misses one when they run in one period in
    different rooms: pairs of such talks."""
    pairs = conflict_pairs(variables.inputs.conference, _talks(variables), "attendees")
    return _same_period(variables, pairs, "attendees")


def presenter_slot_conflict(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """The presenter conflicts at the finer level: pairs of such talks in the same time slot."""
    pairs = conflict_pairs(variables.inputs.conference, _talks(variables), "presenters")
    return _same_slot(variables, pairs, "presenter_slot")


def attendee_slot_conflict(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """The attendee conflicts at the finer level: pairs of such talks in the same time slot."""
    pairs = conflict_pairs(variables.inputs.conference, _talks(variables), "attendees")
    return _same_slot(variables, pairs, "attendee_slot")


def chair_conflict(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """A chair cannot chair two rooms at once: for each period, pairs of (room, track) held by two tracks that share
    a chair."""
    paper = paper_of(variables)
    if paper is None:
        return 0
    held = cells_by(variables, 0, 1)
    terms = []
    for index, track in enumerate(paper.tracks):
        for other in paper.tracks[index + 1 :]:
            if not set(track.chairs) & set(other.chairs):
                continue
            for period in periods_of(variables.inputs.conference).order:
                mine, theirs = held.get((track.id, period), []), held.get((other.id, period), [])
                if mine and theirs:
                    terms.append(product(variables, mine, theirs, f"chairs[{track.id},{other.id},{period}]"))
    return sum(terms)


def talk_order(variables: Variables, previous: Previous) -> cp_model.LinearExprT:
    """Talks that build on each other carry their place in their track (Session.order): each such talk whose track's
    talks before it (in period, room and slot order) are not one fewer than its order, and each pair of ordered
    talks of one track in the same time slot."""
    conference = variables.inputs.conference
    periods = periods_of(conference)
    rank = {p: i for i, p in enumerate(periods.order)}
    rooms = {r.id: i for i, r in enumerate(conference.rooms)}

    def key(period: str, room: str, block: str) -> tuple[int, int, int]:
        return rank[period], rooms[room], periods.slot(block)

    by_track: dict[str, list[str]] = defaultdict(list)
    for session in _talks(variables):
        assert session.track is not None
        by_track[session.track].append(session.id)
    model, terms = variables.model, []
    for talks in by_track.values():
        places = {
            s: [
                (key(p, r, place.blocks[0]), lit)
                for (p, r, lit, _), (place, _) in zip(place_period(variables, s), variables.chosen(s), strict=True)
            ]
            for s in talks
        }
        ordered = sorted(s for s in talks if variables.sessions[s].order)
        for talk in ordered:
            wanted = variables.sessions[talk].order - 1
            for where, literal in places[talk]:
                before = [lit for other in talks if other != talk for w, lit in places[other] if w < where]
                on_place = model.new_bool_var(f"order.ok[{talk},{where}]")
                model.add(sum(before) == wanted).only_enforce_if(on_place)
                model.add(sum(before) != wanted).only_enforce_if(on_place.Not())
                wrong = model.new_bool_var(f"order[{talk},{where}]")
                model.add_implication(wrong, literal)
                model.add_implication(wrong, on_place.Not())
                model.add_bool_or([literal.Not(), on_place, wrong])
                indexes = tuple(lit.index for lit in before)
                variables.derived.append((on_place, partial(_in_order, indexes, wanted)))
                variables.derived.append((wrong, partial(_out_of_order, literal.index, indexes, wanted)))
                terms.append(wrong)
        pairs = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]
        terms.append(_same_slot(variables, pairs, "order_slot"))  # type: ignore[arg-type]
    return sum(terms)
