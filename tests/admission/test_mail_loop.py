"""The whole loop with a real SMTP server on loopback: people apply on the public form and
get the "application received" mail with their link; two jury members score; staff accept
the top N in one click; the decision mails arrive in each person's language; the accepted
person's ticket lets them in at the door, a rejected one's does not."""

import re

from boostcamp.admission import review_settings
from boostcamp.admission.applications import Filters, applications_query
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from boostcamp.mail.worker import Worker
from tests.api.helpers import bearer, make_token
from tests.factories import PASSWORD, make_centre, make_event, make_org, make_question, make_user
from tests.registrations.helpers import statuses

LINK = re.compile(r"https?://boostcamp\.test(/r/[\w.-]+)")


def send_mails():
    return Worker().run_pass(until_empty=True)


def received(server, to):
    return [m for m in server.messages if m["To"].addresses[0].addr_spec == to]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def as_user(app, user):
    client = app.test_client()
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_apply_review_accept_top_mail_ticket_and_door(app, client, smtp_server):
    app.config["ATTENDANCE_OPENS_HOURS"] = None  # the door scans before the day, for the test
    centre, partner = make_centre(), make_org("Mind & Market")
    event = make_event(host=centre, co_organisers=[partner], capacity=2,
                       admission="application", title="Boostcamp Sélection")  # fmt: skip
    question = make_question(event, "Votre projet ?", required=True)
    juries = [make_user(f"jury{n}@mm.test", org=partner, org_role=MemberRole.REVIEWER) for n in (1, 2)]
    staff_user = make_user("staff@mic.test", role=StaffRole.STAFF)
    secret = make_token(partner)
    people = {"ana@example.be": ("fr", "Ana"), "ben@example.be": ("en", "Ben"),
              "cas@example.be": ("nl", "Cas")}  # fmt: skip
    for email, (language, name) in people.items():
        response = client.post(f"/events/{event.slug}/register", headers={"Accept-Language": language},
                               data={"first_name": name, "last_name": "Test", "email": email,
                                     "profile": "entrepreneur", "consent": "y",
                                     f"q_{question.id}": f"Le projet de {name}"})  # fmt: skip
        assert response.status_code == 302
    send_mails()
    ana_received, ben_received, cas_received = (received(smtp_server, e)[0] for e in people)
    assert ana_received["Subject"] == "Votre candidature à Boostcamp Sélection"
    assert ben_received["Subject"] == "Your application for Boostcamp Sélection"
    assert cas_received["Subject"] == "Uw kandidatuur voor Boostcamp Sélection"
    ana_link = LINK.search(text_of(ana_received)).group(1)
    assert "Votre candidature est en cours d’examen." in client.get(ana_link).get_data(as_text=True)

    db.session.rollback()  # a fresh read
    criteria = review_settings.ensure_criteria(event)
    db.session.commit()
    applications = {r.person.email: r for r in db.session.scalars(
        applications_query(event, Filters(sort="date")))}  # fmt: skip
    marks = {"ana@example.be": (5, 4), "ben@example.be": (2, 3), "cas@example.be": (4, 4)}
    for n, jury in enumerate(juries):
        jury_client = as_user(app, jury)
        for email, registration in applications.items():
            url = f"/staff/events/{event.slug}/applications/{registration.id}"
            data = {f"score_{c.id}": str(marks[email][n]) for c in criteria}
            assert jury_client.post(url, data=data).status_code == 302

    staff = as_user(app, staff_user)
    response = staff.post(f"/staff/events/{event.slug}/applications/accept-top", data={"n": "2"})
    assert response.status_code == 302
    response = staff.post(f"/staff/events/{event.slug}/applications/decide",
                          data={"decision": "reject", "ids": applications["ben@example.be"].id,
                                "message": "Good luck with your project!"})  # fmt: skip
    assert response.status_code == 302
    assert statuses(event) == {"confirmed": 2, "rejected": 1}
    send_mails()
    (ana_ticket,) = received(smtp_server, "ana@example.be")[1:]
    assert ana_ticket["Subject"] == "Votre place pour Boostcamp Sélection est confirmée"
    assert {p.get_content_type() for p in ana_ticket.iter_attachments()} == {"text/calendar", "image/png"}
    (cas_ticket,) = received(smtp_server, "cas@example.be")[1:]
    assert cas_ticket["Subject"].startswith("Uw plaats")
    (ben_no,) = received(smtp_server, "ben@example.be")[1:]
    assert ben_no["Subject"] == "Your application for Boostcamp Sélection"
    assert "Good luck with your project!" in text_of(ben_no)
    assert "we cannot welcome you this time" in text_of(ben_no)

    for email, expected in (("ana@example.be", "ok"), ("ben@example.be", "cancelled")):
        code = applications[email].ticket_code
        response = client.post("/api/v1/checkins", headers=bearer(secret),
                               json={"event": event.slug, "ticket": code, "nonce": f"door-{email}"})  # fmt: skip
        assert response.status_code == 200, response.json
        assert response.json["result"] == expected
