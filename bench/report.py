"""Every target of issue 16 with its figure from bench/results/ and pass or FAIL.

`python -m bench` prints this table after its benchmarks; `python -m bench.report` prints it
again from the last results. A figure older than the run that prints it (or missing) is
"not run", never a pass, and so is an engine a benchmark did not run on (every target is
for SQLite and PostgreSQL: `make bench` runs both). Targets the benchmarks do not measure
are listed with where they are checked instead, so that the table has every row of the
issue; the test suite's time is read from bench/results/suite.json ({"at": ISO time,
"seconds": …}) when something wrote it.
"""

import json
import sys
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ENGINES = ("sqlite", "postgresql")
SUITE_SECONDS = 300


def load(name: str, since: datetime | None) -> dict | None:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    report = json.loads(path.read_text())
    if since and datetime.fromisoformat(report["at"]) < since.replace(microsecond=0):
        return None
    return report


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def per_engine(report: dict | None) -> list[tuple[str, dict | None]]:
    """(engine, its run or None) for both engines."""
    runs = {run["database"]: run for run in (report or {}).get("runs", [])}
    return [(engine, runs.get(engine)) for engine in ENGINES]


def rows(since: datetime | None = None) -> list[tuple[str, str, str, str, str]]:
    """(target, engine, measured, target, pass/FAIL/not run) for every row of issue 16."""
    out = []

    def missing(what: str, target: str, bench: str, engine: str = "") -> None:
        out.append((what, engine, f"not run (python -m bench {bench})", target, "not run"))

    # 1. Calendar downloads.
    calendar = load("calendar", since)
    for endpoint, target in (("event .ics", 0.5), ("/calendar.ics", 0.2),
                             ("organisation feed", 0.2), ("feed, 304", 0.5)):  # fmt: skip
        label = f"1. {endpoint} (1,000 events)"
        for engine, run in per_engine(calendar):
            if not run:
                missing(label, f"≥ {target} × bare", "calendar", engine)
                continue
            [row] = [r for r in run["rows"] if r["endpoint"] == endpoint]
            ok = row["ratio_to_bare"] >= target and not row["errors"]
            measured = f"{row['ratio_to_bare']:.2f} × bare ({row['rps']:.0f} req/s)"
            out.append((label, engine, measured, f"≥ {target} × bare", verdict(ok)))

    # 2. Public pages as deployed, and signed in.
    catalogue = load("catalogue", since)
    for mode, target in (("cache on", 0.5), ("signed in", 0.15)):
        for endpoint in ("event page", "catalogue"):
            label = f"2. {endpoint}, {'visitors' if mode == 'cache on' else mode}"
            for engine, run in per_engine(catalogue):
                if not run:
                    missing(label, f"≥ {target} × bare", "catalogue", engine)
                    continue
                [row] = [r for r in run["rows"] if r["mode"] == mode and r["endpoint"] == endpoint]
                ok = row["ratio_to_bare"] >= target and not row["errors"]
                measured = f"{row['ratio_to_bare']:.2f} × bare ({row['rps']:.0f} req/s)"
                out.append((label, engine, measured, f"≥ {target} × bare", verdict(ok)))
    out.append(("1–2. a change seen by the next visitor", "",
                "tests/events/test_catalogue.py, tests/ical/test_views.py",
                "≤ 1 s, every worker", "tests"))  # fmt: skip

    # 3. Sign-up, and the rush.
    signup = load("signup", since)
    rush_label, rush_target = "3. rush, 1,000 for 100 seats, 50 clients", "p99 ≤ 1 s, 0 errors, 100"
    for engine, run in per_engine(signup):
        if not run:
            missing("3. sign-up POST", "≥ 0.35 × bare insert", "signup", engine)
            missing(rush_label, rush_target, "signup", engine)
            continue
        [row] = [r for r in run["rows"] if r["endpoint"] == "sign-up"]
        [floor] = [r for r in run["rows"] if r["endpoint"] == "floor"]
        ok = row["ratio_to_bare"] >= 0.35 and not row["errors"]
        cpu = f", CPU {row['cpu_ratio_to_bare']:.2f} ×" if row.get("cpu_ratio_to_bare") else ""
        out.append(("3. sign-up POST", engine,
                    f"{row['ratio_to_bare']:.2f} × bare{cpu} (floor {floor['ratio_to_bare']:.2f})",
                    "≥ 0.35 × bare insert", verdict(ok)))  # fmt: skip
        rush = run.get("rush")
        if not rush:
            missing(rush_label, rush_target, "signup --rush 1000", engine)
            continue
        out.append((rush_label, engine,
                    f"p99 {rush['p99_ms']:.0f} ms, {rush['errors']} errors, "
                    f"{rush['confirmed']} confirmed", rush_target,
                    verdict(rush["meets_target"])))  # fmt: skip

    # 4. The funder dashboard at scale.
    scale = load("impact_scale", since)
    for engine, run in per_engine(scale):
        if not run:
            missing("4. /staff/impact and /api/v1/impact", "p50 ≤ 300 ms", "impact_scale",
                    engine)  # fmt: skip
            continue
        for row in run["rows"]:
            if row["target_ms"] is None:
                continue
            out.append((f"4. {row['request']}", engine, f"p50 {row['p50_ms']:.0f} ms",
                        f"p50 ≤ {row['target_ms']} ms", verdict(row["meets_target"])))  # fmt: skip

    # 5. The test suite is timed by `make test`, not here: read when something wrote it.
    label = "5. make test (both engines, Chromium, SMTP)"
    suite = load("suite", None)
    if suite:
        minutes = suite["seconds"] / 60
        out.append((label, "", f"{minutes:.1f} min ({suite['at']})", "≤ 5 min",
                    verdict(suite["seconds"] <= SUITE_SECONDS)))  # fmt: skip
    else:
        out.append((label, "", "not a benchmark", "≤ 5 min", "make test"))
    return out


def print_report(since: datetime | None = None) -> bool:
    """Prints the table; True when no row measured here failed or was not run."""
    table = rows(since)
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    print("\nIssue 16, every target (figures of this run):")
    header = ("issue 16", "engine", "measured", "target")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  result")
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + f"  {row[4]}")
    return all(row[4] in ("pass", "tests", "make test") for row in table)


if __name__ == "__main__":
    # python -m bench.report [ISO time]: only figures measured since then count.
    since = datetime.fromisoformat(sys.argv[1]) if sys.argv[1:] else None
    sys.exit(0 if print_report(since) else 1)
