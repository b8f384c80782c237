"""Reading an import file: CSV (any usual encoding and separator) or XLSX, into a header and
rows of stripped text, refusing whatever is not a table of a sane size (FileRejected)."""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from boostcamp.core.errors import DomainError


class FileRejected(DomainError):
    """The file as a whole cannot be read: its format, encoding or columns."""

    code = "file_rejected"


XLSX_MAGIC = b"PK\x03\x04"
MAX_COLUMNS = 50  # the widest kind has 12
EMPTY_LINES_FACTOR = 4  # lines read, empty ones included, at most 4 × IMPORT_MAX_ROWS
XLSX_MAX_PART_BYTES = 64 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


def read_table(
    content: bytes, filename: str, max_rows: int | None = None
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, [(line, {column: text})]); cells are stripped text, dates in ISO form.
    Empty lines are left out. The file is read row by row and reading stops at the limits
    (rows, lines, columns) with FileRejected, so no file holds more than max_rows rows in
    memory, whatever size its sheet declares."""
    if max_rows is None:
        max_rows = current_app.config["IMPORT_MAX_ROWS"]
    if not content.strip():
        raise FileRejected(_l("The file is empty."))
    if content.startswith(OLE_MAGIC):
        raise FileRejected(_l("This is an old Excel file (.xls): save it as .xlsx or CSV."))
    if content.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        table = _read_xlsx(content)
    else:
        table = _read_csv(_decode(content))
    header = [_column_name(h) for h in next(table, [])]
    while header and not header[-1]:  # a sheet's rows come padded with empty cells
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise FileRejected(_l("The file has more than %(n)d columns.", n=MAX_COLUMNS))
    rows = []
    max_lines = max_rows * EMPTY_LINES_FACTOR + 1
    for line, cells in enumerate(table, start=2):
        if line > max_lines:
            raise FileRejected(_l("The file has more than %(n)d lines.", n=max_lines))
        if not any(cells):
            continue
        if len(rows) == max_rows:  # each check runs in one request: keep it under a timeout
            raise FileRejected(_l("The file has more than %(limit)d rows; send at most "
                                  "%(limit)d at a time.", limit=max_rows))  # fmt: skip
        extra = cells[len(header):]
        if any(extra):
            rows.append((line, {"_": _("This line has more cells than the header has columns.")}))
            continue
        rows.append((line, {name: (cells[i] if i < len(cells) else "")
                            for i, name in enumerate(header)}))  # fmt: skip
    return header, rows


def _column_name(text: str) -> str:
    return "_".join(str(text or "").replace("\ufeff", "").strip().lower().split())


# Characters below 32 other than tab and line ends: a regular expression, not a loop in
# Python over every character (a 9 MB upload took seconds).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode text"), or
    Windows-1252: what Excel writes in Belgium for "CSV (separator: ;)"."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        if b"\x00" in content:
            raise FileRejected(_l("This is not a CSV or XLSX file."))
        candidates = ("utf-8-sig", "windows-1252")
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            break  # binary data that happens to decode
        return text
    raise FileRejected(
        _l("The file's characters cannot be read: save it as CSV UTF-8 or as XLSX.")
    )


def _read_csv(text: str) -> Iterator[list[str]]:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
                raise FileRejected(_l("The file has more than %(n)d columns.", n=MAX_COLUMNS))
            yield [cell.strip() for cell in row[:MAX_COLUMNS + 1]]
    except csv.Error as e:
        raise FileRejected(_l("The CSV file cannot be read: %(reason)s", reason=str(e))) from e


def _read_xlsx(content: bytes) -> Iterator[list[str]]:
    """The first sheet row by row, in openpyxl's read-only mode, its declared dimension
    ignored (a few kilobytes may declare A1:XFD1048576: 17 billion cells to pad)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise FileRejected(_l("This XLSX file cannot be read: is it an Excel workbook?")) from e
    # A part is read whole (shared strings) or at length: its unzipped size is bounded.
    if any(part.file_size > XLSX_MAX_PART_BYTES for part in parts):
        book.close()
        raise FileRejected(_l("This XLSX file is too large once unzipped."))
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):  # each as wide as its last cell
            if len(row) > MAX_COLUMNS and any(v is not None for v in row[MAX_COLUMNS:]):
                raise FileRejected(_l("The file has more than %(n)d columns.", n=MAX_COLUMNS))
            yield [_cell_text(v) for v in row[:MAX_COLUMNS]]
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
