"""Any agenda file as a Schedule, for every command that takes one (`export`, `ics`, `draft --previous`, `compare`).

Our schedule.json is a Schedule already. An agenda.xlsx a person edited is its Sessions sheet, read against the
schedule the workbook was written from (its hidden Draft sheet): a row whose room or times differ from the draft, or
a row the draft did not have, is a session placed by hand (`Assignment.by_hand`), which a re-plan keeps where the
person put it; a row deleted is a session no longer in the programme; a move raises the calendars' SEQUENCE as a
re-plan's would. A frab/pretalx file, or a workbook without its Draft, needs `--conference` for the grid, the rooms
and the proposals. A file of another kind is a plain problem saying what it is and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from planner.domain import Assignment, ConferenceInput, Schedule, Session, Unscheduled, moved
from planner.errors import Collector
from planner.formats.agenda import Entry, Matcher, Registry, Source, read_source
from planner.replan import carry_over

DELETED = "not in the Sessions sheet: its row was deleted by hand"
"""Why a session the workbook's draft placed is not in the programme the edited workbook holds."""
NOT_IN_FILE = "not in the published programme"
"""Why a proposal is not in the programme a frab file holds."""


@dataclass(frozen=True)
class ScheduleFile:
    """A schedule read from a file, with what the file says about how it was made."""

    schedule: Schedule
    kind: str
    """'schedule' (our schedule.json), 'workbook' (agenda.xlsx) or 'frab'."""
    solver: dict[str, Any] | None = None
    """Our schedule.json's record of the solve that made it, kept when it is exported again."""
    yardstick: dict[str, Any] | None = None
    """Our schedule.json's record of the draft set beside past editions, kept when it is exported again."""
    published: Schedule | None = None
    """A workbook's Draft: the programme as it was written out (and published), before the person's edits; what
    changes and notices are told against."""

    @property
    def by_hand(self) -> tuple[Assignment, ...]:
        """The sessions a person placed: moved or added in the workbook (and those kept so from earlier edits)."""
        return tuple(a for a in self.schedule.assignments if a.by_hand)


def read_schedule_file(path: Path, conference_dir: Path | None = None) -> ScheduleFile:
    """The schedule in `path`; raises InputProblems with every problem, each placed by sheet and row, line or event.

    `conference_dir` gives the grid, rooms, people and proposals a frab file (or a workbook without its Draft)
    lacks; a file that carries its own (our schedule.json, a workbook's Draft) is read by those, so a programme made
    before a room was removed still reads as it was.
    """
    folder = _load_folder(conference_dir) if conference_dir else None
    label, problems = str(path), Collector()
    source = read_source(path, label, folder.conference if folder else None, problems)
    problems.raise_if_any()
    assert source is not None
    if source.kind == "schedule" and source.schedule is not None:
        return ScheduleFile(source.schedule, source.kind, source.facts.get("solver"), source.facts.get("yardstick"))
    base = source.schedule
    if base is None and folder is None:
        what = "a frab/pretalx programme" if source.kind == "frab" else "a workbook without its hidden Draft sheet"
        problems.add(label, message=f"is {what}, which names no grid or proposals; give --conference CONF_DIR")
        problems.raise_if_any()
    inputs = _inputs(base, folder if base is None else None)
    schedule = _schedule(source, base, inputs, label, problems)
    problems.raise_if_any()
    return ScheduleFile(schedule, source.kind, published=base)


def _load_folder(folder: Path) -> ConferenceInput:
    from planner.io.folder import load_folder

    return load_folder(folder)


def _inputs(base: Schedule | None, folder: ConferenceInput | None) -> ConferenceInput:
    """What the entries are matched against: the conference folder when given, else the draft's own conference,
    people and proposals (placed and left out)."""
    if folder is not None:
        return folder
    assert base is not None
    proposals = {a.session.id: a.session for a in base.assignments}
    for left in base.unscheduled:
        proposals.setdefault(left.session.id, left.session)
    return ConferenceInput(conference=base.conference, sessions=tuple(proposals.values()), people=base.people)


def _schedule(
    source: Source, base: Schedule | None, inputs: ConferenceInput, label: str, problems: Collector
) -> Schedule:
    matcher, registry = Matcher(inputs.conference, inputs.sessions), Registry(inputs.people)
    drafted = {a.session.id: a for a in base.assignments} if base else {}
    assignments = []
    for entry in source.entries:
        if matcher.grid_problems(entry, label, problems):
            continue
        assignment = _assignment(entry, matcher, registry, label, problems)
        if assignment is None:
            continue
        if source.kind == "workbook":
            earlier = drafted.get(assignment.session.id)
            by_hand = earlier is None or earlier.by_hand or moved(earlier, assignment)
            assignment = assignment.model_copy(update={"by_hand": by_hand})
        assignments.append(assignment)
    placed = {a.session.id for a in assignments}
    reason = DELETED if source.kind == "workbook" else NOT_IN_FILE
    left_out = [Unscheduled(session=s, reason=reason) for s in inputs.sessions if s.id not in placed]
    if base is not None:
        earlier_reasons = {u.session.id: u for u in base.unscheduled}
        left_out = [earlier_reasons.get(u.session.id, u) for u in left_out]
    schedule = Schedule(
        conference=inputs.conference,
        people=tuple(registry.people.values()),
        assignments=tuple(assignments),
        unscheduled=tuple(left_out),
    )
    return carry_over(base, schedule) if base is not None else schedule


def _assignment(
    entry: Entry, matcher: Matcher, registry: Registry, label: str, problems: Collector
) -> Assignment | None:
    """The entry as an assignment: the proposal it places with the entry's own title, kind, themes and people (the
    file is the truth), or a new session made from the entry."""
    session_id, proposal = matcher.session(entry)
    chair = registry.resolve(entry.chair) if entry.chair else None
    speakers = tuple(p for p in dict.fromkeys(registry.resolve(name) for name in entry.speakers) if p != chair)
    fields: dict[str, Any] = {
        "title": entry.title or (proposal.title if proposal else session_id),
        "kind": matcher.kind(entry, proposal),
        "themes": matcher.themes(entry, proposal),
        "chair": chair,
        "speakers": speakers,
    }
    if entry.loose and proposal is not None:  # a frab export lists persons without roles: the proposal has them
        fields |= {"chair": proposal.chair, "speakers": proposal.speakers}
    if fields["kind"] is None:
        problems.add(label, entry.where, "kind", "is empty; expected the session's kind")
        return None
    minutes = int((entry.end - entry.start) / timedelta(minutes=1))
    try:
        session = (
            proposal.model_copy(update=fields)
            if proposal is not None
            else Session.model_validate({"id": session_id, "duration": minutes, **fields})
        )
        conference = matcher.conference
        run = conference.run_at(entry.start, entry.end) if conference else None
        return Assignment(
            session=session,
            room=matcher.room(entry),
            start=entry.start.astimezone(conference.zone) if conference else entry.start,
            end=entry.end.astimezone(conference.zone) if conference else entry.end,
            day=run[0].id if run else None,
            blocks=tuple(block.id for block in run[1]) if run else (),
        )
    except ValueError as invalid:  # pydantic's ValidationError: an id typed by hand that is not an identifier
        reason = str(invalid).splitlines()[-1].strip() if str(invalid) else "is not valid"
        problems.add(label, entry.where, "id", f"'{session_id}' cannot be a session: {reason}")
        return None


__all__ = ["DELETED", "ScheduleFile", "read_schedule_file"]
