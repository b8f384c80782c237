"""GET /api/v1/impact: the dashboard's figures for the partners' own systems."""

import pytest

from tests.api.helpers import bearer, make_token
from tests.outcomes.helpers import world

# Both engines: the impact figures are computed in SQL, per dialect.
pytestmark = pytest.mark.both_engines

PERIOD = {"from": "2010-01-01", "to": "2010-12-31"}


def test_the_centre_token_sees_every_outcome(app, client):
    w = world()
    body = client.get("/api/v1/impact", query_string=PERIOD,
                      headers=bearer(make_token(w["centre"]))).get_json()  # fmt: skip
    totals = ("startups", "jobs", "jobs_fte", "certifications", "participants")
    assert [body[k] for k in totals] == [2, 8, 7.0, 1, 2]
    assert body["from"] == "2010-01-01" and body["to"] == "2010-12-31"
    assert body["by_kind"]["boostcamp"] == {"startups": 1, "jobs": 5, "jobs_fte": 4.5,
                                            "certifications": 0, "participants": 1}  # fmt: skip
    assert set(body["by_partner"]) == {w["centre"].slug, w["a"].slug, w["b"].slug}
    assert body["by_city"]["Namur"]["certifications"] == 1
    assert "fondateurs y a participé" in body["rule"]


def test_a_partner_token_sees_only_its_own_events_outcomes(app, client):
    w = world()
    body = client.get("/api/v1/impact", query_string=PERIOD,
                      headers=bearer(make_token(w["a"]))).get_json()  # fmt: skip
    totals = ("startups", "jobs", "certifications", "participants")
    assert [body[k] for k in totals] == [1, 5, 0, 1]
    assert set(body["by_partner"]) == {w["centre"].slug, w["a"].slug}
    assert set(body["by_city"]) == {"Louvain-la-Neuve"}


def test_bad_dates_are_json_field_errors(app, client):
    w = world()
    headers = bearer(make_token(w["centre"]))
    response = client.get("/api/v1/impact", query_string={"from": "2010-02-30"}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"] == "validation_failed"
    assert set(response.get_json()["fields"]) == {"from"}
    response = client.get("/api/v1/impact", query_string={"from": "2011-01-01", "to": "2010-01-01"},
                          headers=headers)  # fmt: skip
    assert response.status_code == 422 and set(response.get_json()["fields"]) == {"to"}
    assert client.get("/api/v1/impact").status_code == 401
