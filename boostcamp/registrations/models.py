import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from boostcamp.core.inputs import normalise_email  # noqa: F401  (people's addresses, as accounts')
from boostcamp.core.text import fold
from boostcamp.core.labels import Labelled
from boostcamp.core.db import TimestampMixin, UTCDateTime, str_enum, utcnow
from boostcamp.events.models import Event
from boostcamp.core.extensions import db

# No 0/O, 1/I/L: a ticket code is sometimes read out or typed at the door.
TICKET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(12))


class Profile(Labelled):
    ENTREPRENEUR = "entrepreneur", _l("Entrepreneur or project holder")
    JOB_SEEKER = "job_seeker", _l("Job seeker")
    STUDENT = "student", _l("Student")
    EMPLOYEE = "employee", _l("Employee")
    OTHER = "other", _l("Other")


class RegistrationStatus(Labelled):
    CONFIRMED = "confirmed", _l("Confirmed")
    WAITLISTED = "waitlisted", _l("Waiting list")
    # a freed seat is offered to someone from the waiting list
    OFFERED = "offered", _l("Seat offered")
    CANCELLED = "cancelled", _l("Cancelled")
    # an application, not decided yet: no seat (boostcamp.admission)
    APPLIED = "applied", _l("Applied")
    REJECTED = "rejected", _l("Not admitted")  # an application turned down


# How staff pages list the statuses (the enum's order is the API's).
STAFF_ORDER = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.OFFERED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.APPLIED,
    RegistrationStatus.REJECTED,
)


# Seats held by someone: a confirmed registration, or an offer still open.
HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


class RegistrationSource(Labelled):
    FORM = "form", _l("Sign-up form")  # the public sign-up form
    API = "api", _l("Partner API")  # a partner platform's system
    STAFF = "staff", _l("Added by staff")
    WALK_IN = "walk_in", _l("Walk-in at the door")


class QuestionKind(Labelled):
    SHORT_TEXT = "short_text", _l("Short text")
    LONG_TEXT = "long_text", _l("Long text")
    SINGLE_CHOICE = "single_choice", _l("One choice among several")
    MULTIPLE_CHOICE = "multiple_choice", _l("Several choices")
    YES_NO = "yes_no", _l("Yes or no")


class Person(TimestampMixin, db.Model):
    """One participant across events, known by their e-mail address."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # normalise_email()
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    language: Mapped[str] = mapped_column(sa.String(5), default="fr")
    # "Stop asking": no follow-up survey is sent after this (outcomes.surveys).
    followup_opt_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # No reminder mails before events (the person's "My data" page, boostcamp.privacy).
    reminders_opt_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Erased (GDPR Art. 17): a row without identity, kept so that the figures still count.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registrations: Mapped[list["Registration"]] = relationship(back_populates="person")

    @property
    def shown_first_name(self) -> str:
        """The first name as pages show it: an erased person's placeholder (stored in English,
        privacy.services) in the reader's language."""
        return str(_l("anonymised")) if self.anonymised_at is not None else self.first_name

    @property
    def full_name(self) -> str:
        return f"{self.shown_first_name} {self.last_name}"

    def __repr__(self) -> str:
        return f"<Person {self.email}>"


class Registration(TimestampMixin, db.Model):
    __table_args__ = (
        sa.UniqueConstraint("event_id", "person_id"),
        sa.Index("ix_registration_event_id_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus))
    ticket_code: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_ticket_code)
    profile: Mapped[Profile] = mapped_column(str_enum(Profile), default=Profile.OTHER)
    organisation_name: Mapped[str | None] = mapped_column(sa.String(200))  # company or project
    # Where the applicant lives or works: asked on an application, for the jury's filter.
    city: Mapped[str | None] = mapped_column(sa.String(100))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    consent_followup: Mapped[bool] = mapped_column(default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(40))  # self, staff, offer_expired …
    source: Mapped[RegistrationSource] = mapped_column(
        str_enum(RegistrationSource), default=RegistrationSource.FORM, server_default="form"
    )
    # A seat offered from the waiting list is held until offer_expires_at.
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff's note about this person for this event, shown on the check-in card.
    note: Mapped[str | None] = mapped_column(sa.String(500))
    # Last and first name, e-mail, organisation and ticket, lower case without accents, kept
    # up to date on every flush (keep_search_text): the door's search-as-you-type reads and
    # sorts one plain column.
    search_text: Mapped[str | None] = mapped_column(sa.String(700))
    # What a partner, staff or the door gave when registering someone they had never had at
    # their events: they see these, never the details the person gave elsewhere (None: the
    # person's own details).
    given_first_name: Mapped[str | None] = mapped_column(sa.String(100))
    given_last_name: Mapped[str | None] = mapped_column(sa.String(100))
    given_phone: Mapped[str | None] = mapped_column(sa.String(40))

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship(back_populates="registrations")
    answers: Mapped[list["RegistrationAnswer"]] = relationship(
        cascade="all, delete-orphan", order_by="RegistrationAnswer.id"
    )

    # The person as the organisers of this event know them: pages, exports, the door and the
    # API show these; mails to the person use their own details (person.*).
    @property
    def first_name(self) -> str:
        given = self.given_first_name
        return self.person.shown_first_name if given is None else given

    @property
    def last_name(self) -> str:
        return self.person.last_name if self.given_last_name is None else self.given_last_name

    @property
    def phone(self) -> str | None:
        return self.person.phone if self.given_first_name is None else self.given_phone

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def search_text(registration: "Registration", person: Person) -> str:
    # Last name first: ordered by this column, the matches come in the order of the list.
    first = registration.given_first_name or person.first_name
    last = registration.given_last_name or person.last_name
    parts = (last, first, person.email, registration.organisation_name, registration.ticket_code)
    return fold(" ".join(p for p in parts if p))


@sa.event.listens_for(Session, "before_flush")
def keep_search_text(session: Session, _context, _instances) -> None:
    """Registrations written through the ORM get their search_text; a person renamed (or
    with a new address) updates theirs. Rows inserted otherwise (bulk) have none: the
    search still finds them, more slowly (checkin.cards.search)."""
    def changed(obj, *names: str) -> bool:
        return any(sa.inspect(obj).attrs[name].history.has_changes() for name in names)

    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, Registration):
                person = obj.person or session.get(Person, obj.person_id)
                if person is not None:
                    obj.ticket_code = obj.ticket_code or new_ticket_code()
                    obj.search_text = search_text(obj, person)
        for obj in session.dirty:
            if isinstance(obj, Registration) and changed(obj, "organisation_name", "ticket_code",
                                                          "given_first_name", "given_last_name"):
                obj.search_text = search_text(obj, obj.person)
            elif isinstance(obj, Person) and changed(obj, "first_name", "last_name", "email"):
                for registration in obj.registrations:
                    registration.search_text = search_text(registration, obj)


class EventQuestion(db.Model):
    """A question of the event's own, asked on its sign-up form."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(300))
    help_text: Mapped[str | None] = mapped_column(sa.String(500))
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    choices: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # for the choice kinds
    required: Mapped[bool] = mapped_column(default=False)
    show_at_checkin: Mapped[bool] = mapped_column(default=False)
    # Asked of applicants, read by the event's reviewers on the applications pages only:
    # never on the registrations list, its exports, the API or at the door.
    for_reviewers: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class RegistrationAnswer(db.Model):
    __table_args__ = (sa.UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_question.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str | bool | list[str] | None] = mapped_column(sa.JSON)

    question: Mapped[EventQuestion] = relationship(lazy="joined")


class ConsentKind(Labelled):
    # the details used to organise the event
    REGISTRATION = "registration", _l("Use of my details to organise the event")
    # contacted later about their project (surveys)
    FOLLOW_UP = "follow_up", _l("Contact later about my project (follow-up)")


class ConsentChannel(Labelled):
    FORM = "form", _l("on the sign-up form")  # the person, on the public sign-up form
    API = "api", _l("by a partner's system (API)")  # a partner platform's system, its API token
    # a staff member (the centre's or a partner's) on the staff pages
    STAFF = "staff", _l("by staff")
    DOOR = "door", _l("at the door")  # registered at the door (walk-in)
    # recorded before consent records existed, or brought in from a file
    IMPORT = "import", _l("recorded before consent records")


class Consent(db.Model):
    """One consent, as given: what, when, under which version of the privacy notice, by
    which channel and who asserted it (None: the person themselves). Withdrawing stamps
    withdrawn_at; the row stays as evidence, without identity once the person is erased."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[ConsentKind] = mapped_column(str_enum(ConsentKind))
    # PRIVACY_NOTICE_VERSION when it was given; None: not recorded (before 0019).
    notice_version: Mapped[str | None] = mapped_column(sa.String(40))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[ConsentChannel] = mapped_column(str_enum(ConsentChannel))
    # The API token (and its organisation) or the staff or door user who registered them.
    asserted_by: Mapped[str | None] = mapped_column(sa.String(300))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration | None] = relationship()
