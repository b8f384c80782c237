// The check-in screen (templates/checkin/screen.html). Every scan gets a nonce and the
// device's time and goes into a queue kept in IndexedDB; the queue is sent to the server,
// which answers each scan. When the network is down (or too slow), the scan is decided here
// from the session's list, also kept in IndexedDB, with the server's rules, and sent later:
// the nonce makes a retried upload harmless, so nothing is lost and nothing counts twice.
//
// The parts, as ES modules served as they are (no build step): common.js (settings and
// helpers), store.js (IndexedDB), people.js (the session's list), server.js (requests),
// queue.js (sending in order), screen.js (what staff see), scanner.js (camera and
// hardware scanner). This one checks people in, searches, registers walk-ins and starts.

import { $, config, device, element, fill, fold, fullName, listKey, newNonce, POLL_EVERY, S,
         shownTime, TICKET, ticketCode } from "./checkin/common.js";
import { decideHere, list, loadList, saveList } from "./checkin/people.js";
import { markShown, send, waitForAnswer } from "./checkin/queue.js";
import { cameraOn, startCamera, stopCamera, toTheLookup } from "./checkin/scanner.js";
import { pollCounters, showAnswer, showCounters, showQueue } from "./checkin/screen.js";
import { getJSON, setOnline, withSession } from "./checkin/server.js";
import { dequeue, enqueue, queued } from "./checkin/store.js";

let lastEntry = null; // {nonce, registration_id, name, previous}

async function checkIn(scan) {
  const nonce = newNonce();
  const body = { nonce, method: scan.method, ticket: scan.ticket ?? null,
                 registration_id: scan.registration_id ?? null, session: config.session,
                 scanned_at: new Date().toISOString(), device };  // prettier-ignore
  const local = decideHere(body);
  const item = { kind: "scan", url: config.urls.upload_scans, nonce, body, listKey,
                 local: local.result, name: local.registration ? fullName(local.registration) : scan.ticket };
  await enqueue(item);
  showQueue();
  const answer = await waitForAnswer(nonce);
  if (answer && answer.error) {
    showAnswer({ result: "invalid", fields: answer.fields });
  } else if (answer) {
    showAnswer(answer);
    if (answer.result === "ok" && !answer.replayed) setLastEntry(nonce, answer.registration);
  } else {
    // Offline, or no answer in time: decided here, sent later.
    const row = local.registration;
    const previous = row ? { at: row.checked_in_at, by: row.checked_in_by } : null;
    if (local.result === "ok") {
      row.checked_in_at = body.scanned_at;
      row.checked_in_by = config.user;
      saveList();
      setLastEntry(nonce, row, previous);
    }
    await markShown(item.nonce);
    showAnswer(local, { offline: true });
  }
  showCounters();
}

function setLastEntry(nonce, row, previous = { at: null, by: null }) {
  lastEntry = { nonce, registration_id: row.registration_id, name: fullName(row), previous };
  const button = $("undo");
  button.disabled = false;
  button.textContent = fill(S.undo, { name: lastEntry.name });
}

async function undoLast() {
  if (!lastEntry) return;
  const entry = lastEntry;
  lastEntry = null;
  $("undo").disabled = true;
  $("undo").textContent = S.undo_nothing;
  await send(); // the entry reaches the server first, when it can
  const stillQueued = (await queued()).find((i) => i.nonce === entry.nonce);
  if (stillQueued) {
    await dequeue([stillQueued.seq]); // never sent: forget it
  } else {
    const nonce = newNonce();
    await enqueue({ kind: "undo", url: config.urls.undo, nonce,
                    body: { nonce, entry_nonce: entry.nonce, device } });  // prettier-ignore
    const answer = await waitForAnswer(nonce);
    if (answer && answer.error) {
      showAnswer({ result: "invalid", fields: { _: answer.message, ...(answer.fields || {}) } });
      return;
    }
  }
  const row = list.byId.get(entry.registration_id);
  if (row) {
    row.checked_in_at = entry.previous.at;
    row.checked_in_by = entry.previous.by;
    saveList();
  }
  showAnswer({ result: "undone", name: entry.name });
  pollCounters();
  showQueue();
}

// ------------------------------------------------------------ search, typed codes

let searchRound = 0;

function searchHere(query) {
  const terms = fold(query).split(/\s+/).filter(Boolean);
  return list.rows
    .filter((r) => {
      const text = fold(`${r.first_name} ${r.last_name} ${r.email} ${r.organisation || ""} ${r.ticket}`);
      return terms.every((t) => text.includes(t));
    })
    .slice(0, 20);
}

async function search() {
  const query = $("lookup").value.trim();
  const round = ++searchRound;
  if (query.length < 2) { $("results").replaceChildren(); return; }
  let found = null;
  if (navigator.onLine) {
    try {
      found = (await getJSON(withSession(config.urls.search, { q: query }))).rows;
    } catch (e) {
      found = null;
    }
  }
  if (round !== searchRound) return; // the staff typed on
  if (found) {
    // What this device knows and the server does not yet (scans in the queue).
    found = found.map((r) => {
      const here = list.byId.get(r.registration_id);
      return here && here.checked_in_at && !r.checked_in_at ? { ...r, checked_in_at: here.checked_in_at,
                                                                checked_in_by: here.checked_in_by } : r;
    });
  }
  showResults(found || searchHere(query));
}

function showResults(found) {
  const results = $("results");
  if (!found.length) {
    results.replaceChildren(element("li", { class: "list-group-item" }, S.no_results));
    return;
  }
  results.replaceChildren(...found.map((row) => {
    const about = [S[`status_${row.status}`] || row.status];
    if (row.organisation) about.unshift(row.organisation);
    // Someone already in shows it, with no button; green for whoever may come in; the
    // others (cancelled, waiting list) get their answer when tapped.
    const welcome = row.status === "confirmed" && !row.checked_in_at;
    let button;
    if (row.checked_in_at) {
      button = element("span", { class: "checkin-state" },
                       fill(S.checked_in_at, { time: shownTime(row.checked_in_at) }));
    } else {
      button = element("button", { type: "button",
                                   class: `btn ${welcome ? "btn-success" : "btn-outline-dark"}`,
                                   "aria-label": fill(S.check_in_person, { name: fullName(row) }) }, S.check_in);
      button.addEventListener("click", () => {
        $("lookup").value = "";
        $("results").replaceChildren();
        checkIn({ registration_id: row.registration_id, method: "search" });
        $("lookup").focus();
      });
    }
    return element("li", { class: "list-group-item d-flex align-items-center gap-2" },
      element("div", { class: "flex-grow-1" },
        element("div", { class: "fw-semibold" }, fullName(row),
                row.walk_in ? element("span", { class: "badge text-bg-secondary ms-1" }, S.walk_in) : null),
        element("div", { class: "small" }, about.join(" · "))),
      button);
  }));
}

function onLookupSubmit(event) {
  event.preventDefault();
  const value = $("lookup").value.trim();
  const code = ticketCode(value);
  if (TICKET.test(code) || list.byTicket.has(code)) {
    // A hardware scanner (or someone typing the code) and Enter.
    $("lookup").value = "";
    $("results").replaceChildren();
    searchRound++;
    checkIn({ ticket: code, method: "typed" });
    return;
  }
  const buttons = $("results").querySelectorAll("button");
  if (buttons.length === 1) buttons[0].click();
  else if (buttons.length) buttons[0].focus();
}

// ------------------------------------------------------------ walk-ins

const WALK_IN_FIELDS = ["first_name", "last_name", "email", "organisation_name", "consent"];

function toggleWalkIn() {
  const section = $("walk-in");
  section.hidden = !section.hidden;
  $("walk-in-toggle").setAttribute("aria-expanded", String(!section.hidden));
  if (!section.hidden) $("walk-in-first_name").focus();
}

function showWalkInErrors(fields, message) {
  const box = $("walk-in-errors");
  let first = null;
  for (const name of WALK_IN_FIELDS) {
    const input = $(`walk-in-${name}`);
    const error = fields[name];
    input.classList.toggle("is-invalid", Boolean(error));
    input.setAttribute("aria-invalid", error ? "true" : "false");
    $(`walk-in-${name}-error`).textContent = error || "";
    if (error && !first) first = input;
  }
  const other = Object.entries(fields).filter(([k]) => !WALK_IN_FIELDS.includes(k)).map(([, v]) => v);
  box.textContent = [message, ...other].filter(Boolean).join(" ");
  box.hidden = !box.textContent;
  if (first) first.focus();
  else if (!box.hidden) box.focus();
}

function checkWalkIn(body) {
  // What the device can check by itself, so that a walk-in kept offline is not refused later.
  const errors = {};
  for (const name of ["first_name", "last_name", "email"]) {
    if (!body[name].trim()) errors[name] = S.required;
  }
  if (body.email.trim() && !$("walk-in-email").checkValidity()) errors.email = S.email_invalid;
  if (!body.consent) errors.consent = S.consent_required;
  return errors;
}

async function submitWalkIn(event) {
  event.preventDefault();
  const form = $("walk-in-form");
  if (form.dataset.sending) return;
  const nonce = newNonce();
  const body = { nonce, session: config.session, device, consent: $("walk-in-consent").checked,
                 scanned_at: new Date().toISOString() };  // prettier-ignore
  for (const name of WALK_IN_FIELDS.slice(0, 4)) body[name] = $(`walk-in-${name}`).value;
  const errors = checkWalkIn(body);
  if (Object.keys(errors).length) { showWalkInErrors(errors, S.walk_in_errors); return; }
  const name = `${body.first_name.trim()} ${body.last_name.trim()}`;
  const item = { kind: "walk_in", url: config.urls.walk_in, nonce, body, listKey, local: "ok", name };
  form.dataset.sending = "1";
  let answer;
  try {
    await enqueue(item);
    showQueue();
    answer = await waitForAnswer(nonce);
  } finally {
    delete form.dataset.sending;
  }
  if (answer && answer.error) {
    const fields = answer.fields || {};
    showWalkInErrors(fields, Object.keys(fields).length ? S.walk_in_errors : answer.message);
    return;
  }
  showWalkInErrors({}, "");
  form.reset();
  $("walk-in").hidden = true;
  $("walk-in-toggle").setAttribute("aria-expanded", "false");
  if (answer) {
    showAnswer(answer);
    if (answer.result === "ok") setLastEntry(nonce, answer.registration);
  } else {
    // Kept on the device: registered and checked in when the network is back.
    const row = { registration_id: null, first_name: body.first_name.trim(), last_name: body.last_name.trim(),
                  organisation: body.organisation_name.trim() || null, walk_in: true, answers: [] };  // prettier-ignore
    await markShown(item.nonce);
    showAnswer({ result: "ok", registration: row }, { offline: true });
    setLastEntry(nonce, row);
  }
  $("answer").focus();
  pollCounters();
}

// ------------------------------------------------------------ start

function debounce(fn, wait) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), wait); };
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(config.serviceWorker, { scope: config.serviceWorkerScope })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // The page itself, so that it opens again without the network.
      if (registration.active) registration.active.postMessage({ cache: window.location.href });
    })
    .catch(() => {}); // the screen works without it, only not after a reload offline
}

document.addEventListener("DOMContentLoaded", () => {
  $("lookup-form").addEventListener("submit", onLookupSubmit);
  $("lookup").addEventListener("input", () => {
    // The answer on screen was for the previous person: a new search starts clean.
    $("answer").hidden = true;
    $("answer-live").textContent = "";
  });
  $("lookup").addEventListener("input", debounce(search, 200));
  $("camera-toggle").addEventListener("click", () => (cameraOn() ? stopCamera() : startCamera(
    (code) => checkIn({ ticket: code, method: "scan" }))));
  $("undo").addEventListener("click", undoLast);
  $("walk-in-toggle").addEventListener("click", toggleWalkIn);
  $("walk-in-form").addEventListener("submit", submitWalkIn);
  window.addEventListener("online", () => { setOnline(true); send().then(pollCounters); });
  window.addEventListener("offline", () => setOnline(false));
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && cameraOn()) stopCamera(); // the phone in a pocket: spare its battery
  });
  document.addEventListener("keydown", toTheLookup);
  setOnline(navigator.onLine);
  // Ready for a hardware scanner; not on a phone, where the keyboard would hide the screen.
  if (window.matchMedia("(pointer: fine)").matches) $("lookup").focus();
  loadList().then(showCounters).then(showQueue).then(() => send());
  setInterval(pollCounters, POLL_EVERY);
  registerServiceWorker();
});
