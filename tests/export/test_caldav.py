"""A real CalDAV server (Radicale, on 127.0.0.1 for this module only) stores the programme, and after a re-plan is
published again it holds each session once: moved ones updated, the withdrawn one cancelled, none duplicated.

Publishing is what a subscriber-sync tool does with a feed: one calendar object per UID (the VEVENT with the
VTIMEZONE it needs, without METHOD, RFC 4791 section 4.1), saved by UID so that a second publication overwrites the
first, and stored verbatim (the caldav client would otherwise raise SEQUENCE on every save)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

pytest.importorskip("radicale", reason="radicale is in the test extra: pip install -e '.[test]'")

import caldav
from icalendar import Calendar

from planner.export.ical import session_uid
from tests.export.calendar_cases import STAMP, by_uid, example_schedules, programme_calendar

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answering(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means it is serving
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Radicale with no authentication and storage in a temporary folder; its log is shown if it fails to start."""
    folder = tmp_path_factory.mktemp("radicale")
    url = f"http://127.0.0.1:{free_port()}/"
    log = folder / "radicale.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radicale",
                "--config",
                "",
                "--server-hosts",
                url[7:-1],
                "--storage-filesystem-folder",
                str(folder / "storage"),
                "--auth-type",
                "none",
                "--logging-level",
                "warning",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not answering(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Radicale did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def calendar_objects(data: bytes) -> dict[str, str]:
    """The feed cut into one calendar object per UID, as a sync tool stores it."""
    feed = Calendar.from_ical(data)
    objects = {}
    for event in feed.walk("VEVENT"):
        single = Calendar()
        single.add("prodid", feed["PRODID"])
        single.add("version", "2.0")
        for timezone in feed.walk("VTIMEZONE"):
            single.add_component(timezone)
        single.add_component(event)
        objects[str(event["UID"])] = single.to_ical().decode("utf-8")
    return objects


def publish(calendar: caldav.Calendar, data: bytes) -> None:
    for ical in calendar_objects(data).values():
        calendar.add_event(ical, increase_seqno=False)


def stored(calendar: caldav.Calendar) -> list:
    return [item.icalendar_component for item in calendar.events()]


def test_a_caldav_server_holds_each_session_once_updated_after_a_replan(server: str):
    first, second, moved, gone = example_schedules()
    client = caldav.DAVClient(url=server, username="planner", password="unused")
    calendar = client.principal().make_calendar(name="SOC25 programme", cal_id="soc25")

    before = programme_calendar(first, STAMP)
    publish(calendar, before)
    held = stored(calendar)
    assert sorted(str(e["UID"]) for e in held) == sorted(by_uid(before))

    after = programme_calendar(second, STAMP.replace(day=2))
    publish(calendar, after)
    held = stored(calendar)
    uids = [str(e["UID"]) for e in held]
    assert sorted(uids) == sorted(set(uids)) == sorted(by_uid(before)), "a session twice, or one lost"

    server_copy = {str(e["UID"]): e for e in held}
    published = by_uid(after)
    for uid, event in server_copy.items():
        assert event["DTSTART"].dt == published[uid]["DTSTART"].dt, uid
        assert int(event["SEQUENCE"]) == int(published[uid]["SEQUENCE"]), uid
        assert event["DTSTAMP"].dt == STAMP.replace(day=2), uid

    old, new = by_uid(before)[session_uid(first, moved)], server_copy[session_uid(first, moved)]
    assert new["DTSTART"].dt != old["DTSTART"].dt and int(new["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
    withdrawn = server_copy[session_uid(first, gone)]
    assert str(withdrawn["STATUS"]) == "CANCELLED" and int(withdrawn["SEQUENCE"]) == 1
    assert withdrawn["DTSTART"].dt == by_uid(before)[session_uid(first, gone)]["DTSTART"].dt
