"""What a draft returns: the programme with the solver's facts, the progress along the way, or why there is none."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.domain import Schedule


@dataclass(frozen=True)
class Progress:
    """One improving programme during the search: when (seconds since the draft began), its objective, and the best
    bound known then."""

    seconds: float
    objective: float
    bound: float


@dataclass(frozen=True)
class Answer:
    schedule: Schedule
    status: str
    """'optimal' (proven) or 'feasible' (best found within the time limit)."""
    objective: int
    bound: int
    seconds: float
    terms: dict[str, int]
    """Each soft term's unweighted count in this answer."""
    progress: tuple[Progress, ...] = ()
    kept_by_hand: tuple[str, ...] = ()
    """Sessions kept where a person placed them by hand (in the workbook --previous was)."""

    @property
    def gap(self) -> float:
        """Relative distance from the best bound (0 when proven optimal)."""
        return 0.0 if self.objective == self.bound else (self.objective - self.bound) / max(abs(self.objective), 1)

    def solver_facts(self) -> dict[str, object]:
        """What schedule.json records about the solve (no clock times, so equal answers give equal files)."""
        weights = self.schedule.conference.weights.model_dump()
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "terms": {
                name: {"count": count, "weight": weights[name], "cost": count * weights[name]}
                for name, count in self.terms.items()
            },
        }


class NoProgramme(Exception):
    """No programme satisfies the hard requirements; `reasons` say why in plain words, `sessions` are the ids
    involved (the conflict holds among them alone)."""

    def __init__(self, reasons: Iterable[str], sessions: Iterable[str] = (), proven: bool = True) -> None:
        self.reasons = list(reasons)
        self.sessions = tuple(sorted(set(sessions)))
        self.proven = proven
        super().__init__("; ".join(self.reasons))
