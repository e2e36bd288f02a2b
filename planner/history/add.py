"""Any published programme as history: a frab schedule.xml or schedule.json (as pretalx, frab and many conferences
publish them) made into a history file that `planner history` and `planner history template` analyse like the
editions transcribed by hand.

How a published programme becomes recorded facts:

- Days are the file's days (its index, else its order), dated by their first session's local date: a day that runs
  past midnight (a congress's night talks) stays one day, its sessions in time order.
- Sessions that start at the same moment in one day are one slot, its concurrency `stated` (the file gives the
  times); slots are ordered by time. A session listed in two rooms at once under one title (a talk streamed into a
  second hall) is recorded once, and the slot's note says so.
- Each session keeps the file's type as its label and takes the history kind it names (`KIND_WORDS`: a keynote is a
  keynote, a workshop a workshop, a lecture or talk a public talk, ...); its time is local (`FrabSchedule.zone_said`
  says which zone); its people are speakers as the file writes them; its themes are the bundled taxonomy's keyword
  suggestions from its title, track and abstract (none when nothing matches).
- Ids are '<edition>-<the event's id>', unique in the file.

The result is checked as `planner history` would load it (the edition's name unused by another file, every session
id unique across the folder) before anything is written.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import yaml

from planner.domain import Theme
from planner.errors import Collector, InputProblems, Problem
from planner.filenames import slug
from planner.formats.frab.read import FrabEvent, FrabSchedule
from planner.history.load import VARIANTS_FILE, read_editions
from planner.themes import bundled_taxonomy, suggest_themes

KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("welcome", ("welcome", "opening", "begrüßung", "eröffnung")),
    ("keynote", ("keynote",)),
    ("panel", ("panel", "podium")),
    ("roundtable", ("roundtable", "round table", "discussion", "bof", "meetup", "meeting", "diskussion")),
    ("workshop", ("workshop", "hands-on", "tutorial", "lab")),
    ("deep_dive", ("deep dive", "deep-dive")),
    ("launch", ("launch", "book")),
    ("breakfast", ("breakfast",)),
    ("share_and_learn", ("share and learn", "lightning", "short talk")),
    ("social", ("social", "party", "concert", "reception", "dinner", "closing", "ceremony")),
)
"""Words in a session's type (any case) and the history kind they name, first match wins; anything else (a talk, a
lecture, a Vortrag) is a `public_talk`."""
DEFAULT_KIND = "public_talk"
_EDITION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}")
"""The domain's Id: what an edition may be called."""
MAX_SUMMARY = 2000


def kind_of(label: str) -> str:
    """The history kind a published type names (see KIND_WORDS)."""
    text = label.casefold()
    for kind, words in KIND_WORDS:
        if any(word in text for word in words):
            return kind
    return DEFAULT_KIND


@dataclass(frozen=True)
class Added:
    """A history file made from a published programme: where it goes, its text, and what it holds."""

    path: Path
    text: str
    days: int
    slots: int
    sessions: int
    people: int
    zone_said: str
    notes: tuple[str, ...] = ()


def read_programme(path: Path, label: str) -> FrabSchedule:
    """A frab schedule.xml or schedule.json; raises InputProblems saying what was expected."""
    from planner.formats.frab.read import EXPECTED, frab_from_json, is_frab_document, read_frab_xml
    from planner.formats.schedule_json import parse_json
    from planner.io.yamlfile import too_large

    problems = Collector()
    frab = None
    if not path.is_file():
        problems.add(label, message=f"not found; {EXPECTED}")
    elif not too_large(path, label, problems):
        if path.suffix.lower() == ".xml":
            frab = read_frab_xml(path, label, None, problems)
        elif path.suffix.lower() == ".json":
            document = parse_json(path, label, problems)
            if document is not None and not is_frab_document(document):
                problems.add(label, message=f"is not a frab schedule JSON; {EXPECTED}")
            elif document is not None:
                frab = frab_from_json(document, label, None, problems)
        else:
            problems.add(label, message=f"is a '{path.suffix}' file; {EXPECTED}")
    problems.raise_if_any()
    assert frab is not None
    return frab


def _local(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone)


def _days(events: tuple[FrabEvent, ...]) -> list[list[FrabEvent]]:
    """The file's days in order, each day's sessions in time order."""
    by_day: dict[Any, list[FrabEvent]] = defaultdict(list)
    for event in events:
        by_day[event.day].append(event)
    ordered = sorted(by_day.values(), key=lambda day: min(e.start for e in day))
    return [sorted(day, key=lambda e: (e.start, e.room, e.title)) for day in ordered]


def _session(event: FrabEvent, session_id: str, zone: tzinfo, taxonomy: tuple[Theme, ...]) -> dict[str, Any]:
    label = event.type or None
    text = f"{event.title}\n{event.track}\n{event.abstract}"
    summary = " ".join(event.abstract.split())[:MAX_SUMMARY] or None
    return {
        "id": session_id,
        "kind": kind_of(event.type or ""),
        "label": label,
        "title": event.title or session_id,
        "time": f"{_local(event.start, zone):%H:%M}",
        "attendance": None,
        "themes": list(suggest_themes(text, taxonomy)),
        "people": [{"name": name, "organisation": None, "role": "speaker"} for name in event.persons],
        "summary": summary,
        "uncertain": None,
    }


def _ids(events: tuple[FrabEvent, ...], edition: str) -> dict[int, str]:
    """'<edition>-<event id>' for each event (by position), made unique."""
    made: dict[int, str] = {}
    taken: set[str] = set()
    for index, event in enumerate(events):
        own = next((i for i in event.ids if len(i) <= 40), event.ids[0] if event.ids else str(index + 1))
        base = slug(f"{edition}-{own}")[:70].strip("-") or f"{slug(edition)}-{index + 1}"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        made[index] = candidate
    return made


def edition_document(frab: FrabSchedule, edition: str, source: str) -> tuple[dict[str, Any], list[str], int]:
    """The history file's content as data, the notes to print, and the number of slots."""
    zone = frab.zone or UTC
    taxonomy = bundled_taxonomy()
    index = {id(event): n for n, event in enumerate(frab.events)}
    ids = _ids(frab.events, edition)
    days, notes, slot_count = [], [], 0
    for number, events in enumerate(_days(frab.events), start=1):
        slots: dict[datetime, list[FrabEvent]] = defaultdict(list)
        for event in events:
            slots[event.start].append(event)
        recorded_slots = []
        for order, start in enumerate(sorted(slots), start=1):
            sessions: list[dict[str, Any]] = []
            note: str | None = None
            seen: dict[tuple[str, datetime], FrabEvent] = {}
            for event in slots[start]:
                twin = seen.get((event.title.casefold(), event.end))
                if twin is not None:
                    note = (
                        f"'{event.title}' is listed in {twin.room} and {event.room} at once (streamed): recorded once"
                    )
                    notes.append(f"day {number}, {_local(start, zone):%H:%M}: {note}")
                    continue
                seen[(event.title.casefold(), event.end)] = event
                sessions.append(_session(event, ids[index[id(event)]], zone, taxonomy))
            recorded_slots.append({"order": order, "concurrency": "stated", "note": note, "sessions": sessions})
        slot_count += len(recorded_slots)
        days.append(
            {
                "day": number,
                "date": min(_local(e.start, zone).date() for e in events),
                "date_note": None,
                "source": source,
                "attendance": None,
                "slots": recorded_slots,
            }
        )
    first = min(_local(e.start, zone) for e in frab.events)
    document = {
        "edition": edition,
        "year": first.year,
        "name": frab.title or edition,
        "format": None,
        "venue": None,
        "days": days,
    }
    return document, notes, slot_count


def add_to_history(path: Path, edition: str, folder: Path, replace: bool = False) -> Added:
    """The history file `folder/<edition>.yaml` made from the programme in `path` (nothing is written); raises
    InputProblems when the programme cannot be read, the edition is not an id, the file exists (unless `replace`),
    or `planner history` would refuse the folder with it."""
    label = str(path)
    problems = Collector()
    if not _EDITION.fullmatch(edition):
        problems.add(
            label, field="--edition", message=f"'{edition}' is not an edition id (letters, digits, '_', '.', '-')"
        )
    target = folder / f"{slug(edition) or 'edition'}.yaml"
    if target.name == VARIANTS_FILE:
        problems.add(
            label, field="--edition", message=f"'{edition}' would be written as {VARIANTS_FILE}; choose another"
        )
    if target.exists() and not replace:
        problems.add(str(target), message="already exists; choose another --edition or give --replace")
    if folder.exists() and not folder.is_dir():
        problems.add(str(folder), message="is not a folder; expected the history folder")
    problems.raise_if_any()
    frab = read_programme(path, label)
    document, notes, slots = edition_document(frab, edition, path.name)
    header = (
        f"# {document['name']}, taken as history by `planner history add` from {path.name}.\n"
        f"# Times are local: {frab.zone_said or 'UTC'}.\n"
        "# Kinds are read from each session's type (the label keeps the file's own word); themes are keyword\n"
        "# suggestions from the bundled taxonomy. Edit freely.\n"
    )
    text = header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)
    _check_folder(folder, target, text)
    sessions = sum(len(slot["sessions"]) for day in document["days"] for slot in day["slots"])
    people = {
        p["name"] for day in document["days"] for slot in day["slots"] for s in slot["sessions"] for p in s["people"]
    }
    return Added(target, text, len(document["days"]), slots, sessions, len(people), frab.zone_said, tuple(notes))


def _check_folder(folder: Path, target: Path, text: str) -> None:
    """Load the history folder as it would be with the new file, as `planner history` does; its problems, named by
    the new file's path, are raised."""
    with tempfile.TemporaryDirectory(prefix="planner-history-") as scratch:
        copy = Path(scratch)
        if folder.is_dir():
            for existing in folder.glob("*.yaml"):
                if existing.name != target.name:
                    (copy / existing.name).write_bytes(existing.read_bytes())
        (copy / target.name).write_text(text, encoding="utf-8")
        try:
            read_editions(copy)
        except InputProblems as found:
            raise InputProblems(
                [Problem(p.file.replace(str(copy), str(folder)), p.where, p.field, p.message) for p in found.problems]
            ) from None


def summary(added: Added) -> list[str]:
    lines = [
        f"{added.path}: {added.days} days, {added.sessions} sessions in {added.slots} slots, {added.people} people; "
        f"times in {added.zone_said or 'UTC'}"
    ]
    return lines + [f"note: {note}" for note in added.notes]
