"""The findings, one named pure function each: `(agenda, context) -> findings`, the function's name being the
findings' code. A rule whose facts are unknown (no grid, no proposals, no constraints on people) finds nothing.

The checker shares the data model with the solver but none of its constraint code, so it catches the solver's
mistakes as well as a person's: it judges clock times, not the blocks a schedule says it used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from itertools import pairwise

from planner.audience import PairInterest, estimates
from planner.audience import pair as session_pair
from planner.check.model import Agenda, Context, Finding, Item, Placement, Severity, in_time_order, placement
from planner.check.timeline import Grid, arrivals, local_date, overlapping_pairs
from planner.check.verdict import judge
from planner.clock import day_time_span
from planner.domain import BACK_TO_BACK_GAP, Block, BlockType, Day

ERROR, WARNING = Severity.ERROR, Severity.WARNING

Rule = Callable[[Agenda, Context], list[Finding]]


def _found(
    severity: Severity, code: str, subject: str, detail: str, items: Iterable[Item], context: Context
) -> Finding:
    return Finding(severity, code, subject, detail, tuple(placement(i, context) for i in in_time_order(list(items))))


def _by(agenda: Agenda, keys: Callable[[Item], Iterable[str]]) -> dict[str, list[Item]]:
    """Items grouped by each key they have (a person, a room, a theme, a session id), keys in sorted order; an item
    naming a key twice (one person as chair and as speaker) is in its group once."""
    index: dict[str, list[Item]] = defaultdict(list)
    for item in agenda.items:
        for key in dict.fromkeys(keys(item)):
            index[key].append(item)
    return dict(sorted(index.items()))


def _pairs(items: list[Item]) -> list[tuple[Item, Item]]:
    """Overlapping pairs of different sessions (the same session twice is session_duplicated's finding)."""
    return [(first, second) for first, second in overlapping_pairs(items) if first.session != second.session]


def _session_blocks(covering: list[tuple[Day, Block]]) -> list[Block]:
    return [block for _, block in covering if block.type is not BlockType.BREAK]


# Errors ---------------------------------------------------------------------------------------------------------


def person_overlap(agenda: Agenda, context: Context) -> list[Finding]:
    """Nobody can be in two places at once: by clock time, whatever blocks the sessions use."""
    return [
        _found(ERROR, "person_overlap", context.person_name(person), "in two sessions at once", pair, context)
        for person, items in _by(agenda, lambda item: item.people).items()
        for pair in _pairs(items)
    ]


def no_time_to_move(agenda: Agenda, context: Context) -> list[Finding]:
    """A person needs the organiser's buffer to get from one room to the next, or they arrive late (one room: none)."""
    buffer = context.checks.buffer_minutes
    if not buffer:
        return []
    findings = []
    for person, items in _by(agenda, lambda item: item.people).items():
        for before, after in arrivals(items):
            gap = int((after.start - before.end) / timedelta(minutes=1))
            if before.room != after.room and before.session != after.session and gap < buffer:
                detail = f"{gap} minutes to change rooms; {buffer} needed"
                pair = (before, after)
                findings.append(_found(ERROR, "no_time_to_move", context.person_name(person), detail, pair, context))
    return findings


def person_unavailable(agenda: Agenda, context: Context) -> list[Finding]:
    """A person is in a session while they said they are away: they will not be there."""
    findings = []
    for item in agenda.items:
        for person in filter(None, (context.people.get(p) for p in item.people)):
            away = [w for w in person.unavailable if w.overlaps(item.start, item.end)]
            if away:
                detail = f"unavailable {day_time_span(away[0].start, away[0].end, agenda.zone)}"
                findings.append(_found(ERROR, "person_unavailable", person.name, detail, (item,), context))
    return findings


def room_double_booked(agenda: Agenda, context: Context) -> list[Finding]:
    """Two sessions in one room at once: one of them has nowhere to meet."""
    return [
        _found(ERROR, "room_double_booked", context.room_name(room), "holds two sessions at once", pair, context)
        for room, items in _by(agenda, lambda item: (item.room,)).items()
        for pair in _pairs(items)
    ]


def beside_plenary(agenda: Agenda, context: Context) -> list[Finding]:
    """A plenary block holds one session and nothing runs beside it, in any room."""
    if context.conference is None:
        return []
    grid = Grid(context.conference)
    in_block: dict[str, tuple[Block, list[Item]]] = {}
    for item in agenda.items:
        for _, block in grid.covering(item.start, item.end):
            if block.type is BlockType.PLENARY:
                in_block.setdefault(block.id, (block, []))[1].append(item)
    findings = []
    for block_id, (block, items) in sorted(in_block.items()):
        if len({item.session for item in items}) > 1:
            subject = f"plenary block {block.name or block_id}"
            when = day_time_span(block.start, block.end, agenda.zone)
            detail = f"{len(items)} sessions in a block for one session alone ({when})"
            findings.append(_found(ERROR, "beside_plenary", subject, detail, items, context))
    return findings


def _off_grid(covering: list[tuple[Day, Block]], item: Item) -> str | None:
    """Why an item is not within one run of contiguous session blocks of one type on one day, or None."""
    if not covering:
        return "outside every block of the conference's days"
    breaks = [block for _, block in covering if block.type is BlockType.BREAK]
    if breaks:
        return f"runs into the break {breaks[0].name or breaks[0].id}"
    first, last = covering[0][1], covering[-1][1]
    if item.start < first.start:
        return f"starts before block {first.id} begins"
    if item.end > last.end:
        return f"ends after block {last.id} ends"
    for (day, block), (next_day, following) in pairwise(covering):
        if next_day.id != day.id or following.start != block.end:
            return f"spans the gap between blocks {block.id} and {following.id}"
        if following.type is not block.type:
            return f"spans a {block.type.value} and a {following.type.value} block ({block.id}, {following.id})"
    return None


def outside_blocks(agenda: Agenda, context: Context) -> list[Finding]:
    """A session sits within contiguous session blocks of one type on one day: never in a break or a gap."""
    if context.conference is None:
        return []
    grid, findings = Grid(context.conference), []
    for item in agenda.items:
        if why := _off_grid(grid.covering(item.start, item.end), item):
            findings.append(_found(ERROR, "outside_blocks", context.room_name(item.room), why, (item,), context))
    return findings


def room_closed(agenda: Agenda, context: Context) -> list[Finding]:
    """A session in a room the grid does not open in that block (booked by another event, or not yet ours)."""
    if context.conference is None:
        return []
    grid, findings = Grid(context.conference), []
    for item in agenda.items:
        if context.room(item.room) is None:
            continue
        closed = [b.id for b in _session_blocks(grid.covering(item.start, item.end)) if item.room not in b.rooms]
        if closed:
            detail = f"not open in block {', '.join(closed)}"
            findings.append(_found(ERROR, "room_closed", context.room_name(item.room), detail, (item,), context))
    return findings


def one_track_per_period_room(agenda: Agenda, context: Context) -> list[Finding]:
    """A paper conference's room in a period is one track's session, with that track's chair: talks of two tracks
    there make one session of two topics, and one chair for both (blocks sharing a `period` make a period)."""
    if context.conference is None or context.conference.paper is None:
        return []
    grid = Grid(context.conference)
    held: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in agenda.items:
        track = item.proposal.track if item.proposal else None
        periods = {b.period for b in _session_blocks(grid.covering(item.start, item.end)) if b.period}
        if track:
            for period in sorted(periods):
                held[(period, item.room)].append(item)
    findings = []
    for (period, room), items in sorted(held.items()):
        tracks = sorted({i.proposal.track for i in items if i.proposal and i.proposal.track})
        if len(tracks) > 1:
            detail = f"holds tracks {', '.join(tracks)} in period {period}; a period's room is one track's session"
            findings.append(_found(ERROR, "one_track_per_period_room", context.room_name(room), detail, items, context))
    return findings


def kind_not_allowed(agenda: Agenda, context: Context) -> list[Finding]:
    """A session in a block the grid keeps for other kinds (a deep dive in the keynote's slot)."""
    if context.conference is None:
        return []
    kinds = {kind.id: kind.label for kind in context.conference.kinds}
    grid, findings = Grid(context.conference), []
    for item in agenda.items:
        if item.kind not in kinds:
            continue
        refusing = [b.id for b in _session_blocks(grid.covering(item.start, item.end)) if item.kind not in b.kinds]
        if refusing:
            detail = f"does not take {kinds[item.kind]} ({item.kind}) sessions"
            findings.append(_found(ERROR, "kind_not_allowed", f"block {', '.join(refusing)}", detail, (item,), context))
    return findings


def _unplaced(agenda: Agenda, context: Context, optional: bool) -> list[tuple[str, Placement]]:
    """(why, the session) for each proposal, required or optional, that the agenda does not place."""
    placed = {item.session for item in agenda.items}
    return [
        (context.left_out.get(p.id, ""), Placement(p.id, p.title))
        for p in context.proposals or ()
        if p.id not in placed and p.optional is optional
    ]


def _unplaced_findings(
    agenda: Agenda, context: Context, optional: bool, severity: Severity, code: str, words: str
) -> list[Finding]:
    return [
        Finding(severity, code, session.session, words + (f": {why}" if why else ""), (session,))
        for why, session in _unplaced(agenda, context, optional=optional)
    ]


def session_missing(agenda: Agenda, context: Context) -> list[Finding]:
    """A required proposal the agenda does not place: a deleted row, a session the solver lost."""
    return _unplaced_findings(agenda, context, False, ERROR, "session_missing", "proposed but not scheduled")


def session_duplicated(agenda: Agenda, context: Context) -> list[Finding]:
    """One session placed twice: a copied row, or two rooms given one talk."""
    return [
        _found(ERROR, "session_duplicated", session, f"placed {len(items)} times", items, context)
        for session, items in _by(agenda, lambda item: (item.session,)).items()
        if len(items) > 1
    ]


# Warnings -------------------------------------------------------------------------------------------------------


def theme_clash(agenda: Agenda, context: Context) -> list[Finding]:
    """Sessions sharing a theme at the same time split the audience that came for it (one finding per pair)."""
    shared: dict[tuple[int, int], tuple[tuple[Item, Item], list[str]]] = {}
    for theme, items in _by(agenda, lambda item: item.themes).items():
        for pair in _pairs(items):
            shared.setdefault((id(pair[0]), id(pair[1])), (pair, []))[1].append(context.theme_label(theme))
    return [
        _found(
            WARNING,
            "theme_clash",
            ", ".join(labels),
            f"same theme{'s' * (len(labels) > 1)} at the same time",
            pair,
            context,
        )
        for pair, labels in shared.values()
    ]


def back_to_back(agenda: Agenda, context: Context) -> list[Finding]:
    """A person going from one session straight into the next (against the latest-ending one so far)."""
    findings = []
    for person, items in _by(agenda, lambda item: item.people).items():
        latest: Item | None = None
        for item in in_time_order(items):
            if latest is not None and timedelta(0) <= item.start - latest.end < BACK_TO_BACK_GAP:
                findings.append(
                    _found(
                        WARNING,
                        "back_to_back",
                        context.person_name(person),
                        "no break between two sessions",
                        (latest, item),
                        context,
                    )
                )
            if latest is None or item.end > latest.end:
                latest = item
    return findings


def over_daily_maximum(agenda: Agenda, context: Context) -> list[Finding]:
    """A person in more sessions on one day than they agreed to take."""
    findings = []
    for person_id, items in _by(agenda, lambda item: item.people).items():
        person = context.people.get(person_id)
        most = person.max_sessions_per_day if person else None
        if person is None or most is None:
            continue
        by_day: dict[date, dict[str, Item]] = defaultdict(dict)
        for item in in_time_order(items):
            by_day[local_date(item.start, agenda.zone)].setdefault(item.session, item)
        for day, sessions in sorted(by_day.items()):
            if len(sessions) > most:
                detail = f"{len(sessions)} sessions on {day:%a %d %b}; at most {most} a day"
                findings.append(_found(WARNING, "over_daily_maximum", person.name, detail, sessions.values(), context))
    return findings


def room_too_small(agenda: Agenda, context: Context) -> list[Finding]:
    """More people expected than the room seats: a warning, or an error when the conference declares capacity hard."""
    if context.conference is None:
        return []
    severity = ERROR if context.conference.capacity == "hard" else WARNING
    findings = []
    for item in agenda.items:
        room, audience = context.room(item.room), item.proposal.expected_audience if item.proposal else None
        if room is not None and audience is not None and room.capacity < audience:
            detail = f"seats {room.capacity}, {audience} expected"
            findings.append(_found(severity, "room_too_small", room.name, detail, (item,), context))
    return findings


def room_lacks_feature(agenda: Agenda, context: Context) -> list[Finding]:
    """A session in a room without what it needs (streaming, step-free access): it can run, but not as asked."""
    findings = []
    for item in agenda.items:
        room = context.room(item.room)
        missing = [f for f in (item.proposal.requires if item.proposal else ()) if room and f not in room.features]
        if room is not None and missing:
            findings.append(
                _found(WARNING, "room_lacks_feature", room.name, f"lacks {', '.join(missing)}", (item,), context)
            )
    return findings


def optional_left_out(agenda: Agenda, context: Context) -> list[Finding]:
    """An optional proposal the agenda leaves out: allowed, but the organiser should see it."""
    return _unplaced_findings(agenda, context, True, WARNING, "optional_left_out", "optional, not scheduled")


def not_in_proposals(agenda: Agenda, context: Context) -> list[Finding]:
    """A session added by hand, or an export's session that matches no proposal by id or title."""
    if context.proposals is None:
        return []
    proposed = {p.id for p in context.proposals}
    return [
        _found(WARNING, "not_in_proposals", item.session, "not among the proposals", (item,), context)
        for item in agenda.items
        if item.session not in proposed
    ]


def length_changed(agenda: Agenda, context: Context) -> list[Finding]:
    """A session given more or less time than its proposal asks for; in a paper conference's period, more or fewer
    time slots (a talk takes its slots whole, whatever their length)."""
    grid = Grid(context.conference) if context.conference is not None else None
    findings = []
    for item in agenda.items:
        if item.proposal is None:
            continue
        covered = [b for b in _session_blocks(grid.covering(item.start, item.end)) if b.period] if grid else []
        period = next((b.period for b in covered if b.start == item.start), None)  # periods may overlap (OR60F3)
        slots = [b for b in covered if b.period == period]
        if slots and context.conference is not None:
            required = context.conference.slots_required(item.proposal.duration)
            if len(slots) != required:
                detail = (
                    f"takes {len(slots)} time slot(s) of period {slots[0].period}; the proposal asks for {required}"
                )
                findings.append(_found(WARNING, "length_changed", item.session, detail, (item,), context))
        elif item.minutes != item.proposal.duration:
            detail = f"lasts {item.minutes} minutes; the proposal asks for {item.proposal.duration}"
            findings.append(_found(WARNING, "length_changed", item.session, detail, (item,), context))
    return findings


def not_where_pinned(agenda: Agenda, context: Context) -> list[Finding]:
    """The proposal pins the session to a day, block or room, and the agenda has it elsewhere."""
    if context.conference is None:
        return []
    grid, findings = Grid(context.conference), []
    for item in agenda.items:
        pin = item.proposal.pin if item.proposal else None
        if pin is None:
            continue
        day = grid.day_of(item.start)
        blocks = _session_blocks(grid.covering(item.start, item.end))
        actual = {"day": day.id if day else None, "block": blocks[0].id if blocks else None, "room": item.room}
        wanted = {"day": pin.day, "block": pin.block, "room": pin.room}
        wrong = [f"{part} {value}" for part, value in wanted.items() if value and value != actual[part]]
        if wrong:
            findings.append(
                _found(WARNING, "not_where_pinned", item.session, f"pinned to {', '.join(wrong)}", (item,), context)
            )
    return findings


def contested(agenda: Agenda, context: Context) -> list[tuple[Item, Item, PairInterest]]:
    """Each pair of sessions attendees want together that the agenda runs at once (by clock time), with what the pair
    costs (planner.audience): what `attendee_conflict` reports, and its weights summed are the count the draft's term
    of that name has for the same programme. Empty without the conference's interest table."""
    conference = context.conference
    if conference is None or conference.audience is None:
        return []
    proposals = context.proposals or tuple(item.proposal for item in agenda.items if item.proposal is not None)
    found = estimates(conference.audience, conference.interest, proposals)
    if found is None or not found.pairs:
        return []
    wanted = {session for key in found.pairs for session in key}
    result, seen = [], set()
    for first, second in _pairs([item for item in agenda.items if item.session in wanted]):
        key = session_pair(first.session, second.session)
        interest = found.pairs.get(key)
        if interest is not None and interest.weight and key not in seen:
            seen.add(key)
            result.append((first, second, interest))
    return result


def attendee_conflict(agenda: Agenda, context: Context) -> list[Finding]:
    """Attendees who picked two sessions that run at the same time lose one of them: one finding per pair, with how
    many attendees picked both and what the pair counts in the draft's `attendee_conflict` (their lesser weights,
    plus the prior for thin sessions). Needs the conference's interest table (`--interest`, or a schedule drafted
    with one)."""
    findings = []
    for first, second, interest in contested(agenda, context):
        people = interest.attendees
        who = f"{people} attendee{'s' * (people != 1)}" if people else "estimated attendees"
        detail = "picked both, at the same time" if people else "like those of similar sessions, at the same time"
        if interest.weight != people:
            detail += f"; counts {interest.weight} in attendee_conflict"
        findings.append(_found(WARNING, "attendee_conflict", who, detail, (first, second), context))
    return findings


RULES: tuple[Rule, ...] = (
    person_overlap,
    no_time_to_move,
    person_unavailable,
    room_double_booked,
    beside_plenary,
    outside_blocks,
    room_closed,
    kind_not_allowed,
    one_track_per_period_room,
    session_missing,
    session_duplicated,
    theme_clash,
    back_to_back,
    over_daily_maximum,
    room_too_small,
    room_lacks_feature,
    optional_left_out,
    not_in_proposals,
    length_changed,
    not_where_pinned,
    attendee_conflict,
)
"""Every finding type, in the order reports list them. Removing one here silences it (each has a test)."""


def _order(finding: Finding, rank: dict[str, int]) -> tuple:
    starts = [p.start.timestamp() for p in finding.sessions if p.start is not None]
    return (
        finding.accepted is not None,
        finding.severity is not ERROR,
        rank.get(finding.code, len(rank)),
        min(starts, default=float("inf")),
        finding.subject,
        tuple((p.session, p.where) for p in finding.sessions),
        finding.detail,
    )


def check(agenda: Agenda, context: Context, rules: tuple[Rule, ...] = RULES) -> list[Finding]:
    """Every finding of every rule, at the severity the organiser gives it (`context.checks`; those they ignore
    left out, those they accept marked so): errors first, then by rule, time and subject, the accepted ones last,
    the same order run after run."""
    rank = {rule.__name__: position for position, rule in enumerate(rules)}
    found = judge((finding for rule in rules for finding in rule(agenda, context)), context.checks)
    return sorted(found, key=lambda f: _order(f, rank))


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The errors that count: an error the organiser accepts makes no exit code 1."""
    return [finding for finding in findings if finding.severity is ERROR and finding.accepted is None]
