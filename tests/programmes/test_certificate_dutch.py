"""A programme certificate in Dutch lists the programme's events by their Dutch titles."""

from boostcamp.core.extensions import db
from boostcamp.programmes import certificates
from tests.outcomes.test_certificates import pdf_text
from tests.programmes.test_certificates import attend, entry  # noqa: F401 (the fixture)


def test_a_dutch_programme_certificate_lists_the_events_in_dutch(client, entry):  # noqa: F811
    attend(entry, "Boostcamp", 0)
    attend(entry, "Atelier")
    for event in entry.programme.events:
        if event.title == "Atelier":
            event.translations = {"nl": {"title": "Workshop"}}
    db.session.commit()
    achievement = certificates.achievement_of(entry)
    text = pdf_text(certificates.certificate_pdf(achievement, "https://x.test/v", "nl"))
    assert "Workshop" in text and "Atelier" not in text
