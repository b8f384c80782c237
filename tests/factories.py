"""Test data in one line each, built through the same services the app uses."""

import itertools
from datetime import datetime, timedelta, timezone

from boostcamp.auth import services as auth_services
from boostcamp.auth.models import MemberRole, StaffRole, User
from boostcamp.core.db import utcnow
from boostcamp.events import editing
from boostcamp.events.models import Event, EventKind, EventStatus
from boostcamp.core.extensions import db
from boostcamp.organisations import services as org_services
from boostcamp.organisations.models import Organisation, OrganisationKind
from boostcamp.registrations.models import (
    Person,
    Registration,
    RegistrationStatus,
    normalise_email,
)

_seq = itertools.count(1)
PASSWORD = "password123"


def demo_logo(slug: str = "mind-and-market") -> bytes:
    """One of the demo's logos (a PNG), to upload."""
    from pathlib import Path

    return (Path(__file__).parents[1] / "boostcamp/demo/logos" / f"{slug}.png").read_bytes()


def make_org(name: str | None = None, kind=OrganisationKind.PLATFORM, **kw) -> Organisation:
    org = org_services.create_organisation(name=name or f"Platform {next(_seq)}", kind=kind, **kw)
    db.session.commit()
    return org


def make_centre(name: str = "MIC Mons") -> Organisation:
    return make_org(name, kind=OrganisationKind.CENTRE, city="Mons")


def make_user(
    email: str | None = None,
    role: StaffRole | None = None,
    org: Organisation | None = None,
    org_role: MemberRole | None = None,
    password: str = PASSWORD,
) -> User:
    user = auth_services.create_user(
        email or f"user{next(_seq)}@boostcamp.test",
        password,
        role=role,
        organisation=org,
        org_role=org_role,
    )
    db.session.commit()
    return user


def make_event(
    host: Organisation | None = None,
    co_organisers=(),
    title: str | None = None,
    starts_at: datetime | None = None,
    days: int = 1,
    status: EventStatus = EventStatus.PUBLISHED,
    kind: EventKind = EventKind.BOOSTCAMP,
    city: str = "Mons",
    sessions=(),
    **kw,
) -> Event:
    if host is None:
        host = make_centre(f"Centre {next(_seq)}")
    starts_at = starts_at or (utcnow() + timedelta(days=30)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    event = editing.create_event(
        title=title or f"Boostcamp {next(_seq)}",
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=days - 1, hours=9),
        city=city,
        host=host,
        co_organisers=co_organisers,
        sessions=sessions,
        status=status,
        **kw,
    )
    db.session.commit()
    return event


def make_person(email: str | None = None, first_name="Marie", last_name="Dupont", **kw) -> Person:
    person = Person(
        email=normalise_email(email or f"person{next(_seq)}@example.be"),
        first_name=first_name,
        last_name=last_name,
        **kw,
    )
    db.session.add(person)
    db.session.commit()
    return person


def make_registration(
    event: Event, person: Person | None = None, status=RegistrationStatus.CONFIRMED, **kw
) -> Registration:
    registration = Registration(
        event=event, person=person or make_person(), status=status, **kw
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def at(year, month, day, hour=9, minute=0, tz="Europe/Brussels") -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def make_question(
    event: Event, label: str = "Votre projet en une phrase ?", kind="short_text", **kw
):
    """One of the event's own questions on its sign-up form."""
    from boostcamp.registrations.models import EventQuestion, QuestionKind

    question = EventQuestion(event_id=event.id, label=label, kind=QuestionKind(kind), **kw)
    db.session.add(question)
    db.session.commit()
    return question


def sign_up(event: Event, email: str | None = None, now: datetime | None = None, **kw):
    """Someone signs up through the same service as the public form; returns its result."""
    from boostcamp.registrations import signup

    data = dict(first_name="Marie", last_name="Dupont", consent=True, profile="entrepreneur")
    data.update(kw)
    result = signup.register(
        event, signup.SignUp(email=email or f"person{next(_seq)}@example.be", **data),
        now=now,
    )
    db.session.commit()
    return result


def make_check_in(registration: Registration, session=None, counted: bool = True, **kw):
    """A row as the check-in service writes it: the person came in (to `session`, or to
    the whole event when it has no agenda). Bypasses the service, for data set-ups only."""
    import uuid

    from boostcamp.checkin.models import CheckIn, CheckInMethod

    row = CheckIn(
        nonce=kw.pop("nonce", None) or uuid.uuid4().hex,
        registration_id=registration.id,
        session_id=session.id if session is not None else None,
        counted=counted,
        method=kw.pop("method", CheckInMethod.SEARCH),
        scanned_at=kw.pop("scanned_at", utcnow()),
        **kw,
    )
    db.session.add(row)
    db.session.commit()
    return row


def make_startup(name: str | None = None, founders=(), founded_on=None, **kw):
    """A start-up through the record service, with `founders` (Person) added as founders."""
    from datetime import date

    from boostcamp.outcomes.records import services as outcomes
    from boostcamp.outcomes.records.models import StartupRole

    startup = outcomes.create_startup(
        name=name or f"Start-up {next(_seq)}", founded_on=founded_on or date(2010, 6, 1), **kw
    )
    for person in founders:
        outcomes.add_member(startup, person, StartupRole.FOUNDER)
    db.session.commit()
    return startup


def make_jobs_snapshot(startup, on=None, headcount: int = 3, fte=None):
    from boostcamp.outcomes.records import services as outcomes

    snapshot = outcomes.record_jobs(startup, on or startup.founded_on, headcount, fte)
    db.session.commit()
    return snapshot


def make_certification(person=None, obtained_on=None, name="MCTS: .NET Framework 4", **kw):
    from datetime import date

    from boostcamp.outcomes.records import services as outcomes

    certification = outcomes.add_certification(
        person or make_person(),
        name,
        kw.pop("code", "70-511"),
        kw.pop("issuer", "Microsoft"),
        obtained_on or date(2011, 3, 1),
        **kw,
    )
    db.session.commit()
    return certification


def make_programme(events=(), host=None, co_organisers=(), status=EventStatus.PUBLISHED, **kw):
    """A programme of these events (hosted by the first event's host by default)."""
    from boostcamp.programmes import editing as programme_editing

    events = list(events)
    host = host or (events[0].host if events else make_centre(f"Centre {next(_seq)}"))
    programme = programme_editing.create_programme(
        title=kw.pop("title", None) or f"Programme {next(_seq)}", host=host,
        co_organisers=co_organisers, events=events, status=status, **kw,
    )  # fmt: skip
    db.session.commit()
    return programme
