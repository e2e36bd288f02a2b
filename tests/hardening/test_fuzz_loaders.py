"""Every loader, fed random and malformed content, returns a result or raises InputProblems: never anything else.

The command line turns InputProblems into exit 2 with every problem listed; any other exception would be a
traceback. Each loader gets valid content mutated (a value replaced by a random one, syntax spliced in, parts of a
workbook edited or dropped, bytes flipped) and plain random content. Every crash found (by fuzzing or by hand) is kept
as an @example, its fix in planner/io. (One cell typed at XFD1048576 in an agenda.xlsx made calamine abort the whole
process; that one is tested in a separate process, in test_bad_input.py.)
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.check.read import read_agenda
from planner.errors import InputProblems
from planner.formats.schedule_json import read_schedule, schedule_document
from planner.io.folder import load_folder
from tests.check.checkcon import CHECKCON, programme, sessions_workbook
from tests.check.checkcon import DATA as CHECK_DATA
from tests.paths import DATA

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MINI = DATA / "mini"
CONFERENCE_TEXT = (MINI / "conference.yaml").read_text(encoding="utf-8")
SESSIONS_TEXT = (MINI / "sessions.csv").read_text(encoding="utf-8")
PEOPLE_TEXT = (MINI / "people.csv").read_text(encoding="utf-8")
SCHEDULE_TEXT = schedule_document(programme())
FRAB_TEXT = (CHECK_DATA / "checkcon-frab.json").read_text(encoding="utf-8")
FRAB_XML = (CHECK_DATA / "checkcon-frab.xml").read_bytes()
AGENDA_XLSX = sessions_workbook(programme())


def holds(load: Callable[[], object]) -> None:
    """The property: a result, or the located problems; any other exception fails the test."""
    try:
        load()
    except InputProblems as problems:
        assert problems.problems, "raised with no problem to show"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini conference that each example restores and then spoils."""
    return tmp_path_factory.mktemp("fuzz") / "mini"


def restored(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return Path(shutil.copytree(MINI, folder))


# Strategies ---------------------------------------------------------------------------------------------------------

SPECIAL = [
    "",
    "09:00",
    "01:30",
    "24:00",
    "2030-02-30",
    "2030-10-27",
    "9999-12-31",
    "0001-01-01",
    "Europe/London",
    "Mars/Olympus",
    "UTC+1",
    "1e400",
    "-1",
    "0",
    "99999999999999999999999",
    "nan",
    "yes",
    "Dr Ana Ruiz",
    "a;b;c",
    "\t",
    "é£–",
    "x" * 300,
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(SPECIAL),
)
trees = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "date", "start", "end", "rooms", "kinds", "blocks", "x"]) | st.text(max_size=6),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@st.composite
def mutated(draw: st.DrawFn, document: object) -> object:
    """A copy of a JSON-like document with one to four values, somewhere inside it, replaced by random ones."""
    document = json.loads(json.dumps(document, default=str))
    for _ in range(draw(st.integers(1, 4))):
        node = document
        for _ in range(draw(st.integers(0, 9))):
            keys = sorted(node, key=str) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            if draw(st.booleans()) or not isinstance(node[key], dict | list):
                node[key] = draw(trees)
                break
            node = node[key]
    return document


def spliced(text: str, pieces: list[str]) -> st.SearchStrategy[str]:
    """The text with one to four short stretches replaced by syntax pieces or random text."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        result = text
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(result)))
            piece = draw(st.sampled_from(pieces) | st.text(max_size=8))
            result = result[:at] + piece + result[at + draw(st.integers(0, 6)) :]
        return result

    return build()


YAML_PIECES = [
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "!!int ",
    "!!timestamp ",
    "!!set ",
    "!!python/object:os.system ",
    "? ",
    "|\n",
    '"',
    "'",
    "\t",
    "\n  ",
    "---\n",
    "%YAML 1.1\n",
    "\\x00",
    "2030-02-30",
    "~",
]
CONFERENCE = yaml.safe_load(CONFERENCE_TEXT)
conference_texts = st.one_of(
    mutated(CONFERENCE).map(lambda document: yaml.safe_dump(document, allow_unicode=True)),
    spliced(CONFERENCE_TEXT, YAML_PIECES),
    st.text(max_size=200),
)

CELLS = [
    '"',
    '""',
    '"a"b',
    ";",
    ",",
    "\r",
    "\n",
    "2030-03-28 23:00-25:00",
    "2030-10-27 01:30-02:00",
    "2030-03-29",
    "0001-01-01",
    "Dr",
    "Ana Ruiz;Ana Ruiz",
    "keynot",
    "600",
    "0",
    "yes",
    "perhaps",
    "\x1b",
]


def table_texts(text: str) -> st.SearchStrategy[bytes]:
    """A CSV table with random cells, in an encoding Excel might use; or random bytes."""

    @st.composite
    def cells(draw: st.DrawFn) -> bytes:
        rows = [
            [draw(st.just(cell) | st.sampled_from(CELLS) | st.text(max_size=10)) for cell in line.split(",")]
            for line in text.splitlines()
        ]
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
        return "\n".join(",".join(row) for row in rows).encode(encoding, errors="replace")

    return st.one_of(cells(), spliced(text, CELLS).map(str.encode), st.binary(max_size=300))


workbook_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**62), 2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=12),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1)),
    st.dates(min_value=date(1900, 3, 1)),
    st.times(),
    st.sampled_from(["09:00", "24:00", "d1", "2030-06-04", "=1/0", "#REF!", "Main Hall", "keynote", -1e20, 1e14]),
)


def with_cells(data: bytes, sheet: str, cells: list[tuple[int, int, object]]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for row, column, value in cells:
        workbook[sheet].cell(row, column).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def parts_of(data: bytes) -> list[tuple[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


def zipped(parts: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts:
            archive.writestr(name, content)
    return out.getvalue()


XML_PIECES = [
    b"<",
    b">",
    b'"',
    b'r="A1"',
    b'r="ZZ9"',
    b't="s"',
    b't="e"',
    b"<v>x</v>",
    b"<c><v>1</v></c>",
    b"&amp;",
    b"&#0;",
    b"\xff",
    b'<row r="0">',
    b"</row>",
    b"<f>1/0</f>",
    b"<is><t>1</t></is>",
    b"_x0001_",
]


def spoiled_workbooks(data: bytes) -> st.SearchStrategy[bytes]:
    """The workbook with an XML part edited or dropped, a byte of the zip changed, or random bytes instead."""
    parts = parts_of(data)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        changed = list(parts)
        index = draw(st.integers(0, len(changed) - 1))
        how = draw(st.sampled_from(["edit", "drop", "flip"]))
        if how == "drop":
            del changed[index]
            return zipped(changed)
        if how == "edit":
            name, content = changed[index]
            for _ in range(draw(st.integers(1, 4))):
                at = draw(st.integers(0, len(content)))
                content = content[:at] + draw(st.sampled_from(XML_PIECES)) + content[at + draw(st.integers(0, 5)) :]
            changed[index] = name, content
            return zipped(changed)
        whole = zipped(changed)
        at = draw(st.integers(0, len(whole) - 1))
        return whole[:at] + draw(st.binary(min_size=1, max_size=3)) + whole[at + 1 :]

    return st.one_of(build(), st.binary(max_size=300))


def sessions_workbook_of(rows: list[list[object]]) -> bytes:
    """A sessions.xlsx as an organiser might type it: the required columns, then rows of any cells."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sessions"
    sheet.append(["id", "title", "kind", "duration", "speakers", "themes", "optional", "expected_audience"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


LAUGHS = (
    b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + n]), b"&%s;" % bytes([97 + n]) * 10) for n in range(8))
    + b"]>"
)


def with_laughs_in(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """A billion laughs declared in `part` and used in place of `old` (openpyxl's lxml parser refused one in
    xl/workbook.xml with an exception of its own, which escaped)."""
    return zipped(
        [(name, LAUGHS + content.replace(old, new, 1) if name == part else content) for name, content in parts_of(data)]
    )


def assignment_changed(**fields: object) -> str:
    document = json.loads(SCHEDULE_TEXT)
    document["schedule"]["assignments"][0].update(fields)
    return json.dumps(document)


MINI_WORKBOOK = sessions_workbook_of([["open", "Opening keynote", "keynote", 60, "Ana Ruiz", "health", None, 100]])


# The properties -------------------------------------------------------------------------------------------------------


@FUZZ
@given(conference_texts)
@example(CONFERENCE_TEXT.replace("rooms:\n", "rooms: 5\nold_rooms:\n"))  # TypeError: 'int' object is not iterable
@example(CONFERENCE_TEXT.replace("date: 2030-03-28", "date: 2030-02-30"))  # ValueError from PyYAML's date
@example(CONFERENCE_TEXT.replace("id: side", "id: !!timestamp side"))  # AttributeError inside PyYAML
@example(CONFERENCE_TEXT.replace("capacity: 30", "capacity: !!int thirty"))  # ValueError inside PyYAML
@example(CONFERENCE_TEXT.replace("Europe/London", "x" * 300))  # OSError: file name too long, from ZoneInfo
@example(
    CONFERENCE_TEXT.replace("Europe/London", "Pacific/Honolulu")
    .replace("2030-03-28", "9999-12-31")
    .replace('end: "14:00"', 'end: "23:59"')
)  # OverflowError: 23:59 on 31 December 9999 is in year 10000 UTC
@example(
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True))
)  # 10^8 values once expanded: refused before anything walks them
def test_conference_yaml(folder, text):
    (restored(folder) / "conference.yaml").write_text(text, encoding="utf-8")
    holds(lambda: load_folder(folder))


SESSIONS_YAML = (
    "sessions:\n  - {id: open, title: Opening keynote, kind: keynote, duration: 60,"
    " speakers: [Dr Ana Ruiz], themes: [health]}\n"
)
sessions_yaml_texts = st.one_of(
    mutated(yaml.safe_load(SESSIONS_YAML)).map(lambda document: yaml.safe_dump(document, allow_unicode=True)),
    spliced(SESSIONS_YAML, YAML_PIECES),
).map(str.encode)


@FUZZ
@given(
    st.tuples(st.just("sessions.csv"), table_texts(SESSIONS_TEXT))
    | st.tuples(st.just("people.csv"), table_texts(PEOPLE_TEXT))
    | st.tuples(st.just("sessions.yaml"), sessions_yaml_texts)
)
@example(("sessions.csv", SESSIONS_TEXT.replace("Using metrics well.", "x" * 200_000).encode()))  # csv.Error
def test_tables(folder, table):
    name, content = table
    restored(folder)
    if name == "sessions.yaml":
        (folder / "sessions.csv").unlink()
    (folder / name).write_bytes(content)
    holds(lambda: load_folder(folder))


@FUZZ
@given(
    st.lists(st.lists(workbook_cells, max_size=9), max_size=4).map(sessions_workbook_of)
    | spoiled_workbooks(MINI_WORKBOOK)
)
@example(with_laughs_in(MINI_WORKBOOK, "xl/workbook.xml", b'name="Sessions"', b'name="&i;"'))  # lxml's XMLSyntaxError
def test_sessions_xlsx(folder, content):
    restored(folder)
    (folder / "sessions.csv").unlink()
    (folder / "sessions.xlsx").write_bytes(content)
    holds(lambda: load_folder(folder))


@FUZZ
@given(
    st.one_of(
        mutated(json.loads(SCHEDULE_TEXT)).map(json.dumps),
        spliced(SCHEDULE_TEXT, ["{", "}", "[", "]", ",", '"', "null", "1e999", "-0"]),
        st.text(max_size=100),
    )
)
@example("[" * 100_000 + "]" * 100_000)  # RecursionError from the JSON parser
@example(SCHEDULE_TEXT.replace('"capacity": 100', '"capacity": ' + "9" * 5000, 1))  # ValueError: too many digits
@example(assignment_changed(end="9999-12-31T23:59:59-14:00"))  # OverflowError: that is in year 10000 in UTC
def test_schedule_json(folder, text):
    path = folder.parent / "schedule.json"
    path.write_text(text, encoding="utf-8")
    holds(lambda: read_schedule(path))
    holds(lambda: read_agenda(path))


@FUZZ
@given(
    st.lists(st.tuples(st.integers(1, 9), st.integers(1, 11), workbook_cells), min_size=1, max_size=6),
    st.sampled_from(["Sessions", "About"]),
    st.booleans(),
)
@example([(2, 3, -1e20)], "Sessions", False)  # calamine panicked (pyo3's PanicException, not an Exception)
def test_sessions_sheet_cells(folder, cells, sheet, with_conference):
    path = folder.parent / "agenda.xlsx"
    path.write_bytes(with_cells(AGENDA_XLSX, sheet, cells))
    holds(lambda: read_agenda(path, CHECKCON if with_conference else None))


@FUZZ
@given(spoiled_workbooks(AGENDA_XLSX))
@example(with_laughs_in(AGENDA_XLSX, "xl/worksheets/sheet1.xml", b"<t>Opening keynote</t>", b"<t>&i;</t>"))  # refused
def test_sessions_sheet_bytes(folder, content):
    path = folder.parent / "agenda.xlsx"
    path.write_bytes(content)
    holds(lambda: read_agenda(path))


FRAB = json.loads(FRAB_TEXT)


def first_event_changed(**fields: object) -> str:
    document = json.loads(FRAB_TEXT)
    document["schedule"]["conference"]["days"][0]["rooms"]["Main Hall"][0].update(fields)
    return json.dumps(document)


@FUZZ
@given(
    st.one_of(
        mutated(FRAB).map(json.dumps),
        spliced(FRAB_TEXT, ["{", "}", "[", "]", '"', "null", "25:00", "99:99", "+14:00", "9999-12-31T23:00:00+00:00"]),
    ),
    st.booleans(),
)
@example(first_event_changed(persons=5), False)  # TypeError: 'int' object is not iterable
@example(first_event_changed(date="9999-12-31T23:30:00+00:00"), False)  # OverflowError: its end is in year 10000
def test_frab_json(folder, text, with_conference):
    path = folder.parent / "schedule.json"
    path.write_text(text, encoding="utf-8")
    holds(lambda: read_agenda(path, CHECKCON if with_conference else None))


@FUZZ
@given(
    spliced(
        FRAB_XML.decode(),
        [
            "<",
            ">",
            "</event>",
            "<event>",
            "<persons><person/></persons>",
            "<date>x</date>",
            "<start>25:00</start>",
            "<duration>99:99</duration>",
            '<!DOCTYPE x [<!ENTITY a "b">]>',
            "&a;",
            "&#0;",
            '<day date="0000-00-00">',
            "<time_zone_name>Mars</time_zone_name>",
        ],
    ).map(str.encode)
    | st.binary(max_size=200),
    st.booleans(),
)
@example(FRAB_XML.replace(b'encoding="UTF-8"', b'encoding="UTF-7"'), False)  # ValueError from expat
def test_frab_xml(folder, content, with_conference):
    path = folder.parent / "schedule.xml"
    path.write_bytes(content)
    holds(lambda: read_agenda(path, CHECKCON if with_conference else None))


def test_the_examples_are_what_they_say():
    """The text the examples replace is still there (a changed fixture would silently weaken them)."""
    assert "rooms:\n" in CONFERENCE_TEXT and "id: side" in CONFERENCE_TEXT and 'end: "14:00"' in CONFERENCE_TEXT
    assert "capacity: 30" in CONFERENCE_TEXT and "venue: Test Hall" in CONFERENCE_TEXT
    assert '"capacity": 100' in SCHEDULE_TEXT and b'encoding="UTF-8"' in FRAB_XML
    assert "Using metrics well." in SESSIONS_TEXT
    assert b"<t>Opening keynote</t>" in dict(parts_of(AGENDA_XLSX))["xl/worksheets/sheet1.xml"]
