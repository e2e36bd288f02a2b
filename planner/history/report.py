"""The history report in three forms: rich tables for the terminal, Markdown, and one self-contained HTML page.

Every form shows the same sections, built here once as text: themes by their label (not their id), shares as
whole percentages and changes in percentage points, days named "SOC24 Day 2" (the seed file a detail after it).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from planner.formats.markdown import inline, markdown_table
from planner.history import analysis
from planner.history.load import History

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHART_MIN_SESSIONS = 3
"""Themes carried by fewer sessions than this over all editions stay out of the chart (they would be noise)."""

CHART_CAPTION_ID = "theme-chart-caption"
"""The id of the chart's caption in history.html, which the SVG names as its accessible label."""

_NUMERIC = re.compile(r"^[+-]?\d+(\.\d+)?( ?%| pp)?$")
"""A cell the HTML table right-aligns: a count, a percentage or a change in percentage points."""
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
"""No <metadata> in the SVG: no date (the bytes repeat run after run), no matplotlib version, no URLs."""
_SHORT = 16
"""A column whose every cell is at most this long (a day, a session id, a date) is kept from wrapping in HTML."""


@dataclass(frozen=True)
class Section:
    title: str
    note: str
    table: pd.DataFrame
    """Text only, as every form shows it: one column per header, a plain index, no axis names."""


def day_name(edition: str, day: int) -> str:
    """How the report names a recapped day: "SOC24 Day 2"."""
    return f"{edition} Day {day}"


def percent(share: float) -> str:
    """A share (0.125) as a whole percentage ("13%"), halves rounded up."""
    return f"{math.floor(100 * share + 0.5)}%"


def points(change: float) -> str:
    """A change in share per year (0.091) as signed percentage points ("+9.1 pp"); no "-0.0"."""
    return f"{round(100 * change, 1) + 0.0:+.1f} pp"


def theme_labels() -> dict[str, str]:
    """Theme id -> its label in the bundled taxonomy (the one place a theme's label is defined)."""
    from planner.themes import bundled_taxonomy

    return {theme.id: theme.label for theme in bundled_taxonomy()}


def coverage(history: History) -> str:
    """The editions and the days of each the recaps cover: "SOC21 (Day 1, Day 2), SOC22 (Day 1)"."""
    return ", ".join(f"{e.edition} ({', '.join(f'Day {d.day}' for d in e.days)})" for e in history.editions)


def _cell(value: object) -> str:
    """A table value as one line of plain text: tuples joined, missing values blank, line breaks folded."""
    if isinstance(value, tuple):
        value = ", ".join(map(str, value))
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return " ".join(text.split())


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as the report shows it: a named index becomes the first column, axis names go (pandas would print
    them as an extra header), every value becomes text."""
    if frame.index.name is not None:
        frame = frame.reset_index()
    frame = frame.reset_index(drop=True).rename_axis(index=None, columns=None)
    frame.columns = [str(column) for column in frame.columns]
    return frame.map(_cell)


def _day_shapes(sessions: pd.DataFrame) -> pd.DataFrame:
    shapes = analysis.day_shapes(sessions)
    days = [day_name(e, d) for e, d in zip(shapes["edition"], shapes["day"], strict=True)]
    return shapes.drop(columns=["edition", "year", "day"]).assign(day=days)[
        ["day", "slots", "sessions", "widest", "shape"]
    ]


def _theme_trends(sessions: pd.DataFrame) -> pd.DataFrame:
    """Theme labels down; per edition (headed with its session count) the share as a percentage; the change per
    year in percentage points, the word for it and the theme's sessions over all editions."""
    trend = analysis.theme_trend(sessions)
    counts = analysis.theme_counts(sessions).reindex(trend.index)
    labels = theme_labels()
    table = pd.DataFrame({"theme": [labels.get(theme, theme) for theme in trend.index]})
    for edition, size in analysis.edition_sizes(sessions).items():
        table[f"{edition} (n={size})"] = [percent(count / size) for count in counts[edition]]
    table["change per year"] = [points(change) for change in trend["per_year"]]
    table["trend"] = list(trend["trend"])
    table["sessions"] = list(trend["sessions"])
    return table


def _unclear(sessions: pd.DataFrame) -> pd.DataFrame:
    unclear = sessions.dropna(subset=["uncertain"])
    days = [day_name(e, d) for e, d in zip(unclear["edition"], unclear["day"], strict=True)]
    return unclear[["session", "title", "uncertain"]].assign(day=days)[["day", "session", "title", "uncertain"]]


def _sources(history: History) -> pd.DataFrame:
    """One row per recapped day: its name, date, conference and sessions, then the seed file it comes from."""
    counts = history.sessions.groupby(["edition", "day"]).size()
    rows = [
        {
            "day": day_name(edition.edition, day.day),
            "date": day.date.isoformat() if day.date else "",
            "conference": edition.name,
            "sessions": int(counts.get((edition.edition, day.day), 0)),
            "seed file": day.source,
        }
        for edition in history.editions
        for day in edition.days
    ]
    return pd.DataFrame(rows, columns=["day", "date", "conference", "sessions", "seed file"])


def sections(history: History) -> list[Section]:
    """The report's tables, in reading order; each form renders these and nothing else."""
    s, a = history.sessions, history.appearances
    parts = [
        Section("Sessions per kind", "Sessions the recaps name, per edition.", analysis.sessions_per_kind(s)),
        Section(
            "Day shapes",
            "Each recapped day as its sequence of slots; ×N is N sessions side by side, ? marks concurrency the "
            "recap does not state.",
            _day_shapes(s),
        ),
        Section("Parallelism", "How many sessions of a kind ran side by side.", analysis.parallelism(s)),
        Section(
            "Theme trends",
            "Percentage of each edition's sessions (n) carrying the theme, and its least-squares change per year in "
            "percentage points (pp); a session may carry several themes.",
            _theme_trends(s),
        ),
        Section(
            "Recurring people",
            "People named in two or more editions, matched through titles and recorded spelling variants.",
            analysis.recurring_people(a).drop(columns=["person"]),
        ),
        Section("What the recaps leave unclear", "Recorded as written and marked.", _unclear(s)),
        Section(
            "Sources",
            "The published recap each day is transcribed from, by the name of its seed file; a day known only from "
            "another day's recap shares that day's file.",
            _sources(history),
        ),
    ]
    return [Section(part.title, part.note, _text(part.table)) for part in parts]


def print_report(history: History) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    console.print(f"[bold]History[/]: {len(history.sessions)} sessions from {escape(coverage(history))}")
    for section in sections(history):
        table = Table(title=section.title, caption=section.note, title_justify="left", show_lines=False)
        for column, kind in zip(section.table.columns, _column_classes(section.table), strict=True):
            if kind == "num":  # a word a line, so the header does not widen a column of short numbers
                table.add_column(escape(column.replace(" ", "\n")), overflow="fold", justify="right")
            else:
                table.add_column(escape(column), overflow="fold")
        for row in section.table.itertuples(index=False):
            table.add_row(*(escape(value) for value in row))
        console.print(table)


def markdown_report(history: History) -> str:
    parts = [f"# Past programmes\n\n{len(history.sessions)} sessions from {inline(coverage(history))}.\n"]
    for section in sections(history):
        table = markdown_table(list(section.table.columns), section.table.itertuples(index=False))
        parts.append(f"## {section.title}\n\n{section.note}\n\n{table}\n")
    return "\n".join(parts)


def theme_chart_svg(history: History) -> str:
    """Theme share per edition as an SVG heat map: theme labels down (most sessions over all editions first),
    editions across headed with their session counts, each cell shaded by its share on one sequential scale and
    labelled with the share and its sessions. Themes with fewer than CHART_MIN_SESSIONS sessions are left out; ""
    when none is left. Deterministic: fixed ids, no date stamp, glyphs drawn as paths (each text also kept as an
    XML comment), no embedded images or links."""
    counts = analysis.theme_counts(history.sessions)
    sizes = analysis.edition_sizes(history.sessions).reindex(counts.columns)
    labels = theme_labels()
    totals = counts.sum(axis=1)
    shown = sorted(totals[totals >= CHART_MIN_SESSIONS].index, key=lambda t: (-totals[t], labels.get(t, t)))
    if not shown:
        return ""
    return _heat_map_svg(
        [_literal(labels.get(theme, theme)) for theme in shown],
        [_literal(f"{edition} (n={size})") for edition, size in sizes.items()],
        counts.loc[shown].to_numpy().tolist(),
        [int(size) for size in sizes],
    )


def _literal(text: str) -> str:
    """Text matplotlib draws as written: a '$' would otherwise start a formula."""
    return text.replace("$", r"\$")


def _heat_map_svg(rows: list[str], columns: list[str], counts: list[list[int]], sizes: list[int]) -> str:
    """A grid of `counts[row][column]` out of `sizes[column]`: each cell shaded by the share on one sequential
    scale and labelled with it as a percentage and with its count; beside the grid, unshaded, each row's share of
    all the sessions."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    shares = [[count / size if size else 0.0 for count, size in zip(row, sizes, strict=True)] for row in counts]
    scale = Normalize(0.0, max(max(row) for row in shares) or 1.0)
    colours = matplotlib.colormaps["Blues"]
    width, height = 1.2, 0.38  # inches per cell
    with plt.rc_context({"svg.hashsalt": "planner-history", "svg.fonttype": "path", "font.size": 11}):
        figure = plt.figure(figsize=(width * (len(columns) + 1), height * len(rows)))
        axis = figure.add_axes((0, 0, 1, 1))  # the labels lie outside; the tight bounding box takes them in
        for i, (row, counted) in enumerate(zip(shares, counts, strict=True)):
            for j, (share, count) in enumerate(zip(row, counted, strict=True)):
                level = scale(share)
                axis.add_patch(Rectangle((j + 0.03, i + 0.05), 0.94, 0.9, facecolor=colours(0.06 + 0.86 * level)))
                ink = "white" if level > 0.55 else "#222222" if count else "#777777"
                _cell_text(axis, j, i, share, count, ink)
            _cell_text(axis, len(columns) + 0.1, i, sum(counted) / (sum(sizes) or 1), sum(counted), "#444444")
        axis.set_xlim(0, len(columns) + 1)
        axis.set_ylim(len(rows), 0)
        headers = [*columns, f"All (n={sum(sizes)})"]
        axis.set_xticks([j + 0.5 + 0.1 * (j == len(columns)) for j in range(len(headers))], headers)
        axis.set_yticks([i + 0.5 for i in range(len(rows))], rows)
        axis.xaxis.tick_top()
        axis.tick_params(length=0)
        for spine in axis.spines.values():
            spine.set_visible(False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=_NO_METADATA, bbox_inches="tight", pad_inches=0.05)
        plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{CHART_CAPTION_ID}" ', 1)


def _cell_text(axis: Axes, x: float, y: int, share: float, count: int, ink: str) -> None:
    """A cell's share, bold, and its count beside it, smaller ("41% n=11"); an empty cell shows "0%" alone."""
    if not count:
        axis.text(x + 0.5, y + 0.5, percent(share), ha="center", va="center", color=ink)
        return
    axis.text(x + 0.5, y + 0.5, percent(share), ha="right", va="center", color=ink, weight="bold")
    axis.text(x + 0.55, y + 0.5, f"n={count}", ha="left", va="center", color=ink, fontsize=9)


def _column_classes(table: pd.DataFrame) -> list[str]:
    """Each column's class in the HTML table: "num" (right-aligned) where every filled cell is a count, a
    percentage or a change in points, "key" (unwrapped) where every cell is short, else ""."""
    classes = []
    for column in table.columns:
        filled = [value for value in table[column] if value]
        numeric = bool(filled) and all(_NUMERIC.match(value) for value in filled)
        classes.append("num" if numeric else "key" if all(len(value) <= _SHORT for value in filled) else "")
    return classes


def html_report(history: History) -> str:
    """One self-contained page: no scripts, no external requests; every text escaped."""
    from markupsafe import Markup

    from planner.formats.pages import page_environment

    tables = [
        (
            section,
            list(section.table.columns),
            list(section.table.itertuples(index=False)),
            _column_classes(section.table),
        )
        for section in sections(history)
    ]
    return (
        page_environment()
        .get_template("history.html.j2")
        .render(
            editions=history.editions,
            coverage=coverage(history),
            sessions=len(history.sessions),
            chart=Markup(theme_chart_svg(history)),
            chart_caption_id=CHART_CAPTION_ID,
            chart_min_sessions=CHART_MIN_SESSIONS,
            tables=tables,
        )
    )
