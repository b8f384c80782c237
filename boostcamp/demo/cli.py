import click
from flask.cli import with_appcontext

from boostcamp.core.extensions import db
from boostcamp.demo import data


@click.group(help="Demo data for trying Boostcamp out.")
def demo():
    pass


@demo.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has events.")
@with_appcontext
def seed(if_empty):
    """Fill the database with the Mons centre, its partners, events and participants."""
    if if_empty and data.has_events():
        click.echo("The database already has events: demo data not added.")
        return
    summary = data.seed()
    db.session.commit()
    click.echo(summary)
