"""The one place that answers "may this user do X to this event or organisation?".

Centre staff and admins may do everything on every event (admins also manage accounts).
Everybody else acts through memberships: a partner's `manager` works on the events that
its organisation hosts or co-organises, a `checkin` member only checks people in there.
Views, exports, the API and lists all ask here, so a partner never sees another
partner's events or participants.
"""

import enum

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from boostcamp.auth.models import MemberRole, User
from boostcamp.extensions import login_manager
from boostcamp.events.models import Event, EventOrganiser, EventStatus
from boostcamp.organisations.models import Organisation


class Action(enum.StrEnum):
    # on an event
    VIEW_EVENT = "view_event"  # its staff pages, drafts included
    EDIT_EVENT = "edit_event"
    PUBLISH_EVENT = "publish_event"
    VIEW_PARTICIPANTS = "view_participants"  # list, export, message
    CHECK_IN = "check_in"
    # on an organisation
    MANAGE_ORGANISATION = "manage_organisation"  # its details and members
    # global
    ACCESS_STAFF_AREA = "access_staff_area"
    PROPOSE_EVENT = "propose_event"
    MANAGE_ALL = "manage_all"  # organisations, outbox, settings
    MANAGE_USERS = "manage_users"


MEMBER_EVENT_ACTIONS = {
    MemberRole.MANAGER: {
        Action.VIEW_EVENT,
        Action.EDIT_EVENT,
        Action.VIEW_PARTICIPANTS,
        Action.CHECK_IN,
    },
    MemberRole.CHECKIN: {Action.VIEW_EVENT, Action.CHECK_IN},
}
EVENT_ACTIONS = {a for actions in MEMBER_EVENT_ACTIONS.values() for a in actions} | {
    Action.PUBLISH_EVENT
}


def _member_roles(user: User) -> dict[int, MemberRole]:
    return {m.organisation_id: m.role for m in user.memberships}


def _org_ids_allowed(user: User, action: Action) -> set[int]:
    return {
        org_id
        for org_id, role in _member_roles(user).items()
        if action in MEMBER_EVENT_ACTIONS.get(role, ())
    }


def can(user: User | None, action: Action, target: Event | Organisation | None = None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin:
        return True
    if user.is_centre_staff:
        return action != Action.MANAGE_USERS
    # A partner's member from here on.
    if action == Action.ACCESS_STAFF_AREA:
        return bool(user.memberships)
    if action == Action.PROPOSE_EVENT:
        return any(m.role == MemberRole.MANAGER for m in user.memberships)
    if action == Action.MANAGE_ORGANISATION and isinstance(target, Organisation):
        return _member_roles(user).get(target.id) == MemberRole.MANAGER
    if action in EVENT_ACTIONS and isinstance(target, Event):
        if action == Action.EDIT_EVENT and target.status == EventStatus.CANCELLED:
            return False
        organiser_ids = {o.organisation_id for o in target.organisers}
        return bool(organiser_ids & _org_ids_allowed(user, action))
    return False


def require(action: Action, target: Event | Organisation | None = None) -> None:
    """Stop the request unless the signed-in user may do this: 401 to sign in, else 403."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can(current_user, action, target):
        abort(403)


def events_filter(user: User, action: Action = Action.VIEW_EVENT) -> sa.ColumnElement[bool]:
    """The same rule as can(), as a WHERE clause for lists of events."""
    if user.is_centre_staff:
        return sa.true()
    org_ids = _org_ids_allowed(user, action)
    if not org_ids:
        return sa.false()
    return Event.id.in_(
        sa.select(EventOrganiser.event_id).where(EventOrganiser.organisation_id.in_(org_ids))
    )
