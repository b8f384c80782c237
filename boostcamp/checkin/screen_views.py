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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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

from boostcamp.core.json_errors import domain_error, error_response
from boostcamp.core.policy import Action, event_or_404
from boostcamp.checkin import cards, scanning, walk_ins
from boostcamp.checkin.models import CheckIn, CheckInMethod
from boostcamp.checkin.scanning import DEVICE_MAX, TICKET_MAX
from boostcamp.core import i18n, inputs, unit_of_work
from boostcamp.db import utcnow
from boostcamp.errors import DomainError, ValidationFailed
from boostcamp.events.models import Event, EventSession
from boostcamp.extensions import db
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
SCREEN_METHODS = {CheckInMethod.SCAN, CheckInMethod.TYPED, CheckInMethod.SEARCH}
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


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed({"_": _("Send a JSON object.")})
    return data


def _text(data: dict, field: str, errors: dict, required: bool = False) -> str | None:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = _("This field is required.")
        return None
    if not isinstance(value, str):
        errors[field] = _("Not a valid text.")
        return None
    value = value.strip()
    if len(value) > 300:  # the services say each field's own limit
        errors[field] = _("At most %(num)d characters.", num=300)
    elif inputs.bad_text(value):
        errors[field] = str(inputs.CONTROL_MESSAGE)
    return value


def _nonce(data: dict, errors: dict) -> str | None:
    nonce = _text(data, "nonce", errors, required=True)
    if nonce is not None and len(nonce) < 8:
        errors["nonce"] = _("Not a valid nonce.")
    return nonce


def _instant(value: Any, name: str, errors: dict) -> datetime | None:
    """An aware instant ("2026-11-26T09:12:00.000Z"): a device's clock, or the list's as_of."""
    if value in (None, ""):
        return None
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        errors[name] = _("Not a valid time.")
        return None
    if when.tzinfo is None:
        errors[name] = _("Give the time with its time zone.")
        return None
    if not inputs.in_window(when):  # a device whose clock says 1970 or 9999
        errors[name] = str(inputs.DATE_MESSAGE)
        return None
    return when.astimezone(timezone.utc)


def _device(data: dict, errors: dict) -> str | None:
    device = data.get("device")
    if device is None:
        return None
    if not isinstance(device, str) or len(device) > DEVICE_MAX or inputs.bad_text(device):
        errors["device"] = _("Not a valid device name.")
        return None
    return device


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
    event = event_or_404(slug, Action.CHECK_IN)
    session = _session_of(event, request.args.get("session"))
    errors: dict[str, str] = {}
    since = _instant(request.args.get("since"), "since", errors)
    if errors:
        raise ValidationFailed(errors)
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
    event = event_or_404(slug, Action.CHECK_IN)
    session = _session_of(event, request.args.get("session"))
    query = request.args.get("q", "").strip()[:100]
    rows = cards.search(event, query, session) if query else []
    return jsonify(rows=rows)


@bp.get("/<slug>/checkin/counters")
@login_required
@_json_endpoint
def counters(slug: str):
    """Polled every few seconds: the other devices' check-ins show up here."""
    event = event_or_404(slug, Action.CHECK_IN)
    session = _session_of(event, request.args.get("session"))
    return jsonify(counters=_counters(event, session), csrf_token=generate_csrf())


def _read_scan(event: Event, data: Any) -> tuple[dict, dict]:
    """One queued scan as keyword arguments of scanning.check_in, and its field errors."""
    errors: dict[str, str] = {}
    if not isinstance(data, dict):
        return {}, {"_": _("Send a JSON object.")}
    nonce = _nonce(data, errors)
    try:
        method = CheckInMethod(data.get("method"))
        if method not in SCREEN_METHODS:
            raise ValueError
    except ValueError:
        errors["method"] = _("Not a valid way of checking in.")
        method = None
    ticket = data.get("ticket")
    registration_id = data.get("registration_id")
    registration = None
    if ticket not in (None, ""):
        if not isinstance(ticket, str) or len(ticket) > TICKET_MAX:
            errors["ticket"] = _("Not a valid ticket code.")
        ticket = str(ticket).strip().upper()
    elif registration_id not in (None, ""):
        if type(registration_id) is int and 0 < registration_id < 2**31:  # not a bool
            registration = db.session.get(Registration, registration_id)
        if registration is None or registration.event_id != event.id:
            errors["registration_id"] = _("This person is not registered for this event.")
        ticket = None
    else:
        errors["ticket"] = _("Give a ticket code or a registration.")
    try:
        session = _session_of(event, data.get("session"), default=False)
    except DomainError as e:
        errors.update(e.errors)
        session = None
    scanned_at = _instant(data.get("scanned_at"), "scanned_at", errors)  # None: now
    device = _device(data, errors)
    kwargs = dict(nonce=nonce, method=method, ticket=ticket, registration=registration,
                  session=session, scanned_at=scanned_at, device=device)  # fmt: skip
    return kwargs, errors


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
    data = _body()
    errors: dict[str, str] = {}
    nonce = _nonce(data, errors)
    entry_nonce = _text(data, "entry_nonce", errors, required=True)
    device = _device(data, errors)
    if errors:
        raise ValidationFailed(errors)
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
    data = _body()
    errors: dict[str, str] = {}
    nonce = _nonce(data, errors)
    fields = {name: _text(data, name, errors) for name in WALK_IN_FIELDS}
    fields.update({name: fields[name] or "" for name in ("first_name", "last_name", "email")})
    device = _device(data, errors)
    scanned_at = _instant(data.get("scanned_at"), "scanned_at", errors)  # None: now
    try:
        session = _session_of(event, data.get("session"), default=False)
    except DomainError as e:
        errors.update(e.errors)
        session = None
    if errors:
        raise ValidationFailed(errors)
    sign_up = SignUp(**fields, consent=data.get("consent") is True,
                     language=str(get_locale() or "fr"), source=RegistrationSource.WALK_IN)  # fmt: skip
    outcome = walk_ins.walk_in(event, sign_up, nonce=nonce, session=session, device=device,
                               scanned_at=scanned_at, actor=current_user._get_current_object())  # fmt: skip
    return jsonify(_outcome(event, nonce, outcome))
