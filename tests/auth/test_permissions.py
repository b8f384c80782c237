"""One permission check for everything: a matrix of who may do what to which event."""

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.policy import Action, can, events_filter
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from tests.factories import make_centre, make_event, make_org, make_user

EVENT_ACTIONS = [Action.VIEW_EVENT, Action.EDIT_EVENT, Action.PUBLISH_EVENT, Action.VIEW_PARTICIPANTS, Action.CHECK_IN]

# Who may do what on an event co-organised by partner A (and not by partner B).
EXPECTED = {
    "admin": set(EVENT_ACTIONS),
    "staff": set(EVENT_ACTIONS),
    "a_manager": {Action.VIEW_EVENT, Action.EDIT_EVENT, Action.VIEW_PARTICIPANTS, Action.CHECK_IN},
    "a_checkin": {Action.VIEW_EVENT, Action.CHECK_IN},
    "b_manager": set(),
    "b_checkin": set(),
    "no_role": set(),
}


@pytest.fixture
def world(app):
    centre = make_centre()
    a, b = make_org("Partner A"), make_org("Partner B")
    users = {
        "admin": make_user(role=StaffRole.ADMIN),
        "staff": make_user(role=StaffRole.STAFF),
        "a_manager": make_user(org=a, org_role=MemberRole.MANAGER),
        "a_checkin": make_user(org=a, org_role=MemberRole.CHECKIN),
        "b_manager": make_user(org=b, org_role=MemberRole.MANAGER),
        "b_checkin": make_user(org=b, org_role=MemberRole.CHECKIN),
        "no_role": make_user(),
    }
    event_a = make_event(host=centre, co_organisers=[a], title="A's Boostcamp")
    event_centre = make_event(host=centre, title="Centre only")
    return users, event_a, event_centre


@pytest.mark.parametrize("who", list(EXPECTED))
def test_event_permission_matrix(world, who):
    users, event_a, event_centre = world
    user = users[who]
    for action in EVENT_ACTIONS:
        assert can(user, action, event_a) == (action in EXPECTED[who]), (who, action)
        centre_staff = who in ("admin", "staff")
        assert can(user, action, event_centre) == centre_staff, (who, action, "centre event")


@pytest.mark.parametrize("who", list(EXPECTED))
def test_lists_follow_the_same_rule(world, who):
    users, event_a, event_centre = world
    user = users[who]
    for action in (Action.VIEW_EVENT, Action.VIEW_PARTICIPANTS):
        visible = set(db.session.scalars(sa.select(Event.slug).where(events_filter(user, action))))
        expected = {e.slug for e in (event_a, event_centre) if can(user, action, e)}
        assert visible == expected, (who, action)


def test_only_admins_manage_accounts_and_nobody_anonymous_does_anything(world):
    users, event_a, _ = world
    assert can(users["admin"], Action.MANAGE_USERS)
    assert not can(users["staff"], Action.MANAGE_USERS)
    assert not can(users["a_manager"], Action.MANAGE_ALL)
    assert not can(None, Action.VIEW_EVENT, event_a)


def test_partner_manager_proposes_but_check_in_member_does_not(world):
    users, *_ = world
    assert can(users["a_manager"], Action.PROPOSE_EVENT)
    assert not can(users["a_checkin"], Action.PROPOSE_EVENT)


def test_a_cancelled_event_is_no_longer_edited_by_partners(world):
    users, event_a, _ = world
    event_a.status = EventStatus.CANCELLED
    db.session.commit()
    assert not can(users["a_manager"], Action.EDIT_EVENT, event_a)
    assert can(users["staff"], Action.EDIT_EVENT, event_a)


def test_a_deactivated_account_may_do_nothing(world):
    users, event_a, _ = world
    users["admin"].active = False
    assert not can(users["admin"], Action.VIEW_EVENT, event_a)
