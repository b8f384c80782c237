import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from boostcamp.auth import services as auth_services
from boostcamp.auth.cli import users
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.errors import DomainError
from boostcamp.core.extensions import db
from boostcamp.organisations import services
from boostcamp.organisations.models import OrganisationKind, PlatformType


@click.group(help="Manage organisations: the centre, partner platforms and sponsors.")
def orgs():
    pass


@orgs.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="Display name.")
@click.option(
    "--kind", required=True, type=click.Choice([k.value for k in OrganisationKind])
)
@click.option("--city", default=None)
@click.option(
    "--platform-type",
    type=click.Choice([t.value for t in PlatformType]),
    default=None,
    help="For a platform: incubator, coworking …",
)
@click.option("--website", default=None)
@with_appcontext
def create(slug, name, kind, city, platform_type, website):
    """Create an organisation with the given SLUG."""
    try:
        org = services.create_organisation(
            name=name,
            kind=OrganisationKind(kind),
            slug=slug,
            city=city,
            platform_type=PlatformType(platform_type) if platform_type else None,
            website=website,
        )
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(str(e.message)) from None
    db.session.commit()
    click.echo(f"Created {org.kind.value} {org.slug}: {org.name}")


@orgs.command("list")
@with_appcontext
def list_():
    """One line per organisation: slug, kind, name."""
    for org in services.list_organisations():
        click.echo(f"{org.slug}\t{org.kind.value}\t{org.name}")


# `flask users create`: an account, and its membership of a partner (--org).
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
def create_user(email, password, name, role, org_slug, org_role):
    """Create a staff account for EMAIL."""
    if bool(org_slug) != bool(org_role):
        raise click.UsageError("--org and --org-role go together.")
    if password is None and not current_app.config.get("SERVER_NAME"):
        raise click.UsageError("An invitation holds a link: set FLASK_SERVER_NAME (the public "
                               "host), or give --password.")  # fmt: skip
    try:
        organisation = services.get_by_slug(org_slug) if org_slug else None
        user = auth_services.create_user(
            email,
            password or secrets.token_urlsafe(32),
            name=name,
            role=StaffRole(role) if role else None,
            organisation=organisation,
            org_role=MemberRole(org_role) if org_role else None,
        )
        if password is None:
            auth_services.invite(user, organisation)
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(str(e.message)) from None
    db.session.commit()
    where = f" ({org_role} of {org_slug})" if org_slug else ""
    invited = "" if password else "; an invitation to choose a password is in the outbox"
    click.echo(f"Created user {user.email}{where}{invited}")
