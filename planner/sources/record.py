"""The record an import leaves in the folder (`source.yaml`): what it last read, so that the next import keeps every
id and tells the organiser's edits from the source's changes. Ids are given here too."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.errors import Collector, Problem
from planner.filenames import slug
from planner.io.yamlfile import read_yaml
from planner.sources.proposals import Imported

RECORD = "source.yaml"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,69}$")
"""The domain's Id, with room for a '-2'."""


def allocate(
    wanted: Iterable[tuple[str, str]], previous: Mapping[str, str], folder: Mapping[str, str], prefix: str
) -> dict[str, str]:
    """An id for each (key, name): the one the last import gave the key (`previous`); else the id of what the
    folder already holds under that name (`folder`: name, any case -> id; a folder made by hand, or a lost
    record); else the name's slug (or prefix-key), unique among the folder's ids and those given here."""
    ids: dict[str, str] = {}
    wanted = list(wanted)
    given: set[str] = set()
    for key, name in wanted:
        for known in (previous.get(key), folder.get(name.casefold())):
            if known and _ID.match(known) and known not in given:
                ids[key] = known
                given.add(known)
                break
    taken = given | set(folder.values())
    for key, name in wanted:
        if key in ids:
            continue
        base = slug(name)[:60].strip("-") or slug(f"{prefix}-{key}")[:60].strip("-") or prefix
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        ids[key] = candidate
        taken.add(candidate)
    return ids


def key_id(key: str) -> str:
    return key if _ID.match(key) else ""


@dataclass(frozen=True)
class Record:
    rooms: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    themes: dict[str, str] = field(default_factory=dict)
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    """key -> {id, name, unavailable: [window texts]}."""
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    """key -> {id, and each source column's cell (the abstract as a digest)}."""

    def ids(self, part: str) -> dict[str, str]:
        table = getattr(self, part)
        return {k: (v["id"] if isinstance(v, dict) else v) for k, v in table.items()}


def _mapping(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def read_record(folder: Path, warnings: list[Problem]) -> Record:
    path = folder / RECORD
    if not path.is_file():
        return Record()
    found = Collector()
    document = read_yaml(path, str(path), found)
    if not isinstance(document, dict) or found:
        warnings.append(Problem(str(path), message="cannot be read; this import gives ids as a first one would"))
        return Record()
    parts = {name: _mapping(document.get(name)) for name in ("rooms", "kinds", "themes", "people", "sessions")}
    for name in ("people", "sessions"):
        parts[name] = {k: v for k, v in parts[name].items() if isinstance(v, dict) and isinstance(v.get("id"), str)}
    for name in ("rooms", "kinds", "themes"):
        parts[name] = {k: v for k, v in parts[name].items() if isinstance(v, str)}
    return Record(**parts)


def record_text(imported: Imported, record: Record) -> str:
    header = (
        f"# Written by `planner import {imported.source}`: what it last read from {imported.origin}, so that a re-run\n"
        "# keeps every id and tells your edits from the source's changes. Leave it as it is.\n"
    )
    body = {
        "source": imported.source,
        "origin": imported.origin,
        "rooms": record.rooms,
        "kinds": record.kinds,
        "themes": record.themes,
        "people": record.people,
        "sessions": record.sessions,
    }
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
