"""A Dutch reader sees an event's Dutch title, not its stored (French) one: in the subjects
of the mails about their sign-up, and on the staff and partner pages that list it."""

from boostcamp.auth.models import StaffRole
from boostcamp.events.models import EventKind
from boostcamp.registrations.models import RegistrationSource
from tests.factories import make_event, make_user, sign_up
from tests.registrations.helpers import mails

DUTCH_TITLE = {"nl": {"title": "Workshop pitchen"}}


def pitch_event(**kw):
    return make_event(title="Atelier pitch", kind=EventKind.WORKSHOP, city="Mons",
                      translations=DUTCH_TITLE, **kw)  # fmt: skip


def test_a_dutch_application_is_acknowledged_under_the_dutch_title(app):
    event = pitch_event(admission="application")
    sign_up(event, "lotte@example.be", language="nl")
    sign_up(event, "marie@example.be", language="fr")
    (dutch,) = mails("application_received", to="lotte@example.be")
    assert dutch.subject == "Uw kandidatuur voor Workshop pitchen"
    (french,) = mails("application_received", to="marie@example.be")
    assert "Atelier pitch" in french.subject and "Workshop" not in french.subject


def test_someone_registered_by_staff_is_told_under_the_dutch_title(app):
    event = pitch_event()
    sign_up(event, "lotte@example.be", language="nl", source=RegistrationSource.STAFF,
            asserted_by="Staff <staff@centre.be>", registered_by="Staff (MIC Mons)")  # fmt: skip
    (notice,) = mails("registration_notice", to="lotte@example.be")
    assert notice.subject == "U bent ingeschreven voor Workshop pitchen"


def dutch_staff(client, auth):
    user = make_user(role=StaffRole.STAFF)
    auth.login(user.email)
    client.get("/lang/nl")


def test_a_dutch_staff_member_sees_the_dutch_title_in_lists_and_headings(app, client, auth):
    event = pitch_event()
    sign_up(event, "lotte@example.be", language="nl")
    dutch_staff(client, auth)
    for path in (f"/staff/events/{event.slug}", f"/staff/events/{event.slug}/registrations",
                 f"/staff/events/{event.slug}/attendance"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "Workshop pitchen" in html and "Atelier pitch" not in html, path
    html = client.get(f"/staff/events/{event.slug}/registrations").get_data(as_text=True)
    assert "Inschrijvingen: Workshop pitchen" in html
    # The edit form keeps the stored texts, each in its own language.
    form = client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True)
    assert "Atelier pitch" in form


def test_a_title_not_in_dutch_is_marked_as_french(app, client, auth):
    event = make_event(title="Atelier pitch", kind=EventKind.WORKSHOP, city="Mons")
    dutch_staff(client, auth)
    html = client.get(f"/staff/events/{event.slug}/registrations").get_data(as_text=True)
    assert 'Inschrijvingen: <span lang="fr">Atelier pitch</span>' in html
    assert "<title>Inschrijvingen: Atelier pitch" in html  # no markup within <title>
