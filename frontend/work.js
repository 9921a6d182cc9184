// Styles of My work, the month calendars, comments and notifications; the pages themselves need
// no script beyond htmx (every action is a plain form POST too).
import htmx from "htmx.org";

import "./work.css";

// The workload heat map's cells are plain links to a person's week (a page of its own without
// script). One listener loads a cell's drill-down into the container named by the table's
// data-drill-into, instead of an hx-get on each of the page's thousand cells.
document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("td > a[class^='load-']") : null;
  const table = link ? link.closest("[data-drill-into]") : null;
  if (!link || !table) return;
  event.preventDefault();
  htmx.ajax("GET", link.getAttribute("href"), { target: table.dataset.drillInto, swap: "innerHTML" });
});
