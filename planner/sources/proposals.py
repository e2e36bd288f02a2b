"""What every source gives, in its own keys: the event, rooms, kinds of session, themes, people and proposals.

A source's reader (pretalx, Sessionize) fills these from its own documents; `folder` makes a conference folder from
them. Keys are the source's own identifiers as text (a pretalx submission code, a Sessionize id): the folder keeps
the same planner id for the same key on every import. Times are aware.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from planner.errors import Problem

Span = tuple[datetime, datetime]
"""From, until: aware times."""


@dataclass(frozen=True)
class SourceRoom:
    key: str
    name: str
    capacity: int | None = None
    open: tuple[Span, ...] | None = None
    """When the room may be used; None when the source says nothing (always open)."""


@dataclass(frozen=True)
class SourceKind:
    key: str
    name: str
    colour: str | None = None


@dataclass(frozen=True)
class SourceTheme:
    key: str
    name: str
    colour: str | None = None


@dataclass(frozen=True)
class SourcePerson:
    key: str
    name: str
    organisation: str | None = None
    available: tuple[Span, ...] | None = None
    """When the person can attend; None (or empty) when the source says nothing (no constraint)."""


@dataclass(frozen=True)
class SourceProposal:
    key: str
    title: str
    kind: str
    """A SourceKind's key."""
    minutes: int
    themes: tuple[str, ...] = ()
    """SourceTheme keys."""
    speakers: tuple[str, ...] = ()
    """SourcePerson keys, in the source's order."""
    abstract: str = ""


@dataclass(frozen=True)
class Imported:
    """Everything one source gives for one event."""

    source: str
    """'pretalx' or 'sessionize': what the folder's record and summary call it."""
    origin: str
    """Where it came from, as a user would recognise it: 'https://pretalx.example.org, event testcon', a file."""
    name: str
    slug: str
    """The event's short name: the conference's edition and id on a first import."""
    timezone: str
    first: date
    last: date
    rooms: tuple[SourceRoom, ...] = ()
    kinds: tuple[SourceKind, ...] = ()
    themes: tuple[SourceTheme, ...] = ()
    people: tuple[SourcePerson, ...] = ()
    proposals: tuple[SourceProposal, ...] = ()
    """Those in the programme's running: accepted and confirmed."""
    withdrawn: frozenset[str] = frozenset()
    """Keys of proposals the source knows and no longer runs (withdrawn, rejected, cancelled)."""
    warnings: list[Problem] = field(default_factory=list)
    """What the user should know of a read that succeeded (something cut or left out)."""
