"""The audience: attendees' picks as the numbers the model, the checker and room sizing share (estimate.py), and who
loses what in a programme (losses.py). Depends on the domain only, so every part above it may use it."""

from planner.audience.estimate import (
    Estimates,
    PairInterest,
    estimates,
    ignoring_interest,
    pair,
    with_expected_audience,
)
from planner.audience.losses import (
    Contested,
    Losses,
    Missing,
    clashes_of,
    facts,
    losses,
    report_facts,
    report_lines,
    summary_lines,
)

__all__ = [
    "Contested",
    "Estimates",
    "Losses",
    "Missing",
    "PairInterest",
    "clashes_of",
    "estimates",
    "facts",
    "ignoring_interest",
    "losses",
    "pair",
    "report_facts",
    "report_lines",
    "summary_lines",
    "with_expected_audience",
]
