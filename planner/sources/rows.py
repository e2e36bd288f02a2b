"""The sessions and people tables an import writes (sessions.csv, people.csv): the source's columns where the source
changed them since the last import, everything else as the organiser left it (see `folder`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from planner.errors import Collector, Problem
from planner.identity import name_key
from planner.io.records import PEOPLE_COLUMNS, SESSION_COLUMNS
from planner.io.tables import LIST_SEPARATOR, read_table, split_cell
from planner.io.yamlfile import CONTROL_CHARACTERS
from planner.sources.conference_yaml import Ids
from planner.sources.proposals import Imported, SourcePerson, SourceProposal, Span
from planner.sources.record import Record, allocate, digest, key_id

SESSIONS, PEOPLE = "sessions.csv", "people.csv"
SOURCE_SESSION_COLUMNS = ("title", "kind", "duration", "themes", "speakers", "abstract")
MAX_NAME, MAX_TEXT = 300, 10_000
"""The domain's limits for a name or title and for an abstract."""


@dataclass(frozen=True)
class Edited:
    session: str
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Changes:
    """What an import changed in the folder's proposals, since the last import (or since nothing)."""

    new: tuple[tuple[str, str], ...] = ()
    """(id, title) of proposals the folder did not have."""
    withdrawn: tuple[tuple[str, str], ...] = ()
    """(id, title) of proposals the last import had and the source no longer runs: removed from sessions.csv."""
    edited: tuple[Edited, ...] = ()
    """Proposals whose source columns the source changed since the last import."""
    unchanged: int = 0
    restored: tuple[tuple[str, str], ...] = ()
    """(id, title) of proposals someone deleted from sessions.csv that the source still runs: written back (a
    proposal leaves the programme in the source: withdrawn or rejected there)."""
    kept: tuple[str, ...] = ()
    """Ids of sessions the organiser added to the folder (never from the source): kept."""


def clean(text: str, limit: int = MAX_NAME) -> str:
    """Text as a folder can hold it: control characters dropped, cut to `limit` characters."""
    return CONTROL_CHARACTERS.sub("", text).strip()[:limit].strip()


def _list_name(text: str) -> str:
    """A name as a list cell holds it (';' separates names)."""
    return clean(text).replace(LIST_SEPARATOR, ",")


def _floor(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _ceil(moment: datetime) -> datetime:
    return _floor(moment) + (timedelta(minutes=1) if moment != _floor(moment) else timedelta())


def unavailable(available: Iterable[Span], first: date, last: date, zone: ZoneInfo) -> list[str]:
    """The event's days outside `available`, as the people table's windows ('YYYY-MM-DD HH:MM-HH:MM' in local
    time, or a whole day 'YYYY-MM-DD'); rounded outwards to the minute, so a window never shrinks. Up to midnight is
    written as until 23:59 (the table's clock has no 24:00)."""
    spans = sorted((_floor(a.astimezone(zone)), _ceil(b.astimezone(zone))) for a, b in available)
    windows = []
    on = first
    while on <= last:
        day_start = datetime.combine(on, time(0), tzinfo=zone)
        day_end = day_start + timedelta(days=1)
        cursor, gaps = day_start, []
        for start, end in spans:
            if end <= cursor or start >= day_end:
                continue
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < day_end:
            gaps.append((cursor, day_end))
        if gaps == [(day_start, day_end)]:
            windows.append(on.isoformat())
        else:
            for start, end in gaps:
                until = "23:59" if end >= day_end else f"{end:%H:%M}"
                if f"{start:%H:%M}" < until:
                    windows.append(f"{on.isoformat()} {start:%H:%M}-{until}")
        on += timedelta(days=1)
    return windows


def _people_names(people: Iterable[SourcePerson]) -> dict[str, str]:
    """Each person's name as the folder writes it: two people the identity rules would take for one (the same
    name, or the same but for a title) are told apart by their key."""
    names = {p.key: _list_name(p.name) or p.key for p in people}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name_key(name)] = counts.get(name_key(name), 0) + 1
    return {key: f"{name} ({key})" if counts[name_key(name)] > 1 else name for key, name in names.items()}


def existing_rows(folder: Path, stem: str, problems: Collector) -> tuple[list[str], list[dict[str, str]]]:
    """The folder's sessions or people table as (header, rows of text cells); only a CSV one may be updated."""
    others = [folder / f"{stem}{s}" for s in (".yaml", ".yml", ".xlsx") if (folder / f"{stem}{s}").is_file()]
    if others:
        problems.add(
            str(others[0]),
            message=f"planner import keeps the {stem} table as {stem}.csv; save this one as CSV (or remove it) first",
        )
        return [], []
    path = folder / f"{stem}.csv"
    if not path.is_file():
        return [], []
    header, rows = read_table(path, str(path), stem, problems)
    cells = [{k: LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in row.cells.items()} for row in rows]
    return header, cells


def csv_text(columns: Iterable[str], rows: Iterable[Mapping[str, str]]) -> str:
    import csv
    import io

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    columns = list(columns)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return text.getvalue()


def _merge(now: str, before: str | None, folder: str | None) -> str:
    """A source column's cell: the folder's when the source has not changed it since the last import."""
    return folder if folder is not None and before is not None and now == before else now


@dataclass
class SessionRows:
    rows: list[dict[str, str]]
    record: dict[str, dict[str, Any]]
    changes: Changes


def _session_cells(proposal: SourceProposal, ids: Ids, people: Mapping[str, str]) -> dict[str, str]:
    return {
        "title": clean(proposal.title),
        "kind": ids.kinds[proposal.kind],
        "duration": str(proposal.minutes),
        "themes": LIST_SEPARATOR.join(ids.themes[t] for t in proposal.themes if t in ids.themes),
        "speakers": LIST_SEPARATOR.join(people[s] for s in proposal.speakers if s in people),
        "abstract": clean(proposal.abstract, MAX_TEXT),
    }


def session_rows(
    imported: Imported,
    ids: Ids,
    people: Mapping[str, str],
    record: Record,
    existing: list[dict[str, str]],
    warnings: list[Problem],
) -> SessionRows:
    previous = record.ids("sessions")
    held = {row["id"].casefold(): row["id"] for row in existing if row.get("id")}
    wanted = [(p.key, key_id(p.key) or p.title) for p in imported.proposals]
    own = {p.key: key_id(p.key) for p in imported.proposals if key_id(p.key)}  # a session keeps its key
    session_ids = allocate(wanted, own | previous, held, "s")
    by_id = {row.get("id", ""): row for row in existing}
    rows, new_record, new, edited, restored, unchanged = [], {}, [], [], [], 0
    for proposal in imported.proposals:
        session_id = session_ids[proposal.key]
        now = _session_cells(proposal, ids, people)
        if len(proposal.abstract) > MAX_TEXT:
            warnings.append(
                Problem(imported.origin, message=f"{session_id}: the abstract is cut to {MAX_TEXT} characters")
            )
        before = record.sessions.get(proposal.key)
        folder_row = by_id.get(session_id)
        row = {column: "" for column in SESSION_COLUMNS} | (folder_row or {}) | {"id": session_id}
        for column, value in now.items():
            if column == "abstract":
                same = before is not None and before.get("abstract") == digest(value)
                row[column] = folder_row.get(column, value) if folder_row is not None and same else value
            else:
                row[column] = _merge(
                    value, None if before is None else str(before.get(column, "")), (folder_row or {}).get(column)
                )
        rows.append(row)
        new_record[proposal.key] = {"id": session_id} | {k: v for k, v in now.items() if k != "abstract"}
        new_record[proposal.key]["abstract"] = digest(now["abstract"])
        if before is None and folder_row is None:
            new.append((session_id, now["title"]))
        elif before is not None and folder_row is None and existing:
            restored.append((session_id, now["title"]))
        elif before is not None:
            changed = tuple(
                c for c in SOURCE_SESSION_COLUMNS if str(before.get(c, "")) != str(new_record[proposal.key][c])
            )
            if changed:
                edited.append(Edited(session_id, now["title"], changed))
            else:
                unchanged += 1
        else:
            unchanged += 1
    current = {session_ids[p.key] for p in imported.proposals}
    was_source = set(previous.values()) | {key_id(key) for key in imported.withdrawn}
    withdrawn = [(row.get("id", ""), row.get("title", "")) for row in existing if row.get("id") in was_source - current]
    withdrawn += [
        (entry["id"], str(entry.get("title", "")))
        for key, entry in record.sessions.items()
        if entry["id"] not in current and entry["id"] not in by_id
    ]
    kept = [row for row in existing if row.get("id") not in current and row.get("id") not in was_source]
    rows += [{column: "" for column in SESSION_COLUMNS} | row for row in kept]
    changes = Changes(
        new=tuple(new),
        withdrawn=tuple(sorted(set(withdrawn))),
        edited=tuple(edited),
        unchanged=unchanged,
        restored=tuple(restored),
        kept=tuple(row.get("id", "") for row in kept),
    )
    return SessionRows(rows, new_record, changes)


def people_rows(
    imported: Imported,
    record: Record,
    existing: list[dict[str, str]],
    speakers: set[str],
) -> tuple[list[dict[str, str]], dict[str, dict[str, Any]], dict[str, str]]:
    """The people table's rows, the record of them, and the ids of the source's people by key (sessions name their
    speakers by id, so a name corrected in the folder changes no session row)."""
    zone = ZoneInfo(imported.timezone)
    people = [p for p in imported.people if p.key in speakers]
    names = _people_names(people)
    held = {row["name"].casefold(): row["id"] for row in existing if row.get("id") and row.get("name")}
    held |= {row["id"].casefold(): row["id"] for row in existing if row.get("id") and not row.get("name")}
    previous = record.ids("people")
    ids = allocate(((p.key, names[p.key]) for p in people), previous, held, "person")
    by_id = {row.get("id", ""): row for row in existing}
    rows, new_record = [], {}
    for person in people:
        person_id = ids[person.key]
        windows = unavailable(person.available, imported.first, imported.last, zone) if person.available else []
        before = record.people.get(person.key)
        folder_row = by_id.get(person_id)
        row = {column: "" for column in PEOPLE_COLUMNS} | (folder_row or {}) | {"id": person_id}
        row["name"] = _merge(
            names[person.key], None if before is None else str(before.get("name", "")), (folder_row or {}).get("name")
        )
        earlier = [str(w) for w in before.get("unavailable", [])] if before else []
        own = [w for w in split_cell((folder_row or {}).get("unavailable", "")) if w not in earlier]
        row["unavailable"] = LIST_SEPARATOR.join(dict.fromkeys(windows + own))
        if person.organisation and not row.get("organisation"):
            row["organisation"] = _list_name(person.organisation)
        rows.append(row)
        new_record[person.key] = {"id": person_id, "name": names[person.key], "unavailable": windows}
    source_ids = set(previous.values()) | set(ids.values())
    rows += [{column: "" for column in PEOPLE_COLUMNS} | row for row in existing if row.get("id") not in source_ids]
    return rows, new_record, ids
