// What staff see: the answer to a scan (with the person's card), the answers that came
// back different from what was shown offline, the counters and what waits to be sent.

import { $, config, element, fill, fullName, listKey, S, shownTime } from "./common.js";
import { fetchList, list } from "./people.js";
import { getJSON, setOnline, withSession } from "./server.js";
import { queued } from "./store.js";

const KIND = { ok: "is-ok", already_checked_in: "is-warning", undone: "is-neutral" };

export function showAnswer(answer, { offline = false } = {}) {
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
  const details = element("dl", { class: "mb-0" });
  if (row.walk_in) details.append(element("dd", {}, element("span", { class: "badge walk-in" }, S.walk_in)));
  if (row.note) details.append(element("dt", {}, S.note), element("dd", {}, row.note));
  for (const a of row.answers || []) details.append(element("dt", {}, a.label), element("dd", {}, a.value));
  return details.childElementCount ? element("div", { class: "checkin-card" }, details) : "";
}

export function showConflict(item, result) {
  const conflicts = $("conflict-list");
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
  conflicts.append(element("li", { class: "list-group-item" }, fill(S.conflict, { name, answer })));
  $("conflicts").hidden = false;
}

export function showCounters() {
  let checkedIn = list.counters ? list.counters.checked_in : null;
  let expected = list.counters ? list.counters.expected : null;
  if (checkedIn === null) {
    checkedIn = list.rows.filter((r) => r.checked_in_at).length;
    expected = list.rows.filter((r) => r.status === "confirmed").length;
  }
  checkedIn += pendingOk;
  if ($("checked-in-count").textContent !== String(checkedIn)) $("checked-in-count").textContent = checkedIn;
  if ($("expected-count").textContent !== String(expected)) $("expected-count").textContent = expected;
}

let pendingOk = 0; // decided here as checked in, not yet counted by the server

export async function showQueue() {
  const items = await queued();
  pendingOk = items.filter((i) => i.kind !== "undo" && i.listKey === listKey && i.local === "ok").length
    - items.filter((i) => i.kind === "undo").length;
  pendingOk = Math.max(pendingOk, 0);
  $("queue-state").textContent = items.length ? fill(S.waiting, { count: items.length }) : S.nothing_waiting;
  showCounters();
}

export async function pollCounters() {
  if (document.hidden) return;
  if (!navigator.onLine) { setOnline(false); return; }
  try {
    const data = await getJSON(withSession(config.urls.counters));
    const changed = !list.counters || list.counters.checked_in !== data.counters.checked_in
      || list.counters.expected !== data.counters.expected;
    list.counters = data.counters;
    if (changed) await fetchList(); // another device checked someone in
    await showQueue();
  } catch (e) {
    // offline or signed out: shown already; the next round tries again
  }
}
