"""The impact dashboard's figures on a large base, beside counting them person by person.

A scratch SQLite database, migrated, gets `--events` past events (two-day trainings,
Boostcamps and workshops of two sessions over seven years), `--people` people each
registered to a few of them and checked in to most sessions, a start-up for one person in
twenty (its founder plus a team member) with a jobs count, and about one certification per
two people. The attribution rule's figures for 2008–2011 (start-ups credited, their jobs,
certifications credited) are then computed two ways:

- set-based: `outcomes.impact.figures`, what the dashboard, exports and API use — a fixed
  number of SQL statements whatever the size of the base;
- the baseline: the obvious loop — for each founder and each certification holder, a query
  for their attendances, the rule applied in Python.

Both must give the same numbers. Target: the set-based figures take at most 0.5 × the loop.
The whole dashboard page is timed too, with its number of SQL statements.

    python -m bench.impact [--events 600] [--people 12000] [--repeat 3]

Results go to bench/results/impact.json.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from bench.ical_feed import timed

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "impact.json"
TARGET = 0.5  # × the person-by-person loop
PERIOD = (date(2008, 1, 1), date(2011, 12, 31))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.impact", description=__doc__)
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--people", type=int, default=12000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    return parser.parse_args(argv)


def fill(n_events: int, n_people: int, per_person: int = 3, attend: float = 0.8,
         n_startups: int | None = None, n_certifications: int | None = None,
         years: int = 7) -> None:  # fmt: skip
    """Bulk inserts: what the rule reads, nothing else."""
    from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
    from boostcamp.events.models import (
        Event,
        EventKind,
        EventOrganiser,
        EventSession,
        EventStatus,
        OrganiserRole,
    )
    from boostcamp.core.extensions import db
    from boostcamp.organisations.models import OrganisationKind
    from boostcamp.organisations.services import create_organisation
    from boostcamp.outcomes.records.models import (
        Certification,
        JobsSnapshot,
        Startup,
        StartupMember,
        StartupRole,
    )
    from boostcamp.registrations.models import Person, Registration, RegistrationStatus

    rng = random.Random(2012)
    now = datetime.now(timezone.utc)
    centre = create_organisation("MIC Mons", OrganisationKind.CENTRE, slug="mic-mons")
    first = datetime(2008, 1, 7, 8, tzinfo=timezone.utc)
    kinds = (EventKind.TRAINING, EventKind.BOOSTCAMP, EventKind.WORKSHOP)
    starts = [first + timedelta(days=rng.randrange(years * 365)) for _ in range(n_events)]
    events = [dict(slug=f"e-{i}", title=f"Événement {i}", kind=kinds[i % 3],
                   status=EventStatus.PUBLISHED, city=("Mons", "Namur", "Liège")[i % 3],
                   starts_at=s, ends_at=s + timedelta(days=1, hours=9), created_at=now,
                   updated_at=now) for i, s in enumerate(starts)]  # fmt: skip
    event_ids = db.session.scalars(sa.insert(Event).returning(Event.id), events).all()
    db.session.execute(sa.insert(EventOrganiser), [
        dict(event_id=e, organisation_id=centre.id, role=OrganiserRole.HOST) for e in event_ids
    ])  # fmt: skip
    session_rows = [dict(event_id=e, title=f"Jour {d + 1}", starts_at=s + timedelta(days=d),
                         ends_at=s + timedelta(days=d, hours=8))
                    for e, s in zip(event_ids, starts) for d in range(2)]  # fmt: skip
    session_ids = db.session.scalars(
        sa.insert(EventSession).returning(EventSession.id), session_rows
    ).all()
    sessions = {e: session_ids[2 * i: 2 * i + 2] for i, e in enumerate(event_ids)}
    person_ids = db.session.scalars(sa.insert(Person).returning(Person.id), [
        dict(email=f"p{i}@bench.example", first_name="Prénom", last_name=f"Nom {i}",
             created_at=now, updated_at=now) for i in range(n_people)
    ]).all()  # fmt: skip
    registrations, first_event = [], {}
    for person in person_ids:
        for event in rng.sample(range(n_events), per_person):
            registrations.append(dict(event_id=event_ids[event], person_id=person,
                                      status=RegistrationStatus.CONFIRMED,
                                      ticket_code=f"T{person}-{event}", created_at=now,
                                      updated_at=now))  # fmt: skip
            first_event.setdefault(person, event)
    registration_ids = db.session.scalars(
        sa.insert(Registration).returning(Registration.id), registrations
    ).all()
    check_ins = []
    for registration_id, r in zip(registration_ids, registrations):
        for n, session in enumerate(sessions[r["event_id"]]):
            if rng.random() < attend:
                check_ins.append(dict(nonce=f"b{registration_id}-{n}", kind=CheckInKind.ENTRY,
                                      counted=True, registration_id=registration_id,
                                      session_id=session, method=CheckInMethod.SCAN,
                                      scanned_at=now, received_at=now))  # fmt: skip
    for chunk in range(0, len(check_ins), 5000):
        db.session.execute(sa.insert(CheckIn), check_ins[chunk: chunk + 5000])
    founders = rng.sample(person_ids, n_startups or n_people // 20)
    startup_ids = db.session.scalars(sa.insert(Startup).returning(Startup.id), [
        dict(name=f"Start-up {i}",
             founded_on=date(2008, 3, 1) + timedelta(days=rng.randrange(years * 360)),
             status="active", created_at=now, updated_at=now) for i in range(len(founders))
    ]).all()  # fmt: skip
    db.session.execute(sa.insert(StartupMember), [
        dict(startup_id=s, person_id=p, role=StartupRole.FOUNDER)
        for s, p in zip(startup_ids, founders)
    ] + [
        dict(startup_id=s, person_id=rng.choice(person_ids), role=StartupRole.TEAM_MEMBER)
        for s in startup_ids
    ])  # fmt: skip
    db.session.execute(sa.insert(JobsSnapshot), [
        dict(startup_id=s, on=date(2011, 12, 31), headcount=h, fte=h)
        for s in startup_ids for h in [rng.randint(1, 12)]
    ])  # fmt: skip
    db.session.execute(sa.insert(Certification), [
        dict(person_id=rng.choice(person_ids), name="MCTS", code="70-536", issuer="Microsoft",
             obtained_on=date(2008, 3, 1) + timedelta(days=rng.randrange(years * 360)),
             created_at=now, updated_at=now)
        for _ in range(n_certifications or n_people // 2)
    ])  # fmt: skip
    db.session.commit()


def person_by_person(rule) -> tuple[int, int, int]:
    """The baseline: the rule applied in Python, one query per founder and per holder."""
    from boostcamp.checkin.attendance import attendance_query
    from boostcamp.events.models import Event, EventSession
    from boostcamp.core.extensions import db
    from boostcamp.outcomes.impact.attribution import TRAINING_KINDS
    from boostcamp.outcomes.records.models import (
        Certification,
        JobsSnapshot,
        Startup,
        StartupMember,
    )
    from boostcamp.registrations.models import Registration

    n_sessions = dict(db.session.execute(
        sa.select(EventSession.event_id, sa.func.count()).group_by(EventSession.event_id)
    ).all())  # fmt: skip
    came = attendance_query().subquery()

    def attended(person_id: int) -> list[tuple[date, str]]:
        rows = db.session.execute(
            sa.select(Event.id, Event.starts_at, Event.kind,
                      sa.func.count(sa.distinct(sa.func.coalesce(came.c.session_id, 0))))
            .join(Registration, Registration.event_id == Event.id)
            .join(came, came.c.registration_id == Registration.id)
            .where(Registration.person_id == person_id)
            .group_by(Event.id, Event.starts_at, Event.kind)
        )  # fmt: skip
        return [(starts_at.date(), kind) for event_id, starts_at, kind, n in rows
                if n * 100 >= rule.min_attendance_percent * n_sessions.get(event_id, 1)]

    def months_before(day: date, months: int) -> tuple[int, int, int]:
        total = day.year * 12 + day.month - 1 - months
        return (total // 12, total % 12 + 1, day.day)

    def within(event_day: date, day: date, months: int) -> bool:
        key = (event_day.year, event_day.month, event_day.day)
        return months_before(day, months) <= key <= (day.year, day.month, day.day)

    start, end = PERIOD
    startups = jobs = 0
    founded = sa.select(Startup).where(Startup.founded_on.between(start, end))
    for startup in db.session.scalars(founded):
        founders = db.session.scalars(sa.select(StartupMember.person_id).where(
            StartupMember.startup_id == startup.id, StartupMember.role == "founder"))  # fmt: skip
        if any(within(day, startup.founded_on, rule.startup_months)
               for person in founders for day, _kind in attended(person)):  # fmt: skip
            startups += 1
            jobs += db.session.scalar(
                sa.select(JobsSnapshot.headcount).where(JobsSnapshot.startup_id == startup.id,
                                                        JobsSnapshot.on <= end)
                .order_by(JobsSnapshot.on.desc()).limit(1)
            ) or 0  # fmt: skip
    certifications = 0
    for certification in db.session.scalars(
        sa.select(Certification).where(Certification.obtained_on.between(start, end))
    ):
        if any(kind in TRAINING_KINDS and within(day, certification.obtained_on,
                                                 rule.certification_months)
               for day, kind in attended(certification.person_id)):  # fmt: skip
            certifications += 1
    return startups, jobs, certifications


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    import flask_migrate

    from boostcamp import create_app
    from boostcamp.auth.models import StaffRole
    from boostcamp.auth.services import create_user
    from boostcamp.core.extensions import db
    from boostcamp.outcomes.impact import figures as impact
    from boostcamp.outcomes.impact.attribution import Rule
    from boostcamp.outcomes.impact.scope import Scope

    with tempfile.TemporaryDirectory(prefix="boostcamp-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "SERVER_NAME": "boostcamp.bench", "RATELIMIT_ENABLED": False,
                          "WTF_CSRF_ENABLED": False})  # fmt: skip
        with app.app_context():
            flask_migrate.upgrade()
            print(f"filling the database: {args.events} events, {args.people} people …",
                  flush=True)  # fmt: skip
            fill(args.events, args.people)
            create_user("staff@bench.example", "bench-password", role=StaffRole.STAFF)
            db.session.commit()
            check_ins = db.session.scalar(sa.text("SELECT count(*) FROM check_in"))
            scope = Scope(*PERIOD, sa.true(), True, Rule())
            results = {}

            def set_based():
                f = impact.figures(scope)
                results["set"] = (f.startups, f.jobs, f.certifications)

            def loop():
                results["loop"] = person_by_person(Rule())

            set_times, loop_times = timed(args.repeat, set_based, loop)
            assert results["set"] == results["loop"], results
            db.session.remove()

        client = app.test_client()
        client.post("/auth/login", data={"email": "staff@bench.example",
                                         "password": "bench-password"})  # fmt: skip
        statements = []
        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute",
                            lambda conn, cursor, statement, *rest: statements.append(statement))

        def dashboard():
            statements.clear()
            response = client.get("/staff/impact?from=2008-01-01&to=2011-12-31")
            assert response.status_code == 200, response.status_code

        (page_times,) = timed(args.repeat, dashboard)
        with app.app_context():
            db.engine.dispose()

    set_s, loop_s = statistics.median(set_times), statistics.median(loop_times)
    ratio = set_s / loop_s
    report = {
        "benchmark": "impact",
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "settings": {**vars(args), "target": TARGET, "database": "sqlite"},
        "check_ins": check_ins,
        "figures": dict(zip(("startups", "jobs", "certifications"), results["set"])),
        "set_based_s": [round(t, 4) for t in set_times],
        "person_by_person_s": [round(t, 4) for t in loop_times],
        "dashboard_s": [round(t, 4) for t in page_times],
        "dashboard_sql_statements": len(statements),
        "ratio": round(ratio, 3),
        "meets_target": ratio <= TARGET,
    }  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nimpact figures for 2008–2011 over {check_ins} check-ins "
          f"({report['figures']}), median of {args.repeat}:")  # fmt: skip
    print(f"  set-based (the dashboard's)   {set_s * 1000:9.1f} ms")
    print(f"  person by person (baseline)   {loop_s * 1000:9.1f} ms")
    print(f"  ratio {ratio:.3f} × (target ≤ {TARGET} ×: {'ok' if ratio <= TARGET else 'MISSED'})")
    print(f"  the whole dashboard page      {statistics.median(page_times) * 1000:9.1f} ms, "
          f"{len(statements)} SQL statements")  # fmt: skip
    print(f"results in {RESULTS.relative_to(ROOT)}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
