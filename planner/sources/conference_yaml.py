"""conference.yaml from a source: written whole on a first import, and on every later one the organiser's own file
kept as it is, with only the rooms, kinds and themes the source gained added to its lists, and what else differs
told rather than changed.

The first file's days are the event's dates, each with placeholder blocks (`placeholder_blocks`) so that the folder
validates and drafts at once: blocks as long as the longest proposal (15-minute steps, 30 to 120 minutes) with
30-minute breaks, within the hours the rooms are open (09:00-18:00 when the source says nothing), each opening the
rooms the source says are available for the whole block. The organiser lays out their own (or takes them from
`planner history template`); a re-run never touches them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import yaml

from planner.domain import BlockType, Conference
from planner.sources.proposals import Imported, SourceRoom, Span

DAY_OPENS, DAY_CLOSES = time(9, 0), time(18, 0)
BREAK_MINUTES = 30
SHORTEST_BLOCK, LONGEST_BLOCK = 30, 120
PLACEHOLDER_CAPACITY = 100
"""A room's capacity when the source gives none (capacity is soft: it only costs when a session expects more)."""


@dataclass(frozen=True)
class Ids:
    """Planner ids of the source's rooms, kinds and themes, by the source's keys."""

    rooms: Mapping[str, str]
    kinds: Mapping[str, str]
    themes: Mapping[str, str]


def _flow(item: Mapping[str, object]) -> str:
    """One mapping on one line, quoted where YAML needs it: `{id: hall, name: Main Hall, capacity: 300}`."""
    return yaml.safe_dump(dict(item), default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False).strip()


def _scalar(value: object) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=10**6).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def room_item(room: SourceRoom, room_id: str) -> dict[str, object]:
    return {"id": room_id, "name": room.name, "capacity": room.capacity or PLACEHOLDER_CAPACITY}


def covers(spans: Iterable[Span] | None, start: datetime, end: datetime) -> bool:
    """Whether one of `spans` holds the whole of start..end; True when the source gives none (always open)."""
    if spans is None:
        return True
    return any(first <= start and end <= last for first, last in spans)


def _window(rooms: Iterable[SourceRoom], on: date, zone: ZoneInfo) -> tuple[time, time]:
    """The hours some room is open on a day, in local time; the default day when the source says nothing."""
    edges = [
        (first.astimezone(zone), last.astimezone(zone))
        for room in rooms
        for first, last in room.open or ()
        if first.astimezone(zone).date() <= on <= last.astimezone(zone).date()
    ]
    if not edges:
        return DAY_OPENS, DAY_CLOSES
    opens = min(time(0) if first.date() < on else first.time() for first, _ in edges)
    closes = max(time(23, 59) if last.date() > on else last.time() for _, last in edges)
    return opens, closes


def block_minutes(imported: Imported) -> int:
    longest = max((p.minutes for p in imported.proposals), default=60)
    return max(SHORTEST_BLOCK, min(LONGEST_BLOCK, -(-longest // 15) * 15))


def placeholder_blocks(
    imported: Imported, on: date, day_id: str, room_ids: Mapping[str, str]
) -> list[dict[str, object]]:
    """A day's placeholder blocks (see the module's notes), as conference.yaml writes them."""
    zone = ZoneInfo(imported.timezone)
    opens, closes = _window(imported.rooms, on, zone)
    length = timedelta(minutes=block_minutes(imported))
    clock, last = datetime.combine(on, opens), datetime.combine(on, closes)
    blocks: list[dict[str, object]] = []
    number = 0
    while clock + length <= last:
        start, end = clock, clock + length
        clock = end + timedelta(minutes=BREAK_MINUTES)
        exact = (start.replace(tzinfo=zone), end.replace(tzinfo=zone))
        rooms = [room_ids[r.key] for r in imported.rooms if covers(r.open, *exact)]
        if not rooms:
            continue
        if blocks and str(blocks[-1]["end"]) < f"{start:%H:%M}":
            breaks = sum(1 for b in blocks if b["type"] == "break") + 1
            blocks.append(
                {"id": f"{day_id}-break-{breaks}", "start": blocks[-1]["end"], "end": f"{start:%H:%M}", "type": "break"}
            )
            blocks[-1]["name"] = "Break"
        number += 1
        block: dict[str, object] = {
            "id": f"{day_id}-{number}",
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
            "type": "parallel",
        }
        if len(rooms) < len(imported.rooms):
            block["rooms"] = rooms
        blocks.append(block)
    if not blocks:  # no room open long enough: one block over the day, for the organiser to replace
        blocks.append({"id": f"{day_id}-1", "start": f"{opens:%H:%M}", "end": f"{closes:%H:%M}", "type": "parallel"})
    return blocks


def new_conference(imported: Imported, ids: Ids) -> str:
    """The whole conference.yaml of a first import, with a header saying what came from where."""
    lines = [
        f"# Made by `planner import {imported.source}` from {imported.origin}.",
        f"# Rooms, kinds and themes come from {imported.source}: a re-run adds new ones and keeps everything you edit",
        "# here. The blocks are placeholders: lay out your own (or copy them from `planner history template`).",
        f"name: {_scalar(imported.name)}",
        f"edition: {_scalar(imported.slug)}",
        f"id: {_scalar(imported.slug)}",
        f"timezone: {_scalar(imported.timezone)}",
        "capacity: soft",
        "rooms:",
        *(f"  - {_flow(room_item(room, ids.rooms[room.key]))}" for room in imported.rooms),
        "kinds:",
        *(f"  - {_flow(kind_item(kind.key, kind.name, kind.colour, ids.kinds))}" for kind in imported.kinds),
        "themes:" + ("" if imported.themes else " []"),
        *(f"  - {_flow({'id': ids.themes[t.key], 'label': t.name})}" for t in imported.themes),
        "days:",
    ]
    on, number = imported.first, 1
    while on <= imported.last:
        day_id = f"d{number}"
        lines += [f"  - id: {day_id}", f"    date: {on.isoformat()}", "    blocks:"]
        lines += [f"      - {_flow(block)}" for block in placeholder_blocks(imported, on, day_id, ids.rooms)]
        on, number = on + timedelta(days=1), number + 1
    return "\n".join(lines) + "\n"


def kind_item(key: str, name: str, colour: str | None, kind_ids: Mapping[str, str]) -> dict[str, object]:
    item: dict[str, object] = {"id": kind_ids[key], "label": name}
    return item | ({"colour": colour} if colour else {})


# A later import: the organiser's file, with new rooms, kinds and themes added --------------------------------------

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:(?P<rest>.*)$")


def _list_end(lines: list[str], key: str) -> tuple[int, str] | None:
    """Where to insert an item into the top-level block list `key:` (the line index after its last item) and the
    indentation its items use; None when the key is absent or its list is not written one item per line."""
    for index, line in enumerate(lines):
        found = _TOP_KEY.match(line)
        if not found or found["key"] != key:
            continue
        if found["rest"].split("#")[0].strip():  # `rooms: [...]` or `themes: []`: not a block list
            return None
        end, indents = index + 1, []
        for following in range(index + 1, len(lines)):
            text = lines[following]
            if text.strip() and not text.startswith((" ", "-", "#")):
                break
            if text.lstrip().startswith("- "):  # an item of this list, or of a list inside one (features)
                indents.append(text[: len(text) - len(text.lstrip())])
            if text.strip() and not text.lstrip().startswith("#"):
                end = following + 1
        return end, min(indents, key=len, default="  ")
    return None


def add_items(text: str, key: str, items: list[dict[str, object]]) -> tuple[str, bool]:
    """`text` with `items` added at the end of its top-level list `key`, each on one line; unchanged and False when
    that list cannot be found one item per line (the caller then says what to add by hand)."""
    if not items:
        return text, True
    lines = text.splitlines()
    place = _list_end(lines, key)
    if place is None:
        return text, False
    end, indent = place
    lines[end:end] = [f"{indent}- {_flow(item)}" for item in items]
    return "\n".join(lines) + "\n", True


def closed_rooms(conference: Conference, imported: Imported, ids: Ids) -> list[str]:
    """Blocks that open a room the source says is not available for the whole block, in words."""
    zone = conference.zone
    open_by_id = {ids.rooms[r.key]: r.open for r in imported.rooms if r.key in ids.rooms}
    said = []
    for day in conference.days:
        for block in day.blocks:
            if block.type is BlockType.BREAK:
                continue
            for room in block.rooms:
                if room in open_by_id and not covers(open_by_id[room], block.start, block.end):
                    when = f"{block.start.astimezone(zone):%a %d %b %H:%M}-{block.end.astimezone(zone):%H:%M}"
                    said.append(
                        f"block {block.id} ({when}) opens room {room}, which {imported.source} says is not "
                        f"available for all of it: remove it from the block's rooms if it is closed"
                    )
    return said
