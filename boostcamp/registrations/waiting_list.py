"""The waiting list: seats freed by a cancellation, offered in turn, accepted or expired.

The waiting list is ordered by registration time (created_at, then id). When a seat frees
up, the first person waiting is offered it for WAITLIST_OFFER_HOURS, the offer ending at the
latest WAITLIST_OFFER_ENDS_BEFORE_START_HOURS before the event; when less than
WAITLIST_OFFER_MIN_HOURS would be left, nobody can be asked in time, so no offer is made and
the seat goes to whoever signs up first. Every change happens under the event's lock
(seats.lock_event).
"""

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from boostcamp.audit import services as audit
from boostcamp.core.texts import Localized
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict
from boostcamp.events.models import Event, EventStatus
from boostcamp.events.availability import RegistrationState
from boostcamp.core.extensions import db
from boostcamp.registrations.mails import mail_confirmation, mail_participant
from boostcamp.registrations.models import HOLDING, Registration, RegistrationStatus
from boostcamp.registrations.seats import CLOSED_MESSAGES, free_seats, lock_event, status_counts


class OfferExpired(Conflict):
    code = "offer_expired"


class CancelReason(enum.StrEnum):
    SELF = "self"  # the participant cancelled, or left the waiting list
    OFFER_DECLINED = "offer_declined"
    OFFER_EXPIRED = "offer_expired"
    STAFF = "staff"


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            sa.or_(
                Registration.created_at < registration.created_at,
                sa.and_(
                    Registration.created_at == registration.created_at,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return ahead + 1


def waiting_positions(event: Event) -> dict[int, int]:
    """Registration id → place on the waiting list (1 first), in one query for a whole page."""
    ids = db.session.scalars(
        sa.select(Registration.id)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    )  # fmt: skip
    return {registration_id: n for n, registration_id in enumerate(ids, 1)}


def offer_is_open(registration: Registration, now: datetime | None = None) -> bool:
    return (
        registration.status == RegistrationStatus.OFFERED
        and registration.offer_expires_at is not None
        and registration.offer_expires_at > (now or utcnow())
        and registration.event.status == EventStatus.PUBLISHED
    )


def may_cancel(registration: Registration, now: datetime | None = None) -> bool:
    """Participants may cancel (or leave the waiting list) until the event starts."""
    return (
        registration.status not in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED)
        and registration.event.status == EventStatus.PUBLISHED
        and registration.event.starts_at > (now or utcnow())
    )


def offer_expiry(event: Event, now: datetime) -> datetime | None:
    """Until when a seat offered now is held; None when it is too late to offer one."""
    config = current_app.config
    latest = event.starts_at - timedelta(hours=config["WAITLIST_OFFER_ENDS_BEFORE_START_HOURS"])
    expires = min(now + timedelta(hours=config["WAITLIST_OFFER_HOURS"]), latest)
    if expires - now < timedelta(hours=config["WAITLIST_OFFER_MIN_HOURS"]):
        return None
    return expires


def offer_next_seats(event: Event, now: datetime | None = None) -> list[Registration]:
    """Offer the seats nobody holds to the first people waiting, each by mail. Called
    wherever a seat frees up (a cancellation, an expired or declined offer, a larger
    capacity); returns the new offers."""
    now = now or utcnow()
    lock_event(event)
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return []
    expires = offer_expiry(event, now)
    if expires is None:
        return []
    free = free_seats(event, status_counts(event))
    if free == 0:
        return []
    waiting = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
        .limit(free)
        .options(joinedload(Registration.person))
    ).all()  # fmt: skip
    for registration in waiting:
        registration.status = RegistrationStatus.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = expires
    db.session.flush()
    for registration in waiting:
        mail_participant(registration, "registration_offer",
              _l("A seat is free for you at %(title)s",
                 title=Localized(event, "title")))  # fmt: skip
    return list(waiting)


def accept_offer(registration: Registration, *, now: datetime | None = None,
                 mail: bool = True) -> None:  # fmt: skip
    """The seat offered becomes theirs. Raises OfferExpired once the offer has ended, even
    before the worker has passed it on, and Conflict when there is no offer. `mail`: False
    when the caller mails the seat itself (a programme's one mail)."""
    now = now or utcnow()
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CONFIRMED:
        return  # accepted already (a second click)
    if registration.status != RegistrationStatus.OFFERED:
        raise Conflict(_l("There is no seat offered to you for this event."))
    if not offer_is_open(registration, now):
        raise OfferExpired(_l("This offer has expired: the seat goes to the next person waiting."))
    registration.status = RegistrationStatus.CONFIRMED
    db.session.flush()
    if mail:
        mail_confirmation(registration)


def cancel_registration(
    registration: Registration,
    *,
    reason: CancelReason = CancelReason.SELF,
    now: datetime | None = None,
    actor: audit.Actor | None = None,
) -> list[Registration]:
    """Cancel a registration, leave the waiting list, or decline an offer: a seat it held
    is freed at once and offered to the next person waiting (the offers are returned).
    Cancelling twice changes nothing. Participants may do it until the event starts."""
    now = now or utcnow()
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    if reason in (CancelReason.SELF, CancelReason.OFFER_DECLINED) and not may_cancel(
        registration, now
    ):
        raise Conflict(_l("This registration can no longer be cancelled."))
    was = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = reason.value
    if reason == CancelReason.STAFF:  # the person's own, or the clock's, are theirs
        audit.record("registration_cancelled", event=registration.event,
                     actor=audit.Actor.of(actor=actor), changes={
                         "registration": [None, registration.id], "status": [was.value, "cancelled"]})  # fmt: skip
    db.session.flush()
    if reason == CancelReason.OFFER_EXPIRED:
        if registration.event.status == EventStatus.PUBLISHED:
            mail_participant(registration, "registration_offer_expired",
                  _l("The seat offered at %(title)s has gone",
                     title=Localized(registration.event, "title")))  # fmt: skip
    else:
        mail_participant(registration, "registration_cancelled",
              _l("Cancelled: %(title)s", title=Localized(registration.event, "title")),
              was=was.value,
              calendar="CANCEL" if was == RegistrationStatus.CONFIRMED else None)  # fmt: skip
    if was in HOLDING:
        return offer_next_seats(registration.event, now)
    return []


def expire_offers(event: Event, now: datetime | None = None) -> list[Registration]:
    """Offers of this event that have run out: cancelled, each told by mail, and their
    seats offered to the next people waiting. Returns the expired registrations."""
    now = now or utcnow()
    lock_event(event)
    expired = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.OFFERED,
               Registration.offer_expires_at <= now)
        .order_by(Registration.offer_expires_at, Registration.id)
        .options(joinedload(Registration.person))
    ).all()  # fmt: skip
    for registration in expired:
        cancel_registration(registration, reason=CancelReason.OFFER_EXPIRED, now=now)
    return list(expired)


def confirm_from_waiting_list(registration: Registration, *, now: datetime | None = None,
                              actor: audit.Actor | None = None, mail: bool = True) -> bool:  # fmt: skip
    """Staff give a seat to someone waiting (or offered one), whatever the order of the
    list and even over capacity: organisers sometimes make room. The person gets the usual
    confirmation. Returns True when the event now holds more people than its capacity."""
    now = now or utcnow()
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status not in (RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED):
        raise Conflict(_l("Only someone on the waiting list can be given a seat."))
    if registration.event.status != EventStatus.PUBLISHED:
        raise Conflict(CLOSED_MESSAGES[RegistrationState.CANCELLED])
    was = registration.status
    registration.status = RegistrationStatus.CONFIRMED
    registration.offered_at = registration.offer_expires_at = None
    db.session.flush()
    if mail:  # False: the caller mails the seat itself (a programme's one mail)
        mail_confirmation(registration)
    capacity = registration.event.capacity
    counts = status_counts(registration.event)
    over = capacity is not None and sum(counts[s] for s in HOLDING) > capacity
    audit.record("seat_given", event=registration.event, actor=audit.Actor.of(actor=actor),
                 changes={"registration": [None, registration.id],
                          "status": [was.value, "confirmed"], "over_capacity": [None, over]})  # fmt: skip
    return over
