// The queue, sent in order: scans in batches, undos and walk-ins one at a time, each with
// the nonce the device made, so that an upload retried after a failure changes nothing.

import { BATCH, config, listKey, REQUEST_TIMEOUT } from "./common.js";
import { remember, saveList } from "./people.js";
import { pollCounters, showConflict, showQueue } from "./screen.js";
import { Offline, postJSON, SignedOut } from "./server.js";
import { dequeue, markShown as keepShown, queued } from "./store.js";

const answers = new Map(); // nonce → the server's answer, for whoever waits for it
const waiting = new Set(); // nonces someone waits for
const shownHere = new Set(); // nonces of scans decided here, until the server answers
let sending = Promise.resolve();
let retryTimer = null;
let retryDelay = 2000;

export function send() {
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

export async function waitForAnswer(nonce) {
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

export function markShown(nonce) {
  // A scan decided here: its server answer, when it comes, is compared with what was shown.
  shownHere.add(nonce);
  return keepShown(nonce);
}
