"""Turning rows into files. Reports yield rows; these renderers write CSV and XLSX from them.

Text that a spreadsheet would read as a formula (starting with = + - @ or a control character)
is prefixed with an apostrophe, so that an answer like "=HYPERLINK(...)" stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# How a withheld figure is written in every export; a lone dash cannot run as a formula.
WITHHELD = "-"


def safe_cell(value: Any) -> Any:
    """Numbers stay numbers; text that could run as a formula is neutralised."""
    if isinstance(value, str) and value != WITHHELD and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Sheet:
    title: str
    columns: Sequence[str]
    rows: Iterable[Sequence[Any]]
    # Optional presentation for XLSX: a number format per column (None: general), notes
    # written under the table, and columns shaded by value over the first `shaded_rows` rows.
    formats: Sequence[str | None] = ()
    notes: Sequence[str] = ()
    shaded_columns: Sequence[int] = ()
    shaded_rows: int = 0
    # Layout for tables people fill in or read as a matrix: a width per column (characters;
    # default: from the header), columns (1-based) whose text wraps, the level of each row
    # (the first column indented by it, level 0 in bold), and the cell the panes freeze at.
    widths: Sequence[int] = ()
    wrap_columns: Sequence[int] = ()
    levels: Sequence[int] = ()
    freeze: str = "A2"


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Finnish letters correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_title(text: str) -> str:
    """Excel refuses these characters in a sheet name and more than 31 characters."""
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return " ".join(text.split())[:31].strip() or "-"


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet_title(sheet.title))
        ws.append([safe_cell(c) for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            if sheet.widths:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = sheet.freeze
        for row in sheet.rows:
            ws.append([float(v) if isinstance(v, Decimal) else safe_cell(v) for v in row])
            for index in sheet.wrap_columns:
                ws.cell(row=ws.max_row, column=index).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
        for row_number, level in enumerate(sheet.levels, start=2):
            first = ws.cell(row=row_number, column=1)
            first.alignment = Alignment(wrap_text=True, vertical="top", indent=2 * level)
            first.font = Font(bold=level == 0)
        for index, number_format in enumerate(sheet.formats, start=1):
            if number_format:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    if isinstance(cell.value, float):
                        cell.number_format = number_format
                    elif isinstance(cell.value, int):
                        cell.number_format = "0"  # counts below a column of means
        for index in sheet.shaded_columns:
            letter = get_column_letter(index)
            ws.conditional_formatting.add(
                f"{letter}2:{letter}{sheet.shaded_rows + 1}",
                ColorScaleRule(
                    start_type="min", start_color="F7FBFF", end_type="max", end_color="6BAED6"
                ),
            )
        if sheet.notes:
            ws.append([])
            for note in sheet.notes:
                ws.append([safe_cell(note)])
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = (
                sheet.widths[index - 1] if sheet.widths else min(max(len(str(column)) + 2, 10), 40)
            )
            if len(str(column)) > 38:
                ws.cell(row=1, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
