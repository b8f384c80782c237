"""What a participant holds: the QR ticket, and the links to their registration and their data."""

import io

import segno
from flask import url_for

from boostcamp.registrations.models import Registration
from boostcamp.registrations.tokens import make_token


def manage_url(registration: Registration) -> str:
    """The absolute self-service link that every mail carries."""
    return url_for("registrations.manage", token=make_token(registration.id), _external=True)


def data_url(registration: Registration) -> str:
    """The person's "My data" page (boostcamp.privacy), reached with their registration's link."""
    return url_for("privacy.my_data", token=make_token(registration.id), _external=True)


def ticket_qr(ticket_code: str) -> segno.QRCode:
    """A full QR code, never a Micro QR (which segno.make picks for a short code): phone
    cameras, BarcodeDetector and jsQR read only full QR codes."""
    return segno.make_qr(ticket_code, error="m")


def ticket_png(ticket_code: str) -> bytes:
    buffer = io.BytesIO()
    ticket_qr(ticket_code).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def ticket_svg(ticket_code: str) -> bytes:
    buffer = io.BytesIO()
    ticket_qr(ticket_code).save(buffer, kind="svg", scale=6, border=4, xmldecl=False)
    return buffer.getvalue()
