"""Consent records: one row per consent given, at every channel that registers someone
(the public form, the partner API, the staff pages, the door), with the privacy notice's
version and who asserted it. Registrations call `record_sign_up`; withdrawing follow-up
contact (the person's data page, the survey's "stop asking", erasure) calls
`withdraw_followup`."""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from boostcamp.auth.models import ApiToken
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.organisations.services import the_centre
from boostcamp.registrations.models import Consent, ConsentChannel, ConsentKind
from boostcamp.registrations.models import Person, Registration, RegistrationSource

CHANNELS = {
    RegistrationSource.FORM: ConsentChannel.FORM,
    RegistrationSource.API: ConsentChannel.API,
    RegistrationSource.STAFF: ConsentChannel.STAFF,
    RegistrationSource.WALK_IN: ConsentChannel.DOOR,
}
ASSERTED_BY_MAX = 300


def actor_label(actor) -> str:
    """Who asserted a consent, for the record: a staff or door user by name and address,
    an API token by its name and organisation."""
    if isinstance(actor, ApiToken):
        label = f"API token “{actor.name}” ({actor.organisation.name})"
    else:
        label = f"{actor.name} <{actor.email}>"
    return label[:ASSERTED_BY_MAX]


def actor_display(actor, event) -> str:
    """Who registered someone, as the notice mail names them: a person and their
    organisation (the one organising this event, when they have several), or a partner's
    platform for an API token."""
    if isinstance(actor, ApiToken):
        return actor.organisation.name
    organisers = {o.organisation_id for o in event.organisers}
    orgs = [m.organisation for m in actor.memberships]
    org = next((o for o in orgs if o.id in organisers), None) or (orgs[0] if orgs else None)
    if org is None and actor.is_centre_staff:
        org = the_centre()
    return f"{actor.name} ({org.name})" if org is not None else actor.name


def record_sign_up(registration: Registration, *, followup: bool, source: RegistrationSource,
                   asserted_by: str | None, now: datetime | None = None) -> list[Consent]:
    """The consents given with a new (or renewed) registration: to the registration itself,
    and to follow-up contact when it was ticked."""
    now = now or utcnow()
    kinds = [ConsentKind.REGISTRATION] + ([ConsentKind.FOLLOW_UP] if followup else [])
    rows = [
        Consent(person_id=registration.person_id or registration.person.id,
                registration=registration, kind=kind,
                notice_version=current_app.config["PRIVACY_NOTICE_VERSION"], given_at=now,
                channel=CHANNELS[source], asserted_by=asserted_by)
        for kind in kinds
    ]  # fmt: skip
    db.session.add_all(rows)
    return rows


def withdraw_followup(person: Person, now: datetime | None = None) -> None:
    """Every follow-up consent of the person still in force is withdrawn now."""
    db.session.execute(
        sa.update(Consent)
        .where(Consent.person_id == person.id, Consent.kind == ConsentKind.FOLLOW_UP,
               Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=now or utcnow()),
        # found in the session by key, not by testing every object it holds (privacy.services)
        execution_options={"synchronize_session": "fetch"},
    )  # fmt: skip


def consents_of(person: Person) -> list[Consent]:
    return list(db.session.scalars(
        sa.select(Consent).where(Consent.person_id == person.id)
        .order_by(Consent.given_at, Consent.id)
        .options(sa.orm.selectinload(Consent.registration).selectinload(Registration.event))
    ))  # fmt: skip


def backfill() -> int:
    """Consent rows for registrations that have none (made before consent records existed,
    or inserted in bulk, as the demo does): the registration consent by the registration's
    channel, follow-up consent when ticked; no notice version, nobody named. Returns the
    number of rows added. Migration 0019 does the same in SQL."""
    channel = sa.case(
        *((Registration.source == source, ch.value) for source, ch in CHANNELS.items()),
        else_=ConsentChannel.FORM.value,
    )
    count = sa.select(sa.func.count()).select_from(Consent)
    before = db.session.scalar(count)
    for kind, condition, withdrawn in (
        (ConsentKind.REGISTRATION, sa.true(), sa.null()),
        (ConsentKind.FOLLOW_UP, Registration.consent_followup.is_(True),
         sa.select(Person.followup_opt_out_at).where(Person.id == Registration.person_id)
         .scalar_subquery()),
    ):  # fmt: skip
        recorded = sa.exists().where(Consent.registration_id == Registration.id,
                                     Consent.kind == kind)
        select = sa.select(
            Registration.person_id, Registration.id, sa.literal(kind.value),
            sa.func.coalesce(Registration.consent_at, Registration.created_at), channel,
            withdrawn,
        ).where(condition, ~recorded)
        db.session.execute(sa.insert(Consent).from_select(
            ["person_id", "registration_id", "kind", "given_at", "channel", "withdrawn_at"],
            select))
    return db.session.scalar(count) - before  # rowcount is -1 here on PostgreSQL
