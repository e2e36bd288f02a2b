"""A loaded conference folder at a glance: the grid, demand against places per kind, busy people, theme hints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.clock import day_time_span
from planner.domain import ConferenceInput
from planner.themes import suggest_themes

if TYPE_CHECKING:
    from planner.solve.run import Answer, Progress


def print_summary(loaded: ConferenceInput, console: Console) -> None:
    conference, sessions, people = loaded.conference, loaded.sessions, loaded.people
    dates = ", ".join(f"{day.name} {day.date:%a %d %b %Y}" for day in conference.days)
    console.print(
        f"[bold]{escape(conference.name)}[/] ({escape(conference.edition)}), "
        + (f"{escape(conference.venue)}, " if conference.venue else "")
        + f"{conference.timezone}: {dates}"
    )
    console.print(f"[green]Valid[/]: {len(sessions)} sessions, {len(people)} people, {len(conference.rooms)} rooms.")

    grid = Table(title="Grid", title_justify="left")
    for column in ("day", "block", "time", "type", "rooms", "kinds"):
        grid.add_column(column)
    for day in conference.days:
        for block in day.blocks:
            grid.add_row(
                day.id,
                block.id,
                f"{block.start:%H:%M}-{block.end:%H:%M}",
                block.type.value,
                ", ".join(block.rooms),
                escape(block.name or ", ".join(block.kinds)),
            )
    console.print(grid)

    demand = Counter(session.kind for session in sessions)
    kinds = Table(title="Sessions per kind against the places the grid offers", title_justify="left")
    for column in ("kind", "sessions", "places", "note"):
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


def print_answer(answer: Answer, console: Console) -> None:
    """Status, bound and gap, time, the objective by term, and every session left out with its reason."""
    schedule = answer.schedule
    console.print(
        f"[bold]{answer.status.capitalize()}[/]: objective {answer.objective}, bound {answer.bound}, "
        f"gap {answer.gap:.1%}, {answer.seconds:.2f} s; {len(schedule.assignments)} sessions placed, "
        f"{len(schedule.unscheduled)} left out."
    )
    weights = schedule.conference.weights
    terms = Table(title="Objective by term", title_justify="left")
    for column in ("term", "count", "weight", "cost"):
        terms.add_column(column, justify="right" if column != "term" else "left")
    for name, count in answer.terms.items():
        weight = getattr(weights, name)
        terms.add_row(name, str(count), str(weight), str(count * weight))
    console.print(terms)
    kept = {a.session.id: a for a in schedule.assignments if a.session.id in answer.kept_by_hand}
    if kept:
        rooms, zone = {r.id: r.name for r in schedule.conference.rooms}, schedule.conference.zone
        where = [
            f"{escape(a.session.id)} ({escape(rooms.get(a.room, a.room))}, {day_time_span(a.start, a.end, zone)})"
            for a in sorted(kept.values(), key=lambda a: (a.start, a.session.id))
        ]
        console.print(f"Kept where a person placed them by hand: {', '.join(where)}", soft_wrap=True)
    for left in schedule.unscheduled:
        console.print(f"Left out [bold]{escape(left.session.id)}[/]: {escape(left.reason)}")


@contextmanager
def progress_printer(console: Console, every: float = 1.0) -> Iterator[Callable[[Progress], None]]:
    """A callback showing the best objective and bound as the search goes: a live line on a terminal, otherwise a
    line at most every `every` seconds."""
    last = [-every]

    def line(point: Progress) -> str:
        return f"searching: best {point.objective:g}, bound {point.bound:g}, {point.seconds:.1f} s"

    if console.is_terminal:
        with console.status("searching...") as status:
            yield lambda point: status.update(line(point))
        return

    def printed(point: Progress) -> None:
        if point.seconds - last[0] >= every:
            last[0] = point.seconds
            console.print(line(point))

    yield printed
