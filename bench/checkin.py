"""Check-in at the door with 100,000 registrations in the database: the server's own time
(p95) for a scan and for a search-as-you-type request, beside a bare endpoint, same run.

gunicorn serves `bench.checkin:bench_app()`: the real app, plus GET /bench/bare ("ok"
through the same app, extensions and hooks) and a WSGI wrapper that adds the time the app
took to each answer (X-Server-Ms: from the request's arrival in the app to its status line,
so neither the network nor the client's own share of the CPU counts) and the CPU time its
thread used meanwhile (X-Server-CPU-Ms: what the request costs whatever else the machine
runs; the difference is time spent waiting for the database, the disk or a CPU).

- scan: POST /api/v1/checkins with the centre's token, a new nonce each time, the tickets of
  the door's event in turn (every one a first check-in: token, event and permission, ticket,
  the person's lock, the duplicate check, the insert, the card sent back, the commit);
- search: GET /api/v1/events/<slug>/checkin-list?q=… as someone types a name: 2 to 6 letters
  of a participant's last name, first name or organisation, sometimes without its accents,
  and ticket code prefixes.

The database: 100 events of 1,000 registrations (a third checked in), the door's event among
them with --door registrations (5,000 by default), 100,000 registrations in all by default
(--registrations), each a person of its own; inserted in bulk, with the search_text that
the app keeps on every registration. Targets: scan p95 ≤ 20 ms,
search p95 ≤ 50 ms (server side).

    python -m bench.checkin [--seconds 10] [--warmup 2] [--concurrency 2] [--workers 2]
                            [--registrations 100000] [--door 5000]

BENCH_DATABASE_URL=postgresql+psycopg://… also runs it on PostgreSQL, in a schema of its own
that is dropped afterwards. Results go to bench/results/checkin.json.
"""

import argparse
import http.client
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from bench.serving import gunicorn, postgres_schema

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "checkin.json"
TARGETS_MS = {"scan": 20.0, "search": 50.0}  # p95, server side
SLUG = "boostcamp-door"
PER_EVENT = 1000
CHUNK = 5000
FIRST_NAMES = ["Léa", "Hélène", "Noé", "Inès", "Zoé", "Chloé", "Maël", "Anaïs", "Théo", "Lucas",
               "Emma", "Louis", "Amina", "Yassine", "Sofia", "Jules", "Manon", "Hugo", "Nora",
               "Élodie", "François", "Bénédicte", "Grégoire", "Céline", "Jérôme",
               "Ayoub"]  # fmt: skip
LAST_NAMES = ["Lefèvre", "Dupont", "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems",
              "Claes", "Goossens", "Wouters", "De Smet", "Dubois", "Lambert", "Martin", "Dumont",
              "Leclercq", "Benali", "El Amrani", "Van den Broeck", "Gérard", "Noël", "Hérion",
              "Collignon", "Delvaux", "Stévenart", "Thiébaut", "Schoonbroodt"]  # fmt: skip
ORGANISATIONS = ["Éco Startup", "Cuisine Zéro", "Robots & Co", "Atelier Mosan", "Borinage Lab",
                 "Hainaut Digital", None, None, "Café Créatif", "Énergie Citoyenne"]  # fmt: skip


def bench_app():
    """What gunicorn serves: the real app, its time on each answer, and the bare endpoint."""
    from boostcamp import create_app

    app = create_app()

    @app.get("/bench/bare")
    def bare():
        return "ok"

    inner = app.wsgi_app

    def timed(environ, start_response):
        began, cpu = time.perf_counter(), time.thread_time()

        def start(status, headers, exc_info=None):
            elapsed = (time.perf_counter() - began) * 1000
            used = (time.thread_time() - cpu) * 1000
            return start_response(status, [*headers, ("X-Server-Ms", f"{elapsed:.3f}"),
                                           ("X-Server-CPU-Ms", f"{used:.3f}")], exc_info)

        return inner(environ, start)

    app.wsgi_app = timed
    return app


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.checkin", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="measured time per endpoint")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured time per endpoint")
    parser.add_argument("--concurrency", type=int, default=2, help="client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--registrations", type=int, default=100_000, help="in the database")
    parser.add_argument("--door", type=int, default=5000, help="registrations of the event")
    return parser.parse_args(argv)


def prepare(env: dict, args: argparse.Namespace) -> dict:
    """A migrated database filled in bulk; returns the token, the door event's tickets and
    the searches to type."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "bench.checkin:bench_app", "db",
                    "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    import sqlalchemy as sa

    from boostcamp import create_app
    from boostcamp.api.services import create_token
    from boostcamp.checkin.models import CheckIn
    from boostcamp.core.text import fold
    from boostcamp.events.models import Event, EventKind, EventSession, EventStatus
    from boostcamp.events.editing import create_event
    from boostcamp.core.extensions import db
    from boostcamp.organisations.models import OrganisationKind
    from boostcamp.organisations.services import create_organisation
    from boostcamp.registrations.models import TICKET_ALPHABET, Person, Registration

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["FLASK_SQLALCHEMY_DATABASE_URI"],
                      "SECRET_KEY": env["FLASK_SECRET_KEY"]})  # fmt: skip
    rng = random.Random(6)
    with app.app_context():
        centre = create_organisation("MIC Mons", OrganisationKind.CENTRE, slug="mic-mons",
                                     city="Mons")  # fmt: skip
        _token, secret = create_token(centre, "bench")
        now = datetime.now(timezone.utc).replace(microsecond=0)
        start = now.replace(hour=6, minute=0, second=0)
        door = create_event(
            title="Boostcamp à la porte", kind=EventKind.BOOSTCAMP, starts_at=start,
            ends_at=start + timedelta(days=1, hours=12), city="Mons", host=centre, slug=SLUG,
            status=EventStatus.PUBLISHED, capacity=None,
            sessions=[("Jour 1", start, start + timedelta(hours=15)),
                      ("Jour 2", start + timedelta(days=1), start + timedelta(days=1, hours=12))],
        )  # fmt: skip
        others = max((args.registrations - args.door) // PER_EVENT, 0)
        db.session.execute(sa.insert(Event), [{
            "slug": f"bench-{n}", "title": f"Atelier {n}", "kind": EventKind.WORKSHOP,
            "status": EventStatus.PUBLISHED, "city": "Mons", "timezone": "Europe/Brussels",
            "starts_at": now - timedelta(days=n), "ends_at": now - timedelta(days=n, hours=-3),
            "language": "fr", "sequence": 0, "created_at": now, "updated_at": now,
        } for n in range(1, others + 1)])  # fmt: skip
        event_ids = list(db.session.scalars(
            sa.select(Event.id).where(Event.slug.like("bench-%")).order_by(Event.id)))
        db.session.execute(sa.insert(EventSession), [{
            "event_id": event_id, "title": "Atelier", "starts_at": now - timedelta(days=n + 1),
            "ends_at": now - timedelta(days=n + 1, hours=-3),
        } for n, event_id in enumerate(event_ids)])  # fmt: skip
        session_of = dict(db.session.execute(
            sa.select(EventSession.event_id, EventSession.id)
            .where(EventSession.event_id.in_(event_ids))).all())  # fmt: skip
        db.session.commit()

        tickets: set[str] = set()
        owners = [door.id] * args.door + [e for e in event_ids for _ in range(PER_EVENT)]
        door_people = []
        for offset in range(0, len(owners), CHUNK):
            chunk = owners[offset:offset + CHUNK]
            people = []
            for n in range(offset, offset + len(chunk)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                people.append({"email": f"p{n}@example.be", "first_name": first,
                               "last_name": last, "language": "fr", "created_at": now,
                               "updated_at": now})  # fmt: skip
            db.session.execute(sa.insert(Person), people)
            ids = dict(db.session.execute(sa.select(Person.email, Person.id).where(
                Person.email.in_([p["email"] for p in people]))).all())  # fmt: skip
            rows = []
            for person, event_id in zip(people, chunk, strict=True):
                while (code := "".join(rng.choices(TICKET_ALPHABET, k=12))) in tickets:
                    pass
                tickets.add(code)
                organisation = rng.choice(ORGANISATIONS)
                words = (person["last_name"], person["first_name"], person["email"],
                         organisation, code)  # fmt: skip
                rows.append({"event_id": event_id, "person_id": ids[person["email"]],
                             "status": "confirmed", "ticket_code": code, "profile": "other",
                             "organisation_name": organisation, "source": "form",
                             "consent_followup": False, "created_at": now, "updated_at": now,
                             "search_text": fold(" ".join(w for w in words if w))})  # fmt: skip
                if event_id == door.id:
                    door_people.append((code, person["first_name"], person["last_name"],
                                        organisation))  # fmt: skip
            db.session.execute(sa.insert(Registration), rows)
            came = db.session.execute(sa.select(Registration.id, Registration.event_id).where(
                Registration.ticket_code.in_([r["ticket_code"] for r in rows[::3]]),
                Registration.event_id != door.id)).all()  # fmt: skip
            if came:
                db.session.execute(sa.insert(CheckIn), [{
                    "nonce": uuid.uuid4().hex, "kind": "entry", "counted": True,
                    "registration_id": registration_id, "session_id": session_of[event_id],
                    "method": "scan", "scanned_at": now, "received_at": now,
                } for registration_id, event_id in came])  # fmt: skip
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # as autovacuum does after a bulk load
            db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))
        db.engine.dispose()
    return {"secret": secret, "door": door_people, "registrations": total}


def searches(door_people: list[tuple], rng: random.Random) -> list[str]:
    """What staff type, letter by letter: names (sometimes without accents), organisations,
    the start of a ticket code."""
    typed = []
    for code, first, last, organisation in rng.sample(door_people, min(200, len(door_people))):
        word = rng.choice([last, first, organisation or last, code])
        if rng.random() < 0.5:
            word = "".join(c for c in unicodedata.normalize("NFKD", word)
                           if not unicodedata.combining(c))  # fmt: skip
        word = word.lower().replace(" ", "")
        typed.extend(word[:n] for n in range(2, min(len(word), 6) + 1))
    return typed


def hammer(port: int, requests, seconds: float, concurrency: int) -> dict:
    """Sends requests from `requests` (an iterator of (method, path, body, headers)) from
    `concurrency` connections for `seconds`; the server's and the client's times."""
    lock = threading.Lock()
    server_ms: list[float] = []
    cpu_ms: list[float] = []
    client_ms: list[float] = []
    statuses: dict[int, int] = {}
    stop = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            with lock:
                method, path, body, headers = next(requests)
            began = time.perf_counter()
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                client_ms.append(elapsed)
                server_ms.append(float(response.headers.get("X-Server-Ms", "nan")))
                cpu_ms.append(float(response.headers.get("X-Server-CPU-Ms", "nan")))
                statuses[response.status] = statuses.get(response.status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    def p(values: list[float], n: int) -> float:
        cuts = statistics.quantiles(sorted(values), n=100) if len(values) > 1 else values * 99
        return round(cuts[n - 1], 2)

    return {
        "requests": len(server_ms),
        "statuses": statuses,
        "server_p50_ms": p(server_ms, 50),
        "server_p95_ms": p(server_ms, 95),
        "cpu_p95_ms": p(cpu_ms, 95),
        "client_p95_ms": p(client_ms, 95),
    }


def run_on(database: str, url: str, args: argparse.Namespace, work: Path) -> dict:
    env = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": url,
        "FLASK_SECRET_KEY": "bench",
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    began = time.perf_counter()
    data = prepare(env, args)
    print(f"[{database}] {data['registrations']} registrations in "
          f"{time.perf_counter() - began:.0f} s", flush=True)  # fmt: skip
    auth = {"Authorization": f"Bearer {data['secret']}"}
    json_auth = {**auth, "Content-Type": "application/json"}
    tickets = itertools.cycle([code for code, *_ in data["door"]])
    nonces = itertools.count()
    typed = itertools.cycle(searches(data["door"], random.Random(7)))
    requests = {
        "bare": itertools.repeat(("GET", "/bench/bare", None, {})),
        "scan": ((
            "POST", "/api/v1/checkins",
            json.dumps({"event": SLUG, "ticket": next(tickets),
                        "nonce": f"{database}-{os.getpid()}-{next(nonces)}"}),
            json_auth,
        ) for _ in itertools.count()),  # fmt: skip
        "search": ((
            "GET", f"/api/v1/events/{SLUG}/checkin-list?q={quote(next(typed))}", None, auth,
        ) for _ in itertools.count()),  # fmt: skip
    }
    rows = []
    log = work / f"gunicorn-checkin-{database}.log"
    with gunicorn("bench.checkin:bench_app()", env, log, workers=args.workers) as port:
        for endpoint, sent in requests.items():
            hammer(port, sent, args.warmup, args.concurrency)
            result = hammer(port, sent, args.seconds, args.concurrency)
            target = TARGETS_MS.get(endpoint)
            ok = set(result["statuses"]) == {200}
            meets = ok and (target is None or result["server_p95_ms"] <= target)
            rows.append({"endpoint": endpoint, **result, "target_p95_ms": target,
                         "meets_target": meets})  # fmt: skip
            print(f"[{database}] {endpoint}: p95 {result['server_p95_ms']} ms", flush=True)
    return {"database": database, "registrations": data["registrations"],
            "door_registrations": len(data["door"]), "rows": rows}  # fmt: skip


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # Other programs' share of the CPU: it shows in the times, not in the CPU column.
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    runs = []
    with tempfile.TemporaryDirectory(prefix="boostcamp-bench-") as tmp:
        work = Path(tmp)
        runs.append(run_on("sqlite", f"sqlite:///{work / 'checkin.sqlite3'}", args, work))
        if os.environ.get("BENCH_DATABASE_URL"):
            with postgres_schema(os.environ["BENCH_DATABASE_URL"]) as url:
                runs.append(run_on("postgresql", url, args, work))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "checkin",
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "settings": {**vars(args), "targets_p95_ms": TARGETS_MS,
                     "server": "gunicorn sync workers", "load_average_before": load_before},
        "runs": runs,
    }, indent=2) + "\n")  # fmt: skip
    for run in runs:
        print(f"\n{run['database']} ({run['registrations']} registrations, "
              f"{run['door_registrations']} at the door):")  # fmt: skip
        print(f"{'endpoint':<8} {'requests':>8} {'server p50':>10} {'server p95':>10} "
              f"{'CPU p95':>8} {'client p95':>10} {'× bare p95':>10}  "
              f"{'target p95':<12}")  # fmt: skip
        bare = run["rows"][0]["server_p95_ms"] or 1
        for row in run["rows"]:
            target = "" if row["target_p95_ms"] is None else (
                f"≤ {row['target_p95_ms']:g} " + ("ok" if row["meets_target"] else "missed"))
            print(f"{row['endpoint']:<8} {row['requests']:>8} {row['server_p50_ms']:>10.2f} "
                  f"{row['server_p95_ms']:>10.2f} {row['cpu_p95_ms']:>8.2f} "
                  f"{row['client_p95_ms']:>10.2f} "
                  f"{row['server_p95_ms'] / bare:>10.1f}  {target:<12}")  # fmt: skip
    print(f"\nclient: {args.concurrency} connections, {args.seconds:g} s per endpoint after "
          f"{args.warmup:g} s of warm-up; {args.workers} gunicorn workers; times in ms, "
          f"server side from X-Server-Ms, CPU from X-Server-CPU-Ms; load average before the "
          f"run {load_before}; results in {RESULTS.relative_to(ROOT)}")  # fmt: skip
    rows = [row for run in runs for row in run["rows"]]
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
