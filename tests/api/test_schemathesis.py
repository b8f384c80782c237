"""The partner API against its own OpenAPI document, property-based (schemathesis), in
process, with a partner's token, on both engines: no server error, no answer outside the
document, no invalid request accepted — every check but one. Bounded: a few examples per
operation, so the whole runs in seconds.

Left out: "a schema-valid request is accepted" (positive_data_acceptance). An event's rules
hold across fields (the end after the start, sessions within the event, organisers that
exist, a title that is not blank, dates 2000–2100, which JSON Schema cannot state for a
date-time), so a request can fit the document and still be refused with a 422 naming the
field; those rules have tests of their own (tests/core/test_hostile_input.py and others)."""

import pytest
import schemathesis
from flask.globals import _cv_app
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.helpers import make_token
from tests.factories import make_centre, make_event, make_org, make_registration

MAX_EXAMPLES = 25


def isolated(app):
    """Each request in an app context (and database session) of its own, as IsolatedClient,
    for the host the app serves (SERVER_NAME)."""

    def wsgi(environ, start_response):
        environ["HTTP_HOST"] = app.config["SERVER_NAME"]
        token = _cv_app.set(None)
        try:
            return app(environ, start_response)
        finally:
            _cv_app.reset(token)

    return wsgi


@pytest.fixture
def partner_token(app):
    make_centre()
    partner = make_org("Partner")
    event = make_event(partner, title="Atelier IA", capacity=10)
    make_registration(event)
    return make_token(partner)


# Slow by design: schemathesis sends generated requests to every API operation.
def test_the_api_keeps_to_its_document(app, partner_token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated(app))
    headers = {"Authorization": f"Bearer {partner_token}"}
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def keeps_to_the_document(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            keeps_to_the_document()
        except BaseException as e:  # noqa: BLE001 - every operation's failures, one report
            failures[operation.label] = str(e)[:3000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
