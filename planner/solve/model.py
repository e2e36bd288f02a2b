"""The CP-SAT variables: one Boolean per (session, allowed place), one per optional session left out.

A time-indexed assignment over pre-filtered places: every hard rule about one session in one place is already
applied (see options.py), so what remains are packing rules (rooms, plenaries, people) and the objective. Indexes
built here let constraints and objectives find the variables of a block, a room, a day or a person directly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from ortools.sat.python import cp_model

from planner.domain import ConferenceInput, Session
from planner.solve.options import Options, Place
from planner.solve.pooling import hall_sets

Literal = cp_model.IntVar


@dataclass
class Variables:
    model: cp_model.CpModel
    inputs: ConferenceInput
    places: dict[str, list[Place]]
    x: dict[str, list[Literal]]
    """Session id -> one literal per place in `places[session]`."""
    left_out: dict[str, Literal] = field(default_factory=dict)
    """Optional session id -> true when it is not scheduled."""
    sessions: dict[str, Session] = field(default_factory=dict)
    by_hand: frozenset[str] = frozenset()
    """Sessions held where a person placed them by hand (Options.by_hand)."""
    counted: list[tuple[cp_model.IntVar, list[Literal], Callable[[int], int]]] = field(default_factory=list)
    """Objective helpers whose value is a function of how many of some literals are true, so that a warm start can
    hint them too (a complete hint is one CP-SAT can take as it is)."""
    summed: list[tuple[cp_model.IntVar, list[cp_model.IntVar]]] = field(default_factory=list)
    """Objective helpers equal to the sum of earlier helpers (hinted after `counted`)."""
    together: list[tuple[cp_model.IntVar, str, str]] = field(default_factory=list)
    """Objective helpers that are 1 exactly when two sessions run at the same time (their places share a block), for
    terms that weigh pairs of sessions (audience.attendee_conflict): the warm start hints them from the places
    chosen, and marginal.py prices a place by the sessions already placed in its blocks."""
    derived: list[tuple[cp_model.IntVar, Callable[[Mapping[int, int]], int]]] = field(default_factory=list)
    """Objective helpers whose value is any function of the values of earlier variables (variable index -> value),
    given after `counted` and `summed`: the paper terms' helpers (paper.py), so that a warm start hints them and a
    schedule is scored exactly."""
    tracks: dict[tuple[str, str, str], Literal] = field(default_factory=dict)
    """(track, period, room) -> true when the track holds the room in that period (paper.track_cells)."""
    theme_totals: dict[str, cp_model.IntVar] = field(default_factory=dict)
    """Theme -> its clashes in all (objectives.theme_clash), whose domain starts at the theme's floor: what the
    large-neighbourhood search (neighbourhood.py) looks at to find where clashes can still go."""

    def chosen(self, session: str) -> list[tuple[Place, Literal]]:
        return list(zip(self.places[session], self.x[session], strict=True))

    @cached_property
    def in_block(self) -> dict[str, list[tuple[str, Place, Literal]]]:
        """Block id -> (session, place, literal) for every place that uses the block."""
        index: dict[str, list[tuple[str, Place, Literal]]] = defaultdict(list)
        for session, places in self.places.items():
            for place, literal in zip(places, self.x[session], strict=True):
                for block in place.blocks:
                    index[block].append((session, place, literal))
        return index

    @cached_property
    def hall_sets(self) -> dict[str, list[frozenset[str]]]:
        """Block id -> the sets of rooms whose sessions Hall's condition counts there (pooling.hall_sets): the room
        sets of the block's places and the unions of those that overlap."""
        return {
            block: hall_sets({place.rooms for _, place, _ in entries}) or []
            for block, entries in sorted(self.in_block.items())
        }

    @cached_property
    def of_person(self) -> dict[str, list[str]]:
        """Person id -> the sessions they are in (chair or speaker)."""
        index: dict[str, list[str]] = defaultdict(list)
        for session in self.inputs.sessions:
            for person in session.people:
                index[person].append(session.id)
        return index

    def presence(self, sessions: list[str], moments: list[datetime]) -> dict[datetime, list[Literal]]:
        """Moment -> literals of places of `sessions` that run then (start inclusive, end exclusive)."""
        running: dict[datetime, list[Literal]] = defaultdict(list)
        for session in sessions:
            for place, literal in self.chosen(session):
                for i in range(bisect_left(moments, place.start), bisect_left(moments, place.end)):
                    running[moments[i]].append(literal)
        return running


def build_variables(model: cp_model.CpModel, inputs: ConferenceInput, options: Options) -> Variables:
    variables = Variables(
        model, inputs, options.places, {}, sessions={s.id: s for s in inputs.sessions}, by_hand=options.by_hand
    )
    for session in inputs.sessions:
        variables.x[session.id] = [
            model.new_bool_var(f"x[{session.id},{place.day},{place.blocks[0]},{place.room or 'pooled'}]")
            for place in options.places[session.id]
        ]
        if session.optional:
            variables.left_out[session.id] = model.new_bool_var(f"left_out[{session.id}]")
    return variables


def places_only(inputs: ConferenceInput, options: Options) -> Variables:
    """The places without their literals (`x` empty) and a model with nothing in it: what a paper conference's cell
    search needs when the whole model is too large to build in the time given (paper_search.search_cells_only), since
    each of its neighbourhoods builds a model of its own over a few talks' places."""
    sessions = {s.id: s for s in inputs.sessions}
    return Variables(cp_model.CpModel(), inputs, options.places, {}, sessions=sessions, by_hand=options.by_hand)
