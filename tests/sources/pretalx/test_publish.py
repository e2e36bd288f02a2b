"""Publishing into a real pretalx: a dry run writes nothing, a session the programme leaves out is unplaced, a
publish that fails half-way converges when run again, a taken version name stops the run before any write; and a
refused token or an unknown event is an input problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.domain import Unscheduled
from planner.errors import InputProblems
from planner.export.outputs import write_outputs
from planner.formats.schedule_json import schedule_document
from planner.io.folder import load_folder
from planner.solve.run import draft
from planner.sources import http
from planner.sources.commands import import_pretalx, publish_pretalx
from planner.sources.http import NetworkFailure
from tests.sources.pretalx.conftest import Server
from tests.sources.tokens import assert_token_nowhere


def wip(pretalx: Server) -> dict[str, tuple[int | None, str | None]]:
    """Submission code -> (room id, start) of each work-in-progress slot, as pretalx holds them now."""
    schedule = json.loads(pretalx.fetch(f"/api/events/{pretalx.event}/schedules/wip/", token=True))
    page = pretalx.fetch(f"/api/events/{pretalx.event}/slots/?schedule={schedule['id']}&page_size=100", token=True)
    return {slot["submission"]: (slot["room"], slot["start"]) for slot in json.loads(page)["results"]}


def drafted(pretalx: Server, tmp_path: Path) -> Path:
    folder = tmp_path / "testcon"
    import_pretalx(pretalx.url, pretalx.event, pretalx.token_file, folder, lambda line: None)
    out = tmp_path / "v1"
    write_outputs(draft(load_folder(folder)).schedule, out)
    return out / "schedule.json"


def publish(pretalx: Server, schedule: Path, said: list[str], **options: object) -> int:
    return publish_pretalx(schedule, pretalx.url, pretalx.event, pretalx.token_file, said.append, **options)


def test_dry_run_unplace_half_way_failure_and_release(
    pretalx: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule_file = drafted(pretalx, tmp_path)
    said: list[str] = []
    assert publish(pretalx, schedule_file, said, dry_run=True, release="v1") == 0
    assert all(room is None for room, _ in wip(pretalx).values())
    assert sum("would move" in line for line in said) == 7

    sent = [0]
    once = http.Api._once

    def breaks_on_the_fourth_write(self: http.Api, method: str, url: str, data: bytes | None):
        if method == "PATCH":
            sent[0] += 1
            if sent[0] == 4:
                raise NetworkFailure(f"{self.label}: PATCH {url}: the connection broke (test)")
        return once(self, method, url, data)

    monkeypatch.setattr(http.Api, "_once", breaks_on_the_fourth_write)
    with pytest.raises(NetworkFailure, match="3 of 7 slot changes were written before this"):
        publish(pretalx, schedule_file, said, release="v1")
    assert sum(room is not None for room, _ in wip(pretalx).values()) == 3
    monkeypatch.undo()
    assert publish(pretalx, schedule_file, said, release="v1") == 4  # only what still differs
    placed = wip(pretalx)
    assert all(room is not None for room, _ in placed.values())

    # A re-plan leaves one session out: publishing it unplaces that slot in the new work-in-progress schedule.
    from planner.formats.schedule_file import read_schedule_file

    schedule = read_schedule_file(schedule_file).schedule
    dropped = schedule.assignments[0]
    smaller = schedule.model_copy(
        update={
            "assignments": schedule.assignments[1:],
            "unscheduled": (Unscheduled(session=dropped.session, reason="left out for the test"),),
        }
    )
    second = tmp_path / "v2.json"
    second.write_text(schedule_document(smaller))
    said.clear()
    assert publish(pretalx, second, said, release="v2") == 1
    assert wip(pretalx)[dropped.session.id] == (None, None)
    assert any(f"{dropped.session.id} '{dropped.session.title}':" in line and "-> unplaced" in line for line in said)
    with pytest.raises(InputProblems, match="already has a schedule version 'v2'"):
        publish(pretalx, schedule_file, said, release="v2")
    assert wip(pretalx)[dropped.session.id] == (None, None)  # refused before any write
    assert_token_nowhere(pretalx.token, said, [tmp_path / "v1", second])


def test_a_refused_token_and_an_unknown_event_are_input_problems(pretalx: Server, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong-token"
    wrong.write_text("0" * 64)
    with pytest.raises(InputProblems) as refused:
        import_pretalx(pretalx.url, pretalx.event, wrong, tmp_path / "a", lambda line: None)
    assert "the server refused the token (401 Unauthorized): Invalid token." in str(refused.value)
    with pytest.raises(InputProblems) as unknown:
        import_pretalx(pretalx.url, "nocon", pretalx.token_file, tmp_path / "b", lambda line: None)
    assert "no event 'nocon' here (the token can see: testcon)" in str(unknown.value)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    assert_token_nowhere(pretalx.token, [str(refused.value), str(unknown.value)], [])
