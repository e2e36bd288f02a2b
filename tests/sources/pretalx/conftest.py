"""A real pretalx for the round-trip tests: installed by `make pretalx` into .venv-pretalx (never a dependency of
planner), migrated once per test run into a template SQLite database and seeded there through its own shell
(seed.py), then copied and started on 127.0.0.1 for each test that needs a server.

Without the venv the tests skip, saying how to install it; under CI or PLANNER_E2E=1 (as `.ci/run` runs `make
test`) they fail with the reason instead, never skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

from tests.paths import REPO

VERSION = "2025.2.2"
"""The pretalx the Makefile installs and seed.py is written for."""
SEED = Path(__file__).with_name("seed.py")
EVENT = "testcon"


def pretalx_python() -> Path:
    return Path(os.environ.get("PLANNER_PRETALX_PYTHON") or REPO / ".venv-pretalx" / "bin" / "python")


def missing(reason: str) -> NoReturn:
    """Fail under CI or PLANNER_E2E=1 (the round trip must run there); elsewhere skip, saying how to install."""
    if os.environ.get("PLANNER_E2E") == "1" or os.environ.get("CI"):
        pytest.fail(f"{reason} (CI and PLANNER_E2E=1 need the real pretalx round trip)", pytrace=False)
    pytest.skip(f"{reason}; `make pretalx` installs it (`make test` does so first)")


@dataclass
class Template:
    """A migrated and seeded pretalx data folder to copy for each server, and how long making it took."""

    python: Path
    data: Path
    token: str
    timings: dict[str, float] = field(default_factory=dict)


def _config(folder: Path, data: Path, port: int) -> Path:
    path = folder / "pretalx.cfg"
    path.write_text(
        "[filesystem]\n"
        f"data = {data}\n"
        f"static = {data / 'static.dist'}\n"
        "[site]\n"
        "debug = False\n"
        f"url = http://127.0.0.1:{port}\n"
        "[database]\n"
        "backend = sqlite3\n",
        encoding="utf-8",
    )
    return path


def _environment(config: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("PRETALX_") and k != "DJANGO_SETTINGS_MODULE"}
    return keep | {"PRETALX_CONFIG_FILE": str(config)} | extra


def run_pretalx(python: Path, config: Path, *arguments: str, stdin: str | None = None, **extra: str) -> str:
    """`python -m pretalx ARGUMENTS` with the config; its output, or a failure with its output."""
    done = subprocess.run(
        [str(python), "-m", "pretalx", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env=_environment(config, **extra),
        cwd=config.parent,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"pretalx {' '.join(arguments)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


@pytest.fixture(scope="session")
def pretalx_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    python = pretalx_python()
    if not python.is_file():
        missing(f"pretalx is not installed ({python} is missing)")
    found = subprocess.run(
        [str(python), "-c", "import pretalx; print(pretalx.__version__)"], capture_output=True, text=True, check=False
    )
    if found.returncode != 0 or found.stdout.strip() != VERSION:
        missing(f"{python} does not run pretalx {VERSION} ({(found.stdout + found.stderr).strip()[-300:]})")
    folder = tmp_path_factory.mktemp("pretalx-template")
    data = folder / "data"
    data.mkdir()
    config = _config(folder, data, 8000)
    token = secrets.token_hex(32)
    timings = {}
    started = time.monotonic()
    run_pretalx(python, config, "migrate", "--noinput")
    timings["migrate"] = time.monotonic() - started
    started = time.monotonic()
    run_pretalx(python, config, "shell", "--unsafe-disable-scopes", stdin=SEED.read_text(), SEED_TOKEN=token)
    timings["seed"] = time.monotonic() - started
    return Template(python, data, token, timings)


@dataclass
class Server:
    """A running pretalx with the seeded event: its address, the organiser's token (in `token_file`) and a way to
    change it through its own shell."""

    url: str
    event: str
    token: str
    token_file: Path
    python: Path
    config: Path
    log: Path

    def shell(self, script: str) -> str:
        """Run Python inside pretalx (its models imported as in seed.py)."""
        return run_pretalx(self.python, self.config, "shell", "--unsafe-disable-scopes", stdin=script)

    def fetch(self, path: str, token: bool = False) -> bytes:
        headers = {"Authorization": f"Token {self.token}"} if token else {}
        with urllib.request.urlopen(urllib.request.Request(self.url + path, headers=headers), timeout=30) as answer:
            return bytes(answer.read())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"pretalx stopped at start ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/api/events/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    pytest.fail(f"pretalx did not answer within {seconds:g} s:\n{log.read_text()[-3000:]}")


def _start(template: Template, folder: Path, data: Path) -> tuple[subprocess.Popen[bytes], str, Path, Path]:
    """pretalx's development server on a free port of 127.0.0.1, answering; a port taken meanwhile is tried again."""
    for _ in range(3):
        port = _free_port()
        config = _config(folder, data, port)
        log = folder / f"server-{port}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [str(template.python), "-m", "pretalx", "runserver", "--noreload", f"127.0.0.1:{port}"],
                stdout=output,
                stderr=subprocess.STDOUT,
                env=_environment(config),
                cwd=folder,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, process, log)
        except pytest.fail.Exception:
            if process.poll() is not None and "already in use" in log.read_text():
                continue
            _stop(process)
            raise
        return process, url, config, log
    pytest.fail("no free port for pretalx after 3 tries")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def pretalx(pretalx_template: Template, tmp_path: Path) -> Iterator[Server]:
    """A fresh copy of the seeded pretalx, running on 127.0.0.1 for one test."""
    folder = tmp_path / "pretalx"
    data = folder / "data"
    shutil.copytree(pretalx_template.data, data)
    process, url, config, log = _start(pretalx_template, folder, data)
    try:
        token_file = tmp_path / "pretalx-token"
        token_file.write_text(pretalx_template.token + "\n")
        yield Server(url, EVENT, pretalx_template.token, token_file, pretalx_template.python, config, log)
    finally:
        _stop(process)
