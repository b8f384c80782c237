"""The outcomes' blueprints. Their routes live beside what they show, and `blueprints()`
imports every route module so that create_app registers them whole:

- outcomes_records (/staff/outcomes): records.views, imports.views, surveys.staff_views and
  certificates.views (a participant's certificate, for staff);
- surveys (public, no account): surveys.views and certificates.views (the participant's own
  certificate behind their personal link, and checking a certificate's code);
- staff_impact (/staff/impact): impact.views.
"""

from flask import Blueprint

staff = Blueprint("outcomes_records", __name__, url_prefix="/staff/outcomes")
public = Blueprint("surveys", __name__)


def blueprints() -> list[Blueprint]:
    from boostcamp.outcomes.certificates import views as certificates  # noqa: F401
    from boostcamp.outcomes.impact.views import bp as impact
    from boostcamp.outcomes.imports import views as imports  # noqa: F401
    from boostcamp.outcomes.records import views as records  # noqa: F401
    from boostcamp.outcomes.surveys import staff_views, views  # noqa: F401

    return [staff, public, impact]
