"""The `history_position` term: a format attendees know stays where they expect it (the breakfasts first thing on Day 2,
the launch at the end of Day 1) unless something better forces a move. Where each kind sits comes from history
(conference.yaml's `positions`, as `planner history template` derives them)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.domain import KindPosition
from planner.solve.model import Variables
from planner.solve.options import Place


def misplaced(position: KindPosition, place: Place, day_number: int) -> int:
    """How far a place is from a kind's usual one: one for another day, one for another part of the day."""
    part = "first" if place.first == 0 else "last" if place.after == 0 else "middle"
    return (position.day is not None and position.day != day_number) + (
        position.part is not None and position.part != part
    )


def history_position(variables: Variables, previous: object) -> cp_model.LinearExprT:
    """Sessions placed away from where past editions put their kind: another day, or another part of the day."""
    conference = variables.inputs.conference
    positions, numbers = conference.positions, {day.id: n for n, day in enumerate(conference.days, start=1)}
    terms = []
    for session_id, session in variables.sessions.items():
        position = positions.get(session.kind)
        if position is None:
            continue
        for place, literal in variables.chosen(session_id):
            if cost := misplaced(position, place, numbers[place.day]):
                terms.append(cost * literal)
    return sum(terms)
