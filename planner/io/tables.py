"""Tables of records (sessions, people) from CSV, XLSX or YAML, all read into one shape: text cells with a locator.

Organisers keep proposals in spreadsheets, so every format reduces to rows of text cells ("several people in one
cell separated by ;"), and one validation path turns rows into the domain. A file that is not what its name says
(a workbook saved as .csv, UTF-16 text, a damaged zip) is one clear problem, never a traceback.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import Any

from planner.errors import Collector, Where
from planner.io.xlsx_guard import workbook_refused
from planner.io.yamlfile import LineDict, control_character_problem, read_yaml, too_large

LIST_SEPARATOR = ";"
MAX_ROWS = 10_000
"""Rows in one table, the header included: far more sessions or people than any conference has."""
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
"""An .xlsx is a zip: one that would unpack beyond this is refused as a likely zip bomb."""
TOO_MANY_ROWS = f"has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,} (the header included)"


@dataclass(frozen=True)
class Row:
    where: Where
    """'row 4' for spreadsheets (the header is row 1), 'line 12' for YAML."""
    cells: dict[str, str | list[str]]
    """Column name to text, or a list of texts when YAML gave a list."""


def _text(value: Any) -> str | list[str]:
    """A cell as text: numbers without a spurious '.0', dates in ISO form, booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:  # 1e300 stays 1e+300
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return [t for item in value if isinstance(t := _text(item), str) and t.strip()]
    return str(value).strip()


def split_cell(value: str | list[str]) -> list[str]:
    """The items of a list cell: a YAML list as it is, or text split on ';' (blanks dropped)."""
    items = value if isinstance(value, list) else value.split(LIST_SEPARATOR)
    return [item.strip() for item in items if item.strip()]


def _decode_csv(data: bytes) -> tuple[str | None, str]:
    """The text of a CSV file and '', or None and why it is not CSV text. UTF-8 (with or without the BOM Excel
    writes), UTF-16 with a BOM (Excel's 'Unicode text'), else Windows-1252 as Excel saves 'CSV' on Windows."""
    if data.startswith(b"PK\x03\x04"):
        return None, "is a zip file (an .xlsx workbook saved with a .csv name?); expected CSV text, or name it .xlsx"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError as exc:
            return None, f"starts like UTF-16 text but byte {exc.start} is not; save it as CSV UTF-8"
    if (nul := data.find(b"\x00")) >= 0:
        return None, f"is not text (byte {nul} is NUL); expected CSV saved as UTF-8 or Windows-1252"
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), ""
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), ""


def _csv_rows(path: Path, label: str, problems: Collector) -> tuple[list[str], list[Row]]:
    text, why = _decode_csv(path.read_bytes())
    if text is None:
        problems.add(label, message=why)
        return [], []
    try:
        sniffed: type[csv.Dialect] = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        sniffed = csv.excel
    # As Excel writes: a quote inside a quoted cell doubled, so one left open is an error rather than a cell that
    # swallows the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), sniffed, doublequote=True, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(islice(reader, MAX_ROWS + 1))
    except csv.Error as exc:  # the row being read when it failed; a stray quote is the usual cause
        problems.add(
            label,
            Where.of(row=len(records) + 1),
            "",
            f"not valid CSV: {exc} (a quoted cell must end with a quote, and a quote inside it is written twice)",
        )
        return [], []
    if len(records) > MAX_ROWS:
        problems.add(label, message=TOO_MANY_ROWS)
        return [], []
    if not records:
        return [], []
    header, rows = [h.strip() for h in records[0]], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.add(label, Where.of(row=number), "", f"has {len(record)} cells but the header has {len(header)}")
        rows.append(Row(Where.of(row=number), {h: _text(c) for h, c in zip(header, record, strict=False) if h}))
    return header, rows


def _xlsx_rows(path: Path, label: str, sheet_name: str, problems: Collector) -> tuple[list[str], list[Row]]:
    import openpyxl  # defusedxml, when installed, guards its XML parsing against entity expansion

    if workbook_refused(path, label, MAX_XLSX_UNCOMPRESSED, problems):
        return [], []
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            names = {name.casefold(): name for name in workbook.sheetnames}
            sheet = workbook[names.get(sheet_name.casefold(), workbook.sheetnames[0])]
            sheet.reset_dimensions()  # the sheet's own claim of its size is not trusted; its cells are
            records = list(islice(sheet.iter_rows(values_only=True), MAX_ROWS + 1))
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl meets a damaged workbook with many kinds of exception; each means unreadable
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        problems.add(label, message=f"is not a readable .xlsx workbook ({reason})")
        return [], []
    if len(records) > MAX_ROWS:
        problems.add(label, message=TOO_MANY_ROWS)
        return [], []
    if not records:
        return [], []
    header = [str(_text(h)) for h in records[0]]
    rows = [
        Row(Where.of(row=number), {h: _text(c) for h, c in zip(header, record, strict=False) if h})
        for number, record in enumerate(records[1:], start=2)
        if any(_text(c) for c in record)
    ]
    return header, rows


def _is_cell(value: Any) -> bool:
    """What a table's cell may hold: text, a number, a date, or a list of them (not a mapping, not nested lists)."""
    if isinstance(value, list):
        return not any(isinstance(item, dict | list) for item in value)
    return not isinstance(value, dict)


def _yaml_rows(path: Path, label: str, key: str, problems: Collector) -> tuple[list[str], list[Row]]:
    data = read_yaml(path, label, problems)
    if data is None:
        return [], []
    items = data.get(key) if isinstance(data, dict) else data
    if not isinstance(items, list):
        problems.add(label, message=f"expected a list of {key}, or a mapping with a '{key}:' list")
        return [], []
    if len(items) >= MAX_ROWS:
        problems.add(label, message=f"has {len(items):,} {key}; the limit is {MAX_ROWS - 1:,}")
        return [], []
    header: dict[str, None] = {}
    rows = []
    for index, item in enumerate(items, start=1):
        line = item.line if isinstance(item, LineDict) else 0
        key_lines = item.key_lines if isinstance(item, LineDict) else {}
        where = Where.of(line=line) if line else Where.of(item=index)
        if not isinstance(item, dict):
            problems.add(label, where, "", "expected a mapping of field: value")
            continue
        nested = [k for k, v in item.items() if not _is_cell(v)]
        for k in nested:
            place = Where.of(line=key_lines.get(k, line)) if line else where
            problems.add(label, place, k, "expected text, a number or a list of them")
        header.update(dict.fromkeys(item))
        rows.append(Row(where, {str(k): _text(v) for k, v in item.items() if k not in nested}))
    return list(header), rows


def _check_cells(rows: list[Row], label: str, problems: Collector) -> None:
    """Cells holding control characters, which no spreadsheet or calendar written from them could carry."""
    for row in rows:
        for column, value in row.cells.items():
            for text in value if isinstance(value, list) else [value]:
                if why := control_character_problem(text):
                    problems.add(label, row.where, column, why)


def read_table(path: Path, label: str, key: str, problems: Collector) -> tuple[list[str], list[Row]]:
    """Header and rows of a table file, its problems added to `problems`; `key` is the YAML list key and the
    preferred XLSX sheet name. A header with no rows (in YAML, an empty list) is a table with no records, not a
    problem; a file with no header at all is."""
    if too_large(path, label, problems):
        return [], []
    before = len(problems)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, rows = _csv_rows(path, label, problems)
    elif suffix == ".xlsx":
        header, rows = _xlsx_rows(path, label, key, problems)
    else:
        header, rows = _yaml_rows(path, label, key, problems)
    if suffix in (".csv", ".xlsx") and not any(h.strip() for h in header) and len(problems) == before:
        problems.add(label, message="is empty; expected a header row naming the columns")
    _check_cells(rows, label, problems)
    return header, rows
