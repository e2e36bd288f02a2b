"""Large-neighbourhood search for a paper conference, at the level of its tracks' (period, room) cells.

The general neighbourhoods (neighbourhood.py) free the sessions of a few blocks; on a paper conference a block is one
time slot of a period, and freeing it alone cannot move a track, since the track's other talks hold the cell. Here a
neighbourhood frees whole cells: every talk of a few tracks (they may take other free cells or trade theirs), of a few
periods or of a few rooms (the tracks there may trade places), of one period and the tracks in it, or of a costly track
(at a 'never' cell, or with a presenter in two rooms of a period) and the tracks of its periods; every other talk
stays where it is, the model rebuilt with only that place for it, so the rules and terms are the model's own. A
neighbourhood's programme is kept when it is no worse, and the rounds go on until the objective reaches its floor, stops
improving or the time given is up; then the whole-model search goes on from the best (it can prove what no neighbourhood
can: N2OR).

Deterministic: one worker and a deterministic time per solve, neighbourhoods drawn from a generator seeded with the
settings' seed, and the best answer of each round kept (the first of equals), so the programme does not depend on the
machine's load unless the time limit cuts the rounds short."""

from __future__ import annotations

import os
import random
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.solve.model import Variables, build_variables
from planner.solve.neighbourhood import round_solver
from planner.solve.objectives import Previous
from planner.solve.options import Options
from planner.solve.paper import periods_of
from planner.solve.paper_start import never_cell, never_talk, paper_start
from planner.solve.search import Built, Recorder, Solution, objective_floor
from planner.solve.settings import Settings
from planner.solve.warm_start import add_hint, complete

ROUND_WORK = (0.3, 1e-5, 6.0)
"""CP-SAT's deterministic seconds for one neighbourhood: a base and this much per place of the whole model (GECCO21,
48,000 places: 0.6 s), enough to solve a few tracks' cells to optimality where it can, and at most the last (OR60F3's
2.5 million places would give 25 s a round; capped at 2 s its rounds found nothing better in 60 s, at 6 s they went
from 1,309 to 1,098)."""
STALL_ROUNDS = 30
"""Rounds without a better programme after which the whole-model search takes over."""
SHARE = 0.9
"""The part of the time limit the neighbourhoods may use; the whole-model search has the rest (GECCO19 still improved
at 50 s of 60)."""
FREED = 15
"""About how many talks a neighbourhood frees: GECCO19 in 60 s reached 1,190,181 freeing 15, 1,770,066 freeing 25
(fewer, slower rounds), GECCO21 10,948 freeing 25, 18,176 freeing 45."""


@dataclass(frozen=True)
class Programme:
    """Talk id -> the index of its place (a talk not yet placed is absent), and its objective (None while one is
    unplaced)."""

    places: dict[str, int]
    objective: int | None


class _Neighbourhood:
    """The model rebuilt with every talk not freed given only the place the programme has it in, and the freed ones
    only places in cells no kept talk of another track holds: every rule and term is the model's own, yet the model
    is as small as the freed talks' places (GECCO19: 8,000 of 89,000 place literals, built in 0.2 s), so CP-SAT's
    presolve does not dominate each round as it did on a copy of the whole model with the other talks fixed through
    their domains (4-5 s a round on GECCO21)."""

    def __init__(self, variables: Variables, previous: Previous, settings: Settings, work: float) -> None:
        self.variables = variables
        self.periods = periods_of(variables.inputs.conference)
        self.previous = previous
        self.settings = settings
        self.work = work

    def cell(self, session: str, index: int) -> tuple[str, str]:
        """The (period, room) of one of a talk's places."""
        place = self.variables.places[session][index]
        return self.periods.of_block.get(place.blocks[0], ""), place.room

    def _not_never(self, session: str, indexes: list[int], current: int | None) -> list[int]:
        """The places not at CoSPLib's 'never' level for the talk or its track, and the talk's current place; all of
        them when that leaves none. The whole model keeps every place (GECCO19's published solutions each pay one
        'never'), but a round need not look at them: GECCO19's rounds are a third the size."""
        paper = self.variables.inputs.conference.paper
        if paper is None:
            return indexes
        talk = self.variables.sessions[session]
        track = talk.track or ""
        allowed = [
            i
            for i in indexes
            if i == current
            or not (never_cell(paper, track, self.cell(session, i)) or never_talk(talk, self.cell(session, i)))
        ]
        return allowed or indexes

    def _model(
        self, programme: Programme, freed: set[str]
    ) -> tuple[Variables, dict[str, list[int]], dict[str, cp_model.LinearExprT]]:
        """The neighbourhood's model, for each talk the indexes (in the whole model) of the places it has, and each
        weighted soft term's expression (unweighted) by name."""
        whole = self.variables
        free = {s for s in whole.places if s in freed or s not in programme.places}
        held = {self.cell(s, i): whole.sessions[s].track for s, i in programme.places.items() if s not in free}
        kept: dict[str, list[int]] = {}
        for session, options in whole.places.items():
            if session in free:
                # a cell another track keeps is closed to it (one_track_per_period_room): such places are left out
                track = whole.sessions[session].track
                open_to = [i for i in range(len(options)) if held.get(self.cell(session, i), track) == track]
                kept[session] = self._not_never(session, open_to, programme.places.get(session))
            else:
                kept[session] = [programme.places[session]]
        chosen = {s: [whole.places[s][i] for i in indexes] for s, indexes in kept.items()}
        variables = build_variables(cp_model.CpModel(), whole.inputs, Options(chosen, {}, whole.by_hand))
        for rule in self.settings.hard_rules:
            rule(variables)
        weights = whole.inputs.conference.weights
        terms = {
            name: term(variables, self.previous)
            for name, term in self.settings.soft_terms.items()
            if getattr(weights, name) > 0
        }
        variables.model.minimize(sum(getattr(weights, name) * expr for name, expr in terms.items()))
        return variables, kept, terms

    def solve(self, programme: Programme, freed: set[str], seed: int, deadline: float) -> Programme | None:
        """The neighbourhood's best programme within its work, from the programme as a hint; None if none found."""
        variables, kept, _ = self._model(programme, freed)
        local = {s: kept[s].index(i) for s, i in programme.places.items()}
        add_hint(variables, local)
        solver = round_solver(seed, self.work, deadline)
        if solver.solve(variables.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        places = {}
        for session, literals in variables.x.items():
            index = next((i for i, lit in enumerate(literals) if solver.boolean_value(lit)), None)
            if index is not None:
                places[session] = kept[session][index]
        return Programme(places, round(solver.objective_value))

    def score(self, places: dict[str, int]) -> tuple[int, dict[str, int]] | None:
        """A whole programme's objective and each soft term's count, from the model with every talk at its place
        (propagation, and the least value of each helper); None if the solve does not prove it in its work."""
        variables, _, terms = self._model(Programme(places, None), set())
        solver = round_solver(self.settings.seed, self.work, time.monotonic() + 60)
        if solver.solve(variables.model) != cp_model.OPTIMAL:
            return None
        counts = {name: expr if isinstance(expr, int) else int(solver.value(expr)) for name, expr in terms.items()}
        return round(solver.objective_value), counts


class _Chooser:
    """Which talks each round frees: those of a few tracks, periods or rooms (see the module docstring)."""

    def __init__(self, variables: Variables, seed: int) -> None:
        self.variables = variables
        self.random = random.Random(seed)
        self.periods = periods_of(variables.inputs.conference)
        self.tracks = sorted({s.track for s in variables.sessions.values() if s.track})
        self.rooms = sorted({place.room for places in variables.places.values() for place in places})

    def _cell(self, session: str, index: int) -> tuple[str, str]:
        place = self.variables.places[session][index]
        return self.periods.of_block[place.blocks[0]], place.room

    def choose(self, programme: Programme) -> set[str]:
        variables = self.variables
        unplaced = {s for s in variables.places if s not in programme.places}
        talks_of: dict[str, set[str]] = defaultdict(set)
        for session, index in programme.places.items():
            period, room = self._cell(session, index)
            track = variables.sessions[session].track or ""
            for key in (f"t:{track}", f"p:{period}", f"r:{room}"):
                talks_of[key].add(session)
        kind = self.random.choice(("t", "t", "p", "r", "pt", "costly", "costly"))
        costly = self._costly(programme) if kind == "costly" else []
        if kind == "costly" and costly:
            # a track at a 'never' cell or with a presenter elsewhere in its period, and the tracks of its periods
            track = self.random.choice(costly)
            periods = sorted({k[2:] for k in talks_of if k.startswith("p:") and talks_of[k] & talks_of[f"t:{track}"]})
            around = sorted({variables.sessions[s].track or "" for p in periods for s in talks_of[f"p:{p}"]} - {track})
            keys = [f"t:{track}", *(f"t:{t}" for t in self.random.sample(around, len(around)))]
        elif kind in ("pt", "costly"):
            period = self.random.choice(self.periods.order)
            tracks = {variables.sessions[s].track for s in talks_of[f"p:{period}"]}
            keys = [f"t:{t}" for t in sorted(t for t in tracks if t)]
        else:
            pool = {"t": self.tracks, "p": list(self.periods.order), "r": self.rooms}[kind]
            keys = [f"{kind}:{k}" for k in self.random.sample(pool, len(pool))]
        freed = set(unplaced)
        for key in keys:
            if len(freed) >= FREED and len(freed) > len(unplaced):
                break
            freed |= talks_of.get(key, set())
        return freed

    def _costly(self, programme: Programme) -> list[str]:
        """Tracks that hold a cell at CoSPLib's 'never' level, or whose talk's presenter presents in another room in
        the same period (CoSPLib's presenter conflict): where the largest costs usually are."""
        variables = self.variables
        paper = variables.inputs.conference.paper
        found: set[str] = set()
        rooms_of: dict[tuple[str, str], set[str]] = defaultdict(set)
        tracks_of: dict[tuple[str, str], set[str]] = defaultdict(set)
        for session, index in programme.places.items():
            track = variables.sessions[session].track or ""
            period, room = self._cell(session, index)
            if paper is not None and never_cell(paper, track, (period, room)):
                found.add(track)
            for person in variables.sessions[session].speakers:
                rooms_of[(person, period)].add(room)
                tracks_of[(person, period)].add(track)
        for key, rooms in rooms_of.items():
            if len(rooms) > 1:
                found |= tracks_of[key]
        return sorted(found - {""})


def improve_cells(
    variables: Variables,
    start: dict[str, int],
    floor: float,
    settings: Settings,
    deadline: float,
    on_better: Callable[[Programme], None],
    previous: Previous,
    stall_rounds: int = STALL_ROUNDS,
    pressed: Callable[[], bool] = lambda: False,
) -> Programme:
    """The best programme the cell neighbourhoods find from `start`, told to `on_better` each time it improves."""
    workers = settings.workers or min(8, os.cpu_count() or 1)
    base, per_literal, most = ROUND_WORK
    work = min(most, base + per_literal * sum(map(len, variables.places.values())))
    copies = [_Neighbourhood(variables, previous, settings, work) for _ in range(workers)]
    programme = Programme(dict(start), None)
    if complete(variables, start) and (scored := copies[0].score(start)) is not None:
        programme = Programme(dict(start), scored[0])
    chooser = _Chooser(variables, settings.seed)
    stalled = round_number = 0
    # how long the last round took: one is not begun when less than half that is left, since building its model is
    # not bounded by the deadline (OR60F3's rounds take 6-8 s, half of it building)
    took = 0.0
    with ThreadPoolExecutor(workers) as pool:
        while stalled < stall_rounds and time.monotonic() + took / 2 < deadline and not pressed():
            if programme.objective is not None and programme.objective <= floor:
                break
            round_number += 1
            began = time.monotonic()
            freed = [chooser.choose(programme) for _ in copies]
            if programme.objective is None:
                # beside the usual neighbourhoods, the talks the warm start could not place alone: OR60F3's 14 take
                # one round to 835, where the others, which also free whole tracks and periods, took 20 s to 1,309
                # (on OR60F the others do better: 161 against 663 at 60 s, when this alone began)
                freed[0] = {s for s in variables.places if s not in programme.places}
            seeds = [settings.seed + round_number * workers + i for i in range(workers)]
            current = programme
            answers = list(pool.map(lambda c, f, s, p=current: c.solve(p, f, s, deadline), copies, freed, seeds))
            took = time.monotonic() - began
            found = [a for a in answers if a is not None and complete(variables, a.places)]
            better = [a for a in found if current.objective is None or (a.objective or 0) <= current.objective]
            if not better:
                stalled += 1
                continue
            best = min(better, key=lambda a: a.objective or 0)
            improved = current.objective is None or (best.objective or 0) < current.objective
            programme = best
            stalled = 0 if improved else stalled + 1
            if improved:
                on_better(programme)
    return programme


def search_cells(built: Built, settings: Settings, recorder: Recorder, previous: Previous, started: float) -> Settings:
    """Improves a paper conference's warm start with the cell neighbourhoods until SHARE of the time limit has passed
    since the draft `started` (preparing and building the model count: GECCO19's runs ended at 62-63 s of 60 when
    they did not), hints the best in its place, and returns the settings for the whole-model search with the time
    that is left.
    The general neighbourhoods are then skipped (built.start None): they free time slots, which cannot move a track."""
    if built.start is None or built.variables.inputs.conference.paper is None:
        return settings
    floor = objective_floor(built.model)
    if built.warm_objective is not None:
        recorder.offer(built.warm_objective, floor)

    def better(programme: Programme) -> None:
        assert programme.objective is not None
        recorder.offer(programme.objective, floor)

    deadline = started + settings.time_limit * SHARE
    best = improve_cells(built.variables, built.start, floor, settings, deadline, better, previous)
    if best.objective is not None and (built.warm_objective is None or best.objective <= built.warm_objective):
        built.warm_objective = add_hint(built.variables, best.places)
        built.start = best.places
    built.start = None
    return replace(settings, time_limit=max(1.0, settings.time_limit - (time.monotonic() - started)))


BUILD_SECONDS = 35e-6
"""About what building the whole model takes per place on the 2-core bench machine (OR60F3: 2.5 million places in
82 s, then 40 s more before its search began)."""
BUILD_SHARE = 0.25
"""The most of the time limit that building the whole model may take; beyond it only the cell neighbourhoods run."""


def whole_model_fits(places: int, time_limit: float) -> bool:
    """Whether the whole model of this many places can be built within BUILD_SHARE of the time limit (estimated from
    the count, never measured, so the choice is the same on any machine): GECCO19 (89,000 places) and OR60F are, and
    OR60F3 is at 60 s but not at 600 s."""
    return places * BUILD_SECONDS <= BUILD_SHARE * time_limit


def search_cells_only(
    variables: Variables,
    settings: Settings,
    recorder: Recorder,
    previous: Previous,
    deadline: float,
    pressed: Callable[[], bool],
) -> Solution | None:
    """A paper conference too large for the whole model in the time given: the tracks-first warm start improved by the
    cell neighbourhoods until `deadline` (a stall does not end them: nothing else would use the time), each better
    programme offered as progress. Not proven optimal; its bound is 0, since every term counts something. None
    when no whole programme was found."""

    def better(programme: Programme) -> None:
        assert programme.objective is not None
        recorder.offer(programme.objective, 0)

    start = paper_start(variables)
    best = improve_cells(variables, start, 0, settings, deadline, better, previous, 10**9, pressed)
    if best.objective is None:
        return None
    scored = _Neighbourhood(variables, previous, settings, ROUND_WORK[2]).score(best.places)
    if scored is None:
        return None
    objective, terms = scored
    chosen = {session: variables.places[session][index] for session, index in best.places.items()}
    return Solution(objective == 0, objective, 0, chosen, terms)
