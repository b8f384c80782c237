"""The staff's list of an event's registrations: in the order they came, searched, with places on
the waiting list.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from boostcamp.core.text import fold
from boostcamp.events.models import Event
from boostcamp.events.queries import matches
from boostcamp.registrations.models import Person, Registration, RegistrationStatus


def registrations_query(
    event: Event, *, search: str = "", status: RegistrationStatus | None = None
) -> sa.Select:
    """The event's registrations in the order they came, for the staff's list and exports.
    `search`: see search_condition."""
    query = (
        sa.select(Registration)
        .join(Registration.person)
        .where(Registration.event_id == event.id)
        .order_by(Registration.created_at, Registration.id)
        .options(contains_eager(Registration.person), selectinload(Registration.answers))
    )
    if status is not None:
        query = query.where(Registration.status == status)
    if words := search.split():
        query = query.where(search_condition(words))
    return query


def search_condition(words: Sequence[str]) -> sa.ColumnElement[bool]:
    """Every word in the name, e-mail, organisation or ticket code, whatever the case and
    accents ("LÉA" finds Léa on SQLite too). Reads Registration.search_text (one folded
    column), or for a row without it (inserted in bulk), the columns themselves.
    The query must join Person."""
    text = (
        Person.first_name + " " + Person.last_name + " " + Person.email + " "
        + sa.func.coalesce(Registration.organisation_name, "") + " " + Registration.ticket_code
    )  # fmt: skip
    return sa.and_(*(
        sa.or_(Registration.search_text.contains(fold(word), autoescape=True),
               sa.and_(Registration.search_text.is_(None), matches(text, word)))
        for word in words
    ))  # fmt: skip
