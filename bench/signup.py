"""Sign-ups per second, beside a bare endpoint that inserts one row, same server and database.

gunicorn serves `bench.signup:bench_app()`: the real app plus POST /bench/insert, which adds
one person and commits — a write through the same app, extensions and hooks, nothing more.
The sign-up is the whole public form: its CSRF token checked, the event locked, the seats
counted, the person and registration inserted, the confirmation's outbox row (the mail
worker writes its text, calendar invitation and QR ticket when it sends), the commit, the
redirect. The event has room for
everyone, so every request takes that longest path. Target: at least 0.35 × the bare insert
(issue 16; the floor row below shows why not more). Then the rush: RUSH_SEATS seats, 1,000
sign-ups from 50 clients at once (p99 ≤ 1 s, no error, exactly RUSH_SEATS confirmed).

A third row, "floor", is a reference, not the product: the issue's four steps and nothing
else (Flask-WTF's form and CSRF check, the event's lock and seat count, the person,
registration and outbox rows), written straight in SQLAlchemy Core: no custom questions, no
check for a second sign-up, no waiting list, no ORM. What the real sign-up cannot beat on
this stack, so the figure tells how much of the gap is the product's own work.

    python -m bench.signup [--seconds 10] [--warmup 2] [--concurrency 4] [--workers 2]

BENCH_DATABASE_URL=postgresql+psycopg://… also runs it on PostgreSQL, in a schema of its own
that is dropped afterwards. Results go to bench/results/signup.json.
"""

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.serving import Visitor, gunicorn, postgres_schema

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "signup.json"
# Of the bare insert's requests per second: the floor row's ratio (what this stack allows,
# issue 16); the first target, 0.6, was beyond it (README).
TARGET = 0.35
SLUG = "boostcamp-bench"
RUSH_SLUG = "boostcamp-ruee"
RUSH_SEATS = 100
RUSH_P99_SECONDS = 1.0


def bench_app():
    """What gunicorn serves: the real app, plus the baseline endpoint."""
    from boostcamp import create_app
    from boostcamp.core.extensions import csrf, db
    from boostcamp.registrations.models import Person

    app = create_app()
    numbers = itertools.count()

    @app.post("/bench/insert")
    @csrf.exempt
    def insert():
        db.session.add(Person(email=f"bare-{os.getpid()}-{next(numbers)}@example.be",
                              first_name="Marie", last_name="Dupont"))  # fmt: skip
        db.session.commit()
        return "ok"

    @app.post("/bench/floor/<slug>")
    def floor(slug: str):
        return _floor(slug)

    return app


def _floor(slug: str):
    """The reference row's endpoint (see the module's docstring)."""
    import sqlalchemy as sa
    from email.utils import make_msgid
    from flask import redirect, session, url_for

    from boostcamp.core.db import lock_row, utcnow
    from boostcamp.events.models import Event
    from boostcamp.core.extensions import db
    from boostcamp.mail.models import OutboxMessage
    from boostcamp.registrations.forms import SignUpForm
    from boostcamp.registrations.models import Person, Registration, new_ticket_code

    event, person, registration = Event.__table__, Person.__table__, Registration.__table__
    event_id = db.session.scalar(sa.select(event.c.id).where(event.c.slug == slug))
    form = SignUpForm()
    form.questions = []
    if not form.validate_on_submit():
        return "invalid form", 400
    now = utcnow()
    lock_row(Event, event_id)
    taken = db.session.scalar(sa.select(sa.func.count()).where(
        registration.c.event_id == event_id, registration.c.status == "confirmed"))  # fmt: skip
    assert taken is not None
    person_id = db.session.scalar(sa.insert(person).values(
        email=form.email.data.lower(), first_name=form.first_name.data,
        last_name=form.last_name.data, language="fr", created_at=now, updated_at=now,
    ).returning(person.c.id))  # fmt: skip
    registration_id = db.session.scalar(sa.insert(registration).values(
        event_id=event_id, person_id=person_id, status="confirmed", ticket_code=new_ticket_code(),
        profile=form.profile.data, consent_at=now, consent_followup=False, source="form",
        created_at=now, updated_at=now,
    ).returning(registration.c.id))  # fmt: skip
    db.session.execute(sa.insert(OutboxMessage.__table__).values(
        kind="registration_confirmed", language="fr", to_address=form.email.data,
        subject="Inscription confirmée", message_id=make_msgid(domain="bench.example"),
        status="queued", attempts=0, created_at=now, next_attempt_at=now, event_id=event_id,
        person_id=person_id, registration_id=registration_id,
        draft={"composer": "registration", "params": {"calendar": "REQUEST", "ticket": True}},
    ))  # fmt: skip
    db.session.commit()
    session["sign_up"] = {"slug": slug, "outcome": "confirmed", "position": None}
    return redirect(url_for("registrations.signed_up", slug=slug))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.signup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="measured time per endpoint")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured time per endpoint")
    parser.add_argument("--concurrency", type=int, default=4, help="client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--rush", type=int, default=1000,
                        help="sign-ups sent at once for RUSH_SEATS seats (0: no rush)")
    parser.add_argument("--rush-clients", type=int, default=50)
    return parser.parse_args(argv)  # fmt: skip


def prepare(env: dict) -> None:
    """A migrated database with one published Boostcamp that has room for everyone."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "bench.signup:bench_app", "db",
                    "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    from boostcamp import create_app
    from boostcamp.events.models import EventKind, EventStatus
    from boostcamp.events.editing import create_event
    from boostcamp.core.extensions import db
    from boostcamp.organisations.models import OrganisationKind
    from boostcamp.organisations.services import create_organisation

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["FLASK_SQLALCHEMY_DATABASE_URI"],
                      "SECRET_KEY": env["FLASK_SECRET_KEY"]})  # fmt: skip
    with app.app_context():
        centre = create_organisation("MIC Mons", OrganisationKind.CENTRE, slug="mic-mons",
                                     city="Mons")  # fmt: skip
        start = (datetime.now(timezone.utc) + timedelta(days=21)).replace(
            hour=8, minute=0, second=0, microsecond=0)
        create_event(
            title="Boostcamp Mons", kind=EventKind.BOOSTCAMP, starts_at=start,
            ends_at=start + timedelta(days=2, hours=9), city="Mons", host=centre, slug=SLUG,
            status=EventStatus.PUBLISHED, capacity=10_000_000, venue="Maison de l'entreprise",
            sessions=[(f"Jour {d + 1}", start + timedelta(days=d),
                       start + timedelta(days=d, hours=9)) for d in range(3)],
        )  # fmt: skip
        create_event(
            title="Boostcamp Mons : la ruée", kind=EventKind.BOOSTCAMP, starts_at=start,
            ends_at=start + timedelta(hours=9), city="Mons", host=centre, slug=RUSH_SLUG,
            status=EventStatus.PUBLISHED, capacity=RUSH_SEATS,
        )  # fmt: skip
        db.session.commit()
        db.engine.dispose()


def rush(port: int, url: str, total: int, concurrency: int) -> dict:
    """`total` sign-ups for RUSH_SEATS seats from `concurrency` visitors at once (each its own
    form and cookies, fetched before the start): latency of every POST, errors (anything but
    the redirect to the result page), and how many got a seat."""
    import sqlalchemy as sa

    visitors = [Signer(port) for _ in range(concurrency)]
    path = f"/events/{RUSH_SLUG}/register"
    for visitor in visitors:
        visitor.request("GET", path)
    latencies: list[float] = []
    errors = [0]
    left = itertools.count()
    start = threading.Barrier(concurrency)

    def client(visitor: Signer) -> None:
        start.wait()
        while next(left) < total:
            began = time.perf_counter()
            ok = visitor.sign_up(path)
            latencies.append(time.perf_counter() - began)
            errors[0] += not ok

    threads = [threading.Thread(target=client, args=(v,)) for v in visitors]
    cpu = server_cpu_seconds(port)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = server_cpu_seconds(port) - cpu
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        confirmed = conn.scalar(sa.text(
            "SELECT count(*) FROM registration JOIN event ON event.id = registration.event_id "
            "WHERE event.slug = :slug AND registration.status = 'confirmed'"), {"slug": RUSH_SLUG})
    engine.dispose()
    cuts = statistics.quantiles(sorted(latencies), n=100)
    return {"endpoint": "rush", "requests": len(latencies), "errors": errors[0],
            "confirmed": confirmed, "p50_ms": round(cuts[49] * 1000, 1),
            "p99_ms": round(cuts[98] * 1000, 1),
            "server_cpu_ms": round(cpu * 1000 / len(latencies), 2),
            "meets_target": errors[0] == 0 and confirmed == RUSH_SEATS
            and cuts[98] <= RUSH_P99_SECONDS}  # fmt: skip


class Signer(Visitor):
    """A visitor who signs up again and again, each time as a new person."""

    emails = itertools.count()

    def sign_up(self, path: str = f"/events/{SLUG}/register") -> bool:
        if not self.csrf_token:
            self.request("GET", f"/events/{SLUG}/register")
        status, _ = self.request("POST", path, {
            "csrf_token": self.csrf_token, "first_name": "Marie", "last_name": "Dupont",
            "email": f"visitor{next(self.emails)}@example.be", "profile": "entrepreneur",
            "consent": "y",
        })  # fmt: skip
        return status == 302  # redirected to the result page

    def floor(self) -> bool:
        return self.sign_up(f"/bench/floor/{SLUG}")

    def insert(self) -> bool:
        return self.request("POST", "/bench/insert", {})[0] == 200


def server_cpu_seconds(port: int) -> float:
    """CPU time used so far by the gunicorn serving `port` (master and workers, from /proc):
    per request, what a row costs whatever else the machine is doing; 0 without /proc."""
    total = 0.0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if f"127.0.0.1:{port}".encode() not in (proc / "cmdline").read_bytes():
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def hammer(port: int, endpoint: str, seconds: float, concurrency: int) -> dict:
    visitors = [Signer(port) for _ in range(concurrency)]
    if endpoint != "bare insert":
        for visitor in visitors:  # the form is fetched once per visitor, unmeasured
            visitor.request("GET", f"/events/{SLUG}/register")
    latencies: list[list[float]] = [[] for _ in visitors]
    errors = [0] * concurrency
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        send = {"bare insert": visitors[n].insert, "sign-up": visitors[n].sign_up,
                "floor": visitors[n].floor}[endpoint]  # fmt: skip
        while time.perf_counter() < stop:
            began = time.perf_counter()
            ok = send()
            latencies[n].append(time.perf_counter() - began)
            errors[n] += not ok

    began, cpu = time.perf_counter(), server_cpu_seconds(port)
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - began, server_cpu_seconds(port) - cpu
    every = sorted(x for per_client in latencies for x in per_client)
    cuts = statistics.quantiles(every, n=100) if len(every) > 1 else every * 99
    return {
        "requests": len(every),
        "errors": sum(errors),
        "rps": round(len(every) / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "server_cpu_ms": round(cpu * 1000 / len(every), 2) if every else 0,
    }


def run_on(database: str, url: str, args: argparse.Namespace, work: Path) -> dict:
    env = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": url,
        "FLASK_SECRET_KEY": "bench",
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    prepare(env)
    rows = []
    log = work / f"gunicorn-signup-{database}.log"
    with gunicorn("bench.signup:bench_app()", env, log, workers=args.workers) as port:
        for endpoint in ("bare insert", "sign-up", "floor"):
            hammer(port, endpoint, args.warmup, args.concurrency)
            result = hammer(port, endpoint, args.seconds, args.concurrency)
            rows.append({"endpoint": endpoint, **result})
            print(f"[{database}] {endpoint}: {result['rps']} req/s", flush=True)
        rushed = rush(port, url, args.rush, args.rush_clients) if args.rush else None
        print(f"[{database}] rush: {rushed}", flush=True)
    bare = rows[0]["rps"]
    for row in rows:
        row["ratio_to_bare"] = round(row["rps"] / bare, 2) if bare else 0
        # The same ratio in server CPU per request: what the machine's load does not change.
        row["cpu_ratio_to_bare"] = (round(rows[0]["server_cpu_ms"] / row["server_cpu_ms"], 2)
                                    if row["server_cpu_ms"] else 0)  # fmt: skip
        row["meets_target"] = row["endpoint"] != "sign-up" or row["ratio_to_bare"] >= TARGET
    return {"database": database, "rows": rows, "rush": rushed}


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory(prefix="boostcamp-bench-") as tmp:
        work = Path(tmp)
        runs.append(run_on("sqlite", f"sqlite:///{work / 'signup.sqlite3'}", args, work))
        if os.environ.get("BENCH_DATABASE_URL"):
            with postgres_schema(os.environ["BENCH_DATABASE_URL"]) as url:
                runs.append(run_on("postgresql", url, args, work))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "signup",
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load": os.getloadavg()},
        "settings": {**vars(args), "target": TARGET, "server": "gunicorn sync workers"},
        "runs": runs,
    }, indent=2) + "\n")  # fmt: skip
    for run in runs:
        print(f"\n{run['database']}:")
        print(f"{'endpoint':<12} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'× bare':>6}  "
              f"{'target ≥ ' + str(TARGET):<13} {'errors':>6} {'CPU ms':>7} {'CPU × bare':>10}")  # fmt: skip
        for row in run["rows"]:
            target = "" if row["endpoint"] != "sign-up" else (
                "ok" if row["meets_target"] else "missed")
            print(f"{row['endpoint']:<12} {row['rps']:>8.1f} {row['p50_ms']:>7.2f} "
                  f"{row['p95_ms']:>7.2f} {row['ratio_to_bare']:>6.2f}  {target:<13} "
                  f"{row['errors']:>6} {row['server_cpu_ms']:>7.2f} "
                  f"{row['cpu_ratio_to_bare']:>10.2f}")  # fmt: skip
        if r := run["rush"]:
            print(f"rush: {r['requests']} sign-ups for {RUSH_SEATS} seats from "
                  f"{args.rush_clients} clients: {r['confirmed']} confirmed, {r['errors']} "
                  f"errors, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, server CPU "
                  f"{r['server_cpu_ms']} ms per sign-up (target ≤ "
                  f"{RUSH_P99_SECONDS * 1000:g} ms, exactly {RUSH_SEATS}, no error): "
                  f"{'pass' if r['meets_target'] else 'FAIL'}")  # fmt: skip
    print(f"\nload average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"client: {args.concurrency} connections, {args.seconds:g} s per endpoint after "
          f"{args.warmup:g} s of warm-up; {args.workers} gunicorn workers; results in "
          f"{RESULTS.relative_to(ROOT)}")  # fmt: skip
    rows = [row for run in runs for row in run["rows"]]
    rushes = [run["rush"] for run in runs if run["rush"]]
    ok = all(row["meets_target"] and not row["errors"] for row in rows + rushes)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
