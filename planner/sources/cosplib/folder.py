"""A CoSPLib workbook (workbook.py's records) as a conference folder: conference.yaml, sessions.csv, people.csv and,
where attendees are listed, interest.csv.

How it maps (and what it leaves out, which the import says):

- **Blocks.** Each CoSPLib session (a period such as Mon1, 10:10-11:30, with 4 time slots) becomes as many parallel
  blocks of equal length (mon1-1 10:10-10:30, mon1-2 ...), back to back, marked with the period, so a submission
  needing several slots spans consecutive blocks of one period in one room, as in CoSPLib. The days are the periods'
  dates; a period that overlaps an earlier one in time gets a day of its own after the last (CoSPLib counts periods
  apart: OR60F3's s1-s24 share Thu3's hours).
- **Rooms** are CoSPLib's rooms. CoSPLib gives no capacity: each seats PLACEHOLDER_SEATS (edit conference.yaml). A
  room a `sessions_rooms` penalty rules out in a period, when that penalty weighs as much as a presenter's conflict
  (CoSPLib's hard level), is closed in that period's blocks.
- **Sessions** are the submissions: the reference is the id, one kind `talk`, the track its track and theme, the
  presenters its speakers, its order, time zone and per-period and per-room costs (place_costs). A submission lasts
  its slots times the shortest slot of the programme, and takes that many slots of any period whatever their length
  (Conference.slots_required). The tracks, their chairs and the penalty matrices are the `paper:` section
  (paper.py), and the weights the workbook's under planner's names.
- **People** are the presenters and chairs, by their CoSPLib ids (pseudonymous: P0, P1, ...), with no constraints.
- **Interest.** Each submission's attendees become their picks (interest.csv), which CoSPLib's attendee conflicts
  count (by period or by time slot, as the workbook weighs them); planner's own terms (attendee_conflict, theme
  clashes, back to back ...) are off, so the objective is CoSPLib's.
- The time zone 'GMT+n' becomes Etc/GMT-n (the IANA zone with that offset), GMT+0 UTC.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import yaml

from planner.domain import zone_named
from planner.errors import Collector, InputProblems, Problem
from planner.export.atomic import write_atomic
from planner.filenames import slug
from planner.sources.cosplib.paper import paper_section, place_costs
from planner.sources.cosplib.paper import weights as paper_weights
from planner.sources.cosplib.workbook import CosplibWorkbook, Period

PLACEHOLDER_SEATS = 100
MARKER = "# Imported from a CoSPLib workbook by `planner import cosplib`."
CITATION = (
    "# CoSPLib (MIT licence): A. Kheiri, Y. Pylyavskyy, P. Jacko (2025). CoSPLib - A benchmark library for conference\n"
    "# scheduling problems. GECCO '25 Companion, 131-134. doi:10.1145/3712255.3726570; Y. Pylyavskyy, P. Jacko,\n"
    "# A. Kheiri (2024). A generic approach to conference scheduling with integer programming. EJOR 317(2):487-499.\n"
)
_OFFSET = re.compile(r"^(?:GMT|UTC)\s*([+-])\s*(\d{1,2})$", re.IGNORECASE)
KIND = "talk"


@dataclass
class Imported:
    """The folder's files as text, and what the import has to say."""

    files: dict[str, str]
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)


def time_zone(text: str) -> str | None:
    """CoSPLib's 'GMT+1' as an IANA zone name ('Etc/GMT-1': the Etc zones count the other way), 'GMT+0' as UTC; an
    IANA name as it is; None when it is neither."""
    found = _OFFSET.match(text.strip())
    if found:
        sign, hours = found.groups()
        if int(hours) == 0:
            return "UTC"
        return f"Etc/GMT{'-' if sign == '+' else '+'}{int(hours)}"
    return text.strip() if zone_named(text.strip()) else None


class _Ids:
    """Safe, unique ids made from names (a track's name, a room's), the same name always the same id."""

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.given: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.given:
            base = slug(name)[:70].strip("-") or self.fallback
            made, number = base, 1
            while made in self.given.values():
                number += 1
                made = f"{base}-{number}"
            self.given[name] = made
        return self.given[name]


def _slots(period: Period, on: date) -> list[tuple[datetime, datetime]]:
    start = datetime.combine(on, period.start)
    length = (datetime.combine(on, period.end) - start) / period.timeslots
    edges = [start + length * i for i in range(period.timeslots + 1)]
    edges = [moment.replace(second=0, microsecond=0) for moment in edges]
    return list(pairwise(edges))


def _slot_minutes(book: CosplibWorkbook) -> int:
    """The shortest time slot of the programme, in whole minutes: what one required slot lasts."""
    return min(int((end - start) / timedelta(minutes=1)) for p in book.periods for start, end in _slots(p, p.date))


def _hard(book: CosplibWorkbook, penalty: str) -> bool:
    """Whether a penalty weighs as much as a presenter's conflict: CoSPLib's way of saying 'never'."""
    level = book.weights.get("Presenters Conflicts", 0)
    return level > 0 and book.weights.get(penalty, 0) >= level


def _closed(book: CosplibWorkbook) -> set[tuple[str, str]]:
    """(period, room) that sessions_rooms rules out at CoSPLib's hard level."""
    matrix = book.matrices.get("sessions_rooms|penalty", {})
    return set(matrix) if _hard(book, "Sessions_Rooms|Penalty") else set()


def _dates(book: CosplibWorkbook, notes: list[str]) -> dict[str, date]:
    """Period name -> the date its slots are laid on: its own, unless it overlaps a period listed before it on that
    date, when it gets a day of its own after the last (at its own hours). CoSPLib counts each period apart, even
    at one time (OR60F3 lists 24 periods at Thu3's 17:00-18:30): nobody is in two of them to CoSPLib, which no clock
    can hold, so planner lays them on days of their own, in the workbook's order (its order of periods)."""
    laid: dict[str, date] = {}
    taken: dict[date, list[Period]] = defaultdict(list)
    last = max(p.date for p in book.periods)
    moved = []
    for period in book.periods:
        on = period.date
        if any(p.start < period.end and period.start < p.end for p in taken[on]):
            last = on = last + timedelta(days=1)
            moved.append(period.name)
        laid[period.name] = on
        taken[on].append(period)
    if moved:
        shown = ", ".join(moved[:3]) + (f" ... {moved[-1]}" if len(moved) > 3 else "")
        notes.append(
            f"{len(moved)} period(s) ({shown}) overlap an earlier period in time; CoSPLib counts periods apart, so "
            "each gets a day of its own after the last, at its own hours"
        )
    return laid


def _days(book: CosplibWorkbook, rooms: _Ids, periods: _Ids, notes: list[str]) -> list[dict]:
    """conference.yaml's days and blocks: each period's time slots, marked with the period."""
    closed = _closed(book)
    laid = _dates(book, notes)
    dates = sorted(set(laid.values()))
    day_of = {d: f"d{n}" for n, d in enumerate(dates, start=1)}
    blocks: dict[date, list[dict]] = defaultdict(list)
    shut = 0
    for period in sorted(book.periods, key=lambda p: (laid[p.name], p.start, p.name)):
        open_rooms = [rooms(r) for r in book.rooms if (period.name, r) not in closed]
        if not open_rooms:
            notes.append(f"every room is ruled out in {period.name}: all kept open")
            open_rooms = [rooms(r) for r in book.rooms]
        shut += len(book.rooms) - len(open_rooms)
        for number, (start, end) in enumerate(_slots(period, laid[period.name]), start=1):
            blocks[laid[period.name]].append(
                {
                    "id": f"{periods(period.name)}-{number}",
                    "start": f"{start:%H:%M}",
                    "end": f"{end:%H:%M}",
                    "type": "parallel",
                    "rooms": open_rooms,
                    "kinds": [KIND],
                    "name": period.name,
                    "period": periods(period.name),
                }
            )
    if shut:
        notes.append(f"{shut} (period, room) pairs closed: sessions_rooms rules them out")
    # 'Day 1', not the date: every grid and heading shows the date beside the name already
    return [
        {"id": day_of[d], "date": d.isoformat(), "name": f"Day {n}", "blocks": blocks[d]}
        for n, d in enumerate(dates, start=1)
    ]


def _csv(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _conference(book: CosplibWorkbook, zone: str, days: list[dict], rooms: _Ids, themes: _Ids, paper: dict) -> str:
    stem = Path(book.source).stem
    document = {
        "name": f"{stem} (from CoSPLib)",
        "edition": slug(stem) or "cosplib",
        "timezone": zone,
        "capacity": "soft",
        "rooms": [{"id": rooms(r), "name": r, "capacity": PLACEHOLDER_SEATS} for r in book.rooms],
        "kinds": [{"id": KIND, "label": "Talk"}],
        "themes": [{"id": themes(t.name), "label": t.name} for t in book.tracks],
        "days": days,
        "weights": {
            "theme_clash": 0,
            "theme_spread": 0,
            "back_to_back": 0,
            "room_overflow": 0,
            "day_shape": 0,
            "attendee_conflict": 0,
            **paper_weights(book),
        },
        "paper": paper,
    }
    header = (
        f"{MARKER}\n# Source: {book.source}. Rooms seat {PLACEHOLDER_SEATS} each: CoSPLib gives no capacity.\n"
        "# A paper conference: each period's slots are blocks, each (period, room) holds one track; the weights are\n"
        "# the workbook's, under planner's names (planner/sources/cosplib/paper.py).\n"
        f"{CITATION}"
    )
    return header + yaml.safe_dump(document, sort_keys=False, width=200, allow_unicode=True)


def folder_files(book: CosplibWorkbook, problems: Collector) -> Imported | None:
    """The conference folder's files for the workbook; None with the reason added to `problems` when its time zone
    has no counterpart."""
    zone = time_zone(book.time_zone)
    if zone is None:
        problems.add(book.source, message=f"time zone '{book.time_zone}' is neither GMT+n nor an IANA name")
        return None
    notes: list[str] = []
    rooms, themes, periods = _Ids("room"), _Ids("track"), _Ids("period")
    for track in book.tracks:
        themes(track.name)
    days = _days(book, rooms, periods, notes)
    minutes = _slot_minutes(book)
    people: dict[str, None] = {}
    for track in book.tracks:
        people.update(dict.fromkeys(track.chairs))
    period_id = {p.name: periods(p.name) for p in book.periods}
    sessions, interest = [], []
    for s in book.submissions:
        people.update(dict.fromkeys(s.presenters))
        sessions.append(
            [
                s.reference,
                f"{s.track or 'Talk'}: {s.reference}",
                KIND,
                s.timeslots * minutes,
                themes(s.track) if s.track else "",
                ";".join(s.presenters),
                themes(s.track) if s.track else "",
                s.order or "",
                (time_zone(s.time_zone) or "") if s.time_zone else "",
                place_costs(s, period_id, rooms),
                f"CoSPLib row {s.row}",
            ]
        )
        interest += [[_person(attendee), s.reference] for attendee in s.attendees]
    paper = paper_section(book, themes, rooms, period_id, _person, _closed(book))
    notes += _unmapped(book)
    files = {
        "conference.yaml": _conference(book, zone, days, rooms, themes, paper),
        "sessions.csv": _csv(
            [
                "id",
                "title",
                "kind",
                "duration",
                "themes",
                "speakers",
                "track",
                "order",
                "time_zone",
                "place_costs",
                "notes",
            ],
            sessions,
        ),
        "people.csv": _csv(["id", "name"], [[_person(p), p] for p in people]),
    }
    if interest:
        files["interest.csv"] = _csv(["attendee", "session"], interest)
    counts = {
        "sessions": len(sessions),
        "people": len(people),
        "rooms": len(book.rooms),
        "themes": len(book.tracks),
        "blocks": sum(len(d["blocks"]) for d in days),
        "attendees": len({a for a, _ in interest}),
        "picks": len(interest),
    }
    return Imported(files, counts, notes)


def _person(name: str) -> str:
    """A CoSPLib person id (presenter, chair or attendee: the same pseudonyms) as planner's person id."""
    return slug(name) or name


def _unmapped(book: CosplibWorkbook) -> list[str]:
    notes = []
    if chaired := sum(len(t.chairs) > 1 for t in book.tracks):
        notes.append(f"{chaired} tracks name several chairs: each chairs all of its periods")
    return notes


def import_cosplib(path: Path, out_dir: Path, say: Callable[[str], None]) -> list[Path]:
    """`planner import cosplib`: the workbook in `path` as a conference folder in `out_dir` (made, or replaced when an
    earlier import of a CoSPLib workbook made it). Everything is read, mapped and checked as `planner validate`
    would before the first file is written; raises InputProblems (exit 2) otherwise."""
    from planner.sources.cosplib.workbook import read_workbook

    problems = Collector()
    book = read_workbook(path, problems)
    imported = folder_files(book, problems) if book is not None else None
    existing = out_dir / "conference.yaml"
    if existing.is_file() and not existing.read_text(encoding="utf-8", errors="replace").startswith(MARKER):
        problems.add(str(out_dir), message="holds a conference.yaml this import did not make; give an empty --out")
    problems.raise_if_any()
    assert imported is not None
    _check(imported, path)
    written = [write_atomic(out_dir / name, text) for name, text in imported.files.items()]
    counts = imported.counts
    say(
        f"Wrote {out_dir}: {counts['sessions']} sessions, {counts['people']} people, {counts['rooms']} rooms, "
        f"{counts['themes']} themes, {counts['blocks']} blocks"
        + (f", {counts['picks']} picks by {counts['attendees']} attendees" if counts["picks"] else "")
    )
    for note in imported.notes:
        say(f"note: {note}")
    return written


def _check(imported: Imported, path: Path) -> None:
    """Load the folder as it would be written: a problem `planner validate` would find is the import's, never left
    in a folder."""
    from planner.io.folder import load_folder

    with tempfile.TemporaryDirectory(prefix="planner-cosplib-") as scratch:
        for name, text in imported.files.items():
            (Path(scratch) / name).write_text(text, encoding="utf-8")
        try:
            load_folder(Path(scratch))
        except InputProblems as found:
            raise InputProblems(
                Problem(str(path), p.where, p.field, f"{Path(p.file).name}: {p.message}") for p in found.problems
            ) from None
