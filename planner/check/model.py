"""What the checker works on and what it reports: a neutral agenda of placed sessions, the context to judge it by,
and findings.

Every reader (our schedule.json, a hand-edited Sessions sheet, a frab or pretalx export) produces the same `Agenda`,
so each rule is written once. Times are aware and held in UTC, so comparisons and lengths are exact across zones and
daylight-saving changes; `Agenda.zone` is only for showing them and for telling which day a session is on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import cached_property

from planner.domain import CheckSettings, Conference, Person, Room, Session


@dataclass(frozen=True, slots=True)
class Item:
    """One session as the agenda places it."""

    session: str
    """The session id (a proposal's id when the reader could match one)."""
    title: str
    kind: str | None
    """A kind id of the conference, or the agenda's own word for it; None when not given."""
    start: datetime
    """Aware, in UTC."""
    end: datetime
    room: str
    """A room id when the conference is known, else the room as the agenda names it."""
    people: tuple[str, ...] = ()
    """Person ids (keys of `Context.people`), chair first, each once."""
    themes: tuple[str, ...] = ()
    where: str = ""
    """Where the agenda gives it, for messages: 'sheet Sessions, row 7', 'assignment 3', 'event 25'."""
    proposal: Session | None = None
    """The proposal it places, when known: expected audience, required features, pin, length."""

    @property
    def minutes(self) -> int:
        return int((self.end - self.start) / timedelta(minutes=1))


@dataclass(frozen=True)
class Agenda:
    """A programme to check, whoever made it."""

    source: str
    """The file (or 'schedule') it came from, for messages."""
    items: tuple[Item, ...]
    zone: tzinfo = UTC
    """The conference's local time: for display and for which day a session is on."""
    zone_said: str = ""
    """Which zone the times are shown in and why, when the file had to tell (a frab file's name or offsets)."""


@dataclass(frozen=True)
class Context:
    """What the agenda is judged against; anything unknown is None or empty and its rules stay quiet."""

    conference: Conference | None = None
    """The grid (days, blocks, open rooms, kinds), rooms' capacity and features, themes."""
    people: Mapping[str, Person] = field(default_factory=dict)
    """Everyone the items name, by id: unavailable windows and daily maxima for the known ones."""
    proposals: tuple[Session, ...] | None = None
    """Every proposed session, to find one missing or one not proposed; None when unknown."""
    left_out: Mapping[str, str] = field(default_factory=dict)
    """Session id -> why it was left out (a schedule's own record of its unscheduled sessions)."""
    settings: CheckSettings | None = None
    """How the organiser wants the agenda judged when they say so apart (`--rules FILE`); None: the conference's own
    `checks:`, else the defaults. Read it through `checks`."""

    @property
    def checks(self) -> CheckSettings:
        """The settings in force: `settings` when given (it wins over the conference's), else the conference's
        `checks:`, else the defaults (no buffer, each finding at its own severity, nothing accepted)."""
        if self.settings is not None:
            return self.settings
        return self.conference.checks if self.conference else CheckSettings()

    def person_name(self, person_id: str) -> str:
        person = self.people.get(person_id)
        return person.name if person else person_id

    @cached_property
    def _rooms(self) -> dict[str, Room]:
        return {room.id: room for room in self.conference.rooms} if self.conference else {}

    def room(self, room_id: str) -> Room | None:
        return self._rooms.get(room_id)

    def room_name(self, room_id: str) -> str:
        room = self.room(room_id)
        return room.name if room else room_id

    def theme_label(self, theme_id: str) -> str:
        themes = self.conference.themes if self.conference else ()
        return next((theme.label for theme in themes if theme.id == theme_id), theme_id)


class Severity(StrEnum):
    ERROR = "error"
    """Breaks a rule the programme must keep: `planner check` exits 1 (unless the organiser accepts it)."""
    WARNING = "warning"
    """Worth a look, allowed."""


@dataclass(frozen=True, slots=True)
class Placement:
    """A session as a finding names it: id and title, and where and when when it is placed."""

    session: str
    title: str
    start: datetime | None = None
    end: datetime | None = None
    room: str = ""
    """The room's name."""
    where: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    code: str
    """The finding type, e.g. 'person_overlap': the name of the rule that found it (stable: automation may match it)."""
    subject: str
    """Who or what: a person's or room's name, a plenary block, a theme, or a session id."""
    detail: str
    """What is wrong, in a few words ('in two sessions at once', 'seats 40, 110 expected')."""
    sessions: tuple[Placement, ...] = ()
    """The sessions involved, in time order."""
    accepted: str | None = None
    """The organiser's reason when they accept the finding (it is reported apart and never counted); else None."""


def placement(item: Item, context: Context) -> Placement:
    return Placement(item.session, item.title, item.start, item.end, context.room_name(item.room), item.where)


def in_time_order(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda item: (item.start, item.end, item.session, item.where))


def as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
