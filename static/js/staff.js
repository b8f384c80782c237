// Staff pages. Everything here is a convenience: the pages work without JavaScript
// (the agenda always ends with empty rows; removing asks no confirmation).
"use strict";

// "Add a session": copy the last agenda row, renumbered and emptied.
function setUpAgenda() {
  const agenda = document.querySelector("[data-agenda]");
  const button = document.querySelector("[data-add-session]");
  if (!agenda || !button) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const rows = agenda.querySelectorAll("[data-session-row]");
    const last = rows[rows.length - 1];
    const used = Array.from(agenda.querySelectorAll("[name^='sessions-']"))
      .map((input) => parseInt(input.name.split("-")[1], 10));
    const index = Math.max(-1, ...used) + 1;
    const row = last.cloneNode(true);
    const renumber = (value) => value.replace(/sessions-\d+-/g, `sessions-${index}-`);
    row.querySelectorAll("[id], [name], [for], [aria-describedby]").forEach((el) => {
      for (const attr of ["id", "name", "for", "aria-describedby"]) {
        if (el.hasAttribute(attr)) el.setAttribute(attr, renumber(el.getAttribute(attr)));
      }
    });
    row.querySelectorAll("input").forEach((input) => {
      if (input.type === "checkbox") input.checked = false;
      else input.value = "";
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
    });
    row.querySelectorAll(".invalid-feedback").forEach((el) => el.remove());
    row.querySelectorAll("[aria-describedby]").forEach((el) => {
      const kept = el.getAttribute("aria-describedby").split(" ").filter((id) => !id.endsWith("-error"));
      if (kept.length) el.setAttribute("aria-describedby", kept.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    // A new row has no session to remove yet.
    row.querySelectorAll("input[name$='-remove']").forEach((el) => el.closest(".form-check").remove());
    row.querySelector("[data-session-number]").textContent = rows.length + 1;
    agenda.appendChild(row);
    row.querySelector("input[name$='-title']").focus();
  });
}

// Forms that destroy something ask first: <form data-confirm="Question?">.
function setUpConfirmations() {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpAgenda();
  setUpConfirmations();
});
