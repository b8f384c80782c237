"""The helpers that replaced repeated blocks (issue 17): each keeps what the copies did."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from flask import get_flashed_messages
from werkzeug.exceptions import NotFound as HTTPNotFound
from wtforms import StringField

from boostcamp.core import inputs
from boostcamp.core.forms import FlaskForm, refusal_flashed, refusal_onto
from boostcamp.core.web import missing_is_404, owned_or_404
from boostcamp.core.errors import Conflict, NotFound, ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.events.models import EventKind
from boostcamp.outcomes.certificates.services import number_from_code, signed_code
from boostcamp.registrations.models import Registration
from tests.factories import make_event, make_registration


class NameForm(FlaskForm):
    name = StringField()


def test_refusal_onto_puts_the_errors_on_the_form_and_lets_other_errors_through(app):
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        with refusal_onto(form, ValidationFailed):
            raise ValidationFailed({"name": "Too long."})
        assert form.name.errors == ["Too long."]
        with pytest.raises(Conflict), refusal_onto(form, ValidationFailed):
            raise Conflict("Taken.")
        with refusal_onto(form):  # any DomainError when no kind is given
            raise Conflict("Taken.")


def test_refusal_flashed_flashes_the_message_as_an_error(app):
    with app.test_request_context(method="POST"):
        with refusal_flashed(Conflict):
            raise Conflict("The offer expired.")
        assert get_flashed_messages(with_categories=True) == [("error", "The offer expired.")]
        with pytest.raises(ValidationFailed), refusal_flashed(Conflict):
            raise ValidationFailed({"name": "Too long."})


def test_missing_is_404_turns_only_not_found_into_a_404():
    with pytest.raises(HTTPNotFound):
        with missing_is_404():
            raise NotFound("No such event.")
    with pytest.raises(Conflict), missing_is_404():
        raise Conflict("Taken.")


def test_owned_or_404_refuses_a_row_of_another_event(app):
    mine, other = make_event(), make_event()
    registration = make_registration(other)
    db.session.commit()
    assert owned_or_404(Registration, registration.id, event_id=other.id) is registration
    with pytest.raises(HTTPNotFound):
        owned_or_404(Registration, registration.id, event_id=mine.id)
    with pytest.raises(HTTPNotFound):
        owned_or_404(Registration, registration.id + 1000, event_id=other.id)


@pytest.mark.parametrize(("value", "kept", "refused"), [
    (None, None, False), ("   ", None, False), (" Fine. ", "Fine.", False),
    ("two\nlines\tand a tab", "two\nlines\tand a tab", False),
    ("x" * 31, "x" * 31, True), ("bell\x07", "bell\x07", True),
])  # fmt: skip
def test_free_text_strips_and_refuses_too_long_or_control_characters(app, value, kept, refused):
    with app.test_request_context():
        text, problem = inputs.free_text(value, 30)
    assert text == kept
    assert bool(problem) is refused


@given(st.one_of(st.sampled_from(EventKind), st.sampled_from([k.value for k in EventKind]),
                st.text(), st.none(), st.integers(), st.lists(st.text())))  # fmt: skip
def test_is_choice_says_whether_a_value_names_a_member(value):
    names = {k.value for k in EventKind} | set(EventKind)
    assert inputs.is_choice(EventKind, value) is (not isinstance(value, list) and value in names)


def test_signed_codes_are_read_back_only_with_their_purpose_and_prefix(app):
    with app.app_context():
        code = signed_code("programme-certificate", "P", 42)
        assert code.startswith("P42-")
        assert number_from_code("programme-certificate", "P", code.lower()) == 42
        assert number_from_code("certificate", "P", code) is None
        assert number_from_code("programme-certificate", "", code) is None
        assert number_from_code("programme-certificate", "P", "P٤٢-" + code[4:]) is None
        assert number_from_code("certificate", "", signed_code("certificate", "", 7)) == 7
