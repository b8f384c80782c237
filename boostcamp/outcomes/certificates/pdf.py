"""The attendance certificate as a PDF, drawn anew each time from the attendance (see
certificates.services): the participant's name, the event, its organisers' logos and the
verification link."""

import io
from datetime import datetime
from functools import partial

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FPDF
from text_unidecode import unidecode

from boostcamp.core.i18n import local_date, local_time
from boostcamp.core.texts import localized
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.outcomes.certificates.services import Attendance, verification_code
from boostcamp.organisations.models import Logo

TITLE = _l("Certificate of attendance")


def _text(value: str) -> str:
    """The PDF's built-in fonts know Windows-1252 only: other letters are spelt out
    (Łukasz → Lukasz) rather than lost."""
    return "".join(c if _encodable(c) else unidecode(c) for c in value)


def _encodable(c: str) -> bool:
    try:
        c.encode("windows-1252")
    except UnicodeEncodeError:
        return False
    return True


def _dates(event: Event) -> str:
    zone = event.timezone
    first, last = local_date(event.starts_at, "long", zone), local_date(event.ends_at, "long", zone)
    if first == last:
        return first
    return _("from %(first)s to %(last)s", first=first, last=last)


LOGO_BOX = (34.0, 20.0)  # mm: every logo fits in such a box, whatever its shape
LOGO_GAP = 8.0


def draw_logos(pdf: FPDF, organisations: list, y: float) -> float:
    """The organisations' logos in a centred row of equal boxes (narrower when there are
    many); returns the y below the row, or `y` when none has a logo."""
    shas = [o.logo_sha256 for o in organisations if o and o.logo_sha256]
    if not shas:
        return y
    found = {logo.sha256: logo for logo in db.session.scalars(
        sa.select(Logo).where(Logo.sha256.in_(shas)).options(sa.orm.undefer(Logo.data)))}
    logos = [found[sha] for sha in dict.fromkeys(shas) if sha in found]
    if not logos:
        return y
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    box_w = min(LOGO_BOX[0], (usable - LOGO_GAP * (len(logos) - 1)) / len(logos))
    box_h = LOGO_BOX[1]
    x = pdf.l_margin + (usable - (box_w * len(logos) + LOGO_GAP * (len(logos) - 1))) / 2
    for logo in logos:
        scale = min(box_w / logo.width, box_h / logo.height)
        w, h = logo.width * scale, logo.height * scale
        pdf.image(io.BytesIO(logo.data), x=x + (box_w - w) / 2, y=y + (box_h - h) / 2, w=w, h=h)
        x += box_w + LOGO_GAP
    return y + box_h


def new_certificate(title: str, host) -> FPDF:
    """An A4 page for a certificate (`title` its own kind's and the event's or programme's),
    its margins set."""
    pdf = FPDF(orientation="portrait", format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(_text(title))
    pdf.set_author(_text(host.name if host else ""))
    pdf.set_creator("Boostcamp")
    pdf.set_margins(22, 25, 22)
    pdf.add_page()
    return pdf


def write_line(pdf: FPDF, text: str, size: int = 12, style: str = "", height: float = 7):
    """A line (or more, wrapped) centred across the page."""
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, height, _text(text), align="C", new_x="LMARGIN", new_y="NEXT")


def draw_head(pdf: FPDF, host, co_organisers: list) -> bool:
    """The host's logo (the centre's) and each co-organiser's, which they hand out with it,
    then the host's name; whether there were logos."""
    top = pdf.t_margin - 10
    below = draw_logos(pdf, [host, *co_organisers], top)
    if below > top:
        pdf.set_y(below + 4)
    if host:
        write_line(pdf, host.name, 12, "B")
    return below > top


def draw_statement(pdf: FPDF, kind: str, gap: float, name: str, what: str, title: str) -> None:
    """The certificate's kind, then, `gap` below, that the person (`name`) `what` (took
    part in, completed) the event or programme (`title`)."""
    write_line(pdf, kind, 26, "B", 12)
    pdf.ln(gap)
    write_line(pdf, _("We certify that"), 13)
    pdf.ln(3)
    write_line(pdf, name, 22, "B", 11)
    pdf.ln(3)
    write_line(pdf, what, 13)
    pdf.ln(3)
    write_line(pdf, title, 17, "B", 9)


def draw_foot(pdf: FPDF, issued_on: str, code: str, verify_url: str) -> None:
    """The date, the verification code and where to check it, at the foot of the page."""
    pdf.set_y(-55)
    write_line(pdf, _("Issued on %(date)s.", date=issued_on), 10, height=6)
    write_line(pdf, _("Verification code: %(code)s", code=code), 10, "B", 6)
    write_line(pdf, _("Check this certificate at %(url)s", url=verify_url), 9, height=5)


def certificate_pdf(attendance: Attendance, verify_url: str, language: str) -> bytes:
    """The certificate in the participant's language."""
    event, registration = attendance.event, attendance.registration
    with force_locale(language):
        title = str(localized(event, "title"))  # the participant's language, else the event's
        pdf = new_certificate(f"{TITLE} – {title}", event.host)
        line = partial(write_line, pdf)
        logos = draw_head(pdf, event.host, event.co_organisers)
        pdf.ln(8 if logos else 14)
        draw_statement(pdf, str(TITLE), 12, registration.full_name, _("took part in"), title)
        line(f"{_dates(event)}, {event.city}", 12)
        pdf.ln(8)
        line(
            _("Sessions attended: %(attended)d of %(total)d.", attended=attendance.attended,
              total=attendance.total), 12,
        )  # fmt: skip
        for session in attendance.sessions:
            line(
                f"{local_date(session.starts_at, 'medium', event.timezone)} "
                f"{local_time(session.starts_at, 'short', event.timezone)} – {session.title}",
                10, height=5.5,
            )  # fmt: skip
        pdf.ln(8)
        if event.co_organisers:
            names = ", ".join(o.name for o in event.co_organisers)
            line(_("Organised by %(host)s with %(partners)s.",
                   host=event.host.name if event.host else "", partners=names), 11)  # fmt: skip
        elif event.host:
            line(_("Organised by %(host)s.", host=event.host.name), 11)
        today = local_date(datetime.now(event.zone), "long", event.timezone)
        draw_foot(pdf, today, verification_code(attendance.registration), verify_url)
        return bytes(pdf.output())
