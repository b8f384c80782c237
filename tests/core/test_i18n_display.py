"""What pages write: French elision once a name is in ("l’inscription d’Inès", not "de Inès"),
and a day with its time in words ("7 déc. 2026, 09:30", never "12/7/26")."""

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
    ("fr", "7 déc. 2026, 09:30"), ("nl", "7 dec 2026, 09:30"), ("en", "Dec 7, 2026, 9:30\u202fAM"),
])  # fmt: skip
def test_a_day_and_time_has_its_day_in_words(language, expected):
    from datetime import datetime, timezone

    from boostcamp.core.i18n import local_datetime

    with force_locale(language):
        assert local_datetime(datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc), "day_time") \
            == expected
