"""Located input problems, collected so that a user sees every problem in one run, never a traceback.

Every loader takes one `Collector` and adds to it; the command line raises or prints at the end. A problem's place is
a `Where`: the parts of a location in a file ('sheet Sessions, row 7'; 'day 2, room Saal 1, event 25'; 'line 12'),
its numbers kept as numbers so that places sort as a reader counts them ('row 9' before 'row 10').
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import total_ordering
from itertools import groupby

Part = tuple[str, str | int | None]
"""One step of a location: ('row', 7), ('sheet', 'Sessions'); a value of None is a bare name ('conference')."""

_DIGITS = re.compile(r"(\d+)")


def _natural(value: str | int | None) -> tuple[tuple[int, int, str], ...]:
    """A value as it sorts: numbers by size, text by its runs of letters and digits ('Saal 9' before 'Saal 10')."""
    if value is None:
        return ()
    if isinstance(value, int):
        return (_number(str(value)) if value >= 0 else (0, -1, str(value)),)
    runs = _DIGITS.split(value)  # text, digits, text, ..., text: the digits at odd positions
    return tuple(_number(run) if i % 2 else (1, 0, run.casefold()) for i, run in enumerate(runs) if run)


def _number(digits: str) -> tuple[int, int, str]:
    """A run of digits as it sorts: by its length without leading zeros, then digit by digit (no int(), which would
    refuse a run of thousands of digits)."""
    significant = digits.lstrip("0")
    return (0, len(significant), significant)


@total_ordering
@dataclass(frozen=True, eq=True)
class Where:
    """A place in a file, as ordered parts; empty for the whole file. `str()` is the human text: 'line 12',
    'sheet Sessions, row 7', 'day 2, room Saal 1, event 25'.

    Ordering is by part, each part's value compared as a number where it is one, so problems list in reading order.
    """

    parts: tuple[Part, ...] = ()

    @classmethod
    def of(cls, **parts: str | int | None) -> Where:
        """`Where.of(sheet="Sessions", row=7)`: the parts in the order given."""
        return cls(tuple(parts.items()))

    def __str__(self) -> str:
        return ", ".join(name if value is None else f"{name} {value}" for name, value in self.parts)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def sort_key(self) -> tuple[tuple[str, tuple[tuple[int, int, str], ...], str], ...]:
        return tuple((name, _natural(value), "" if value is None else str(value)) for name, value in self.parts)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Where):
            return NotImplemented
        return self.sort_key() < other.sort_key()


WHOLE_FILE = Where()


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected instead.

    `where` is the place in the file (empty for the whole file); `field` names the column or key (empty when the
    problem is not about one field). Problems order as a reader meets them: by file, place, field, then message.
    """

    file: str
    where: Where = WHOLE_FILE
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        place = ", ".join(part for part in (str(self.where), f"field '{self.field}'" if self.field else "") if part)
        return f"{self.file}: {place}: {self.message}" if place else f"{self.file}: {self.message}"


class InputProblems(Exception):
    """Raised once, at the end of loading, with every problem found; the CLI turns it into exit code 2."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} input problem(s)")

    def grouped(self) -> Iterator[tuple[str, list[Problem]]]:
        """Problems grouped by file, in reading order within each file."""
        for name, items in groupby(self.problems, key=lambda p: p.file):
            yield name, list(items)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass
class Collector:
    """Gathers problems, and warnings, while loading goes on; `raise_if_any` ends a load that found a problem.

    Warnings are what a user should know of a load that succeeded (a name added as a person with no constraints);
    they never stop it.
    """

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, file: str, where: Where = WHOLE_FILE, field: str = "", message: str = "") -> None:
        self.problems.append(Problem(file, where, field, message))

    def warn(self, file: str, where: Where = WHOLE_FILE, field: str = "", message: str = "") -> None:
        self.warnings.append(Problem(file, where, field, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def __len__(self) -> int:
        """How many problems so far (a reader compares counts to see whether a step added any)."""
        return len(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputProblems(self.problems)
