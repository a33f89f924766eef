"""Reading uploaded tables (CSV or XLSX) for imports, with errors by row and column.

Every import in the project validates all rows first and saves all or nothing; this module only
turns a file into rows keyed by header and reports what makes the file itself unreadable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """A problem in an uploaded table; rows are numbered as the user sees them (header = 1)."""

    row: int
    column: str
    message: str


class Row(dict):
    """One data row keyed by header, with its line number in the file (header = 1)."""

    def __init__(self, values: dict[str, str], line: int):
        super().__init__(values)
        self.line = line


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def read_table(
    name: str, content: bytes, *, required: Iterable[str], allowed: Iterable[str]
) -> list[Row]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file as dicts keyed by the header."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:
            raise ImportRejected(
                [RowError(1, "", _("The file is not a readable XLSX workbook."))]
            ) from exc
        values = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    elif name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRejected(
                [RowError(1, "", _("The CSV file must be UTF-8 encoded."))]
            ) from exc
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;") if text.strip() else csv.excel
        values = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    else:
        raise ImportRejected([RowError(1, "", _("Upload a .csv or .xlsx file."))])
    # Blank lines are skipped, but the rows keep their line numbers for the error report.
    numbered = [(line, row) for line, row in enumerate(values, start=1) if any(row)]
    if not numbered:
        raise ImportRejected([RowError(1, "", _("The file is empty."))])
    header_row = numbered[0][1]
    header = [h.strip().lower() for h in header_row]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected([RowError(1, c, _("Required column is missing.")) for c in missing])
    allowed = set(allowed)
    unknown = [h for h in header if h and h not in allowed]
    if unknown:
        raise ImportRejected([RowError(1, h, _("Unknown column.")) for h in unknown])
    return [
        Row(dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)), line)
        for line, row in numbered[1:]
    ]
