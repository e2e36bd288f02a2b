"""How a draft is made: the search's limits and which rules and terms apply, in one object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.solve.constraints import HARD_RULES, HardRule
from planner.solve.objectives import SOFT_TERMS, Term
from planner.solve.options import RULES, Rule


@dataclass(frozen=True)
class Settings:
    """The search's limits, and the rules and terms the model has.

    The rule and term sets are settings so that tests and benchmarks can leave one out and see what it does; the warm
    start and the even-spread floor still assume every rule, so such a test needs an instance where breaking the rule
    is strictly cheaper (a tie may be settled by the warm start, which keeps it).
    """

    time_limit: float = 60.0
    """Seconds to search; the best programme found by then is the answer."""
    seed: int = 0
    """CP-SAT's random seed: the same inputs, seed and workers give the same programme when the search ends by
    itself."""
    workers: int = 0
    """Search threads; 0 for one per core, at most 8."""
    place_rules: tuple[Rule, ...] = RULES
    hard_rules: tuple[HardRule, ...] = HARD_RULES
    soft_terms: Mapping[str, Term] = field(default_factory=lambda: SOFT_TERMS)


DEFAULTS = Settings()
