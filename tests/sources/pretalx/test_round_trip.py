"""The proof against a real pretalx, through the commands an organiser types: import an event's proposals, draft,
publish into the work-in-progress schedule (a dry run first), release, and read pretalx's own published frab XML and
JSON back through `planner check`: no errors, and every session where the draft put it."""

from __future__ import annotations

import time
from datetime import UTC
from pathlib import Path

from typer.testing import CliRunner

from planner.check.read import read_agenda
from planner.check.rules import check, errors
from planner.cli import app
from planner.domain import Schedule
from planner.formats.schedule_file import read_schedule_file
from planner.io.folder import load_folder
from tests.sources.pretalx.conftest import Server, Template
from tests.sources.tokens import assert_token_nowhere

ROUND_TRIP_LIMIT = 300.0
"""Seconds the whole proof may take in CI, the template's migration included."""


def placements(schedule: Schedule) -> set[tuple[str, str, str, str]]:
    return {
        (a.session.id, a.room, a.start.astimezone(UTC).isoformat(), a.end.astimezone(UTC).isoformat())
        for a in schedule.assignments
    }


def test_import_draft_publish_release_and_read_the_published_programme_back(
    pretalx: Server, pretalx_template: Template, tmp_path: Path
) -> None:
    started = time.monotonic()
    runner = CliRunner()

    def planner(*arguments: object) -> str:
        """Runs a command as the organiser would; its output (the token must be in none)."""
        result = runner.invoke(app, [str(a) for a in arguments])
        assert result.exit_code == 0, result.output
        return result.output

    folder = tmp_path / "testcon"
    server = ("--url", pretalx.url, "--event", pretalx.event, "--token-file", pretalx.token_file)
    said = [planner("import", "pretalx", *server, "--out", folder)]
    loaded = load_folder(folder)
    assert len(loaded.sessions) == 7  # confirmed only: the submitted and the rejected ones are not proposals here
    assert {k.id for k in loaded.conference.kinds} == {"talk", "workshop"}
    assert {r.name: r.capacity for r in loaded.conference.rooms} == {"Main Hall": 300, "Room B": 60, "Lab": 25}
    assert loaded.conference.timezone == "Europe/Berlin"
    lab_blocks = [b.id for b in loaded.conference.blocks if "lab" in b.rooms]
    assert lab_blocks == ["d1-1", "d1-2"]  # the Lab is open on the first morning only
    bob = next(p for p in loaded.people if p.name == "Bob Brandt")
    assert bob.unavailable and all(w.start.tzinfo for w in bob.unavailable)

    out = tmp_path / "v1"
    said.append(planner("draft", folder, "--out", out))
    answer = read_schedule_file(out / "schedule.json", folder)
    said.append(planner("publish", "pretalx", out / "schedule.json", *server, "--dry-run"))
    assert "would change 7 slots" in " ".join(said[-1].split())
    said.append(planner("publish", "pretalx", out / "schedule.json", *server, "--release", "v1"))
    assert "released schedule version 'v1'" in said[-1]
    assert "changing 7 slots" in " ".join(said[-1].split())  # the dry run wrote nothing

    drafted = placements(answer.schedule)
    for name in ("schedule.xml", "schedule.json"):
        published = tmp_path / f"published-{name}"
        published.write_bytes(pretalx.fetch(f"/{pretalx.event}/{name}"))
        agenda, context = read_agenda(published, folder)
        findings = check(agenda, context)
        assert errors(findings) == [], findings
        assert placements(read_schedule_file(published, folder).schedule) == drafted, name
        result = runner.invoke(app, ["check", str(published), "--conference", str(folder)])
        assert result.exit_code == 0, result.output
        assert "7 sessions placed" in result.output

    again = planner("publish", "pretalx", out / "schedule.json", *server)
    assert "changing 0 slots (7 already in place)" in " ".join(again.split())

    outputs = [folder, out, *tmp_path.glob("published-*"), pretalx.log]
    assert_token_nowhere(pretalx.token, [*said, again], outputs)
    elapsed = time.monotonic() - started + sum(pretalx_template.timings.values())
    assert elapsed < ROUND_TRIP_LIMIT, f"{elapsed:.0f} s: {pretalx_template.timings}"
