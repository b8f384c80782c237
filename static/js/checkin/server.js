// Talking to the server: JSON requests that give up after a few seconds (bad Wi-Fi is
// as good as offline), a CSRF token renewed when it expires, and whether the network is up.

import { $, config, REQUEST_TIMEOUT, S } from "./common.js";

let csrfToken = config.csrf_token;

export class Offline extends Error {}
export class SignedOut extends Error {}

export function withSession(url, params = {}) {
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

export async function getJSON(url) {
  const { status, data } = await request(url);
  if (status >= 500) throw new Offline(`HTTP ${status}`);
  if (status !== 200) throw new Error(data.message);
  return data;
}

export async function postJSON(url, body, timeout = REQUEST_TIMEOUT) {
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

export function setOnline(online) {
  const text = online ? S.online : S.offline;
  if ($("network-state").textContent !== text) $("network-state").textContent = text;
  document.body.classList.toggle("checkin-offline", !online);
}

function showSignedOut() {
  $("network-state").textContent = S.signed_out;
}
