"""Follow-up surveys: sent once N months after an event to consenting attendees, answered
once through a signed link, merged by staff."""

from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from boostcamp.auth.models import StaffRole
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.worker import Worker
from boostcamp.outcomes.records.models import Certification, JobsSnapshot, Startup
from boostcamp.outcomes.jobs import send_followup_surveys
from boostcamp.outcomes.surveys import services as surveys
from boostcamp.outcomes.surveys.models import FollowupSurvey, SurveyReview
from boostcamp.registrations.models import Person
from tests.factories import (
    make_check_in,
    make_event,
    make_person,
    make_registration,
    make_startup,
    make_user,
)

GOOD_NUMBER = "0123456749"


def past_event(months_ago: int = 6, days_after: int = 1):
    now = utcnow()
    ends = now - relativedelta(months=months_ago) - timedelta(days=days_after)
    return make_event(starts_at=ends - timedelta(hours=9), title="Boostcamp Mons")


def attendee(event, consent=True, came=True, email=None, **kw):
    registration = make_registration(event, make_person(email, **kw), consent_followup=consent)
    if came:
        make_check_in(registration)
    return registration


def test_sent_once_to_consenting_attendees_only(app):
    event = past_event(6)
    yes = attendee(event, email="yes@example.be")
    attendee(event, consent=False)
    attendee(event, came=False)
    stopped = attendee(event)
    stopped.person.followup_opt_out_at = utcnow()
    db.session.commit()
    assert send_followup_surveys(utcnow()) == 1
    assert send_followup_surveys(utcnow()) == 0  # idempotent: once per person and delay
    [mail] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert mail.to_address == "yes@example.be" and mail.kind == "followup_survey"
    assert "http://boostcamp.test/survey/" in mail.body_text
    [survey] = db.session.scalars(sa.select(FollowupSurvey)).all()
    assert (survey.person_id, survey.months) == (yes.person_id, 6)


def test_old_events_and_unfinished_delays_are_not_surveyed(app):
    attendee(past_event(6, days_after=-3))  # 6 months ago in three days
    attendee(past_event(20 * 12))  # long before surveys existed (events begin in 2000)
    assert send_followup_surveys(utcnow()) == 0


def answer_form(**kw):
    data = {"started_company": "yes", "startup_name": "Brasserie", "enterprise_number":
            "0123.456.749", "founded_on": "2012-03-01", "jobs": "4",
            "certification_name": "MCSA", "certification_issuer": "Microsoft"}
    data.update(kw)
    return data


def sent_survey(**kw):
    event = past_event(12)
    registration = attendee(event, **kw)
    surveys.send_surveys(event, 12)
    db.session.commit()
    survey = db.session.scalar(sa.select(FollowupSurvey))
    return survey, surveys.make_token(survey), registration


def test_answered_once_then_merged_by_staff(app, client, auth):
    survey, token, registration = sent_survey()
    assert client.get(f"/survey/{token}").status_code == 200
    response = client.post(f"/survey/{token}", data=answer_form(founded_on="2099-01-01"))
    assert response.status_code == 200 and "dans le futur" in response.get_data(as_text=True)
    response = client.post(f"/survey/{token}", data=answer_form())
    assert response.status_code == 200 and "Merci" in response.get_data(as_text=True)
    again = client.post(f"/survey/{token}", data=answer_form())
    assert again.status_code == 410 and "déjà reçu une réponse" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Startup)) == 0  # not yet

    db.session.rollback()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    page = client.get("/staff/outcomes/surveys").get_data(as_text=True)
    assert "Brasserie" in page and "Nouvelle start-up" in page
    assert client.post(f"/staff/outcomes/surveys/{survey.id}/accept").status_code == 302
    db.session.rollback()
    startup = db.session.scalar(sa.select(Startup))
    assert (startup.name, startup.enterprise_number) == ("Brasserie", GOOD_NUMBER)
    assert [m.person_id for m in startup.founders] == [registration.person_id]
    assert db.session.scalar(sa.select(JobsSnapshot.headcount)) == 4
    assert db.session.scalar(sa.select(Certification.name)) == "MCSA"
    assert db.session.get(FollowupSurvey, survey.id).review == SurveyReview.ACCEPTED
    assert "Aucune réponse en attente" in client.get("/staff/outcomes/surveys").get_data(as_text=True)


def test_an_answer_matches_a_recorded_start_up_by_enterprise_number(app, client, auth):
    survey, token, registration = sent_survey()
    existing = make_startup("Brasserie SRL", enterprise_number=GOOD_NUMBER,
                            founded_on=date(2012, 3, 1))  # fmt: skip
    client.post(f"/survey/{token}", data=answer_form(certification_name=""))
    db.session.rollback()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    assert "Brasserie SRL" in client.get("/staff/outcomes/surveys").get_data(as_text=True)
    client.post(f"/staff/outcomes/surveys/{survey.id}/accept")
    db.session.rollback()
    # Anyone may quote a number: the answer only proposes the link, nothing joins yet.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Startup)) == 1
    assert db.session.get(Startup, existing.id).founders == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobsSnapshot)) == 0
    assert db.session.get(FollowupSurvey, survey.id).review == SurveyReview.LINK_PROPOSED
    page = client.get(f"/staff/outcomes/startups/{existing.id}").get_data(as_text=True)
    assert 'id="proposed-links"' in page
    response = client.post(f"/staff/outcomes/startups/{existing.id}/links/{survey.id}/confirm")
    assert response.status_code == 302
    db.session.rollback()
    assert [m.person_id for m in db.session.get(Startup, existing.id).founders] == [
        registration.person_id]
    assert db.session.scalar(sa.select(JobsSnapshot.headcount)) == 4
    assert db.session.get(FollowupSurvey, survey.id).review == SurveyReview.ACCEPTED
    again = client.post(f"/staff/outcomes/startups/{existing.id}/links/{survey.id}/confirm")
    assert again.status_code == 302  # decided already: a message, nothing twice
    db.session.rollback()
    assert len(db.session.get(Startup, existing.id).founders) == 1


def test_a_declined_link_leaves_the_start_up_alone(app, client, auth):
    survey, token, registration = sent_survey()
    existing = make_startup("Brasserie SRL", enterprise_number=GOOD_NUMBER)
    client.post(f"/survey/{token}", data=answer_form(certification_name=""))
    db.session.rollback()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    client.post(f"/staff/outcomes/surveys/{survey.id}/accept")
    client.post(f"/staff/outcomes/startups/{existing.id}/links/{survey.id}/decline")
    db.session.rollback()
    assert db.session.get(Startup, existing.id).founders == []
    assert db.session.get(FollowupSurvey, survey.id).review == SurveyReview.REJECTED


def test_an_implausible_job_count_needs_a_second_confirmation(app, client, auth):
    survey, token, registration = sent_survey()
    client.post(f"/survey/{token}", data=answer_form(jobs="900"))
    db.session.rollback()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    assert "900 emplois" in client.get("/staff/outcomes/surveys").get_data(as_text=True)
    client.post(f"/staff/outcomes/surveys/{survey.id}/accept")
    db.session.rollback()
    assert db.session.get(FollowupSurvey, survey.id).review == SurveyReview.PENDING
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Startup)) == 0
    client.post(f"/staff/outcomes/surveys/{survey.id}/accept", data={"jobs_confirmed": "y"})
    db.session.rollback()
    assert db.session.scalar(sa.select(JobsSnapshot.headcount)) == 900


def test_rejected_answers_change_nothing(app, client, auth):
    survey, token, _registration = sent_survey()
    client.post(f"/survey/{token}", data=answer_form())
    db.session.rollback()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    client.post(f"/staff/outcomes/surveys/{survey.id}/reject")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Startup)) == 0
    assert db.session.get(FollowupSurvey, survey.id).review == SurveyReview.REJECTED


def test_stop_asking_ends_all_surveys(app, client):
    survey, token, registration = sent_survey()
    assert client.post(f"/survey/{token}/stop").status_code == 302
    db.session.rollback()
    assert db.session.get(Person, registration.person_id).followup_opt_out_at is not None
    event = past_event(6)
    make_check_in(make_registration(event, db.session.get(Person, registration.person_id),
                                    consent_followup=True))  # fmt: skip
    assert send_followup_surveys(utcnow()) == 0


def test_bad_and_expired_links_give_a_clear_page(app, client):
    survey, token, _registration = sent_survey()
    response = client.get(f"/survey/{token}x")
    assert response.status_code == 404 and "pas valide" in response.get_data(as_text=True)
    app.config["SURVEY_LINK_DAYS"] = -1
    response = client.get(f"/survey/{token}")
    assert response.status_code == 410 and "expiré" in response.get_data(as_text=True)


def test_the_survey_mail_arrives_by_smtp(app, smtp_server):
    event = past_event(24)
    attendee(event, email="lea@example.be", first_name="Léa", language="fr")
    Worker().run_pass()
    [received] = smtp_server.wait_for(1)
    assert received["To"].endswith("<lea@example.be>")
    text = received.get_body(("plain",)).get_content()
    assert "Léa" in text and "/survey/" in text and "/stop" in text


def test_an_answer_given_after_midnight_in_brussels_merges_while_utc_is_still_yesterday(
    app, client, auth, monkeypatch
):
    """00:30 in Brussels is 23:30 UTC the day before: the answer's day (Brussels) is today,
    not "in the future", for the form and for the merge."""
    night = datetime(2026, 12, 7, 23, 30, tzinfo=timezone.utc)  # 8 December in Brussels
    monkeypatch.setattr("boostcamp.core.zones._now", lambda: night)
    survey, token, registration = sent_survey()
    response = client.post(f"/survey/{token}", data=answer_form(
        founded_on="2026-12-08", certification_on="2026-12-08"))  # fmt: skip
    assert "Merci" in response.get_data(as_text=True)
    db.session.rollback()
    db.session.get(FollowupSurvey, survey.id).answered_at = night
    db.session.commit()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    assert client.post(f"/staff/outcomes/surveys/{survey.id}/accept").status_code == 302
    db.session.rollback()
    assert db.session.get(FollowupSurvey, survey.id).review == SurveyReview.ACCEPTED
    assert db.session.scalar(sa.select(JobsSnapshot.on)) == date(2026, 12, 8)
