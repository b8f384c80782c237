"""Programme pages and API, second round: an event kept for the programme (its page, its
form, the API), the events' questions on the programme's form, the staff's texts per
language, exam results and editions of a programme; the public page, feed and search in the
visitor's language; the API's texts by language."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.db import utcnow
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.programmes.models import Programme, ProgrammeRegistration
from boostcamp.registrations.models import Registration, RegistrationAnswer
from tests.api.helpers import bearer, make_token
from tests.factories import at, make_centre, make_event, make_org, make_programme, make_question
from tests.factories import make_user
from tests.test_hostile_partner import snapshot

FORM = {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.be",
        "profile": "job_seeker", "consent": "y"}  # fmt: skip
PERSON = {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.be", "consent": True,
          "profile": "job_seeker"}  # fmt: skip


def soon(days: int, hour: int = 9):
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    partner, other = make_org("Mind & Market"), make_org("Namur coworking")
    events = [
        make_event(host=centre, co_organisers=[partner], title="Boostcamp", starts_at=soon(10),
                   days=3, capacity=10),
        make_event(host=centre, co_organisers=[partner], title="Atelier pitch",
                   starts_at=soon(20), capacity=10),
    ]  # fmt: skip
    programme = make_programme(events, title="Parcours printemps", co_organisers=[partner],
                               kept_events=[events[1]],
                               translations={"nl": {"title": "Traject lente",
                                                    "summary": "Van project tot certificaat"}})
    make_user("staff@mic.test", role=StaffRole.STAFF)
    make_user("manager@a.test", org=partner, org_role=MemberRole.MANAGER)
    make_user("manager@b.test", org=other, org_role=MemberRole.MANAGER)
    return {"centre": centre, "partner": partner, "other": other, "events": events,
            "programme": programme}  # fmt: skip


# ---------------------------------------------------------------- an event kept for the programme


def test_the_kept_events_page_sends_people_to_the_programme(client, world):
    kept, free = world["events"][1], world["events"][0]
    page = client.get(f"/events/{kept.slug}").get_data(as_text=True)
    assert "Fait partie du programme" in page and "/programmes/parcours-printemps/register" in page
    assert f"/events/{kept.slug}/register" not in page
    page = client.get(f"/events/{free.slug}").get_data(as_text=True)
    assert "Fait partie du programme" in page and f"/events/{free.slug}/register" in page


def test_the_kept_events_form_and_api_refuse_sign_up_alone_and_change_nothing(client, world):
    kept = world["events"][1]
    closed = client.get(f"/events/{kept.slug}/register").get_data(as_text=True)
    assert "inscrivez-vous au programme" in closed
    before = snapshot()
    page = client.post(f"/events/{kept.slug}/register", data=FORM).get_data(as_text=True)
    assert "Parcours printemps" in page and "inscrivez-vous au programme" in page
    token = make_token(world["centre"])
    response = client.post(f"/api/v1/events/{kept.slug}/registrations", headers=bearer(token),
                           json=PERSON)  # fmt: skip
    assert response.status_code == 409 and response.json["error"] == "registration_closed"
    assert "Parcours printemps" in response.json["message"]
    assert snapshot() == before


# ---------------------------------------------------------------- the events' questions


def test_the_programmes_form_asks_each_events_questions(client, world):
    question = make_question(world["events"][1], "Votre idée en une phrase ?", required=True)
    page = client.get("/programmes/parcours-printemps/register").get_data(as_text=True)
    assert "Votre idée en une phrase ?" in page and "Questions pour « Atelier pitch »" in page
    missing = client.post("/programmes/parcours-printemps/register", data=FORM)
    assert missing.status_code == 200 and f'id="q_{question.id}-error"' in missing.get_data(
        as_text=True)
    done = client.post("/programmes/parcours-printemps/register",
                       data={**FORM, f"q_{question.id}": "Une épicerie vrac"})
    assert done.status_code == 302
    db.session.rollback()
    answer = db.session.execute(
        sa.select(RegistrationAnswer.value, Registration.event_id)
        .join(Registration, Registration.id == RegistrationAnswer.registration_id)).one()
    assert tuple(answer) == ("Une épicerie vrac", world["events"][1].id)


def test_the_api_registration_for_a_programme_takes_the_events_answers(client, world):
    question = make_question(world["events"][0], "Votre secteur ?")
    token = make_token(world["centre"])
    response = client.post("/api/v1/programmes/parcours-printemps/registrations",
                           headers=bearer(token),
                           json={**PERSON, "answers": {str(question.id): "Horeca"}})
    assert response.status_code == 201, response.json
    db.session.rollback()
    assert db.session.scalar(sa.select(RegistrationAnswer.value)) == "Horeca"


# ---------------------------------------------------------------- texts per language


def test_the_public_page_speaks_the_visitors_language_with_a_note_when_it_cannot(client, world):
    nl = client.get("/programmes/parcours-printemps", headers={"Accept-Language": "nl"})
    page = nl.get_data(as_text=True)
    assert "Traject lente" in page and "Van project tot certificaat" in page
    assert "untranslated-note" not in page
    en = client.get("/programmes/parcours-printemps",
                    headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="fr">Parcours printemps' in en and "untranslated-note" in en
    feed = client.get("/programmes/parcours-printemps.ics?lang=nl").get_data(as_text=True)
    assert "Traject lente" in feed
    found = client.get("/programmes?q=lente").get_data(as_text=True)
    assert "/programmes/parcours-printemps" in found
    assert "/programmes/parcours-printemps" not in client.get("/programmes?q=zomer").get_data(
        as_text=True)


def test_staff_write_a_programme_in_three_languages(client, auth, world):
    auth.login("staff@mic.test")
    events = world["events"]
    page = client.get("/staff/programmes/new").get_data(as_text=True)
    assert 'name="title_nl"' in page and 'lang="nl"' in page
    response = client.post("/staff/programmes/new", data={
        "language": "nl", "title_nl": "Zomertraject", "title_fr": "Parcours d'été",
        "summary_en": "Summer path", "events": [events[0].id], "kept_events": [events[0].id],
        "requires_exam": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.rollback()
    made = db.session.scalars(sa.select(Programme).where(Programme.title == "Zomertraject")).one()
    assert made.language == "nl" and made.requires_exam
    assert made.translations == {"fr": {"title": "Parcours d'été"}, "en": {"summary": "Summer path"}}
    assert [s.alone_allowed for s in made.steps] == [False]
    refused = client.post("/staff/programmes/new", data={"language": "nl", "title_fr": "Sans NL",
                                                         "events": [events[0].id]})
    assert refused.status_code == 200 and 'id="title_nl-error"' in refused.get_data(as_text=True)


def test_the_api_takes_texts_by_language_or_a_plain_string(client, world):
    token = make_token(world["centre"])
    events = [make_event(host=world["centre"], starts_at=soon(60 + 10 * i)) for i in (1, 2)]
    by_language = client.post("/api/v1/programmes", headers=bearer(token), json={
        "title": {"fr": "Parcours Liège", "nl": "Traject Luik"}, "language": "fr",
        "summary": "Un parcours", "events": [events[0].slug], "kept_events": [events[0].slug]})
    assert by_language.status_code == 201, by_language.json
    assert by_language.json["title"] == "Parcours Liège"
    assert by_language.json["texts"]["title"] == {"fr": "Parcours Liège", "nl": "Traject Luik"}
    assert by_language.json["events"][0]["alone_allowed"] is False
    plain = client.post("/api/v1/programmes", headers=bearer(token),
                        json={"title": "Parcours simple", "events": [events[1].slug]})
    assert plain.status_code == 201 and plain.json["texts"]["title"] == {"fr": "Parcours simple"}
    before = snapshot()
    for bad in ({"title": {"de": "Pfad"}}, {"title": {"nl": "Alleen NL"}, "language": "fr"},
                {"title": "X", "language": "de"},
                {"title": "X", "events": [events[1].slug], "kept_events": ["ailleurs"]}):
        response = client.post("/api/v1/programmes", headers=bearer(token), json=bad)
        assert response.status_code == 422, (bad, response.json)
    assert snapshot() == before


# ---------------------------------------------------------------- exam and editions


def test_staff_record_the_exam_and_a_partner_of_another_programme_cannot(client, auth, world):
    programme = world["programme"]
    programme.requires_exam = True
    db.session.commit()
    client.post("/programmes/parcours-printemps/register", data=FORM)
    db.session.rollback()
    entry = db.session.scalars(sa.select(ProgrammeRegistration)).one()
    url = f"/staff/programmes/parcours-printemps/registrations/{entry.id}/exam"
    auth.login("manager@b.test")
    before = snapshot()
    assert client.post(url, data={"result": "passed"}).status_code == 404
    assert snapshot() == before
    auth.logout()
    auth.login("staff@mic.test")
    grid = client.get("/staff/programmes/parcours-printemps").get_data(as_text=True)
    assert "Non encodé" in grid and url in grid
    assert client.post(url, data={"result": "passed"}).status_code == 302
    db.session.rollback()
    assert db.session.get(ProgrammeRegistration, entry.id).exam_passed is True
    from boostcamp.programmes.tokens import make_token as programme_token

    mine = client.get(f"/programmes/parcours-printemps/p/{programme_token(entry.id)}")
    assert "L’examen du programme : Réussi" in mine.get_data(as_text=True)
    staff_page = client.get("/staff/programmes/parcours-printemps").get_data(as_text=True)
    assert "Uniquement par le programme (pas d’inscription séparée) : Atelier pitch" in staff_page


def test_staff_create_the_next_four_monthly_editions_of_a_programme(client, auth, world):
    centre = world["centre"]
    first = make_event(host=centre, title="Boostcamp hiver", starts_at=at(2030, 1, 14, 9, 30))
    second = make_event(host=centre, title="Atelier hiver", starts_at=at(2030, 1, 24, 18, 0))
    programme = make_programme([first, second], title="Parcours hiver")
    auth.login("manager@a.test")
    before = snapshot()
    url = f"/staff/programmes/{programme.slug}/editions"
    assert client.post(url, data={"every": "1", "unit": "months", "count": "4"}).status_code in (
        403, 404)
    assert snapshot() == before
    auth.logout()
    auth.login("staff@mic.test")
    assert "Créer les éditions" in client.get(url).get_data(as_text=True)
    before = snapshot()
    assert client.post(url, data={"every": "1", "unit": "months", "count": "0"}).status_code == 200
    assert snapshot() == before
    response = client.post(url, data={"every": "1", "unit": "months", "count": "4"})
    assert response.status_code == 302
    db.session.rollback()
    copies = db.session.scalars(sa.select(Programme).where(Programme.title == "Parcours hiver",
                                                           Programme.id != programme.id)).all()
    assert len(copies) == 4 and {c.status for c in copies} == {EventStatus.DRAFT}
    starts = sorted(c.events[0].starts_at for c in copies)
    assert starts == [at(2030, m, 14, 9, 30) for m in (2, 3, 4, 5)]  # 09:30 across summer time
