"""agenda.md: the programme as Markdown for e-mails and wikis (a heading and a time-ordered table per day).

User text is escaped so it shows as written: no title can start a heading, open a code span, emphasise, link,
inject HTML or break a table cell. Equal schedules give equal bytes.
"""

from __future__ import annotations

from datetime import datetime

from planner.clock import long_date, time_span
from planner.domain import Assignment, BlockType, Schedule
from planner.formats.markdown import inline, markdown_table
from planner.history.yardstick import Yardstick, yardstick_markdown
from planner.programme import DayPlan, Names, date_range, left_out, plan_days, where_it_was

HEADERS = ("Time", "Room", "Kind", "Session", "Chair", "Speakers", "Id")
"""The id is what `planner ics --sessions` takes, so an attendee can make a calendar of the sessions they pick."""


def _cells(*values: str) -> list[str]:
    return [inline(value, pipes=False) for value in values]


def _session_row(
    schedule: Schedule, names: Names, assignment: Assignment, plenary: bool, dated: bool = False
) -> list[str]:
    session, zone = assignment.session, schedule.conference.zone
    time = time_span(assignment.start, assignment.end, zone)
    if dated:
        time = f"{long_date(assignment.start.astimezone(zone).date())} {time}"
    room = names.room(assignment.room) + (" (plenary)" if plenary else "")
    return [
        *_cells(
            time,
            room,
            names.kind(session.kind),
            session.title,
            names.chair(session),
            ", ".join(names.speakers(session)),
        ),
        inline(session.id, pipes=False),
    ]


def day_table(schedule: Schedule, plan: DayPlan, names: Names) -> str:
    """The day's sessions and breaks in time order; a session in a plenary block is marked '(plenary)'."""
    zone = schedule.conference.zone
    rows: list[tuple[datetime, int, list[str]]] = []
    for block in plan.day.blocks:
        if block.type is BlockType.BREAK:
            label = f"*{inline(block.name, pipes=False)}*" if block.name else "*Break*"
            rows.append(
                (block.start, 0, [*_cells(time_span(block.start, block.end, zone), "", "Break"), label, "", "", ""])
            )
    for number, (assignment, blocks) in enumerate(plan.placed):
        rows.append((assignment.start, 1 + number, _session_row(schedule, names, assignment, plan.plenary(blocks))))
    for number, assignment in enumerate(plan.loose, start=len(plan.placed)):
        rows.append((assignment.start, 1 + number, _session_row(schedule, names, assignment, False)))
    rows.sort(key=lambda row: (row[0], row[1]))
    return markdown_table(HEADERS, [row for _, _, row in rows], markdown=True)


def abstracts(assignments: list[Assignment]) -> str:
    """The abstracts of the sessions that have one, in the table's order: a title and id, then the text."""
    return "\n".join(
        f"- **{inline(a.session.title)}** ({inline(a.session.id)}): {inline(a.session.abstract)}"
        for a in assignments
        if a.session.abstract
    )


def _unscheduled(schedule: Schedule, names: Names) -> list[str]:
    lines = []
    for item in left_out(schedule):
        line = f"**{inline(item.session.title)}** ({inline(item.session.id)}, {inline(names.kind(item.session.kind))})"
        if item.was is not None:
            line = f"**Cancelled:** {line}, was {inline(where_it_was(schedule, names, item.was))}"
        if item.reason:
            line += f": {inline(item.reason)}"
        lines.append(f"- {line}")
    return lines


def agenda_markdown(schedule: Schedule, yardstick: Yardstick | None = None) -> str:
    """The document's text: a title, each day's table, sessions on no conference day, what was left out, and, given
    a yardstick, the programme set beside past editions."""
    conference = schedule.conference
    names = Names(schedule)
    plans, elsewhere = plan_days(schedule)
    parts = [
        f"# {inline(conference.name)}\n\n{inline(date_range(schedule))}"
        + (f" · {inline(conference.venue)}" if conference.venue else "")
        + ". "
        f"Times are {inline(conference.timezone)}.\n"
    ]
    for plan in plans:
        parts.append(f"## {inline(plan.day.name)}: {long_date(plan.day.date)}\n\n{day_table(schedule, plan, names)}\n")
        if written := abstracts(sorted((a for a, _ in plan.placed), key=lambda a: a.start) + list(plan.loose)):
            parts.append(f"### Abstracts: {inline(plan.day.name)}\n\n{written}\n")
    if elsewhere:
        rows = [_session_row(schedule, names, a, False, dated=True) for a in elsewhere]
        parts.append(f"## On other days\n\n{markdown_table(HEADERS, rows, markdown=True)}\n")
        if written := abstracts(list(elsewhere)):
            parts.append(f"### Abstracts: on other days\n\n{written}\n")
    if schedule.unscheduled:
        parts.append("## Not in the programme\n\n" + "\n".join(_unscheduled(schedule, names)) + "\n")
    if yardstick is not None:
        parts.append(yardstick_markdown(yardstick))
    return "\n".join(parts)
