"""Forms driven with arbitrary text (hypothesis): NUL and control characters, 100,000
characters, right-to-left scripts, emoji, combining marks. Whatever is typed, the answer is
never a 5xx, and a form that is not accepted saves nothing. Bounded: a few dozen examples
per form. (Lone surrogates cannot travel in a form: a browser sends U+FFFD instead; the API
gets them and refuses them, tests/core/test_hostile_input.py.)"""

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boostcamp.auth.models import StaffRole
from boostcamp.events.models import Event, EventSession
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.registrations.models import Person, Registration
from tests.events.test_staff_views import event_data
from tests.factories import make_centre, make_event, make_user

MAX_EXAMPLES = 25
BOUNDED = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))  # fmt: skip

TYPED = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
NASTY = st.sampled_from([
    "\x00", "Ma\x00rie", "\x07\x1b[31m", "Marie\r\nBcc: x@example.be", "x" * 100_000,
    "مريم الحسيني", "שלום \u202eevil\u202c", "🎉🚀👩‍💻", "e\u0301\u0301\u0301", "\ufeff", "\ufffd",
    " ", "", "0", "-1", "99999999999999999999", "NaN", "<script>alert(1)</script>", "' OR 1=1 --",
])  # fmt: skip
TEXT = st.one_of(TYPED, NASTY)


def counts(*models) -> tuple[int, ...]:
    db.session.rollback()  # a fresh read
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models)


# Slow by design: hypothesis types many generated texts into the form (BOUNDED).
def test_public_sign_up_with_any_text(app, client):
    slug = make_event(capacity=1000).slug
    emails = iter(range(10**6))

    @BOUNDED
    @given(field=st.sampled_from(["first_name", "last_name", "email", "organisation", "phone"]),
           value=TEXT)  # fmt: skip
    def sign_up(field, value):
        before = counts(Person, Registration)
        data = {"first_name": "Marie", "last_name": "Dupont",
                "email": f"p{next(emails)}@example.be", "organisation": "ACME",
                "phone": "+32 65 00 00 00", "profile": "student", "consent": "y",
                field: value}  # fmt: skip
        response = client.post(f"/events/{slug}/register", data=data)
        assert response.status_code < 500
        if response.status_code != 302:
            assert counts(Person, Registration) == before

    sign_up()


@pytest.fixture
def staff(app, auth):
    make_centre()
    make_user("admin@mic.test", role=StaffRole.ADMIN)
    auth.login("admin@mic.test")


# Slow by design: hypothesis types many generated texts into the form (BOUNDED).
def test_staff_event_form_with_any_text(client, staff):
    @BOUNDED
    @given(field=st.sampled_from(["title", "city", "venue", "address", "summary", "description",
                                  "capacity", "sessions-0-title", "slug", "title_nl",
                                  "summary_en", "description_nl", "language"]),
           value=TEXT)  # fmt: skip
    def new_event(field, value):
        before = counts(Event, EventSession)
        response = client.post("/staff/events/new", data=event_data(**{field: value}))
        assert response.status_code < 500
        if response.status_code != 302:
            assert counts(Event, EventSession) == before

    new_event()


# Slow by design: hypothesis types many generated texts into the form (BOUNDED).
def test_staff_organisation_form_with_any_text(client, staff):
    names = iter(range(10**6))

    @BOUNDED
    @given(field=st.sampled_from(["name", "city", "website", "description"]), value=TEXT)
    def new_organisation(field, value):
        before = counts(Organisation)
        data = {"name": f"Plateforme {next(names)}", "kind": "platform", "city": "Mons",
                "website": "", "description": "", field: value}  # fmt: skip
        response = client.post("/staff/organisations/new", data=data)
        assert response.status_code < 500
        if response.status_code != 302:
            assert counts(Organisation) == before

    new_organisation()
