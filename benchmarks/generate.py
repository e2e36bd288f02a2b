"""Seeded benchmark instances with conference-like structure, written as ordinary conference folders.

Every instance is invented (numbered talks, people named from invented name lists), so no real person is ever
attributed a session. The structure is what makes conference scheduling hard: a few people speak many times
(Zipf-like), themes are unevenly popular, a tenth of the people are away for a few blocks, one plenary a day takes
the hall alone, and rooms come in capacity tiers that talks must fit (capacity is hard).

The objective is theme clashes alone (every other weight is 0), so that peers that know only that term compete on
equal terms.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from planner.export.atomic import write_atomic

THEME_CLASHES_ONLY = {
    "theme_clash": 1,
    "theme_spread": 0,
    "back_to_back": 0,
    "room_overflow": 0,
    "day_shape": 0,
    "moved": 0,
    "move_hours": 0,
    "unscheduled": 0,
}
"""The benchmark's weights: theme clashes alone, what every peer can optimise the same way."""


@dataclass(frozen=True)
class Size:
    name: str
    sessions: int
    rooms: int
    days: int


SIZES: dict[str, Size] = {
    size.name: size
    for size in (
        Size("S", 30, 4, 2),
        Size("M", 150, 6, 3),
        Size("L", 400, 10, 4),
        Size("XL", 1000, 20, 5),
        Size("XXL", 2000, 60, 5),
    )
}

LOAD = 0.85
"""Talks per parallel room-slot, at most: enough slack that a programme exists, little enough that it matters."""
THEMES = 12
BLOCK_MINUTES = 40
CHANGEOVER_MINUTES = 5
PLENARY_MINUTES = 60
FIRST_DAY = date(2027, 5, 10)
TIMEZONE = "Europe/Berlin"

TIERS = (("large", 300, 0.15), ("medium", 150, 0.35))
"""Room tiers below the hall: (name, seats, share of rooms); the rest are small."""
HALL_SEATS, SMALL_SEATS = 800, 60
AUDIENCE = ((0.10, 160, 300), (0.30, 70, 150), (0.60, 15, 60))
"""Talk audiences: (share, fewest, most) expected; the first band needs a large room, the second a medium one."""
PEOPLE_PER_TALK = ((1, 0.30), (2, 0.35), (3, 0.20), (4, 0.15))
ZIPF_EXPONENT = 0.9
AWAY_SHARE = 0.10

FIRST_NAMES = [
    "Ada",
    "Bram",
    "Cleo",
    "Dario",
    "Edda",
    "Femi",
    "Gus",
    "Hana",
    "Ilse",
    "Joss",
    "Kemi",
    "Lior",
    "Mael",
    "Nika",
    "Odo",
    "Pia",
    "Quin",
    "Rhea",
    "Sami",
    "Tove",
    "Ugo",
    "Vera",
    "Wim",
    "Xena",
    "Yuri",
    "Zora",
    "Arlo",
    "Bea",
    "Cato",
    "Dora",
    "Eli",
    "Fern",
    "Gil",
    "Hugo",
    "Isla",
    "Jory",
    "Kai",
    "Lena",
    "Milo",
    "Nell",
    "Otis",
    "Pim",
    "Rosa",
    "Sol",
    "Tam",
    "Una",
    "Vic",
    "Wren",
    "Yara",
    "Zev",
    "Alba",
    "Bo",
    "Cyra",
    "Dex",
    "Elin",
    "Flo",
    "Gert",
    "Hedy",
    "Ivo",
    "Jana",
]
LAST_NAMES = [
    "Abernathy",
    "Brightwater",
    "Castellane",
    "Dunmore",
    "Eskerby",
    "Fairholm",
    "Galloway",
    "Hestermann",
    "Inglewood",
    "Jarvinen",
    "Kettering",
    "Lindqvist",
    "Marchbank",
    "Northcott",
    "Oakhurst",
    "Pennington",
    "Quarrie",
    "Ravensholm",
    "Stirling",
    "Thornbury",
    "Underhill",
    "Vantongeren",
    "Whitcombe",
    "Yeardley",
    "Zellweger",
    "Ashdown",
    "Blackmore",
    "Cresswell",
    "Drummond",
    "Ellery",
    "Fenwick",
    "Greaves",
    "Holloway",
    "Ivarsen",
    "Jessop",
    "Kirkland",
    "Lockhart",
    "Merriweather",
    "Nettleford",
    "Orwin",
    "Prestwich",
    "Quenby",
    "Rutherglen",
    "Saltmarsh",
    "Tregarthen",
    "Umberleigh",
    "Varley",
    "Wetherby",
    "Yelland",
    "Zamoyski",
    "Arkwright",
    "Bellingham",
    "Carrow",
    "Dewhurst",
    "Eastwood",
    "Fallowfield",
]
THEME_WORDS = [
    "procurement",
    "finance",
    "evaluation",
    "health",
    "education",
    "housing",
    "climate",
    "justice",
    "employment",
    "data",
    "governance",
    "youth",
]


@dataclass(frozen=True)
class Grid:
    size: Size
    parallel_blocks: int
    """Per day."""

    @property
    def blocks(self) -> int:
        """Every block of the conference: one plenary and the parallel ones, each day."""
        return self.size.days * (1 + self.parallel_blocks)


def grid_for(size: Size) -> Grid:
    talks = size.sessions - size.days
    return Grid(size, math.ceil(talks / (LOAD * size.rooms * size.days)))


def _hhmm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def _rooms(size: Size) -> list[dict]:
    rooms = [{"id": "hall", "name": "Main Hall", "capacity": HALL_SEATS}]
    others = size.rooms - 1
    counts = [round(share * size.rooms) or 1 for _, _, share in TIERS]
    counts.append(others - sum(counts))
    seats = [s for _, s, _ in TIERS] + [SMALL_SEATS]
    names = [n for n, _, _ in TIERS] + ["small"]
    for tier, count, capacity in zip(names, counts, seats, strict=True):
        rooms += [
            {"id": f"{tier}{i + 1}", "name": f"{tier.title()} Room {i + 1}", "capacity": capacity} for i in range(count)
        ]
    return rooms


def _days(grid: Grid, rooms: list[dict]) -> tuple[list[dict], list[list[tuple[datetime, datetime]]]]:
    """The days' blocks, and each day's parallel blocks as (start, end) for unavailability windows."""
    days, parallel = [], []
    every_room = [r["id"] for r in rooms]
    for d in range(grid.size.days):
        day = FIRST_DAY + timedelta(days=d)
        moment = datetime(day.year, day.month, day.day, 8, 30)
        plenary_end = moment + timedelta(minutes=PLENARY_MINUTES)
        blocks = [
            {
                "id": f"d{d + 1}-plenary",
                "start": _hhmm(moment),
                "end": _hhmm(plenary_end),
                "type": "plenary",
                "rooms": ["hall"],
                "kinds": ["keynote"],
            }
        ]
        moment = plenary_end + timedelta(minutes=15)
        runs = []
        for b in range(grid.parallel_blocks):
            end = moment + timedelta(minutes=BLOCK_MINUTES)
            blocks.append(
                {
                    "id": f"d{d + 1}-p{b + 1:02d}",
                    "start": _hhmm(moment),
                    "end": _hhmm(end),
                    "type": "parallel",
                    "rooms": every_room,
                    "kinds": ["talk"],
                }
            )
            runs.append((moment, end))
            moment = end + timedelta(minutes=CHANGEOVER_MINUTES)
        days.append({"id": f"d{d + 1}", "date": day.isoformat(), "name": f"Day {d + 1}", "blocks": blocks})
        parallel.append(runs)
    return days, parallel


def _conference(size: Size, grid: Grid, seed: int) -> tuple[dict, list[list[tuple[datetime, datetime]]]]:
    rooms = _rooms(size)
    days, parallel = _days(grid, rooms)
    themes = [{"id": word, "label": word.title()} for word in THEME_WORDS[:THEMES]]
    document = {
        "name": f"Benchmark congress {size.name} (seed {seed})",
        "edition": f"BENCH{size.name}S{seed}",
        "timezone": TIMEZONE,
        "venue": "Invented Congress Centre",
        "capacity": "hard",
        "rooms": rooms,
        "kinds": [{"id": "keynote", "label": "Keynote"}, {"id": "talk", "label": "Talk"}],
        "themes": themes,
        "days": days,
        "weights": dict(THEME_CLASHES_ONLY),
    }
    return document, parallel


class _People:
    """Draws people for talks so that a few appear in many (Zipf-like), never more often than `cap`."""

    def __init__(self, rng: random.Random, pool: int, cap: int) -> None:
        self.rng = rng
        self.cap = cap
        self.ids = [f"p{i + 1:04d}" for i in range(pool)]
        self.cumulative = []
        total = 0.0
        for rank in range(pool):
            total += 1 / (rank + 1) ** ZIPF_EXPONENT
            self.cumulative.append(total)
        self.used: dict[str, int] = {}

    def draw(self, how_many: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < how_many:
            person = self.rng.choices(self.ids, cum_weights=self.cumulative)[0]
            if person not in chosen and self.used.get(person, 0) < self.cap:
                chosen.append(person)
                self.used[person] = self.used.get(person, 0) + 1
        return chosen


def _name(index: int) -> str:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last}" if index < len(FIRST_NAMES) * len(LAST_NAMES) else f"{first} {last} {index}"


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def generate(size: Size, seed: int, folder: Path) -> Path:
    """Write conference.yaml, sessions.csv and people.csv for `size` into `folder`; the same seed gives the same
    files."""
    rng = random.Random(f"{size.name}:{seed}")
    grid = grid_for(size)
    document, parallel = _conference(size, grid, seed)
    themes = [t["id"] for t in document["themes"]]
    theme_weights = [1 / (rank + 1) ** 0.6 for rank in range(len(themes))]
    talks = size.sessions - size.days
    pool = max(8, round(size.sessions * 0.9))
    people = _People(rng, pool, cap=max(2, min(8, grid.blocks // 3)))

    sessions = []
    for d in range(size.days):
        speakers = people.draw(rng.choice((1, 2)))
        sessions.append(
            [
                f"k{d + 1}",
                f"Keynote {d + 1}",
                "keynote",
                PLENARY_MINUTES,
                ";".join(rng.sample(themes, 2)),
                speakers[0],
                ";".join(speakers[1:]),
                700,
            ]
        )
    for t in range(talks):
        count = rng.choices([n for n, _ in PEOPLE_PER_TALK], weights=[w for _, w in PEOPLE_PER_TALK])[0]
        who = people.draw(count)
        picked = rng.choices(themes, weights=theme_weights, k=rng.choice((1, 2)))
        band = rng.choices(AUDIENCE, weights=[share for share, _, _ in AUDIENCE])[0]
        title = f"Talk {t + 1:04d} on {' and '.join(dict.fromkeys(picked))}"
        chair, speakers = (who[0], who[1:]) if count > 1 else ("", who)
        sessions.append(
            [
                f"t{t + 1:04d}",
                title,
                "talk",
                BLOCK_MINUTES,
                ";".join(dict.fromkeys(picked)),
                chair,
                ";".join(speakers),
                rng.randint(band[1], band[2]),
            ]
        )

    appearing = sorted(people.used)
    away = set(rng.sample(appearing, round(AWAY_SHARE * len(appearing))))
    person_rows = []
    for person in appearing:
        unavailable = ""
        if person in away:
            runs = parallel[rng.randrange(size.days)]
            length = rng.randint(1, 3)
            first = rng.randrange(len(runs) - length + 1)
            start, end = runs[first][0], runs[first + length - 1][1]
            unavailable = f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
        person_rows.append(
            [person, _name(int(person[1:]) - 1), f"Organisation {rng.randint(1, pool // 3 + 1)}", unavailable]
        )

    folder.mkdir(parents=True, exist_ok=True)
    header = "# Generated by benchmarks.generate: an invented benchmark instance (every person is fictional).\n"
    write_atomic(folder / "conference.yaml", header + yaml.safe_dump(document, sort_keys=False, width=200))
    write_atomic(
        folder / "sessions.csv",
        _csv(["id", "title", "kind", "duration", "themes", "chair", "speakers", "expected_audience"], sessions),
    )
    write_atomic(folder / "people.csv", _csv(["id", "name", "organisation", "unavailable"], person_rows))
    return folder
