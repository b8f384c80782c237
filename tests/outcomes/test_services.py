"""Recording start-ups, members, jobs and certifications: what staff and imports go through."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from boostcamp.core.zones import centre_today
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import targets
from boostcamp.outcomes.records import services as outcomes
from boostcamp.outcomes.records.kbo import format_enterprise_number, validate_enterprise_number
from boostcamp.outcomes.records.models import JobsSnapshot, StartupRole, StartupStatus
from tests.factories import (
    make_certification,
    make_event,
    make_jobs_snapshot,
    make_person,
    make_startup,
)


@pytest.mark.parametrize(
    "raw", ["0123.456.749", "BE 0123 456 749", "123456749", "be0123456749", " 0123-456-749 "]
)
def test_enterprise_numbers_are_accepted_in_their_usual_spellings(raw):
    assert validate_enterprise_number(raw) == "0123456749"
    assert format_enterprise_number("0123456749") == "0123.456.749"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("0123.456.748", "not valid"),  # check digits off by one
        ("2123.456.749", "starts with 0 or 1"),
        ("12345", "10 digits"),
        ("0123.456.74A", "10 digits"),
        ("", "10 digits"),
    ],
)
def test_a_wrong_enterprise_number_says_what_is_wrong(app, raw, message):
    with pytest.raises(ValidationFailed) as e:
        validate_enterprise_number(raw)
    assert message in e.value.errors["enterprise_number"]


def test_a_startup_is_stored_with_its_number_normalised(app):
    startup = outcomes.create_startup(
        name="  Wallonie Apps ", enterprise_number="BE 0123 456 749", founded_on=date(2010, 5, 1)
    )
    db.session.commit()
    assert startup.name == "Wallonie Apps"
    assert startup.enterprise_number == "0123456749"
    assert startup.enterprise_number_display == "0123.456.749"
    assert startup.status == StartupStatus.ACTIVE


def test_a_startup_with_bad_fields_gets_every_error_at_once(app):
    make_startup(enterprise_number="0123456749")
    with pytest.raises(ValidationFailed) as e:
        outcomes.create_startup(
            name="",
            enterprise_number="0123.456.749",
            founded_on=centre_today() + timedelta(days=1),  # the centre's tomorrow
            supported_from=date(2011, 1, 1),
            supported_until=date(2010, 1, 1),
        )
    assert set(e.value.errors) == {"name", "enterprise_number", "founded_on", "supported_until"}
    assert "Another start-up" in e.value.errors["enterprise_number"]


def test_updating_a_startup_keeps_its_own_number(app):
    startup = make_startup(enterprise_number="0123456749")
    outcomes.update_startup(startup, enterprise_number="0123.456.749", status="closed",
                            status_since=date(2012, 1, 1))  # fmt: skip
    db.session.commit()
    assert startup.status == StartupStatus.CLOSED
    with pytest.raises(ValidationFailed) as e:
        outcomes.update_startup(startup, status_since=date(2000, 1, 1))
    assert "status_since" in e.value.errors


def test_members_are_founders_or_team_and_join_once(app):
    startup, person = make_startup(), make_person()
    member = outcomes.add_member(startup, person, "founder", started_on=date(2010, 6, 1))
    db.session.commit()
    assert member.role == StartupRole.FOUNDER and startup.founders == [member]
    with pytest.raises(ValidationFailed) as e:
        outcomes.add_member(startup, person, StartupRole.TEAM_MEMBER)
    assert "already" in e.value.errors["person"]
    with pytest.raises(ValidationFailed) as e:
        outcomes.add_member(999999, 999999, "boss", date(2011, 1, 1), date(2010, 1, 1))
    assert set(e.value.errors) == {"startup", "person", "role", "ended_on"}


def test_jobs_are_counted_per_day_and_never_negative(app):
    startup = make_startup(founded_on=date(2010, 1, 1))
    make_jobs_snapshot(startup, date(2011, 1, 1), 4, "3,5")
    make_jobs_snapshot(startup, date(2011, 1, 1), 5, 4)  # the same day again: replaced
    snapshots = db.session.scalars(sa.select(JobsSnapshot)).all()
    assert [(s.headcount, s.fte) for s in snapshots] == [(5, Decimal("4.00"))]
    assert make_jobs_snapshot(startup, date(2011, 6, 1), 2).fte == Decimal("2.00")

    with pytest.raises(ValidationFailed) as e:
        outcomes.record_jobs(startup, date(2011, 2, 1), -1, -0.5)
    assert set(e.value.errors) == {"headcount", "fte"}
    with pytest.raises(ValidationFailed) as e:
        outcomes.record_jobs(startup, date(2009, 1, 1), 2, 3)
    assert set(e.value.errors) == {"on", "fte"}
    with pytest.raises(ValidationFailed) as e:
        outcomes.record_jobs(424242, date(2011, 1, 1), 1, 1)
    assert e.value.errors == {"startup": "No such start-up."}


def test_a_certification_needs_a_person_a_name_an_issuer_and_a_past_date(app):
    exam = make_event(kind="certification_exam", starts_at=None)
    certification = make_certification(obtained_on=date(2011, 3, 1))
    assert certification.issuer == "Microsoft"
    with pytest.raises(ValidationFailed) as e:
        outcomes.add_certification(None, " ", None, "", centre_today() + timedelta(days=2))
    assert set(e.value.errors) == {"person", "name", "issuer", "obtained_on"}
    with pytest.raises(ValidationFailed) as e:  # obtained before the exam took place
        outcomes.add_certification(make_person(), "MCP", None, "Microsoft", date(2011, 1, 1), exam)
    assert set(e.value.errors) == {"obtained_on"}


def test_targets_have_a_metric_a_value_and_a_period(app):
    target = targets.create_target(label="Emplois 2012–2014", metric="jobs", value=300,
                                    period_from=date(2012, 1, 1),
                                    period_to=date(2014, 12, 31))  # fmt: skip
    db.session.commit()
    assert target.value == 300
    with pytest.raises(ValidationFailed) as e:
        targets.create_target(label="", metric="smiles", value=-1,
                               period_from=date(2014, 1, 1),
                               period_to=date(2012, 1, 1))  # fmt: skip
    assert set(e.value.errors) == {"label", "metric", "value", "period_to"}
