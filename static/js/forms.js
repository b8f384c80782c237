// A form sent back with errors: the focus goes to the banner that lists them, and a link in
// it takes the focus to its field (the first box of a group), with its label in view.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    const control = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    if (!control) return;
    event.preventDefault();
    const label = document.querySelector(`label[for="${CSS.escape(control.id)}"]`) || control;
    label.scrollIntoView({block: "start"});
    control.focus({preventScroll: true});
  });
});
