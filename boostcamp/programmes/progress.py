"""How far each participant is in a programme: who came to which event, who completed it."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from boostcamp.core.extensions import db
from boostcamp.programmes.enrolment import entries_of
from boostcamp.programmes.mails import self_service_url
from boostcamp.programmes.models import Programme, ProgrammeRegistration
from boostcamp.programmes.models import ProgrammeRegistrationStatus as Status
from boostcamp.registrations import signals as registration_signals
from boostcamp.registrations.models import Person, Registration, RegistrationStatus
from boostcamp.checkin.attendance import attendance_query
from boostcamp.outcomes.certificates.services import min_attendance


GRID_PER_PAGE = 50  # participants per page of the progress grid


@dataclass(frozen=True)
class Cell:
    """One person at one event of the programme."""

    status: RegistrationStatus | None  # None: not registered
    attended: float  # share of the event's sessions attended, 0.0–1.0
    registration: Registration | None = None

    @property
    def came(self) -> bool:
        return self.attended > 0


def progress(programme: Programme, person_ids: Sequence[int]) -> dict[tuple[int, int], Cell]:
    """{(person id, event id): Cell} for these people at the programme's events, in two
    queries whatever their number."""
    events = {e.id: e for e in programme.events}
    if not events or not person_ids:
        return {}
    found = db.session.scalars(
        sa.select(Registration).where(Registration.person_id.in_(person_ids),
                                      Registration.event_id.in_(events))
    ).all()  # fmt: skip
    attended = attendance_query().subquery()
    sessions = sa.func.count(sa.distinct(sa.func.coalesce(attended.c.session_id, 0)))
    counts = dict(db.session.execute(
        sa.select(attended.c.registration_id, sessions)
        .where(attended.c.registration_id.in_([r.id for r in found]))
        .group_by(attended.c.registration_id)
    ).all())  # fmt: skip
    cells = {}
    for r in found:
        total = len(events[r.event_id].sessions) or 1
        share = min(counts.get(r.id, 0) / total, 1.0)
        cells[(r.person_id, r.event_id)] = Cell(r.status, share, r)
    return cells


def cell(cells: dict, person_id: int, event_id: int) -> Cell:
    return cells.get((person_id, event_id), Cell(None, 0.0))


def participants_query(programme: Programme) -> sa.Select:
    """The programme's registrations, confirmed first then waiting, for the progress grid."""
    return (
        sa.select(ProgrammeRegistration)
        .join(Person, Person.id == ProgrammeRegistration.person_id)
        .where(ProgrammeRegistration.programme_id == programme.id,
               ProgrammeRegistration.status != Status.CANCELLED)
        .options(joinedload(ProgrammeRegistration.person))
        .order_by(ProgrammeRegistration.status, Person.last_name, Person.first_name,
                  ProgrammeRegistration.id)
    )  # fmt: skip


def counts_as_attended(cell: Cell) -> bool:
    """An event counts for the programme as for an attendance certificate: a confirmed
    registration with the centre's share of its sessions (the attribution rule's, 50 %)."""
    return cell.status == RegistrationStatus.CONFIRMED and cell.came and (
        cell.attended >= min_attendance()
    )


def completed(programme: Programme, person_cells: Iterable[Cell]) -> bool:
    """The programme's rule: attended `required_events` of its events (all by default)."""
    came = sum(1 for c in person_cells if counts_as_attended(c))
    needed = programme.required_events or len(programme.steps)
    return bool(programme.steps) and came >= needed


def status_counts(programme: Programme) -> dict[Status, int]:
    rows = db.session.execute(
        sa.select(ProgrammeRegistration.status, sa.func.count())
        .where(ProgrammeRegistration.programme_id == programme.id)
        .group_by(ProgrammeRegistration.status)
    ).all()
    return {**dict.fromkeys(Status, 0), **dict(rows)}


@dataclass(frozen=True)
class Summary:
    """A line on the person's registration page: a programme of theirs and how far they are."""

    entry: ProgrammeRegistration
    url: str
    attended: int
    total: int


def summaries(person: Person) -> list[Summary]:
    """The person's programmes with their progress, for their self-service pages."""
    result = []
    for entry in entries_of(person):
        cells = progress(entry.programme, [person.id])
        attended = sum(1 for c in cells.values() if counts_as_attended(c))
        result.append(Summary(entry, self_service_url(entry), attended, len(entry.programme.steps)))
    return result


@registration_signals.self_service_page.connect
def _self_service_programmes(registration: Registration, *, now) -> dict:
    return {"programmes": summaries(registration.person)}
