"""The staff's exports of an event's registrations: the same rows as CSV and as XLSX."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

# A spreadsheet runs a cell that starts with one of these as a formula: a participant
# typing "=HYPERLINK(…)" as their company must not get to run it on the organiser's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | date | datetime | None


def safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Excel as set up in Belgium opens a CSV by double-click with `;` between columns
    (the comma is the decimal mark there) and reads it as UTF-8 only with the BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe(h) for h in header])
    for row in rows:
        writer.writerow([
            v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else safe(v) for v in row
        ])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


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
    """An export to save, never kept by a cache on the way: exports hold personal data."""
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
