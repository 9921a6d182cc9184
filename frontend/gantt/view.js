// The chart's view: a left-hand WBS list and a timeline in one scrolling box, drawing only the
// rows in view plus a buffer (and the header ticks and grid lines in view plus a margin).
// Scrolling redraws that window, so the page holds a few dozen rows whatever the plan's size.
//
// Layout: .lg-scroller (scrolls both ways) > .lg-canvas (the whole chart's size) >
//   .lg-header (sticky top: corner + ticks) and .lg-body (grid, arrows, rows). Each row is one
//   element across the whole width whose first cell is sticky on the left, so the list and the
//   bars stay on one line without two scrollers to keep in step.
import { floatText, linkTitle } from "./model.js";
import { arrowMarkers, route, svgElement } from "./links.js";
import { ZOOMS, isoDay, mondayOnOrBefore, readableDay, weekday } from "./time.js";

export const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 44;
const LIST_MAX = 340; // the task list's width, narrower on a phone (see fitList)
const LIST_MIN = 150;
const BUFFER_ROWS = 12;
const DIAMOND = 14;

function element(tag, className, parent) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (parent) parent.appendChild(el);
  return el;
}

export function escapeHtml(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

// What a screen reader hears for a bar, and what its tooltip says.
export function barLabel(row) {
  const kind = row.milestone ? "milestone" : row.summary ? "summary" : "task";
  const dates = row.milestone ? `on ${isoDay(row.s)}` : `${isoDay(row.s)} to ${isoDay(row.f)}`;
  const marks = [row.critical && "critical", floatText(row) && `negative ${floatText(row)}`]
    .filter(Boolean)
    .join(", ");
  const base = `${row.wbs} ${row.name}, ${kind}, ${dates}, ${row.progress}% done${marks ? `, ${marks}` : ""}`;
  if (!row.can_edit) return base;
  const resize = row.milestone ? "" : "; Shift with the arrow keys changes its finish";
  return `${base}. Left and right arrow keys move it by a day${resize}.`;
}

export class GanttView {
  constructor(host, { zoom = "Week", onToggle } = {}) {
    this.host = host;
    this.onToggle = onToggle;
    this.zoomName = zoom;
    this.model = null;
    this.rendered = new Map(); // task id -> row element in the DOM
    this.window = { r0: 0, r1: 0, d0: 0, d1: -1 };
    this.frame = 0;

    host.replaceChildren();
    this.scroller = element("div", "lg-scroller", host);
    this.canvas = element("div", "lg-canvas", this.scroller);
    this.header = element("div", "lg-header", this.canvas);
    const corner = element("div", "lg-corner", this.header);
    corner.innerHTML = '<span class="lg-wbs">WBS</span><span>Task</span>';
    this.upper = element("div", "lg-ticks lg-ticks-upper", this.header);
    this.lower = element("div", "lg-ticks lg-ticks-lower", this.header);
    this.body = element("div", "lg-body", this.canvas);
    this.grid = element("div", "lg-grid", this.body);
    this.todayLine = element("div", "lg-today", this.body);
    this.svg = svgElement("svg", { class: "lg-links", "aria-hidden": "true" }, this.body);
    arrowMarkers(this.svg);
    this.arrows = svgElement("g", {}, this.svg);
    this.rows = element("div", "lg-rows", this.body);
    this.rows.setAttribute("role", "list");
    this.rows.setAttribute("aria-label", "Tasks in outline order");

    this.scroller.addEventListener("scroll", () => this.schedule(), { passive: true });
    this.list = LIST_MAX;
    this.fitList();
    window.addEventListener("resize", () => {
      this.fitList();
      this.schedule();
    });
    this.rows.addEventListener("click", (event) => {
      const toggle = event.target.closest(".lg-toggle");
      if (toggle) {
        this.onToggle?.(Number(toggle.closest(".lg-row").dataset.id));
        return;
      }
      // A click on a task's name brings its bar into view (long plans run far to the right).
      const cell = event.target.closest(".lg-cell");
      const row = cell && this.model.byId.get(Number(cell.parentElement.dataset.id));
      if (row && row.s !== null) {
        this.scrollToDay(row.s);
        this.bar(row.id)?.focus({ preventScroll: true });
      }
    });
  }

  // The task list takes 40% of the chart's width, between 150 and 340 px, so a phone still
  // shows some of the timeline beside it. The cells read the width from --lg-list.
  fitList() {
    const width = Math.round(Math.min(LIST_MAX, Math.max(LIST_MIN, this.host.clientWidth * 0.4)));
    if (width === this.list) return;
    const left = this.model ? this.dayAt(this.scroller.scrollLeft + this.list) : null;
    this.list = width;
    this.host.style.setProperty("--lg-list", `${width}px`);
    if (!this.model) return;
    this.relayout();
    this.scroller.scrollLeft = Math.max(0, this.x(left) - width);
    this.render();
  }

  get px() {
    return ZOOMS[this.zoomName].px;
  }

  x(day) {
    return this.list + (day - this.origin) * this.px;
  }

  dayAt(x) {
    return this.origin + Math.floor((x - this.list) / this.px);
  }

  // New data (first load, or the server's answer to a move): keep the scroll position.
  setModel(model) {
    const first = Math.min(model.first, model.today);
    const last = Math.max(model.last, model.today);
    const fresh = !this.model;
    // The plan's first day may move with the data: keep the day at the left edge in place.
    const leftDay = fresh ? null : this.dayAt(this.scroller.scrollLeft + this.list);
    this.model = model;
    this.origin = mondayOnOrBefore((Number.isFinite(first) ? first : model.today) - 21);
    this.end = (Number.isFinite(last) ? last : model.today) + 90;
    this.rendered.forEach((row) => row.remove());
    this.rendered.clear();
    this.resize();
    if (!fresh) this.scroller.scrollLeft = Math.max(0, this.x(leftDay) - this.list);
    this.render(true);
    // Open where the work is: today if the plan is under way, else its first day.
    const underWay = model.today >= model.first && model.today <= model.last;
    if (fresh) this.scrollToDay(underWay || !Number.isFinite(model.first) ? model.today : model.first);
  }

  // The rows shown changed (a summary collapsed or expanded): same data, new row indexes.
  relayout() {
    this.rendered.forEach((row) => row.remove());
    this.rendered.clear();
    this.resize();
    this.render(true);
  }

  // Zooming keeps the first day in view where it was.
  setZoom(name) {
    if (!ZOOMS[name] || name === this.zoomName) return;
    const left = this.model ? this.dayAt(this.scroller.scrollLeft + this.list) : 0;
    this.zoomName = name;
    this.host.dataset.zoom = name;
    this.host.dataset.pxPerDay = String(this.px);
    if (!this.model) return;
    this.relayout();
    this.scroller.scrollLeft = Math.max(0, this.x(left) - this.list);
    this.render();
  }

  scrollToDay(day) {
    this.scroller.scrollLeft = Math.max(0, this.x(day) - this.list - 3 * this.px - 40);
    this.render();
  }

  // Bring row `index` into view (keyboard moves between rows).
  scrollToRow(index) {
    const top = index * ROW_HEIGHT;
    const viewHeight = this.scroller.clientHeight - HEADER_HEIGHT;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + viewHeight) {
      this.scroller.scrollTop = top + ROW_HEIGHT - viewHeight;
    }
    this.render();
  }

  resize() {
    const width = this.x(this.end + 1);
    const height = this.model.visible.length * ROW_HEIGHT;
    this.canvas.style.width = `${width}px`;
    this.header.style.width = `${width}px`;
    this.body.style.width = `${width}px`;
    this.body.style.height = `${height}px`;
    // A short plan gets a short box; a long one scrolls within 70% of the window.
    this.scroller.style.height = `min(70vh, ${height + HEADER_HEIGHT + 18}px)`;
    this.host.dataset.zoom = this.zoomName;
    this.host.dataset.pxPerDay = String(this.px);
    this.host.dataset.rows = String(this.model.visible.length);
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  // The rows and days in view, with the buffer the next redraw is due outside of.
  wanted() {
    const { scrollTop, scrollLeft, clientHeight, clientWidth } = this.scroller;
    const count = this.model.visible.length;
    const top = Math.floor(scrollTop / ROW_HEIGHT);
    const bottom = Math.ceil((scrollTop + clientHeight) / ROW_HEIGHT);
    const left = this.dayAt(scrollLeft + this.list);
    const right = this.dayAt(scrollLeft + clientWidth) + 1;
    const span = right - left;
    return {
      top: Math.max(0, top),
      bottom: Math.min(count, bottom),
      left,
      right,
      r0: Math.max(0, top - BUFFER_ROWS),
      r1: Math.min(count, bottom + BUFFER_ROWS),
      d0: Math.max(this.origin, left - span),
      d1: Math.min(this.end, right + span),
    };
  }

  render(force = false) {
    if (!this.model) return;
    const want = this.wanted();
    const have = this.window;
    const rowsOk = want.top >= have.r0 && want.bottom <= have.r1;
    const daysOk = want.left >= have.d0 && want.right <= have.d1 + 1;
    if (!force && rowsOk && daysOk) return;
    this.window = { r0: want.r0, r1: want.r1, d0: want.d0, d1: want.d1 };
    this.drawRows();
    this.drawTimeScale();
    this.drawLinks();
    this.host.dataset.firstRow = String(want.r0);
    this.host.dataset.lastRow = String(want.r1 - 1);
  }

  drawRows() {
    const { r0, r1 } = this.window;
    const keep = new Set();
    for (let i = r0; i < r1; i++) {
      const row = this.model.visible[i];
      keep.add(row.id);
      let el = this.rendered.get(row.id);
      if (!el) {
        el = this.rowElement(row);
        this.rendered.set(row.id, el);
        this.rows.appendChild(el);
      }
      el.style.top = `${i * ROW_HEIGHT}px`;
      el.classList.toggle("lg-odd", i % 2 === 1);
    }
    for (const [id, el] of this.rendered) {
      if (!keep.has(id)) {
        el.remove();
        this.rendered.delete(id);
      }
    }
  }

  rowElement(row) {
    const el = element("div", "lg-row");
    el.setAttribute("role", "listitem");
    el.dataset.id = String(row.id);
    el.dataset.wbs = row.wbs;
    if (row.s !== null) el.dataset.start = isoDay(row.s);
    if (row.f !== null) el.dataset.finish = isoDay(row.f);
    const negative = floatText(row);
    el.classList.toggle("lg-summary", row.summary);
    el.classList.toggle("lg-milestone", row.milestone);
    el.classList.toggle("lg-critical", row.critical);
    el.classList.toggle("lg-negative", Boolean(negative));
    el.classList.toggle("lg-moved", Boolean(this.model.moved?.has(row.id)));
    const name = escapeHtml(row.name);
    const toggle = row.hasChildren
      ? `<button type="button" class="lg-toggle" aria-expanded="${!row.collapsed}" aria-label="${
          row.collapsed ? "Expand" : "Collapse"
        } ${escapeHtml(row.wbs)} ${name}">${row.collapsed ? "▸" : "▾"}</button>`
      : '<span class="lg-toggle-space"></span>';
    let html =
      `<div class="lg-cell" style="padding-left:${0.4 + row.depth * 1.1}rem">${toggle}` +
      `<span class="lg-wbs">${escapeHtml(row.wbs)}</span><span class="lg-name" title="${name}">${name}</span>` +
      (negative ? `<span class="lg-float">${negative}</span>` : "") +
      "</div>";
    if (row.bs !== null && row.bf !== null) {
      const left = this.x(row.bs);
      const width = Math.max(2, this.x(row.bf + 1) - left);
      const [start, finish] = [isoDay(row.bs), isoDay(row.bf)];
      html +=
        `<div class="lg-baseline" style="left:${left}px;width:${width}px" ` +
        `data-baseline-start="${start}" data-baseline-finish="${finish}" ` +
        `title="Baseline: ${start} to ${finish}"></div>`;
    }
    if (row.s !== null && row.f !== null) html += this.barHtml(row, negative);
    el.innerHTML = html;
    return el;
  }

  barHtml(row, negative) {
    let left = this.x(row.s);
    let width = Math.max(3, this.x(row.f + 1) - left);
    if (row.milestone) {
      left = left + this.px / 2 - DIAMOND / 2;
      width = DIAMOND;
    }
    const label = escapeHtml(barLabel(row));
    const focus = row.can_edit
      ? ' tabindex="0" role="button" aria-roledescription="draggable bar"'
      : ' tabindex="-1" role="img"';
    const handle = row.can_edit && !row.milestone ? '<span class="lg-handle" aria-hidden="true"></span>' : "";
    const text = `${row.wbs} ${row.name}${negative ? ` (${negative})` : ""}`;
    return (
      `<div class="lg-bar${row.can_edit ? " lg-editable" : ""}" style="left:${left}px;width:${width}px"${focus} ` +
      `aria-label="${label}" title="${label}">` +
      (row.milestone || row.summary ? "" : `<span class="lg-progress" style="width:${row.progress}%"></span>`) +
      handle +
      `<span class="lg-label" aria-hidden="true">${escapeHtml(text)}</span></div>`
    );
  }

  // Header ticks, column lines, weekends and today, for the days in the window only.
  drawTimeScale() {
    const { d0, d1 } = this.window;
    const zoom = ZOOMS[this.zoomName];
    const px = this.px;
    const tickHtml = (ticks) => {
      let html = "";
      for (let i = 0; i < ticks.length; i++) {
        const left = this.x(ticks[i].day);
        const right = i + 1 < ticks.length ? this.x(ticks[i + 1].day) : this.x(d1 + 1);
        html += `<span style="left:${left}px;width:${right - left}px">${ticks[i].label}</span>`;
      }
      return html;
    };
    const lower = zoom.lower(d0, d1);
    this.upper.innerHTML = tickHtml(zoom.upper(d0, d1));
    this.lower.innerHTML = tickHtml(lower);
    let grid = "";
    for (const tick of lower) grid += `<span class="lg-column" style="left:${this.x(tick.day)}px"></span>`;
    if (zoom.weekends) {
      for (let day = d0; day <= d1; day++) {
        if (weekday(day) === 6) {
          grid += `<span class="lg-weekend" style="left:${this.x(day)}px;width:${2 * px}px"></span>`;
        }
      }
    }
    this.grid.innerHTML = grid;
    // Grid lines run down the rows drawn only: one page's height, however long the plan.
    this.grid.style.top = `${this.window.r0 * ROW_HEIGHT}px`;
    this.grid.style.height = `${(this.window.r1 - this.window.r0) * ROW_HEIGHT}px`;
    const today = this.model.today;
    this.todayLine.style.left = `${this.x(today) + px / 2}px`;
    this.todayLine.title = `Today, ${readableDay(today)}`;
    this.todayLine.dataset.day = isoDay(today);
  }

  // Arrows for links with at least one end among the rows drawn; the SVG covers just those rows,
  // so a link to a far row is drawn up to the window's edge.
  drawLinks() {
    const { r0, r1 } = this.window;
    const model = this.model;
    // The SVG covers the rows drawn and the days in the window, nothing more: a link to a far
    // row or day is clipped at its edge (and drawn in full once scrolled to).
    const top = r0 * ROW_HEIGHT;
    const left = this.x(this.window.d0);
    const height = Math.max(0, (r1 - r0) * ROW_HEIGHT);
    this.svg.setAttribute("width", String(Math.max(0, this.x(this.window.d1 + 1) - left)));
    this.svg.setAttribute("height", String(height));
    this.svg.style.top = `${top}px`;
    this.svg.style.left = `${left}px`;
    this.arrows.setAttribute("transform", `translate(${-left},${-top})`);
    const seen = new Set();
    const paths = [];
    const add = (from, to, type, lag) => {
      const i = model.index.get(from.id);
      const j = model.index.get(to.id);
      if (i === j || from.s === null || to.s === null) return;
      const key = `${i}:${j}:${type}`;
      if (seen.has(key)) return;
      seen.add(key);
      paths.push(this.linkPath(model.visible[i], i, model.visible[j], j, type, from, to, lag));
    };
    for (let i = r0; i < r1; i++) {
      const row = model.visible[i];
      for (const link of row.dependencies) {
        const from = model.byId.get(link.id);
        if (from) add(from, row, link.type, link.lag_label);
      }
      for (const link of model.outgoing.get(row.id) || []) add(row, model.byId.get(link.to), link.type, link.lag);
      if (row.collapsed) this.collapsedLinks(row, add);
    }
    this.arrows.innerHTML = paths.join("");
  }

  // Links into or out of a collapsed summary's hidden tasks are drawn from/to the summary.
  collapsedLinks(summary, add) {
    const model = this.model;
    const at = model.index.get(summary.id);
    for (let k = summary.pos + 1; k < model.rows.length && model.rows[k].depth > summary.depth; k++) {
      const row = model.rows[k];
      if (model.index.get(row.id) !== at) continue;
      for (const link of row.dependencies) {
        const from = model.byId.get(link.id);
        if (from) add(from, row, link.type, link.lag_label);
      }
      for (const link of model.outgoing.get(row.id) || []) add(row, model.byId.get(link.to), link.type, link.lag);
    }
  }

  // The ends of a bar as drawn (a milestone's are its diamond's corners).
  ends(row) {
    if (row.milestone) {
      const centre = this.x(row.s) + this.px / 2;
      return [centre - DIAMOND / 2, centre + DIAMOND / 2];
    }
    return [this.x(row.s), this.x(row.f + 1)];
  }

  linkPath(shownFrom, i, shownTo, j, type, from, to, lag) {
    const [fromStart, fromFinish] = this.ends(shownFrom);
    const [toStart, toFinish] = this.ends(shownTo);
    const fromFinishEnd = type[0] === "F";
    const toStartEnd = type[1] === "S";
    const sx = fromFinishEnd ? fromFinish : fromStart;
    const tx = toStartEnd ? toStart : toFinish;
    const sy = i * ROW_HEIGHT + ROW_HEIGHT / 2;
    const ty = j * ROW_HEIGHT + ROW_HEIGHT / 2;
    const d = route(sx, sy, fromFinishEnd ? 1 : -1, tx, ty, toStartEnd ? 1 : -1, ROW_HEIGHT);
    const critical = from.critical && to.critical;
    const marker = critical ? "lg-arrow-critical" : "lg-arrow";
    const cls = `lg-link lg-link-${escapeHtml(type)}${critical ? " lg-link-critical" : ""}`;
    return (
      `<path class="${cls}" d="${d}" marker-end="url(#${marker})" data-from="${from.id}" data-to="${to.id}">` +
      `<title>${escapeHtml(linkTitle(from, to, type, lag))}</title></path>`
    );
  }

  // The bar element of a task, if its row is drawn.
  bar(id) {
    return this.rendered.get(id)?.querySelector(".lg-bar") || null;
  }
}
