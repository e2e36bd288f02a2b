"""Draft a programme in four steps: prepare (every place each session could take), build (the model, its objective
and a warm start), search (search.py: CP-SAT with a time limit, progress and Ctrl-C) and answer (a Schedule with the
objective broken down by term); or say why no programme exists."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.domain import Assignment, ConferenceInput, Schedule, Unscheduled
from planner.replan import carry_over
from planner.solve.answer import Answer, NoProgramme, Progress  # callers import these from here too
from planner.solve.explain import conflict_core, counting_checks
from planner.solve.model import Variables, build_variables
from planner.solve.objectives import Previous
from planner.solve.options import Context, Options, Place, no_place_reason, place_options
from planner.solve.pooling import assign_rooms, model_options
from planner.solve.search import Built, Ending, Recorder, Solution, search
from planner.solve.settings import DEFAULTS, Settings  # callers import Settings from here too
from planner.solve.warm_start import add_greedy_hint


@dataclass(frozen=True)
class Prepared:
    """The inputs with every place each session may take, before any model exists."""

    inputs: ConferenceInput
    previous: Schedule | None
    before: Previous
    """Session id -> where the previous schedule had it (empty when not re-planning)."""
    options: Options
    """Every allowed place, one per span with its pool of rooms."""
    modelled: Options
    """The places the model has: `options` itself, or one place per room (pooling.py)."""


def prepare(inputs: ConferenceInput, previous: Schedule | None, freeze: Iterable[str], settings: Settings) -> Prepared:
    """Every place each session may take; raises NoProgramme when counting alone shows that none exists."""
    before: Previous = {a.session.id: a for a in previous.assignments} if previous else {}
    frozen = {sid: (before[sid].day, before[sid].blocks, before[sid].room) for sid in freeze if sid in before}
    context = Context(inputs, {p.id: p for p in inputs.people}, frozen)
    options = place_options(inputs, context, settings.place_rules)
    modelled = model_options(inputs, options, replanning=bool(before))
    if conflicts := counting_checks(inputs, options):
        raise NoProgramme([c.words for c in conflicts], [s for c in conflicts for s in c.sessions])
    return Prepared(inputs, previous, before, options, modelled)


def build(prepared: Prepared, settings: Settings) -> Built:
    """The model with its objective, and the greedy programme hinted as its warm start."""
    variables, terms = model_of(prepared, settings)
    return Built(variables.model, variables, terms, add_greedy_hint(variables))


def model_of(prepared: Prepared, settings: Settings) -> tuple[Variables, dict[str, cp_model.LinearExprT]]:
    """The model: a literal per session and place, every hard rule, and the weighted soft terms (each term's
    expression returned by name)."""
    variables = build_variables(cp_model.CpModel(), prepared.inputs, prepared.modelled)
    for rule in settings.hard_rules:
        rule(variables)
    return variables, objective(variables, prepared.before, settings)


def objective(variables: Variables, previous: Previous, settings: Settings) -> dict[str, cp_model.LinearExprT]:
    """Minimises the soft terms with a weight, times their weights; returns each such term's expression."""
    weights = variables.inputs.conference.weights
    terms = {
        name: term(variables, previous) for name, term in settings.soft_terms.items() if getattr(weights, name) > 0
    }
    variables.model.minimize(sum(getattr(weights, name) * expr for name, expr in terms.items()))
    return terms


def answer(prepared: Prepared, solution: Solution, seconds: float, progress: Iterable[Progress]) -> Answer:
    """The solution as a Schedule, rooms handed out to pooled places, sequence numbers carried over on a re-plan."""
    schedule = _schedule(prepared, solution.chosen)
    return Answer(
        schedule=carry_over(prepared.previous, schedule) if prepared.previous else schedule,
        status="optimal" if solution.optimal else "feasible",
        objective=solution.objective,
        bound=solution.bound,
        seconds=seconds,
        terms=solution.terms,
        progress=tuple(progress),
    )


def _schedule(prepared: Prepared, chosen: Mapping[str, Place]) -> Schedule:
    inputs, options = prepared.inputs, prepared.options
    seats = {room.id: room.capacity for room in inputs.conference.rooms}
    rooms = assign_rooms({s: p for s, p in chosen.items() if p.pool}, seats)
    assignments, left_out = [], []
    for session in inputs.sessions:
        if place := chosen.get(session.id):
            assignments.append(
                Assignment(
                    session=session,
                    room=rooms.get(session.id, place.room),
                    start=place.start,
                    end=place.end,
                    day=place.day,
                    blocks=place.blocks,
                )
            )
        elif not options.places[session.id]:
            left_out.append(Unscheduled(session=session, reason=no_place_reason(session, options, inputs)))
        else:
            left_out.append(
                Unscheduled(
                    session=session,
                    reason="optional, and no place remained for it once the required sessions were placed",
                )
            )
    return Schedule(
        conference=inputs.conference, people=inputs.people, assignments=tuple(assignments), unscheduled=tuple(left_out)
    )


def _no_programme(ending: Ending, prepared: Prepared, settings: Settings) -> NoProgramme:
    """Why the search ended without a programme, in plain words: the conflicting rules when none exists."""
    if ending is Ending.INFEASIBLE:
        core = conflict_core(prepared.inputs, prepared.modelled, settings.hard_rules)
        if not core:
            return NoProgramme(["the requirements conflict, but no smaller set could be named in time"])
        return NoProgramme([c.words for c in core], [s for c in core for s in c.sessions])
    if ending is Ending.STOPPED:
        return NoProgramme(["the search was stopped (Ctrl-C) before it had a programme"], proven=False)
    why = f"no programme was found within {settings.time_limit:g} s; try a longer --time-limit"
    return NoProgramme([why], proven=False)


def draft(
    inputs: ConferenceInput,
    *,
    previous: Schedule | None = None,
    freeze: Iterable[str] = (),
    settings: Settings = DEFAULTS,
    on_progress: Callable[[Progress], None] | None = None,
) -> Answer:
    """The best programme found within the time limit; raises NoProgramme with reasons when none exists.

    Deterministic for the same inputs, seed and worker count when the search ends by itself (proven optimal); a
    time limit that cuts the search may stop at a different point on a busier machine. `previous` is an earlier
    schedule to move as little as possible from, `freeze` the sessions to keep exactly where it had them.
    """
    started = time.monotonic()
    prepared = prepare(inputs, previous, freeze, settings)
    built = build(prepared, settings)
    recorder = Recorder(on_progress, started)
    found = search(built, settings, recorder)
    if isinstance(found, Ending):
        raise _no_programme(found, prepared, settings)
    return answer(prepared, found, time.monotonic() - started, recorder.seen)
