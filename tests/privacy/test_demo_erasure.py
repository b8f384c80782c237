"""Erasing the demo's people moves none of the funders' figures."""

from datetime import date

import sqlalchemy as sa

from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import figures as impact
from boostcamp.outcomes.impact.attribution import current_rule
from boostcamp.outcomes.impact.scope import Scope
from boostcamp.outcomes.records.models import Certification, StartupMember
from boostcamp.privacy import services as privacy
from boostcamp.registrations.models import Person
from tests.test_demo import seed


def figures():
    scope = Scope(date(2008, 1, 1), date(2011, 12, 31), sa.true(), True, current_rule())
    f = impact.figures(scope)
    return f.startups, f.jobs, f.certifications, f.participants


# Slow by design: some 900 people erased one by one (about ten statements each), as staff
# erase them, then the funders' figures computed again.
def test_erasing_founders_and_certified_people_keeps_the_2008_2011_figures(app):
    seed()
    before = figures()
    assert before[:3] == (30, 250, 1112)
    # Every founder and team member, every certified person, and every fifth other person.
    ids = set(db.session.scalars(sa.select(StartupMember.person_id)))
    ids |= set(db.session.scalars(sa.select(Certification.person_id)))
    ids |= set(db.session.scalars(sa.select(Person.id).where(Person.id % 5 == 0)))
    for person in db.session.scalars(sa.select(Person).where(Person.id.in_(ids))):
        privacy.anonymise(person, reason="test")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)
                             .where(Person.anonymised_at.is_not(None))) == len(ids)
    assert figures() == before
