"""Tables of records (sessions, people) from CSV, XLSX or YAML, all read into one shape: text cells with a locator.

Organisers keep proposals in spreadsheets, so every format reduces to rows of text cells ("several people in one
cell separated by ;"), and one validation path turns rows into the domain.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from planner.errors import Problem
from planner.io.yamlfile import LineDict, read_yaml, too_large

LIST_SEPARATOR = ";"
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
"""An .xlsx is a zip: one that would unpack beyond this is refused as a likely zip bomb."""


@dataclass(frozen=True)
class Row:
    where: str
    """'row 4' for spreadsheets (the header is row 1), 'line 12' for YAML."""
    cells: dict[str, str | list[str]]
    """Column name to text, or a list of texts when YAML gave a list."""


def _text(value: Any) -> str | list[str]:
    """A cell as text: numbers without a spurious '.0', dates in ISO form, booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
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


def _decode_csv(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else Windows-1252 as Excel saves 'CSV' on Windows."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_rows(path: Path, label: str) -> tuple[list[str], list[Row], list[Problem]]:
    text = _decode_csv(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    records = list(csv.reader(io.StringIO(text, newline=""), dialect))
    if not records:
        return [], [], []
    header, rows, problems = [h.strip() for h in records[0]], [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append(
                Problem(label, f"row {number}", "", f"has {len(record)} cells but the header has {len(header)}")
            )
        rows.append(Row(f"row {number}", {h: _text(c) for h, c in zip(header, record, strict=False) if h}))
    return header, rows, problems


def _xlsx_rows(path: Path, label: str, sheet_name: str) -> tuple[list[str], list[Row], list[Problem]]:
    import openpyxl  # defusedxml, when installed, guards its XML parsing against entity expansion

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNCOMPRESSED:
            return [], [], [Problem(label, "", "", f"unpacks to {unpacked:,} bytes; refused as too large")]
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return [], [], [Problem(label, "", "", f"is not a readable .xlsx workbook ({exc})")]
    try:
        names = {name.casefold(): name for name in workbook.sheetnames}
        sheet = workbook[names.get(sheet_name.casefold(), workbook.sheetnames[0])]
        records = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    if not records:
        return [], [], []
    header = [str(_text(h)) for h in records[0]]
    rows = [
        Row(f"row {number}", {h: _text(c) for h, c in zip(header, record, strict=False) if h})
        for number, record in enumerate(records[1:], start=2)
        if any(_text(c) for c in record)
    ]
    return header, rows, []


def _yaml_rows(path: Path, label: str, key: str) -> tuple[list[str], list[Row], list[Problem]]:
    data, problems = read_yaml(path, label)
    if problems:
        return [], [], problems
    items = data.get(key) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return (
            [],
            [],
            [Problem(label, "", "", f"expected a list of {key}, or a mapping with a '{key}:' list")],
        )
    header: dict[str, None] = {}
    rows = []
    for index, item in enumerate(items, start=1):
        line = item.line if isinstance(item, LineDict) else 0
        where = f"line {line}" if line else f"item {index}"
        if not isinstance(item, dict):
            problems.append(Problem(label, where, "", "expected a mapping of field: value"))
            continue
        header.update(dict.fromkeys(item))
        rows.append(Row(where, {str(k): _text(v) for k, v in item.items()}))
    return list(header), rows, problems


def read_table(path: Path, label: str, key: str) -> tuple[list[str], list[Row], list[Problem]]:
    """Header, rows and problems of a table file; `key` is the YAML list key and the preferred XLSX sheet name."""
    if problem := too_large(path, label):
        return [], [], [problem]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, rows, problems = _csv_rows(path, label)
    elif suffix == ".xlsx":
        header, rows, problems = _xlsx_rows(path, label, key)
    else:
        header, rows, problems = _yaml_rows(path, label, key)
    if not header and not problems:
        problems = [Problem(label, "", "", "is empty; expected a header row naming the columns")]
    return header, rows, problems
