"""The history report in three forms: rich tables for the terminal, Markdown, and one self-contained HTML page."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.formats.markdown import markdown_table
from planner.history import analysis
from planner.history.load import History

CHART_MIN_SESSIONS = 3
"""Themes carried by fewer sessions than this over all editions stay out of the chart (they would be noise)."""


@dataclass(frozen=True)
class Section:
    title: str
    note: str
    table: pd.DataFrame


def sections(history: History) -> list[Section]:
    """The report's tables, in reading order; each form renders these and nothing else."""
    s, a = history.sessions, history.appearances
    unclear = s.dropna(subset=["uncertain"])[["edition", "day", "session", "title", "uncertain"]]
    shapes = analysis.day_shapes(s)
    return [
        Section("Sessions per kind", "Sessions the recaps name, per edition.", analysis.sessions_per_kind(s)),
        Section(
            "Day shapes",
            "Each recapped day as its sequence of slots; ×N is N sessions side by side, ? marks concurrency the "
            "recap does not state.",
            shapes,
        ),
        Section("Parallelism", "How many sessions of a kind ran side by side.", analysis.parallelism(s)),
        Section(
            "Theme trends",
            "Share of each edition's sessions carrying the theme, and its least-squares change per year.",
            analysis.theme_trend(s),
        ),
        Section(
            "Recurring people",
            "People named in two or more editions, matched through titles and recorded spelling variants.",
            analysis.recurring_people(a).drop(columns=["person"]),
        ),
        Section("What the recaps leave unclear", "Recorded as written and marked.", unclear),
    ]


def print_report(history: History) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    editions = ", ".join(f"{e.edition} ({len(e.days)} day{'s' * (len(e.days) > 1)})" for e in history.editions)
    console.print(f"[bold]History[/]: {len(history.sessions)} sessions from {editions}")
    for section in sections(history):
        frame = section.table.reset_index() if section.table.index.name else section.table
        table = Table(title=section.title, caption=section.note, title_justify="left", show_lines=False)
        for column in frame.columns:
            table.add_column(str(column), overflow="fold")
        for row in frame.itertuples(index=False):
            table.add_row(*(escape(_cell(v)) for v in row))
        console.print(table)


def _cell(value: object) -> str:
    """A table value as plain text: tuples joined, missing values blank."""
    if isinstance(value, tuple):
        value = ", ".join(map(str, value))
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def markdown_report(history: History) -> str:
    parts = [
        f"# Past programmes\n\n{len(history.sessions)} sessions from "
        f"{', '.join(e.edition for e in history.editions)}.\n"
    ]
    for section in sections(history):
        frame = section.table.reset_index() if section.table.index.name else section.table
        rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
        table = markdown_table([str(c) for c in frame.columns], rows)
        parts.append(f"## {section.title}\n\n{section.note}\n\n{table}\n")
    return "\n".join(parts)


def theme_chart_svg(history: History) -> str:
    """Theme share per edition as an SVG line chart; deterministic (fixed ids, no date stamp)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = analysis.theme_counts(history.sessions)
    trend = analysis.theme_trend(history.sessions)
    shown = trend[trend["sessions"] >= CHART_MIN_SESSIONS].index
    shares = trend.loc[shown, counts.columns]
    with plt.rc_context({"svg.hashsalt": "planner-history", "svg.fonttype": "path", "font.size": 9}):
        figure, axis = plt.subplots(figsize=(9, 4.8))
        for theme, row in shares.iterrows():
            axis.plot(list(row.index), [100 * v for v in row], marker="o", label=theme)
        axis.set_ylabel("share of the edition's sessions (%)")
        axis.set_title("Theme trends across editions")
        axis.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
        axis.grid(alpha=0.3)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def html_report(history: History) -> str:
    """One self-contained page: no scripts, no external requests; every text escaped."""
    from markupsafe import Markup

    from planner.formats.pages import page_environment

    environment = page_environment()
    tables = []
    for section in sections(history):
        frame = section.table.reset_index() if section.table.index.name else section.table
        frame = frame.map(lambda value: " ".join(_cell(value).split()))  # pandas would show a line break as '\n'
        tables.append((section, Markup(frame.to_html(index=False, escape=True, border=0, classes="data"))))
    return environment.get_template("history.html.j2").render(
        editions=history.editions, sessions=len(history.sessions), chart=Markup(theme_chart_svg(history)), tables=tables
    )
