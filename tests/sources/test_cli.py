"""`planner import`, `planner publish` and `planner history add` from the command line: exit 0 when done, 2 for an
input or credential problem, 4 when the server cannot be reached or misbehaves, and the token in no output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.sources.fake_pretalx import TOKEN, FakePretalx
from tests.sources.standin import Answer, StandIn, stand_in
from tests.sources.tokens import assert_token_nowhere

COMMANDS = {group.name for group in app.registered_groups}
pytestmark = pytest.mark.skipif(
    not {"import", "publish"} <= COMMANDS,
    reason="planner.cli has no `import`/`publish` commands yet (the cli.py edit this work asks for)",
)
runner = CliRunner()
CORPUS = Path(__file__).parents[1] / "formats" / "data" / "corpus"


@pytest.fixture
def server() -> Iterator[StandIn]:
    with stand_in() as running:
        yield running


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    path = tmp_path / "pretalx-token"
    path.write_text(TOKEN + "\n")
    return path


def invoke(*arguments: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in arguments])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def import_from(url: str, token_file: Path, out: Path) -> tuple[int, str]:
    """`planner import pretalx` of the stand-in's event 'fakecon' into `out`."""
    return invoke("import", "pretalx", "--url", url, "--event", "fakecon", "--token-file", token_file, "--out", out)


@pytest.mark.parametrize(
    ("answer", "code", "expected"),
    [
        (Answer(401, {"detail": "Invalid token."}), 2, "the server refused the token (401 Unauthorized)"),
        (Answer(403, {"detail": "No."}), 2, "the token may not do this (403 Forbidden)"),
        (Answer(404, {"detail": "Not found."}), 2, "not found (404)"),
        (Answer(429, {}, {"Retry-After": "0"}), 4, "still too many requests (429) after 5 tries"),
        (Answer(500, b"<html>oops</html>", {"Content-Type": "text/html"}), 4, "server error (500)"),
        (Answer(200, b"<html>hello</html>", {"Content-Type": "text/html"}), 4, "not JSON (text/html"),
    ],
)
def test_each_fault_has_its_exit_code_and_says_what_to_do(
    server: StandIn, token_file: Path, tmp_path: Path, answer: Answer, code: int, expected: str
) -> None:
    server.on("GET", "/api/", answer)
    exit_code, said = import_from(server.url, token_file, tmp_path / "out")
    assert exit_code == code and expected in said, said
    assert not (tmp_path / "out").exists()
    assert_token_nowhere(TOKEN, [said], [tmp_path / "out"] if (tmp_path / "out").exists() else [])


def test_a_server_that_is_down_is_exit_4(token_file: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, said = invoke(
        "import",
        "pretalx",
        "--url",
        f"http://127.0.0.1:{port}",
        "--event",
        "x",
        "--token-file",
        token_file,
        "--out",
        tmp_path / "out",
    )
    assert code == 4 and "connection refused" in said


def test_bad_arguments_are_all_reported_at_once_as_exit_2(tmp_path: Path) -> None:
    code, said = invoke(
        "import",
        "pretalx",
        "--url",
        "ftp://x",
        "--event",
        "no spaces",
        "--token-file",
        tmp_path / "missing",
        "--out",
        tmp_path / "out",
    )
    assert code == 2 and "3 input problem(s)" in said


def test_a_half_written_publish_is_exit_4_and_the_rerun_finishes(
    server: StandIn, token_file: Path, tmp_path: Path
) -> None:
    fake = FakePretalx(server).serve()
    import_from(server.url, token_file, tmp_path / "c")
    invoke("draft", tmp_path / "c", "--out", tmp_path / "v1")
    server.rules.insert(0, ("PATCH", fake.base + "slots/2/", [Answer(hang_up=True), Answer(hang_up=True)]))
    options = ("--url", server.url, "--event", "fakecon", "--token-file", token_file)
    code, said = invoke("publish", "pretalx", tmp_path / "v1" / "schedule.json", *options)
    assert code == 4 and "run the same command again to finish" in said
    server.rules.pop(0)
    code, said = invoke("publish", "pretalx", tmp_path / "v1" / "schedule.json", *options)
    assert code == 0 and all(slot["room"] for slot in fake.slots.values())


def test_import_sessionize_and_history_add_through_the_command(tmp_path: Path) -> None:
    export = Path(__file__).with_name("data") / "sessionize-all.json"
    code, said = invoke("import", "sessionize", export, "--out", tmp_path / "s", "--timezone", "Europe/Warsaw")
    assert code == 0 and "3 sessions" in said
    code, said = invoke("import", "sessionize", CORPUS / "site-own-format.xml", "--out", tmp_path / "t")
    assert code == 2
    history = tmp_path / "history"
    history.mkdir()
    code, said = invoke(
        "history", "add", CORPUS / "congress-2014-no-zone.xml", "--edition", "CONG14", "--history", history
    )
    assert code == 0 and (history / "cong14.yaml").is_file() and "times in UTC+01:00" in said
    code, said = invoke("history", "add", CORPUS / "site-own-format.xml", "--edition", "SITE", "--history", history)
    assert code == 2 and "not <schedule>" in said and not (history / "site.yaml").exists()
