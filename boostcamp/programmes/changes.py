"""A programme changed through the partner API (PATCH): what the staff form changes, through
the same services (editing.update_programme, editing.publish_programme), with what a token
may change checked as the form checks a user: a partner adds only events it manages and
leaves the co-organisers as they are; only the centre publishes.

Texts come as the API's other writes take them: a plain string is the programme's language's
text, {"nl": …} sets that language's and leaves the others, {"nl": null} removes it.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, Forbidden, ValidationFailed, reporting_also
from boostcamp.core.extensions import db
from boostcamp.core.policy import Action, can
from boostcamp.core.texts import merge_texts, split_texts
from boostcamp.events.models import Event, EventStatus
from boostcamp.organisations.models import Organisation
from boostcamp.programmes import editing
from boostcamp.programmes.models import Programme

TEXT_FIELDS = ("title", "summary", "description")


def change_programme(token, programme: Programme, data: dict[str, Any],
                     now: datetime | None = None) -> dict[str, list]:  # fmt: skip
    """The changes `data` asks for (only the fields given), all its errors at once
    (ValidationFailed), Forbidden for what the token may not change, Conflict for a
    published programme sent back to draft. Flushes; the caller commits."""
    data = dict(data)
    publish = data.pop("published", None)
    if publish and programme.status == EventStatus.DRAFT and not can(
        token, Action.PUBLISH_PROGRAMME, programme
    ):
        raise Forbidden(_l("Only the centre publishes programmes."), field="published")
    if publish is False and programme.status == EventStatus.PUBLISHED:
        raise Conflict(_l("A published programme cannot go back to draft: cancel it instead."),
                       field="published")  # fmt: skip
    fields = _texts(programme, data)
    fields.update({f: data[f] for f in ("requires_exam", "required_events") if f in data})
    problems: dict[str, Any] = {}
    events = co_organisers = kept = None
    if "events" in data:
        events, problems["events"] = _events(token, programme, data["events"], now or utcnow())
    if "co_organisers" in data:
        co_organisers, problems["co_organisers"] = _co_organisers(token, programme,
                                                                  data["co_organisers"])  # fmt: skip
    if "kept_events" in data:
        kept, problems["kept_events"] = _kept(data["kept_events"],
                                              programme.events if events is None else events)  # fmt: skip
    problems = {field: message for field, message in problems.items() if message}
    changes: dict[str, list] = {}
    if fields or events is not None or co_organisers is not None or kept is not None:
        changes = reporting_also(problems, lambda: editing.update_programme(
            programme, events=events, co_organisers=co_organisers, kept_events=kept,
            api_token=token, **fields))  # fmt: skip
    elif problems:
        raise ValidationFailed(problems)
    if publish:
        editing.publish_programme(programme, api_token=token)
    return changes


def _texts(programme: Programme, data: dict[str, Any]) -> dict[str, Any]:
    """Title, summary, description and language as update_programme takes them (the
    language's texts in the columns, the others in `translations`), over the present ones;
    nothing when none of them is given."""
    given = {f: data[f] for f in TEXT_FIELDS if f in data}
    if not given and "language" not in data:
        return {}
    language = data.get("language") or programme.language
    texts = merge_texts(programme.texts_by_language(), language, given)
    split = split_texts(language, texts, TEXT_FIELDS)
    return {**split, "title": split["title"] or "", "language": language}


def _events(token, programme: Programme, slugs: list[str],
            now: datetime) -> tuple[list[Event] | None, Any]:  # fmt: skip
    """The events named, in the order given (a slug twice is editing's error). The
    programme's own stay; one added must be the token's to edit and not over, as on the
    staff form; one the token may not see is unknown, as if it did not exist."""
    present = {e.slug for e in programme.events}
    found = {e.slug: e for e in db.session.scalars(sa.select(Event).where(Event.slug.in_(set(slugs))))}
    unknown = sorted({s for s in slugs if s not in found or (
        s not in present and not can(token, Action.VIEW_EVENT, found[s]))})  # fmt: skip
    if unknown:
        return None, _l("Unknown: %(slugs)s.", slugs=", ".join(unknown))
    added = [found[s] for s in dict.fromkeys(slugs) if s not in present]
    if any(not can(token, Action.EDIT_EVENT, e) for e in added):
        return None, _l("You may only choose events you manage.")
    over = [e.slug for e in added if e.ends_at <= now]
    if over:
        return None, _l("These events are over: %(slugs)s.", slugs=", ".join(over))
    return [found[s] for s in slugs], None


def _co_organisers(token, programme: Programme,
                   slugs: list[str]) -> tuple[list[Organisation] | None, Any]:  # fmt: skip
    """The whole new list; a token that may not choose organisers may only send the present
    one unchanged (the staff form does not show it to a partner)."""
    wanted = list(dict.fromkeys(slugs))
    if not can(token, Action.CHOOSE_ORGANISERS):
        if set(wanted) != {o.slug for o in programme.co_organisers}:
            raise Forbidden(_l("Only the centre chooses a programme’s organisers."),
                            field="co_organisers")  # fmt: skip
        return None, None
    found = {o.slug: o for o in db.session.scalars(
        sa.select(Organisation).where(Organisation.slug.in_(wanted)))}  # fmt: skip
    missing = [s for s in wanted if s not in found]
    if missing:
        return None, _l("Unknown: %(slugs)s.", slugs=", ".join(missing))
    return [found[s] for s in wanted], None


def _kept(slugs: list[str], events: list[Event]) -> tuple[list[Event] | None, Any]:
    by_slug = {e.slug: e for e in events}
    outside = sorted(set(slugs) - set(by_slug))
    if outside:
        return None, _l("Not among the programme's events: %(slugs)s.", slugs=", ".join(outside))
    return [by_slug[s] for s in dict.fromkeys(slugs)], None

