"""agenda.html stays readable for a large programme, in Chromium: at 4 rooms (the example) and at 20 (the XL benchmark,
1,000 talks) every grid card keeps a readable width and breaks no word, the time column stays at the left edge when
the page scrolls sideways and the room header row below the bar when it scrolls down; the view by room and the list
are one click away and kept in the address; the phone gets the list. Screenshots of each are saved (in
PLANNER_SCREENSHOTS when set, else in the test's temporary folder) for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.domain import Schedule
from planner.export.agenda_html import agenda_html
from planner.export.atomic import write_atomic
from tests.export.agenda_sample import soc2025
from tests.export.test_agenda_html import Visit, chromium

pytestmark = pytest.mark.e2e

MIN_CARD_PX = 12 * 16
"""The narrowest a grid card may be: 12rem (a room column is 13rem, less the cell's padding)."""
WORDS_BROKEN = """
(root) => {
  const broken = [];
  const elements = root.querySelectorAll(
    "article[data-i]:not([hidden]) :is(h3, .meta, .people, .themes li, .foot), table.grid thead th");
  for (const element of elements) {
    if (!element.checkVisibility()) { continue; }
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s\\-\u2010-\u2015]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) { broken.push(word[0]); }
      }
    }
    if (element.scrollWidth > element.clientWidth + 1) { broken.push("overflow: " + element.textContent.trim()); }
  }
  return broken;
}
"""
GRID_CARD_WIDTHS = """
() => Array.from(document.querySelectorAll("table.grid td.sessions > article[data-i]"))
  .map(card => card.getBoundingClientRect().width)
"""
PLACES = """
() => Array.from(document.querySelectorAll("article[data-i]"))
  .map(card => [card.getAttribute("data-i"), card.parentNode.closest("td, .room-list, .cards, section").className,
                card.parentNode.closest("tr") ? card.parentNode.closest("tr").rowIndex : -1,
                card.parentNode.cellIndex === undefined ? -1 : card.parentNode.cellIndex])
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def xl(tmp_path_factory: pytest.TempPathFactory) -> Schedule:
    """The XL benchmark instance (1,000 talks in 20 rooms over 5 days) drafted by the solver (a few seconds: the
    greedy programme is proven optimal)."""
    from benchmarks.generate import SIZES, generate
    from planner.io.folder import load_folder
    from planner.solve.run import Settings, draft

    folder = generate(SIZES["XL"], 5, tmp_path_factory.mktemp("bench") / "XL")
    return draft(load_folder(folder), settings=Settings(workers=1, time_limit=120)).schedule


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("PLANNER_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(visit: Visit, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    visit.page.screenshot(path=path)
    assert path.read_bytes().startswith(b"\x89PNG")
    return path


def rooms_of(schedule: Schedule) -> int:
    return len({a.room for a in schedule.assignments})


@pytest.mark.parametrize("which", ["soc", "xl"])
def test_in_chromium_the_grid_stays_readable_and_its_headers_stay_in_view(
    which, browser, xl, screenshots: Path, tmp_path: Path
):
    schedule = soc2025() if which == "soc" else xl
    rooms = rooms_of(schedule)
    assert rooms == (4 if which == "soc" else 20)
    path = write_atomic(tmp_path / "agenda.html", agenda_html(schedule))
    visit = Visit(browser, path, width=1280, height=900)
    page = visit.page
    name = f"agenda-{rooms}-rooms"

    widths = page.evaluate(GRID_CARD_WIDTHS)
    assert len(widths) == len(schedule.assignments) and min(widths) >= MIN_CARD_PX
    assert page.evaluate(WORDS_BROKEN, page.query_selector("main")) == []
    shoot(visit, screenshots, f"{name}-grid")

    viewport = page.evaluate("document.documentElement.clientWidth")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert (wide > 2 * viewport) if rooms == 20 else (wide == viewport)  # only a wide day widens the page
    bar = page.evaluate("document.getElementById('bar').getBoundingClientRect().bottom")
    assert 40 < bar < 160
    table = page.query_selector("table.grid")
    top = page.evaluate("t => t.getBoundingClientRect().top + window.scrollY", table)
    page.evaluate("([x, y]) => window.scrollTo(x, y)", [wide, top + 700])  # sideways to the end, and down
    page.wait_for_timeout(100)
    assert page.evaluate("window.scrollX") == wide - viewport
    header = page.evaluate("t => t.querySelector('thead th:nth-child(2)').getBoundingClientRect().top", table)
    assert abs(header - bar) <= 1  # the room names stay just below the bar
    times = page.evaluate(
        """t => Array.from(t.querySelectorAll('tbody th[scope=row]')).map(th => th.getBoundingClientRect())
             .filter(r => r.bottom > 0 && r.top < innerHeight).map(r => r.left)""",
        table,
    )
    corner = page.evaluate("t => t.querySelector('thead th').getBoundingClientRect().left", table)
    if rooms == 20:
        assert times and all(abs(x) <= 1 for x in times) and abs(corner) <= 1  # the time column at the left edge
    shoot(visit, screenshots, f"{name}-scrolled")
    assert visit.errors == [] and visit.dialogs == [] and set(visit.requests) == {visit.url}
    visit.close()


@pytest.mark.parametrize("which", ["soc", "xl"])
def test_in_chromium_the_view_by_room_and_the_list_are_one_click_away_and_kept_in_the_address(
    which, browser, xl, screenshots: Path, tmp_path: Path
):
    schedule = soc2025() if which == "soc" else xl
    rooms = rooms_of(schedule)
    names = {room.id: room.name for room in schedule.conference.rooms}
    path = write_atomic(tmp_path / "agenda.html", agenda_html(schedule))
    visit = Visit(browser, path, width=1280, height=900)
    page = visit.page
    every = visit.visible_titles()
    assert len(every) == len(schedule.assignments)
    grid = page.evaluate(PLACES)

    page.click("button[data-view=room]")
    assert "view=room" in page.url and page.get_attribute("button[data-view=room]", "aria-pressed") == "true"
    assert page.eval_on_selector("table.grid", "t => t.checkVisibility()") is False
    assert page.eval_on_selector_all("table.grid article[data-i]", "cards => cards.length") == 0
    assert visit.visible_titles() == every
    listed = page.eval_on_selector_all(
        ".room-list:not([hidden])",
        """lists => lists.map(list => [list.closest('section.day').id, list.querySelector('h3').firstChild.textContent,
              Array.from(list.querySelectorAll('article h3')).map(h => h.textContent),
              Array.from(list.querySelectorAll('article time')).map(t => t.getAttribute('datetime'))])""",
    )
    by_room: dict[tuple[str, str], list[str]] = {}
    for a in schedule.assignments:
        by_room.setdefault((f"day-{a.day}", names[a.room].strip()), []).append(a.session.title)
    assert {(day, room.strip()): sorted(titles) for day, room, titles, _ in listed} == {
        key: sorted(titles) for key, titles in by_room.items()
    }
    assert all(starts == sorted(starts) for *_, starts in listed)  # each room's sessions in time order
    assert page.evaluate(WORDS_BROKEN, page.query_selector("main")) == []
    shoot(visit, screenshots, f"agenda-{rooms}-rooms-by-room")

    room = schedule.assignments[0].room
    visit.choose("room", room)  # a filter in the view by room: only that room's list is left
    assert page.eval_on_selector_all(".room-list:not([hidden])", "l => l.map(x => x.dataset.room)") == [room] * len(
        {a.day for a in schedule.assignments if a.room == room}
    )
    visit.choose("room", "")

    page.reload()  # the view survives in the address
    assert page.get_attribute("button[data-view=room]", "aria-pressed") == "true"
    assert page.eval_on_selector_all("table.grid article[data-i]", "cards => cards.length") == 0

    page.click("button[data-view=list]")
    assert "view=list" in page.url and "view=room" not in page.url
    assert page.eval_on_selector("table.grid thead", "t => getComputedStyle(t).display") == "none"
    assert visit.visible_titles() == every
    assert page.evaluate(WORDS_BROKEN, page.query_selector("main")) == []
    shoot(visit, screenshots, f"agenda-{rooms}-rooms-list")

    page.click("button[data-view=grid]")
    assert "view=" not in page.url
    assert page.evaluate(PLACES) == grid  # every card back in its own cell
    assert visit.errors == [] and visit.dialogs == [] and set(visit.requests) == {visit.url}
    visit.close()


@pytest.mark.parametrize("which", ["soc", "xl"])
def test_in_chromium_a_phone_gets_the_list_without_sideways_scrolling(
    which, browser, xl, screenshots: Path, tmp_path: Path
):
    schedule = soc2025() if which == "soc" else xl
    path = write_atomic(tmp_path / "agenda.html", agenda_html(schedule))
    phone = Visit(browser, path, width=390, height=844)
    page = phone.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.eval_on_selector("#bar", "b => getComputedStyle(b).position") == "static"
    assert page.get_attribute("button[data-view=list]", "aria-pressed") == "true"  # the grid is the list here
    assert page.eval_on_selector("button[data-view=grid]", "b => b.checkVisibility()") is False
    assert page.evaluate(WORDS_BROKEN, page.query_selector("main")) == []
    shoot(phone, screenshots, f"agenda-{rooms_of(schedule)}-rooms-phone")
    page.click("button[data-view=room]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.errors == [] and set(phone.requests) == {phone.url}
    phone.close()
