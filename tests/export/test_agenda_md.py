"""agenda.md: a golden file, escaping that survives a real Markdown renderer, every session listed once."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from planner.clock import long_date
from planner.export.agenda_md import agenda_markdown, inline
from tests.export.agenda_sample import HOSTILE_NAME, HOSTILE_TITLE, check_golden, hostile, soc2025, tiny

NASTY = "# `code` *em* _em_ [link](https://example.org) <b>bold</b> a|b &amp; \\ ~~x~~\nsecond line"


@pytest.fixture(scope="module")
def soc():
    return soc2025()


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


class Rendered(HTMLParser):
    """The rendered document's tags and each table row's cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.items: list[str] = []
        self._cell: list[str] | None = None
        self._item: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "li":
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "li" and self._item is not None:
            self.items.append("".join(self._item))
            self._item = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._item):
            if part is not None:
                part.append(data)


def test_tiny_schedule_matches_its_golden_file():
    check_golden("agenda.md", agenda_markdown(tiny()))


def test_same_schedule_gives_the_same_bytes_whatever_the_assignment_order(soc):
    shuffled = soc.model_copy(update={"assignments": tuple(reversed(soc.assignments))})
    assert agenda_markdown(soc) == agenda_markdown(soc) == agenda_markdown(shuffled)


def test_every_session_is_listed_once_under_its_day(soc):
    markdown = agenda_markdown(soc)
    sections = {part.split("\n", 1)[0]: part for part in re.split(r"^## ", markdown, flags=re.MULTILINE)[1:]}
    for assignment in soc.assignments:
        day = next(day for day in soc.conference.days if day.id == assignment.day)
        title = f"| {inline(assignment.session.title, pipes=False)} "
        assert title in sections[f"{day.name}: {long_date(day.date)}"], assignment.session.id
        assert markdown.count(title) == 1, assignment.session.id


def test_plenaries_are_marked_and_breaks_listed():
    rows = Rendered(render(agenda_markdown(tiny()))).rows
    by_title = {row[3]: row for row in rows if len(row) == 7}
    assert by_title["Opening keynote"][1] == "Main Hall (plenary)"
    assert by_title["Data for decisions"][1] == "Main Hall"
    assert by_title["Lunch"][:3] == ["11:30–12:30", "", "Break"]


def test_unscheduled_sessions_are_listed_with_reasons_and_cancellations_marked():
    items = Rendered(render(agenda_markdown(tiny()))).items
    assert items == [
        "Cancelled: Withdrawn panel (gone, Talk), was Day 1, 12:30–13:30, Side Room: Withdrawn by the speakers.",
        "Measuring what matters (dropped, Talk): No room-slot left for an optional talk.",
    ]


@pytest.mark.parametrize("text", [NASTY, HOSTILE_TITLE, HOSTILE_NAME, "1. not a list", "- not a list", "> no quote"])
def test_user_text_renders_as_written_on_one_line(text: str):
    page = Rendered(render(f"- {inline(text)}\n"))
    assert page.tags == ["ul", "li"]
    assert page.items == [" ".join(text.split())]


def test_hostile_text_cannot_add_markup_or_break_the_tables():
    schedule = hostile(tiny(), title=NASTY, name=HOSTILE_NAME + " | x")
    page = Rendered(render(agenda_markdown(schedule)))
    plain = Rendered(render(agenda_markdown(hostile(tiny(), title="Plain words", name="Plain name"))))
    assert Counter(page.tags) == Counter(plain.tags)  # no <a>, <code>, <em>, heading or row the text made
    assert all(len(row) == 7 for row in page.rows)
    titles = [row[3] for row in page.rows[1:] if row[2] != "Break" and row[3] != "Session"]
    assert titles and all(title.startswith(" ".join(NASTY.split())) for title in titles)
    assert f"{HOSTILE_NAME} | x bo" in [row[4] for row in page.rows]


def test_sessions_placed_only_by_time_or_on_no_conference_day_are_still_listed():
    schedule = tiny()
    keynote, *rest = schedule.assignments
    moved = keynote.model_copy(
        update={
            "day": None,
            "blocks": (),
            "start": keynote.start + timedelta(days=9),
            "end": keynote.end + timedelta(days=9),
        }
    )
    by_time = rest[0].model_copy(update={"day": None, "blocks": ()})
    markdown = agenda_markdown(schedule.model_copy(update={"assignments": (moved, by_time, *rest[1:])}))
    day_1, other_days = markdown.split("## Day 1: ")[1], markdown.split("## On other days")[1]
    assert "| Data for decisions " in day_1.split("## ")[0]
    assert "| Saturday 6 April 2030 09:00–10:00 | Main Hall |" in other_days and "Opening keynote" in other_days
    assert all(markdown.count(f"| {a.session.title} ") == 1 for a in schedule.assignments)


def test_each_session_shows_its_id_and_its_abstract(soc):
    """The id is what `planner ics --sessions` takes; the abstract is what an attendee chooses by."""
    page = Rendered(render(agenda_markdown(soc)))
    ids = {row[3]: row[6] for row in page.rows if len(row) == 7}
    for assignment in soc.assignments:
        session = assignment.session
        assert ids[session.title] == session.id
        if session.abstract:
            assert f"{session.title} ({session.id}): {' '.join(session.abstract.split())}" in page.items
