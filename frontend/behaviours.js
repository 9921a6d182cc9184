// Small behaviours that templates ask for with data attributes, so that no page needs an inline
// script or an onclick= attribute (the Content Security Policy allows scripts from our files only).
//   data-autosubmit        on a form control: a change submits its form (a checklist's box).
//   data-select-on-focus   on an input: focusing it selects its text (a token to copy).
// And wide tables without links become focusable (below).
document.addEventListener("change", (event) => {
  const control = event.target;
  if (control instanceof HTMLElement && control.matches("[data-autosubmit]") && control.form) {
    control.form.requestSubmit();
  }
});

document.addEventListener("focusin", (event) => {
  const input = event.target;
  if (input instanceof HTMLInputElement && input.matches("[data-select-on-focus]")) {
    input.select();
  }
});

// A table that scrolls sideways (on a phone every wide table does) and holds nothing focusable
// is made focusable, so it can be scrolled from the keyboard (axe: scrollable-region-focusable).
const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
function focusableScrollers(root) {
  for (const table of root.querySelectorAll("main table:not([tabindex])")) {
    if (table.scrollWidth > table.clientWidth && !table.querySelector(FOCUSABLE)) {
      table.tabIndex = 0;
    }
  }
}
document.addEventListener("DOMContentLoaded", () => focusableScrollers(document));
document.addEventListener("htmx:afterSettle", (event) => focusableScrollers(event.target));
