"""The public page cache and the `Host` header: one request with `Host: evil.example` must
not put evil.example into the pages (and calendar subscriptions) the next visitors get."""

import pytest

from tests.conftest import make_app
from tests.factories import make_event


@pytest.fixture
def cached_app(database_url):
    def build(server_name):
        return make_app(database_url, SERVER_NAME=server_name, CACHE_TYPE="SimpleCache",
                        PUBLIC_PAGE_CACHE_SECONDS=60)  # fmt: skip

    return build


@pytest.mark.parametrize("path", ["/", "/events/{slug}", "/events/archive"])
def test_without_server_name_each_host_has_its_own_cached_page(app, cached_app, path):
    path = path.format(slug=make_event(title="Atelier IA").slug)
    client = cached_app(None).test_client()
    evil = client.get(path, headers={"Host": "evil.example"})
    assert evil.status_code == 200
    page = client.get(path, headers={"Host": "events.mic-mons.be"}).get_data(as_text=True)
    assert "evil.example" not in page
    if path != "/events/archive":  # pages with calendar links: to their own host
        assert "//evil.example/" in evil.get_data(as_text=True)
        assert "//events.mic-mons.be/" in page


@pytest.mark.parametrize("path", ["/", "/events/archive", "/events/{slug}", "/calendar.ics"])
def test_with_server_name_unknown_hosts_are_refused_and_links_use_it(app, cached_app, path):
    path = path.format(slug=make_event(title="Atelier IA").slug)
    client = cached_app("events.mic-mons.be").test_client()
    assert client.get(path, headers={"Host": "evil.example"}).status_code == 400
    other_port = client.get(path, headers={"Host": "events.mic-mons.be:8080"})
    assert other_port.status_code == 200  # the same site: a port is not kept in links
    assert ":8080" not in other_port.get_data(as_text=True)
    page = client.get(path, headers={"Host": "events.mic-mons.be"})
    assert page.status_code == 200
    assert "evil.example" not in page.get_data(as_text=True)


def test_with_server_name_the_health_check_answers_any_host(app, cached_app):
    client = cached_app("events.mic-mons.be").test_client()
    assert client.get("/healthz", headers={"Host": "10.0.0.7:8000"}).status_code == 200
