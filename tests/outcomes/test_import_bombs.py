"""Files that cost little to send and a lot to read: refused, and their preview's peak memory
(tracemalloc, the Python heap) stays under 100 MB. Before streaming, the first XLSX took
gigabytes (MemoryError), the second 630 MB, the CSV 830 MB."""

import io
import re
import tracemalloc
import zipfile

import pytest

from boostcamp.outcomes.imports.importer import FileRejected, run_import
from boostcamp.outcomes.imports.models import ImportKind
from tests.outcomes.test_imports import xlsx_bytes

# Both engines: imports write many rows in one transaction.
pytestmark = pytest.mark.both_engines

MEMORY_BOUND = 100 * 1024 * 1024


def with_dimension(content: bytes, dimension: str) -> bytes:
    """The same workbook whose first sheet declares another size (`<dimension ref=…>`)."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                ref = f'<dimension ref="{dimension}"'.encode()
                data, n = re.subn(rb'<dimension ref="[^"]*"', ref, data)
                assert n == 1
            target.writestr(item, data)
    return out.getvalue()


def sparse_sheet(content: bytes, last_row: int) -> bytes:
    """A workbook with one more row, far down the sheet: the rows between are missing."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                far = (f'<row r="{last_row}"><c r="XFD{last_row}" t="inlineStr">'
                       f"<is><t>x</t></is></c></row>")
                data = data.replace(b"</sheetData>", far.encode() + b"</sheetData>")
            target.writestr(item, data)
    return out.getvalue()


def startups_xlsx() -> bytes:
    return xlsx_bytes([["name", "founded_on"], ["Alpha", "2012-01-01"], ["Beta", "2013-02-02"]])


def peak_memory_of(action) -> tuple[Exception | None, int]:
    tracemalloc.start()
    try:
        action()
        error = None
    except FileRejected as e:
        error = e
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, peak


# Slow by design: megabytes of hostile input, read under tracemalloc.
@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:GR300000"])
def test_a_sheet_declaring_a_huge_size_is_read_as_what_it_holds(app, dimension):
    content = with_dimension(startups_xlsx(), dimension)
    assert len(content) < 10_000  # a few kilobytes
    result = None

    def preview():
        nonlocal result
        result = run_import(ImportKind.STARTUPS, content, "bomb.xlsx")

    error, peak = peak_memory_of(preview)
    assert error is None and result.rows == 2 and not result.errors
    assert peak < MEMORY_BOUND, peak


# Slow by design: megabytes of hostile input, read under tracemalloc.
def test_a_sheet_with_a_row_a_million_lines_down_is_refused(app):
    content = sparse_sheet(startups_xlsx(), 1_048_576)
    error, peak = peak_memory_of(lambda: run_import(ImportKind.STARTUPS, content, "far.xlsx"))
    assert error is not None and "lines" in str(error.message)
    assert peak < MEMORY_BOUND, peak


# Slow by design: megabytes of hostile input, read under tracemalloc.
def test_a_row_of_16384_columns_is_refused(app):
    content = sparse_sheet(startups_xlsx(), 4)
    error, peak = peak_memory_of(lambda: run_import(ImportKind.STARTUPS, content, "wide.xlsx"))
    assert error is not None and "columns" in str(error.message)
    assert peak < MEMORY_BOUND, peak


# Slow by design: megabytes of hostile input, read under tracemalloc.
def test_nine_megabytes_of_empty_lines_are_refused(app):
    content = b"name;founded_on\r\n" + b"\r\n" * (9 * 1024 * 1024 // 2)
    error, peak = peak_memory_of(lambda: run_import(ImportKind.STARTUPS, content, "empty.csv"))
    assert error is not None and "lines" in str(error.message)
    assert peak < MEMORY_BOUND, peak


# Slow by design: megabytes of hostile input, read under tracemalloc.
def test_a_csv_line_of_a_million_cells_is_refused(app):
    content = b"name;founded_on\r\nA;2012-01-01" + b";x" * 1_000_000 + b"\r\n"
    error, peak = peak_memory_of(lambda: run_import(ImportKind.STARTUPS, content, "wide.csv"))
    assert error is not None and "columns" in str(error.message)
    assert peak < MEMORY_BOUND, peak


# Slow by design: megabytes of hostile input, read under tracemalloc.
def test_a_part_that_unzips_to_more_than_the_bound_is_refused(app):
    source, out = zipfile.ZipFile(io.BytesIO(startups_xlsx())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/padding.bin", b"\0" * (65 * 1024 * 1024))
    content = out.getvalue()
    error, _peak = peak_memory_of(lambda: run_import(ImportKind.STARTUPS, content, "zip.xlsx"))
    assert error is not None and "unzipped" in str(error.message)
