"""Every string a person can read is marked and translated into French and Dutch."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
# Every language the app offers besides English, the language of the msgids.
TRANSLATED = ("fr", "nl")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w+\}")


def extracted_ids() -> set[str]:
    ids = set()
    method_map = [("boostcamp/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS, directory_filter=lambda d: not Path(d).name.startswith((".", "node_modules"))
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def catalogue(language: str):
    with open(ROOT / f"boostcamp/translations/{language}/LC_MESSAGES/messages.po", "rb") as f:
        return read_po(f, locale=language)


def is_translated(message) -> bool:
    strings = (message.string,) if isinstance(message.string, str) else message.string
    return bool(message.id) and "fuzzy" not in message.flags and all(strings)


def test_the_app_offers_every_translated_language():
    from boostcamp.config import Config

    assert set(TRANSLATED) | {"en"} == set(Config.LANGUAGES)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_string_is_translated(language):
    translated = {(m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue(language) if is_translated(m)}
    missing = sorted(extracted_ids() - translated)
    assert missing == [], f"translate these in {language}/messages.po: " + repr(missing)
    assert len(translated) > 50


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for m in catalogue(language):
        if not is_translated(m):
            continue
        ids = (m.id,) if isinstance(m.id, str) else m.id
        strings = (m.string,) if isinstance(m.string, str) else m.string
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            # A singular may leave the number out ("une place"), never a named value.
            found = sorted(PLACEHOLDER.findall(string))
            if found != wanted and not (len(ids) > 1 and set(found) <= set(wanted)):
                wrong.append((ids[0], string))
    assert wrong == [], f"placeholders differ in {language}/messages.po: " + repr(wrong)


DUTCH_FAMILIAR = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)


def test_dutch_says_u_never_je():
    """One register for the centre's Flemish partners, funders and participants: the polite
    u/uw, never je/jij/jouw."""
    familiar = []
    for m in catalogue("nl"):
        strings = (m.string,) if isinstance(m.string, str) else m.string
        familiar += [s for s in strings if DUTCH_FAMILIAR.search(s or "")]
    assert familiar == []
