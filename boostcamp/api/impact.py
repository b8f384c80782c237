"""The partner API on impact: what the events led to (start-ups, jobs, certifications),
counted by the attribution rule as on the staff dashboard. The centre's token sees every
outcome; a partner's token those credited to its own events."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from boostcamp.core.zones import centre_today
from boostcamp.api.schemas.fields import Day
from boostcamp.api.views import blp, current_token, errors_documented
from boostcamp.core.policy import Action, can, impact_scope
from boostcamp.core import json_errors as errors
from boostcamp.core.i18n import N_
from boostcamp.outcomes.impact import figures as impact
from boostcamp.outcomes.impact.report import CENTRE_OPENED, rule_in_words
from boostcamp.outcomes.impact.scope import Dimension

DATE_ERRORS = {"invalid": N_("Give a date as YYYY-MM-DD.")}


class ImpactQuery(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    from_ = Day(data_key="from", load_default=None, error_messages=DATE_ERRORS)
    to = Day(load_default=None, error_messages=DATE_ERRORS)

    @ma.validates_schema
    def period_in_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ma.ValidationError(N_("The period ends before it starts."), "to")


class ImpactLine(ma.Schema):
    startups = fields.Integer()
    jobs = fields.Integer()
    jobs_fte = fields.Float()
    certifications = fields.Integer()
    participants = fields.Integer()


class ImpactOut(ImpactLine):
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    rule = fields.String(metadata={"description": "The attribution rule, in words."})
    by_kind = fields.Dict(keys=fields.String(), values=fields.Nested(ImpactLine))
    by_partner = fields.Dict(
        keys=fields.String(), values=fields.Nested(ImpactLine),
        metadata={"description": "By organiser (host or co-organiser), keyed by its slug."},
    )  # fmt: skip
    by_city = fields.Dict(keys=fields.String(), values=fields.Nested(ImpactLine))


def _line(line) -> dict:
    return dict(startups=line.startups, jobs=line.jobs, jobs_fte=float(line.jobs_fte),
                certifications=line.certifications, participants=line.participants)  # fmt: skip


@blp.route("/impact", methods=["GET"])
@blp.arguments(ImpactQuery, location="query")
@blp.response(200, ImpactOut)
@errors_documented(401, 403, 422)
def get_impact(query):
    """Impact over a period

    Start-ups created (and their jobs at the end of the period) and certifications obtained
    between `from` and `to` (ISO dates, both included; by default since 2008 up to today)
    that the attribution rule credits to events, and the unique participants of the
    period's events. A partner's token counts only what its own events are credited with.
    An outcome credited to events of two kinds, partners or cities counts in each of them.
    """
    token = current_token()
    if not can(token, Action.VIEW_IMPACT):
        raise errors.Forbidden(_l("This token may not see the impact figures."))
    scope = impact_scope(token, query["from_"] or CENTRE_OPENED, query["to"] or centre_today())
    summary = impact.summarise(scope)
    figures = summary.figures
    by = {d: {line.key: _line(line) for line in summary.breakdowns[d]}
          for d in (Dimension.KIND, Dimension.PARTNER, Dimension.CITY)}  # fmt: skip
    return {
        "from_": scope.start, "to": scope.end, "rule": rule_in_words(scope.rule),
        "startups": figures.startups, "jobs": figures.jobs, "jobs_fte": float(figures.jobs_fte),
        "certifications": figures.certifications, "participants": figures.participants,
        "by_kind": by[Dimension.KIND], "by_partner": by[Dimension.PARTNER],
        "by_city": by[Dimension.CITY],
    }  # fmt: skip
