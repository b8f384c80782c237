"""What pages write: French elision once a name is in ("l’inscription d’Inès", not "de Inès"),
a day with its time in words ("7 déc. 2026, 09:30", never "12/7/26"), and the formats of the
centre's readers: Belgian French and Dutch, British English ("22 Feb 2027, 09:00")."""

import re

import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from boostcamp.core.i18n import elide

pytestmark = pytest.mark.usefixtures("app")


@pytest.mark.parametrize("before, after", [
    ("l’inscription de Inès Dubois", "l’inscription d’Inès Dubois"),
    ("Annuler l’entrée de Emma", "Annuler l’entrée d’Emma"),
    ("Membres de Euro Space Center", "Membres d’Euro Space Center"),
    ("Logo de Épicerie du Nord", "Logo d’Épicerie du Nord"),
    ("Retirer Anne de Atelier 5 ?", "Retirer Anne d’Atelier 5 ?"),
    ("De Anvers à Mons", "D’Anvers à Mons"),
    ("l’inscription de Hugo", "l’inscription de Hugo"),  # h: left alone
    ("l’inscription de Yasmine", "l’inscription de Yasmine"),  # y before a vowel: a consonant
    ("Membres de Mind & Market", "Membres de Mind & Market"),
    ("ouverture le 11 mars", "ouverture le 11 mars"),
    ("Vandeweghe est inscrite", "Vandeweghe est inscrite"),  # inside a word: nothing
])  # fmt: skip
def test_french_elides_before_a_vowel(before, after):
    with force_locale("fr"):
        assert elide(before) == after


def test_markup_stays_markup_and_other_languages_are_untouched():
    with force_locale("fr"):
        assert isinstance(elide(Markup("de <b>Emma</b>")), Markup)
    with force_locale("en"):
        assert elide("the registration of Emma") == "the registration of Emma"
    with force_locale("nl"):
        assert elide("de Eik") == "de Eik"


@given(st.text(alphabet="dequlaj EaéhyIo’'x", max_size=40))
def test_no_word_to_elide_is_left_before_a_vowel(text):
    with force_locale("fr"):
        out = elide(text)
    assert not re.search(r"(?<![\w’'])(de|que|le|la|je) [aeiouéI]", out, re.I)


@pytest.mark.parametrize("language, expected", [
    ("fr", "7 déc. 2026, 09:30"), ("nl", "7 dec 2026, 09:30"), ("en", "7 Dec 2026, 09:30"),
])  # fmt: skip
def test_a_day_and_time_has_its_day_in_words(language, expected):
    from datetime import datetime, timezone

    from boostcamp.core.i18n import local_datetime

    with force_locale(language):
        assert local_datetime(datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc), "day_time") \
            == expected



@pytest.mark.parametrize("language, short, full, hour, number", [
    # Belgian: days and months with slashes (nl "22-02-2027" and fr "22/02/2027" elsewhere)
    ("fr", "22/02/27 09:00", "lundi 22 février 2027", "9 h", "12\u202f345,5"),
    ("nl", "22/02/2027, 09:00", "maandag 22 februari 2027", "9 uur", "12.345,5"),
    # British: the day first and 24-hour time, not the US "2/22/27, 9:00 AM"
    ("en", "22/02/2027, 09:00", "Monday, 22 February 2027", "09:00", "12,345.5"),
])  # fmt: skip
def test_each_language_writes_in_its_belgian_or_british_form(language, short, full, hour, number):
    from datetime import datetime, timezone

    from boostcamp.core.i18n import local_date, local_datetime, local_hour, local_number

    moment = datetime(2027, 2, 22, 8, 0, tzinfo=timezone.utc)
    with force_locale(language):
        assert local_datetime(moment, "short", "Europe/Brussels") == short
        assert local_date(moment, "full", "Europe/Brussels") == full
        assert local_hour(moment, "Europe/Brussels") == hour
        assert local_number(12345.5) == number


@pytest.mark.parametrize("language, label", [
    ("fr", "heure d’Europe centrale, Bruxelles"),
    ("nl", "Midden-Europese tijd, Brussel"),
    ("en", "Central European Time, Brussels"),
])  # fmt: skip
def test_a_time_zone_is_named_in_the_readers_language(language, label):
    from boostcamp.core.i18n import zone_label

    with force_locale(language):
        assert zone_label("Europe/Brussels") == label


def test_pages_keep_their_language_and_catalogue_while_dates_are_regional(client):
    """The page's lang stays "nl" (BCP 47), its words come from the nl catalogue, and its
    dates are nl_BE's; an English page writes "22 February 2027" and 09:00, never 9:00 AM."""
    from datetime import datetime, timezone

    from tests.factories import make_event

    nine = datetime(2027, 2, 22, 8, 0, tzinfo=timezone.utc)
    day = make_event(title="Atelier", starts_at=nine)
    days = make_event(title="Camp", starts_at=nine, days=2)
    pages = {}
    for language in ("fr", "nl", "en"):
        client.get(f"/lang/{language}")
        pages[language] = [client.get(f"/events/{e.slug}").get_data(as_text=True)
                           for e in (day, days)]
    (en, en_days), (nl, nl_days), (fr, fr_days) = pages["en"], pages["nl"], pages["fr"]
    assert '<html lang="en"' in en and "Monday, 22 February 2027, 09:00–18:00" in en
    assert "22 Feb 2027 – 23 Feb 2027" in en_days and "AM" not in en + en_days
    assert '<html lang="nl"' in nl and "Inschrijven" in nl
    assert "maandag 22 februari 2027, 09:00–18:00" in nl and "22 feb 2027 – 23 feb 2027" in nl_days
    assert "Midden-Europese tijd, Brussel" in nl
    assert '<html lang="fr"' in fr and "lundi 22 février 2027, 09:00–18:00" in fr
    assert "22 févr. 2027 – 23 févr. 2027" in fr_days


@pytest.mark.parametrize("header, lang, words", [
    ("nl-BE", "nl", "Inschrijven"), ("fr-BE", "fr", "S’inscrire"), ("en-GB", "en", "Register"),
])  # fmt: skip
def test_a_regional_browser_language_picks_its_catalogue(client, header, lang, words):
    """A Belgian or British browser (nl-BE, fr-BE, en-GB only) gets the nl, fr, en catalogue."""
    from tests.factories import make_event

    event = make_event(title="Atelier")
    page = client.get(f"/events/{event.slug}", headers={"Accept-Language": header})
    assert f'<html lang="{lang}"' in page.get_data(as_text=True)
    assert words in page.get_data(as_text=True)
