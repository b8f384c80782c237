"""Every string a person can read is marked and translated into French."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}


def extracted_ids() -> set[str]:
    ids = set()
    method_map = [("boostcamp/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS, directory_filter=lambda d: not Path(d).name.startswith((".", "node_modules"))
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_marked_string_has_a_french_translation():
    with open(ROOT / "boostcamp/translations/fr/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f, locale="fr")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and "fuzzy" not in m.flags and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(extracted_ids() - translated)
    assert missing == [], "translate these in messages.po (make extract-messages): " + repr(missing)
    assert len(translated) > 50
