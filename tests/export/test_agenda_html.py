"""agenda.html: self-contained, escaped, deterministic, one cell per session, each card with its id, abstract and
room capacity; and, where Chromium is installed, the filters, the phone layout and the print styles in a real browser.

The attendee's own calendar and the subscribe links are tested in test_agenda_html_calendar.py, the layout of a large
programme (20 rooms) and the views in test_agenda_html_layout.py; both use `chromium()` and `Visit` from here."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planner.domain import BlockType, Schedule
from planner.export.agenda_html import agenda_html
from planner.export.atomic import write_atomic
from planner.formats.pages import script_json
from tests.export.agenda_sample import HOSTILE_NAME, HOSTILE_TITLE, check_golden, hostile, soc2025, tiny

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
URL_ATTRIBUTES = {
    "src",
    "href",
    "xlink:href",
    "action",
    "formaction",
    "poster",
    "srcset",
    "data",
    "background",
    "manifest",
    "ping",
}
DATA_BLOCK = re.compile(r'<script type="application/json" id="agenda-data">(.*?)</script>', re.DOTALL)
NETWORK_APIS = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts|\bimport\s*\(|new\s+(?:Image|Worker)\b"
    r"|\.src\s*=|\.action\s*=|location\.(?:href|assign|replace)|window\.open"
)
"""What a script could reach the network with; the page's own script uses none of them."""


@pytest.fixture(scope="module")
def soc() -> Schedule:
    return soc2025()


def fetches(page: str) -> list[str]:
    """Everything loading the page could fetch: URL attributes other than in-page '#…' or data:, external scripts,
    stylesheets and frames, CSS url() other than url(#…)/url(data:…) and @import in a style element or attribute, and
    a script that could reach the network."""
    found: list[str] = []
    styles: list[str] = []
    scripts: list[str] = []

    class Fetches(HTMLParser):
        inside: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if name in URL_ATTRIBUTES and not (value or "").startswith(("#", "data:")):
                    found.append(f"{tag} {name}={value}")
                if name == "style":
                    styles.append(value or "")
            if tag in ("link", "iframe", "frame", "object", "embed", "base", "img", "audio", "video", "source"):
                found.append(tag)
            if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
                found.append("meta refresh")
            self.inside = tag if tag in ("style", "script") else None

        def handle_endtag(self, tag: str) -> None:
            self.inside = None

        def handle_data(self, data: str) -> None:
            if self.inside == "style":
                styles.append(data)
            elif self.inside == "script":
                scripts.append(data)

    Fetches().feed(page)
    for css in styles:
        found += re.findall(r"url\((?!\s*['\"]?(?:#|data:))|@import", css, flags=re.IGNORECASE)
    for script in scripts:
        found += NETWORK_APIS.findall(script)
    return found


class Grid(HTMLParser):
    """Per day section: its room columns and its cells (spans and the titles of the session cards inside)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.days: dict[str, dict] = {}
        self.titles: list[str] = []
        self._day: dict | None = None
        self._cell: dict | None = None
        self._in: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and "day" in (a.get("class") or "").split():
            self._day = self.days[a["id"]] = {"columns": 0, "rows": 0, "cells": [], "cards": []}
        elif self._day is not None and tag == "th" and a.get("scope") == "col":
            self._day["columns"] += 1
        elif self._day is not None and tag == "th" and a.get("scope") == "row":
            self._day["rows"] += 1
        elif self._day is not None and tag == "td":
            self._cell = {
                "colspan": int(a.get("colspan") or 1),
                "rowspan": int(a.get("rowspan") or 1),
                "class": a.get("class", ""),
                "titles": [],
                "text": "",
            }
            self._day["cells"].append(self._cell)
        elif tag == "article":
            self._in.append("article")
        elif tag == "h3" and self._day is not None and self._in == ["article"]:
            self._in.append("h3")
            self.titles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._day = None
        elif tag == "td":
            self._cell = None
        elif tag == "article" and self._in:
            self._in.pop()
        elif tag == "h3" and self._in[-1:] == ["h3"]:
            self._in.pop()
            if self._cell is not None:
                self._cell["titles"].append(self.titles[-1])
            if self._day is not None:
                self._day["cards"].append(self.titles[-1])

    def handle_data(self, data: str) -> None:
        if self._in[-1:] == ["h3"]:
            self.titles[-1] += data
        if self._cell is not None:
            self._cell["text"] += data


def test_the_page_makes_no_network_requests(soc):
    for schedule in (soc, tiny(), hostile(tiny())):
        page = agenda_html(schedule)
        assert fetches(page) == []
        assert page.count("<script") == 2 and '<script type="application/json" id="agenda-data">' in page


def test_the_fetch_check_sees_what_would_be_fetched():
    page = (
        '<link rel="stylesheet" href="s.css"><img src="https://x.org/a.png"><a href="#ok">x</a>'
        '<style>@import "x.css"; b { background: url(https://x.org/b.png) } i { mask: url(#m) }</style>'
        '<p style="background:URL(x.png)">URL(not css)</p><script>URL.createObjectURL(b); fetch("x")</script>'
    )
    assert fetches(page) == [
        "link href=s.css",
        "link",
        "img src=https://x.org/a.png",
        "img",
        "@import",
        "url(",
        "URL(",
        "fetch(",
    ]


def test_hostile_text_is_escaped_everywhere():
    schedule = hostile(tiny())
    page = agenda_html(schedule)
    assert "<script>alert" not in page and "</script></script>" not in page
    assert page.count("</script>") == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/script&gt; open" in page
    assert "&#34;&#39;&amp;&lt;&gt; ana" in page
    abstract = '<details class="abstract"><summary>Abstract</summary><p>&lt;script&gt;alert(1)&lt;/script&gt;'
    assert page.count(abstract) == len(schedule.assignments)
    grid = Grid(page)
    assert sorted(grid.titles) == sorted(a.session.title for a in schedule.assignments)
    assert f"{HOSTILE_TITLE} open" in grid.titles
    data = DATA_BLOCK.search(page).group(1)
    assert "<" not in data and ">" not in data and "&" not in data
    sessions = json.loads(data)["sessions"]
    assert any(HOSTILE_TITLE.casefold() in s["text"] and HOSTILE_NAME.casefold() in s["text"] for s in sessions)
    assert {s["event"]["summary"] for s in sessions} == {a.session.title for a in schedule.assignments}


def test_script_json_cannot_close_its_script_or_split_a_line():
    value = {"t": "</script><!-- \u2028\u2029 & >"}
    text = script_json(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


def test_same_schedule_gives_the_same_bytes_whatever_the_assignment_order(soc, tmp_path: Path):
    shuffled = soc.model_copy(update={"assignments": tuple(reversed(soc.assignments))})
    first = write_atomic(tmp_path / "a.html", agenda_html(soc)).read_bytes()
    assert first == write_atomic(tmp_path / "b.html", agenda_html(soc)).read_bytes()
    assert first == agenda_html(shuffled).encode("utf-8")


def test_tiny_schedule_matches_its_golden_file():
    """The page's content and filter data; the inline style and script are left out so styling can change."""
    page = agenda_html(tiny())
    main = page[page.index("<main>") : page.index("</main>") + len("</main>")]
    check_golden("agenda.main.html", f"{main}\n{DATA_BLOCK.search(page).group(0)}\n")


@pytest.mark.parametrize("which", ["soc", "tiny"])
def test_each_session_appears_once_in_its_day_grid_and_plenaries_span_every_room(which, soc):
    schedule = soc if which == "soc" else tiny()
    grid = Grid(agenda_html(schedule))
    for day in schedule.conference.days:
        section = grid.days[f"day-{day.id}"]
        expected = [a.session.title for a in schedule.assignments if a.day == day.id]
        assert Counter(section["cards"]) == Counter(expected)
        assert section["rows"] == len(day.blocks)
        rooms = section["columns"] - 1  # the first column is the time
        kinds = {block.id: block.type for block in day.blocks}
        for assignment in (a for a in schedule.assignments if a.day == day.id):
            (cell,) = [c for c in section["cells"] if assignment.session.title in c["titles"]]
            plenary = any(kinds[b] is BlockType.PLENARY for b in assignment.blocks)
            assert cell["colspan"] == (rooms if plenary else 1), assignment.session.id
            assert cell["rowspan"] == len(assignment.blocks), assignment.session.id
        for block in day.blocks:
            if block.type is BlockType.BREAK:
                assert any(c["colspan"] == rooms and (block.name or "Break") in c["text"] for c in section["cells"])


def test_clashes_and_sessions_without_blocks_are_still_shown_once():
    """A hand-edited schedule: two sessions in one room-slot, one placed by time only, one on no conference day."""
    schedule = tiny()
    data, nhs, *rest = schedule.assignments[1:]
    clash = nhs.model_copy(update={"room": "hall"})
    by_time = rest[0].model_copy(update={"day": None, "blocks": ()})
    elsewhere = schedule.assignments[0].model_copy(
        update={"day": None, "blocks": (), "start": data.start + timedelta(days=9), "end": data.end + timedelta(days=9)}
    )
    edited = schedule.model_copy(update={"assignments": (schedule.assignments[0], data, clash, by_time, elsewhere)})
    grid = Grid(agenda_html(edited))
    assert Counter(grid.titles) == Counter(a.session.title for a in edited.assignments)
    (shared,) = [c for c in grid.days["day-d1"]["cells"] if len(c["titles"]) == 2]
    assert sorted(shared["titles"]) == ["Data for decisions", "NHS partnerships"]
    assert "Late-breaking results" in grid.days["day-d1"]["cards"]
    assert grid.days["day-elsewhere"]["cards"] == ["Opening keynote"]


def test_unscheduled_sessions_are_listed_with_reasons_and_cancellations_marked():
    page = agenda_html(tiny())
    listed = page[page.index('<section class="unscheduled"') :]
    assert listed.index("Withdrawn panel") < listed.index("Measuring what matters")
    assert listed.count("Cancelled</span>") == 1 and "Was: Day 1, 12:30–13:30, Side Room" in listed
    assert "No room-slot left for an optional talk." in listed


def test_each_card_shows_its_id_its_abstract_folded_and_its_rooms_capacity(soc):
    page = agenda_html(soc)
    seats = {room.id: room.capacity for room in soc.conference.rooms}
    names = {room.id: room.name for room in soc.conference.rooms}
    cards = re.findall(r"<article class=\"card\".*?</article>", page, flags=re.DOTALL)
    assert len(cards) == len(soc.assignments)
    for assignment in soc.assignments:
        session = assignment.session
        (card,) = [c for c in cards if f'<h3 id="s-{session.id}">' in c]
        assert f'<span class="sid" title="Session id">{session.id}</span>' in card
        assert f'<input type="checkbox" value="{session.id}"' in card
        room = f'{names[assignment.room]}<span class="seats"> · {seats[assignment.room]} seats</span>'
        assert room in card
        if session.abstract:
            (folded,) = re.findall(
                r"<details class=\"abstract\"><summary>Abstract</summary><p>(.*?)</p></details>", card
            )
            assert unescape(folded) == session.abstract
        else:
            assert "<details" not in card
    assert sum(bool(a.session.abstract) for a in soc.assignments) >= len(soc.assignments) // 2
    for room in soc.conference.rooms:  # each day's header row names the room and its seats
        header = f'<th scope="col">{room.name} <span class="seats">{room.capacity} seats</span></th>'
        assert page.count(header) == len(soc.conference.days)


# ---------------------------------------------------------------------------------------------------------- browser


def chromium_path() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@contextmanager
def chromium() -> Iterator:
    """Debian's Chromium driven by Playwright; skipped where either is missing, except under `make e2e`
    (PLANNER_E2E=1), where a missing browser is a failure."""
    missing = pytest.fail if os.environ.get("PLANNER_E2E") == "1" else pytest.skip
    executable = chromium_path()
    if executable is None:
        missing("no Chromium binary (install Debian's 'chromium' package, or run `make e2e`)")
    try:
        from playwright import sync_api
    except ImportError:
        missing("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


class Visit:
    """A page opened from a file, with every request, dialog and script error it caused."""

    def __init__(self, browser, path: Path, width: int = 1280, height: int = 900) -> None:
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.route("**/*", lambda route: route.continue_() if route.request.url == self.url else route.abort())
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(self.url)

    def visible_titles(self) -> list[str]:
        return sorted(
            self.page.eval_on_selector_all(
                "[data-i]",
                "cards => cards.filter(c => c.checkVisibility()).map(c => c.querySelector('h3').textContent)",
            )
        )

    def choose(self, name: str, value: str) -> list[str]:
        self.page.select_option(f"#filter-{name}", value)
        return self.visible_titles()

    def close(self) -> None:
        self.context.close()


def titles(schedule: Schedule, keep) -> list[str]:
    return sorted(a.session.title for a in schedule.assignments if keep(a))


@pytest.mark.e2e
def test_in_chromium_filters_narrow_the_grid_and_the_phone_gets_a_list(browser, soc, tmp_path: Path):
    path = write_atomic(tmp_path / "agenda.html", agenda_html(soc))
    every = titles(soc, lambda a: True)
    themes = Counter(t for a in soc.assignments for t in a.session.themes)
    theme = min((t for t, n in themes.items() if 2 <= n < len(every)), key=lambda t: (themes[t], t))
    people = Counter(p for a in soc.assignments for p in a.session.people)
    person = max(people, key=lambda p: (people[p], p))

    visit = Visit(browser, path)
    assert visit.visible_titles() == every
    assert visit.choose("theme", theme) == titles(soc, lambda a: theme in a.session.themes)
    assert f"theme={theme}" in visit.page.url
    assert visit.page.text_content("#filter-status") == f"Showing {themes[theme]} of {len(every)} sessions."
    visit.page.screenshot(path=tmp_path / "agenda-theme.png", full_page=True)
    visit.page.click("button[type=reset]")
    visit.page.wait_for_function("document.querySelectorAll('[data-i][hidden]').length === 0")
    assert visit.choose("person", person) == titles(soc, lambda a: person in a.session.people)
    visit.choose("person", "")
    assert visit.choose("room", "sem1") == titles(soc, lambda a: a.room == "sem1")
    in_sem1 = titles(soc, lambda a: a.room == "sem1" and a.session.kind == "deep_dive")
    assert visit.choose("kind", "deep_dive") == in_sem1
    visit.page.fill("#filter-q", "")
    visit.page.screenshot(path=tmp_path / "agenda-wide.png", full_page=True)

    visit.page.goto(f"{visit.url}#person={person}")  # the filter state survives in the address
    visit.page.reload()
    assert visit.visible_titles() == titles(soc, lambda a: person in a.session.people)

    visit.page.emulate_media(media="print")
    assert visit.page.eval_on_selector("#bar", "f => getComputedStyle(f).display") == "none"
    breaks = visit.page.eval_on_selector_all("section.day", "s => s.map(d => getComputedStyle(d).breakBefore)")
    assert breaks == ["auto"] + ["page"] * (len(soc.conference.days) - 1)  # each day after the first on a new page
    assert visit.requests and set(visit.requests) == {visit.url}
    assert visit.errors == [] and visit.dialogs == []
    visit.close()

    phone = Visit(browser, path, width=390, height=844)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.page.eval_on_selector("table.grid thead", "t => getComputedStyle(t).display") == "none"
    assert phone.page.eval_on_selector("table.grid td.sessions", "t => getComputedStyle(t).display") == "flex"
    assert phone.visible_titles() == every
    phone.page.screenshot(path=tmp_path / "agenda-phone.png", full_page=True)
    assert phone.choose("theme", theme) == titles(soc, lambda a: theme in a.session.themes)
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    assert set(phone.requests) == {phone.url} and phone.errors == []
    phone.close()
    for name in ("agenda-theme.png", "agenda-wide.png", "agenda-phone.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")


@pytest.mark.e2e
def test_in_chromium_hostile_text_shows_as_text_and_runs_nothing(browser, tmp_path: Path):
    schedule = hostile(tiny())
    path = write_atomic(tmp_path / "hostile.html", agenda_html(schedule))
    visit = Visit(browser, path)
    assert visit.visible_titles() == titles(schedule, lambda a: True)
    assert visit.page.text_content("h1") == f"{HOSTILE_TITLE} conference"
    assert visit.page.evaluate("document.querySelectorAll('script').length") == 2
    assert visit.choose("person", "ana") == titles(schedule, lambda a: "ana" in a.session.people)
    options = visit.page.eval_on_selector_all("#filter-person option", "o => o.map(x => x.textContent)")
    assert f"{HOSTILE_NAME} ana" in options
    visit.choose("person", "")
    visit.page.fill("#filter-q", "<script>")
    assert visit.visible_titles() == titles(schedule, lambda a: True)
    visit.page.screenshot(path=tmp_path / "hostile.png", full_page=True)
    assert visit.dialogs == [] and visit.errors == [] and set(visit.requests) == {visit.url}
    visit.close()
