"""Reading uploaded tables (CSV or XLSX) for imports, with errors by row and column.

Every import in the project validates all rows first and saves all or nothing; this module only
turns a file into rows keyed by header and reports what makes the file itself unreadable.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Imports are lists of people, organisations or responsibilities: thousands of rows at most.
# The bounds are checked before a file is read, so that no upload can take a worker's memory.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 50
# Blank rows are skipped, but not without end: a sheet may say it has rows a million lines down.
MAX_LINES = 10 * MAX_ROWS
# An XLSX is a zip; what it unpacks to is bounded too (a few kilobytes can claim gigabytes).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 500


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


def too_large_message() -> str:
    return _("The file is too large: at most %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ImportRejected([RowError(1, "", too_large_message())])


def validate_upload_size(upload) -> None:
    """For upload form fields: refuse a file over the bound before anything reads it."""
    from django.core.exceptions import ValidationError

    if upload is not None and upload.size > MAX_BYTES:
        raise ValidationError(too_large_message(), code="too_large")


def unpack_checked(content: bytes) -> zipfile.ZipFile:
    """The XLSX as a zip, refused if it unpacks to more than the bounds allow."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportRejected(
            [RowError(1, "", _("The file is not a readable XLSX workbook."))]
        ) from exc
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ImportRejected([RowError(1, "", too_large_message())])
    return archive


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")


def without_claimed_dimensions(content: bytes) -> bytes:
    """The workbook with each sheet's <dimension> element removed.

    Readers pad every row and column up to the size a sheet claims, and a sheet may claim the
    whole grid (A1:XFD1048576, 17 billion cells) in a file of a few kilobytes; without the
    claim they read only the cells that are there. Excel also writes a large claim when whole
    columns are formatted, so the claim is dropped rather than refused.
    """
    archive = unpack_checked(content)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for member in archive.infolist():
            data = archive.read(member)
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                data = _DIMENSION.sub(b"", data, count=1)
            rewritten.writestr(member, data)
    return out.getvalue()


def _header_of(sheet) -> set[str]:
    first = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
    return {str(cell).strip().lower() for cell in first if cell is not None}


def _xlsx_rows(content: bytes, find_header: Iterable[str] = ()) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(
            io.BytesIO(without_claimed_dimensions(content)), read_only=True, data_only=True
        )
        sheet = book.active
        wanted = set(find_header)
        if wanted and not wanted <= _header_of(sheet):
            sheet = next((s for s in book.worksheets if wanted <= _header_of(s)), sheet)
        sheet.reset_dimensions()
        # One column more than allowed, to tell a too-wide sheet from one that is just wide.
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        for row in rows:
            if not any(row):  # readers fill gaps between rows with empty ones: many, cheap
                yield []
                continue
            values = ["" if cell is None else str(cell).strip() for cell in row]
            while values and not values[-1]:  # the padding to the column bound
                values.pop()
            yield values
    except ImportRejected:
        raise
    except Exception as exc:
        raise ImportRejected(
            [RowError(1, "", _("The file is not a readable XLSX workbook."))]
        ) from exc


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([RowError(1, "", _("The CSV file must be UTF-8 encoded."))]) from exc
    if "\x00" in text:
        # Not text at all; PostgreSQL would refuse to store it.
        raise ImportRejected([RowError(1, "", _("The CSV file could not be read."))])
    # Comma or semicolon (Finnish Excel saves with semicolons), whichever the header uses more;
    # a one-column file has neither.
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            yield [c.strip() for c in row]
    except csv.Error as exc:
        raise ImportRejected([RowError(1, "", _("The CSV file could not be read."))]) from exc


def _numbered(values: Iterable[list[str]]) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers, refused past the row or column bound."""
    numbered = []
    for line, row in enumerate(values, start=1):
        if line > MAX_LINES:
            message = _("The sheet is too long: nothing past line %(count)d is read.") % {
                "count": MAX_LINES
            }
            raise ImportRejected([RowError(line, "", message)])
        if not any(row):
            continue
        if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
            message = ngettext(
                "Too many columns: at most %(count)d column is read.",
                "Too many columns: at most %(count)d columns are read.",
                MAX_COLUMNS,
            ) % {"count": MAX_COLUMNS}
            raise ImportRejected([RowError(line, "", message)])
        if len(numbered) > MAX_ROWS:  # the header and MAX_ROWS data rows are allowed
            message = ngettext(
                "Too many rows: at most %(count)d row can be imported at once.",
                "Too many rows: at most %(count)d rows can be imported at once.",
                MAX_ROWS,
            ) % {"count": MAX_ROWS}
            raise ImportRejected([RowError(line, "", message)])
        numbered.append((line, row[:MAX_COLUMNS]))
    return numbered


def read_table(
    name: str,
    content: bytes,
    *,
    required: Iterable[str],
    allowed: Iterable[str],
    any_sheet: bool = False,
) -> list[Row]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file as dicts keyed by the header.

    A workbook is read from its active sheet; with `any_sheet`, from the first sheet whose
    header has the required columns (an export with a summary sheet first can be imported).
    """
    required = tuple(required)
    check_size(len(content))
    if name.lower().endswith(".xlsx"):
        values = _xlsx_rows(content, required if any_sheet else ())
    elif name.lower().endswith(".csv"):
        values = _csv_rows(content)
    else:
        raise ImportRejected([RowError(1, "", _("Upload a .csv or .xlsx file."))])
    # Blank lines are skipped, but the rows keep their line numbers for the error report.
    numbered = _numbered(values)
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
