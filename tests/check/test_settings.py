"""The organiser's settings: where they come from (conference, --rules file, defaults), a severity per finding
(ignore drops it), accepted findings (kept apart, never counted), and a settings file read with every problem on
its line."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from planner.check import Severity, check, errors, schedule_agenda
from planner.check.model import Context
from planner.check.settings import CODES, read_settings, with_settings
from planner.domain import AcceptedFinding, CheckSettings
from planner.errors import Collector, InputProblems
from planner.io.folder import load_folder
from tests.check.checkcon import CHECKCON, inputs, programme, session

BACK_TO_BACK = {"t1": session("t1", speakers=("ana-ruiz",))}
"""Ana's keynote (hall) ends at 10:00 and her talk t1 (side room) starts then: a back_to_back warning."""
OVERLAP = {"t1": session("t1", speakers=("bo-li", "eve-stone"))}
"""Eve in the workshop and in t1 at once: a person_overlap error."""


def findings(changed, settings: CheckSettings | None = None, **conference_changes):
    agenda, context = schedule_agenda(programme(sessions=changed, **conference_changes), inputs().sessions)
    return check(agenda, replace(context, settings=settings) if settings else context)


def codes(found):
    return [(f.severity, f.code) for f in found]


# Where the settings come from -------------------------------------------------------------------------------------


def test_the_context_takes_its_settings_from_the_rules_file_else_the_conference_else_the_defaults():
    own, given = CheckSettings(buffer_minutes=5), CheckSettings(buffer_minutes=20)
    conference = inputs().conference.model_copy(update={"checks": own})
    assert Context().checks == CheckSettings()
    assert Context(conference=conference).checks is own
    assert Context(conference=conference, settings=given).checks is given


def test_the_conferences_checks_reach_the_rules():
    found = findings(BACK_TO_BACK, checks=CheckSettings(buffer_minutes=10))
    assert codes(found) == [(Severity.ERROR, "no_time_to_move"), (Severity.WARNING, "back_to_back")]


# Severity ---------------------------------------------------------------------------------------------------------


def test_a_severity_per_finding_raises_lowers_or_ignores():
    assert codes(findings(BACK_TO_BACK)) == [(Severity.WARNING, "back_to_back")]
    raised = findings(BACK_TO_BACK, CheckSettings(severity={"back_to_back": "error"}))
    assert codes(raised) == [(Severity.ERROR, "back_to_back")] and errors(raised)
    lowered = findings(OVERLAP, CheckSettings(severity={"person_overlap": "warning"}))
    assert codes(lowered) == [(Severity.WARNING, "person_overlap")] and not errors(lowered)
    assert findings(BACK_TO_BACK, CheckSettings(severity={"back_to_back": "ignore"})) == []


# Accepted findings ------------------------------------------------------------------------------------------------


def accept(**fields) -> CheckSettings:
    return CheckSettings(accepted=(AcceptedFinding(reason="Eve chairs the first ten minutes only", **fields),))


@pytest.mark.parametrize(
    "fields",
    [
        {"finding": "person_overlap", "sessions": ("w1", "t1")},
        {"finding": "person_overlap", "subject": "Dr Eve Stone"},
        {"finding": "person_overlap"},
    ],
    ids=["by its sessions in any order", "by who, as names are matched", "every one of its code"],
)
def test_an_accepted_error_is_kept_with_its_reason_and_not_counted(fields):
    found = findings(OVERLAP, accept(**fields))
    assert [(f.code, f.accepted) for f in found] == [("person_overlap", "Eve chairs the first ten minutes only")]
    assert errors(found) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"finding": "person_overlap", "sessions": ("w1",)},
        {"finding": "person_overlap", "sessions": ("w1", "t1", "t2")},
        {"finding": "person_overlap", "subject": "Bo Li"},
        {"finding": "back_to_back", "sessions": ("w1", "t1")},
    ],
    ids=["fewer sessions", "more sessions", "someone else", "another finding"],
)
def test_an_acceptance_covers_only_the_finding_it_names(fields):
    found = findings(OVERLAP, accept(**fields))
    assert [f.accepted for f in found] == [None] and len(errors(found)) == 1


def test_accepted_findings_come_after_those_that_count():
    schedule = programme({"opt": ("side", "d1", "10:00", "11:00")}, OVERLAP)
    agenda, context = schedule_agenda(schedule, inputs().sessions)
    found = check(agenda, replace(context, settings=accept(finding="person_overlap")))
    assert [(f.code, f.accepted is not None) for f in found] == [
        ("room_double_booked", False),
        ("person_overlap", True),
    ]


# A settings file --------------------------------------------------------------------------------------------------

GOOD = """\
buffer_minutes: 10
severity:
  back_to_back: ignore
  room_too_small: error
accepted:
  - finding: person_overlap
    sessions: [t1, w1]
    reason: Eve chairs the first ten minutes only
"""


def read(tmp_path: Path, text: str):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Collector()
    return read_settings(path, "rules.yaml", problems), [str(p) for p in problems.problems]


def test_a_settings_file_reads_into_check_settings(tmp_path):
    settings, problems = read(tmp_path, GOOD)
    assert problems == []
    assert settings == CheckSettings(
        buffer_minutes=10,
        severity={"back_to_back": "ignore", "room_too_small": "error"},
        accepted=(
            AcceptedFinding(
                finding="person_overlap", sessions=("t1", "w1"), reason="Eve chairs the first ten minutes only"
            ),
        ),
    )


def test_an_unknown_finding_code_is_a_problem_on_its_line_with_the_nearest_code(tmp_path):
    text = GOOD.replace("back_to_back: ignore", "back_too_back: ignore").replace("person_overlap", "person_overlaps")
    settings, problems = read(tmp_path, text)
    assert settings is None
    assert problems == [
        "rules.yaml: line 3, field 'severity.back_too_back': 'back_too_back' is not a finding of the checker; "
        "did you mean 'back_to_back'?",
        "rules.yaml: line 6, field 'accepted[1].finding': 'person_overlaps' is not a finding of the checker; "
        "did you mean 'person_overlap'?",
    ]


def test_every_setting_problem_is_placed_on_its_line(tmp_path):
    text = "buffer_minute: 10\nseverity:\n  back_to_back: loud\naccepted:\n  - finding: person_overlap\n"
    settings, problems = read(tmp_path, text)
    assert settings is None
    assert sorted(problems) == [
        "rules.yaml: line 1, field 'buffer_minute': is not a known field here; did you mean 'buffer_minutes'?",
        "rules.yaml: line 3, field 'severity.back_to_back': Input should be 'error', 'warning' or 'ignore' "
        "(got 'loud')",
        "rules.yaml: line 5, field 'accepted[1].reason': is required but missing",
    ]
    assert read(tmp_path, "- buffer_minutes\n")[1] == [
        "rules.yaml: expected a mapping with any of buffer_minutes, severity, accepted"
    ]


def test_every_finding_code_may_be_named():
    assert {"person_overlap", "no_time_to_move", "back_to_back"} <= set(CODES)


# Which settings win -----------------------------------------------------------------------------------------------


def test_a_rules_file_replaces_the_conferences_checks(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("severity:\n  back_to_back: error\n", encoding="utf-8")
    agenda, context = schedule_agenda(
        programme(sessions=BACK_TO_BACK, checks=CheckSettings(buffer_minutes=10)), inputs().sessions
    )
    judged = with_settings(agenda, context, rules)
    assert codes(check(agenda, judged)) == [(Severity.ERROR, "back_to_back")]  # no buffer: --rules wins whole
    assert with_settings(agenda, context) is context
    rules.write_text("severity:\n  back_to_bak: error\n", encoding="utf-8")
    with pytest.raises(InputProblems, match="did you mean 'back_to_back'"):
        with_settings(agenda, context, rules)


def test_an_unknown_code_in_the_conferences_checks_is_placed_on_its_line(tmp_path):
    folder = tmp_path / "checkcon"
    shutil.copytree(CHECKCON, folder)
    with (folder / "conference.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write("checks:\n  severity:\n    room_to_small: error\n")
    lines = (folder / "conference.yaml").read_text(encoding="utf-8").count("\n")
    loaded = load_folder(folder)
    agenda, context = schedule_agenda(programme(), loaded.sessions)
    context = replace(context, conference=loaded.conference)
    with pytest.raises(InputProblems) as raised:
        with_settings(agenda, context, conference_dir=folder)
    assert [str(p) for p in raised.value.problems] == [
        f"{folder / 'conference.yaml'}: line {lines}, field 'checks.severity.room_to_small': 'room_to_small' is not "
        "a finding of the checker; did you mean 'room_too_small'?"
    ]
