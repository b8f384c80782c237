"""The demo's application-only Boostcamp: applications with answers, two jury members'
scores, and the README's tour (apply, score, accept the best in one click, the mails)."""

import sqlalchemy as sa

from boostcamp.admission.models import Review
from boostcamp.demo import admission as demo_admission
from boostcamp.events import queries
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.registrations.questions import event_questions
from tests.registrations.helpers import statuses
from tests.test_demo import seed, sign_in


def test_the_demo_tour_apply_score_accept_the_best(app, client):
    seed()
    event = queries.get_by_slug(demo_admission.SLUG)
    applied = statuses(event)["applied"]
    assert applied >= 15
    reviewers = set(db.session.scalars(sa.select(Review.reviewer_id).distinct()))
    assert len(reviewers) == 2
    seed()  # seeding again adds nothing
    assert statuses(event)["applied"] == applied

    question = event_questions(event)[0]
    response = client.post(f"/events/{event.slug}/register", data={
        "first_name": "Nouvelle", "last_name": "Venue", "email": "nouvelle@example.be",
        "profile": "entrepreneur", "consent": "y", f"q_{question.id}": "Un projet"})  # fmt: skip
    assert response.status_code == 302

    jury, _ = sign_in(app, "jury@mind-and-market.example", "demo-jury")
    assert event.slug in jury.get("/staff/applications").get_data(as_text=True)
    listing = jury.get(f"/staff/events/{event.slug}/applications").get_data(as_text=True)
    assert "Nouvelle Venue" in listing
    # The applicants' cities, and the question only the jury reads.
    assert "Louvain-la-Neuve" in jury.get(f"/staff/events/{event.slug}/applications",
                                          query_string={"city": "louvain"}).get_data(as_text=True)
    some = db.session.scalar(sa.select(Review.registration_id).limit(1))
    page = jury.get(f"/staff/events/{event.slug}/applications/{some}").get_data(as_text=True)
    assert demo_admission.JURY_QUESTION in page

    staff, _ = sign_in(app, "staff@mic-mons.example", "demo-staff")
    registrations = staff.get(f"/staff/events/{event.slug}/registrations").get_data(as_text=True)
    assert demo_admission.QUESTION in registrations and demo_admission.JURY_QUESTION not in registrations
    response = staff.post(f"/staff/events/{event.slug}/applications/accept-top", data={"n": "5"})
    assert response.status_code == 302
    assert statuses(event)["confirmed"] == 5
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "registration_confirmed", OutboxMessage.event_id == event.id)) == 5
