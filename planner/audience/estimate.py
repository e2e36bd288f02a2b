"""Attendees' picks as the numbers the model and the reports use: how many attendees want each pair of sessions, how
many want each session, and the audience to expect.

The definitions every part shares (the solver's `attendee_conflict` term, the checker's finding, room sizing):

- **A pair's weight** is what its overlap costs: for each attendee who picked both sessions, the lesser of their two
  weights (an attendee at a clash goes to the one they want more and loses the other), summed over attendees. With
  no weights given, it is the number of attendees who want both. The aggregated form gives it directly.
- **Thin sessions.** Late or little-known sessions collect few picks (favourites in a conference app go to what
  people already know). A session is *thin* when it has fewer picks than `interest.threshold` times the median
  picks of the sessions of its kind (a share, so that it means the same for 150 attendees picking from an app and
  for a conference that recorded a few attendees per talk). It takes a prior from its *peers*, the sessions of its
  kind that are not thin and share a theme with it, each weighed by how alike their themes are (shared themes over
  all themes of the two). The prior treats every attendee as wanting the thin session as much
  as they want its peers, on average: its picks become what its peers collect on average, and its weight with any
  other session what its peers' weights with that session are on average. `interest.prior` says how far (0 to 1)
  a thin session is raised toward that prior; it is never lowered, and a session with no peers keeps what it has.
- **Expected audience** is a session's picks (with the prior) times `interest.turnout`, rounded up.

Estimates are whole numbers (rounded half up), so the objective stays exact. Nothing here knows the schedule.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from statistics import median

from planner.domain import Audience, ConferenceInput, InterestSettings, Session

Pair = tuple[str, str]
"""Two session ids, the smaller first."""


def pair(first: str, second: str) -> Pair:
    return (first, second) if first < second else (second, first)


@dataclass(frozen=True)
class PairInterest:
    """How much the overlap of two sessions costs, and how many attendees said so themselves."""

    attendees: int
    """Attendees who picked both (0 for a pair only the prior gives, and for the aggregated form's counts: those)."""
    weight: int
    """What an overlap costs in `attendee_conflict`: the attendees' lesser weights, summed, plus the prior."""


@dataclass(frozen=True)
class Estimates:
    """Everything interest says about the sessions, computed once."""

    picks: dict[str, int]
    """Session id -> attendees who picked it (the aggregated form's totals, where given)."""
    estimated: dict[str, int]
    """Session id -> its picks with the prior for thin sessions (only sessions with an estimate above 0)."""
    pairs: dict[Pair, PairInterest]
    """Each pair of sessions whose overlap costs something."""
    audience: dict[str, int]
    """Session id -> the audience to expect from interest (estimated picks times turnout, rounded up)."""
    thin: tuple[str, ...]
    """Sessions with fewer picks than the threshold that took a prior, in id order."""


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def picked_pairs(audience: Audience) -> dict[Pair, PairInterest]:
    """The pairs as the attendees gave them, before any prior."""
    weights: Counter[Pair] = Counter()
    people: Counter[Pair] = Counter()
    for wanted in audience.picks.values():
        for first, second in combinations(sorted(wanted), 2):
            key = (first, second)
            weights[key] += min(wanted[first], wanted[second])
            people[key] += 1
    for count in audience.pairs:
        key = pair(*count.sessions)
        weights[key] += count.attendees
        people[key] += count.attendees
    return {key: PairInterest(people[key], weights[key]) for key in sorted(weights)}


def session_picks(audience: Audience) -> dict[str, int]:
    """Attendees who picked each session (the aggregated form: its totals)."""
    if audience.picks:
        return dict(sorted(Counter(s for wanted in audience.picks.values() for s in wanted).items()))
    return dict(sorted(audience.picked.items()))


def _thin_below(sessions: Iterable[Session], picks: Mapping[str, int], share: float) -> dict[str, float]:
    """Kind -> the picks below which a session of that kind is thin: `share` of the kind's median."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for session in sessions:
        by_kind[session.kind].append(picks.get(session.id, 0))
    return {kind: share * median(counts) for kind, counts in by_kind.items()}


def _peers(session: Session, sessions: Iterable[Session], picks: Mapping[str, int], below: float) -> dict[str, float]:
    """The sessions of the same kind that are not thin and share a theme with `session`, with how alike their themes
    are (0 to 1)."""
    own = set(session.themes)
    found = {}
    for other in sessions:
        if other.id == session.id or other.kind != session.kind or picks.get(other.id, 0) < below:
            continue
        if not own.intersection(other.themes):
            continue
        found[other.id] = len(own.intersection(other.themes)) / len(own.union(other.themes))
    return found


def _prior_pairs(
    thin: str, peers: Mapping[str, float], neighbours: Mapping[str, list[tuple[str, int]]], strength: float
) -> dict[Pair, float]:
    """The weight the prior gives each pair of a thin session: what its peers' weights with the other session are on
    average, times `strength`."""
    total = sum(peers.values())
    towards: dict[str, float] = defaultdict(float)
    for peer, alike in peers.items():
        for other, weight in neighbours.get(peer, ()):
            if other != thin:
                towards[other] += alike * weight / total
    return {pair(thin, other): strength * value for other, value in towards.items()}


def _neighbours(pairs: Mapping[Pair, PairInterest]) -> dict[str, list[tuple[str, int]]]:
    """Session id -> (the other session, the pair's weight) for every pair it is in."""
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (first, second), interest in pairs.items():
        found[first].append((second, interest.weight))
        found[second].append((first, interest.weight))
    return found


def estimates(audience: Audience | None, settings: InterestSettings, sessions: Iterable[Session]) -> Estimates | None:
    """What interest says about these sessions (see the module docstring); None without an interest table."""
    if audience is None:
        return None
    sessions = list(sessions)
    known = {s.id for s in sessions}
    picks = {s: n for s, n in session_picks(audience).items() if s in known}
    base = {key: value for key, value in picked_pairs(audience).items() if key[0] in known and key[1] in known}
    counted = bool(picks) or not audience.aggregated  # the aggregated form without totals says nothing per session
    estimated = {s: float(n) for s, n in picks.items()}
    raised: dict[Pair, float] = defaultdict(float)
    thin = []
    neighbours = _neighbours(base)
    if settings.prior > 0 and settings.threshold > 0 and counted:
        below = _thin_below(sessions, picks, settings.threshold)
        for session in sessions:
            have = picks.get(session.id, 0)
            if have >= below[session.kind]:
                continue
            peers = _peers(session, sessions, picks, below[session.kind])
            if not peers:
                continue
            thin.append(session.id)
            average = sum(alike * picks[p] for p, alike in peers.items()) / sum(peers.values())
            estimated[session.id] = have + settings.prior * max(0.0, average - have)
            for key, value in _prior_pairs(session.id, peers, neighbours, settings.prior).items():
                raised[key] = max(raised[key], value)
    pairs = dict(base)
    for key, value in raised.items():
        given = base.get(key, PairInterest(0, 0))
        extra = _half_up(max(0.0, value - given.weight))
        if extra:
            pairs[key] = PairInterest(given.attendees, given.weight + extra)
    whole = {s: _half_up(n) for s, n in sorted(estimated.items()) if _half_up(n) > 0}
    expected = {s: math.ceil(n * settings.turnout - 1e-9) for s, n in whole.items()}
    return Estimates(picks, whole, dict(sorted(pairs.items())), expected, tuple(sorted(thin)))


def with_expected_audience(inputs: ConferenceInput) -> ConferenceInput:
    """The sessions that give no expected_audience take the one interest estimates (when `interest.size_rooms`), so
    room capacity, hard or soft, counts them; the rest are as they were."""
    conference = inputs.conference
    if conference.audience is None or not conference.interest.size_rooms:
        return inputs
    found = estimates(conference.audience, conference.interest, inputs.sessions)
    if found is None or not found.audience:
        return inputs
    sessions = tuple(
        s.model_copy(update={"expected_audience": found.audience[s.id]})
        if s.expected_audience is None and s.id in found.audience
        else s
        for s in inputs.sessions
    )
    return inputs.model_copy(update={"sessions": sessions})


def ignoring_interest(inputs: ConferenceInput) -> ConferenceInput:
    """The inputs drafted as if nobody had picked anything (`attendee_conflict` weighs 0), the interest table kept,
    so that rooms are sized as before and the report still says what the programme costs the attendees: the
    programme without interest, to set beside the one with it."""
    weights = inputs.conference.weights.model_copy(update={"attendee_conflict": 0})
    return inputs.model_copy(update={"conference": inputs.conference.model_copy(update={"weights": weights})})
