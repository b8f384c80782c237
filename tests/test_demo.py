"""The demo data: `flask demo seed` fills a database once, the same way every time, with
accounts that work and events that show where they should."""

import re

import sqlalchemy as sa

from boostcamp.demo import data
from boostcamp.events.models import Event, EventOrganiser, EventStatus, OrganiserRole
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.registrations.models import Person, Registration, RegistrationStatus
from tests.conftest import clear_tables
from tests.factories import make_event

# The accounts the README gives out.
DEMO_ACCOUNTS = [
    ("admin@mic-mons.example", "demo-admin"),
    ("staff@mic-mons.example", "demo-staff"),
    ("manager@mind-and-market.example", "demo-partner"),
    ("checkin@mind-and-market.example", "demo-checkin"),
    ("jury@mind-and-market.example", "demo-jury"),
    ("manager@namur-coworking.example", "demo-partner"),
]


# database URL -> table -> the rows the demo seed left there: seeded once per process and engine
_seeded: dict[str, dict[str, list[dict]]] = {}


def seed() -> None:
    """The demo, in the empty tables of a test. data.seed() costs seconds (1.5 s of CPU, 5-10 s
    on a busy machine) and some twenty tests need the demo: the first of a process seeds, and
    keeps what the seed wrote; the others get the same rows back. The tests of the seed itself
    (the command, the same every time, seeding twice) call data.seed()."""
    # impact_version is not data: clearing the tables bumps it (outcomes/impact/version.py).
    tables = [t for t in db.metadata.sorted_tables if t.name != "impact_version"]
    key = db.engine.url.render_as_string(hide_password=False)
    rows = _seeded.get(key)
    empty = not any(db.session.scalar(sa.select(sa.literal(1)).select_from(t).limit(1))
                    for t in tables)  # fmt: skip
    if rows is None or not empty:
        data.seed()
        db.session.commit()
        analyze()
        if empty:
            _seeded[key] = {t.name: [dict(r) for r in db.session.execute(
                t.select().order_by(*t.primary_key.columns)).mappings()] for t in tables}  # fmt: skip
        return
    for table in tables:
        if rows[table.name]:
            db.session.execute(table.insert(), rows[table.name])
    if db.engine.dialect.name == "postgresql":  # the ids were given: the sequences move on
        for table in tables:
            [column, *more] = table.primary_key.columns
            if not more and isinstance(column.type, sa.Integer):
                db.session.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'),"
                    f' COALESCE(MAX("{column.name}"), 0) + 1, false) FROM "{table.name}"'
                ))  # NULL, and nothing done, for a column without a sequence
    db.session.commit()
    analyze()


def analyze() -> None:
    """PostgreSQL's statistics brought up to date with the demo's thousands of rows, as its
    autovacuum does a while later: planned on the statistics of empty tables, the impact
    figures' anti-joins ran for minutes."""
    if db.engine.dialect.name == "postgresql":
        # This run's tables only: a bare ANALYZE takes every schema of the test database,
        # and deadlocked with another process dropping its own (a migration test).
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.connect() as conn:
            conn.execute(sa.text(f"ANALYZE {tables}"))
            conn.commit()


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def statuses(slug: str) -> dict[RegistrationStatus, int]:
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count())
        .join(Event, Event.id == Registration.event_id)
        .where(Event.slug == slug)
        .group_by(Registration.status)
    )
    return {status: count for status, count in rows}


def sign_in(app, email: str, password: str):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": password})
    return client, response


# Slow by design: seeds the whole demo (several seconds).
def test_seed_command_fills_the_database_once(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    counts = row_counts()
    assert counts["organisation"] == 8
    assert counts["user"] == len(DEMO_ACCOUNTS)
    assert 70 <= counts["event"] <= 100
    assert 1200 <= counts["person"] <= 1800
    assert counts["person"] < counts["registration"] < 3000  # some people come back

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert row_counts() == counts


# Slow by design when it is the first test of its process to call seed(): that one seeds the
# whole demo (several seconds); the next ones get its rows back.
def test_demo_data_holds_together(app):
    seed()
    hosts = db.session.scalars(
        sa.select(Organisation.slug)
        .join(EventOrganiser, EventOrganiser.organisation_id == Organisation.id)
        .where(EventOrganiser.role == OrganiserRole.HOST)
        .distinct()
    ).all()
    assert hosts == ["mic-mons"]
    registered_late = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.created_at >= Event.starts_at)
    )
    assert registered_late == 0
    assert statuses("atelier-pitch-mons") == {
        RegistrationStatus.CONFIRMED: 12,
        RegistrationStatus.WAITLISTED: 4,
    }
    rows = db.session.execute(sa.select(Event.slug, Event.status))
    status_of = {slug: status for slug, status in rows}
    assert status_of["atelier-financement-louvain-la-neuve"] == EventStatus.DRAFT
    assert status_of["formation-power-bi-mons"] == EventStatus.CANCELLED
    first_edition = db.session.scalar(sa.select(sa.func.min(Event.starts_at)))
    assert first_edition.year == 2008 and first_edition.tzinfo is not None


# Slow by design: seeds the whole demo (several seconds), to compare with the process's
# first seed (seed(): seeded earlier, or now).
def test_the_demo_is_the_same_every_time(app):
    def snapshot():
        people = db.session.execute(sa.select(Person.email, Person.first_name, Person.last_name))
        registrations = db.session.execute(
            sa.select(Event.slug, Person.email, Registration.status)
            .join(Event, Event.id == Registration.event_id)
            .join(Person, Person.id == Registration.person_id)
        )
        slugs = db.session.scalars(sa.select(Event.slug))
        return {tuple(p) for p in people}, set(slugs), {tuple(r) for r in registrations}

    seed()
    first = snapshot()
    clear_tables()
    data.seed()  # itself: not seed(), which gives the process's first seed back
    db.session.commit()
    assert snapshot() == first


def test_every_demo_account_signs_in(app):
    seed()
    for email, password in DEMO_ACCOUNTS:
        _, response = sign_in(app, email, password)
        assert response.status_code == 302, email
        assert response.headers["Location"] == "/staff/", email


def test_a_partner_manager_sees_the_events_of_its_platform_only(app):
    seed()
    client, _ = sign_in(app, "manager@mind-and-market.example", "demo-partner")
    html = client.get("/staff/").get_data(as_text=True)
    assert "/events/boostcamp-louvain-la-neuve-mind-and-market" in html
    assert "/events/atelier-financement-louvain-la-neuve" in html  # its own draft
    assert "/events/formation-azure-fundamentals-namur" not in html
    assert "/events/boostcamp-mons-prochaine-edition" not in html

    staff, _ = sign_in(app, "staff@mic-mons.example", "demo-staff")
    assert "/events/formation-azure-fundamentals-namur" in staff.get("/staff/").get_data(
        as_text=True
    )


def test_home_page_shows_upcoming_events_but_not_the_draft(app, client):
    seed()
    html = client.get("/").get_data(as_text=True)
    assert "/events/boostcamp-mons-prochaine-edition" in html
    assert "/events/boostcamp-louvain-la-neuve-mind-and-market" in html
    assert html.count('class="card h-100 event-card"') >= 7
    assert "/events/atelier-financement-louvain-la-neuve" not in html
    assert client.get("/events/atelier-financement-louvain-la-neuve").status_code == 404


# Slow by design: seeds the whole demo (several seconds).
def test_if_empty_seeds_an_empty_database_only(runner):
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    counts = row_counts()
    assert counts["event"] > 0

    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "already has events" in again.output
    assert row_counts() == counts


def test_if_empty_leaves_a_database_with_its_own_events_alone(runner):
    make_event(title="Boostcamp maison")
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert row_counts()["person"] == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1


def test_people_and_texts_look_real(app):
    seed()
    people = db.session.execute(sa.select(Person.first_name, Person.last_name, Person.email))
    first_names, last_names = set(), set()
    name = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:[ '-][A-Za-zÀ-ÖØ-öø-ÿ]+)*")
    for first, last, email in people:
        assert name.fullmatch(first), first
        assert name.fullmatch(last), last
        assert not re.search(r"(?i)\b(person|user|test|lorem|ipsum)\b", f"{first} {last}")
        assert email.endswith(".example")  # never a real mailbox
        first_names.add(first)
        last_names.add(last)
    assert len(first_names) > 60 and len(last_names) > 60
    assert {"Dupont", "Peeters", "El Amrani"} <= last_names  # Walloon, Flemish, Brussels

    texts = db.session.execute(sa.select(Event.title, Event.summary, Event.description))
    for row in texts:
        text = " ".join(t or "" for t in row)
        assert not re.search(r"(?i)lorem|ipsum|\bevent \d|\btest\b", text), row[0]


def test_history_and_logos_look_like_the_real_thing(app, client):
    from boostcamp.audit.models import AuditEntry

    seed()
    # Events of 2008 were created in 2008, not on the day the demo was seeded.
    created = db.session.execute(
        sa.select(Event.starts_at, AuditEntry.at)
        .join(AuditEntry, AuditEntry.event_id == Event.id)
        .where(AuditEntry.action == "created")
    ).all()
    assert created and all(at <= starts_at for starts_at, at in created)
    centre = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "mic-mons"))
    assert client.get(centre.logo_url).status_code == 200


def test_a_newcomer_takes_the_last_seat_of_the_demo_boostcamp_and_passes_it_on(app):
    """The README's tour: sign up, the next sign-up waits, cancel, the next one is offered it."""
    from boostcamp.registrations import tickets, waiting_list
    from tests.factories import sign_up
    from tests.registrations.helpers import mails

    seed()
    event = db.session.scalar(sa.select(Event).where(Event.slug == "boostcamp-mons-prochaine-edition"))
    assert statuses(event.slug) == {RegistrationStatus.CONFIRMED: event.capacity - 1}

    newcomer = sign_up(event, "nouvelle@example.be").registration
    waiting = sign_up(event, "suivant@example.be").registration
    assert (newcomer.status, waiting.status) == (RegistrationStatus.CONFIRMED,
                                                 RegistrationStatus.WAITLISTED)  # fmt: skip

    waiting_list.cancel_registration(newcomer, reason=waiting_list.CancelReason.SELF)
    db.session.commit()
    [offer] = mails("registration_offer", to="suivant@example.be")
    assert tickets.manage_url(waiting) in offer.body_text
