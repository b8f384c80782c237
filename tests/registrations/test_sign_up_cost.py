"""What one sign-up through the public form costs in SQL statements, so that it cannot grow
unnoticed (the sign-up rush of bench/signup.py depends on it). Runs on both engines
(count_queries): SQLite locks the event with an UPDATE, PostgreSQL with SELECT … FOR UPDATE.

The statements: the event and its questions (one), the event's lock, whether a programme
keeps the event for its own sign-up (programmes.alone), the person (INSERT … ON CONFLICT DO
NOTHING), the seats (one count by status), the registration, its answers (PostgreSQL: one
statement for them all; SQLite: one each, as its RETURNING does not keep the rows' order),
the confirmation's outbox row, the consent record; and, as the transaction commits, the
impact dashboard's version (outcomes/impact/version.py: a registration is counted there)."""

from boostcamp.core.extensions import db
from tests.factories import make_event, make_question, sign_up
from tests.registrations.helpers import mails, statuses
from tests.registrations.test_views import form_data, register

CONFIRMED = 9


def counted(count_queries, client, event, **kw) -> list[str]:
    path = f"/events/{event.slug}/register"  # read before counting: the test's own query
    with count_queries() as q:
        response = client.post(path, data=form_data(**kw))
    assert response.status_code == 302, response.get_data(as_text=True)
    return q.statements


def test_a_sign_up_costs_nine_statements_however_many_came_before(client, count_queries):
    event = make_event(capacity=50)
    first = counted(count_queries, client, event, email="first@example.be")
    for n in range(20):
        sign_up(event, f"p{n}@example.be")
    later = counted(count_queries, client, event, email="later@example.be")
    assert len(first) == len(later) == CONFIRMED, "\n".join(later)
    assert statuses(event) == {"confirmed": 22}
    assert {m.to_address for m in mails("registration_confirmed")} >= {
        "first@example.be", "later@example.be"}


def test_the_waiting_list_costs_the_same(client, count_queries):
    event = make_event(capacity=1)
    sign_up(event, "seat@example.be")
    statements = counted(count_queries, client, event, email="waiting@example.be")
    assert len(statements) == CONFIRMED, "\n".join(statements)
    assert statuses(event) == {"confirmed": 1, "waitlisted": 1}


def test_answers_cost_one_statement_for_them_all_on_postgresql(client, count_queries):
    event = make_event()
    questions = [make_question(event, f"Question {n} ?", required=True) for n in range(3)]
    statements = counted(count_queries, client, event,
                         **{f"q_{q.id}": f"Réponse {q.id}" for q in questions})  # fmt: skip
    answers = 1 if db.engine.dialect.name == "postgresql" else len(questions)
    assert len(statements) == CONFIRMED + answers, "\n".join(statements)
    assert statuses(event) == {"confirmed": 1}


def test_a_second_sign_up_of_the_same_address_reads_instead_of_inserting(client, count_queries):
    event = make_event()
    register(client, event, email="twice@example.be")
    statements = counted(count_queries, client, event, email="TWICE@example.be")
    # The person's INSERT finds them; their registration is read; the link mailed again.
    assert len(statements) <= CONFIRMED + 2, "\n".join(statements)
    assert statuses(event) == {"confirmed": 1}
