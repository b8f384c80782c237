"""Serving /calendar.ics with 1,000 events, beside icalendar serialising the same calendar.

A scratch SQLite database, migrated, gets 1,000 published upcoming Boostcamps of three
sessions each (3,000 VEVENTs), with a host, a co-organiser and an audience. The feed is then
requested through the Flask test client (query, build, serialise, ETag) several times after
a warm-up; the baseline is icalendar alone turning the same calendar, already in memory,
into bytes (the served body parsed back: the test asserts it serialises to the same bytes).
Target: serving takes at most 1.5 × the baseline. The SQL statements per request are
counted too: they must not depend on the number of events.

    python -m bench.ical_feed [--events 1000] [--repeat 7]

Results go to bench/results/ical_feed.json.
"""

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "ical_feed.json"
TARGET = 1.5  # × icalendar's own serialisation time


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ical_feed", description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each side")
    return parser.parse_args(argv)


def fill(n_events: int) -> None:
    """Bulk inserts (the services would take minutes): what the feed reads, nothing else."""
    from boostcamp.events.models import (
        Audience,
        Event,
        EventAudience,
        EventKind,
        EventOrganiser,
        EventSession,
        EventStatus,
        OrganiserRole,
    )
    from boostcamp.core.extensions import db
    from boostcamp.organisations.models import OrganisationKind
    from boostcamp.organisations.services import create_organisation

    centre = create_organisation("Microsoft Innovation Center Mons", OrganisationKind.CENTRE,
                                 slug="mic-mons", city="Mons")  # fmt: skip
    partner = create_organisation("Centre de compétences numériques de Liège",
                                  OrganisationKind.PLATFORM, slug="liege", city="Liège")  # fmt: skip
    start = (datetime.now(timezone.utc) + timedelta(days=7)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    now = datetime.now(timezone.utc)
    rows = [
        dict(slug=f"boostcamp-{i}", title=f"Boostcamp Mons-Borinage n° {i}",
             kind=EventKind.BOOSTCAMP, status=EventStatus.PUBLISHED,
             city=("Mons", "Liège", "Namur")[i % 3], venue="Maison de l'entreprise",
             address="Rue Descartes 2, 7000 Mons",
             summary="Trois jours pour transformer une idée en projet d'entreprise, "
                     "avec des coachs et des entrepreneurs de la région.",
             starts_at=start + timedelta(days=i), ends_at=start + timedelta(days=i + 2, hours=9),
             created_at=now, updated_at=now)
        for i in range(n_events)
    ]  # fmt: skip
    ids = db.session.scalars(sa.insert(Event).returning(Event.id), rows).all()
    db.session.execute(sa.insert(EventOrganiser), [
        dict(event_id=event_id, organisation_id=org.id, role=role)
        for event_id in ids
        for org, role in ((centre, OrganiserRole.HOST), (partner, OrganiserRole.CO_ORGANISER))
    ])  # fmt: skip
    db.session.execute(sa.insert(EventAudience), [
        dict(event_id=event_id, audience=Audience.EVERYONE) for event_id in ids
    ])  # fmt: skip
    db.session.execute(sa.insert(EventSession), [
        dict(event_id=event_id, title=f"Jour {day + 1}",
             starts_at=row["starts_at"] + timedelta(days=day),
             ends_at=row["starts_at"] + timedelta(days=day, hours=9))
        for event_id, row in zip(ids, rows)
        for day in range(3)
    ])  # fmt: skip
    db.session.commit()


def timed(repeat: int, *works) -> list[list[float]]:
    """Each work's durations, the works taking turns so that a busy machine slows them alike,
    each from a clean heap so that neither pays for collecting the other's garbage."""
    for work in works:
        work()  # warm-up: imports, caches, the database's pages
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for work, durations in zip(works, times):
            gc.collect()
            began = time.perf_counter()
            work()
            durations.append(time.perf_counter() - began)
    return times


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    import flask_migrate

    from boostcamp import create_app
    from boostcamp.core.extensions import db

    with tempfile.TemporaryDirectory(prefix="boostcamp-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "SERVER_NAME": "boostcamp.bench", "RATELIMIT_ENABLED": False})  # fmt: skip
        with app.app_context():
            flask_migrate.upgrade()
            print(f"filling the database with {args.events} events …", flush=True)
            fill(args.events)
            db.session.remove()

        client = app.test_client()
        bodies = []

        def serve():
            response = client.get("/calendar.ics")
            assert response.status_code == 200, response.status_code
            bodies.append(response.data)

        statements = []

        def count(conn, cursor, statement, *rest):
            if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")):
                statements.append(statement)

        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", count)
        serve()
        queries = len(statements)
        body = bodies[-1]
        calendar = icalendar.Calendar.from_ical(body)
        assert calendar.to_ical() == body, "the baseline must serialise the very same calendar"
        vevents = len(calendar.events)
        serving, serialising = timed(args.repeat, serve, calendar.to_ical)
        with app.app_context():
            db.engine.dispose()

    serve_s, serialise_s = statistics.median(serving), statistics.median(serialising)
    ratio = serve_s / serialise_s
    best_ratio = min(serving) / min(serialising)  # less sensitive to a busy machine
    report = {
        "benchmark": "ical_feed",
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "icalendar": icalendar.__version__},
        "settings": {**vars(args), "target": TARGET, "database": "sqlite",
                     "server": "Flask test client"},
        "events": args.events,
        "vevents": vevents,
        "bytes": len(body),
        "sql_statements_per_request": queries,
        "serve_s": [round(t, 4) for t in serving],
        "icalendar_to_ical_s": [round(t, 4) for t in serialising],
        "serve_median_s": round(serve_s, 4),
        "icalendar_median_s": round(serialise_s, 4),
        "ratio": round(ratio, 2),
        "ratio_of_best": round(best_ratio, 2),
        "meets_target": ratio <= TARGET,
    }  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"\n/calendar.ics with {args.events} events ({vevents} VEVENTs, "
        f"{len(body) / 1e6:.2f} MB, {queries} SQL statements), median of {args.repeat}:"
    )
    print(f"  served (query, build, serialise, ETag)  {serve_s * 1000:8.1f} ms")
    print(f"  icalendar to_ical() of the same calendar {serialise_s * 1000:8.1f} ms")
    print(f"  ratio {ratio:.2f} × (target ≤ {TARGET} ×: {'ok' if ratio <= TARGET else 'MISSED'});"
          f" best runs {min(serving) * 1000:.1f} / {min(serialising) * 1000:.1f} ms ="
          f" {best_ratio:.2f} ×")  # fmt: skip
    print(f"results in {RESULTS.relative_to(ROOT)}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
