// The project Gantt chart (templates/projects/gantt.html): our own virtualised renderer.
//
// Data comes from `project-gantt-data` (projects/schedule/gantt.py) in one request, a compact array
// per task (frontend/gantt/model.js decodes it). The chart draws only
// the rows in view (frontend/gantt/view.js), so a 5,000-task plan is interactive as soon as the
// data has arrived. Dragging a bar, dragging its right end, or the arrow keys on a focused bar
// (frontend/gantt/editing.js) POST the new first/last day to `project-gantt-move`; the server
// reschedules through task_services and answers with the rows that changed (the task, and those
// the reschedule moved or re-flagged), which we merge into the chart and redraw: successors
// move. A refusal (403, 400) is shown and the bar goes back; a 409 carries the whole chart.
import "./gantt.css";
import { attachEditing } from "./gantt/editing.js";
import { buildModel, decodeData, decodeRow, showRows } from "./gantt/model.js";
import { GanttView } from "./gantt/view.js";

function loadCollapsed(key) {
  try {
    const ids = JSON.parse(window.localStorage.getItem(key) || "[]");
    return new Set(Array.isArray(ids) ? ids.map(Number) : []);
  } catch {
    return new Set();
  }
}

function storeCollapsed(key, ids) {
  try {
    window.localStorage.setItem(key, JSON.stringify([...ids]));
  } catch {
    // Private windows may refuse storage: collapsing still works for this visit.
  }
}

// The chart's data with the move's changed rows in place of the old ones (same ids, same
// outline order: a move changes dates and flags, never the tree).
function mergeRows(data, changed) {
  const fresh = new Map((changed || []).map((raw) => [raw[0], decodeRow(raw, data.can_edit)]));
  if (!fresh.size) return data;
  return { ...data, tasks: data.tasks.map((row) => fresh.get(row.id) || row) };
}

function setupGantt(host) {
  const status = document.querySelector("[data-gantt-status]");
  const baselinePicker = document.querySelector("[data-gantt-baseline]");
  const csrf = host.dataset.csrf;
  const storageKey = `linchpin.gantt.collapsed.${host.dataset.projectId}`;
  const collapsed = loadCollapsed(storageKey);
  const state = { data: null, saving: false };
  const view = new GanttView(host, { zoom: "Week", onToggle: toggle });

  function say(message, kind = "success") {
    if (!status) return;
    status.hidden = !message;
    status.textContent = message;
    status.className = `gantt-status message message-${kind}`;
  }

  function withBaseline(url) {
    const chosen = baselinePicker?.value;
    return chosen ? `${url}${url.includes("?") ? "&" : "?"}baseline=${encodeURIComponent(chosen)}` : url;
  }

  function draw(data, moved = []) {
    const focused = document.activeElement?.closest?.("#gantt .lg-row")?.dataset.id;
    state.data = data;
    if (!data.tasks.length) say("No scheduled tasks yet: add some on the outline.", "info");
    const model = buildModel(data, collapsed);
    model.moved = new Set(moved);
    view.setModel(model);
    host.setAttribute("aria-busy", "false");
    host.dataset.state = "ready";
    if (focused) view.bar(Number(focused))?.focus({ preventScroll: true });
  }

  function toggle(id) {
    if (collapsed.has(id)) collapsed.delete(id);
    else collapsed.add(id);
    storeCollapsed(storageKey, collapsed);
    showRows(view.model, collapsed);
    view.relayout();
    view.rendered.get(id)?.querySelector(".lg-toggle")?.focus({ preventScroll: true });
  }

  async function load() {
    host.setAttribute("aria-busy", "true");
    const response = await fetch(withBaseline(host.dataset.ganttUrl), {
      headers: { Accept: "application/json" },
    }).catch(() => null);
    if (!response || !response.ok) {
      say("The chart could not be loaded. The outline shows the same schedule.", "error");
      return;
    }
    draw(decodeData(await response.json()));
    host.dataset.readyAt = String(Math.round(performance.now()));
  }

  async function save(row, change) {
    if (state.saving) return;
    const body = { version: row.version, ...change };
    const url = state.data.urls.move.replace(state.data.id_placeholder, String(row.id));
    state.saving = true;
    host.dataset.state = "saving";
    say(`Saving ${row.wbs} ${row.name}…`, "info");
    try {
      const response = await fetch(withBaseline(url), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        draw(mergeRows(state.data, answer.changed), answer.moved);
        say(answer.message || "Saved.", "success");
      } else if (response.status === 409 && answer.rows) {
        draw(decodeData(answer));
        say(answer.detail, "warning");
      } else {
        draw(state.data); // put the bar back where the plan has it
        const fallback =
          response.status === 403 ? "Your role does not allow changing the plan." : "The change was not saved.";
        say(answer.detail || fallback, "error");
      }
    } catch {
      draw(state.data);
      say("The change could not be sent; check your connection and try again.", "error");
    } finally {
      state.saving = false;
      host.dataset.state = "ready";
    }
  }

  attachEditing(view, { save, isBusy: () => state.saving });

  for (const button of document.querySelectorAll("[data-gantt-zoom]")) {
    button.addEventListener("click", () => {
      view.setZoom(button.dataset.ganttZoom);
      for (const other of document.querySelectorAll("[data-gantt-zoom]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
    });
  }
  document.querySelector("[data-gantt-today]")?.addEventListener("click", () => {
    if (view.model) view.scrollToDay(view.model.today);
  });
  baselinePicker?.addEventListener("change", load);

  load();
}

export function initGantt(root = document) {
  const host = root.querySelector("#gantt[data-gantt-url]");
  if (host && !host.dataset.state) {
    host.dataset.state = "loading";
    setupGantt(host);
  }
}
