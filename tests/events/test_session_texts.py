"""The titles of an event's agenda (its sessions) in French, Dutch and English, as the event's
own texts: each reader gets their language, or the event's with a note and a `lang` on the
passage; the calendar's SUMMARY and the mails speak the reader's; staff write them per
language on the event's form; the API takes a string or titles by language. A partner never
writes into another's agenda, and nothing is saved from a refused request."""

import html

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boostcamp.auth.models import StaffRole
from boostcamp.events import editing
from boostcamp.events.models import Event, EventSession
from boostcamp.core.extensions import db
from tests.api.helpers import bearer, make_token, new_event, row_counts
from tests.events.test_staff_views import event_data
from tests.factories import at, make_centre, make_event, make_org, make_user

EVENT_NL = {"nl": {"title": "Boostcamp Bergen"}, "en": {"title": "Boostcamp Mons (EN)"}}


def agenda(*, second_translated: bool = True) -> list[dict]:
    """Two days: the first titled in three languages, the second in French only (or in three)."""
    second = {"nl": {"title": "Dag 2 — Pitch"}, "en": {"title": "Day 2 — Pitch"}}
    return [
        {"title": "Jour 1 — L’idée", "starts_at": at(2030, 3, 4, 9), "ends_at": at(2030, 3, 4, 17),
         "translations": {"nl": {"title": "Dag 1 — Het idee"}, "en": {"title": "Day 1 — The idea"}}},
        {"title": "Jour 2 — Pitch", "starts_at": at(2030, 3, 5, 9), "ends_at": at(2030, 3, 5, 17),
         "translations": second if second_translated else None},
    ]  # fmt: skip


def boostcamp(**kw) -> Event:
    return make_event(title="Boostcamp Mons", starts_at=at(2030, 3, 4, 8), days=2,
                      translations=EVENT_NL, **kw)  # fmt: skip


def page_in(client, event: Event, language: str) -> str:
    client.get(f"/lang/{language}")
    return html.unescape(client.get(f"/events/{event.slug}").get_data(as_text=True))


def test_each_reader_gets_the_agenda_in_their_language(client):
    event = boostcamp(sessions=agenda())
    fr, nl, en = (page_in(client, event, lang) for lang in ("fr", "nl", "en"))
    assert '<p class="fw-semibold mb-1">Jour 1 — L’idée</p>' in fr
    assert '<p class="fw-semibold mb-1">Dag 1 — Het idee</p>' in nl
    assert '<p class="fw-semibold mb-1">Day 2 — Pitch</p>' in en
    assert "Jour 1" not in nl + en and "untranslated-note" not in fr + nl + en


def test_a_session_titled_in_french_only_falls_back_with_its_language_and_a_note(client):
    event = boostcamp(sessions=agenda(second_translated=False))
    nl = page_in(client, event, "nl")
    assert '<p class="fw-semibold mb-1">Dag 1 — Het idee</p>' in nl
    assert '<p class="fw-semibold mb-1" lang="fr">Jour 2 — Pitch</p>' in nl
    assert ("De agenda is nog niet in het Nederlands geschreven: "
            "de sessies zijn in het Frans.") in nl  # fmt: skip
    fr = page_in(client, event, "fr")
    assert 'lang="fr">Jour 2' not in fr and "untranslated-note" not in fr
    # An event in French only: its own note says it; the agenda adds none.
    alone = make_event(title="Atelier", starts_at=at(2030, 3, 4, 8), days=2,
                       sessions=[s | {"translations": None} for s in agenda()])  # fmt: skip
    page = page_in(client, alone, "en")
    assert page.count("untranslated-note") == 1
    assert '<p class="fw-semibold mb-1" lang="fr">Jour 1 — L’idée</p>' in page


def test_the_calendar_has_a_vevent_per_session_in_the_readers_language(client):
    event = boostcamp(sessions=agenda(second_translated=False))
    client.get("/lang/nl")
    nl = client.get(f"/events/{event.slug}.ics").get_data(as_text=True).replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=nl:Boostcamp Bergen — Dag 1 — Het idee" in nl
    # The second day has no Dutch title: the French one, said to be French.
    assert "SUMMARY;LANGUAGE=fr:Boostcamp Bergen — Jour 2 — Pitch" in nl
    feed = client.get("/calendar.ics?lang=en").get_data(as_text=True).replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=en:Boostcamp Mons (EN) — Day 1 — The idea" in feed


WHEN = '{% from "mail/_registration.txt" import when %}{{ when(event) }}'
WHEN_HTML = '{% from "mail/_registration.html" import event_details %}{{ event_details(event, "") }}'


def test_the_mails_give_the_agenda_in_the_persons_language(app):
    event = boostcamp(sessions=agenda(second_translated=False))
    with app.test_request_context(), force_locale("nl"):
        text = render_template_string(WHEN, event=event)
        page = render_template_string(WHEN_HTML, event=event)
    assert ": Dag 1 — Het idee" in text and ": Jour 2 — Pitch" in text
    assert ': <span lang="fr">Jour 2 — Pitch</span>' in page and ": Dag 1 — Het idee" in page
    with app.test_request_context(), force_locale("en"):
        assert ": Day 1 — The idea" in render_template_string(WHEN, event=event)


def test_changing_the_events_language_carries_the_session_titles(app):
    event = boostcamp(sessions=agenda(second_translated=False))
    editing.update_event(event, language="nl")
    db.session.commit()
    first, second = event.sessions
    assert first.title == "Dag 1 — Het idee"
    assert first.translations == {"fr": {"title": "Jour 1 — L’idée"},
                                  "en": {"title": "Day 1 — The idea"}}  # fmt: skip
    assert second.title == "Jour 2 — Pitch" and second.translations is None  # now counted Dutch


def test_a_copy_keeps_the_agendas_languages(app):
    event = boostcamp(sessions=agenda())
    copy = editing.duplicate_event(event, at(2031, 3, 3, 8))
    db.session.commit()
    assert [s.texts_by_field() for s in copy.sessions] == [
        s.texts_by_field() for s in event.sessions
    ]


# ---------------------------------------------------------------- the staff form


@pytest.fixture
def staff(client, auth):
    make_centre("MIC Mons")
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")


def test_staff_write_each_sessions_title_per_language(client, staff):
    page = html.unescape(client.get("/staff/events/new").get_data(as_text=True))
    assert 'name="sessions-0-title"' in page and 'name="sessions-0-title_nl"' in page
    assert 'name="sessions-0-title_en"' in page and 'name="sessions-0-title_fr"' not in page
    assert "Titre de la session (néerlandais)" in page
    assert "Titre de la session (français, obligatoire)" in page
    response = client.post("/staff/events/new", data=event_data(**{
        "sessions-0-title_nl": "Dag 1 — Het idee", "sessions-0-title_en": " ",
        "sessions-1-title_en": "Day 2 — The pitch",
    }))  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(sa.select(Event).where(Event.title == "Boostcamp de printemps"))
    assert [s.translations for s in event.sessions] == [
        {"nl": {"title": "Dag 1 — Het idee"}}, {"en": {"title": "Day 2 — The pitch"}}]
    edit = html.unescape(client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True))
    assert ('id="sessions-0-title_nl" lang="nl" maxlength="200" name="sessions-0-title_nl" '
            'type="text" value="Dag 1 — Het idee"') in edit
    assert 'name="sessions-0-title_language" type="hidden" value="fr"' in edit
    assert 'id="sessions-0-title" lang="fr"' in edit


def test_the_form_keeps_each_title_with_its_language_when_the_events_changes(client, staff):
    """Shown in French, the row's `title` is French: the event turned Dutch, its Dutch title
    becomes the main one and the French a translation."""
    client.post("/staff/events/new", data=event_data(**{"sessions-0-title_nl": "Dag 1"}))
    event = db.session.scalar(sa.select(Event))
    data = event_data(language="nl", title="Lente-Boostcamp", **{
        "sessions-0-id": str(event.sessions[0].id), "sessions-1-id": str(event.sessions[1].id),
        "sessions-0-title_language": "fr", "sessions-0-title_nl": "Dag 1",
        "sessions-1-title_language": "fr", "sessions-1-title_nl": "",
    })  # fmt: skip
    response = client.post(f"/staff/events/{event.slug}/edit", data=data)
    assert response.status_code == 200  # the second day has no Dutch title: the main one
    text = html.unescape(response.get_data(as_text=True))
    assert 'id="sessions-1-title_nl-error">Donnez un titre à la session.' in text
    data["sessions-1-title_nl"] = "Dag 2"
    assert client.post(f"/staff/events/{event.slug}/edit", data=data).status_code == 302
    db.session.rollback()  # a fresh read: expiring is not enough on SQLite (its snapshot)
    assert [(s.title, s.translations) for s in event.sessions] == [
        ("Dag 1", {"fr": {"title": "Jour 1 — L’idée"}}),
        ("Dag 2", {"fr": {"title": "Jour 2 — Le pitch"}}),
    ]


# ---------------------------------------------------------------- the API


@pytest.fixture
def token(app):
    make_centre("MIC Mons")
    return make_token(make_org("Partner"))


def test_the_api_takes_session_titles_by_language_and_gives_them_back(client, token):
    body = new_event()
    body["sessions"][0]["title"] = {"fr": "Jour 1", "nl": "Dag 1"}
    response = client.post("/api/v1/events", json=body, headers=bearer(token))
    assert response.status_code == 201, response.json
    first = response.json["sessions"][0]
    assert first["title"] == "Jour 1" and first["texts"] == {"title": {"fr": "Jour 1", "nl": "Dag 1"}}
    sessions = [{k: v for k, v in s.items() if k in ("id", "starts_at", "ends_at")}
                for s in response.json["sessions"]]  # fmt: skip
    # A kept session keeps the languages left out; null removes one; a string is the main one.
    sessions[0]["title"] = {"en": "Day 1"}
    sessions[1]["title"] = "Jour 2 — Pitch"
    url = f"/api/v1/events/{response.json['slug']}"
    changed = client.patch(url, json={"sessions": sessions}, headers=bearer(token))
    assert changed.status_code == 200, changed.json
    assert changed.json["sessions"][0]["texts"]["title"] == {"fr": "Jour 1", "nl": "Dag 1",
                                                             "en": "Day 1"}  # fmt: skip
    sessions[0]["title"] = {"nl": None}
    changed = client.patch(url, json={"sessions": sessions}, headers=bearer(token))
    assert changed.json["sessions"][0]["texts"]["title"] == {"fr": "Jour 1", "en": "Day 1"}
    assert changed.json["sessions"][1]["texts"]["title"] == {"fr": "Jour 2 — Pitch"}


@pytest.mark.parametrize(("title", "field"), [
    ({"de": "Tag 1"}, "sessions.0.title.de"),
    ({"nl": "Dag 1"}, "sessions.0.title"),  # the event's language (fr) has none
    ({"nl": "x" * 201}, "sessions.0.title.nl"),
    ({"en": "Day\x001"}, "sessions.0.title.en"),
    ({}, "sessions.0.title"),
    ({"fr": 3}, "sessions.0.title.fr"),
])  # fmt: skip
def test_the_api_refuses_session_titles_it_cannot_keep(client, token, title, field):
    body = new_event()
    body["sessions"][0]["title"] = title
    before = row_counts()
    response = client.post("/api/v1/events", json=body, headers=bearer(token))
    assert response.status_code == 422, response.json
    assert field in response.json["fields"], response.json
    assert row_counts() == before


def test_the_openapi_document_says_a_session_title_is_a_string_or_titles_by_language(client):
    document = client.get("/api/v1/openapi.json").json
    title = document["components"]["schemas"]["SessionIn"]["properties"]["title"]
    assert [option["type"] for option in title["oneOf"]] == ["string", "object"]
    assert set(title["oneOf"][1]["properties"]) == {"fr", "nl", "en"}
    out = document["components"]["schemas"]["SessionOut"]["properties"]
    assert "texts" in out


def test_a_partner_cannot_write_into_another_partners_agenda(client, app):
    from tests.test_hostile_partner import snapshot

    make_centre("MIC Mons")
    a, b = make_org("Partner A"), make_org("Partner B")
    theirs = make_event(b, co_organisers=[b], starts_at=at(2030, 3, 4, 8), days=2,
                        sessions=agenda())  # fmt: skip
    mine = make_event(a, co_organisers=[a], starts_at=at(2030, 3, 4, 8), days=2)
    their_session = theirs.sessions[0]
    taken = {"id": their_session.id, "title": {"nl": "Overgenomen"},
             "starts_at": "2030-03-04T09:00:00+01:00", "ends_at": "2030-03-04T17:00:00+01:00"}
    token = bearer(make_token(a))
    before = snapshot()
    # Their event: not even seen.
    response = client.patch(f"/api/v1/events/{theirs.slug}", headers=token,
                            json={"sessions": [taken]})  # fmt: skip
    assert response.status_code == 404
    # Their session's id in my event: refused, nothing of theirs read or moved.
    response = client.patch(f"/api/v1/events/{mine.slug}", headers=token,
                            json={"sessions": [taken]})  # fmt: skip
    assert response.status_code == 422 and "sessions.0.id" in response.json["fields"]
    db.session.expire_all()
    assert snapshot() == before


# ---------------------------------------------------------------- any text (hypothesis)

ANY_TEXT = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=250),
    st.sampled_from(["\x00", "x" * 201, " ", "", "<script>alert(1)</script>", "🎉", "\u202e"]),
)
BOUNDED = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))  # fmt: skip


def test_the_staff_forms_session_titles_with_any_text(client, staff):
    @BOUNDED
    @given(field=st.sampled_from(["sessions-0-title", "sessions-0-title_nl", "sessions-1-title_en",
                                  "sessions-0-title_language"]), value=ANY_TEXT)
    def new_event(field, value):
        before = row_counts()
        response = client.post("/staff/events/new", data=event_data(**{field: value}))
        assert response.status_code < 500
        if response.status_code != 302:
            assert row_counts() == before

    new_event()


def test_the_apis_session_titles_with_any_text(client, token):
    @BOUNDED
    @given(title=st.one_of(ANY_TEXT, st.dictionaries(
        st.sampled_from(["fr", "nl", "en", "de", ""]), st.one_of(st.none(), ANY_TEXT),
        max_size=3)))  # fmt: skip
    def post(title):
        body = new_event()
        body["sessions"][1]["title"] = title
        before = row_counts()
        response = client.post("/api/v1/events", json=body, headers=bearer(token))
        assert response.status_code < 500
        if response.status_code != 201:
            assert row_counts() == before
        else:
            db.session.rollback()  # a fresh read (SQLite keeps the snapshot of row_counts())
            session = db.session.get(EventSession, response.json["sessions"][1]["id"])
            assert session.title and session.title == session.title.strip()
            assert "fr" not in (session.translations or {})

    post()
