// The check-in screens' service worker (served by checkin/screen_views.py, scope
// /staff/events/): the screen opens again without the network. The screen's page is
// fetched from the network first and its last copy kept; its scripts and styles come from
// the cache. Only GETs of the screen itself and of these files are answered here; the
// scans' JSON goes to the network, queued by the page (static/js/checkin.js).
"use strict";

const CACHE = "checkin-{{ version }}";
const SHELL = {{ shell|tojson }};  // addresses with their version (?v=, core/static.py)
// Matched by path: the screen's modules import each other without the version.
const SHELL_PATHS = SHELL.map((address) => new URL(address, self.location.origin).pathname);
const SCREEN = /^\/staff\/events\/[^/]+\/checkin$/;
const TIMEOUT = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("checkin-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The page sends its own address once the worker runs, as it was loaded before.
self.addEventListener("message", (event) => {
  const url = event.data && event.data.cache;
  if (typeof url === "string" && SCREEN.test(new URL(url, self.location.origin).pathname)) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.add(url)).catch(() => {}));
  }
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (event.request.mode === "navigate" && SCREEN.test(url.pathname)) {
    event.respondWith(networkFirst(event.request));
  } else if (SHELL_PATHS.includes(url.pathname)) {
    event.respondWith(cacheFirst(event.request));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT);
  try {
    const response = await fetch(request, { signal: controller.signal });
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const copy = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }));
    if (copy) return copy;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const copy = await cache.match(request, { ignoreSearch: true });
  if (copy) return copy;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
