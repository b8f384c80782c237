"""A start-up's page keeps the product's promise: the events it is credited to, with the
rule's reason, and its founders' attendance; days and numbers in the reader's language."""

import re


from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import attribution
from boostcamp.outcomes.records.models import Startup
from tests.test_demo import seed, sign_in


# Slow by design when it is the first test of its process to seed the whole demo (seed()).
def test_a_credited_startup_links_to_its_events_in_french(app):
    seed()
    rule = attribution.current_rule()
    startup_id, event_id = db.session.execute(
        attribution.credited_startups(rule).order_by("startup_id", "event_id").limit(1)
    ).one()
    startup, event = db.session.get(Startup, startup_id), db.session.get(Event, event_id)
    credits = attribution.startup_credits(startup, rule)
    assert event.id in {c.event.id for c in credits}
    client, _ = sign_in(app, "admin@mic-mons.example", "demo-admin")
    html = client.get(f"/staff/outcomes/startups/{startup_id}",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)  # fmt: skip
    assert f'href="/events/{event.slug}"' in html
    assert "Événements crédités de cette start-up" in html
    assert "suivi par" in html
    assert "Présence des personnes fondatrices" in html
    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", html.split("<form")[0])  # no ISO days
    assert "Fondateur ou fondatrice" in html
    assert "Fondateur<" not in html and "— Fondateur\n" not in html


def test_the_printed_report_names_the_centre_its_period_and_only_its_targets(app):
    seed()
    client, _ = sign_in(app, "admin@mic-mons.example", "demo-admin")
    html = client.get("/staff/impact/print?from=2008-01-01&to=2011-12-31",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)  # fmt: skip
    assert "Microsoft Innovation Center Mons" in html
    assert "1 janvier 2008" in html and "31 décembre 2011" in html
    assert "Rapport établi le" in html
    assert "2012–2014" not in html  # the targets of the next period are not this report's
    later = client.get("/staff/impact/print?from=2012-01-01&to=2014-12-31").get_data(as_text=True)
    assert "Emplois créés par les start-ups accompagnées, 2012–2014" in later


def test_the_impact_list_links_to_each_startup(app):
    seed()
    client, _ = sign_in(app, "admin@mic-mons.example", "demo-admin")
    html = client.get("/staff/impact/startups?from=2008-01-01&to=2011-12-31").get_data(
        as_text=True
    )
    links = re.findall(r'href="/staff/outcomes/startups/(\d+)"', html)
    assert len(links) >= 20
