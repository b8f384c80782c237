"""The OpenAPI document and the interactive documentation, served by the app itself."""

import re


def resolve(document: dict, ref: str) -> dict:
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_openapi_document_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.json
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    paths = document["paths"]
    assert set(paths["/api/v1/events"]) >= {"get", "post"}
    assert set(paths["/api/v1/events/{slug}"]) >= {"get", "patch"}
    assert "post" in paths["/api/v1/events/{slug}/cancel"]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {"type": "http", "scheme": "bearer"}
    assert document["security"] == [{"bearerAuth": []}]
    new_event = document["components"]["schemas"]["NewEvent"]
    assert {"title", "kind", "starts_at", "ends_at", "city"} <= set(new_event["required"])
    # A title is a string in the event's language, or one per language.
    as_string, by_language = new_event["properties"]["title"]["oneOf"]
    assert as_string["type"] == "string" and as_string["maxLength"] == 200
    assert set(by_language["properties"]) == {"fr", "nl", "en"}
    assert by_language["properties"]["nl"]["maxLength"] == 200
    assert by_language["additionalProperties"] is False
    event = document["components"]["schemas"]["EventOut"]["properties"]
    assert {"seats_left", "status", "co_organisers", "sessions", "ics_url", "texts"} <= set(event)
    error = resolve(document, document["components"]["responses"]["NOT_FOUND"]["content"]
                    ["application/json"]["schema"]["$ref"])  # fmt: skip
    assert set(error["properties"]) == {"error", "message", "fields"}
    for ref in refs(document):  # every reference leads somewhere
        assert resolve(document, ref), ref


def test_docs_page_loads_its_scripts_from_the_app(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))(?:\?v=\w+)?"', html)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in assets
    assert "/static/vendor/swagger-ui/swagger-ui.css" in assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script: the CSP holds
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
