// The project Gantt chart (templates/projects/gantt.html), drawn with frappe-gantt.
//
// Data comes from `project-gantt-data` (projects/gantt.py). Dragging a bar or one of its ends
// POSTs the new first/last day to `project-gantt-move`; the server reschedules through
// task_services and answers with the whole chart again, which we redraw: successors move.
//
// What frappe-gantt does not do, done here after each render (`decorate`):
// * milestones as diamonds, critical tasks marked in colour, outline and label text;
// * baseline bars under the current ones (from baseline_start/baseline_finish, null until
//   baselines exist);
// * a labelled today line (the library's own line is kept and styled);
// * link types: the library draws every link into the successor's start. The arrow gets a
//   class and a tooltip naming its type and lag (gantt-link-FS/SS/FF/SF, SS/FF/SF dashed);
//   the path itself keeps the library's shape.
import Gantt from "frappe-gantt";
import "../node_modules/frappe-gantt/dist/frappe-gantt.css";
import "./gantt.css";

const SVG = "http://www.w3.org/2000/svg";
const DAY_MS = 24 * 60 * 60 * 1000;

const QUARTER = {
  name: "Quarter",
  padding: "3m",
  step: "3m",
  column_width: 120,
  date_format: "YYYY-MM",
  lower_text: (d) =>
    d.getMonth() % 3 === 0
      ? `Q${d.getMonth() / 3 + 1}`
      : d.toLocaleString("en", { month: "short" }) + "+",
  upper_text: (d, ld) => (!ld || d.getFullYear() !== ld.getFullYear() ? `${d.getFullYear()}` : ""),
  upper_text_frequency: 4,
  thick_line: (d) => d.getMonth() === 0,
  snap_at: "7d",
};

const VIEW_MODES = [Gantt.VIEW_MODE.DAY, Gantt.VIEW_MODE.WEEK, Gantt.VIEW_MODE.MONTH, QUARTER];

function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

function ymd(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function dayNumber(isoDay) {
  const [y, m, d] = isoDay.split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

function parseDay(isoDay) {
  const [y, m, d] = isoDay.split("-").map(Number);
  return new Date(y, m - 1, d);
}

function label(row) {
  const marks = [];
  if (row.milestone) marks.push("milestone");
  if (row.critical) marks.push("critical");
  const suffix = marks.length ? ` (${marks.join(", ")})` : "";
  // frappe-gantt writes the name with innerHTML: escape it.
  return escapeHtml(`${row.wbs} ${row.name}${suffix}`);
}

function toChartTasks(rows) {
  const known = new Set(rows.filter((row) => row.start).map((row) => row.id));
  return rows
    .filter((row) => row.start && row.finish)
    .map((row) => ({
      id: String(row.id),
      name: label(row),
      start: row.start,
      end: row.finish,
      progress: row.progress,
      dependencies: row.dependencies.filter((d) => known.has(d.id)).map((d) => String(d.id)),
      row,
    }));
}

function svg(tag, attrs, parent) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  if (parent) parent.appendChild(el);
  return el;
}

// Units between the chart's first date and `date`, in the chart's own unit (day/month/year).
function unitsFromStart(chart, date) {
  const start = chart.gantt_start;
  const unit = chart.config.unit;
  if (unit === "month" || unit === "year") {
    const months =
      (date.getFullYear() - start.getFullYear()) * 12 + date.getMonth() - start.getMonth();
    const daysInMonth = new Date(date.getFullYear(), date.getMonth() + 1, 0).getDate();
    const fraction = months + (date.getDate() - 1) / daysInMonth;
    return unit === "year" ? fraction / 12 : fraction;
  }
  const days = (date - start) / DAY_MS;
  return unit === "hour" ? days * 24 : days;
}

function xOf(chart, date) {
  return (unitsFromStart(chart, date) / chart.config.step) * chart.config.column_width;
}

function decorateBar(chart, bar) {
  const row = bar.task.row;
  const group = bar.group;
  group.dataset.start = row.start;
  group.dataset.finish = row.finish;
  group.dataset.wbs = row.wbs;
  group.classList.toggle("gantt-critical", row.critical);
  group.classList.toggle("gantt-milestone", row.milestone);
  group.classList.toggle("gantt-summary", row.summary);
  group.classList.toggle("gantt-locked", !row.can_edit);
  const title = svg("title", {}, group);
  title.textContent = `${row.wbs} ${row.name}: ${row.start} to ${row.finish}${
    row.critical ? ", critical" : ""
  }${row.milestone ? ", milestone" : ""}`;
  if (!row.can_edit) {
    // Summaries (and everything, for readers) are not dragged: stop the library seeing it.
    group.addEventListener("mousedown", (event) => event.stopPropagation());
  }
  const $bar = bar.$bar;
  const y = Number($bar.getAttribute("y"));
  const height = chart.options.bar_height;
  if (row.milestone) {
    const cx = Number($bar.getAttribute("x")) + height / 2;
    const cy = y + height / 2;
    const r = height / 2;
    svg(
      "polygon",
      {
        class: "gantt-diamond",
        points: `${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}`,
      },
      bar.bar_group,
    );
    const text = group.querySelector(".bar-label");
    if (text) {
      text.classList.add("big");
      text.setAttribute("x", cx + r + 6);
    }
  }
  if (row.baseline_start && row.baseline_finish) {
    const x1 = xOf(chart, parseDay(row.baseline_start));
    const x2 = xOf(chart, new Date(parseDay(row.baseline_finish).getTime() + DAY_MS));
    svg(
      "rect",
      {
        class: "gantt-baseline",
        x: x1,
        y: y + height + 2,
        width: Math.max(2, x2 - x1),
        height: 5,
        "data-baseline-start": row.baseline_start,
        "data-baseline-finish": row.baseline_finish,
      },
      chart.layers.grid,
    );
  }
}

function decorateArrows(chart, rowsById) {
  for (const arrow of chart.arrows || []) {
    const to = rowsById.get(Number(arrow.to_task.task.id));
    const from = rowsById.get(Number(arrow.from_task.task.id));
    const link = to?.dependencies.find((d) => String(d.id) === arrow.from_task.task.id);
    if (!link) continue;
    arrow.element.classList.add("gantt-link", `gantt-link-${link.type}`);
    if (to.critical && from.critical) arrow.element.classList.add("gantt-link-critical");
    const title = svg("title", {}, arrow.element);
    const lag = link.lag_minutes ? ` ${link.lag_minutes > 0 ? "+" : ""}${link.lag_minutes} min` : "";
    title.textContent = `${from.wbs} → ${to.wbs}: ${link.type}${lag}`;
  }
}

function decorateToday(chart, today) {
  const x = xOf(chart, parseDay(today));
  const top = chart.config.header_height;
  const height = Number(chart.$svg.getAttribute("height")) - top;
  const line = svg("line", { class: "gantt-today", x1: x, x2: x, y1: top, y2: top + height }, chart.layers.grid);
  const title = svg("title", {}, line);
  title.textContent = `Today, ${today}`;
  const text = svg("text", { class: "gantt-today-label", x: x + 4, y: top + 12 }, chart.layers.grid);
  text.textContent = "Today";
}

class LinchpinGantt extends Gantt {
  render() {
    super.render();
    const state = this.options.linchpin;
    if (!state || !state.data) return;
    const rowsById = new Map(state.data.tasks.map((row) => [row.id, row]));
    for (const bar of this.bars) decorateBar(this, bar);
    decorateArrows(this, rowsById);
    decorateToday(this, state.data.today);
  }
}

function popup(ctx) {
  const row = ctx.task.row;
  ctx.set_title(escapeHtml(`${row.wbs} ${row.name}`));
  const floatDays =
    row.total_float_minutes === null ? "–" : `${Math.round(row.total_float_minutes / 48) / 10} d`;
  const links = row.dependencies.map((d) => `${d.type}`).join(", ");
  ctx.set_subtitle(
    escapeHtml(
      [row.critical && "Critical", row.milestone && "Milestone", row.summary && "Summary"]
        .filter(Boolean)
        .join(" · "),
    ),
  );
  ctx.set_details(
    escapeHtml(`${row.start} → ${row.finish} · ${row.progress}% done · float ${floatDays}`) +
      (links ? `<br>${escapeHtml(`Predecessor links: ${links}`)}` : ""),
  );
}

function setupGantt(host) {
  const status = document.querySelector("[data-gantt-status]");
  const csrf = host.dataset.csrf;
  const state = { data: null, pending: null, saving: false };
  let chart = null;

  function say(message, kind = "success") {
    if (!status) return;
    status.hidden = !message;
    status.textContent = message;
    status.className = `gantt-status message message-${kind}`;
  }

  function draw(data) {
    state.data = data;
    host.dataset.version = String(Date.now());
    const tasks = toChartTasks(data.tasks);
    if (!chart) {
      host.innerHTML = "";
      if (!tasks.length) {
        host.textContent = "No scheduled tasks yet: add some on the outline.";
        return;
      }
      chart = new LinchpinGantt(host, tasks, {
        linchpin: state,
        view_modes: VIEW_MODES,
        view_mode: "Week",
        readonly: !data.can_edit,
        readonly_progress: true,
        move_dependencies: false, // the server moves successors
        infinite_padding: false,
        today_button: false,
        scroll_to: "start",
        popup,
        on_date_change: (task, start, end) => {
          state.pending = { task, start, end };
        },
      });
      chart.options.linchpin = state;
    } else {
      chart.setup_tasks(tasks);
      chart.change_view_mode(undefined, true);
    }
    host.setAttribute("aria-busy", "false");
    host.dataset.state = "ready";
  }

  async function load() {
    const response = await fetch(host.dataset.ganttUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      say("The chart could not be loaded. The outline shows the same schedule.", "error");
      return;
    }
    draw(await response.json());
  }

  async function commit() {
    const pending = state.pending;
    state.pending = null;
    if (!pending || state.saving) return;
    const row = pending.task.row;
    const newStart = ymd(pending.start);
    const newFinish = ymd(pending.end);
    const startDelta = dayNumber(newStart) - dayNumber(row.start);
    const finishDelta = dayNumber(newFinish) - dayNumber(row.finish);
    if (!startDelta && !finishDelta) return;
    const body = { version: row.version };
    if (startDelta) body.start = newStart;
    if (finishDelta !== startDelta) body.finish = newFinish; // an end moved alone: a resize
    const url = state.data.urls.move.replace(state.data.id_placeholder, String(row.id));
    state.saving = true;
    host.dataset.state = "saving";
    say(`Saving ${row.wbs} ${row.name}…`, "info");
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        draw(answer);
        say(answer.message || "Saved.", "success");
      } else if (response.status === 409 && answer.tasks) {
        draw(answer);
        say(answer.detail, "warning");
      } else {
        draw(state.data); // put the bar back where the plan has it
        const fallback =
          response.status === 403
            ? "Your role does not allow changing the plan."
            : "The change was not saved.";
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

  // The library reports dates while the bar moves; send the last one when the mouse is let go.
  document.addEventListener("mouseup", () => setTimeout(commit, 0));

  for (const button of document.querySelectorAll("[data-gantt-zoom]")) {
    button.addEventListener("click", () => {
      if (!chart) return;
      chart.change_view_mode(button.dataset.ganttZoom);
      for (const other of document.querySelectorAll("[data-gantt-zoom]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
    });
  }
  document.querySelector("[data-gantt-today]")?.addEventListener("click", () => {
    if (chart && state.data) chart.set_scroll_position(state.data.today);
  });

  load();
}

export function initGantt(root = document) {
  const host = root.querySelector("#gantt[data-gantt-url]");
  if (host && !host.dataset.state) {
    host.dataset.state = "loading";
    setupGantt(host);
  }
}
