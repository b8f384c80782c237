"""Column types and helpers shared by every domain's models."""

import contextlib
import contextvars
import enum
import functools
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from boostcamp.core.inputs import page_number
from boostcamp.core.extensions import db

_writing = contextvars.ContextVar("writing", default=False)
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(sa.TypeDecorator):
    """An instant: timezone-aware in Python, stored in UTC.

    PostgreSQL keeps the zone itself; SQLite has no zone, so naive UTC is stored and the
    zone is put back on load. A naive datetime is refused rather than guessed.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give instants with a time zone")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def may_write() -> bool:
    """Whether the current transaction may write: a request whose method changes things, or
    a job run inside writing(). SQLite begins those with BEGIN IMMEDIATE (the write lock);
    pages that only read (and the test suite's own reads) begin without it, so they never
    wait for a writer. A page that reads and sometimes writes uses lock_row."""
    if _writing.get():
        return True
    return has_request_context() and request.method not in READ_ONLY_METHODS


@contextlib.contextmanager
def writing():
    """Transactions begun inside take SQLite's write lock at BEGIN (jobs, the mail worker)."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def str_enum(enum_cls: type[enum.Enum], length: int = 32) -> sa.Enum:
    """An enum stored as its values in a VARCHAR: adding a value needs no migration."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def render_migration_item(type_, obj, autogen_context):
    """Migrations name plain column types, so they never import the application's code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, sa.Enum) and not obj.native_enum:
        return f"sa.String(length={obj.length})"
    return False


def insert_ignoring_conflicts(model, index_elements: list[str], dialect: str | None = None):
    """INSERT … ON CONFLICT (index_elements) DO NOTHING, in the dialect of the session's
    database (or the one named; PostgreSQL and SQLite both have it); with .returning(Model)
    it gives the new row, or None when it was already there."""
    if (dialect or db.session.get_bind().dialect.name) == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing(index_elements=index_elements)
    return sqlite.insert(model).on_conflict_do_nothing(index_elements=index_elements)


def lock_row(model, row_id: int) -> None:
    """Hold a row with an updated_at column until the transaction ends: whoever takes the
    same lock waits here (registrations.seats.lock_event says why it works this way).
    PostgreSQL: SELECT … FOR UPDATE, which also reloads the row. SQLite: a write of the
    column with its own value; a read-only transaction that cannot become the writer is
    rolled back and the lock taken in a new one, so everything read afterwards is current."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_lock_statement(model), {"row_id": row_id})
        return
    try:
        _sqlite_write_lock(model, row_id)
    except sa.exc.OperationalError as error:
        pending = db.session.new or db.session.dirty or db.session.deleted
        if "locked" not in str(error.orig) or pending:
            raise
        db.session.rollback()
        _sqlite_write_lock(model, row_id)


def _sqlite_write_lock(model, row_id: int) -> None:
    # Writes the column with its own value: the row's last change (and the ETags of the
    # calendars built from an event) stays the same.
    db.session.execute(_sqlite_lock_statement(model), {"row_id": row_id})


# Built once per process (the sign-up takes this lock on every request).
@functools.cache
def _lock_statement(model):
    return (sa.select(model).where(model.id == sa.bindparam("row_id")).with_for_update()
            .execution_options(populate_existing=True))  # fmt: skip


@functools.cache
def _sqlite_lock_statement(model):
    table = model.__table__
    return (sa.update(table).where(table.c.id == sa.bindparam("row_id"))
            .values(updated_at=table.c.updated_at))  # fmt: skip


def paginate(select, *, page, per_page: int):
    """db.paginate for a ?page= as sent: an odd value is the first page, one beyond the last
    page the last (as a visitor who edits the address expects), never an error."""
    pagination = db.paginate(select, page=page_number(page), per_page=per_page, error_out=False)
    if not pagination.items and pagination.page > 1 and pagination.pages:
        pagination = db.paginate(select, page=pagination.pages, per_page=per_page, error_out=False)
    return pagination
