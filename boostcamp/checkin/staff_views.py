"""The staff's attendance pages: who came to each session and who did not, the no-show
rate, each person's share of the sessions; exports; the printable sheet funders ask to be
signed. (The check-in screen itself is in screen_views.py.)

The attendance and its exports need VIEW_PARTICIPANTS (centre staff, the managers of the
event's partners). The printable sheet needs only CHECK_IN: the check-in members stand at
the door with it, and it shows no more than the check-in screen does (names and
organisations, no e-mail addresses). Another partner's event answers 404.
"""

from datetime import datetime

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from boostcamp.checkin import scanning
from boostcamp.checkin.attendance import (
    attendance_grid,
    attendance_people,
    attendance_rates,
    attendance_summary,
    attendance_times,
    sessions_in_order,
)
from boostcamp.core import exports
from boostcamp.core.db import paginate
from boostcamp.core.extensions import db
from boostcamp.core.policy import Action, event_or_404
from boostcamp.core.web import missing_is_404
from boostcamp.events.models import Event, EventSession
from boostcamp.registrations.models import RegistrationSource

bp = Blueprint("staff_checkin", __name__, url_prefix="/staff/events/<slug>")

PER_PAGE = 50
SHEET_BLANK_LINES = 8  # for the people who register at the door
CAME_FILTERS = {"yes": True, "no": False}


def _session(event: Event) -> EventSession | None:
    """The session asked for (?session=id), else the one running now or next."""
    with missing_is_404():
        return scanning.choose_session(event, request.args.get("session", type=int))


def _session_page(template: str, event: Event, session: EventSession | None, **context):
    """A page about one session, with its tabs to the others (attendance/_sessions.html)."""
    return render_template(template, event=event, session=session,
                           sessions=sessions_in_order(event), **context)  # fmt: skip


@bp.get("/attendance")
@login_required
def attendance(slug: str):
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    session = _session(event)
    came_filter = request.args.get("came", "")
    page = paginate(
        attendance_people(event, session, CAME_FILTERS.get(came_filter)),
        page=request.args.get("page"), per_page=PER_PAGE,
    )  # fmt: skip
    summary = attendance_summary(event)
    return _session_page(
        "staff/attendance/list.html", event, session,
        page=page,
        came_filter=came_filter if came_filter in CAME_FILTERS else "",
        summary=summary,
        current=next(line for line in summary if line["session"] == session),
        times=attendance_times([r.id for r in page.items], session),
        rates=attendance_rates(event),
        walk_in=RegistrationSource.WALK_IN,
    )  # fmt: skip


def _export_rows(event: Event) -> tuple[list[str], list[list]]:
    """One row per person expected or who came; a column per session (one for an event
    without agenda) with the time they came in, in the event's zone; their share of the
    sessions in percent."""
    sessions = sessions_in_order(event)
    columns = [(s.id, s.title) for s in sessions] or [(None, _("Came in at"))]
    zone = event.zone
    grid = attendance_grid(event)
    rates = attendance_rates(event)
    header = [_("Last name"), _("First name"), _("E-mail"), _("Company or project"), _("Status"),
              _("Registered at the door"), *(title for _id, title in columns),
              _("Attendance (%)")]  # fmt: skip
    rows = []
    for r in db.session.scalars(attendance_people(event, None, any_session=True)):
        times: list[datetime | None] = [
            grid[(r.id, session_id)].astimezone(zone).replace(tzinfo=None)
            if (r.id, session_id) in grid else None
            for session_id, _title in columns
        ]
        rows.append([
            r.last_name, r.first_name, r.person.email, r.organisation_name,
            str(r.status.label),
            _("Yes") if r.source == RegistrationSource.WALK_IN else _("No"),
            *times, round(rates.get(r.id, 0.0) * 100),
        ])  # fmt: skip
    return header, rows


@bp.get("/attendance.csv", endpoint="export_csv", defaults={"fmt": "csv"})
@bp.get("/attendance.xlsx", endpoint="export_xlsx", defaults={"fmt": "xlsx"})
@login_required
def export(slug: str, fmt: str):
    """The attendance as CSV or XLSX: the same rows."""
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    header, rows = _export_rows(event)
    return exports.table(fmt, header, rows, name=f"{event.slug}-attendance",
                         title=_("Attendance"))  # fmt: skip


@bp.get("/attendance/sheet")
@login_required
def attendance_sheet(slug: str):
    """To print and have signed: everyone confirmed, by last name, and blank lines."""
    event = event_or_404(slug, Action.CHECK_IN)
    session = _session(event)
    people = db.session.scalars(attendance_people(event, session)).all()
    return _session_page(
        "staff/attendance/sheet.html", event, session,
        people=people,
        blank_lines=SHEET_BLANK_LINES,
        organisers=[o for o in (event.host, *event.co_organisers) if o is not None],
    )  # fmt: skip


@bp.get("/checkin/not-arrived")
@login_required
def not_arrived(slug: str):
    """For the door: who holds a seat in this session and has not come in yet, by last
    name (names and organisations only, as on the check-in screen)."""
    event = event_or_404(slug, Action.CHECK_IN)
    session = _session(event)
    page = paginate(attendance_people(event, session, came=False),
                    page=request.args.get("page"), per_page=PER_PAGE)  # fmt: skip
    return _session_page("checkin/not_arrived.html", event, session, page=page)
