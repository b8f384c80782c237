"""The impact pages write dates and numbers as the reader's region does (core.i18n), like
the rest of the site: "7 Dec 2026" and "12,345" in English, not the US "Dec 7, 2026"."""

from datetime import date

from boostcamp.auth.models import StaffRole
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact.models import ImpactMetric, ImpactTarget
from tests.factories import make_user

PERIOD = {"from": "2026-12-07", "to": "2027-12-31"}


def staff_reading(client, auth, language):
    user = make_user(role=StaffRole.STAFF)
    auth.login(user.email)
    client.get(f"/lang/{language}")


def a_target():
    db.session.add(ImpactTarget(label="Jobs", metric=ImpactMetric("jobs"), value=12345,
                                period_from=date(2026, 12, 7), period_to=date(2027, 12, 31)))
    db.session.commit()


def test_an_english_reader_gets_british_dates_and_numbers(app, client, auth):
    a_target()
    staff_reading(client, auth, "en")
    html = client.get("/staff/impact/targets").get_data(as_text=True)
    assert "7 Dec 2026" in html and "12,345" in html
    assert "Dec 7, 2026" not in html
    page = client.get("/staff/impact/startups", query_string=PERIOD).get_data(as_text=True)
    assert "Period: 7 Dec 2026 – 31 Dec 2027." in page
    printable = client.get("/staff/impact/print", query_string=PERIOD).get_data(as_text=True)
    assert "7 December 2026" in printable and "December 7, 2026" not in printable
    csv = client.get("/staff/impact/report.csv", query_string=PERIOD).get_data(as_text=True)
    assert "Jobs (7 Dec 2026 – 31 Dec 2027): 0 / 12,345" in csv


def test_a_dutch_reader_gets_belgian_dates_and_numbers(app, client, auth):
    a_target()
    staff_reading(client, auth, "nl")
    html = client.get("/staff/impact/targets").get_data(as_text=True)
    assert "7 dec 2026" in html and "12.345" in html
    csv = client.get("/staff/impact/report.csv", query_string=PERIOD).get_data(as_text=True)
    assert "Jobs (7 dec 2026 – 31 dec 2027): 0 / 12.345" in csv
