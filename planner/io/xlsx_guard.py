"""An .xlsx checked before any reader opens it, so that no workbook can exhaust memory or time.

An .xlsx is a zip of XML parts. Three things are refused, each with a plain message:

- parts that unpack beyond a limit: measured by inflating them, not by trusting the sizes the zip's headers claim
  (a zip bomb may understate them);
- a DTD in any part: .xlsx parts never have one, and entity declarations inside one expand to gigabytes (a
  "billion laughs");
- a sheet whose cells span more than MAX_SHEET_CELLS: readers allocate the whole rectangle up to the last cell, so
  one cell typed at XFD1048576 would ask calamine for half a terabyte.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from planner.errors import Collector

MAX_SHEET_CELLS = 2_000_000
"""Rows times columns up to a sheet's last cell: 10,000 sessions across 200 columns."""

_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_CHUNK = 1 << 16
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])(?:[^>]*?\br\s*=\s*[\"']([A-Za-z]*)(\d*)[\"'])?")
"""A row or a cell, with its reference when it has one ('r="B7"'): the letters and the digits."""


class _Refused(Exception):
    """Why the workbook is refused (the message of the problem)."""


def workbook_refused(path: Path, label: str, max_unpacked: int, problems: Collector) -> bool:
    """Whether the workbook may not be opened (damaged, too large once unpacked, a DTD, a vast sheet); if so, says
    why."""
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            parts = archive.infolist()
            claimed = sum(info.file_size for info in parts)
            if claimed > max_unpacked:
                raise _Refused(f"unpacks to {claimed:,} bytes; refused as too large (the limit is {max_unpacked:,})")
            for info in parts:  # every part, whatever its name: a reader finds sheets by the workbook's references
                _check_part(info.filename, _unpacked(raw, info, max_unpacked))
    except _Refused as refused:
        problems.add(label, message=str(refused))
        return True
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, struct.error) as exc:
        problems.add(label, message=f"is not a readable .xlsx workbook ({exc})")
        return True
    return False


def _unpacked(raw: BinaryIO, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A part's bytes, inflated from its compressed data; refused past `limit` or when its header understates its
    size."""
    if info.flag_bits & 0x1:
        raise _Refused(f"part {info.filename} is encrypted; save the workbook without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Refused(
            f"part {info.filename} uses compression method {info.compress_type}; Excel writes only "
            "stored or deflated parts"
        )
    raw.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(raw.read(_LOCAL_HEADER.size))
    if header[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"part {info.filename} has no local header")
    raw.seek(header[-2] + header[-1], 1)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
    pieces: list[bytes] = []
    size = 0

    def take(piece: bytes) -> None:
        nonlocal size
        size += len(piece)
        if size > limit or size > info.file_size:
            raise _Refused(
                f"part {info.filename} unpacks to more than the {info.file_size:,} bytes its header "
                f"claims; refused as a likely zip bomb (the limit is {limit:,})"
            )
        pieces.append(piece)

    left = info.compress_size
    while left:
        chunk = raw.read(min(left, _CHUNK))
        if not chunk:
            raise zipfile.BadZipFile(f"part {info.filename} is cut short")
        left -= len(chunk)
        while chunk:  # a little at a time, so a bomb is refused long before it fills memory
            take(inflater.decompress(chunk, _CHUNK) if inflater else chunk)
            chunk = inflater.unconsumed_tail if inflater else b""
    if inflater:
        take(inflater.flush())
    if size != info.file_size:
        raise zipfile.BadZipFile(f"part {info.filename} unpacks to {size:,} bytes, not the {info.file_size:,} claimed")
    return b"".join(pieces)


def _check_part(name: str, data: bytes) -> None:
    if b"<!DOCTYPE" in data:
        raise _Refused(
            f"part {name} declares a DTD (<!DOCTYPE>); .xlsx parts never do, and the entities a DTD "
            "declares can expand to gigabytes"
        )
    if b"sheetData" in data:
        rows, columns = _extent(data)
        if rows * columns > MAX_SHEET_CELLS:
            raise _Refused(
                f"part {name} has cells down to row {rows:,} and across to column {columns:,}; a sheet "
                f"may span at most {MAX_SHEET_CELLS:,} cells (delete the far rows and columns)"
            )


def _extent(sheet: bytes) -> tuple[int, int]:
    """The last row and column holding a cell, as a reader places cells: by their reference, else next in line."""
    elements = _ELEMENT.findall(sheet)
    if all(digits and (name == b"row" or letters) for name, letters, digits in elements):  # as spreadsheets write
        rows = {_number(digits) for digits in {digits for _, _, digits in elements}}
        return max(rows, default=0), max(map(_column_number, {letters for _, letters, _ in elements}), default=0)
    row = column = last_row = last_column = 0
    for name, letters, digits in elements:
        if name == b"row":
            row, column = (_number(digits) if digits else row + 1), 0
        else:
            column = _column_number(letters) if letters else column + 1
            last_row = max(last_row, _number(digits) if digits else row)
        last_row, last_column = max(last_row, row), max(last_column, column)
    return last_row, last_column


def _number(digits: bytes) -> int:
    """A row number; one too long to convert is simply too far."""
    return int(digits) if len(digits) <= 12 else 10**12


def _column_number(letters: bytes) -> int:
    if len(letters) > 8:
        return 10**12
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number
