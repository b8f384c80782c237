import click
from flask.cli import with_appcontext

from boostcamp.core.db import utcnow
from boostcamp.privacy import retention


@click.group(help="Privacy: retention of personal data.")
def privacy():
    pass


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Rows per step (RETENTION_BATCH, 500).")
@with_appcontext
def purge(dry_run: bool, limit: int | None):
    """Anonymise inactive people, delete old mail bodies and expired links (one batch)."""
    counts = retention.purge(utcnow(), limit=limit, dry_run=dry_run)
    for name, count in counts.items():
        click.echo(f"{name}: {count}{' (would go)' if dry_run else ''}")
