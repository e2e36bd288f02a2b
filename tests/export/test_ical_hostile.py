"""Hostile text in titles, abstracts, people's, rooms' and themes' names: it can neither create nor alter a property
or an event, in any feed (the cancelled copy a person taken out of a session gets included), it reads back as written
(line breaks as '\\n'), every line is folded to 75 octets, and file names made from it stay inside the output
folder."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from planner.domain import Person, Room, Schedule
from planner.export.ical import calendar_files, calendar_text
from tests.export.calendar_cases import STAMP, calendar_name, tiny_schedule, vobject_events, write_calendars

INJECTION = "Evil\r\nBEGIN:VEVENT\r\nSUMMARY:pwned"
PIECES = st.sampled_from(
    [
        "\r\n",
        "\r",
        "\n",
        "\x85",
        "\u2028",
        "\x0b",
        "\x00",
        "\t",
        ";",
        ",",
        ":",
        "\\",
        "\\n",
        "\\N",
        "\\,",
        '"',
        "BEGIN:VEVENT",
        "END:VCALENDAR",
        "DTSTART:19700101T000000Z",
        "é",
        "😀",
        "\u202e",
        " ",
    ]
)
TEXT = (
    st.lists(st.one_of(st.text(max_size=30), PIECES), min_size=1, max_size=12)
    .map("".join)
    .filter(lambda t: 0 < len(t.strip()) <= 300)
)


def hostile_schedule(title: str, abstract: str, person: str, room: str, venue: str, theme: str) -> Schedule:
    """The tiny schedule with the keynote's text, its speaker's name, the hall's name, the venue and a theme label
    replaced by `...`, and Sam taken out of the keynote; the other sessions stay as they are."""
    schedule = tiny_schedule(venue=venue, themes=[{"id": "money", "label": theme}, {"id": "data", "label": "Data"}])
    conference = schedule.conference.model_copy(
        update={"rooms": (Room(id="hall", name=room, capacity=100), *schedule.conference.rooms[1:])}
    )
    keynote = schedule.assignments[0]
    session = keynote.session.model_copy(update={"title": title, "abstract": abstract})
    people = tuple(Person(id=p.id, name=person) if p.id == "zoe" else p for p in schedule.people)
    return schedule.model_copy(
        update={
            "conference": conference,
            "people": people,
            "assignments": (
                keynote.model_copy(update={"session": session, "removed_people": ("sam",)}),
                *schedule.assignments[1:],
            ),
        }
    )


def assert_well_formed(data: bytes) -> None:
    """CRLF line ends only, no line over 75 octets, and only the properties and components we write."""
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    unfolded = [line for line in lines if not line.startswith(b" ")]
    names = {line.split(b":")[0].split(b";")[0] for line in unfolded}
    assert names <= {
        b"BEGIN",
        b"END",
        b"VERSION",
        b"PRODID",
        b"CALSCALE",
        b"METHOD",
        b"NAME",
        b"X-WR-CALNAME",
        b"REFRESH-INTERVAL",
        b"X-PUBLISHED-TTL",
        b"TZID",
        b"COMMENT",
        b"DTSTART",
        b"TZNAME",
        b"TZOFFSETFROM",
        b"TZOFFSETTO",
        b"RDATE",
        b"DTEND",
        b"DTSTAMP",
        b"UID",
        b"SEQUENCE",
        b"STATUS",
        b"SUMMARY",
        b"LOCATION",
        b"DESCRIPTION",
        b"CATEGORIES",
    }, names
    begins = [line for line in unfolded if line.startswith(b"BEGIN:")]
    assert begins.count(b"BEGIN:VCALENDAR") == 1


def check_reads_back(schedule: Schedule, title: str, abstract: str, person: str, room: str, venue: str, theme: str):
    files = calendar_files(schedule, STAMP)
    for data in files.values():
        assert_well_formed(data)
    programme = files["programme.ics"]
    expected = {
        "summary": calendar_text(title),
        "location": calendar_text(f"{room}, {venue}"),
        "description": calendar_text(
            f"Keynote\nChair: Ana Ruiz\nSpeakers: {person}\n\n{abstract}"
            if abstract
            else f"Keynote\nChair: Ana Ruiz\nSpeakers: {person}"
        ),
        "categories": ["Keynote", calendar_text(theme), "Data"],
    }
    ours = Calendar.from_ical(programme).walk("VEVENT")
    theirs = vobject_events(programme)
    assert len(ours) == len(theirs) == 3
    keynote = next(e for e in ours if str(e["UID"]) == "k1@tiny30.planner")
    assert {k: str(keynote[k]) for k in ("summary", "location", "description")} == {
        k: v for k, v in expected.items() if k != "categories"
    }
    assert [str(c) for c in keynote["CATEGORIES"].cats] == expected["categories"]
    other = next(e for e in theirs if e.uid.value == "k1@tiny30.planner")
    assert (other.summary.value, other.location.value, other.description.value) == (
        expected["summary"],
        expected["location"],
        expected["description"],
    )
    assert list(other.categories.value) == expected["categories"]
    feed_names = {calendar_name(data) for path, data in files.items() if path.startswith("calendars/people/")}
    assert calendar_text(f"Tiny Conference 2030: {person}") in feed_names
    theme_names = {calendar_name(data) for path, data in files.items() if path.startswith("calendars/themes/")}
    assert theme_names == {calendar_text(f"Tiny Conference 2030: {theme}"), "Tiny Conference 2030: Data"}
    assert calendar_name(programme) == "Tiny Conference 2030"
    (sams,) = [data for data in files.values() if calendar_name(data) == "Tiny Conference 2030: Sam Lee, Jr."]
    cancelled = next(e for e in vobject_events(sams) if e.uid.value == "k1@tiny30.planner")
    assert cancelled.summary.value == "Cancelled: " + expected["summary"] and cancelled.status.value == "CANCELLED"
    assert cancelled.description.value == "Cancelled for you: you are no longer in this session.\n" + str(
        expected["description"]
    )


def test_an_injected_event_stays_text():
    schedule = hostile_schedule(INJECTION, INJECTION, "Lee; Sam, Dr: x", "Hall; A, B: C", "Venue\nX-EVIL:1", INJECTION)
    check_reads_back(schedule, INJECTION, INJECTION, "Lee; Sam, Dr: x", "Hall; A, B: C", "Venue\nX-EVIL:1", INJECTION)
    assert calendar_text(INJECTION) == "Evil\nBEGIN:VEVENT\nSUMMARY:pwned"
    assert b"\r\nBEGIN:VEVENT\r\nSUMMARY:pwned" not in calendar_files(schedule, STAMP)["programme.ics"]


def test_long_text_is_folded_to_75_octets_without_splitting_a_character():
    title = "Zoë's very long title " * 20 + "😀" * 40
    schedule = hostile_schedule(title, "word " * 500, "Ana", "Hall", "Venue", "Theme")
    check_reads_back(schedule, title, "word " * 500, "Ana", "Hall", "Venue", "Theme")


def test_control_characters_are_dropped_and_every_line_break_becomes_one():
    assert calendar_text("a\x00b\x1bc\td\r\ne\rf\x85g\u2028h\vi") == "abc\td\ne\nf\ng\nh\ni"
    assert calendar_text("C:\\New\\n, ; :") == "C:\\New\\n, ; :"


def test_names_that_are_paths_or_devices_stay_inside_the_folder(tmp_path: Path):
    schedule = hostile_schedule("T", "", "../../etc/passwd", "CON", "V", "..\\..\\AUX")
    out = tmp_path / "out"
    written = write_calendars(schedule, out, STAMP)
    root = out.resolve()
    for path in written:
        assert root in path.resolve().parents
    names = sorted(p.relative_to(out).as_posix() for p in written)
    assert "calendars/people/etc-passwd.ics" in names
    (hall,) = [n for n in names if n.startswith("calendars/rooms/con")]
    assert hall != "calendars/rooms/con.ics"
    (theme,) = [n for n in names if n.startswith("calendars/themes/aux")]
    assert theme != "calendars/themes/aux.ics"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.ics")) == [f"out/{n}" for n in names]


def test_two_people_with_one_name_get_two_feeds():
    schedule = tiny_schedule()
    people = tuple(p.model_copy(update={"name": "Zoë Ng"}) if p.id == "ana" else p for p in schedule.people)
    files = calendar_files(schedule.model_copy(update={"people": people}), STAMP)
    feeds = [path for path in files if path.startswith("calendars/people/zoe-ng")]
    assert len(feeds) == 2 and "calendars/people/zoe-ng.ics" not in feeds


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT, TEXT, TEXT, TEXT, TEXT)
def test_any_text_reads_back_as_written_and_adds_nothing(title, abstract, person, room, venue, theme):
    schedule = hostile_schedule(title, abstract, person, room, venue, theme)
    # Compare with what the models hold: they strip surrounding whitespace on the way in.
    session = schedule.assignments[0].session
    hall = schedule.conference.rooms[0]
    zoe = next(p for p in schedule.people if p.id == "zoe")
    label = schedule.conference.themes[0].label
    check_reads_back(schedule, session.title, session.abstract, zoe.name, hall.name, schedule.conference.venue, label)
