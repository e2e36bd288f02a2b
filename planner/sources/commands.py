"""What `planner import` and `planner publish` do, whole, for the command line to call and print: each takes the
command's arguments and a function to say each line with, and raises InputProblems (exit 2) or NetworkFailure
(exit `NETWORK_FAILURE`); nothing here prints, parses arguments or exits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from planner.errors import Collector, InputProblems, Problem
from planner.sources.folder import summary, update_folder, write_folder
from planner.sources.proposals import Imported

Say = Callable[[str], None]


def _import(imported: Imported, out_dir: Path, say: Say) -> list[Path]:
    """Make or update the folder from what was read (everything rendered before the first write), and say what
    changed."""
    update = update_folder(imported, out_dir)
    try:
        written = write_folder(update, out_dir)
    except OSError as exc:
        raise InputProblems([Problem(str(out_dir), message=f"cannot be written ({exc.strerror or exc})")]) from None
    for line in summary(update, imported, out_dir):
        say(line)
    for warning in update.warnings:
        say(f"warning: {warning}")
    return written


def import_pretalx(url: str, event: str, token_file: Path, out_dir: Path, say: Say, **settings: Any) -> list[Path]:
    """`planner import pretalx`: the event's accepted and confirmed proposals, speakers and rooms into `out_dir`."""
    from planner.sources.pretalx.client import connect
    from planner.sources.pretalx.read import read_event

    problems = Collector()
    connection = connect(url, event, token_file, problems, **settings)
    problems.raise_if_any()
    assert connection is not None
    return _import(read_event(connection), out_dir, say)


def import_sessionize(
    file: Path,
    out_dir: Path,
    say: Say,
    *,
    timezone: str = "UTC",
    first: date | None = None,
    days: int | None = None,
) -> list[Path]:
    """`planner import sessionize`: the sessions, speakers, rooms and categories of Sessionize's "All" JSON saved
    to `file`, into `out_dir`."""
    from planner.sources.sessionize import read_sessionize

    return _import(read_sessionize(file, str(file), timezone, first, days), out_dir, say)


def publish_pretalx(
    schedule_file: Path,
    url: str,
    event: str,
    token_file: Path,
    say: Say,
    *,
    conference_dir: Path | None = None,
    dry_run: bool = False,
    release: str | None = None,
    **settings: Any,
) -> int:
    """`planner publish pretalx`: the programme into the event's work-in-progress schedule (each change said as it
    is written; with `dry_run`, what would change), released as `release` when given. The number of slots
    written."""
    from planner.formats.schedule_file import read_schedule_file
    from planner.sources.pretalx.client import connect
    from planner.sources.pretalx.publish import Change, Plan, publish

    problems = Collector()
    try:
        schedule = read_schedule_file(schedule_file, conference_dir).schedule
    except InputProblems as found:
        problems.extend(found.problems)
        schedule = None
    connection = connect(url, event, token_file, problems, **settings)
    problems.raise_if_any()
    assert connection is not None and schedule is not None

    def planned(plan: Plan) -> None:
        verb = "would change" if dry_run else "changing"
        say(f"{connection.origin}: {verb} {len(plan.changes)} slots ({plan.unchanged} already in place)")
        if dry_run:
            for change in plan.changes:
                say(f"  would move {change.line(plan.zone)}")
        for note in plan.notes:
            say(f"note: {note}")

    def changed(change: Change) -> None:
        say(f"  moved {change.line(schedule.conference.zone)}")

    done = publish(connection, schedule, dry_run=dry_run, release_as=release, on_plan=planned, on_change=changed)
    if dry_run:
        say(f"dry run: nothing written{'; would release ' + release if release else ''}")
    elif done.release:
        say(f"released schedule version '{done.release}'")
    else:
        say("not released (give --release NAME to release a version)")
    return done.written
