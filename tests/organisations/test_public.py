"""An organisation's public page: who they are and the events they host or co-organise."""

from datetime import timedelta

from boostcamp.core.db import utcnow
from boostcamp.events.models import EventStatus
from boostcamp.organisations.models import OrganisationKind, PlatformType
from tests.factories import demo_logo, make_centre, make_event, make_org


def test_platform_page_shows_its_details_and_its_upcoming_events(client):
    centre = make_centre("MIC Mons")
    partner = make_org(
        "Mind & Market", city="Louvain-la-Neuve", platform_type=PlatformType.INCUBATOR,
        website="https://mind-and-market.example/",
        logo=demo_logo("mind-and-market"),
        description="Un **incubateur**.<script>alert(1)</script>",
    )  # fmt: skip
    other = make_org("Le Grenier")
    make_event(host=centre, co_organisers=[partner], title="Co-organisé")
    make_event(host=partner, title="Chez Mind & Market")
    make_event(host=centre, co_organisers=[other], title="Chez un autre")
    make_event(host=centre, co_organisers=[partner], title="Brouillon", status=EventStatus.DRAFT)
    make_event(host=centre, co_organisers=[partner], title="Passé",
               starts_at=utcnow() - timedelta(days=90))  # fmt: skip

    response = client.get(f"/organisations/{partner.slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1" in html and "Mind &amp; Market</h1>" in html
    assert "Plateforme partenaire · Incubateur · Louvain-la-Neuve" in html
    assert '<a href="https://mind-and-market.example/" rel="noopener">' in html
    assert 'alt="Logo de Mind &amp; Market"' in html
    assert "<strong>incubateur</strong>" in html and "<script>alert" not in html
    assert "Co-organisé" in html and "Chez Mind &amp; Market" in html
    for absent in ("Chez un autre", "Brouillon", "Passé"):
        assert absent not in html
    assert f'href="/organisations/{partner.slug}/past"' in html

    past = client.get(f"/organisations/{partner.slug}/past").get_data(as_text=True)
    assert "Passé" in past and "Co-organisé" not in past


def test_sponsor_page_without_events(client):
    sponsor = make_org("HP", kind=OrganisationKind.SPONSOR)
    html = client.get(f"/organisations/{sponsor.slug}").get_data(as_text=True)
    assert "Sponsor" in html
    assert "Aucun événement à venir pour le moment." in html


def test_only_a_web_address_becomes_a_link(client):
    org = make_org("Douteux", website="javascript:alert(1)")
    html = client.get(f"/organisations/{org.slug}").get_data(as_text=True)
    assert "javascript:" not in html


def test_unknown_organisation_is_a_404(client):
    assert client.get("/organisations/nobody").status_code == 404


def test_event_cards_and_pages_link_to_their_organisers(client):
    partner = make_org("Mind & Market")
    event = make_event(co_organisers=[partner])
    link = f'<a href="/organisations/{partner.slug}">Mind &amp; Market</a>'
    assert link in client.get("/").get_data(as_text=True)
    assert link in client.get(f"/events/{event.slug}").get_data(as_text=True)
