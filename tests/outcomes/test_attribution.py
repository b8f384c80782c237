"""The attribution rule, clause by clause, with its boundaries."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from boostcamp.checkin.models import CheckIn, CheckInKind
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Event, EventKind, EventSession
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import attribution
from boostcamp.outcomes.impact.attribution import Rule, credited_certifications, credited_startups
from boostcamp.outcomes.records import services as outcomes
from boostcamp.outcomes.records.models import StartupRole
from tests.factories import (
    make_certification,
    make_check_in,
    make_org,
    make_person,
    make_registration,
    make_startup,
)
from tests.outcomes.helpers import attend, past_event

# Both engines: dates and hours computed in SQL, compiled per dialect.
pytestmark = pytest.mark.both_engines

RULE = Rule()


def startup_credits(rule=RULE, where=sa.true()) -> set[tuple[int, int]]:
    return set(db.session.execute(credited_startups(rule, where)).all())


def certification_credits(rule=RULE, where=sa.true()) -> set[tuple[int, int]]:
    return set(db.session.execute(credited_certifications(rule, where)).all())


def test_an_event_attended_up_to_24_months_before_founding_is_credited(app):
    exactly = past_event(date(2008, 6, 1))
    one_day_more = past_event(date(2008, 5, 31))
    founding_day = past_event(date(2010, 6, 1), sessions=1)
    founder = make_person()
    for event in (exactly, one_day_more, founding_day):
        attend(event, founder)
    startup = make_startup(founders=[founder], founded_on=date(2010, 6, 1))
    assert startup_credits() == {(startup.id, exactly.id), (startup.id, founding_day.id)}
    # Staff make the window shorter: the two-year-old event no longer counts.
    assert startup_credits(Rule(startup_months=23)) == {(startup.id, founding_day.id)}


def test_an_event_attended_after_founding_counts_only_while_supported(app):
    founder = make_person()
    before_support = past_event(date(2010, 9, 1))
    first_day = past_event(date(2011, 1, 10))
    last_day = past_event(date(2011, 12, 31), sessions=1)
    after_support = past_event(date(2012, 1, 1), sessions=1)
    for event in (before_support, first_day, last_day, after_support):
        attend(event, founder)
    startup = make_startup(
        founders=[founder], founded_on=date(2010, 6, 1),
        supported_from=date(2011, 1, 10), supported_until=date(2011, 12, 31),
    )  # fmt: skip
    assert startup_credits() == {(startup.id, first_day.id), (startup.id, last_day.id)}

    outcomes.update_startup(startup, supported_until=None)  # still supported today
    assert startup_credits() == {(startup.id, e.id) for e in (first_day, last_day, after_support)}
    outcomes.update_startup(startup, supported_from=None)  # never supported
    assert startup_credits() == set()


def test_only_founders_bring_credit_not_team_members(app):
    event = past_event(date(2010, 3, 1))
    founder, team_member = attend(event), attend(past_event(date(2010, 4, 1)))
    startup = make_startup(founded_on=date(2010, 6, 1))
    outcomes.add_member(startup, team_member, StartupRole.TEAM_MEMBER)
    db.session.commit()
    assert startup_credits() == set()
    outcomes.add_member(startup, founder, StartupRole.FOUNDER)
    db.session.commit()
    assert startup_credits() == {(startup.id, event.id)}


def test_half_of_the_sessions_is_attending_49_percent_is_not(app):
    event = past_event(date(2010, 1, 4), sessions=0)
    event.sessions.extend(_session(event, i) for i in range(100))  # a hundred short sessions
    db.session.commit()
    half, almost = make_person(), make_person()
    _check_in(event, half, 50)
    _check_in(event, almost, 49)
    first, second = (
        make_startup(founders=[p], founded_on=date(2010, 6, 1)) for p in (half, almost)
    )
    assert startup_credits() == {(first.id, event.id)}
    assert startup_credits(Rule(min_attendance_percent=49)) == {
        (first.id, event.id), (second.id, event.id)
    }


def _session(event, i):
    start = event.starts_at + timedelta(minutes=i)
    return EventSession(title=f"Soirée {i + 1}", starts_at=start, ends_at=start)


def _check_in(event, person, n):
    registration = make_registration(event, person)
    for session in event.sessions[:n]:
        make_check_in(registration, session)


def test_an_event_without_agenda_is_one_session_and_an_undone_check_in_does_not_count(app):
    event = past_event(date(2010, 2, 1), sessions=0)
    founder = attend(event)
    startup = make_startup(founders=[founder], founded_on=date(2010, 6, 1))
    assert startup_credits() == {(startup.id, event.id)}

    entry = db.session.scalars(sa.select(CheckIn)).one()
    make_check_in(entry.registration, kind=CheckInKind.UNDO, undoes_id=entry.id)
    assert startup_credits() == set()


def test_a_certification_is_credited_to_trainings_in_the_12_months_before(app):
    person = make_person()
    exactly = past_event(date(2010, 3, 15), kind=EventKind.TRAINING)
    one_day_more = past_event(date(2010, 3, 14), kind=EventKind.TRAINING)
    boostcamp = past_event(date(2010, 10, 4), kind=EventKind.BOOSTCAMP)
    workshop = past_event(date(2011, 3, 15), kind=EventKind.WORKSHOP, sessions=1)  # same day
    exam = past_event(date(2011, 3, 1), kind=EventKind.CERTIFICATION_EXAM, sessions=1)
    special = past_event(date(2011, 1, 5), kind=EventKind.SPECIAL_PROJECT, sessions=1)
    afterwards = past_event(date(2011, 3, 16), kind=EventKind.TRAINING, sessions=1)
    for event in (exactly, one_day_more, boostcamp, workshop, exam, special, afterwards):
        attend(event, person)
    certification = make_certification(person, obtained_on=date(2011, 3, 15))
    assert certification_credits() == {
        (certification.id, e.id) for e in (exactly, boostcamp, workshop)
    }
    assert certification_credits(Rule(certification_months=6)) == {
        (certification.id, e.id) for e in (boostcamp, workshop)
    }


def test_a_certification_needs_the_training_attended_by_the_same_person(app):
    training = past_event(date(2011, 1, 10))
    attend(training, sessions=2)
    absent = make_person()
    make_registration(training, absent)  # registered, never came
    partly = attend(training, sessions=0)
    make_certification(absent, obtained_on=date(2011, 3, 1))
    make_certification(partly, obtained_on=date(2011, 3, 1))
    assert certification_credits() == set()


def test_credits_can_be_limited_to_some_events(app):
    partner_a, partner_b = make_org("Partner A"), make_org("Partner B")
    of_a = past_event(date(2010, 1, 4), co_organisers=[partner_a])
    of_b = past_event(date(2010, 2, 1), co_organisers=[partner_b])
    founder = make_person()
    attend(of_a, founder)
    attend(of_b, founder)
    startup = make_startup(founders=[founder], founded_on=date(2010, 6, 1))
    only_a = Event.id.in_([of_a.id])
    assert startup_credits(where=only_a) == {(startup.id, of_a.id)}


def test_staff_change_the_rule_within_bounds(app):
    assert attribution.current_rule() == Rule(50, 24, 12)
    attribution.set_rule(min_attendance_percent=75, startup_months=36, certification_months=6)
    db.session.commit()
    assert attribution.current_rule() == Rule(75, 36, 6)
    with pytest.raises(ValidationFailed) as e:
        attribution.set_rule(min_attendance_percent=0, startup_months=-1, certification_months=1.5)
    assert set(e.value.errors) == set(attribution.SETTINGS)
