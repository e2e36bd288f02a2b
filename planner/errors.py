"""Located input problems, collected so that a user sees every problem in one run, never a traceback."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected instead.

    `where` is a human locator such as "line 12" or "row 4" (empty for the whole file); `field` names the column or
    key (empty when the problem is not about one field).
    """

    file: str
    where: str = ""
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.where, f"field '{self.field}'" if self.field else "") if part)
        return f"{self.file}: {place}: {self.message}" if place else f"{self.file}: {self.message}"


class InputProblems(Exception):
    """Raised once, at the end of loading, with every problem found; the CLI turns it into exit code 2."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=_reading_order)
        super().__init__(f"{len(self.problems)} input problem(s)")

    def grouped(self) -> Iterator[tuple[str, list[Problem]]]:
        """Problems grouped by file, in reading order within each file."""
        for name, items in groupby(self.problems, key=lambda p: p.file):
            yield name, list(items)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def _reading_order(problem: Problem) -> tuple[str, int, str, str]:
    digits = "".join(ch for ch in problem.where if ch.isdigit())
    return (problem.file, int(digits) if digits else 0, problem.field, problem.message)


@dataclass
class Collector:
    """Gathers problems while loading goes on; `raise_if_any` ends a load that found any."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str, where: str = "", field: str = "", message: str = "") -> None:
        self.problems.append(Problem(file, where, field, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputProblems(self.problems)
