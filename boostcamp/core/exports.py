"""Every download the staff take away: CSV and XLSX tables, and files such as certificates.

The one place that builds such an answer: cells that a spreadsheet would run as formulas are
escaped, the file is an attachment with its name, and no cache on the way keeps it (exports
hold personal data). Both are built whole before they leave: a streamed CSV would read its
rows after the request's context (and its database session) ended. The domains
only say which columns and rows (registrations/staff_views.py, admission/exports.py,
outcomes/imports/exports.py …).
"""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet runs a cell that starts with one of these as a formula: a participant
# typing "=HYPERLINK(…)" as their company must not get to run it on the organiser's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | date | datetime | None


def safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for values in itertools.chain([header], rows):
        writer.writerow([
            v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else safe(v) for v in values
        ])  # fmt: skip
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def _csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """Excel as set up in Belgium opens a CSV by double-click with `;` between columns
    (the comma is the decimal mark there) and reads it as UTF-8 only with the BOM."""
    yield "\ufeff".encode()
    for line in _csv_lines(header, rows):
        yield line.encode("utf-8")


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    return b"".join(_csv_chunks(header, rows))


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], title: str) -> bytes:
    """Datetimes must be local and naive: the XLSX format has no time zones."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # the longest sheet name Excel accepts
    sheet.append([safe(h) for h in header])
    for row in rows:
        sheet.append([safe(v) for v in row])
    for cell in sheet["1"]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(content: bytes, mimetype: str, filename: str) -> Response:
    """A file to save, never kept by a cache on the way."""
    response = Response(content, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def table(fmt: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], *, name: str,
          title: str) -> Response:  # fmt: skip
    """A table as `name`.csv or `name`.xlsx, with `title` as its sheet's name."""
    if fmt == "csv":
        return download(to_csv(header, rows), CSV, f"{name}.csv")
    if fmt == "xlsx":
        return download(to_xlsx(header, rows, title=title), XLSX, f"{name}.xlsx")
    raise ValueError(fmt)
