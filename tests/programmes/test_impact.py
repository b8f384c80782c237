"""The impact dashboard "by path of events": what each programme's events are credited with."""

import sqlalchemy as sa

from boostcamp.auth.models import StaffRole
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import figures as impact
from boostcamp.outcomes.impact import lists
from boostcamp.core.policy import impact_scope
from boostcamp.outcomes.impact.scope import Dimension
from tests.factories import make_programme, make_user
from tests.outcomes.helpers import PERIOD, world


def test_outcomes_by_path_of_events_and_the_list_behind_a_line(app, client):
    w = world()
    make_programme([w["of_a"], w["of_b"]], host=w["centre"], co_organisers=[w["a"], w["b"]],
                   title="Parcours 2010")  # fmt: skip
    make_programme([w["of_b"]], host=w["centre"], co_organisers=[w["b"]], title="Formation seule")
    scope = impact_scope(make_user("admin@mic.test", role=StaffRole.ADMIN), *PERIOD)
    by_path = {l.key: (l.startups, l.jobs, l.certifications, l.participants)
               for l in impact.breakdown(scope, Dimension.PATH)}  # fmt: skip
    assert by_path == {"Parcours 2010": (2, 8, 1, 2), "Formation seule": (1, 3, 1, 1)}
    listed = db.session.scalars(lists.startups_query(scope, Dimension.PATH, "Formation seule"))
    assert [s.name for s in listed] == ["Beta"]
    client.post("/auth/login", data={"email": "admin@mic.test", "password": "password123"})
    page = client.get("/staff/impact?from=2010-01-01&to=2010-12-31").get_data(as_text=True)
    assert "Parcours 2010" in page
    assert client.get("/staff/impact/startups?from=2010-01-01&to=2010-12-31&by=path"
                      "&value=Formation+seule").status_code == 200


def test_a_programme_changed_shows_in_the_figures_at_once(app):
    w = world()
    scope = impact_scope(make_user(role=StaffRole.ADMIN), *PERIOD)
    assert impact.summarise(scope).breakdowns[Dimension.PATH] == []
    make_programme([w["of_a"]], host=w["centre"], co_organisers=[w["a"]], title="Parcours A")
    lines = impact.summarise(scope).breakdowns[Dimension.PATH]
    assert [(l.key, l.startups) for l in lines] == [("Parcours A", 1)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("programme"))) == 1
