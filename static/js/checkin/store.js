// The offline store: the session's list and the queue of scans not yet sent, kept in
// IndexedDB so that they outlive a reload (or in memory when there is no IndexedDB).

import { listKey } from "./common.js";

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

export async function queued() {
  if (!(await database)) return [...memory.queue.values()];
  return store("queue", "readonly", (s) => s.getAll());
}

export async function enqueue(item) {
  if (!(await database)) {
    memory.seq += 1;
    memory.queue.set(memory.seq, { ...item, seq: memory.seq });
    return;
  }
  await store("queue", "readwrite", (s) => s.add(item));
}

export async function dequeue(seqs) {
  if (!(await database)) { seqs.forEach((seq) => memory.queue.delete(seq)); return; }
  await store("queue", "readwrite", (s) => { seqs.forEach((seq) => s.delete(seq)); });
}

export async function markShown(nonce) {
  // Its server answer, when it comes, is compared with what was shown (see queue.js).
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

export async function savedList() {
  if (!(await database)) return memory.lists.get(listKey);
  return store("lists", "readonly", (s) => s.get(listKey));
}

export function keepList(copy) {
  return database.then((db) => (db ? store("lists", "readwrite", (s) => s.put(copy, listKey))
                                   : memory.lists.set(listKey, copy)));
}
