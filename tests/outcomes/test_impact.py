"""The impact figures, breakdowns, targets and lists, for the centre and for a partner."""

from datetime import date
from decimal import Decimal

import pytest

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.policy import impact_scope
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import figures as impact
from boostcamp.outcomes.impact import lists, targets
from boostcamp.outcomes.impact.lists import PeopleList
from boostcamp.outcomes.impact.scope import Dimension
from boostcamp.outcomes.records import services as outcomes
from tests.factories import make_user
from tests.outcomes.helpers import PERIOD, world

# Both engines: the dashboard's figures are computed in SQL, per dialect.
pytestmark = pytest.mark.both_engines


def test_the_centre_sees_every_credited_outcome_and_what_was_recorded(app):
    w = world()
    staff = make_user(role=StaffRole.STAFF)
    figures = impact.figures(impact_scope(staff, *PERIOD))
    assert figures.startups == 2 and figures.startups_recorded == 3
    assert (figures.jobs, figures.jobs_fte) == (8, Decimal("7.00"))
    assert figures.certifications == 1 and figures.certifications_recorded == 2
    assert figures.participants == 2 and figures.registered == 3 and figures.job_seekers == 1
    assert figures.attendance_hours == 2 * 2 * 8  # two people, two days of 8 hours each
    assert w["startup_a"].id


def test_a_partner_sees_only_what_its_own_events_are_credited_with(app):
    w = world()
    manager = make_user(org=w["a"], org_role=MemberRole.MANAGER)
    scope = impact_scope(manager, *PERIOD)
    figures = impact.figures(scope)
    assert (figures.startups, figures.jobs, figures.certifications) == (1, 5, 0)
    assert figures.participants == 1 and figures.registered == 2 and figures.job_seekers == 0
    assert figures.startups_recorded is None and figures.certifications_recorded is None
    listed = db.session.scalars(lists.startups_query(scope, credited=False)).all()
    assert [s.name for s in listed] == ["Alpha"]
    people = db.session.scalars(lists.people_query(scope, PeopleList.PARTICIPANTS)).all()
    assert people == [w["founder_a"]]
    assert db.session.scalars(lists.certifications_query(scope)).all() == []


def test_breakdowns_by_programme_partner_city_audience_and_year(app):
    w = world()
    scope = impact_scope(make_user(role=StaffRole.ADMIN), *PERIOD)
    by_kind = {l.key: l for l in impact.breakdown(scope, Dimension.KIND)}
    assert (by_kind["boostcamp"].startups, by_kind["boostcamp"].jobs) == (1, 5)
    assert (by_kind["training"].startups, by_kind["training"].certifications) == (1, 1)
    by_partner = {l.key: l for l in impact.breakdown(scope, Dimension.PARTNER)}
    assert by_partner[w["centre"].slug].startups == 2  # host of both
    assert by_partner[w["a"].slug].participants == 1 and by_partner[w["b"].slug].jobs == 3
    by_city = {l.key: l.startups for l in impact.breakdown(scope, Dimension.CITY)}
    assert by_city == {"Louvain-la-Neuve": 1, "Namur": 1}
    by_audience = {l.key: l.certifications for l in impact.breakdown(scope, Dimension.AUDIENCE)}
    assert by_audience == {"entrepreneurs": 0, "job_seekers": 1}
    by_year = {l.key: (l.startups, l.jobs, l.certifications, l.participants)
               for l in impact.breakdown(scope, Dimension.YEAR)}  # fmt: skip
    assert by_year == {"2010": (2, 8, 1, 2)}

    namur = db.session.scalars(lists.startups_query(scope, Dimension.CITY, "Namur")).all()
    assert [s.name for s in namur] == ["Beta"]
    in_2011 = db.session.scalars(lists.certifications_query(scope, Dimension.YEAR, "2011")).all()
    assert in_2011 == []


def test_targets_are_measured_over_their_own_period(app):
    world()
    targets.create_target(label="Emplois 2010", metric="jobs", value=16,
                           period_from=date(2010, 1, 1), period_to=date(2010, 12, 31))  # fmt: skip
    targets.create_target(label="Start-ups 2011", metric="startups", value=5,
                           period_from=date(2011, 1, 1), period_to=date(2011, 12, 31))  # fmt: skip
    db.session.commit()
    scope = impact_scope(make_user(role=StaffRole.STAFF), date(2008, 1, 1), date(2014, 12, 31))
    progress = {p.target.label: (p.reached, p.percent) for p in targets.targets_progress(scope)}
    assert progress == {"Emplois 2010": (8, 50), "Start-ups 2011": (0, 0)}


def test_each_page_of_a_list_knows_the_events_credited(app):
    w = world()
    scope = impact_scope(make_user(role=StaffRole.STAFF), *PERIOD)
    found = lists.credited_events(scope, [w["startup_a"].id], [w["cert_b"].id])
    assert found == {("startup", w["startup_a"].id): [w["of_a"]],
                     ("certification", w["cert_b"].id): [w["of_b"]]}  # fmt: skip
    assert lists.jobs_of([w["startup_a"].id], date(2010, 12, 31)) == {
        w["startup_a"].id: (5, Decimal("4.50"))
    }


# ---------------------------------------------------------------- kept between changes


def test_the_summary_is_kept_and_counted_again_the_instant_anything_it_counts_changes(
    database_url,
):
    """With the cache on, as deployed: an unchanged base answers from the kept summary;
    a check-in, an undo, new jobs, a certification, a member, a moved event or the rule
    each give new figures on the very next request."""
    import sqlalchemy as sa

    from boostcamp.checkin.models import CheckIn
    from boostcamp.core.extensions import cache
    from boostcamp.outcomes.impact.attribution import set_rule
    from tests.conftest import clear_tables, make_app
    from tests.factories import make_certification, make_check_in, make_person, make_registration

    app = make_app(database_url, CACHE_TYPE="SimpleCache")
    with app.app_context():
        clear_tables()
        cache.clear()
        w = world()
        staff = make_user(role=StaffRole.STAFF)

        def summary():
            return impact.summarise(impact_scope(staff, *PERIOD))

        statements = []
        sa.event.listen(db.engine, "before_cursor_execute",
                        lambda _c, _k, statement, *_: statements.append(statement))  # fmt: skip
        first = summary()
        counted = len(statements)
        statements.clear()
        assert summary() == first
        assert len(statements) < counted - 3  # the version and the rule, not the facts

        # someone new comes to B's training
        newcomer = make_person()
        make_check_in(make_registration(w["of_b"], newcomer), w["of_b"].sessions[0])
        db.session.commit()
        assert summary().figures.participants == first.figures.participants + 1

        check_in = db.session.scalar(sa.select(CheckIn).order_by(CheckIn.id.desc()).limit(1))
        from boostcamp.checkin import scanning

        scanning.undo_check_in(check_in, nonce="undo-1", actor=staff)
        db.session.commit()
        assert summary().figures.participants == first.figures.participants

        outcomes.record_jobs(w["startup_b"], date(2010, 10, 1), 4, 4)  # changed in place
        db.session.commit()
        assert summary().figures.jobs == first.figures.jobs + 1

        make_certification(w["founder_a"], name="AZ-900", obtained_on=date(2010, 6, 2))
        db.session.commit()
        before_rule = summary()
        assert before_rule.figures.certifications_recorded == 3

        set_rule(min_attendance_percent=100, startup_months=1, certification_months=1)
        db.session.commit()
        assert summary().figures.startups < before_rule.figures.startups
        clear_tables()
        db.engine.dispose()


def test_who_came_and_the_hours_agree_with_the_lists_whatever_the_check_ins(app):
    """Who came and the hours are counted in one pass per session: a second counted entry
    to a session, an undone entry and a duplicate scan do not change them, and the people
    counted are those the lists show."""
    from boostcamp.checkin.models import CheckIn, CheckInKind
    from tests.factories import make_check_in, make_person, make_registration

    w = world()
    day_one, day_two = w["of_a"].sessions
    twice = make_registration(w["of_a"], make_person(), profile="job_seeker")
    make_check_in(twice, day_one)
    make_check_in(twice, day_one)  # two devices, both counted: one attendance
    make_check_in(twice, day_two, counted=False)  # a duplicate scan: not an attendance
    undone = make_registration(w["of_b"], make_person(), profile="job_seeker")
    entry = make_check_in(undone, w["of_b"].sessions[0])
    make_check_in(undone, kind=CheckInKind.UNDO, undoes_id=entry.id)
    assert db.session.query(CheckIn).count() == 9
    scope = impact_scope(make_user(role=StaffRole.ADMIN), *PERIOD)
    figures = impact.figures(scope)
    assert (figures.participants, figures.job_seekers) == (3, 2)
    assert figures.attendance_hours == 2 * 2 * 8 + 8  # and one day of the third person
    for which, counted in ((PeopleList.PARTICIPANTS, 3), (PeopleList.JOB_SEEKERS, 2)):
        assert len(db.session.scalars(lists.people_query(scope, which)).all()) == counted
    by_partner = {l.key: l.participants for l in impact.breakdown(scope, Dimension.PARTNER)}
    assert by_partner == {w["centre"].slug: 3, w["a"].slug: 2, w["b"].slug: 1}
