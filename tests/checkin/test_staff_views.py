"""The staff's attendance pages: per session who came and who did not, exports, the sheet."""

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.checkin.models import CheckInKind
from boostcamp.core.extensions import db
from boostcamp.registrations.models import RegistrationSource, RegistrationStatus
from tests.factories import (
    at,
    make_centre,
    make_check_in,
    make_event,
    make_org,
    make_person,
    make_registration,
    make_user,
)


@pytest.fixture
def world(app):
    """A two-day Boostcamp co-organised by Mind & Market: Léa came both days, Tom the
    first only (his second scan was undone), Inès never; Nadia walked in on day 2."""
    partner = make_org("Mind & Market")
    event = make_event(
        make_centre(), co_organisers=[partner], title="Boostcamp Mons",
        starts_at=at(2030, 3, 4), days=2, venue="Mundaneum", sessions=[
            ("Jour 1", at(2030, 3, 4, 9), at(2030, 3, 4, 17)),
            ("Jour 2", at(2030, 3, 5, 9), at(2030, 3, 5, 17)),
        ],
    )  # fmt: skip
    day1, day2 = event.sessions
    people = {}
    for first, last, org in (("Léa", "Martin", "=HYPERLINK(\"http://evil\")"),
                             ("Tom", "Peeters", "Robots"), ("Inès", "Dubois", None)):  # fmt: skip
        people[first] = make_registration(
            event, make_person(f"{first.lower()}@example.be", first, last), organisation_name=org
        )
    people["Nadia"] = make_registration(
        event, make_person("nadia@example.be", "Nadia", "Benali"),
        source=RegistrationSource.WALK_IN,
    )  # fmt: skip
    make_registration(event, make_person("zoe@example.be", "Zoé", "Annulée"),
                      status=RegistrationStatus.CANCELLED)  # fmt: skip
    make_check_in(people["Léa"], day1, scanned_at=at(2030, 3, 4, 8, 52))
    make_check_in(people["Léa"], day2, scanned_at=at(2030, 3, 5, 9, 3))
    make_check_in(people["Tom"], day1, scanned_at=at(2030, 3, 4, 9, 15))
    wrong = make_check_in(people["Tom"], day2)
    make_check_in(people["Tom"], day2, kind=CheckInKind.UNDO, undoes_id=wrong.id)
    make_check_in(people["Nadia"], day2, scanned_at=at(2030, 3, 5, 10))
    make_user("manager@mm.test", org=partner, org_role=MemberRole.MANAGER)
    make_user("checkin@mm.test", org=partner, org_role=MemberRole.CHECKIN)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    return dict(event=event, day1=day1, day2=day2, people=people)


def url(event, suffix="", **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/staff/events/{event.slug}/attendance{suffix}" + (f"?{query}" if query else "")


def test_attendance_per_session(world, client, auth):
    event, day1, day2 = world["event"], world["day1"], world["day2"]
    auth.login("manager@mm.test")

    page = client.get(url(event, session=day2.id)).get_data(as_text=True)
    # Day 2: Léa and Nadia came; Tom (undone) and Inès did not; no-show 2 of 4 expected.
    assert "2 personnes sont venues" in page and "50 %" in page
    row = page[page.index("Peeters Tom"):]
    assert "pas venu·e" in row[:400]
    assert "Annulée" not in page  # cancelled and never came: not expected

    came = client.get(url(event, session=day2.id, came="yes")).get_data(as_text=True)
    assert "Martin Léa" in came and "Benali Nadia" in came and "Peeters" not in came
    assert "sur place" in came  # Nadia's walk-in badge
    absent = client.get(url(event, session=day1.id, came="no")).get_data(as_text=True)
    assert "Dubois Inès" in absent and "Benali Nadia" in absent and "Martin" not in absent
    assert "08:52" in client.get(url(event, session=day1.id)).get_data(as_text=True)


def test_each_persons_share_of_the_sessions(world, client, auth):
    event = world["event"]
    auth.login("staff@mic.test")
    page = client.get(url(event, session=world["day1"].id)).get_data(as_text=True)
    for name, share in (("Martin Léa", "100 %"), ("Peeters Tom", "50 %"), ("Dubois Inès", "0 %")):
        row = page[page.index(name):]
        assert share in row[: row.index("</tr>")], name


def test_an_unknown_session_is_not_found(world, client, auth):
    auth.login("staff@mic.test")
    assert client.get(url(world["event"], session=999999)).status_code == 404
    assert client.get(url(world["event"], "/sheet", session=999999)).status_code == 404


def test_exports(world, client, auth):
    event = world["event"]
    auth.login("manager@mm.test")
    response = client.get(url(event, ".csv"))
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][6:] == ["Jour 1", "Jour 2", "Présence (%)"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Martin", "Peeters", "Dubois", "Benali"}
    assert by_name["Martin"][3] == "'=HYPERLINK(\"http://evil\")"
    assert by_name["Martin"][6:] == ["2030-03-04 08:52", "2030-03-05 09:03", "100"]
    assert by_name["Peeters"][6:] == ["2030-03-04 09:15", "", "50"]
    assert by_name["Benali"][5] == "Oui"

    sheet = load_workbook(io.BytesIO(client.get(url(event, ".xlsx")).data)).active
    values = list(sheet.values)
    assert values[0][6] == "Jour 1"
    martin = next(row for row in values if row[0] == "Martin")
    assert isinstance(martin[6], datetime) and martin[6].hour == 8 and martin[-1] == 100


def test_the_sheet_to_print(world, client, auth):
    event, day1 = world["event"], world["day1"]
    auth.login("checkin@mm.test")  # at the door with it
    page = client.get(url(event, "/sheet", session=day1.id)).get_data(as_text=True)
    assert "Boostcamp Mons" in page and "Jour 1" in page and "Mundaneum" in page
    assert "Mind &amp; Market" in page and "Signature" in page
    assert "MARTIN Léa" in page and "DUBOIS Inès" in page and "Annulée" not in page
    assert "@example.be" not in page  # no addresses on a sheet passed around
    assert "attendance-sheet.css" in page and "js/print.js" in page


def test_the_event_page_links_to_attendance(world, client, auth):
    event = world["event"]
    auth.login("manager@mm.test")
    page = client.get(f"/staff/events/{event.slug}").get_data(as_text=True)
    assert url(event) in page
    auth.logout()
    auth.login("checkin@mm.test")
    page = client.get(f"/staff/events/{event.slug}").get_data(as_text=True)
    assert url(event, "/sheet") in page and url(event) + '"' not in page


def test_the_page_costs_the_same_queries_for_few_and_many(world, client, auth, count_queries):
    event, day1 = world["event"], world["day1"]
    addresses = [url(event, session=day1.id), url(event, "/sheet", session=day1.id),
                 url(event, ".csv")]  # fmt: skip
    auth.login("staff@mic.test")
    client.get(addresses[0])
    with count_queries() as few:
        for address in addresses:
            client.get(address)
    db.session.rollback()
    for n in range(30):
        registration = make_registration(event, make_person(f"p{n}@example.be", last_name=f"P{n}"))
        if n % 2:
            make_check_in(registration, day1)
    with count_queries() as many:
        pages = [client.get(address).get_data(as_text=True) for address in addresses]
    assert "P29" in pages[1] and "p29@example.be" in pages[2]
    assert many.count == few.count, many.statements
