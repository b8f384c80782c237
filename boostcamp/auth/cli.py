"""`flask users …`: staff accounts. `users create` lives in organisations/cli.py, since it may
give the account a membership (organisations are the floor above accounts)."""

import click


@click.group(help="Manage staff accounts.")
def users():
    pass
