"""The permission policy, as every floor asks it: `can(actor, Action.X, target)`, `require()`
for the signed-in user, and the SQL twins of can() for lists (events_filter …).

The rules live in one place, boostcamp/policy/rules.py. They know every domain, so they sit on
top and no domain imports them: create_app() installs them here (install), and a domain asks
through this module without importing a floor above its own. An actor is a User or an ApiToken
(auth.models), or None; a target an Event, an Organisation, a Programme or nothing.
"""

import enum
from types import ModuleType

from flask import abort
from flask_login import current_user

from boostcamp.core.extensions import login_manager


class Action(enum.StrEnum):
    # on an event
    VIEW_EVENT = "view_event"  # its staff pages, drafts and history included
    EDIT_EVENT = "edit_event"  # details, agenda, co-organisers
    PUBLISH_EVENT = "publish_event"  # publish, cancel
    DUPLICATE_EVENT = "duplicate_event"  # a next edition, as a draft with the same organisers
    VIEW_PARTICIPANTS = "view_participants"  # list, export, message
    CHECK_IN = "check_in"
    # The impact dashboard: on an event, its outcomes are credited to that event; without
    # one, the dashboard itself (a partner's covers only its own events: events_filter).
    VIEW_IMPACT = "view_impact"
    # Applications to an event with admission by application: read and score them; decide
    # (accept, reject, wait-list), choose the criteria, send the held decisions.
    REVIEW_APPLICATIONS = "review_applications"
    DECIDE_APPLICATIONS = "decide_applications"
    # on an organisation
    MANAGE_ORGANISATION = "manage_organisation"  # its details and members
    # global
    ACCESS_STAFF_AREA = "access_staff_area"
    PROPOSE_EVENT = "propose_event"  # create a draft for one's platform
    # Who hosts and co-organises an event: the centre's decision alone. A partner's proposal
    # is always hosted by the centre and co-organised by that partner.
    CHOOSE_ORGANISERS = "choose_organisers"
    # Check-ins outside an event's attendance window (corrections of the past): the centre's
    # alone, since attendance credits start-ups, jobs and certifications to organisers.
    RECORD_PAST_ATTENDANCE = "record_past_attendance"
    # on a programme (a path of events): a partner's manager views and edits the programmes
    # its organisation co-organises; creating, publishing and cancelling is the centre's.
    VIEW_PROGRAMME = "view_programme"  # its staff pages, progress grid included
    EDIT_PROGRAMME = "edit_programme"  # details and events
    PUBLISH_PROGRAMME = "publish_programme"  # publish, cancel
    CREATE_PROGRAMME = "create_programme"
    MANAGE_ALL = "manage_all"  # organisations, outbox, settings, API tokens
    MANAGE_USERS = "manage_users"
    MANAGE_OUTCOMES = "manage_outcomes"  # start-ups, jobs, certifications, imports, surveys
    VIEW_STARTUPS = "view_startups"  # read start-ups (a partner: see startups_filter)
    # People across every organiser, their consents, erasure and retention, the register of
    # processing (/staff/people, /staff/privacy): the controller's, so the centre's alone.
    MANAGE_PRIVACY = "manage_privacy"


_rules: ModuleType | None = None


def install(rules: ModuleType) -> None:
    """Answer with these rules (boostcamp.policy.rules): the app factory's call."""
    global _rules
    _rules = rules


def _installed() -> ModuleType:
    if _rules is None:
        raise RuntimeError("no permission policy: create_app() installs boostcamp.policy.rules")
    return _rules


def can(actor, action: Action, target=None) -> bool:
    return _installed().can(actor, action, target)


def require(action: Action, target=None) -> None:
    """Stop the request unless the signed-in user may do this: sign in first, else 403."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can(current_user, action, target):
        abort(403)


def event_or_404(slug: str, action: Action):
    """The event a staff page works on: 404 when it does not exist or the user may not see
    it (as if it did not exist), then 403 unless they may do `action` to it."""
    return _installed().event_or_404(slug, action)


def programme_or_404(slug: str, action: Action):
    """The programme a staff page works on, as event_or_404."""
    return _installed().programme_or_404(slug, action)


def events_filter(actor, action: Action = Action.VIEW_EVENT):
    """The same rule as can(), as a WHERE clause for lists of events."""
    return _installed().events_filter(actor, action)


def programmes_filter(actor):
    """The programmes the actor may view, as a WHERE clause on Programme (as can())."""
    return _installed().programmes_filter(actor)


def startups_filter(actor):
    """The start-ups the actor may read, as a WHERE clause on Startup."""
    return _installed().startups_filter(actor)


def impact_scope(actor, start, end):
    """What an impact report over [start, end] covers for this actor (outcomes' Scope)."""
    return _installed().impact_scope(actor, start, end)


def hides_identities(actor, event, blind_review: bool) -> bool:
    """Whether names and addresses are hidden from this actor on the event's applications."""
    return _installed().hides_identities(actor, event, blind_review)


def knows_person(actor, email: str, action: Action = Action.VIEW_PARTICIPANTS) -> bool:
    """Whether the actor may already see the person with this address."""
    return _installed().knows_person(actor, email, action)


def people_known(actor, person_ids) -> set[int]:
    """Of these people, those the actor may name."""
    return _installed().people_known(actor, person_ids)
