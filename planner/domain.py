"""The conference as validated data: the one place where its shape and invariants are defined.

Everything downstream (history template, solver, exporters, checker) takes these models, whoever made them. Times are
timezone-aware throughout: a block's start and end carry the conference's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    StringConstraints,
    field_validator,
    model_validator,
)

Id = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"),
]
"""An identifier: letters, digits, '_', '.', '-', starting with a letter or digit (safe in file names and URLs)."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


def zone_named(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name, or None. One place for the ways a name can fail: no such zone, not a valid
    key, and a name too long for a file name, for which ZoneInfo raises OSError (found by the loaders' fuzz test)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Room(Model):
    id: Id
    name: Name
    capacity: PositiveInt
    features: tuple[Id, ...] = ()


class SessionKind(Model):
    """A kind of session (keynote, deep_dive, ...). Kinds are data: a conference defines its own."""

    id: Id
    label: Name
    colour: Colour | None = None


class Theme(Model):
    id: Id
    label: Name
    keywords: tuple[Name, ...] = ()


class BlockType(StrEnum):
    PLENARY = "plenary"
    """One session in one room, nothing beside it."""
    PARALLEL = "parallel"
    """One session per open room at once."""
    BREAK = "break"
    """No sessions."""


class Block(Model):
    """A stretch of a day in which sessions start and end together (or, for multi-block sessions, run on)."""

    id: Id
    type: BlockType
    start: AwareDatetime
    end: AwareDatetime
    rooms: tuple[Id, ...] = ()
    kinds: tuple[Id, ...] = ()
    name: Name | None = None
    period: Id | None = None
    """A paper conference's period (a track session): the consecutive blocks that share it are its time slots, and
    in each room they hold the talks of one track (see Paper)."""

    @model_validator(mode="after")
    def _ends_after_start(self) -> Block:
        if self.end <= self.start:
            raise ValueError(f"block '{self.id}' must end after it starts ({self.start:%H:%M} to {self.end:%H:%M})")
        if self.type is not BlockType.BREAK and not self.rooms:
            raise ValueError(f"block '{self.id}' must have at least one open room")
        return self

    @property
    def minutes(self) -> int:
        """Elapsed minutes (in UTC: same-zone subtraction in Python would give wall-clock time)."""
        return int((self.end.astimezone(UTC) - self.start.astimezone(UTC)) / timedelta(minutes=1))


class Day(Model):
    id: Id
    date: date
    name: Name
    blocks: tuple[Block, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _blocks_in_order_without_overlap(self) -> Day:
        for earlier, later in zip(self.blocks, self.blocks[1:], strict=False):
            if later.start < earlier.end:
                raise ValueError(
                    f"blocks '{earlier.id}' ({earlier.start:%H:%M}-{earlier.end:%H:%M}) and '{later.id}' "
                    f"({later.start:%H:%M}-{later.end:%H:%M}) overlap or are out of time order"
                )
        return self


BACK_TO_BACK_GAP = timedelta(minutes=15)
"""Less than this between one session's end and the next one's start is no real break: a person in both goes from one
straight into the other (the solver's back_to_back term and the checker's finding both count by it)."""


class Weights(Model):
    """Soft-objective weights: the cost of one unit of each term. Integers, so the optimum is exact."""

    theme_clash: NonNegativeInt = 10
    """Per pair of sessions sharing a theme in the same block (a pair sharing two themes counts twice), times the
    theme's own weight where `theme_weights` gives one."""
    theme_spread: NonNegativeInt = 2
    """Per session of a theme on one day beyond its even share of the days."""
    back_to_back: NonNegativeInt = 3
    """Per person with two sessions in adjacent blocks."""
    room_overflow: NonNegativeInt = 1
    """Per seat a room lacks for a session's expected audience (when capacity is soft)."""
    day_shape: NonNegativeInt = 5
    """Per block an opening kind starts after the day's first, or a closing kind ends before its last."""
    moved: NonNegativeInt = 50
    """Re-planning: per session not where --previous had it."""
    move_hours: NonNegativeInt = 2
    """Re-planning: per hour (rounded up) a session's start moved, plus one unit for a room change."""
    unscheduled: NonNegativeInt = 1000
    """Per optional session left out."""
    attendee_conflict: NonNegativeInt = 5
    """Per attendee who picked two sessions that run at the same time (times the lesser of their weights for the
    two): planner/solve/audience.py."""
    history_position: NonNegativeInt = 3
    """Per session placed on another day or in another part of the day than past editions put its kind
    (`positions`), per difference: less than a clash, so a theme clash is never traded for a familiar place."""
    # A paper conference's terms (planner/solve/paper_terms.py), all off unless the conference weighs them (CoSPLib's
    # workbooks do, each under its own name there).
    track_period: NonNegativeInt = 0
    """Per (period, room) a track holds, its cost for that period (Track.periods)."""
    track_room: NonNegativeInt = 0
    """Per (period, room) a track holds, its cost for that room (Track.rooms)."""
    period_room: NonNegativeInt = 0
    """Per (period, room) any track holds, that room's cost in that period (Paper.period_rooms)."""
    similar_tracks: NonNegativeInt = 0
    """Per pair of similar tracks in one period, their similarity (Track.similar)."""
    track_rooms: NonNegativeInt = 0
    """Per room a track uses beyond its first (attendees hate hopping)."""
    track_parallel: NonNegativeInt = 0
    """Per room a track holds in a period beyond its first (a track in parallel with itself)."""
    track_split: NonNegativeInt = 0
    """Per track whose periods are not consecutive."""
    talk_time_zone: NonNegativeInt = 0
    """Per time slot a talk runs at an hour its presenter finds less suitable (Paper.hours), or its cost outside."""
    talk_order: NonNegativeInt = 0
    """Per talk not at its place within its track (Session.order), and per pair of ordered talks of a track at once."""
    talk_period: NonNegativeInt = 0
    """Per time slot a talk runs in a period with a cost for it (Session.place_costs), times that cost."""
    talk_room: NonNegativeInt = 0
    """Per time slot a talk runs in a room with a cost for it (Session.place_costs), times that cost."""
    presenter_conflict: NonNegativeInt = 0
    """Per pair of talks in one period, in different rooms, that share a presenter (or one's presenter chairs the
    other's track)."""
    attendee_period_conflict: NonNegativeInt = 0
    """Per pair of talks in one period, in different rooms, that one attendee wants both of (or attends one and
    presents or chairs the other)."""
    chair_conflict: NonNegativeInt = 0
    """Per pair of tracks with a chair in common held in one period."""
    presenter_slot_conflict: NonNegativeInt = 0
    """Per pair of talks in conflict (as presenter_conflict) in the same time slot."""
    attendee_slot_conflict: NonNegativeInt = 0
    """Per pair of talks in conflict (as attendee_period_conflict) in the same time slot."""


class KindPosition(Model):
    """Where a kind usually sits, as past editions placed it (`planner history template` derives it): a day number
    and a part of the day; either left out is free. The `history_position` term counts a session placed elsewhere."""

    day: PositiveInt | None = None
    """The day's number, 1 for the first day."""
    part: Literal["first", "middle", "last"] | None = None
    """The first session block of its day, the last, or one between."""


class DayShape(Model):
    """Which kinds open and close a day when the grid leaves freedom. None by default: `planner history template`
    derives them from past editions (the kinds that opened or closed most of the days they ran on) and writes them
    into conference.yaml, where the organiser's own setting wins."""

    opens: tuple[Id, ...] = ()
    closes: tuple[Id, ...] = ()


FindingSeverity = Literal["error", "warning", "ignore"]


class AcceptedFinding(Model):
    """A finding the organiser has looked at and accepts: `planner check` reports it as accepted and it no longer
    counts (an accepted error does not make the exit code 1)."""

    finding: Id
    """The finding's code, e.g. 'back_to_back'."""
    sessions: tuple[Id, ...] = ()
    """The sessions it names (all of them, in any order); empty: any finding of that code naming `subject`."""
    subject: Name | None = None
    """Who or what it names (a person's name, a room's name); None: any."""
    reason: Name
    """Why it is accepted, in the organiser's words (shown in every report)."""


class CheckSettings(Model):
    """How `planner check` judges an agenda, as an organiser sets it (conference.yaml's `checks:`, or `--rules FILE`
    for an agenda checked on its own)."""

    buffer_minutes: NonNegativeInt = 0
    """Minutes a person needs between two sessions in different rooms (0: back to back is possible)."""
    severity: dict[Id, FindingSeverity] = Field(default_factory=dict)
    """A finding code -> error, warning or ignore, overriding the checker's own severity."""
    accepted: tuple[AcceptedFinding, ...] = ()


Attendee = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
"""Who picked: a pseudonym or a registration id as the organiser has it (a real name is never needed)."""

PickWeight = Annotated[int, Field(ge=1, le=10)]
"""How much an attendee wants a session, 1 to 10 (1 when not given)."""


class PairCount(Model):
    """The aggregated form, for organisers who have only pair counts: how many attendees want both sessions."""

    sessions: tuple[Id, Id]
    attendees: PositiveInt


class Audience(Model):
    """Who wants what: each attendee's picks (the interest table), or only how many attendees want each pair of
    sessions (the aggregated form), never both. What the `attendee_conflict` term keeps apart, what sizes rooms
    where a session gives no expected audience, and what the report of who loses what is made of."""

    picks: dict[Attendee, dict[Id, PickWeight]] = Field(default_factory=dict)
    """Attendee -> session id -> how much they want it."""
    pairs: tuple[PairCount, ...] = ()
    """The aggregated form: attendees per pair of sessions."""
    picked: dict[Id, NonNegativeInt] = Field(default_factory=dict)
    """The aggregated form: attendees who picked each session (for room sizing), where the organiser has it."""

    @model_validator(mode="after")
    def _one_form(self) -> Audience:
        if self.picks and (self.pairs or self.picked):
            raise ValueError("give either each attendee's picks or the pair counts, not both")
        return self

    @property
    def aggregated(self) -> bool:
        """Whether only pair counts are known (no attendee's own picks)."""
        return not self.picks and bool(self.pairs or self.picked)


class InterestSettings(Model):
    """How attendees' picks become the model's numbers (conference.yaml's `interest:`); see planner/audience.py."""

    turnout: float = Field(default=1.0, gt=0, le=100)
    """Expected audience per pick: a session's expected audience is its picks times this, rounded up (2.5 when
    four in ten attendees pick their sessions in the app)."""
    threshold: float = Field(default=0.25, ge=0, le=10)
    """A session is thin (late or little known) when it has fewer picks than this share of the median picks of the
    sessions of its kind; it then takes a prior from the sessions of its kind that share its themes (0: none is
    thin)."""
    prior: float = Field(default=0.5, ge=0, le=1)
    """How far a thin session is raised toward what the sessions sharing its themes collect, 0 (not at all) to 1."""
    size_rooms: bool = True
    """Whether a session that gives no expected_audience takes the estimate from interest, for room capacity (hard
    or soft as `capacity` says)."""


class Track(Model):
    """A paper conference's track: its talks share a room, a chair and a period (Session.track names it). Costs are
    whole numbers, 0 where none is given."""

    id: Id
    label: Name
    chairs: tuple[Id, ...] = ()
    """Person ids: whoever chairs its periods (two tracks sharing a chair should not run at once)."""
    periods: dict[Id, NonNegativeInt] = Field(default_factory=dict)
    """Period id -> the cost of holding it then (track_period)."""
    rooms: dict[Id, NonNegativeInt] = Field(default_factory=dict)
    """Room id -> the cost of holding it there (track_room)."""
    similar: dict[Id, NonNegativeInt] = Field(default_factory=dict)
    """Another track's id -> how similar they are: the cost of running both in one period (similar_tracks)."""


class SuitableHours(Model):
    """When presenters in other time zones can present: local times in the presenter's own zone."""

    start: time
    end: time
    fringe_start: time
    """Earlier than `start` but no earlier than this is less suitable (costs `fringe_cost` a slot)."""
    fringe_end: time
    fringe_cost: NonNegativeInt = 1
    outside_cost: NonNegativeInt = 10
    """A slot that starts before `fringe_start` or ends after `fringe_end`."""


class Paper(Model):
    """What makes a conference a paper conference: tracks of short talks grouped into periods (Block.period), each
    (period, room) holding the talks of one track. The model's hard rules and the paper terms read it."""

    tracks: tuple[Track, ...] = Field(min_length=1)
    period_rooms: dict[Id, dict[Id, NonNegativeInt]] = Field(default_factory=dict)
    """Period id -> room id -> the cost of using that room then (period_room)."""
    closed: tuple[tuple[Id, Id], ...] = ()
    """(period, room) that no track may hold (CoSPLib's 'never'); the grid closes the room in those blocks."""
    hours: SuitableHours | None = None
    """When presenters can present, for talk_time_zone; None: any time."""

    def track(self, track_id: str) -> Track | None:
        return next((t for t in self.tracks if t.id == track_id), None)


class Conference(Model):
    name: Name
    edition: Id
    id: Id | None = None
    """A stable identifier the published calendars and feeds build their UIDs on, so that renaming the edition
    changes no UID; the edition when not given."""
    timezone: str
    venue: Name | None = None
    """Where it takes place; None until one is booked (an early draft)."""
    capacity: Literal["hard", "soft"] = "soft"
    """Whether a room's capacity below a session's expected audience forbids it (hard) or only costs (soft)."""
    rooms: tuple[Room, ...] = Field(min_length=1)
    kinds: tuple[SessionKind, ...] = Field(min_length=1)
    themes: tuple[Theme, ...] = ()
    days: tuple[Day, ...] = Field(min_length=1)
    weights: Weights = Weights()
    day_shape: DayShape = DayShape()
    positions: dict[Id, KindPosition] = Field(default_factory=dict)
    """Kind -> where it usually sits (from history); a kind not listed may sit anywhere."""
    theme_weights: dict[Id, PositiveInt] = Field(default_factory=dict)
    """Theme -> what one clash of it with itself costs, times `weights.theme_clash` (1 for a theme not listed):
    `planner history template` derives them from the themes' trends, switched off until the organiser uncomments
    them."""
    history: Name | None = None
    """The folder of past editions this conference continues (relative to the conference folder): the draft is then
    set beside them (sessions per kind, day shapes, theme shares, people who return)."""
    checks: CheckSettings = CheckSettings()
    interest: InterestSettings = InterestSettings()
    audience: Audience | None = None
    """Who wants what (the folder's interest table); None when the conference has none."""
    paper: Paper | None = None
    """Tracks, periods and their costs, for a paper conference; None otherwise."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if zone_named(value) is None:
            raise ValueError(f"'{value}' is not an IANA time zone name such as 'Europe/London'")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def key(self) -> str:
        """What published identifiers (calendar UIDs, frab guids) are built on: the stable `id`, else the edition."""
        return self.id or self.edition

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(block for day in self.days for block in day.blocks)

    @cached_property
    def slot_minutes(self) -> int:
        """A paper conference's shortest time slot of any period, in minutes: what one slot a talk requires lasts
        (`planner import cosplib` writes a talk's minutes as its slots times this)."""
        return min((b.minutes for b in self.blocks if b.period is not None), default=1)

    def slots_required(self, minutes: int) -> int:
        """How many of a period's time slots a talk of `minutes` takes, whatever their length: CoSPLib counts slots,
        not minutes."""
        return max(1, round(minutes / self.slot_minutes))

    def run_at(self, start: datetime, end: datetime) -> tuple[Day, tuple[Block, ...]] | None:
        """The day and the run of contiguous session blocks of one type that a session from `start` to `end` takes
        as the solver places one (starting with the first block, ending within the last), or None when it sits
        elsewhere (off the grid, across a break, in a gap)."""
        for day in self.days:
            usable = [block for block in day.blocks if block.type is not BlockType.BREAK]
            for index, first in enumerate(usable):
                if first.start != start:
                    continue
                run = [first]
                while run[-1].end < end and index + len(run) < len(usable):
                    following = usable[index + len(run)]
                    if following.start != run[-1].end or following.type is not first.type:
                        break
                    run.append(following)
                return (day, tuple(run)) if run[-1].end >= end else None
        return None

    def places(self, kind: str) -> int:
        """How many sessions of a kind the grid can hold at most: one per plenary block, one per open room of a
        parallel block, counting blocks that allow the kind."""
        return sum(
            1 if block.type is BlockType.PLENARY else len(block.rooms)
            for block in self.blocks
            if block.type is not BlockType.BREAK and kind in block.kinds
        )


class Window(Model):
    """A stretch of time someone cannot attend, in absolute (zone-aware) time."""

    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ends_after_start(self) -> Window:
        if self.end <= self.start:
            raise ValueError("an unavailable window must end after it starts")
        return self

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


class Person(Model):
    id: Id
    name: Name
    aliases: tuple[Name, ...] = ()
    organisation: Name | None = None
    unavailable: tuple[Window, ...] = ()
    max_sessions_per_day: PositiveInt | None = None


class Pin(Model):
    """Where an organiser fixed a session; any part left empty is free."""

    day: Id | None = None
    block: Id | None = None
    room: Id | None = None


class Session(Model):
    id: Id
    title: Name
    kind: Id
    duration: PositiveInt
    """Minutes. A session longer than one block spans contiguous blocks in one room."""
    themes: tuple[Id, ...] = ()
    chair: Id | None = None
    """A person id."""
    speakers: tuple[Id, ...] = ()
    """Person ids, in the order the proposal gives them."""
    expected_audience: NonNegativeInt | None = None
    requires: tuple[Id, ...] = ()
    """Room features the session needs (for example 'streaming')."""
    pin: Pin | None = None
    optional: bool = False
    """May be left out, with a reason, when it does not fit."""
    abstract: Text = ""
    notes: Text = ""
    track: Id | None = None
    """A paper conference's track (Paper.tracks): the talk goes into a (period, room) its track holds."""
    order: NonNegativeInt = 0
    """Its place within its track, 1 for the first (0: any place)."""
    time_zone: str | None = None
    """The presenter's IANA time zone, for talk_time_zone (None: the conference's own)."""
    place_costs: dict[Id, NonNegativeInt] = Field(default_factory=dict)
    """A period or room id -> the cost of each time slot the talk runs there (talk_period, talk_room)."""

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str | None) -> str | None:
        if value is not None and zone_named(value) is None:
            raise ValueError(f"'{value}' is not an IANA time zone name such as 'Europe/London'")
        return value

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone who must be present: chair first, then speakers, each once."""
        ordered = ((self.chair,) if self.chair else ()) + self.speakers
        return tuple(dict.fromkeys(ordered))


class ConferenceInput(Model):
    """A conference folder as loaded: the grid, the proposed sessions and the people in them."""

    conference: Conference
    sessions: tuple[Session, ...]
    people: tuple[Person, ...]


class Assignment(Model):
    """A session placed: its room and exact times (and, when it came from our grid, its day and blocks)."""

    session: Session
    room: Id
    start: AwareDatetime
    end: AwareDatetime
    day: Id | None = None
    blocks: tuple[Id, ...] = ()
    sequence: NonNegativeInt = 0
    """Rises by one each time a re-plan moves the session (iCal SEQUENCE), so calendars update their copy."""
    by_hand: bool = False
    """Placed by a person (moved or added in the workbook): a re-plan keeps it where they put it."""
    removed_people: tuple[Id, ...] = ()
    """People an earlier schedule had in this session and this one does not: their own calendars carry the session
    on as cancelled."""

    @model_validator(mode="after")
    def _ends_after_start(self) -> Assignment:
        if self.end <= self.start:
            raise ValueError(f"session '{self.session.id}' must end after it starts")
        return self


class Placed(Protocol):
    """Anything placed in a room for a stretch of time: an assignment, or a place the solver considers."""

    @property
    def room(self) -> str: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...


def moved(before: Placed, after: Placed) -> bool:
    """Whether a session is no longer where it was: another room, start or end (compared as instants). The one
    definition for re-planning's cost, the calendars' SEQUENCE and the list of changes."""
    return (before.room, before.start, before.end) != (after.room, after.start, after.end)


WITHDRAWN = "withdrawn: no longer among the proposals"
"""The reason a re-plan gives a session that an earlier schedule placed and the proposals no longer hold."""


class Unscheduled(Model):
    """A proposal left out, and why in plain words: nothing is lost silently."""

    session: Session
    reason: Text
    was: Assignment | None = None
    """Where an earlier schedule had it: published calendars carry it on as cancelled."""

    @property
    def withdrawn(self) -> bool:
        """No longer proposed: kept only so that calendars cancel it, never reported as missing."""
        return self.reason == WITHDRAWN


class Schedule(Model):
    """A programme, whoever made it (the solver, a hand-edited spreadsheet, a frab export).

    Self-contained: it carries the conference and the people, so exporters and the checker need nothing else.
    """

    conference: Conference
    people: tuple[Person, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
