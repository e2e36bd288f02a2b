"""Bad input, end to end: each case breaks a copy of tests/data/mini (or an agenda) one way, and the answer is exit 2
with no traceback and one problem that names the file, the row or line, the field and what was expected.

tests/test_io_errors.py holds the first table (references, durations, windows, columns on the same fixture); this one
adds what it lacks: malformed YAML, CSV and XLSX, wrong types, empty files, duplicates, times outside the day, zones
and clock changes, sessions longer than any run of blocks, size limits, zip and XML bombs, unsafe YAML tags, broken
agendas for `planner check`. A representative subset runs the installed `planner` command (all at once, in parallel);
the rest call the loaders. Encodings as Excel saves them, and a conference across the October clock change, must
load and plan correctly.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from planner.check.read import read_agenda
from planner.errors import InputProblems, Problem
from planner.io.folder import load_folder
from planner.io.tables import MAX_ROWS, MAX_XLSX_UNCOMPRESSED
from planner.io.yamlfile import MAX_INPUT_BYTES, MAX_YAML_NODES
from tests.check.checkcon import programme, sessions_workbook
from tests.conftest import csv_to_xlsx
from tests.io.test_errors import edit, write
from tests.paths import DATA

PLANNER = Path(sys.executable).with_name("planner")
CHECK_DATA = Path(__file__).resolve().parents[1] / "check" / "data"

Break = Callable[[Path], None]


# Ways to break a folder ------------------------------------------------------------------------------------------


def sequence(*steps: Break) -> Break:
    def apply(folder: Path) -> None:
        for step in steps:
            step(folder)

    return apply


def remove(name: str) -> Break:
    return lambda folder: (folder / name).unlink()


def rezip(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The workbook with every part passed through `change(name, content)`."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return target.getvalue()


def in_part(part: str, old: bytes, new: bytes) -> Callable[[str, bytes], bytes]:
    def change(name: str, content: bytes) -> bytes:
        if name != part:
            return content
        assert old in content, f"{old!r} not in {part}"
        return content.replace(old, new, 1)

    return change


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY l0 "lol">'
    + b"".join(b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10))
    + b"]>"
)
"""A billion laughs: &l9; stands for 10^9 copies of 'lol'."""


def laughs(old: bytes, new: bytes) -> Callable[[str, bytes], bytes]:
    """Declare the billion laughs after the XML declaration and use it in place of `old`."""

    def change(name: str, content: bytes) -> bytes:
        if old not in content:
            return content
        head, rest = content.split(b"?>", 1) if content.startswith(b"<?xml") else (b"", content)
        return (head + b"?>" if head else b"") + LAUGHS + rest.replace(old, new, 1)

    return change


FAR_CELL = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'


def understated(data: bytes, part: str, claimed: int) -> bytes:
    """The zip with `part`'s uncompressed size lowered to `claimed` in both of its headers: a bomb in disguise."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    patched = bytearray(data)
    struct.pack_into("<I", patched, archive.getinfo(part).header_offset + 22, claimed)
    entry = archive.start_dir
    while True:
        name_length, extra_length, comment_length = struct.unpack_from("<3H", patched, entry + 28)
        if patched[entry + 46 : entry + 46 + name_length] == part.encode():
            struct.pack_into("<I", patched, entry + 24, claimed)
            return bytes(patched)
        entry += 46 + name_length + extra_length + comment_length


def big_sheet_xml(rows: int) -> bytes:
    cells = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(1, rows + 1))
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData>'
        b"</worksheet>" % cells
    )


def workbook_bytes(folder: Path) -> bytes:
    """The folder's sessions table as a workbook, as an organiser keeps it."""
    scratch = folder / "scratch"
    scratch.mkdir()
    shutil.copy(folder / "sessions.csv", scratch / "sessions.csv")
    data = csv_to_xlsx(scratch / "sessions.csv", "Sessions").read_bytes()
    shutil.rmtree(scratch)
    return data


def xlsx_sessions(change: Callable[[bytes], bytes]) -> Break:
    """sessions.csv replaced by a sessions.xlsx, then spoiled by `change` on its bytes."""

    def apply(folder: Path) -> None:
        data = change(workbook_bytes(folder))
        (folder / "sessions.csv").unlink()
        (folder / "sessions.xlsx").write_bytes(data)

    return apply


def agenda_xlsx(change: Callable[[bytes], bytes]) -> Break:
    """An agenda.xlsx as `planner draft` writes its Sessions sheet, spoiled by `change`."""

    def apply(folder: Path) -> None:
        (folder / "agenda.xlsx").write_bytes(change(sessions_workbook(programme())))

    return apply


def agenda_json(document: object) -> Break:
    return lambda folder: (folder / "schedule.json").write_text(
        document if isinstance(document, str) else json.dumps(document), encoding="utf-8"
    )


def frab_json(change: Callable[[dict], None]) -> Break:
    def apply(folder: Path) -> None:
        document = json.loads((CHECK_DATA / "checkcon-frab.json").read_text(encoding="utf-8"))
        change(document["schedule"]["conference"])
        (folder / "schedule.json").write_text(json.dumps(document), encoding="utf-8")

    return apply


def first_event(**fields: object) -> Callable[[dict], None]:
    return lambda conference: conference["days"][0]["rooms"]["Main Hall"][0].update(fields)


def sheet_cell(row: int, column: int, value: object) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        workbook["Sessions"].cell(row, column).value = value
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    return change


def zeros_part(size: int) -> Callable[[bytes], bytes]:
    """A workbook carrying one more part of `size` zero bytes (compressed to almost nothing)."""

    def change(data: bytes) -> bytes:
        target = io.BytesIO(data)
        with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/media/padding.bin", bytes(size))
        return target.getvalue()

    return change


def marker_yaml(folder: Path) -> None:
    """A YAML tag that would run a shell command, were YAML loaded unsafely."""
    command = f'!!python/object/apply:os.system ["touch {folder}/PWNED"]'
    edit("conference.yaml", "venue: Test Hall", f"venue: {command}")(folder)


SESSIONS_HEADER = (DATA / "mini" / "sessions.csv").read_text(encoding="utf-8").splitlines()[0]


# The table ---------------------------------------------------------------------------------------------------------

# name: (how, breaks, file, where, field, expected text); how is "load" (the loaders), "validate" or "draft" (the
# installed command on the folder), or "check FILE" (`planner check` on a file the case writes in the folder).
CASES: dict[str, tuple[str, Break, str, str, str, str]] = {
    # malformed YAML
    "yaml: tab indentation": (
        "validate",
        edit("conference.yaml", "venue: Test Hall", "venue:\tTest Hall"),
        "conference.yaml",
        "line 5",
        "",
        "not valid YAML",
    ),
    "yaml: python tag is refused, never run": (
        "draft",
        marker_yaml,
        "conference.yaml",
        "line 5",
        "",
        "tag '!!python/object/apply:os.system' is not allowed",
    ),
    "yaml: python object tag": (
        "load",
        edit("conference.yaml", "venue: Test Hall", "venue: !!python/object:planner.domain.Room {}"),
        "conference.yaml",
        "line 5",
        "",
        "tag '!!python/object:planner.domain.Room'",
    ),
    "yaml: alias bomb": (
        "load",
        write(
            "conference.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)),
        ),
        "conference.yaml",
        "line 1",
        "",
        f"expand to more than {MAX_YAML_NODES:,} values",
    ),
    "yaml: alias inside itself": (
        "load",
        edit("conference.yaml", "venue: Test Hall", "venue: &v [*v]"),
        "conference.yaml",
        "line 5",
        "",
        "contains it",
    ),
    "yaml: no such date": (
        "load",
        edit("conference.yaml", "date: 2030-03-28", "date: 2030-02-30"),
        "conference.yaml",
        "line 18",
        "",
        "'2030-02-30' is not a real date",
    ),
    "yaml: explicit tag on the wrong value": (
        "load",
        edit("conference.yaml", "capacity: 30", "capacity: !!int x"),
        "conference.yaml",
        "line 9",
        "",
        "cannot be read as !!int",
    ),
    "yaml: control character": (
        "load",
        edit("conference.yaml", "venue: Test Hall", 'venue: "Test\\x07Hall"'),
        "conference.yaml",
        "line 5",
        "",
        "control character U+0007",
    ),
    # malformed CSV
    "csv: quote never closed": (
        "validate",
        edit("sessions.csv", ",Using metrics well.", ',"Using metrics well.'),
        "sessions.csv",
        "row 3",
        "",
        "not valid CSV",
    ),
    "csv: cell beyond the CSV field limit": (
        "load",
        edit("sessions.csv", "Using metrics well.", "x" * 200_000),
        "sessions.csv",
        "row 3",
        "",
        "not valid CSV: field larger",
    ),
    "csv: a workbook named .csv": (
        "load",
        lambda f: (f / "sessions.csv").write_bytes(workbook_bytes(f)),
        "sessions.csv",
        "",
        "",
        "an .xlsx workbook saved with a .csv name",
    ),
    "csv: binary": ("load", write("sessions.csv", bytes(range(256))), "sessions.csv", "", "", "byte 0 is NUL"),
    "csv: control character in a cell": (
        "load",
        edit("sessions.csv", "Opening keynote", "Opening\x1bkeynote"),
        "sessions.csv",
        "row 2",
        "title",
        "control character U+001B",
    ),
    "csv: column given twice": (
        "load",
        edit("sessions.csv", ",notes\n", ",title\n"),
        "sessions.csv",
        "row 1",
        "title",
        "column is given twice",
    ),
    # malformed XLSX
    "xlsx: cut short": (
        "load",
        xlsx_sessions(lambda data: data[: len(data) // 2]),
        "sessions.xlsx",
        "",
        "",
        "not a readable .xlsx workbook",
    ),
    "xlsx: empty file": (
        "load",
        xlsx_sessions(lambda data: b""),
        "sessions.xlsx",
        "",
        "",
        "not a readable .xlsx workbook",
    ),
    "xlsx: billion laughs in a sheet": (
        "load",
        xlsx_sessions(lambda data: rezip(data, laughs(b"<t>Opening keynote</t>", b"<t>&l9;</t>"))),
        "sessions.xlsx",
        "",
        "",
        "declares a DTD",
    ),
    "xlsx: billion laughs in the workbook part": (
        "validate",
        xlsx_sessions(lambda data: rezip(data, laughs(b'name="Sessions"', b'name="&l9;"'))),
        "sessions.xlsx",
        "",
        "",
        "xl/workbook.xml declares a DTD",
    ),
    "xlsx: one cell at XFD1048576": (
        "load",
        xlsx_sessions(lambda data: rezip(data, in_part("xl/worksheets/sheet1.xml", b"</sheetData>", FAR_CELL))),
        "sessions.xlsx",
        "",
        "",
        "down to row 1,048,576 and across to column 16,384",
    ),
    "xlsx: zip bomb": (
        "load",
        xlsx_sessions(zeros_part(MAX_XLSX_UNCOMPRESSED)),
        "sessions.xlsx",
        "",
        "",
        "refused as too large",
    ),
    "xlsx: zip bomb understating its size": (
        "load",
        xlsx_sessions(
            lambda data: understated(
                rezip(data, lambda name, content: big_sheet_xml(3000) if name.endswith("sheet1.xml") else content),
                "xl/worksheets/sheet1.xml",
                2000,
            )
        ),
        "sessions.xlsx",
        "",
        "",
        "unpacks to more than the 2,000 bytes",
    ),
    "check: agenda.xlsx with one cell at XFD1048576": (
        "check agenda.xlsx",
        agenda_xlsx(lambda data: rezip(data, in_part("xl/worksheets/sheet1.xml", b"</sheetData>", FAR_CELL))),
        "agenda.xlsx",
        "",
        "",
        "a sheet may span at most",
    ),
    "check: agenda.xlsx billion laughs": (
        "check agenda.xlsx",
        agenda_xlsx(lambda data: rezip(data, laughs(b"<t>Opening keynote</t>", b"<t>&l9;</t>"))),
        "agenda.xlsx",
        "",
        "",
        "declares a DTD",
    ),
    "agenda.xlsx: zip bomb understating its size": (
        "load agenda.xlsx",
        agenda_xlsx(
            lambda data: understated(
                rezip(data, lambda name, content: big_sheet_xml(3000) if name.endswith("sheet1.xml") else content),
                "xl/worksheets/sheet1.xml",
                5000,
            )
        ),
        "agenda.xlsx",
        "",
        "",
        "refused as a likely zip bomb",
    ),
    "agenda.xlsx: a time no duration can hold": (
        "load agenda.xlsx",
        agenda_xlsx(sheet_cell(2, 3, -1e20)),
        "agenda.xlsx",
        "",
        "",
        "a cell cannot be read",
    ),
    "agenda.xlsx: a huge number is not 10:00": (
        "load agenda.xlsx",
        agenda_xlsx(sheet_cell(2, 3, 1e14)),
        "agenda.xlsx",
        "sheet Sessions, row 2",
        "start",
        "'100000000000000' is not a time",
    ),
    # wrong types
    "rooms is a number": (
        "load",
        edit("conference.yaml", "rooms:\n", "rooms: 5\nold_rooms:\n"),
        "conference.yaml",
        "line 7",
        "rooms",
        "valid tuple",
    ),
    "a mapping as a title": (
        "load",
        sequence(
            remove("sessions.csv"),
            write(
                "sessions.yaml", "sessions:\n  - id: s1\n    title: {en: Hello}\n    kind: keynote\n    duration: 60\n"
            ),
        ),
        "sessions.yaml",
        "line 3",
        "title",
        "expected text, a number or a list",
    ),
    "a capacity no room has": (
        "load",
        edit("conference.yaml", "capacity: 120", "capacity: 10000000000000000000000"),
        "conference.yaml",
        "line 8",
        "rooms[1].capacity",
        "expected at most 1,000,000",
    ),
    # empty files
    "empty conference.yaml": ("validate", write("conference.yaml", "\n"), "conference.yaml", "", "", "is empty"),
    "empty people.csv": ("load", write("people.csv", ""), "people.csv", "", "", "is empty"),
    "blank sessions.csv": ("load", write("sessions.csv", " \n\n"), "sessions.csv", "", "", "is empty"),
    "empty workbook": (
        "load",
        xlsx_sessions(lambda data: rezip(data, in_part("xl/worksheets/sheet1.xml", data_rows(data), b""))),
        "sessions.xlsx",
        "",
        "",
        "is empty",
    ),
    # unknown references, at the command line
    "unknown person": (
        "validate",
        edit("sessions.csv", "Cem Aydin,Dee Moss", "Cem Aydin,Dee Mossy"),
        "sessions.csv",
        "row 4",
        "speakers",
        "did you mean 'Dee Moss'",
    ),
    # duplicate ids
    "duplicate session id at its row": (
        "load",
        edit("sessions.csv", "dd-nhs,", "dd-data,"),
        "sessions.csv",
        "row 4",
        "id",
        "used more than once (first in row 3)",
    ),
    "duplicate person id at its row": (
        "load",
        edit("people.csv", "dee-moss,", "ana-ruiz,"),
        "people.csv",
        "row 5",
        "id",
        "used more than once (first in row 2)",
    ),
    "duplicate block id": (
        "load",
        edit("conference.yaml", "{id: pm,", "{id: am,"),
        "conference.yaml",
        "line 23",
        "id",
        "block id 'am' is used more than once",
    ),
    "duplicate kind id": (
        "load",
        edit("conference.yaml", "{id: deep_dive, label", "{id: keynote, label"),
        "conference.yaml",
        "line 12",
        "id",
        "kind id 'keynote' is used more than once",
    ),
    # blocks and sessions
    "overlapping blocks": (
        "validate",
        edit("conference.yaml", 'start: "12:30", end: "14:00"', 'start: "11:00", end: "14:00"'),
        "conference.yaml",
        "line 17",
        "days[1]",
        "overlap",
    ),
    "session longer than any run of blocks": (
        "draft",
        edit("sessions.csv", ",deep_dive,90,data,", ",deep_dive,600,data,"),
        "sessions.csv",
        "row 3",
        "duration",
        "expected at most the longest run, 90 minutes",
    ),
    "block across midnight": (
        "load",
        edit("conference.yaml", 'start: "12:30", end: "14:00"', 'start: "23:00", end: "01:00"'),
        "conference.yaml",
        "line 23",
        "days[1].blocks[4]",
        "must end after it starts",
    ),
    # times outside the day
    "24:00": (
        "load",
        edit("conference.yaml", 'end: "14:00"', 'end: "24:00"'),
        "conference.yaml",
        "line 23",
        "end",
        "expected HH:MM from 00:00 to 23:59",
    ),
    "window past midnight": (
        "load",
        edit("people.csv", "2030-03-28 12:30-14:00", "2030-03-28 23:00-25:00"),
        "people.csv",
        "row 2",
        "unavailable",
        "not HH:MM",
    ),
    "a date no conference has": (
        "load",
        edit("conference.yaml", "date: 2030-03-28", "date: 9999-12-31"),
        "conference.yaml",
        "line 18",
        "date",
        "a year from 1900 to 2999",
    ),
    # zones and clock changes
    "zone written as an offset": (
        "validate",
        edit("conference.yaml", "Europe/London", "UTC+1"),
        "conference.yaml",
        "line 4",
        "timezone",
        "is not an IANA time zone name",
    ),
    "a time the clocks repeat": (
        "validate",
        sequence(edit("conference.yaml", "2030-03-28", "2030-10-27"), edit("conference.yaml", '"09:00"', '"01:30"')),
        "conference.yaml",
        "line 20",
        "start",
        "happens twice on 2030-10-27",
    ),
    "a window in the repeated hour": (
        "load",
        edit("people.csv", "2030-03-28 12:30-14:00", "2030-10-27 01:15-03:00"),
        "people.csv",
        "row 2",
        "unavailable",
        "happens twice",
    ),
    "agenda.xlsx: About names no zone": (
        "load agenda.xlsx",
        agenda_xlsx(lambda data: rezip(data, in_part("xl/worksheets/sheet2.xml", b"Europe/London", b"Mars/Olympus"))),
        "agenda.xlsx",
        "sheet About",
        "timezone",
        "'Mars/Olympus' is not an IANA time zone name",
    ),
    # agendas `planner check` reads
    "check: schedule.json nested too deeply": (
        "check schedule.json",
        agenda_json("[" * 100_000 + "]" * 100_000),
        "schedule.json",
        "",
        "",
        "nested too deeply",
    ),
    "frab: persons is not a list": (
        "load schedule.json",
        frab_json(first_event(persons=5)),
        "schedule.json",
        "day 1, room Main Hall, event 101",
        "persons",
        "expected a list of persons",
    ),
    "frab: a date in year 9999": (
        "load schedule.json",
        frab_json(first_event(date="9999-12-31T23:00:00+00:00")),
        "schedule.json",
        "day 1, room Main Hall, event 101",
        "date",
        "a year from 1900 to 2999",
    ),
    "frab: xml in UTF-7": (
        "load schedule.xml",
        lambda f: (f / "schedule.xml").write_bytes(
            (CHECK_DATA / "checkcon-frab.xml").read_bytes().replace(b'encoding="UTF-8"', b'encoding="UTF-7"')
        ),
        "schedule.xml",
        "",
        "",
        "not readable XML",
    ),
    # limits
    "sessions.csv beyond the byte limit": (
        "load",
        write("sessions.csv", "#" * (MAX_INPUT_BYTES + 1)),
        "sessions.csv",
        "",
        "",
        f"the limit is {MAX_INPUT_BYTES:,} bytes",
    ),
    "sessions.csv beyond the row limit": (
        "load",
        write("sessions.csv", SESSIONS_HEADER + "\n" + "".join(f"s{n},T,keynote,60\n" for n in range(MAX_ROWS))),
        "sessions.csv",
        "",
        "",
        f"the limit is {MAX_ROWS:,}",
    ),
}


def data_rows(data: bytes) -> bytes:
    """The <sheetData> content of the first sheet (to empty it)."""
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    return sheet.split(b"<sheetData>", 1)[1].split(b"</sheetData>", 1)[0]


def command(how: str, folder: Path) -> list[str]:
    verb, *target = how.split()
    if verb == "check":
        return [str(PLANNER), "check", str(folder / target[0])]
    return [str(PLANNER), verb, str(folder)] + (["--out", str(folder / "out")] if verb == "draft" else [])


def broken(root: Path, name: str) -> Path:
    folder = Path(shutil.copytree(DATA / "mini", root / name.replace(":", "").replace(" ", "-")))
    CASES[name][1](folder)
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Every command-line case, run at once (each is a separate process; together they take a few seconds)."""
    root = tmp_path_factory.mktemp("cli")
    started = {}
    for name, (how, *_rest) in CASES.items():
        if how.split()[0] in ("validate", "draft", "check"):
            folder = broken(root, name)
            started[name] = (
                folder,
                subprocess.Popen(command(how, folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
            )
    results = {}
    for name, (folder, process) in started.items():
        stdout, stderr = process.communicate(timeout=120)
        results[name] = folder, subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return results


def printed(stderr: str) -> dict[str, list[str]]:
    """The problems as the command prints them, by file: a header line, then each file (with a count) and its
    problems, indented, each 'where, field: message'."""
    groups: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in stderr.splitlines()[1:]:
        if line.startswith("  "):
            lines.append(line.strip())
        else:
            lines = groups.setdefault(line.rsplit(" (", 1)[0], [])
    return groups


def printed_match(groups: dict[str, list[str]], file: str, where: str, field: str, expected: str) -> bool:
    return any(
        line.startswith(where) and (not field or f"{field}: " in line) and expected in line
        for name, lines in groups.items()
        if name.endswith(file)
        for line in lines
    )


def matches(problems: list[Problem], file: str, where: str, field: str, expected: str) -> bool:
    return any(
        p.file.endswith(file) and str(p.where).startswith(where) and p.field == field and expected in p.message
        for p in problems
    )


def loaded_problems(how: str, folder: Path) -> list[Problem]:
    target = how.split()[1:]
    with pytest.raises(InputProblems) as raised:
        if target:
            read_agenda(folder / target[0])
        else:
            load_folder(folder)
    return raised.value.problems


COMMAND_LINE = [name for name, case in CASES.items() if case[0].split()[0] != "load"]
LOADERS = [name for name in CASES if name not in COMMAND_LINE]


@pytest.mark.parametrize("name", COMMAND_LINE)
def test_the_command_exits_2_naming_the_place_without_a_traceback(runs, name):
    folder, result = runs[name]
    _, _, file, where, field, expected = CASES[name]
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert printed_match(printed(result.stderr), file, where, field, expected), result.stderr
    assert not (folder / "PWNED").exists() and not (folder / "out").exists()


@pytest.mark.parametrize("name", LOADERS)
def test_the_loader_names_the_place(tmp_path, name):
    how, _, file, where, field, expected = CASES[name]
    problems = loaded_problems(how, broken(tmp_path, name))
    assert matches(problems, file, where, field, expected), "\n".join(map(str, problems))


# Hundreds of problems at once --------------------------------------------------------------------------------------


def test_hundreds_of_problems_in_three_files_are_all_printed_grouped_by_file(tmp_path):
    folder = Path(shutil.copytree(DATA / "mini", tmp_path / "mini"))
    rows = "".join(f"s{n},Title {n},nokind,x,,Nobody {n},,,,,,,,,\n" for n in range(200))
    (folder / "sessions.csv").write_text(SESSIONS_HEADER + "\n" + rows, encoding="utf-8")
    people = "".join(f"p{n},Person {n},,,someday,0\n" for n in range(100))
    (folder / "people.csv").write_text("id,name,aliases,organisation,unavailable,max_sessions_per_day\n" + people)
    edit("conference.yaml", "Europe/London", "Europe/Londres")(folder)
    result = subprocess.run([str(PLANNER), "validate", str(folder)], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == "401 input problem(s) in 3 files"
    groups = printed(result.stderr)
    assert {name.rsplit("/", 1)[-1]: len(lines) for name, lines in groups.items()} == {
        "conference.yaml": 1,
        "people.csv": 200,
        "sessions.csv": 200,  # a bad duration in each row; 'Nobody n' is like no one listed, so becomes a person
    }
    headers = [line for line in result.stderr.splitlines()[1:] if not line.startswith("  ")]
    assert [h.rsplit("/", 1)[-1] for h in headers] == ["conference.yaml (1)", "people.csv (200)", "sessions.csv (200)"]
    rows = [int(line.split(",")[0].split()[1]) for line in groups[str(folder / "sessions.csv")]]
    assert rows == sorted(rows) and rows[0] == 2 and rows[-1] == 201


# What must load -----------------------------------------------------------------------------------------------------

NAMES = ("Zoë Lefèvre", "Ana Ruíz Gómez", "Seán Ó Briain")
TITLE = "Café £5 – outcomes"


def names_folder(tmp_path: Path, encoding: str, bom: bytes = b"", separator: str = ",") -> Path:
    """People and sessions with accents, a pound sign and an en dash, saved as Excel saves them."""
    folder = Path(shutil.copytree(DATA / "mini", tmp_path / encoding))
    people = "name,organisation\n" + "".join(f"{name},Caf\u00e9 Co\n" for name in NAMES)
    sessions = f'{SESSIONS_HEADER}\nk1,{TITLE},keynote,60,,,"{NAMES[0]};{NAMES[2]}",,,,,,,,\n'
    for name, text in (("people.csv", people), ("sessions.csv", sessions)):
        (folder / name).write_bytes(bom + text.replace(",", separator).encode(encoding))
    return folder


@pytest.mark.parametrize(
    ("encoding", "bom", "separator"),
    [("utf-8", b"\xef\xbb\xbf", ","), ("cp1252", b"", ";"), ("utf-16-le", b"\xff\xfe", "\t")],
    ids=["utf-8 with a BOM", "Windows-1252 with semicolons", "UTF-16 'Unicode text'"],
)
def test_text_as_excel_saves_it_loads_with_every_character_intact(tmp_path, encoding, bom, separator):
    loaded = load_folder(names_folder(tmp_path, encoding, bom, separator))
    assert [p.name for p in loaded.people] == list(NAMES)
    assert loaded.people[0].organisation == "Café Co"
    assert [(s.title, s.speakers) for s in loaded.sessions] == [(TITLE, ("zoe-lefevre", "sean-o-briain"))]


def test_latin1_loads_as_windows_1252_reads_it(tmp_path):
    folder = names_folder(tmp_path, "cp1252")
    latin1 = (folder / "people.csv").read_bytes().decode("cp1252").replace("Zoë", "Zoé").encode("latin-1")
    (folder / "people.csv").write_bytes(latin1)
    (folder / "sessions.csv").write_text(
        f"{SESSIONS_HEADER}\nk1,Caf\u00e9 \u00a35,keynote,60,,,Zoé Lefèvre,,,,,,,,\n", encoding="latin-1"
    )
    loaded = load_folder(folder)
    assert loaded.people[0].name == "Zoé Lefèvre" and loaded.sessions[0].title == "Café £5"


def test_a_sheet_that_claims_to_be_vast_loads_by_its_real_cells(tmp_path):
    """openpyxl would pad every row to the claimed dimension; the claim is not trusted."""
    folder = Path(shutil.copytree(DATA / "mini", tmp_path / "mini"))
    xlsx_sessions(
        lambda data: rezip(
            data,
            lambda name, content: content.replace(b'<dimension ref="A1:O4"/>', b'<dimension ref="A1:XFD1048576"/>'),
        )
    )(folder)
    assert len(load_folder(folder).sessions) == 3


def test_whole_day_away_where_the_clocks_skip_midnight(tmp_path):
    """Havana's clocks go from 00:00 to 01:00 on 10 March 2030: the day starts at 01:00 (this used to crash)."""
    folder = Path(shutil.copytree(DATA / "mini", tmp_path / "mini"))
    edit("conference.yaml", "Europe/London", "America/Havana")(folder)
    edit("people.csv", "2030-03-29,", "2030-03-10,")(folder)
    dee = next(p for p in load_folder(folder).people if p.id == "dee-moss")
    (window,) = dee.unavailable
    assert (window.start.hour, window.end - window.start) == (1, timedelta(hours=23))


# A conference across the October clock change -------------------------------------------------------------------

AUTUMN = """name: Autumn 2030
edition: AUT30
timezone: Europe/London
venue: Test Hall
rooms:
  - {id: hall, name: Main Hall, capacity: 120}
kinds:
  - {id: keynote, label: Keynote}
  - {id: night, label: Night session}
days:
  - date: 2030-10-26
    blocks:
      - {id: sat, start: "09:00", end: "10:00", type: plenary, kinds: [keynote]}
  - date: 2030-10-27
    blocks:
      - {id: owls, start: "00:30", end: "02:30", type: plenary, kinds: [night]}
      - {id: sun, start: "09:00", end: "10:00", type: plenary, kinds: [keynote]}
  - date: 2030-10-28
    blocks:
      - {id: mon, start: "09:00", end: "10:00", type: plenary, kinds: [keynote]}
"""
AUTUMN_SESSIONS = """id,title,kind,duration,pin_block
k-sat,Saturday keynote,keynote,60,sat
owls,Through the clock change,night,180,owls
k-sun,Sunday keynote,keynote,60,sun
k-mon,Monday keynote,keynote,60,mon
"""
EXPECTED_UTC = {  # the clocks go back from 02:00 BST to 01:00 GMT early on Sunday 27 October 2030
    "k-sat": (datetime(2030, 10, 26, 8, 0, tzinfo=UTC), datetime(2030, 10, 26, 9, 0, tzinfo=UTC)),
    "owls": (datetime(2030, 10, 26, 23, 30, tzinfo=UTC), datetime(2030, 10, 27, 2, 30, tzinfo=UTC)),
    "k-sun": (datetime(2030, 10, 27, 9, 0, tzinfo=UTC), datetime(2030, 10, 27, 10, 0, tzinfo=UTC)),
    "k-mon": (datetime(2030, 10, 28, 9, 0, tzinfo=UTC), datetime(2030, 10, 28, 10, 0, tzinfo=UTC)),
}
"""'owls' runs 00:30-02:30 by the clock but three hours by the sun: a wall-clock reading would find 120 minutes."""


@pytest.fixture(scope="module")
def autumn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("autumn")
    (folder / "conference.yaml").write_text(AUTUMN, encoding="utf-8")
    (folder / "sessions.csv").write_text(AUTUMN_SESSIONS, encoding="utf-8")
    result = subprocess.run(
        [str(PLANNER), "draft", str(folder), "--out", str(folder / "out"), "--time-limit", "20", "--workers", "1"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1900000000"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "out"


def test_a_clock_change_inside_the_conference_is_planned_in_exact_time(autumn):
    """Decision: a conference across a clock change is planned, not refused; only a wall-clock time in the repeated
    (or skipped) hour is refused, since it names two moments (or none)."""
    document = json.loads((autumn / "schedule.json").read_text(encoding="utf-8"))
    placed = {
        a["session"]["id"]: (datetime.fromisoformat(a["start"]), datetime.fromisoformat(a["end"]))
        for a in document["schedule"]["assignments"]
    }
    assert placed == EXPECTED_UTC
    offsets = {s: start.utcoffset() for s, (start, _) in placed.items()}
    assert offsets == {
        "k-sat": timedelta(hours=1),
        "owls": timedelta(hours=1),
        "k-sun": timedelta(0),
        "k-mon": timedelta(0),
    }


def test_every_output_gives_the_same_exact_times(autumn):
    import icalendar

    frab = json.loads((autumn / "schedule.frab.json").read_text(encoding="utf-8"))
    events = [e for day in frab["schedule"]["conference"]["days"] for room in day["rooms"].values() for e in room]
    from planner.formats.frab.read import parse_duration

    for event in events:
        start = datetime.fromisoformat(event["date"])
        assert (start, start + parse_duration(event["duration"])) == EXPECTED_UTC[event["slug"]], event
    assert {e["slug"]: e["duration"] for e in events}["owls"] == "03:00"

    calendar = icalendar.Calendar.from_ical((autumn / "programme.ics").read_bytes())
    ics = {
        str(e["UID"]).split("@")[0]: (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
        for e in calendar.walk("VEVENT")
    }
    assert ics == EXPECTED_UTC

    agenda, _ = read_agenda(autumn / "agenda.xlsx")  # the Sessions sheet's local times and its About zone
    assert {item.session: (item.start, item.end) for item in agenda.items} == EXPECTED_UTC

    for page in ("agenda.md", "agenda.html"):  # people read local wall-clock times
        text = (autumn / page).read_text(encoding="utf-8")
        assert "00:30" in text and "02:30" in text, page
