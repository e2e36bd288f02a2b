"""Each soft term's count for any schedule (drafted, hand-edited, imported), read from the model a draft builds, so
that two programmes can be scored alike and the numbers are exactly the objective's.

The model is built by run.py from the schedule's own conference, sessions and people; each assignment is set to the
place that matches it (its room and start), every other place literal to false, and every helper of a term to the
value its function gives for those literals (`Variables.counted` and `Variables.summed`, as a complete warm start
sets them). For a programme the draft could have made this is the least value the model allows, so the terms and
objective equal those the solver reports for it; nothing is solved.

What the terms cover:

- a session placed where the grid has a place for it is counted where it is;
- a session left out (and not withdrawn) counts in `unscheduled`, required or not;
- a session placed where the grid has no place for it (off the grid, in a block that does not take its kind, in a
  room closed then) cannot be counted: it is reported in `Scores.unmatched` with why, and the terms are those of the
  programme without it (it adds to no term, and the themes' even shares per day are counted without it);
- the other rules a draft keeps (availability, features, capacity when hard, pins, clashes) are the checker's to
  report (planner.check): a programme that breaks them is still scored, its terms counted as the functions above say
  (a person in three sessions across two adjacent blocks is back to back twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ortools.sat.python import cp_model

from planner.clock import day_time_span
from planner.domain import Assignment, ConferenceInput, Schedule, Session
from planner.solve.model import Variables
from planner.solve.options import Context, Options, Place, kind_allowed, place_options, room_open, spans
from planner.solve.pooling import model_options
from planner.solve.run import Prepared, model_of
from planner.solve.settings import DEFAULTS, Settings

GRID_RULES = (kind_allowed, room_open)
"""The place rules that make a place: the block takes the session's kind and the room is open in it. The others are
hard rules a schedule may break and still be scored (the checker reports them)."""


@dataclass(frozen=True)
class Unmatched:
    """A placed session the grid has no place for, so the terms do not count it."""

    session: str
    title: str
    room: str
    """The room's id, as the schedule gives it."""
    start: datetime
    end: datetime
    why: str
    """In plain words: 'starts at 16:05, when no block of Day 1 starts', 'block d1-am does not take workshop'."""


@dataclass(frozen=True)
class Scores:
    """A programme's soft terms, as the draft's objective counts them."""

    objective: int
    """The weighted sum: what the draft minimises."""
    terms: dict[str, int]
    """Term -> its unweighted count, for every term with a weight above 0 (as `Answer.terms`), in SOFT_TERMS order."""
    weights: dict[str, int]
    """Term -> its weight in the schedule's conference."""
    counted: tuple[str, ...]
    """The session ids the terms count where they are placed."""
    left_out: tuple[str, ...]
    """The session ids `unscheduled` counts."""
    unmatched: tuple[Unmatched, ...]
    """Placements the terms cannot count (see the module docstring), in the schedule's order."""

    def cost(self, term: str) -> int:
        return self.terms.get(term, 0) * self.weights.get(term, 0)

    @property
    def complete(self) -> bool:
        """Whether the terms cover every placed session."""
        return not self.unmatched

    def covers(self) -> str:
        """What the terms count, in a sentence."""
        placed = len(self.counted) + len({u.session for u in self.unmatched} - set(self.counted))
        text = f"the terms count {len(self.counted)} of {placed} placed sessions"
        if self.left_out:
            text += f" and {len(self.left_out)} left out"
        if self.unmatched:
            text += f"; {len(self.unmatched)} placement(s) the grid has no place for are not counted"
        return text


def place_index(places: Sequence[Place], assignment: Assignment) -> int | None:
    """The index of the place an assignment takes: the one starting when it starts whose rooms include its room
    (compared as instants); None when there is none. A place's end is the session's own length from its start, so an
    assignment whose end was edited still matches by room and start."""
    return next(
        (i for i, place in enumerate(places) if place.start == assignment.start and assignment.room in place.rooms),
        None,
    )


def off_grid(inputs: ConferenceInput, context: Context, assignment: Assignment) -> str:
    """Why the grid has no place for an assignment, in plain words."""
    conference, session = inputs.conference, assignment.session
    room = next((r for r in conference.rooms if r.id == assignment.room), None)
    if room is None:
        return f"room '{assignment.room}' is not one of the conference's rooms"
    when = day_time_span(assignment.start, assignment.end, conference.zone)
    if not any(block.start == assignment.start for block in conference.blocks):
        return f"placed {when}, but no block starts then"
    span = next((s for s in spans(inputs, session.duration) if s.start == assignment.start), None)
    if span is None:
        return f"no run of blocks starting {when} lasts its {session.duration} minutes"
    return next((why for rule in GRID_RULES if (why := rule(session, span, room, context))), "no place matches")


def _as_left_out(session: Session) -> Session:
    """A session the schedule leaves out, as the model must see it: one it may leave out."""
    return session if session.optional else session.model_copy(update={"optional": True})


def _values(variables: Variables, chosen: dict[str, int]) -> dict[int, int]:
    """Variable index -> its value: each chosen place literal true, every other false, left-out literals true for
    sessions with no chosen place, and every helper at its function's value (what add_greedy_hint hints)."""
    values: dict[int, int] = {}
    for session_id, literals in variables.x.items():
        for i, literal in enumerate(literals):
            values[literal.index] = int(chosen.get(session_id) == i)
    for session_id, literal in variables.left_out.items():
        values[literal.index] = int(session_id not in chosen)
    for var, literals, fn in variables.counted:
        values[var.index] = fn(sum(values[literal.index] for literal in literals))
    for var, parts in variables.summed:
        values[var.index] = sum(values[part.index] for part in parts)
    for var, value_of in variables.derived:
        values[var.index] = value_of(values)
    return values


def _value(expr: cp_model.LinearExprT, values: dict[int, int]) -> int:
    if not isinstance(expr, cp_model.LinearExpr):
        return int(expr)  # a term with nothing to count is a number
    flat = cp_model.FlatIntExpr(expr)
    return int(flat.offset) + sum(coeff * values[var.index] for var, coeff in zip(flat.vars, flat.coeffs, strict=True))


def _objective(variables: Variables, values: dict[int, int]) -> int:
    """The model's objective at these values, as CP-SAT reads it (a negative reference is a negated literal)."""
    objective = variables.model.proto.objective
    total = round(objective.offset)
    for ref, coeff in zip(objective.vars, objective.coeffs, strict=True):
        total += coeff * (values[ref] if ref >= 0 else 1 - values[-ref - 1])
    return total


def _first_placements(schedule: Schedule) -> tuple[dict[str, int], dict[int, str]]:
    """Session id -> the position of its first assignment; and position -> why, for each later one."""
    first: dict[str, int] = {}
    again: dict[int, str] = {}
    for position, assignment in enumerate(schedule.assignments):
        if assignment.session.id in first:
            again[position] = "placed more than once: counted where it is first placed"
        else:
            first[assignment.session.id] = position
    return first, again


def evaluate(schedule: Schedule, previous: Schedule | None = None, settings: Settings = DEFAULTS) -> Scores:
    """The schedule's soft terms and objective as a draft of it would count them (see the module docstring for what
    they cover). `previous` is the schedule a re-plan moves from (for `moved` and `move_hours`); `settings` gives the
    soft terms (its limits, place rules and hard rules play no part)."""
    first, why = _first_placements(schedule)
    placed = {session_id: schedule.assignments[position] for session_id, position in first.items()}
    left = {
        u.session.id: _as_left_out(u.session)
        for u in schedule.unscheduled
        if not u.withdrawn and u.session.id not in placed
    }
    everything = ConferenceInput(
        conference=schedule.conference,
        sessions=(*(a.session for a in placed.values()), *left.values()),
        people=schedule.people,
    )
    context = Context(everything, {p.id: p for p in schedule.people})
    options = place_options(everything, context, GRID_RULES)
    for session_id, assignment in placed.items():
        if place_index(options.places[session_id], assignment) is None:
            why[first[session_id]] = off_grid(everything, context, assignment)
    missing = {session_id for session_id, position in first.items() if position in why}
    inputs = everything.model_copy(update={"sessions": tuple(s for s in everything.sessions if s.id not in missing)})
    kept = Options({s.id: options.places[s.id] for s in inputs.sessions}, options.refusals)
    before = {a.session.id: a for a in previous.assignments} if previous else {}
    prepared = Prepared(inputs, previous, before, kept, model_options(inputs, kept, replanning=bool(before)))
    variables, terms = model_of(prepared, replace(settings, place_rules=GRID_RULES, hard_rules=()))
    chosen = {
        session_id: index
        for session_id, assignment in placed.items()
        if session_id not in missing and (index := place_index(variables.places[session_id], assignment)) is not None
    }
    values = _values(variables, chosen)
    weights = schedule.conference.weights
    return Scores(
        objective=_objective(variables, values),
        terms={name: _value(expr, values) for name, expr in terms.items()},
        weights={name: getattr(weights, name) for name in terms},
        counted=tuple(chosen),
        left_out=tuple(left),
        unmatched=tuple(
            Unmatched(a.session.id, a.session.title, a.room, a.start, a.end, why[position])
            for position, a in enumerate(schedule.assignments)
            if position in why
        ),
    )
