// Signing out forgets the check-in lists this device keeps for working offline (the names
// and e-mails of everyone registered): a phone at the door is often shared. Scans not sent
// yet stay on the device and are sent at the next sign-in: a check-in is never lost.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-sign-out]") || !window.indexedDB || form.dataset.cleared) return;
  event.preventDefault();
  const leave = () => {
    form.dataset.cleared = "yes";
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
