"""Several good programmes to choose from: the best, then the best of those that differ from every one before in at
least a stated number of sessions' places, and so on.

Each further programme is the model of a draft with one more constraint per programme already found ("no-good"):
of the n sessions, at most n - differ are where that programme has them. A session's place is a literal of the
model: its span of blocks, with its room unless the rooms are pooled (pooling.py: when any of a set of rooms would
do equally, programmes that differ only in which of them a session gets are one programme, and are not offered as
alternatives). A session left out is in the same place as in a programme that leaves it out too.

Each programme is solved as a draft is, to proven optimality or the time limit (each gets the whole limit), so the
objectives rise from one to the next when every search ends by itself. The same inputs, seed and workers give the
same programmes when every search ends by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.domain import ConferenceInput, Schedule, moved
from planner.solve.answer import Answer, Progress
from planner.solve.evaluate import place_index
from planner.solve.model import Literal, Variables
from planner.solve.run import answer, build, draft, prepare
from planner.solve.search import Ending, Recorder, search
from planner.solve.settings import DEFAULTS, Settings


@dataclass(frozen=True)
class Alternatives:
    """The programmes found, best first, and why there are fewer than asked for ('' when there are not)."""

    answers: tuple[Answer, ...]
    asked: int
    differ: int
    ending: Ending | None = None
    """Why the search stopped before `asked` programmes: INFEASIBLE (proven: no other exists), OUT_OF_TIME or
    STOPPED (Ctrl-C); None when all were found."""
    shortfall: str = ""
    """The same in plain words, for the organiser."""


def differing_sessions(first: Schedule, second: Schedule) -> set[str]:
    """The sessions two programmes place differently: in another room or at other times (planner.domain.moved), or
    placed in one and not the other."""
    one = {a.session.id: a for a in first.assignments}
    two = {a.session.id: a for a in second.assignments}
    return {s for s in one.keys() | two.keys() if s not in one or s not in two or moved(one[s], two[s])}


def same_places(variables: Variables, schedule: Schedule) -> list[Literal]:
    """For each session of the model, the literal that is true when it is where `schedule` has it (its place, or
    left out); sessions `schedule` places where the model has no place for them have none."""
    placed = {a.session.id: a for a in schedule.assignments}
    same = []
    for session_id, literals in variables.x.items():
        if session_id in placed:
            index = place_index(variables.places[session_id], placed[session_id])
            if index is not None:
                same.append(literals[index])
        elif session_id in variables.left_out:
            same.append(variables.left_out[session_id])
    return same


def forbid_near(variables: Variables, schedule: Schedule, differ: int) -> None:
    """No programme within `differ` sessions of `schedule`: at most n - differ sessions where it has them."""
    variables.model.add(sum(same_places(variables, schedule)) <= len(variables.x) - differ)


def _shortfall(ending: Ending, found: int, differ: int, settings: Settings) -> str:
    apart = f"differs from {'each of the ' + str(found) if found > 1 else 'the one'} above in at least {differ} "
    apart += f"session{'s' * (differ != 1)}"
    if ending is Ending.INFEASIBLE:
        return f"no other programme {apart}"
    if ending is Ending.STOPPED:
        return f"stopped (Ctrl-C) before finding another programme that {apart}"
    return f"no other programme that {apart} was found within {settings.time_limit:g} s; try a longer --time-limit"


def alternatives(
    inputs: ConferenceInput,
    k: int,
    differ: int,
    settings: Settings = DEFAULTS,
    *,
    previous: Schedule | None = None,
    freeze: Iterable[str] = (),
    on_progress: Callable[[Progress], None] | None = None,
) -> Alternatives:
    """Up to `k` programmes, best first, each differing from every earlier one in at least `differ` sessions' places
    (see the module docstring); fewer, with the reason, when no more exist or the time limit comes first.

    The first is exactly what `draft` returns for the same arguments, and raises NoProgramme as it does.
    """
    if k < 1 or differ < 1:
        raise ValueError(f"expected at least one programme differing in at least one session, not k={k}, {differ=}")
    freeze = tuple(freeze)
    best = draft(inputs, previous=previous, freeze=freeze, settings=settings, on_progress=on_progress)
    found = [best]
    if k == 1:
        return Alternatives((best,), k, differ)
    prepared = prepare(inputs, previous, freeze, settings)
    built = build(prepared, settings)
    built.warm_objective = None  # still hinted, but the no-goods may forbid it: it is no answer by itself
    built.start = None  # nor a start for the large-neighbourhood search
    for _ in range(1, k):
        forbid_near(built.variables, found[-1].schedule, differ)
        started = time.monotonic()
        recorder = Recorder(on_progress, started)
        solution = search(built, settings, recorder)
        if isinstance(solution, Ending):
            return Alternatives(tuple(found), k, differ, solution, _shortfall(solution, len(found), differ, settings))
        found.append(answer(prepared, solution, time.monotonic() - started, recorder.seen))
    return Alternatives(tuple(found), k, differ)
