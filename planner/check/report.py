"""Findings for people and for their automation: a terminal table, Markdown and JSON (the `Clashes` sheet of a
workbook is planner.export.clashes_sheet's, from the same cells).

Every format lists the same findings in the same order (the checker's), with each one's severity, code, who or what,
what is wrong, and each session's id, title, time and room; equal findings give equal bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import tzinfo

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.check.model import Agenda, Finding, Placement, Severity
from planner.clock import day_time_span, local_iso
from planner.formats.markdown import markdown_table

TEXT_FORMATS = ("table", "md", "json")
FORMATS = (*TEXT_FORMATS, "xlsx")
FORMAT = "planner.clashes"
VERSION = 1
SHEET = "Clashes"
HEADERS = ("severity", "finding", "who or what", "detail", "sessions", "when", "room")


def summary(findings: Sequence[Finding]) -> str:
    """'2 errors, 1 warning', or 'no clashes'."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    if not findings:
        return "no clashes"
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _session(placement: Placement, zone: tzinfo) -> str:
    when = day_time_span(placement.start, placement.end, zone)
    return f"'{placement.title}' [{placement.session}]" + (f" {when} in {placement.room}" if when else "")


def message(finding: Finding, zone: tzinfo) -> str:
    """The finding as one sentence: who or what, what is wrong, then each session with its time and room."""
    listed = "; ".join(_session(p, zone) for p in finding.sessions)
    return f"{finding.subject}: {finding.detail}" + (f": {listed}" if listed else "")


def cells(finding: Finding, zone: tzinfo, joiner: str) -> list[str]:
    """One finding as the HEADERS' cells, one line per session in the last three."""
    return [
        finding.severity.value,
        finding.code,
        finding.subject,
        finding.detail,
        joiner.join(f"{p.session}: {p.title}" for p in finding.sessions),
        joiner.join(day_time_span(p.start, p.end, zone) or "not scheduled" for p in finding.sessions),
        joiner.join(p.room or "-" for p in finding.sessions),
    ]


TABLE_LIMIT = 200
"""Up to this many findings print as a table; more print as lines, which a terminal shows as quickly."""


def _session_line(placement: Placement, zone: tzinfo) -> str:
    when = day_time_span(placement.start, placement.end, zone) or "not scheduled"
    return f"{placement.session}, {when}" + (f", {placement.room}" if placement.room else "")


def print_table(findings: Sequence[Finding], agenda: Agenda, console: Console) -> None:
    """Narrow enough for a terminal: the severity over the code, each session's id, time and room over its title."""
    console.print(f"[bold]{escape(agenda.source)}[/]: {len(agenda.items)} sessions placed; {summary(findings)}.")
    if len(findings) > TABLE_LIMIT:
        _print_lines(findings, agenda, console)
    elif findings:
        table = Table(show_lines=True, expand=True)
        table.add_column("finding", no_wrap=True)
        table.add_column("who or what", ratio=2)
        table.add_column("detail", ratio=2)
        table.add_column("sessions", ratio=5)
        for finding in findings:
            sessions = "\n".join(
                f"{escape(_session_line(p, agenda.zone))}\n  [dim]{escape(p.title)}[/]" for p in finding.sessions
            )
            table.add_row(
                f"{_severity(finding)}\n{finding.code}", escape(finding.subject), escape(finding.detail), sessions
            )
        console.print(table)


def _severity(finding: Finding) -> str:
    return f"[{'red' if finding.severity is Severity.ERROR else 'yellow'}]{finding.severity.value}[/]"


def _print_lines(findings: Sequence[Finding], agenda: Agenda, console: Console) -> None:
    text = []
    for finding in findings:
        text.append(f"{_severity(finding)} {finding.code}: {escape(finding.subject)}: {escape(finding.detail)}")
        text += [f"    {escape(_session_line(p, agenda.zone))}: {escape(p.title)}" for p in finding.sessions]
    console.print("\n".join(text), soft_wrap=True, highlight=False)


def table_text(findings: Sequence[Finding], agenda: Agenda, width: int = 160) -> str:
    """The terminal table as plain text, for a file."""
    text = io.StringIO()
    console = Console(file=text, width=width, color_system=None, force_terminal=False, legacy_windows=False)
    print_table(findings, agenda, console)
    return text.getvalue()


def markdown_report(findings: Sequence[Finding], agenda: Agenda) -> str:
    text = f"# Clashes: {agenda.source}\n\n{len(agenda.items)} sessions placed; {summary(findings)}.\n"
    if findings:
        text += "\n" + markdown_table(HEADERS, [cells(f, agenda.zone, "; ") for f in findings]) + "\n"
    return text


def json_report(findings: Sequence[Finding], agenda: Agenda) -> str:
    """One finding per line (compact, so thousands of findings are written quickly), under a header of counts."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "agenda": agenda.source,
        "sessions": len(agenda.items),
        "errors": errors,
        "warnings": len(findings) - errors,
    }
    lines = [
        json.dumps(
            {
                "severity": f.severity.value,
                "code": f.code,
                "subject": f.subject,
                "detail": f.detail,
                "message": message(f, agenda.zone),
                "sessions": [
                    {
                        "id": p.session,
                        "title": p.title,
                        "start": local_iso(p.start, agenda.zone),
                        "end": local_iso(p.end, agenda.zone),
                        "room": p.room or None,
                        "where": p.where or None,
                    }
                    for p in f.sessions
                ],
            },
            ensure_ascii=False,
        )
        for f in findings
    ]
    opening = json.dumps(header, ensure_ascii=False)[:-1]
    return f'{opening}, "findings": [\n' + ",\n".join(lines) + ("\n" if lines else "") + "]}\n"


def render(findings: Sequence[Finding], agenda: Agenda, format: str) -> str:
    """The report in one of TEXT_FORMATS ('table' as plain text); the workbook is planner.export.clashes_sheet's."""
    renderers = {"table": table_text, "md": markdown_report, "json": json_report}
    return renderers[format](findings, agenda)
