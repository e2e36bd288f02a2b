"""The checker's settings as an organiser writes them: conference.yaml's `checks:`, or a file of the same keys given
with `--rules FILE` (for an agenda checked without its conference folder, or to judge it another way).

    buffer_minutes: 10            # between sessions in different rooms
    severity:
      back_to_back: ignore        # error, warning or ignore
      room_too_small: error
    accepted:
      - finding: person_overlap
        sessions: [t1, w1]
        reason: Eve chairs the first ten minutes only

Every finding code named must be a rule's (a misspelt one would silently change nothing): an unknown code is a
problem on its line, with the nearest known code. `--rules` wins: its settings replace the conference's whole.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

from planner.check.model import Agenda, Context
from planner.check.rules import RULES
from planner.domain import CheckSettings
from planner.errors import Collector, Where
from planner.io.validation import Loc, check_numbers, field_path, validate
from planner.io.yamlfile import LineDict, line_at, read_yaml

CODES = tuple(rule.__name__ for rule in RULES)
"""Every finding code a setting may name."""
KEYS = ", ".join(CheckSettings.model_fields)


def read_settings(path: Path, label: str, problems: Collector) -> CheckSettings | None:
    """The settings in a YAML file of `checks:` keys, or None with every problem added to `problems`, each on its
    line; `label` names the file in messages."""
    document = read_yaml(path, label, problems)
    if document is None:
        return None
    if not isinstance(document, LineDict):
        problems.add(label, message=f"expected a mapping with any of {KEYS}")
        return None

    def where(loc: Loc) -> Where:
        return line_at(document, loc)

    own = Collector()
    settings = validate(CheckSettings, dict(document), label, where, own)
    if settings is not None:
        check_numbers(settings, label, where, own)
        check_codes(settings, label, where, own)
    problems.extend(own.problems)
    return None if own else settings


def check_codes(
    settings: CheckSettings, label: str, where: Callable[[Loc], Where], problems: Collector, at: Loc = ()
) -> None:
    """Adds a problem for each finding code in `severity` or `accepted` that no rule has; `at` is where the settings
    sit in their document (('checks',) in conference.yaml), and `where(loc)` places a problem at a location in it."""
    named: list[tuple[Loc, str]] = [((*at, "severity", code), code) for code in settings.severity]
    named += [((*at, "accepted", i, "finding"), a.finding) for i, a in enumerate(settings.accepted)]
    for loc, code in named:
        if code not in CODES:
            problems.add(label, where(loc), field_path(loc), unknown_code(code))


def unknown_code(code: str) -> str:
    """Why a code is refused, with the nearest known one (or all of them)."""
    close = difflib.get_close_matches(code, CODES, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(sorted(CODES))}"
    return f"'{code}' is not a finding of the checker; {hint}"


def with_settings(
    agenda: Agenda, context: Context, rules_file: Path | None = None, conference_dir: Path | None = None
) -> Context:
    """The context judged by `rules_file`'s settings when given (they replace the conference's whole: --rules wins),
    else by the conference's own `checks:`, whose codes are checked too (on their lines of the folder's
    conference.yaml, or by field in the agenda that carries the conference). Raises InputProblems with every
    problem found."""
    problems = Collector()
    if rules_file is not None:
        settings = read_settings(rules_file, str(rules_file), problems)
        problems.raise_if_any()
        return replace(context, settings=settings)
    if context.conference is not None:
        label, where = _conference_place(agenda, conference_dir)
        check_codes(context.conference.checks, label, where, problems, at=("checks",))
        problems.raise_if_any()
    return context


def _conference_place(agenda: Agenda, conference_dir: Path | None) -> tuple[str, Callable[[Loc], Where]]:
    """The file and the locator for a problem in the conference's `checks:`: its line in conference.yaml (read
    again for its lines, only when there is a problem to place), else the agenda that carries the conference."""
    if conference_dir is None:
        return agenda.source, lambda loc: Where()
    path = conference_dir / "conference.yaml"

    @cache
    def document() -> object:
        return read_yaml(path, str(path), Collector())

    return str(path), lambda loc: line_at(document(), loc)
