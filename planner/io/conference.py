"""conference.yaml to a `Conference`: clock times made exact in the conference's zone, defaults filled, references
between rooms, kinds, days and blocks checked, every problem placed on its line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from planner.clock import CLOCK_FORMAT, local_datetime, outside_years, parse_clock
from planner.domain import BlockType, Conference, zone_named
from planner.errors import Collector, Where
from planner.io.validation import Loc, check_numbers, validate
from planner.io.yamlfile import LineDict, line_at, read_yaml
from planner.themes import bundled_taxonomy


def _zone(document: dict[str, Any]) -> ZoneInfo:
    # A bad zone is reported by the model; UTC meanwhile, to go on and find other problems.
    return zone_named(str(document.get("timezone", ""))) or ZoneInfo("UTC")


def _ids(items: Any) -> list[str]:
    """The ids of a list of mappings; anything else has none (its shape is reported by the model)."""
    return (
        [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]
        if isinstance(items, list)
        else []
    )


def _prepare_blocks(document: LineDict, label: str, problems: Collector) -> set[int]:
    """Fill day and block defaults and turn 'HH:MM' into exact times, in place; the positions of the days whose date
    is unusable (so their blocks' times could not be made exact) are returned."""
    zone, room_ids, kind_ids = _zone(document), _ids(document.get("rooms")), _ids(document.get("kinds"))
    days, undated = document.get("days"), set()
    for d, day in enumerate(days if isinstance(days, list) else [], start=1):
        if not isinstance(day, dict):
            continue
        day.setdefault("id", f"d{d}")
        day.setdefault("name", f"Day {d}")
        try:
            day_date = date.fromisoformat(str(day.get("date")))
        except ValueError:
            day_date = None  # reported by the model
        if day_date is not None and (why := outside_years(day_date)):
            problems.add(label, line_at(document, ("days", d - 1, "date")), "date", why)
            day_date = None
        if day_date is None:
            undated.add(d)
        blocks = day.get("blocks")
        for b, block in enumerate(blocks if isinstance(blocks, list) else [], start=1):
            if not isinstance(block, dict):
                continue
            block.setdefault("id", f"{day['id']}-b{b}")
            if str(block.get("type")) != BlockType.BREAK:
                block.setdefault("rooms", room_ids)
                block.setdefault("kinds", kind_ids)
            for edge in ("start", "end"):
                if edge not in block or day_date is None:
                    continue
                where = line_at(document, ("days", d - 1, "blocks", b - 1, edge))
                clock = parse_clock(str(block[edge]))
                if clock is None:
                    problems.add(label, where, edge, f"'{block[edge]}' is not a time; expected {CLOCK_FORMAT}")
                    block[edge] = None
                    continue
                moment, why = local_datetime(day_date, clock, zone)
                if moment is None:
                    problems.add(label, where, edge, why)
                block[edge] = moment
    return undated


def _check_references(conference: Conference, document: LineDict, label: str, problems: Collector) -> None:
    """Ids given twice, and blocks naming rooms or kinds the conference does not define."""
    groups: dict[str, list[tuple[str, Loc]]] = {
        "rooms": [(r.id, ("rooms", i)) for i, r in enumerate(conference.rooms)],
        "kinds": [(k.id, ("kinds", i)) for i, k in enumerate(conference.kinds)],
        "days": [(d.id, ("days", i)) for i, d in enumerate(conference.days)],
        "blocks": [
            (b.id, ("days", i, "blocks", j)) for i, d in enumerate(conference.days) for j, b in enumerate(d.blocks)
        ],
    }
    if "themes" in document:
        groups["themes"] = [(t.id, ("themes", i)) for i, t in enumerate(conference.themes)]
    for group, entries in groups.items():
        seen: set[str] = set()
        for item_id, loc in entries:
            if item_id in seen:
                message = f"{group[:-1]} id '{item_id}' is used more than once; ids must be unique"
                problems.add(label, line_at(document, loc), "id", message)
            seen.add(item_id)
    rooms, kinds = {r.id for r in conference.rooms}, {k.id for k in conference.kinds}
    for d, day in enumerate(conference.days):
        for b, block in enumerate(day.blocks):
            for field, known, given in (("rooms", rooms, block.rooms), ("kinds", kinds, block.kinds)):
                for unknown in (x for x in given if x not in known):
                    problems.add(
                        label,
                        line_at(document, ("days", d, "blocks", b, field)),
                        field,
                        f"block '{block.id}' names {field[:-1]} '{unknown}', which is not "
                        f"defined; expected one of: {', '.join(sorted(known))}",
                    )
    _check_kinds_named(conference, document, label, problems, kinds)


def _check_kinds_named(
    conference: Conference, document: LineDict, label: str, problems: Collector, kinds: set[str]
) -> None:
    """The kinds `day_shape` and `positions` name are the conference's, a position's day is one of its days, and
    the themes `theme_weights` names are the conference's."""
    expected = f"expected one of: {', '.join(sorted(kinds))}"
    for field in ("opens", "closes") if "day_shape" in document else ():
        for index, kind in enumerate(getattr(conference.day_shape, field)):
            if kind not in kinds:
                where = line_at(document, ("day_shape", field, index))
                problems.add(label, where, f"day_shape.{field}", f"unknown kind '{kind}'; {expected}")
    for kind, position in conference.positions.items():
        where = line_at(document, ("positions", kind))
        if kind not in kinds:
            problems.add(label, where, "positions", f"unknown kind '{kind}'; {expected}")
        if position.day is not None and position.day > len(conference.days):
            message = f"day {position.day} for '{kind}', but the conference has {len(conference.days)} days"
            problems.add(label, where, f"positions.{kind}.day", message)
    themes = {theme.id for theme in conference.themes}
    for theme in conference.theme_weights:
        if theme not in themes:
            message = f"unknown theme '{theme}'; expected one of: {', '.join(sorted(themes))}"
            problems.add(label, line_at(document, ("theme_weights", theme)), "theme_weights", message)


def load_conference(path: Path, label: str, problems: Collector) -> Conference | None:
    """The conference in `path`, or None when it has a problem (every one found is added to `problems`; `label`
    names the file in messages)."""
    document = read_yaml(path, label, problems)
    if document is None:
        return None
    if not isinstance(document, LineDict):
        problems.add(label, message="expected a mapping with name, edition, timezone, rooms, kinds, days")
        return None
    own = Collector()
    undated = _prepare_blocks(document, label, own)
    data = dict(document)
    data.setdefault("themes", [theme.model_dump() for theme in bundled_taxonomy()])
    reported = {(p.where, p.field) for p in own.problems}
    untimed = tuple(f"days[{d}].blocks[" for d in undated)  # their times stayed text: the date is the problem

    def where(loc: Loc) -> Where:
        return line_at(document, loc)

    found = Collector()
    conference = validate(Conference, data, label, where, found)
    own.extend(
        p
        for p in found.problems
        if (p.where, p.field.rsplit(".", 1)[-1]) not in reported
        and not (p.field.startswith(untimed) and p.field.endswith((".start", ".end")))
    )
    if conference is not None:
        _check_references(conference, document, label, own)
        check_numbers(conference, label, where, own)
    problems.extend(own.problems)
    return None if own else conference
