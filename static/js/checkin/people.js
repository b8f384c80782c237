// The session's list as the device holds it: everyone the door may meet, kept current
// from the server (whole, or the changes since the copy) and decided from when the server
// cannot be asked.

import { config, listKey, WHOLE_LIST_EVERY } from "./common.js";
import { getJSON, withSession } from "./server.js";
import { keepList, queued, savedList } from "./store.js";

export const list = {
  rows: [],
  byTicket: new Map(),
  byId: new Map(),
  counters: null, // the server's
  asOf: null, // the server's time of the copy: what changed since then comes next
  wholeListAt: 0, // this device's clock
};

export function setRows(newRows) {
  list.rows = newRows;
  list.byTicket = new Map(list.rows.map((r) => [r.ticket, r]));
  list.byId = new Map(list.rows.map((r) => [r.registration_id, r]));
}

function listOrder(a, b) {
  // The server's: cancelled last, then by name.
  return (a.status === "cancelled") - (b.status === "cancelled")
    || a.last_name.localeCompare(b.last_name) || a.first_name.localeCompare(b.first_name)
    || a.registration_id - b.registration_id;
}

export function mergeRows(changed) {
  if (!changed.length) return;
  for (const row of changed) {
    const known = list.byId.get(row.registration_id);
    if (known) Object.assign(known, row); // the same object: a card on screen follows
    else list.rows.push(row);
  }
  setRows(list.rows.sort(listOrder));
}

export function saveList() {
  const copy = { rows: list.rows, counters: list.counters, as_of: list.asOf,
                 whole_list_at: list.wholeListAt };
  return keepList(copy);
}

export function remember(card, checkedInAt, checkedInBy) {
  // A person the server told us about: into the list, with their attendance as it stands.
  let row = list.byId.get(card.registration_id);
  if (!row) {
    row = { ...card, checked_in_at: null, checked_in_by: null };
    list.rows.push(row);
    list.byId.set(row.registration_id, row);
    list.byTicket.set(row.ticket, row);
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
export function decideHere(scan) {
  const row = scan.ticket ? list.byTicket.get(scan.ticket) : list.byId.get(scan.registration_id);
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

export async function loadList() {
  const saved = await savedList();
  if (saved) {
    setRows(saved.rows);
    list.counters = saved.counters;
    list.asOf = saved.as_of || null;
    list.wholeListAt = saved.whole_list_at || 0;
  }
  await fetchList();
}

export async function fetchList() {
  const changesOnly = list.asOf && list.rows.length && Date.now() - list.wholeListAt < WHOLE_LIST_EVERY;
  let data;
  try {
    data = await getJSON(withSession(config.urls.checkin_list, changesOnly ? { since: list.asOf } : {}));
  } catch (e) {
    return;
  }
  if (data.complete) {
    setRows(data.rows);
    list.wholeListAt = Date.now();
  } else {
    mergeRows(data.rows);
  }
  list.asOf = data.as_of;
  list.counters = data.counters;
  // Scans not yet sent stay checked in here.
  for (const item of await queued()) {
    if (item.kind === "scan" && item.listKey === listKey && item.local === "ok") {
      const row = item.body.ticket ? list.byTicket.get(item.body.ticket) : list.byId.get(item.body.registration_id);
      if (row && !row.checked_in_at) {
        row.checked_in_at = item.body.scanned_at;
        row.checked_in_by = config.user;
      }
    }
  }
  await saveList();
}
