"""agenda.html: the programme as one self-contained page (a grid per day, a view by room and a list, filters, an
attendee's own calendar, subscribe links, print and phone layouts).

The page makes no network requests: styles and the small script are inline, and the data the script needs is JSON
in a `<script type="application/json">` block, escaped so no text can close it. Every piece of user text goes through
Jinja's autoescape; the script parses no HTML: it sets `hidden`, classes, ARIA states, ticks, `textContent` and the
fixed bar's height, moves the page's own session cards between the grid and the by-room lists, and builds the
attendee's .ics from the JSON (RFC 5545 TEXT escaping, folding at 75 octets) as a Blob to download. The only links
out of the page are the subscribe links a base URL adds. Equal schedules (and base URLs) give equal bytes: nothing
depends on the clock, the locale or dictionary order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from urllib.parse import quote, urlsplit

from planner.domain import Assignment, Schedule, Session
from planner.export.agenda import day_grids, ink_on
from planner.formats.pages import page_environment, script_json
from planner.history.yardstick import Yardstick
from planner.programme import Names, date_range, in_order, left_out, session_uid, where_it_was

ICS_UTC = "%Y%m%dT%H%M%SZ"
"""An iCalendar DATE-TIME in UTC (RFC 5545 section 3.3.5, form 2)."""
NOT_IN_URLS = frozenset('"<>\\^`{|}')
"""Characters RFC 3986 does not allow in a URL (besides spaces and control characters)."""
FEED_GROUPS = (("people", "People"), ("rooms", "Rooms"), ("themes", "Themes"))
"""The groups of `feed_paths` after the programme, with their headings on the page."""


@dataclass(frozen=True)
class FeedLink:
    """One calendar to subscribe to: its name, its webcal:// address (calendar apps subscribe) and its http(s)://
    address (to paste into a web calendar's 'from URL')."""

    name: str
    webcal: str
    web: str


def check_base_url(base_url: str) -> str:
    """The base URL the output folder is published at, ending in '/'; ValueError with a plain message unless it is
    an http:// or https:// address with a host (and a numeric port, if any) and no user name, password, query or
    fragment."""
    example = "such as https://example.org/soc25/"
    if any(c.isspace() or not c.isprintable() or c in NOT_IN_URLS for c in base_url):
        raise ValueError(f"the base URL {base_url!r} holds a space or a character no URL may; give one {example}")
    try:
        parts = urlsplit(base_url)
        port = parts.port  # ValueError when not a number from 0 to 65535
        web = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and port != 0
    except ValueError:  # a malformed host or port
        web = False
    if not web:
        raise ValueError(f"the base URL must be an http:// or https:// address {example}, not {base_url!r}")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"the base URL {base_url!r} must not hold a user name or password (the page is public)")
    if parts.query or parts.fragment or base_url.endswith(("?", "#")):
        raise ValueError(f"the base URL {base_url!r} must be a folder's address, without '?' or '#'")
    return base_url if base_url.endswith("/") else f"{base_url}/"


def _feed_link(name: str, base: str, path: str) -> FeedLink:
    web = base + quote(path, safe="/")
    return FeedLink(name, "webcal://" + web.split("://", 1)[1], web)


def _feeds(schedule: Schedule, names: Names, base: str) -> dict[str, object]:
    """The programme's feed and, per group, each person's (by name), room's and theme's (in the conference's order)
    feed, at the paths `feed_paths` gives under `base`."""
    from planner.export.ical import feed_paths

    paths = feed_paths(schedule)
    conference = schedule.conference
    order = {
        "rooms": {room.id: n for n, room in enumerate(conference.rooms)},
        "themes": {theme.id: n for n, theme in enumerate(conference.themes)},
    }
    label = {"people": names.person, "rooms": names.room, "themes": names.theme}
    groups = []
    for group, heading in FEED_GROUPS:
        rank = order.get(group, {})
        named = [(key, label[group](key)) for key in paths.get(group, {})]
        named.sort(key=lambda item: (rank.get(item[0], len(rank)), item[1].casefold(), item[1], item[0]))
        links = [_feed_link(name, base, paths[group][key]) for key, name in named]
        if links:
            groups.append((heading, links))
    return {"programme": _feed_link(conference.name, base, paths["programme"][""]), "groups": groups}


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(ICS_UTC)


def _description(session: Session, names: Names) -> str:
    """As programme.ics describes a placed session: kind, chair, speakers, then the abstract."""
    lines = [names.kind(session.kind)]
    if session.chair:
        lines.append(f"Chair: {names.chair(session)}")
    if session.speakers:
        lines.append(f"Speakers: {', '.join(names.speakers(session))}")
    if session.abstract:
        lines += ["", session.abstract]
    return "\n".join(lines)


def _event(schedule: Schedule, names: Names, assignment: Assignment) -> dict[str, object]:
    """A session's VEVENT values for the page's script, as programme.ics has them (the same UID, SEQUENCE and text)
    but with times in UTC. Text is as `calendar_text` makes it; the script escapes and folds it."""
    from planner.export.ical import calendar_text

    session, venue = assignment.session, schedule.conference.venue
    room = names.room(assignment.room)
    categories = [names.kind(session.kind), *(names.theme(t) for t in session.themes)]
    return {
        "uid": session_uid(schedule, session.id),
        "start": _utc(assignment.start),
        "end": _utc(assignment.end),
        "sequence": assignment.sequence,
        "summary": calendar_text(session.title),
        "location": calendar_text(f"{room}, {venue}" if venue else room),
        "description": calendar_text(_description(session, names)),
        "categories": [calendar_text(c) for c in categories],
    }


def _calendar(schedule: Schedule) -> dict[str, str]:
    """What the attendee's .ics says about itself. DTSTAMP is midnight UTC of the conference's first day: fixed by
    the schedule so that the page (and each download from it) is the same for the same schedule, where the clock
    would make every page differ; SEQUENCE, as in the feeds, is what tells a calendar that a session moved."""
    from planner.export.ical import PRODID, calendar_text

    conference = schedule.conference
    first = min(day.date for day in conference.days)
    return {
        "name": calendar_text(f"{conference.name}: my sessions"),
        "prodid": PRODID,
        "stamp": _utc(datetime.combine(first, time(0), tzinfo=UTC)),
        "file": f"{conference.key.lower()}-my-sessions.ics",
    }


def _script_data(schedule: Schedule, names: Names, ordered: list[Assignment]) -> dict[str, object]:
    sessions = []
    for assignment in ordered:
        session = assignment.session
        words = [session.title, names.kind(session.kind), names.room(assignment.room)]
        words += [names.person(p) for p in session.people] + [names.theme(t) for t in session.themes]
        sessions.append(
            {
                "id": session.id,
                "kind": session.kind,
                "room": assignment.room,
                "themes": list(session.themes),
                "people": list(session.people),
                "text": " ".join(words).casefold(),
                "event": _event(schedule, names, assignment),
            }
        )
    return {"sessions": sessions, "calendar": _calendar(schedule)}


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


def agenda_html(schedule: Schedule, *, base_url: str | None = None, yardstick: Yardstick | None = None) -> str:
    """The page's text. Depends only on the schedule and `base_url`: the same inputs always give the same bytes.

    With `base_url` (where the output folder is published, http:// or https://; ValueError otherwise, see
    `check_base_url`), the page links every calendar feed to subscribe to; without one it links none, since a page
    opened as a file has no address to give them."""
    from markupsafe import Markup

    base = check_base_url(base_url) if base_url is not None else None
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
            feeds=_feeds(schedule, names, base) if base is not None else None,
            yardstick=yardstick,
            data=Markup(script_json(_script_data(schedule, names, ordered))),
        )
    )
