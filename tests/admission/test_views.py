"""The pages of admission by application: applying on the public form, the applicant's
own page, the reviewers' list and application page (blind review included), decisions one
by one and in bulk; partners' boundaries, with the database compared before and after."""

import re

import pytest
import sqlalchemy as sa

from boostcamp.admission import applications, review_settings, reviews
from boostcamp.admission.models import Review
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration, RegistrationStatus
from boostcamp.registrations.tokens import make_token
from tests.factories import (
    PASSWORD,
    make_centre,
    make_event,
    make_org,
    make_question,
    make_user,
    sign_up,
)
from tests.registrations.helpers import mails, reload, statuses
from tests.test_hostile_partner import snapshot


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    a, b = make_org("Mind & Market"), make_org("Namur coworking")
    event = make_event(host=centre, co_organisers=[a], title="Boostcamp sur dossier",
                       capacity=2, admission="application")  # fmt: skip
    other = make_event(host=centre, co_organisers=[b], title="Boostcamp de Namur",
                       capacity=2, admission="application")  # fmt: skip
    question = make_question(event, "Votre projet ?")
    people = [sign_up(event, f"candidat{i}@example.be", first_name=f"Zoé{i}",
                      last_name="Secretname", answers={question.id: f"Projet {i}"}).registration
              for i in range(3)]  # fmt: skip
    theirs = sign_up(other, "namur@example.be", last_name="Namurois").registration
    users = {
        "staff": make_user("staff@mic.test", role=StaffRole.STAFF),
        "a_manager": make_user("manager@a.test", org=a, org_role=MemberRole.MANAGER),
        "a_jury": make_user("jury@a.test", org=a, org_role=MemberRole.REVIEWER),
        "b_jury": make_user("jury@b.test", org=b, org_role=MemberRole.REVIEWER),
        "b_manager": make_user("manager@b.test", org=b, org_role=MemberRole.MANAGER),
    }
    criteria = review_settings.ensure_criteria(event)
    db.session.commit()
    return dict(event=event, other=other, people=people, theirs=theirs, question=question,
                criteria=criteria, **users)  # fmt: skip


def login(client, user):
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def csrf(client, url):
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return match.group(1) if match else ""


def scores_form(world, value, note="Solide"):
    return {**{f"score_{c.id}": str(value) for c in world["criteria"]}, "note": note}


def test_the_public_page_and_form_say_it_is_an_application(app, client):
    event = make_event(admission="application", capacity=1)
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "candidature" in page.lower() and "Poser ma candidature" in page
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Envoyer ma candidature" in form and "ne sont pas limitées par le nombre de places" in form
    response = client.post(f"/events/{event.slug}/register", data={
        "first_name": "Léa", "last_name": "Martin", "email": "lea@example.be",
        "profile": "entrepreneur", "consent": "y"})  # fmt: skip
    assert response.status_code == 302
    done = client.get(response.location).get_data(as_text=True)
    assert "Votre candidature est envoyée" in done
    assert statuses(event) == {"applied": 1}


def test_the_applicant_sees_the_state_changes_answers_and_withdraws(app, client, world):
    registration = world["people"][0]
    token = make_token(registration.id)
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Votre candidature est en cours d’examen." in page and "Modifier mes réponses" in page
    assert "Retirer ma candidature" in page
    url = f"/r/{token}/application"
    response = client.post(url, data={"csrf_token": csrf(client, url),
                                      f"q_{world['question'].id}": "Un nouveau projet"})  # fmt: skip
    assert response.status_code == 302
    assert [a.value for a in reload(registration).answers] == ["Un nouveau projet"]
    response = client.post(f"/r/{token}/cancel", data={"csrf_token": csrf(client, f"/r/{token}/cancel")})
    assert response.status_code == 302
    assert reload(registration).status == RegistrationStatus.CANCELLED
    assert "Vous avez retiré votre candidature." in mails("registration_cancelled")[0].body_text


def test_a_jury_member_reviews_and_scores_but_does_not_decide(app, client, world):
    login(client, world["a_jury"])
    event, first = world["event"], world["people"][0]
    listing = client.get(f"/staff/events/{event.slug}/applications")
    assert listing.status_code == 200 and "Zoé0" in listing.get_data(as_text=True)
    url = f"/staff/events/{event.slug}/applications/{first.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Projet 0" in page and "Mes notes" in page
    response = client.post(url, data={"csrf_token": csrf(client, url), **scores_form(world, 4)})
    assert response.status_code == 302
    db.session.rollback()  # a fresh read
    assert applications.scores([first.id])[first.id].average == 4
    before = snapshot()
    token = csrf(client, url)
    for path, data in ((f"{url}/decision", {"decision": "accept"}),
                       (f"/staff/events/{event.slug}/applications/decide", {"decision": "accept", "ids": first.id}),
                       (f"/staff/events/{event.slug}/applications/accept-top", {"n": "1"}),
                       (f"/staff/events/{event.slug}/applications/settings", {"criteria": "X"})):  # fmt: skip
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 403, path
    assert snapshot() == before


def test_a_score_outside_the_range_is_a_field_error(app, client, world):
    login(client, world["a_jury"])
    url = f"/staff/events/{world['event'].slug}/applications/{world['people'][0].id}"
    token = csrf(client, url)
    before = snapshot()
    for value in ("0", "6", "abc", ""):
        response = client.post(url, data={"csrf_token": token, **scores_form(world, value)})
        assert response.status_code == 200
        assert "Donnez une note de 1 à 5." in response.get_data(as_text=True)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["b_jury", "b_manager"])
def test_another_partners_applications_answer_404_and_change_nothing(app, client, world, who):
    login(client, world[who])
    event, first = world["event"], world["people"][0]
    base = f"/staff/events/{event.slug}/applications"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/{first.id}").status_code == 404
    assert client.get(f"{base.replace('/applications', '/applications.csv')}").status_code == 404
    # Their own event, with another event's application id: no such application there.
    own = f"/staff/events/{world['other'].slug}/applications"
    token = csrf(client, own)
    before = snapshot()
    attempts = [
        (f"{base}/{first.id}", scores_form(world, 1)),
        (f"{base}/{first.id}/decision", {"decision": "reject"}),
        (f"{base}/decide", {"decision": "reject", "ids": first.id}),
        (f"{base}/accept-top", {"n": "2", "over_capacity": "y"}),
        (f"{base}/send-decisions", {}),
        (f"{base}/settings", {"criteria": "Rien", "blind_review": "y"}),
        (f"{own}/{first.id}", scores_form(world, 1)),
        (f"{own}/{first.id}/decision", {"decision": "reject"}),
        (f"{own}/decide", {"decision": "reject", "ids": first.id}),
    ]
    for path, data in attempts:
        assert client.post(path, data={"csrf_token": token, **data}).status_code in (302, 403, 404), path
    assert snapshot() == before
    assert reload(first).status == RegistrationStatus.APPLIED


def test_blind_review_hides_names_and_addresses_wherever_the_jury_looks(app, client, world):
    event = world["event"]
    review_settings.save_settings(event, labels=[c.label for c in world["criteria"]],
                           blind_review=True, hold_decisions=False)  # fmt: skip
    db.session.commit()
    login(client, world["a_jury"])
    first = world["people"][0]
    base = f"/staff/events/{event.slug}/applications"
    pages = [client.get(base), client.get(f"{base}/{first.id}"),
             client.get(f"/staff/events/{event.slug}/applications.csv"),
             client.get(base, query_string={"sort": "name"})]  # fmt: skip
    for response in pages:
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Secretname" not in body and "candidat0@example.be" not in body and "Zoé" not in body
    assert "Projet 0" in pages[1].get_data(as_text=True)
    # A search by name would tell who applied: under blind review it is not offered, and
    # one typed in the address is ignored (every application shown).
    searched = client.get(base, query_string={"q": "Zoé1"}).get_data(as_text=True)
    assert "3 candidatures affichées" in searched and 'name="q"' not in searched
    assert f"Candidature n° {first.id}" in pages[0].get_data(as_text=True)
    # The managers see the participants anyway: blind review is for the jury.
    client.post("/auth/logout")
    login(client, world["a_manager"])
    assert "Secretname" in client.get(base).get_data(as_text=True)


def test_staff_bulk_accept_is_all_or_nothing_and_over_capacity_is_a_choice(app, client, world):
    login(client, world["staff"])
    event = world["event"]
    base = f"/staff/events/{event.slug}/applications"
    token = csrf(client, base)
    ids = [r.id for r in world["people"]]
    before = snapshot()
    response = client.post(f"{base}/decide", data={"csrf_token": token, "decision": "accept", "ids": ids},
                           follow_redirects=True)  # fmt: skip
    assert "2 places libres pour 3 personnes" in response.get_data(as_text=True)
    assert snapshot() == before
    response = client.post(f"{base}/decide", data={"csrf_token": token, "decision": "accept",
                                                   "ids": ids, "over_capacity": "y"})  # fmt: skip
    assert response.status_code == 302
    assert statuses(event) == {"confirmed": 3, "applied": 1} or statuses(event)["confirmed"] == 3


def test_accept_the_top_n_then_send_the_held_decisions(app, client, world):
    event = world["event"]
    review_settings.save_settings(event, labels=[c.label for c in world["criteria"]],
                           blind_review=False, hold_decisions=True)  # fmt: skip
    db.session.commit()
    jury = world["a_jury"]
    for registration, value in zip(world["people"], (2, 5, 4)):
        reviews.save_review(reload(registration), jury, note=None,
                             values={c.id: value for c in world["criteria"]})  # fmt: skip
        db.session.commit()
    login(client, world["a_manager"])
    base = f"/staff/events/{event.slug}/applications"
    token = csrf(client, base)
    assert client.post(f"{base}/accept-top", data={"csrf_token": token, "n": "2"}).status_code == 302
    db.session.rollback()
    accepted = set(db.session.scalars(sa.select(Registration.id).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)))
    assert accepted == {world["people"][1].id, world["people"][2].id}
    assert not mails("registration_confirmed")  # held
    page = client.get(base).get_data(as_text=True)
    assert "Envoyer toutes les décisions (2 en attente)" in page
    assert client.post(f"{base}/send-decisions", data={"csrf_token": token}).status_code == 302
    assert len(mails("registration_confirmed")) == 2


def test_bad_input_on_the_staff_forms_is_never_a_server_error(app, client, world):
    login(client, world["staff"])
    base = f"/staff/events/{world['event'].slug}/applications"
    token = csrf(client, base)
    before = snapshot()
    for path, data in ((f"{base}/decide", {"decision": "maybe", "ids": "1"}),
                       (f"{base}/decide", {"decision": "accept", "ids": "abc"}),
                       (f"{base}/decide", {"decision": "accept"}),
                       (f"{base}/accept-top", {"n": "-3"}),
                       (f"{base}/accept-top", {"n": "99999999999999"}),
                       (f"{base}/settings", {"criteria": "x" * 101})):  # fmt: skip
        assert client.post(path, data={"csrf_token": token, **data}).status_code in (200, 302, 404)
    for query in ({"status": "nope"}, {"sort": "x"}, {"page": "-1"}, {"profile": "alien"},
                  {"answers": "%_\\"}, {"q": "\x00"}):  # fmt: skip
        assert client.get(base, query_string=query).status_code in (200, 400)  # NUL: 400 app-wide
    assert snapshot() == before
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


def test_any_text_in_the_review_and_decision_forms(app, client, world):
    """hypothesis: whatever is typed in a score, a note, a decision, a message, the ids or
    the number to accept, the answer is never a 5xx, and a refused form saves nothing."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.core.test_forms_property import TEXT

    login(client, world["staff"])
    event, first = world["event"], world["people"][0]
    base = f"/staff/events/{event.slug}/applications"
    ids = [c.id for c in world["criteria"]]
    labels = "\n".join(c.label for c in world["criteria"])

    def scores(value="3", note="Solide"):
        return {**{f"score_{i}": "3" for i in ids}, f"score_{ids[0]}": value, "note": note}

    targets = {
        "score": (f"{base}/{first.id}", lambda v: scores(value=v)),
        "note": (f"{base}/{first.id}", lambda v: scores(note=v)),
        "decision": (f"{base}/decide", lambda v: {"decision": v, "ids": first.id}),
        "message": (f"{base}/decide", lambda v: {"decision": "waitlist", "ids": first.id, "message": v}),
        "ids": (f"{base}/decide", lambda v: {"decision": "reject", "ids": v}),
        "n": (f"{base}/accept-top", lambda v: {"n": v}),
        "criteria": (f"{base}/settings", lambda v: {"criteria": f"{labels}\n{v}"}),
    }

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(target=st.sampled_from(sorted(targets)), value=TEXT)
    def attempt(target, value):
        path, data = targets[target]
        before = snapshot()
        response = client.post(path, data=data(value))
        assert response.status_code < 500
        if response.status_code == 200:  # sent back with its errors
            assert snapshot() == before

    attempt()


def test_the_list_costs_the_same_queries_for_few_or_many_applications(app, client, world,
                                                                     count_queries):  # fmt: skip
    event, jury = world["event"], world["a_jury"]

    def add(n, start):
        for i in range(start, start + n):
            registration = sign_up(event, f"many{i}@example.be").registration
            reviews.save_review(registration, jury, note="Ok",
                                 values={c.id: 3 for c in world["criteria"]})  # fmt: skip
            db.session.commit()

    login(client, world["staff"])
    url = f"/staff/events/{event.slug}/applications"

    def queries():
        client.get(url)  # warm (the session's user, the first time)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    add(3, 0)
    few = queries()
    add(30, 3)
    assert queries() == few
