"""Sessionize's "All" endpoint, saved to a file, as a source: sessions, speakers, rooms, and categories as kinds and
themes.

The document is an object of `sessions`, `speakers`, `categories`, `rooms` (and `questions`, unused). How it maps:

- A session is a proposal unless it is a service session (a break, lunch: `isServiceSession`) or its `status` says
  it no longer runs (anything but 'Accepted', when a status is given); its id stays its id.
- Its length is `endsAt` - `startsAt` when it is scheduled, else the minutes its format's name gives ('Talk
  (45 min)', '30 minutes'); a session with neither is a located problem.
- Its kind is the item it has of a category whose title names a format or type ('Session format'); 'Session'
  when it has none. Its themes are its items of the categories whose title names a track, topic or theme, or, when
  the event has no such category, of every category other than the format (a level, a language).
- Speakers are people ('fullName', else first and last name; 'tagLine' as the organisation). Sessionize holds no
  availability, so nobody has a constraint; rooms have no capacity (a placeholder, to edit).
- Sessionize names no time zone and no event dates: times are read in `timezone` (UTC unless given), and the days
  are `first` and `days` when given, else the dates the scheduled sessions fall on; neither known is a problem.

Every problem names its place: 'session 4 (id 81234), field speakers'.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from planner.domain import zone_named
from planner.errors import Collector, Problem, Where
from planner.filenames import slug
from planner.formats.schedule_json import parse_json
from planner.io.yamlfile import too_large
from planner.sources.proposals import Imported, SourceKind, SourcePerson, SourceProposal, SourceRoom, SourceTheme

EXPECTED = "expected the JSON of Sessionize's 'All' endpoint: an object with sessions, speakers, categories and rooms"
_MINUTES = re.compile(r"(\d{1,3})\s*(?:min|minutes?|mins?)\b", re.IGNORECASE)
_HOURS = re.compile(r"(\d(?:[.,]\d)?)\s*(?:h|hours?|hrs?)\b", re.IGNORECASE)
FORMAT_WORDS = ("format", "type")
THEME_WORDS = ("track", "topic", "theme")
DEFAULT_KIND = "Session"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value) if isinstance(value, int | float) else ""


def _list(document: dict[str, Any], key: str, label: str, problems: Collector) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        problems.add(label, Where.of(key=key), "", "expected a list")
        return []
    return value


def minutes_named(text: str) -> int | None:
    """Minutes a format's name gives ('Conference session (45 min)', '2 hours'), or None."""
    if found := _MINUTES.search(text):
        return int(found[1]) or None
    if found := _HOURS.search(text):
        return round(float(found[1].replace(",", ".")) * 60) or None
    return None


def _local(value: Any) -> datetime | None:
    """A Sessionize time ('2024-05-01T09:00:00', local, no offset), or None."""
    try:
        moment = datetime.fromisoformat(_text(value))
    except ValueError:
        return None
    return moment.replace(tzinfo=None)


class _Categories:
    """Category items by id: the kind (format) items and the theme items, with each item's category title."""

    def __init__(self, categories: list[Any], label: str, problems: Collector) -> None:
        self.kinds: dict[str, SourceKind] = {}
        self.themes: dict[str, SourceTheme] = {}
        self.known: set[str] = set()
        listed = [c for c in categories if isinstance(c, dict)]
        session_categories = [c for c in listed if _text(c.get("type")).casefold() in ("", "session")]
        titled = [(c, _text(c.get("title") or c.get("name")).casefold()) for c in session_categories]
        has_themes = any(any(w in title for w in THEME_WORDS) for _, title in titled)
        for number, (category, title) in enumerate(titled, start=1):
            items = category.get("items", category.get("categoryItems", []))
            if not isinstance(items, list):
                problems.add(label, Where.of(category=number), "items", "expected a list of items")
                continue
            is_format = any(w in title for w in FORMAT_WORDS)
            is_theme = any(w in title for w in THEME_WORDS) if has_themes else not is_format
            for item in items:
                if not isinstance(item, dict) or not _text(item.get("id")):
                    continue
                key, name = _text(item["id"]), _text(item.get("name")) or _text(item["id"])
                self.known.add(key)
                if is_format:
                    self.kinds[key] = SourceKind(key, name)
                elif is_theme:
                    self.themes[key] = SourceTheme(key, name)
        for category in listed:
            if category not in session_categories:
                for item in category.get("items", []) if isinstance(category.get("items"), list) else []:
                    if isinstance(item, dict):
                        self.known.add(_text(item.get("id")))


def _people(speakers: list[Any], label: str, problems: Collector) -> dict[str, SourcePerson]:
    people: dict[str, SourcePerson] = {}
    for number, speaker in enumerate(speakers, start=1):
        where = Where.of(speaker=number)
        if not isinstance(speaker, dict) or not _text(speaker.get("id")):
            problems.add(label, where, "id", "expected a speaker with an id")
            continue
        key = _text(speaker["id"])
        name = _text(speaker.get("fullName")) or " ".join(
            part for part in (_text(speaker.get("firstName")), _text(speaker.get("lastName"))) if part
        )
        if not name:
            problems.add(label, Where.of(speaker=number, id=key), "fullName", "the speaker has no name")
            continue
        people[key] = SourcePerson(key, name, organisation=_text(speaker.get("tagLine")) or None)
    return people


def _minutes(session: dict[str, Any], kind: SourceKind | None) -> tuple[int | None, datetime | None]:
    starts, ends = _local(session.get("startsAt")), _local(session.get("endsAt"))
    if starts is not None and ends is not None and ends > starts:
        return int((ends - starts) / timedelta(minutes=1)), starts
    return (minutes_named(kind.name) if kind else None), starts


def read_sessionize(
    path: Path,
    label: str,
    timezone: str = "UTC",
    first: date | None = None,
    days: int | None = None,
) -> Imported:
    """The file as a source; raises InputProblems with every problem, each placed by session, speaker or category."""
    from planner.errors import InputProblems

    problems = Collector()
    if zone_named(timezone) is None:
        problems.add(label, field="--timezone", message=f"'{timezone}' is not an IANA time zone name")
    if not path.is_file():
        problems.add(label, message=f"not found; {EXPECTED}")
        raise InputProblems(problems.problems)
    if too_large(path, label, problems):
        raise InputProblems(problems.problems)
    document = parse_json(path, label, problems)
    if document is not None and not (isinstance(document, dict) and isinstance(document.get("sessions"), list)):
        problems.add(label, message=f"is not a Sessionize export; {EXPECTED}")
    problems.raise_if_any()
    assert isinstance(document, dict)
    categories = _Categories(_list(document, "categories", label, problems), label, problems)
    people = _people(_list(document, "speakers", label, problems), label, problems)
    rooms = {
        _text(room.get("id")): SourceRoom(_text(room.get("id")), _text(room.get("name")) or f"Room {room.get('id')}")
        for room in sorted(
            (r for r in _list(document, "rooms", label, problems) if isinstance(r, dict) and _text(r.get("id"))),
            key=lambda r: (r.get("sort") if isinstance(r.get("sort"), int) else 0, _text(r.get("id"))),
        )
    }
    proposals, withdrawn, dates = [], set(), []
    used_kinds: dict[str, SourceKind] = {}
    for number, session in enumerate(document["sessions"], start=1):
        if not isinstance(session, dict) or not _text(session.get("id")):
            problems.add(label, Where.of(session=number), "id", "expected a session with an id")
            continue
        key = _text(session["id"])
        where = Where.of(session=number, id=key)
        if session.get("isServiceSession"):
            continue
        status = _text(session.get("status"))
        if status and status.casefold() != "accepted":
            withdrawn.add(key)
            continue
        title = _text(session.get("title"))
        if not title:
            problems.add(label, where, "title", "the session has no title")
        items = session.get("categoryItems", [])
        items = [_text(i) for i in items] if isinstance(items, list) else []
        for item in items:
            if item not in categories.known:
                problems.add(label, where, "categoryItems", f"{item} is not an item of any category")
        kind = next((categories.kinds[i] for i in items if i in categories.kinds), None)
        minutes, starts = _minutes(session, kind)
        if starts is not None:
            dates.append(starts.date())
        if not minutes:
            problems.add(
                label,
                where,
                "endsAt",
                "the session is not scheduled (startsAt, endsAt) and its format names no length "
                "(such as 'Talk (45 min)'); give it one in Sessionize",
            )
        speakers = session.get("speakers", [])
        keys = [_text(s.get("id")) if isinstance(s, dict) else _text(s) for s in speakers or []]
        for speaker in keys:
            if speaker not in people:
                problems.add(label, where, "speakers", f"'{speaker}' is not among the file's speakers")
        kind = kind or SourceKind(DEFAULT_KIND.casefold(), DEFAULT_KIND)
        used_kinds.setdefault(kind.key, kind)
        if title and minutes:
            proposals.append(
                SourceProposal(
                    key=key,
                    title=title,
                    kind=kind.key,
                    minutes=minutes,
                    themes=tuple(i for i in items if i in categories.themes),
                    speakers=tuple(k for k in keys if k in people),
                    abstract=_text(session.get("description")),
                )
            )
    if first is not None:
        start, end = first, first + timedelta(days=max(1, days or 1) - 1)
    elif dates:
        start, end = min(dates), max(dates)
    else:
        start = end = date.min
        problems.add(
            label,
            message="no session is scheduled, so the event's dates are unknown; give --start-date (and --days)",
        )
    problems.raise_if_any()
    warnings = []
    if timezone == "UTC":
        warnings.append(Problem(label, message="Sessionize names no time zone: times are read as UTC (--timezone)"))
    speakers_used = {s for p in proposals for s in p.speakers}
    return Imported(
        source="sessionize",
        origin=str(path),
        name=path.stem,
        slug=slug(path.stem)[:60] or "conference",
        timezone=timezone,
        first=start,
        last=end,
        rooms=tuple(rooms.values()),
        kinds=tuple(used_kinds.values()),
        themes=tuple(categories.themes.values()),
        people=tuple(p for k, p in people.items() if k in speakers_used),
        proposals=tuple(proposals),
        withdrawn=frozenset(withdrawn),
        warnings=warnings,
    )
