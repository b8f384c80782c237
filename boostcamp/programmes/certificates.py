"""Programme certificates: a PDF for whoever attended what the programme requires (all its
events, or `required_events` of them; an event counts with the share of its sessions that
earns an attendance certificate). Nothing is stored: drawn from the standing check-ins each
time. Its code is "P" + the programme registration's id + an HMAC of it, checked by the public
page /programmes/certificates/<code>, like the events' certificates."""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from boostcamp.core.i18n import local_date
from boostcamp.core.zones import zone_of
from boostcamp.core.errors import DomainError
from boostcamp.events.models import Event
from boostcamp.outcomes.certificates.pdf import _text, draw_logos
from boostcamp.programmes import progress
from boostcamp.programmes.models import ProgrammeRegistration, ProgrammeRegistrationStatus
from boostcamp.outcomes.certificates.services import attendance_of

CODE_DIGEST_LENGTH = 10
TITLE = _l("Programme certificate")


class CertificateNotEarned(DomainError):
    code = "not_earned"


@dataclass(frozen=True)
class Achievement:
    entry: ProgrammeRegistration
    events: list[Event]  # the events that count, in order
    needed: int
    hours: float  # training hours: the sessions attended at those events

    @property
    def exam_missing(self) -> bool:
        """The rule asks for the exam and staff have not recorded it as passed."""
        return self.entry.programme.requires_exam and self.entry.exam_passed is not True

    @property
    def earned(self) -> bool:
        return (self.entry.status == ProgrammeRegistrationStatus.CONFIRMED
                and len(self.events) >= self.needed > 0 and not self.exam_missing)  # fmt: skip


def achievement_of(entry: ProgrammeRegistration) -> Achievement:
    programme = entry.programme
    cells = progress.progress(programme, [entry.person_id])
    counted, hours = [], timedelta()
    for event in programme.events:
        cell = progress.cell(cells, entry.person_id, event.id)
        if progress.counts_as_attended(cell):
            counted.append(event)
            hours += _hours_attended(event, cell)
    needed = programme.required_events or len(programme.steps)
    return Achievement(entry, counted, needed, round(hours.total_seconds() / 3600, 1))


def _hours_attended(event: Event, cell: progress.Cell) -> timedelta:
    if not event.sessions:
        return event.ends_at - event.starts_at
    return sum((s.ends_at - s.starts_at for s in attendance_of(cell.registration).sessions),
               timedelta())  # fmt: skip


def earned_achievement(entry: ProgrammeRegistration) -> Achievement:
    achievement = achievement_of(entry)
    if not achievement.earned and len(achievement.events) >= achievement.needed > 0:
        raise CertificateNotEarned(_l("The programme's certificate also needs its exam passed, "
                                      "as the organisers record it."))  # fmt: skip
    if not achievement.earned:
        raise CertificateNotEarned(_l(
            "The programme's certificate needs %(needed)d of its events attended; "
            "%(done)d so far.", needed=achievement.needed, done=len(achievement.events)))
    return achievement


def _digest(entry_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"programme-certificate:{entry_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:CODE_DIGEST_LENGTH].upper()


def verification_code(entry: ProgrammeRegistration) -> str:
    return f"P{entry.id}-{_digest(entry.id)}"


def entry_id_from_code(code: str) -> int | None:
    match = re.fullmatch(r"P([0-9]{1,18})-([0-9A-F]+)", code.strip().upper())
    if match is None or not hmac.compare_digest(match.group(2), _digest(int(match.group(1)))):
        return None
    return int(match.group(1))


def certificate_pdf(achievement: Achievement, verify_url: str, language: str) -> bytes:
    entry = achievement.entry
    programme, person = entry.programme, entry.person
    zone = achievement.events[0] if achievement.events else None  # its zone, or the centre's
    with force_locale(language):
        pdf = FPDF(orientation="portrait", format="A4")
        pdf.core_fonts_encoding = "windows-1252"
        title = programme.text_in("title", language) or programme.title
        pdf.set_title(_text(f"{TITLE} – {title}"))
        pdf.set_author(_text(programme.host.name if programme.host else ""))
        pdf.set_creator("Boostcamp")
        pdf.set_margins(22, 25, 22)
        pdf.add_page()

        def line(text: str, size: int = 12, style: str = "", height: float = 7):
            pdf.set_font("Helvetica", style, size)
            pdf.multi_cell(0, height, _text(text), align="C", new_x="LMARGIN", new_y="NEXT")

        top = pdf.t_margin - 10
        below = draw_logos(pdf, [programme.host, *programme.co_organisers], top)
        if below > top:
            pdf.set_y(below + 4)
        if programme.host:
            line(programme.host.name, 12, "B")
        pdf.ln(12)
        line(str(TITLE), 26, "B", 12)
        pdf.ln(10)
        line(_("We certify that"), 13)
        pdf.ln(3)
        line(person.full_name, 22, "B", 11)
        pdf.ln(3)
        line(_("completed the programme"), 13)
        pdf.ln(3)
        line(title, 17, "B", 9)
        pdf.ln(6)
        line(_("Total training hours: %(hours)s.", hours=f"{achievement.hours:g}"), 12)
        pdf.ln(2)
        for event in achievement.events:
            line(f"{local_date(event.starts_at, 'medium', event)} – {event.title}",
                 10, height=5.5)  # fmt: skip
        pdf.ln(6)
        names = ", ".join(o.organisation.name for o in programme.organisers)
        line(_("Organised by %(organisers)s.", organisers=names), 11)
        pdf.set_y(-55)
        line(_("Issued on %(date)s.", date=local_date(datetime.now(zone_of(zone)), "long", zone)),
             10, height=6)  # fmt: skip
        line(_("Verification code: %(code)s", code=verification_code(entry)), 10, "B", 6)
        line(_("Check this certificate at %(url)s", url=verify_url), 9, height=5)
        return bytes(pdf.output())
