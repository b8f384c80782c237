"""The partner API, /api/v1."""


def init_app(app):
    """Registers the API (and its OpenAPI document) on the app."""
