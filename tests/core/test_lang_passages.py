"""A passage in another language than the page's carries `lang`, so that a screen reader
reads it with the right voice: a title that falls back to the event's or programme's own
language, also inside a sentence; the languages' own names (the menu's switch, the forms'
language choices and fieldsets). (The agenda's titles: tests/events/test_session_texts.py.)"""

import html

from boostcamp.auth.models import StaffRole
from tests.factories import make_centre, make_event, make_programme, make_user


def page(client, path: str, language: str) -> str:
    client.get(f"/lang/{language}")
    return html.unescape(client.get(path).get_data(as_text=True))


def test_the_language_switch_names_each_language_in_itself(client):
    text = page(client, "/", "fr")
    assert '<span class="nav-link active" aria-current="true" lang="fr">FR</span>' in text
    for code, name in (("nl", "Nederlands"), ("en", "English")):
        assert f'<a class="nav-link" lang="{code}" hreflang="{code}"' in text
        assert f'<span class="visually-hidden">{name}</span>' in text


def test_the_staff_forms_name_the_languages_in_themselves(client, auth):
    make_centre("MIC Mons")
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    form = page(client, "/staff/events/new", "en")
    assert '<option lang="fr" value="fr">Français</option>' in form
    assert '<option lang="nl" value="nl">Nederlands</option>' in form
    assert '<span lang="nl">Nederlands</span>' in form  # the Dutch texts' fieldset
    event = make_event(title="Atelier pitch")
    assert '<span lang="fr">Français</span>' in page(client, f"/staff/events/{event.slug}", "nl")
    programmes = page(client, "/staff/programmes/new", "nl")
    assert '<option lang="en" value="en">English</option>' in programmes
    assert '<span lang="en">English</span>' in programmes


def test_a_title_in_another_language_inside_a_sentence_is_marked(client):
    event = make_event(title="Atelier pitch")
    programme = make_programme([event], title="Parcours entrepreneur")
    text = page(client, f"/programmes/{programme.slug}/register", "nl")
    assert '<span lang="fr">Parcours entrepreneur</span>' in text
    fr = page(client, f"/programmes/{programme.slug}/register", "fr")
    assert 'lang="fr">Parcours' not in fr and "Parcours entrepreneur" in fr
