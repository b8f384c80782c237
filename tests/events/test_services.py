"""events.editing and events.rules: every rule on an event and its agenda, stable session
ids, the next edition, and the audit log that says who changed what."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from boostcamp.audit.models import AuditEntry
from boostcamp.auth.models import StaffRole
from boostcamp.core.errors import Conflict, DomainError, ValidationFailed
from boostcamp.events import editing
from boostcamp.events.models import Event, EventKind, EventSession, EventStatus
from boostcamp.core.extensions import db
from boostcamp.registrations.models import EventQuestion
from tests.factories import (
    at,
    make_centre,
    make_event,
    make_org,
    make_question,
    make_registration,
    make_user,
)


@pytest.fixture
def centre(app):
    return make_centre()


def valid(centre, **overrides) -> dict:
    fields = dict(
        title="Boostcamp Mons", kind=EventKind.BOOSTCAMP, city="Mons", host=centre,
        starts_at=at(2030, 5, 6, 9), ends_at=at(2030, 5, 7, 17),
        sessions=[("Jour 1", at(2030, 5, 6, 9), at(2030, 5, 6, 17)),
                  ("Jour 2", at(2030, 5, 7, 9), at(2030, 5, 7, 17))],
    )  # fmt: skip
    fields.update(overrides)
    return fields


def errors_of(centre, **overrides) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as e:
        editing.create_event(**valid(centre, **overrides))
    db.session.rollback()
    return e.value.errors


RULES = [
    ("no title", {"title": "  "}, "title", "Give the event a title."),
    ("no city", {"city": ""}, "city", "Say in which city the event takes place."),
    ("title too long", {"title": "x" * 201}, "title", "At most 200 characters."),
    ("summary too long", {"summary": "x" * 501}, "summary", "At most 500 characters."),
    ("address too long", {"address": "x" * 301}, "address", "At most 300 characters."),
    ("naive start", {"starts_at": datetime(2030, 5, 6, 9)}, "starts_at",
     "Give a date and time with its time zone."),
    ("no end", {"ends_at": None}, "ends_at", "Give the end."),
    ("end before start", {"ends_at": at(2030, 5, 5, 17)}, "ends_at",
     "The end must come after the start."),
    ("registration closes before it opens",
     {"registration_opens_at": at(2030, 4, 1), "registration_closes_at": at(2030, 3, 1)},
     "registration_closes_at", "Registration must close after it opens."),
    ("negative capacity", {"capacity": -1}, "capacity", "The capacity cannot be negative."),
    ("unknown time zone", {"timezone": "Europe/Mons"}, "timezone", "Unknown time zone."),
    ("unknown kind", {"kind": "party"}, "kind", "Unknown kind of event."),
    ("session without title", {"sessions": [("", at(2030, 5, 6, 9), at(2030, 5, 6, 17))]},
     "sessions.0.title", "Give the session a title."),
    ("session ends before it starts",
     {"sessions": [("Jour 1", at(2030, 5, 6, 17), at(2030, 5, 6, 9))]},
     "sessions.0.ends_at", "A session must end after it starts."),
    ("session outside the event",
     {"sessions": [("Jour 1", at(2030, 5, 6, 9), at(2030, 5, 6, 17)),
                   ("Jour 3", at(2030, 5, 8, 9), at(2030, 5, 8, 17))]},
     "sessions.1.starts_at", "Every session must lie within the event."),
    ("session ending after the event",
     {"sessions": [("Jour 1", at(2030, 5, 6, 9), at(2030, 5, 6, 17)),
                   ("Jour 2", at(2030, 5, 7, 9), at(2030, 5, 9, 17))]},
     "sessions.1.ends_at", "Every session must lie within the event."),
    ("session with a naive time",
     {"sessions": [("Jour 1", datetime(2030, 5, 6, 9), at(2030, 5, 6, 17))]},
     "sessions.0.starts_at", "Give a date and time with its time zone."),
]  # fmt: skip


@pytest.mark.parametrize(
    "overrides, field, message", [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_each_rule_names_its_field(centre, overrides, field, message):
    assert errors_of(centre, **overrides)[field] == message
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_all_errors_come_at_once(centre):
    errors = errors_of(centre, title="", city="", capacity=-5)
    assert set(errors) == {"title", "city", "capacity"}


@pytest.mark.both_engines  # a unique constraint
def test_a_taken_slug_is_a_conflict_on_the_slug_field(centre):
    make_event(host=centre, slug="boostcamp-mons")
    with pytest.raises(Conflict) as e:
        editing.create_event(**valid(centre), slug="boostcamp-mons")
    assert e.value.errors == {"slug": "The slug “boostcamp-mons” is already taken."}


@pytest.mark.both_engines  # a unique constraint
def test_slugs_are_made_unique(centre):
    first = editing.create_event(**valid(centre))
    second = editing.create_event(**valid(centre))
    assert first.slug == "boostcamp-mons-2030-05"
    assert second.slug == "boostcamp-mons-2030-05-2"


def test_host_is_not_also_a_co_organiser(centre):
    partner = make_org("Partner A")
    event = editing.create_event(**valid(centre), co_organisers=[centre, partner, partner])
    assert [(o.organisation.name, o.role.value) for o in event.organisers] == [
        (centre.name, "host"), ("Partner A", "co-organiser")
    ]


# ---------------------------------------------------------------- update


@pytest.fixture
def event(centre):
    return make_event(
        host=centre, title="Boostcamp Mons", starts_at=at(2030, 5, 6, 9), days=2, capacity=10,
        sessions=[("Jour 1", at(2030, 5, 6, 9), at(2030, 5, 6, 17)),
                  ("Jour 2", at(2030, 5, 7, 9), at(2030, 5, 7, 17))],
    )  # fmt: skip


def sessions_of(event) -> list[dict]:
    return [{"id": s.id, "title": s.title, "starts_at": s.starts_at, "ends_at": s.ends_at}
            for s in event.sessions]  # fmt: skip


def test_sessions_keep_their_ids_when_the_agenda_changes(event):
    first, second = sessions_of(event)
    first["title"] = "Jour 1 — Idéation"
    first["starts_at"] = at(2030, 5, 6, 10)
    new = {"title": "Soirée", "starts_at": at(2030, 5, 6, 18), "ends_at": at(2030, 5, 6, 20)}
    editing.update_event(event, sessions=[new, first])
    db.session.commit()
    db.session.expire_all()
    titles_ids = [(s.title, s.id) for s in event.sessions]  # ordered by start
    assert titles_ids[0] == ("Jour 1 — Idéation", first["id"])
    assert titles_ids[1][0] == "Soirée" and titles_ids[1][1] not in (first["id"], second["id"])
    assert db.session.get(EventSession, second["id"]) is None


def test_a_session_of_another_event_is_refused(event, centre):
    other = make_event(host=centre, sessions=[("X", at(2030, 5, 6, 9), at(2030, 5, 6, 10))],
                       starts_at=at(2030, 5, 6, 9))  # fmt: skip
    stolen = sessions_of(other)[0]
    with pytest.raises(ValidationFailed) as e:
        editing.update_event(event, sessions=[stolen])
    assert e.value.errors == {"sessions.0.id": "This session is not part of the event."}


def test_capacity_cannot_drop_below_the_seats_held(event):
    for _ in range(3):
        make_registration(event)
    with pytest.raises(ValidationFailed) as e:
        editing.update_event(event, capacity=2)
    assert e.value.errors["capacity"] == (
        "3 people already hold a seat: the capacity cannot be lower."
    )
    editing.update_event(event, capacity=3)  # exactly the seats held is fine
    assert event.capacity == 3


def test_a_refused_update_changes_nothing(event):
    with pytest.raises(ValidationFailed):
        editing.update_event(event, title="Nouveau", ends_at=at(2030, 5, 1, 9))
    db.session.rollback()
    db.session.expire_all()
    assert event.title == "Boostcamp Mons"
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "updated")
    ) == 0


def test_a_cancelled_event_cannot_be_changed_or_published(event):
    editing.cancel_event(event)
    with pytest.raises(Conflict):
        editing.update_event(event, title="Nouveau")
    with pytest.raises(Conflict):
        editing.publish_event(event)


def test_co_organisers_are_added_and_removed(event):
    a, b = make_org("Partner A"), make_org("Partner B")
    editing.add_co_organiser(event, a)
    editing.add_co_organiser(event, b)
    editing.remove_co_organiser(event, a)
    assert [o.name for o in event.co_organisers] == ["Partner B"]


# ---------------------------------------------------------------- duplicate


def test_duplicate_moves_sessions_and_registration_window_and_is_a_draft(centre):
    original = make_event(
        host=centre, co_organisers=[make_org("Partner A")], starts_at=at(2030, 5, 6, 9), days=2,
        registration_opens_at=at(2030, 4, 1, 9), registration_closes_at=at(2030, 5, 5, 12),
        sessions=[("Jour 1", at(2030, 5, 6, 9), at(2030, 5, 6, 17)),
                  ("Jour 2", at(2030, 5, 7, 9), at(2030, 5, 7, 17))],
        capacity=30, description="Le *programme*",
    )  # fmt: skip
    staff = make_user(role=StaffRole.STAFF)
    shift = at(2031, 5, 5, 9) - at(2030, 5, 6, 9)
    copy = editing.duplicate_event(original, at(2031, 5, 5, 9), user=staff)
    db.session.commit()
    assert copy.id != original.id and copy.slug != original.slug
    assert copy.status == EventStatus.DRAFT
    assert copy.ends_at == original.ends_at + shift
    assert [(s.title, s.starts_at) for s in copy.sessions] == [
        ("Jour 1", at(2030, 5, 6, 9) + shift), ("Jour 2", at(2030, 5, 7, 9) + shift)
    ]
    assert copy.registration_opens_at == at(2030, 4, 1, 9) + shift
    assert copy.registration_closes_at == at(2030, 5, 5, 12) + shift
    assert [o.name for o in copy.co_organisers] == ["Partner A"]
    assert (copy.capacity, copy.description) == (30, "Le *programme*")
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.event_id == copy.id).order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.user_id) for e in entries] == [
        ("created", staff.id), ("duplicated", staff.id)
    ]
    assert entries[1].changes == {"from": [None, original.slug]}


def test_duplicate_copies_the_sign_up_questions_without_their_answers(centre):
    original = make_event(host=centre, starts_at=at(2030, 5, 6, 9))
    make_question(original, "Votre projet ?", required=True, show_at_checkin=True, position=1)
    make_question(original, "Régime ?", kind="single_choice", choices=["aucun", "végétarien"],
                  help_text="Pour le lunch", position=0)
    copy = editing.duplicate_event(original, at(2031, 5, 5, 9))
    db.session.commit()
    questions = db.session.scalars(
        sa.select(EventQuestion).where(EventQuestion.event_id == copy.id)
        .order_by(EventQuestion.position)
    ).all()
    assert [(q.label, q.kind.value, q.choices, q.help_text, q.required, q.show_at_checkin)
            for q in questions] == [
        ("Régime ?", "single_choice", ["aucun", "végétarien"], "Pour le lunch", False, False),
        ("Votre projet ?", "short_text", [], None, True, True),
    ]
    original_ids = set(db.session.scalars(
        sa.select(EventQuestion.id).where(EventQuestion.event_id == original.id)))
    assert len(original_ids) == 2 and not original_ids & {q.id for q in questions}


def test_duplicate_needs_an_aware_start(event):
    with pytest.raises(DomainError) as e:
        editing.duplicate_event(event, datetime(2031, 5, 5, 9))
    assert e.value.field == "starts_at"


# ---------------------------------------------------------------- audit log


def test_every_change_is_written_down_with_its_author(centre):
    staff = make_user(role=StaffRole.STAFF)
    event = editing.create_event(**valid(centre), user=staff)
    editing.update_event(event, title="Boostcamp Mons 2030", capacity=20, user=staff)
    editing.update_event(
        event,
        sessions=[{**s, "title": s["title"] + " (salle 2)"} for s in sessions_of(event)],
        user=staff,
    )
    editing.publish_event(event, user=staff)
    editing.publish_event(event, user=staff)  # already published: nothing to write
    editing.cancel_event(event, user=staff)
    db.session.commit()  # the changes are stored as JSON: this must not fail
    db.session.expire_all()
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.event_id == event.id).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == [
        "created", "updated", "updated", "published", "cancelled"
    ]
    assert {e.user_id for e in entries} == {staff.id}
    assert entries[1].changes == {"title": ["Boostcamp Mons", "Boostcamp Mons 2030"],
                                  "capacity": [None, 20]}  # fmt: skip
    old, new = entries[2].changes["sessions"]
    assert [s["title"] for s in new] == ["Jour 1 (salle 2)", "Jour 2 (salle 2)"]
    assert new[0]["starts_at"] == at(2030, 5, 6, 9).isoformat()


def test_an_update_that_changes_nothing_writes_nothing(event):
    editing.update_event(event, title=event.title, sessions=sessions_of(event))
    db.session.commit()
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "updated")
    ) == 0


def test_past_edition_times_are_unchanged_by_duplicate(event):
    before = (event.starts_at, [s.starts_at for s in event.sessions])
    editing.duplicate_event(event, event.starts_at + timedelta(days=364))
    assert (event.starts_at, [s.starts_at for s in event.sessions]) == before
