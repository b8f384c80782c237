"""Staff forms for organisations and their members: field-level checks only."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField, URLField,
)  # fmt: skip
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp

from boostcamp.auth.models import MemberRole
from boostcamp.core.forms import FlaskForm
from boostcamp.organisations import logos
from boostcamp.organisations.models import OrganisationKind, PlatformType
from boostcamp.organisations.services import SLUG_RE

# Where a role is given, it says what it allows; elsewhere its label (MemberRole) names it.
ROLE_DUTIES = {
    MemberRole.MANAGER: _l("Manager: edits the events, sees the participants"),
    MemberRole.CHECKIN: _l("Check-in: only checks people in at the door"),
    MemberRole.REVIEWER: _l("Jury: reviews and scores the applications to the events"),
}


def at_most(n: int) -> Length:
    return Length(max=n, message=_l("At most %(n)d characters.", n=n))


def web_address():
    return URL(require_tld=False, message=_l("Give a full address, starting with https://."))


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"), [DataRequired(_l("Give the organisation a name.")), at_most(200)]
    )
    slug = StringField(
        _l("Web address"),
        [Optional(), at_most(80),
         Regexp(SLUG_RE, message=_l("Only lower-case letters, digits and dashes."))],
    )  # fmt: skip
    # A partner platform first: the kind a new organisation most often is.
    kind = SelectField(_l("Kind"), choices=OrganisationKind.choices(
        OrganisationKind.PLATFORM, OrganisationKind.CENTRE, OrganisationKind.SPONSOR))
    platform_type = SelectField(
        _l("Type of platform"), choices=[SelectChoice("", "—"), *PlatformType.choices()]
    )
    city = StringField(_l("City"), [at_most(120)])
    website = URLField(_l("Website"), [Optional(), at_most(300), web_address()])
    logo = FileField(_l("Logo"), render_kw={"accept": "image/png,image/jpeg,image/gif,image/webp",
                                              "data-logo-preview": "logo-preview"})
    remove_logo = BooleanField(_l("Remove the logo"))
    description = TextAreaField(_l("Description"), [at_most(20_000)], render_kw={"rows": 5})

    def organisation_fields(self) -> dict:
        """The fields still on the form (partners do not see kind and slug), as the services
        take them; an empty slug keeps the current one (or is made from the name)."""
        fields = {}
        for name in ("name", "slug", "kind", "platform_type", "city", "website", "description"):
            f = self._fields.get(name)
            if f is not None:
                fields[name] = (f.data or "").strip() or None
        if not fields.get("slug"):
            fields.pop("slug", None)
        upload = self.logo.data
        if upload and getattr(upload, "filename", None):
            # Read one byte past the limit: enough to refuse a larger file with a field error.
            fields["logo"] = upload.read(logos.MAX_BYTES + 1)
            fields["logo_filename"] = upload.filename
        elif self.remove_logo and self.remove_logo.data:
            fields["logo_sha256"] = None
        return fields


class AddMemberForm(FlaskForm):
    # The address itself is checked by the service that creates the account.
    email = EmailField(_l("E-mail"), [DataRequired(_l("Enter an e-mail address.")), at_most(254)])
    name = StringField(_l("Name (for a new account)"), [at_most(200)])
    role = SelectField(_l("Role"), default=MemberRole.MANAGER.value,
                       choices=[SelectChoice(r.value, duties) for r, duties in ROLE_DUTIES.items()])


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=MemberRole.choices())
