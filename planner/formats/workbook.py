"""Spreadsheet cells and files as every workbook of ours writes them: text that never runs as a formula, readable
tables, rows tall enough for their wrapped text, pages that print on landscape A4, and equal bytes for equal content.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these would be taken for a formula if typed in; stored as text instead."""

FONT = "Calibri"
"""Every font of ours names the workbook's default face: a font without a name prints in a serif in LibreOffice."""
LINE_POINTS = 15
"""The height of a line of the default 11 pt text."""
CHARACTERS_PER_WIDTH = 1.0
"""11 pt characters per unit of column width, allowing for a wider substitute font."""

PAGE_POINTS = (842, 595)
"""Landscape A4, width and height in points."""
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6, "header": 0.25, "footer": 0.25}
"""Page margins in inches: the footer (sheet name and page number) sits in the bottom margin."""
POINTS_PER_INCH = 72
FOOTER = "&A, page &P of &N"
"""The sheet's name and the page number, so a loose printed page says where it belongs."""

XML_PARTS = (".xml", ".rels")
"""The parts of a workbook written as XML, put in canonical form."""
FIXED_TIME = datetime(2000, 1, 1)
"""Stamped as the workbook's created and modified time, so equal content gives equal bytes."""


def text_cell(sheet: Worksheet, row: int, column: int, value: str) -> None:
    """A text cell that stays text: never a formula, even one the user re-enters by editing it. Control characters
    that a workbook cannot hold (all but tab, line feed and carriage return) are dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = sheet.cell(row=row, column=column)
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def style_table(sheet: Worksheet, widths: dict[str, int]) -> None:
    """Bold header, frozen under it, an autofilter over the table, readable column widths, and rows tall enough for
    their wrapped cells."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(name=FONT, bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for number, header in enumerate((c.value for c in sheet[1]), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = widths.get(str(header), 14)
    fit_rows(sheet, first_row=2)


def wrapped_lines(text: str, width: float, characters_per_width: float = CHARACTERS_PER_WIDTH) -> int:
    """About how many lines `text` takes wrapped in a column `width` wide: each line broken between words, as a
    spreadsheet does, and a word longer than a line broken inside it."""
    per_line = max(1, int(width * characters_per_width))
    return sum(_wrapped(line.split(), per_line) for line in text.split("\n"))


def _wrapped(words: list[str], per_line: int) -> int:
    lines, used = 1, 0
    for word in words:
        if used and used + 1 + len(word) <= per_line:
            used += 1 + len(word)
            continue
        if used:
            lines += 1
        extra = (len(word) - 1) // per_line
        lines, used = lines + extra, len(word) - extra * per_line
    return lines


def fit_rows(sheet: Worksheet, first_row: int) -> None:
    """Heights for rows with wrapped cells of several lines: neither Excel nor LibreOffice grows a row on opening."""
    for number, row in enumerate(sheet.iter_rows(min_row=first_row), start=first_row):
        lines = max(
            (
                wrapped_lines(str(cell.value), sheet.column_dimensions[cell.column_letter].width)
                for cell in row
                if cell.value is not None and cell.alignment.wrap_text
            ),
            default=1,
        )
        if lines > 1:
            sheet.row_dimensions[number].height = lines * LINE_POINTS + 3


def print_setup(sheet: Worksheet, rows: str | None, columns: str | None = None, grid_lines: bool = False) -> None:
    """Landscape A4 fitted to the page width (as many pages down as it takes), `rows` (and `columns`) repeated on
    every page, narrow margins, and the sheet's name and page number in the footer."""
    from openpyxl.worksheet.header_footer import HeaderFooterItem
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if rows:
        sheet.print_title_rows = rows
    if columns:
        sheet.print_title_cols = columns
    sheet.print_options.gridLines = grid_lines
    for side, inches in MARGINS.items():
        setattr(sheet.page_margins, side, inches)
    footer = HeaderFooterItem()
    footer.center.text = FOOTER
    sheet.oddFooter = footer


def printable_points() -> tuple[float, float]:
    """The width and height a page has for cells inside its margins, in points."""
    width, height = PAGE_POINTS
    return (
        width - (MARGINS["left"] + MARGINS["right"]) * POINTS_PER_INCH,
        height - (MARGINS["top"] + MARGINS["bottom"]) * POINTS_PER_INCH,
    )


def rows_points(sheet: Worksheet) -> float:
    """The points the sheet's rows take on paper at 100 %: the heights set, a line of the default text for the rest."""
    return sum(sheet.row_dimensions[row].height or LINE_POINTS for row in range(1, sheet.max_row + 1))


def canonical_xml(data: bytes) -> bytes:
    """The part in canonical XML (C14N 2.0, UTF-8): one spelling of its elements, attributes, namespaces and
    characters, whichever writer made it. A raw carriage return is one the writer meant (lxml writes it as `&#13;`,
    the standard library's writer as it is, which a parser would read as a line feed), so it is kept as one."""
    from xml.etree.ElementTree import canonicalize

    return canonicalize(data.replace(b"\r", b"&#13;")).encode()


def workbook_bytes(workbook: Workbook) -> bytes:
    """The saved workbook with fixed timestamps (in the document properties and the zip entries) and every XML part
    in canonical form: equal content, equal bytes, run after run and whether or not lxml is installed (openpyxl
    writes with lxml when it can import it, and the two writers spell the same XML differently)."""
    buffer = io.BytesIO()
    workbook.properties.created = FIXED_TIME
    workbook.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    output = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", data)
            if info.filename.endswith(XML_PARTS):
                data = canonical_xml(data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return output.getvalue()
