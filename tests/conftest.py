"""Shared fixtures: the tiny test conference, copies of it to corrupt, and the same tables in other formats."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from tests.paths import DATA


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of tests/data/mini."""
    return Path(shutil.copytree(DATA / "mini", tmp_path / "mini"))


def csv_records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_to_xlsx(path: Path, sheet: str) -> Path:
    """The CSV table as a workbook, as an organiser would keep it (numbers as numbers)."""
    records = csv_records(path)
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    header = list(records[0])
    worksheet.append(header)
    for record in records:
        worksheet.append([int(v) if v.isdigit() else (v or None) for v in record.values()])
    target = path.with_suffix(".xlsx")
    workbook.save(target)
    path.unlink()
    return target


def csv_to_yaml(path: Path, key: str) -> Path:
    """The CSV table as YAML, lists as YAML lists, empty cells left out."""
    items = []
    for record in csv_records(path):
        item = {}
        for column, value in record.items():
            if not value:
                continue
            item[column] = [v.strip() for v in value.split(";")] if ";" in value else value
        items.append(item)
    target = path.with_suffix(".yaml")
    target.write_text(yaml.safe_dump({key: items}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    path.unlink()
    return target
