"""The impact report as one object, for the dashboard, its printable page, the funder
exports and the API: the period, the rule in words, figures, breakdowns and the funnel."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from boostcamp.core.i18n import local_date, local_number
from boostcamp.events.models import Audience, EventKind
from boostcamp.outcomes.impact import figures as impact
from boostcamp.outcomes.impact.attribution import Rule
from boostcamp.outcomes.impact.figures import Figures, Line
from boostcamp.outcomes.impact.scope import Dimension, Scope
from boostcamp.outcomes.impact.targets import Progress, targets_progress

CENTRE_OPENED = date(2008, 1, 1)


def presets(today: date) -> list[tuple[str, date, date]]:
    """(label, from, to): the funders' periods, then each year."""
    years = [(str(y), date(y, 1, 1), date(y, 12, 31)) for y in range(today.year, 2007, -1)]
    return [
        (_("All years"), CENTRE_OPENED, today),
        ("2008–2011", date(2008, 1, 1), date(2011, 12, 31)),
        ("2012–2014", date(2012, 1, 1), date(2014, 12, 31)),
        *years,
    ]


def rule_in_words(rule: Rule) -> str:
    return _(
        "A start-up is credited to an event when one of its founders attended it (at least "
        "%(percent)d%% of its sessions) within %(startup_months)d months before the start-up "
        "was founded, or while the centre supported it. Its jobs are those of its latest "
        "count on or before the end of the period. A certification is credited to the "
        "trainings, Boostcamps and workshops its holder attended (at least %(percent)d%% of "
        "the sessions) within %(certification_months)d months before obtaining it.",
        percent=rule.min_attendance_percent, startup_months=rule.startup_months,
        certification_months=rule.certification_months,
    )  # fmt: skip


@dataclass
class Report:
    scope: Scope
    figures: Figures
    breakdowns: dict[Dimension, list[Line]]
    partner_names: dict[str, str]
    targets: list[Progress]

    @property
    def rule_text(self) -> str:
        return rule_in_words(self.scope.rule)

    def label(self, dimension: Dimension, key: str) -> str:
        if dimension == Dimension.KIND:
            return str(EventKind.label_of(key))
        if dimension == Dimension.AUDIENCE:
            return str(Audience.label_of(key))
        if dimension == Dimension.PARTNER:
            return self.partner_names.get(key, key)
        return key

    @property
    def funnel(self) -> list[tuple[str, int, str]]:
        """(label, number, list) from registration to jobs."""
        f = self.figures
        label = _("Applied (admission by application)")
        applied = [(label, f.applied, "applied")] if f.applied else []
        return [
            *applied,
            (_("Registered"), f.registered, "registered"),
            (_("Attended"), f.participants, "participants"),
            (_("Start-ups"), f.startups, "startups"),
            (_("Jobs"), f.jobs, "startups"),
        ]

    @property
    def funnel_rows(self) -> list[tuple[str, int]]:
        return [(label, value) for label, value, _list in self.funnel]


def build(scope: Scope, with_targets: bool = True) -> Report:
    summary = impact.summarise(scope)
    return Report(
        scope=scope,
        figures=summary.figures,
        breakdowns=summary.breakdowns,
        partner_names=summary.organiser_names,
        targets=targets_progress(scope) if with_targets and scope.everything else [],
    )


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def rows(report: Report) -> tuple[list[str], list[list]]:
    """The report as a table: the period and the rule first, then every figure."""
    f = report.figures
    header = [_("Section"), _("Line"), _("Start-ups"), _("Jobs"), _("Jobs (FTE)"),
              _("Certifications"), _("Participants")]  # fmt: skip
    out: list[list] = [
        # Dates as dates: ISO in the CSV, date cells in the XLSX (both read by machines).
        [_("Period"), report.scope.start, report.scope.end],
        [_("Attribution rule"), report.rule_text],
        [_("Total"), "", f.startups, f.jobs, _number(f.jobs_fte), f.certifications, f.participants],
    ]
    for label, value in (
        (_("People registered"), f.registered),
        (_("Job seekers reached"), f.job_seekers),
        (_("Attendance hours"), f.attendance_hours),
        (_("Start-ups recorded (credited or not)"), f.startups_recorded),
        (_("Certifications recorded (credited or not)"), f.certifications_recorded),
    ):
        if value is not None:
            out.append([label, "", value])
    for dimension, lines in report.breakdowns.items():
        for line in lines:
            out.append([str(dimension.label), report.label(dimension, line.key),
                        line.startups, line.jobs, _number(line.jobs_fte), line.certifications,
                        line.participants])  # fmt: skip
    for progress in report.targets:
        t = progress.target
        out.append([_("Target"), f"{t.label} ({local_date(t.period_from)} – "
                    f"{local_date(t.period_to)}): {local_number(progress.reached)} / "
                    f"{local_number(t.value)} "
                    f"({progress.percent} %)"])  # fmt: skip
    return header, out
