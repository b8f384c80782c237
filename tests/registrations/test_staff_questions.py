"""The event's own sign-up questions, as its organisers manage them."""

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from boostcamp.registrations.models import EventQuestion, QuestionKind, RegistrationAnswer
from tests.factories import make_centre, make_event, make_org, make_question, make_user, sign_up


@pytest.fixture
def event(app):
    org_a, org_b = make_org("Partner A"), make_org("Partner B")
    make_user("manager@a.test", org=org_a, org_role=MemberRole.MANAGER)
    make_user("checkin@a.test", org=org_a, org_role=MemberRole.CHECKIN)
    make_user("manager@b.test", org=org_b, org_role=MemberRole.MANAGER)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    return make_event(host=make_centre(), co_organisers=[org_a], title="Boostcamp de A")


def url(event, suffix=""):
    return f"/staff/events/{event.slug}/questions{suffix}"


def questions(event) -> list[EventQuestion]:
    db.session.rollback()
    return list(db.session.scalars(
        sa.select(EventQuestion).where(EventQuestion.event_id == event.id)
        .order_by(EventQuestion.position)
    ))  # fmt: skip


def test_a_manager_adds_a_choice_question_that_the_public_form_then_asks(event, client, auth):
    auth.login("manager@a.test")

    response = client.post(url(event, "/new"), data={
        "label": "Votre secteur ?", "kind": "single_choice",
        "choices": "Santé\n\n Énergie \nSanté", "required": "y",
    })  # fmt: skip

    assert response.status_code == 302
    [question] = questions(event)
    assert question.kind == QuestionKind.SINGLE_CHOICE
    assert question.choices == ["Santé", "Énergie"]
    assert question.required
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Votre secteur ?" in form and "Énergie" in form


def test_a_choice_question_needs_two_answers_to_choose_from(event, client, auth):
    auth.login("staff@mic.test")

    response = client.post(url(event, "/new"), data={
        "label": "Secteur ?", "kind": "multiple_choice", "choices": "Santé",
    })  # fmt: skip

    assert response.status_code == 200
    assert "Donnez au moins deux réponses" in response.get_data(as_text=True)
    assert questions(event) == []


def test_editing_changes_the_question_and_drops_choices_of_a_text_kind(event, client, auth):
    question = make_question(event, "Secteur ?", kind="single_choice", choices=["A", "B"])
    auth.login("manager@a.test")

    assert "Secteur ?" in client.get(url(event, f"/{question.id}/edit")).get_data(as_text=True)
    client.post(url(event, f"/{question.id}/edit"),
                data={"label": "Votre projet ?", "kind": "long_text", "choices": "A\nB",
                      "show_at_checkin": "y"})  # fmt: skip

    [changed] = questions(event)
    assert (changed.label, changed.kind, changed.choices) == ("Votre projet ?", "long_text", [])
    assert changed.show_at_checkin and not changed.required


def test_questions_move_up_and_down(event, client, auth):
    first = make_question(event, "Première ?", position=1)
    make_question(event, "Deuxième ?", position=2)
    make_question(event, "Troisième ?", position=3)
    auth.login("manager@a.test")

    client.post(url(event, f"/{first.id}/move"), data={"to": "down"})
    assert [q.label for q in questions(event)] == ["Deuxième ?", "Première ?", "Troisième ?"]
    client.post(url(event, f"/{first.id}/move"), data={"to": "up"})
    client.post(url(event, f"/{first.id}/move"), data={"to": "up"})  # already first
    assert [q.label for q in questions(event)] == ["Première ?", "Deuxième ?", "Troisième ?"]


def test_deleting_a_question_warns_that_its_answers_go_with_it(event, client, auth):
    question = make_question(event, "Votre projet ?")
    registration = sign_up(event, "lea@example.be", answers={question.id: "Des repas"}).registration
    auth.login("manager@a.test")

    page = client.get(url(event, f"/{question.id}/delete")).get_data(as_text=True)
    assert "1 personne y a répondu" in page

    assert client.post(url(event, f"/{question.id}/delete")).status_code == 302
    assert questions(event) == []
    assert db.session.scalars(sa.select(RegistrationAnswer).where(
        RegistrationAnswer.registration_id == registration.id)).all() == []  # fmt: skip


@pytest.mark.parametrize("method, suffix", [
    ("GET", ""), ("GET", "/new"), ("POST", "/new"), ("GET", "/{id}/edit"), ("POST", "/{id}/edit"),
    ("GET", "/{id}/delete"), ("POST", "/{id}/delete"), ("POST", "/{id}/move"),
])  # fmt: skip
def test_another_partner_never_reaches_the_questions(event, client, auth, method, suffix):
    question = make_question(event, "Question secrète ?")
    auth.login("manager@b.test")

    response = client.open(
        url(event, suffix.format(id=question.id)), method=method,
        data={"label": "Piratée ?", "kind": "short_text", "to": "up"},
    )  # fmt: skip

    assert response.status_code == 404
    assert b"secr" not in response.data
    assert [q.label for q in questions(event)] == ["Question secrète ?"]


def test_check_in_members_may_not_change_the_questions(event, client, auth):
    auth.login("checkin@a.test")
    assert client.get(url(event)).status_code == 403
