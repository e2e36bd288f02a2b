"""A real CalDAV server (Radicale, on 127.0.0.1 for this module only) stores the programme and the calendars of the
people a re-plan affects, each as its own collection, as a subscriber's app holds them. After the re-plan (one session
moved, one withdrawn, one speaker taken out of a session) is published again, a subscriber reading the server finds
each session once: the moved one updated in place, the withdrawn one cancelled, and in the calendar of the speaker
taken out, that session cancelled while it stays confirmed for everyone else.

Publishing is what a subscriber-sync tool does with a feed: one calendar object per UID (the VEVENT with the
VTIMEZONE it needs, without METHOD, RFC 4791 section 4.1), saved by UID so that a second publication overwrites the
first, and stored verbatim (the caldav client would otherwise raise SEQUENCE on every save). It never deletes: an
event a feed drops stays on the server as it was, as it would in a subscriber's app, so only a cancellation that the
feed carries reaches the subscriber."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

pytest.importorskip("radicale", reason="radicale is in the test extra: pip install -e '.[test]'")

import caldav
from icalendar import Calendar

from planner.export.ical import PROGRAMME, calendar_files, feed_paths, session_uid
from tests.export.calendar_cases import STAMP, Replan, by_uid, example_schedules

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


def affected_people(replan: Replan) -> dict[str, str]:
    """Person id -> feed path, for everyone whose own calendar the re-plan changes (a SEQUENCE rose in it)."""
    first, second = calendar_files(replan.first, STAMP), calendar_files(replan.second, STAMP)
    before = by_uid(first[PROGRAMME])
    people = {}
    for person, path in feed_paths(replan.second)["people"].items():
        raised = [uid for uid, e in by_uid(second[path]).items() if int(e["SEQUENCE"]) > int(before[uid]["SEQUENCE"])]
        if raised:
            people[person] = path
    return people


@dataclass(frozen=True)
class Subscription:
    """One feed as a subscriber's collection on the server: its CalDAV id and the two versions published to it."""

    cal_id: str
    version1: bytes
    version2: bytes


def subscriptions(replan: Replan) -> dict[str, Subscription]:
    """The programme's and each affected person's feed (by path), before and after the re-plan."""
    first = calendar_files(replan.first, STAMP)
    second = calendar_files(replan.second, STAMP.replace(day=2))
    paths = [PROGRAMME, *sorted(affected_people(replan).values())]
    return {
        path: Subscription(f"soc25-{path.removesuffix('.ics').replace('/', '-')}", first[path], second[path])
        for path in paths
    }


def test_a_caldav_subscriber_sees_each_session_once_updated_after_a_replan(server: str):
    replan = example_schedules()
    first, second = replan.first, replan.second
    feeds = subscriptions(replan)
    assert feed_paths(first)["people"][replan.removed] == feed_paths(second)["people"][replan.removed]
    removed_feed = feed_paths(second)["people"][replan.removed]
    assert removed_feed in feeds and len(feeds) > 3

    publisher = caldav.DAVClient(url=server, username="planner", password="unused").principal()
    for path, feed in feeds.items():
        publish(publisher.make_calendar(name=path, cal_id=feed.cal_id), feed.version1)
    subscriber = caldav.DAVClient(url=server, username="subscriber", password="unused")
    for path, feed in feeds.items():
        held = stored(subscriber.calendar(url=f"{server}planner/{feed.cal_id}/"))
        assert sorted(str(e["UID"]) for e in held) == sorted(by_uid(feed.version1)), path

    for feed in feeds.values():
        publish(publisher.calendar(cal_id=feed.cal_id), feed.version2)

    moved, gone, thinned = (session_uid(first, s) for s in (replan.moved, replan.gone, replan.thinned))
    for path, feed in feeds.items():
        calendar = subscriber.calendar(url=f"{server}planner/{feed.cal_id}/")
        held = stored(calendar)
        uids = [str(e["UID"]) for e in held]
        assert sorted(uids) == sorted(set(uids)) == sorted(by_uid(feed.version2)), f"{path}: a duplicate or a leftover"
        before, published = by_uid(feed.version1), by_uid(feed.version2)
        server_copy = {str(e["UID"]): e for e in held}
        for uid, event in server_copy.items():
            feed_copy = published[uid]
            assert event["DTSTART"].dt == feed_copy["DTSTART"].dt, (path, uid)
            assert str(event["STATUS"]) == str(feed_copy["STATUS"]), (path, uid)
            assert int(event["SEQUENCE"]) == int(feed_copy["SEQUENCE"]), (path, uid)
            assert event["DTSTAMP"].dt == STAMP.replace(day=2), (path, uid)
        if moved in before:
            new = calendar.event_by_uid(moved).icalendar_component
            assert new["DTSTART"].dt != before[moved]["DTSTART"].dt, path
            assert int(new["SEQUENCE"]) == int(before[moved]["SEQUENCE"]) + 1 and str(new["STATUS"]) == "CONFIRMED"
        if gone in before:
            withdrawn = calendar.event_by_uid(gone).icalendar_component
            assert str(withdrawn["STATUS"]) == "CANCELLED", path
            assert int(withdrawn["SEQUENCE"]) == int(before[gone]["SEQUENCE"]) + 1, path
            assert withdrawn["DTSTART"].dt == before[gone]["DTSTART"].dt, path
        if thinned in before:
            taken_out = calendar.event_by_uid(thinned).icalendar_component
            assert str(taken_out["STATUS"]) == ("CANCELLED" if path == removed_feed else "CONFIRMED"), path
            assert int(taken_out["SEQUENCE"]) == int(before[thinned]["SEQUENCE"]) + 1, path
            assert taken_out["DTSTART"].dt == before[thinned]["DTSTART"].dt, path
    touched = {path for path, feed in feeds.items() for uid in (moved, gone, thinned) if uid in by_uid(feed.version1)}
    assert touched == set(feeds), "every affected calendar holds a session the re-plan changed"
    removed_copy = {
        str(e["UID"]): e for e in stored(subscriber.calendar(url=f"{server}planner/{feeds[removed_feed].cal_id}/"))
    }
    assert str(removed_copy[thinned]["STATUS"]) == "CANCELLED"
    assert [u for u, e in removed_copy.items() if str(e["STATUS"]) == "CONFIRMED"], "the speaker's other sessions stay"
