"""The history report as a reader sees it (planner/history/report.py): themes by label, every share a percentage,
no empty or 'edition' header column, days named "SOC24 Day 2" before their seed file, a heat map whose SVG bytes
repeat run after run, and a page that fetches nothing; where Chromium is installed, the page in a real browser."""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planner.history.load import History, load_history
from planner.history.report import (
    CHART_MIN_SESSIONS,
    html_report,
    markdown_report,
    percent,
    points,
    sections,
    theme_chart_svg,
)
from planner.themes import bundled_taxonomy
from tests.paths import REPO

LABELS = {theme.id: theme.label for theme in bundled_taxonomy()}
DAY = re.compile(r"^SOC\d\d Day \d$")
PERCENT = re.compile(r"^\d{1,3}%$")
POINTS = re.compile(r"^[+-]\d+\.\d pp$")
FRACTION = re.compile(r"^[+-]?\d*\.\d+$")
"""A bare decimal (0.125, -0.058): how the report used to print shares and their change per year."""


@pytest.fixture(scope="module")
def history() -> History:
    return load_history()


@pytest.fixture(scope="module")
def page(history: History) -> str:
    return html_report(history)


@pytest.fixture(scope="module")
def markdown(history: History) -> str:
    return markdown_report(history)


@pytest.fixture(scope="module")
def chart(history: History) -> str:
    return theme_chart_svg(history)


class Tables(HTMLParser):
    """Each <table> of a page as its title (the <h2> before it), its header cells and its body rows."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, tuple[list[str], list[list[str]]]] = {}
        self.body_headers = 0
        self._title = ""
        self._text: list[str] | None = None
        self._in_body = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "th", "td"):
            self._text = []
        elif tag == "table":
            self.tables[self._title] = ([], [])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.tables[self._title][1].append([])
        if tag == "th" and self._in_body:
            self.body_headers += 1

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text or []).split())
        if tag == "h2":
            self._title = text
        elif tag == "th":
            self.tables[self._title][0].append(text)
        elif tag == "td":
            self.tables[self._title][1][-1].append(text)
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def markdown_tables(source: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each GitHub table of `source` under its '## ' title: header cells and body rows, cells stripped."""
    tables: dict[str, tuple[list[str], list[list[str]]]] = {}
    title = ""
    for line in source.splitlines():
        if line.startswith("## "):
            title = line[3:]
        elif line.startswith("|") and not set(line) <= set("|-: "):
            cells = [cell.strip().replace("\\", "") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
            if title not in tables:
                tables[title] = (cells, [])
            else:
                tables[title][1].append(cells)
    return tables


def chart_texts(svg: str) -> list[str]:
    """Every text the chart draws: with glyphs drawn as paths, matplotlib keeps each text as an XML comment."""
    return [html.unescape(text) for text in re.findall(r"<!-- (.*?) -->", svg)]


def fetches(page: str) -> list[str]:
    """What loading the page could fetch: URL attributes other than in-page '#…', embedded or external images,
    scripts, stylesheets and frames, CSS url() other than url(#…), @import, and any http(s) URL in an attribute."""
    found: list[str] = []

    class Fetches(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if name in ("src", "href", "xlink:href", "srcset", "poster", "data", "action") and not (
                    value or ""
                ).startswith("#"):
                    found.append(f"{tag} {name}={value}")
                if name not in ("xmlns", "xmlns:xlink") and re.search(r"https?://", value or ""):
                    found.append(f"{tag} {name}={value}")
            if tag in ("script", "link", "iframe", "object", "embed", "img", "image"):
                found.append(tag)

    Fetches().feed(page)
    return found + re.findall(r"url\((?!['\"]?#)|@import", page)


# the chart ----------------------------------------------------------------------------------------------------------


def test_the_chart_names_themes_by_label_most_sessions_first(history: History, chart: str) -> None:
    texts = chart_texts(chart)
    totals = {theme: sum(theme in themes for themes in history.sessions["themes"]) for theme in LABELS}
    shown = [theme for theme, n in totals.items() if n >= CHART_MIN_SESSIONS]
    rows = [text for text in texts if text in LABELS.values()]
    assert set(rows) == {LABELS[theme] for theme in shown}
    assert rows[0] == "Impact bonds & outcomes funds"
    assert [totals[theme] for theme in sorted(shown, key=lambda t: rows.index(LABELS[t]))] == sorted(
        (totals[theme] for theme in shown), reverse=True
    )
    assert not set(texts) & set(LABELS), "a theme id in the chart"
    assert "Health" not in texts, "a theme under CHART_MIN_SESSIONS sessions in the chart"


def test_the_chart_heads_each_edition_with_its_sessions(chart: str) -> None:
    texts = chart_texts(chart)
    heads = [text for text in texts if re.fullmatch(r"\S+ \(n=\d+\)", text)]
    assert heads == ["SOC21 (n=8)", "SOC22 (n=6)", "SOC23 (n=10)", "SOC24 (n=27)", "All (n=51)"]


def test_the_chart_shows_every_share_as_a_percentage_with_its_sessions(chart: str) -> None:
    """Impact bonds & outcomes funds: 1 of 8, 2 of 6, 4 of 10, 11 of 27 sessions; 18 of 51 in all."""
    texts = chart_texts(chart)
    cells = [text for text in texts if "%" in text]
    assert all(PERCENT.match(text) for text in cells), cells
    shown = sum(text in LABELS.values() for text in texts)
    assert len(cells) == shown * 5
    assert cells[:5] == ["13%", "33%", "40%", "41%", "35%"]
    counts = [text for text in texts if text.startswith("n=")]
    assert counts[:5] == ["n=1", "n=2", "n=4", "n=11", "n=18"]
    assert not [text for text in texts if FRACTION.match(text)]


def test_the_chart_is_a_vector_heat_map_with_no_legend(chart: str) -> None:
    """One shaded rectangle per theme and edition (besides the figure's and the axes' backgrounds), drawn as
    vectors: no embedded image, no legend to match colours against."""
    rows = sum(text in LABELS.values() for text in chart_texts(chart))
    assert chart.startswith("<svg ") and 'role="img"' in chart
    assert chart.count('<g id="patch_') == rows * 4 + 2
    assert "<image" not in chart and "data:" not in chart and 'id="legend' not in chart


def test_the_chart_is_byte_identical_run_after_run(history: History, chart: str) -> None:
    """The same bytes twice in one process and once more in a fresh one (hash salt fixed, no date)."""
    assert theme_chart_svg(history) == chart
    code = (
        "import sys; from planner.history.load import load_history; from planner.history.report import "
        "theme_chart_svg; sys.stdout.buffer.write(theme_chart_svg(load_history()).encode())"
    )
    fresh = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, check=True).stdout
    assert hashlib.sha256(fresh).hexdigest() == hashlib.sha256(chart.encode()).hexdigest()


def test_a_history_without_a_frequent_theme_has_no_chart(history: History) -> None:
    few = History(history.editions, history.identities, history.sessions.head(2), history.appearances.head(0))
    assert theme_chart_svg(few) == ""
    page = html_report(few)
    assert "<svg" not in page and "<figure" not in page and "Theme trends" in page


# the tables ---------------------------------------------------------------------------------------------------------


def test_no_table_has_an_empty_or_edition_header(history: History, page: str, markdown: str) -> None:
    """pandas printed a crosstab's columns-axis name as an extra 'edition' header over an empty column."""
    parsed = Tables(page)
    assert parsed.body_headers == 0, "a <th> in a table body (an index column)"
    for title, (headers, rows) in {**parsed.tables, **markdown_tables(markdown)}.items():
        assert headers and all(headers) and "edition" not in headers, (title, headers)
        assert all(len(row) == len(headers) for row in rows), title
    for section in sections(history):
        assert section.table.columns.name is None and section.table.index.name is None, section.title
        assert all(section.table.columns) and "edition" not in section.table.columns, section.title
    assert list(parsed.tables) == [section.title for section in sections(history)]


def test_theme_trends_name_themes_by_label_and_show_percentages(page: str, markdown: str) -> None:
    for tables in (Tables(page).tables, markdown_tables(markdown)):
        headers, rows = tables["Theme trends"]
        assert headers == [
            "theme",
            "SOC21 (n=8)",
            "SOC22 (n=6)",
            "SOC23 (n=10)",
            "SOC24 (n=27)",
            "change per year",
            "trend",
            "sessions",
        ]
        assert {row[0] for row in rows} == set(LABELS.values())
        assert all(PERCENT.match(cell) for row in rows for cell in row[1:5])
        assert all(POINTS.match(row[5]) for row in rows)
        assert rows[0] == ["Impact bonds & outcomes funds", "13%", "33%", "40%", "41%", "+9.1 pp", "rising", "18"]
        assert rows[-1][0] == "Data, measurement & evaluation" and rows[-1][5] == "-5.8 pp"


def test_no_share_is_left_as_a_fraction_anywhere(page: str, markdown: str) -> None:
    for tables in (Tables(page).tables, markdown_tables(markdown)):
        cells = [cell for _, rows in tables.values() for row in rows for cell in row]
        assert not [cell for cell in cells if FRACTION.match(cell)]


def test_no_theme_id_is_shown(page: str, markdown: str) -> None:
    ids = {theme for theme in LABELS if "_" in theme}  # 'health' is also a word of its label
    for tables in (Tables(page).tables, markdown_tables(markdown)):
        cells = {cell for _, rows in tables.values() for row in rows for cell in row}
        assert not cells & ids


def test_days_and_sources_are_named_by_edition_and_day(history: History, page: str, markdown: str) -> None:
    """'SOC23 Day 1' first; the seed file only as a detail after it, in the Sources table."""
    seeds = {day.source for edition in history.editions for day in edition.days}
    for tables in (Tables(page).tables, markdown_tables(markdown)):
        headers, rows = tables["Sources"]
        assert headers == ["day", "date", "conference", "sessions", "seed file"]
        assert [(row[0], row[-1]) for row in rows] == [
            (f"{edition.edition} Day {day.day}", day.source) for edition in history.editions for day in edition.days
        ]
        assert rows[1][:4] == ["SOC21 Day 2", "2021-09-10", "Social Outcomes Conference 2021", "1"]
        for title in ("What the recaps leave unclear", "Day shapes"):
            headers, rows = tables[title]
            assert headers[0] == "day" and all(DAY.match(row[0]) for row in rows), title
        for title, (_, rows) in tables.items():
            for row in rows:
                if set(row) & seeds:
                    assert DAY.match(row[0]), (title, row)
    assert page.count("000_96d74cca1dfa131d.txt") == 2  # SOC21 Day 1 and Day 2, in the Sources table only
    assert "SOC24 (Day 1, Day 2)" in page and "SOC24 (Day 1, Day 2)" in markdown


def test_percent_and_points() -> None:
    assert [percent(share) for share in (0, 1 / 8, 1 / 6, 11 / 27, 1)] == ["0%", "13%", "17%", "41%", "100%"]
    assert [points(change) for change in (0.091, -0.058, -0.0004, 0.0)] == ["+9.1 pp", "-5.8 pp", "+0.0 pp", "+0.0 pp"]


# the page -----------------------------------------------------------------------------------------------------------


def test_the_page_fetches_nothing(page: str) -> None:
    assert fetches(page) == []
    assert page.count("<svg") == 1 and 'aria-labelledby="theme-chart-caption"' in page
    assert 'id="theme-chart-caption"' in page


def test_the_fetch_check_sees_what_would_be_fetched() -> None:
    seen = fetches(
        '<img src="x.png"><a href="https://example.org">x</a><svg><image xlink:href="data:image/png;base64,AA"/>'
        '</svg><p style="background: url(http://x/y)">'
    )
    assert len(seen) >= 4


def test_the_page_is_byte_identical_run_after_run(history: History, page: str) -> None:
    assert html_report(history) == page


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright; skipped where either is missing, except under `make e2e`."""
    missing = pytest.fail if os.environ.get("PLANNER_E2E") == "1" else pytest.skip
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
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


@pytest.mark.e2e
@pytest.mark.parametrize("width", [1280, 390])
def test_in_chromium_the_chart_is_readable_and_nothing_is_fetched(browser, page: str, tmp_path: Path, width: int):
    path = tmp_path / "history.html"
    path.write_text(page, encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900})
    requests: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url == path.as_uri() else route.abort())
    tab = context.new_page()
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(path.as_uri())
    box = tab.locator("figure svg").bounding_box()
    natural = tab.eval_on_selector("figure svg", "svg => svg.viewBox.baseVal.width * 4 / 3")  # pt to px
    content = tab.eval_on_selector("body", "body => body.clientWidth")
    assert box is not None and box["height"] > 200
    assert box["width"] >= min(natural, 600), "the chart shrunk below a readable size"
    if width >= 1280:
        assert box["width"] == pytest.approx(natural, abs=1) and box["width"] <= content
    tab.screenshot(path=tmp_path / f"history-{width}.png", full_page=True)
    context.close()
    assert requests == [path.as_uri()]
