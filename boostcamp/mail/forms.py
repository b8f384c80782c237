from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from boostcamp.core.forms import FlaskForm
from boostcamp.mail.models import OutboxStatus
from boostcamp.mail.services import STATUS_GROUPS



class OutboxFilterForm(FlaskForm):
    """The outbox's filters, read from the query string."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    q = SearchField(_l("Recipient or subject"), validators=[Optional(), Length(max=200)])

    def set_status_choices(self, counts: dict[str, int]) -> None:
        # A group is named by its first status ("queued" also holds those being sent).
        self.status.choices = [("", _l("All"))] + [
            (group, f"{OutboxStatus(group).label} ({counts[group]})") for group in STATUS_GROUPS
        ]

    @property
    def chosen_status(self) -> str | None:
        return self.status.data if self.status.data in STATUS_GROUPS else None
