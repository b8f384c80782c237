"""The staff's list of an event's registrations, their exports, and what organisers change
by hand: add someone, cancel, give a seat to someone waiting."""

import csv
import io
from datetime import datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.events import editing
from boostcamp.core.extensions import db
from boostcamp.registrations.models import (
    Registration,
    RegistrationAnswer,
    RegistrationSource,
    RegistrationStatus,
)
from tests.factories import (
    make_centre,
    make_event,
    make_org,
    make_person,
    make_question,
    make_registration,
    make_user,
    sign_up,
)
from tests.registrations.helpers import mails, reload, statuses


@pytest.fixture
def world(app):
    centre = make_centre()
    org_a, org_b = make_org("Partner A"), make_org("Partner B")
    event = make_event(host=centre, co_organisers=[org_a], title="Boostcamp de A", capacity=2)
    return dict(
        event=event,
        staff=make_user("staff@mic.test", role=StaffRole.STAFF),
        a_manager=make_user("manager@a.test", org=org_a, org_role=MemberRole.MANAGER),
        a_checkin=make_user("checkin@a.test", org=org_a, org_role=MemberRole.CHECKIN),
        b_manager=make_user("manager@b.test", org=org_b, org_role=MemberRole.MANAGER),
    )


def url(event, suffix=""):
    return f"/staff/events/{event.slug}/registrations{suffix}"


def test_the_list_shows_each_person_with_status_place_in_queue_and_answers(world, client, auth):
    event = world["event"]
    question = make_question(event, "Votre secteur ?", kind="single_choice",
                             choices=["Santé", "Énergie"])  # fmt: skip
    sign_up(event, "lea@example.be", first_name="Léa", last_name="Martin",
            organisation_name="Cuisine Zéro", answers={question.id: "Santé"})  # fmt: skip
    sign_up(event, "tom@example.be", first_name="Tom", last_name="Peeters")
    sign_up(event, "ines@example.be", first_name="Inès", last_name="Dubois")
    auth.login("manager@a.test")

    page = client.get(url(event)).get_data(as_text=True)

    assert "Martin Léa" in page and "Cuisine Zéro" in page and "Santé" in page
    assert "Votre secteur ?" in page
    assert "Liste d’attente (n° 1)" in page  # Inès, the third for two seats
    assert "Confirmé (2)" in page


@pytest.mark.both_engines  # the search
def test_search_ignores_case_and_accents_on_name_email_and_organisation(world, client, auth):
    event = world["event"]
    sign_up(event, "lea@example.be", first_name="Léa", last_name="Martin",
            organisation_name="Cuisine Zéro")  # fmt: skip
    sign_up(event, "tom@startup.be", first_name="Tom", last_name="Peeters")
    auth.login("staff@mic.test")

    for query in ("martin", "CUISINE", "lea@EXAMPLE", "léa martin", "LÉA", "lea", "zero"):
        page = client.get(url(event), query_string={"q": query}).get_data(as_text=True)
        assert "Martin Léa" in page and "Peeters" not in page, query
    page = client.get(url(event), query_string={"q": "startup"}).get_data(as_text=True)
    assert "Peeters" in page and "Martin Léa" not in page


def test_the_status_filter_keeps_only_that_status(world, client, auth):
    event = world["event"]
    for name in ("Un", "Deux", "Trois"):
        sign_up(event, f"{name.lower()}@example.be", last_name=name)
    auth.login("staff@mic.test")

    page = client.get(url(event), query_string={"status": "waitlisted"}).get_data(as_text=True)

    assert "Trois" in page and "Deux" not in page


def test_the_list_costs_the_same_queries_for_few_and_many(world, client, auth, count_queries):
    event = world["event"]
    question = make_question(event, "Votre projet ?")
    auth.login("staff@mic.test")

    def queries() -> int:
        with count_queries() as q:
            assert client.get(url(event)).status_code == 200
        return q.count

    make_registration(event)
    few = queries()
    for n in range(12):
        registration = make_registration(event, status=RegistrationStatus.WAITLISTED)
        db.session.add(RegistrationAnswer(
            registration_id=registration.id, question_id=question.id, value=f"Projet {n}"
        ))  # fmt: skip
        db.session.commit()
    assert queries() == few


def test_staff_cancel_frees_the_seat_for_the_first_person_waiting(world, client, auth):
    event = world["event"]
    first = sign_up(event, "lea@example.be").registration
    sign_up(event, "tom@example.be")
    waiting = sign_up(event, "ines@example.be").registration
    auth.login("manager@a.test")

    asked = client.get(url(event, f"/{first.id}/cancel")).get_data(as_text=True)
    assert "La personne est avertie par e-mail" in asked
    assert reload(first).status == RegistrationStatus.CONFIRMED  # asking changes nothing

    response = client.post(url(event, f"/{first.id}/cancel"))

    assert response.status_code == 302
    assert reload(first).status == RegistrationStatus.CANCELLED
    assert reload(first).cancel_reason == "staff"
    assert reload(waiting).status == RegistrationStatus.OFFERED
    assert [m.to_address for m in mails("registration_cancelled")] == ["lea@example.be"]
    assert [m.to_address for m in mails("registration_offer")] == ["ines@example.be"]


def test_giving_a_seat_from_the_waiting_list_may_go_over_capacity_with_a_warning(
    world, client, auth
):
    event = world["event"]
    sign_up(event, "lea@example.be")
    sign_up(event, "tom@example.be")
    waiting = sign_up(event, "ines@example.be").registration
    auth.login("staff@mic.test")

    response = client.post(url(event, f"/{waiting.id}/confirm"), follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "plus de participants que sa capacité" in page
    assert reload(waiting).status == RegistrationStatus.CONFIRMED
    assert statuses(event) == {"confirmed": 3}
    assert mails("registration_confirmed", to="ines@example.be")


def test_a_confirmed_person_cannot_be_given_a_seat_again(world, client, auth):
    event = world["event"]
    confirmed = sign_up(event, "lea@example.be").registration
    auth.login("staff@mic.test")

    page = client.post(url(event, f"/{confirmed.id}/confirm"), follow_redirects=True)

    assert "Seule une personne sur la liste d’attente" in page.get_data(as_text=True)
    assert len(mails("registration_confirmed")) == 1


def test_nobody_is_given_a_seat_at_a_cancelled_event(world, client, auth):
    event = world["event"]
    sign_up(event, "lea@example.be")
    sign_up(event, "tom@example.be")
    waiting = sign_up(event, "ines@example.be").registration
    editing.cancel_event(event)
    db.session.commit()
    auth.login("staff@mic.test")

    page = client.post(url(event, f"/{waiting.id}/confirm"), follow_redirects=True)

    assert "Cet événement a été annulé." in page.get_data(as_text=True)
    assert reload(waiting).status == RegistrationStatus.WAITLISTED


def test_staff_add_someone_with_the_public_rules_and_mails(world, client, auth):
    event = world["event"]
    question = make_question(event, "Votre projet ?", required=True)
    auth.login("manager@a.test")
    data = {"first_name": "Léa", "last_name": "Martin", "email": "Lea@Example.be",
            "profile": "student", "organisation": "Cuisine Zéro", "consent": "y"}  # fmt: skip

    refused = client.post(url(event, "/new"), data=data)
    assert refused.status_code == 200
    assert "Veuillez répondre à cette question." in refused.get_data(as_text=True)

    response = client.post(url(event, "/new"), data={**data, f"q_{question.id}": "Des repas"})

    assert response.status_code == 302
    [registration] = _registrations(event)
    assert registration.source == RegistrationSource.STAFF
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.person.email == "lea@example.be"
    assert mails("registration_confirmed", to="lea@example.be")


def _registrations(event):
    db.session.rollback()
    query = sa.select(Registration).where(Registration.event_id == event.id)
    return list(db.session.scalars(query))


def test_exports_hold_the_filtered_rows_with_one_column_per_question(world, client, auth):
    event = world["event"]
    question = make_question(event, "Vos besoins ?", kind="multiple_choice",
                             choices=["Financement", "Mentorat"])  # fmt: skip
    sign_up(event, "lea@example.be", first_name="Léa", last_name="Martin",
            organisation_name="=HYPERLINK(\"http://evil\")",
            answers={question.id: ["Financement", "Mentorat"]})  # fmt: skip
    sign_up(event, "tom@example.be", first_name="Tom", last_name="Peeters")
    auth.login("staff@mic.test")

    response = client.get(url(event, ".csv"), query_string={"q": "martin"})
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Prénom", "E-mail"] and rows[0][-1] == "Vos besoins ?"
    assert len(rows) == 2
    assert rows[1][:3] == ["Martin", "Léa", "lea@example.be"]
    assert rows[1][4] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1][-1] == "Financement, Mentorat"

    response = client.get(url(event, ".xlsx"))
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert values[0][-1] == "Vos besoins ?"
    assert [row[0] for row in values[1:]] == ["Martin", "Peeters"]
    assert values[1][4] == "'=HYPERLINK(\"http://evil\")"
    assert isinstance(values[1][8], datetime)  # a real date cell, which Excel can sort


@pytest.mark.parametrize("method, suffix", [
    ("GET", ""), ("GET", ".csv"), ("GET", ".xlsx"), ("GET", "/new"), ("POST", "/new"),
    ("GET", "/{id}/cancel"), ("POST", "/{id}/cancel"), ("POST", "/{id}/confirm"),
    ("GET", "/{id}/edit"), ("POST", "/{id}/edit"),
])  # fmt: skip
def test_another_partner_never_reaches_the_participants(world, client, auth, method, suffix):
    event = world["event"]
    registration = sign_up(event, "lea@example.be", last_name="Secretname").registration
    auth.login("manager@b.test")

    response = client.open(url(event, suffix.format(id=registration.id)), method=method,
                           data={"first_name": "X", "last_name": "Y", "email": "x@example.be",
                                 "profile": "other", "consent": "y"})  # fmt: skip

    assert response.status_code == 404
    assert b"Secretname" not in response.data
    assert reload(registration).status == RegistrationStatus.CONFIRMED
    assert registration.person.first_name != "X"


def test_check_in_members_may_not_see_the_list(world, client, auth):
    auth.login("checkin@a.test")
    assert client.get(url(world["event"])).status_code == 403


def test_a_registration_of_another_event_is_not_found(world, client, auth):
    other = make_event(title="Autre")
    registration = make_registration(other, make_person("lea@example.be"))
    auth.login("staff@mic.test")

    response = client.post(url(world["event"], f"/{registration.id}/cancel"))

    assert response.status_code == 404
    assert reload(registration).status == RegistrationStatus.CONFIRMED


@pytest.mark.both_engines  # the search
def test_a_partner_corrects_a_registration_and_writes_a_note_for_the_door(world, client, auth):
    from boostcamp.checkin import cards

    event = world["event"]
    needs = make_question(event, "Vos besoins ?", kind="multiple_choice", required=True,
                          choices=["Financement", "Mentorat"], show_at_checkin=True)  # fmt: skip
    lunch = make_question(event, "Lunch ?", kind="yes_no")
    registration = sign_up(event, "lea@example.be", first_name="Léa", last_name="Martin",
                           organisation_name="Cuisine Zéro",
                           answers={needs.id: ["Mentorat"], lunch.id: "yes"}).registration  # fmt: skip
    auth.login("manager@a.test")

    page = client.get(url(event, f"/{registration.id}/edit")).get_data(as_text=True)
    assert 'value="Cuisine Zéro"' in page and 'name="first_name"' not in page  # a partner
    assert "c’est le personnel du centre qui les corrige" in page
    response = client.post(url(event, f"/{registration.id}/edit"), data={
        "profile": "job_seeker", "organisation": "Zéro Déchet SRL", "note": "Intervenante",
        f"q_{needs.id}": ["Financement", "Mentorat"], f"q_{lunch.id}": "no",
        "first_name": "Pirate",  # not on a partner's form: ignored
    })  # fmt: skip
    assert response.status_code == 302

    registration = reload(registration)
    assert registration.organisation_name == "Zéro Déchet SRL"
    assert registration.profile.value == "job_seeker" and registration.note == "Intervenante"
    assert {a.question_id: a.value for a in registration.answers} == {
        needs.id: ["Financement", "Mentorat"], lunch.id: False}
    assert registration.person.first_name == "Léa"
    assert "zero dechet srl" in registration.search_text  # the door's search finds it
    [card] = cards.search(event, "zéro déchet", None)
    assert card["note"] == "Intervenante"
    assert card["answers"] == [{"label": "Vos besoins ?", "value": "Financement, Mentorat"}]
    history = client.get(f"/staff/events/{event.slug}/history").get_data(as_text=True)
    assert "Inscription modifiée" in history and "Léa Martin" in history
    assert "Intervenante" not in history  # what changed, not the values


def test_centre_staff_also_correct_the_persons_name(world, client, auth):
    event = world["event"]
    registration = sign_up(event, "lea@example.be", first_name="Lea", last_name="Martin").registration
    auth.login("staff@mic.test")
    response = client.post(url(event, f"/{registration.id}/edit"), data={
        "first_name": "Léa", "last_name": "Martin", "phone": "+32 65 00 00 00",
        "profile": "entrepreneur"})  # fmt: skip
    assert response.status_code == 302
    person = reload(registration).person
    assert (person.first_name, person.phone) == ("Léa", "+32 65 00 00 00")


def test_correcting_a_registration_shows_field_errors_and_saves_nothing(world, client, auth):
    event = world["event"]
    choice = make_question(event, "Secteur ?", kind="single_choice", choices=["Santé"])
    required = make_question(event, "Projet ?", required=True)
    registration = sign_up(event, "lea@example.be", first_name="Léa", organisation_name="Avant",
                           answers={required.id: "Un projet"}).registration  # fmt: skip
    auth.login("staff@mic.test")
    response = client.post(url(event, f"/{registration.id}/edit"), data={
        "first_name": "", "last_name": "Martin", "profile": "astronaut", "organisation": "Après",
        "note": "x" * 501, f"q_{choice.id}": "Énergie",
    })  # fmt: skip
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for message in ("Indiquez votre prénom.", "Choisissez ce qui vous décrit le mieux.",
                    "Choisissez parmi les réponses proposées."):  # fmt: skip
        assert message in page, message
    assert 'id="note-error"' in page
    registration = reload(registration)
    assert registration.organisation_name == "Avant" and registration.note is None
    # A required question may be left empty by staff: they may not know the answer.
    response = client.post(url(event, f"/{registration.id}/edit"), data={
        "first_name": "Léa", "last_name": "Martin", "profile": "other"})  # fmt: skip
    assert response.status_code == 302
    assert reload(registration).answers == []


def test_changed_answers_reach_the_door_devices_list_of_changes(world, app):
    from datetime import timedelta

    from boostcamp.checkin import cards
    from boostcamp.core.db import utcnow
    from boostcamp.registrations import corrections

    event = world["event"]
    diet = make_question(event, "Régime ?", show_at_checkin=True)
    registration = sign_up(event, "lea@example.be", answers={diet.id: "Aucun"}).registration
    from boostcamp.registrations.models import Person

    an_hour_ago = utcnow() - timedelta(hours=1)
    for model in (Registration, Person):
        db.session.execute(sa.update(model).values(updated_at=an_hour_ago))
    db.session.commit()
    assert cards.checkin_list(event, None, since=utcnow()) == []

    corrections.update_registration(registration, corrections.RegistrationChanges(
        profile=registration.profile, answers={diet.id: "Végétarien"}))  # fmt: skip
    db.session.commit()
    [card] = cards.checkin_list(event, None, since=utcnow())
    assert card["answers"] == [{"label": "Régime ?", "value": "Végétarien"}]
