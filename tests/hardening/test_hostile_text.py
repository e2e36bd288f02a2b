"""Hostile text end to end: a conference folder whose titles, abstracts, people's, rooms', kinds', themes' and
organisations' names are spreadsheet formulas, HTML, iCalendar injections, 300-character lines, paths and Windows
device names goes through the real `planner draft` (and a re-plan, and `planner history`), and every file written is
checked with a real reader of its format: the text shows exactly as written and creates nothing (no formula, no
element, no property, no event, no file outside the output folder).

The per-format unit tests (tests/export) build schedules in code; this one starts from CSV files and a CLI run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import openpyxl
import pytest
import vobject
import yaml
from markdown_it import MarkdownIt

from planner.export.agenda_xlsx import room_groups
from planner.formats.markdown import markdown_table

PLANNER = Path(sys.executable).with_name("planner")
TEMPLATES = Path(__file__).resolve().parents[2] / "planner" / "templates"
EPOCH = "1900000000"

FORMULA = '=HYPERLINK("http://x","y")'
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ATTENDEE = "x\r\nATTENDEE:mailto:evil@x"
VEVENT = "\nEND:VEVENT\nBEGIN:VEVENT"
SEPARATORS = "a;b,c:d"
LONG = "Long " + "x" * 295
RICH = "[bold]rich[/bold] [/]"

CONFERENCE_NAME = f"{FORMULA} {SCRIPT}"
VENUE = f"{ATTENDEE} {IMG}"
DAY_NAME = "@SUM(A1) <i>day</i>"
KINDS = {"keynote": "-2+3 <b>key</b>", "talk": IMG}
THEMES = {"t1": FORMULA, "t2": ATTENDEE, "t3": SCRIPT}
ROOMS = {"hall": "../../x", "r2": "..\\..\\x", "r3": "CON", "r4": "nul.txt", "r5": "a/b"}
PEOPLE = {  # id: (name, organisation); 'Søren Lee'/'Soren Lee' and 'Ana_Lee'/'Ana Lee' make the same file name
    "p-formula": (FORMULA, "+1 Org"),
    "p-script": (SCRIPT, IMG),
    "p-up": ("../../x", "-2+3"),
    "p-back": ("..\\..\\boot.ini", "@SUM(A1)"),
    "p-con": ("CON", "\t=tab org"),
    "p-nul": ("nul.txt", ATTENDEE),
    "p-slash": ("a/b", SEPARATORS),
    "p-soren1": ("Søren Lee", ""),
    "p-soren2": ("Soren Lee", ""),
    "p-ana1": ("Ana_Lee", ""),
    "p-ana2": ("Ana Lee", ""),
    "p-semi": (SEPARATORS, LONG),
}
SESSIONS = [  # id, title, kind, themes, chair, speaker, optional, abstract
    ("k1", FORMULA, "keynote", "t1;t2", "p-formula", "p-script", "", f"{LONG}\n{VEVENT}"),
    ("s1", "+1", "talk", "t1", "", "p-up", "", SCRIPT),
    ("s2", "-2+3", "talk", "t2", "", "p-back", "", IMG),
    ("s3", "@SUM(A1)", "talk", "t3", "", "p-con", "", ATTENDEE),
    ("s4", "\t=1+1 after a tab", "talk", "t1", "", "p-nul", "", "@SUM(A1)"),
    ("s5", "\r=1+1 after a carriage return", "talk", "t2", "", "p-slash", "", RICH),
    ("s6", SCRIPT, "talk", "t3", "", "p-soren1", "", ""),
    ("s7", IMG, "talk", "t1", "", "p-soren2", "", ""),
    ("s8", ATTENDEE, "talk", "t2", "", "p-ana1", "", ""),
    ("s9", SEPARATORS, "talk", "t3", "", "p-ana2", "", ""),
    ("s10", f"{VEVENT} title", "talk", "t1", "", "p-semi", "", ""),
    ("s11", LONG, "talk", "t2", "", "p-formula", "yes", ""),
    ("s12", RICH, "talk", "t3", "", "p-script", "yes", ""),
]
"""Ten talks fill the ten places of the two parallel blocks: the two optional ones are left out, with a reason."""
WITHDRAWN = "s6"
"""Left out of the proposals for the re-plan: cancelled where it was, and the place it frees takes an optional talk."""


def write_conference(folder: Path, withdrawn: str = "") -> Path:
    folder.mkdir(parents=True)
    conference = {
        "name": CONFERENCE_NAME,
        "edition": "HOST30",
        "timezone": "Europe/London",
        "venue": VENUE,
        "rooms": [{"id": room, "name": name, "capacity": 50} for room, name in ROOMS.items()],
        "kinds": [
            {"id": "keynote", "label": KINDS["keynote"], "colour": "#1f77b4"},
            {"id": "talk", "label": KINDS["talk"]},
        ],
        "themes": [{"id": theme, "label": label} for theme, label in THEMES.items()],
        "days": [
            {
                "id": "d1",
                "date": "2030-03-28",
                "name": DAY_NAME,
                "blocks": [
                    {
                        "id": "open",
                        "start": "09:00",
                        "end": "10:00",
                        "type": "plenary",
                        "rooms": ["hall"],
                        "kinds": ["keynote"],
                    },
                    {"id": "am", "start": "10:00", "end": "11:00", "type": "parallel", "kinds": ["talk"]},
                    {"id": "lunch", "start": "11:00", "end": "12:00", "type": "break", "name": SCRIPT},
                    {"id": "pm", "start": "12:00", "end": "13:00", "type": "parallel", "kinds": ["talk"]},
                ],
            }
        ],
    }
    text = yaml.safe_dump(conference, allow_unicode=True, sort_keys=False)
    (folder / "conference.yaml").write_text(text, encoding="utf-8")
    with (folder / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "organisation"])
        writer.writerows([person, name, organisation] for person, (name, organisation) in PEOPLE.items())
    with (folder / "sessions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "kind", "duration", "themes", "chair", "speakers", "optional", "abstract"])
        for session, title, kind, themes, chair, speaker, optional, abstract in SESSIONS:
            if session != withdrawn:
                writer.writerow([session, title, kind, 60, themes, chair, speaker, optional, abstract])
    return folder


def planner(*args: str | Path, cwd: Path, hash_seed: str = "1") -> subprocess.CompletedProcess[str]:
    """The installed `planner` command in its own process, in `cwd` (so a name taken for a relative path would land
    there, where the tests look); the hash seed varies set order between runs."""
    environment = os.environ | {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [str(PLANNER), *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A draft into 'out' and a re-plan without the WITHDRAWN session into 'replan', from CSV folders under one
    root (also each run's working folder, so a name taken for a relative path would land where the tests look)."""
    root = tmp_path_factory.mktemp("hostile")
    planner("draft", write_conference(root / "conference"), "--out", root / "out", cwd=root)
    planner(
        "draft",
        write_conference(root / "withdrawn", withdrawn=WITHDRAWN),
        "--out",
        root / "replan",
        "--previous",
        root / "out" / "schedule.json",
        cwd=root,
    )
    return root


@pytest.fixture(params=["out", "replan"])
def out(runs: Path, request: pytest.FixtureRequest) -> Path:
    return runs / request.param


# What each format should show ---------------------------------------------------------------------------------------


def as_loaded(text: str) -> str:
    """What the planner holds: the loader strips text's ends (so a leading tab or CR never reaches an output)."""
    return text.strip()


def flat(text: str) -> str:
    """Text as HTML and Markdown show it: runs of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


def calendar_text(text: str) -> str:
    """Text as an iCalendar TEXT value reads back: every line break one '\\n'."""
    return re.sub(r"\r\n|\r", "\n", text)


def people_of(session: dict) -> list[str]:
    """A session's people as the schedule records them: the chair, then the speakers."""
    return [p for p in [session["chair"], *session["speakers"]] if p]


def schedule_of(out: Path) -> dict:
    return json.loads((out / "schedule.json").read_text(encoding="utf-8"))["schedule"]


def titles(schedule: dict) -> list[str]:
    return [a["session"]["title"] for a in schedule["assignments"]] + [
        u["session"]["title"] for u in schedule["unscheduled"]
    ]


def shown_texts(schedule: dict) -> list[str]:
    """Every piece of hostile text that every agenda shows, as the planner holds it."""
    used = {p for a in schedule["assignments"] for p in people_of(a["session"])}
    people = [as_loaded(PEOPLE[p][0]) for p in sorted(used)]
    rooms = [as_loaded(ROOMS[room]) for room in sorted({a["room"] for a in schedule["assignments"]})]
    return [*titles(schedule), *people, *rooms, *map(as_loaded, KINDS.values()), DAY_NAME, CONFERENCE_NAME, VENUE]


# Files and names ----------------------------------------------------------------------------------------------------

DEVICES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def test_the_schedule_holds_the_text_exactly_as_the_csv_gave_it(out: Path):
    schedule = schedule_of(out)
    expected = {
        session: as_loaded(title) for session, title, *_ in SESSIONS if out.name == "out" or session != WITHDRAWN
    }
    held = {a["session"]["id"]: a["session"]["title"] for a in schedule["assignments"]}
    held |= {u["session"]["id"]: u["session"]["title"] for u in schedule["unscheduled"]}
    assert {k: v for k, v in held.items() if k in expected} == expected
    assert {p["id"]: (p["name"], p.get("organisation") or "") for p in schedule["people"]} == {
        person: (as_loaded(name), as_loaded(organisation)) for person, (name, organisation) in PEOPLE.items()
    }
    conference = schedule["conference"]
    assert (conference["name"], conference["venue"]) == (CONFERENCE_NAME, VENUE)
    assert {r["id"]: r["name"] for r in conference["rooms"]} == ROOMS
    assert {t["id"]: t["label"] for t in conference["themes"]} == THEMES
    abstract = next(a["session"]["abstract"] for a in schedule["assignments"] if a["session"]["id"] == "k1")
    assert abstract == f"{LONG}\n{VEVENT}"


def test_every_file_is_inside_its_output_folder_under_a_safe_unique_name(runs: Path):
    inputs = {"conference.yaml", "people.csv", "sessions.csv"}
    for path in runs.rglob("*"):
        assert not path.is_symlink(), path
        if path.is_dir():
            continue
        top = path.relative_to(runs).parts[0]
        if top in ("conference", "withdrawn"):
            assert path.name in inputs and path.parent.name == top, path
        else:
            assert top in ("out", "replan", "again"), path
    for out in (runs / "out", runs / "replan"):
        names = [p.name for p in out.rglob("*") if p.is_file()]
        assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")], "temporary files left behind"
        for folder in ("people", "rooms"):
            files = [p.name for p in (out / "calendars" / folder).iterdir()]
            assert len({name.casefold() for name in files}) == len(files)
            for name in files:
                assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.ics", name), name
                assert name.split(".")[0] not in DEVICES, name
        schedule = schedule_of(out)
        sessions = [a["session"] for a in schedule["assignments"]]
        sessions += [u["session"] for u in schedule["unscheduled"] if u["was"]]
        people = {p for session in sessions for p in people_of(session)}
        assert len(list((out / "calendars" / "people").iterdir())) == len(people), "one calendar per person"


# agenda.xlsx --------------------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_the_workbook_holds_no_formula_and_every_text_as_written(out: Path):
    path = out / "agenda.xlsx"
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >/]", archive.read(name)), f"a formula element in {name}"
    book = openpyxl.load_workbook(path)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)]
    assert risky and all(cell.quotePrefix for cell in risky), "formula-like text must stay text when edited"
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    schedule = schedule_of(out)

    def rows(sheet: str) -> list[dict]:
        table = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(table[0], row, strict=True)) for row in table[1:]]

    placed = {a["session"]["id"]: a for a in schedule["assignments"]}
    sessions = rows("Sessions")
    assert {r["id"]: (r["title"], r["room"]) for r in sessions} == {
        session: (a["session"]["title"], ROOMS[a["room"]]) for session, a in placed.items()
    }
    left = rows("Not in the programme")
    assert {r["id"]: (r["title"], r["kind"]) for r in left} == {
        u["session"]["id"]: (u["session"]["title"], as_loaded(KINDS[u["session"]["kind"]]))
        for u in schedule["unscheduled"]
    }
    itineraries = {(r["person"], r["organisation"]) for r in rows("People")}
    assert {
        (PEOPLE[p][0], as_loaded(PEOPLE[p][1]) or None) for a in placed.values() for p in people_of(a["session"])
    } == itineraries
    assert set(THEMES.values()) <= {cell.value for cell in book["Themes"][1]}
    grid = book.worksheets[0]
    assert grid.title == "@SUM(A1) <i>day< i>"  # '/' is not allowed in a sheet name
    assert set(ROOMS.values()) <= texts
    cards = [str(cell.value) for row in grid.iter_rows() for cell in row if cell.value]
    plenary = {b["id"] for d in schedule["conference"]["days"] for b in d["blocks"] if b["type"] == "plenary"}
    pages = len(room_groups(len(ROOMS)))  # a plenary spans every room, so each printed group of rooms shows it
    for session, a in placed.items():
        shown = sum(card.startswith(a["session"]["title"] + "\n") for card in cards)
        assert shown == (pages if plenary & set(a["blocks"]) else 1), session


# agenda.html and history.html ---------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Every element with its attributes, the text a reader sees (outside scripts and styles), and script bodies."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._inside: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._inside = tag
            if tag == "script":
                self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside == "script":
            self.scripts[-1] += data
        elif self._inside is None:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return flat(" ".join(self.text))

    @property
    def handlers(self) -> list[str]:
        return [name for _, attrs in self.elements for name in attrs if name.startswith("on")]


def template_tags(name: str) -> set[str]:
    return set(re.findall(r"<([a-z][a-z0-9]*)", (TEMPLATES / name).read_text(encoding="utf-8")))


def test_the_html_agenda_runs_no_user_text_and_shows_all_of_it(out: Path):
    page = Page((out / "agenda.html").read_text(encoding="utf-8"))
    assert {tag for tag, _ in page.elements} <= template_tags("agenda.html.j2")
    scripts = [attrs for tag, attrs in page.elements if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "agenda-data"}, {}]
    assert page.handlers == []
    json.loads(page.scripts[0])  # the filter data still parses: no text closed its script
    for text in shown_texts(schedule_of(out)):
        assert flat(text) in page.visible, text


# agenda.md and changes.md -------------------------------------------------------------------------------------------

MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")


def markdown_rows(source: str) -> list[list[str]]:
    """What a Markdown renderer with raw HTML allowed makes of `source`: each block's text (a heading, a paragraph,
    a list item) as a row of one, each table row as its cells' texts. Fails on any raw HTML, link, image or code."""
    rows: list[list[str]] = []
    in_table_row = False
    for token in MARKDOWN.parse(source):
        assert token.type not in ("html_block", "code_block", "fence"), token
        if token.type in ("tr_open", "tr_close"):
            in_table_row = token.type == "tr_open"
            rows += [[]] if in_table_row else []
        elif token.type == "inline":
            kinds = {child.type for child in token.children or ()}
            assert not kinds & {"html_inline", "link_open", "image", "code_inline"}, (kinds, token.content)
            text = flat("".join(c.content for c in token.children or () if c.type == "text"))
            rows[-1].append(text) if in_table_row else rows.append([text])
    rendered = Page(MARKDOWN.render(source))
    assert rendered.handlers == [] and not {"script", "img", "b", "i"} & {tag for tag, _ in rendered.elements}
    return rows


def test_the_markdown_agenda_renders_no_html_and_shows_all_of_it(out: Path):
    rows = markdown_rows((out / "agenda.md").read_text(encoding="utf-8"))
    shown = " ".join(text for row in rows for text in row)
    for text in shown_texts(schedule_of(out)):
        assert flat(text) in shown, text
    placed = Counter(flat(a["session"]["title"]) for a in schedule_of(out)["assignments"])
    sessions = Counter(row[3] for row in rows if len(row) == 7 and row[2] != "Break" and row[3] in placed)
    assert sessions == placed, "each placed session in one table row"


def test_a_markdown_table_shows_plain_text_cells_as_written():
    """The tables of changes.md, history.md and `planner check --format md` hold plain text."""
    texts = [
        SCRIPT,
        IMG,
        "[x](javascript:alert(1)) ![i](x.png) `code` *em* _em_ ~~s~~ a|b &amp; C:\\x\\",
        "snake_case_name stays",
        "<http://x>",
    ]
    rows = markdown_rows(markdown_table(["text", "again"], [[text, text] for text in texts]))
    assert rows[1:] == [[flat(text)] * 2 for text in texts]
    assert "snake_case_name" in markdown_table(["a"], [["snake_case_name"]])


def test_the_replans_changes_render_no_html(runs: Path):
    rows = markdown_rows((runs / "replan" / "changes.md").read_text(encoding="utf-8"))
    assert [WITHDRAWN, SCRIPT] in [row[:2] for row in rows]


# Calendars ----------------------------------------------------------------------------------------------------------

PROPERTIES = {
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "CALSCALE",
    "METHOD",
    "NAME",
    "X-WR-CALNAME",
    "REFRESH-INTERVAL",
    "X-PUBLISHED-TTL",
    "TZID",
    "COMMENT",
    "DTSTART",
    "TZNAME",
    "TZOFFSETFROM",
    "TZOFFSETTO",
    "RDATE",
    "DTEND",
    "DTSTAMP",
    "UID",
    "SEQUENCE",
    "STATUS",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "CATEGORIES",
}


def content_lines(data: bytes) -> list[bytes]:
    """The file's lines, checked: CRLF only, none longer than 75 octets, no bare CR or LF."""
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    return lines


def test_every_calendar_has_one_event_per_session_and_nothing_injected(out: Path):
    schedule = schedule_of(out)
    entries = [a for a in schedule["assignments"]] + [u["was"] for u in schedule["unscheduled"] if u["was"]]
    titles_by_uid = {f"{e['session']['id']}@host30.planner": calendar_text(e["session"]["title"]) for e in entries}
    prefix = calendar_text(CONFERENCE_NAME) + ": "
    calendars = sorted(out.rglob("*.ics"))
    assert len(calendars) == 1 + len(list((out / "calendars").rglob("*.ics")))
    for path in calendars:
        data = path.read_bytes()
        lines = content_lines(data)
        names = {line.split(b":")[0].split(b";")[0].decode() for line in lines if not line.startswith(b" ")}
        assert names <= PROPERTIES, (path.name, names - PROPERTIES)
        ours = icalendar.Calendar.from_ical(data).walk("VEVENT")
        (theirs,) = vobject.readComponents(data.decode("utf-8"))
        their_events = [c for c in theirs.getChildren() if c.name == "VEVENT"]
        assert [str(e["UID"]) for e in ours] == [e.uid.value for e in their_events]
        for event, other in zip(ours, their_events, strict=True):
            assert str(event["SUMMARY"]) == other.summary.value
            assert other.summary.value.removeprefix("Cancelled: ") == titles_by_uid[other.uid.value]
            assert other.location.value == calendar_text(f"{ROOMS[room_of(entries, other.uid.value)]}, {VENUE}")
            assert "attendee" not in other.contents
        owner = theirs.x_wr_calname.value
        if path.parent.name == "people":
            person = next(p for p, (name, _) in PEOPLE.items() if prefix + calendar_text(as_loaded(name)) == owner)
            expected = [e for e in entries if person in (*people_of(e["session"]), *e["removed_people"])]
        elif path.parent.name == "rooms":
            room = next(r for r, name in ROOMS.items() if prefix + name == owner)
            expected = [e for e in entries if e["room"] == room]
        elif path.parent.name == "themes":
            theme = next(t for t, label in THEMES.items() if prefix + calendar_text(as_loaded(label)) == owner)
            expected = [e for e in entries if theme in e["session"]["themes"]]
        else:
            assert owner == calendar_text(CONFERENCE_NAME)
            expected = entries
        assert sorted(e.uid.value for e in their_events) == sorted(
            f"{e['session']['id']}@host30.planner" for e in expected
        ), path.name
    programme = icalendar.Calendar.from_ical((out / "programme.ics").read_bytes())
    keynote = next(e for e in programme.walk("VEVENT") if str(e["UID"]).startswith("k1@"))
    assert str(keynote["DESCRIPTION"]).endswith(f"\n\n{LONG}\n{VEVENT}")
    assert [str(c) for c in keynote["CATEGORIES"].cats] == [
        calendar_text(as_loaded(KINDS["keynote"])),
        THEMES["t1"],
        calendar_text(THEMES["t2"]),
    ]


def room_of(entries: list[dict], uid: str) -> str:
    return next(e["room"] for e in entries if f"{e['session']['id']}@host30.planner" == uid)


# schedule.frab.json -------------------------------------------------------------------------------------------------


def test_the_frab_schedule_keeps_every_text_exactly(out: Path):
    document = json.loads((out / "schedule.frab.json").read_text(encoding="utf-8"))["schedule"]["conference"]
    assert document["title"] == CONFERENCE_NAME
    events = [e for day in document["days"] for room in day["rooms"].values() for e in room]
    placed = {a["session"]["id"]: a for a in schedule_of(out)["assignments"]}
    assert sorted(e["title"] for e in events) == sorted(a["session"]["title"] for a in placed.values())
    for event in events:
        session = next(a for a in placed.values() if a["session"]["title"] == event["title"])
        assert event["room"] == ROOMS[session["room"]]
        assert event["type"] == as_loaded(KINDS[session["session"]["kind"]])
        assert event["track"] == THEMES[session["session"]["themes"][0]]
        assert [p["name"] for p in event["persons"]] == [as_loaded(PEOPLE[p][0]) for p in people_of(session["session"])]
    assert {room["name"] for room in document["rooms"]} == set(ROOMS.values())


# Runs in separate processes give the same bytes ---------------------------------------------------------------------


def test_a_second_draft_in_another_process_writes_the_same_bytes(runs: Path):
    """Another process has another hash seed: nothing may depend on set or dict order of hashed strings."""
    planner("draft", runs / "conference", "--out", runs / "again", cwd=runs, hash_seed="2")
    first = {p.relative_to(runs / "out"): p.read_bytes() for p in (runs / "out").rglob("*") if p.is_file()}
    second = {p.relative_to(runs / "again"): p.read_bytes() for p in (runs / "again").rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# planner history on a hostile history folder ------------------------------------------------------------------------

NOTE = "$x^2$ and $y$ | pipe"


def write_history(folder: Path) -> Path:
    """Two editions whose titles, names, organisations, sources and notes are hostile; the same people in both, so
    they are listed as recurring."""
    folder.mkdir()
    for year in (2028, 2029):
        keynote = {
            "id": f"hx{year}-1",
            "kind": "keynote",
            "title": FORMULA,
            "themes": ["health"],
            "uncertain": SCRIPT,
            "people": [
                {"name": SCRIPT, "organisation": IMG, "role": "keynote"},
                {"name": f"Dr {FORMULA}", "organisation": ATTENDEE, "role": "chair"},
            ],
        }
        dives = [
            {
                "id": f"hx{year}-2a",
                "kind": "deep_dive",
                "title": IMG,
                "themes": ["health", "education"],
                "uncertain": NOTE,
                "people": [{"name": "-2+3", "role": "speaker"}],
            },
            {
                "id": f"hx{year}-2b",
                "kind": "deep_dive",
                "title": ATTENDEE,
                "themes": ["education"],
                "uncertain": VEVENT,
                "people": [{"name": NOTE, "role": "speaker"}],
            },
        ]
        edition = {
            "edition": f"HX{year % 100}",
            "year": year,
            "name": f"{SCRIPT} {year}",
            "venue": IMG,
            "days": [
                {
                    "day": 1,
                    "date": f"{year}-03-01",
                    "source": IMG,
                    "slots": [
                        {"order": 1, "concurrency": "stated", "note": ATTENDEE, "sessions": [keynote]},
                        {"order": 2, "concurrency": "unclear", "sessions": dives},
                    ],
                }
            ],
        }
        text = yaml.safe_dump(edition, allow_unicode=True)
        (folder / f"hx{year}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_the_history_report_of_a_hostile_history_runs_nothing_and_shows_it(tmp_path: Path):
    out = tmp_path / "report"
    planner("history", "--history", write_history(tmp_path / "history"), "--out", out, cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "history.html",
        "history.md",
        "hx2028.yaml",
        "hx2029.yaml",
    ]
    shown = [FORMULA, SCRIPT, IMG, ATTENDEE, NOTE, "-2+3"]
    page = Page((out / "history.html").read_text(encoding="utf-8"))
    assert not [tag for tag, _ in page.elements if tag in ("script", "img", "iframe", "object", "embed")]
    assert page.handlers == []
    for text in shown:
        assert flat(text) in page.visible, text
    rows = markdown_rows((out / "history.md").read_text(encoding="utf-8"))
    for text in shown:
        assert flat(text) in " ".join(text for row in rows for text in row), text
