"""The demo's outcomes: the press article's figures, counted by the rule from attendance."""

from datetime import date

import sqlalchemy as sa

from boostcamp.checkin.models import CheckIn
from boostcamp.demo import data
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import figures as impact
from boostcamp.outcomes.impact import targets
from boostcamp.outcomes.impact.attribution import current_rule
from boostcamp.outcomes.impact.models import ImpactMetric, ImpactTarget
from boostcamp.outcomes.impact.scope import Scope
from boostcamp.outcomes.records.models import Certification, Startup
from tests.test_demo import seed


def centre_figures(start: date, end: date) -> impact.Figures:
    return impact.figures(Scope(start, end, sa.true(), True, current_rule()))


def test_the_demo_shows_the_centres_2008_2011_results_and_its_2012_2014_target(app):
    seed()
    figures = centre_figures(date(2008, 1, 1), date(2011, 12, 31))
    assert (figures.startups, figures.jobs, figures.certifications) == (30, 250, 1112)
    # Some outcomes no event can claim are there too: the rule, not the data, decides.
    assert figures.startups_recorded > 30 and figures.certifications_recorded > 1112

    target = db.session.scalars(
        sa.select(ImpactTarget).where(ImpactTarget.metric == ImpactMetric.JOBS)
    ).one()
    assert (target.value, target.period_from, target.period_to) == (
        300, date(2012, 1, 1), date(2014, 12, 31)
    )
    progress = {p.target.id: p for p in targets.targets_progress(
        Scope(date(2008, 1, 1), date.today(), sa.true(), True, current_rule())
    )}  # fmt: skip
    assert 0 < progress[target.id].reached < 300


def test_the_figures_come_from_attendance(app):
    seed()
    db.session.execute(sa.delete(CheckIn))  # forget who came: nothing is credited any more
    figures = centre_figures(date(2008, 1, 1), date(2011, 12, 31))
    assert (figures.startups, figures.jobs, figures.certifications) == (0, 0, 0)


def test_seeding_again_adds_no_outcome(app):
    seed()
    counts = [db.session.scalar(sa.select(sa.func.count()).select_from(m))
              for m in (CheckIn, Startup, Certification, ImpactTarget)]  # fmt: skip
    assert data.seed() == "The demo data is already there: nothing added."
    assert [db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (CheckIn, Startup, Certification, ImpactTarget)] == counts  # fmt: skip
