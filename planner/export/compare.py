"""Two programmes side by side, so an organiser can choose one: each soft term's count, weight and cost in each
(planner.solve.evaluate, so the numbers are the draft's objective), the checker's findings present in only one, the
sessions moved, added or dropped, and the people affected; as a terminal table, Markdown, and an HTML page with both
programmes' day grids and the sessions that differ marked.

Any two schedules compare, whoever made them (a draft, an alternative, a hand-edited workbook, a frab import): each
is scored and checked against its own conference and people; the re-planning terms (`moved`, `move_hours`) count
against the schedule both re-plan when one is given, else nothing. The tables call the two A and B, and the headline
says which is which. Equal comparisons give equal bytes.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from planner.changes import Affected, Change, How, change_summary, changes, people_affected
from planner.check.model import Finding
from planner.check.schedule import check_schedule
from planner.clock import day_time_span
from planner.domain import Schedule, Weights
from planner.export.agenda import Card, DayGrid, day_grids
from planner.formats.markdown import inline, markdown_table
from planner.formats.pages import page_environment
from planner.programme import Names, in_order
from planner.solve.alternatives import Alternatives
from planner.solve.answer import Answer
from planner.solve.evaluate import Scores, evaluate


@dataclass(frozen=True)
class Side:
    """One of the two programmes: its key in the tables ('A' or 'B'), its label (a file name, 'best', 'alternative
    2'), scores and findings."""

    key: str
    label: str
    schedule: Schedule
    scores: Scores
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class TermLine:
    """One soft term in both programmes; a count is None where that programme's conference gives it no weight."""

    term: str
    count_a: int | None
    weight_a: int
    count_b: int | None
    weight_b: int

    @property
    def cost_a(self) -> int:
        return (self.count_a or 0) * self.weight_a

    @property
    def cost_b(self) -> int:
        return (self.count_b or 0) * self.weight_b

    @property
    def difference(self) -> int:
        """B's cost less A's: below 0 where B is better."""
        return self.cost_b - self.cost_a


@dataclass(frozen=True)
class Comparison:
    a: Side
    b: Side
    terms: tuple[TermLine, ...]
    only_a: tuple[Finding, ...]
    """The checker's findings in A and not in B (matched by code, subject and sessions)."""
    only_b: tuple[Finding, ...]
    sessions: tuple[Change, ...]
    """Sessions moved, added (placed in B only) or dropped (placed in A only), in B's programme order."""
    people: tuple[Affected, ...]
    """Everyone in a session moved, added or dropped, or added to or removed from one, by name."""
    regrouped: tuple[str, ...]
    """Sessions placed alike in both whose people changed."""

    def term(self, name: str) -> TermLine:
        """The line of one term (KeyError when neither programme's objective has it)."""
        found = {line.term: line for line in self.terms}
        return found[name]

    @property
    def objective_difference(self) -> int:
        return self.b.scores.objective - self.a.scores.objective

    @property
    def same(self) -> bool:
        """Nothing differs: the terms count alike, the findings match, no session or person changed."""
        counts_alike = all(line.count_a == line.count_b for line in self.terms)
        return counts_alike and not (self.only_a or self.only_b or self.sessions or self.people)


def _key(finding: Finding) -> tuple[str, str, tuple[str, ...]]:
    return finding.code, finding.subject, tuple(sorted(p.session for p in finding.sessions))


def only_in(first: Sequence[Finding], second: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings of `first` that `second` lacks, as many times as `first` has them more often."""
    left = Counter(_key(finding) for finding in second)
    only = []
    for finding in first:
        if left[_key(finding)]:
            left[_key(finding)] -= 1
        else:
            only.append(finding)
    return tuple(only)


def _terms(a: Scores, b: Scores) -> tuple[TermLine, ...]:
    names = [name for name in Weights.model_fields if name in a.terms or name in b.terms]
    names += sorted((a.terms.keys() | b.terms.keys()) - set(names))
    return tuple(
        TermLine(name, a.terms.get(name), a.weights.get(name, 0), b.terms.get(name), b.weights.get(name, 0))
        for name in names
    )


KEYS = ("A", "B")
"""What the tables call the two programmes; the headline says which is which."""


def compare(
    a: Schedule, b: Schedule, labels: tuple[str, str] = ("A", "B"), previous: Schedule | None = None
) -> Comparison:
    """Everything that differs between two programmes (see the module docstring). `previous` is the schedule both
    re-plan, when they do (two alternatives drafted with --previous): the terms `moved` and `move_hours` count
    against it; without it they count nothing, as for a fresh draft."""
    sides = [
        Side(key, label, s, evaluate(s, previous), tuple(check_schedule(s)))
        for key, label, s in zip(KEYS, labels, (a, b), strict=True)
    ]
    people = people_affected(a, b)
    regrouped = sorted(
        {c.session for p in people for c in p.changes if c.how in (How.ADDED, How.REMOVED) and c.before and c.after}
    )
    sessions = tuple(changes(a, b))
    moved = {c.session for c in sessions}
    return Comparison(
        a=sides[0],
        b=sides[1],
        terms=_terms(sides[0].scores, sides[1].scores),
        only_a=only_in(sides[0].findings, sides[1].findings),
        only_b=only_in(sides[1].findings, sides[0].findings),
        sessions=sessions,
        people=tuple(people),
        regrouped=tuple(s for s in regrouped if s not in moved),
    )


# Words shared by every format -------------------------------------------------------------------------------------


def headline(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    return (
        f"A is {a.label}, B is {b.label}. Objective: A {a.scores.objective}, B {b.scores.objective} "
        f"({comparison.objective_difference:+d}). {len(comparison.sessions)} session(s) moved, added or dropped, "
        f"{len(comparison.regrouped)} with other people; {len(comparison.people)} people affected; "
        f"{len(comparison.only_a)} finding(s) only in A, {len(comparison.only_b)} only in B."
    )


def coverage(side: Side) -> list[str]:
    """What a side's terms cover, when they do not cover every placed session, with each placement left uncounted."""
    if side.scores.complete:
        return []
    zone = side.schedule.conference.zone
    return [f"{side.key}: {side.scores.covers()}."] + [
        f"{side.key}: {u.session} '{u.title}' {day_time_span(u.start, u.end, zone)} in {u.room}: {u.why}"
        for u in side.scores.unmatched
    ]


def _count(count: int | None) -> str:
    return "-" if count is None else str(count)


def term_rows(comparison: Comparison) -> list[list[str]]:
    rows = [
        [
            t.term,
            *(_count(t.count_a), str(t.weight_a), str(t.cost_a)),
            *(_count(t.count_b), str(t.weight_b), str(t.cost_b)),
            f"{t.difference:+d}",
        ]
        for t in comparison.terms
    ]
    a, b = comparison.a.scores.objective, comparison.b.scores.objective
    return [*rows, ["objective", "", "", str(a), "", "", str(b), f"{b - a:+d}"]]


TERM_HEADERS = ("term", "A count", "A weight", "A cost", "B count", "B weight", "B cost", "B - A")


def finding_rows(comparison: Comparison, joiner: str) -> list[list[str]]:
    """Each finding present in only one programme: which, its severity, code, who or what, detail, and each session
    with its time and room."""
    rows = []
    for side, only in ((comparison.a, comparison.only_a), (comparison.b, comparison.only_b)):
        zone = side.schedule.conference.zone
        for finding in only:
            sessions = joiner.join(
                ", ".join(filter(None, (f"{p.session}: {p.title}", day_time_span(p.start, p.end, zone), p.room)))
                for p in finding.sessions
            )
            rows.append([side.key, finding.severity.value, finding.code, finding.subject, finding.detail, sessions])
    return rows


FINDING_HEADERS = ("only in", "severity", "finding", "who or what", "detail", "sessions")
SESSION_HEADERS = ("change", "session", "title", "in A", "in B")


def session_rows(comparison: Comparison) -> list[list[str]]:
    return [[c.how, c.session, c.title, c.before, c.after] for c in comparison.sessions]


def person_lines(affected: Affected) -> list[str]:
    """'moved: Data for decisions (dd-data)', 'added as speaker: ...': one per change."""
    return [change_summary(change) for change in affected.changes]


# Terminal -------------------------------------------------------------------------------------------------------


def print_comparison(comparison: Comparison, console: Console) -> None:
    """Every section as a rich table; sections with nothing in them are one line."""
    console.print(escape(headline(comparison)), soft_wrap=True)
    for line in coverage(comparison.a) + coverage(comparison.b):
        console.print(f"[yellow]{escape(line)}[/]", soft_wrap=True)
    terms = Table(title="Objective by term", title_justify="left")
    for number, header in enumerate(TERM_HEADERS):
        terms.add_column(escape(header), justify="right" if number else "left", no_wrap=not number)
    for row in term_rows(comparison):
        terms.add_row(*map(escape, row))
    console.print(terms)
    # Narrow enough for a terminal: which programme and the severity over the finding's code.
    findings = [[f"{key} {severity}\n{code}", *rest] for key, severity, code, *rest in finding_rows(comparison, "\n")]
    headers = ("only in, finding", *FINDING_HEADERS[3:])
    _print_rows(console, "Findings in only one programme", headers, findings, whole=1)
    _print_rows(console, "Sessions moved, added or dropped", SESSION_HEADERS, session_rows(comparison), whole=2)
    people = [[p.name, "\n".join(person_lines(p))] for p in comparison.people]
    _print_rows(console, "People affected", ("person", "what changed"), people)


def _print_rows(console: Console, title: str, headers: Sequence[str], rows: list[list[str]], whole: int = 0) -> None:
    """A table, its first `whole` columns never wrapped (codes and ids); or one line saying there is none."""
    if not rows:
        console.print(f"{title}: none.")
        return
    table = Table(title=title, title_justify="left", show_lines=True)
    for number, header in enumerate(headers):  # folded, never cut with '…': ids and names stay whole
        table.add_column(escape(header), no_wrap=number < whole, overflow="fold")
    for row in rows:
        table.add_row(*map(escape, row))
    console.print(table)


def comparison_text(comparison: Comparison, width: int = 160) -> str:
    """The terminal tables as plain text (for a file, or a test)."""
    text = io.StringIO()
    console = Console(file=text, width=width, color_system=None, force_terminal=False, legacy_windows=False)
    print_comparison(comparison, console)
    return text.getvalue()


# Markdown -------------------------------------------------------------------------------------------------------


def comparison_markdown(comparison: Comparison) -> str:
    """The comparison for an e-mail or a wiki; every piece of text shown as written."""
    a, b = comparison.a.label, comparison.b.label
    parts = [inline(headline(comparison))]
    if notes := coverage(comparison.a) + coverage(comparison.b):
        parts.append("\n".join(f"- {inline(line)}" for line in notes))
    parts.append("## Objective by term\n\n" + markdown_table(TERM_HEADERS, term_rows(comparison)))
    sections = (
        ("Findings in only one programme", FINDING_HEADERS, finding_rows(comparison, "; ")),
        ("Sessions moved, added or dropped", SESSION_HEADERS, session_rows(comparison)),
        (
            "People affected",
            ("person", "what changed"),
            [[p.name, "; ".join(person_lines(p))] for p in comparison.people],
        ),
    )
    for title, headers, rows in sections:
        parts.append(f"## {title}\n\n" + (markdown_table(headers, rows) if rows else "None."))
    title = f"# Comparing {inline(a)} and {inline(b)}"
    return title + "\n\n" + "\n\n".join(parts) + "\n"


# HTML -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridPair:
    """One date's grids, A's and B's (None where that programme has no such day)."""

    date: date
    a: DayGrid | None
    b: DayGrid | None


def _marks(side: Side, comparison: Comparison, own: str) -> dict[int, str]:
    """Card index (in `in_order`) -> how its session differs: 'moved', 'added' or 'dropped' (`own` is the one of the
    two that this side can have), or 'people changed'."""
    how = {c.session: c.how for c in comparison.sessions if c.how in ("moved", own)}
    how |= {session: "people changed" for session in comparison.regrouped}
    ordered = in_order(side.schedule, side.schedule.assignments)
    return {i: how[a.session.id] for i, a in enumerate(ordered) if a.session.id in how}


def _pairs(comparison: Comparison) -> tuple[list[GridPair], list[Card], list[Card]]:
    by_date: dict[date, dict[str, DayGrid]] = {}
    loose: list[list[Card]] = []
    for key, side in (("a", comparison.a), ("b", comparison.b)):
        grids, elsewhere = day_grids(side.schedule, Names(side.schedule))
        for day, grid in zip(side.schedule.conference.days, grids, strict=True):
            by_date.setdefault(day.date, {})[key] = grid
        loose.append(list(elsewhere))
    return [GridPair(when, got.get("a"), got.get("b")) for when, got in sorted(by_date.items())], loose[0], loose[1]


def comparison_html(comparison: Comparison) -> str:
    """A self-contained page (no network requests): the tables, then each date's two grids side by side (one above
    the other on a narrow screen), every session that differs marked in words and colour."""
    pairs, loose_a, loose_b = _pairs(comparison)
    return (
        page_environment()
        .get_template("compare.html.j2")
        .render(
            c=comparison,
            headline=headline(comparison),
            notes=coverage(comparison.a) + coverage(comparison.b),
            term_headers=TERM_HEADERS,
            term_rows=term_rows(comparison),
            finding_headers=FINDING_HEADERS,
            finding_rows=finding_rows(comparison, "\n"),
            session_headers=SESSION_HEADERS,
            session_rows=session_rows(comparison),
            people=[(p.name, person_lines(p)) for p in comparison.people],
            pairs=pairs,
            loose=(loose_a, loose_b),
            marks=(_marks(comparison.a, comparison, "dropped"), _marks(comparison.b, comparison, "added")),
        )
    )


# Alternatives ---------------------------------------------------------------------------------------------------


def alternative_folder(number: int) -> str:
    """Where `planner draft --alternatives` writes programme `number` (2 on; the best is the output folder itself)."""
    return f"alternative-{number}"


def alternative_label(number: int) -> str:
    return "best" if number == 1 else f"alternative {number}"


def comparison_documents(best: Answer, other: Answer, number: int, previous: Schedule | None = None) -> dict[str, str]:
    """compare.md and compare.html for alternative `number` against the best, for its folder; `previous` is the
    schedule both re-plan (draft --previous), if any."""
    labels = (alternative_label(1), alternative_label(number))
    comparison = compare(best.schedule, other.schedule, labels, previous)
    return {"compare.md": comparison_markdown(comparison), "compare.html": comparison_html(comparison)}


def alternatives_markdown(found: Alternatives) -> str:
    """alternatives.md: each programme's status, objective, terms and how many sessions it places differently from
    the best, and why there are fewer than asked for."""
    answers = found.answers
    best = answers[0]
    terms = [name for name in Weights.model_fields if any(name in a.terms for a in answers)]
    weights = best.schedule.conference.weights
    headers = ["programme", "folder", "status", "objective", "against the best"]
    headers += [f"{name} (x{getattr(weights, name)})" for name in terms] + ["sessions placed differently"]
    rows = [
        [
            alternative_label(number),
            "." if number == 1 else alternative_folder(number),
            answer.status,
            str(answer.objective),
            f"{answer.objective - best.objective:+d}",
            *(_count(answer.terms.get(name)) for name in terms),
            str(len(changes(best.schedule, answer.schedule))),
        ]
        for number, answer in enumerate(answers, start=1)
    ]
    apart = f"at least {found.differ} session{'s' * (found.differ != 1)}"
    text = (
        f"# Alternatives\n\n{len(answers)} of the {found.asked} programmes asked for, each placing {apart} "
        "differently from every other; each folder holds the programme's outputs and compare.md and compare.html "
        "against the best.\n"
    )
    if found.shortfall:
        text += f"\nFewer than asked for: {inline(found.shortfall)}.\n"
    return text + "\n" + markdown_table(headers, rows) + "\n"
