// Signing out forgets the check-in lists this device keeps for working offline (the names
// and e-mails of everyone registered): a phone at the door is often shared. Scans not sent
// yet stay on the device and are sent at the next sign-in: a check-in is never lost.
//
// The form is sent once. On a busy phone the list may be forgotten only after the 3 s that
// sign-out waits for it, while the form is already on its way: sending it a second time then
// (or at a second tap) would reach a server that has signed the person out already, and show
// the sign-in page instead of "You are signed out".
let leaving = false; // the form is on its way: once

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-sign-out]") || !window.indexedDB) return;
  event.preventDefault();
  if (leaving) return; // a second tap: the first one signs out
  leaving = true;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    form.submit();
  };
  const timer = setTimeout(leave, 3000); // never keep anyone from signing out
  const done = () => {
    clearTimeout(timer);
    leave();
  };
  const request = indexedDB.open("boostcamp-checkin", 1);
  request.onupgradeneeded = () => {
    // No check-in on this device yet: the same stores as checkin/store.js, empty.
    request.result.createObjectStore("lists");
    request.result.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
  };
  request.onerror = done;
  request.onsuccess = () => {
    const db = request.result;
    const transaction = db.transaction("lists", "readwrite");
    transaction.objectStore("lists").clear();
    transaction.oncomplete = transaction.onerror = transaction.onabort = () => {
      db.close();
      done();
    };
  };
});

// Back to this page from the browser's history: its sign-out button works again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) leaving = false;
});
