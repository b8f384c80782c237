"""SEQUENCE grows whenever a calendar client must replace its copy: time, place or status."""

from datetime import timedelta

import pytest

from boostcamp.events import editing
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from tests.factories import at, make_event


def two_days(**kw):
    return make_event(
        starts_at=at(2030, 5, 6, 9),
        days=2,
        sessions=[
            ("Jour 1", at(2030, 5, 6, 9), at(2030, 5, 6, 17)),
            ("Jour 2", at(2030, 5, 7, 9), at(2030, 5, 7, 17)),
        ],
        **kw,
    )


def sessions_of(event, **changes_to_first):
    rows = [
        {"id": s.id, "title": s.title, "starts_at": s.starts_at, "ends_at": s.ends_at,
         "venue": s.venue}
        for s in event.sessions
    ]  # fmt: skip
    rows[0].update(changes_to_first)
    return rows


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": at(2030, 5, 6, 8)},
        {"ends_at": at(2030, 5, 7, 19)},
        {"venue": "Quai des Usines 22"},
        {"address": "Avenue Maistriau 8, 7000 Mons"},
        {"city": "Charleroi"},
        {"timezone": "Europe/Paris"},
    ],
)
def test_a_new_time_or_place_raises_the_sequence(app, change):
    event = two_days()
    assert event.sequence == 0
    editing.update_event(event, **change)
    db.session.commit()
    assert event.sequence == 1


def test_a_new_title_or_summary_keeps_the_sequence(app):
    event = two_days()
    editing.update_event(event, title="Boostcamp Mons", summary="Autre résumé")
    db.session.commit()
    assert event.sequence == 0


def test_a_session_moved_or_relocated_raises_the_sequence(app):
    event = two_days()
    start = event.sessions[0].starts_at
    editing.update_event(event, sessions=sessions_of(event, starts_at=start + timedelta(hours=1)))
    assert event.sequence == 1
    editing.update_event(event, sessions=sessions_of(event, venue="Salle B"))
    assert event.sequence == 2
    editing.update_event(event, sessions=sessions_of(event)[1:])  # a day dropped
    assert event.sequence == 3


def test_a_session_renamed_keeps_the_sequence(app):
    event = two_days()
    editing.update_event(event, sessions=sessions_of(event, title="Jour 1 — Idéation"))
    assert event.sequence == 0


def test_cancelling_raises_the_sequence_and_notes_when(app):
    event = two_days()
    editing.cancel_event(event)
    db.session.commit()
    db.session.expire_all()
    assert event.status == EventStatus.CANCELLED
    assert event.sequence == 1
    assert event.cancelled_at is not None


def test_publishing_a_draft_keeps_the_sequence(app):
    # A draft was never in anyone's calendar: there is no copy to replace.
    event = two_days(status=EventStatus.DRAFT)
    editing.publish_event(event)
    db.session.commit()
    assert event.sequence == 0
