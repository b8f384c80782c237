import click
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
@click.option("--password", required=True, help="At least 8 characters.")
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
    try:
        organisation = get_by_slug(org_slug) if org_slug else None
        user = services.create_user(
            email,
            password,
            name=name,
            role=StaffRole(role) if role else None,
            organisation=organisation,
            org_role=MemberRole(org_role) if org_role else None,
        )
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(str(e.message)) from None
    db.session.commit()
    where = f" ({org_role} of {org_slug})" if org_slug else ""
    click.echo(f"Created user {user.email}{where}")
