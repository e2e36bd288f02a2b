"""agenda.html's calendars: the attendee's own .ics, built in the page from its JSON with the programme's UIDs, times
and text (checked here against programme.ics, and in Chromium by downloading it and reading it with icalendar), and
the subscribe links a base URL adds (to every feed `feed_paths` names, escaped, http(s) only)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from icalendar import Calendar

from planner.domain import Schedule
from planner.export.agenda_html import agenda_html, check_base_url
from planner.export.atomic import write_atomic
from planner.export.ical import calendar_files, calendar_text, feed_paths
from planner.programme import in_order, session_uid
from tests.export.agenda_sample import HOSTILE_NAME, hostile, soc2025, tiny
from tests.export.test_agenda_html import DATA_BLOCK, Visit, chromium, fetches

STAMP = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
HOSTILE_ICS = "x\r\nATTENDEE:mailto:evil@x;a,b\\n\nEND:VEVENT\nBEGIN:VEVENT <script>" + "Zoë — 東京 🎉 " * 10
"""A title that tries to end its event and add properties, with TEXT's special characters and, folded, characters of
two to four octets that a fold at 75 octets must not split."""


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def script_data(page: str) -> dict:
    return json.loads(DATA_BLOCK.search(page).group(1))


def events_by_uid(ics: bytes) -> dict[str, object]:
    return {str(event["UID"]): event for event in Calendar.from_ical(ics).walk("VEVENT")}


def utc(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def with_sequence(schedule: Schedule) -> Schedule:
    """A copy whose first session a re-plan has moved twice."""
    first, *rest = schedule.assignments
    return schedule.model_copy(update={"assignments": (first.model_copy(update={"sequence": 2}), *rest)})


@pytest.mark.parametrize("which", ["soc", "tiny", "hostile"])
def test_the_pages_events_are_programme_ics_events_with_times_in_utc(which):
    schedule = {"soc": soc2025, "tiny": tiny, "hostile": lambda: hostile(tiny(), title=HOSTILE_ICS)}[which]()
    schedule = with_sequence(schedule)
    data = script_data(agenda_html(schedule))
    programme = events_by_uid(calendar_files(schedule, STAMP)["programme.ics"])
    ordered = in_order(schedule, schedule.assignments)
    assert [s["id"] for s in data["sessions"]] == [a.session.id for a in ordered]
    for session, assignment in zip(data["sessions"], ordered, strict=True):
        event, published = session["event"], programme[session["event"]["uid"]]
        assert event["uid"] == session_uid(schedule, assignment.session.id)
        assert utc(event["start"]) == published["DTSTART"].dt == assignment.start
        assert utc(event["end"]) == published["DTEND"].dt == assignment.end
        assert event["sequence"] == published["SEQUENCE"] == assignment.sequence
        for field in ("summary", "location", "description"):
            assert event[field] == str(published[field.upper()]), field
        assert event["categories"] == [str(c) for c in published["CATEGORIES"].cats]
    assert data["sessions"][0]["event"]["sequence"] == 2


def test_the_calendars_stamp_comes_from_the_schedule_so_equal_schedules_give_equal_pages():
    schedule = tiny()
    calendar = script_data(agenda_html(schedule))["calendar"]
    assert calendar == {
        "file": "mini30-my-sessions.ics",
        "name": "Mini Conference 2030: my sessions",
        "prodid": "-//planner//Conference programme//EN",
        "stamp": "20300328T000000Z",  # midnight UTC of the first day
    }
    assert agenda_html(schedule) == agenda_html(tiny())
    assert agenda_html(schedule, base_url="https://x.org/a/") == agenda_html(tiny(), base_url="https://x.org/a/")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x/",
        "javascript:alert(1)",
        "webcal://example.org/x/",
        "example.org/x/",
        "/x/",
        "",
        "https://",
        "https:///x",
        "https://example.org/x/?a=1",
        "https://example.org/x/#top",
        "https://user:secret@example.org/x/",
        "https://example.org/my calendars/",
        "https://example.org/x/\n",
        'https://example.org/x"<b>/',
        "https://example.org:port/x/",
        "https://[::1/x/",
    ],
)
def test_a_base_url_must_be_an_http_or_https_folder_address(url):
    with pytest.raises(ValueError, match="base URL") as raised:
        agenda_html(tiny(), base_url=url)
    assert "Traceback" not in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://example.org/soc25", "https://example.org/soc25/"),
        ("http://example.org/", "http://example.org/"),
        ("HTTPS://Example.org:8443/a/b/", "HTTPS://Example.org:8443/a/b/"),
    ],
)
def test_a_good_base_url_is_kept_as_a_folder(url, base):
    assert check_base_url(url) == base


class Links(HTMLParser):
    """Each link's href and text, and whether the page has a subscribe section."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data


def outside(page: str) -> list[str]:
    return [href for href, _ in Links(page).links if not href.startswith("#")]


def test_without_a_base_url_the_page_offers_no_subscribe_links():
    page = agenda_html(soc2025())
    assert outside(page) == [] and "webcal:" not in page and 'id="calendars"' not in page


@pytest.mark.parametrize("which", ["soc", "tiny"])
def test_with_a_base_url_every_feed_has_a_webcal_and_an_https_link_and_nothing_else_leaves_the_page(which):
    schedule = soc2025() if which == "soc" else tiny()
    page = agenda_html(schedule, base_url="https://example.org/soc25")
    expected = []
    for group in feed_paths(schedule).values():
        for path in group.values():
            expected += [f"webcal://example.org/soc25/{path}", f"https://example.org/soc25/{path}"]
    hrefs = outside(page)
    assert sorted(set(hrefs)) == sorted(expected)
    assert hrefs.count("https://example.org/soc25/programme.ics") == 2  # at the top and in the section
    assert sum(len(group) for group in feed_paths(schedule).values()) > 1
    assert fetches(page) == [f"a href={href}" for href in hrefs]  # links to follow, nothing the page loads


def test_subscribe_links_are_named_by_their_feed_and_escaped():
    schedule = hostile(tiny())
    page = agenda_html(schedule, base_url="https://example.org/o'brien&co")
    assert "https://example.org/o&#39;brien&amp;co/programme.ics" in page
    start = page.index('<section class="subscribe"')
    section = page[start : page.index("</section>", start)]
    assert "<script>" not in section and HOSTILE_NAME not in section
    hrefs = {href for href, _ in Links(section).links}  # as a browser reads them
    paths = feed_paths(schedule)
    for group in ("people", "rooms", "themes"):
        for path in paths[group].values():
            assert {f"webcal://example.org/o'brien&co/{path}", f"https://example.org/o'brien&co/{path}"} <= hrefs
    for person, path in paths["people"].items():  # each person's name, escaped, then their links
        assert f'&#34;&#39;&amp;&lt;&gt; {person}: <a href="webcal://example.org/o&#39;brien&amp;co/{path}">' in section


# ---------------------------------------------------------------------------------------------------------- browser


def download_picks(visit: Visit, ids: list[str]) -> bytes:
    for session_id in ids:
        visit.page.check(f".pick input[value='{session_id}']")
    with visit.page.expect_download() as download:
        visit.page.click("#picks-download")
    return Path(download.value.path()).read_bytes()


def assert_well_formed(ics: bytes) -> None:
    """CRLF line ends, no physical line over 75 octets, and no character split by a fold (every line is UTF-8)."""
    assert ics.endswith(b"\r\n") and b"\n" not in ics.replace(b"\r\n", b"")
    for line in ics.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")


@pytest.mark.e2e
def test_in_chromium_an_attendee_ticks_two_sessions_and_downloads_their_own_calendar(browser, tmp_path: Path):
    schedule = soc2025()
    path = write_atomic(tmp_path / "agenda.html", agenda_html(schedule))
    ordered = in_order(schedule, schedule.assignments)
    first, last = ordered[2], ordered[-1]  # a parallel session on day 1 and the last one of day 2
    visit = Visit(browser, path)
    assert visit.page.is_disabled("#picks-download")
    ics = download_picks(visit, [last.session.id, first.session.id])
    assert visit.page.text_content("#picks-status") == "2 sessions ticked."
    assert_well_formed(ics)
    (tmp_path / "mine.ics").write_bytes(ics)

    lines = ics.split(b"\r\n")
    assert len([line for line in lines if re.fullmatch(rb"DT(START|END):\d{8}T\d{6}Z", line)]) == 4  # UTC, with Z
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert str(calendar["X-WR-CALNAME"]) == f"{schedule.conference.name}: my sessions"
    assert [str(e["UID"]) for e in events] == [session_uid(schedule, a.session.id) for a in (first, last)]
    programme = events_by_uid(calendar_files(schedule, STAMP)["programme.ics"])
    for event, assignment in zip(events, (first, last), strict=True):
        assert event["DTSTART"].dt == assignment.start and event["DTEND"].dt == assignment.end
        assert str(event["SUMMARY"]) == assignment.session.title
        assert event["DTSTAMP"].dt == datetime(2025, 9, 11, tzinfo=UTC)
        published = programme[str(event["UID"])]
        for field in ("SUMMARY", "LOCATION", "DESCRIPTION", "SEQUENCE", "STATUS"):
            assert str(event[field]) == str(published[field]), field
        assert event["CATEGORIES"].cats == published["CATEGORIES"].cats

    assert f"picks={first.session.id}%2C{last.session.id}" in visit.page.url  # kept in the address
    visit.page.reload()
    assert visit.page.is_checked(f".pick input[value='{first.session.id}']")
    assert visit.page.text_content("#picks-status") == "2 sessions ticked."
    visit.page.check("#filter-mine")
    assert visit.visible_titles() == sorted([first.session.title, last.session.title])
    visit.page.click("#picks-clear")
    assert visit.visible_titles() == [] and visit.page.is_disabled("#picks-download")
    assert visit.errors == [] and visit.dialogs == [] and set(visit.requests) == {visit.url}
    visit.close()


@pytest.mark.e2e
def test_in_chromium_hostile_titles_stay_text_in_the_downloaded_calendar(browser, tmp_path: Path):
    schedule = hostile(tiny(), title=HOSTILE_ICS, name="Zoë;,\\ \r\nATTENDEE:x")
    path = write_atomic(tmp_path / "agenda.html", agenda_html(schedule))
    visit = Visit(browser, path)
    ics = download_picks(visit, ["dd-data", "ws-lab"])
    assert_well_formed(ics)
    assert max(len(line) for line in ics.split(b"\r\n")) >= 70  # long lines were folded, not avoided
    assert not any(line.startswith((b"ATTENDEE", b"END:VEVENT ", b"BEGIN:VEVENT ")) for line in ics.split(b"\r\n"))
    events = Calendar.from_ical(ics).walk("VEVENT")
    assert len(events) == 2 and ics.split(b"\r\n").count(b"BEGIN:VEVENT") == 2
    placed = {a.session.id: a for a in schedule.assignments}
    for event, session_id in zip(events, ["dd-data", "ws-lab"], strict=True):
        session = placed[session_id].session
        assert str(event["UID"]) == session_uid(schedule, session_id)
        assert str(event["SUMMARY"]) == calendar_text(session.title)
        assert "ATTENDEE" not in event
        assert calendar_text("Zoë;,\\ \r\nATTENDEE:x") in str(event["DESCRIPTION"])
    assert visit.dialogs == [] and visit.errors == [] and set(visit.requests) == {visit.url}
    visit.close()
