"""Walk-ins: someone without a registration at the door is registered and checked in in one
step, with the same nonce rules as a scan (see checkin.scanning)."""

from datetime import datetime

from boostcamp.checkin.models import CheckInMethod
from boostcamp.checkin.scanning import (
    Actor,
    CheckInOutcome,
    by_nonce,
    check_in,
    check_nonce,
    replayed_outcome,
    require_event_on,
)
from boostcamp.core.policy import Action, knows_person
from boostcamp.core.db import utcnow
from boostcamp.events.models import Event, EventSession
from boostcamp.registrations import consents
from boostcamp.registrations import signup


def walk_in(
    event: Event,
    sign_up: signup.SignUp,
    *,
    nonce: str,
    actor: Actor,
    session: EventSession | None = None,
    scanned_at: datetime | None = None,
    device: str | None = None,
    now: datetime | None = None,
) -> CheckInOutcome:
    """Someone without a registration at the door: registered (confirmed even when the
    event is full, source WALK_IN) and checked in, in one step. Someone registered already
    is checked in on their registration (given a seat if they were waiting). `scanned_at`:
    when the device registered them (one kept offline comes in at its real time).
    Raises ValidationFailed on the sign-up's fields, Conflict when the event is not on."""
    now = now or utcnow()
    check_nonce(nonce)
    earlier = by_nonce(nonce)
    if earlier is not None:
        return replayed_outcome(event, earlier)
    require_event_on(event, actor, scanned_at or now, now)
    sign_up.known_to_caller = knows_person(actor, sign_up.email, Action.CHECK_IN)
    sign_up.asserted_by = consents.actor_label(actor)
    sign_up.registered_by = consents.actor_display(actor, event)
    registration = signup.register_walk_in(event, sign_up, now=now)
    return check_in(
        event, nonce=nonce, actor=actor, method=CheckInMethod.WALK_IN,
        registration=registration, session=session, scanned_at=scanned_at, device=device,
        now=now,
    )  # fmt: skip
