"""An event's title, summary and description in French, Dutch and English: each reader gets
their language, or the event's own with a note and a `lang` on the passage; staff write them
in one fieldset per language; the API takes a string or texts by language; the catalogue's
search finds an event by any of its titles."""

import html

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from boostcamp.auth.models import StaffRole
from boostcamp.core.texts import LANGUAGES, merge_texts, split_texts
from boostcamp.events import editing
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from tests.api.helpers import bearer, make_token, new_event
from tests.factories import make_centre, make_event, make_org, make_user

THREE = {
    "nl": {"title": "Boostcamp Bergen: volgende editie", "summary": "Vier dagen in Bergen.",
           "description": "De **Boostcamp** voor projectdragers."},
    "en": {"title": "Boostcamp Mons: next edition", "summary": "Four days in Mons."},
}  # fmt: skip


def three_titles(**kw) -> Event:
    return make_event(
        title="Boostcamp Mons : prochaine édition", summary="Quatre jours à Mons.",
        description="Le **Boostcamp** pour les porteurs de projet.", translations=THREE, **kw,
    )  # fmt: skip


def page_in(client, event: Event, language: str) -> str:
    client.get(f"/lang/{language}")
    return html.unescape(client.get(f"/events/{event.slug}").get_data(as_text=True))


def test_each_reader_gets_the_event_in_their_language(client):
    event = three_titles()
    fr, nl, en = (page_in(client, event, lang) for lang in ("fr", "nl", "en"))
    assert "<h1" in fr and "Boostcamp Mons : prochaine édition" in fr
    assert "Boostcamp Bergen: volgende editie" in nl and "Vier dagen in Bergen." in nl
    assert "<strong>Boostcamp</strong> voor projectdragers" in nl
    assert "Boostcamp Mons: next edition" in en and "Four days in Mons." in en
    assert "prochaine édition" not in nl + en
    # All three written: no note anywhere.
    assert "untranslated-note" not in fr + nl
    # The English description is missing: the French one, marked as French, with the note.
    assert '<div class="description mb-4" lang="fr">' in en
    assert "This event is not described in English yet: its texts are in French." in en


def test_an_event_in_french_only_falls_back_with_a_note_and_its_language(client):
    event = make_event(title="Atelier pitch", summary="Convaincre en trois minutes.")
    nl = page_in(client, event, "nl")
    assert '<span lang="fr">Atelier pitch</span>' in nl
    assert '<p class="mb-0" lang="fr">Convaincre en trois minutes.</p>' in nl
    assert ("Dit evenement is nog niet in het Nederlands beschreven: "
            "de teksten zijn in het Frans.") in nl
    catalogue = html.unescape(client.get("/").get_data(as_text=True))
    assert '<span lang="fr">Atelier pitch</span>' in catalogue
    fr = page_in(client, event, "fr")
    assert 'lang="fr">Atelier pitch' not in fr and "untranslated-note" not in fr


def test_the_calendar_file_speaks_the_readers_language(client):
    event = three_titles()
    client.get("/lang/nl")
    nl = client.get(f"/events/{event.slug}.ics").get_data(as_text=True).replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=nl:Boostcamp Bergen: volgende editie" in nl
    client.get("/lang/fr")
    fr = client.get(f"/events/{event.slug}.ics").get_data(as_text=True).replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=fr:Boostcamp Mons : prochaine édition" in fr
    # A feed is fetched by apps that say no language: its address may (?lang=).
    feed = client.get("/calendar.ics?lang=en").get_data(as_text=True).replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=en:Boostcamp Mons: next edition" in feed


@pytest.mark.parametrize("word", ["Bergen", "volgende", "next edition", "PROCHAINE", "Quatre"])
def test_the_search_finds_an_event_by_any_of_its_titles(client, word):
    event = three_titles()
    make_event(title="Atelier financement")
    page = html.unescape(client.get("/", query_string={"q": word}).get_data(as_text=True))
    assert f"/events/{event.slug}" in page
    assert "Atelier financement" not in page


def test_the_search_keeps_up_with_changed_texts(client):
    event = make_event(title="Atelier pitch")
    editing.update_event(event, translations={"nl": {"title": "Workshop pitchen"}})
    db.session.commit()
    assert "pitchen" in event.search_text
    page = client.get("/", query_string={"q": "pitchen"}).get_data(as_text=True)
    assert f"/events/{event.slug}" in page


def test_changing_the_language_makes_its_texts_the_main_ones(app):
    event = three_titles()
    editing.update_event(event, language="nl")
    db.session.commit()
    assert event.title == "Boostcamp Bergen: volgende editie"
    assert event.translations["fr"]["title"] == "Boostcamp Mons : prochaine édition"
    assert "nl" not in event.translations
    assert event.text_in("title", "en") == "Boostcamp Mons: next edition"


# ---------------------------------------------------------------- the staff form


@pytest.fixture
def staff(client, auth):
    make_centre("MIC Mons")
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")


def form(**texts) -> dict:
    data = {"kind": "workshop", "language": "fr", "city": "Mons",
            "starts_at": "2030-03-30T18:00", "ends_at": "2030-03-30T21:00"}  # fmt: skip
    data.update(texts)
    return data


def test_staff_write_the_texts_in_one_fieldset_per_language(client, staff):
    page = client.get("/staff/events/new").get_data(as_text=True)
    for language in LANGUAGES:
        assert f'data-texts="{language}"' in page
        assert f'name="title_{language}"' in page and f'lang="{language}"' in page
    response = client.post("/staff/events/new", data=form(
        title_fr="Atelier pitch", title_nl="Workshop pitchen", summary_nl="Overtuigen.",
        title_en="", description_en="  ",
    ))  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(sa.select(Event).where(Event.title == "Atelier pitch"))
    assert event.translations == {"nl": {"title": "Workshop pitchen", "summary": "Overtuigen."}}
    edit = client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True)
    assert 'value="Workshop pitchen"' in edit
    changed = form(title_fr="Atelier pitch", title_nl="Workshop pitchen", title_en="Pitch workshop")
    assert client.post(f"/staff/events/{event.slug}/edit", data=changed).status_code == 302
    history = html.unescape(client.get(f"/staff/events/{event.slug}/history").get_data(as_text=True))
    assert "Textes dans d’autres langues" in history
    assert "nl: Workshop pitchen; en: Pitch workshop" in history


def test_the_events_own_language_needs_a_title_the_others_do_not(client, staff):
    page = client.post("/staff/events/new", data=form(language="nl", title_fr="Atelier pitch"))
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert 'id="title_nl-error">Donnez à l’événement un titre dans sa propre langue.' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


# ---------------------------------------------------------------- the API


@pytest.fixture
def token(app):
    make_centre("MIC Mons")
    return make_token(make_org("Partner"))


def test_the_api_takes_texts_by_language_and_gives_them_back(client, token):
    body = new_event(title={"fr": "Boostcamp Namur", "nl": "Boostcamp Namen"},
                     summary={"en": "Two days in Namur."})  # fmt: skip
    response = client.post("/api/v1/events", json=body, headers=bearer(token))
    assert response.status_code == 201, response.json
    assert response.json["title"] == "Boostcamp Namur"
    assert response.json["texts"] == {
        "title": {"fr": "Boostcamp Namur", "nl": "Boostcamp Namen"},
        "summary": {"en": "Two days in Namur."}, "description": {"fr": body["description"]},
    }  # fmt: skip
    url = f"/api/v1/events/{response.json['slug']}"
    # A PATCH changes the languages it names; null removes one; a string is the main one.
    change = {"title": {"nl": None, "en": "Boostcamp Namur (EN)"},
              "summary": "Deux jours à Namur."}
    changed = client.patch(url, json=change, headers=bearer(token))
    assert changed.status_code == 200, changed.json
    assert changed.json["texts"]["title"] == {"fr": "Boostcamp Namur", "en": "Boostcamp Namur (EN)"}
    assert changed.json["texts"]["summary"] == {"fr": "Deux jours à Namur.",
                                                "en": "Two days in Namur."}  # fmt: skip


@pytest.mark.parametrize(("title", "field"), [
    ({"de": "Boostcamp"}, "title.de"),
    ({"nl": "Boostcamp Namen"}, "title"),  # the main language (fr) has none
    ({"fr": "x" * 201}, "title.fr"),
    ({}, "title"),
    ({"fr": 3}, "title.fr"),
])  # fmt: skip
def test_the_api_refuses_texts_it_cannot_keep(client, token, title, field):
    response = client.post("/api/v1/events", json=new_event(title=title), headers=bearer(token))
    assert response.status_code == 422, response.json
    assert field in response.json["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_a_partner_cannot_write_texts_into_another_partners_event(client, app):
    from tests.test_hostile_partner import snapshot

    make_centre("MIC Mons")
    a, b = make_org("Partner A"), make_org("Partner B")
    theirs = make_event(b, title="Atelier de B", co_organisers=[b])
    before = snapshot()
    response = client.patch(f"/api/v1/events/{theirs.slug}", headers=bearer(make_token(a)),
                            json={"title": {"nl": "Overgenomen"}})
    assert response.status_code == 404
    db.session.expire_all()
    assert snapshot() == before


# ---------------------------------------------------------------- the functions underneath

texts = st.dictionaries(
    st.sampled_from(LANGUAGES),
    st.dictionaries(st.sampled_from(Event.TRANSLATED_FIELDS),
                    st.one_of(st.none(), st.text(max_size=20))),  # fmt: skip
)


@settings(max_examples=200, deadline=None)
@given(language=st.sampled_from(LANGUAGES), current=texts, given_=st.dictionaries(
    st.sampled_from(Event.TRANSLATED_FIELDS),
    st.one_of(st.none(), st.text(max_size=20),
              st.dictionaries(st.sampled_from(LANGUAGES), st.one_of(st.none(), st.text()))),
))  # fmt: skip
def test_texts_merged_and_split_keep_every_language_apart(language, current, given_):
    merged = merge_texts(current, language, given_)
    split = split_texts(language, merged, Event.TRANSLATED_FIELDS)
    translations = split["translations"] or {}
    assert language not in translations
    for field in Event.TRANSLATED_FIELDS:
        value = given_.get(field, ...)
        main = value.get(language, ...) if isinstance(value, dict) else value
        if main is ...:
            main = (current.get(language) or {}).get(field)
        assert split[field] == ((main or "").strip() or None)
    for other, fields in translations.items():
        assert all(v == v.strip() and v for v in fields.values())
        for field, v in fields.items():
            value = given_.get(field, ...)
            expected = value.get(other, ...) if isinstance(value, dict) else ...
            if expected is ...:
                expected = current[other][field]
            assert v == expected.strip()
