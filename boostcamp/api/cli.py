import click
from flask.cli import with_appcontext

from boostcamp.api import services
from boostcamp.core.errors import DomainError
from boostcamp.core.extensions import db
from boostcamp.organisations.services import get_by_slug


@click.group("api-token", help="Manage the partner API's organisation tokens.")
def api_token():
    pass


@api_token.command("create")
@click.argument("org_slug")
@click.option("--name", default="API", show_default=True, help="What the token is for.")
@with_appcontext
def create(org_slug, name):
    """Create a token for the organisation ORG_SLUG; it is printed once, on the last line."""
    try:
        token, secret = services.create_token(get_by_slug(org_slug), name)
    except DomainError as e:
        db.session.rollback()
        raise click.ClickException(str(e.message)) from None
    db.session.commit()
    click.echo(f"Created token {token.id} for {token.organisation.slug} ({token.name}).")
    click.echo("Keep it now: it is stored hashed and cannot be shown again.")
    click.echo(secret)


@api_token.command("list")
@with_appcontext
def list_():
    """One line per token: id, organisation, name, hint, state, last used."""
    for token in db.session.scalars(services.tokens_query()):
        state = "active" if token.active else f"revoked {token.revoked_at:%Y-%m-%d}"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
        click.echo(
            f"{token.id}\t{token.organisation.slug}\t{token.name}\t{token.hint}…\t{state}\t{used}"
        )


@api_token.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id):
    """Revoke the token TOKEN_ID: it stops working at once."""
    try:
        token = services.get_token(token_id)
    except DomainError as e:
        raise click.ClickException(str(e.message)) from None
    services.revoke_token(token)
    db.session.commit()
    click.echo(f"Revoked token {token.id} ({token.organisation.slug}, {token.name}).")
