"""Pooled rooms: when which room a session gets matters only for whether the rooms suffice, the model chooses
each session's time alone, and the rooms are handed out after solving.

This removes every room-for-room symmetry (identical rooms, and rooms any of which would do) and divides the
model's size by about the number of rooms a session could use. It is exact when

- every session fits in one block (so no session must keep one room across blocks),
- no active soft term depends on the room (seats short with soft capacity, or moves against a previous schedule),
  and
- in every block, the sets of rooms the sessions could use have few unions (`hall_sets`): capacity tiers and
  features that cross them (a small lab, a large room without streaming) give a handful of sets, however many
  rooms there are, since a session tells rooms apart only by their tier and features.

Then Hall's condition on every such union (constraints.one_session_per_room_and_block: the sessions whose rooms
all lie within a union number at most its rooms) is exactly the condition that the block's sessions can be given
distinct rooms, and `assign_rooms` finds such rooms by bipartite matching.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from planner.domain import ConferenceInput
from planner.solve.options import Options, Place

MOST_HALL_SETS = 256
"""Unions of room sets in one block beyond which the rooms are modelled one by one instead (`hall_sets`). Tiers and
two features give a few dozen at most; many rooms pinned one by one would give thousands."""


def hall_sets(pools: Iterable[frozenset[str]], most: int | None = None) -> list[frozenset[str]] | None:
    """Every union of the given room sets whose sets overlap in a chain, sorted; None when there are more than
    `most`.

    Hall's condition needs a count for every union of sets, but a union of two parts that share no room and that
    no set straddles follows from the counts of the parts, so only unions reached by adding an overlapping set are
    needed: nested sets give the sets themselves, single rooms give single rooms.
    """
    base = sorted(set(pools), key=sorted)
    found = set(base)
    frontier = list(base)
    while frontier:
        grown = []
        for union in frontier:
            for pool in base:
                if not pool <= union and pool & union and (bigger := union | pool) not in found:
                    found.add(bigger)
                    grown.append(bigger)
        if most is not None and len(found) > most:
            return None
        frontier = grown
    return sorted(found, key=sorted)


def _room_matters(inputs: ConferenceInput, options: Options, replanning: bool) -> bool:
    if replanning or inputs.conference.paper is not None:
        return True  # a paper conference's tracks hold rooms (paper.py)
    if inputs.conference.weights.room_overflow == 0:
        return False
    capacity = {room.id: room.capacity for room in inputs.conference.rooms}
    audience = {s.id: s.expected_audience for s in inputs.sessions}
    return any(
        (seats := audience[sid]) is not None and seats > capacity[room]
        for sid, places in options.places.items()
        for place in places
        for room in place.pool
    )


def model_options(inputs: ConferenceInput, options: Options, replanning: bool) -> Options:
    """The options as they are (one place per session and span, with its pool of rooms) when pooling is exact (see
    the module's conditions); else one place per room."""
    if _room_matters(inputs, options, replanning):
        return options.by_room()
    if any(len(place.blocks) > 1 for places in options.places.values() for place in places):
        return options.by_room()
    by_block: dict[tuple[str, str], set[frozenset[str]]] = defaultdict(set)
    for places in options.places.values():
        for place in places:
            by_block[(place.day, place.blocks[0])].add(place.rooms)
    few = all(hall_sets(sets, MOST_HALL_SETS) is not None for sets in by_block.values())
    return options if few else options.by_room()


def assign_rooms(chosen: dict[str, Place], seats: dict[str, int]) -> dict[str, str]:
    """A room for each pooled session, distinct within each block: the most constrained sessions first, each in the
    smallest free room of its pool (ties in conference order), and where none is free, a room freed by moving
    earlier sessions along an augmenting path (bipartite matching). Never fails when Hall's condition held; with
    nested pools no path is ever needed."""
    rooms: dict[str, str] = {}
    by_block: dict[tuple[str, str], list[str]] = defaultdict(list)
    for session, place in chosen.items():
        by_block[(place.day, place.blocks[0])].append(session)
    for sessions in by_block.values():
        held: dict[str, str] = {}  # room -> the session in it
        for session in sorted(sessions, key=lambda s: (len(chosen[s].pool), s)):
            pool = chosen[session].pool
            free = [room for room in pool if room not in held]
            if free:
                held[min(free, key=lambda r: (seats[r], pool.index(r)))] = session
            elif not _augment(session, chosen, held, seats, set()):  # only when the rule was left out
                rooms[session] = min(pool, key=lambda r: (seats[r], pool.index(r)))
        rooms.update({session: room for room, session in held.items()})
    return rooms


def _augment(session: str, chosen: dict[str, Place], held: dict[str, str], seats: dict[str, int], seen: set) -> bool:
    """Finds `session` a room by moving the sessions in the way to other rooms of their pools (depth first, smallest
    rooms first); updates `held` and returns True when it can."""
    pool = chosen[session].pool
    for room in sorted(pool, key=lambda r: (seats[r], pool.index(r))):
        if room in seen:
            continue
        seen.add(room)
        other = held.get(room)
        if other is None or _augment(other, chosen, held, seats, seen):
            held[room] = session
            return True
    return False
