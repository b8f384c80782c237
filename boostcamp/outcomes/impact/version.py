"""The version of everything the impact figures count, bumped by every write to it.

A few rows (impact_version, ids 1 to SLOTS), each a token drawn when the row is made and a
counter. Every transaction that wrote to a table the figures count adds 1 to the counter
of one row, drawn at random, just before it commits, in the same transaction: the figures
kept under the rows' (token, counter) are those of the base as it was, and the next
request after any change, on any worker, reads a new version (the rows, by their primary
key) and counts again.

Writes are seen where SQLAlchemy sends them to the database (before_cursor_execute), so
ORM flushes, bulk and Core statements (imports, retention purges, erasure, check-in
batches), text() and driver SQL are all caught by the table they write to. A table whose
rows go when a counted row's parent goes (ON DELETE CASCADE from person, event, start-up
or programme) is covered by its parent, which is counted. The counter is taken at commit,
not at the first write, so that PostgreSQL holds its row lock only while committing, and
one of several rows, so that concurrent commits (sign-ups, check-in batches) seldom wait
on each other at all.
"""

import hashlib
import random
import re
import uuid
import weakref

import sqlalchemy as sa

from boostcamp.outcomes.impact.models import ImpactVersion

# Every table the figures read, and those whose deletion cascades into them (person).
COUNTED = frozenset({
    "check_in", "registration", "person", "event", "event_session", "event_organiser",
    "event_audience", "organisation", "startup", "startup_member", "jobs_snapshot",
    "certification", "programme", "programme_event",
    "setting",  # the rule's settings (also part of the key, as the Scope's rule)
})  # fmt: skip
_WRITE = re.compile(  # each statement of the string (PostgreSQL takes several at once)
    r'(?:^|;)\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(?:"?\w+"?\.)?"?(\w+)"?',
    re.IGNORECASE,
)
CHANGED = "impact_changed"  # in the connection's info: a counted write not yet committed
SLOTS = 8
_BUMP = sa.text(
    "INSERT INTO impact_version (id, token, version) VALUES (:slot, :token, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = impact_version.version + 1"
)  # a row missing (a base emptied by hand) is made again, with a new token
_with_table: "weakref.WeakSet[sa.Engine]" = weakref.WeakSet()


def writes_counted(statement: str) -> bool:
    """Whether the SQL statement inserts into, updates or deletes from a counted table."""
    return any(found.group(1).lower() in COUNTED for found in _WRITE.finditer(statement))


@sa.event.listens_for(sa.Engine, "before_cursor_execute")
def _seen(conn, _cursor, statement, _parameters, _context, _executemany):
    if not conn.info.get(CHANGED) and writes_counted(statement):
        conn.info[CHANGED] = True
    elif statement.lstrip()[:4].upper() == "DROP":  # a downgrade, a test's schema dropped
        _with_table.discard(conn.engine)


@sa.event.listens_for(sa.Engine, "commit")
def _bump(conn):
    if conn.info.pop(CHANGED, False) and _has_table(conn):
        conn.execute(_BUMP, {"slot": random.randint(1, SLOTS), "token": uuid.uuid4().hex})


@sa.event.listens_for(sa.Engine, "rollback")
def _forget(conn):
    conn.info.pop(CHANGED, None)


def _has_table(conn) -> bool:
    """The table is there from migration 0026 on: a base being migrated up to it has none."""
    if conn.engine in _with_table:
        return True
    if sa.inspect(conn).has_table(ImpactVersion.__tablename__):
        _with_table.add(conn.engine)
        return True
    return False


def current(session) -> str | None:
    """The version the session's transaction sees, read by primary key; None when the
    figures must be counted afresh and not kept: the transaction itself wrote something
    they count (not yet committed, so not yet versioned), or there is no row."""
    rows = session.execute(
        sa.select(ImpactVersion.id, ImpactVersion.token, ImpactVersion.version)
        .where(ImpactVersion.id.between(1, SLOTS))
        .order_by(ImpactVersion.id)
    ).all()  # autoflush first: the session's own pending changes are then seen below
    if not rows or session.connection().info.get(CHANGED):
        return None
    seen = ";".join(f"{i}:{token}:{version}" for i, token, version in rows)
    return hashlib.blake2b(seen.encode(), digest_size=16).hexdigest()
