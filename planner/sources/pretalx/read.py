"""One pretalx event as a source (`Imported`), read over API v1: accepted and confirmed submissions become
proposals (submission type -> kind, duration, track -> theme, abstract), their speakers people (with the
availabilities the call for papers asked for), rooms with capacity and availabilities, and the event's name, dates
and time zone.

What pretalx leaves out is no constraint: a speaker with no availabilities (or an event whose call for papers does
not ask for them) is free all day, a room with none is always open. A submission pretalx holds but that cannot be a
session (no duration) is a located problem; an answer that is not what API v1 gives is a network failure (exit 4).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from planner.domain import zone_named
from planner.errors import Collector, Where
from planner.sources.http import NetworkFailure
from planner.sources.pretalx.client import Event
from planner.sources.proposals import Imported, SourceKind, SourcePerson, SourceProposal, SourceRoom, SourceTheme, Span

RUNNING = ("accepted", "confirmed")
"""Submission states that hold a place in the programme."""
GONE = ("withdrawn", "rejected", "canceled")
"""States of a submission that no longer runs (pretalx spells 'canceled' so)."""


def text(value: Any, locale: str = "en") -> str:
    """A pretalx text: a plain string, or a multi-language object ({"en": ..., "de": ...}) read in `locale`, else
    English, else its first non-empty language."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in (locale, "en", *value):
            if isinstance(value.get(key), str) and value[key].strip():
                return str(value[key]).strip()
    return ""


def _unexpected(event: Event, what: str) -> NetworkFailure:
    return NetworkFailure(f"{event.api.label}: {what}; is this a pretalx server speaking API v1?")


def _items(event: Event, rest: str, query: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    items = event.every(rest, query)
    if not all(isinstance(item, dict) for item in items):
        raise _unexpected(event, f"{event.path(rest)} listed something other than objects")
    return items


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def spans(value: Any) -> tuple[Span, ...] | None:
    """Availabilities ([{"start", "end"}]) as spans; None when there are none (no constraint) or they are absent."""
    if not isinstance(value, list):
        return None
    found = []
    for item in value:
        if not isinstance(item, dict):
            continue
        start, end = _moment(item.get("start")), _moment(item.get("end"))
        if start is not None and end is not None and start < end:
            found.append((start, end))
    return tuple(sorted(found)) or None


def _event_facts(event: Event, problems: Collector) -> tuple[str, str, str, date, date] | None:
    about = event.get()
    if not isinstance(about, dict):
        raise _unexpected(event, f"{event.path()} did not answer with an event")
    locale = str(about.get("locale") or "en")
    name = text(about.get("name"), locale) or event.slug
    zone = str(about.get("timezone") or "")
    label = event.api.label
    if zone_named(zone) is None:
        problems.add(label, Where.of(event=event.slug), "timezone", f"'{zone}' is not an IANA time zone name")
    try:
        first, last = date.fromisoformat(str(about.get("date_from"))), date.fromisoformat(str(about.get("date_to")))
    except ValueError:
        problems.add(label, Where.of(event=event.slug), "date_from", "the event has no dates; set them in pretalx")
        return None
    if last < first:
        problems.add(label, Where.of(event=event.slug), "date_to", "the event ends before it starts")
        return None
    return locale, name, zone, first, last


def read_event(event: Event) -> Imported:
    """Everything the folder needs from the event; raises InputProblems (refused, not found, a submission that
    cannot be a session) or NetworkFailure."""
    problems = Collector()
    event.check()
    facts = _event_facts(event, problems)
    rooms_listed = _items(event, "rooms/")
    types = _items(event, "submission-types/")
    tracks = _items(event, "tracks/")
    running = _items(event, "submissions/", {"state": list(RUNNING), "expand": "speakers"})
    gone = _items(event, "submissions/", {"state": list(GONE), "fields": "code"})
    problems.raise_if_any()
    assert facts is not None
    locale, name, zone, first, last = facts
    label = event.api.label

    rooms = tuple(
        SourceRoom(
            key=str(room.get("id")),
            name=text(room.get("name"), locale) or f"Room {room.get('id')}",
            capacity=room["capacity"] if isinstance(room.get("capacity"), int) and room["capacity"] > 0 else None,
            open=spans(room.get("availabilities")),
        )
        for room in sorted(
            rooms_listed, key=lambda r: (r.get("position") is None, r.get("position") or 0, str(r.get("id")))
        )
    )
    kinds = {str(t.get("id")): SourceKind(str(t.get("id")), text(t.get("name"), locale) or "Session") for t in types}
    themes = {
        str(t.get("id")): SourceTheme(str(t.get("id")), text(t.get("name"), locale) or "Track", t.get("color"))
        for t in tracks
    }
    people: dict[str, SourcePerson] = {}
    proposals = []
    for submission in sorted(running, key=lambda s: str(s.get("code"))):
        code = str(submission.get("code") or "")
        where = Where.of(submission=code or "?")
        duration = submission.get("duration")
        kind = str(submission.get("submission_type"))
        if not code:
            problems.add(label, where, "code", "a submission without a code")
            continue
        if not isinstance(duration, int) or duration <= 0:
            problems.add(label, where, "duration", "has no duration; give it one (or its type a default) in pretalx")
            continue
        if kind not in kinds:
            kinds[kind] = SourceKind(kind, "Session")
        speakers = []
        for speaker in submission.get("speakers") or []:
            if not isinstance(speaker, dict) or not speaker.get("code"):
                continue
            key = str(speaker["code"])
            people.setdefault(
                key,
                SourcePerson(key, text(speaker.get("name")) or key, available=spans(speaker.get("availabilities"))),
            )
            speakers.append(key)
        track = submission.get("track")
        proposals.append(
            SourceProposal(
                key=code,
                title=text(submission.get("title")) or code,
                kind=kind,
                minutes=duration,
                themes=(str(track),) if track is not None and str(track) in themes else (),
                speakers=tuple(speakers),
                abstract=text(submission.get("abstract")),
            )
        )
    problems.raise_if_any()
    used_kinds = {p.kind for p in proposals}
    return Imported(
        source="pretalx",
        origin=event.origin,
        name=name,
        slug=event.slug,
        timezone=zone,
        first=first,
        last=last,
        rooms=rooms,
        kinds=tuple(k for key, k in kinds.items() if key in used_kinds),
        themes=tuple(themes.values()),
        people=tuple(people.values()),
        proposals=tuple(proposals),
        withdrawn=frozenset(str(s.get("code")) for s in gone if s.get("code")),
    )
