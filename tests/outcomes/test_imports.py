"""Imports: a file is checked row by row, and written whole or not at all."""

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from boostcamp.core.extensions import db
from boostcamp.outcomes.imports import exports
from boostcamp.outcomes.imports.importer import FileRejected, run_import
from boostcamp.outcomes.imports.models import ImportKind
from boostcamp.outcomes.records.models import Certification, JobsSnapshot, Startup
from tests.factories import make_person, make_startup

# Both engines: imports write many rows in one transaction, checked by the database.
pytestmark = pytest.mark.both_engines

GOOD_NUMBER = "0123.456.749"  # a valid mod-97
OTHER_NUMBER = "0403.170.701"


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_startups_from_windows_1252_csv_with_founders(app):
    person = make_person("ana@example.be")
    content = csv_bytes(
        "name;enterprise_number;founded_on;city;founder_emails\n"
        f"Brasserie Légère;{GOOD_NUMBER};15/04/2013;Liège;ANA@example.be\n", "windows-1252")
    result = run_import(ImportKind.STARTUPS, content, "startups.csv")
    assert (result.errors, result.created) == ([], 1)
    db.session.commit()
    startup = db.session.scalar(sa.select(Startup))
    assert (startup.name, startup.city, startup.enterprise_number) == (
        "Brasserie Légère", "Liège", "0123456749")
    assert [m.person_id for m in startup.founders] == [person.id]


def test_a_second_import_updates_by_enterprise_number(app):
    make_startup("Old name", enterprise_number=GOOD_NUMBER)
    content = csv_bytes(f"name,enterprise_number,founded_on\nNew name,{GOOD_NUMBER},2012-01-02\n")
    result = run_import(ImportKind.STARTUPS, content, "s.csv")
    assert (result.created, result.updated, result.errors) == (0, 1, [])
    db.session.commit()
    assert db.session.scalar(sa.select(Startup.name)) == "New name"


def test_bad_rows_each_get_their_error_and_nothing_is_kept(app):
    future = (date.today() + timedelta(days=30)).isoformat()
    content = csv_bytes(
        "name;enterprise_number;founded_on;founder_emails\n"
        f"Good;{GOOD_NUMBER};2012-01-02;\n"
        "Bad number;0123.456.748;2012-01-02;\n"
        f"Future;;{future};\n"
        "No date;;;\n"
        f"Twice;{GOOD_NUMBER};2012-01-02;\n"
        "Stranger;;2012-01-02;nobody@example.be\n"
        "Odd date;;31/02/2012;\n")
    result = run_import(ImportKind.STARTUPS, content, "s.csv")
    by_line = {(e.line, e.column) for e in result.errors}
    assert by_line == {(3, "enterprise_number"), (4, "founded_on"), (5, "founded_on"),
                       (6, ""), (7, "founder_emails"), (8, "founded_on")}
    assert "line 2" in next(e.message for e in result.errors if e.line == 6)
    db.session.rollback()
    assert count(Startup) == 0


def test_jobs_for_an_unknown_start_up_or_negative_are_row_errors(app):
    make_startup("Known", enterprise_number=GOOD_NUMBER, founded_on=date(2010, 1, 1))
    content = xlsx_bytes([
        ["enterprise_number", "on", "headcount", "fte"],
        [GOOD_NUMBER, date(2012, 1, 31), 4, 3.5],
        [OTHER_NUMBER, date(2012, 1, 31), 4, None],
        [GOOD_NUMBER, date(2013, 1, 31), -2, None],
        [GOOD_NUMBER, date(2014, 1, 31), "many", None],
        [GOOD_NUMBER, date(2012, 1, 31), 5, None],
    ])
    result = run_import(ImportKind.JOBS, content, "jobs.xlsx")
    assert {(e.line, e.column) for e in result.errors} >= {
        (3, "enterprise_number"), (4, "headcount"), (5, "headcount"), (6, "")}
    assert {e.line for e in result.errors} == {3, 4, 5, 6}
    assert result.created == 1


def test_jobs_from_xlsx(app):
    startup = make_startup("Known", enterprise_number=GOOD_NUMBER, founded_on=date(2010, 1, 1))
    content = xlsx_bytes([["enterprise_number", "on", "headcount", "fte"],
                          [GOOD_NUMBER, date(2012, 1, 31), 4, "2,5"]])
    result = run_import(ImportKind.JOBS, content, "jobs.xlsx")
    assert result.errors == []
    db.session.commit()
    snapshot = db.session.scalar(sa.select(JobsSnapshot))
    assert (snapshot.startup_id, snapshot.on, snapshot.headcount, float(snapshot.fte)) == (
        startup.id, date(2012, 1, 31), 4, 2.5)


def test_certifications_match_people_by_email(app):
    person = make_person("lea@example.be")
    content = csv_bytes("email;name;code;issuer;obtained_on\n"
                        "Lea@Example.be;MCSA;70-410;Microsoft;2012-05-04\n"
                        "ghost@example.be;MCSA;70-410;Microsoft;2012-05-04\n")
    result = run_import(ImportKind.CERTIFICATIONS, content, "c.csv")
    assert [(e.line, e.column) for e in result.errors] == [(3, "email")]
    db.session.rollback()
    content = content.split(b"\r\nghost")[0]
    result = run_import(ImportKind.CERTIFICATIONS, content, "c.csv")
    assert result.errors == []
    db.session.commit()
    assert db.session.scalar(sa.select(Certification.person_id)) == person.id


@pytest.mark.parametrize("content, filename, message", [
    (b"", "x.csv", "empty"),
    (b"\xd0\xcf\x11\xe0rest of an old workbook", "x.xls", ".xls"),
    (b"PK\x03\x04 not really a zip", "x.xlsx", "XLSX"),
    (b"name;founded_on\n\x81\x8d bytes;2012-01-01\n", "x.csv", "characters"),
    (b"\x00\x01\x02binary", "x.csv", "not a CSV"),
    (b"nom;date\nA;2012-01-01\n", "x.csv", "missing columns: name, founded_on"),
    (b"name;founded_on;colour\nA;2012-01-01;red\n", "x.csv", "unknown columns: colour"),
    (b"name;founded_on\n", "x.csv", "no rows"),
])
def test_files_that_cannot_be_read_are_refused_whole(app, content, filename, message):
    with pytest.raises(FileRejected) as e:
        run_import(ImportKind.STARTUPS, content, filename)
    assert message in str(e.value.message)


def test_an_upload_is_imported_once_even_when_confirmed_twice(app):
    from boostcamp.core.errors import Conflict
    from boostcamp.outcomes.imports.importer import confirm_upload
    from boostcamp.outcomes.imports.models import ImportUpload

    upload = ImportUpload(kind=ImportKind.STARTUPS, filename="s.csv",
                          content=b"name;founded_on\nNo number;2012-01-01\n")  # fmt: skip
    db.session.add(upload)
    db.session.commit()
    assert confirm_upload(upload).created == 1
    db.session.commit()
    with pytest.raises(Conflict):
        confirm_upload(upload)
    db.session.rollback()
    assert count(Startup) == 1


def test_a_file_with_too_many_rows_is_refused(app):
    app.config["IMPORT_MAX_ROWS"] = 2
    content = b"name;founded_on\nA;2012-01-01\nB;2012-01-01\nC;2012-01-01\n"
    with pytest.raises(FileRejected) as e:
        run_import(ImportKind.STARTUPS, content, "s.csv")
    assert "more than 2 rows" in str(e.value.message)  # reading stopped there


def test_exports_can_be_imported_again(app):
    founder = make_person("ana@example.be")
    make_startup("Round trip", enterprise_number=GOOD_NUMBER, founders=[founder])
    header, rows = exports.export_rows("startups")
    from boostcamp.core.exports import to_csv

    content = to_csv(header, rows)
    result = run_import(ImportKind.STARTUPS, content, "export.csv")
    assert (result.errors, result.updated) == ([], 1)
