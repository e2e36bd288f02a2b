"""The organiser's word on the findings (`CheckSettings`): the severity they give each finding type, and the findings
they have looked at and accept, with their reason.

Applied after the rules run, so every rule stays a plain statement of what is wrong; a finding ignored here is
dropped, an accepted one is kept, marked with its reason, so that every report can still show it apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from planner.check.model import Finding, Severity
from planner.domain import AcceptedFinding, CheckSettings
from planner.identity import name_key


def judge(findings: Iterable[Finding], settings: CheckSettings) -> Iterator[Finding]:
    """Each finding at the severity the settings give its code (none: the rule's own), each accepted one with the
    reason of the first acceptance matching it; those whose code is set to 'ignore' are left out."""
    for finding in findings:
        severity = settings.severity.get(finding.code)
        if severity == "ignore":
            continue
        if severity is not None:
            finding = replace(finding, severity=Severity(severity))
        reason = next((a.reason for a in settings.accepted if accepts(a, finding)), None)
        yield finding if reason is None else replace(finding, accepted=reason)


def accepts(acceptance: AcceptedFinding, finding: Finding) -> bool:
    """Whether an acceptance covers a finding: the same code, the same sessions (all of them, in any order) when it
    names sessions, and the same who or what when it names one (compared as names are: "Dr Ana Ruiz" is Ana Ruiz)."""
    return (
        acceptance.finding == finding.code
        and (not acceptance.sessions or set(acceptance.sessions) == {p.session for p in finding.sessions})
        and (acceptance.subject is None or name_key(acceptance.subject) == name_key(finding.subject))
    )
