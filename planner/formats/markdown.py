"""Markdown for every Markdown output: text made safe to show as written, and tables in tabulate's GitHub format."""

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


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_BLOCK_START = re.compile(r"^(#|>|[-+=]|\d+[.)])")


def inline(text: str, *, pipes: bool = True) -> str:
    """Text that Markdown shows literally on one line: line breaks folded to spaces, Markdown punctuation and HTML
    escaped with backslashes, and nothing at the start that could open a heading, quote or list.

    `pipes=False` leaves `|` to markdown_table, which escapes it for its cells.
    """
    folded = " ".join(text.split())
    kept = "" if pipes else "|"
    escaped = _INLINE_SPECIAL.sub(lambda m: m.group(1) if m.group(1) == kept else "\\" + m.group(1), folded)
    escaped = _ENTITY.sub(r"\\&", escaped)
    return _BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)
