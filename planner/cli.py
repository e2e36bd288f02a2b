"""The `planner` command: parse arguments, call the library, print, set the exit code. Nothing else lives here.

Exit codes: 0 done, 1 `check` found errors, 2 input problem (every problem printed, grouped by file, never a
traceback), 3 `draft` found no programme, 4 `import` or `publish` could not reach the server or it did not answer as
its API should (run it again later).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from planner.errors import Collector, InputProblems

if TYPE_CHECKING:
    from planner.domain import Schedule
    from planner.formats.schedule_file import ScheduleFile
    from planner.history.yardstick import Yardstick
    from planner.solve.alternatives import Alternatives
    from planner.solve.answer import Answer

app = typer.Typer(
    help="Plan a conference: past programmes as data, validated proposals, drafts, calendars and clash checks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
history_app = typer.Typer(help="Past programmes: the report, and a template for the next edition.")
app.add_typer(history_app, name="history")
import_app = typer.Typer(
    help="Proposals from where they live: a pretalx event, a Sessionize export, a CoSPLib workbook.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")
publish_app = typer.Typer(help="A programme back where the proposals live.", no_args_is_help=True)
app.add_typer(publish_app, name="publish")

out = Console()
err = Console(stderr=True)

INPUT_PROBLEM = 2


def fail_with(problems: InputProblems) -> typer.Exit:
    """Print every problem, grouped by file, and return the exit for an input problem."""
    from rich.markup import escape

    groups = list(problems.grouped())
    files = f" in {len(groups)} files" if len(groups) > 1 else ""
    err.print(f"[bold red]{len(problems.problems)} input problem(s){files}[/]")
    for name, items in groups:
        err.print(f"[bold]{escape(name)}[/] ({len(items)})", soft_wrap=True)
        for problem in items:
            place = ", ".join(p for p in (str(problem.where), problem.field) if p)
            err.print(f"  {escape(place) + ': ' if place else ''}{escape(problem.message)}", soft_wrap=True)
    return typer.Exit(INPUT_PROBLEM)


def print_warnings(found: Collector) -> None:
    """What a load that succeeded wants the user to know (names added as people with no constraints)."""
    from rich.markup import escape

    for warning in found.warnings:
        err.print(f"[yellow]warning:[/] {escape(str(warning))}", soft_wrap=True)


@app.command(short_help="Check a conference folder and summarise it.")
def validate(
    conference_dir: Annotated[Path, typer.Argument(help="Conference folder: conference.yaml, sessions.*, people.*")],
) -> None:
    """Check a conference folder and summarise it; every problem is listed with file, row or line, and field."""
    from planner.io.folder import load_folder
    from planner.summary import print_summary

    found = Collector()
    try:
        loaded = load_folder(conference_dir, found)
    except InputProblems as problems:
        raise fail_with(problems) from None
    print_warnings(found)
    print_summary(loaded, out)


NO_PROGRAMME = 3


@app.command(short_help="Draft the programme and write every output.")
def draft(
    conference_dir: Annotated[Path, typer.Argument(help="Conference folder: conference.yaml, sessions.*, people.*")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for schedule.json (and changes.md).")],
    previous: Annotated[
        Path | None,
        typer.Option(
            help="An earlier programme (schedule.json, an agenda.xlsx edited by hand, or frab): sessions placed by "
            "hand in the workbook stay where they are, the rest moves as little as possible."
        ),
    ] = None,
    freeze: Annotated[str, typer.Option(help="Session ids to keep where --previous has them, comma-separated.")] = "",
    time_limit: Annotated[float, typer.Option(help="Seconds to search; the best answer so far is kept.")] = 60.0,
    seed: Annotated[int, typer.Option(help="Random seed: same inputs and seed give the same programme.")] = 0,
    workers: Annotated[int, typer.Option(help="Search threads (0: up to 8, one per core).")] = 0,
    alternatives: Annotated[
        int,
        typer.Option(
            min=1,
            help="Programmes to write, best first: the best in --out, each other in --out/alternative-N with its "
            "scores and a comparison against the best.",
        ),
    ] = 1,
    differ: Annotated[
        int, typer.Option(min=1, help="With --alternatives: sessions each places differently from every other.")
    ] = 3,
    base_url: BaseUrlOption = None,
    ignore_interest: Annotated[
        bool,
        typer.Option(
            "--ignore-interest",
            help="Draft as if nobody had picked anything (attendee_conflict weighs 0); the report still says what "
            "the programme costs the attendees of the interest table.",
        ),
    ] = False,
) -> None:
    """Draft a programme with CP-SAT and write every output (schedule.json, schedule.frab.json, agenda.xlsx,
    agenda.html, agenda.md, programme.ics and per-person, per-room and per-theme calendars; with --previous,
    changes.md and notices/). Exit 3, writing nothing, when no programme exists, with the reasons."""
    from planner.audience import ignoring_interest, report_facts, report_lines
    from planner.formats.schedule_file import read_schedule_file
    from planner.io.folder import load_folder
    from planner.solve.alternatives import alternatives as find_alternatives
    from planner.solve.run import NoProgramme, Settings
    from planner.summary import print_answer, progress_printer
    from planner.themes import with_suggested_themes

    stamp = publication_time()
    base = checked_base_url(base_url)
    found = Collector()
    try:
        loaded, suggested = with_suggested_themes(load_folder(conference_dir, found))
        saved = read_schedule_file(previous, conference_dir) if previous else None
    except InputProblems as problems:
        raise fail_with(problems) from None
    print_warnings(found)
    if ignore_interest:
        loaded = ignoring_interest(loaded)
    before = saved.schedule if saved else None
    published = (saved.published or saved.schedule) if saved else None  # what changes and notices are told against
    frozen = [f.strip() for f in freeze.split(",") if f.strip()]
    known = {a.session.id for a in before.assignments} if before else set()
    if unknown := [f for f in frozen if f not in known]:
        err.print(f"--freeze: {', '.join(unknown)} not placed in --previous" if before else "--freeze needs --previous")
        raise typer.Exit(INPUT_PROBLEM)
    for session_id, themes in suggested.items():
        out.print(f"Session {session_id} names no themes; using suggested: {', '.join(themes)}")
    try:
        settings = Settings(time_limit=time_limit, seed=seed, workers=workers)
        with progress_printer(err) as on_progress:
            found_all = find_alternatives(
                loaded, alternatives, differ, settings, previous=before, freeze=frozen, on_progress=on_progress
            )
        answer = found_all.answers[0]
    except NoProgramme as none:
        err.print("[bold red]No programme exists.[/]" if none.proven else "[bold red]No programme found.[/]")
        for reason in none.reasons:
            err.print(f"  - {reason}", markup=False)
        raise typer.Exit(NO_PROGRAMME) from None
    print_answer(answer, out)
    for line in report_lines(answer.schedule):
        out.print(line, markup=False, highlight=False)
    measured = _yardstick(conference_dir, answer.schedule)
    # Imported only now: the exporters (openpyxl, icalendar, jinja2) take 0.45 s that the answer need not wait for.
    from planner.changes import changes, changes_markdown
    from planner.export.compare import alternative_folder, alternatives_markdown, comparison_documents
    from planner.export.notices import notices
    from planner.export.outputs import write_outputs

    moves = changes(published, answer.schedule) if published is not None else []
    extra: dict[str, str | bytes] = {}
    if published is not None:
        extra["changes.md"] = changes_markdown(moves, len(answer.schedule.assignments))
        extra |= notices(published, answer.schedule, stamp)
    if alternatives > 1:
        extra["alternatives.md"] = alternatives_markdown(found_all)
    # Every alternative is rendered before the first file is written, as write_outputs does for one programme.
    others = [
        (out_dir / alternative_folder(number), other, comparison_documents(answer, other, number, before))
        for number, other in enumerate(found_all.answers[1:], start=2)
    ]

    def facts(found: Answer) -> dict[str, object]:
        audience = report_facts(found.schedule)
        return found.solver_facts() | ({"audience": audience} if audience is not None else {})

    written = write_outputs(answer.schedule, out_dir, facts(answer), stamp, extra, base_url=base, yardstick=measured)
    for folder, other, documents in others:
        write_outputs(other.schedule, folder, facts(other), stamp, documents)
    for change in moves:
        out.print(f"moved {change.session}: {change.before} -> {change.after}", markup=False)
    print_written(written, out_dir)
    _print_alternatives(found_all, out_dir)


def _yardstick(conference_dir: Path, schedule: Schedule) -> Yardstick | None:
    """The programme set beside the past editions the conference names (`history:` in conference.yaml, relative to
    its folder), printed; None when it names none."""
    if schedule.conference.history is None:
        return None
    from planner.history.yardstick import labelled, yardstick, yardstick_text

    folder = (conference_dir / schedule.conference.history).resolve()
    if not folder.is_dir():  # a conference folder copied elsewhere: the programme stands, without the comparison
        err.print(
            f"warning: history: {folder} is not a folder; the draft is not set beside past editions", markup=False
        )
        return None
    past = _history(folder)
    measured = labelled(yardstick(past, schedule), {t.id: t.label for t in schedule.conference.themes})
    out.print(yardstick_text(measured), markup=False, highlight=False)
    return measured


def _print_alternatives(found: Alternatives, out_dir: Path) -> None:
    """Each alternative's objective and folder, and why there are fewer than asked for."""
    from planner.export.compare import alternative_folder

    for number, other in enumerate(found.answers[1:], start=2):
        gap = other.objective - found.answers[0].objective
        out.print(
            f"Alternative {number}: {other.status}, objective {other.objective} ({gap:+d}), in "
            f"{out_dir / alternative_folder(number)}",
            markup=False,
        )
    if found.shortfall:
        err.print(f"Only {len(found.answers)} of {found.asked} programmes: {found.shortfall}.", markup=False)


def publication_time() -> datetime:
    """SOURCE_DATE_EPOCH read before any work: a bad value is an input problem (exit 2) before anything is written."""
    from planner.clock import publication_stamp

    try:
        return publication_stamp()
    except ValueError as bad:
        err.print(str(bad), markup=False)
        raise typer.Exit(INPUT_PROBLEM) from None


def print_written(written: list[Path], out_dir: Path) -> None:
    """The files written at the top of `out_dir` by name; those in its folders (calendars, notices) counted."""
    names = [p.name for p in written if p.parent == out_dir]
    folders: dict[str, int] = {}
    for path in written:
        if path.parent != out_dir:
            top = path.relative_to(out_dir).parts[0]
            folders[top] = folders.get(top, 0) + 1
    counted = [f"{count} files under {out_dir / folder}" for folder, count in sorted(folders.items())]
    out.print(f"Wrote in {out_dir}: {', '.join([*names, *counted])}", markup=False)


def _saved_schedule(path: Path, conference_dir: Path | None) -> ScheduleFile:
    from planner.formats.schedule_file import read_schedule_file

    try:
        return read_schedule_file(path, conference_dir)
    except InputProblems as problems:
        raise fail_with(problems) from None


BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        metavar="URL",
        help="Where --out will be published (http:// or https://): agenda.html then offers subscribe links to every "
        "calendar.",
    ),
]


def checked_base_url(base_url: str | None) -> str | None:
    """--base-url checked before any work: a bad one is an input problem (exit 2) before anything is written."""
    if base_url is None:
        return None
    from planner.export.agenda_html import check_base_url

    try:
        return check_base_url(base_url)
    except ValueError as bad:
        err.print(f"--base-url: {bad}", markup=False)
        raise typer.Exit(INPUT_PROBLEM) from None


ScheduleArgument = Annotated[
    Path,
    typer.Argument(
        help="A programme: our schedule.json, an agenda.xlsx edited by hand (its Sessions sheet is the truth), or a "
        "frab/pretalx schedule.json or .xml (with --conference)."
    ),
]
ConferenceOption = Annotated[
    Path | None,
    typer.Option("--conference", help="Conference folder, for what the file itself lacks (a frab file's grid)."),
]


@app.command(short_help="Write every output again from a saved or edited programme.")
def export(
    schedule_file: ScheduleArgument,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for every output.")],
    conference_dir: ConferenceOption = None,
    base_url: BaseUrlOption = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="all (every output) or cosplib (only DIR/cosplib-solution.xlsx, CoSPLib's solution workbook, for a "
            "paper conference).",
        ),
    ] = "all",
) -> None:
    """Write every output again from a saved schedule.json, an agenda.xlsx edited by hand, or a frab file (after a
    hand edit or a re-plan); a schedule.json's record of the solve, and of the past editions, is kept. With
    --format cosplib, CoSPLib's solution workbook instead, which CoSPLib's own checker scores."""
    from planner.export.outputs import write_outputs
    from planner.history.yardstick import from_document

    if output_format not in ("all", "cosplib"):
        err.print("--format: expected all or cosplib", markup=False)
        raise typer.Exit(INPUT_PROBLEM)
    saved = _saved_schedule(schedule_file, conference_dir)
    if output_format == "cosplib":
        from planner.export.atomic import write_atomic
        from planner.formats.cosplib import solution_workbook

        if saved.schedule.conference.paper is None:
            err.print(f"{schedule_file}: not a paper conference (its conference has no paper: section)", markup=False)
            raise typer.Exit(INPUT_PROBLEM)
        written_file = write_atomic(out_dir / "cosplib-solution.xlsx", solution_workbook(saved.schedule))
        print(f"Wrote {written_file}")
        return
    stamp = publication_time()
    base = checked_base_url(base_url)
    measured = from_document(saved.yardstick) if saved.yardstick else None
    written = write_outputs(saved.schedule, out_dir, saved.solver, stamp, base_url=base, yardstick=measured)
    print_written(written, out_dir)


COMPARE_FORMATS = ("table", "md", "html")


@app.command(short_help="Compare two programmes: scores, findings, sessions moved, people affected.")
def compare(
    first: ScheduleArgument,
    second: ScheduleArgument,
    conference_dir: ConferenceOption = None,
    report_format: Annotated[str, typer.Option("--format", help="table, md or html.")] = "table",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the comparison here (html needs it).")] = None,
) -> None:
    """Compare two programmes, any agenda files: each soft term's count, weight and cost in each, the checker's
    findings present in only one, the sessions moved, added or dropped, and the people affected; the HTML page shows
    both programmes' grids with the differences marked."""
    from planner.export.atomic import write_atomic
    from planner.export.compare import compare as compare_programmes
    from planner.export.compare import comparison_html, comparison_markdown, comparison_text, print_comparison

    if report_format not in COMPARE_FORMATS or (report_format == "html" and out_file is None):
        err.print(f"--format: expected one of {', '.join(COMPARE_FORMATS)} (html needs --out)", markup=False)
        raise typer.Exit(INPUT_PROBLEM)
    a, b = (_saved_schedule(path, conference_dir).schedule for path in (first, second))
    labels = (first.name, second.name) if first.name != second.name else (str(first), str(second))
    comparison = compare_programmes(a, b, labels)
    if out_file is not None:
        render = {"table": comparison_text, "md": comparison_markdown, "html": comparison_html}[report_format]
        write_atomic(out_file, render(comparison))
        out.print(f"Wrote {out_file}", markup=False)
    elif report_format == "md":
        out.print(comparison_markdown(comparison), markup=False, highlight=False, soft_wrap=True, end="")
    else:
        print_comparison(comparison, out)


@app.command(short_help="An attendee's own calendar of the sessions they picked.")
def ics(
    schedule_file: ScheduleArgument,
    sessions: Annotated[str, typer.Option(help="The session ids you picked, comma-separated.")],
    out_file: Annotated[Path, typer.Option("--out", help="The calendar file to write, e.g. my.ics.")],
    conference_dir: ConferenceOption = None,
) -> None:
    """An attendee's own calendar: only the sessions they picked (cancelled ones stay, marked cancelled)."""
    from planner.export.atomic import write_atomic
    from planner.export.ical import UnknownSessions, picks_calendar

    stamp = publication_time()
    schedule = _saved_schedule(schedule_file, conference_dir).schedule
    picked = [s.strip() for s in sessions.split(",") if s.strip()]
    try:
        calendar = picks_calendar(schedule, picked, stamp=stamp)
    except UnknownSessions as unknown:
        err.print(f"--sessions: {unknown}; expected ids from {schedule_file}", markup=False)
        raise typer.Exit(INPUT_PROBLEM) from None
    except ValueError as empty:
        err.print(f"--sessions: {empty}", markup=False)
        raise typer.Exit(INPUT_PROBLEM) from None
    write_atomic(out_file, calendar)
    out.print(f"Wrote {out_file}: {len(picked)} sessions", markup=False)


ERRORS_FOUND = 1


@app.command(short_help="Check any agenda for clashes (exit 1 when errors are found).")
def check(
    agenda: Annotated[
        Path,
        typer.Argument(
            help="Our schedule.json, an agenda.xlsx (its Sessions sheet; its hidden Draft sheet carries the grid), "
            "or a frab/pretalx schedule.json or schedule.xml."
        ),
    ],
    people: Annotated[
        Path | None, typer.Option(help="People file (.csv, .xlsx, .yaml): aliases, unavailable times, daily maxima.")
    ] = None,
    conference_dir: Annotated[
        Path | None, typer.Option("--conference", help="Conference folder: the grid, the proposals, the people.")
    ] = None,
    report_format: Annotated[str, typer.Option("--format", help="table, md, json or xlsx.")] = "table",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the report here (xlsx needs it).")] = None,
    interest: Annotated[
        Path | None,
        typer.Option(
            "--interest",
            help="An interest table (attendee, session[, weight]; or session_a, session_b, attendees): a warning for "
            "each pair of picked sessions run at once, with how many attendees want both.",
        ),
    ] = None,
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="Checker settings (YAML: buffer_minutes, severity, accepted, as conference.yaml's checks:); "
            "they replace the conference's.",
        ),
    ] = None,
) -> None:
    """Check an agenda for clashes. Exit 0: no errors (warnings and accepted errors allowed); 1: errors found; 2: an
    input problem."""
    from planner.check.read import read_agenda
    from planner.check.report import FORMATS, print_table, render, summary
    from planner.check.rules import check as find_clashes
    from planner.check.rules import errors
    from planner.check.settings import with_settings
    from planner.export.atomic import write_atomic

    if report_format not in FORMATS or (report_format == "xlsx" and out_file is None):
        err.print(f"--format: expected one of {', '.join(FORMATS)} (xlsx with --out FILE)", markup=False)
        raise typer.Exit(INPUT_PROBLEM)
    try:
        checked, context = read_agenda(agenda, conference_dir, people, interest)
        context = with_settings(checked, context, rules_file, conference_dir)
    except InputProblems as problems:
        raise fail_with(problems) from None
    findings = find_clashes(checked, context)
    if out_file is not None:
        try:
            if report_format == "xlsx":
                from planner.export.clashes_sheet import xlsx_report

                report: str | bytes = xlsx_report(findings, checked)
            else:
                report = render(findings, checked, report_format)
            write_atomic(out_file, report)
        except OSError as exc:
            err.print(f"--out: cannot write {out_file} ({exc.strerror or exc})", markup=False)
            raise typer.Exit(INPUT_PROBLEM) from None
        err.print(f"Wrote {out_file}: {summary(findings)}", markup=False)
    elif report_format == "table":
        print_table(findings, checked, out)
    else:
        typer.echo(render(findings, checked, report_format), nl=False)
    raise typer.Exit(ERRORS_FOUND if errors(findings) else 0)


HistoryDir = Annotated[Path | None, typer.Option("--history", help="History folder (default: the repository's).")]


def _history(folder: Path | None):
    from planner.history.load import DEFAULT_HISTORY, load_history

    try:
        return load_history(folder or DEFAULT_HISTORY)
    except InputProblems as problems:
        raise fail_with(problems) from None


@history_app.callback(invoke_without_command=True)
def history(
    context: typer.Context,
    history_dir: HistoryDir = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Also write history.md and history.html here.")] = None,
    drafted: Annotated[
        Path | None,
        typer.Option("--with", help="A drafted programme (any agenda file) to report on as one more edition."),
    ] = None,
) -> None:
    """Report on past programmes: kinds, day shapes, parallelism, theme trends, recurring people."""
    if context.invoked_subcommand is not None:
        return
    from planner.export.atomic import write_atomic
    from planner.history.load import with_edition
    from planner.history.report import html_report, markdown_report, print_report
    from planner.history.yardstick import drafted_edition

    past = _history(history_dir)
    if drafted is not None:
        past = with_edition(past, drafted_edition(_saved_schedule(drafted, None).schedule, source=drafted.name))
    print_report(past)
    if out_dir is not None:
        written = [
            write_atomic(out_dir / "history.md", markdown_report(past)),
            write_atomic(out_dir / "history.html", html_report(past)),
        ]
        out.print("Wrote " + ", ".join(str(p) for p in written))


@history_app.command(short_help="A draft conference folder for a new edition, from past day shapes.")
def template(
    edition: Annotated[int, typer.Option(help="Year of the edition to draft, e.g. 2025.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the draft conference.yaml, sessions.csv and people.csv.")
    ],
    start_date: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD); default: derived.")] = None,
    history_dir: HistoryDir = None,
) -> None:
    """Derive a draft conference folder for a new edition from past day shapes: conference.yaml, and empty sessions
    and people tables with their headers (an existing table is never replaced), ready for `planner validate`."""
    from planner.export.atomic import write_atomic
    from planner.history.template import template_files

    try:
        first = date.fromisoformat(start_date) if start_date else None
    except ValueError:
        err.print(f"--start-date: '{start_date}' is not a date; expected YYYY-MM-DD")
        raise typer.Exit(INPUT_PROBLEM) from None
    files = template_files(_history(history_dir), edition, first, out_dir)
    written = [write_atomic(out_dir / name, text) for name, text in files.items()]
    out.print("Wrote " + ", ".join(str(p) for p in written))


# Where proposals live: pretalx, Sessionize ------------------------------------------------------------------------

NETWORK_FAILURE = 4
"""The server could not be reached or did not answer as its API should (planner.sources.http.NETWORK_FAILURE)."""

UrlOption = Annotated[str, typer.Option("--url", help="The pretalx server's address, e.g. https://pretalx.example.org")]
EventOption = Annotated[str, typer.Option("--event", help="The event's short name in pretalx (its slug).")]
TokenFileOption = Annotated[
    Path,
    typer.Option(
        "--token-file",
        help="A file holding an organiser's pretalx API token on one line (never printed, logged or written).",
    ),
]


def say(line: str) -> None:
    out.print(line, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def talking_to_a_server() -> Iterator[None]:
    """Exit 2 with every input or credential problem, 4 when the server could not be reached or answered amiss."""
    from planner.sources.http import NetworkFailure

    try:
        yield
    except InputProblems as problems:
        raise fail_with(problems) from None
    except NetworkFailure as failure:
        err.print(str(failure), markup=False, soft_wrap=True)
        raise typer.Exit(NETWORK_FAILURE) from None


@import_app.command("pretalx", short_help="A pretalx event's proposals, speakers and rooms as a conference folder.")
def import_pretalx(
    url: UrlOption,
    event: EventOption,
    token_file: TokenFileOption,
    out_dir: Annotated[Path, typer.Option("--out", help="The conference folder to make or update.")],
) -> None:
    """Make or update a conference folder from a pretalx event (API v1): accepted and confirmed submissions become
    sessions, their speakers people (unavailable outside their availabilities), rooms with capacity and the hours
    they are open; conference.yaml starts from the event's name, dates and time zone. Re-running keeps every id and
    your edits, and says what is new, withdrawn and edited. Exit 2: an input or credential problem; 4: the server
    could not be reached."""
    from planner.sources.commands import import_pretalx as run

    with talking_to_a_server():
        run(url, event, token_file, out_dir, say)


@import_app.command("sessionize", short_help="Sessionize's 'All' JSON, saved to a file, as a conference folder.")
def import_sessionize(
    file: Annotated[Path, typer.Argument(help="The JSON of Sessionize's 'All' endpoint, saved to a file.")],
    out_dir: Annotated[Path, typer.Option("--out", help="The conference folder to make or update.")],
    timezone: Annotated[str, typer.Option(help="The event's IANA time zone (Sessionize names none).")] = "UTC",
    start_date: Annotated[
        str | None, typer.Option(help="First day (YYYY-MM-DD); default: the dates sessions are scheduled on.")
    ] = None,
    days: Annotated[int, typer.Option(min=1, help="With --start-date: how many days.")] = 1,
) -> None:
    """Make or update a conference folder from Sessionize: sessions (service sessions and declined ones left out),
    speakers, rooms, formats as kinds and tracks as themes; every problem placed by session or speaker."""
    from planner.sources.commands import import_sessionize as run

    try:
        first = date.fromisoformat(start_date) if start_date else None
    except ValueError:
        err.print(f"--start-date: '{start_date}' is not a date; expected YYYY-MM-DD", markup=False)
        raise typer.Exit(INPUT_PROBLEM) from None
    try:
        run(file, out_dir, say, timezone=timezone, first=first, days=days)
    except InputProblems as problems:
        raise fail_with(problems) from None


@import_app.command("cosplib", short_help="A CoSPLib workbook (a real conference in its Excel template) as a folder.")
def import_cosplib(
    file: Annotated[Path, typer.Argument(help="A workbook in CoSPLib's template, e.g. its Dataset/ISF22.xlsx.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="The conference folder to make (or to remake, when this import made it).")
    ],
) -> None:
    """Make a conference folder from a CoSPLib workbook: its sessions (periods) and time slots become blocks, its
    rooms rooms, submissions sessions, tracks themes, presenters and track chairs people, and attendees the interest
    table; what has no counterpart is listed. Exit 2: a cell that cannot be read, with its sheet, row and column."""
    from planner.sources.cosplib import import_cosplib as run

    try:
        run(file, out_dir, say)
    except InputProblems as problems:
        raise fail_with(problems) from None


@publish_app.command("pretalx", short_help="Write a programme into a pretalx event's work-in-progress schedule.")
def publish_pretalx(
    schedule_file: ScheduleArgument,
    url: UrlOption,
    event: EventOption,
    token_file: TokenFileOption,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would change; write nothing.")] = False,
    release: Annotated[
        str | None, typer.Option("--release", metavar="NAME", help="Then release the schedule as version NAME.")
    ] = None,
    conference_dir: ConferenceOption = None,
) -> None:
    """Move each placed session's slot in pretalx's work-in-progress schedule to its room and start (pretalx ends
    it after the submission's duration), unplace the sessions the programme leaves out, and say each change. Only
    what differs is written, so running it again after a failure finishes the job. Nothing is released unless
    --release NAME is given. Exit 2: an input or credential problem; 4: the server could not be reached."""
    from planner.sources.commands import publish_pretalx as run

    with talking_to_a_server():
        run(schedule_file, url, event, token_file, say, conference_dir=conference_dir, dry_run=dry_run, release=release)


@history_app.command("add", short_help="A published programme (frab XML or JSON) as a history file.")
def history_add(
    file: Annotated[Path, typer.Argument(help="A frab schedule.xml or schedule.json, as pretalx and frab publish.")],
    edition: Annotated[str, typer.Option(help="The edition's name, e.g. 31c3; the file is <edition>.yaml.")],
    history_dir: HistoryDir = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace an edition file of that name.")] = False,
) -> None:
    """Take a published programme as history: its days, slots (sessions starting together), sessions with their
    type, local time and speakers, written as <edition>.yaml in the history folder for `planner history` and the
    template to analyse."""
    from planner.export.atomic import write_atomic
    from planner.history.add import add_to_history, summary
    from planner.history.load import DEFAULT_HISTORY

    try:
        added = add_to_history(file, edition, history_dir or DEFAULT_HISTORY, replace=replace)
    except InputProblems as problems:
        raise fail_with(problems) from None
    write_atomic(added.path, added.text)
    for line in summary(added):
        say(line)
