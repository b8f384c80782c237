import pytest

from boostcamp.core.db import utcnow
from tests.browser.conftest import axe_violations
from boostcamp.organisations.models import OrganisationKind
from tests.factories import demo_logo, make_event, make_org, make_registration

pytestmark = pytest.mark.browser

DESCRIPTION = (
    "Le **Boostcamp** s'adresse aux porteurs de projet.\n\n"
    "## Pour qui ?\n\n- Étudiants\n- Demandeurs d'emploi\n\n"
    "Plus d'infos sur [le site du MIC](https://mic-mons.example/).\n\n"
    "<script>document.title = 'piraté'</script>"
)


def catalogue():
    """A few events in several cities, one with an agenda, logos and a Markdown description."""
    from datetime import timedelta

    centre = make_org("MIC Mons", kind=OrganisationKind.CENTRE, city="Mons",
                      logo=demo_logo("mic-mons"))
    partner = make_org("Mind & Market", logo=demo_logo("mind-and-market"),
                       city="Louvain-la-Neuve", website="https://mind-and-market.example/",
                       description="Un **incubateur** à Louvain-la-Neuve.")  # fmt: skip
    start = (utcnow() + timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    boostcamp = make_event(
        host=centre, co_organisers=[partner], title="Boostcamp Louvain-la-Neuve",
        city="Louvain-la-Neuve", venue="Maison de l'entreprise", address="Rue Louis de Geer 6",
        starts_at=start, days=2, capacity=20, description=DESCRIPTION,
        summary="Deux jours pour transformer une idée en projet.",
        sessions=[("Jour 1 — De l'idée au projet", start, start + timedelta(hours=8)),
                  ("Jour 2 — Pitch", start + timedelta(days=1),
                   start + timedelta(days=1, hours=8))],
    )  # fmt: skip
    make_registration(boostcamp)
    make_event(host=centre, title="Atelier à Mons", city="Mons", starts_at=start)
    make_event(host=centre, title="Formation à Namur", city="Namur", starts_at=start)
    make_event(host=centre, co_organisers=[partner], title="Boostcamp de l'an passé",
               starts_at=start - timedelta(days=365))  # fmt: skip
    return boostcamp, partner


def test_visitor_filters_the_catalogue_on_a_phone_and_opens_an_event(phone, app):
    catalogue()
    phone.goto("/")
    city = phone.get_by_label("Ville")
    assert not city.is_visible()  # the filters are folded away on a small screen
    phone.get_by_role("button", name="Filtres").click()
    city.wait_for(state="visible")
    city.select_option("Louvain-la-Neuve")
    phone.get_by_role("button", name="Afficher les événements").click()
    phone.wait_for_url("**/?*city=Louvain-la-Neuve*")
    assert phone.get_by_role("link", name="Boostcamp Louvain-la-Neuve").is_visible()
    assert phone.get_by_role("link", name="Atelier à Mons").count() == 0
    assert phone.get_by_role("link", name="Ville : Louvain-la-Neuve (retirer)").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.get_by_role("link", name="Boostcamp Louvain-la-Neuve").click()
    phone.wait_for_url("**/events/*")
    assert phone.get_by_role("heading", level=1).inner_text() == "Boostcamp Louvain-la-Neuve"
    # The call to action comes before the details on a phone.
    register = phone.get_by_role("link", name="S’inscrire")
    agenda = phone.get_by_role("heading", name="Programme")
    assert register.bounding_box()["y"] < agenda.bounding_box()["y"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_search_finds_events_whatever_the_accents(page, app):
    catalogue()
    page.goto("/")
    page.get_by_label("Rechercher").fill("LOUVAIN mind")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?*q=LOUVAIN*")
    assert page.get_by_text("1 événement", exact=True).is_visible()
    page.get_by_role("link", name="Effacer les filtres").first.click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.get_by_text("3 événements", exact=True).is_visible()


def test_event_page_loads_its_logos_and_runs_no_script_from_the_description(page, app):
    boostcamp, partner = catalogue()
    page.goto(f"/events/{boostcamp.slug}")  # `page` fails the test on a 404 for a logo
    assert page.title() == "Boostcamp Louvain-la-Neuve · Boostcamp"
    logo = page.get_by_role("img", name="Logo de Mind & Market")
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    page.get_by_role("link", name="Mind & Market").click()
    page.wait_for_url(f"**/organisations/{partner.slug}")
    assert page.get_by_role("heading", level=1).inner_text() == "Mind & Market"


@pytest.mark.parametrize(
    "path",
    ["/", "/?q=introuvable", "/?city=Mons&kind=boostcamp", "/events/archive",
     "/events/{slug}", "/organisations/{partner}"],
)  # fmt: skip
def test_catalogue_pages_have_no_accessibility_violations(a11y_page, app, path):
    boostcamp, partner = catalogue()
    a11y_page.goto(path.format(slug=boostcamp.slug, partner=partner.slug))
    assert axe_violations(a11y_page) == []


def test_phone_sized_pages_have_no_accessibility_violations(browser, live_server, app):
    boostcamp, _ = catalogue()
    context = browser.new_context(base_url=live_server, locale="fr-BE", bypass_csp=True,
                                  viewport={"width": 390, "height": 844})  # fmt: skip
    page = context.new_page()
    try:
        for path in ("/", f"/events/{boostcamp.slug}"):
            page.goto(path)
            assert axe_violations(page) == [], path
    finally:
        context.close()
