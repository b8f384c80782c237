// The sign-up form: bring the error summary into view and focus, and keep a double click
// from sending the form twice.
document.addEventListener("DOMContentLoaded", () => {
  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
  const form = document.getElementById("signup-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
  });
});
