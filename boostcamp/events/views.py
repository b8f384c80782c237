"""Public pages: the catalogue, its archive and an event's page."""

import functools
from datetime import date
from urllib.parse import urlencode

from babel.dates import format_date
from flask import Blueprint, abort, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from boostcamp.core.cache import cached_for_visitors, render_with_kept_blocks
from boostcamp.core.db import paginate
from boostcamp.core.policy import Action, can
from boostcamp.core.text import plain_text
from boostcamp.core.texts import localized
from boostcamp.core.web import missing_is_404
from boostcamp.events import availability, queries
from boostcamp.events.models import Audience, Event, EventKind, EventStatus

bp = Blueprint("events", __name__)


@bp.app_template_global("registration_state")
def registration_state_global(event) -> str:
    """For an event's card: "open", "not_yet_open", "closed" or "cancelled" (no query)."""
    return availability.registration_state(event).value


@bp.get("/")
@cached_for_visitors
def list_events():
    return _catalogue(past=False)


# A static rule wins over /events/<slug>; generated slugs always end in -YYYY-MM.
@bp.get("/events/archive")
@cached_for_visitors
def list_past_events():
    return _catalogue(past=True)


def _catalogue(past: bool):
    return render_with_kept_blocks(lambda: _build_catalogue(past))


def _build_catalogue(past: bool):
    filters = queries.Filters.from_args(request.args)
    page = paginate(
        queries.public_events(filters, past=past),
        page=request.args.get("page"),
        per_page=queries.PER_PAGE,
    )
    choices = queries.filter_choices(filters, past=past)
    context = dict(
        page=page,
        past=past,
        filters=filters,
        choices=choices,
        month_labels={month: month_label(month) for month in choices.months},
        kinds=list(EventKind),
        audiences=list(Audience),
        seats_left=queries.seats_left_by_event(page.items),
    )
    return "events/list.html", context, True


def month_label(month: str) -> str:
    """A YYYY-MM month as its name: "2030-03" is "mars 2030" in French."""
    return _month_name(month, str(get_locale()))


@functools.lru_cache(maxsize=2048)  # the archive lists years of months: Babel is slow-ish
def _month_name(month: str, locale: str) -> str:
    year, number = month.split("-")
    return format_date(date(int(year), int(number), 1), "LLLL y", locale=locale)


@bp.get("/events/<slug>")
@cached_for_visitors
def show_event(slug: str):
    return render_with_kept_blocks(lambda: _build_event_page(slug))


def _build_event_page(slug: str):
    with missing_is_404():
        event = queries.get_by_slug(slug)
    # Drafts are not public: only the people who may work on them see them, never kept.
    if event.status == EventStatus.DRAFT and not can(current_user, Action.VIEW_EVENT, event):
        abort(404)
    state = availability.registration_state(event)
    register_url = (
        url_for("registrations.register", slug=event.slug)
        if state == availability.RegistrationState.OPEN
        else None
    )
    context = dict(
        event=event,
        seats_left=queries.seats_left_by_event([event])[event.id],
        state=state,
        register_url=register_url,
        map_url=map_url(event),
        meta_description=plain_text(localized(event, "summary") or localized(event, "description")),
    )
    return "events/show.html", context, event.status != EventStatus.DRAFT


def map_url(event: Event) -> str:
    """A search on OpenStreetMap: a link out, as the pages themselves load nothing from outside."""
    place = ", ".join(p for p in (event.venue, event.address, event.city) if p)
    return "https://www.openstreetmap.org/search?" + urlencode({"query": place})
