// Changing the plan from the chart: drag a bar to move it, drag its right end to resize it, or
// focus it and use the keyboard (←/→ move by a day, Shift+←/→ move the finish by a day,
// ↑/↓ go to the task above or below). Every change goes to `save(row, {start} | {finish})`,
// which sends it to the server; the chart then redraws from the server's answer.
import { isoDay } from "./time.js";

const DRAG_THRESHOLD = 3; // pixels before a press becomes a drag, so a click stays a click

function rowOf(view, target) {
  const bar = target.closest(".lg-bar.lg-editable");
  if (!bar) return null;
  return { bar, row: view.model.byId.get(Number(bar.closest(".lg-row").dataset.id)) };
}

export function attachEditing(view, { save, isBusy }) {
  let drag = null;

  function preview(days) {
    const { bar, row, mode, left, width } = drag;
    const px = view.px;
    let start = row.s;
    let finish = row.f;
    if (mode === "move") {
      bar.style.transform = `translateX(${days * px}px)`;
      start += days;
      finish += days;
    } else {
      bar.style.width = `${Math.max(px, width + days * px)}px`;
      finish += days;
    }
    bar.style.left = `${left}px`;
    const label = bar.querySelector(".lg-label");
    if (label) label.textContent = row.milestone ? isoDay(start) : `${isoDay(start)} → ${isoDay(finish)}`;
  }

  view.rows.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || isBusy()) return;
    const hit = rowOf(view, event.target);
    if (!hit) return;
    const mode = event.target.closest(".lg-handle") ? "resize" : "move";
    drag = {
      ...hit,
      mode,
      x0: event.clientX,
      days: 0,
      moved: false,
      left: hit.bar.offsetLeft,
      width: hit.bar.offsetWidth,
      pointer: event.pointerId,
    };
    hit.bar.setPointerCapture(event.pointerId);
    event.preventDefault(); // no text selection while dragging (which also stops the focus):
    hit.bar.focus({ preventScroll: true }); // so a clicked bar takes the arrow keys next
  });

  view.rows.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const dx = event.clientX - drag.x0;
    if (!drag.moved && Math.abs(dx) < DRAG_THRESHOLD) return;
    if (!drag.moved) {
      drag.moved = true;
      drag.bar.classList.add("lg-dragging");
    }
    let days = Math.round(dx / view.px);
    // A resize keeps at least the bar's first day.
    if (drag.mode === "resize") days = Math.max(days, drag.row.s - drag.row.f);
    if (days !== drag.days) {
      drag.days = days;
      preview(days);
    }
  });

  function finish(event, cancel) {
    if (!drag || event.pointerId !== drag.pointer) return;
    const { row, mode, days, moved, bar } = drag;
    drag = null;
    bar.classList.remove("lg-dragging");
    if (bar.hasPointerCapture(event.pointerId)) bar.releasePointerCapture(event.pointerId);
    if (!moved) return; // a click: the bar is focused, nothing moved
    if (!days || cancel) {
      view.relayout(); // put the bar back as it was
      view.bar(row.id)?.focus({ preventScroll: true });
      return;
    }
    save(row, mode === "move" ? { start: isoDay(row.s + days) } : { finish: isoDay(row.f + days) });
  }
  view.rows.addEventListener("pointerup", (event) => finish(event, false));
  view.rows.addEventListener("pointercancel", (event) => finish(event, true));
  view.rows.addEventListener("lostpointercapture", (event) => finish(event, true));

  view.rows.addEventListener("keydown", (event) => {
    const bar = event.target.closest(".lg-bar");
    if (!bar) return;
    const id = Number(bar.closest(".lg-row").dataset.id);
    const row = view.model.byId.get(id);
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      focusNeighbour(view, row, event.key === "ArrowUp" ? -1 : 1);
      return;
    }
    if (event.key === "Escape" && drag) {
      finish({ pointerId: drag.pointer }, true);
      return;
    }
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    if (!row.can_edit || row.s === null) return;
    event.preventDefault();
    if (isBusy()) return;
    const step = event.key === "ArrowLeft" ? -1 : 1;
    if (event.shiftKey && !row.milestone) {
      if (row.f + step < row.s) return; // a task keeps at least one day
      save(row, { finish: isoDay(row.f + step) });
    } else {
      save(row, { start: isoDay(row.s + step) });
    }
  });
}

// The next (or previous) shown row that has a bar, scrolled into view and focused.
function focusNeighbour(view, row, step) {
  const { visible, index } = view.model;
  for (let i = index.get(row.id) + step; i >= 0 && i < visible.length; i += step) {
    if (visible[i].s === null) continue;
    view.scrollToRow(i);
    const bar = view.bar(visible[i].id);
    if (bar) bar.focus();
    return;
  }
}
