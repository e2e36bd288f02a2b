"""A draft conference.yaml for the next edition, derived from past day shapes, for the organiser to edit.

Each day of the template follows the most recent fully recapped day with that number (sequence of slots, their
kinds and parallelism). Recaps rarely state clock times, so blocks get documented default lengths per kind, with
lunch once the morning is over and coffee before a parallel block that follows another block (people change rooms;
SOC24 Day 2 had "a short break" between its morning deep dives and Share and Learn, then lunch before the afternoon
deep dives); a time the recaps do state for a kind (SOC21's 6pm public talk) is kept.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import yaml

from planner.history import analysis, derive
from planner.history.analysis import slots, theme_counts
from planner.history.load import History
from planner.io.folder import TABLE_SUFFIXES
from planner.io.records import PEOPLE_COLUMNS, SESSION_COLUMNS
from planner.themes import bundled_taxonomy

DAY_START = time(9, 0)
BREAKFAST_START = time(8, 0)
MINUTES = {
    "welcome": 15,
    "keynote": 90,
    "panel": 60,
    "roundtable": 90,
    "deep_dive": 90,
    "big_picture": 75,
    "launch": 45,
    "public_talk": 75,
    "breakfast": 60,
    "share_and_learn": 60,
    "workshop": 90,
    "social": 180,
}
"""Default block lengths per kind, in minutes (recaps give no durations)."""
DEFAULT_MINUTES = 60
COFFEE, LUNCH, LUNCH_AFTER = 30, 60, time(12, 15)
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
)
HALL_CAPACITY, ROOM_CAPACITY = 250, 60
MIN_SLOTS_FOR_REFERENCE = 3


def reference_days(history: History) -> dict[int, tuple[str, int]]:
    """For each day number, the (edition, day) to copy: the latest with at least three recorded slots."""
    table = slots(history.sessions)
    counts = table.groupby(["year", "edition", "day"]).size().reset_index(name="slots")
    chosen: dict[int, tuple[str, int]] = {}
    for row in counts.sort_values("year").to_dict("records"):
        if row["slots"] >= MIN_SLOTS_FOR_REFERENCE:
            chosen[int(row["day"])] = (str(row["edition"]), int(row["day"]))
    return dict(sorted(chosen.items()))


def _stated_times(history: History) -> dict[str, time]:
    """Clock times the recaps state, by kind (the latest edition's wins, as for the day shapes)."""
    stated = history.sessions.dropna(subset=["time"]).sort_values("year")
    return {kind: time.fromisoformat(t) for kind, t in zip(stated["kind"], stated["time"], strict=True)}


def _first_date(history: History, year: int) -> date:
    """The same nth weekday of the same month as the latest dated first day (SOC21: second Thursday of September)."""
    dated = history.sessions.dropna(subset=["date"]).sort_values(["year", "day"])
    if dated.empty:
        return date(year, 9, 1)
    row = dated.iloc[-1]
    known = row["date"] - timedelta(days=int(row["day"]) - 1)
    nth = (known.day - 1) // 7
    days = [d for d in calendar.Calendar().itermonthdates(year, known.month) if d.month == known.month]
    matches = [d for d in days if d.weekday() == known.weekday()]
    return matches[min(nth, len(matches) - 1)]


def _blocks(day_slots: pd.DataFrame, day_id: str, stated: dict[str, time]) -> list[dict]:
    blocks: list[dict] = []
    clock = datetime.combine(date.min, BREAKFAST_START if day_slots.iloc[0]["kinds"][0] == "breakfast" else DAY_START)
    lunch_done, previous = False, None
    for index, row in enumerate(day_slots.to_dict("records"), start=1):
        kinds: list[str] = list(row["kinds"])
        parallel = int(row["parallel"])
        block_type = "parallel" if parallel > 1 else "plenary"

        def add_break(name: str, minutes: int) -> None:
            nonlocal clock
            end = clock + timedelta(minutes=minutes)
            earlier = sum(1 for block in blocks if block.get("name") == name)
            block_id = f"{day_id}-{name.lower()}" + (f"-{earlier + 1}" if earlier else "")
            blocks.append(
                {"id": block_id, "start": f"{clock:%H:%M}", "end": f"{end:%H:%M}", "type": "break", "name": name}
            )
            clock = end

        if not lunch_done and clock.time() >= LUNCH_AFTER:
            add_break("Lunch", LUNCH)
            lunch_done = True
        elif (previous in ("plenary", "parallel") and block_type == "parallel") or previous == "breakfast":
            add_break("Coffee" if previous != "breakfast" else "Break", COFFEE if previous != "breakfast" else 15)
        if kinds[0] in stated and stated[kinds[0]] > clock.time():
            clock = datetime.combine(date.min, stated[kinds[0]])
        minutes = max(MINUTES.get(kind, DEFAULT_MINUTES) for kind in kinds)
        end = clock + timedelta(minutes=minutes)
        rooms = ["hall"] + [f"room-{n}" for n in range(2, parallel + 1)]
        blocks.append(
            {
                "id": f"{day_id}-{index}-{kinds[0].replace('_', '-')}",
                "start": f"{clock:%H:%M}",
                "end": f"{end:%H:%M}",
                "type": block_type,
                "rooms": rooms,
                "kinds": kinds,
            }
        )
        clock = end
        previous = "breakfast" if kinds == ["breakfast"] else block_type
    return blocks


def _edition_id(history: History, year: int) -> tuple[str, str]:
    latest = history.editions[-1]
    match = re.fullmatch(r"([A-Za-z]+)(\d{2})", latest.edition)
    edition = f"{match[1]}{year % 100:02d}" if match else f"{latest.edition}-{year}"
    name = (
        latest.name.replace(str(latest.year), str(year)) if str(latest.year) in latest.name else f"{latest.name} {year}"
    )
    return edition, name


def derive_template(history: History, year: int, start: date | None = None) -> dict:
    """The draft conference as a plain mapping (ready for YAML), following the reference days of `history`."""
    table, stated = slots(history.sessions), _stated_times(history)
    first = start or _first_date(history, year)
    days, used_kinds, widest = [], [], 1
    for number, (edition, day) in reference_days(history).items():
        day_slots = table[(table["edition"] == edition) & (table["day"] == day)]
        day_id = f"d{number}"
        days.append(
            {
                "id": day_id,
                "date": first + timedelta(days=number - 1),
                "name": f"Day {number}",
                "blocks": _blocks(day_slots, day_id, stated),
            }
        )
        used_kinds += [k for kinds in day_slots["kinds"] for k in kinds]
        widest = max(widest, int(day_slots["parallel"].max()))
    kinds = list(dict.fromkeys(used_kinds))
    counts = theme_counts(history.sessions).sum(axis=1)
    themes = sorted(bundled_taxonomy(), key=lambda t: -int(counts.get(t.id, 0)))
    edition_id, name = _edition_id(history, year)
    latest = history.editions[-1]
    return {
        "name": name,
        "edition": edition_id,
        "id": edition_id.lower(),
        "timezone": "Europe/London",
        **({"venue": latest.venue} if latest.venue else {}),
        "capacity": "soft",
        "rooms": [
            {"id": "hall", "name": "Main hall", "capacity": HALL_CAPACITY, "features": ["streaming", "accessible"]}
        ]
        + [
            {"id": f"room-{n}", "name": f"Room {n}", "capacity": ROOM_CAPACITY, "features": ["accessible"]}
            for n in range(2, widest + 1)
        ],
        "kinds": [
            {"id": k, "label": k.replace("_", " ").capitalize(), "colour": PALETTE[i % len(PALETTE)]}
            for i, k in enumerate(kinds)
        ],
        "themes": [{"id": t.id, "label": t.label, "keywords": list(t.keywords)} for t in themes],
        "days": days,
    }


def template_yaml(history: History, year: int, start: date | None = None) -> str:
    """The template as commented YAML text: the grid, then what history says the draft should keep (the day's
    shape, where each kind sits, and, switched off, what a theme's clash costs), each with the days it comes from."""
    data = derive_template(history, year, start)
    sources = ", ".join(f"Day {n} follows {e} Day {d}" for n, (e, d) in reference_days(history).items())
    header = (
        f"# Draft conference.yaml for {data['name']}, derived by `planner history template` from past programmes.\n"
        f"# {sources}. Block lengths are defaults per kind; rooms, capacities and the date are placeholders\n"
        "# (the date keeps the weekday and week of the last dated edition). Edit freely, add the proposals to\n"
        "# sessions.csv (and to people.csv anyone with constraints), then run `planner validate` on this folder.\n"
    )
    return header + _dump(data) + from_history(history, {kind["id"] for kind in data["kinds"]})


def _dump(data: dict, flow: bool | None = False) -> str:
    """YAML text; `flow=None` writes the innermost lists and mappings on one line each."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120, default_flow_style=flow)


def from_history(history: History, kinds: set[str]) -> str:
    """conference.yaml's `day_shape` and `positions` as history derives them, for the conference's own kinds, each
    with the days it was read from; and the themes' clash weights, commented out (off unless switched on)."""
    shape = derive.day_shape(history.sessions)
    places = {kind: p for kind, p in derive.positions(history.sessions).items() if kind in kinds}
    opens, closes = ([k for k in listed if k in kinds] for listed in (shape.opens, shape.closes))
    text = (
        "\n# Which kinds open and close a day: those that did on most of the days they ran on, read from\n"
        f"# {', '.join(shape.sources)}.\n" + _dump({"day_shape": {"opens": opens, "closes": closes}}, flow=None)
    )
    if places:
        where = {
            kind: {f: v for f, v in (("day", p.day), ("part", p.part)) if v is not None} for kind, p in places.items()
        }
        text += "\n# Where each kind usually sits (history_position weighs a session placed elsewhere), read from:\n"
        text += "".join(f"#   {kind}: {', '.join(p.sources)}\n" for kind, p in places.items())
        text += _dump({"positions": where}, flow=None)
    weights = derive.theme_weights(analysis.theme_trend(history.sessions))
    if weights:
        text += (
            "\n# What one clash of a theme with itself costs, times theme_clash: rising themes and those carried by\n"
            "# many sessions cost more. Off unless switched on: remove the '# ' to use them, or change them.\n"
        )
        text += "".join(f"# {line}\n" for line in _dump({"theme_weights": weights}).splitlines())
    return text


def template_files(
    history: History, year: int, start: date | None = None, folder: Path | None = None
) -> dict[str, str]:
    """File name -> text of a new conference folder: the draft conference.yaml, and sessions.csv and people.csv
    holding only their header rows, so that the folder validates as it is (no sessions yet) and shows the columns to
    fill. A table `folder` already has (in any format) is left out: the template never replaces an organiser's
    sessions or people."""
    files = {"conference.yaml": template_yaml(history, year, start)}
    for stem, columns in (("sessions", SESSION_COLUMNS), ("people", PEOPLE_COLUMNS)):
        if folder is None or not any((folder / f"{stem}{suffix}").exists() for suffix in TABLE_SUFFIXES):
            files[f"{stem}.csv"] = ",".join(columns) + "\n"
    return files
