"""Notices after a re-plan (planner/export/notices.py): exactly the people affected get one, as plain text and as an
e-mail draft that the standard library parses back with the same headers and body; names cannot make headers."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from planner.domain import Person, Schedule
from planner.export.notices import INDEX, notices, stale_notices
from planner.replan import carry_over
from tests.solve.tiny import grid, instance, previous, session

STAMP = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
ROOMS = (("hall", 100, ()), ("side", 30, ()))
THREE = [
    ("b1", "09:00", "10:00", "parallel"),
    ("b2", "10:00", "11:00", "parallel"),
    ("b3", "11:00", "12:00", "parallel"),
]
PEOPLE = [
    Person(id="ana", name="Ana Ruiz"),
    Person(id="bo", name="Bo Li"),
    Person(id="cem", name="Cem Aydin"),
    Person(id="dee", name="Dee Moss"),
    Person(id="eve", name="Eve Unchanged"),
    Person(id="fay", name="Zoë Fay"),
]
SESSIONS = [
    session("a", "ana", "bo", title="Data for decisions"),
    session("b", "cem", title="Outcomes funds"),
    session("c", "dee", title="Measuring what matters"),
    session("d", "eve", title="Social prescribing"),
]
INPUTS = instance(grid(THREE, rooms=ROOMS), SESSIONS, PEOPLE)
BEFORE = {"a": ("b1", "hall"), "b": ("b1", "side"), "c": ("b2", "hall"), "d": ("b3", "hall")}


def replan(inputs=INPUTS) -> tuple[Schedule, Schedule]:
    """a moves from 09:00 in the hall to 10:00 in the side room, b is withdrawn, Dee is taken out of c and Zoë put
    in, d (Eve's) stays where it was."""
    before = previous(inputs, BEFORE)
    now = previous(inputs, {"a": ("b2", "side"), "c": ("b2", "hall"), "d": ("b3", "hall")})
    swapped = tuple(
        a.model_copy(update={"session": a.session.model_copy(update={"speakers": ("fay",)})})
        if a.session.id == "c"
        else a
        for a in now.assignments
    )
    return before, carry_over(before, now.model_copy(update={"assignments": swapped}))


def parsed(data: str | bytes) -> EmailMessage:
    assert isinstance(data, bytes)
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def body_of(text: str | bytes) -> str:
    """The letter in a .txt notice: after its To and Subject lines."""
    assert isinstance(text, str)
    head, _, body = text.partition("\n\n")
    assert head.startswith("To: ") and "\nSubject: " in head
    return body


def test_exactly_the_people_affected_get_a_notice_naming_before_and_after():
    files = notices(*replan(), stamp=STAMP)
    assert sorted(files) == sorted(
        [
            INDEX,
            *(
                f"notices/{name}.{suffix}"
                for name in ("ana-ruiz", "bo-li", "cem-aydin", "dee-moss", "zoe-fay")
                for suffix in ("eml", "txt")
            ),
        ]
    )  # Eve's session did not change: no notice for her
    ana = files["notices/ana-ruiz.txt"]
    assert isinstance(ana, str)
    assert "'Data for decisions' (a) has moved: it was Mon 03 Jun 09:00-10:00, Hall, and is now Mon 03 Jun " in ana
    assert "10:00-11:00, Side." in ana
    assert "Your sessions before:\n- Mon 03 Jun 09:00-10:00, Hall: 'Data for decisions' (a), speaker\n" in ana
    assert "Your sessions now:\n- Mon 03 Jun 10:00-11:00, Side: 'Data for decisions' (a), speaker\n" in ana
    cem = files["notices/cem-aydin.txt"]
    assert "'Outcomes funds' (b) is withdrawn: it was Mon 03 Jun 09:00-10:00, Side" in cem
    assert "Your sessions now:\n- none\n" in cem
    dee = files["notices/dee-moss.txt"]
    assert (
        "You are no longer speaker in 'Measuring what matters' (c); it goes ahead Mon 03 Jun 10:00-11:00, Hall" in dee
    )
    fay = files["notices/zoe-fay.txt"]
    assert "You are now speaker in 'Measuring what matters' (c): Mon 03 Jun 10:00-11:00, Hall." in fay
    index = files[INDEX]
    assert isinstance(index, str)
    assert "5 people are affected" in index and "Eve" not in index
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in index.splitlines() if line[:1] == "|"]
    assert ["Dee Moss", "removed as speaker: Measuring what matters (c)", "dee-moss.txt", "dee-moss.eml"] in rows
    assert [row[0] for row in rows[2:]] == ["Ana Ruiz", "Bo Li", "Cem Aydin", "Dee Moss", "Zoë Fay"]


def test_no_change_means_no_notices_and_an_index_that_says_so():
    before = previous(INPUTS, BEFORE)
    files = notices(before, carry_over(before, previous(INPUTS, BEFORE)), stamp=STAMP)
    assert list(files) == [INDEX] and "No one's sessions changed" in str(files[INDEX])


def test_each_draft_parses_back_with_its_headers_and_the_same_body():
    files = notices(*replan(), stamp=STAMP)
    for name in ("ana-ruiz", "zoe-fay"):
        message = parsed(files[f"notices/{name}.eml"])
        person = next(p for p in PEOPLE if p.name.lower().replace("ë", "e").replace(" ", "-") == name)
        assert [g.display_name for g in message["To"].groups] == [person.name]
        assert message["To"].addresses == ()  # no address known: an empty group the organiser fills in
        assert message["Subject"] == "Tiny: changes to your sessions"
        assert message["Date"].datetime == STAMP
        assert message["X-Unsent"] == "1" and message["X-Planner-Person"] == person.id
        assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
        assert message.get_content().replace("\r\n", "\n") == body_of(files[f"notices/{name}.txt"])
        assert message.defects == [] and all(not h.defects for h in message.values() if hasattr(h, "defects"))
    raw = files["notices/zoe-fay.eml"]
    assert isinstance(raw, bytes) and raw.startswith(b"To: =?utf-8?q?Zo=C3=AB?= Fay:;\r\n")  # RFC 2047
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF line ends, RFC 5322


HOSTILE = [
    "Eve\r\nBcc: victim@example.com",
    "Eve\nSubject: you won\n\nfree money",
    'Dr "Eve" <eve@example.com>; Mallory:;',
    "Eve\u2028X-Injected: 1",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_or_title_makes_no_header(name: str):
    people = [p.model_copy(update={"name": name}) if p.id == "ana" else p for p in PEOPLE]
    sessions = [s.model_copy(update={"title": f"Title\r\nBcc: x@example.com {name}"}) for s in SESSIONS]
    conference = grid(THREE, rooms=ROOMS).model_copy(update={"name": f"Tiny\r\nBcc: x@example.com {name}"})
    files = notices(*replan(instance(conference, sessions, people)), stamp=STAMP)
    eml = next(data for path, data in files.items() if path.endswith(".eml") and b"X-Planner-Person: ana" in data)
    message = parsed(eml)
    assert sorted(message.keys()) == sorted(
        [
            "To",
            "Subject",
            "Date",
            "X-Unsent",
            "X-Planner-Person",
            "Content-Type",
            "Content-Transfer-Encoding",
            "MIME-Version",
        ]
    )
    assert message["To"].addresses == () and message["To"].groups[0].display_name == " ".join(name.split())
    # One line, folded where the standard library folds it (here straight after 'Subject:', hence the strip).
    subject = f"Tiny Bcc: x@example.com {' '.join(name.split())}: changes to your sessions"
    assert message["Subject"].strip() == subject
    for data in (str(files[p]) for p in files if p.endswith(".txt")):
        head = data.partition("\n\n")[0].split("\n")
        assert len(head) == 2 and head[0].startswith("To: ") and head[1].startswith("Subject: ")
        assert not any(line.startswith(("Bcc:", "X-Injected", "Subject: you won")) for line in data.split("\n")[2:])


def test_the_same_inputs_and_stamp_give_the_same_bytes_and_the_stamp_defaults_to_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch,
):
    assert notices(*replan(), stamp=STAMP) == notices(*replan(), stamp=STAMP)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(STAMP.timestamp())))
    assert notices(*replan()) == notices(*replan(), stamp=STAMP)


def test_two_people_with_one_name_get_two_files():
    people = [p.model_copy(update={"name": "Sam Lee"}) if p.id in ("ana", "bo") else p for p in PEOPLE]
    files = notices(*replan(instance(grid(THREE, rooms=ROOMS), SESSIONS, people)), stamp=STAMP)
    sams = [path for path in files if path.startswith("notices/sam-lee") and path.endswith(".txt")]
    assert len(sams) == 2 and len(set(sams)) == 2


def test_notices_of_an_earlier_run_for_people_no_longer_affected_are_stale(tmp_path):
    folder = tmp_path / "notices"
    folder.mkdir()
    for name in ("index.md", "old.txt", "old.eml", "kept.txt", "kept.eml", "notes.pdf"):
        (folder / name).write_text("x", encoding="utf-8")
    keep = ["notices/index.md", "notices/kept.txt", "notices/kept.eml", "schedule.json"]
    assert [p.name for p in stale_notices(tmp_path, keep)] == ["old.eml", "old.txt"]
    assert [p.name for p in stale_notices(tmp_path, [])] == ["index.md", "kept.eml", "kept.txt", "old.eml", "old.txt"]
    assert stale_notices(tmp_path / "elsewhere", []) == []
