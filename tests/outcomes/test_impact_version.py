"""The impact figures are kept under a version bumped by every write to what they count, in
the same transaction: whatever the path (ORM flush, Core statement, driver SQL, another
connection, a cascade, the rule's settings), the very next request shows the change, on
another instance too (a second app: same database, its own cache)."""

import re

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from boostcamp.auth.models import MemberRole, StaffRole, User
from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
from boostcamp.core.policy import impact_scope
from boostcamp.core.extensions import cache, db
from boostcamp.outcomes.impact import figures as impact
from boostcamp.outcomes.impact import version
from boostcamp.outcomes.impact.attribution import current_rule, set_rule
from boostcamp.outcomes.records.models import Certification
from boostcamp.registrations.models import Person, Registration, RegistrationStatus
from tests.api.helpers import bearer, make_token
from tests.conftest import clear_tables, make_app
from tests.factories import PASSWORD, make_check_in, make_person, make_registration, make_user
from tests.outcomes.helpers import PERIOD, world

pytestmark = pytest.mark.both_engines
QUERY = {"from": "2010-01-01", "to": "2010-12-31"}


@pytest.fixture
def instances(database_url):
    """Two instances of the app on one database, each with its own cache (as two servers
    with SimpleCache, or two processes); the world of tests.outcomes.helpers in it."""
    first = make_app(database_url, CACHE_TYPE="SimpleCache")
    second = make_app(database_url, CACHE_TYPE="SimpleCache")
    with first.app_context():
        clear_tables()
        cache.clear()
        w = world()
        staff = make_user("staff@mic.test", role=StaffRole.STAFF)
        token = make_token(w["centre"])
        ids = {k: v.id for k, v in w.items()}
        ids["staff"] = staff.id
        assert version.current(db.session) is not None  # the world's commits made the rows
    with second.app_context():
        cache.clear()
    yield first, second, ids, token
    with first.app_context():
        clear_tables()
        db.engine.dispose()
    with second.app_context():
        db.engine.dispose()


def participants(app) -> int:
    """The dashboard's participants as a request on this instance sees them (kept or not)."""
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == "staff@mic.test"))
        return impact.summarise(impact_scope(staff, *PERIOD)).figures.participants


def both(first, second) -> tuple[int, int]:
    return participants(first), participants(second)


def shown(client) -> int:
    """The dashboard's headline of unique participants, as the page shows it."""
    page = client.get("/staff/impact", query_string=QUERY).get_data(as_text=True)
    return int(re.search(r'which=participants">(\d+)</a>', page).group(1))


def statements(app, do) -> int:
    """How many statements `do` sends to the database of this instance."""
    sent = []
    with app.app_context():
        count = lambda *_a: sent.append(1)  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            do()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(sent)


def test_an_orm_check_in_shows_on_the_next_request_of_both_instances(instances):
    first, second, ids, token = instances
    counted = statements(second, lambda: participants(second))
    before = both(first, second)
    assert both(first, second) == before  # kept: the version did not move
    # Kept indeed: the second instance reads the version, the viewer and the rule, not the
    # facts (a dozen statements more).
    assert statements(second, lambda: participants(second)) < counted - 8
    with first.app_context():
        event = db.session.get(Registration, db.session.scalar(
            sa.select(Registration.id).where(Registration.event_id == ids["of_b"]))).event
        make_check_in(make_registration(event, make_person()), event.sessions[0])
        db.session.commit()
    assert both(first, second) == (before[0] + 1, before[1] + 1)
    # The pages say so too, on the other instance: the dashboard and the API.
    client = second.test_client()
    client.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD})
    api = {"query_string": QUERY, "headers": bearer(token)}
    assert shown(client) == before[0] + 1
    assert second.test_client().get("/api/v1/impact", **api).get_json()["participants"] == \
        before[0] + 1
    with first.app_context():
        event = db.session.get(Registration, db.session.scalar(
            sa.select(Registration.id).where(Registration.event_id == ids["of_a"]))).event
        make_check_in(make_registration(event, make_person()), event.sessions[0])
        db.session.commit()
    assert second.test_client().get("/api/v1/impact", **api).get_json()["participants"] == \
        before[0] + 2
    assert shown(client) == before[0] + 2


def _check_in_rows(registration_ids, nonce):
    from boostcamp.core.db import utcnow

    return [dict(nonce=f"{nonce}-{i}", kind=CheckInKind.ENTRY, counted=True, registration_id=r,
                 method=CheckInMethod.SCAN, scanned_at=utcnow(), received_at=utcnow())
            for i, r in enumerate(registration_ids)]  # fmt: skip


def test_core_statements_and_driver_sql_bump_the_version(instances):
    """A check-in batch (Core insert), a bulk cancel (Core update), a purge on a connection
    of its own (Core delete) and driver SQL: each seen on the next request."""
    first, second, ids, _token = instances
    start = both(first, second)[0]
    with first.app_context():
        newcomer = make_registration(db.session.get(Registration, db.session.scalar(
            sa.select(Registration.id).where(Registration.event_id == ids["of_a"]))).event,
            make_person())  # fmt: skip
        db.session.commit()
        registration_id = newcomer.id
    assert both(first, second) == (start, start)  # registered, not come: no new participant

    with first.app_context():  # a check-in batch, as the scanner's sync sends it
        db.session.execute(sa.insert(CheckIn), _check_in_rows([registration_id], "batch"))
        db.session.commit()
    assert both(first, second) == (start + 1, start + 1)

    with first.app_context():  # cancelled in bulk: no longer counted… by the registered
        db.session.execute(sa.update(Registration).where(Registration.id == registration_id)
                           .values(status=RegistrationStatus.CANCELLED))  # fmt: skip
        db.session.commit()
    with first.app_context():  # a purge on a connection of its own, no session
        with db.engine.begin() as conn:
            conn.execute(sa.delete(CheckIn).where(CheckIn.registration_id == registration_id))
    assert both(first, second) == (start, start)

    with first.app_context():  # driver SQL, as a maintenance script would
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO check_in (nonce, kind, counted, registration_id, method, "
                f"scanned_at, received_at) SELECT 'raw', kind, counted, {registration_id}, method, "
                "scanned_at, received_at FROM check_in LIMIT 1"
            )
    assert both(first, second) == (start + 1, start + 1)


def test_a_cascade_a_certification_and_the_rule_bump_the_version(instances):
    first, second, ids, _token = instances
    with first.app_context():
        staff = db.session.get(User, ids["staff"])
        scope = impact_scope(staff, *PERIOD)
        before = impact.summarise(scope).figures
    with second.app_context():
        assert impact.summarise(scope).figures == before

    with first.app_context():  # a person deleted: their registrations go by ON DELETE CASCADE
        db.session.execute(sa.delete(Person).where(Person.id == ids["founder_a"]))
        db.session.commit()
    with second.app_context():
        after = impact.summarise(scope).figures
    assert after.participants == before.participants - 1
    assert after.startups == before.startups - 1

    with first.app_context():
        certifications = db.session.scalar(sa.select(sa.func.count()).select_from(Certification))
        db.session.execute(sa.delete(Certification))
        db.session.commit()
    with second.app_context():
        assert impact.summarise(scope).figures.certifications_recorded == 0 < certifications

    with first.app_context():
        set_rule(min_attendance_percent=100, startup_months=0, certification_months=0)
        db.session.commit()
        scope = impact_scope(db.session.get(User, ids["staff"]), *PERIOD)
        assert scope.rule == current_rule()
    with second.app_context():
        assert impact.summarise(scope).figures.startups == 0 < after.startups


def test_a_transaction_sees_its_own_change_and_a_rollback_keeps_the_kept_figures(instances):
    first, _second, ids, _token = instances
    with first.app_context():
        staff = db.session.get(User, ids["staff"])
        scope = impact_scope(staff, *PERIOD)
        kept = impact.summarise(scope)
        key_before = version.current(db.session)
        db.session.execute(sa.delete(CheckIn))  # not committed
        assert version.current(db.session) is None
        assert impact.summarise(scope).figures.participants == 0  # its own change, not kept
        db.session.rollback()
        assert version.current(db.session) == key_before
        assert impact.summarise(scope) == kept
        assert impact.summarise(scope).figures.participants > 0


def test_a_partner_cannot_change_the_rule_nor_see_another_partners_kept_figures(instances):
    """Hostile partner: A's manager posts the rule (refused, nothing changes, the version
    neither); A's kept dashboard never answers B's, nor the centre's."""
    first, second, ids, _token = instances
    with first.app_context():
        from boostcamp.organisations.models import Organisation

        a, b = (db.session.get(Organisation, ids[k]) for k in ("a", "b"))
        make_user("a@partner.test", org=a, org_role=MemberRole.MANAGER)
        make_user("b@partner.test", org=b, org_role=MemberRole.MANAGER)
        rule, key = current_rule(), version.current(db.session)
    client_a, client_b = first.test_client(), first.test_client()
    client_a.post("/auth/login", data={"email": "a@partner.test", "password": PASSWORD})
    client_b.post("/auth/login", data={"email": "b@partner.test", "password": PASSWORD})
    page_a = client_a.get("/staff/impact", query_string=QUERY).get_data(as_text=True)
    page_b = client_b.get("/staff/impact", query_string=QUERY).get_data(as_text=True)
    assert "Partner A" in page_a and "Partner B" not in page_a
    assert "Partner B" in page_b and "Partner A" not in page_b
    response = client_a.post("/staff/impact/rule", query_string=QUERY, data={
        "min_attendance_percent": 1, "startup_months": 120, "certification_months": 120})
    assert response.status_code == 403
    with first.app_context():
        assert current_rule() == rule and version.current(db.session) == key
    page_b = client_b.get("/staff/impact", query_string=QUERY).get_data(as_text=True)
    assert "Partner B" in page_b and "Partner A" not in page_b


@pytest.mark.parametrize("statement, counted", [
    ("INSERT INTO check_in (nonce) VALUES (?)", True),
    ('DELETE FROM "registration" WHERE id = 1', True),
    ("UPDATE jobs_snapshot SET headcount=2", True),
    ("\n  update public.certification set name = 'x'", True),
    ('DELETE FROM "audit_entry"; DELETE FROM "check_in"', True),
    ("INSERT OR REPLACE INTO setting (key) VALUES ('x')", True),
    ("SELECT * FROM check_in", False),
    ("UPDATE outbox_message SET sent_at = now()", False),
    ("INSERT INTO impact_version (id) VALUES (1)", False),
    ("INSERT INTO _alembic_tmp_programme SELECT * FROM programme", False),
])
def test_the_writes_counted(statement, counted):
    assert version.writes_counted(statement) is counted


@given(st.text(max_size=200))
def test_any_statement_is_read_without_error(statement):
    assert version.writes_counted(statement) in (True, False)
