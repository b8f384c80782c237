"""The staff's pages on outcomes: start-ups, members, jobs, certifications, import, export."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from boostcamp.outcomes.imports.models import ImportUpload
from boostcamp.outcomes.records.models import Certification, JobsSnapshot, Startup, StartupMember
from tests.factories import (
    make_centre,
    make_certification,
    make_check_in,
    make_event,
    make_org,
    make_person,
    make_registration,
    make_startup,
    make_user,
)

GOOD_NUMBER = "0123.456.749"


def staff(auth):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    assert auth.login("staff@mic.test").status_code == 302


def test_create_startup_with_field_errors_then_saved(app, client, auth):
    staff(auth)
    response = client.post("/staff/outcomes/startups/new", data={
        "name": "Brasserie", "enterprise_number": "0123.456.748", "founded_on": "2031-01-01",
        "status": "active"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "pas valable" in body
    response = client.post("/staff/outcomes/startups/new", data={
        "name": "Brasserie", "enterprise_number": GOOD_NUMBER, "founded_on": "2099-01-01",
        "status": "active"})
    assert response.status_code == 200 and "dans le futur" in response.get_data(as_text=True)
    response = client.post("/staff/outcomes/startups/new", data={
        "name": "Brasserie", "enterprise_number": GOOD_NUMBER, "founded_on": "2012-03-04",
        "status": "active"})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(sa.select(Startup.enterprise_number)) == "0123456749"


def test_members_picked_by_email_and_jobs(app, client, auth):
    staff(auth)
    startup = make_startup("Brasserie", founded_on=date(2011, 1, 1))
    person = make_person("ana@example.be", first_name="Ana")
    url = f"/staff/outcomes/startups/{startup.id}"
    response = client.post(url + "/members", data={"person": "nobody@example.be",
                                                   "role": "founder"})  # fmt: skip
    assert response.status_code == 200
    assert "Personne n’est connu avec cette adresse" in response.get_data(as_text=True)
    response = client.post(url + "/members", data={"person": "ANA@example.be", "role": "founder",
                                                   "started_on": "2011-01-01"})
    assert response.status_code == 302
    response = client.post(url + "/jobs", data={"on": "2012-01-01", "headcount": "-1"})
    assert response.status_code == 200 and "négatif" in response.get_data(as_text=True)
    response = client.post(url + "/jobs", data={"on": "2012-01-01", "headcount": "4", "fte": "3.5"})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(sa.select(StartupMember.person_id)) == person.id
    assert db.session.scalar(sa.select(JobsSnapshot.headcount)) == 4
    page = client.get(url).get_data(as_text=True)
    assert "Ana Dupont" in page and "3,5" in page and "3.50" not in page  # the locale writes it


def test_certification_create_and_edit(app, client, auth):
    staff(auth)
    make_person("lea@example.be")
    response = client.post("/staff/outcomes/certifications/new", data={
        "person": "lea@example.be", "name": "MCSA", "issuer": "Microsoft",
        "obtained_on": "2012-02-03"})
    assert response.status_code == 302
    db.session.rollback()
    certification = db.session.scalar(sa.select(Certification))
    response = client.post(f"/staff/outcomes/certifications/{certification.id}/edit", data={
        "person": "lea@example.be", "name": "MCSE", "issuer": "", "obtained_on": "2012-02-03"})
    assert response.status_code == 200
    response = client.post(f"/staff/outcomes/certifications/{certification.id}/edit", data={
        "person": "lea@example.be", "name": "MCSE", "issuer": "Microsoft",
        "obtained_on": "2012-02-03"})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(sa.select(Certification.name)) == "MCSE"
    assert "MCSE" in client.get("/staff/outcomes/certifications").get_data(as_text=True)


def test_startups_list_costs_the_same_queries_for_few_and_many(app, client, auth, count_queries):
    staff(auth)

    def page_queries():
        with count_queries() as q:
            assert client.get("/staff/outcomes/startups?status=active").status_code == 200
        return q.count

    founder = make_person()
    make_startup("First", founders=[founder])
    few = page_queries()
    for n in range(12):
        startup = make_startup(f"Start-up {n}", founders=[make_person()])
        from tests.factories import make_jobs_snapshot

        make_jobs_snapshot(startup, headcount=n)
    assert page_queries() == few
    assert "Start-up 11" in client.get("/staff/outcomes/startups?q=up 11").get_data(as_text=True)


def test_a_partner_manager_reads_only_startups_of_its_attendees(app, client, auth):
    org_a, org_b = make_org("Partner A"), make_org("Partner B")
    make_user("manager@a.test", org=org_a, org_role=MemberRole.MANAGER)
    centre = make_centre()
    event_a = make_event(host=centre, co_organisers=[org_a])
    event_b = make_event(host=centre, co_organisers=[org_b])
    came, registered_only, elsewhere = make_person(), make_person(), make_person()
    make_check_in(make_registration(event_a, came))
    make_registration(event_a, registered_only)
    make_check_in(make_registration(event_b, elsewhere))
    ours = make_startup("Ours", founders=[came])
    no_show = make_startup("No show", founders=[registered_only])
    theirs = make_startup("Theirs", founders=[elsewhere])
    auth.login("manager@a.test")
    body = client.get("/staff/outcomes/startups").get_data(as_text=True)
    assert "Ours" in body and "No show" not in body and "Theirs" not in body
    assert client.get(f"/staff/outcomes/startups/{ours.id}").status_code == 200
    assert client.get(f"/staff/outcomes/startups/{theirs.id}").status_code == 404
    assert client.get(f"/staff/outcomes/startups/{no_show.id}").status_code == 404
    assert client.get("/staff/outcomes/certifications").status_code == 403
    assert client.get(f"/staff/outcomes/startups/{ours.id}/edit").status_code == 403


def upload(client, content: bytes, filename: str, kind: str, json: bool = False):
    headers = {"Accept": "application/json"} if json else {}
    return client.post("/staff/outcomes/import", headers=headers,
                       content_type="multipart/form-data",
                       data={"kind": kind, "file": (io.BytesIO(content), filename)})


@pytest.mark.both_engines  # an import
def test_import_preview_writes_nothing_and_confirm_writes_all(app, client, auth):
    staff(auth)
    content = (f"name;enterprise_number;founded_on\nOne;{GOOD_NUMBER};2012-01-02\n"
               "Two;;2013-01-02\n").encode("windows-1252")
    response = upload(client, content, "s.csv", "startups", json=True)
    assert response.status_code == 200
    preview_url = response.get_json()["next"]
    page = client.get(preview_url)
    assert "Les 2 lignes sont correctes" in page.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Startup)) == 0
    response = client.post(preview_url + "/confirm")
    assert response.status_code == 302
    db.session.rollback()
    assert sorted(db.session.scalars(sa.select(Startup.name))) == ["One", "Two"]
    assert client.get(preview_url).status_code == 404  # confirmed: not twice


@pytest.mark.both_engines  # an import
def test_import_with_errors_cannot_be_confirmed(app, client, auth):
    staff(auth)
    content = b"name;enterprise_number;founded_on\nOne;0123456749;2012-01-02\nBad;123;2012-01-02\n"
    response = upload(client, content, "s.csv", "startups")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "1 ligne contient des erreurs" in page and "10 chiffres" in page
    client.post(response.location + "/confirm")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Startup)) == 0


def test_import_of_a_wrong_file_says_why(app, client, auth):
    staff(auth)
    response = upload(client, b"colour;size\nred;2\n", "s.csv", "jobs")
    page = client.get(response.location).get_data(as_text=True)
    assert "colonnes manquantes" in page
    response = upload(client, b"", "s.csv", "jobs")
    assert "Le fichier est vide" in client.get(response.location).get_data(as_text=True)
    response = client.post("/staff/outcomes/import", headers={"Accept": "application/json"},
                           data={"kind": "jobs"})
    assert response.status_code == 400 and "file" in response.get_json()["errors"]


@pytest.mark.both_engines  # an import
def test_another_staff_member_cannot_confirm_my_upload(app, client, auth):
    staff(auth)
    upload(client, b"name;founded_on\nA;2012-01-01\n", "s.csv", "startups")
    key = db.session.scalar(sa.select(ImportUpload.key))
    make_user("other@mic.test", role=StaffRole.STAFF)
    auth.logout()
    auth.login("other@mic.test")
    assert client.get(f"/staff/outcomes/import/{key}").status_code == 404


def test_exports_of_every_table(app, client, auth):
    staff(auth)
    person = make_person("ana@example.be")
    make_startup("Brasserie", enterprise_number=GOOD_NUMBER, founders=[person])
    make_certification(person)
    for table in ("startups", "members", "jobs", "certifications"):
        csv_response = client.get(f"/staff/outcomes/export/{table}.csv")
        assert csv_response.status_code == 200
        assert client.get(f"/staff/outcomes/export/{table}.xlsx").status_code == 200
    assert "0123456749" in client.get("/staff/outcomes/export/startups.csv").get_data(as_text=True)
    certifications = client.get("/staff/outcomes/export/certifications.csv")
    assert "ana@example.be" in certifications.get_data(as_text=True)


def test_certifications_and_survey_answers_cost_the_same_queries_for_few_and_many(
    app, client, auth, count_queries
):
    from boostcamp.core.db import utcnow
    from boostcamp.outcomes.surveys.models import FollowupSurvey, SurveyReview

    staff(auth)
    event = make_event()

    def add(n):
        for _ in range(n):
            person = make_person()
            make_certification(person)
            db.session.add(FollowupSurvey(
                person=person, event=event, months=6, answered_at=utcnow(),
                review=SurveyReview.PENDING,
                answers={"started_company": True, "startup_name": "X",
                         "enterprise_number": "0123456749", "founded_on": "2012-01-01"}))  # fmt: skip
        db.session.commit()

    def queries(url):
        with count_queries() as q:
            assert client.get(url).status_code == 200
        return q.count

    add(1)
    make_startup("X", enterprise_number=GOOD_NUMBER)
    few = {url: queries(url) for url in ("/staff/outcomes/certifications", "/staff/outcomes/surveys")}
    add(15)
    assert {url: queries(url) for url in few} == few
