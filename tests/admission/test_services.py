"""Admission by application: applying, scoring, deciding one by one and in bulk, held
decision mails, the applicant's own page (both backends)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.admission import applicant, applications, decisions, review_settings, reviews
from boostcamp.admission.models import ApplicationDecision, Decision, Review
from boostcamp.audit.models import AuditEntry
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, NotFound, ValidationFailed
from boostcamp.events import editing
from boostcamp.core.extensions import db
from boostcamp.registrations import signup, tickets, waiting_list
from boostcamp.registrations.models import RegistrationStatus
from boostcamp.registrations.signup import Outcome
from boostcamp.registrations.waiting_list import CancelReason
from tests.factories import make_event, make_question, make_user, sign_up
from tests.registrations.helpers import mails, reload, statuses


def application_event(**kw):
    return make_event(admission="application", **kw)


def apply(event, n: int, **kw):
    return [sign_up(event, f"a{i}-{event.id}@example.be", **kw).registration for i in range(n)]


def score(registration, reviewer, value: int, note=None):
    criteria = review_settings.ensure_criteria(registration.event)
    reviews.save_review(registration, reviewer, values={c.id: value for c in criteria}, note=note)
    db.session.commit()


def test_applying_takes_no_seat_even_on_a_full_event_and_mails_the_link(app):
    event = application_event(capacity=1)
    results = [sign_up(event, f"p{i}@example.be") for i in range(3)]
    assert [r.outcome for r in results] == [Outcome.APPLIED] * 3
    assert statuses(event) == {"applied": 3}
    assert applications.free_seats(event) == 1
    (mail, *_) = mails("application_received")
    assert len(mails("application_received")) == 3
    assert tickets.manage_url(results[0].registration) in mail.body_text
    assert "candidature" in mail.subject.lower()


def test_applying_twice_makes_one_application_and_mails_the_link_again(app):
    event = application_event(capacity=5)
    sign_up(event, "twice@example.be")
    assert sign_up(event, "twice@example.be").outcome == Outcome.ALREADY_REGISTERED
    assert statuses(event) == {"applied": 1}
    assert [m.kind for m in mails()] == ["application_received", "registration_link"]


def test_no_application_after_the_deadline(app):
    event = application_event(applications_close_at=utcnow() + timedelta(days=1))
    with pytest.raises(signup.RegistrationClosed):
        sign_up(event, now=utcnow() + timedelta(days=2))
    assert statuses(event) == {}


def test_an_event_with_applications_waiting_cannot_open_to_all(app):
    event = application_event()
    apply(event, 1)
    with pytest.raises(ValidationFailed) as e:
        editing.update_event(event, admission="open")
    assert "admission" in e.value.errors


def test_scores_give_an_average_and_a_spread_and_sort_the_list(app):
    event = application_event(capacity=10)
    low, high, none = apply(event, 3)
    jury_a, jury_b = make_user(), make_user()
    score(low, jury_a, 2)
    score(low, jury_b, 4)
    score(high, jury_a, 5)
    summary = applications.scores([low.id, high.id, none.id], jury_a.id)
    assert summary[low.id].average == 3 and summary[low.id].spread == 2
    assert summary[low.id].reviewers == 2 and summary[low.id].mine.reviewer_id == jury_a.id
    assert summary[high.id].spread is None and summary[none.id].average is None
    query = applications.applications_query(event, applications.Filters())
    ordered = db.session.scalars(query).all()
    assert [r.id for r in ordered] == [high.id, low.id, none.id]


def test_a_second_review_by_the_same_reviewer_replaces_the_first(app):
    event = application_event()
    (registration,) = apply(event, 1)
    jury = make_user()
    score(registration, jury, 2, note="Bof")
    score(registration, jury, 5, note="Finalement très bien")
    (review,) = db.session.scalars(sa.select(Review)).all()
    assert review.note == "Finalement très bien" and {s.value for s in review.scores} == {5}


@pytest.mark.parametrize("value", [0, 6, "3.5", "", None, True, "x"])
def test_a_score_outside_1_to_5_is_refused_and_nothing_is_saved(app, value):
    event = application_event()
    (registration,) = apply(event, 1)
    criteria = review_settings.ensure_criteria(event)
    with pytest.raises(ValidationFailed) as e:
        reviews.save_review(registration, make_user(),
                             values={c.id: value for c in criteria}, note=None)  # fmt: skip
    assert f"score.{criteria[0].id}" in e.value.errors
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


def test_accepting_gives_seats_and_the_ticket_rejecting_a_kind_mail(app):
    event = application_event(capacity=2)
    first, second, third = apply(event, 3)
    decisions.decide(first, "accept")
    decisions.decide(second, "waitlist")
    decisions.decide(third, "reject", message="Revenez l’an prochain !")
    db.session.commit()
    assert statuses(event) == {"confirmed": 1, "waitlisted": 1, "rejected": 1}
    (confirmed,) = mails("registration_confirmed")
    assert confirmed.to_address == first.person.email and confirmed.attachments
    (rejected,) = mails("application_rejected")
    assert "Revenez l’an prochain !" in rejected.body_text
    assert "Revenez l’an prochain !" in rejected.body_html
    (waiting,) = mails("registration_waitlisted")
    assert "numéro 1" in waiting.body_text


def test_the_wait_listed_applicant_gets_the_seat_someone_frees(app):
    event = application_event(capacity=1)
    first, second = apply(event, 2)
    decisions.decide(first, "accept")
    decisions.decide(second, "waitlist")
    db.session.commit()
    waiting_list.cancel_registration(reload(first), reason=CancelReason.STAFF)
    db.session.commit()
    assert reload(second).status == RegistrationStatus.OFFERED


def test_accepting_beyond_the_capacity_is_refused_unless_ticked_and_then_audited(app):
    event = application_event(capacity=1)
    first, second = apply(event, 2)
    decisions.decide(first, "accept")
    db.session.commit()
    with pytest.raises(decisions.CapacityFull) as e:
        decisions.decide(second, "accept")
    assert e.value.code == "capacity"
    db.session.rollback()
    assert reload(second).status == RegistrationStatus.APPLIED
    decisions.decide(reload(second), "accept", over_capacity=True)
    db.session.commit()
    assert statuses(event) == {"confirmed": 2}
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "applications_decided").order_by(AuditEntry.id.desc())).first()
    assert entry.changes["over_capacity"] == [None, True]


def test_a_bulk_accept_beyond_the_free_seats_decides_nothing(app):
    event = application_event(capacity=2)
    chosen = apply(event, 3)
    with pytest.raises(decisions.CapacityFull):
        decisions.decide_many(event, [r.id for r in chosen], "accept")
    db.session.rollback()
    assert statuses(event) == {"applied": 3}
    assert mails() and {m.kind for m in mails()} == {"application_received"}
    assert db.session.scalar(sa.select(sa.func.count(ApplicationDecision.id))) == 0


def test_accept_the_top_n_by_score(app):
    event = application_event(capacity=3)
    people = apply(event, 4)
    jury = make_user()
    for registration, value in zip(people, [1, 5, 3, 4]):
        score(registration, jury, value)
    accepted = decisions.accept_top(event, 2)
    db.session.commit()
    assert sorted(r.id for r in accepted) == sorted([people[1].id, people[3].id])
    assert statuses(event) == {"confirmed": 2, "applied": 2}
    with pytest.raises(decisions.CapacityFull):
        decisions.accept_top(event, 2)  # one seat left for two


def test_deciding_on_a_withdrawn_application_is_a_conflict(app):
    event = application_event()
    (registration,) = apply(event, 1)
    waiting_list.cancel_registration(registration)
    db.session.commit()
    with pytest.raises(Conflict):
        decisions.decide(reload(registration), "accept")


def test_another_events_registration_is_no_application_of_this_one(app):
    event, other = application_event(), application_event()
    (theirs,) = apply(other, 1)
    with pytest.raises(NotFound):
        decisions.decide_many(event, [theirs.id], "accept")
    with pytest.raises(NotFound):
        applications.application(event, theirs.id)


def test_held_decisions_are_mailed_together_the_latest_one_per_person(app):
    event = application_event(capacity=5)
    first, second = apply(event, 2)
    review_settings.save_settings(event, labels=["Projet"], blind_review=False, hold_decisions=True)
    decisions.decide(first, "reject")
    decisions.decide(first, "accept")  # changed their mind
    decisions.decide(second, "reject", message="Merci !")
    db.session.commit()
    assert {m.kind for m in mails()} == {"application_received"}
    assert decisions.held_decisions(event) == 2
    assert applicant.self_service(reload(first))["application_pending"] is True
    assert decisions.send_held_decisions(event) == 2
    db.session.commit()
    assert [m.to_address for m in mails("registration_confirmed")] == [first.person.email]
    assert [m.to_address for m in mails("application_rejected")] == [second.person.email]
    assert decisions.held_decisions(event) == 0
    assert applicant.self_service(reload(first))["application_pending"] is False


def test_the_applicant_changes_answers_until_applications_close(app):
    closes = utcnow() + timedelta(days=1)
    event = application_event(applications_close_at=closes)
    question = make_question(event, "Votre projet ?", required=True)
    (registration,) = apply(event, 1, answers={question.id: "Une idée"})
    applicant.update_answers(registration, {question.id: "Une start-up"})
    db.session.commit()
    assert [a.value for a in reload(registration).answers] == ["Une start-up"]
    with pytest.raises(ValidationFailed):
        applicant.update_answers(reload(registration), {question.id: ""})
    db.session.rollback()
    with pytest.raises(Conflict):
        applicant.update_answers(reload(registration), {question.id: "Trop tard"},
                                now=closes + timedelta(minutes=1))  # fmt: skip


def test_criteria_kept_by_label_keep_their_scores(app):
    event = application_event()
    (registration,) = apply(event, 1)
    score(registration, make_user(), 4)
    first = review_settings.criteria(event)[0].label
    assert first == "Projet"  # the defaults speak the event's language (fr)
    review_settings.save_settings(event, labels=[first, "Impact"], blind_review=True,
                           hold_decisions=False)  # fmt: skip
    db.session.commit()
    assert [c.label for c in review_settings.criteria(event)] == ["Projet", "Impact"]
    (review,) = db.session.scalars(sa.select(Review)).all()
    assert len(review.scores) == 1  # the score on "Projet"; Motivation and Disponibilité gone
    assert review_settings.settings_for(event).blind_review is True
    with pytest.raises(ValidationFailed):
        review_settings.save_settings(event, labels=["  "], blind_review=False,
                                      hold_decisions=False)  # fmt: skip


def test_an_open_event_still_confirms_at_once(app):
    event = make_event(capacity=1)
    assert sign_up(event).outcome == Outcome.CONFIRMED
    assert Decision.ACCEPT.value == "accept"


def test_the_impact_funnel_counts_who_applied_and_only_the_admitted_as_registered(app):
    from datetime import date

    from boostcamp.outcomes.impact import figures as impact
    from boostcamp.outcomes.impact import report
    from boostcamp.outcomes.impact.attribution import current_rule
    from boostcamp.outcomes.impact.scope import Scope

    event = application_event(capacity=5)
    first, second, _third = apply(event, 3)
    decisions.decide(first, "accept")
    decisions.decide(second, "reject")
    db.session.commit()
    today = utcnow().date()
    scope = Scope(date(2008, 1, 1), date(today.year + 2, 12, 31), sa.true(), True, current_rule())
    figures = impact.figures(scope)
    assert (figures.applied, figures.registered) == (3, 1)
    rows = report.build(scope, with_targets=False).funnel_rows
    assert [value for _label, value in rows[:2]] == [3, 1]
