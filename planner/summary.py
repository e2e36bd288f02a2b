"""A loaded conference folder at a glance: the grid, demand against places per kind, busy people, theme hints."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.domain import ConferenceInput
from planner.themes import suggest_themes


def print_summary(loaded: ConferenceInput, console: Console) -> None:
    conference, sessions, people = loaded.conference, loaded.sessions, loaded.people
    dates = ", ".join(f"{day.name} {day.date:%a %d %b %Y}" for day in conference.days)
    console.print(
        f"[bold]{escape(conference.name)}[/] ({escape(conference.edition)}), {escape(conference.venue)}, "
        f"{conference.timezone}: {dates}"
    )
    console.print(f"[green]Valid[/]: {len(sessions)} sessions, {len(people)} people, {len(conference.rooms)} rooms.")

    grid = Table(title="Grid", title_justify="left")
    for column in ("day", "block", "time", "type", "rooms", "kinds"):
        grid.add_column(column)
    for day in conference.days:
        for block in day.blocks:
            grid.add_row(day.id, block.id, f"{block.start:%H:%M}-{block.end:%H:%M}", block.type.value,
                         ", ".join(block.rooms), escape(block.name or ", ".join(block.kinds)))  # fmt: skip
    console.print(grid)

    demand = Counter(session.kind for session in sessions)
    kinds = Table(title="Sessions per kind against the places the grid offers", title_justify="left")
    for column in ("kind", "sessions", "places", ""):
        kinds.add_column(column)
    for kind in conference.kinds:
        places = conference.places(kind.id)
        warn = "[red]more sessions than places[/]" if demand[kind.id] > places else ""
        kinds.add_row(escape(kind.label), str(demand[kind.id]), str(places), warn)
    console.print(kinds)

    load = Counter(person for session in sessions for person in session.people)
    names = {person.id: person for person in people}
    busy = sorted((p for p, n in load.items() if n > 1), key=lambda p: (-load[p], p))
    if busy:
        listing = ", ".join(f"{escape(names[p].name)} ({load[p]})" for p in busy)
        console.print(f"In two or more sessions: {listing}")
    limited = [p for p in people if p.unavailable]
    if limited:
        console.print(f"With unavailable times: {', '.join(escape(p.name) for p in limited)}")

    for session in sessions:
        if not session.themes:
            hints = suggest_themes(f"{session.title}\n{session.abstract}", conference.themes)
            console.print(
                f"Session [bold]{escape(session.id)}[/] names no themes; suggested: {', '.join(hints) or 'none found'}"
            )
