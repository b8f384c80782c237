"""The demo's programmes (called by boostcamp.demo.data.seed): the next Boostcamp in Mons
followed by two workshops and a certification exam, open for one sign-up; and the same path
in 2009, rebuilt from that year's events: its participants are the people who registered for
its Boostcamp, and their progress is their attendance as the demo already records it — no
registration or check-in is added, so the funders' figures (2008–2011) are unchanged."""

from collections import Counter
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from boostcamp.events.models import Audience, Event, EventKind, EventStatus
from boostcamp.events.availability import seats_left, seats_taken
from boostcamp.events.editing import create_event
from boostcamp.core.extensions import db
from boostcamp.programmes import editing
from boostcamp.programmes.models import Programme, ProgrammeRegistration
from boostcamp.programmes.models import ProgrammeRegistrationStatus as Status
from boostcamp.registrations.models import Registration, RegistrationStatus

NEXT = "parcours-boostcamp-mons"
HISTORY = "parcours-boostcamp-2009"
NEXT_BOOSTCAMP = "boostcamp-mons-prochaine-edition"
NEXT_TRANSLATIONS = {
    "nl": {"title": "Boostcamp-traject Bergen: van idee tot certificering",
           "summary": "De Boostcamp, twee workshops om uw project vooruit te helpen en een "
                      "certificeringsexamen: één inschrijving voor het hele traject."},
    "en": {"title": "Boostcamp path in Mons: from idea to certification",
           "summary": "The Boostcamp, two workshops to move your project forward and a "
                      "certification exam session: one registration for the whole path."},
}  # fmt: skip


def _path(boostcamp: Event, with_seats: bool = False) -> list[Event] | None:
    """The Boostcamp, the next two workshops after it and the next exam after them, each
    starting once the one before has ended (`with_seats`: skipping full ones); None when the
    demo has no such path."""
    path = [boostcamp]
    for kind, n in ((EventKind.WORKSHOP, 2), (EventKind.CERTIFICATION_EXAM, 1)):
        for _ in range(n):
            candidates = db.session.scalars(
                sa.select(Event)
                .where(Event.kind == kind, Event.starts_at >= path[-1].ends_at,
                       Event.status == EventStatus.PUBLISHED)
                .order_by(Event.starts_at, Event.id).limit(10)
            ).all()  # fmt: skip
            taken = seats_taken(e.id for e in candidates)
            event = next((e for e in candidates
                          if not with_seats or seats_left(e, taken[e.id]) != 0), None)  # fmt: skip
            if event is None:
                return None
            path.append(event)
    return path


EXTRA_WORKSHOP = "atelier-premiers-clients-mons"


def _extra_workshop(boostcamp: Event, added: Counter) -> None:
    """The season's pitch workshop is full (the demo shows a full event): the path gets a
    workshop of its own, five weeks after the Boostcamp, before the exam session."""
    if db.session.scalar(sa.select(Event.id).where(Event.slug == EXTRA_WORKSHOP)) is not None:
        return
    zone = boostcamp.zone
    day = boostcamp.starts_at.astimezone(zone).date() + timedelta(days=37)
    create_event(
        title="Atelier : trouver ses premiers clients", kind=EventKind.WORKSHOP, slug=EXTRA_WORKSHOP,
        starts_at=datetime.combine(day, time(18), tzinfo=zone),
        ends_at=datetime.combine(day, time(21), tzinfo=zone), city="Mons",
        host=boostcamp.host, status=EventStatus.PUBLISHED, capacity=15,
        venue=boostcamp.venue, address=boostcamp.address,
        registration_opens_at=boostcamp.registration_opens_at,
        audiences=(Audience.ENTREPRENEURS, Audience.JOB_SEEKERS),
        summary="Passer de l'idée aux premières ventes : prospection, prix et premiers contrats.",
        description="## Au programme\n\n- Qui sont vos premiers clients ?\n- Fixer son prix\n"
                    "- Prospection et suivi",
        language="fr", translations={"nl": {
            "title": "Workshop: uw eerste klanten vinden",
            "summary": "Van idee naar de eerste verkoop: prospectie, prijs en eerste contracten.",
            "description": "## Op het programma\n\n- Wie zijn uw eerste klanten?\n"
                           "- Uw prijs bepalen\n- Prospectie en opvolging"}},
    )  # fmt: skip
    added["events"] += 1


def seed(now: datetime) -> Counter:
    added: Counter = Counter()
    existing = set(db.session.scalars(sa.select(Programme.slug)))
    boostcamp = db.session.scalar(sa.select(Event).where(Event.slug == NEXT_BOOSTCAMP))
    if boostcamp is not None and NEXT not in existing and boostcamp.starts_at > now:
        _extra_workshop(boostcamp, added)
    path = _path(boostcamp, with_seats=True) if boostcamp is not None and NEXT not in existing else None
    if path:
        editing.create_programme(
            title="Parcours Boostcamp Mons : de l'idée à la certification", slug=NEXT,
            host=boostcamp.host, events=path, status=EventStatus.PUBLISHED, required_events=3,
            summary="Le Boostcamp, deux ateliers pour avancer votre projet et une session "
                    "d'examens de certification : une seule inscription pour tout le parcours.",
            language="fr", translations=NEXT_TRANSLATIONS,
        )  # fmt: skip
        added["programmes"] += 1
    if HISTORY not in existing:
        first = db.session.scalar(
            sa.select(Event).where(Event.kind == EventKind.BOOSTCAMP,
                                   Event.starts_at >= datetime.fromisoformat("2009-01-01T00:00+01:00"),
                                   Event.status == EventStatus.PUBLISHED)
            .order_by(Event.starts_at, Event.id).limit(1)
        )  # fmt: skip
        old_path = _path(first) if first is not None else None
        if old_path and old_path[-1].ends_at < now:
            programme = editing.create_programme(
                title="Parcours Boostcamp 2009", slug=HISTORY, host=first.host, events=old_path,
                status=EventStatus.PUBLISHED, required_events=3,
                summary="Le parcours de 2009, reconstitué à partir de ses événements.",
                language="fr", translations={"nl": {
                    "title": "Boostcamp-traject 2009",
                    "summary": "Het traject van 2009, samengesteld uit zijn evenementen."}},
            )  # fmt: skip
            people = db.session.scalars(
                sa.select(Registration.person_id).where(
                    Registration.event_id == first.id,
                    Registration.status == RegistrationStatus.CONFIRMED)
                .order_by(Registration.id)
            ).all()  # fmt: skip
            db.session.add_all(
                ProgrammeRegistration(programme=programme, person_id=person_id,
                                      status=Status.CONFIRMED, created_at=first.created_at)
                for person_id in people
            )  # fmt: skip
            added["programmes"] += 1
            added["programme registrations"] += len(people)
    db.session.flush()
    return added
