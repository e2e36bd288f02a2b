"""A conference folder made from what a source gives, and brought up to date on every later import.

What an organiser may rely on:

- **The same ids.** `source.yaml` in the folder records what the last import read: each room's, kind's, theme's,
  person's and session's planner id by the source's key, and the values the source gave. A re-run gives every key
  the id it had (a session keeps its pretalx code), and a new one an id of its own.
- **Their edits kept.** conference.yaml is theirs after the first import: a re-run only adds the rooms, kinds and
  themes the source gained (one line each, at the end of their lists; one the organiser deleted stays deleted) and
  tells what else differs (a capacity, a name, a room open in a block the source says it is closed). In sessions.csv
  and people.csv the source's columns (title, kind, duration, themes, speakers, abstract; a person's name and
  unavailable times) follow the source only where the source changed them since the last import, so a correction
  typed into the folder stays until the source itself changes; the organiser's columns (chair, expected_audience,
  requires, pins, optional, notes; aliases, organisation, max_sessions_per_day) are never touched; windows an
  organiser added to a person's unavailable times stay; rows the organiser added (ids the source never gave) stay.
- **What changed, said.** `Update.changes` lists the proposals new, withdrawn and edited since the last import.
- **Nothing half-written.** Everything is read and rendered before the first file is written, and each file is
  written atomically (`write_folder`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import Collector, InputProblems, Problem
from planner.export.atomic import write_atomic
from planner.io.records import PEOPLE_COLUMNS, SESSION_COLUMNS
from planner.io.yamlfile import read_yaml
from planner.sources.conference_yaml import Ids, add_items, closed_rooms, kind_item, new_conference, room_item
from planner.sources.proposals import Imported
from planner.sources.record import RECORD, Record, allocate, read_record, record_text
from planner.sources.rows import PEOPLE, SESSIONS, Changes, csv_text, existing_rows, people_rows, session_rows

CONFERENCE = "conference.yaml"


@dataclass(frozen=True)
class Update:
    """A folder's files as an import would leave them, rendered, with what changed and what to look at."""

    files: dict[str, str]
    changes: Changes
    first: bool
    """Whether the folder had no conference.yaml (a first import)."""
    counts: dict[str, int]
    """sessions, people, rooms, kinds, themes as imported."""
    notes: list[str] = field(default_factory=list)
    """What differs between the source and the organiser's conference.yaml, and other things to look at."""
    warnings: list[Problem] = field(default_factory=list)


def _conference_ids(document: Any, part: str) -> dict[str, dict[str, Any]]:
    items = document.get(part) if isinstance(document, dict) else None
    return {str(i["id"]): i for i in items if isinstance(i, dict) and "id" in i} if isinstance(items, list) else {}


def _held(document: Any, part: str) -> dict[str, str]:
    """conference.yaml's items of a part by their name or label (any case) -> id; an item without a name by its
    id."""
    held: dict[str, str] = {}
    for item_id, item in _conference_ids(document, part).items():
        name = str(item.get("name") or item.get("label") or item_id)
        held.setdefault(name.casefold(), item_id)
    return held


def _update_conference(text: str, document: Any, imported: Imported, ids: Ids, record: Record, notes: list[str]) -> str:
    """The organiser's conference.yaml with the source's new rooms, kinds and themes added (see the module)."""
    additions: dict[str, list[dict[str, object]]] = {"rooms": [], "kinds": [], "themes": []}
    rooms = _conference_ids(document, "rooms")
    for room in imported.rooms:
        room_id = ids.rooms[room.key]
        if room_id in rooms:
            held = rooms[room_id]
            if room.capacity and held.get("capacity") != room.capacity:
                notes.append(
                    f"room {room_id}: {imported.source} gives capacity {room.capacity}; conference.yaml keeps "
                    f"{held.get('capacity')}"
                )
            if str(held.get("name", "")) != room.name:
                notes.append(
                    f"room {room_id}: {imported.source} calls it '{room.name}'; conference.yaml keeps "
                    f"'{held.get('name')}'"
                )
        elif room.key in record.rooms:
            notes.append(
                f"room {room_id} ('{room.name}') is in {imported.source} but was removed from conference.yaml; left out"
            )
        else:
            additions["rooms"].append(room_item(room, room_id))
    kinds = _conference_ids(document, "kinds")
    for kind in imported.kinds:
        kind_id = ids.kinds[kind.key]
        if kind_id not in kinds and kind.key not in record.kinds:
            additions["kinds"].append(kind_item(kind.key, kind.name, kind.colour, ids.kinds))
    has_themes = isinstance(document, dict) and "themes" in document
    themes = _conference_ids(document, "themes")
    for theme in imported.themes:
        theme_id = ids.themes[theme.key]
        if has_themes and theme_id not in themes and theme.key not in record.themes:
            additions["themes"].append({"id": theme_id, "label": theme.name})
    _dates_note(document, imported, notes)
    for part, items in additions.items():
        text, done = add_items(text, part, items)
        for item in items:
            notes.append(
                f"added {part[:-1]} {item['id']} to conference.yaml"
                if done
                else f"{part[:-1]} {item['id']} is new in {imported.source}; add it to conference.yaml's {part}: {item}"
            )
        if done and part in ("rooms", "kinds") and items:
            what = {
                "rooms": ("name their rooms", "open the new rooms", "where they are open"),
                "kinds": ("name their kinds", "take the new kinds", "where they may go"),
            }[part]
            notes.append(f"blocks that {what[0]} do not {what[1]}: add them {what[2]}")
    return text


def _dates_note(document: Any, imported: Imported, notes: list[str]) -> None:
    """Say when conference.yaml's days are not the source's dates (a grid taken from `planner history template`)."""
    days = document.get("days") if isinstance(document, dict) else None
    dates = sorted(str(d.get("date")) for d in days if isinstance(d, dict)) if isinstance(days, list) else []
    wanted = [str(imported.first), str(imported.last)]
    if dates and [dates[0], dates[-1]] != wanted:
        notes.append(
            f"conference.yaml's days run {dates[0]} to {dates[-1]}; {imported.source} gives {wanted[0]} to "
            f"{wanted[1]} (kept as they are: move the days if the event's dates are right)"
        )


def _conference_notes(folder_text: dict[str, str], imported: Imported, ids: Ids, notes: list[str]) -> list[Problem]:
    """Load the folder as it would be after the import: what `planner validate` would refuse, and blocks opening a
    room the source says is closed."""
    from planner.io.folder import load_folder

    with tempfile.TemporaryDirectory(prefix="planner-import-") as scratch:
        for name, text in folder_text.items():
            (Path(scratch) / name).write_text(text, encoding="utf-8")
        try:
            loaded = load_folder(Path(scratch))
        except InputProblems as found:
            return [
                Problem(p.file.replace(scratch, "").lstrip("/\\"), p.where, p.field, p.message) for p in found.problems
            ]
    notes += closed_rooms(loaded.conference, imported, ids)
    return []


def update_folder(imported: Imported, folder: Path) -> Update:
    """The folder's files as this import leaves them (nothing is written); raises InputProblems when the folder
    holds something an import cannot update."""
    problems = Collector()
    if folder.exists() and not folder.is_dir():
        problems.add(str(folder), message="is not a folder; expected a conference folder (or a new one) for --out")
        problems.raise_if_any()
    warnings = list(imported.warnings)
    record = read_record(folder, warnings)
    _, sessions_listed = existing_rows(folder, "sessions", problems)
    _, people_listed = existing_rows(folder, "people", problems)
    conference_path = folder / CONFERENCE
    document, text = None, None
    if conference_path.is_file():
        text = conference_path.read_text(encoding="utf-8")
        document = read_yaml(conference_path, str(conference_path), problems)
    problems.raise_if_any()

    held = {part: _held(document, part) for part in ("rooms", "kinds", "themes")}
    ids = Ids(
        rooms=allocate(((r.key, r.name) for r in imported.rooms), record.rooms, held["rooms"], "room"),
        kinds=allocate(((k.key, k.name) for k in imported.kinds), record.kinds, held["kinds"], "kind"),
        themes=allocate(((t.key, t.name) for t in imported.themes), record.themes, held["themes"], "theme"),
    )
    speakers = {s for p in imported.proposals for s in p.speakers}
    people, people_record, person_ids = people_rows(imported, record, people_listed, speakers)
    sessions = session_rows(imported, ids, person_ids, record, sessions_listed, warnings)
    notes: list[str] = []
    conference = (
        new_conference(imported, ids)
        if text is None
        else _update_conference(text, document, imported, ids, record, notes)
    )
    new_record = Record(dict(ids.rooms), dict(ids.kinds), dict(ids.themes), people_record, sessions.record)
    files = {
        SESSIONS: csv_text(SESSION_COLUMNS, sessions.rows),
        PEOPLE: csv_text(PEOPLE_COLUMNS, people),
        CONFERENCE: conference,
    }
    refused = _conference_notes(files, imported, ids, notes)
    notes += [f"after this import, `planner validate` would report: {problem}" for problem in refused]
    files[RECORD] = record_text(imported, new_record)
    counts = {
        "sessions": len(imported.proposals),
        "people": len(people_record),
        "rooms": len(imported.rooms),
        "kinds": len(imported.kinds),
        "themes": len(imported.themes),
    }
    return Update(files, sessions.changes, text is None, counts, notes, warnings)


def write_folder(update: Update, folder: Path) -> list[Path]:
    """Write the update's files, each atomically, the record last (so an interrupted import is re-run whole)."""
    return [write_atomic(folder / name, text) for name, text in update.files.items()]


def summary(update: Update, imported: Imported, folder: Path) -> list[str]:
    """What the import did, in lines for the terminal."""
    c = update.counts
    lines = [
        f"{'Imported' if update.first else 'Updated'} {folder} from {imported.source} ({imported.origin}): "
        f"{c['sessions']} sessions, {c['people']} people, {c['rooms']} rooms, {c['kinds']} kinds, {c['themes']} themes"
    ]
    changes = update.changes
    if not update.first:
        lines.append(
            f"{len(changes.new)} new, {len(changes.withdrawn)} withdrawn, {len(changes.edited)} edited, "
            f"{changes.unchanged} unchanged"
        )
    lines += [f"  new: {session} '{title}'" for session, title in changes.new] if not update.first else []
    lines += [f"  withdrawn: {session} '{title}' (removed from {SESSIONS})" for session, title in changes.withdrawn]
    lines += [f"  edited: {e.session} '{e.title}': {', '.join(e.fields)}" for e in changes.edited]
    lines += [
        f"  restored: {session} '{title}' (deleted from {SESSIONS}, still in {imported.source}: withdraw or reject it "
        "there to leave it out)"
        for session, title in changes.restored
    ]
    if changes.kept:
        lines.append(f"  kept (not from {imported.source}): {', '.join(changes.kept)}")
    lines += [f"note: {note}" for note in update.notes]
    return lines
