"""The partner API's operations: organisation tokens, and events created or changed with a token.

Who may do what is asked of the permission policy (core.policy), with one exception that the
API adds on purpose, governed by the centre's setting "api_partner_may_publish":

- A partner's token never has Action.PUBLISH_EVENT. When the setting is on, it may still
  publish the events its organisation co-organises (at creation or later); when it is off,
  what it asks to publish is created as a draft, and asking to publish an existing draft is
  refused (403).
- Cancelling: a partner's token may cancel its organisation's drafts (withdrawing a draft
  harms nobody), and its published events only while the setting is on, since only then
  does the centre let partners decide what the public sees.
- Only the centre chooses an event's organisers (Action.CHOOSE_ORGANISERS). A partner's
  event is hosted by the centre and co-organised by the partner; a partner's token that asks
  for other co-organisers, at creation or on a change, is refused (403, `co_organisers`).
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from boostcamp.core.errors import Forbidden
from boostcamp.auth.models import ApiToken, hash_token, new_token
from boostcamp.audit import services as audit
from boostcamp.core.policy import Action, can, events_filter
from boostcamp.core.services import get_setting
from boostcamp.core.texts import merge_texts, split_texts
from boostcamp.core.zones import zone_of
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, DomainError, NotFound, reporting_also
from boostcamp.events import editing, queries, rules
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.organisations.services import the_centre

HINT_LENGTH = 12  # "bct_" and 8 random characters: enough to tell tokens apart
LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write a minute per token
PARTNERS_MAY_PUBLISH = "api_partner_may_publish"


# ---------------------------------------------------------------- tokens


def create_token(organisation: Organisation, name: str, *, created_by=None) -> tuple[ApiToken, str]:
    """A new token for the organisation; returns it with its secret, which is not kept."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Give the token a name."), field="name")
    if len(name) > 120:
        raise DomainError(_l("At most %(n)d characters.", n=120), field="name")
    secret = new_token()
    token = ApiToken(
        organisation=organisation,
        name=name,
        token_hash=hash_token(secret),
        hint=secret[:HINT_LENGTH],
        created_by_id=created_by.id if created_by is not None else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record("api_token_created", organisation=organisation,
                 changes={"token": [None, f"{token.hint}… {name}"]}, actor=audit.Actor.of(created_by))  # fmt: skip
    return token, secret


def authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, or None."""
    if not secret:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    return token if token is not None and token.active else None


def note_use(token: ApiToken) -> bool:
    """Notes when the token was last used, to the minute; True if that needs saving."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return False
    token.last_used_at = now
    db.session.flush()
    return True


def revoke_token(token: ApiToken, *, user=None) -> None:
    if not token.active:
        return
    token.revoked_at = utcnow()
    audit.record("api_token_revoked", organisation=token.organisation,
                 changes={"token": [f"{token.hint}… {token.name}", None]}, actor=audit.Actor.of(user))  # fmt: skip
    db.session.flush()


def get_token(token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(_l("No such token."))
    return token


def tokens_query() -> sa.Select:
    """Every organisation's tokens, active ones first, newest first."""
    return sa.select(ApiToken).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()
    )


# ---------------------------------------------------------------- events


def events_query(token: ApiToken) -> sa.Select:
    """What an event's JSON needs, loaded in a fixed number of queries."""
    return (
        sa.select(Event)
        .where(events_filter(token, Action.VIEW_EVENT))
        .options(*queries.LIST_LOAD, selectinload(Event.sessions))
        .order_by(Event.starts_at, Event.id)
    )


def may_publish(token: ApiToken, event: Event | None = None) -> bool:
    if can(token, Action.PUBLISH_EVENT, event):
        return True
    partner_may = get_setting(PARTNERS_MAY_PUBLISH)
    return bool(partner_may) and (event is None or can(token, Action.EDIT_EVENT, event))


def may_cancel(token: ApiToken, event: Event) -> bool:
    if can(token, Action.PUBLISH_EVENT, event):
        return True
    if not can(token, Action.EDIT_EVENT, event):
        return False
    return event.status == EventStatus.DRAFT or bool(get_setting(PARTNERS_MAY_PUBLISH))


def create_event(token: ApiToken, data: dict[str, Any]) -> Event:
    """An event from the API's JSON (already checked for types): hosted by the centre,
    co-organised by the token's organisation when it is a partner's."""
    fields = _with_texts(dict(data))
    co_organisers, unknown = _co_organisers(token, fields.pop("co_organisers", []))
    own = token.organisation
    host = own if own.is_centre else (the_centre() or own)
    published = fields.pop("published", False) and may_publish(token)
    return reporting_also(
        unknown,
        lambda: editing.create_event(
            host=host,
            co_organisers=co_organisers,
            status=EventStatus.PUBLISHED if published else EventStatus.DRAFT,
            api_token=token,
            **fields,
        ),
    )


def update_event(token: ApiToken, event: Event, data: dict[str, Any]) -> dict[str, list]:
    """The changes from a PATCH; `published: true` publishes a draft when the token may."""
    fields = _with_texts(dict(data), event)
    publish = fields.pop("published", None)
    unknown = {}
    if "co_organisers" in fields:
        fields["co_organisers"], unknown = _co_organisers(token, fields["co_organisers"], event)
    if publish and event.status == EventStatus.DRAFT and not may_publish(token, event):
        raise Forbidden(
            _l("The centre publishes your events: this one stays a draft until it does."),
            field="published",
        )
    if publish is False and event.status == EventStatus.PUBLISHED:
        raise Conflict(
            _l("A published event cannot go back to draft: cancel it instead."), field="published"
        )
    changes = reporting_also(
        unknown, lambda: editing.update_event(event, api_token=token, **fields)
    )
    if publish:
        editing.publish_event(event, api_token=token)
    return changes


def cancel_event(token: ApiToken, event: Event) -> None:
    if not may_cancel(token, event):
        raise Forbidden(_l("Only the centre may cancel a published event."))
    editing.cancel_event(event, api_token=token)


def _with_texts(fields: dict[str, Any], event: Event | None = None) -> dict[str, Any]:
    """Title, summary and description as the events' services take them: the event's
    language in its own fields, the others in `translations` (core.texts)."""
    given = {f: fields.pop(f) for f in rules.TEXT_FIELDS if f in fields}
    language = fields.get("language") or (event.language if event else "fr")
    if given:
        current = event.texts_by_language() if event else {}
        texts = merge_texts(current, language, given)
        fields.update(split_texts(language, texts, rules.TEXT_FIELDS))
    if fields.get("sessions") is not None:
        fields["sessions"] = [_session_texts(s, event, language) for s in fields["sessions"]]
    return fields


def _session_texts(session: dict[str, Any], event: Event | None, language: str) -> dict:
    """A session's title as the events' services take it (its title in the event's
    `language`, the others in `translations`), over the titles of the event's session of the
    same id, if it has one (an id that is not the event's is refused there)."""
    known = {s.id: s for s in event.sessions} if event else {}
    current = known[session["id"]].texts_by_language() if session.get("id") in known else {}
    texts = merge_texts(current, language, {"title": session.get("title")})
    return {**session, **split_texts(language, texts, ("title",))}


def _co_organisers(
    token: ApiToken, slugs: Iterable[str], event: Event | None = None
) -> tuple[list[Organisation], dict]:
    """The organisations named, in one query, and the error for unknown slugs, if any.
    A token that may not choose organisers may only name what it would get anyway: its own
    organisation at creation, the event's present co-organisers on a change."""
    wanted = list(dict.fromkeys(slugs))
    if not can(token, Action.CHOOSE_ORGANISERS):
        allowed = [token.organisation] if event is None else list(event.co_organisers)
        asked = set(wanted) if wanted or event is not None else {token.organisation.slug}
        if asked != {o.slug for o in allowed}:
            raise Forbidden(
                _l("Only the centre chooses an event’s organisers."), field="co_organisers"
            )
        return allowed, {}
    if not wanted:
        return [], {}
    found = {
        o.slug: o
        for o in db.session.scalars(sa.select(Organisation).where(Organisation.slug.in_(wanted)))
    }
    missing = [slug for slug in wanted if slug not in found]
    errors = (
        {"co_organisers": _l("Unknown organisation “%(slug)s”.", slug=", ".join(missing))}
        if missing
        else {}
    )
    return [found[slug] for slug in wanted if slug in found], errors



def start_of_day(day: date) -> datetime:
    """Midnight of that day where the centre is (its zone, Europe/Brussels)."""
    return datetime.combine(day, time(), tzinfo=zone_of(None))
