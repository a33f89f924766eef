"""Reading uploaded tables: bounded before reading, clear errors instead of crashes."""

import io
import re
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from yhdyspinta.core import tables
from yhdyspinta.core.tables import ImportRejected, read_table


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def xlsx(rows, *, dimension: str | None = None, last: str = "") -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if last:
        book.active.cell(row=1_048_576, column=1, value=last)
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    if dimension is None:
        return content
    # Rewrite the sheet's claimed size, as a hostile or damaged file may have it.
    source = zipfile.ZipFile(io.BytesIO(content))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data
                )
                assert dimension.encode() in data
            target.writestr(member, data)
    return result.getvalue()


def read(name, content):
    return read_table(name, content, required=("email",), allowed=("email", "name"))


def message(excinfo) -> str:
    return excinfo.value.errors[0].message


def test_a_sheet_claiming_the_whole_grid_is_read_in_little_memory():
    content = xlsx(
        [["email", "name"], ["a@example.org", "Aino"]],
        dimension="A1:XFD1048576",
        last="z@example.org",  # on the sheet's last row: every row between is "there"
    )
    assert len(content) < 10_000
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as rejected:
            read("list.xlsx", content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rejected.value.errors[0].row == tables.MAX_LINES + 1
    assert "too long" in message(rejected)
    assert peak < 50 * 1024 * 1024
    # The same claim without the far row: read as the two rows it has.
    content = xlsx([["email", "name"], ["a@example.org", "Aino"]], dimension="A1:XFD1048576")
    rows = read("list.xlsx", content)
    assert [dict(r) for r in rows] == [{"email": "a@example.org", "name": "Aino"}]


def test_too_many_rows_are_refused_with_the_row():
    lines = ["email"] + [f"p{n}@example.org" for n in range(tables.MAX_ROWS + 1)]
    with pytest.raises(ImportRejected) as rejected:
        read("list.csv", "\n".join(lines).encode())
    assert rejected.value.errors[0].row == tables.MAX_ROWS + 2
    assert "Too many rows" in message(rejected)


def test_too_many_columns_are_refused():
    header = ",".join(["email"] + [f"c{n}" for n in range(tables.MAX_COLUMNS)])
    with pytest.raises(ImportRejected) as rejected:
        read("list.csv", header.encode())
    assert "Too many columns" in message(rejected)


def test_a_large_file_is_refused_before_reading():
    with pytest.raises(ImportRejected) as rejected:
        read("list.csv", b"email\n" + b"x" * (tables.MAX_BYTES + 1))
    assert "too large" in message(rejected)


def test_a_zip_that_unpacks_too_far_is_refused(settings, monkeypatch):
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 10_000)
    content = xlsx([["email"], ["a" * 20_000]])
    with pytest.raises(ImportRejected) as rejected:
        read("list.xlsx", content)
    assert "too large" in message(rejected)


def test_a_one_column_csv_is_read():
    rows = read("list.csv", b"email\na@example.org\nb@example.org\n")
    assert [r["email"] for r in rows] == ["a@example.org", "b@example.org"]


def test_semicolons_are_found():
    rows = read("list.csv", b"email;name\na@example.org;Aino, Ahola\n")
    assert rows[0]["name"] == "Aino, Ahola"


@pytest.mark.parametrize(
    "content", [b"email\n\x00a@example.org\n", b'email\n"' + b"x" * 200_000 + b'"\n']
)
def test_unreadable_csv_gives_an_error_not_a_crash(content):
    with pytest.raises(ImportRejected) as rejected:
        read("list.csv", content)
    assert "could not be read" in message(rejected)


def test_not_a_workbook():
    with pytest.raises(ImportRejected) as rejected:
        read("list.xlsx", b"PK\x03\x04 not really")
    assert "not a readable XLSX" in message(rejected)
