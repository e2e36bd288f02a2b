"""agenda.html: the programme as one self-contained page (a grid per day, filters, print and phone layouts).

The page makes no network requests: styles and the small filter script are inline, and the data the script needs
is JSON in a `<script type="application/json">` block, escaped so no text can close it. Every piece of user text
goes through Jinja's autoescape; the script sets only `hidden`, classes and `textContent`. Equal schedules give
equal bytes: nothing depends on the clock, the locale or dictionary order.
"""

from __future__ import annotations

from planner.domain import Assignment, Schedule
from planner.export.agenda import day_grids, ink_on
from planner.formats.pages import page_environment, script_json
from planner.programme import Names, date_range, in_order, left_out, where_it_was


def _filter_data(schedule: Schedule, names: Names, ordered: list[Assignment]) -> dict[str, object]:
    sessions = []
    for assignment in ordered:
        session = assignment.session
        words = [session.title, names.kind(session.kind), names.room(assignment.room)]
        words += [names.person(p) for p in session.people] + [names.theme(t) for t in session.themes]
        sessions.append(
            {
                "kind": session.kind,
                "room": assignment.room,
                "themes": list(session.themes),
                "people": list(session.people),
                "text": " ".join(words).casefold(),
            }
        )
    return {"sessions": sessions}


def _options(schedule: Schedule, names: Names, ordered: list[Assignment]) -> dict[str, list[tuple[str, str]]]:
    """Each filter's choices as (value, label): only what the programme uses, in the conference's order."""
    conference = schedule.conference

    def by_order(used: set[str], order: list[str], label) -> list[tuple[str, str]]:
        rank = {value: number for number, value in enumerate(order)}
        return [(v, label(v)) for v in sorted(used, key=lambda v: (rank.get(v, len(rank)), v))]

    people = {p for a in ordered for p in a.session.people}
    return {
        "theme": by_order(
            {t for a in ordered for t in a.session.themes}, [t.id for t in conference.themes], names.theme
        ),
        "person": sorted(((p, names.person(p)) for p in people), key=lambda o: (o[1].casefold(), o[1], o[0])),
        "room": by_order({a.room for a in ordered}, [r.id for r in conference.rooms], names.room),
        "kind": by_order({a.session.kind for a in ordered}, [k.id for k in conference.kinds], names.kind),
    }


def _unscheduled(schedule: Schedule, names: Names) -> list[dict[str, object]]:
    items = []
    for item in left_out(schedule):
        colour = names.colour(item.session.kind)
        items.append(
            {
                "title": item.session.title,
                "kind": names.kind(item.session.kind),
                "colour": colour,
                "ink": ink_on(colour),
                "reason": item.reason,
                "cancelled": item.was is not None,
                "was": where_it_was(schedule, names, item.was) if item.was else "",
                "people": [names.person(p) for p in item.session.people],
            }
        )
    return items


def agenda_html(schedule: Schedule) -> str:
    """The page's text. Depends only on the schedule: the same schedule always gives the same bytes."""
    from markupsafe import Markup

    names = Names(schedule)
    ordered = in_order(schedule, schedule.assignments)
    days, elsewhere = day_grids(schedule, names)
    kinds_used = {a.session.kind for a in ordered} | {u.session.kind for u in schedule.unscheduled}
    legend = [
        (k.label, names.colour(k.id), ink_on(names.colour(k.id)))
        for k in schedule.conference.kinds
        if k.id in kinds_used
    ]
    return (
        page_environment()
        .get_template("agenda.html.j2")
        .render(
            conference=schedule.conference,
            dates=date_range(schedule),
            days=list(days),
            elsewhere=list(elsewhere),
            unscheduled=_unscheduled(schedule, names),
            options=_options(schedule, names, ordered),
            legend=legend,
            total=len(ordered),
            data=Markup(script_json(_filter_data(schedule, names, ordered))),
        )
    )
