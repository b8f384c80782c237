import click
from flask.cli import with_appcontext

from boostcamp.errors import DomainError
from boostcamp.extensions import db
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
