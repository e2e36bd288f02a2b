"""Import and publish when pretalx misbehaves, on a stand-in (tests/sources/fake_pretalx.py): nothing in the folder
half-written, a publish that fails half-way converges when run again, a taken release name stops the run before any
write, and the token appears in no message and no file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InputProblems
from planner.export.outputs import write_outputs
from planner.io.folder import load_folder
from planner.solve.run import draft
from planner.sources.commands import import_pretalx, publish_pretalx
from planner.sources.http import NetworkFailure
from tests.paths import DATA
from tests.sources.fake_pretalx import TOKEN, FakePretalx
from tests.sources.standin import Answer, Seen, StandIn, stand_in
from tests.sources.tokens import assert_token_nowhere

QUICK: dict[str, Any] = {"sleep": lambda seconds: None, "timeout": 5.0}


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    path = tmp_path / "pretalx-token"
    path.write_text(TOKEN + "\n")
    return path


@pytest.fixture
def server() -> Iterator[StandIn]:
    with stand_in() as running:
        yield running


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def imported(server: StandIn, token_file: Path, folder: Path, said: list[str]) -> None:
    import_pretalx(server.url, "fakecon", token_file, folder, said.append, **QUICK)


def test_a_failure_while_reading_leaves_the_folder_as_it_was(server: StandIn, token_file: Path, tmp_path: Path):
    fake = FakePretalx(server).serve()
    folder, said = tmp_path / "fakecon", []
    imported(server, token_file, folder, said)
    before = snapshot(folder)
    assert set(before) == {"conference.yaml", "sessions.csv", "people.csv", "source.yaml"}
    server.rules.insert(0, ("GET", fake.base + "tracks/", [Answer(500, {"detail": "boom"})]))
    with pytest.raises(NetworkFailure) as raised:
        imported(server, token_file, folder, said)
    assert "server error (500): boom" in str(raised.value)
    assert snapshot(folder) == before
    with pytest.raises(NetworkFailure):
        imported(server, token_file, tmp_path / "new", said)
    assert not (tmp_path / "new").exists()
    assert_token_nowhere(TOKEN, [*said, str(raised.value)], [folder])


def test_a_refused_token_is_an_input_problem_and_nothing_is_written(server: StandIn, token_file: Path, tmp_path: Path):
    server.on("GET", "/api/", Answer(401, {"detail": "Invalid token."}))
    with pytest.raises(InputProblems) as raised:
        imported(server, token_file, tmp_path / "out", [])
    assert "the server refused the token (401 Unauthorized)" in str(raised.value)
    assert raised.value.problems[0].field == "--token-file"
    assert not (tmp_path / "out").exists()


def test_an_event_the_server_does_not_have_is_an_input_problem(server: StandIn, token_file: Path, tmp_path: Path):
    FakePretalx(server).serve()
    with pytest.raises(InputProblems) as raised:
        import_pretalx(server.url, "nocon", token_file, tmp_path / "out", lambda line: None, **QUICK)
    assert "no event 'nocon' here (the token can see: fakecon)" in str(raised.value)


def test_a_folder_whose_tables_are_not_csv_is_refused_before_anything_is_read(
    server: StandIn, token_file: Path, tmp_path: Path
):
    FakePretalx(server).serve()
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "sessions.yaml").write_text("sessions: []\n")
    with pytest.raises(InputProblems) as raised:
        imported(server, token_file, folder, [])
    assert "keeps the sessions table as sessions.csv" in str(raised.value)
    assert sorted(p.name for p in folder.iterdir()) == ["sessions.yaml"]


@pytest.fixture
def drafted(server: StandIn, token_file: Path, tmp_path: Path) -> tuple[FakePretalx, Path]:
    """The stand-in's event imported and drafted: its schedule.json."""
    fake = FakePretalx(server).serve()
    folder = tmp_path / "fakecon"
    imported(server, token_file, folder, [])
    out = tmp_path / "v1"
    write_outputs(draft(load_folder(folder)).schedule, out)
    return fake, out / "schedule.json"


def publish(server: StandIn, token_file: Path, schedule: Path, said: list[str], **options: Any) -> int:
    return publish_pretalx(schedule, server.url, "fakecon", token_file, said.append, **options, **QUICK)


def test_a_dry_run_writes_nothing(drafted: tuple[FakePretalx, Path], server: StandIn, token_file: Path):
    fake, schedule = drafted
    said: list[str] = []
    assert publish(server, token_file, schedule, said, dry_run=True, release="v1") == 0
    assert fake.patches() == [] and fake.versions == []
    assert sum(line.startswith("  would move ") for line in said) == 3
    assert "dry run: nothing written; would release v1" in said


def test_a_publish_that_fails_half_way_converges_when_run_again(
    drafted: tuple[FakePretalx, Path], server: StandIn, token_file: Path
):
    fake, schedule = drafted
    patches = [0]
    honest = server.answer

    def flaky(seen: Seen) -> Answer:
        if seen.method == "PATCH":
            patches[0] += 1
            if patches[0] == 2:
                return Answer(hang_up=True)  # the connection drops: the change is not made
        return honest(seen)

    server.answer = flaky  # type: ignore[method-assign]
    said: list[str] = []
    with pytest.raises(NetworkFailure) as raised:
        publish(server, token_file, schedule, said, release="v1")
    text = str(raised.value)
    assert "1 of 3 slot changes were written before this; run the same command again" in text
    assert sum(slot["room"] is not None for slot in fake.slots.values()) == 1
    assert fake.versions == []  # nothing released from a half-written schedule

    server.answer = honest  # type: ignore[method-assign]
    assert publish(server, token_file, schedule, said, release="v1") == 2
    assert all(slot["room"] in (10, 11) and slot["start"] for slot in fake.slots.values())
    assert fake.versions == ["v1"]
    assert publish(server, token_file, schedule, said) == 0  # converged: nothing left to write
    assert_token_nowhere(TOKEN, [*said, text], [schedule.parent])


def test_a_taken_release_name_stops_the_run_before_any_write(
    drafted: tuple[FakePretalx, Path], server: StandIn, token_file: Path
):
    fake, schedule = drafted
    fake.versions.append("v1")
    with pytest.raises(InputProblems) as raised:
        publish(server, token_file, schedule, [], release="v1")
    assert "already has a schedule version 'v1'" in str(raised.value)
    assert fake.patches() == []


def test_too_many_requests_while_publishing_are_waited_out(
    drafted: tuple[FakePretalx, Path], server: StandIn, token_file: Path
):
    fake, schedule = drafted
    server.rules.insert(0, ("PATCH", fake.base + "slots/", [Answer(429, {}, {"Retry-After": "1"})]))
    waits: list[float] = []
    busy = {**QUICK, "sleep": waits.append, "attempts": 3}
    with pytest.raises(NetworkFailure) as raised:
        publish_pretalx(schedule, server.url, "fakecon", token_file, lambda line: None, **busy)
    assert "still too many requests (429) after 3 tries" in str(raised.value)
    assert "0 of 3 slot changes were written" in str(raised.value)
    assert waits == [1.0, 1.0]


def test_a_programme_of_another_event_is_refused(server: StandIn, token_file: Path, tmp_path: Path):
    FakePretalx(server).serve()
    out = tmp_path / "mini"
    write_outputs(draft(load_folder(DATA / "mini")).schedule, out)
    with pytest.raises(InputProblems) as raised:
        publish(server, token_file, out / "schedule.json", [])
    assert "none of the programme's 3 sessions is a submission with a slot in event 'fakecon'" in str(raised.value)


def test_publishing_a_file_that_is_not_a_programme_is_an_input_problem_with_the_token_problems_too(
    server: StandIn, tmp_path: Path
):
    bad = tmp_path / "schedule.json"
    bad.write_text("{}")
    with pytest.raises(InputProblems) as raised:
        publish_pretalx(bad, server.url, "fakecon", tmp_path / "missing-token", lambda line: None)
    files = {problem.file for problem in raised.value.problems}
    assert files == {str(bad), str(tmp_path / "missing-token")}
    assert server.seen == []  # nothing sent while the input is wrong


def test_the_events_own_page_is_taken_for_the_server(server: StandIn, token_file: Path, tmp_path: Path):
    FakePretalx(server).serve()
    said: list[str] = []
    import_pretalx(server.url + "/fakecon/", "fakecon", token_file, tmp_path / "out", said.append, **QUICK)
    assert f"({server.url}, event fakecon)" in said[0]
