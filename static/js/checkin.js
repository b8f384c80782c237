// The check-in screen (templates/checkin/screen.html). Every scan gets a nonce and the
// device's time and goes into a queue kept in IndexedDB; the queue is sent to the server,
// which answers each scan. When the network is down (or too slow), the scan is decided here
// from the session's list, also kept in IndexedDB, with the server's rules, and sent later:
// the nonce makes a retried upload harmless, so nothing is lost and nothing counts twice.
"use strict";

(() => {
  const config = JSON.parse(document.getElementById("checkin-config").textContent);
  const S = config.strings;
  const $ = (id) => document.getElementById(id);
  const REQUEST_TIMEOUT = 5000; // on bad Wi-Fi, decide here rather than keep someone waiting
  const POLL_EVERY = 3000;
  // Between whole lists, only the people changed since the last one are fetched; the whole
  // list now and then also catches what a change list cannot show (a question's settings).
  const WHOLE_LIST_EVERY = 10 * 60 * 1000;
  const BATCH = 50; // scans per upload after a time offline
  const TICKET = /^[A-Z2-9]{12}$/; // registrations/models.py TICKET_ALPHABET, 12 characters
  // A code as typed or printed: "abcd-efgh jkmn" → "ABCDEFGHJKMN" (services.normalise_ticket).
  const ticketCode = (text) => (text || "").normalize("NFKC").replace(/[\s\-_.‐-―]+/g, "").toUpperCase();
  const listKey = `${config.event}:${config.session ?? ""}`;
  let csrfToken = config.csrf_token;

  // ------------------------------------------------------------ small helpers

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  }

  function newNonce() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const device = (() => {
    let id = localStorage.getItem("boostcamp-checkin-device");
    if (!id) {
      id = `screen-${newNonce().slice(0, 8)}`;
      localStorage.setItem("boostcamp-checkin-device", id);
    }
    return id;
  })();

  const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || "fr", {
    hour: "2-digit", minute: "2-digit", timeZone: config.timezone,
  });
  const shownTime = (iso) => (iso ? timeFormat.format(new Date(iso)) : "");

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  const fullName = (row) => `${row.first_name} ${row.last_name}`;

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // ------------------------------------------------------------ IndexedDB: the list and the queue

  const database = new Promise((resolve) => {
    // Without IndexedDB (a private window of some browsers) the screen keeps all of it in
    // memory: it still works offline, only not across a reload.
    let request;
    try {
      request = indexedDB.open("boostcamp-checkin", 1);
    } catch (e) {
      resolve(null);
      return;
    }
    request.onupgradeneeded = () => {
      request.result.createObjectStore("lists"); // "<event>:<session>" → {rows, counters}
      request.result.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
  const memory = { lists: new Map(), queue: new Map(), seq: 0 };

  async function store(name, mode, work) {
    const db = await database;
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const request = work(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  async function queued() {
    if (!(await database)) return [...memory.queue.values()];
    return store("queue", "readonly", (s) => s.getAll());
  }

  async function enqueue(item) {
    if (!(await database)) {
      memory.seq += 1;
      memory.queue.set(memory.seq, { ...item, seq: memory.seq });
      return;
    }
    await store("queue", "readwrite", (s) => s.add(item));
  }

  async function dequeue(seqs) {
    if (!(await database)) { seqs.forEach((seq) => memory.queue.delete(seq)); return; }
    await store("queue", "readwrite", (s) => { seqs.forEach((seq) => s.delete(seq)); });
  }

  async function markShown(nonce) {
    // Its server answer, when it comes, is compared with what was shown.
    shownHere.add(nonce);
    if (!(await database)) {
      for (const item of memory.queue.values()) if (item.nonce === nonce) item.shown = true;
      return;
    }
    await store("queue", "readwrite", (s) => {
      const cursor = s.openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return;
        if (c.value.nonce === nonce) c.update({ ...c.value, shown: true });
        else c.continue();
      };
      return null;
    });
  }

  async function savedList() {
    if (!(await database)) return memory.lists.get(listKey);
    return store("lists", "readonly", (s) => s.get(listKey));
  }

  // ------------------------------------------------------------ the session's list

  let rows = [];
  let byTicket = new Map();
  let byId = new Map();
  let serverCounters = null;
  let listAsOf = null; // the server's time of the copy: what changed since then comes next
  let wholeListAt = 0; // this device's clock

  function setRows(newRows) {
    rows = newRows;
    byTicket = new Map(rows.map((r) => [r.ticket, r]));
    byId = new Map(rows.map((r) => [r.registration_id, r]));
  }

  function listOrder(a, b) {
    // The server's: cancelled last, then by name.
    return (a.status === "cancelled") - (b.status === "cancelled")
      || a.last_name.localeCompare(b.last_name) || a.first_name.localeCompare(b.first_name)
      || a.registration_id - b.registration_id;
  }

  function mergeRows(changed) {
    if (!changed.length) return;
    for (const row of changed) {
      const known = byId.get(row.registration_id);
      if (known) Object.assign(known, row); // the same object: a card on screen follows
      else rows.push(row);
    }
    setRows(rows.sort(listOrder));
  }

  function saveList() {
    const copy = { rows, counters: serverCounters, as_of: listAsOf, whole_list_at: wholeListAt };
    return database.then((db) => (db ? store("lists", "readwrite", (s) => s.put(copy, listKey))
                                     : memory.lists.set(listKey, copy)));
  }

  function remember(card, checkedInAt, checkedInBy) {
    // A person the server told us about: into the list, with their attendance as it stands.
    let row = byId.get(card.registration_id);
    if (!row) {
      row = { ...card, checked_in_at: null, checked_in_by: null };
      rows.push(row);
      byId.set(row.registration_id, row);
      byTicket.set(row.ticket, row);
    } else {
      Object.assign(row, card);
    }
    if (checkedInAt !== undefined) {
      row.checked_in_at = checkedInAt;
      row.checked_in_by = checkedInBy;
    }
    return row;
  }

  // The server's rules, for when it cannot be asked.
  function decideHere(scan) {
    const row = scan.ticket ? byTicket.get(scan.ticket) : byId.get(scan.registration_id);
    if (!row) return { result: "unknown_ticket", registration: null };
    if (row.status === "cancelled") return { result: "cancelled", registration: row };
    if (row.status === "waitlisted" || row.status === "offered") {
      return { result: "waitlisted", registration: row };
    }
    if (row.checked_in_at) {
      return { result: "already_checked_in", registration: row,
               first: { at: row.checked_in_at, by: row.checked_in_by } };
    }
    return { result: "ok", registration: row };
  }

  async function loadList() {
    const saved = await savedList();
    if (saved) {
      setRows(saved.rows);
      serverCounters = saved.counters;
      listAsOf = saved.as_of || null;
      wholeListAt = saved.whole_list_at || 0;
    }
    await fetchList();
    showCounters();
  }

  async function fetchList() {
    const changesOnly = listAsOf && rows.length && Date.now() - wholeListAt < WHOLE_LIST_EVERY;
    let data;
    try {
      data = await getJSON(withSession(config.urls.checkin_list, changesOnly ? { since: listAsOf } : {}));
    } catch (e) {
      return;
    }
    if (data.complete) {
      setRows(data.rows);
      wholeListAt = Date.now();
    } else {
      mergeRows(data.rows);
    }
    listAsOf = data.as_of;
    serverCounters = data.counters;
    // Scans not yet sent stay checked in here.
    for (const item of await queued()) {
      if (item.kind === "scan" && item.listKey === listKey && item.local === "ok") {
        const row = item.body.ticket ? byTicket.get(item.body.ticket) : byId.get(item.body.registration_id);
        if (row && !row.checked_in_at) {
          row.checked_in_at = item.body.scanned_at;
          row.checked_in_by = config.user;
        }
      }
    }
    await saveList();
  }

  // ------------------------------------------------------------ talking to the server

  class Offline extends Error {}
  class SignedOut extends Error {}

  function withSession(url, params = {}) {
    const query = new URLSearchParams(params);
    if (config.session !== null) query.set("session", config.session);
    const text = query.toString();
    return text ? `${url}?${text}` : url;
  }

  async function request(url, options = {}, timeout = REQUEST_TIMEOUT) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    let response;
    try {
      response = await fetch(url, {
        credentials: "same-origin",
        ...options,
        headers: { Accept: "application/json", ...(options.headers || {}) },
        signal: controller.signal,
      });
    } catch (e) {
      setOnline(false);
      throw new Offline(String(e));
    } finally {
      clearTimeout(timer);
    }
    const isJSON = (response.headers.get("Content-Type") || "").includes("application/json");
    if (response.redirected && new URL(response.url).pathname.startsWith("/auth/")) {
      showSignedOut(); // the sign-in page: the session expired; the queue waits for it
      throw new SignedOut();
    }
    if (!isJSON) {
      // a proxy's error page, a hotel Wi-Fi's welcome page …: as good as offline
      setOnline(false);
      throw new Offline(`HTTP ${response.status}`);
    }
    setOnline(true);
    const data = await response.json();
    if (data.csrf_token) csrfToken = data.csrf_token;
    return { status: response.status, data };
  }

  async function getJSON(url) {
    const { status, data } = await request(url);
    if (status >= 500) throw new Offline(`HTTP ${status}`);
    if (status !== 200) throw new Error(data.message);
    return data;
  }

  async function postJSON(url, body, timeout = REQUEST_TIMEOUT) {
    const send = () => request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body),
    }, timeout);
    let answer = await send();
    if (answer.status === 400 && answer.data.error === "csrf") {
      await getJSON(withSession(config.urls.counters)); // a fresh token
      answer = await send();
    }
    if (answer.status >= 500) {
      setOnline(false);
      throw new Offline(`HTTP ${answer.status}`);
    }
    return answer;
  }

  // ------------------------------------------------------------ the queue, sent in order

  const answers = new Map(); // nonce → the server's answer, for whoever waits for it
  const waiting = new Set(); // nonces someone waits for
  const shownHere = new Set(); // nonces of scans decided here, until the server answers
  let sending = Promise.resolve();
  let retryTimer = null;
  let retryDelay = 2000;

  function send() {
    sending = sending.then(sendQueue, sendQueue);
    return sending;
  }

  async function sendQueue() {
    let items = await queued();
    let sent = false;
    try {
      while (items.length) {
        const first = items[0];
        let batch = [first];
        if (first.kind === "scan") {
          const end = items.findIndex((i) => i.kind !== "scan" || i.url !== first.url);
          batch = items.slice(0, Math.min(end === -1 ? items.length : end, BATCH));
        }
        if (first.kind === "scan") await sendScans(batch);
        else await sendOther(first);
        await dequeue(batch.map((i) => i.seq));
        items = items.slice(batch.length);
        sent = true;
      }
      retryDelay = 2000;
    } catch (e) {
      if (!(e instanceof Offline || e instanceof SignedOut)) throw e;
      scheduleRetry();
    } finally {
      await showQueue();
    }
    if (sent) pollCounters(); // the server's count now has them
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(() => { retryTimer = null; send(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  async function sendScans(batch) {
    // A long queue on a slow network takes longer than one scan: not abandoned half-way.
    const { status, data } = await postJSON(batch[0].url, { scans: batch.map((i) => i.body) },
                                            REQUEST_TIMEOUT + 200 * batch.length);
    const results = status === 200 ? data.results : batch.map((i) => ({
      nonce: i.nonce, error: data.error, fields: { _: data.message, ...(data.fields || {}) },
    }));
    results.forEach((result, index) => {
      const item = batch[index];
      if (waiting.has(item.nonce)) answers.set(item.nonce, result);
      if (item.listKey === listKey) learn(result, item);
      const shown = item.shown || shownHere.has(item.nonce);
      if (shown && (result.error || result.result !== item.local)) showConflict(item, result);
      shownHere.delete(item.nonce);
    });
    if (batch.some((i) => i.listKey === listKey)) saveList();
  }

  async function sendOther(item) {
    // An undo or a walk-in: one at a time, each to its own address.
    const { status, data } = await postJSON(item.url, item.body);
    const answer = status === 200 ? data : { error: data.error, message: data.message, fields: data.fields || {} };
    if (waiting.has(item.nonce)) answers.set(item.nonce, answer);
    if (item.kind === "walk_in" && !answer.error && answer.registration && item.listKey === listKey) {
      remember(answer.registration, new Date().toISOString(), config.user);
      saveList();
    }
    if (item.kind === "walk_in" && answer.error && (item.shown || shownHere.has(item.nonce))) {
      showConflict(item, { error: answer.error, fields: { _: answer.message, ...answer.fields } });
    }
    shownHere.delete(item.nonce);
  }

  function learn(result, item) {
    // What the server answered, into the list kept here.
    if (result.error || !result.registration) return;
    if (result.result === "ok") remember(result.registration, item.body.scanned_at, config.user);
    else if (result.result === "already_checked_in" && result.first) {
      remember(result.registration, result.first.at, result.first.by);
    } else remember(result.registration);
  }

  async function waitForAnswer(nonce) {
    // The server's answer, unless it is slow to come (a queue being sent, bad Wi-Fi): then
    // null, and the scan is decided here; the server's answer is compared when it comes.
    if (!navigator.onLine) return null;
    waiting.add(nonce);
    const sent = send().then(() => answers.get(nonce));
    const late = new Promise((resolve) => { setTimeout(resolve, REQUEST_TIMEOUT); });
    const answer = await Promise.race([sent, late]);
    waiting.delete(nonce);
    answers.delete(nonce);
    return answer || null;
  }

  // ------------------------------------------------------------ checking in

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
    const row = byId.get(entry.registration_id);
    if (row) {
      row.checked_in_at = entry.previous.at;
      row.checked_in_by = entry.previous.by;
      saveList();
    }
    showAnswer({ result: "undone", name: entry.name });
    pollCounters();
    showQueue();
  }

  // ------------------------------------------------------------ what staff see

  const KIND = { ok: "is-ok", already_checked_in: "is-warning", undone: "is-neutral" };

  function showAnswer(answer, { offline = false } = {}) {
    const box = $("answer");
    const row = answer.registration;
    box.className = `checkin-answer mb-3 ${KIND[answer.result] || "is-error"}`;
    let title = S[answer.result] || answer.result;
    let detail = "";
    let next = S[`${answer.result}_next`] || "";
    if (answer.result === "already_checked_in" && answer.first) {
      detail = fill(answer.first.by ? S.already_detail : S.already_detail_nobody,
                    { time: shownTime(answer.first.at), name: answer.first.by });
    }
    if (answer.result === "wrong_event" && answer.other_event) {
      detail = fill(S.wrong_event_named, answer.other_event);
      next = S.wrong_event_named_next;
    }
    if (answer.result === "invalid") {
      detail = Object.values(answer.fields || {}).join(" ");
    }
    if (answer.result === "undone") {
      title = fill(S.undone, { name: answer.name });
      next = S.undone_next;
    }
    if (offline) next = `${next} ${S.saved_offline}`;
    $("answer-title").textContent = title;
    $("answer-person").textContent = row ? fullName(row) + (row.organisation ? ` · ${row.organisation}` : "") : "";
    $("answer-detail").textContent = detail;
    $("answer-next").textContent = next;
    $("answer-card").replaceChildren(row ? card(row) : "");
    box.hidden = false;
    // Read out once, in full, by screen readers.
    $("answer-live").textContent = [title, $("answer-person").textContent, detail, next].filter(Boolean).join(". ");
  }

  function card(row) {
    const list = element("dl", { class: "mb-0" });
    if (row.walk_in) list.append(element("dd", {}, element("span", { class: "badge walk-in" }, S.walk_in)));
    if (row.note) list.append(element("dt", {}, S.note), element("dd", {}, row.note));
    for (const a of row.answers || []) list.append(element("dt", {}, a.label), element("dd", {}, a.value));
    return list.childElementCount ? element("div", { class: "checkin-card" }, list) : "";
  }

  function showConflict(item, result) {
    const list = $("conflict-list");
    let answer;
    if (result.error) answer = `${S.invalid}: ${Object.values(result.fields || {}).join(" ")}`;
    else {
      answer = S[result.result] || result.result;
      if (result.result === "already_checked_in" && result.first) {
        answer += ` ${fill(result.first.by ? S.already_detail : S.already_detail_nobody,
                           { time: shownTime(result.first.at), name: result.first.by })}`;
      }
    }
    const name = result.registration ? fullName(result.registration) : item.name;
    list.append(element("li", { class: "list-group-item" }, fill(S.conflict, { name, answer })));
    $("conflicts").hidden = false;
  }

  function showCounters() {
    let checkedIn = serverCounters ? serverCounters.checked_in : null;
    let expected = serverCounters ? serverCounters.expected : null;
    if (checkedIn === null) {
      checkedIn = rows.filter((r) => r.checked_in_at).length;
      expected = rows.filter((r) => r.status === "confirmed").length;
    }
    checkedIn += pendingOk;
    if ($("checked-in-count").textContent !== String(checkedIn)) $("checked-in-count").textContent = checkedIn;
    if ($("expected-count").textContent !== String(expected)) $("expected-count").textContent = expected;
  }

  let pendingOk = 0; // decided here as checked in, not yet counted by the server

  async function showQueue() {
    const items = await queued();
    pendingOk = items.filter((i) => i.kind !== "undo" && i.listKey === listKey && i.local === "ok").length
      - items.filter((i) => i.kind === "undo").length;
    pendingOk = Math.max(pendingOk, 0);
    $("queue-state").textContent = items.length ? fill(S.waiting, { count: items.length }) : S.nothing_waiting;
    showCounters();
  }

  function setOnline(online) {
    const text = online ? S.online : S.offline;
    if ($("network-state").textContent !== text) $("network-state").textContent = text;
    document.body.classList.toggle("checkin-offline", !online);
  }

  function showSignedOut() {
    $("network-state").textContent = S.signed_out;
  }

  async function pollCounters() {
    if (document.hidden) return;
    if (!navigator.onLine) { setOnline(false); return; }
    try {
      const data = await getJSON(withSession(config.urls.counters));
      const changed = !serverCounters || serverCounters.checked_in !== data.counters.checked_in
        || serverCounters.expected !== data.counters.expected;
      serverCounters = data.counters;
      if (changed) await fetchList(); // another device checked someone in
      await showQueue();
    } catch (e) {
      // offline or signed out: shown already; the next round tries again
    }
  }

  // ------------------------------------------------------------ search, typed codes

  let searchRound = 0;

  function searchHere(query) {
    const terms = fold(query).split(/\s+/).filter(Boolean);
    return rows
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
        const here = byId.get(r.registration_id);
        return here && here.checked_in_at && !r.checked_in_at ? { ...r, checked_in_at: here.checked_in_at,
                                                                  checked_in_by: here.checked_in_by } : r;
      });
    }
    showResults(found || searchHere(query));
  }

  function showResults(found) {
    const list = $("results");
    if (!found.length) {
      list.replaceChildren(element("li", { class: "list-group-item" }, S.no_results));
      return;
    }
    list.replaceChildren(...found.map((row) => {
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
    if (TICKET.test(code) || byTicket.has(code)) {
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

  function toTheLookup(event) {
    // A hardware scanner types wherever the focus is (say, on the camera button): its
    // letters and digits go to the field, whose Enter then checks the ticket in.
    const active = document.activeElement;
    const typing = active && (active.isContentEditable || active.matches("input:not([type=checkbox]), textarea, select"));
    if (!typing && /^[A-Za-z0-9]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      $("lookup").focus();
    }
  }

  // ------------------------------------------------------------ the camera

  let stream = null;
  let detector = null;
  let frameTimer = null;
  let seen = { code: null, at: 0 };
  const canvas = document.createElement("canvas");

  async function startCamera() {
    const status = $("camera-status");
    $("camera").hidden = false;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = S.camera_insecure;
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } }, audio: false,
      });
    } catch (e) {
      status.textContent = e.name === "NotAllowedError" ? S.camera_denied : S.camera_missing;
      return;
    }
    const video = $("camera-video");
    video.srcObject = stream;
    await video.play();
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (e) {
        detector = null;
      }
    }
    status.textContent = S.camera_on;
    $("camera-toggle").textContent = S.camera_stop;
    $("camera-toggle").setAttribute("aria-expanded", "true");
    readFrame();
  }

  function stopCamera() {
    clearTimeout(frameTimer);
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $("camera-video").srcObject = null;
    $("camera").hidden = true;
    $("camera-toggle").textContent = S.camera_start;
    $("camera-toggle").setAttribute("aria-expanded", "false");
  }

  async function readFrame() {
    if (!stream) return;
    const video = $("camera-video");
    let code = null;
    if (video.readyState >= 2 && video.videoWidth) {
      if (detector) {
        try {
          const found = await detector.detect(video);
          code = found.length ? found[0].rawValue : null;
        } catch (e) {
          detector = null; // fall back to jsQR
        }
      } else if (window.jsQR) {
        const scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        const context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        code = found ? found.data : null;
      }
    }
    if (code) {
      code = ticketCode(code);
      // A ticket held in front of the camera is read once, not at every frame.
      const now = Date.now();
      const again = code === seen.code && now - seen.at < 2000;
      seen = { code, at: now };
      if (!again) checkIn({ ticket: code, method: "scan" });
    }
    frameTimer = setTimeout(readFrame, 150);
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
    $("camera-toggle").addEventListener("click", () => (stream ? stopCamera() : startCamera()));
    $("undo").addEventListener("click", undoLast);
    $("walk-in-toggle").addEventListener("click", toggleWalkIn);
    $("walk-in-form").addEventListener("submit", submitWalkIn);
    window.addEventListener("online", () => { setOnline(true); send().then(pollCounters); });
    window.addEventListener("offline", () => setOnline(false));
    document.addEventListener("visibilitychange", () => {
      if (document.hidden && stream) stopCamera(); // the phone in a pocket: spare its battery
    });
    document.addEventListener("keydown", toTheLookup);
    setOnline(navigator.onLine);
    // Ready for a hardware scanner; not on a phone, where the keyboard would hide the screen.
    if (window.matchMedia("(pointer: fine)").matches) $("lookup").focus();
    loadList().then(showQueue).then(() => send());
    setInterval(pollCounters, POLL_EVERY);
    registerServiceWorker();
  });
})();
