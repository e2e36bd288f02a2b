"""Markdown tables for every Markdown output: tabulate's GitHub format, with cell text made safe for a table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tabulate import tabulate


def cell(value: object) -> str:
    """Text that cannot break out of its cell: pipes escaped, line breaks folded to spaces."""
    text = "" if value is None else str(value)
    return " ".join(text.replace("|", "\\|").split())


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return tabulate([[cell(v) for v in row] for row in rows], headers=[cell(h) for h in headers], tablefmt="github",
                    disable_numparse=True)  # fmt: skip
