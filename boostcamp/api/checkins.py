"""The partner API on check-in: a platform's own scanners (or door system) check people in
with the same rules as the check-in screen, and download the list to check in offline.

Both need Action.CHECK_IN on the event; an event the token may not see answers 404, and a
scan of another partner's event writes nothing. A scan's answer is always 200 with its
`result` (a refused ticket is an answer for the door, not an error of the request).
"""


from flask_babel import lazy_gettext as _l

from boostcamp.api.schemas.checkins import CheckInListOut, CheckInListQuery, CheckInOut, NewCheckIn
from boostcamp.api.views import blp, current_token, errors_documented, load_event
from boostcamp.core.policy import Action
from boostcamp.checkin import cards, scanning
from boostcamp.checkin.models import CheckInMethod
from boostcamp.core.db import utcnow
from boostcamp.core.errors import NotFound, ValidationFailed
from boostcamp.events.models import Event, EventSession


@blp.route("/events/<slug>/checkin-list", methods=["GET"])
@blp.arguments(CheckInListQuery, location="query")
@blp.response(200, CheckInListOut)
@errors_documented(401, 403, 404, 422)
def checkin_list(query, slug):
    """Check-in list of an event

    Everyone registered, cancelled registrations included (so that a device offline can say
    "cancelled"), by last name, with whether and when they came in to the session: the one
    given, else the one running now (or next today, else the first); none for an event
    without agenda. Not paginated: a device needs the whole list to work offline. With
    `since` (the `as_of` of the list it holds), only the people changed since. With `q`,
    only the first 20 who match (search as you type).
    """
    event = load_event(slug, Action.CHECK_IN)
    session = _session(event, query.get("session"), None)
    q = query.get("q", "").strip()
    since = None if q else query.get("since")
    as_of = utcnow()  # before reading: a change made meanwhile comes again next time
    items = cards.search(event, q, session) if q else cards.checkin_list(event, session, since)
    return {
        "session": session_document(event, session),
        "counters": cards.counters(event, session),
        "as_of": as_of,
        "complete": not q and since is None,
        "items": items,
    }


@blp.route("/checkins", methods=["POST"])
@blp.arguments(NewCheckIn)
@blp.response(200, CheckInOut)
@errors_documented(400, 401, 403, 404, 409, 422)
def create_checkin(data):
    """Check someone in

    `result` is `ok` (came in), `already_checked_in` (a duplicate: kept, not counted
    twice; `checked_in_at` says when they first came), `unknown_ticket`, `wrong_event` (a
    ticket of another event: its person is not shown), `cancelled` or `waitlisted` (no seat:
    nothing saved). Sending the same `nonce` again saves nothing and answers as the first
    time (`replayed`), so a device may retry an upload safely.
    """
    event = load_event(data["event"], Action.CHECK_IN)
    session = _session(event, data.get("session"), data.get("scanned_at"))
    outcome = scanning.check_in(
        event,
        nonce=data["nonce"],
        actor=current_token(),
        method=CheckInMethod.API,
        ticket=data["ticket"],
        session=session,
        scanned_at=data.get("scanned_at"),
        device=data.get("device"),
    )
    return outcome_document(event, outcome, session)


def _session(event: Event, session_id: int | None, at) -> EventSession | None:
    try:
        return scanning.choose_session(event, session_id, now=at)
    except NotFound:
        raise ValidationFailed({"session": _l("This session is not part of the event.")}) from None


def session_document(event: Event, session: EventSession | None) -> dict | None:
    if session is None:
        return None
    zone = event.zone
    return {"id": session.id, "title": session.title, "venue": session.venue,
            "starts_at": session.starts_at.astimezone(zone),
            "ends_at": session.ends_at.astimezone(zone)}  # fmt: skip


def outcome_document(
    event: Event, outcome: scanning.CheckInOutcome, session: EventSession | None
) -> dict:
    row = outcome.first or outcome.check_in
    counted_at = row.scanned_at.astimezone(event.zone) if row else None
    session_id = session.id if session is not None else None
    if outcome.check_in is not None:  # a replayed scan counts where it counted the first time
        session_id = outcome.check_in.session_id
    return {
        "result": outcome.result.value,
        "person": cards.scan_card(event, outcome),
        "checked_in_at": counted_at,
        "session": session_id,
        "replayed": outcome.replayed,
    }
