from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from boostcamp.core.forms import FlaskForm
from boostcamp.mail.services import STATUS_GROUPS

STATUS_LABELS = {
    "queued": _l("Queued"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "printed": _l("Printed, not sent"),
}


class OutboxFilterForm(FlaskForm):
    """The outbox's filters, read from the query string."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    q = SearchField(_l("Recipient or subject"), validators=[Optional(), Length(max=200)])

    def set_status_choices(self, counts: dict[str, int]) -> None:
        self.status.choices = [("", _l("All"))] + [
            (group, f"{STATUS_LABELS[group]} ({counts[group]})") for group in STATUS_GROUPS
        ]

    @property
    def chosen_status(self) -> str | None:
        return self.status.data if self.status.data in STATUS_GROUPS else None
