"""The check-in screen in real Chromium: on a phone, with the camera (Chromium's fake camera
showing a real ticket), with a hardware scanner's keystrokes, offline, and checked by axe."""

import re
import struct
import zlib

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from boostcamp.auth.models import MemberRole
from boostcamp.checkin.models import CheckIn
from boostcamp.core.extensions import db
from boostcamp.registrations.tickets import ticket_png
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, axe_violations, open_menu
from tests.browser.test_staff import sign_in
from tests.factories import (
    make_centre,
    make_event,
    make_org,
    make_person,
    make_question,
    make_registration,
    make_user,
)

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def boostcamp():
    """Mind & Market's Boostcamp with three people registered; its check-in member."""
    partner = make_org("Mind & Market")
    event = make_event(host=make_centre(), co_organisers=[partner], title="Boostcamp Mons",
                       sessions=[])  # fmt: skip
    make_user("checkin@mind.test", org=partner, org_role=MemberRole.CHECKIN)
    diet = make_question(event, "Régime alimentaire ?", show_at_checkin=True)
    lea = make_registration(event, make_person("lea@example.be", "Léa", "Martin"),
                            organisation_name="Circuits courts", note="Badge presse")  # fmt: skip
    from boostcamp.registrations.models import RegistrationAnswer

    db.session.add(RegistrationAnswer(registration_id=lea.id, question_id=diet.id,
                                      value="Végétarien"))  # fmt: skip
    db.session.commit()
    tom = make_registration(event, make_person("tom@example.be", "Tom", "Peeters"))
    ines = make_registration(event, make_person("ines@example.be", "Inès", "Dubois"))
    return event, lea, tom, ines


def check_ins() -> list[CheckIn]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(CheckIn).order_by(CheckIn.id)))


def lookup(page):
    """The one field at the door: a ticket code, a name, an e-mail or an organisation."""
    return page.get_by_label("Code du billet, nom, e-mail ou organisation")


def enter_code(page, code: str) -> None:
    """What a hardware scanner or the staff do: the code, then Enter."""
    lookup(page).fill(code)
    lookup(page).press("Enter")


def go_offline(context, page) -> None:
    context.set_offline(True)
    expect(page.locator("#network-state")).to_contain_text("Hors ligne")


def all_sent(page) -> None:
    """The network is back: wait until the device has sent everything it kept."""
    expect(page.locator("#queue-state")).to_have_text("Tout est envoyé.", timeout=15000)


def open_screen(page, event):
    sign_in(page, "checkin@mind.test")
    page.goto(f"/staff/events/{event.slug}/checkin")
    expect(page.locator("#expected-count")).to_have_text("3")  # the list is loaded


@pytest.fixture
def context(browser, live_server):
    """A phone whose page must not throw; failed loads while offline are expected."""
    context = browser.new_context(base_url=live_server, locale="fr-BE", **PHONE)
    errors = []
    context.on("weberror", lambda e: errors.append(str(e.error)))
    yield context
    context.close()
    assert errors == [], f"the page threw: {errors}"


def test_search_and_check_in_on_a_phone(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    lookup(page).fill("circuits")
    page.get_by_role("button", name="Faire entrer Léa Martin").click()

    answer = page.locator("#answer")
    expect(answer).to_contain_text("Entrée enregistrée")
    expect(answer).to_contain_text("Léa Martin · Circuits courts")
    expect(answer).to_contain_text("Badge presse")  # the staff's note
    expect(answer).to_contain_text("Végétarien")  # the answer shown at check-in
    expect(page.locator("#checked-in-count")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A new search clears the previous person's answer; someone already in shows it, with
    # no button to let them in again.
    lookup(page).fill("Martin")
    expect(answer).to_be_hidden()
    expect(page.locator("#results")).to_contain_text(re.compile(r"Entrée à \d\d:\d\d"))
    expect(page.get_by_role("button", name="Faire entrer Léa Martin")).to_have_count(0)
    enter_code(page, lea.ticket_code)
    expect(answer).to_contain_text("Entrée déjà enregistrée")
    expect(answer).to_contain_text(re.compile(r"à \d\d:\d\d par checkin"))  # when, by whom
    expect(answer).to_contain_text("Vérifiez que c’est la même personne")  # what to do

    rows = check_ins()
    assert [(r.registration_id, r.counted) for r in rows] == [(lea.id, True), (lea.id, False)]


def test_undo_the_last_check_in(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    lookup(page).fill("Tom")
    page.get_by_role("button", name="Faire entrer Tom Peeters").click()
    expect(page.locator("#checked-in-count")).to_have_text("1")
    page.get_by_role("button", name="Annuler l’entrée : Tom Peeters").click()
    expect(page.locator("#answer")).to_contain_text("Entrée annulée : Tom Peeters")
    expect(page.locator("#checked-in-count")).to_have_text("0")
    assert [r.kind.value for r in check_ins()] == ["entry", "undo"]


def test_a_hardware_scanner_types_the_code_and_enter(context, app):
    event, lea, tom, ines = boostcamp()
    other = make_registration(make_event(title="Autre événement"))
    page = context.new_page()
    open_screen(page, event)
    page.get_by_role("button", name="Inscrire sur place").focus()  # the focus anywhere
    code = tom.ticket_code.lower()  # as typed from a printed ticket: dashes, spaces, any case
    page.keyboard.type(f"{code[:4]}-{code[4:8]} {code[8:]}")
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_contain_text("Entrée enregistrée")
    expect(page.locator("#answer")).to_contain_text("Tom Peeters")
    assert page.evaluate("document.activeElement.id") == "lookup"  # the next one, at once

    page.keyboard.type(other.ticket_code)
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_contain_text("Billet d’un autre événement")
    expect(page.locator("#answer")).to_contain_text("Ce billet est pour « Autre événement »")
    page.keyboard.type("ZZZZZZZZZZZZ")
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_contain_text("Billet inconnu")

    # A name and Enter: the only person found is checked in.
    page.keyboard.type("Inès Dubois")
    expect(page.get_by_role("button", name="Faire entrer Inès Dubois")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_contain_text("Inès Dubois")
    expect(page.locator("#checked-in-count")).to_have_text("2")
    assert {r.method.value for r in check_ins()} == {"typed", "search"}


def test_offline_check_ins_are_kept_and_sent_once_when_the_network_returns(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    go_offline(context, page)

    lookup(page).fill("Léa")  # searched in the copy kept on the device
    page.get_by_role("button", name="Faire entrer Léa Martin").click()
    expect(page.locator("#answer")).to_contain_text("Entrée enregistrée")
    expect(page.locator("#answer")).to_contain_text("Gardé sur cet appareil")
    enter_code(page, tom.ticket_code)
    expect(page.locator("#answer")).to_contain_text("Tom Peeters")
    enter_code(page, lea.ticket_code)
    expect(page.locator("#answer")).to_contain_text("Entrée déjà enregistrée")  # decided on the device
    expect(page.locator("#queue-state")).to_have_text("3 en attente d’envoi")
    expect(page.locator("#checked-in-count")).to_have_text("2")
    assert check_ins() == []

    context.set_offline(False)
    all_sent(page)
    rows = check_ins()
    counted = sorted(r.registration_id for r in rows if r.counted)
    assert counted == sorted([lea.id, tom.id])  # each once
    assert len(rows) == 3  # and Léa's second scan kept as a duplicate
    expect(page.locator("#checked-in-count")).to_have_text("2")
    expect(page.locator("#conflicts")).to_be_hidden()  # the server agreed with the device


def test_two_devices_offline_the_second_sees_the_duplicate(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    go_offline(context, page)
    enter_code(page, lea.ticket_code)
    expect(page.locator("#answer")).to_contain_text("Entrée enregistrée")

    # Meanwhile another door checked Léa in.
    from tests.factories import make_check_in

    make_check_in(lea)
    context.set_offline(False)
    expect(page.locator("#conflicts")).to_contain_text("Léa Martin : Entrée déjà enregistrée", timeout=15000)
    assert [r.counted for r in check_ins()] == [True, False]


def test_the_screen_opens_again_offline_from_the_service_worker(context, live_server, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    # The page asks the worker to keep it; wait until it is in the cache.
    page.wait_for_function(
        """async () => { for (const name of await caches.keys())
            if (await (await caches.open(name)).match(location.href)) return true;
          return false; }"""
    )
    # No network for the worker either: the server is gone (Playwright's offline mode does
    # not reach a service worker's own requests, which then went to the server).
    context.set_offline(True)
    live_server.stop()
    page.reload()
    expect(page.get_by_role("heading", name="Entrées · Boostcamp Mons")).to_be_visible()
    expect(page.locator("#expected-count")).to_have_text("3")  # from IndexedDB
    enter_code(page, ines.ticket_code)
    expect(page.locator("#answer")).to_contain_text("Inès Dubois")
    live_server.start()
    context.set_offline(False)
    all_sent(page)
    assert [r.registration_id for r in check_ins()] == [ines.id]


def test_a_walk_in_is_registered_and_checked_in(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    page.get_by_role("button", name="Inscrire sur place").click()
    page.get_by_role("button", name="Inscrire et faire entrer").click()
    expect(page.get_by_label("Prénom")).to_be_focused()  # the first field in error
    page.get_by_label("Nom", exact=True).fill("Janssens")
    page.get_by_label("E-mail", exact=True).fill("sofie@example.be")
    page.get_by_label("La personne accepte la notice de confidentialité").check()
    page.get_by_label("Prénom").fill("Sofie")
    page.get_by_role("button", name="Inscrire et faire entrer").click()
    expect(page.locator("#answer")).to_contain_text("Entrée enregistrée")
    expect(page.locator("#answer")).to_contain_text("Sofie Janssens")
    expect(page.locator("#answer")).to_contain_text("Sur place")
    expect(page.locator("#expected-count")).to_have_text("4")
    assert len(check_ins()) == 1


def test_the_screen_has_no_accessibility_violations(a11y_page, app):
    event, lea, tom, ines = boostcamp()
    sign_in(a11y_page, "checkin@mind.test")
    a11y_page.goto(f"/staff/events/{event.slug}/checkin")
    expect(a11y_page.locator("#expected-count")).to_have_text("3")
    expect(a11y_page.locator("#lookup")).to_be_focused()  # a desk, with a scanner: ready
    # Bootstrap fades a button's colours: axe must see them settled, not half-way.
    a11y_page.add_style_tag(content="*, *::before { transition: none !important; }")
    assert axe_violations(a11y_page) == []
    lookup(a11y_page).fill("Léa")
    a11y_page.get_by_role("button", name="Faire entrer Léa Martin").click()
    expect(a11y_page.locator("#answer")).to_contain_text("Entrée enregistrée")
    assert axe_violations(a11y_page) == []
    enter_code(a11y_page, lea.ticket_code)
    expect(a11y_page.locator("#answer")).to_contain_text("Entrée déjà enregistrée")
    assert axe_violations(a11y_page) == []
    lookup(a11y_page).fill("Léa")  # already in: her state, no button
    expect(a11y_page.locator("#results")).to_contain_text("Entrée à")
    assert axe_violations(a11y_page) == []
    lookup(a11y_page).fill("personne")
    expect(a11y_page.locator("#results")).to_contain_text(
        "Aucune inscription ne correspond. L’inscrire sur place ?")
    assert "trouvé" not in a11y_page.locator("#results").inner_text()
    a11y_page.get_by_role("button", name="Inscrire sur place").click()
    a11y_page.get_by_role("button", name="Inscrire et faire entrer").click()
    expect(a11y_page.locator("#walk-in-errors")).to_be_visible()
    assert axe_violations(a11y_page) == []


# ---------------------------------------------------------------- the camera


def png_rows(png: bytes) -> list[list[int]]:
    """The pixels (0 black, 1 white) of segno's PNG: 1-bit greyscale, not interlaced."""
    chunks, position = {}, 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        chunks[kind] = chunks.get(kind, b"") + png[position + 8 : position + 8 + length]
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour, interlace) == (1, 0, 0), "not the PNG segno writes"
    raw = zlib.decompress(chunks[b"IDAT"])
    size = (width + 7) // 8
    rows, previous = [], bytes(size)
    for y in range(height):
        kind, line = raw[y * (size + 1)], bytearray(raw[y * (size + 1) + 1 : (y + 1) * (size + 1)])
        for i in range(size):  # PNG filters, one byte per "pixel" at this depth
            left, up = line[i - 1] if i else 0, previous[i]
            up_left = previous[i - 1] if i else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                nearest = min((abs(p - left), 0, left), (abs(p - up), 1, up),
                              (abs(p - up_left), 2, up_left))[2]  # fmt: skip
                line[i] = (line[i] + nearest) & 0xFF
        previous = bytes(line)
        rows.append([(line[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
    return rows


def ticket_video(path, ticket_code: str) -> None:
    """One 640×480 Y4M frame (4:2:0) with the ticket's QR code, as mailed, drawn large."""
    rows = png_rows(ticket_png(ticket_code))
    width, height = 640, 480
    scale = (height - 40) // len(rows)
    left, top = (width - len(rows[0]) * scale) // 2, (height - len(rows) * scale) // 2
    luma = bytearray(b"\xff" * (width * height))
    for y, row in enumerate(rows):
        line = bytes(255 if pixel else 0 for pixel in row for _ in range(scale))
        for dy in range(scale):
            start = (top + y * scale + dy) * width + left
            luma[start : start + len(line)] = line
    chroma = b"\x80" * (width * height // 4)
    path.write_bytes(
        f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
        + b"FRAME\n" + bytes(luma) + chroma + chroma
    )  # fmt: skip


def test_scanning_a_ticket_with_the_camera(browser, live_server, app, tmp_path):
    event, lea, tom, ines = boostcamp()
    video = tmp_path / "ticket.y4m"
    ticket_video(video, tom.ticket_code)
    camera = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ])  # fmt: skip
    try:
        context = camera.new_context(base_url=live_server, locale="fr-BE", **PHONE)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        open_screen(page, event)
        page.get_by_role("button", name="Scanner avec la caméra").click()
        expect(page.locator("#answer")).to_contain_text("Entrée enregistrée", timeout=15000)
        expect(page.locator("#answer")).to_contain_text("Tom Peeters")
        page.get_by_role("button", name="Arrêter la caméra").click()
        expect(page.locator("#camera")).to_be_hidden()
        rows = check_ins()
        assert [(r.registration_id, r.method.value) for r in rows] == [(tom.id, "scan")]
        assert errors == []
    finally:
        camera.close()


def test_a_walk_in_registered_offline_is_sent_when_the_network_returns(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    go_offline(context, page)
    page.get_by_role("button", name="Inscrire sur place").click()
    page.get_by_label("Prénom").fill("Sofie")
    page.get_by_label("Nom", exact=True).fill("Janssens")
    page.get_by_label("E-mail", exact=True).fill("pas-un-mail")
    page.get_by_label("La personne accepte la notice de confidentialité").check()
    page.get_by_role("button", name="Inscrire et faire entrer").click()
    expect(page.get_by_label("E-mail", exact=True)).to_be_focused()  # checked on the device
    page.get_by_label("E-mail", exact=True).fill("sofie@example.be")
    page.get_by_role("button", name="Inscrire et faire entrer").click()
    expect(page.locator("#answer")).to_contain_text("Sofie Janssens")
    expect(page.locator("#answer")).to_contain_text("Gardé sur cet appareil")
    expect(page.locator("#queue-state")).to_have_text("1 en attente d’envoi")
    assert check_ins() == []
    page.wait_for_timeout(2000)  # the network comes back a while later

    context.set_offline(False)
    all_sent(page)
    expect(page.locator("#expected-count")).to_have_text("4")
    [row] = check_ins()
    assert row.registration.person.email == "sofie@example.be" and row.method.value == "walk_in"
    assert (row.received_at - row.scanned_at).total_seconds() > 1.5  # came in when registered


# Slow by design: it waits for the screen's own polling to bring other devices' check-ins.
def test_the_counters_and_the_list_follow_the_other_devices(context, app):
    from tests.factories import make_check_in

    from datetime import timedelta

    from boostcamp.core.db import utcnow
    from boostcamp.registrations.models import Person, Registration

    event, lea, tom, ines = boostcamp()
    for model in (Registration, Person):  # registered a while ago
        db.session.execute(sa.update(model).values(updated_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    page = context.new_page()
    responses = []
    page.on("response", lambda r: "/checkin/list" in r.url and responses.append(r))
    open_screen(page, event)
    expect(page.locator("#checked-in-count")).to_have_text("0")
    make_check_in(ines)  # at another door
    zoe = make_registration(event, make_person("zoe@example.be", "Zoé", "Lambert"))
    make_check_in(zoe)  # a walk-in at the other door
    expect(page.locator("#checked-in-count")).to_have_text("2", timeout=10000)
    # The whole list once, then only the people changed: Inès and Zoé.
    page.wait_for_timeout(500)
    lists = [(r.url, len(r.json()["rows"])) for r in responses]  # asked, and how many came
    assert "since=" not in lists[0][0] and lists[0][1] == 3
    assert all("since=" in url for url, _ in lists[1:]) and lists[-1][1] == 2, lists

    go_offline(context, page)  # the copy on the device knows it too
    for person in (ines, zoe):
        enter_code(page, person.ticket_code)
        expect(page.locator("#answer")).to_contain_text("Entrée déjà enregistrée")
        expect(page.locator("#answer")).to_contain_text(re.compile(r"à \d\d:\d\d"))


def test_without_indexeddb_the_queue_is_kept_in_memory(context, app):
    event, lea, tom, ines = boostcamp()
    context.add_init_script("Object.defineProperty(window, 'indexedDB', {value: undefined})")
    page = context.new_page()
    open_screen(page, event)
    go_offline(context, page)
    enter_code(page, tom.ticket_code)
    expect(page.locator("#answer")).to_contain_text("Gardé sur cet appareil")
    context.set_offline(False)
    all_sent(page)
    assert [r.registration_id for r in check_ins()] == [tom.id]


def test_an_answer_lost_on_the_way_is_asked_again_and_counted_once(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)

    def lose_the_answer(route):
        route.fetch()  # the server checks Tom in …
        route.abort()  # … and the Wi-Fi drops its answer

    page.route("**/checkin/scans", lose_the_answer, times=1)
    enter_code(page, tom.ticket_code)
    expect(page.locator("#answer")).to_contain_text("Gardé sur cet appareil")
    all_sent(page)
    assert [(r.registration_id, r.counted) for r in check_ins()] == [(tom.id, True)]
    expect(page.locator("#checked-in-count")).to_have_text("1")
    expect(page.locator("#conflicts")).to_be_hidden()


STORED = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("boostcamp-checkin", 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const count = (name) => new Promise((resolve) => {
    const request = db.transaction(name).objectStore(name).count();
    request.onsuccess = () => resolve(request.result);
  });
  const counts = {lists: await count("lists"), queue: await count("queue")};
  db.close();
  return counts;
}"""


def test_signing_out_forgets_the_list_but_keeps_the_scans_not_sent(context, app):
    """A shared phone: the next person must not find everyone's names on it, and no check-in
    made offline is lost."""
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    go_offline(context, page)
    enter_code(page, tom.ticket_code)
    expect(page.locator("#queue-state")).to_have_text("1 en attente d’envoi")
    assert page.evaluate(STORED) == {"lists": 1, "queue": 1}

    context.route("**/checkin/scans", lambda route: route.abort())  # the scan is not sent yet
    context.set_offline(False)
    page.goto("/staff/")
    open_menu(page)
    with page.expect_navigation(url=re.compile(r"^http://[^/]+/$")):  # the home page, signed out
        page.get_by_role("button", name=re.compile("Se déconnecter")).click()
    page.wait_for_load_state()
    assert page.evaluate(STORED) == {"lists": 0, "queue": 1}


BUSY_STORAGE = """() => new Promise((resolve) => {
  // Another tab keeps the lists' store busy (a slow phone's storage) until told to stop.
  const request = indexedDB.open("boostcamp-checkin", 1);
  request.onupgradeneeded = () => {
    request.result.createObjectStore("lists");
    request.result.createObjectStore("queue", {keyPath: "seq", autoIncrement: true});
  };
  request.onsuccess = () => {
    const store = request.result.transaction("lists", "readwrite").objectStore("lists");
    store.put({rows: []}, "some-event:");
    window.busy = true;
    const again = () => { if (window.busy) store.get("some-event:").onsuccess = again; };
    again();
    resolve();
  };
})"""


def test_a_slow_sign_out_is_sent_once(context, app):
    """Sign-out waits 3 s at most for the device to forget its lists, then goes. The lists
    forgotten a moment later, while the form is on its way, must not send it again: the server
    has signed the person out already and would answer with the sign-in page."""
    boostcamp()
    page = context.new_page()
    sign_in(page, "checkin@mind.test")
    other = context.new_page()
    other.goto("/staff/")
    other.evaluate(BUSY_STORAGE)
    page.clock.install()  # the 3 s, without waiting for them
    page.goto("/staff/")
    sent = []  # the server signs out at once; its answer is slow to come back

    page.route("**/auth/logout", lambda route: sent.append((route, route.fetch(max_redirects=0))))
    # Signed out, and a second tap (requestSubmit: as a tap on the menu's button, without
    # Playwright's clicks, which wait for animation frames that the installed clock holds).
    page.locator("form[data-sign-out]").evaluate("f => { f.requestSubmit(); f.requestSubmit(); }")
    with page.expect_request("**/auth/logout"):
        page.clock.run_for(3100)
    other.evaluate("window.busy = false")
    other.wait_for_function("""() => new Promise((resolve) => {
        const request = indexedDB.open("boostcamp-checkin", 1);
        request.onsuccess = () => {
          const count = request.result.transaction("lists").objectStore("lists").count();
          count.onsuccess = () => { request.result.close(); resolve(count.result === 0); };
        };
    })""")  # the lists forgotten, late
    page.wait_for_timeout(300)  # when the form would have been sent again
    assert len(sent) == 1
    route, response = sent[0]
    with page.expect_navigation(url=re.compile(r"^http://[^/]+/$")):
        route.fulfill(response=response)
    expect(page.locator(".alert")).to_contain_text("Vous êtes déconnecté.")


def test_buttons_keep_their_labels_and_disabled_ones_look_disabled(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    page.emulate_media(reduced_motion="reduce")  # Bootstrap's colour fades: none
    undo = page.locator("#undo")
    style = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderStyle]"
    disabled = undo.evaluate(style)
    assert disabled[1] == "dashed"
    long_name = make_registration(event, make_person("x@example.be", "Marie-Clémentine",
                                                     "Vanderstraeten-Delacroix"))  # fmt: skip
    lookup(page).fill("Vanderstraeten")
    page.get_by_role("button", name=re.compile("Faire entrer Marie-Clémentine")).click()
    expect(undo).to_be_enabled()
    enabled = undo.evaluate(style)
    assert enabled[1] == "solid" and enabled[0] != disabled[0]  # disabled ≠ enabled
    for button in page.locator(".checkin button:visible").all():
        inside = button.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
        assert inside, button.inner_text()
    assert long_name.id in {r.registration_id for r in check_ins()}


def test_the_list_of_who_has_not_arrived_yet(context, app):
    event, lea, tom, ines = boostcamp()
    page = context.new_page()
    open_screen(page, event)
    enter_code(page, tom.ticket_code)
    expect(page.locator("#checked-in-count")).to_have_text("1")
    page.get_by_role("link", name="Pas encore arrivés").click()
    # The screen counts the scan at once and sends it in the background: on a busy machine
    # the list may be read first. Read it again until the server has the scan (10 s).
    count = page.locator("#not-arrived-count")
    for _ in range(20):
        if count.inner_text().startswith("2 "):
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(count).to_have_text("2 personnes ne sont pas encore arrivées.")
    items = page.locator("main li.list-group-item")
    expect(items).to_have_text([re.compile("Inès Dubois"), re.compile("Léa Martin")])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
