"""One commit per request, in one place.

A view loads, authorises, validates and calls one service; it does not commit. When it answers
below 400 and the request wrote something, the transaction is committed here, before the answer
leaves: a commit that fails becomes an error page, never a "done" page over a lost write. An
exception, an answer of 400 or more (a form sent back with its errors, a refused API call), or a
service's refusal (a DomainError raised during the request, even one the view turned into a
message) commits nothing: the session is rolled back when the request ends, so nothing
half-done is kept.
Mail goes into the outbox in the same transaction, so it leaves only once this commit is made.

The one other commit of a request is keep_now(), here too: a write kept even when the request
then fails (an API token's last use, noted before the request's own work). Jobs and commands,
which have no request, commit their own batches.
"""

import contextlib

import sqlalchemy as sa
from flask import Flask, Response, g
from flask_sqlalchemy.session import Session

from boostcamp.core.extensions import db

WROTE = "unit_of_work.wrote"


def _wrote(session) -> None:
    session.info[WROTE] = True


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context) -> None:
    _wrote(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _wrote(state.session)


@sa.event.listens_for(Session, "after_transaction_end")
def _settled(session, transaction) -> None:
    # Only the outermost transaction: a savepoint released or rolled back (an insert that
    # may collide) leaves the request's other writes to commit.
    if transaction.parent is None:
        session.info.pop(WROTE, None)


@contextlib.contextmanager
def kept_apart():
    """One item of a batch (a device's queued scans) whose refusal is its own answer and does
    not refuse the others: the service wrote nothing for it (it checks before it writes), so
    the request still commits the rest."""
    refused = g.get("refused", False)
    try:
        yield
    finally:
        g.refused = refused


def _pending(session) -> bool:
    """Objects added, changed or deleted but not flushed yet (a view that writes and
    redirects without a query in between)."""
    return bool(session.new or session.dirty or session.deleted)


def commit_if_done(response: Response) -> Response:
    session = db.session()
    if response.status_code < 400 and not g.get("refused") and (
        session.info.get(WROTE) or _pending(session)
    ):
        session.commit()
    return response


def keep_now() -> None:
    """Commits what the request wrote so far, before its own work starts: kept even if that
    work is then refused or fails (the API's before_request notes a token's use this way)."""
    db.session.commit()


def register(app: Flask) -> None:
    app.after_request(commit_if_done)
