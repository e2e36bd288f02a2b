"""Any agenda file to the checker's `Agenda` and `Context`, with every unreadable or ambiguous entry reported by place.

The file is read by planner.formats.agenda (our schedule.json, an edited agenda.xlsx, a frab/pretalx schedule.json
or .xml); here its entries become the checker's items. What they are judged by: the grid, proposals and people of
`--conference`, the people of `--people`, or what the file itself carries (our schedule.json is self-contained, and a
workbook's hidden Draft sheet holds the schedule it was written from, so an edited workbook checked alone gets every
finding the conference folder would give).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.check.model import Agenda, Context, Item
from planner.check.schedule import schedule_agenda
from planner.domain import ConferenceInput, Person
from planner.errors import Collector, InputProblems
from planner.formats.agenda import Entry, Matcher, Registry, read_source


def read_agenda(
    path: Path, conference_dir: Path | None = None, people_path: Path | None = None, interest_path: Path | None = None
) -> tuple[Agenda, Context]:
    """The agenda in `path` and what to judge it by; raises InputProblems with every problem found.

    `interest_path` is an interest table (planner/io/interest.py): the conference then carries it, so the checker
    reports each pair of picked sessions run at once (`attendee_conflict`); it replaces any the agenda carries."""
    agenda, context = _read_agenda(path, conference_dir, people_path)
    if interest_path is None:
        return agenda, context
    return agenda, with_interest(agenda, context, interest_path)


def with_interest(agenda: Agenda, context: Context, path: Path) -> Context:
    """The context with the interest table in `path` as its conference's audience; raises InputProblems when the
    table has a problem or there is no conference to judge it by (a frab file without --conference)."""
    from planner.io.interest import read_interest

    problems = Collector()
    if not path.is_file():
        problems.add(str(path), message="not found; expected an interest table (.csv, .xlsx or .yaml)")
    elif context.conference is None:
        problems.add(str(path), message="needs the conference: give --conference CONF_DIR for a frab file")
    problems.raise_if_any()
    assert context.conference is not None
    ids = [item.session for item in agenda.items] + [session.id for session in context.proposals or ()]
    audience = read_interest(path, ids, problems)
    problems.raise_if_any()
    return replace(context, conference=context.conference.model_copy(update={"audience": audience}))


def _read_agenda(path: Path, conference_dir: Path | None, people_path: Path | None) -> tuple[Agenda, Context]:
    folder = _load_folder(conference_dir) if conference_dir else None
    conference = folder.conference if folder else None
    label, problems = str(path), Collector()
    source = read_source(path, label, conference, problems)
    if source is None:
        raise InputProblems(problems.problems)
    base = source.schedule
    if source.kind == "schedule" and base is not None and folder is None and people_path is None and not problems:
        return schedule_agenda(base, source=label)
    if people_path is not None:
        zone = conference.zone if conference else source.zone
        people = _read_people(people_path, zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC"), problems)
    else:
        people = list(folder.people if folder else base.people if base else ())
    if base is not None:
        own = schedule_agenda(base, source=label)[1]
        conference = conference or base.conference
        proposals, left_out = (folder.sessions if folder else own.proposals), own.left_out
    else:
        proposals, left_out = (folder.sessions if folder else None), {}
    registry, matcher = Registry(people), Matcher(conference, proposals)
    items = [_item(matcher, entry, registry, label, problems) for entry in source.entries]
    problems.raise_if_any()
    context = Context(conference=conference, people=registry.people, proposals=proposals, left_out=left_out)
    kept = tuple(item for item in items if item)
    return Agenda(source=label, items=kept, zone=source.zone, zone_said=source.zone_said), context


def _load_folder(folder: Path) -> ConferenceInput:
    from planner.io.folder import load_folder

    return load_folder(folder)


def _read_people(path: Path, zone: ZoneInfo, problems: Collector) -> list[Person]:
    from planner.io.records import PEOPLE_COLUMNS, PEOPLE_REQUIRED, check_header, identities_of, read_people
    from planner.io.tables import read_table

    label = str(path)
    if not path.is_file():
        problems.add(label, message="not found; expected a people file (.csv, .xlsx or .yaml)")
        return []
    header, rows = read_table(path, label, "people", problems)
    check_header(header, PEOPLE_COLUMNS, PEOPLE_REQUIRED, label, problems)
    people = read_people(rows, label, zone, problems)
    identities_of(people, label, problems)
    return people


def _item(matcher: Matcher, entry: Entry, registry: Registry, label: str, problems: Collector) -> Item | None:
    if matcher.grid_problems(entry, label, problems):
        return None
    session_id, proposal = matcher.session(entry)
    return Item(
        session=session_id,
        title=entry.title or (proposal.title if proposal else session_id),
        kind=matcher.kind(entry, proposal),
        start=entry.start,
        end=entry.end,
        room=matcher.room(entry),
        people=tuple(dict.fromkeys(registry.resolve(name) for name in entry.people)),
        themes=matcher.themes(entry, proposal),
        where=str(entry.where),
        proposal=proposal,
    )
