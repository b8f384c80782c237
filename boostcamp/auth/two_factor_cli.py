"""`flask users two-step-off EMAIL`: for someone who lost both their phone and their recovery
codes, the only admin included (who has nobody to turn it off on the page)."""

import click
from flask.cli import with_appcontext

from boostcamp.auth import services, two_factor
from boostcamp.auth.cli import users
from boostcamp.core.extensions import db


@users.command("two-step-off")
@click.argument("email")
@with_appcontext
def two_step_off(email):
    """Turn off EMAIL's two-step sign-in; they set it up again at their next sign-in."""
    user = services.find_user(email)
    if user is None or not two_factor.enabled(user):
        raise click.ClickException(f"{email} has no two-step sign-in.")
    two_factor.disable(user, by=user)  # the audit entry names the account itself
    db.session.commit()
    click.echo(f"Two-step sign-in is off for {user.email}.")
