"""What issue 18 adds around the applications list: questions for reviewers only (asked of
applicants, read by the jury on the applications pages and nowhere else), the applicant's
city (the list's filter and sort) and the XLSX export (blind review, partners' boundaries)."""

import io

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from boostcamp.admission import applications, decisions, review_settings
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.registrations import questions
from boostcamp.registrations.models import EventQuestion, Registration
from boostcamp.registrations.tokens import make_token
from tests.admission.test_views import csrf, login
from tests.api.helpers import bearer
from tests.api.helpers import make_token as make_api_token
from tests.core.test_forms_property import TEXT
from tests.factories import make_centre, make_event, make_org, make_question, make_user, sign_up
from tests.test_hostile_partner import snapshot

BOUNDED = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))  # fmt: skip
SECRET = "Mon idée brevetable"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    a, b = make_org("Mind & Market"), make_org("Namur coworking")
    event = make_event(host=centre, co_organisers=[a], title="Boostcamp sur dossier",
                       capacity=5, admission="application")  # fmt: skip
    other = make_event(host=centre, co_organisers=[b], title="Boostcamp de Namur",
                       admission="application")  # fmt: skip
    public = make_question(event, "Votre secteur ?")
    secret = make_question(event, "Votre idée en détail ?", kind="long_text", for_reviewers=True)
    people = [
        sign_up(event, f"candidat{i}@example.be", first_name=f"Zoé{i}", last_name="Secretname",
                city=city, answers={public.id: f"Secteur {i}", secret.id: f"{SECRET} {i}"}
                ).registration
        for i, city in enumerate(("Namur", "Liège", "Louvain-la-Neuve", None))
    ]  # fmt: skip
    users = {
        "staff": make_user("staff@mic.test", role=StaffRole.STAFF),
        "a_manager": make_user("manager@a.test", org=a, org_role=MemberRole.MANAGER),
        "a_jury": make_user("jury@a.test", org=a, org_role=MemberRole.REVIEWER),
        "a_checkin": make_user("checkin@a.test", org=a, org_role=MemberRole.CHECKIN),
        "b_jury": make_user("jury@b.test", org=b, org_role=MemberRole.REVIEWER),
        "b_manager": make_user("manager@b.test", org=b, org_role=MemberRole.MANAGER),
    }
    review_settings.ensure_criteria(event)
    db.session.commit()
    return dict(event=event, other=other, a=a, b=b, public=public, secret=secret,
                people=people, **users)  # fmt: skip


def base(world) -> str:
    return f"/staff/events/{world['event'].slug}/applications"


def sheet(response) -> list[tuple]:
    assert response.status_code == 200 and response.mimetype == XLSX
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


# ---------------------------------------------------------------- questions for reviewers


def test_staff_mark_a_question_for_reviewers_only_on_an_application_event(app, client, world):
    login(client, world["a_manager"])
    event = world["event"]
    url = f"/staff/events/{event.slug}/questions/new"
    form = client.get(url).get_data(as_text=True)
    assert "Réservée au jury" in form
    response = client.post(url, data={"csrf_token": csrf(client, url), "label": "Vos chiffres ?",
                                      "kind": "short_text", "for_reviewers": "y"})  # fmt: skip
    assert response.status_code == 302
    db.session.rollback()
    question = db.session.scalar(sa.select(EventQuestion).where(EventQuestion.label == "Vos chiffres ?"))
    assert question.for_reviewers and not question.show_at_checkin
    listing = client.get(f"/staff/events/{event.slug}/questions").get_data(as_text=True)
    assert "réservée au jury" in listing


def test_a_question_for_reviewers_needs_an_application_event_and_stays_away_from_the_door(app):
    open_event = make_event(title="Atelier ouvert")
    with pytest.raises(ValidationFailed) as refused:
        questions.save_question(open_event, label="Secret ?", kind="short_text",
                                    for_reviewers=True)  # fmt: skip
    assert set(refused.value.errors) == {"for_reviewers"}
    event = make_event(admission="application")
    with pytest.raises(ValidationFailed) as refused:
        questions.save_question(event, label="Secret ?", kind="short_text",
                                    for_reviewers=True, show_at_checkin=True)  # fmt: skip
    assert set(refused.value.errors) == {"show_at_checkin"}
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(EventQuestion.id))) == 0


def test_the_views_refuse_a_reviewers_question_with_a_field_error_and_save_nothing(app, client,
                                                                                   world):  # fmt: skip
    login(client, world["staff"])
    open_event = make_event(title="Atelier ouvert", co_organisers=[world["a"]])
    url = f"/staff/events/{open_event.slug}/questions/new"
    before = snapshot()
    response = client.post(url, data={"csrf_token": csrf(client, url), "label": "Secret ?",
                                      "kind": "short_text", "for_reviewers": "y"})  # fmt: skip
    assert response.status_code == 200
    assert "Seul un événement sur candidature a un jury" in response.get_data(as_text=True)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["b_manager", "b_jury", "a_jury", "a_checkin"])
def test_who_may_not_edit_the_event_cannot_mark_its_questions(app, client, world, who):
    """Another partner's people get 404; the event's own jury and door members may not edit
    its questions (403 or 404): the database is unchanged either way."""
    login(client, world[who])
    event, public = world["event"], world["public"]
    token = csrf(client, "/auth/account")
    before = snapshot()
    for path in (f"/staff/events/{event.slug}/questions/new",
                 f"/staff/events/{event.slug}/questions/{public.id}/edit"):  # fmt: skip
        response = client.post(path, data={"csrf_token": token, "label": "Volé ?",
                                           "kind": "short_text", "for_reviewers": "y"})  # fmt: skip
        assert response.status_code in ((404,) if who.startswith("b_") else (403, 404)), path
    assert snapshot() == before


def test_the_jury_reads_the_answer_on_the_applications_pages_and_files(app, client, world):
    login(client, world["a_jury"])
    first = world["people"][0]
    page = client.get(f"{base(world)}/{first.id}").get_data(as_text=True)
    assert f"{SECRET} 0" in page and "réservée au jury" in page
    listing = client.get(base(world), query_string={"answers": "brevetable 2"})
    assert "Zoé2" in listing.get_data(as_text=True) and "Zoé1" not in listing.get_data(as_text=True)
    csv = client.get(f"/staff/events/{world['event'].slug}/applications.csv").get_data(as_text=True)
    assert f"{SECRET} 1" in csv
    rows = sheet(client.get(f"/staff/events/{world['event'].slug}/applications.xlsx"))
    assert "Votre idée en détail ?" in rows[0] and any(f"{SECRET} 3" in r for r in rows)


def test_the_answer_stays_off_the_registrations_list_exports_api_and_door(app, client, world):
    event = world["event"]
    first = world["people"][0]
    decisions.decide(first, "accept")
    db.session.commit()
    login(client, world["a_manager"])
    stem = f"/staff/events/{event.slug}/registrations"
    for response in (client.get(stem), client.get(f"{stem}.csv"), client.get(f"{stem}.xlsx")):
        assert response.status_code == 200
        body = response.get_data(as_text=True) if response.mimetype != XLSX else str(sheet(response))
        assert SECRET not in body and "Votre idée en détail ?" not in body
        assert "Secteur 0" in body  # the other answers are there
    db.session.rollback()  # on SQLite, a write from the snapshot the pages' requests moved past fails
    api = bearer(make_api_token(world["a"]))
    documents = client.get(f"/api/v1/events/{event.slug}/registrations", headers=api).json["items"]
    assert documents and all(str(world["secret"].id) not in d["answers"] for d in documents)
    assert all(str(world["public"].id) in d["answers"] for d in documents)
    asked = client.get(f"/api/v1/events/{event.slug}/questions", headers=api).json
    assert {q["id"]: q["for_reviewers"] for q in asked} == {world["public"].id: False,
                                                           world["secret"].id: True}  # fmt: skip
    # Even a row that says both (written by hand): the door never gets the answer.
    db.session.rollback()  # the API's requests wrote (the token's last use): a fresh snapshot
    db.session.execute(sa.update(EventQuestion).values(show_at_checkin=True))
    db.session.commit()
    door = client.get(f"/api/v1/events/{event.slug}/checkin-list", headers=api).json["items"]
    card = next(c for c in door if c["registration_id"] == first.id)
    assert [a["label"] for a in card["answers"]] == ["Votre secteur ?"]


def test_the_applicant_is_told_and_keeps_seeing_their_own_answer(app, client, world):
    event = world["event"]
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Seul le jury lit votre réponse." in form
    token = make_token(world["people"][0].id)
    page = client.get(f"/r/{token}/application").get_data(as_text=True)
    assert f"{SECRET} 0" in page and "Seul le jury lit votre réponse." in page


# ---------------------------------------------------------------- the applicant's city


def test_the_city_is_asked_on_applications_only(app, client, world):
    assert "Ville ou commune" in client.get(
        f"/events/{world['event'].slug}/register").get_data(as_text=True)
    open_event = make_event(title="Atelier ouvert")
    assert "Ville ou commune" not in client.get(
        f"/events/{open_event.slug}/register").get_data(as_text=True)
    response = client.post(f"/events/{world['event'].slug}/register", data={
        "first_name": "Léa", "last_name": "Martin", "email": "lea@example.be",
        "profile": "student", "consent": "y", "city": "  Mons  ",
        f"q_{world['public'].id}": "Agro"})  # fmt: skip
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(sa.select(Registration.city).where(
        Registration.event_id == world["event"].id, Registration.city == "Mons")) == "Mons"


def test_the_list_filters_by_city_whatever_the_case_and_accents_and_sorts_by_it(app, client,
                                                                                world):  # fmt: skip
    login(client, world["a_jury"])

    def names(**query) -> list[str]:
        page = client.get(base(world), query_string=query).get_data(as_text=True)
        return [f"Zoé{i}" for i in range(4) if f"Zoé{i} Secretname" in page]

    assert names(city="LIEGE") == ["Zoé1"]
    assert names(city="louvain") == ["Zoé2"]
    assert names(city="neuve la") == ["Zoé2"]
    assert names(city="Mons") == []
    page = client.get(base(world), query_string={"sort": "city"}).get_data(as_text=True)
    order = sorted(range(4), key=lambda i: page.index(f"Zoé{i} Secretname"))
    assert order == [1, 2, 0, 3]  # Liège, Louvain-la-Neuve, Namur, then no city
    filtered = applications.applications_query(world["event"], applications.Filters(city="namur"))
    assert [r.city for r in db.session.scalars(filtered)] == ["Namur"]


def test_any_city_typed_in_the_filter_or_the_form_is_never_a_server_error(app, client, world):
    login(client, world["a_jury"])
    event = world["event"]

    @BOUNDED
    @given(city=TEXT)
    def filter_by(city):
        response = client.get(base(world), query_string={"city": city})
        assert response.status_code in (200, 400)  # NUL: 400 app-wide
        assert client.get(f"{base(world)}.xlsx",
                          query_string={"city": city}).status_code in (200, 400)  # fmt: skip

    filter_by()
    client.post("/auth/logout")

    @BOUNDED
    @given(city=TEXT, n=st.integers(0, 10**6))
    def apply_with(city, n):
        before = db.session.scalar(sa.select(sa.func.count(Registration.id)))
        db.session.rollback()
        response = client.post(f"/events/{event.slug}/register", data={
            "first_name": "Léa", "last_name": "Martin", "email": f"prop{n}@example.be",
            "profile": "student", "consent": "y", "city": city,
            f"q_{world['public'].id}": "Agro"})  # fmt: skip
        assert response.status_code in (200, 302, 400)
        db.session.rollback()
        after = db.session.scalar(sa.select(sa.func.count(Registration.id)))
        if response.status_code != 302:
            assert after == before  # refused: nothing written
        else:
            stored = db.session.scalar(sa.select(Registration.city).where(
                Registration.person.has(email=f"prop{n}@example.be")))
            assert stored is None or (stored == stored.strip() and len(stored) <= 100)

    apply_with()


# ---------------------------------------------------------------- the XLSX export


def test_the_xlsx_export_follows_the_filters(app, client, world):
    login(client, world["staff"])
    rows = sheet(client.get(f"/staff/events/{world['event'].slug}/applications.xlsx",
                            query_string={"city": "liège"}))  # fmt: skip
    header, *data = rows
    assert header[:7] == ("Candidature", "Nom", "Prénom", "E-mail", "Entreprise ou projet",
                          "Ville", "Profil")  # fmt: skip
    assert [r[0] for r in data] == [world["people"][1].id]
    assert data[0][1:4] == ("Secretname", "Zoé1", "candidat1@example.be") and data[0][5] == "Liège"


def test_blind_review_leaves_names_and_addresses_out_of_the_jurys_files(app, client, world):
    event = world["event"]
    review_settings.save_settings(event, labels=[c.label for c in review_settings.criteria(event)],
                           blind_review=True, hold_decisions=False)  # fmt: skip
    db.session.commit()
    login(client, world["a_jury"])
    stem = f"/staff/events/{event.slug}/applications"
    rows = sheet(client.get(f"{stem}.xlsx", query_string={"sort": "name"}))
    text = str(rows)
    assert "Secretname" not in text and "@example.be" not in text and "Zoé" not in text
    assert "Nom" not in rows[0] and "E-mail" not in rows[0] and len(rows) == 5
    assert f"{SECRET} 0" in text  # the answers stay: they are what the jury judges
    # Whoever decides sees who applied.
    client.post("/auth/logout")
    login(client, world["a_manager"])
    assert "Secretname" in str(sheet(client.get(f"{stem}.xlsx")))


@pytest.mark.parametrize("who", ["b_jury", "b_manager", "a_checkin"])
def test_the_export_of_an_event_not_theirs_answers_404(app, client, world, who):
    login(client, world[who])
    for suffix in (".xlsx", ".csv"):
        response = client.get(f"/staff/events/{world['event'].slug}/applications{suffix}")
        assert response.status_code in ((404,) if who.startswith("b_") else (403, 404))
        assert b"Secretname" not in response.data


def test_a_city_written_as_a_formula_is_text_in_the_export(app, client, world):
    sign_up(world["event"], "formule@example.be", city='=HYPERLINK("http://x.test","Mons")',
            answers={world["public"].id: "Agro"})  # fmt: skip
    login(client, world["staff"])
    rows = sheet(client.get(f"{base(world)}.xlsx", query_string={"city": "hyperlink"}))
    assert rows[1][5] == '\'=HYPERLINK("http://x.test","Mons")'


def test_any_question_form_keeps_reviewers_answers_away_from_the_door(app, client, world):
    """hypothesis: whatever the boxes and texts sent, never a 5xx; a question saved for
    reviewers is on an application event and not shown at check-in."""
    login(client, world["a_manager"])
    open_event = make_event(title="Atelier ouvert", co_organisers=[world["a"]])

    @BOUNDED
    @given(application=st.booleans(), label=TEXT, for_reviewers=st.one_of(st.none(), TEXT),
           show_at_checkin=st.one_of(st.none(), TEXT))  # fmt: skip
    def attempt(application, label, for_reviewers, show_at_checkin):
        event = world["event"] if application else open_event
        data = {"label": label, "kind": "short_text"}
        for name, value in (("for_reviewers", for_reviewers), ("show_at_checkin", show_at_checkin)):
            if value is not None:
                data[name] = value
        response = client.post(f"/staff/events/{event.slug}/questions/new", data=data)
        assert response.status_code in (200, 302, 400)
        db.session.rollback()
        for question in db.session.scalars(sa.select(EventQuestion)):
            assert not (question.for_reviewers and question.show_at_checkin)
            assert not (question.for_reviewers and question.event_id == open_event.id)

    attempt()
