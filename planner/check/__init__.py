"""Clash checks on any agenda: one neutral model, one named rule per finding, the organiser's settings applied to
the findings (a buffer between rooms, a severity per finding, findings accepted with a reason), reports in four
formats.

Depends on the domain only, never on the solver (and never imports OR-Tools), so it can judge the solver's output.
"""

from planner.check.model import Agenda, Context, Finding, Item, Placement, Severity
from planner.check.rules import RULES, check, errors
from planner.check.schedule import check_schedule, schedule_agenda

__all__ = [
    "RULES",
    "Agenda",
    "Context",
    "Finding",
    "Item",
    "Placement",
    "Severity",
    "check",
    "check_schedule",
    "errors",
    "schedule_agenda",
]
