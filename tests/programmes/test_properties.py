"""Property-based tests (hypothesis) of the programmes' new inputs: the editions' schedule
and its list of dates, the overlap rule, and the programme and editions forms driven with
any text — never a 5xx, and what is refused saves nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boostcamp.auth.models import StaffRole
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.programmes import editing, series
from boostcamp.programmes.models import Programme
from tests.core.test_forms_property import TEXT
from tests.factories import at, make_centre, make_event, make_programme, make_user

BOUNDED = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))  # fmt: skip
BRUSSELS = ZoneInfo("Europe/Brussels")


class Stub:
    """What series needs of an event, without a database."""

    timezone = "Europe/Brussels"

    def __init__(self, starts_at):
        self.starts_at = starts_at


@BOUNDED
@given(day=st.dates(min_value=datetime(2026, 1, 1).date(), max_value=datetime(2040, 12, 31).date()),
       hour=st.integers(6, 21), minute=st.sampled_from([0, 15, 30, 45]),
       step=st.integers(1, 12), unit=st.sampled_from(list(series.Unit)),
       count=st.integers(1, series.MAX_EDITIONS))  # fmt: skip
def test_editions_keep_the_time_of_day_in_brussels_and_come_in_order(day, hour, minute, step,
                                                                       unit, count):  # fmt: skip
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)
    starts = series.every(Stub(start), step=step, unit=unit, count=count)
    assert len(starts) == count
    assert all(a < b for a, b in zip(starts, starts[1:]))
    assert starts[0] > start
    assert {(s.astimezone(BRUSSELS).hour, s.astimezone(BRUSSELS).minute) for s in starts} == {
        (hour, minute)}
    if unit == series.Unit.MONTHS:  # the same day of the month, or the month's last
        assert all(s.astimezone(BRUSSELS).day in (day.day, 28, 29, 30) for s in starts)


@BOUNDED
@given(text=st.one_of(TEXT, st.lists(st.dates().map(str), max_size=60).map("\n".join)))
def test_any_list_of_dates_is_parsed_or_refused_with_a_field_error(text):
    try:
        starts = series.parse_dates(text, Stub(datetime(2030, 1, 1, 9, 30, tzinfo=BRUSSELS)))
    except ValidationFailed as e:
        assert set(e.errors) == {"dates"}
    else:
        assert 1 <= len(starts) <= series.MAX_EDITIONS
        assert all(s.tzinfo is not None for s in starts)


@pytest.mark.parametrize("count", [0, 53, 500])
def test_editions_are_bounded(count):
    with pytest.raises(ValidationFailed) as e:
        series.every(Stub(datetime(2030, 1, 1, 9, tzinfo=BRUSSELS)), step=1, unit="weeks",
                     count=count)  # fmt: skip
    assert set(e.value.errors) == {"count"}


def test_a_weekly_series_across_the_october_change_stays_at_0930(app):
    event = make_event(starts_at=at(2030, 10, 14, 9, 30), sessions=[
        ("Matin", at(2030, 10, 14, 9, 30), at(2030, 10, 14, 12, 30))])
    copies = series.create_editions(event, series.every(event, step=1, unit="weeks", count=3))
    db.session.commit()
    local = [(c.starts_at.astimezone(BRUSSELS), c.sessions[0].ends_at.astimezone(BRUSSELS))
             for c in copies]  # fmt: skip
    assert [(s.day, s.hour, s.minute, e.hour, e.minute) for s, e in local] == [
        (21, 9, 30, 12, 30), (28, 9, 30, 12, 30), (4, 9, 30, 12, 30)]
    # summer time ends on 27 October 2030: a week and an hour between those two instants
    assert copies[1].starts_at - copies[0].starts_at == timedelta(days=7, hours=1)


@BOUNDED
@given(spans=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 72)), min_size=1, max_size=5))
def test_the_overlap_rule_refuses_exactly_the_overlapping_events(spans):
    class E:
        def __init__(self, i, start, hours):
            base = datetime(2030, 1, 1, tzinfo=BRUSSELS)
            self.id, self.title, self.status = i, f"E{i}", "published"
            self.admission = "open"
            self.starts_at = base + timedelta(days=start)
            self.ends_at = self.starts_at + timedelta(hours=hours)
            self.organisers = [type("O", (), {"organisation_id": 1})()]

    events = [E(i, s, h) for i, (s, h) in enumerate(spans)]
    ordered = sorted(events, key=lambda e: (e.starts_at, e.id))
    overlap = any(b.starts_at < a.ends_at for a, b in zip(ordered, ordered[1:]))
    errors = editing._event_errors(events, {1})
    assert ("events" in errors) == overlap


def test_the_programme_form_with_any_text(app, client):
    centre = make_centre()
    event = make_event(host=centre)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    client.post("/auth/login", data={"email": "staff@mic.test", "password": "password123"})

    @BOUNDED
    @given(field=st.sampled_from(["title_fr", "summary_fr", "description_fr", "title_nl",
                                  "summary_en", "language", "required_events", "events",
                                  "kept_events", "requires_exam"]),
           value=TEXT)  # fmt: skip
    def post(field, value):
        db.session.rollback()
        before = db.session.scalar(sa.select(sa.func.count(Programme.id)))
        data = {"title_fr": "Parcours", "events": str(event.id), field: value}
        response = client.post("/staff/programmes/new", data=data)
        assert response.status_code in (200, 302)
        db.session.rollback()
        after = db.session.scalar(sa.select(sa.func.count(Programme.id)))
        assert after == before + (1 if response.status_code == 302 else 0)

    post()


def test_the_editions_form_with_any_text(app, client):
    event = make_event(host=make_centre())
    make_user("staff@mic.test", role=StaffRole.STAFF)
    client.post("/auth/login", data={"email": "staff@mic.test", "password": "password123"})

    @BOUNDED
    @given(field=st.sampled_from(["every", "unit", "count", "dates", "first_starts_at"]),
           value=TEXT)  # fmt: skip
    def post(field, value):
        db.session.rollback()
        before = db.session.scalar(sa.select(sa.func.count(Event.id)))
        data = {"every": "1", "unit": "weeks", "count": "2", field: value}
        response = client.post(f"/staff/events/{event.slug}/editions", data=data)
        assert response.status_code in (200, 302)
        db.session.rollback()
        after = db.session.scalar(sa.select(sa.func.count(Event.id)))
        assert after == before or response.status_code == 302
        if response.status_code == 302:  # clean up for the next example
            db.session.execute(sa.delete(Event).where(Event.id != event.id))
            db.session.commit()

    post()


def test_the_programme_sign_up_form_with_any_text(app, client):
    programme = make_programme([make_event(capacity=1000)])

    @BOUNDED
    @given(field=st.sampled_from(["first_name", "last_name", "email", "organisation", "phone"]),
           value=TEXT)  # fmt: skip
    def post(field, value):
        data = {"first_name": "Marie", "last_name": "Dupont", "email": "m@example.be",
                "profile": "student", "consent": "y", field: value}  # fmt: skip
        response = client.post(f"/programmes/{programme.slug}/register", data=data)
        assert response.status_code in (200, 302)

    post()


def test_the_programme_editions_form_with_any_text(app, client):
    centre = make_centre()
    programme = make_programme([make_event(host=centre, starts_at=at(2031, 1, 6, 9, 30)),
                                make_event(host=centre, starts_at=at(2031, 1, 16, 18))])
    make_user("staff@mic.test", role=StaffRole.STAFF)
    client.post("/auth/login", data={"email": "staff@mic.test", "password": "password123"})

    @BOUNDED
    @given(field=st.sampled_from(["every", "unit", "count", "dates", "first_starts_at"]),
           value=TEXT)  # fmt: skip
    def post(field, value):
        db.session.rollback()
        before = db.session.scalar(sa.select(sa.func.count(Programme.id)))
        data = {"every": "1", "unit": "weeks", "count": "2", field: value}
        response = client.post(f"/staff/programmes/{programme.slug}/editions", data=data)
        assert response.status_code in (200, 302)
        db.session.rollback()
        after = db.session.scalar(sa.select(sa.func.count(Programme.id)))
        assert after == before or response.status_code == 302
        if response.status_code == 302:  # clean up for the next example
            db.session.execute(sa.delete(Programme).where(Programme.id != programme.id))
            db.session.commit()

    post()


LANGUAGE = st.one_of(st.sampled_from(["fr", "nl", "en"]), st.text(max_size=3))
TEXTS = st.one_of(TEXT, st.none(), st.integers(), st.dictionaries(LANGUAGE, st.one_of(TEXT, st.none(),
                                                                                    st.integers())))


def test_the_api_takes_any_texts_and_refuses_with_a_422_saving_nothing(app, client):
    from tests.api.helpers import bearer, make_token

    centre = make_centre()
    event = make_event(host=centre)
    token = make_token(centre)

    @BOUNDED
    @given(title=TEXTS, summary=TEXTS, language=LANGUAGE)
    def post(title, summary, language):
        db.session.rollback()
        before = db.session.scalar(sa.select(sa.func.count(Programme.id)))
        response = client.post("/api/v1/programmes", headers=bearer(token), json={
            "title": title, "summary": summary, "language": language, "events": [event.slug]})
        assert response.status_code in (201, 422), response.get_data(as_text=True)
        db.session.rollback()
        after = db.session.scalar(sa.select(sa.func.count(Programme.id)))
        assert after == before + (1 if response.status_code == 201 else 0)

    post()


@BOUNDED
@given(language=st.one_of(LANGUAGE, st.none(), st.integers()),
       translations=st.one_of(st.none(), TEXT, st.dictionaries(LANGUAGE, st.one_of(
           st.none(), TEXT, st.dictionaries(st.sampled_from(["title", "summary", "description",
                                                             "x"]), st.one_of(TEXT, st.none(),
                                                                              st.integers()))))))
def test_any_texts_per_language_are_kept_or_refused_by_field(language, translations):
    from boostcamp.core.texts import clean_translations
    from boostcamp.programmes import texts

    errors = texts.errors(language, translations)
    assert all(isinstance(k, str) for k in errors)
    if not errors:
        cleaned = clean_translations(translations, language)
        assert cleaned is None or language not in cleaned
