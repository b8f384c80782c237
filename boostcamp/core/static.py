"""Static files under an address that names their content: `url_for("static", …)` adds `?v=`
and the first 12 hex digits of the file's SHA-256, and a request that carries the current one
is answered "keep it a year, it never changes". A phone on the door's Wi-Fi then asks for
Bootstrap, the scripts and the styles once, not again (304 or not) at every page; a file that
changes gets a new address, so nobody keeps an old one.

Flask's URL processors, as its documentation shows them for this, rather than a build step
that writes digested copies of the files (Flask-Static-Digest): `make run`, the tests and a
deployment serve the folder as it is, with nothing to compile first."""

import hashlib
from pathlib import Path

from flask import Flask, request

YEAR = 365 * 24 * 3600
_digests: dict[tuple[str, int], str] = {}


def digest(folder: str, filename: str) -> str | None:
    """The file's version, read again only when its modification time changes (a file edited
    while `make run` serves it gets its new address at the next page)."""
    path = Path(folder, filename)
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None  # a link to a file that is not there: left as it is, answered 404
    if key not in _digests:
        _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _digests[key]


def register(app: Flask) -> None:
    @app.url_defaults
    def versioned(endpoint, values):
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = digest(app.static_folder, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def kept_a_year(response):
        version = request.args.get("v")
        if request.endpoint == "static" and response.status_code in (200, 304) and version:
            if version == digest(app.static_folder, request.view_args["filename"]):
                response.cache_control.no_cache = None
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
        return response
