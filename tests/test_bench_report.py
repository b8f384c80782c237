"""bench/report.py: every target of issue 16 is a row, per engine, with pass, FAIL or
"not run" — never a pass for a figure that is missing, old or from one engine only."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from bench import report

AT = datetime(2026, 12, 7, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS", tmp_path)

    def write(name: str, runs: list[dict], at: datetime = AT) -> None:
        (tmp_path / f"{name}.json").write_text(json.dumps({"at": at.isoformat(), "runs": runs}))

    return write


def signup_run(database: str, ratio: float, rush: dict | None) -> dict:
    rows = [
        {"endpoint": "bare insert", "rps": 700, "errors": 0, "ratio_to_bare": 1.0},
        {"endpoint": "sign-up", "rps": 700 * ratio, "errors": 0, "ratio_to_bare": ratio,
         "cpu_ratio_to_bare": ratio},
        {"endpoint": "floor", "rps": 300, "errors": 0, "ratio_to_bare": 0.43},
    ]  # fmt: skip
    return {"database": database, "rows": rows, "rush": rush}


def by_label(rows, start: str) -> dict[str, tuple]:
    return {row[1]: row for row in rows if row[0].startswith(start)}


def test_without_results_every_target_is_listed_as_not_run_on_both_engines(results):
    rows = report.rows(AT)
    for start in ("1. event .ics", "1. /calendar.ics", "1. organisation feed", "1. feed, 304",
                  "2. event page, visitors", "2. catalogue, signed in", "3. sign-up POST",
                  "3. rush", "4. /staff/impact"):  # fmt: skip
        found = by_label(rows, start)
        assert set(found) == {"sqlite", "postgresql"}, start
        assert {row[4] for row in found.values()} == {"not run"}, start
    assert by_label(rows, "5. make test")[""][4] == "make test"
    assert not report.print_report(AT)


def test_sign_up_and_rush_pass_or_fail_per_engine_and_a_missing_engine_is_not_run(results):
    rush = {"p99_ms": 800.0, "errors": 0, "confirmed": 100, "meets_target": True}
    results("signup", [signup_run("sqlite", 0.36, rush)])
    rows = report.rows(AT)
    signup, rushes = by_label(rows, "3. sign-up POST"), by_label(rows, "3. rush")
    assert signup["sqlite"][4] == "pass" and "0.36 × bare" in signup["sqlite"][2]
    assert rushes["sqlite"][4] == "pass"
    assert signup["postgresql"][4] == rushes["postgresql"][4] == "not run"

    slow = {"p99_ms": 9100.0, "errors": 0, "confirmed": 100, "meets_target": False}
    results("signup", [signup_run("sqlite", 0.34, None), signup_run("postgresql", 0.4, slow)])
    rows = report.rows(AT)
    signup, rushes = by_label(rows, "3. sign-up POST"), by_label(rows, "3. rush")
    assert (signup["sqlite"][4], signup["postgresql"][4]) == ("FAIL", "pass")
    assert (rushes["sqlite"][4], rushes["postgresql"][4]) == ("not run", "FAIL")


def test_figures_older_than_the_run_are_not_run(results):
    rush = {"p99_ms": 800.0, "errors": 0, "confirmed": 100, "meets_target": True}
    results("signup", [signup_run(db, 0.5, rush) for db in ("sqlite", "postgresql")],
            at=AT - timedelta(hours=1))  # fmt: skip
    assert {row[4] for row in by_label(report.rows(AT), "3.").values()} == {"not run"}
    assert {row[4] for row in by_label(report.rows(None), "3. sign-up").values()} == {"pass"}


def test_the_suites_time_is_read_when_written(results, tmp_path):
    (tmp_path / "suite.json").write_text(json.dumps({"at": AT.isoformat(), "seconds": 290}))
    assert by_label(report.rows(AT), "5. make test")[""][4] == "pass"
    (tmp_path / "suite.json").write_text(json.dumps({"at": AT.isoformat(), "seconds": 420}))
    row = by_label(report.rows(AT), "5. make test")[""]
    assert row[4] == "FAIL" and row[2].startswith("7.0 min")
