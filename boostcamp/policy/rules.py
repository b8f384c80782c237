"""The one place that answers "may this user (or API token) do X to this event or organisation?".

It knows every domain, so it sits on top and nothing imports it but the app factory, which
installs it into core/policy.py: that is where the floors ask, and where the actions are named.

Centre staff and admins may do everything on every event (admins also manage accounts).
Everybody else acts through memberships: a partner's `manager` works on the events that
its organisation hosts or co-organises, a `checkin` member only checks people in there.
An organisation's API token acts as a manager of that organisation; the centre's token
as centre staff. Views, exports, the API and lists all ask here, so a partner never sees
another partner's events or participants.

Outcomes (start-ups, jobs, certifications, imports, follow-up surveys) are the centre's
records: its staff manage them all (MANAGE_OUTCOMES). A partner's manager may read
(VIEW_STARTUPS) the start-ups founded by people who attended an event its organisation
co-organised (`startups_filter`), never certifications, imports or survey answers.

Applications (boostcamp.admission): centre staff, the managers of the event's partners and
their jury members (`reviewer`) review and score them (REVIEW_APPLICATIONS); staff and
managers decide (DECIDE_APPLICATIONS). With blind review, whoever reviews without seeing
the participants otherwise (`hides_identities`) sees neither names nor addresses.
"""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from boostcamp.auth.models import ApiToken, MemberRole, User
from boostcamp.checkin.attendance import attendance_query
from boostcamp.core.extensions import db
from boostcamp.core.inputs import normalise_email
from boostcamp.core.policy import Action, require
from boostcamp.core.web import missing_is_404
from boostcamp.events import queries
from boostcamp.events.models import Event, EventOrganiser, EventStatus
from boostcamp.organisations.models import Organisation
from boostcamp.outcomes.impact.attribution import current_rule
from boostcamp.outcomes.impact.scope import Scope
from boostcamp.outcomes.records.models import Startup, StartupMember, StartupRole
from boostcamp.programmes import catalogue as programme_catalogue
from boostcamp.programmes.models import Programme, ProgrammeOrganiser
from boostcamp.registrations.models import Person, Registration

MEMBER_EVENT_ACTIONS = {
    MemberRole.MANAGER: {
        Action.VIEW_EVENT,
        Action.EDIT_EVENT,
        Action.VIEW_PARTICIPANTS,
        Action.CHECK_IN,
        Action.VIEW_IMPACT,
        Action.DUPLICATE_EVENT,
        Action.REVIEW_APPLICATIONS,
        Action.DECIDE_APPLICATIONS,
    },
    MemberRole.CHECKIN: {Action.VIEW_EVENT, Action.CHECK_IN},
    MemberRole.REVIEWER: {Action.REVIEW_APPLICATIONS},
}
EVENT_ACTIONS = {a for actions in MEMBER_EVENT_ACTIONS.values() for a in actions} | {
    Action.PUBLISH_EVENT
}
PROGRAMME_ACTIONS = {Action.VIEW_PROGRAMME, Action.EDIT_PROGRAMME}
Actor = User | ApiToken


def _roles(actor: Actor) -> dict[int, MemberRole]:
    """The actor's role in each organisation it belongs to."""
    if isinstance(actor, ApiToken):
        return {actor.organisation_id: MemberRole.MANAGER}
    return {m.organisation_id: m.role for m in actor.memberships}


def _sees_everything(actor: Actor) -> bool:
    if isinstance(actor, ApiToken):
        return actor.organisation.is_centre
    return actor.is_centre_staff


def _org_ids_allowed(actor: Actor, action: Action) -> set[int]:
    return {
        org_id
        for org_id, role in _roles(actor).items()
        if action in MEMBER_EVENT_ACTIONS.get(role, ())
    }


def _is_active(actor: Actor | None) -> bool:
    if actor is None:
        return False
    if isinstance(actor, ApiToken):
        return actor.active
    return actor.is_authenticated and actor.is_active


Target = Event | Organisation | Programme | None


def can(actor: Actor | None, action: Action, target: Target = None) -> bool:
    if not _is_active(actor):
        return False
    if isinstance(actor, User) and actor.is_admin:
        return True
    if _sees_everything(actor):
        return action != Action.MANAGE_USERS
    # A partner's member (or token) from here on.
    roles = _roles(actor)
    if action == Action.ACCESS_STAFF_AREA:
        return bool(roles)
    if action in (Action.PROPOSE_EVENT, Action.VIEW_STARTUPS) or (
        action == Action.VIEW_IMPACT and target is None
    ):
        return MemberRole.MANAGER in roles.values()
    if action == Action.MANAGE_ORGANISATION and isinstance(target, Organisation):
        return roles.get(target.id) == MemberRole.MANAGER
    if action in EVENT_ACTIONS and isinstance(target, Event):
        if action == Action.EDIT_EVENT and target.status == EventStatus.CANCELLED:
            return False
        organiser_ids = {o.organisation_id for o in target.organisers}
        return bool(organiser_ids & _org_ids_allowed(actor, action))
    if action in PROGRAMME_ACTIONS and isinstance(target, Programme):
        if action == Action.EDIT_PROGRAMME and target.status == EventStatus.CANCELLED:
            return False
        organiser_ids = {o.organisation_id for o in target.organisers}
        return bool(organiser_ids & _managed_org_ids(actor))
    return False


def _managed_org_ids(actor: Actor) -> set[int]:
    return {org_id for org_id, role in _roles(actor).items() if role == MemberRole.MANAGER}


def event_or_404(slug: str, action: Action) -> Event:
    """The event a staff page works on: 404 when it does not exist or the user may not see
    it (as if it did not exist), then 403 unless they may do `action` to it."""
    return _target_or_404(queries.get_by_slug, slug, Action.VIEW_EVENT, action)


def programme_or_404(slug: str, action: Action) -> Programme:
    """The programme a staff page works on, as event_or_404."""
    return _target_or_404(programme_catalogue.get_by_slug, slug, Action.VIEW_PROGRAMME, action)


def _target_or_404(load, slug: str, view: Action, action: Action):
    with missing_is_404():
        target = load(slug)
    if not can(current_user, view, target):
        abort(404)
    require(action, target)
    return target


def events_filter(actor: Actor, action: Action = Action.VIEW_EVENT) -> sa.ColumnElement[bool]:
    """The same rule as can(), as a WHERE clause for lists of events."""
    if not _is_active(actor):
        return sa.false()
    if _sees_everything(actor) or (isinstance(actor, User) and actor.is_admin):
        return sa.true()
    org_ids = _org_ids_allowed(actor, action)
    if not org_ids:
        return sa.false()
    return Event.id.in_(
        sa.select(EventOrganiser.event_id).where(EventOrganiser.organisation_id.in_(org_ids))
    )


def hides_identities(actor: Actor, event: Event, blind_review: bool) -> bool:
    """Whether names and e-mail addresses are hidden from this actor on the event's
    applications: under blind review, from everyone who reviews them without being allowed
    to see the event's participants anyway (the jury members)."""
    return blind_review and not can(actor, Action.VIEW_PARTICIPANTS, event)


def programmes_filter(actor: Actor) -> sa.ColumnElement[bool]:
    """The programmes the actor may view, as a WHERE clause on Programme (as can())."""
    if not _is_active(actor):
        return sa.false()
    if _sees_everything(actor) or (isinstance(actor, User) and actor.is_admin):
        return sa.true()
    org_ids = _managed_org_ids(actor)
    if not org_ids:
        return sa.false()
    return Programme.id.in_(
        sa.select(ProgrammeOrganiser.programme_id).where(
            ProgrammeOrganiser.organisation_id.in_(org_ids)
        )
    )


def impact_scope(actor: Actor, start, end):
    """What an impact report over [start, end] covers for this actor: the events it may see
    (a partner: its own), everything for the centre, with the attribution rule in force."""
    return Scope(start, end, events_filter(actor, Action.VIEW_IMPACT),
                 can(actor, Action.MANAGE_ALL), current_rule())  # fmt: skip


def startups_filter(actor: Actor) -> sa.ColumnElement[bool]:
    """The start-ups the actor may read, as a WHERE clause on Startup: all for the centre;
    for a partner's manager, those with a founder whose attendance stands at an event
    that the partner co-organised."""
    if not can(actor, Action.VIEW_STARTUPS):
        return sa.false()
    if can(actor, Action.MANAGE_OUTCOMES):
        return sa.true()
    org_ids = _org_ids_allowed(actor, Action.VIEW_PARTICIPANTS)
    attended = attendance_query().subquery()
    attendees = sa.select(Registration.person_id).where(
        Registration.id.in_(sa.select(attended.c.registration_id)),
        Registration.event_id.in_(
            sa.select(EventOrganiser.event_id).where(EventOrganiser.organisation_id.in_(org_ids))
        ),
    )
    return Startup.id.in_(
        sa.select(StartupMember.startup_id).where(
            StartupMember.role == StartupRole.FOUNDER, StartupMember.person_id.in_(attendees)
        )
    )


def knows_person(actor: Actor, email: str, action: Action = Action.VIEW_PARTICIPANTS) -> bool:
    """Whether the actor may already see the person with this address: centre staff always;
    a partner when the person registered for one of its events (`action`: VIEW_PARTICIPANTS
    for pages and API, CHECK_IN at the door). Otherwise registering that address must not
    tell them anything the person gave elsewhere."""
    if not _is_active(actor):
        return False
    if _sees_everything(actor) or (isinstance(actor, User) and actor.is_admin):
        return True
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Registration.person_id == Person.id,
        Person.email == normalise_email(email),
        Registration.event_id.in_(sa.select(Event.id).where(events_filter(actor, action))),
    ))))  # fmt: skip


def people_known(actor: Actor, person_ids) -> set[int]:
    """Of these people, those the actor may name: everyone for the centre; for a partner,
    the people registered for its own events (a co-founder it never had stays anonymous,
    on start-up pages as in the impact lists)."""
    ids = set(person_ids)
    if not ids or not _is_active(actor):
        return set()
    if _sees_everything(actor) or (isinstance(actor, User) and actor.is_admin):
        return ids
    return set(db.session.scalars(sa.select(Registration.person_id).distinct().where(
        Registration.person_id.in_(ids),
        Registration.event_id.in_(
            sa.select(Event.id).where(events_filter(actor, Action.VIEW_PARTICIPANTS))),
    )))  # fmt: skip
