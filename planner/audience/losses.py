"""Who loses what: for a programme and its conference's interest table, each attendee's picks they cannot attend
(two at once, or not in the programme), the share of attendees served fully, and the pairs of sessions the most
attendees want together but the programme runs at once.

By clock time, as the checker judges (two sessions overlap when they share a moment; an end equal to a start is
none), so it holds for any programme: drafted, edited by hand, imported. An attendee attends the most they can of
what they picked: among their picks that clash, the ones that keep the most weight (then the most picks, then the
earliest), found exactly by weighted interval scheduling; the rest are what they miss.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from planner.audience.estimate import Pair, picked_pairs
from planner.domain import Assignment, Schedule

CONTESTED_SHOWN = 10
"""How many of the most contested pairs a report lists."""


@dataclass(frozen=True)
class Contested:
    """Two picked sessions the programme runs at once, and how many attendees want both."""

    sessions: Pair
    attendees: int
    weight: int
    """Their lesser weights, summed (what `attendee_conflict` counts for the pair, before any prior)."""


@dataclass(frozen=True)
class Missing:
    """One attendee's losses: the picks they cannot attend."""

    attendee: str
    picks: int
    clashing: tuple[str, ...]
    """Picks they miss because another pick runs at the same time (session ids, in time order)."""
    left_out: tuple[str, ...]
    """Picks that are not in the programme."""

    @property
    def missed(self) -> int:
        return len(self.clashing) + len(self.left_out)


@dataclass(frozen=True)
class Losses:
    """What a programme costs its attendees."""

    attendees: int
    """Attendees with at least one pick (0 for the aggregated form, which names none)."""
    served_fully: int
    """Attendees who can attend every session they picked."""
    missed: int
    """Picks missed, over all attendees."""
    distribution: dict[int, int]
    """Picks missed -> how many attendees miss that many (0 included), in order."""
    conflicts: int
    """(Attendee, pair of their picks) at the same time, weighted: the checker's and the solver's count without any
    prior."""
    contested: tuple[Contested, ...]
    """Every pair run at once that attendees want together, the most wanted first."""
    missing: tuple[Missing, ...]
    """Per attendee who misses something, in attendee order."""

    @property
    def share_served_fully(self) -> float:
        return self.served_fully / self.attendees if self.attendees else 1.0


def _overlap(first: Assignment, second: Assignment) -> bool:
    return first.start < second.end and second.start < first.end


def attended(picks: list[tuple[Assignment, int]]) -> set[str]:
    """The picks an attendee attends: the set of non-overlapping ones with the most weight, then the most picks, then
    the earliest (weighted interval scheduling over end times)."""
    ordered = sorted(picks, key=lambda item: (item[0].end, item[0].start, item[0].session.id))
    ends: list[datetime] = [a.end for a, _ in ordered]
    best: list[tuple[int, int, tuple[str, ...]]] = [(0, 0, ())]
    for index, (placed, weight) in enumerate(ordered):
        before = bisect_right(ends, placed.start, hi=index)  # picks ending by this one's start
        weight_with, count_with, ids_with = best[before]
        taken = (weight_with + weight, count_with + 1, (*ids_with, placed.session.id))
        skipped = best[index]
        best.append(taken if (taken[0], taken[1]) > (skipped[0], skipped[1]) else skipped)
    return set(best[-1][2])


def losses(schedule: Schedule) -> Losses | None:
    """Who loses what in this programme; None when its conference has no interest table."""
    audience = schedule.conference.audience
    if audience is None:
        return None
    placed = {a.session.id: a for a in schedule.assignments}
    missing, served, distribution = [], 0, Counter[int]()
    for attendee, wanted in sorted(audience.picks.items()):
        picks = [(placed[s], weight) for s, weight in wanted.items() if s in placed]
        kept = attended(picks)
        clashing = tuple(a.session.id for a, _ in sorted(picks, key=lambda p: (p[0].start, p[0].session.id)))
        lost = Missing(
            attendee,
            len(wanted),
            tuple(s for s in clashing if s not in kept),
            tuple(sorted(s for s in wanted if s not in placed)),
        )
        distribution[lost.missed] += 1
        if lost.missed:
            missing.append(lost)
        else:
            served += 1
    contested = []
    for (first, second), interest in picked_pairs(audience).items():
        if first in placed and second in placed and _overlap(placed[first], placed[second]):
            contested.append(Contested((first, second), interest.attendees, interest.weight))
    contested.sort(key=lambda c: (-c.attendees, -c.weight, c.sessions))
    return Losses(
        attendees=len(audience.picks),
        served_fully=served,
        missed=sum(m.missed for m in missing),
        distribution=dict(sorted(distribution.items())),
        conflicts=sum(c.weight for c in contested),
        contested=tuple(contested),
        missing=tuple(missing),
    )


def clashes_of(schedule: Schedule, attendee: str) -> dict[str, tuple[str, ...]]:
    """An attendee's placed picks that clash with another of their picks -> those others (session ids)."""
    audience = schedule.conference.audience
    wanted = audience.picks.get(attendee, {}) if audience else {}
    placed = [a for a in schedule.assignments if a.session.id in wanted]
    found: dict[str, list[str]] = {}
    for first, second in combinations(sorted(placed, key=lambda a: (a.start, a.session.id)), 2):
        if _overlap(first, second):
            found.setdefault(first.session.id, []).append(second.session.id)
            found.setdefault(second.session.id, []).append(first.session.id)
    return {s: tuple(others) for s, others in found.items()}


def facts(found: Losses, shown: int = CONTESTED_SHOWN) -> dict[str, object]:
    """What schedule.json records: the totals, the most contested pairs and each attendee's losses."""
    return {
        "attendees": found.attendees,
        "served_fully": found.served_fully,
        "share_served_fully": round(found.share_served_fully, 4),
        "missed_picks": found.missed,
        "missed_distribution": {str(k): v for k, v in found.distribution.items()},
        "attendee_conflicts": found.conflicts,
        "contested_pairs": [
            {"sessions": list(c.sessions), "attendees": c.attendees, "weight": c.weight}
            for c in found.contested[:shown]
        ],
        "missing": {
            m.attendee: {"clashing": list(m.clashing), "not_in_programme": list(m.left_out)} for m in found.missing
        },
    }


def summary_lines(found: Losses, titles: dict[str, str], shown: int = 5) -> list[str]:
    """The report in a few plain lines, for the answer a draft prints."""
    lines = []
    if found.attendees:
        spread = ", ".join(f"{k}: {v}" for k, v in found.distribution.items() if k)
        lines.append(
            f"Attendees: {found.served_fully} of {found.attendees} ({found.share_served_fully:.1%}) can attend "
            f"everything they picked; {found.missed} picks missed"
            + (f" (attendees by picks missed: {spread})" if spread else "")
        )
    lines.append(f"Attendee conflicts: {found.conflicts} (attendee, pair of picks at the same time, weighted)")
    for contested in found.contested[:shown]:
        first, second = contested.sessions
        lines.append(
            f"  contested: '{titles.get(first, first)}' ({first}) and '{titles.get(second, second)}' ({second}), "
            f"{contested.attendees} attendee{'s' * (contested.attendees != 1)}"
        )
    return lines


def report_lines(schedule: Schedule) -> list[str]:
    """Who loses what, in the lines a draft prints after its answer; none without an interest table."""
    found = losses(schedule)
    if found is None:
        return []
    titles = {a.session.id: a.session.title for a in schedule.assignments}
    return summary_lines(found, titles)


def report_facts(schedule: Schedule) -> dict[str, object] | None:
    """Who loses what as schedule.json records it (beside the solver's facts); None without an interest table."""
    found = losses(schedule)
    return facts(found) if found is not None else None
