"""Programme certificates: a PDF for whoever attended what the programme requires (all its
events, or `required_events` of them; an event counts with the share of its sessions that
earns an attendance certificate). Nothing is stored: drawn from the standing check-ins each
time. Its code is "P" + the programme registration's id + an HMAC of it, checked by the public
page /programmes/certificates/<code>, like the events' certificates."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from boostcamp.core.i18n import local_date
from boostcamp.core.zones import zone_of
from boostcamp.core.errors import DomainError
from boostcamp.events.models import Event
from boostcamp.outcomes.certificates.pdf import (
    draw_foot,
    draw_head,
    draw_statement,
    new_certificate,
    write_line,
)
from boostcamp.outcomes.certificates.services import number_from_code, signed_code
from boostcamp.programmes import progress
from boostcamp.programmes.models import ProgrammeRegistration, ProgrammeRegistrationStatus
from boostcamp.outcomes.certificates.services import attendance_of

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


def verification_code(entry: ProgrammeRegistration) -> str:
    return signed_code("programme-certificate", "P", entry.id)


def entry_id_from_code(code: str) -> int | None:
    return number_from_code("programme-certificate", "P", code)


def certificate_pdf(achievement: Achievement, verify_url: str, language: str) -> bytes:
    entry = achievement.entry
    programme, person = entry.programme, entry.person
    zone = achievement.events[0] if achievement.events else None  # its zone, or the centre's
    with force_locale(language):
        title = programme.text_in("title", language) or programme.title
        pdf = new_certificate(f"{TITLE} – {title}", programme.host)
        line = partial(write_line, pdf)
        draw_head(pdf, programme.host, programme.co_organisers)
        pdf.ln(12)
        draw_statement(pdf, str(TITLE), 10, person.full_name, _("completed the programme"), title)
        pdf.ln(6)
        line(_("Total training hours: %(hours)s.", hours=f"{achievement.hours:g}"), 12)
        pdf.ln(2)
        for event in achievement.events:
            line(f"{local_date(event.starts_at, 'medium', event)} – {event.title}",
                 10, height=5.5)  # fmt: skip
        pdf.ln(6)
        names = ", ".join(o.organisation.name for o in programme.organisers)
        line(_("Organised by %(organisers)s.", organisers=names), 11)
        today = local_date(datetime.now(zone_of(zone)), "long", zone)
        draw_foot(pdf, today, verification_code(entry), verify_url)
        return bytes(pdf.output())
