"""The demo's events read in Dutch and English too: a visitor choosing Nederlands sees the
titles, summaries and descriptions of the demo events in Dutch (plan only, no database)."""

from datetime import date, datetime, timezone

import pytest

from boostcamp.demo.data import plan

FRENCH_WORDS = (" le ", " les ", " des ", " pour ", " vous ", " avec ", " et ", "Atelier", "Formation")


@pytest.fixture(scope="module")
def planned():
    return plan(date(2026, 12, 7), datetime(2026, 12, 7, 9, tzinfo=timezone.utc)).events


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_demo_event_has_its_texts_in_each_language(planned, language):
    missing = [(e.slug, field) for e in planned for field in ("title", "summary", "description")
               if not (e.translations or {}).get(language, {}).get(field)]
    assert missing == []


def test_the_dutch_texts_are_not_french(planned):
    french = [(e.slug, text[:60]) for e in planned for text in e.translations["nl"].values()
              if any(word in f" {text} " for word in FRENCH_WORDS)]
    assert french == []
