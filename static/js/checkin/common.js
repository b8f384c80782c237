// What every part of the check-in screen shares: its settings and words (given by the
// page, templates/checkin/screen.html), the ticket code's form and small helpers.

export const config = JSON.parse(document.getElementById("checkin-config").textContent);
export const S = config.strings;
export const $ = (id) => document.getElementById(id);
export const REQUEST_TIMEOUT = 5000; // on bad Wi-Fi, decide here rather than keep someone waiting
export const POLL_EVERY = 3000;
// Between whole lists, only the people changed since the last one are fetched; the whole
// list now and then also catches what a change list cannot show (a question's settings).
export const WHOLE_LIST_EVERY = 10 * 60 * 1000;
export const BATCH = 50; // scans per upload after a time offline
export const TICKET = /^[A-Z2-9]{12}$/; // registrations/models.py TICKET_ALPHABET, 12 characters
// A code as typed or printed: "abcd-efgh jkmn" → "ABCDEFGHJKMN" (services.normalise_ticket).
export const ticketCode = (text) => (text || "").normalize("NFKC").replace(/[\s\-_.‐-―]+/g, "").toUpperCase();
export const listKey = `${config.event}:${config.session ?? ""}`;

export function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
}

export function newNonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const device = (() => {
  let id = localStorage.getItem("boostcamp-checkin-device");
  if (!id) {
    id = `screen-${newNonce().slice(0, 8)}`;
    localStorage.setItem("boostcamp-checkin-device", id);
  }
  return id;
})();

const timeFormat = new Intl.DateTimeFormat(config.locale || document.documentElement.lang || "fr", {
  hour: "2-digit", minute: "2-digit", timeZone: config.timezone,
});
export const shownTime = (iso) => (iso ? timeFormat.format(new Date(iso)) : "");

export function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export const fullName = (row) => `${row.first_name} ${row.last_name}`;

export function element(tag, attributes = {}, ...children) {
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
