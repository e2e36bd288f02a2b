"""Findings for people and for their automation: a terminal table, Markdown and JSON (the `Clashes` sheet of a
workbook is planner.export.clashes_sheet's, from the same cells).

Every format lists the same findings in the same order (the checker's), with each one's severity, code, who or what,
what is wrong, and each session's id, title, time and room; equal findings give equal bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from datetime import tzinfo

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.check.model import Agenda, Finding, Placement, Severity
from planner.clock import day_time_span, local_iso
from planner.formats.markdown import inline, markdown_table

TEXT_FORMATS = ("table", "md", "json")
FORMATS = (*TEXT_FORMATS, "xlsx")
FORMAT = "planner.clashes"
VERSION = 1
SHEET = "Clashes"
HEADERS = ("severity", "finding", "who or what", "detail", "sessions", "when", "room", "where")
REASON = "reason"
"""The column that accepted findings add to HEADERS: why the organiser accepts each."""
ACCEPTED_TITLE = "Accepted, not counted"


def counted(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that count: all but those the organiser accepts."""
    return [f for f in findings if f.accepted is None]


def accepted(findings: Iterable[Finding]) -> list[Finding]:
    """The findings the organiser accepts, each with its reason: reported apart, never counted."""
    return [f for f in findings if f.accepted is not None]


def summary(findings: Sequence[Finding]) -> str:
    """'2 errors, 1 warning', then ', 1 accepted' when the organiser accepts some; or 'no clashes'."""
    live = counted(findings)
    errors = sum(1 for f in live if f.severity is Severity.ERROR)
    warnings, kept = len(live) - errors, len(findings) - len(live)
    if not findings:
        return "no clashes"
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return text + (f", {kept} accepted" if kept else "")


def _session(placement: Placement, zone: tzinfo) -> str:
    when = day_time_span(placement.start, placement.end, zone)
    return f"'{placement.title}' [{placement.session}]" + (f" {when} in {placement.room}" if when else "")


def message(finding: Finding, zone: tzinfo) -> str:
    """The finding as one sentence: who or what, what is wrong, then each session with its time and room."""
    listed = "; ".join(_session(p, zone) for p in finding.sessions)
    return f"{finding.subject}: {finding.detail}" + (f": {listed}" if listed else "")


def cells(finding: Finding, zone: tzinfo, joiner: str) -> list[str]:
    """One finding as the HEADERS' cells, one line per session in the last four (where: for those the agenda
    places), and the organiser's reason after them when they accept it."""
    return [
        finding.severity.value,
        finding.code,
        finding.subject,
        finding.detail,
        joiner.join(f"{p.session}: {p.title}" for p in finding.sessions),
        joiner.join(day_time_span(p.start, p.end, zone) or "not scheduled" for p in finding.sessions),
        joiner.join(p.room or "-" for p in finding.sessions),
        joiner.join(p.where for p in finding.sessions if p.where),
        *([] if finding.accepted is None else [finding.accepted]),
    ]


TABLE_LIMIT = 200
"""Up to this many findings print as a table on a terminal; more print as lines, which a terminal shows as quickly."""


def _session_line(placement: Placement, zone: tzinfo) -> str:
    """'t1, Tue 04 Jun 10:00-11:00, Side Room (sheet Sessions, row 7)': the session, when, where, and where the
    agenda gives it."""
    when = day_time_span(placement.start, placement.end, zone) or "not scheduled"
    text = f"{placement.session}, {when}" + (f", {placement.room}" if placement.room else "")
    return text + (f" ({placement.where})" if placement.where else "")


def print_table(findings: Sequence[Finding], agenda: Agenda, console: Console) -> None:
    """The report for a person: on a terminal, a table narrow enough for it (the severity over the code, each
    session's id, time, room and place in the agenda over its title), no cell ever cut short; anywhere else (a pipe,
    a file) the same as plain lines, never wrapped or cut, so a report pasted into an e-mail names everyone in full.
    The accepted findings follow apart, each with the organiser's reason."""
    console.print(f"[bold]{escape(agenda.source)}[/]: {len(agenda.items)} sessions placed; {summary(findings)}.")
    if agenda.zone_said:
        console.print(f"Times in {escape(agenda.zone_said)}.", highlight=False)
    live, kept = counted(findings), accepted(findings)
    as_lines = not console.is_terminal or len(findings) > TABLE_LIMIT
    for title, group in (("", live), (f"{ACCEPTED_TITLE} ({len(kept)})", kept)):
        if not group:
            continue
        if title:
            console.print(f"\n[bold]{title}[/]:" if as_lines else f"\n[bold]{title}[/]")
        if as_lines:
            _print_lines(group, agenda, console)
        else:
            console.print(_table(group, agenda, reasons=bool(title)))


def _table(findings: Sequence[Finding], agenda: Agenda, reasons: bool) -> Table:
    table = Table(show_lines=True, expand=True)
    table.add_column("finding", no_wrap=True)
    table.add_column("who or what", ratio=2, overflow="fold")
    table.add_column("detail", ratio=2, overflow="fold")
    table.add_column("sessions", ratio=5, overflow="fold")
    if reasons:
        table.add_column(REASON, ratio=2, overflow="fold")
    for finding in findings:
        sessions = "\n".join(
            f"{escape(_session_line(p, agenda.zone))}\n  [dim]{escape(p.title)}[/]" for p in finding.sessions
        )
        row = [f"{_severity(finding)}\n{finding.code}", escape(finding.subject), escape(finding.detail), sessions]
        table.add_row(*row, *([escape(finding.accepted or "")] if reasons else []))
    return table


def _severity(finding: Finding) -> str:
    return f"[{'red' if finding.severity is Severity.ERROR else 'yellow'}]{finding.severity.value}[/]"


def _print_lines(findings: Sequence[Finding], agenda: Agenda, console: Console) -> None:
    text = []
    for finding in findings:
        text.append(f"{_severity(finding)} {finding.code}: {escape(finding.subject)}: {escape(finding.detail)}")
        if finding.accepted is not None:
            text.append(f"    accepted: {escape(finding.accepted)}")
        text += [f"    {escape(_session_line(p, agenda.zone))}: {escape(p.title)}" for p in finding.sessions]
    console.print("\n".join(text), soft_wrap=True, highlight=False)


def table_text(findings: Sequence[Finding], agenda: Agenda) -> str:
    """The report as plain text for a file: plain lines, nothing cut short (see `print_table`)."""
    text = io.StringIO()
    console = Console(file=text, color_system=None, force_terminal=False, legacy_windows=False)
    print_table(findings, agenda, console)
    return text.getvalue()


def markdown_report(findings: Sequence[Finding], agenda: Agenda) -> str:
    """A title, the summary, a table of the findings that count, then, apart, those the organiser accepts with
    their reasons; every cell whole, each session's place in the agenda in the `where` column."""
    text = f"# Clashes: {agenda.source}\n\n{len(agenda.items)} sessions placed; {summary(findings)}.\n"
    if agenda.zone_said:
        text += f"\nTimes in {inline(agenda.zone_said, pipes=False)}.\n"
    if live := counted(findings):
        text += "\n" + markdown_table(HEADERS, [cells(f, agenda.zone, "; ") for f in live]) + "\n"
    if kept := accepted(findings):
        rows = [cells(f, agenda.zone, "; ") for f in kept]
        text += f"\n## {ACCEPTED_TITLE}\n\n" + markdown_table((*HEADERS, REASON), rows) + "\n"
    return text


def json_report(findings: Sequence[Finding], agenda: Agenda) -> str:
    """One finding per line (compact, so thousands of findings are written quickly), under a header of counts: the
    findings that count under "findings", those the organiser accepts apart under "accepted_findings", each with its
    "reason" (the counts of errors and warnings leave them out)."""
    live, kept = counted(findings), accepted(findings)
    errors = sum(1 for f in live if f.severity is Severity.ERROR)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "agenda": agenda.source,
        "sessions": len(agenda.items),
        "errors": errors,
        "warnings": len(live) - errors,
        "accepted": len(kept),
        **({"zone": agenda.zone_said} if agenda.zone_said else {}),
    }
    opening = json.dumps(header, ensure_ascii=False)[:-1]
    return f"{opening}, {_json_list('findings', live, agenda)}, {_json_list('accepted_findings', kept, agenda)}}}\n"


def _json_list(key: str, findings: Sequence[Finding], agenda: Agenda) -> str:
    lines = [json.dumps(_json_finding(f, agenda.zone), ensure_ascii=False) for f in findings]
    return f'"{key}": [\n' + ",\n".join(lines) + ("\n" if lines else "") + "]"


def _json_finding(finding: Finding, zone: tzinfo) -> dict[str, object]:
    return {
        "severity": finding.severity.value,
        "code": finding.code,
        "subject": finding.subject,
        "detail": finding.detail,
        "message": message(finding, zone),
        "sessions": [
            {
                "id": p.session,
                "title": p.title,
                "start": local_iso(p.start, zone),
                "end": local_iso(p.end, zone),
                "room": p.room or None,
                "where": p.where or None,
            }
            for p in finding.sessions
        ],
        **({} if finding.accepted is None else {"reason": finding.accepted}),
    }


def render(findings: Sequence[Finding], agenda: Agenda, format: str) -> str:
    """The report in one of TEXT_FORMATS ('table' as plain text); the workbook is planner.export.clashes_sheet's."""
    renderers = {"table": table_text, "md": markdown_report, "json": json_report}
    return renderers[format](findings, agenda)
