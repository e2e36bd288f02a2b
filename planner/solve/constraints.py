"""The hard packing rules, one function each: placed once, one session per room at a time, plenaries alone, nobody in
two places at once, daily maximum per person.

Each rule can be guarded: `guard(key, words, sessions)` returns enforcement literals for a named group (used by
explain.py to find which groups conflict) or nothing (a normal solve, where the rules simply hold). `sessions` are
the ids the group concerns; explain.py names them where the words say {sessions}.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Protocol

from ortools.sat.python import cp_model

from planner.clock import day_time_span
from planner.domain import BlockType
from planner.solve.model import Literal, Variables
from planner.solve.paper import one_track_per_period_room

Guard = Callable[[str, str, Sequence[str]], list[Literal]]

SESSIONS = "{sessions}"
"""Where a group's words name its sessions (explain.py fills it in)."""


def unguarded(key: str, words: str, sessions: Sequence[str]) -> list[Literal]:
    return []


def _add(variables: Variables, constraint: cp_model.Constraint, guard: list[Literal]) -> None:
    if guard:
        constraint.only_enforce_if(guard)


def each_session_placed_once(variables: Variables, guard: Guard = unguarded) -> None:
    """Every session on the programme happens, once: exactly one place each; an optional one may instead be left out."""
    rooms_named = {room.id: room.name for room in variables.inputs.conference.rooms}
    for session_id, literals in variables.x.items():
        session = variables.sessions[session_id]
        left_out = [variables.left_out[session_id]] if session_id in variables.left_out else []
        rooms = sorted({room for p in variables.places[session_id] for room in p.rooms})
        where = f"{len(literals)} possible place{'s' * (len(literals) != 1)} in {', '.join(rooms) or 'no room'}"
        if session_id in variables.by_hand and len(variables.places[session_id]) == 1:
            place, zone = variables.places[session_id][0], variables.inputs.conference.zone
            when = day_time_span(place.start, place.end, zone)
            where = f"kept where a person placed it by hand: {rooms_named.get(place.room, place.room)}, {when}"
        lits = guard(f"session:{session_id}", f"'{session.title}' ({session_id}) must be scheduled ({where})", ())
        _add(variables, variables.model.add(sum(literals) + sum(left_out) == 1), lits)


def one_session_per_room_and_block(variables: Variables, guard: Guard = unguarded) -> None:
    """A room holds one session at a time: in each block, the sessions whose rooms all lie within a set S of rooms
    number at most |S| (Hall's condition).

    For places with one room each this says one session per room; for pooled places (pooling.py), with S every
    union of overlapping room sets of the block (pooling.hall_sets), it is exactly the condition that the sessions
    can be given distinct rooms.
    """
    rooms = {room.id: room.name for room in variables.inputs.conference.rooms}
    for block, entries in sorted(variables.in_block.items()):
        for pool in variables.hall_sets[block]:
            inside = [(session, literal) for session, place, literal in entries if place.rooms <= pool]
            literals = [literal for _, literal in inside]
            if len(literals) <= len(pool):
                continue
            sessions = [session for session, _ in inside]
            if len(pool) == 1:
                (room,) = pool
                lits = guard(
                    f"room:{room}", f"{rooms[room]} holds one session at a time; {SESSIONS} could go there", sessions
                )
            else:
                lits = guard(f"rooms:{block}", f"block {block} has {len(pool)} rooms for {SESSIONS}", sessions)
            _add(variables, variables.model.add(sum(literals) <= len(pool)), lits)


def plenary_alone(variables: Variables, guard: Guard = unguarded) -> None:
    """A plenary is for everyone, so a plenary block holds one session, in whichever of its rooms.

    Nothing runs beside it: blocks of a day never overlap, so nothing else can be at the same time.
    """
    plenaries = {b.id for b in variables.inputs.conference.blocks if b.type is BlockType.PLENARY}
    for block, entries in sorted(variables.in_block.items()):
        if block in plenaries and len(entries) > 1:
            words = f"plenary block {block} holds one session; {SESSIONS} could go there"
            lits = guard(f"plenary:{block}", words, [session for session, _, _ in entries])
            _add(variables, variables.model.add(sum(lit for _, _, lit in entries) <= 1), lits)


def nobody_in_two_places(variables: Variables, guard: Guard = unguarded) -> None:
    """Nobody can be in two sessions at once: by clock time, at every moment one of a person's sessions could start,
    at most one of their sessions runs.

    Checking the start moments of all their places is enough: two intervals overlap exactly when one contains the
    other's start.
    """
    people = {p.id: p.name for p in variables.inputs.people}
    for person, sessions in sorted(variables.of_person.items()):
        if len(sessions) < 2:
            continue
        moments = sorted({place.start for s in sessions for place in variables.places[s]})
        words = f"{people.get(person, person)} cannot be in two sessions at once, and is in {SESSIONS}"
        lits = guard(f"person:{person}", words, sessions)
        for running in variables.presence(sessions, moments).values():
            if len(running) > 1:
                _add(variables, variables.model.add(sum(running) <= 1), lits)


def daily_maximum(variables: Variables, guard: Guard = unguarded) -> None:
    """Someone who asked for at most so many sessions a day gets no more: at most that many of theirs on each day."""
    for person in variables.inputs.people:
        if person.max_sessions_per_day is None:
            continue
        sessions = variables.of_person.get(person.id, [])
        by_day: dict[str, list[Literal]] = defaultdict(list)
        for session in sessions:
            for place, literal in variables.chosen(session):
                by_day[place.day].append(literal)
        most = person.max_sessions_per_day
        words = f"{person.name} takes at most {most} session{'s' * (most > 1)} a day, and is in {SESSIONS}"
        lits = guard(f"daily:{person.id}", words, sessions)
        for literals in by_day.values():
            if len(literals) > person.max_sessions_per_day:
                _add(variables, variables.model.add(sum(literals) <= person.max_sessions_per_day), lits)


class HardRule(Protocol):
    """A packing rule: adds its constraints to the model, each group under the guard's literals (if any)."""

    __name__: str

    def __call__(self, variables: Variables, guard: Guard = unguarded) -> None: ...


HARD_RULES: tuple[HardRule, ...] = (
    each_session_placed_once,
    one_session_per_room_and_block,
    plenary_alone,
    nobody_in_two_places,
    daily_maximum,
    one_track_per_period_room,
)
"""Every packing rule. Removing one from here lets the solver break it (each has a test that shows so)."""
