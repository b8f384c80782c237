"""Calendar downloads served by gunicorn, beside a bare endpoint of the same server.

What every "add to calendar" click and every subscribed calendar app fetches: an event's
`.ics`, the catalogue's `/calendar.ics` and an organisation's feed, with 1,000 events in the
database (bench.catalogue's data), and a conditional GET of the feed that an app polling an
unchanged calendar sends (If-None-Match, answered 304). Calendars are kept in Flask-Caching's
store under their version (boostcamp/ical/views.py), as deployed.

Targets: the event's .ics ≥ 0.5 × bare; the feeds (about 750 upcoming events, 1,500 VEVENTs)
≥ 0.2 × bare; the 304 ≥ 0.5 × bare.

    python -m bench calendar [--seconds 8] [--concurrency 4] [--workers 2] [--events 1000]

BENCH_DATABASE_URL=postgresql+psycopg://… also runs it on PostgreSQL. Results go to
bench/results/calendar.json.
"""

import argparse
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bench.catalogue import fill, hammer
from bench.serving import gunicorn, postgres_schema

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "calendar.json"
TARGETS = {"event .ics": 0.5, "/calendar.ics": 0.2, "organisation feed": 0.2, "feed, 304": 0.5}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench calendar", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8, help="measured time per endpoint")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured time per endpoint")
    parser.add_argument("--concurrency", type=int, default=4, help="client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--events", type=int, default=1000)
    return parser.parse_args(argv)  # fmt: skip


def etag_of(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("ETag")


def run_on(database: str, url: str, args: argparse.Namespace, work: Path) -> dict:
    env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": url, "FLASK_SECRET_KEY": "bench",
           "FLASK_RATELIMIT_ENABLED": "false"}  # fmt: skip
    subprocess.run([sys.executable, "-m", "flask", "--app", "bench.app", "db", "upgrade"],
                   env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    print(f"[{database}] filling the database with {args.events} events …", flush=True)
    featured = fill(url, args.events)["event page"]
    paths = {
        "bare": "/bench/bare",
        "event .ics": f"{featured}.ics",
        "/calendar.ics": "/calendar.ics",
        "organisation feed": "/organisations/mind-and-market/calendar.ics",
    }
    rows = []
    with gunicorn("bench.app:app", env, work / f"gunicorn-{database}.log", workers=args.workers,
                  ready_path="/bench/bare") as port:  # fmt: skip
        cases = [(name, path, {}, 200) for name, path in paths.items()]
        cases.append(("feed, 304", "/calendar.ics",
                      {"If-None-Match": etag_of(port, "/calendar.ics")}, 304))  # fmt: skip
        for name, path, headers, expect in cases:
            hammer(port, path, args.warmup, args.concurrency, headers, expect)
            result = hammer(port, path, args.seconds, args.concurrency, headers, expect)
            rows.append({"endpoint": name, "path": path, **result})
            print(f"[{database}] {name}: {result['rps']} req/s", flush=True)
    bare = rows[0]["rps"]
    for row in rows:
        row["ratio_to_bare"] = round(row["rps"] / bare, 2) if bare else 0
        row["target"] = TARGETS.get(row["endpoint"])
        row["meets_target"] = row["target"] is None or row["ratio_to_bare"] >= row["target"]
    return {"database": database, "rows": rows}


def print_table(run: dict) -> None:
    print(f"\n{run['database']}:")
    print(f"{'endpoint':<18} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'× bare':>6} "
          f"{'target':>7} {'':<6} {'errors':>6}")  # fmt: skip
    for row in run["rows"]:
        target = f"≥ {row['target']}" if row["target"] else ""
        verdict = "" if row["target"] is None else ("pass" if row["meets_target"] else "FAIL")
        print(f"{row['endpoint']:<18} {row['rps']:>8.1f} {row['p50_ms']:>7.2f} "
              f"{row['p95_ms']:>7.2f} {row['ratio_to_bare']:>6.2f} {target:>7} {verdict:<6} "
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
        "benchmark": "calendar",
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
    return 0 if all(r["meets_target"] and not r["errors"] for run in runs for r in run["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
