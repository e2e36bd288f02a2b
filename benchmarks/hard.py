"""The hard family: seeded instances where the greedy is not enough (issue 17), written as ordinary conference folders.

What makes them hard, each on purpose:

- each day one plenary (a keynote), then parallel blocks alternating 90 and 45 minutes with changeovers between
  them, so nothing spans two blocks and a 90-minute workshop fits only a long block (a 45-minute talk fits either);
- 92-95% of the parallel room-slots are filled, and a programme exists by construction: every session is generated
  for a room-slot of a planted programme, which is checked with `planner check`'s rules before anything is written;
- hard capacity in four tiers (hall, large, medium, small) and two features (streaming, lab) that do not follow the
  tiers, so the rooms sessions may use are not nested;
- seven themes, workshops leaning to three of them (those crowd the long blocks, so spreading evenly over every block
  is out of reach);
- a few people in 8-15 sessions; 30% of people away for a morning or an afternoon; one keynote a day.

The objective is theme clashes alone, as in the easy family (benchmarks/generate.py), so every peer optimises the
same thing. Every instance is invented; no real person is attributed a session.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from benchmarks.generate import THEME_CLASHES_ONLY, THEME_WORDS, Size, _csv, _name
from planner.export.atomic import write_atomic

HARD_SIZES: dict[str, Size] = {
    size.name: size for size in (Size("H150", 150, 0, 3), Size("H400", 400, 0, 4), Size("H1000", 1000, 0, 5))
}
"""Sessions and days (the rooms, 0 here, follow from the fill: see `shape_for`)."""
HARD_SEEDS: dict[str, tuple[int, ...]] = {"H150": (1, 2), "H400": (1, 2), "H1000": (1,)}
"""The seeds `make bench` runs, as the issue measured them: two instances up to 400 sessions, one at 1,000."""

FILL = (0.92, 0.95)
"""Share of the parallel room-slots holding a session."""
BLOCKS_PER_DAY = 7
"""What the rooms are chosen for: about this many parallel blocks a day."""
THEMES = 7
WORKSHOP_THEMES = 3
"""The first this many themes are the ones workshops lean to."""
WORKSHOP_SHARE = 0.6
"""Share of the long blocks' filled room-slots planted with a workshop."""
WORKSHOP_LEAN = 4.0
"""How much more often a workshop takes each of the workshop themes than another theme."""
TALK_LEAN = 0.5
"""How often a talk takes each of the workshop themes, against 1 for another theme: their talks are fewer, so
their workshops crowd the long blocks (and an even spread over every block is out of reach)."""
AWAY_SHARE = 0.30
LONG, SHORT, CHANGEOVER, PLENARY, LUNCH = 90, 45, 15, 60, 60
FIRST_DAY = date(2027, 9, 6)
TIMEZONE = "Europe/Vienna"
NOON = 12 * 60 + 30
"""Minutes after midnight where a morning ends and an afternoon begins (the lunch break starts by then)."""

TIERS = (("hall", 500), ("large", 250), ("medium", 120), ("small", 50))
"""Capacity tiers, largest first: (name, seats)."""
TIER_SHARE = (0.15, 0.35)
"""Share of the rooms that are large and medium; one hall, the rest small."""
FEATURE_SHARE = {"streaming": (1.0, 0.5, 0.25, 0.15), "lab": (0.0, 0.2, 0.35, 0.4)}
"""Per feature, the share of each tier's rooms that has it: streaming is mostly big rooms, labs mostly small ones,
and neither follows the tiers."""
NEEDS_FEATURE = {"streaming": (0.4, 0.4), "lab": (0.15, 0.8)}
"""Per feature, the chance that a talk and a workshop planted in a room with it requires it."""
PEOPLE_PER_SESSION = ((1, 0.4), (2, 0.35), (3, 0.25))
BUSY_PEOPLE = (8, 15)
"""How many sessions each of the few busy people is in."""
MOST_FOR_OTHERS = 4
TIER_DROP = (0.7, 0.22, 0.08)
"""Chances that a planted session needs its room's tier, the one below, or two below."""


@dataclass(frozen=True)
class Shape:
    rooms: int
    blocks: tuple[int, ...]
    """Parallel blocks on each day."""

    @property
    def slots(self) -> int:
        return self.rooms * sum(self.blocks)


def shape_for(size: Size) -> Shape:
    """Rooms and blocks a day so that the parallel sessions fill 92-95% of the room-slots, with about
    BLOCKS_PER_DAY blocks a day (the fill closest to the middle of the range wins)."""
    parallel = size.sessions - size.days
    target = parallel / (sum(FILL) / 2 * BLOCKS_PER_DAY * size.days)
    candidates = []
    for rooms in range(max(4, math.floor(target) - 4), math.ceil(target) + 5):
        for blocks in range(size.days * 3, size.days * 10 + 1):
            fill = parallel / (rooms * blocks)
            if FILL[0] <= fill <= FILL[1]:
                candidates.append((abs(blocks / size.days - BLOCKS_PER_DAY), abs(fill - sum(FILL) / 2), rooms, blocks))
    _, _, rooms, blocks = min(candidates)
    each, extra = divmod(blocks, size.days)
    return Shape(rooms, tuple(each + (d < extra) for d in range(size.days)))


@dataclass(frozen=True)
class RoomSpec:
    id: str
    tier: int
    features: tuple[str, ...]

    @property
    def seats(self) -> int:
        return TIERS[self.tier][1]


def _rooms(rng: random.Random, count: int) -> list[RoomSpec]:
    large = max(1, round(TIER_SHARE[0] * count))
    medium = max(1, round(TIER_SHARE[1] * count))
    per_tier = (1, large, medium, count - 1 - large - medium)
    rooms = []
    for tier, n in enumerate(per_tier):
        name = TIERS[tier][0]
        having = {
            feature: set(rng.sample(range(n), round(shares[tier] * n))) for feature, shares in FEATURE_SHARE.items()
        }
        for i in range(n):
            features = tuple(f for f in FEATURE_SHARE if i in having[f])
            rooms.append(RoomSpec(name if name == "hall" else f"{name}{i + 1}", tier, features))
    return rooms


@dataclass(frozen=True)
class Slot:
    day: int
    block: str
    start: datetime
    end: datetime
    long: bool


def _grid(shape: Shape) -> tuple[list[dict], list[Slot]]:
    """The days' blocks, and every parallel block."""
    zone = ZoneInfo(TIMEZONE)
    days, slots = [], []
    for d, count in enumerate(shape.blocks):
        day = FIRST_DAY + timedelta(days=d)
        moment = datetime(day.year, day.month, day.day, 8, 30, tzinfo=zone)
        end = moment + timedelta(minutes=PLENARY)
        blocks = [_block(f"d{d + 1}-keynote", moment, end, "plenary", rooms=["hall"], kinds=["keynote"])]
        moment = end + timedelta(minutes=CHANGEOVER)
        lunched = False
        for b in range(count):
            if not lunched and moment.hour * 60 + moment.minute >= NOON - SHORT:
                lunch_end = moment + timedelta(minutes=LUNCH)
                blocks.append(_block(f"d{d + 1}-lunch", moment, lunch_end, "break", name="Lunch"))
                moment, lunched = lunch_end, True
            long = b % 2 == 0
            end = moment + timedelta(minutes=LONG if long else SHORT)
            block_id = f"d{d + 1}-{'l' if long else 's'}{b + 1}"
            kinds = ["talk", "workshop"] if long else ["talk"]
            blocks.append(_block(block_id, moment, end, "parallel", kinds=kinds))
            slots.append(Slot(d, block_id, moment, end, long))
            moment = end + timedelta(minutes=CHANGEOVER)
        days.append({"id": f"d{d + 1}", "date": day.isoformat(), "name": f"Day {d + 1}", "blocks": blocks})
    return days, slots


def _block(block_id: str, start: datetime, end: datetime, kind: str, **more: object) -> dict:
    return {"id": block_id, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}", "type": kind, **more}


@dataclass
class Planted:
    """A session generated for one room-slot of the planted programme."""

    id: str
    kind: str
    minutes: int
    themes: list[str]
    audience: int
    requires: tuple[str, ...]
    slot: Slot | None
    """None for a keynote (its day's plenary)."""
    room: str
    day: int
    people: list[str]


def _audience(rng: random.Random, room: RoomSpec) -> int:
    """An audience that needs the room's tier or one below it (rarely two below), so big rooms are not wasted."""
    tier = room.tier + rng.choices((0, 1, 2), weights=TIER_DROP)[0]
    if tier >= len(TIERS):
        tier = len(TIERS) - 1
    lowest = TIERS[tier + 1][1] + 1 if tier + 1 < len(TIERS) else 10
    return rng.randint(lowest, TIERS[tier][1])


def _sessions(rng: random.Random, rooms: list[RoomSpec], slots: list[Slot], parallel: int) -> list[Planted]:
    """One session per filled room-slot: `parallel` of them, spread over the blocks as evenly as the count allows."""
    themes = THEME_WORDS[:THEMES]
    workshop_weights = [WORKSHOP_LEAN if i < WORKSHOP_THEMES else 1.0 for i in range(THEMES)]
    talk_weights = [TALK_LEAN if i < WORKSHOP_THEMES else 1.0 for i in range(THEMES)]
    each, extra = divmod(parallel, len(slots))
    full = set(rng.sample(range(len(slots)), extra))
    planted: list[Planted] = []
    counters = {"talk": 0, "workshop": 0}
    for i, slot in enumerate(slots):
        for room in sorted(rng.sample(rooms, each + (i in full)), key=lambda r: r.id):
            workshop = slot.long and rng.random() < WORKSHOP_SHARE
            kind = "workshop" if workshop else "talk"
            counters[kind] += 1
            picked = rng.choices(themes, weights=workshop_weights if workshop else talk_weights, k=rng.choice((1, 2)))
            requires = tuple(f for f in room.features if rng.random() < NEEDS_FEATURE[f][workshop])
            planted.append(
                Planted(
                    f"{kind[0]}{counters[kind]:04d}",
                    kind,
                    LONG if workshop else SHORT,
                    list(dict.fromkeys(picked)),
                    _audience(rng, room),
                    requires,
                    slot,
                    room.id,
                    slot.day,
                    [],
                )
            )
    return planted


def _cast(rng: random.Random, sessions: list[Planted]) -> list[str]:
    """Chairs and speakers: a few busy people in 8-15 sessions each, the rest in at most MOST_FOR_OTHERS, nobody in
    two sessions of one block (the planted programme stays a programme); returns every person's id."""
    pool = max(12, round(len(sessions) * 0.9))
    ids = [f"p{i + 1:04d}" for i in range(pool)]
    busy_blocks: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)

    def when(session: Planted) -> str:
        return session.slot.block if session.slot else f"keynote{session.day}"

    busy = ids[: max(3, len(sessions) // 120)]
    parallel = [s for s in sessions if s.slot]
    blocks = len({when(s) for s in parallel})
    for person in busy:
        wanted = rng.randint(BUSY_PEOPLE[0], min(BUSY_PEOPLE[1], blocks - 2))
        for session in rng.sample(parallel, len(parallel)):
            if count[person] == wanted:
                break
            if when(session) not in busy_blocks[person] and len(session.people) < 3:
                session.people.append(person)
                busy_blocks[person].add(when(session))
                count[person] += 1
    weights = [1 / (rank + 1) ** 0.5 for rank in range(pool - len(busy))]
    others = ids[len(busy) :]
    for session in sessions:
        wanted = rng.choices([n for n, _ in PEOPLE_PER_SESSION], weights=[w for _, w in PEOPLE_PER_SESSION])[0]
        while len(session.people) < wanted:
            person = rng.choices(others, weights=weights)[0]
            if person in session.people or when(session) in busy_blocks[person] or count[person] >= MOST_FOR_OTHERS:
                continue
            session.people.append(person)
            busy_blocks[person].add(when(session))
            count[person] += 1
    return sorted(count)


def _away(
    rng: random.Random, people: list[str], sessions: list[Planted], day_dates: list[date]
) -> dict[str, tuple[datetime, datetime]]:
    """AWAY_SHARE of the people away for a morning or an afternoon, always one in which the planted programme has
    none of their sessions."""
    zone = ZoneInfo(TIMEZONE)
    halves = [
        (
            datetime(d.year, d.month, d.day, 8, 0, tzinfo=zone),
            datetime(d.year, d.month, d.day, NOON // 60, NOON % 60, tzinfo=zone),
        )
        for d in day_dates
    ]
    halves += [(noon, noon.replace(hour=19, minute=0)) for _, noon in halves[: len(day_dates)]]
    runs: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for session in sessions:
        start = session.slot.start if session.slot else halves[session.day][0].replace(hour=8, minute=30)
        for person in session.people:
            runs[person].append((start, start + timedelta(minutes=session.minutes)))
    away: dict[str, tuple[datetime, datetime]] = {}
    wanted = round(AWAY_SHARE * len(people))
    for person in rng.sample(people, len(people)):
        if len(away) == wanted:
            break
        free = [h for h in halves if not any(start < h[1] and h[0] < end for start, end in runs[person])]
        if free:
            away[person] = rng.choice(free)
    return away


def generate_hard(size: Size, seed: int, folder: Path) -> Path:
    """Write conference.yaml, sessions.csv and people.csv of the hard family into `folder`; the same size and seed
    give the same files. The planted programme is checked first (ValueError if it breaks a rule)."""
    rng = random.Random(f"hard:{size.name}:{seed}")
    shape = shape_for(size)
    rooms = _rooms(rng, shape.rooms)
    days, slots = _grid(shape)
    sessions = _sessions(rng, rooms, slots, size.sessions - size.days)
    themes = THEME_WORDS[:THEMES]
    for d in range(size.days):
        sessions.append(
            Planted(f"k{d + 1}", "keynote", PLENARY, rng.sample(themes, 2), 450, ("streaming",), None, "hall", d, [])
        )
    people = _cast(rng, sessions)
    away = _away(rng, people, sessions, [FIRST_DAY + timedelta(days=d) for d in range(size.days)])
    document = _document(size, seed, rooms, days)
    rows = [_row(s) for s in sorted(sessions, key=lambda s: (s.kind != "keynote", s.id))]
    person_rows = [
        [p, _name(int(p[1:]) - 1), f"Organisation {int(p[1:]) % 97 + 1}", _window(away[p]) if p in away else ""]
        for p in people
    ]
    _check_planted(document, rows, person_rows, sessions)
    folder.mkdir(parents=True, exist_ok=True)
    header = "# Generated by benchmarks.hard: an invented benchmark instance (every person is fictional).\n"
    write_atomic(folder / "conference.yaml", header + yaml.safe_dump(document, sort_keys=False, width=200))
    write_atomic(folder / "sessions.csv", _csv(SESSION_COLUMNS, rows))
    write_atomic(folder / "people.csv", _csv(["id", "name", "organisation", "unavailable"], person_rows))
    return folder


SESSION_COLUMNS = ["id", "title", "kind", "duration", "themes", "chair", "speakers", "expected_audience", "requires"]


def _row(session: Planted) -> list[object]:
    label = {"keynote": "Keynote", "talk": "Talk", "workshop": "Workshop"}[session.kind]
    title = f"{label} {session.id[1:]} on {' and '.join(session.themes)}"
    chair, speakers = (session.people[0], session.people[1:]) if len(session.people) > 1 else ("", session.people)
    return [
        session.id,
        title,
        session.kind,
        session.minutes,
        ";".join(session.themes),
        chair,
        ";".join(speakers),
        session.audience,
        ";".join(session.requires),
    ]


def _window(window: tuple[datetime, datetime]) -> str:
    start, end = window
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"


def _document(size: Size, seed: int, rooms: list[RoomSpec], days: list[dict]) -> dict:
    return {
        "name": f"Hard benchmark congress {size.name} (seed {seed})",
        "edition": f"BENCH{size.name}S{seed}",
        "timezone": TIMEZONE,
        "venue": "Invented Congress Centre",
        "capacity": "hard",
        "rooms": [{"id": r.id, "name": r.id.title(), "capacity": r.seats, "features": list(r.features)} for r in rooms],
        "kinds": [
            {"id": "keynote", "label": "Keynote"},
            {"id": "talk", "label": "Talk"},
            {"id": "workshop", "label": "Workshop"},
        ],
        "themes": [{"id": word, "label": word.title()} for word in THEME_WORDS[:THEMES]],
        "days": days,
        "weights": dict(THEME_CLASHES_ONLY),
    }


def _check_planted(
    document: dict,
    rows: list[list[object]],
    person_rows: list[list[object]],
    sessions: list[Planted],
) -> None:
    """The planted programme, judged by `planner check`'s rules: the instance is feasible by construction."""
    import tempfile

    from planner.check.schedule import check_schedule
    from planner.domain import Assignment, Schedule
    from planner.io.folder import load_folder

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "conference.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        (folder / "sessions.csv").write_text(_csv(SESSION_COLUMNS, rows), encoding="utf-8")
        (folder / "people.csv").write_text(
            _csv(["id", "name", "organisation", "unavailable"], person_rows), encoding="utf-8"
        )
        inputs = load_folder(folder)
    by_id = {s.id: s for s in inputs.sessions}
    blocks = {b.id: (day.id, b) for day in inputs.conference.days for b in day.blocks}
    placed = []
    for session in sessions:
        block_id = session.slot.block if session.slot else f"d{session.day + 1}-keynote"
        day, block = blocks[block_id]
        start = block.start
        placed.append(
            Assignment(
                session=by_id[session.id],
                room=session.room,
                start=start,
                end=start + timedelta(minutes=session.minutes),
                day=day,
                blocks=(block_id,),
            )
        )
    schedule = Schedule(conference=inputs.conference, people=inputs.people, assignments=tuple(placed))
    errors = [f for f in check_schedule(schedule, inputs.sessions) if f.severity == "error"]
    if errors:
        raise ValueError(f"the planted programme breaks {len(errors)} rule(s), first: {errors[0]}")
