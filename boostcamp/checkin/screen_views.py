"""The check-in screen at the door, and the small JSON endpoints its script talks to.

A phone or tablet scans tickets (camera or hardware scanner), searches by name and registers
walk-ins. The script keeps the session's list in IndexedDB and queues every scan with the
nonce the device made, so that it goes on working on bad Wi-Fi and a retried upload changes
nothing (see static/js/checkin.js and templates/checkin/sw.js).

Everything needs CHECK_IN: centre staff, and the managers and check-in members of the
event's co-organising partners; another partner's event answers 404. The endpoints answer
JSON, errors included ({"error", "message", "fields"}), except the sign-in redirect.
"""

import functools
from pathlib import Path
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException

from boostcamp.core.json_errors import domain_error, error_response, flatten
from boostcamp.core.policy import Action, event_or_404
from boostcamp.checkin import cards, scanning, walk_ins
from boostcamp.checkin.models import CheckIn, CheckInMethod
from boostcamp.checkin.schemas import ScreenListQuery, ScreenScan, ScreenUndo, ScreenWalkIn
from boostcamp.core import i18n, unit_of_work
from boostcamp.core.db import utcnow
from boostcamp.core.errors import DomainError, ValidationFailed
from boostcamp.events.models import Event, EventSession
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration, RegistrationSource
from boostcamp.registrations.signup import SignUp

bp = Blueprint("checkin_screen", __name__, url_prefix="/staff/events")

MAX_BATCH = 200  # scans in one upload; a device that queued more sends several
# What the screen needs to open without the network (the service worker keeps them): the
# script is js/checkin.js and the ES modules it imports from js/checkin/.
SCRIPT_MODULES = ("common", "store", "people", "server", "queue", "screen", "scanner")
SHELL = ("vendor/bootstrap/bootstrap.min.css", "css/app.css", "css/checkin.css",
         "vendor/bootstrap/bootstrap.bundle.min.js", "vendor/jsqr/jsQR.js", "js/checkin.js",
         *(f"js/checkin/{name}.js" for name in SCRIPT_MODULES), "js/page.js", "js/sign-out.js",
         "favicon.svg")  # fmt: skip
SCAN, UNDO, WALK_IN, LIST_QUERY = ScreenScan(), ScreenUndo(), ScreenWalkIn(), ScreenListQuery()
WALK_IN_FIELDS = ("first_name", "last_name", "email", "organisation_name", "phone")


def _json_endpoint(view):
    """Errors as JSON for the screen's script: field errors, 403/404, never an HTML page."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            return domain_error(error)
        except HTTPException as error:
            return error_response(error.code or 500, _code(error.code), _message(error.code))

    return wrapper


def _code(status: int | None) -> str:
    return {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(status or 0, "error")


def _message(status: int | None) -> str:
    if status == 403:
        return _("You may not check people in at this event.")
    if status == 404:
        return _("This event or person is not known here.")
    return _("The request could not be understood.")


@bp.errorhandler(CSRFError)
def csrf_expired(error):
    """The script fetches a fresh token from the counters and sends again."""
    return error_response(400, "csrf", _("The page's security token expired; sending again."))


# ---------------------------------------------------------------- reading the request


def _session_of(event: Event, value: Any, default: bool = True) -> EventSession | None:
    """The event's session named by `value` (an id). None given: the session running now or
    next (scanning.choose_session) when `default`, else None (a scan then counts for the
    session running at its own time)."""
    if value in (None, ""):
        return scanning.choose_session(event) if default else None
    try:
        session_id = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed({"session": _("Not a valid session.")}) from None
    return scanning.choose_session(event, session_id)


def _screen_session(slug: str) -> tuple[Event, EventSession | None]:
    """The event checked in at, and the session the screen is on (?session=)."""
    event = event_or_404(slug, Action.CHECK_IN)
    return event, _session_of(event, request.args.get("session"))


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed({"_": _("Send a JSON object.")})
    return data


def _load(schema: ma.Schema, data: Any) -> tuple[dict, dict[str, str]]:
    """The body read by the same schema as the API's (checkin.schemas): the values, and the
    field errors as the API words them."""
    if not isinstance(data, dict):
        return {}, {"_": _("Send a JSON object.")}
    try:
        return schema.load(data), {}
    except ma.ValidationError as e:
        return {}, flatten(e.messages)


# ---------------------------------------------------------------- what the script gets back


def _outcome(
    event: Event, nonce: str, outcome: scanning.CheckInOutcome, ticket: str | None = None
) -> dict:
    """A scan's answer: the result, and the person's card with the attendance the scan made
    or met (when, by whom), unless the ticket was unknown or another event's; for another
    event's ticket, that event (when it is public), so that the door can send them there."""
    person = cards.scan_card(event, outcome)
    first = None
    if outcome.result == scanning.ScanResult.ALREADY_CHECKED_IN and person is not None:
        first = {"at": person["checked_in_at"], "by": person["checked_in_by"]}
    answer = {
        "nonce": nonce,
        "result": str(outcome.result),
        "replayed": outcome.replayed,
        "registration": person,
        "first": first,
    }
    if outcome.result == scanning.ScanResult.WRONG_EVENT and ticket:
        answer["other_event"] = _other_event(ticket)
    return answer


def _other_event(ticket: str) -> dict | None:
    """The event a ticket belongs to: its title and start, only if the public may see it
    (a draft of another organiser stays unnamed)."""
    code = scanning.normalise_ticket(ticket)
    other = db.session.scalar(
        sa.select(Event).join(Registration, Registration.event_id == Event.id)
        .where(Registration.ticket_code == code)
    )  # fmt: skip
    if other is None or not other.is_public:
        return None
    return {"title": other.title,
            "starts_at": i18n.local_datetime(other.starts_at, "short", tz=other.timezone)}


def _counters(event: Event, session: EventSession | None) -> dict:
    counts = cards.counters(event, session)
    return {"checked_in": counts["checked_in"], "expected": counts["expected"]}


# ---------------------------------------------------------------- the screen


@bp.get("/<slug>/checkin")
@login_required
def show_screen(slug: str):
    event = event_or_404(slug, Action.CHECK_IN)
    try:
        session = _session_of(event, request.args.get("session"))
    except DomainError:
        abort(404)
    session_id = session.id if session else None

    def endpoint(name: str) -> str:
        return url_for(f".{name}", slug=slug)

    config = {
        "event": event.slug,
        "session": session_id,
        "timezone": event.timezone,
        "locale": str(i18n.format_locale()).replace("_", "-"),  # times as en-GB, nl-BE write them
        "user": current_user.name,
        "urls": {name: endpoint(name) for name in
                 ("checkin_list", "upload_scans", "search", "counters", "undo", "walk_in")},
        "serviceWorker": url_for(".service_worker"),
        "serviceWorkerScope": _worker_scope(),
    }
    return render_template(
        "checkin/screen.html",
        event=event,
        session=session,
        sessions=event.sessions,
        config=config,
    )


@bp.get("/checkin-sw.js")
@login_required
def service_worker():
    """Served from here so that its scope, /staff/events/, covers every check-in screen."""
    script = render_template(
        "checkin/sw.js",
        shell=[url_for("static", filename=f) for f in SHELL],
        version=max(int((Path(current_app.static_folder) / f).stat().st_mtime) for f in SHELL),
    )  # the version changes with any cached file, so that devices drop their old copies
    response = Response(script, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = _worker_scope()
    return response


def _worker_scope() -> str:
    return url_for(".service_worker").rsplit("/", 1)[0] + "/"


# ---------------------------------------------------------------- the screen's JSON


@bp.get("/<slug>/checkin/list")
@login_required
@_json_endpoint
def checkin_list(slug: str):
    """Everyone the session expects, for the device's offline copy. Not paginated: the
    device needs all of them to decide scans without the network. With `since` (the
    `as_of` of the device's copy), only the people changed since then: on bad Wi-Fi a
    device keeps its copy current without downloading everyone again."""
    event, session = _screen_session(slug)
    query, errors = _load(LIST_QUERY, request.args.to_dict())
    if errors:
        raise ValidationFailed(errors)
    since = query.get("since")
    as_of = utcnow()  # before reading: a change made meanwhile comes again next time
    rows = cards.checkin_list(event, session, since=since)
    return jsonify(
        rows=rows,
        complete=since is None,
        as_of=as_of.isoformat(),
        counters=_counters(event, session),
        csrf_token=generate_csrf(),
    )


@bp.get("/<slug>/checkin/search")
@login_required
@_json_endpoint
def search(slug: str):
    event, session = _screen_session(slug)
    query = request.args.get("q", "").strip()[:100]
    rows = cards.search(event, query, session) if query else []
    return jsonify(rows=rows)


@bp.get("/<slug>/checkin/counters")
@login_required
@_json_endpoint
def counters(slug: str):
    """Polled every few seconds: the other devices' check-ins show up here."""
    event, session = _screen_session(slug)
    return jsonify(counters=_counters(event, session), csrf_token=generate_csrf())


def _read_scan(event: Event, data: Any) -> tuple[dict, dict]:
    """One queued scan as keyword arguments of scanning.check_in, and its field errors."""
    scan, errors = _load(SCAN, data)
    if errors:
        return {"nonce": data.get("nonce") if isinstance(data, dict) else None}, errors
    registration = None
    if not scan.get("ticket"):
        registration = db.session.get(Registration, scan["registration_id"])
        if registration is None or registration.event_id != event.id:
            return {"nonce": scan["nonce"]}, {
                "registration_id": _("This person is not registered for this event.")}
    try:
        session = _session_of(event, scan.get("session"), default=False)
    except DomainError as e:
        return {"nonce": scan["nonce"]}, e.errors
    ticket = scan["ticket"].strip().upper() if scan.get("ticket") else None
    kwargs = dict(nonce=scan["nonce"], method=CheckInMethod(scan["method"]), ticket=ticket,
                  registration=registration, session=session, scanned_at=scan.get("scanned_at"),
                  device=scan.get("device"))  # fmt: skip
    return kwargs, {}


@bp.post("/<slug>/checkin/scans")
@login_required
@_json_endpoint
def upload_scans(slug: str):
    """The device's queued scans, oldest first, each decided by the server: one answer per
    scan. A scan already received (same nonce) answers as it did, without a second row."""
    event = event_or_404(slug, Action.CHECK_IN)
    scans = _body().get("scans")
    if not isinstance(scans, list) or not scans:
        raise ValidationFailed({"scans": _("Send a list of scans.")})
    if len(scans) > MAX_BATCH:
        raise ValidationFailed({"scans": _("At most %(num)d scans at once.", num=MAX_BATCH)})
    actor = current_user._get_current_object()
    return jsonify(results=[_one_scan(event, actor, data) for data in scans])


def _one_scan(event: Event, actor, data: Any) -> dict:
    """One queued scan's answer. A refused scan wrote nothing: the others go on, and are kept."""
    with unit_of_work.kept_apart():
        kwargs, errors = _read_scan(event, data)
        nonce = kwargs.get("nonce")
        if errors:
            return {"nonce": nonce, "error": "validation_failed", "fields": errors}
        try:
            outcome = scanning.check_in(event, actor=actor, **kwargs)
        except DomainError as error:
            return {"nonce": nonce, "error": error.code, "fields": error.errors}
        return _outcome(event, nonce, outcome, kwargs.get("ticket"))


@bp.post("/<slug>/checkin/undo")
@login_required
@_json_endpoint
def undo(slug: str):
    """Takes back a check-in, named by the nonce its scan was sent with."""
    event = event_or_404(slug, Action.CHECK_IN)
    data, errors = _load(UNDO, _body())
    if errors:
        raise ValidationFailed(errors)
    nonce, entry_nonce, device = data["nonce"], data["entry_nonce"], data.get("device")
    row = db.session.scalar(
        sa.select(CheckIn)
        .join(CheckIn.registration)
        .where(CheckIn.nonce == entry_nonce, Registration.event_id == event.id)
    )
    if row is None:
        raise ValidationFailed({"entry_nonce": _("This check-in is not known here.")})
    scanning.undo_check_in(row, nonce=nonce, actor=current_user._get_current_object(),
                           device=device)  # fmt: skip
    return jsonify(
        undone=entry_nonce,
        registration=cards.person_card(event, row.registration, row.session),
    )


@bp.post("/<slug>/checkin/walk-in")
@login_required
@_json_endpoint
def walk_in(slug: str):
    """Someone who is not registered: registered and checked in at once, even when the
    event is full (flagged as a walk-in)."""
    event = event_or_404(slug, Action.CHECK_IN)
    data, errors = _load(WALK_IN, _body())
    session = None
    if not errors:
        try:
            session = _session_of(event, data.get("session"), default=False)
        except DomainError as e:
            errors = e.errors
    if errors:
        raise ValidationFailed(errors)
    nonce, device, scanned_at = data["nonce"], data.get("device"), data.get("scanned_at")
    fields = {name: data[name] or "" if name in ("first_name", "last_name", "email")
              else data[name] for name in WALK_IN_FIELDS}  # fmt: skip
    sign_up = SignUp(**fields, consent=data["consent"],
                     language=str(get_locale() or "fr"), source=RegistrationSource.WALK_IN)  # fmt: skip
    outcome = walk_ins.walk_in(event, sign_up, nonce=nonce, session=session, device=device,
                               scanned_at=scanned_at, actor=current_user._get_current_object())  # fmt: skip
    return jsonify(_outcome(event, nonce, outcome))
