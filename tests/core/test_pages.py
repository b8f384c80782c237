"""What every page shares: language, errors, security headers, assets served locally."""

import re

import pytest

from tests.conftest import make_app


def test_french_by_default_english_on_request(client):
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "Upcoming events" in english.get_data(as_text=True)


def test_language_switch_is_remembered(client):
    response = client.get("/lang/en?next=/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert "Staff sign-in" in client.get("/auth/login").get_data(as_text=True)
    client.get("/lang/fr")
    assert "Connexion organisateurs" in client.get("/auth/login").get_data(as_text=True)


def test_dutch_switch_and_error_pages(client):
    page = client.get("/").get_data(as_text=True)
    assert [code for code in ("fr", "nl", "en") if f'hreflang="{code}"' in page] == ["nl", "en"]
    client.get("/lang/nl")
    assert "Aanmelden voor personeel" in client.get("/auth/login").get_data(as_text=True)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "Pagina niet gevonden" in missing.get_data(as_text=True)


def test_language_switch_ignores_foreign_next(client):
    response = client.get("/lang/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_expired_form_gets_a_clear_page(database_url):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = app.test_client().post("/auth/login", data={"email": "a@b.c", "password": "x"})
        assert response.status_code == 400
        assert "Ce formulaire a expiré" in response.get_data(as_text=True)
        from boostcamp.core.extensions import db

        db.engine.dispose()


def test_unexpected_error_gets_a_500_page_not_a_trace(database_url):
    from tests.conftest import make_app

    app = make_app(database_url, PROPAGATE_EXCEPTIONS=False)  # a route of its own: its own app

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Une erreur s’est produite" in html
    assert "RuntimeError" not in html


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/auth/login", "/nope", "/events/archive"])
def test_pages_load_nothing_from_outside(client, path):
    html = client.get(path).get_data(as_text=True)
    # What the browser loads by itself (scripts, images, style sheets, icons); links that a
    # person may follow to another site (a map, Google Calendar) are fine.
    loaded = re.findall(r'\bsrc="([^"]+)"', html) + re.findall(r'<link\b[^>]*\bhref="([^"]+)"', html)
    assert loaded, "no assets found: the pattern is wrong"
    for url in loaded:
        assert not url.startswith(("http:", "https:", "//")), url
    assert 'name="viewport"' in html


def test_static_assets_and_favicon_are_served(client):
    assert client.get("/favicon.ico").status_code == 200
    assert client.get("/static/vendor/bootstrap/bootstrap.min.css").status_code == 200
    assert client.get("/static/vendor/bootstrap/bootstrap.bundle.min.js").status_code == 200


@pytest.mark.parametrize(("language", "heading", "checked"), [
    ("fr", "Déclaration d’accessibilité", "Dernière vérification le 7 décembre 2026."),
    ("nl", "Toegankelijkheidsverklaring", "Laatst gecontroleerd op 7 december 2026."),
    ("en", "Accessibility statement", "Last checked on 7 December 2026."),
])  # fmt: skip
def test_the_accessibility_statement_in_each_language(client, app, language, heading, checked):
    import html

    app.config.update(ACCESSIBILITY_CONTACT="a11y@mic-mons.example",
                      ACCESSIBILITY_CHECKED_ON="2026-12-07")  # fmt: skip
    client.get(f"/lang/{language}")
    page = html.unescape(client.get("/accessibility").get_data(as_text=True))
    assert f'<html lang="{language}">' in page
    assert f'<h1 class="h3">{heading}</h1>' in page
    assert checked in page
    assert 'href="mailto:a11y@mic-mons.example"' in page
    assert "WCAG 2.1" in page and "EN 301 549" in page
    # Every page links to it, in the footer.
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<footer.*href="/accessibility".*</footer>', home, re.S)
