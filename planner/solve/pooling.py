"""Pooled rooms: when which room a session gets matters only for whether the rooms suffice, the model chooses
each session's time alone, and the rooms are handed out after solving.

This removes every room-for-room symmetry (identical rooms, and rooms any of which would do) and divides the
model's size by about the number of rooms a session could use. It is exact when

- every session fits in one block (so no session must keep one room across blocks),
- in every block, the sets of rooms the sessions could use are nested (a chain, as capacity tiers and a pinned
  room give: {hall} ⊂ large rooms ⊂ medium-or-larger ⊂ every room), and
- no active soft term depends on the room (seats short with soft capacity, or moves against a previous schedule).

Then Hall's condition per nested set (constraints.one_session_per_room_and_block) is exactly the condition that
the block's sessions can be given distinct rooms, and `assign_rooms` finds such rooms greedily.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from planner.domain import ConferenceInput
from planner.solve.options import Options, Place


def _nested(sets: set[frozenset[str]]) -> bool:
    ordered = sorted(sets, key=len)
    return all(smaller <= larger for smaller, larger in itertools.pairwise(ordered))


def _room_matters(inputs: ConferenceInput, options: Options, replanning: bool) -> bool:
    if replanning:
        return True
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
    return options if all(_nested(sets) for sets in by_block.values()) else options.by_room()


def assign_rooms(chosen: dict[str, Place], seats: dict[str, int]) -> dict[str, str]:
    """A room for each pooled session, distinct within each block: the most constrained sessions first, each in the
    smallest free room of its pool (ties in conference order). Never fails when Hall's condition held, because the
    pools are nested: every session handled before one with pool S used a room inside S."""
    rooms: dict[str, str] = {}
    by_block: dict[tuple[str, str], list[str]] = defaultdict(list)
    for session, place in chosen.items():
        by_block[(place.day, place.blocks[0])].append(session)
    for sessions in by_block.values():
        taken: set[str] = set()
        for session in sorted(sessions, key=lambda s: (len(chosen[s].pool), s)):
            pool = chosen[session].pool
            free = [room for room in pool if room not in taken] or list(pool)  # only when the rule was left out
            room = min(free, key=lambda r: (seats[r], pool.index(r)))
            taken.add(room)
            rooms[session] = room
    return rooms
