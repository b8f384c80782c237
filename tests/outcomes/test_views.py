"""The impact dashboard, its lists, exports and settings, as staff and partners use them."""

import io
import re
from datetime import date, datetime

import sqlalchemy as sa
from openpyxl import load_workbook

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.events.models import EventKind
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import attribution
from boostcamp.outcomes.impact.models import ImpactTarget
from boostcamp.outcomes.records import services as outcomes
from tests.factories import make_person, make_startup, make_user
from tests.outcomes.helpers import attend, past_event, world

PERIOD = {"from": "2010-01-01", "to": "2010-12-31"}


def signed_in(client, auth, **user):
    user = make_user(**user)
    auth.login(user.email)
    return user


def test_the_dashboard_shows_the_figures_with_links_to_the_lists_behind_them(app, client, auth):
    world()
    signed_in(client, auth, role=StaffRole.STAFF)
    response = client.get("/staff/impact", query_string=PERIOD)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    links = re.findall(r'href="(/staff/impact/[^"]+)"', html)
    assert any("startups?" in link and "credited=0" in link for link in links)
    assert any("which=job_seekers" in link for link in links)
    assert any("by=partner" in link for link in links)
    # Charts are drawn on the server, described for screen readers, without inline styles.
    assert html.count("<svg") >= 6 and "<title id=\"funnel-chart-title\">" in html
    assert "style=" not in html and "<script>" not in html
    assert "une start-up est attribuée à un événement" in html.lower()  # the rule, in words


def test_bad_dates_are_field_errors(app, client, auth):
    signed_in(client, auth, role=StaffRole.STAFF)
    response = client.get("/staff/impact", query_string={"from": "2010-13-01", "to": "2009-01-01"})
    assert response.status_code == 422
    assert 'id="from-error"' in response.get_data(as_text=True)
    response = client.get("/staff/impact", query_string={"from": "2011-01-01", "to": "2010-01-01"})
    assert response.status_code == 422 and 'id="to-error"' in response.get_data(as_text=True)


def test_partner_a_never_sees_what_only_partner_b_events_are_credited_with(app, client, auth):
    w = world()
    signed_in(client, auth, org=w["a"], org_role=MemberRole.MANAGER)
    pages = [client.get(path, query_string={**PERIOD, **extra}) for path, extra in (
        ("/staff/impact", {}),
        ("/staff/impact/startups", {}),
        ("/staff/impact/startups", {"credited": "0"}),
        ("/staff/impact/certifications", {"credited": "0"}),
        ("/staff/impact/people", {"which": "registered"}),
        ("/staff/impact/people", {"which": "participants"}),
        ("/staff/impact/people", {"which": "job_seekers", "by": "partner", "value": w["b"].slug}),
        ("/staff/impact/print", {}),
        ("/staff/impact/report.csv", {}),
    )]  # fmt: skip
    assert all(p.status_code == 200 for p in pages)
    seen = "".join(p.get_data(as_text=True) for p in pages)
    assert "Alpha" in seen and w["founder_a"].email in seen
    # (Partner B's name may show: organisations are public.)
    for secret in ("Beta", "Gamma", w["founder_b"].email, "MCTS"):
        assert secret not in seen, secret


def test_a_partner_sees_a_co_founder_met_elsewhere_as_another_founder(app, client, auth):
    w = world()
    co_founder = make_person(first_name="Oscar", last_name="Secret")
    attend(w["of_b"], co_founder)  # met at partner B's event only
    outcomes.add_member(w["startup_a"], co_founder, "founder")
    db.session.commit()
    signed_in(client, auth, org=w["a"], org_role=MemberRole.MANAGER)
    html = client.get("/staff/impact/startups", query_string=PERIOD).get_data(as_text=True)
    assert w["founder_a"].full_name in html and "une autre personne fondatrice" in html
    assert "Secret" not in html


def test_lists_cost_the_same_queries_for_few_and_many_rows(app, client, auth, count_queries):
    signed_in(client, auth, role=StaffRole.STAFF)
    event = past_event(date(2010, 3, 1), kind=EventKind.TRAINING)

    def add(n):
        for _ in range(n):
            founder = attend(event)
            make_startup(founders=[founder, make_person()], founded_on=date(2010, 9, 1))

    def costs():
        counts = []
        for path in ("/staff/impact/startups", "/staff/impact/people",
                     "/staff/impact/certifications", "/staff/impact"):  # fmt: skip
            with count_queries() as q:
                assert client.get(path, query_string=PERIOD).status_code == 200
            counts.append(q.count)
        return counts

    add(2)
    few = costs()
    add(12)
    assert costs() == few


def test_funder_exports_carry_the_period_and_the_rule(app, client, auth):
    world()
    signed_in(client, auth, role=StaffRole.ADMIN)
    csv = client.get("/staff/impact/report.csv", query_string=PERIOD)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data().decode("utf-8-sig")
    assert "Période;2010-01-01;2010-12-31\r\n" in text and "fondateurs y a participé" in text
    assert ";2;8;7,0;1;2" in text  # the totals: start-ups, jobs, FTE, certifications, people
    xlsx = client.get("/staff/impact/report.xlsx", query_string=PERIOD)
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][1:3] == [datetime(2010, 1, 1), datetime(2010, 12, 31)]  # date cells
    assert sheet.cell(2, 2).is_date
    assert rows[3][2:] == [2, 8, 7.0, 1, 2]
    printable = client.get("/staff/impact/print", query_string=PERIOD).get_data(as_text=True)
    assert "fondateurs y a participé" in printable and "d-print-none" in printable


def test_the_centre_changes_the_rule_and_bad_numbers_are_refused(app, client, auth):
    signed_in(client, auth, role=StaffRole.STAFF)
    response = client.post("/staff/impact/rule", data={
        "min_attendance_percent": "75", "startup_months": "36", "certification_months": "6"})
    assert response.status_code == 302
    db.session.rollback()
    assert attribution.current_rule() == attribution.Rule(75, 36, 6)
    response = client.post("/staff/impact/rule", data={
        "min_attendance_percent": "0", "startup_months": "x", "certification_months": "6"})
    assert response.status_code == 422
    db.session.rollback()
    assert attribution.current_rule() == attribution.Rule(75, 36, 6)


def test_targets_are_added_edited_and_deleted_by_the_centre(app, client, auth):
    signed_in(client, auth, role=StaffRole.STAFF)
    form = {"label": "Emplois 2012–2014", "metric": "jobs", "value": "300",
            "period_from": "2012-01-01", "period_to": "2014-12-31"}  # fmt: skip
    assert client.post("/staff/impact/targets", data=form).status_code == 302
    bad = client.post("/staff/impact/targets", data={**form, "period_to": "2011-01-01"})
    assert bad.status_code == 422
    assert "La période se termine avant de commencer." in bad.get_data(as_text=True)
    db.session.rollback()
    target = db.session.scalars(sa.select(ImpactTarget)).one()
    assert client.post(f"/staff/impact/targets/{target.id}/edit",
                       data={**form, "value": "350"}).status_code == 302  # fmt: skip
    db.session.rollback()
    assert db.session.get(ImpactTarget, target.id).value == 350
    page = client.get("/staff/impact", query_string={"from": "2012-01-01", "to": "2014-12-31"})
    assert "<progress" in page.get_data(as_text=True)
    assert client.post(f"/staff/impact/targets/{target.id}/delete").status_code == 302
    db.session.rollback()
    assert db.session.scalars(sa.select(ImpactTarget)).all() == []


def test_a_list_or_export_with_a_bad_period_goes_back_to_the_dashboard(app, client, auth):
    signed_in(client, auth, role=StaffRole.STAFF)
    for path in ("/staff/impact/startups", "/staff/impact/report.csv", "/staff/impact/print"):
        response = client.get(path, query_string={"from": "hier"})
        assert response.status_code == 302
        assert response.location.startswith("/staff/impact?from=hier")


def test_an_erased_participant_is_listed_in_the_readers_words_without_an_address(
    app, client, auth
):
    from boostcamp.privacy.services import anonymise

    w = world()
    anonymise(w["founder_a"], reason="asked by mail")
    db.session.commit()
    signed_in(client, auth, role=StaffRole.STAFF)
    page = client.get("/staff/impact/people",
                      query_string={**PERIOD, "which": "participants"}).get_data(as_text=True)
    assert f"#{w['founder_a'].id}, anonyme" in page  # counted still, named in French
    assert "invalid.invalid" not in page  # its placeholder address is not a mail link
    assert w["founder_b"].email in page
