"""The public catalogue, its archive and an event's public page, as a visitor sees them."""

import re
import uuid
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.events import editing
from boostcamp.events.models import (
    Audience,
    Event,
    EventAudience,
    EventKind,
    EventOrganiser,
    EventSession,
    EventStatus,
    OrganiserRole,
)
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Person, Registration, RegistrationStatus
from tests.factories import at, demo_logo, make_centre, make_event, make_org, make_registration

# Both engines for what the database decides: the search (GLOB or regular expression), the
# filters, dates and order in SQL, seat counts; one for the pages' markup and the kept copies.


def titles(html: str) -> list[str]:
    """The events listed, in order."""
    return re.findall(r'class="stretched-link" href="[^"]+">([^<]+)</a>', html)


def get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- the catalogue


@pytest.mark.both_engines  # dates compared in SQL
def test_cancelled_events_stay_listed_as_cancelled_until_they_end(client):
    centre = make_centre()
    cancelled = make_event(host=centre, title="Atelier annulé")
    editing.cancel_event(cancelled)
    db.session.commit()
    old = make_event(host=centre, title="Ancien annulé", starts_at=utcnow() - timedelta(days=60))
    editing.cancel_event(old)
    db.session.commit()
    html = get(client, "/")
    assert titles(html) == ["Atelier annulé"]
    assert "Annulé" in html
    assert "Ancien annulé" not in get(client, "/events/archive")


@pytest.mark.both_engines  # the order in SQL
def test_archive_lists_past_events_most_recent_first(client):
    centre = make_centre()
    make_event(host=centre, title="Il y a un an", starts_at=utcnow() - timedelta(days=365))
    make_event(host=centre, title="Le mois dernier", starts_at=utcnow() - timedelta(days=30))
    make_event(host=centre, title="Brouillon passé", starts_at=utcnow() - timedelta(days=20),
               status=EventStatus.DRAFT)  # fmt: skip
    make_event(host=centre, title="Bientôt")
    html = get(client, "/events/archive")
    assert titles(html) == ["Le mois dernier", "Il y a un an"]
    assert "Événements passés" in html


@pytest.mark.both_engines  # dates compared in SQL
def test_an_event_under_way_is_still_upcoming(client):
    make_event(title="Boostcamp en cours", starts_at=utcnow() - timedelta(days=1), days=3)
    assert titles(get(client, "/")) == ["Boostcamp en cours"]
    assert titles(get(client, "/events/archive")) == []


@pytest.mark.both_engines  # dates compared in SQL
def test_an_event_under_way_whose_registration_closed_offers_no_seats(client):
    event = make_event(title="Boostcamp en cours", starts_at=utcnow() - timedelta(days=1), days=3,
                       capacity=30, registration_closes_at=utcnow() - timedelta(days=2))
    for html in (get(client, "/"), get(client, f"/events/{event.slug}")):
        assert "Inscriptions clôturées" in html
        assert "places restantes" not in html


@pytest.mark.both_engines  # dates compared in SQL
def test_an_event_under_way_without_a_closing_time_offers_no_seats_either(client):
    # Registration closes when the event starts unless staff chose another time.
    event = make_event(title="Boostcamp en cours", starts_at=utcnow() - timedelta(hours=2), days=3,
                       capacity=30)  # fmt: skip
    for html in (get(client, "/"), get(client, f"/events/{event.slug}")):
        assert "Inscriptions clôturées" in html
        assert "places restantes" not in html
    assert client.get(f"/events/{event.slug}/register").status_code != 200 or (
        "Inscriptions clôturées" in get(client, f"/events/{event.slug}/register")
    )


@pytest.mark.both_engines  # the filters in SQL
def test_filter_by_city_kind_and_audience(client):
    centre = make_centre()
    make_event(host=centre, title="Boostcamp Mons", city="Mons", audiences=[Audience.STUDENTS])
    make_event(host=centre, title="Boostcamp Namur", city="Namur", audiences=[Audience.STUDENTS])
    make_event(host=centre, title="Atelier Mons", city="Mons", kind=EventKind.WORKSHOP,
               audiences=[Audience.EVERYONE])  # fmt: skip
    make_event(host=centre, title="Formation Mons", city="Mons", kind=EventKind.TRAINING,
               audiences=[Audience.EMPLOYEES])  # fmt: skip
    assert titles(get(client, "/?city=Namur")) == ["Boostcamp Namur"]
    assert titles(get(client, "/?city=Mons&kind=workshop")) == ["Atelier Mons"]
    # An event for everyone is for students too.
    assert sorted(titles(get(client, "/?audience=students"))) == [
        "Atelier Mons", "Boostcamp Mons", "Boostcamp Namur",
    ]  # fmt: skip


@pytest.mark.both_engines  # months computed in SQL
def test_filter_by_month_in_brussels_time(client):
    centre = make_centre()
    # 00:30 on 1 April in Brussels is still 31 March in UTC.
    make_event(host=centre, title="Nuit du 1er avril", starts_at=at(2030, 4, 1, 0, 30))
    make_event(host=centre, title="Fin mars", starts_at=at(2030, 3, 20))
    assert titles(get(client, "/?month=2030-04")) == ["Nuit du 1er avril"]
    assert titles(get(client, "/?month=2030-03")) == ["Fin mars"]


@pytest.mark.both_engines  # months computed in SQL
def test_choices_of_cities_and_months_come_from_the_events(client):
    centre = make_centre()
    make_event(host=centre, city="Namur", starts_at=at(2030, 3, 20))
    make_event(host=centre, city="Liège", starts_at=at(2030, 5, 6))
    make_event(host=centre, city="Arlon", starts_at=utcnow() - timedelta(days=40))
    html = get(client, "/")
    assert '<option value="Liège" >Liège</option>' in html
    assert '<option value="Namur" >Namur</option>' in html
    assert "Arlon" not in html  # only in the archive
    assert '<option value="2030-03" >mars 2030</option>' in html
    assert '<option value="2030-05" >mai 2030</option>' in html
    assert '<option value="Arlon" >Arlon</option>' in get(client, "/events/archive")


@pytest.mark.both_engines  # the search
@pytest.mark.parametrize(
    "query, expected",
    [
        ("liege", ["Boostcamp à Liège"]),  # accents
        ("LIÈGE", ["Boostcamp à Liège"]),  # case, even outside ASCII
        ("ecole", ["Formation à l’École"]),
        ("mind", ["Boostcamp à Liège"]),  # a co-organiser's name
        ("MIC", ["Boostcamp à Liège", "Formation à l’École"]),  # the host's name
        ("coworking namur", ["Atelier du Grenier"]),  # every word, anywhere
        ("pitch", ["Atelier du Grenier"]),  # the summary
        ("salle", ["Formation à l’École"]),  # the venue
        ("liège namur", []),
        ("100%", []),  # a wildcard is a plain character
        ("_", []),
        ("*", []),
    ],
)
def test_text_search(client, query, expected):
    centre = make_centre("MIC Mons")
    make_event(host=centre, co_organisers=[make_org("Mind & Market")],
               title="Boostcamp à Liège", city="Liège")  # fmt: skip
    make_event(host=centre, title="Formation à l’École", city="Mons", venue="Salle Hélène")
    make_event(host=make_org("Le Grenier Coworking"), title="Atelier du Grenier", city="Namur",
               summary="Préparer son pitch")  # fmt: skip
    assert sorted(titles(get(client, f"/?q={query}"))) == expected


@pytest.mark.both_engines  # a huge page, a long search, in SQL
@pytest.mark.parametrize(
    "query",
    ["?month=2027-13", "?month=0000-01", "?month=abc", "?kind=zzz", "?audience=robots",
     "?page=-1", "?page=abc", "?page=99999999999999999999999", "?city=", "?q=" + "x" * 5000],
)  # fmt: skip
def test_invalid_filters_are_ignored(client, query):
    make_event(title="Boostcamp de Mons")
    html = get(client, "/" + query)
    if "q=x" not in query:  # a page beyond the last is the last
        assert titles(html) == ["Boostcamp de Mons"]
    get(client, "/events/archive" + query)


def test_active_filters_can_be_removed_one_by_one_or_all(client):
    make_event(title="Boostcamp de Mons", city="Mons")
    html = get(client, "/?city=Mons&q=boostcamp&kind=boostcamp")
    assert "Filtres actifs" in html
    assert 'href="/?city=Mons&amp;kind=boostcamp"' in html  # without the search
    assert "Recherche : « boostcamp »" in html
    assert "Type : Boostcamp" in html
    assert '<a href="/">Effacer les filtres</a>' in html
    assert "Filtres actifs" not in get(client, "/")


def test_no_result_says_so_and_offers_to_clear_the_filters(client):
    make_event(title="Boostcamp de Mons")
    html = get(client, "/?q=introuvable")
    assert "Aucun événement ne correspond à ces critères." in html
    assert "Effacer les filtres" in html


@pytest.mark.both_engines  # LIMIT and OFFSET
def test_catalogue_is_paginated_and_keeps_the_filters(client):
    centre = make_centre()
    start = utcnow() + timedelta(days=10)
    for i in range(14):
        make_event(host=centre, title=f"Atelier {i:02d}", city="Mons",
                   starts_at=start + timedelta(days=i))  # fmt: skip
    first = get(client, "/?city=Mons")
    assert len(titles(first)) == 12
    assert "14 événements" in first
    assert 'href="/?city=Mons&amp;page=2"' in first
    assert titles(get(client, "/?city=Mons&page=2")) == ["Atelier 12", "Atelier 13"]
    assert titles(get(client, "/?page=9")) == ["Atelier 12", "Atelier 13"]  # beyond: the last


# ---------------------------------------------------------------- an event's page


def test_event_page_renders_the_description_safely(client):
    event = make_event(
        description=(
            "## Pour qui ?\n\nLes **porteurs de projet**.\n\n"
            "<script>alert('x')</script>\n\n"
            '<img src="x" onerror="alert(1)">\n\n'
            "[piège](javascript:alert(1)) [site](https://mic-mons.example/)\n\n"
            '<iframe src="https://evil.example/"></iframe><style>body{}</style>'
        )
    )
    html = get(client, f"/events/{event.slug}")
    assert "<strong>porteurs de projet</strong>" in html
    assert "<h2>Pour qui ?</h2>" in html
    main = html[html.index("<main"):]
    for forbidden in ("<script", "onerror", "javascript:", "<iframe", "<style", "<img src=\"x"):
        assert forbidden not in main
    assert '<a href="https://mic-mons.example/" rel="nofollow noopener">site</a>' in html


def test_event_page_shows_venue_with_a_map_link_and_organisers_with_logos(client):
    centre = make_centre("MIC Mons")
    partner = make_org("Mind & Market", logo=demo_logo("mind-and-market"))
    elsewhere = make_org("Sans logo")
    event = make_event(host=centre, co_organisers=[partner, elsewhere], city="Mons",
                       venue="Initialis", address="Rue Descartes 2, 7000 Mons")  # fmt: skip
    html = get(client, f"/events/{event.slug}")
    assert ("https://www.openstreetmap.org/search?query=Initialis%2C+Rue+Descartes+2%2C+7000"
            "+Mons%2C+Mons") in html  # fmt: skip
    assert (f'<img class="org-logo" src="/logos/{partner.logo_sha256}.png" '
            'alt="Logo de Mind &amp; Market"') in html
    assert 'alt="Logo de Sans logo"' not in html
    assert not re.search(r'src="(https?:)?//', html)  # the page loads nothing from outside
    assert f'<a href="/organisations/{partner.slug}">Mind &amp; Market</a>' in html
    assert client.get(f"/logos/{partner.logo_sha256}.png").status_code == 200


def test_event_page_has_a_title_and_a_description_for_search_engines(client):
    event = make_event(title="Boostcamp Mons", summary="Trois jours pour lancer son projet.")
    html = get(client, f"/events/{event.slug}")
    assert "<title>Boostcamp Mons · Boostcamp</title>" in html
    assert '<meta name="description" content="Trois jours pour lancer son projet.">' in html
    assert '<meta property="og:title" content="Boostcamp Mons">' in html


def test_register_button_while_registration_is_open(client):
    event = make_event(capacity=10)
    html = get(client, f"/events/{event.slug}")
    assert f'href="/events/{event.slug}/register"' in html
    assert "S’inscrire" in html
    assert "10 places restantes" in html


@pytest.mark.both_engines  # seat counts in SQL
def test_a_full_event_offers_its_waiting_list(client):
    event = make_event(capacity=1)
    make_registration(event)
    html = get(client, f"/events/{event.slug}")
    assert "Complet — liste d’attente" in html
    assert "S’inscrire sur la liste d’attente" in html


@pytest.mark.parametrize(
    "change, says",
    [
        (dict(registration_opens_at=at(2030, 1, 15, 10)),
         "Inscriptions pas encore ouvertes (ouverture le 15 janvier 2030 à 10:00)"),
        (dict(registration_closes_at=utcnow() - timedelta(hours=1)), "Inscriptions clôturées"),
        (dict(starts_at=utcnow() - timedelta(days=3)), "Inscriptions clôturées"),
        (dict(status=EventStatus.CANCELLED), "Événement annulé"),
    ],
)  # fmt: skip
def test_no_register_button_when_registration_is_not_open(client, change, says):
    if "registration_opens_at" in change:
        event = make_event(starts_at=at(2030, 3, 1), **change)
    else:
        event = make_event(**change)
    html = get(client, f"/events/{event.slug}")
    assert says in html
    assert "/register" not in html


class HtmlCheck(HTMLParser):
    """What an HTML validator would say about ids and nesting, roughly."""

    VOID = {"meta", "link", "img", "br", "hr", "input", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.open, self.ids, self.problems = [], set(), []

    def handle_starttag(self, tag, attrs):
        id_ = dict(attrs).get("id")
        if id_ and id_ in self.ids:
            self.problems.append(f"duplicate id {id_}")
        self.ids.add(id_)
        if tag == "li" and self.open[-1:] not in (["ul"], ["ol"]):
            self.problems.append(f"<li> in <{self.open[-1]}>")
        if tag in ("a", "button") and {"a", "button"} & set(self.open):
            self.problems.append(f"<{tag}> inside a link or button")
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            if self.open[-1:] != [tag]:
                self.problems.append(f"</{tag}> closes <{self.open[-1]}>")
            else:
                self.open.pop()


def test_public_pages_are_well_formed(client):
    partner = make_org("Mind & Market", logo=demo_logo("mind-and-market"),
                       description="## Qui ?\n\n- un\n- deux")  # fmt: skip
    event = make_event(co_organisers=[partner], description="## Pour qui ?\n\n- vous",
                       audiences=[Audience.STUDENTS], sessions=[])  # fmt: skip
    make_event(title="Ancien", starts_at=utcnow() - timedelta(days=30))
    for path in ("/", "/?q=zzz", "/?city=Mons&kind=boostcamp&month=2030-01", "/events/archive",
                 f"/events/{event.slug}", f"/organisations/{partner.slug}"):  # fmt: skip
        markup = HtmlCheck()
        markup.feed(get(client, path))
        assert markup.problems == [], path
        assert markup.open == [], path


# ---------------------------------------------------------------- queries


def add_events(host, partner, n: int, registrations: int) -> None:
    """`n` public events, a quarter of them past, with their organisers, audiences and
    `registrations` registrations spread over them: inserted in bulk, not one by one."""
    now, tag = utcnow(), uuid.uuid4().hex[:8]
    rows = []
    for i in range(n):
        starts_at = now + timedelta(days=(-1 if i % 4 == 0 else 1) * (10 + i % 200), hours=i % 24)
        rows.append(dict(
            slug=f"atelier-{tag}-{i}", title=f"Atelier {i}", kind=EventKind.WORKSHOP,
            status=EventStatus.PUBLISHED, city=("Mons", "Namur", "Liège")[i % 3],
            summary="Un atelier pratique", starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3), capacity=20,
        ))  # fmt: skip
    ids = db.session.scalars(sa.insert(Event).returning(Event.id), rows).all()
    db.session.execute(sa.insert(EventOrganiser), [
        dict(event_id=i, organisation_id=org.id, role=role)
        for i in ids
        for org, role in ((host, OrganiserRole.HOST), (partner, OrganiserRole.CO_ORGANISER))
    ])  # fmt: skip
    db.session.execute(
        sa.insert(EventAudience), [dict(event_id=i, audience=Audience.STUDENTS) for i in ids]
    )
    add_registrations(ids, registrations, tag)
    db.session.commit()


def add_registrations(event_ids: list[int], n: int, tag: str | None = None) -> None:
    tag = tag or uuid.uuid4().hex[:8]
    people = db.session.scalars(sa.insert(Person).returning(Person.id), [
        dict(email=f"p{tag}{i}@example.be", first_name="Marie", last_name="Dupont")
        for i in range(n)
    ]).all()  # fmt: skip
    db.session.execute(sa.insert(Registration), [
        dict(event_id=event_ids[i % len(event_ids)], person_id=person_id,
             status=RegistrationStatus.CONFIRMED, ticket_code=f"T{tag}{i}")
        for i, person_id in enumerate(people)
    ])  # fmt: skip


@pytest.mark.parametrize(
    "path",
    ["/", "/?city=Mons&q=atelier", "/?audience=students&month={month}&kind=workshop",
     "/events/archive", "/events/archive?q=mind", "/events/{slug}", "/organisations/{partner}",
     "/organisations/{partner}/past"],
)  # fmt: skip
def test_public_pages_cost_the_same_queries_with_10_or_1000_events(client, count_queries, path):
    host, partner = make_centre("MIC Mons"), make_org("Mind & Market")
    start = utcnow() + timedelta(days=20)
    event = make_event(host=host, co_organisers=[partner], capacity=1500, starts_at=start,
                       description="## Programme\n\nUn **Boostcamp**.",
                       sessions=[("Jour 1", start, start + timedelta(hours=8))])  # fmt: skip
    add_events(host, partner, 10, registrations=10)
    month = f"{start:%Y-%m}"
    path = path.format(slug=event.slug, partner=partner.slug, month=month)
    with count_queries() as few:
        get(client, path)

    add_events(host, partner, 1000, registrations=1000)
    add_registrations([event.id], 1000)
    db.session.execute(sa.insert(EventSession), [
        dict(event_id=event.id, title=f"Atelier {i}", starts_at=start + timedelta(minutes=i),
             ends_at=start + timedelta(minutes=i + 1))
        for i in range(60)
    ])  # fmt: skip
    db.session.commit()
    with count_queries() as many:
        html = get(client, path)
    assert many.count == few.count, many.statements
    if path == f"/events/{event.slug}":
        assert html.count('class="list-group-item"') == 61
        assert "500 places restantes" in html


# ---------------------------------------------------------------- the visitors' page cache


@pytest.fixture
def caching_client(database_url):
    """A client on an app that keeps visitors' pages, as deployed."""
    from boostcamp.core.extensions import cache
    from tests.conftest import make_app

    app = make_app(database_url, CACHE_TYPE="SimpleCache", PUBLIC_PAGE_CACHE_SECONDS=10)
    with app.app_context():
        cache.clear()
        client = app.test_client()
        client.engine = db.engine  # its own engine: count the queries there
        yield client
        db.engine.dispose()


def queries_sent(client, path: str) -> int:
    return len(statements_sent(client, path))


def statements_sent(client, path: str) -> list[str]:
    statements = []

    def count(conn, cursor, statement, *_):
        if not statement.startswith(("BEGIN", "PRAGMA")):
            statements.append(statement)

    sa.event.listen(client.engine, "before_cursor_execute", count)
    try:
        get(client, path)
    finally:
        sa.event.remove(client.engine, "before_cursor_execute", count)
    return statements


def test_visitors_get_a_kept_copy_until_something_on_it_changes(app, caching_client, monkeypatch):
    event = make_event(title="Boostcamp de Mons", capacity=5)
    assert queries_sent(caching_client, f"/events/{event.slug}") > 0
    # Only the version of what public pages show is asked (tests read it every time).
    assert queries_sent(caching_client, f"/events/{event.slug}") == 1
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(title="Boostcamp renommé"))
    db.session.commit()
    assert "Boostcamp renommé" in get(caching_client, f"/events/{event.slug}")
    assert "5 places restantes" in get(caching_client, f"/events/{event.slug}")
    make_registration(event)  # a seat taken
    assert "4 places restantes" in get(caching_client, f"/events/{event.slug}")
    assert "Boostcamp renommé" in get(caching_client, "/")


def test_as_deployed_a_kept_page_costs_no_query_and_changes_show_within_a_second(
    app, caching_client
):
    import threading

    from cachetools import TTLCache

    application = caching_client.application
    application.config["PUBLIC_VERSION_SECONDS"] = 1
    # The clock of the version each worker keeps, moved by the test: a loaded machine may
    # take more than a second between two requests.
    now = [0.0]
    application.extensions["public_versions"] = (
        TTLCache(maxsize=4096, ttl=1, timer=lambda: now[0]),
        threading.Lock(),
    )
    event = make_event(title="Boostcamp de Mons", capacity=5)
    get(caching_client, f"/events/{event.slug}")
    assert queries_sent(caching_client, f"/events/{event.slug}") == 0
    make_registration(event)
    now[0] += 0.5
    assert "5 places restantes" in get(caching_client, f"/events/{event.slug}")
    now[0] += 0.6  # a second after the version was read
    assert "4 places restantes" in get(caching_client, f"/events/{event.slug}")


def test_each_language_gets_its_own_copy(app, caching_client):
    make_event()
    assert "Événements à venir" in get(caching_client, "/")
    english = caching_client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Upcoming events" in english


def test_signed_in_users_get_pages_made_for_them(app, caching_client):
    from boostcamp.auth.models import StaffRole
    from tests.factories import PASSWORD, make_user

    event = make_event()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    get(caching_client, f"/events/{event.slug}")  # kept for visitors
    caching_client.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD})
    assert queries_sent(caching_client, f"/events/{event.slug}") > 0
    assert "Se déconnecter" in get(caching_client, f"/events/{event.slug}")


def sign_in(client, email: str) -> None:
    from tests.factories import PASSWORD

    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def test_signed_in_users_get_the_kept_page_blocks_in_a_layout_of_their_own(app, caching_client):
    from boostcamp.auth.models import MemberRole, StaffRole
    from tests.factories import make_user

    partner = make_org("Mind & Market")
    event = make_event(title="Boostcamp de Mons", capacity=5, co_organisers=[partner])
    make_user("staff@mic.test", role=StaffRole.STAFF)
    make_user("manager@mm.test", org=partner, org_role=MemberRole.MANAGER)
    sign_in(caching_client, "staff@mic.test")
    for path in (f"/events/{event.slug}", "/"):
        first = statements_sent(caching_client, path)
        assert any("event_session" in q or "event_organiser" in q for q in first)
        again = statements_sent(caching_client, path)  # the page's blocks were kept
        assert not any("event_session" in q or "event_organiser" in q for q in again), again
    staff_page = get(caching_client, f"/events/{event.slug}")
    assert "Boîte d&#39;envoi" in staff_page or "/staff/outbox" in staff_page

    other = caching_client.application.test_client()
    other.engine = caching_client.engine
    sign_in(other, "manager@mm.test")
    partner_page = get(other, f"/events/{event.slug}")
    assert "/staff/outbox" not in partner_page  # the layout is the reader's own
    assert partner_page.split("<main", 1)[1] == staff_page.split("<main", 1)[1]

    db.session.execute(sa.update(Event).where(Event.id == event.id).values(title="Renommé"))
    db.session.commit()
    assert "Renommé" in get(caching_client, f"/events/{event.slug}")
    make_registration(event)
    assert "4 places restantes" in get(caching_client, f"/events/{event.slug}")
    assert "Renommé" in get(other, "/")


def test_a_draft_seen_by_staff_is_never_kept_for_anyone_else(app, caching_client):
    from boostcamp.auth.models import StaffRole
    from tests.factories import make_user

    draft = make_event(title="Projet secret", status=EventStatus.DRAFT)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(caching_client, "staff@mic.test")
    assert "Projet secret" in get(caching_client, f"/events/{draft.slug}")
    assert any("event_session" in q for q in statements_sent(caching_client, f"/events/{draft.slug}"))
    visitor = caching_client.application.test_client()
    assert visitor.get(f"/events/{draft.slug}").status_code == 404
    assert "Projet secret" not in visitor.get("/").get_data(as_text=True)


def test_the_city_is_not_repeated_when_the_address_names_it(client):
    event = make_event(city="Mons", venue="MIC", address="Boulevard Initialis 1, 7000 Mons")
    html = get(client, f"/events/{event.slug}")
    venue = html.split("<address", 1)[1].split("<a ", 1)[0]  # the text, not the map link
    assert venue.count("Mons") == 1
