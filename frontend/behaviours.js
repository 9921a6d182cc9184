// Small behaviours that templates ask for with data attributes, so that no page needs an inline
// script or an onclick= attribute (the Content Security Policy allows scripts from our files only).
//   data-autosubmit        on a form control: a change submits its form (a checklist's box).
//   data-select-on-focus   on an input: focusing it selects its text (a token to copy).
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
