"""Markdown tables for every Markdown output: tabulate's GitHub format, with cell text made safe for a table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tabulate import tabulate

_SPECIAL = re.compile(r"([\\`*\[\]<>~|])")
"""Characters that could start HTML, a link, an image, a code span, emphasis or strikethrough, or end a cell."""
_EDGE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
"""An '_' that is not between two letters or digits: only those can open or close emphasis (CommonMark 6.2)."""
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def cell(value: object) -> str:
    """Markdown that cannot break out of its cell: pipes escaped, line breaks folded to spaces."""
    text = "" if value is None else str(value)
    return " ".join(text.replace("|", "\\|").split())


def plain_cell(value: object) -> str:
    """Plain text that a cell shows as written, on one line: no HTML, link, image, code span or emphasis can start
    in it ('snake_case' words stay readable as they are)."""
    text = " ".join(("" if value is None else str(value)).split())
    text = _SPECIAL.sub(r"\\\1", text)
    text = _EDGE_UNDERSCORE.sub(r"\\_", text)
    return _ENTITY.sub(r"\\&", text)


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, markdown: bool = False) -> str:
    """A GitHub table of plain-text cells (each shown as written, see `plain_cell`); with `markdown=True` the cells
    are Markdown already, escaped by the caller, and only kept inside their cells."""
    made = cell if markdown else plain_cell
    return tabulate(
        [[made(v) for v in row] for row in rows],
        headers=[made(h) for h in headers],
        tablefmt="github",
        disable_numparse=True,
    )
