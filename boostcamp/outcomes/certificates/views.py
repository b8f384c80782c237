"""Attendance certificates on the web: the PDF for staff (with the event's participants,
VIEW_PARTICIPANTS) and for the participant's own page, and the public check of a
certificate's verification code."""

from flask import abort, render_template, url_for
from flask_login import current_user, login_required

from boostcamp.core.policy import Action, can, require
from boostcamp.core.web import private
from boostcamp.core.extensions import db
from boostcamp.outcomes.blueprints import public, staff
from boostcamp.outcomes.certificates import services as certificates
from boostcamp.outcomes.certificates.pdf import certificate_pdf
from boostcamp.core import exports
from boostcamp.registrations.models import Registration
from boostcamp.registrations.tokens import registration_from


@staff.get("/certificates/<int:registration_id>.pdf")
@login_required
def download_certificate(registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or not can(current_user, Action.VIEW_EVENT, registration.event):
        abort(404)
    require(Action.VIEW_PARTICIPANTS, registration.event)
    return certificate_response(registration)


def certificate_response(registration: Registration):
    """The PDF, or a page saying why there is none (also for the self-service page)."""
    try:
        attendance = certificates.earned_attendance(registration)
    except certificates.CertificateNotEarned as e:
        page = render_template("outcomes/certificate_not_earned.html", message=e.message,
                               event=registration.event, person=registration.person)  # fmt: skip
        return page, 409
    code = certificates.verification_code(registration)
    verify_url = url_for("surveys.verify_certificate", code=code, _external=True)
    pdf = certificate_pdf(attendance, verify_url, registration.person.language)
    slug = registration.event.slug
    return exports.download(pdf, "application/pdf", f"{slug}-certificate-{registration.id}.pdf")


@public.get("/r/<token>/certificate.pdf")
def attendance_certificate(token: str):
    """The participant's own certificate, from their personal link."""
    return private(certificate_response(registration_from(token) or abort(404)))


@public.get("/certificates/<code>")
def verify_certificate(code: str):
    """Anyone holding a certificate's code may check it: it shows what the PDF says."""
    registration_id = certificates.registration_id_from_code(code)
    registration = db.session.get(Registration, registration_id) if registration_id else None
    attendance = certificates.attendance_of(registration) if registration else None
    valid = attendance is not None and certificates.earned(attendance)
    response = render_template("outcomes/certificate_verify.html", code=code, valid=valid,
                               attendance=attendance if valid else None)
    return private(response, 200 if valid else 404)
