"""The schema of history/*.yaml: past programmes as recorded facts, with their sources and their doubts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from planner.domain import Id, Model, Name, Text

Role = Literal["chair", "keynote", "speaker", "panellist", "moderator", "editor", "contributor", "host"]


class Appearance(Model):
    """A person named in a session, with their name exactly as the recap writes it (titles included)."""

    name: Name
    organisation: Name | None = None
    role: Role


class PastSession(Model):
    id: Id
    kind: Id
    label: Text | None = None
    """The recap's own label when it differs from the kind ("Deep Dive 1.4", "book launch")."""
    title: Name
    time: str | None = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    attendance: Text | None = None
    themes: tuple[Id, ...] = ()
    people: tuple[Appearance, ...] = ()
    summary: Text | None = None
    uncertain: Text | None = None
    """What the recap leaves unclear or contradicts; None when it is plain."""


class Slot(Model):
    """Sessions that ran at the same point of the day (one session: it ran alone)."""

    order: int = Field(ge=1)
    concurrency: Literal["stated", "inferred", "unclear"]
    note: Text | None = None
    sessions: tuple[PastSession, ...] = Field(min_length=1)


class PastDay(Model):
    day: int = Field(ge=1)
    date: dt.date | None = None
    date_note: Text | None = None
    source: Name
    """The seed file this day is transcribed from."""
    attendance: Text | None = None
    slots: tuple[Slot, ...] = Field(min_length=1)


class Edition(Model):
    edition: Id
    year: int = Field(ge=1900, le=2200)
    name: Name
    format: Name | None = None
    venue: Name | None = None
    days: tuple[PastDay, ...] = Field(min_length=1)


class Variant(Model):
    """One person spelled differently across recaps: a canonical name and its other spellings."""

    name: Name
    aliases: tuple[Name, ...] = Field(min_length=1)
    note: Text | None = None


class Variants(Model):
    people: tuple[Variant, ...] = ()
