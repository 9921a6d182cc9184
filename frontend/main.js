// Linchpin's front-end entry point, bundled by `npm run build` into static/dist/app.js.
// Pages work without it: every htmx action is also a plain form POST.
import htmx from "htmx.org";

import "./behaviours.js";
import "./picker.js";
import { initAgile } from "./board.js";
import { initGantt } from "./gantt.js";
import "./work.js";

window.htmx = htmx;

// Server-side form errors come back as 422 and stale edits as 409, each with a fragment to show
// in place of the form; htmx ignores 4xx bodies by default, so let those two swap in.
htmx.on("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 422 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// The Gantt chart draws itself on the one page that has a #gantt container.
document.addEventListener("DOMContentLoaded", () => initGantt());

// The board and the backlog make their cards draggable when the page has them.
document.addEventListener("DOMContentLoaded", () => initAgile());
