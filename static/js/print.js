// A button that prints the page (the attendance sheet); no inline script under the CSP.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
