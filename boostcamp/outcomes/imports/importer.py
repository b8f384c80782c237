"""Imports of start-ups, jobs snapshots and certifications from CSV or XLSX (read by
imports.reading; imports.exports writes the same columns, so an export can be imported again).

An import runs the rows through the same services as the staff pages, each row in a
savepoint so that one bad row does not hide the others' errors. The caller decides: a
preview rolls everything back, a confirmation commits only when no row has an error.
So a file is imported whole or not at all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from boostcamp.audit import services as audit
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, DomainError, ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.outcomes.imports.models import ImportKind, ImportUpload
from boostcamp.outcomes.imports.reading import FileRejected, read_table
from boostcamp.outcomes.records import services as outcomes
from boostcamp.outcomes.records.kbo import validate_enterprise_number
from boostcamp.outcomes.records.models import (
    Certification,
    JobsSnapshot,
    Startup,
    StartupRole,
    StartupStatus,
)
from boostcamp.registrations.models import Person, normalise_email


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: Any  # a lazy string for the README-like help on the upload page


COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.STARTUPS: (
        Column("name", True, _l("the company's name")),
        Column("enterprise_number", False,
               _l("KBO/BCE number, e.g. 0123.456.749; matches an existing start-up")),
        Column("founded_on", True, _l("date, e.g. 2013-04-15 or 15/04/2013")),
        Column("legal_form", False, _l("SRL, SA, ASBL …")),
        Column("sector", False, ""),
        Column("city", False, ""),
        Column("website", False, ""),
        Column("status", False, _l("active, closed or acquired (active if empty)")),
        Column("status_since", False, _l("date it closed or was acquired")),
        Column("supported_from", False, _l("date")),
        Column("supported_until", False, _l("date")),
        Column("founder_emails", False,
               _l("e-mail addresses of known people, separated by spaces or commas")),
    ),
    ImportKind.JOBS: (
        Column("enterprise_number", True, _l("the start-up's KBO/BCE number")),
        Column("on", True, _l("date of the count")),
        Column("headcount", True, _l("people employed, a whole number")),
        Column("fte", False, _l("full-time equivalents, e.g. 2.5 (the headcount if empty)")),
    ),
    ImportKind.CERTIFICATIONS: (
        Column("email", True, _l("e-mail address of a known person")),
        Column("name", True, _l("the certification's name")),
        Column("code", False, _l("the exam's code, e.g. 70-480")),
        Column("issuer", True, _l("e.g. Microsoft")),
        Column("obtained_on", True, _l("date")),
    ),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
SAMPLE_ROWS = 10


@dataclass(frozen=True)
class RowError:
    line: int  # as the spreadsheet numbers it: the header is line 1
    column: str
    message: str


@dataclass
class ImportResult:
    kind: ImportKind
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    sample: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    @property
    def lines_with_errors(self) -> int:
        return len({e.line for e in self.errors})


def check_columns(kind: ImportKind, header: list[str]) -> None:
    known = {c.name for c in COLUMNS[kind]}
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in header]
    unknown = [h or "?" for h in header if h not in known]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("missing columns: %(names)s", names=", ".join(missing)))
    if unknown:
        problems.append(_("unknown columns: %(names)s", names=", ".join(unknown)))
    if duplicated:
        problems.append(_("columns given twice: %(names)s", names=", ".join(duplicated)))
    if problems:
        raise FileRejected(
            _("The columns do not match a file of %(kind)s (%(problems)s). Expected: %(names)s.",
              kind=str(ImportKind(kind).label).lower(), problems="; ".join(problems),
              names=", ".join(c.name for c in COLUMNS[kind]))
        )  # fmt: skip


# ---------------------------------------------------------------- cell values


class CellError(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _date(row: dict[str, str], column: str) -> date | None:
    text = row.get(column, "")
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
        except ValueError:
            continue
    raise CellError(
        column, _("Not a date: %(value)s (write 2013-04-15 or 15/04/2013).", value=text)
    )


def _whole_number(row: dict[str, str], column: str) -> int | None:
    text = row.get(column, "").replace(" ", "")
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value():
        raise CellError(column, _("Not a whole number: %(value)s.", value=text))
    return int(number)


def _decimal(row: dict[str, str], column: str) -> Decimal | None:
    text = row.get(column, "").replace(" ", "")
    if not text:
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise CellError(column, _("Not a number: %(value)s.", value=text)) from None


def _enterprise_number(row: dict[str, str], column: str = "enterprise_number") -> str | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        return validate_enterprise_number(text)
    except ValidationFailed as e:
        raise CellError(column, next(iter(e.errors.values()))) from None


def _required(row: dict[str, str], column: str, value: Any) -> Any:
    if value is None or value == "":
        raise CellError(column, _("This cell must be filled in."))
    return value


def _text(row: dict[str, str], column: str) -> str | None:
    return row.get(column) or None


# ---------------------------------------------------------------- one row of each kind


class Importer:
    """Runs a file's rows; looks people and start-ups up once per file."""

    def __init__(self, kind: ImportKind, header: list[str], rows: list[tuple[int, dict[str, str]]]):
        self.kind, self.header, self.rows = kind, header, rows
        self.result = ImportResult(kind, rows=len(rows), sample=rows[:SAMPLE_ROWS])
        emails = {normalise_email(e) for _line, row in rows for e in self._emails(row)}
        self.people = {p.email: p for p in db.session.scalars(
            sa.select(Person).where(Person.email.in_(emails)))} if emails else {}  # fmt: skip
        self.seen: dict[Any, int] = {}

    def _emails(self, row: dict[str, str]) -> list[str]:
        if self.kind == ImportKind.CERTIFICATIONS:
            return [row.get("email", "")]
        if self.kind == ImportKind.STARTUPS:
            return row.get("founder_emails", "").replace(",", " ").replace(";", " ").split()
        return []

    def run(self) -> ImportResult:
        apply: Callable[[int, dict[str, str]], None] = {
            ImportKind.STARTUPS: self._startup,
            ImportKind.JOBS: self._jobs,
            ImportKind.CERTIFICATIONS: self._certification,
        }[self.kind]
        for line, row in self.rows:
            if "_" in row:
                self._error(line, "", row["_"])
                continue
            savepoint = db.session.begin_nested()
            try:
                apply(line, row)
                db.session.flush()
            except CellError as e:
                savepoint.rollback()
                self._error(line, e.column, e.message)
            except ValidationFailed as e:
                savepoint.rollback()
                for column, message in e.errors.items():
                    self._error(line, "" if column == "_" else column, message)
            except DomainError as e:
                savepoint.rollback()
                self._error(line, e.field or "", e.message)
            except IntegrityError:
                savepoint.rollback()
                self._error(line, "", _("This row contradicts a record already saved."))
            else:
                savepoint.commit()
        return self.result

    def _error(self, line: int, column: str, message: Any) -> None:
        self.result.errors.append(RowError(line, column, str(message)))

    def _once(self, line: int, key: Any) -> None:
        if key in self.seen:
            raise CellError("", _("This row repeats line %(line)d.", line=self.seen[key]))
        self.seen[key] = line

    def _person(self, column: str, email: str) -> Person:
        person = self.people.get(normalise_email(email))
        if person is None:
            raise CellError(column, _("Nobody with the e-mail address %(email)s is known.",
                                      email=email))  # fmt: skip
        return person

    def _startup_by_number(self, number: str | None) -> Startup | None:
        if number is None:
            return None
        return db.session.scalar(sa.select(Startup).where(Startup.enterprise_number == number))

    def _startup(self, line: int, row: dict[str, str]) -> None:
        number = _enterprise_number(row)
        name = _required(row, "name", _text(row, "name"))
        self._once(line, ("number", number) if number else ("name", name.casefold()))
        status_text = row.get("status", "")
        try:
            status = StartupStatus(status_text.lower()) if status_text else None
        except ValueError:
            values = ", ".join(s.value for s in StartupStatus)
            message = _("The status is one of: %(values)s.", values=values)
            raise CellError("status", message) from None
        fields: dict[str, Any] = {
            "name": name,
            "enterprise_number": number,
            "founded_on": _required(row, "founded_on", _date(row, "founded_on")),
        }
        for column in ("legal_form", "sector", "city", "website"):
            if column in self.header:
                fields[column] = _text(row, column)
        for column in ("status_since", "supported_from", "supported_until"):
            if column in self.header:
                fields[column] = _date(row, column)
        if "status" in self.header:
            fields["status"] = status or StartupStatus.ACTIVE
        founders = [self._person("founder_emails", e) for e in self._emails(row)]
        startup = self._startup_by_number(number)
        if startup is None:
            startup = outcomes.create_startup(**fields)
            self.result.created += 1
        else:
            fields.pop("enterprise_number")
            outcomes.update_startup(startup, **fields)
            self.result.updated += 1
        members = {m.person_id for m in startup.members}
        for person in founders:
            if person.id not in members:
                outcomes.add_member(startup, person, StartupRole.FOUNDER)
                members.add(person.id)

    def _jobs(self, line: int, row: dict[str, str]) -> None:
        number = _required(row, "enterprise_number", _enterprise_number(row))
        on = _required(row, "on", _date(row, "on"))
        self._once(line, (number, on))
        headcount = _required(row, "headcount", _whole_number(row, "headcount"))
        fte = _decimal(row, "fte")
        startup = self._startup_by_number(number)
        if startup is None:
            raise CellError("enterprise_number",
                            _("No start-up has the enterprise number %(number)s.",
                              number=row["enterprise_number"]))  # fmt: skip
        existing = db.session.scalar(
            sa.select(JobsSnapshot).where(JobsSnapshot.startup_id == startup.id,
                                          JobsSnapshot.on == on))  # fmt: skip
        outcomes.record_jobs(startup, on, headcount, fte)
        if existing is None:
            self.result.created += 1
        else:
            self.result.updated += 1

    def _certification(self, line: int, row: dict[str, str]) -> None:
        email = _required(row, "email", _text(row, "email"))
        name = _required(row, "name", _text(row, "name"))
        obtained_on = _required(row, "obtained_on", _date(row, "obtained_on"))
        person = self._person("email", email)
        self._once(line, (person.id, name.casefold(), obtained_on))
        existing = db.session.scalar(
            sa.select(Certification).where(
                Certification.person_id == person.id, Certification.name == name,
                Certification.obtained_on == obtained_on,
            )
        )  # fmt: skip
        fields = dict(name=name, code=_text(row, "code"),
                      issuer=_required(row, "issuer", _text(row, "issuer")),
                      obtained_on=obtained_on)  # fmt: skip
        if existing is None:
            outcomes.add_certification(person, **fields)
            self.result.created += 1
        else:
            outcomes.update_certification(existing, **fields)
            self.result.updated += 1


def run_import(kind: ImportKind, content: bytes, filename: str) -> ImportResult:
    """Reads the file and writes its rows into the session (flushed, never committed):
    roll back when the result has errors or for a preview. FileRejected for a file that
    cannot be read at all."""
    header, rows = read_table(content, filename)
    check_columns(kind, header)
    if not rows:
        raise FileRejected(_l("The file has a header but no rows."))
    return Importer(kind, header, rows).run()


def keep_upload(
    kind: ImportKind, content: bytes, filename: str | None, user_id: int
) -> ImportUpload:
    """Keeps an uploaded file for its preview and confirmation (flushed), and forgets the
    uploads older than IMPORT_KEEP_HOURS."""
    db.session.execute(sa.delete(ImportUpload).where(
        ImportUpload.created_at < utcnow() - timedelta(
            hours=current_app.config["IMPORT_KEEP_HOURS"])))  # fmt: skip
    upload = ImportUpload(kind=kind, content=content, filename=(filename or "import")[-200:],
                          user_id=user_id)  # fmt: skip
    db.session.add(upload)
    db.session.flush()
    return upload


def confirm_upload(upload: ImportUpload, *, actor: audit.Actor | None = None) -> ImportResult:
    """The confirmed import: the upload is claimed first by a write only one request can win
    (a double click, two tabs), then the rows are written. Conflict if it was imported
    already; FileRejected when the file or a row has errors, and then nothing is kept, the
    claim included (the request's unit of work keeps nothing after a refusal)."""
    claimed = db.session.execute(
        sa.update(ImportUpload)
        .where(ImportUpload.id == upload.id, ImportUpload.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if not claimed:
        raise Conflict(_l("This file has been imported already."))
    result = run_import(upload.kind, upload.content, upload.filename)
    if result.errors:
        raise FileRejected(_l("Nothing was imported: the file has errors."))
    upload.content = b""  # not kept once imported
    audit.record("outcomes_imported", actor=audit.Actor.of(actor=actor), changes={
        "kind": [None, upload.kind.value], "file": [None, upload.filename],
        "created": [None, result.created], "updated": [None, result.updated]})  # fmt: skip
    db.session.flush()
    return result


def dry_run(upload: ImportUpload) -> tuple[ImportResult | None, str | None]:
    """The import as it would go, rolled back: (result, None) or (None, the file's problem)."""
    try:
        result = run_import(upload.kind, upload.content, upload.filename)
    except FileRejected as e:
        return None, e.message
    finally:
        db.session.rollback()
    return result, None
