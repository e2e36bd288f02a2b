"""Draft a programme in four steps: prepare (every place each session could take), build (the model, its objective
and a warm start), search (search.py: CP-SAT with a time limit, progress and Ctrl-C) and answer (a Schedule with the
objective broken down by term); or say why no programme exists."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from ortools.sat.python import cp_model

from planner.domain import Assignment, ConferenceInput, Schedule, Unscheduled
from planner.replan import carry_over
from planner.solve.answer import Answer, NoProgramme, Progress  # callers import these from here too
from planner.solve.explain import conflict_core, counting_checks
from planner.solve.interrupt import ctrl_c_stops
from planner.solve.model import Variables, build_variables, places_only
from planner.solve.objectives import Previous
from planner.solve.options import Context, Options, Place, no_place_reason, place_options
from planner.solve.paper_search import search_cells, search_cells_only, whole_model_fits
from planner.solve.paper_start import paper_start
from planner.solve.pooling import assign_rooms, model_options
from planner.solve.search import Built, Ending, Recorder, Solution, search
from planner.solve.settings import DEFAULTS, Settings  # callers import Settings from here too
from planner.solve.warm_start import add_hint, greedy_places


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
    fixed: tuple[Assignment, ...] = ()
    """Sessions placed by hand off the grid, kept as they are outside the model."""
    by_hand: frozenset[str] = frozenset()
    """Every session kept where a person placed it (frozen in the model, or fixed outside it)."""


def prepare(inputs: ConferenceInput, previous: Schedule | None, freeze: Iterable[str], settings: Settings) -> Prepared:
    """Every place each session may take; raises NoProgramme when counting alone shows that none exists.

    Sessions `previous` says a person placed by hand stay where they are: frozen at their place when the grid has it,
    else kept as they are outside the model (every other place keeps clear of them); one the proposals no longer
    hold, added by hand, stays too.
    """
    before: Previous = {a.session.id: a for a in previous.assignments} if previous else {}
    by_hand = {a.session.id: a for a in previous.assignments if a.by_hand} if previous else {}
    proposed = {s.id for s in inputs.sessions}
    inputs = inputs.model_copy(
        update={"sessions": (*inputs.sessions, *(a.session for a in by_hand.values() if a.session.id not in proposed))}
    )
    on_grid = {sid for sid, a in by_hand.items() if _on_grid(a, inputs)}
    fixed = tuple(a for sid, a in sorted(by_hand.items()) if sid not in on_grid)
    kept = {*freeze, *on_grid}
    frozen = {sid: (before[sid].day, before[sid].blocks, before[sid].room) for sid in sorted(kept) if sid in before}
    modelled_inputs = inputs.model_copy(
        update={"sessions": tuple(s for s in inputs.sessions if s.id not in {a.session.id for a in fixed})}
    )
    context = Context(modelled_inputs, {p.id: p for p in inputs.people}, frozen, frozenset(on_grid), fixed)
    options = place_options(modelled_inputs, context, settings.place_rules)
    modelled = model_options(modelled_inputs, options, replanning=bool(before))
    if conflicts := counting_checks(modelled_inputs, options):
        raise NoProgramme([c.words for c in conflicts], [s for c in conflicts for s in c.sessions])
    return Prepared(
        modelled_inputs, previous, before, options, modelled, fixed, frozenset(on_grid) | {a.session.id for a in fixed}
    )


def _on_grid(placed: Assignment, inputs: ConferenceInput) -> bool:
    """Whether a session placed by hand sits where the solver could place it: at the start of a run of blocks, as
    long as the session lasts."""
    run = inputs.conference.run_at(placed.start, placed.end)
    return (
        run is not None
        and (placed.end - placed.start) == timedelta(minutes=placed.session.duration)
        and placed.day == run[0].id
        and placed.blocks == tuple(block.id for block in run[1])
    )


def build(prepared: Prepared, settings: Settings) -> Built:
    """The model with its objective, and the greedy programme hinted as its warm start."""
    variables, terms = model_of(prepared, settings)
    start = starting_places(variables)
    return Built(variables.model, variables, terms, add_hint(variables, start), start)


def starting_places(variables: Variables) -> dict[str, int]:
    """The warm start's programme (session id -> the index of its place): tracks first for a paper conference
    (paper_start.py), else the greedy (warm_start.py)."""
    if variables.inputs.conference.paper is not None:
        return paper_start(variables)
    return greedy_places(variables).places


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
        kept_by_hand=tuple(sorted(prepared.by_hand)),
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
    left_out = []
    assignments = list(prepared.fixed)
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
                    by_hand=session.id in prepared.by_hand,
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
    recorder = Recorder(on_progress, started)
    paper = prepared.inputs.conference.paper is not None
    places = sum(map(len, prepared.modelled.places.values()))
    if paper and not whole_model_fits(places, settings.time_limit):
        variables = places_only(prepared.inputs, prepared.modelled)
        deadline = started + settings.time_limit
        with ctrl_c_stops(cp_model.CpSolver()) as pressed:  # each round's solve is short: the rounds stop
            cells = search_cells_only(variables, settings, recorder, prepared.before, deadline, pressed)
        if cells is None:
            raise _no_programme(Ending.STOPPED if pressed() else Ending.OUT_OF_TIME, prepared, settings)
        return answer(prepared, cells, time.monotonic() - started, recorder.seen)
    built = build(prepared, settings)
    if paper:
        settings = search_cells(built, settings, recorder, prepared.before, started)
    found = search(built, settings, recorder)
    if isinstance(found, Ending):
        raise _no_programme(found, prepared, settings)
    return answer(prepared, found, time.monotonic() - started, recorder.seen)
