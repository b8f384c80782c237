"""Requests per second of the public event page and the catalogue, beside a bare endpoint.

gunicorn serves bench.app (the real app plus /bench/bare) on 127.0.0.1 with a fresh
database, migrated with `flask db upgrade` and filled with 1,000 events, their sessions,
organisers and 20,000 registrations. A small threaded client then requests each endpoint
for a fixed time after a warm-up, and the event page and the catalogue are compared with the
bare endpoint measured by the same server. Targets: at least 0.5 × bare for the pages as
deployed; the run is repeated with the visitors' page cache off, to show what rendering costs.

    python -m bench catalogue [--seconds 10] [--concurrency 4] [--workers 2] [--events 1000]

BENCH_DATABASE_URL=postgresql+psycopg://… also runs it on PostgreSQL, in a schema of its own
that is dropped afterwards. Results go to bench/results/catalogue.json.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

from bench.serving import gunicorn, postgres_schema

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "catalogue.json"
TARGET = 0.5  # of the bare endpoint's requests per second
DESCRIPTION = """Le **Boostcamp** du Microsoft Innovation Center s'adresse aux porteurs de projet,
aux étudiants et aux demandeurs d'emploi qui veulent tester une idée de start-up.

## Pour qui ?

- Vous avez une idée d'entreprise, même encore floue
- Vous êtes étudiant, demandeur d'emploi ou salarié

## En pratique

- Participation gratuite, inscription obligatoire
- Apportez un ordinateur portable

Plus d'informations sur [le site du centre](https://www.mic-belgique.be/).
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench catalogue", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="measured time per endpoint")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured time per endpoint")
    parser.add_argument("--concurrency", type=int, default=4, help="client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--events", type=int, default=1000)
    return parser.parse_args(argv)


# ---------------------------------------------------------------- the database


def fill(url: str, n_events: int) -> dict[str, str]:
    """The demo's kind of data, in bulk; returns the paths to measure."""
    from boostcamp import create_app
    from boostcamp.events import editing
    from boostcamp.events.models import (
        Audience, Event, EventAudience, EventKind, EventOrganiser, EventSession, EventStatus,
        OrganiserRole,
    )  # fmt: skip
    from boostcamp.core.extensions import db
    from boostcamp.organisations.models import OrganisationKind
    from boostcamp.organisations.services import create_organisation
    from tests.factories import demo_logo
    from boostcamp.registrations.models import Person, Registration, RegistrationStatus

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    rng = random.Random(2008)
    with app.app_context():
        centre = create_organisation("Microsoft Innovation Center Mons", OrganisationKind.CENTRE,
                                     slug="mic-mons", city="Mons",
                                     logo=demo_logo("mic-mons"))  # fmt: skip
        partners = [
            create_organisation(name, OrganisationKind.PLATFORM, slug=slug, city=city,
                                logo=demo_logo(slug))
            for name, slug, city in [
                ("Mind & Market", "mind-and-market", "Louvain-la-Neuve"),
                ("Le Grenier Coworking Namur", "namur-coworking", "Namur"),
                ("Centre de compétences numériques de Liège", "liege-competences", "Liège"),
            ]
        ]  # fmt: skip
        start = (datetime.now(timezone.utc) + timedelta(days=21)).replace(
            hour=8, minute=0, second=0, microsecond=0
        )
        featured = editing.create_event(
            title="Boostcamp Louvain-la-Neuve", kind=EventKind.BOOSTCAMP, starts_at=start,
            ends_at=start + timedelta(days=4, hours=9), city="Louvain-la-Neuve", host=centre,
            co_organisers=partners[:2], status=EventStatus.PUBLISHED, capacity=300,
            summary="5 jours pour transformer une idée en projet d'entreprise.",
            description=DESCRIPTION, venue="Maison de l'entreprise",
            address="Rue Louis de Geer 6, 1348 Louvain-la-Neuve",
            audiences=[Audience.ENTREPRENEURS, Audience.STUDENTS, Audience.JOB_SEEKERS],
            sessions=[(f"Jour {d + 1}", start + timedelta(days=d),
                       start + timedelta(days=d, hours=9)) for d in range(5)],
        )  # fmt: skip

        now = datetime.now(timezone.utc)
        rows = []
        for i in range(n_events):
            # A quarter in the past (the archive), the rest over the next two years.
            days = -rng.randint(1, 2500) if i % 4 == 0 else rng.randint(1, 730)
            starts_at = (now + timedelta(days=days)).replace(hour=rng.choice([9, 13, 18]),
                                                             minute=0, second=0, microsecond=0)
            rows.append(dict(
                slug=f"evenement-{i}", title=f"{rng.choice(['Atelier', 'Formation'])} {i}",
                kind=rng.choice(list(EventKind)), status=EventStatus.PUBLISHED,
                city=rng.choice(["Mons", "Namur", "Liège", "Louvain-la-Neuve", "Charleroi"]),
                summary="Un événement du centre et de ses partenaires.", description=DESCRIPTION,
                starts_at=starts_at, ends_at=starts_at + timedelta(hours=4), capacity=25,
            ))  # fmt: skip
        ids = db.session.scalars(sa.insert(Event).returning(Event.id), rows).all()
        db.session.execute(sa.insert(EventOrganiser), [
            dict(event_id=event_id, organisation_id=org.id, role=role)
            for n, event_id in enumerate(ids)
            for org, role in ((centre, OrganiserRole.HOST),
                              (partners[n % 3], OrganiserRole.CO_ORGANISER))
        ])  # fmt: skip
        db.session.execute(sa.insert(EventAudience), [
            dict(event_id=event_id, audience=rng.choice(list(Audience))) for event_id in ids
        ])  # fmt: skip
        db.session.execute(sa.insert(EventSession), [
            dict(event_id=event_id, title=f"Partie {part + 1}",
                 starts_at=row["starts_at"] + timedelta(hours=2 * part),
                 ends_at=row["starts_at"] + timedelta(hours=2 * part + 2))
            for event_id, row in zip(ids, rows, strict=True)
            for part in range(2)
        ])  # fmt: skip
        people = db.session.scalars(sa.insert(Person).returning(Person.id), [
            dict(email=f"participant{i}@example.be", first_name="Marie", last_name=f"Dupont {i}")
            for i in range(5000)
        ]).all()  # fmt: skip
        registrations = [(featured.id, person) for person in people[:250]]
        for event_id in ids:
            registrations += [(event_id, person) for person in rng.sample(people, 20)]
        db.session.execute(sa.insert(Registration), [
            dict(event_id=event_id, person_id=person, ticket_code=f"B{n:011d}",
                 status=RegistrationStatus.CONFIRMED if n % 10 else RegistrationStatus.WAITLISTED)
            for n, (event_id, person) in enumerate(registrations)
        ])  # fmt: skip
        db.session.commit()
        from boostcamp.auth.models import StaffRole
        from boostcamp.auth.services import create_user

        create_user(STAFF_EMAIL, STAFF_PASSWORD, role=StaffRole.STAFF)
        db.session.commit()
        paths = {"event page": f"/events/{featured.slug}", "catalogue": "/"}
        db.engine.dispose()
    return paths


# ---------------------------------------------------------------- the server


# ---------------------------------------------------------------- the client

STAFF_EMAIL, STAFF_PASSWORD = "bench.staff@mic-mons.example", "a bench staff password 2026"


def sign_in(port: int) -> dict:
    """The session cookie of the bench's staff member, signed in through the sign-in form."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    form = urlencode({"csrf_token": token.group(1), "email": STAFF_EMAIL,
                      "password": STAFF_PASSWORD})  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/auth/login", body=form, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"the bench's staff member could not sign in ({response.status})")
    return {"Cookie": response.getheader("Set-Cookie").split(";")[0]}



def hammer(
    port: int, path: str, seconds: float, concurrency: int, headers: dict | None = None,
    expect: int = 200,
) -> dict:
    """Requests `path` from `concurrency` connections for `seconds`; what it measured."""
    headers = {"Accept-Language": "fr", **(headers or {})}
    stop = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop and len(latencies[n]) < 1_000_000:
            began = time.perf_counter()
            try:
                # gunicorn's sync workers close each connection: http.client opens the next.
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except OSError:  # a timeout on a busy machine: an error, not a crash of the run
                errors[n] += 1
                conn.close()
                continue
            latencies[n].append(time.perf_counter() - began)
            errors[n] += response.status != expect
        conn.close()

    began, cpu = time.perf_counter(), time.process_time()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    every = sorted(x for per_client in latencies for x in per_client)
    cuts = statistics.quantiles(every, n=100) if len(every) > 1 else (every or [0.0]) * 99
    return {
        "requests": len(every),
        "errors": sum(errors),
        "rps": round(len(every) / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "client_cpu": round(cpu / elapsed, 2),  # cores the client itself used
    }


# ---------------------------------------------------------------- the run


# The pages as deployed: anonymous visitors get a copy kept a few seconds by Flask-Caching;
# signed-in users get the layout rendered for them around the page's kept blocks. "cache off"
# renders everything on every request: what a page costs when nothing is kept.
MODES = {"cache on": {}, "signed in": {}, "cache off": {"FLASK_PUBLIC_PAGE_CACHE_SECONDS": "0"}}
TARGETS = {"cache on": TARGET, "signed in": 0.15}


def run_on(database: str, url: str, args: argparse.Namespace, work: Path) -> dict:
    env = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": url,
        "FLASK_SECRET_KEY": "bench",
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    subprocess.run([sys.executable, "-m", "flask", "--app", "bench.app", "db", "upgrade"],
                   env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    print(f"[{database}] filling the database with {args.events} events …", flush=True)
    paths = {"bare": "/bench/bare", **fill(url, args.events)}
    rows = []
    for mode, settings in MODES.items():
        log = work / f"gunicorn-{database}.log"
        with gunicorn("bench.app:app", {**env, **settings}, log, workers=args.workers,
                      ready_path="/bench/bare") as port:
            measured = []
            headers = sign_in(port) if mode == "signed in" else {}
            for name, path in paths.items():
                hammer(port, path, args.warmup, args.concurrency, headers)
                result = hammer(port, path, args.seconds, args.concurrency, headers)
                measured.append({"endpoint": name, "mode": mode, "path": path, **result})
                print(f"[{database}, {mode}] {name}: {result['rps']} req/s", flush=True)
        bare = measured[0]["rps"]
        for row in measured:
            row["ratio_to_bare"] = round(row["rps"] / bare, 2) if bare else 0
            target = TARGETS.get(mode)
            row["target"] = None if row["endpoint"] == "bare" else target
            row["meets_target"] = row["target"] is None or row["ratio_to_bare"] >= target
        rows += measured
    return {"database": database, "rows": rows}


def print_table(run: dict) -> None:
    print(f"\n{run['database']}:")
    print(f"{'endpoint':<12} {'mode':<10} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'× bare':>6}  {'target':<13} {'errors':>6}")  # fmt: skip
    for row in run["rows"]:
        target = "" if row["target"] is None else (
            f"≥ {row['target']} " + ("ok" if row["meets_target"] else "missed"))
        print(f"{row['endpoint']:<12} {row['mode']:<10} {row['rps']:>8.1f} {row['p50_ms']:>7.2f} "
              f"{row['p95_ms']:>7.2f} {row['ratio_to_bare']:>6.2f}  {target:<13} "
              f"{row['errors']:>6}")  # fmt: skip


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory(prefix="boostcamp-bench-") as tmp:
        work = Path(tmp)
        runs.append(run_on("sqlite", f"sqlite:///{work / 'bench.sqlite3'}", args, work))
        if os.environ.get("BENCH_DATABASE_URL"):
            with postgres_schema(os.environ["BENCH_DATABASE_URL"]) as url:
                runs.append(run_on("postgresql", url, args, work))
    report = {
        "benchmark": "catalogue",
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "settings": {**vars(args), "targets": TARGETS, "server": "gunicorn sync workers"},
        "runs": runs,
    }  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for run in runs:
        print_table(run)
    print(f"\nclient: {args.concurrency} connections, {args.seconds:g} s per endpoint after "
          f"{args.warmup:g} s of warm-up; {args.workers} gunicorn workers; results in "
          f"{RESULTS.relative_to(ROOT)}")  # fmt: skip
    # The targets are for the pages as deployed; "cache off" is reported, to know the cost.
    deployed = [row for run in runs for row in run["rows"] if row["mode"] in TARGETS]
    return 0 if all(row["meets_target"] and not row["errors"] for row in deployed) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
