"""The funder dashboard and the impact API at ten years' scale, beside a bare endpoint.

A scratch database (SQLite, and PostgreSQL with BENCH_DATABASE_URL) gets 50,000 people,
200,000 registrations over 2,000 events in twelve years, about 150,000 check-ins, 3,000
start-ups and 20,000 certifications (bench.impact's generator; PostgreSQL is ANALYZEd, as
autovacuum would). Through the Flask test client, signed in as centre staff, each request
is timed `--repeat` times:

- `/staff/impact` for 2008–2011, 2012–2014 and the twelve years, and `GET /api/v1/impact`
  (centre token) for 2008–2011: **p50 ≤ 300 ms** each, wall and CPU time (this process's:
  Flask, SQLAlchemy, SQLite; PostgreSQL's server time is in the wall time only);
- each of them the instant after a check-in (a Core insert, committed): the figures are
  counted again (what a change costs once; reported, no target). That they then include
  the change is asserted in tests/outcomes/test_impact_version.py.

The dashboard keeps its figures in Flask-Caching's store under the version of everything
they count (outcomes.impact.version: a few rows read by primary key, bumped in the same
transaction as any write to what is counted).

    python -m bench impact_scale [--repeat 7] [--people 50000]
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from bench.impact import fill
from bench.serving import postgres_schema

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "impact_scale.json"
TARGET_MS = 300
PAGES = {
    "dashboard 2008–2011": "/staff/impact?from=2008-01-01&to=2011-12-31",
    "dashboard 2012–2014": "/staff/impact?from=2012-01-01&to=2014-12-31",
    "dashboard 12 years": "/staff/impact?from=2008-01-01&to=2019-12-31",
    "API 2008–2011": "/api/v1/impact?from=2008-01-01&to=2011-12-31",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench impact_scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--database", metavar="URL", action="append",
                        help="measure on this database (repeat for both engines), filled "
                             "unless it already is: to measure again without filling again")
    return parser.parse_args(argv)  # fmt: skip


def run_on(database: str, url: str, args: argparse.Namespace) -> dict:
    import flask_migrate

    from boostcamp import create_app
    from boostcamp.api.services import create_token
    from boostcamp.auth.models import StaffRole
    from boostcamp.auth.services import create_user
    from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
    from boostcamp.core.extensions import db
    from boostcamp.organisations.models import Organisation
    from boostcamp.registrations.models import Registration

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "SERVER_NAME": "boostcamp.bench", "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "CACHE_TYPE": "SimpleCache"})  # fmt: skip
    n = args.people
    with app.app_context():
        flask_migrate.upgrade()
        if not db.session.scalar(sa.text("SELECT count(*) FROM person")):
            print(f"[{database}] filling: {n} people, {4 * n} registrations …", flush=True)
            fill(n // 25, n, per_person=4, attend=0.375, n_startups=n * 3 // 50,
                 n_certifications=n * 2 // 5, years=12)  # fmt: skip
        if not db.session.scalar(sa.text("SELECT count(*) FROM \"user\"")):
            create_user("staff@bench.example", "bench-password", role=StaffRole.STAFF)
        centre = db.session.scalar(sa.select(Organisation))
        _token, secret = create_token(centre, "bench")
        db.session.commit()
        if database == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        sizes = {table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
                 for table in ("person", "registration", "check_in", "startup", "certification")}
        db.session.remove()
    client = app.test_client()
    client.post("/auth/login", data={"email": "staff@bench.example", "password": "bench-password"})
    api = {"Authorization": f"Bearer {secret}"}

    def timed(path: str) -> tuple[float, float]:
        """(wall, CPU) ms of one request; CPU is this process's (PostgreSQL's own is not)."""
        began, cpu = time.perf_counter(), time.process_time()
        response = client.get(path, headers=api if path.startswith("/api") else {})
        assert response.status_code == 200, (path, response.status_code)
        return (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000

    def check_in(nonce: str) -> None:
        """One more check-in, committed as the scanner's sync does (a Core insert)."""
        with app.app_context():
            registration = db.session.scalar(
                sa.select(Registration.id).where(
                    ~Registration.id.in_(sa.select(CheckIn.registration_id))
                ).limit(1)
            )
            db.session.execute(sa.insert(CheckIn).values(
                nonce=nonce, kind=CheckInKind.ENTRY, counted=True,
                registration_id=registration, method=CheckInMethod.SCAN,
                scanned_at=datetime.now(timezone.utc), received_at=datetime.now(timezone.utc)))
            db.session.commit()
            db.session.remove()

    rows = []
    for name, path in PAGES.items():
        timed(path)  # counted once, then kept
        runs = [timed(path) for _ in range(args.repeat)]
        p50, cpu = statistics.median(t for t, _c in runs), statistics.median(c for _t, c in runs)
        # The instant after a change: counted again (and shown, tests/outcomes/
        # test_impact_version.py asserts it), then kept again.
        check_in(f"bench-after-{uuid.uuid4().hex}")  # unique, on a base measured before
        after, after_cpu = timed(path)
        then, _cpu = timed(path)
        rows.append({"request": name, "p50_ms": round(p50, 1), "cpu_ms": round(cpu, 1),
                     "after_change_ms": round(after, 1), "after_change_cpu_ms": round(after_cpu, 1),
                     "then_ms": round(then, 1), "target_ms": TARGET_MS,
                     "meets_target": p50 <= TARGET_MS})  # fmt: skip
    with app.app_context():
        db.engine.dispose()
    return {"database": database, "sizes": sizes, "rows": rows}


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    runs = []
    if args.database:
        for url in args.database:
            runs.append(run_on(sa.make_url(url).get_backend_name(), url, args))
    else:
        with tempfile.TemporaryDirectory(prefix="boostcamp-bench-") as tmp:
            runs.append(run_on("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args))
            pg = os.environ.get("BENCH_DATABASE_URL")
            with postgres_schema(pg) if pg else contextlib.nullcontext() as url:
                if url:
                    runs.append(run_on("postgresql", url, args))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "impact_scale", "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": vars(args), "runs": runs}, indent=2, ensure_ascii=False) + "\n")  # fmt: skip
    for run in runs:
        print(f"\n{run['database']}: {run['sizes']}")
        print(f"{'kept (cached)':<22} {'p50 ms':>8} {'CPU ms':>7}  target p50")
        for row in run["rows"]:
            verdict = "pass" if row["meets_target"] else "FAIL"
            print(f"{row['request']:<22} {row['p50_ms']:>8.1f} {row['cpu_ms']:>7.1f}"
                  f"  ≤ {row['target_ms']} {verdict}")  # fmt: skip
        # The cold count: the first request the instant after a check-in counts everything
        # again (no target of its own; the 300 ms is what it should come under).
        print(f"{'counted again':<22} {'wall ms':>8} {'CPU ms':>7}  (first request after a check-in)")
        for row in run["rows"]:
            print(f"{row['request']:<22} {row['after_change_ms']:>8.1f} "
                  f"{row['after_change_cpu_ms']:>7.1f}")  # fmt: skip
    return 0 if all(row["meets_target"] for run in runs for row in run["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
