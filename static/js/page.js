// A form sent back with errors: the focus goes to the banner that lists them, and a link in
// it takes the focus to its field (the first box of a group), with its label in view.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  // The errors in the order of their fields on the page (the form class may declare them
  // in another order); those of the whole form stay first.
  const list = summary.querySelector("ul");
  const fieldOf = (li) => {
    const a = li.querySelector("a[href^='#']");
    return a && document.getElementById(decodeURIComponent(a.hash.slice(1)));
  };
  const items = [...list.children].filter(fieldOf);
  items.sort((x, y) =>
    fieldOf(x).compareDocumentPosition(fieldOf(y)) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  for (const li of items) list.appendChild(li);
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

// A table wider than the screen scrolls inside its box: the box then takes the keyboard's
// focus (arrow keys scroll it) and is named after the table's caption or the heading above.
function focusableScrollBoxes() {
  for (const box of document.querySelectorAll(".table-responsive")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.dataset.scrollFocus = "1";
      let heading = box.querySelector("caption");
      for (let el = box.previousElementSibling; !heading && el; el = el.previousElementSibling) {
        if (/^H[1-6]$/.test(el.tagName)) heading = el;
      }
      if (heading && heading.textContent.trim()) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", heading.textContent.trim());
      }
    } else if (!scrolls && box.dataset.scrollFocus) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrollFocus;
    }
  }
}
document.addEventListener("DOMContentLoaded", focusableScrollBoxes);
window.addEventListener("resize", focusableScrollBoxes);
