"""Logos: uploaded, checked by decoding, re-encoded, kept in the database, served by the app,
and on the pages, the attendance certificate, the funder report and the API."""

import io
import struct
import zlib
from datetime import timedelta

import pytest
from PIL import Image
from pypdf import PdfReader

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.organisations import logos
from boostcamp.organisations.models import Logo, Organisation, OrganisationKind
from boostcamp.registrations.tokens import make_token
from tests.api.helpers import bearer
from tests.api.helpers import make_token as make_api_token
from tests.factories import (
    demo_logo, make_check_in, make_event, make_org, make_registration, make_user,
)  # fmt: skip
from tests.test_hostile_partner import snapshot


def png(width=300, height=200, colour=(200, 30, 90, 255), **info) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGBA", (width, height), colour)
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    for key, value in info.items():
        meta.add_text(key, value)
    image.save(out, "PNG", pnginfo=meta)
    return out.getvalue()


def png_bomb(side=30_000) -> bytes:
    """A PNG announcing side × side pixels in a few kilobytes (the start of its rows)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))  # fmt: skip

    rows = zlib.compress(b"\0" * (1 + side // 8) * 200, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))  # fmt: skip


def truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()[: len(out.getvalue()) // 2]


def animated_gif(frames=5000) -> bytes:
    out = io.BytesIO()
    images = [Image.new("P", (2, 2), i % 2) for i in range(frames)]
    for image in images:
        image.putpalette([0, 0, 0, 255, 255, 255])
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=10, loop=0)
    return out.getvalue()


SVG_WITH_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')


@pytest.fixture
def world(app):
    centre = make_org("MIC Mons", kind=OrganisationKind.CENTRE, city="Mons",
                      logo=demo_logo("mic-mons"))  # fmt: skip
    a = make_org("Partner A", logo=demo_logo("mind-and-market"), description="Avant.",
                 city="Namur", website="https://a.example/")  # fmt: skip
    b = make_org("Partner B", logo=demo_logo("namur-coworking"))
    make_user("staff@mic.test", role=StaffRole.STAFF)
    make_user("manager@a.test", org=a, org_role=MemberRole.MANAGER)
    return centre, a, b


def fresh(org_id: int) -> Organisation:
    db.session.rollback()
    return db.session.get(Organisation, org_id)


def upload(client, org, data: bytes, filename: str, **fields):
    return client.post(f"/staff/organisations/{org.slug}/edit", data={
        "name": org.name, "kind": org.kind.value, "platform_type": "",
        "logo": (io.BytesIO(data), filename), **fields,
    }, content_type="multipart/form-data")  # fmt: skip


@pytest.mark.both_engines  # bytes in the database
def test_a_png_uploaded_for_a_partner_is_re_encoded_stored_and_served(client, auth, world):
    centre, a, b = world
    auth.login("staff@mic.test")
    big = png(2000, 1000, Comment="secret GPS 50.45N", Author="someone")
    response = upload(client, a, big, "logo.png")
    assert response.status_code == 302
    org = fresh(a.id)
    logo = db.session.get(Logo, org.logo_sha256)
    assert (logo.width, logo.height, logo.media_type) == (512, 256, "image/png")
    image = Image.open(io.BytesIO(logo.data))
    assert image.size == (512, 256) and not image.text  # metadata dropped

    auth.logout()
    served = client.get(f"/logos/{org.logo_sha256}.png")
    assert served.status_code == 200 and served.data == logo.data
    assert served.mimetype == "image/png"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["Content-Security-Policy"].startswith("sandbox")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/logos/{org.logo_sha256}.svg").status_code == 404
    assert client.get(f"/logos/{'0' * 64}.png").status_code == 404

    page = client.get(f"/organisations/{a.slug}").get_data(as_text=True)
    assert f'<img class="org-logo" src="/logos/{org.logo_sha256}.png"' in page
    assert 'src="http' not in page and 'src="//' not in page  # nothing from outside the app


BAD_FILES = {
    "not an image renamed .png": (lambda: b"Bonjour, ceci est un texte.\n" * 200, "logo.png",
                                  "n’est pas une image"),
    "30,000 x 30,000 PNG of a few KB": (png_bomb, "bomb.png", "trop grande"),
    "SVG with a script": (lambda: SVG_WITH_SCRIPT, "logo.svg", "SVG"),
    "SVG renamed .png": (lambda: SVG_WITH_SCRIPT, "logo.png", "SVG"),
    "truncated JPEG": (truncated_jpeg, "photo.jpg", "abîmée ou incomplète"),
    "animated GIF of 5,000 frames": (animated_gif, "anim.gif", "animation"),
    "a file over the logo limit (1 MB)": (lambda: png(10, 10) + b"\0" * (logos.MAX_BYTES + 1),
                                          "big.png", "trop grand"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_gets_a_field_error_and_the_old_logo_stays(client, auth, world, case):
    centre, a, b = world
    make_data, filename, message = BAD_FILES[case]
    data = make_data()
    if case.startswith("30,000"):
        assert len(data) < 10_000
    old_logo = a.logo_sha256
    before = snapshot()
    auth.login("staff@mic.test")
    response = upload(client, a, data, filename, description="Changé")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="logo-error"' in page and message in page.split('id="logo-error"')[1][:300]
    assert snapshot() == before  # neither the logo nor the description changed
    assert fresh(a.id).logo_sha256 == old_logo and old_logo


def test_a_30_mb_file_gets_a_clear_413_page_with_the_field_error(client, auth, world):
    centre, a, b = world
    before = snapshot()
    auth.login("staff@mic.test")
    response = upload(client, a, png(10, 10) + b"\0" * (30 * 2**20), "huge.png")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert 'id="logo-error">Le fichier est trop grand (1 Mo au plus).' in page
    assert "Rien n’a été enregistré" in page
    assert snapshot() == before


def test_the_encoder_refuses_what_pillow_would_warn_about(app):
    with pytest.raises(logos.NotALogo):
        logos.encode(png(4001, 4001))
    with pytest.raises(logos.NotALogo):
        logos.encode(b"")
    assert logos.encode(animated_gif(3))[1:] == (2, 2)  # a short animation: its first frame


def test_a_partner_manager_changes_only_its_logo_and_description(client, auth, world):
    centre, a, b = world
    auth.login("manager@a.test")
    page = client.get(f"/staff/organisations/{a.slug}/edit").get_data(as_text=True)
    for absent in ('name="name"', 'name="kind"', 'name="slug"', 'name="city"',
                   'name="website"', 'name="platform_type"'):  # fmt: skip
        assert absent not in page
    assert 'name="logo"' in page and 'name="description"' in page
    assert 'src="/static/js/logo-preview.js' in page and "<script>" not in page

    old = (a.name, a.kind, a.slug, a.city, a.website, a.platform_type, a.logo_sha256)
    before = snapshot()
    # Another organisation: refused, nothing changes.
    response = client.post(f"/staff/organisations/{b.slug}/edit", data={
        "description": "Piraté", "logo": (io.BytesIO(png()), "x.png")},
        content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 403
    assert snapshot() == before

    # Its own: every other field sent is ignored.
    response = client.post(f"/staff/organisations/{a.slug}/edit", data={
        "name": "Renamed", "kind": "centre", "slug": "mic", "city": "Mons", "platform_type":
        "university", "website": "https://evil.example/", "description": "Après.",
        "logo": (io.BytesIO(png(100, 100)), "new.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    after = snapshot()
    org = fresh(a.id)
    assert org.description == "Après." and org.logo_sha256 not in (old[-1], None)
    assert (org.name, org.kind, org.slug, org.city, org.website, org.platform_type) == old[:-1]
    assert old[:4] == ("Partner A", OrganisationKind.PLATFORM, "partner-a", "Namur")
    changed = {t for t in before if before[t] != after[t]}
    assert changed == {"organisation", "logo"}
    assert len(after["logo"]) == len(before["logo"]) + 1
    others = [row for row in after["organisation"] if "'partner-a'" not in row]
    assert len(others) == 2 and others == [
        row for row in before["organisation"] if "'partner-a'" not in row]


def test_staff_remove_a_logo(client, auth, world):
    centre, a, b = world
    auth.login("staff@mic.test")
    response = client.post(f"/staff/organisations/{a.slug}/edit", data={
        "name": a.name, "kind": "platform", "platform_type": "", "remove_logo": "y"})
    assert response.status_code == 302 and fresh(a.id).logo_sha256 is None


def certificate_of(event, client):
    registration = make_registration(event)
    for session in event.sessions:
        make_check_in(registration, session)
    response = client.get(f"/r/{make_token(registration.id)}/certificate.pdf")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.data))


def test_the_certificate_of_a_co_organised_event_carries_every_logo(client, world):
    centre, a, b = world
    wide = make_org("Wide", logo=png(1000, 100))
    tall = make_org("Tall", logo=png(100, 1000))
    start = (utcnow() - timedelta(days=10)).replace(microsecond=0)
    event = make_event(host=centre, co_organisers=[a, wide, tall], starts_at=start, days=1,
                       sessions=[dict(title="Jour 1", starts_at=start,
                                      ends_at=start + timedelta(hours=8))])  # fmt: skip
    page = certificate_of(event, client).pages[0]
    assert len(page.images) == 4  # the centre's and the three co-organisers'
    rows = {round(m[0][5] + m[0][3] / 2) for _n, m in _image_placements(page)}
    assert len(rows) == 1  # one row, each logo centred in its box


def _image_placements(page):
    """(name, matrix) of each image drawn on the page, from its content stream."""
    from pypdf.generic import ContentStream

    content = ContentStream(page.get_contents(), page.pdf)
    matrix, found = None, []
    for operands, operator in content.operations:
        if operator == b"cm":
            matrix = [float(v) for v in operands]
        elif operator == b"Do":
            found.append((str(operands[0]), [matrix]))
    return found


def test_logo_boxes_are_bounded_whatever_the_shape(client, world):
    centre, a, b = world
    wide = make_org("Wide", logo=png(1000, 100))
    tall = make_org("Tall", logo=png(100, 1000))
    start = (utcnow() - timedelta(days=10)).replace(microsecond=0)
    event = make_event(host=centre, co_organisers=[wide, tall], starts_at=start, days=1,
                       sessions=[dict(title="Jour 1", starts_at=start,
                                      ends_at=start + timedelta(hours=8))])  # fmt: skip
    page = certificate_of(event, client).pages[0]
    mm = 72 / 25.4
    sizes = [(m[0][0], m[0][3]) for _n, m in _image_placements(page)]
    assert len(sizes) == 3
    for width, height in sizes:
        assert width <= 34 * mm + 0.01 and height <= 20 * mm + 0.01
    assert max(w for w, _h in sizes) == pytest.approx(34 * mm, abs=0.01)  # the wide one
    assert max(h for _w, h in sizes) == pytest.approx(20 * mm, abs=0.01)  # the tall one


def test_an_event_page_shows_each_co_organisers_logo(client, world):
    centre, a, b = world
    event = make_event(host=centre, co_organisers=[a, b])
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    for org in (a, b):
        assert f'src="/logos/{org.logo_sha256}.png"' in page


def test_the_printed_funder_report_carries_the_centres_logo(client, auth, world):
    centre, a, b = world
    auth.login("staff@mic.test")
    page = client.get("/staff/impact/print").get_data(as_text=True)
    assert f'src="/logos/{centre.logo_sha256}.png"' in page


def test_a_partners_token_reads_its_organisation_with_its_logo(client, world):
    centre, a, b = world
    response = client.get("/api/v1/organisation", headers=bearer(make_api_token(a)))
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == a.slug and body["name"] == "Partner A"
    assert body["logo"]["url"] == f"http://boostcamp.test/logos/{a.logo_sha256}.png"
    assert (body["logo"]["width"], body["logo"]["height"]) == (512, 512)
    assert client.get(body["logo"]["url"]).status_code == 200
    assert client.get("/api/v1/organisation").status_code == 401
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/organisation" in spec["paths"]
    schema = spec["components"]["schemas"]["OwnOrganisationOut"]
    assert "logo" in schema["properties"]
