"""Time on the agenda: which items overlap (a sweep over start times, never all pairs), which blocks of the grid an item
covers, and times as people read them."""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo

from planner.check.model import Item, in_time_order
from planner.domain import Block, Conference, Day


def overlapping_pairs(items: Iterable[Item]) -> Iterator[tuple[Item, Item]]:
    """Every pair of items that share some moment (an end equal to a start is no overlap), earlier first.

    A sweep in start order keeping only items still running, so the work grows with the overlaps found, not with
    the square of the items.
    """
    running: list[Item] = []
    for item in in_time_order(list(items)):
        running = [other for other in running if other.end > item.start]
        for other in running:
            yield other, item
        running.append(item)


def arrivals(items: Iterable[Item]) -> Iterator[tuple[Item, Item]]:
    """Each item with the one someone in both comes to it from: of the items ended by its start, the one ending last.

    An item still running at its start is no predecessor (being in both at once is an overlap, not a move). Items
    are taken in start order with the ended ones on a heap by end, so the work grows as n log n.
    """
    running: list[tuple[datetime, int, Item]] = []
    latest: Item | None = None
    for number, item in enumerate(in_time_order(list(items))):
        while running and running[0][0] <= item.start:
            _, _, ended = heapq.heappop(running)
            if latest is None or ended.end >= latest.end:
                latest = ended
        if latest is not None:
            yield latest, item
        heapq.heappush(running, (item.end, number, item))


class Grid:
    """The conference's blocks in time order, to find the blocks an item covers by bisection."""

    def __init__(self, conference: Conference) -> None:
        placed = sorted(
            ((block.start.astimezone(UTC), day, block) for day in conference.days for block in day.blocks),
            key=lambda entry: (entry[0], entry[2].id),
        )
        self._starts = [start for start, _, _ in placed]
        self._blocks = [(day, block) for _, day, block in placed]
        self._longest = max((block.end - block.start for _, block in self._blocks), default=timedelta(0))
        self._days = {day.date: day for day in conference.days}
        self.zone = conference.zone

    def covering(self, start: datetime, end: datetime) -> list[tuple[Day, Block]]:
        """Blocks (with their day) that share some moment with [start, end), in time order."""
        low = bisect_left(self._starts, start - self._longest)
        high = bisect_left(self._starts, end)
        return [(day, block) for day, block in self._blocks[low:high] if block.end > start]

    def day_of(self, moment: datetime) -> Day | None:
        """The conference day whose date the moment falls on, in the conference's local time."""
        return self._days.get(local_date(moment, self.zone))


def local_date(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()
