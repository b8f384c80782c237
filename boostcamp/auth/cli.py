import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from boostcamp.auth import services
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.errors import DomainError
from boostcamp.extensions import db
from boostcamp.organisations.services import get_by_slug


@click.group(help="Manage staff accounts.")
def users():
    pass


@users.command("create")
@click.argument("email")
@click.option("--password", default=None,
              help="At least 8 characters. Leave out to mail an invitation to choose one.")
@click.option("--name", default=None)
@click.option("--role", type=click.Choice([r.value for r in StaffRole]), default=None,
              help="A role at the centre; leave out for a partner's member.")
@click.option("--org", "org_slug", default=None, help="Organisation slug for a membership.")
@click.option("--org-role", type=click.Choice([r.value for r in MemberRole]), default=None)
@with_appcontext
def create(email, password, name, role, org_slug, org_role):
    """Create a staff account for EMAIL."""
    if bool(org_slug) != bool(org_role):
        raise click.UsageError("--org and --org-role go together.")
    if password is None and not current_app.config.get("SERVER_NAME"):
        raise click.UsageError("An invitation holds a link: set FLASK_SERVER_NAME (the public "
                               "host), or give --password.")  # fmt: skip
    try:
        organisation = get_by_slug(org_slug) if org_slug else None
        user = services.create_user(
            email,
            password or secrets.token_urlsafe(32),
            name=name,
            role=StaffRole(role) if role else None,
            organisation=organisation,
            org_role=MemberRole(org_role) if org_role else None,
        )
        if password is None:
            services.invite(user, organisation)
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(str(e.message)) from None
    db.session.commit()
    where = f" ({org_role} of {org_slug})" if org_slug else ""
    invited = "" if password else "; an invitation to choose a password is in the outbox"
    click.echo(f"Created user {user.email}{where}{invited}")
