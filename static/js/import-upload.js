// The import's upload with a progress bar: the form is sent by XMLHttpRequest (which reports
// the bytes sent) asking for JSON; the server answers where the preview is, or the form's
// errors. Without JavaScript the form posts as usual.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-import-upload]");
  if (!form || !window.FormData) return;
  const progress = form.querySelector("[data-import-progress]");
  const bar = form.querySelector("[data-import-bar]");
  const status = form.querySelector("[data-import-status]");
  const button = form.querySelector("button[type=submit]");

  function show(percent) {
    progress.classList.remove("d-none");
    progress.setAttribute("aria-valuenow", String(percent));
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) show(Math.round((e.loaded / e.total) * 100));
    });
    request.upload.addEventListener("load", () => {
      show(100);
      bar.classList.add("progress-bar-striped", "progress-bar-animated");
      status.textContent = status.dataset.checking;
      status.classList.remove("visually-hidden");
    });
    request.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
      if (body.next) {
        window.location.assign(body.next);
        return;
      }
      button.disabled = false;
      progress.classList.add("d-none");
      status.textContent = "";
      form.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
      Object.entries(body.errors || {}).forEach(([name, messages]) => {
        const input = form.elements[name];
        if (!input) return;
        input.classList.add("is-invalid");
        let feedback = document.getElementById(input.id + "-error");
        if (!feedback) {
          feedback = document.createElement("div");
          feedback.className = "invalid-feedback";
          feedback.id = input.id + "-error";
          input.insertAdjacentElement("afterend", feedback);
          input.setAttribute("aria-describedby", feedback.id);
        }
        feedback.textContent = messages.join(" ");
      });
      if (!body.errors) form.submit();  // not JSON (e.g. signed out): the ordinary way
    });
    request.addEventListener("error", () => form.submit());
    button.disabled = true;
    show(0);
    request.send(new FormData(form));
  });
});
