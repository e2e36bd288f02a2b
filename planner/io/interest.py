"""The interest table (interest.csv, .xlsx or .yaml in a conference folder) to an `Audience`, or every problem.

Two forms, told apart by the header:

- **picks**: `attendee, session[, weight]`, one row per attendee and session they want. The attendee is a pseudonym
  or a registration id (a real name is never needed); the session is a session id; the weight (how much they want
  it) a whole number from 1 to 10, 1 when left empty.
- **aggregated**: `session_a, session_b, attendees`, for organisers who have only pair counts: how many attendees
  want both sessions. A row with `session_b` empty gives how many attendees picked `session_a` (for room sizing).

Every problem is placed on its row: a session the sessions table does not have (with a 'did you mean'), a row
given twice (naming the first), a weight or a count out of range. A table with no rows is valid: nobody picked
anything yet. Interest tables are long (5,000 attendees with 10 picks each are 50,000 rows), so CSV and XLSX may hold
up to MAX_ROWS rows; YAML, read like the other tables, up to theirs.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from planner.domain import Audience, PairCount
from planner.errors import Collector, Where
from planner.io.records import check_header
from planner.io.tables import Row, _check_cells, _decode_csv, _text, read_table
from planner.io.validation import MAX_NUMBER
from planner.io.xlsx_guard import workbook_refused
from planner.io.yamlfile import too_large

PICK_COLUMNS = ("attendee", "session", "weight")
PICK_REQUIRED = ("attendee", "session")
PAIR_COLUMNS = ("session_a", "session_b", "attendees")
PAIR_REQUIRED = ("session_a", "attendees")
MAX_ROWS = 500_000
"""Rows in one interest table (CSV or XLSX), the header included."""
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
LOWEST_WEIGHT, HIGHEST_WEIGHT = 1, 10
ATTENDEE_LENGTH = 80


def _csv_records(path: Path, label: str, problems: Collector) -> list[list[str]] | None:
    text, why = _decode_csv(path.read_bytes())
    if text is None:
        problems.add(label, message=why)
        return None
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    records: list[list[str]] = []
    try:
        records.extend(islice(csv.reader(io.StringIO(text, newline=""), dialect, strict=True), MAX_ROWS + 1))
    except csv.Error as exc:
        problems.add(label, Where.of(row=len(records) + 1), "", f"not valid CSV: {exc}")
        return None
    return records


def _xlsx_records(path: Path, label: str, problems: Collector) -> list[list[str]] | None:
    import openpyxl

    if workbook_refused(path, label, MAX_XLSX_UNCOMPRESSED, problems):
        return None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            names = {name.casefold(): name for name in workbook.sheetnames}
            sheet = workbook[names.get("interest", workbook.sheetnames[0])]
            sheet.reset_dimensions()
            records = [
                [str(_text(cell)) for cell in record]
                for record in islice(sheet.iter_rows(values_only=True), MAX_ROWS + 1)
            ]
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl meets a damaged workbook with many kinds of exception
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        problems.add(label, message=f"is not a readable .xlsx workbook ({reason})")
        return None
    return records


def read_rows(path: Path, label: str, problems: Collector) -> tuple[list[str], list[Row]]:
    """Header and rows of an interest table; a file with no rows (or nothing at all) is an empty table."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        own = Collector()
        header, rows = read_table(path, label, "interest", own)
        problems.extend(p for p in own.problems if "is empty" not in p.message)
        return header, rows
    if too_large(path, label, problems):
        return [], []
    records = (_csv_records if path.suffix.lower() == ".csv" else _xlsx_records)(path, label, problems)
    if not records:
        return [], []
    if len(records) > MAX_ROWS:
        problems.add(label, message=f"has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}")
        return [], []
    header = [h.strip() for h in records[0]]
    rows = [
        Row(Where.of(row=number), {h: str(_text(c)) for h, c in zip(header, record, strict=False) if h})
        for number, record in enumerate(records[1:], start=2)
        if any(str(c).strip() for c in record)
    ]
    _check_cells(rows, label, problems)
    return header, rows


def _cell(row: Row, column: str) -> str:
    value = row.cells.get(column, "")
    return "; ".join(value) if isinstance(value, list) else value.strip()


def _whole(text: str, low: int, high: int) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and low <= number <= high else None


class _Sessions:
    """The session ids a table may name, with a 'did you mean' for one it does not."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = sorted(set(ids))
        self._known = set(self.ids)

    def check(self, value: str, label: str, where: Where, column: str, problems: Collector) -> str | None:
        if value in self._known:
            return value
        close = difflib.get_close_matches(value, self.ids, n=2, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        problems.add(label, where, column, f"no session '{value}' in the sessions table{hint}")
        return None


def _picks(rows: list[Row], sessions: _Sessions, label: str, problems: Collector) -> Audience:
    picks: dict[str, dict[str, int]] = {}
    first: dict[tuple[str, str], Where] = {}
    for row in rows:
        attendee, session, weight_text = _cell(row, "attendee"), _cell(row, "session"), _cell(row, "weight")
        if not attendee:
            problems.add(label, row.where, "attendee", "is required: a pseudonym or a registration id")
        elif len(attendee) > ATTENDEE_LENGTH:
            problems.add(label, row.where, "attendee", f"is longer than {ATTENDEE_LENGTH} characters")
        if not session:
            problems.add(label, row.where, "session", "is required: a session id")
        weight = _whole(weight_text, LOWEST_WEIGHT, HIGHEST_WEIGHT) if weight_text else LOWEST_WEIGHT
        if weight is None:
            message = f"'{weight_text[:40]}' is out of range; expected a whole number from 1 to {HIGHEST_WEIGHT}"
            problems.add(label, row.where, "weight", message)
        known = sessions.check(session, label, row.where, "session", problems) if session else None
        if not attendee or len(attendee) > ATTENDEE_LENGTH or known is None or weight is None:
            continue
        if (attendee, known) in first:
            message = f"'{attendee}' picks '{known}' again (first in {first[attendee, known]}); give each pick once"
            problems.add(label, row.where, "session", message)
            continue
        first[attendee, known] = row.where
        picks.setdefault(attendee, {})[known] = weight
    return Audience(picks=picks)


def _pairs(rows: list[Row], sessions: _Sessions, label: str, problems: Collector) -> Audience:
    pairs: list[PairCount] = []
    picked: dict[str, int] = {}
    first: dict[tuple[str, ...], Where] = {}
    for row in rows:
        a, b, count_text = _cell(row, "session_a"), _cell(row, "session_b"), _cell(row, "attendees")
        found = [
            sessions.check(s, label, row.where, c, problems) if s else None
            for s, c in ((a, "session_a"), (b, "session_b"))
        ]
        if not a:
            problems.add(label, row.where, "session_a", "is required: a session id")
        count = _whole(count_text, 1, MAX_NUMBER)
        if count is None:
            problems.add(
                label,
                row.where,
                "attendees",
                f"'{count_text[:40]}' is out of range; expected a whole number from 1 to {MAX_NUMBER:,}",
            )
        if a and a == b:
            problems.add(label, row.where, "session_b", "names the same session as session_a; a pair is two sessions")
            continue
        if found[0] is None or (b and found[1] is None) or count is None:
            continue
        key = tuple(sorted(s for s in found if s))
        if key in first:
            problems.add(
                label, row.where, "session_a", f"{' and '.join(key)} again (first in {first[key]}); give each once"
            )
            continue
        first[key] = row.where
        if len(key) == 2:
            pairs.append(PairCount(sessions=(key[0], key[1]), attendees=count))
        else:
            picked[key[0]] = count
    return Audience(pairs=tuple(pairs), picked=picked)


def read_interest(path: Path, session_ids: Iterable[str], problems: Collector) -> Audience | None:
    """The interest table in `path`, its sessions checked against `session_ids`; None when it has a problem (every
    one found is added to `problems`)."""
    label, before = str(path), len(problems)
    header, rows = read_rows(path, label, problems)
    given = [h for h in header if h]
    sessions = _Sessions(session_ids)
    aggregated = bool({"session_a", "session_b"} & set(given))
    if aggregated and {"attendee", "session"} & set(given):
        place = Where.of(row=1) if label.endswith((".csv", ".xlsx")) else Where()
        message = "mixes the picks form (attendee, session) and the aggregated form (session_a, session_b, attendees)"
        problems.add(label, place, "", f"{message}; keep one")
        return None
    columns, required = (PAIR_COLUMNS, PAIR_REQUIRED) if aggregated else (PICK_COLUMNS, PICK_REQUIRED)
    if given:
        check_header(given, columns, required, label, problems)
    audience = None
    if not given or all(column in given for column in required):
        audience = (_pairs if aggregated else _picks)(rows, sessions, label, problems)
    return audience if len(problems) == before else None
