"""Static files under an address naming their content (core/static.py): kept a year by the
browser, and a new address as soon as a file changes."""

import hashlib
import os
import re
from pathlib import Path

from boostcamp.core import static


def versioned_assets(html: str) -> list[tuple[str, str]]:
    return re.findall(r'(?:src|href)="(/static/[^"?]+)\?v=(\w+)"', html)


def test_every_page_links_its_files_with_their_version(client, app):
    assets = versioned_assets(client.get("/").get_data(as_text=True))
    assert {"/static/vendor/bootstrap/bootstrap.min.css", "/static/css/app.css",
            "/static/js/page.js"} <= {path for path, _ in assets}  # fmt: skip
    for path, version in assets:
        content = (Path(app.static_folder) / path.removeprefix("/static/")).read_bytes()
        assert version == hashlib.sha256(content).hexdigest()[:12], path


def test_a_versioned_file_is_kept_a_year_and_an_unversioned_one_is_asked_again(client):
    path, version = versioned_assets(client.get("/").get_data(as_text=True))[0]
    kept = client.get(f"{path}?v={version}")
    assert kept.status_code == 200
    assert kept.cache_control.max_age == static.YEAR and kept.cache_control.immutable
    assert kept.cache_control.public and not kept.cache_control.no_cache
    for address in (path, f"{path}?v=0123456789ab"):  # no version, or an old one
        answer = client.get(address)
        assert answer.status_code == 200 and answer.cache_control.max_age is None, address
        assert answer.cache_control.no_cache, address


def test_a_changed_file_gets_a_new_address(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    script = tmp_path / "js" / "new.js"
    script.parent.mkdir()
    script.write_text("console.log(1);")
    with app.test_request_context():
        before = app.url_for("static", filename="js/new.js")
        script.write_text("console.log(2);")
        # The clock may not have ticked between the two writes: the edit is seen a second on.
        later = script.stat().st_mtime_ns + 1_000_000_000
        os.utime(script, ns=(later, later))
        after = app.url_for("static", filename="js/new.js")
        missing = app.url_for("static", filename="js/missing.js")
    assert before != after and before.split("?v=")[0] == after.split("?v=")[0]
    assert missing.endswith("/static/js/missing.js")  # nothing to name: left as it is


def test_a_missing_file_is_still_a_404(client):
    assert client.get("/static/css/missing.css?v=0123456789ab").status_code == 404
