"""Staff pages for events: create, propose, edit with the agenda, publish, cancel, duplicate,
and the history of who changed what."""

import html as html_lib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.audit.models import AuditEntry
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.events import editing
from boostcamp.events.models import Event, EventSession, EventStatus
from boostcamp.core.extensions import db
from tests.factories import (
    at,
    make_centre,
    make_event,
    make_org,
    make_registration,
    make_user,
)


def error_of(page: str, field_id: str) -> str | None:
    """The error message shown under a field, as a screen reader hears it."""
    match = re.search(rf'id="{re.escape(field_id)}-error">(.*?)</div>', page, re.S)
    return html_lib.unescape(match.group(1)).strip() if match else None


def event_data(**overrides) -> dict:
    """A valid event form: a two-day Boostcamp in Mons, one session a day (Brussels time)."""
    data = {
        "title": "Boostcamp de printemps",
        "kind": "boostcamp",
        "language": "fr",
        "city": "Mons",
        "venue": "MIC",
        "starts_at": "2030-03-30T09:00",
        "ends_at": "2030-03-31T17:00",
        "capacity": "25",
        "audiences": ["entrepreneurs", "students"],
        "sessions-0-title": "Jour 1 — L’idée",
        "sessions-0-starts_at": "2030-03-30T09:00",
        "sessions-0-ends_at": "2030-03-30T17:00",
        "sessions-1-title": "Jour 2 — Le pitch",
        "sessions-1-starts_at": "2030-03-31T09:00",
        "sessions-1-ends_at": "2030-03-31T17:00",
    }
    data.update(overrides)
    return {k: v for k, v in in_own_language(data).items() if v is not None}


def in_own_language(data: dict) -> dict:
    """The form has a title, summary and description per language: "title" is the one of
    the event's own language (title_fr for a French event)."""
    return {
        f"{k}_{data['language']}" if k in ("title", "summary", "description") else k: v
        for k, v in data.items()
    }


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    a, b = make_org("Partner A"), make_org("Partner B")
    users = {
        "staff": make_user("staff@mic.test", role=StaffRole.STAFF),
        "a_manager": make_user("manager@a.test", org=a, org_role=MemberRole.MANAGER),
        "a_checkin": make_user("checkin@a.test", org=a, org_role=MemberRole.CHECKIN),
        "b_manager": make_user("manager@b.test", org=b, org_role=MemberRole.MANAGER),
    }
    return centre, a, b, users


def count(model) -> int:
    db.session.rollback()  # a fresh snapshot: see what the requests committed
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def event_by_title(title: str) -> Event:
    db.session.rollback()  # a fresh snapshot: see what the requests committed
    return db.session.scalar(sa.select(Event).where(Event.title == title))


# ---------------------------------------------------------------- create and propose


def test_staff_create_a_draft_with_its_agenda_in_brussels_time(client, auth, world):
    centre, a, b, users = world
    auth.login("staff@mic.test")
    response = client.post("/staff/events/new", data=event_data(co_organisers=[a.id, b.id]))
    event = event_by_title("Boostcamp de printemps")
    assert response.status_code == 302
    assert response.location.endswith(f"/staff/events/{event.slug}")
    assert event.status == EventStatus.DRAFT
    assert event.host.id == centre.id
    assert {o.name for o in event.co_organisers} == {"Partner A", "Partner B"}
    assert event.capacity == 25
    assert sorted(a.value for a in event.audiences) == ["entrepreneurs", "students"]
    # 09:00 in Brussels on each side of the change to summer time (night of 30–31 March).
    assert [s.starts_at for s in event.sessions] == [at(2030, 3, 30, 9), at(2030, 3, 31, 9)]
    assert event.sessions[0].starts_at.hour == 8 and event.sessions[1].starts_at.hour == 7
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.event_id == event.id))
    assert (entry.action, entry.user.email) == ("created", "staff@mic.test")
    page = client.get(response.location).get_data(as_text=True)
    assert "L’événement est enregistré comme brouillon" in page
    assert "Jour 2 — Le pitch" in page


def test_partner_manager_chooses_only_among_own_platforms(client, auth, world):
    centre, a, b, users = world
    auth.login("manager@a.test")
    page = client.get("/staff/events/new").get_data(as_text=True)
    assert "Proposer un événement" in page
    assert "Partner A" in page and "Partner B" not in page
    # The only platform they manage is ticked already.
    assert re.search(rf'checked[^>]*value="{a.id}"|value="{a.id}"[^>]*checked', page)


def test_partner_proposal_waits_for_the_centre_then_appears_on_the_home_page(client, auth, world):
    centre, a, b, users = world
    auth.login("manager@a.test")
    response = client.post("/staff/events/new", data=event_data(co_organisers=[a.id]))
    assert response.status_code == 302
    event = event_by_title("Boostcamp de printemps")
    assert event.status == EventStatus.DRAFT
    assert [o.name for o in event.co_organisers] == ["Partner A"]
    assert event.host.id == centre.id
    assert "Boostcamp de printemps" not in client.get("/").get_data(as_text=True)
    overview = client.get(response.location).get_data(as_text=True)
    assert "L’équipe du centre le publiera." in overview
    assert ">Publier<" not in overview
    auth.logout()

    auth.login("staff@mic.test")
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "1 événement proposé par un partenaire attend votre validation." in dashboard
    to_review = client.get("/staff/?show=review").get_data(as_text=True)
    assert "Boostcamp de printemps" in to_review
    response = client.post(f"/staff/events/{event.slug}/publish")
    assert response.status_code == 302
    assert "apparaît maintenant dans le catalogue public" in client.get(
        response.location
    ).get_data(as_text=True)
    assert "Boostcamp de printemps" in client.get("/").get_data(as_text=True)
    assert "Boostcamp de printemps" not in client.get("/staff/?show=review").get_data(as_text=True)


def test_drafts_made_by_the_centre_are_not_in_the_review_list(client, auth, world):
    centre, a, b, users = world
    make_event(host=centre, co_organisers=[a], title="Brouillon du centre",
               status=EventStatus.DRAFT)  # fmt: skip
    editing.create_event(
        title="Proposition de A", kind="workshop", starts_at=at(2030, 6, 3, 18),
        ends_at=at(2030, 6, 3, 21), city="Namur", host=centre, co_organisers=[a],
        user=users["a_manager"],
    )  # fmt: skip
    db.session.commit()
    auth.login("staff@mic.test")
    page = client.get("/staff/?show=review").get_data(as_text=True)
    assert "Proposition de A" in page
    assert "Brouillon du centre" not in page


def test_partner_cannot_propose_for_another_platform(client, auth, world):
    centre, a, b, users = world
    auth.login("manager@a.test")
    response = client.post("/staff/events/new", data=event_data(co_organisers=[b.id]))
    assert response.status_code == 200
    assert error_of(response.get_data(as_text=True), "co_organisers") == (
        "Choisissez les co-organisateurs dans la liste."
    )
    assert count(Event) == 0


def test_check_in_member_cannot_propose(client, auth, world):
    centre, a, b, users = world
    auth.login("checkin@a.test")
    assert client.get("/staff/events/new").status_code == 403
    response = client.post("/staff/events/new", data=event_data(co_organisers=[a.id]))
    assert response.status_code == 403
    assert "Proposer un événement" not in client.get("/staff/").get_data(as_text=True)
    assert count(Event) == 0


BAD_INPUT = [
    ("end before start", {"ends_at": "2030-03-29T17:00"}, "ends_at",
     "La fin doit venir après le début."),
    ("session outside the event", {"sessions-1-starts_at": "2030-04-02T09:00",
                                   "sessions-1-ends_at": "2030-04-02T17:00"},
     "sessions-1-starts_at", "Chaque session doit se situer pendant l’événement."),
    ("session ends before it starts", {"sessions-0-ends_at": "2030-03-30T08:00"},
     "sessions-0-ends_at", "Une session doit se terminer après son début."),
    ("session without a title", {"sessions-0-title": ""}, "sessions-0-title",
     "Donnez un titre à la session."),
    ("session without an end", {"sessions-0-ends_at": ""}, "sessions-0-ends_at",
     "Indiquez la fin."),
    ("negative capacity", {"capacity": "-3"}, "capacity", "La capacité ne peut pas être négative."),
    ("unknown co-organiser", {"co_organisers": ["999999"]}, "co_organisers",
     "Choisissez les co-organisateurs dans la liste."),
    ("oversize title", {"title": "x" * 201}, "title_fr", "200 caractères au maximum."),
    ("oversize venue", {"venue": "x" * 301}, "venue", "300 caractères au maximum."),
    ("missing city", {"city": ""}, "city", "Indiquez dans quelle ville a lieu l’événement."),
    ("registration closes before it opens",
     {"registration_opens_at": "2030-03-01T09:00", "registration_closes_at": "2030-02-01T09:00"},
     "registration_closes_at", "Les inscriptions doivent se clôturer après leur ouverture."),
    ("a time that does not exist in Brussels", {"starts_at": "2030-03-31T02:30"}, "starts_at",
     "Cette heure n’existe pas dans ce fuseau : on avance les horloges cette nuit-là."),
    ("bad address", {"slug": "Mon Boostcamp!"}, "slug",
     "Uniquement des minuscules, des chiffres et des tirets."),
]  # fmt: skip


@pytest.mark.parametrize(
    "overrides, field_id, message", [case[1:] for case in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_gets_an_error_next_to_its_field_and_saves_nothing(
    client, auth, world, overrides, field_id, message
):
    auth.login("staff@mic.test")
    response = client.post("/staff/events/new", data=event_data(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Rien n’a été enregistré" in page
    assert message in (error_of(page, field_id) or ""), page
    assert (count(Event), count(EventSession), count(AuditEntry)) == (0, 0, 0)


def test_duplicate_slug_is_refused_next_to_its_field(client, auth, world):
    centre, *_ = world
    make_event(host=centre, slug="boostcamp-mons")
    auth.login("staff@mic.test")
    response = client.post("/staff/events/new", data=event_data(slug="boostcamp-mons"))
    assert error_of(response.get_data(as_text=True), "slug") == (
        "L’identifiant « boostcamp-mons » est déjà pris."
    )
    assert count(Event) == 1


def test_the_form_always_offers_two_empty_agenda_rows(client, auth, world):
    auth.login("staff@mic.test")
    page = client.get("/staff/events/new").get_data(as_text=True)
    assert 'name="sessions-0-title"' in page and 'name="sessions-1-title"' in page
    # After a refused submission with two filled rows, two empty ones follow them.
    page = client.post("/staff/events/new", data=event_data(city="")).get_data(as_text=True)
    assert 'value="Jour 2 — Le pitch"' in page
    assert 'name="sessions-3-title"' in page and 'name="sessions-4-title"' not in page


# ---------------------------------------------------------------- edit


@pytest.fixture
def boostcamp(world):
    centre, a, b, users = world
    return make_event(
        host=centre, co_organisers=[a], title="Boostcamp Mons", starts_at=at(2030, 5, 6, 9),
        days=3, capacity=10,
        sessions=[("Jour 1", at(2030, 5, 6, 9), at(2030, 5, 6, 17)),
                  ("Jour 2", at(2030, 5, 7, 9), at(2030, 5, 7, 17))],
    )  # fmt: skip


def edit_data(event: Event, **overrides) -> dict:
    """The edit form as the page fills it in."""
    data = {
        "title": event.title, "kind": event.kind.value, "language": event.language,
        "city": event.city, "starts_at": "2030-05-06T09:00", "ends_at": "2030-05-08T18:00",
        "capacity": str(event.capacity or ""),
        "co_organisers": [o.id for o in event.co_organisers],
    }  # fmt: skip
    for i, s in enumerate(event.sessions):
        data[f"sessions-{i}-id"] = str(s.id)
        data[f"sessions-{i}-title"] = s.title
        data[f"sessions-{i}-starts_at"] = f"2030-05-0{6 + i}T09:00"
        data[f"sessions-{i}-ends_at"] = f"2030-05-0{6 + i}T17:00"
    data.update(overrides)
    return in_own_language(data)


def test_edit_form_shows_brussels_times_and_keeps_session_ids(client, auth, boostcamp):
    auth.login("staff@mic.test")
    page = client.get(f"/staff/events/{boostcamp.slug}/edit").get_data(as_text=True)
    assert 'value="2030-05-06T09:00"' in page
    first, second = boostcamp.sessions
    assert f'name="sessions-0-id" type="hidden" value="{first.id}"' in page
    assert 'name="sessions-3-title"' in page  # two empty rows after the two sessions


def test_editing_the_agenda_keeps_ids_removes_and_adds_sessions(client, auth, boostcamp):
    first, second = boostcamp.sessions
    first_id, second_id = first.id, second.id
    auth.login("staff@mic.test")
    response = client.post(
        f"/staff/events/{boostcamp.slug}/edit",
        data=edit_data(
            boostcamp,
            **{"sessions-0-title": "Jour 1 — Idéation", "sessions-1-remove": "y",
               "sessions-2-title": "Jour 3 — Pitch", "sessions-2-starts_at": "2030-05-08T09:00",
               "sessions-2-ends_at": "2030-05-08T18:00"},
        ),
    )  # fmt: skip
    assert response.status_code == 302
    event = event_by_title("Boostcamp Mons")
    assert [(s.title, s.id == first_id) for s in event.sessions] == [
        ("Jour 1 — Idéation", True), ("Jour 3 — Pitch", False)
    ]
    assert db.session.get(EventSession, second_id) is None
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.event_id == event.id).order_by(AuditEntry.id.desc())
    ).first()
    assert entry.action == "updated" and entry.user.email == "staff@mic.test"
    assert "sessions" in entry.changes
    history = client.get(f"/staff/events/{event.slug}").get_data(as_text=True)
    assert "Jour 1 — Idéation" in history and "Programme" in history


def test_capacity_below_current_registrations_is_refused(client, auth, boostcamp):
    for _ in range(3):
        make_registration(boostcamp)
    auth.login("staff@mic.test")
    data = edit_data(boostcamp, capacity="2", title="Nouveau titre")
    response = client.post(f"/staff/events/{boostcamp.slug}/edit", data=data)
    assert error_of(response.get_data(as_text=True), "capacity") == (
        "3 personnes ont déjà une place : la capacité ne peut pas être inférieure."
    )
    event = event_by_title("Boostcamp Mons")  # nothing half-saved: not even the title
    assert event.capacity == 10


def test_staff_add_and_remove_co_organisers(client, auth, world, boostcamp):
    centre, a, b, users = world
    auth.login("staff@mic.test")
    data = edit_data(boostcamp, co_organisers=[b.id])
    assert client.post(f"/staff/events/{boostcamp.slug}/edit", data=data).status_code == 302
    event = event_by_title("Boostcamp Mons")
    assert [o.name for o in event.co_organisers] == ["Partner B"]
    assert event.host.id == centre.id


def test_partner_manager_edits_but_cannot_change_the_co_organisers(client, auth, world, boostcamp):
    centre, a, b, users = world
    auth.login("manager@a.test")
    page = client.get(f"/staff/events/{boostcamp.slug}/edit").get_data(as_text=True)
    assert 'name="co_organisers"' not in page
    assert "Seule l’équipe du centre change les co-organisateurs" in page
    response = client.post(
        f"/staff/events/{boostcamp.slug}/edit",
        data=edit_data(boostcamp, title="Boostcamp Mons 2030", co_organisers=[b.id]),
    )
    assert response.status_code == 403  # as the API answers the same attempt
    event = event_by_title("Boostcamp Mons")
    assert [o.name for o in event.co_organisers] == ["Partner A"]
    data = edit_data(boostcamp, title="Boostcamp Mons 2030")
    del data["co_organisers"]
    assert client.post(f"/staff/events/{boostcamp.slug}/edit", data=data).status_code == 302
    assert [o.name for o in event_by_title("Boostcamp Mons 2030").co_organisers] == ["Partner A"]


def test_other_partners_do_not_learn_the_event_exists(client, auth, boostcamp):
    auth.login("manager@b.test")
    for path in ("", "/edit", "/history", "/duplicate", "/cancel"):
        response = client.get(f"/staff/events/{boostcamp.slug}{path}")
        assert response.status_code == 404, path
        assert "Boostcamp Mons" not in response.get_data(as_text=True)
    assert client.post(f"/staff/events/{boostcamp.slug}/edit",
                       data=edit_data(boostcamp, title="Piraté")).status_code == 404  # fmt: skip
    assert client.post(f"/staff/events/{boostcamp.slug}/publish").status_code == 404
    assert event_by_title("Boostcamp Mons") is not None
    assert "Boostcamp Mons" not in client.get("/staff/").get_data(as_text=True)


def test_check_in_member_sees_the_event_but_changes_nothing(client, auth, boostcamp):
    auth.login("checkin@a.test")
    page = client.get(f"/staff/events/{boostcamp.slug}").get_data(as_text=True)
    assert "Boostcamp Mons" in page and ">Modifier<" not in page
    assert client.post(f"/staff/events/{boostcamp.slug}/edit",
                       data=edit_data(boostcamp, title="Non")).status_code == 403  # fmt: skip
    assert client.post(f"/staff/events/{boostcamp.slug}/cancel").status_code == 403
    assert event_by_title("Boostcamp Mons").status == EventStatus.PUBLISHED


# ---------------------------------------------------------------- publish, cancel, duplicate


def test_partner_manager_cannot_publish_or_cancel(client, auth, world):
    centre, a, b, users = world
    draft = make_event(host=centre, co_organisers=[a], title="Brouillon", status=EventStatus.DRAFT)
    auth.login("manager@a.test")
    assert client.post(f"/staff/events/{draft.slug}/publish").status_code == 403
    assert client.get(f"/staff/events/{draft.slug}/cancel").status_code == 403
    assert event_by_title("Brouillon").status == EventStatus.DRAFT


def test_cancel_asks_first_then_cancels_and_the_event_can_no_longer_be_edited(
    client, auth, boostcamp
):
    make_registration(boostcamp)
    auth.login("staff@mic.test")
    confirm = client.get(f"/staff/events/{boostcamp.slug}/cancel").get_data(as_text=True)
    assert "Annuler « Boostcamp Mons » ?" in confirm
    assert "1 personne a une place." in confirm
    assert event_by_title("Boostcamp Mons").status == EventStatus.PUBLISHED
    response = client.post(f"/staff/events/{boostcamp.slug}/cancel")
    assert response.status_code == 302
    assert event_by_title("Boostcamp Mons").status == EventStatus.CANCELLED
    response = client.get(f"/staff/events/{boostcamp.slug}/edit")
    assert response.status_code == 302
    assert "Un événement annulé ne peut plus être modifié." in client.get(
        response.location
    ).get_data(as_text=True)
    # Publishing it again is refused with a message, not an error page.
    response = client.post(f"/staff/events/{boostcamp.slug}/publish", follow_redirects=True)
    assert response.status_code == 200
    assert event_by_title("Boostcamp Mons").status == EventStatus.CANCELLED


def test_duplicate_makes_a_draft_next_edition_with_its_agenda_moved(client, auth, boostcamp):
    auth.login("staff@mic.test")
    page = client.get(f"/staff/events/{boostcamp.slug}/duplicate").get_data(as_text=True)
    assert 'value="2030-05-06T09:00"' in page
    response = client.post(f"/staff/events/{boostcamp.slug}/duplicate",
                           data={"starts_at": "2031-05-05T09:00"})  # fmt: skip
    assert response.status_code == 302
    db.session.rollback()  # a fresh snapshot: see what the requests committed
    copy = db.session.scalar(sa.select(Event).where(Event.id != boostcamp.id))
    assert response.location.endswith(f"/staff/events/{copy.slug}")
    assert copy.status == EventStatus.DRAFT
    assert [s.starts_at for s in copy.sessions] == [at(2031, 5, 5, 9), at(2031, 5, 6, 9)]
    assert [o.name for o in copy.co_organisers] == ["Partner A"]


def test_duplicate_needs_a_start(client, auth, boostcamp):
    auth.login("staff@mic.test")
    response = client.post(f"/staff/events/{boostcamp.slug}/duplicate", data={"starts_at": ""})
    assert error_of(response.get_data(as_text=True), "starts_at") == "Indiquez le début."
    assert count(Event) == 1


# ---------------------------------------------------------------- overview and history


def test_overview_shows_seats_sessions_and_a_safe_description(client, auth, world):
    centre, a, b, users = world
    event = make_event(
        host=centre, co_organisers=[a], title="Atelier", capacity=12, starts_at=at(2030, 5, 6, 9),
        description="**Important**\n\n<script>alert(1)</script>",
        sessions=[("Matin", at(2030, 5, 6, 9), at(2030, 5, 6, 12))],
    )  # fmt: skip
    make_registration(event)
    auth.login("manager@a.test")
    page = client.get(f"/staff/events/{event.slug}").get_data(as_text=True)
    assert "1 place prise sur 12" in page
    assert "Matin" in page and "09:00" in page
    assert "<strong>Important</strong>" in page
    assert "<script>alert(1)" not in page


def test_history_says_who_changed_what_and_when_in_brussels_time(client, auth, world, boostcamp):
    centre, a, b, users = world
    editing.update_event(
        boostcamp, title="Boostcamp Mons 2030", capacity=20, user=users["a_manager"]
    )
    db.session.commit()
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    entry.at = at(2030, 1, 15, 14, 30)  # 13:30 UTC
    db.session.commit()
    auth.login("staff@mic.test")
    page = client.get(f"/staff/events/{boostcamp.slug}").get_data(as_text=True)
    assert "Modifié" in page and users["a_manager"].name in page
    assert "15 janv. 2030, 14:30" in page  # the day in words: never 01/15 or 15/01
    assert "Titre : Boostcamp Mons → Boostcamp Mons 2030" in page
    assert "Capacité : 10 → 20" in page


def test_history_page_costs_the_same_queries_for_few_and_many_changes(
    client, auth, count_queries, world, boostcamp
):
    centre, a, b, users = world
    auth.login("staff@mic.test")

    def change(n):
        for i in range(n):
            editing.update_event(boostcamp, capacity=11 + (boostcamp.capacity or 0) % 50,
                                  user=users[["staff", "a_manager"][i % 2]])  # fmt: skip
        db.session.commit()

    change(2)
    with count_queries() as few:
        assert client.get(f"/staff/events/{boostcamp.slug}/history").status_code == 200
    change(60)  # more than a page
    with count_queries() as many:
        page = client.get(f"/staff/events/{boostcamp.slug}/history")
    assert page.status_code == 200
    assert many.count == few.count, many.statements
    assert "Suivant" in page.get_data(as_text=True)


def test_overview_links_to_the_full_history_when_it_is_long(client, auth, boostcamp):
    for capacity in range(11, 25):
        editing.update_event(boostcamp, capacity=capacity)
    db.session.commit()
    auth.login("staff@mic.test")
    page = client.get(f"/staff/events/{boostcamp.slug}").get_data(as_text=True)
    assert f'href="/staff/events/{boostcamp.slug}/history"' in page


def test_dashboard_offers_new_event_to_staff_and_propose_to_partners(client, auth, world):
    auth.login("staff@mic.test")
    assert "Nouvel événement" in client.get("/staff/").get_data(as_text=True)
    auth.logout()
    auth.login("manager@a.test")
    page = client.get("/staff/").get_data(as_text=True)
    assert "Proposer un événement" in page and "Nouvel événement" not in page
    assert "Membres de Partner A" in page


def test_past_drafts_are_not_waiting_for_review(client, auth, world):
    centre, a, b, users = world
    editing.create_event(
        title="Vieille proposition", kind="workshop",
        starts_at=at(2020, 6, 3, 18), ends_at=at(2020, 6, 3, 21), city="Namur", host=centre,
        co_organisers=[a], user=users["a_manager"],
    )  # fmt: skip
    db.session.commit()
    auth.login("staff@mic.test")
    assert "Rien à valider." in client.get("/staff/?show=review").get_data(as_text=True)


def test_registration_window_is_saved_in_utc(client, auth, world):
    auth.login("staff@mic.test")
    client.post("/staff/events/new", data=event_data(
        registration_opens_at="2030-01-10T08:00", registration_closes_at="2030-03-29T23:59"))
    event = event_by_title("Boostcamp de printemps")
    assert event.registration_opens_at == at(2030, 1, 10, 8)
    assert event.registration_closes_at == at(2030, 3, 29, 23, 59)
    assert event.registration_closes_at - event.registration_opens_at > timedelta(days=70)
